/**
 * The skiplist of a large sorted set: its members in order (by score, then
 * by bytes), where finding a member, its rank, or the member at a rank
 * takes O(log n) steps. Redis's design (`t_zset.c`, after William Pugh's
 * 1990 paper), with its three additions: equal scores allowed, a span on
 * every link so that ranks are counted on the way down, and a backward
 * link on every node so that reverse ranges walk back from the tail.
 *
 * A skiplist is a sorted linked list with express lanes. Every node is on
 * level 0, the plain list. A node drawn at random (1 in 4) is also on
 * level 1, one of those (1 in 4 again) on level 2, and so on: each level
 * skips about four nodes of the one below. A search starts on the top
 * level at the header, a node before every other, runs along a level
 * while the next node is still before what it looks for, and drops one
 * level where it would overshoot: about 4 steps a level, and log4(n)
 * levels.
 *
 * The skiplist does not know members by name: the sorted set keeps a hash
 * table beside it (types/sorted-set.ts), which gives each member's score,
 * and so where to look for it here.
 */
import {
  compareMembers,
  memberAboveMin,
  memberBelowMax,
  scoreAboveMin,
  scoreBelowMax,
  type LexRange,
  type ScoreRange,
} from "./score-range.ts";

// #region skiplist-node
/**
 * The most levels a node can have (Redis's ZSKIPLIST_MAXLEVEL): with 1 in
 * 4 nodes going up each level, enough for 2^64 members.
 */
export const SKIPLIST_MAX_LEVEL = 32;

/** The odds that a node on one level is also on the next (ZSKIPLIST_P). */
export const SKIPLIST_P = 0.25;

/**
 * One member and its score, with a forward link and a span per level.
 * The span of a link is how many level-0 steps it jumps: 1 on level 0,
 * more above. Adding up the spans on the way to a node gives its rank.
 * A link to nothing (the node is the last on that level) spans the nodes
 * left after it, so that a node inserted at the end gets its span right.
 *
 * Links are read and written through `forward(level)` and `span(level)`,
 * which hide how they are stored. Three nodes in four have one level, so
 * level 0's link and span are two fields of the node itself, and only a
 * taller node has an array for the rest, two slots a level. Measured on a
 * million nodes, member strings aside: 106 bytes a node this way, 141
 * with one array for every level, 198 with an array of links and an
 * array of spans.
 */
export class SkiplistNode {
  /** The member; a node keeps it for life (a new score moves the node). */
  readonly member: string;
  score: number;
  /** The node before this one on level 0; undefined for the first. */
  backward: SkiplistNode | undefined = undefined;
  #next: SkiplistNode | undefined = undefined;
  #nextSpan = 0;
  /** Levels 1 and up: the link of level i at 2(i-1), its span after it. */
  readonly #upper: (SkiplistNode | number | undefined)[] | undefined;

  constructor(member: string, score: number, level: number) {
    this.member = member;
    this.score = score;
    if (level === 1) {
      this.#upper = undefined;
      return;
    }
    // Sized once (an array grown by push keeps spare room), no link yet.
    const upper = new Array<SkiplistNode | number | undefined>(2 * level - 2);
    for (let i = 0; i < upper.length; i += 2) {
      upper[i] = undefined;
      upper[i + 1] = 0;
    }
    this.#upper = upper;
  }

  /** How many levels this node is on. */
  get level(): number {
    return this.#upper === undefined ? 1 : this.#upper.length / 2 + 1;
  }

  /** The next node on level 0, the plain list. */
  get next(): SkiplistNode | undefined {
    return this.#next;
  }

  forward(level: number): SkiplistNode | undefined {
    if (level === 0) return this.#next;
    return this.#upper![2 * level - 2] as SkiplistNode | undefined;
  }

  span(level: number): number {
    if (level === 0) return this.#nextSpan;
    return this.#upper![2 * level - 1] as number;
  }

  setForward(level: number, node: SkiplistNode | undefined): void {
    if (level === 0) this.#next = node;
    else this.#upper![2 * level - 2] = node;
  }

  setSpan(level: number, span: number): void {
    if (level === 0) this.#nextSpan = span;
    else this.#upper![2 * level - 1] = span;
  }
}
// #endregion skiplist-node

/** Whether `node` comes before the place of (`score`, `member`). */
function isBefore(node: SkiplistNode, score: number, member: string): boolean {
  return (
    node.score < score ||
    (node.score === score && compareMembers(node.member, member) < 0)
  );
}

export class Skiplist {
  /**
   * A node before all others, on every level, holding no member: every
   * search starts here, and inserting before the first node is no special
   * case. (Public for walks along a level, as the tests' checks do.)
   */
  readonly header = new SkiplistNode("", 0, SKIPLIST_MAX_LEVEL);
  #tail: SkiplistNode | undefined = undefined;
  #length = 0;
  /** How many levels are in use: the tallest node's. */
  #level = 1;
  /** A number in [0, 1): Math.random, or a seeded generator in the tests. */
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** How many nodes (the header aside). */
  get length(): number {
    return this.#length;
  }

  /** How many levels are in use. */
  get level(): number {
    return this.#level;
  }

  /** The first node, the lowest. */
  get first(): SkiplistNode | undefined {
    return this.header.next;
  }

  /** The last node, the highest: where a reverse walk starts. */
  get last(): SkiplistNode | undefined {
    return this.#tail;
  }

  // #region random-level
  /**
   * A new node's level: 1, then one more with odds 1 in 4 each time, up
   * to 32. So each level holds about a quarter of the nodes of the level
   * below, which keeps a search at about 4 steps a level.
   */
  #randomLevel(): number {
    let level = 1;
    while (level < SKIPLIST_MAX_LEVEL && this.#random() < SKIPLIST_P) {
      level += 1;
    }
    return level;
  }
  // #endregion random-level

  // #region insert
  /**
   * Adds `member` with `score`; the caller knows it is not here yet (the
   * sorted set's hash table says so). Redis's `zslInsert`.
   */
  insert(member: string, score: number): SkiplistNode {
    return this.#insertNode(
      new SkiplistNode(member, score, this.#randomLevel()),
    );
  }

  /** Links `node` in at its place: a new node, or one `updateScore` took out. */
  #insertNode(node: SkiplistNode): SkiplistNode {
    const { score, member } = node;
    // The way down. update[i]: the last node on level i before the new
    // node's place, whose level-i link will now lead to the new node.
    // rank[i]: that node's rank (the header's is 0), summed from the spans
    // crossed on the way.
    const update: SkiplistNode[] = [];
    const rank: number[] = [];
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      rank[i] = i === this.#level - 1 ? 0 : rank[i + 1]!;
      for (
        let next = x.forward(i);
        next !== undefined && isBefore(next, score, member);
        next = x.forward(i)
      ) {
        rank[i]! += x.span(i);
        x = next;
      }
      update[i] = x;
    }
    // A node taller than any so far: on the new levels, only the header
    // is before it, and its link there spans the whole list so far.
    const level = node.level;
    if (level > this.#level) {
      for (let i = this.#level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.setSpan(i, this.#length);
      }
      this.#level = level;
    }
    // Splice the node in on each of its levels. The link that passed over
    // its place is cut in two: update[i] to the node spans the steps from
    // rank[i] to the node's rank (rank[0] + 1), the node to the old target
    // takes the rest.
    for (let i = 0; i < level; i++) {
      const before = update[i]!;
      node.setForward(i, before.forward(i));
      node.setSpan(i, before.span(i) - (rank[0]! - rank[i]!));
      before.setForward(i, node);
      before.setSpan(i, rank[0]! - rank[i]! + 1);
    }
    // Links above the node's levels now pass over one node more.
    for (let i = level; i < this.#level; i++) {
      update[i]!.setSpan(i, update[i]!.span(i) + 1);
    }
    node.backward = update[0] === this.header ? undefined : update[0];
    const after = node.next;
    if (after !== undefined) after.backward = node;
    else this.#tail = node;
    this.#length += 1;
    return node;
  }
  // #endregion insert

  // #region delete
  /**
   * Removes the node of `member` and `score`; answers it, or undefined if
   * there is none. Redis's `zslDelete`.
   */
  delete(member: string, score: number): SkiplistNode | undefined {
    const update = this.#pathTo((node) => isBefore(node, score, member));
    const node = update[0]!.next;
    if (node === undefined || node.score !== score || node.member !== member) {
      return undefined;
    }
    this.#unlink(node, update);
    return node;
  }

  /**
   * The last node before the place `isBeforePlace` looks for, on each
   * level in use: the nodes whose links lead to that place.
   */
  #pathTo(isBeforePlace: (node: SkiplistNode) => boolean): SkiplistNode[] {
    const update: SkiplistNode[] = [];
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && isBeforePlace(next);
        next = x.forward(i)
      ) {
        x = next;
      }
      update[i] = x;
    }
    return update;
  }

  /**
   * Takes `node` out, given the path to it: a link that led to the node
   * now leads where the node's did, spanning both less the node; a link
   * that passed over it spans one step less. Redis's `zslDeleteNode`.
   */
  #unlink(node: SkiplistNode, update: readonly SkiplistNode[]): void {
    for (let i = 0; i < this.#level; i++) {
      const before = update[i]!;
      if (before.forward(i) === node) {
        before.setSpan(i, before.span(i) + node.span(i) - 1);
        before.setForward(i, node.forward(i));
      } else {
        before.setSpan(i, before.span(i) - 1);
      }
    }
    const after = node.next;
    if (after !== undefined) after.backward = node.backward;
    else this.#tail = node.backward;
    // The top levels may be empty now: searches need not start there.
    while (
      this.#level > 1 &&
      this.header.forward(this.#level - 1) === undefined
    ) {
      this.#level -= 1;
    }
    this.#length -= 1;
  }
  // #endregion delete

  // #region update-score
  /**
   * Gives `member` (now at `currentScore`) the score `newScore`, and
   * answers its node. Redis's `zslUpdateScore`: when the new score keeps
   * the node between its neighbours, as a small ZINCRBY often does, the
   * score changes in place, with no relinking. Otherwise the node comes
   * out and goes back in at its new place. It keeps its level: a level is
   * drawn regardless of the score, so it is as good as a new draw.
   */
  updateScore(
    member: string,
    currentScore: number,
    newScore: number,
  ): SkiplistNode {
    const update = this.#pathTo((node) => isBefore(node, currentScore, member));
    const node = update[0]!.next!;
    const previous = node.backward;
    const next = node.next;
    if (
      (previous === undefined || previous.score < newScore) &&
      (next === undefined || next.score > newScore)
    ) {
      node.score = newScore;
      return node;
    }
    this.#unlink(node, update);
    node.score = newScore;
    return this.#insertNode(node);
  }
  // #endregion update-score

  // #region rank
  /**
   * The rank of `member` with `score`, counted from 1 (the header's spans
   * lead to the first node in one step), or 0 if it is not here. The spans
   * crossed on the way down add up to it. Redis's `zslGetRank`.
   */
  rank(member: string, score: number): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined &&
        (next.score < score ||
          (next.score === score && compareMembers(next.member, member) <= 0));
        next = x.forward(i)
      ) {
        rank += x.span(i);
        x = next;
      }
      if (x !== this.header && x.score === score && x.member === member) {
        return rank;
      }
    }
    return 0;
  }

  /**
   * The node at `rank` (from 1), or undefined: spans tell how far each
   * link goes, so the walk takes a link only if it does not overshoot.
   * Redis's `zslGetElementByRank`.
   */
  nodeAtRank(rank: number): SkiplistNode | undefined {
    let traversed = 0;
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && traversed + x.span(i) <= rank;
        next = x.forward(i)
      ) {
        traversed += x.span(i);
        x = next;
      }
      if (traversed === rank) return x === this.header ? undefined : x;
    }
    return undefined;
  }
  // #endregion rank

  // #region range-ends
  /**
   * The first node with a score in `range`, or undefined. Redis's
   * `zslFirstInRange`: run along each level while the next node is still
   * below the range; the node after is the first at or above its minimum,
   * and in the range if it is not above the maximum.
   */
  firstInScoreRange(range: ScoreRange): SkiplistNode | undefined {
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && !scoreAboveMin(next.score, range);
        next = x.forward(i)
      ) {
        x = next;
      }
    }
    const first = x.next;
    return first !== undefined && scoreBelowMax(first.score, range)
      ? first
      : undefined;
  }

  /**
   * The last node with a score in `range`, or undefined: run along each
   * level while the next node is still in, or below, the range. Redis's
   * `zslLastInRange`.
   */
  lastInScoreRange(range: ScoreRange): SkiplistNode | undefined {
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && scoreBelowMax(next.score, range);
        next = x.forward(i)
      ) {
        x = next;
      }
    }
    return x !== this.header && scoreAboveMin(x.score, range) ? x : undefined;
  }
  // #endregion range-ends

  // #region lex-range-ends
  /**
   * The first node whose member is in `range`, by bytes. Meaningful when
   * every score is the same, so that the list is in byte order: Redis's
   * `zslFirstInLexRange`, which ZRANGEBYLEX documents that way.
   */
  firstInLexRange(range: LexRange): SkiplistNode | undefined {
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && !memberAboveMin(next.member, range);
        next = x.forward(i)
      ) {
        x = next;
      }
    }
    const first = x.next;
    return first !== undefined && memberBelowMax(first.member, range)
      ? first
      : undefined;
  }

  /** The last node whose member is in `range` (Redis's `zslLastInLexRange`). */
  lastInLexRange(range: LexRange): SkiplistNode | undefined {
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && memberBelowMax(next.member, range);
        next = x.forward(i)
      ) {
        x = next;
      }
    }
    return x !== this.header && memberAboveMin(x.member, range) ? x : undefined;
  }
  // #endregion lex-range-ends

  // #region delete-range
  /**
   * Removes the nodes with a score in `range`, calling `removed` with
   * each (the sorted set takes it out of its hash table); answers how
   * many. One way down to the first, then a walk along level 0: the path
   * stays right for each next node, since the one before it has just
   * gone. Redis's `zslDeleteRangeByScore`.
   */
  deleteScoreRange(
    range: ScoreRange,
    removed: (node: SkiplistNode) => void,
  ): number {
    const update = this.#pathTo((node) => !scoreAboveMin(node.score, range));
    return this.#deleteWhile(
      update,
      (node) => scoreBelowMax(node.score, range),
      removed,
    );
  }

  /** Removes the nodes whose member is in `range` (`zslDeleteRangeByLex`). */
  deleteLexRange(
    range: LexRange,
    removed: (node: SkiplistNode) => void,
  ): number {
    const update = this.#pathTo((node) => !memberAboveMin(node.member, range));
    return this.#deleteWhile(
      update,
      (node) => memberBelowMax(node.member, range),
      removed,
    );
  }

  /**
   * Removes the nodes at ranks `start` to `stop` (from 1, both included):
   * the path leads to rank `start`, found by spans as in `nodeAtRank`.
   * Redis's `zslDeleteRangeByRank`.
   */
  deleteRankRange(
    start: number,
    stop: number,
    removed: (node: SkiplistNode) => void,
  ): number {
    const update: SkiplistNode[] = [];
    let traversed = 0;
    let x = this.header;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (
        let next = x.forward(i);
        next !== undefined && traversed + x.span(i) < start;
        next = x.forward(i)
      ) {
        traversed += x.span(i);
        x = next;
      }
      update[i] = x;
    }
    // update[0] is at rank `traversed`: ranks up to `stop` follow it.
    return this.#deleteWhile(update, () => true, removed, stop - traversed);
  }

  /**
   * From the node after `update[0]`, removes nodes while `inRange` says
   * so, `most` of them at most.
   */
  #deleteWhile(
    update: readonly SkiplistNode[],
    inRange: (node: SkiplistNode) => boolean,
    removed: (node: SkiplistNode) => void,
    most = Infinity,
  ): number {
    let count = 0;
    let node = update[0]!.next;
    while (node !== undefined && count < most && inRange(node)) {
      const next = node.next;
      this.#unlink(node, update);
      removed(node);
      count += 1;
      node = next;
    }
    return count;
  }
  // #endregion delete-range
}
