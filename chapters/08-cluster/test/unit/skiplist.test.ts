/**
 * Unit tests for types/skiplist.ts. After thousands of seeded random
 * inserts, deletes and score changes, the structure must still be what
 * Redis's skiplist is: every span counts the level-0 steps its link jumps,
 * each level is the nodes tall enough for it in order, backward links
 * mirror level 0, the tail is the last node, and ranks, ranges and range
 * deletions agree with a plain sorted array. The levels are drawn from a
 * seeded generator, so a run is the same every time, statistics included.
 */
import { describe, expect, it } from "vitest";
import {
  Skiplist,
  SKIPLIST_MAX_LEVEL,
  type SkiplistNode,
} from "../../src/types/skiplist.ts";
import {
  memberAboveMin,
  memberBelowMax,
  scoreAboveMin,
  scoreBelowMax,
  type LexRange,
  type ScoreRange,
} from "../../src/types/score-range.ts";
import {
  compareEntries,
  type ScoredMember,
} from "../../src/types/sorted-set.ts";
import {
  seededRandom,
  type SeededRandom,
} from "../../../../shared/seeded-random.ts";

/** A number in [0, 1) from the seeded generator, as Math.random gives. */
function unitInterval(random: SeededRandom): () => number {
  return () => random.below(2 ** 32) / 2 ** 32;
}

/** Members of one to three bytes, bytes 0x80 and up included: many ties in byte order. */
function randomMember(random: SeededRandom): string {
  return random.bytes(1 + random.below(3)).toString("latin1");
}

/** Few distinct scores, so that many members share one and byte order decides. */
function randomScore(random: SeededRandom): number {
  return [-Infinity, -1.5, 0, 1, 2, 1e300, Infinity][random.below(7)]!;
}

/** The nodes on level 0, in order. */
function nodesOf(list: Skiplist): SkiplistNode[] {
  const nodes: SkiplistNode[] = [];
  for (let node = list.first; node; node = node.next) nodes.push(node);
  return nodes;
}

/** Fails unless `list` has every property of Redis's skiplist and holds `model`. */
function checkInvariants(list: Skiplist, model: readonly ScoredMember[]): void {
  const nodes = nodesOf(list);
  expect(nodes.map((node) => [node.member, node.score])).toEqual(model);
  expect(list.length).toBe(model.length);
  expect(list.last).toBe(nodes.at(-1));
  // Rank of each node, from 1; the header's is 0.
  const rankOf = new Map<SkiplistNode, number>([[list.header, 0]]);
  nodes.forEach((node, i) => rankOf.set(node, i + 1));
  const tallest = Math.max(1, ...nodes.map((node) => node.level));
  expect(list.level).toBe(tallest);
  expect(tallest).toBeLessThanOrEqual(SKIPLIST_MAX_LEVEL);
  const previous = nodes.map((node) => node.backward);
  expect(previous.every((node, i) => node === nodes[i - 1])).toBe(true);
  for (let level = 0; level < list.level; level++) {
    // The chain of this level: the header, then every node tall enough, in order.
    const chain = [list.header];
    for (let x = list.header.forward(level); x; x = x.forward(level)) {
      chain.push(x);
    }
    // Compared by rank: a node holds the whole list, too much to compare deeply.
    expect(chain.slice(1).map((node) => rankOf.get(node))).toEqual(
      nodes
        .filter((node) => node.level > level)
        .map((node) => rankOf.get(node)),
    );
    // A link to nothing spans the nodes left after it. (Gathered, then
    // compared once: thousands of expect() calls would be slow.)
    const steps = chain.map((x) => {
      const target = x.forward(level);
      return (
        (target === undefined ? list.length : rankOf.get(target)!) -
        rankOf.get(x)!
      );
    });
    expect(chain.map((x) => x.span(level))).toEqual(steps);
  }
  for (let level = list.level; level < SKIPLIST_MAX_LEVEL; level++) {
    expect(list.header.forward(level)).toBeUndefined();
  }
}

/** Builds a skiplist and its model from `steps` random writes. */
function randomlyBuilt(
  seed: number,
  steps: number,
): { list: Skiplist; model: ScoredMember[]; random: SeededRandom } {
  const random = seededRandom(seed);
  const list = new Skiplist(unitInterval(random));
  const model: ScoredMember[] = [];
  const scores = new Map<string, number>();
  for (let step = 0; step < steps; step++) {
    const member = randomMember(random);
    const old = scores.get(member);
    const score = randomScore(random);
    if (old === undefined) {
      list.insert(member, score);
      scores.set(member, score);
    } else if (random.below(2) === 0) {
      expect(list.delete(member, old)?.member).toBe(member);
      scores.delete(member);
    } else {
      const node = list.updateScore(member, old, score);
      expect(node.score).toBe(score);
      scores.set(member, score);
    }
  }
  for (const [member, score] of scores) model.push([member, score]);
  model.sort(compareEntries);
  return { list, model, random };
}

describe("Skiplist", () => {
  it("keeps every invariant through thousands of random inserts, deletes and score changes", () => {
    const random = seededRandom(7);
    const list = new Skiplist(unitInterval(random));
    const scores = new Map<string, number>();
    for (let step = 0; step < 6000; step++) {
      const member = randomMember(random);
      const old = scores.get(member);
      const score = randomScore(random);
      if (old === undefined) {
        expect(list.insert(member, score).member).toBe(member);
        scores.set(member, score);
      } else if (random.below(3) === 0) {
        expect(list.delete(member, old)?.member).toBe(member);
        expect(list.delete(member, old)).toBeUndefined();
        scores.delete(member);
      } else {
        list.updateScore(member, old, score);
        scores.set(member, score);
      }
      if (step % 200 === 0 || step === 5999) {
        const model = [...scores].sort(compareEntries);
        checkInvariants(list, model);
      }
    }
    expect(list.length).toBeGreaterThan(1000);
  });

  it("finds each member's rank and the member at each rank, from 1", () => {
    const { list, model } = randomlyBuilt(11, 4000);
    model.forEach(([member, score], i) => {
      expect(list.rank(member, score)).toBe(i + 1);
      expect(list.nodeAtRank(i + 1)?.member).toBe(member);
    });
    expect(list.nodeAtRank(0)).toBeUndefined();
    expect(list.nodeAtRank(model.length + 1)).toBeUndefined();
    const [member, score] = model.find(([, score]) => score === 1)!;
    expect(list.rank(member, 2)).toBe(0);
    expect(list.rank(`${member}\0`, score)).toBe(0);
  });

  it("changes a score in place when the node stays between its neighbours, and moves it otherwise", () => {
    const list = new Skiplist(unitInterval(seededRandom(3)));
    for (const [member, score] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const) {
      list.insert(member, score);
    }
    const b = list.nodeAtRank(2)!;
    expect(list.updateScore("b", 2, 2.5)).toBe(b);
    expect(nodesOf(list).map((node) => node.member)).toEqual(["a", "b", "c"]);
    // Moved past c: the same node, relinked.
    expect(list.updateScore("b", 2.5, 4)).toBe(b);
    checkInvariants(list, [
      ["a", 1],
      ["c", 3],
      ["b", 4],
    ]);
    // An equal score is no room in between: the member's bytes decide.
    list.updateScore("b", 4, 3);
    checkInvariants(list, [
      ["a", 1],
      ["b", 3],
      ["c", 3],
    ]);
  });

  it("finds the first and last node of score and lex ranges, bounds excluded or not", () => {
    const random = seededRandom(5);
    const list = new Skiplist(unitInterval(random));
    const model: ScoredMember[] = [];
    for (let i = 0; i < 500; i++) {
      const member = `m${String(i).padStart(3, "0")}`;
      const score = Math.floor(i / 10);
      list.insert(member, score);
      model.push([member, score]);
    }
    for (let trial = 0; trial < 300; trial++) {
      const range: ScoreRange = {
        min: random.below(60) - 5,
        max: random.below(60) - 5,
        minExclusive: random.below(2) === 0,
        maxExclusive: random.below(2) === 0,
      };
      const inRange = model.filter(
        ([, score]) =>
          scoreAboveMin(score, range) && scoreBelowMax(score, range),
      );
      expect(list.firstInScoreRange(range)?.member).toBe(inRange[0]?.[0]);
      expect(list.lastInScoreRange(range)?.member).toBe(inRange.at(-1)?.[0]);
    }
    // Members alone, as if every score were equal: the order is the same here.
    for (let trial = 0; trial < 300; trial++) {
      const bound = () => {
        const kind = random.below(10);
        if (kind === 0) return "-" as const;
        if (kind === 1) return "+" as const;
        return {
          member: `m${String(random.below(520)).padStart(3, "0")}`,
          exclusive: random.below(2) === 0,
        };
      };
      const range: LexRange = { min: bound(), max: bound() };
      const inRange = model.filter(
        ([member]) =>
          memberAboveMin(member, range) && memberBelowMax(member, range),
      );
      expect(list.firstInLexRange(range)?.member).toBe(inRange[0]?.[0]);
      expect(list.lastInLexRange(range)?.member).toBe(inRange.at(-1)?.[0]);
    }
  });

  it("deletes ranges by score and by rank, telling each node removed", () => {
    const { list, model, random } = randomlyBuilt(23, 3000);
    let current = model;
    for (let round = 0; round < 20 && current.length > 0; round++) {
      const removed: SkiplistNode[] = [];
      const remember = (node: SkiplistNode): void => {
        removed.push(node);
      };
      let kept: ScoredMember[];
      if (round % 2 === 0) {
        const range: ScoreRange = {
          min: randomScore(random),
          max: randomScore(random),
          minExclusive: random.below(2) === 0,
          maxExclusive: random.below(2) === 0,
        };
        expect(list.deleteScoreRange(range, remember)).toBe(removed.length);
        kept = current.filter(
          ([, score]) =>
            !(scoreAboveMin(score, range) && scoreBelowMax(score, range)),
        );
      } else {
        const start = 1 + random.below(current.length);
        const stop = start + random.below(current.length - start + 1);
        expect(list.deleteRankRange(start, stop, remember)).toBe(
          stop - start + 1,
        );
        kept = [...current.slice(0, start - 1), ...current.slice(stop)];
      }
      const gone = current.filter((entry) => !kept.includes(entry));
      expect(removed.map((node) => [node.member, node.score])).toEqual(gone);
      current = kept;
      checkInvariants(list, current);
    }
  });

  it("deletes ranges of members when every score is the same", () => {
    const random = seededRandom(29);
    const list = new Skiplist(unitInterval(random));
    const members = new Set<string>();
    for (let i = 0; i < 2000; i++) members.add(randomMember(random));
    for (const member of members) list.insert(member, 0);
    let current: ScoredMember[] = [...members]
      .map((member): ScoredMember => [member, 0])
      .sort(compareEntries);
    for (let round = 0; round < 20; round++) {
      const bound = (): LexRange["min"] =>
        random.below(8) === 0
          ? random.below(2) === 0
            ? "-"
            : "+"
          : { member: randomMember(random), exclusive: random.below(2) === 0 };
      const range: LexRange = { min: bound(), max: bound() };
      const removed: string[] = [];
      const count = list.deleteLexRange(range, (node) => {
        removed.push(node.member);
      });
      const inRange = ([member]: ScoredMember): boolean =>
        memberAboveMin(member, range) && memberBelowMax(member, range);
      expect(removed).toEqual(current.filter(inRange).map(([m]) => m));
      expect(count).toBe(removed.length);
      current = current.filter((entry) => !inRange(entry));
      checkInvariants(list, current);
    }
  });

  it("draws levels with p = 1/4: about a quarter of each level's nodes reach the next", () => {
    const list = new Skiplist(unitInterval(seededRandom(1)));
    for (let i = 0; i < 100_000; i++) list.insert(String(i), i);
    const atLeast = new Array<number>(SKIPLIST_MAX_LEVEL + 1).fill(0);
    for (const node of nodesOf(list)) {
      for (let level = 1; level <= node.level; level++) atLeast[level]! += 1;
    }
    expect(atLeast[1]).toBe(100_000);
    // Only levels with enough nodes for the ratio to mean something.
    for (let level = 1; atLeast[level]! >= 1000; level++) {
      const ratio = atLeast[level + 1]! / atLeast[level]!;
      expect(ratio).toBeGreaterThan(0.22);
      expect(ratio).toBeLessThan(0.28);
    }
    expect(list.level).toBeGreaterThanOrEqual(7);
    expect(list.level).toBeLessThanOrEqual(12);
  });

  it("caps levels at 32, even when every draw says go up", () => {
    const list = new Skiplist(() => 0);
    list.insert("a", 1);
    list.insert("b", 2);
    expect(list.level).toBe(SKIPLIST_MAX_LEVEL);
    expect(list.first!.level).toBe(SKIPLIST_MAX_LEVEL);
    checkInvariants(list, [
      ["a", 1],
      ["b", 2],
    ]);
    list.delete("a", 1);
    list.delete("b", 2);
    // Empty again: one level in use, as at the start.
    expect(list.level).toBe(1);
    checkInvariants(list, []);
  });
});
