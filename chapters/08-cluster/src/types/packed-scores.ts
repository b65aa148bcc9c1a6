/**
 * A small sorted set's members and scores packed into one byte string, in
 * order, as Redis packs them into one listpack: score, member, score,
 * member..., lowest first, members with equal scores in byte order.
 * Everything is a walk from one end, as in Redis's listpack (`zzlFind`,
 * `zzlInsert`, `zzlFirstInRange`): over a hundred short members, a walk
 * over contiguous bytes costs little, and the string is far smaller than
 * a skiplist. Why one string and not an array of strings and numbers: see
 * packed-pairs.ts, which packs a small hash the same way.
 *
 * A string is never changed, so a copy of the set (COPY, or the AOF
 * rewrite's pre-image) shares it, and a walk goes on over the string of
 * the moment it started, whatever the set does meanwhile.
 */
import { constants } from "node:buffer";
import { headerBytes, lengthAt, packedEntry } from "./packed-pairs.ts";
import { compareMembers } from "./score-range.ts";
import type { ScoredMember } from "./sorted-set.ts";

// #region score-format
/**
 * A score takes 8 bytes: the double itself, its IEEE 754 bits, one
 * character a byte. Exact, the same size for every score, and read back
 * with no parsing. (Redis writes a whole number as an integer of 1 to 9
 * bytes, anything else as its `%.17g` text, up to 24 bytes, to read with
 * `strtod` at every comparison.)
 */
const SCORE_BYTES = 8;

/** The bytes of one double, seen both ways: to write a score and to read one. */
const scoreCell = new Float64Array(1);
const scoreBytes = new Uint8Array(scoreCell.buffer);

/**
 * `score` as it is packed. A listpack forgets the sign of zero: Redis
 * stores -0 as the integer 0, so a compact set's ZSCORE answers `0` where
 * a skiplist's answers `-0`. Adding 0 does the same here (-0 + 0 is 0).
 */
function packedScore(score: number): string {
  scoreCell[0] = score + 0;
  return String.fromCharCode(...scoreBytes);
}

/** The score packed at `position`. */
function scoreAt(packed: string, position: number): number {
  for (let i = 0; i < SCORE_BYTES; i++) {
    scoreBytes[i] = packed.charCodeAt(position + i);
  }
  return scoreCell[0]!;
}

/** Where one entry lies: its score, then its member's length and bytes. */
interface EntryPosition {
  /** Where the entry, and its score, start. */
  readonly start: number;
  readonly memberStart: number;
  /** Where the entry ends: its member's last byte, plus one. */
  readonly end: number;
}

/** The entry that starts at `start`. */
function entryAt(packed: string, start: number): EntryPosition {
  const lengthStart = start + SCORE_BYTES;
  const memberLength = lengthAt(packed, lengthStart);
  const memberStart = lengthStart + headerBytes(memberLength);
  return { start, memberStart, end: memberStart + memberLength };
}
// #endregion score-format

/**
 * The longest string V8 makes (about 512 MB): the packed string cannot
 * pass it, where Redis lets a listpack grow to 1 GB. See `hasRoomFor`.
 */
export const MAX_PACKED_BYTES = constants.MAX_STRING_LENGTH;

/** How many bytes `member` and its score take packed. */
export function packedBytes(member: string): number {
  return SCORE_BYTES + headerBytes(member.length) + member.length;
}

export class PackedScores {
  /** The entries, packed, in order. Always flat: built by `join`. */
  #packed = "";
  #size = 0;

  /**
   * A packed set of `entries`, which are in order already (a skiplist's,
   * when a *STORE result is small enough to pack): one string, built once.
   */
  static fromOrdered(entries: Iterable<ScoredMember>): PackedScores {
    const packed = new PackedScores();
    const parts: string[] = [];
    for (const [member, score] of entries) {
      parts.push(packedScore(score), packedEntry(member));
    }
    packed.#packed = parts.join("");
    packed.#size = parts.length / 2;
    return packed;
  }

  /** How many members. */
  get size(): number {
    return this.#size;
  }

  /** How many bytes the packed string takes. */
  get bytes(): number {
    return this.#packed.length;
  }

  /** Every entry's position, lowest first, in the string of this moment. */
  *#positions(): IterableIterator<EntryPosition> {
    const packed = this.#packed;
    for (let start = 0; start < packed.length;) {
      const entry = entryAt(packed, start);
      yield entry;
      start = entry.end;
    }
  }

  // #region find
  /** Where the entry of `member` lies, and its rank (from 0), or undefined. */
  #find(member: string): { entry: EntryPosition; rank: number } | undefined {
    const packed = this.#packed;
    let rank = 0;
    for (const entry of this.#positions()) {
      // Lengths first: most members differ there, and the bytes are then
      // compared where they lie, without cutting a string out.
      if (
        entry.end - entry.memberStart === member.length &&
        packed.startsWith(member, entry.memberStart)
      ) {
        return { entry, rank };
      }
      rank += 1;
    }
    return undefined;
  }
  // #endregion find

  score(member: string): number | undefined {
    const found = this.#find(member);
    return found && scoreAt(this.#packed, found.entry.start);
  }

  has(member: string): boolean {
    return this.#find(member) !== undefined;
  }

  /** The rank of `member`, from 0, lowest first; undefined if it is not here. */
  rank(member: string): number | undefined {
    return this.#find(member)?.rank;
  }

  // #region write
  /**
   * Whether `member` is sure to fit in the packed string, which V8 cannot
   * make longer than MAX_PACKED_BYTES.
   */
  hasRoomFor(member: string): boolean {
    return this.#packed.length + packedBytes(member) <= MAX_PACKED_BYTES;
  }

  /**
   * Gives `member` the score `score`; true if the member is new. Redis's
   * way: a member whose score changes comes out and goes back in at its
   * new place (`zzlDelete`, then `zzlInsert`). The same score leaves the
   * string as it is.
   */
  set(member: string, score: number): boolean {
    const found = this.#find(member);
    if (found !== undefined) {
      if (scoreAt(this.#packed, found.entry.start) === score) return false;
      this.#cut(found.entry.start, found.entry.end);
      this.#size -= 1;
    }
    this.#insert(member, score);
    return found === undefined;
  }

  /**
   * Puts `member` before the first entry that comes after it: a higher
   * score, or the same score and a member after it in byte order.
   */
  #insert(member: string, score: number): void {
    const packed = this.#packed;
    let at = packed.length;
    for (const entry of this.#positions()) {
      const entryScore = scoreAt(packed, entry.start);
      if (
        entryScore > score ||
        (entryScore === score &&
          compareMembers(packed.slice(entry.memberStart, entry.end), member) >
            0)
      ) {
        at = entry.start;
        break;
      }
    }
    this.#packed = [
      packed.slice(0, at),
      packedScore(score),
      packedEntry(member),
      packed.slice(at),
    ].join("");
    this.#size += 1;
  }

  /** Removes `member`; the entries after it close the gap. True if it was there. */
  delete(member: string): boolean {
    const found = this.#find(member);
    if (found === undefined) return false;
    this.#cut(found.entry.start, found.entry.end);
    this.#size -= 1;
    return true;
  }

  /**
   * Removes `count` entries from rank `first` on (lowest first), in one
   * cut: a ZREMRANGEBY* on a listpack (`zzlDeleteRangeByRank`).
   */
  deleteRange(first: number, count: number): void {
    if (count === 0) return;
    let start = 0;
    let end = 0;
    let rank = 0;
    for (const entry of this.#positions()) {
      if (rank === first) start = entry.start;
      if (rank === first + count - 1) {
        end = entry.end;
        break;
      }
      rank += 1;
    }
    this.#cut(start, end);
    this.#size -= count;
  }

  /** The string without its bytes from `start` to `end`. */
  #cut(start: number, end: number): void {
    const packed = this.#packed;
    this.#packed = [packed.slice(0, start), packed.slice(end)].join("");
  }
  // #endregion write

  // #region walk
  /**
   * Every member and its score, lowest first. The members are slices of
   * the packed string, which V8 may keep as views of it: right for a
   * reply, not for keeping (see `copiedEntries`).
   */
  *entries(): IterableIterator<ScoredMember> {
    const packed = this.#packed;
    for (const entry of this.#positions()) {
      yield [
        packed.slice(entry.memberStart, entry.end),
        scoreAt(packed, entry.start),
      ];
    }
  }

  /**
   * Every member and its score, highest first. A string is read from its
   * start, so the positions are gathered first, then walked backwards.
   * (A listpack stores each entry's length at its end too, to walk from
   * the tail; here the set is small, and one walk costs little.)
   */
  *reversedEntries(): IterableIterator<ScoredMember> {
    const packed = this.#packed;
    const positions = [...this.#positions()];
    for (let i = positions.length - 1; i >= 0; i--) {
      const entry = positions[i]!;
      yield [
        packed.slice(entry.memberStart, entry.end),
        scoreAt(packed, entry.start),
      ];
    }
  }

  /**
   * The entries of ranks `first` to `last` (lowest first, 0 <= first <=
   * last < size), from `first` up, or from `last` down when `reverse`.
   */
  *between(
    first: number,
    last: number,
    reverse: boolean,
  ): IterableIterator<ScoredMember> {
    if (!reverse) {
      let rank = 0;
      for (const entry of this.entries()) {
        if (rank > last) return;
        if (rank >= first) yield entry;
        rank += 1;
      }
      return;
    }
    let rank = this.#size - 1;
    for (const entry of this.reversedEntries()) {
      if (rank < first) return;
      if (rank <= last) yield entry;
      rank -= 1;
    }
  }
  // #endregion walk

  /**
   * Every member and its score, lowest first, each member a string of its
   * own: for a skiplist that will keep them. A slice of 13 bytes or more
   * would be a view that keeps the whole packed string alive; decoding
   * from a Buffer copy of it makes new strings.
   */
  *copiedEntries(): IterableIterator<ScoredMember> {
    const packed = this.#packed;
    const bytes = Buffer.from(packed, "latin1");
    for (const entry of this.#positions()) {
      yield [
        bytes.toString("latin1", entry.memberStart, entry.end),
        scoreAt(packed, entry.start),
      ];
    }
  }

  /** A copy, which shares the packed string: no one ever changes it. */
  clone(): PackedScores {
    const copy = new PackedScores();
    copy.#packed = this.#packed;
    copy.#size = this.#size;
    return copy;
  }
}
