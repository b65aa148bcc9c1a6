/**
 * A sorted set: members (byte strings), each with a score (a double),
 * ordered by score, and members with equal scores by their bytes. Stored
 * in one of Redis's two encodings, which OBJECT ENCODING names:
 *
 * - `listpack` while it is small: its members and scores packed into one
 *   string, in order (packed-scores.ts). Every operation is a walk.
 * - `skiplist` once it has grown: a skiplist (skiplist.ts), for ranks and
 *   ranges in O(log n), beside a hash table (keyspace/dict.ts) from each
 *   member to its skiplist node, for its score in one lookup, and for
 *   ZSCAN's cursor and ZRANDMEMBER's random picks. Redis's `zset` struct.
 *
 * Where Redis 7.0 converts, and only there (`zsetAdd`): adding a member,
 * when the set would get more members than `zset-max-listpack-entries`,
 * or the member is longer than `zset-max-listpack-value` bytes. A new
 * score for a member already there never converts, nor does a removal:
 * a skiplist left with one member stays one. Going back is the *STORE
 * commands' business (`compactIfSmall`), and SORT's going forward
 * (`convertToSkiplist`). Every command that creates a set gets Redis's
 * encoding from a listpack and `add` (ZADD, ZINCRBY, ZRANGESTORE), or
 * from a skiplist and `compactIfSmall` (ZUNIONSTORE, ZINTERSTORE,
 * ZDIFFSTORE): see the constructor.
 *
 * A listpack forgets the sign of zero, as Redis's does: ZADD of -0 reads
 * back as 0 from a listpack, -0 from a skiplist (packed-scores.ts). One
 * deliberate difference: a listpack converts before its packed string
 * would pass V8's longest string, about 512 MB, where Redis lets one grow
 * to 1 GB; only limits raised by orders of magnitude get near either.
 *
 * The iterators (`byRank`, `byScore`, `byLex`, `entries`) are lazy: a
 * command that changes the set as it goes collects them first. A
 * listpack's members come out as slices of its string, which V8 may keep
 * as views of it: right for a reply, or for a listpack, which copies
 * them; a skiplist that keeps them keeps that string alive too.
 */
import { Dict } from "../keyspace/dict.ts";
import {
  MAX_PACKED_BYTES,
  PackedScores,
  packedBytes,
} from "./packed-scores.ts";
import { Skiplist, type SkiplistNode } from "./skiplist.ts";
import { randomItem, selectionSample } from "./random-picks.ts";
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

/**
 * The settings that decide a sorted set's encoding, read at each write (as
 * Redis reads its config): the server's config has them under these names.
 */
export interface SortedSetLimits {
  /** `zset-max-listpack-entries`: the most members a listpack holds. */
  readonly zsetMaxListpackEntries: number | bigint;
  /** `zset-max-listpack-value`: the longest member it holds, in bytes. */
  readonly zsetMaxListpackValue: number | bigint;
}

/** Redis's order: by score, then by member bytes. */
export function compareEntries(a: ScoredMember, b: ScoredMember): number {
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : compareMembers(a[0], b[0]);
}

/**
 * The skiplist encoding: every member twice, in order in the skiplist and
 * by name in the hash table, which maps it to its node (and so its score).
 */
interface SkiplistAndDict {
  readonly skiplist: Skiplist;
  readonly dict: Dict<SkiplistNode>;
}

export class RedisSortedSet {
  /** The members: packed while the set is small, a skiplist and a hash table after. */
  #members: PackedScores | SkiplistAndDict;

  /**
   * A new, empty sorted set in `encoding`. ZADD, ZINCRBY and ZRANGESTORE
   * start from a listpack, and `add` converts as Redis converts (7.0's
   * ZADD picks a skiplist at once when its first member is too long, or
   * zset-max-listpack-entries is 0, which is where `add` converts anyway).
   * ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE start from a skiplist, then
   * call `compactIfSmall`.
   */
  constructor(encoding: "listpack" | "skiplist" = "listpack") {
    this.#members =
      encoding === "listpack" ? new PackedScores() : skiplistOf([]);
  }

  /** What TYPE answers for a sorted set. */
  get type(): "zset" {
    return "zset";
  }

  /** What OBJECT ENCODING answers. */
  get encoding(): "listpack" | "skiplist" {
    return this.#members instanceof PackedScores ? "listpack" : "skiplist";
  }

  /** How many members (ZCARD). */
  get size(): number {
    const members = this.#members;
    return members instanceof PackedScores
      ? members.size
      : members.skiplist.length;
  }

  score(member: string): number | undefined {
    const members = this.#members;
    return members instanceof PackedScores
      ? members.score(member)
      : members.dict.get(member)?.score;
  }

  has(member: string): boolean {
    const members = this.#members;
    return members instanceof PackedScores
      ? members.has(member)
      : members.dict.has(member);
  }

  // #region add
  /**
   * Adds `member` with `score`, or moves it there; true if it is new.
   * Redis's `zsetAdd`, where a listpack converts before it takes one
   * member too many or one too long. A member already there only gets
   * its new score, whatever the limits say now.
   */
  add(member: string, score: number, limits: SortedSetLimits): boolean {
    let members = this.#members;
    if (members instanceof PackedScores) {
      const isNew = !members.has(member);
      if (
        !isNew ||
        (members.size + 1 <= limits.zsetMaxListpackEntries &&
          member.length <= limits.zsetMaxListpackValue &&
          // Ours alone: a packed string cannot pass V8's longest string.
          members.hasRoomFor(member))
      ) {
        members.set(member, score);
        return isNew;
      }
      members = skiplistOf(members.copiedEntries());
      this.#members = members;
    }
    const { skiplist, dict } = members;
    const node = dict.get(member);
    if (node === undefined) {
      dict.add(member, skiplist.insert(member, score));
      return true;
    }
    // The same score (0 and -0 are the same, as in C) changes nothing.
    if (node.score !== score) skiplist.updateScore(member, node.score, score);
    return false;
  }
  // #endregion add

  /** Removes `member`; true if it was there. The caller deletes a set left empty. */
  delete(member: string): boolean {
    const members = this.#members;
    if (members instanceof PackedScores) return members.delete(member);
    const node = members.dict.get(member);
    if (node === undefined) return false;
    members.dict.delete(member);
    members.skiplist.delete(member, node.score);
    return true;
  }

  /** 0-based rank in ascending order (ZREVRANK is `size - 1 - rank`). */
  rank(member: string): number | undefined {
    const members = this.#members;
    if (members instanceof PackedScores) return members.rank(member);
    const node = members.dict.get(member);
    if (node === undefined) return undefined;
    // The skiplist counts from 1: its header is rank 0.
    return members.skiplist.rank(member, node.score) - 1;
  }

  // #region by-rank
  /**
   * The members at ranks `start` to `stop` (0 <= start <= stop < size),
   * counted from the lowest, or from the highest when `reverse`, in that
   * order. A skiplist finds the first by its spans, then walks along
   * level 0, backwards for `reverse`.
   */
  *byRank(
    start: number,
    stop: number,
    reverse: boolean,
  ): IterableIterator<ScoredMember> {
    const members = this.#members;
    const size = this.size;
    if (members instanceof PackedScores) {
      yield* reverse
        ? members.between(size - 1 - stop, size - 1 - start, true)
        : members.between(start, stop, false);
      return;
    }
    let node = members.skiplist.nodeAtRank(reverse ? size - start : start + 1);
    for (let rank = start; rank <= stop && node !== undefined; rank++) {
      yield [node.member, node.score];
      node = reverse ? node.backward : node.next;
    }
  }
  // #endregion by-rank

  // #region by-score
  /**
   * The members with scores in `range`, ascending, or descending when
   * `reverse`: Redis's walk of a range (see `#walk`), `offset` members
   * stepped over first.
   */
  byScore(
    range: ScoreRange,
    reverse: boolean,
    offset = 0,
  ): IterableIterator<ScoredMember> {
    if (isEmptyScoreRange(range)) return [].values();
    return this.#walk(scoreTests(range), reverse, offset, (skiplist) =>
      reverse
        ? skiplist.lastInScoreRange(range)
        : skiplist.firstInScoreRange(range),
    );
  }

  /** ZCOUNT: on a skiplist, the ranks of the first and the last in range. */
  countByScore(range: ScoreRange): number {
    if (isEmptyScoreRange(range)) return 0;
    const members = this.#members;
    if (members instanceof PackedScores) {
      return findRun(members.entries(), scoreTests(range)).count;
    }
    const { skiplist } = members;
    const first = skiplist.firstInScoreRange(range);
    if (first === undefined) return 0;
    const last = skiplist.lastInScoreRange(range)!;
    return (
      skiplist.rank(last.member, last.score) -
      skiplist.rank(first.member, first.score) +
      1
    );
  }

  /** ZREMRANGEBYSCORE: removes the members with scores in `range`; how many went. */
  deleteByScore(range: ScoreRange): number {
    if (isEmptyScoreRange(range)) return 0;
    const members = this.#members;
    if (members instanceof PackedScores) {
      const run = findRun(members.entries(), scoreTests(range));
      members.deleteRange(run.skipped, run.count);
      return run.count;
    }
    return members.skiplist.deleteScoreRange(range, (node) =>
      members.dict.delete(node.member),
    );
  }
  // #endregion by-score

  // #region by-lex
  /**
   * The members in `range` by bytes, ascending or descending, `offset`
   * members stepped over first. Meaningful when all scores are equal, as
   * Redis documents; otherwise the answer is whatever Redis's walk (see
   * `#walk`) meets, which on a listpack is deterministic, and copied.
   */
  byLex(
    range: LexRange,
    reverse: boolean,
    offset = 0,
  ): IterableIterator<ScoredMember> {
    if (!this.#mayHoldLex(range)) return [].values();
    return this.#walk(lexTests(range), reverse, offset, (skiplist) =>
      reverse
        ? skiplist.lastInLexRange(range)
        : skiplist.firstInLexRange(range),
    );
  }

  /** ZLEXCOUNT. */
  countByLex(range: LexRange): number {
    if (!this.#mayHoldLex(range)) return 0;
    const members = this.#members;
    if (members instanceof PackedScores) {
      return findRun(members.entries(), lexTests(range)).count;
    }
    const { skiplist } = members;
    const first = skiplist.firstInLexRange(range);
    if (first === undefined) return 0;
    const last = skiplist.lastInLexRange(range)!;
    return (
      skiplist.rank(last.member, last.score) -
      skiplist.rank(first.member, first.score) +
      1
    );
  }

  /** ZREMRANGEBYLEX: removes the members in `range`; how many went. */
  deleteByLex(range: LexRange): number {
    if (!this.#mayHoldLex(range)) return 0;
    const members = this.#members;
    if (members instanceof PackedScores) {
      const run = findRun(members.entries(), lexTests(range));
      members.deleteRange(run.skipped, run.count);
      return run.count;
    }
    return members.skiplist.deleteLexRange(range, (node) =>
      members.dict.delete(node.member),
    );
  }

  /**
   * Redis's first check for a lex range (`zslIsInLexRange`): not empty,
   * the last member not before it, the first not after it.
   */
  #mayHoldLex(range: LexRange): boolean {
    if (isEmptyLexRange(range) || this.size === 0) return false;
    const first = this.byRank(0, 0, false).next().value as ScoredMember;
    const last = this.byRank(0, 0, true).next().value as ScoredMember;
    return memberAboveMin(last[0], range) && memberBelowMax(first[0], range);
  }
  // #endregion by-lex

  // #region range-walk
  /**
   * Redis's walk of a score or lex range (`genericZrangebyscoreCommand`,
   * `genericZrangebylexCommand`): start at the first member in the range
   * (the last one, `reverse`), step over `offset` members, whatever they
   * are, then take members while they have not passed the range's far
   * end. With equal scores, or with a score range, that is exactly the
   * members in range after the first `offset`. A lex range over mixed
   * scores is not one run of members, and there the blind steps show:
   * `ZADD z 0 "" 1 x 2 a` then `ZRANGEBYLEX z - [a LIMIT 2 1` steps over
   * "" and x, out of range, and answers `a`, in Redis and here.
   */
  *#walk(
    tests: RangeTests,
    reverse: boolean,
    offset: number,
    startOf: (skiplist: Skiplist) => SkiplistNode | undefined,
  ): IterableIterator<ScoredMember> {
    const stillIn = reverse ? tests.reaches : tests.within;
    const members = this.#members;
    if (members instanceof PackedScores) {
      const start = packedStart(members, tests, reverse);
      if (start === undefined) return;
      const from = reverse ? start - offset : start + offset;
      if (from < 0 || from >= members.size) return;
      const entries = reverse
        ? members.between(0, from, true)
        : members.between(from, members.size - 1, false);
      for (const entry of entries) {
        if (!stillIn(entry)) return;
        yield entry;
      }
      return;
    }
    let node = startOf(members.skiplist);
    for (let i = 0; i < offset && node !== undefined; i++) {
      node = reverse ? node.backward : node.next;
    }
    while (node !== undefined) {
      const entry: ScoredMember = [node.member, node.score];
      if (!stillIn(entry)) return;
      yield entry;
      node = reverse ? node.backward : node.next;
    }
  }
  // #endregion range-walk

  /** ZREMRANGEBYRANK: removes ranks `start` to `stop` (ascending, normalized); how many went. */
  deleteByRank(start: number, stop: number): number {
    const members = this.#members;
    if (members instanceof PackedScores) {
      members.deleteRange(start, stop - start + 1);
      return stop - start + 1;
    }
    return members.skiplist.deleteRankRange(start + 1, stop + 1, (node) =>
      members.dict.delete(node.member),
    );
  }

  /** Every member, ascending. */
  *entries(): IterableIterator<ScoredMember> {
    const members = this.#members;
    if (members instanceof PackedScores) {
      yield* members.entries();
      return;
    }
    for (let node = members.skiplist.first; node; node = node.next) {
      yield [node.member, node.score];
    }
  }

  // #region random
  /** A member and its score picked at random (the set must not be empty). */
  randomEntry(): ScoredMember {
    return this.randomEntries(1)[0]!;
  }

  /** `count` members picked at random, each pick on its own: repeats happen. */
  randomEntries(count: number): ScoredMember[] {
    const members = this.#members;
    const picked: ScoredMember[] = [];
    if (members instanceof PackedScores) {
      // Unpacked once: walking the string for each pick would cost as much each time.
      const all = [...members.entries()];
      for (let i = 0; i < count; i++) picked.push(randomItem(all));
      return picked;
    }
    for (let i = 0; i < count; i++) {
      const node = members.dict.get(members.dict.randomKey()!)!;
      picked.push([node.member, node.score]);
    }
    return picked;
  }

  /**
   * `count` different members (fewer than the set has), picked at random,
   * as RedisHash picks fields (types/hash.ts): one walk choosing each
   * member with the right odds when the set is packed or the picks are a
   * good part of it, random picks from the hash table until `count`
   * differ when they are few in a big set.
   */
  distinctRandomEntries(count: number): ScoredMember[] {
    const members = this.#members;
    if (members instanceof PackedScores || count * 3 > this.size) {
      return selectionSample(this.entries(), this.size, count);
    }
    const picked = new Map<string, number>();
    while (picked.size < count) {
      const node = members.dict.get(members.dict.randomKey()!)!;
      picked.set(node.member, node.score);
    }
    return [...picked];
  }
  // #endregion random

  // #region scan
  /**
   * One step of ZSCAN: visits the members at `cursor` and answers the next
   * cursor, 0 when done. A listpack is visited whole in one step, whatever
   * the cursor, as Redis does; a skiplist's hash table is scanned bucket
   * by bucket (`Dict.scan`), with SCAN's guarantee.
   */
  scan(cursor: number, visit: (member: string, score: number) => void): number {
    const members = this.#members;
    if (members instanceof PackedScores) {
      for (const [member, score] of members.entries()) visit(member, score);
      return 0;
    }
    return members.dict.scan(cursor, (member, node) =>
      visit(member, node.score),
    );
  }
  // #endregion scan

  // #region compact
  /**
   * After a *STORE command built this set as a skiplist: back to a
   * listpack if it fits, every member short enough and not too many of
   * them. Redis's `zsetConvertToListpackIfNeeded`, which ZUNIONSTORE,
   * ZINTERSTORE and ZDIFFSTORE call on their result.
   */
  compactIfSmall(limits: SortedSetLimits): void {
    const members = this.#members;
    if (members instanceof PackedScores) return;
    if (members.skiplist.length > limits.zsetMaxListpackEntries) return;
    let bytes = 0;
    for (const [member] of this.entries()) {
      if (member.length > limits.zsetMaxListpackValue) return;
      bytes += packedBytes(member);
    }
    // Redis's limit is 1 GB of members; ours, V8's longest string.
    if (bytes > MAX_PACKED_BYTES) return;
    this.#members = PackedScores.fromOrdered(this.entries());
  }
  // #endregion compact

  /**
   * From a listpack to a skiplist, whatever the limits: Redis's
   * `zsetConvert`, which SORT calls on a sorted set before it reads it.
   * The members are copied out of the packed string, not kept as views
   * of it.
   */
  convertToSkiplist(): void {
    const members = this.#members;
    if (members instanceof PackedScores) {
      this.#members = skiplistOf(members.copiedEntries());
    }
  }

  /**
   * A copy that shares nothing that changes (COPY, and the AOF rewrite's
   * pre-images), in the same encoding. A packed string is never changed,
   * so the copy shares it; a skiplist is rebuilt from its highest member
   * down, as Redis's `zsetDup` does, so that each insert lands at the
   * front, found at once.
   */
  clone(): RedisSortedSet {
    const copy = new RedisSortedSet();
    const members = this.#members;
    copy.#members =
      members instanceof PackedScores
        ? members.clone()
        : skiplistOf(descending(members.skiplist));
    return copy;
  }
}

/** A skiplist and its hash table holding `entries`. */
function skiplistOf(entries: Iterable<ScoredMember>): SkiplistAndDict {
  const skiplist = new Skiplist();
  const dict = new Dict<SkiplistNode>();
  for (const [member, score] of entries) {
    dict.add(member, skiplist.insert(member, score));
  }
  return { skiplist, dict };
}

function* descending(skiplist: Skiplist): IterableIterator<ScoredMember> {
  for (let node = skiplist.last; node; node = node.backward) {
    yield [node.member, node.score];
  }
}

// #region packed-run
/**
 * A range as two tests on an entry: whether it `reaches` the range (is
 * not before its start) and whether it is `within` it (not past its end).
 */
interface RangeTests {
  reaches(entry: ScoredMember): boolean;
  within(entry: ScoredMember): boolean;
}

function scoreTests(range: ScoreRange): RangeTests {
  return {
    reaches: ([, score]) => scoreAboveMin(score, range),
    within: ([, score]) => scoreBelowMax(score, range),
  };
}

function lexTests(range: LexRange): RangeTests {
  return {
    reaches: ([member]) => memberAboveMin(member, range),
    within: ([member]) => memberBelowMax(member, range),
  };
}

/**
 * Where a range lies in `entries`, walked as Redis walks a listpack
 * (`zzlFirstInRange`, then `zzlNext` while in range): how many entries
 * come before the first that reaches the range, and how many from there
 * on are within it.
 */
function findRun(
  entries: Iterable<ScoredMember>,
  tests: RangeTests,
): { skipped: number; count: number } {
  let skipped = 0;
  let count = 0;
  for (const entry of entries) {
    if (count === 0 && !tests.reaches(entry)) {
      skipped += 1;
      continue;
    }
    if (!tests.within(entry)) break;
    count += 1;
  }
  return { skipped, count };
}

/**
 * Where Redis's walk of a listpack starts (`zzlFirstInRange`,
 * `zzlLastInRange` and their lex twins): the index of the first entry
 * that reaches the range, if it is also within it; from the top when
 * `reverse`, the two tests swapped. Undefined: the walk finds nothing.
 */
function packedStart(
  members: PackedScores,
  tests: RangeTests,
  reverse: boolean,
): number | undefined {
  if (!reverse) {
    const run = findRun(members.entries(), tests);
    return run.count === 0 ? undefined : run.skipped;
  }
  const run = findRun(members.reversedEntries(), {
    reaches: tests.within,
    within: tests.reaches,
  });
  return run.count === 0 ? undefined : members.size - 1 - run.skipped;
}
// #endregion packed-run
