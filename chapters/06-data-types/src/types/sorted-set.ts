/**
 * A sorted set: members (byte strings), each with a score (a double),
 * ordered by score, and members with equal scores by their bytes.
 *
 * PROVISIONAL: a sorted array, correct but O(n) per write, holding the
 * API the commands use while the skiplist and the listpack encoding are
 * written (types/skiplist.ts). Replace the inside, keep the API.
 */
import { Dict } from "../keyspace/dict.ts";
import {
  compareMembers,
  isEmptyLexRange,
  isEmptyScoreRange,
  memberAboveMin,
  memberBelowMax,
  scoreAboveMin,
  scoreBelowMax,
  type LexRange,
  type ScoreRange,
} from "./score-range.ts";

/** A member and its score, as the sorted set yields them. */
export type ScoredMember = readonly [member: string, score: number];

/** The settings that decide a sorted set's encoding; the config satisfies this. */
export interface SortedSetLimits {
  readonly zsetMaxListpackEntries: number | bigint;
  readonly zsetMaxListpackValue: number | bigint;
}

/** Redis's order: by score, then by member bytes. */
export function compareEntries(a: ScoredMember, b: ScoredMember): number {
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : compareMembers(a[0], b[0]);
}

export class RedisSortedSet {
  #entries: ScoredMember[] = [];
  #scores = new Dict<number>();
  #encoding: "listpack" | "skiplist";

  /** A new, empty sorted set in `encoding` (ZADD picks skiplist for a first member too long). */
  constructor(encoding: "listpack" | "skiplist" = "listpack") {
    this.#encoding = encoding;
  }

  get type(): "zset" {
    return "zset";
  }

  get encoding(): "listpack" | "skiplist" {
    return this.#encoding;
  }

  /** How many members (ZCARD). */
  get size(): number {
    return this.#entries.length;
  }

  score(member: string): number | undefined {
    return this.#scores.get(member);
  }

  has(member: string): boolean {
    return this.#scores.has(member);
  }

  /** Adds `member` or moves it to `score`; true if it is new. */
  add(member: string, score: number, limits: SortedSetLimits): boolean {
    const old = this.#scores.get(member);
    if (old !== undefined) {
      this.#entries.splice(this.#indexOf([member, old]), 1);
    }
    const entry: ScoredMember = [member, score];
    this.#entries.splice(this.#insertionPoint(entry), 0, entry);
    this.#scores.set(member, score);
    if (
      this.#encoding === "listpack" &&
      (this.size > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue)
    ) {
      this.#encoding = "skiplist";
    }
    return old === undefined;
  }

  delete(member: string): boolean {
    const old = this.#scores.get(member);
    if (old === undefined) return false;
    this.#entries.splice(this.#indexOf([member, old]), 1);
    this.#scores.delete(member);
    return true;
  }

  /** 0-based rank in ascending order. */
  rank(member: string): number | undefined {
    const score = this.#scores.get(member);
    return score === undefined ? undefined : this.#indexOf([member, score]);
  }

  /**
   * The members at ranks `start` to `stop` (0 <= start <= stop < size),
   * counted from the lowest, or from the highest when `reverse`, in that
   * order.
   */
  *byRank(
    start: number,
    stop: number,
    reverse: boolean,
  ): IterableIterator<ScoredMember> {
    for (let rank = start; rank <= stop; rank++) {
      yield this.#entries[reverse ? this.size - 1 - rank : rank]!;
    }
  }

  /** The members with scores in `range`, ascending, or descending when `reverse`. */
  *byScore(
    range: ScoreRange,
    reverse: boolean,
  ): IterableIterator<ScoredMember> {
    if (isEmptyScoreRange(range)) return;
    const inRange = this.#entries.filter(
      ([, score]) => scoreAboveMin(score, range) && scoreBelowMax(score, range),
    );
    yield* reverse ? inRange.reverse() : inRange;
  }

  /**
   * The members in `range` by bytes, ascending or descending. Meaningful
   * when all scores are equal, as Redis documents.
   */
  *byLex(range: LexRange, reverse: boolean): IterableIterator<ScoredMember> {
    if (isEmptyLexRange(range)) return;
    const inRange = this.#entries.filter(
      ([member]) =>
        memberAboveMin(member, range) && memberBelowMax(member, range),
    );
    yield* reverse ? inRange.reverse() : inRange;
  }

  countByScore(range: ScoreRange): number {
    return [...this.byScore(range, false)].length;
  }

  countByLex(range: LexRange): number {
    return [...this.byLex(range, false)].length;
  }

  /** Removes ranks `start` to `stop` (ascending, normalized); how many went. */
  deleteByRank(start: number, stop: number): number {
    const gone = [...this.byRank(start, stop, false)];
    for (const [member] of gone) this.delete(member);
    return gone.length;
  }

  deleteByScore(range: ScoreRange): number {
    const gone = [...this.byScore(range, false)];
    for (const [member] of gone) this.delete(member);
    return gone.length;
  }

  deleteByLex(range: LexRange): number {
    const gone = [...this.byLex(range, false)];
    for (const [member] of gone) this.delete(member);
    return gone.length;
  }

  /** Every member, ascending. */
  entries(): IterableIterator<ScoredMember> {
    return this.#entries.values();
  }

  randomEntry(): ScoredMember {
    return this.#entries[Math.floor(Math.random() * this.size)]!;
  }

  /** `count` picks, each on its own: repeats happen. */
  randomEntries(count: number): ScoredMember[] {
    const picked: ScoredMember[] = [];
    for (let i = 0; i < count; i++) picked.push(this.randomEntry());
    return picked;
  }

  /** `count` different members (fewer than the set has), picked at random. */
  distinctRandomEntries(count: number): ScoredMember[] {
    const taken: ScoredMember[] = [];
    let left = this.size;
    for (const entry of this.#entries) {
      if (Math.random() * left < count - taken.length) taken.push(entry);
      if (taken.length === count) break;
      left -= 1;
    }
    return taken;
  }

  /** One step of ZSCAN; answers the next cursor, 0 when done. */
  scan(cursor: number, visit: (member: string, score: number) => void): number {
    if (this.#encoding === "listpack") {
      for (const [member, score] of this.#entries) visit(member, score);
      return 0;
    }
    return this.#scores.scan(cursor, visit);
  }

  /**
   * After a *STORE command built this set: back to a listpack if it fits
   * (Redis's `zsetConvertToListpackIfNeeded`).
   */
  compactIfSmall(limits: SortedSetLimits): void {
    if (
      this.size <= limits.zsetMaxListpackEntries &&
      this.#entries.every(
        ([member]) => member.length <= limits.zsetMaxListpackValue,
      )
    ) {
      this.#encoding = "listpack";
    }
  }

  clone(): RedisSortedSet {
    const copy = new RedisSortedSet(this.#encoding);
    copy.#entries = [...this.#entries];
    for (const [member, score] of this.#entries)
      copy.#scores.set(member, score);
    return copy;
  }

  #indexOf(entry: ScoredMember): number {
    return this.#insertionPoint(entry);
  }

  /** The index of the first entry not before `entry`. */
  #insertionPoint(entry: ScoredMember): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareEntries(this.#entries[middle]!, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
