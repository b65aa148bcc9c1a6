/**
 * A set: members, byte strings, without order or repeats. Stored in one
 * of Redis 7.0's two encodings, which OBJECT ENCODING names:
 *
 * - `intset` while every member is an integer and there are few of them:
 *   intset.ts, the integers ascending, two bytes each while they are
 *   small. SMEMBERS answers in that order, exactly as Redis does.
 * - `hashtable` after: keyspace/dict.ts's table, the one the keyspace
 *   uses, with its resumable SCAN and its random picks. Its order is the
 *   table's, as Redis's is (but not the same table's).
 *
 * A set starts as an intset and converts where Redis's `setTypeAdd`
 * converts: at a member that is not an integer, or at one member more
 * than `set-max-intset-entries`. It never converts back (one command
 * rebuilds a set from scratch, SPOP with a large count, and may make an
 * intset again: see set-random-commands.ts).
 */
import { Dict } from "../keyspace/dict.ts";
import { parseInt64 } from "../numbers/integers.ts";
import { Intset, type IntsetWidth } from "./intset.ts";

/**
 * `set-max-intset-entries`: the most members an intset holds. Any value
 * from 0 to 2^63 - 1, as Redis allows, so a bigint beyond 2^53.
 */
export type IntsetLimit = number | bigint;

// #region integer-member
/**
 * The integer a member stands for, if it is one an intset can hold:
 * text Redis's `string2ll` reads back to the same text (`12`, `-7`, not
 * `012`, `+7`, `-0` or `1.0`), within 64 bits. Only such members can be
 * stored as numbers and given back as the very bytes they came in as.
 */
function integerOf(member: string): bigint | undefined {
  // No 64-bit integer is longer than 20 bytes: a longer member is no
  // integer, and is not worth reading.
  return member.length > 20 ? undefined : parseInt64(member);
}
// #endregion integer-member

export class RedisSet {
  /** The members: an intset while they allow it, a hash table after. */
  #members: Intset | Dict<true> = new Intset();

  /** A set holding `intset`, which it takes over (RESTORE of an intset). */
  static fromIntset(intset: Intset): RedisSet {
    const set = new RedisSet();
    set.#members = intset;
    return set;
  }

  /** What TYPE answers for a set. */
  get type(): "set" {
    return "set";
  }

  /** What OBJECT ENCODING answers. */
  get encoding(): "intset" | "hashtable" {
    return this.#members instanceof Intset ? "intset" : "hashtable";
  }

  /**
   * The intset's width in bits, or undefined for a hash table: DUMP writes
   * an intset as Redis's bytes, at this width, which never narrows.
   */
  get intsetWidth(): IntsetWidth | undefined {
    const members = this.#members;
    return members instanceof Intset ? members.width : undefined;
  }

  /** How many members (SCARD). */
  get size(): number {
    return this.#members.size;
  }

  has(member: string): boolean {
    const members = this.#members;
    if (!(members instanceof Intset)) return members.has(member);
    const value = integerOf(member);
    return value !== undefined && members.has(value);
  }

  // #region add
  /**
   * Adds `member`; false if it was already there. `limit` is
   * `set-max-intset-entries` as it is now: Redis reads its config at each
   * write, so a set made under one limit converts under another.
   */
  add(member: string, limit: IntsetLimit): boolean {
    const members = this.#members;
    if (!(members instanceof Intset)) return members.set(member, true);
    const value = integerOf(member);
    if (value !== undefined) {
      if (!members.add(value)) return false;
      if (members.size > limit) this.#toHashtable(members);
      return true;
    }
    // Not an integer, so not a member yet: the table adds it.
    this.#toHashtable(members).add(member, true);
    return true;
  }

  /** Redis's `setTypeConvert`: every integer becomes its decimal text. */
  #toHashtable(intset: Intset): Dict<true> {
    const table = new Dict<true>();
    for (const value of intset.values()) table.add(String(value), true);
    this.#members = table;
    return table;
  }
  // #endregion add

  /** Removes `member`; false if it was not there. An intset stays one. */
  delete(member: string): boolean {
    const members = this.#members;
    if (!(members instanceof Intset)) return members.delete(member);
    const value = integerOf(member);
    return value !== undefined && members.delete(value);
  }

  /** A member picked at random; the set must not be empty. */
  randomMember(): string {
    const members = this.#members;
    return members instanceof Intset
      ? String(members.random())
      : members.randomKey()!;
  }

  /** Every member: ascending for an intset, in the table's order otherwise. */
  *members(): IterableIterator<string> {
    const members = this.#members;
    if (!(members instanceof Intset)) {
      yield* members.keys();
      return;
    }
    for (const value of members.values()) yield String(value);
  }

  // #region scan
  /**
   * One step of SSCAN: visits the members the cursor points at and
   * answers the next cursor, 0 when done. A hash table is walked bucket
   * by bucket, with `Dict.scan`'s guarantees. An intset is visited whole,
   * whatever the cursor, and answers 0: Redis does the same for its
   * compact encodings, which are small, and have no buckets to point at.
   */
  scan(cursor: number, visit: (member: string) => void): number {
    const members = this.#members;
    if (!(members instanceof Intset)) return members.scan(cursor, visit);
    for (const value of members.values()) visit(String(value));
    return 0;
  }
  // #endregion scan

  /** A deep copy, for COPY and an AOF rewrite's pre-images: same members, same encoding. */
  clone(): RedisSet {
    const copy = new RedisSet();
    const members = this.#members;
    if (members instanceof Intset) {
      copy.#members = members.clone();
    } else {
      const table = new Dict<true>();
      for (const member of members.keys()) table.add(member, true);
      copy.#members = table;
    }
    return copy;
  }
}
