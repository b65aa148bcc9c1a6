/**
 * Unit tests for the sorted set: types/sorted-set.ts and its listpack,
 * types/packed-scores.ts. The heart is a model test: random writes and
 * reads on a RedisSortedSet and on a plain sorted array side by side,
 * every answer compared, in both encodings and across the conversions
 * (small limits make them frequent), with the scores that break naive
 * code: infinities, both zeros, the smallest subnormal, 2^53 and its
 * neighbours, random doubles; and members with bytes 0x80 and up, where
 * byte order and UTF-16 order part. The model converts where Redis 7.0.15
 * converts (checked there with OBJECT ENCODING), and forgets the sign of
 * zero in a listpack as Redis does.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  compareEntries,
  RedisSortedSet,
  type ScoredMember,
  type SortedSetLimits,
} from "../../src/types/sorted-set.ts";
import { PackedScores } from "../../src/types/packed-scores.ts";
import {
  isEmptyLexRange,
  isEmptyScoreRange,
  memberAboveMin,
  memberBelowMax,
  scoreAboveMin,
  scoreBelowMax,
  type LexBound,
  type LexRange,
  type ScoreRange,
} from "../../src/types/score-range.ts";
import {
  seededRandom,
  type SeededRandom,
} from "../../../../shared/seeded-random.ts";

/** Redis's defaults: 128 members, 64 bytes. */
const DEFAULT_LIMITS: SortedSetLimits = {
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
};

/** Small limits, so that sets convert often. */
const SMALL_LIMITS: SortedSetLimits = {
  zsetMaxListpackEntries: 8,
  zsetMaxListpackValue: 3,
};

/** The scores that break naive code, and random doubles of every size. */
function randomScore(random: SeededRandom): number {
  const special = [
    -Infinity,
    Infinity,
    0,
    -0,
    5e-324,
    -5e-324,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 53 + 2,
    1,
    2,
    -1.5,
  ];
  const kind = random.below(4);
  if (kind < 2) return special[random.below(special.length)]!;
  if (kind === 2) return random.below(10) - 5;
  // Any double but NaN: eight random bytes, read as one.
  for (;;) {
    const value = random.bytes(8).readDoubleLE(0);
    if (!Number.isNaN(value)) return value;
  }
}

/** Members of 0 to 3 bytes from a small alphabet (NUL and bytes 0x80 and up among them), sometimes longer. */
function randomMember(random: SeededRandom): string {
  const alphabet = ["\x00", "a", "b", "\x80", "\xff"];
  const length = random.below(12) === 0 ? 4 + random.below(3) : random.below(4);
  let member = "";
  for (let i = 0; i < length; i++) member += alphabet[random.below(5)]!;
  return member;
}

function randomScoreRange(random: SeededRandom): ScoreRange {
  return {
    min: randomScore(random),
    max: randomScore(random),
    minExclusive: random.below(2) === 0,
    maxExclusive: random.below(2) === 0,
  };
}

function randomLexBound(random: SeededRandom): LexBound {
  const kind = random.below(10);
  if (kind === 0) return "-";
  if (kind === 1) return "+";
  return { member: randomMember(random), exclusive: random.below(2) === 0 };
}

/**
 * What the sorted set must hold: its entries in Redis's order, and the
 * encoding Redis would have it in.
 */
class Model {
  entries: ScoredMember[] = [];
  encoding: "listpack" | "skiplist";

  constructor(encoding: "listpack" | "skiplist") {
    this.encoding = encoding;
  }

  indexOf(member: string): number {
    return this.entries.findIndex(([m]) => m === member);
  }

  /** Redis's `zsetAdd`: a new member may convert a listpack first. */
  add(member: string, score: number, limits: SortedSetLimits): boolean {
    const index = this.indexOf(member);
    if (index === -1) {
      if (
        this.encoding === "listpack" &&
        (this.entries.length + 1 > limits.zsetMaxListpackEntries ||
          member.length > limits.zsetMaxListpackValue)
      ) {
        this.encoding = "skiplist";
      }
    } else {
      if (this.entries[index]![1] === score) return false;
      this.entries.splice(index, 1);
    }
    // A listpack stores -0 as the integer 0.
    const stored = this.encoding === "listpack" ? score + 0 : score;
    this.entries.push([member, stored]);
    this.entries.sort(compareEntries);
    return index === -1;
  }

  delete(member: string): boolean {
    const index = this.indexOf(member);
    if (index !== -1) this.entries.splice(index, 1);
    return index !== -1;
  }

  byScore(range: ScoreRange): ScoredMember[] {
    if (isEmptyScoreRange(range)) return [];
    return this.entries.filter(
      ([, score]) => scoreAboveMin(score, range) && scoreBelowMax(score, range),
    );
  }

  /**
   * Redis's walk for a lex range: nothing unless the last member is not
   * before the range and the first not after it; then, from one end, skip
   * to the first member that reaches the range and take members while
   * they are within it. In byte order, that is every member in range;
   * with mixed scores, it is what a listpack answers.
   */
  byLex(range: LexRange, reverse: boolean): ScoredMember[] {
    const entries = this.entries;
    if (isEmptyLexRange(range) || entries.length === 0) return [];
    if (
      !memberAboveMin(entries.at(-1)![0], range) ||
      !memberBelowMax(entries[0]![0], range)
    ) {
      return [];
    }
    const walk = reverse ? [...entries].reverse() : entries;
    const reaches = reverse ? memberBelowMax : memberAboveMin;
    const within = reverse ? memberAboveMin : memberBelowMax;
    const start = walk.findIndex(([member]) => reaches(member, range));
    if (start === -1) return [];
    const taken: ScoredMember[] = [];
    for (const entry of walk.slice(start)) {
      if (!within(entry[0], range)) break;
      taken.push(entry);
    }
    return taken;
  }

  /** Whether the members are in byte order, as when every score is equal. */
  inByteOrder(): boolean {
    return this.entries.every(
      ([member], i) => i === 0 || this.entries[i - 1]![0] < member,
    );
  }

  /** Redis's `zsetConvertToListpackIfNeeded`. */
  compactIfSmall(limits: SortedSetLimits): void {
    if (
      this.encoding === "skiplist" &&
      this.entries.length <= limits.zsetMaxListpackEntries &&
      this.entries.every(
        ([member]) => member.length <= limits.zsetMaxListpackValue,
      )
    ) {
      this.encoding = "listpack";
      this.entries = this.entries.map(([member, score]) => [member, score + 0]);
    }
  }
}

/** Fails unless `set` holds what `model` says, in its encoding. */
function expectSame(set: RedisSortedSet, model: Model): void {
  expect(set.encoding).toBe(model.encoding);
  expect(set.size).toBe(model.entries.length);
  expect([...set.entries()]).toEqual(model.entries);
}

/** One run of the model test. */
interface ModelRun {
  seed: number;
  steps: number;
  limits: SortedSetLimits;
  /** The encoding the set starts in. */
  start: "listpack" | "skiplist";
  /** Every member the same score: byte order is the whole order, and lex ranges mean what they say. */
  oneScore: boolean;
  /** Steps of adding, then as many of removing, and again. */
  wave: number;
}

/** Random operations on a sorted set and its model, every answer compared. */
function runModel(run: ModelRun): void {
  const { limits, oneScore, wave } = run;
  const random = seededRandom(run.seed);
  const set = new RedisSortedSet(run.start);
  const model = new Model(run.start);
  const scoreOf = (): number => (oneScore ? 7 : randomScore(random));
  for (let step = 0; step < run.steps; step++) {
    const size = model.entries.length;
    // In waves: steps that mostly add, then steps that mostly remove
    // members there, so that the set grows past the limits, shrinks back
    // below them, and converts both ways.
    const removing = Math.floor(step / wave) % 2 === 1;
    const member =
      removing && size > 0
        ? model.entries[random.below(size)]![0]
        : randomMember(random);
    let operation = random.below(14);
    if (removing && operation < 4) operation = 4; // a delete
    if (!removing && operation >= 9 && operation <= 11) operation = 0; // an add
    switch (operation) {
      case 0:
      case 1:
      case 2: {
        const score = scoreOf();
        expect(set.add(member, score, limits)).toBe(
          model.add(member, score, limits),
        );
        break;
      }
      case 3: {
        // ZINCRBY: the score read (0 for a new member), then the sum
        // written, unless it is NaN.
        const old = set.score(member);
        const increment = oneScore ? (old === undefined ? 7 : 0) : scoreOf();
        const sum = (old ?? 0) + increment;
        if (!Number.isNaN(sum)) {
          expect(set.add(member, sum, limits)).toBe(
            model.add(member, sum, limits),
          );
        }
        break;
      }
      case 4:
        expect(set.delete(member)).toBe(model.delete(member));
        break;
      case 5: {
        const index = model.indexOf(member);
        expect(set.rank(member)).toBe(index === -1 ? undefined : index);
        expect(set.score(member)).toBe(model.entries[index]?.[1]);
        expect(set.has(member)).toBe(index !== -1);
        break;
      }
      case 6: {
        if (size === 0) break;
        const from = random.below(size);
        const to = from + random.below(size - from);
        const reverse = random.below(2) === 0;
        const expected = reverse
          ? [...model.entries].reverse().slice(from, to + 1)
          : model.entries.slice(from, to + 1);
        expect([...set.byRank(from, to, reverse)]).toEqual(expected);
        break;
      }
      case 7: {
        const range = randomScoreRange(random);
        const expected = model.byScore(range);
        expect([...set.byScore(range, false)]).toEqual(expected);
        expect([...set.byScore(range, true)]).toEqual([...expected].reverse());
        expect(set.countByScore(range)).toBe(expected.length);
        break;
      }
      case 8: {
        const range = {
          min: randomLexBound(random),
          max: randomLexBound(random),
        };
        // A skiplist's lex walk depends on its levels when the members are
        // not in byte order, in Redis too: nothing to compare then.
        if (model.encoding === "skiplist" && !model.inByteOrder()) break;
        expect([...set.byLex(range, false)]).toEqual(model.byLex(range, false));
        expect([...set.byLex(range, true)]).toEqual(model.byLex(range, true));
        expect(set.countByLex(range)).toBe(model.byLex(range, false).length);
        break;
      }
      case 9: {
        if (size === 0) break;
        const from = random.below(size);
        const to = from + random.below(Math.min(3, size - from));
        expect(set.deleteByRank(from, to)).toBe(to - from + 1);
        model.entries.splice(from, to - from + 1);
        break;
      }
      case 10: {
        const range = randomScoreRange(random);
        const gone = model.byScore(range);
        // Narrow ranges mostly, or the set would rarely grow.
        if (gone.length > 3) break;
        expect(set.deleteByScore(range)).toBe(gone.length);
        model.entries = model.entries.filter((entry) => !gone.includes(entry));
        break;
      }
      case 11: {
        const range = {
          min: randomLexBound(random),
          max: randomLexBound(random),
        };
        if (model.encoding === "skiplist" && !model.inByteOrder()) break;
        const gone = model.byLex(range, false);
        if (gone.length > 3) break;
        expect(set.deleteByLex(range)).toBe(gone.length);
        model.entries = model.entries.filter((entry) => !gone.includes(entry));
        break;
      }
      case 12:
        // As a *STORE command does with its result.
        set.compactIfSmall(limits);
        model.compactIfSmall(limits);
        break;
      case 13: {
        const copy = set.clone();
        expectSame(copy, model);
        // The copy shares nothing that changes.
        copy.add(member, 1, limits);
        copy.delete(model.entries[0]?.[0] ?? "");
        break;
      }
    }
    expectSame(set, model);
  }
}

describe("RedisSortedSet against a sorted array", () => {
  // Math.random draws the skiplists' levels and the random picks: seeded
  // here, so that every run builds the very same structures.
  beforeEach(() => {
    const random = seededRandom(99);
    vi.spyOn(Math, "random").mockImplementation(
      () => random.below(2 ** 32) / 2 ** 32,
    );
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const small = { steps: 1500, limits: SMALL_LIMITS, wave: 150 };
  const large = { steps: 2400, limits: DEFAULT_LIMITS, wave: 600 };

  it("agrees on every answer through random writes, converting as Redis does (small limits)", () => {
    for (const seed of [1, 2, 3]) {
      runModel({ ...small, seed, start: "listpack", oneScore: false });
    }
  });

  it("agrees when every score is the same, lex ranges and their deletions included", () => {
    for (const seed of [4, 5]) {
      runModel({ ...small, seed, start: "listpack", oneScore: true });
    }
  });

  it("agrees as a listpack, and as a skiplist of a hundred members, with Redis's limits", () => {
    runModel({ ...large, seed: 6, start: "listpack", oneScore: false });
    runModel({ ...large, seed: 7, start: "skiplist", oneScore: false });
    runModel({ ...large, seed: 8, start: "skiplist", oneScore: true });
  });
});

describe("RedisSortedSet: the encodings, as Redis 7.0.15 converts", () => {
  it("converts at the member past zset-max-listpack-entries, not at the limit", () => {
    const limits = { ...DEFAULT_LIMITS, zsetMaxListpackEntries: 3 };
    const set = new RedisSortedSet();
    for (const [member, score] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const) {
      set.add(member, score, limits);
    }
    expect(set.encoding).toBe("listpack");
    set.add("d", 4, limits);
    expect(set.encoding).toBe("skiplist");
    expect([...set.entries()]).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
      ["d", 4],
    ]);
  });

  it("converts for a member longer than zset-max-listpack-value, not for one that long", () => {
    const set = new RedisSortedSet();
    set.add("m".repeat(64), 1, DEFAULT_LIMITS);
    expect(set.encoding).toBe("listpack");
    set.add("m".repeat(65), 2, DEFAULT_LIMITS);
    expect(set.encoding).toBe("skiplist");
    // And at once, when the first member is that long: ZADD's own choice.
    const first = new RedisSortedSet();
    first.add("m".repeat(65), 1, DEFAULT_LIMITS);
    expect(first.encoding).toBe("skiplist");
    // zset-max-listpack-entries 0 makes every set a skiplist.
    const none = new RedisSortedSet();
    none.add("a", 1, { ...DEFAULT_LIMITS, zsetMaxListpackEntries: 0 });
    expect(none.encoding).toBe("skiplist");
  });

  it("does not convert for a new score, even under limits lowered since; the next new member converts", () => {
    const set = new RedisSortedSet();
    for (const member of ["ab", "cd", "ef"]) set.add(member, 1, DEFAULT_LIMITS);
    const lowered = { zsetMaxListpackEntries: 1, zsetMaxListpackValue: 1 };
    expect(set.add("ab", 10, lowered)).toBe(false);
    expect(set.delete("cd")).toBe(true);
    expect(set.encoding).toBe("listpack");
    expect(set.add("g", 1, lowered)).toBe(true);
    expect(set.encoding).toBe("skiplist");
  });

  it("never converts back by itself: a skiplist emptied down to one member stays one", () => {
    const limits = { ...DEFAULT_LIMITS, zsetMaxListpackEntries: 2 };
    const set = new RedisSortedSet();
    for (const member of ["a", "b", "c"]) set.add(member, 1, limits);
    expect(set.deleteByRank(0, 1)).toBe(2);
    expect(set.encoding).toBe("skiplist");
    set.add("a", 5, DEFAULT_LIMITS);
    expect(set.encoding).toBe("skiplist");
  });

  it("converts to a skiplist when asked (SORT does, even SORT_RO), whatever the limits", () => {
    const set = new RedisSortedSet();
    set.add("a", 1, DEFAULT_LIMITS);
    set.add("b", -0, DEFAULT_LIMITS);
    set.convertToSkiplist();
    expect(set.encoding).toBe("skiplist");
    expect([...set.entries()]).toEqual([
      ["b", 0],
      ["a", 1],
    ]);
    set.convertToSkiplist();
    expect(set.encoding).toBe("skiplist");
    expect(set.rank("a")).toBe(1);
  });

  it("compacts a *STORE result when it fits, every member short enough and few enough of them", () => {
    const build = (members: string[]): RedisSortedSet => {
      const set = new RedisSortedSet("skiplist");
      members.forEach((member, i) => set.add(member, i, DEFAULT_LIMITS));
      return set;
    };
    const small = build(["a", "m".repeat(64)]);
    small.compactIfSmall(DEFAULT_LIMITS);
    expect(small.encoding).toBe("listpack");
    expect([...small.entries()]).toEqual([
      ["a", 0],
      ["m".repeat(64), 1],
    ]);
    const long = build(["a", "m".repeat(65)]);
    long.compactIfSmall(DEFAULT_LIMITS);
    expect(long.encoding).toBe("skiplist");
    const many = build(["a", "b", "c"]);
    many.compactIfSmall({ ...DEFAULT_LIMITS, zsetMaxListpackEntries: 2 });
    expect(many.encoding).toBe("skiplist");
    many.compactIfSmall({ ...DEFAULT_LIMITS, zsetMaxListpackEntries: 3 });
    expect(many.encoding).toBe("listpack");
  });

  it("forgets the sign of zero in a listpack, not in a skiplist", () => {
    const packed = new RedisSortedSet();
    packed.add("m", -0, DEFAULT_LIMITS);
    expect(Object.is(packed.score("m"), 0)).toBe(true);
    const skiplist = new RedisSortedSet("skiplist");
    skiplist.add("m", -0, DEFAULT_LIMITS);
    expect(Object.is(skiplist.score("m"), -0)).toBe(true);
    // 0 and -0 are the same score: no change, either way.
    skiplist.add("m", 0, DEFAULT_LIMITS);
    expect(Object.is(skiplist.score("m"), -0)).toBe(true);
    skiplist.compactIfSmall(DEFAULT_LIMITS);
    expect(Object.is(skiplist.score("m"), 0)).toBe(true);
  });
});

describe("RedisSortedSet: random picks, scans and copies", () => {
  /** A set of `count` members m0, m1... scored 0, 1..., in `encoding`. */
  function numbered(count: number, encoding: "listpack" | "skiplist") {
    const set = new RedisSortedSet(encoding);
    for (let i = 0; i < count; i++) set.add(`m${i}`, i, DEFAULT_LIMITS);
    return set;
  }

  it("picks members that are there, with their scores, distinct when asked", () => {
    for (const [count, encoding] of [
      [20, "listpack"],
      [20, "skiplist"],
      [1000, "skiplist"],
    ] as const) {
      const set = numbered(count, encoding);
      const [member, score] = set.randomEntry();
      expect(set.score(member)).toBe(score);
      const picks = set.randomEntries(50);
      expect(picks).toHaveLength(50);
      for (const [m, s] of picks) expect(set.score(m)).toBe(s);
      // Few of many (random picks) and many of few (one walk).
      for (const wanted of [3, count - 1]) {
        const distinct = set.distinctRandomEntries(wanted);
        expect(new Set(distinct.map(([m]) => m)).size).toBe(wanted);
        for (const [m, s] of distinct) expect(set.score(m)).toBe(s);
      }
    }
  });

  it("scans a listpack whole in one step, and a skiplist's table bucket by bucket, every member once", () => {
    const packed = numbered(10, "listpack");
    const seen: ScoredMember[] = [];
    expect(packed.scan(12345, (m, s) => seen.push([m, s]))).toBe(0);
    expect(seen).toEqual([...packed.entries()]);

    const big = numbered(500, "skiplist");
    const scores = new Map<string, number>();
    let cursor = 0;
    let steps = 0;
    do {
      cursor = big.scan(cursor, (m, s) => scores.set(m, s));
      steps += 1;
    } while (cursor !== 0);
    expect(steps).toBeGreaterThan(1);
    expect([...scores].sort(compareEntries)).toEqual([...big.entries()]);
  });

  it("copies share nothing that changes, in either encoding", () => {
    for (const encoding of ["listpack", "skiplist"] as const) {
      const set = numbered(5, encoding);
      const copy = set.clone();
      expect(copy.encoding).toBe(encoding);
      copy.add("m0", 100, DEFAULT_LIMITS);
      copy.delete("m1");
      expect([...set.entries()]).toEqual([...numbered(5, encoding).entries()]);
      expect(copy.score("m0")).toBe(100);
      expect(copy.has("m1")).toBe(false);
    }
  });
});

describe("PackedScores", () => {
  it("keeps its entries in order, equal scores in byte order, bytes 0x80 and up after ASCII", () => {
    const packed = new PackedScores();
    expect(packed.set("b", 1)).toBe(true);
    expect(packed.set("\xff", 1)).toBe(true);
    expect(packed.set("a", 1)).toBe(true);
    expect(packed.set("z", -Infinity)).toBe(true);
    expect(packed.set("z", Infinity)).toBe(false);
    expect(packed.set("z", Infinity)).toBe(false);
    expect([...packed.entries()]).toEqual([
      ["a", 1],
      ["b", 1],
      ["\xff", 1],
      ["z", Infinity],
    ]);
    expect([...packed.reversedEntries()]).toEqual(
      [...packed.entries()].reverse(),
    );
    expect(packed.rank("\xff")).toBe(2);
    expect(packed.score("c")).toBeUndefined();
  });

  it("reads back every double exactly, and members of every length", () => {
    const random = seededRandom(41);
    const packed = new PackedScores();
    const expected = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const member = "x".repeat(i) + String(i);
      const score = random.bytes(8).readDoubleLE(0);
      if (Number.isNaN(score)) continue;
      packed.set(member, score);
      expected.set(member, score + 0);
    }
    packed.set("long", 1);
    packed.set("x".repeat(70_000), 2);
    expected.set("long", 1).set("x".repeat(70_000), 2);
    for (const [member, score] of expected) {
      expect(packed.score(member)).toBe(score);
    }
    expect([...packed.copiedEntries()]).toEqual(
      [...expected].sort(compareEntries),
    );
  });

  it("deletes a run of ranks in one cut, and gives the ranks between two", () => {
    const packed = PackedScores.fromOrdered(
      ["a", "b", "c", "d", "e"].map((member, i): ScoredMember => [member, i]),
    );
    expect([...packed.between(1, 3, false)].map(([m]) => m)).toEqual([
      "b",
      "c",
      "d",
    ]);
    expect([...packed.between(1, 3, true)].map(([m]) => m)).toEqual([
      "d",
      "c",
      "b",
    ]);
    packed.deleteRange(1, 3);
    expect(packed.size).toBe(2);
    expect([...packed.entries()]).toEqual([
      ["a", 0],
      ["e", 4],
    ]);
  });
});
