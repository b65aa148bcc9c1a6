/**
 * A hash: fields, each with a value, both byte strings. Stored in one of
 * Redis's two encodings, which OBJECT ENCODING names:
 *
 * - `listpack` while it is small: its pairs packed into one string, in
 *   the order they were added (packed-pairs.ts). HGETALL answers in that
 *   order, exactly as Redis does.
 * - `hashtable` once it has grown: keyspace/dict.ts's table, the one the
 *   keyspace uses, with its resumable SCAN and its random picks.
 *
 * The hash starts compact and converts once, where Redis 7.0 converts,
 * and never goes back: when a write leaves it with more fields than
 * `hash-max-listpack-entries`, or brings a field or value longer than
 * `hash-max-listpack-value` bytes (see `set` and `makeRoomFor`). One
 * deliberate difference: a compact hash converts before its packed string
 * would pass V8's longest string, about 512 MB, where a listpack in Redis
 * may grow to 1 GB; only a `hash-max-listpack-value` of megabytes lets a
 * compact hash get that big.
 */
import { Dict } from "../keyspace/dict.ts";
import { PackedPairs } from "./packed-pairs.ts";
import { randomItem, selectionSample } from "./random-picks.ts";

/**
 * The settings the conversion reads, at each write (as Redis reads its
 * config): the server's config has them under these names.
 */
export interface HashLimits {
  /** `hash-max-listpack-entries`: the most fields a compact hash holds. */
  readonly hashMaxListpackEntries: number | bigint;
  /** `hash-max-listpack-value`: the longest field or value it holds, in bytes. */
  readonly hashMaxListpackValue: number | bigint;
}

/**
 * Redis never lets a listpack grow to more than 1 GB (`lpSafeToAdd`,
 * LISTPACK_MAX_SAFETY_SIZE): its offsets are 32-bit, and one huge
 * allocation would be slow to move.
 */
const LISTPACK_MAX_BYTES = 2 ** 30;

export class RedisHash {
  /** The pairs: packed while the hash is compact, a hash table once it has grown. */
  #pairs: PackedPairs | Dict<string> = new PackedPairs();

  /** What TYPE answers for a hash. */
  get type(): "hash" {
    return "hash";
  }

  /** What OBJECT ENCODING answers. */
  get encoding(): "listpack" | "hashtable" {
    return this.#pairs instanceof PackedPairs ? "listpack" : "hashtable";
  }

  /** How many fields (HLEN). */
  get size(): number {
    return this.#pairs.size;
  }

  get(field: string): string | undefined {
    return this.#pairs.get(field);
  }

  has(field: string): boolean {
    return this.#pairs.has(field);
  }

  // #region conversion
  /**
   * Before HSET writes `words` (its fields and values): converts the hash
   * if one of them is too long to stay compact, or if adding them all
   * could take its listpack past 1 GB in Redis. Redis's
   * `hashTypeTryConversion`. (Redis calls it for HSETNX's one pair too,
   * where it changes nothing here: `set` checks both lengths, and the
   * packed string's own limit, about 512 MB, comes before 1 GB.)
   */
  makeRoomFor(words: readonly string[], limits: HashLimits): void {
    const pairs = this.#pairs;
    if (!(pairs instanceof PackedPairs)) return;
    let bytes = 0;
    for (const word of words) {
      if (word.length > limits.hashMaxListpackValue) {
        this.#convert(pairs);
        return;
      }
      bytes += word.length;
    }
    if (pairs.listpackBytes + bytes > LISTPACK_MAX_BYTES) this.#convert(pairs);
  }

  /**
   * Sets `field` to `value`; true if the field is new. Redis's
   * `hashTypeSet`: a field or value too long for a compact hash converts
   * it first, and a compact hash that has more fields than the limit
   * afterwards converts then. That last check runs after every write,
   * updates included, so a hash that a lowered limit left too big converts
   * at its next write.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    let pairs = this.#pairs;
    if (
      pairs instanceof PackedPairs &&
      (field.length > limits.hashMaxListpackValue ||
        value.length > limits.hashMaxListpackValue ||
        // Ours alone: a packed string cannot pass V8's longest string.
        !pairs.hasRoomFor(field, value))
    ) {
      pairs = this.#convert(pairs);
    }
    const added = pairs.set(field, value);
    if (
      pairs instanceof PackedPairs &&
      pairs.size > limits.hashMaxListpackEntries
    ) {
      this.#convert(pairs);
    }
    return added;
  }

  /** From packed pairs to a hash table, for good. */
  #convert(packed: PackedPairs): Dict<string> {
    const table = new Dict<string>();
    for (const [field, value] of packed.copiedEntries()) {
      table.add(field, value);
    }
    this.#pairs = table;
    return table;
  }
  // #endregion conversion

  /** Removes `field`; true if it was there. The caller deletes a hash left empty. */
  delete(field: string): boolean {
    return this.#pairs.delete(field);
  }

  /**
   * Converts a compact hash to a hash table now, whatever the limits:
   * RESTORE of a listpack with more fields than the limit allows.
   */
  convertToHashtable(): void {
    const pairs = this.#pairs;
    if (pairs instanceof PackedPairs) this.#convert(pairs);
  }

  /**
   * Every field and its value, in HGETALL's order: the order they were
   * added while compact, the table's order once converted.
   */
  *entries(): IterableIterator<[field: string, value: string]> {
    const pairs = this.#pairs;
    if (pairs instanceof PackedPairs) {
      yield* pairs.entries();
      return;
    }
    for (const field of pairs.keys()) yield [field, pairs.get(field)!];
  }

  // #region scan
  /**
   * One step of HSCAN: visits the pairs at `cursor` and answers the next
   * cursor, 0 when done. A compact hash is visited whole in one step,
   * whatever the cursor, as Redis does: it is small, and a position in a
   * string that changes under the scan would mean nothing. A hash table
   * is scanned bucket by bucket (`Dict.scan`), with SCAN's guarantee.
   */
  scan(cursor: number, visit: (field: string, value: string) => void): number {
    const pairs = this.#pairs;
    if (pairs instanceof PackedPairs) {
      for (const [field, value] of pairs.entries()) visit(field, value);
      return 0;
    }
    return pairs.scan(cursor, visit);
  }
  // #endregion scan

  // #region random
  /** A field and its value picked at random (the hash must not be empty). */
  randomEntry(): [field: string, value: string] {
    return this.randomEntries(1)[0]!;
  }

  /** `count` fields and their values picked at random, each pick on its own: repeats happen. */
  randomEntries(count: number): [field: string, value: string][] {
    const pairs = this.#pairs;
    const picked: [string, string][] = [];
    if (pairs instanceof PackedPairs) {
      // Unpacked once: walking the string for each pick would cost as much each time.
      const all = [...pairs.entries()];
      for (let i = 0; i < count; i++) picked.push(randomItem(all));
      return picked;
    }
    for (let i = 0; i < count; i++) {
      const field = pairs.randomKey()!;
      picked.push([field, pairs.get(field)!]);
    }
    return picked;
  }

  /**
   * `count` different fields (fewer than the hash has) and their values,
   * picked at random, as Redis picks them. When they are a good part of
   * the hash, or the hash is compact, one walk chooses each pair with the
   * right odds (Knuth's selection sampling), so they come in the hash's
   * order. When they are few in a big table, random picks until `count`
   * differ are quicker than a walk of the whole table; Redis draws the
   * line at a third of the hash, where a pick starts to land too often on
   * a field already taken.
   */
  distinctRandomEntries(count: number): [field: string, value: string][] {
    const pairs = this.#pairs;
    if (pairs instanceof PackedPairs || count * 3 > pairs.size) {
      return selectionSample(this.entries(), this.size, count);
    }
    const picked = new Map<string, string>();
    while (picked.size < count) {
      const field = pairs.randomKey()!;
      picked.set(field, pairs.get(field)!);
    }
    return [...picked];
  }
  // #endregion random

  /**
   * A copy that shares nothing that changes (COPY): a compact hash's
   * packed string is never changed, so the copy shares it; a hash table
   * is copied pair by pair.
   */
  clone(): RedisHash {
    const copy = new RedisHash();
    const pairs = this.#pairs;
    if (pairs instanceof PackedPairs) {
      copy.#pairs = pairs.clone();
      return copy;
    }
    const table = new Dict<string>();
    for (const [field, value] of this.entries()) table.add(field, value);
    copy.#pairs = table;
    return copy;
  }
}
