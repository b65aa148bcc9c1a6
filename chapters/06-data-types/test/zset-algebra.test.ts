/**
 * Article step "zset-algebra": the commands that combine sorted sets
 * (ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE,
 * ZINTERCARD) with Redis 7.0.15's replies and errors, in the order Redis
 * checks them: numkeys, WEIGHTS, AGGREGATE, WITHSCORES and LIMIT; plain
 * sets as inputs, their members scored 1; Redis's arithmetic, NaN
 * included, and the order in which it adds; what a *STORE does to its
 * destination, and the encoding it stores (OBJECT ENCODING, with
 * zset-max-listpack-* changed by CONFIG SET and put back after each
 * test); the AOF; COMMAND INFO, GETKEYS and DOCS.
 *
 * Every reply is compared exactly: a sorted set's order is by score, then
 * by member, in both servers. Through ioredis in the project's protocol,
 * and over a raw socket where the bytes differ between RESP2 and RESP3.
 * Each test makes its own keys under a random prefix: the tests share a
 * server (a real Redis one under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  clientWithList,
  encodingOf,
  errorOf,
  keysForThisTest,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
  withConfig,
  WRONGTYPE,
} from "./client-helpers.ts";
import { commandDocs, docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import {
  aofBytes,
  aofCommands,
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";
import { contentsOf, scored, scoresAndMembers } from "./zset-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

const NOT_A_WEIGHT = "ERR weight value is not a float";
const NEGATIVE_LIMIT = "ERR LIMIT can't be negative";

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

/** Two sorted sets to combine: a = {x:1, y:2, z:3}, b = {y:10, z:20, w:30}. */
async function twoSortedSets(redis: Redis, key: (name: string) => string) {
  await redis.zadd(key("a"), 1, "x", 2, "y", 3, "z");
  await redis.zadd(key("b"), 10, "y", 20, "z", 30, "w");
  return { a: key("a"), b: key("b") };
}

describe("ZUNION, ZINTER and ZDIFF", () => {
  it("ZUNION: every member once, its scores added; by score, then by member", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    expect(await scored(redis, "ZUNION", "2", a, b, "WITHSCORES")).toEqual([
      ["x", "1"],
      ["y", "12"],
      ["z", "23"],
      ["w", "30"],
    ]);
    expect(await redis.call("ZUNION", "2", a, b)).toEqual(["x", "y", "z", "w"]);
    await redis.zadd(key("ties"), 5, "b", 5, "B", 5, "a", 1, "c");
    expect(await redis.call("ZUNION", "1", key("ties"))).toEqual([
      "c",
      "B",
      "a",
      "b",
    ]);
  });

  it("ZINTER: the members every input has; a missing key makes it empty", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    expect(await scored(redis, "ZINTER", "2", a, b, "WITHSCORES")).toEqual([
      ["y", "12"],
      ["z", "23"],
    ]);
    expect(await redis.call("ZINTER", "1", a)).toEqual(["x", "y", "z"]);
    expect(await redis.call("ZINTER", "2", a, key("none"))).toEqual([]);
    expect(await redis.call("ZUNION", "2", key("none"), a)).toEqual([
      "x",
      "y",
      "z",
    ]);
  });

  it("ZDIFF: the first input's members that no other has, with their own scores", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    expect(await scored(redis, "ZDIFF", "2", a, b, "WITHSCORES")).toEqual([
      ["x", "1"],
    ]);
    expect(await scored(redis, "ZDIFF", "2", b, a, "WITHSCORES")).toEqual([
      ["w", "30"],
    ]);
    expect(await redis.call("ZDIFF", "2", a, key("none"))).toEqual([
      "x",
      "y",
      "z",
    ]);
    expect(await redis.call("ZDIFF", "2", key("none"), a)).toEqual([]);
    expect(await redis.call("ZDIFF", "3", a, b, a)).toEqual([]);
  });

  it("ZDIFF gives the same answer whichever of its two algorithms Redis picks", async () => {
    const { redis, key } = await setUp();
    // A small first set and a big other: member by member. Many small
    // others and a big first set: copy and remove.
    await redis.zadd(key("small"), 1, "m1", 2, "m2", 0, "keep");
    await redis.zadd(key("big"), ...scoresAndMembers(200));
    expect(await redis.call("ZDIFF", "2", key("small"), key("big"))).toEqual([
      "keep",
    ]);
    const others = ["o1", "o2", "o3", "o4", "o5"].map(key);
    for (const [i, other] of others.entries()) {
      await redis.zadd(other, 0, `m${i + 1}`);
    }
    const left = (await redis.call(
      "ZDIFF",
      String(1 + others.length),
      key("big"),
      ...others,
    )) as string[];
    expect(left).toHaveLength(195);
    expect(left.slice(0, 2)).toEqual(["m6", "m7"]);
  });

  it("the same key named twice: counted twice, and nothing is left of a difference", async () => {
    const { redis, key } = await setUp();
    const { a } = await twoSortedSets(redis, key);
    expect(await scored(redis, "ZUNION", "2", a, a, "WITHSCORES")).toEqual([
      ["x", "2"],
      ["y", "4"],
      ["z", "6"],
    ]);
    expect(
      await scored(
        redis,
        "ZINTER",
        "2",
        a,
        a,
        "WEIGHTS",
        "1",
        "-3",
        "WITHSCORES",
      ),
    ).toEqual([
      ["z", "-6"],
      ["y", "-4"],
      ["x", "-2"],
    ]);
    expect(await redis.call("ZDIFF", "2", a, a)).toEqual([]);
  });

  it("sets take part too, each member scored 1; an intset's members as their text", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 5, "1", 7, "x", 9, "01");
    await redis.sadd(key("ints"), "1", "2");
    await redis.sadd(key("words"), "x", "q");
    expect(
      await scored(
        redis,
        "ZUNION",
        "3",
        key("z"),
        key("ints"),
        key("words"),
        "WITHSCORES",
      ),
    ).toEqual([
      ["2", "1"],
      ["q", "1"],
      ["1", "6"],
      ["x", "8"],
      ["01", "9"],
    ]);
    expect(
      await scored(redis, "ZINTER", "2", key("ints"), key("z"), "WITHSCORES"),
    ).toEqual([["1", "6"]]);
    expect(
      await scored(redis, "ZDIFF", "2", key("words"), key("z"), "WITHSCORES"),
    ).toEqual([["q", "1"]]);
    expect(await redis.call("ZDIFF", "2", key("z"), key("ints"))).toEqual([
      "x",
      "01",
    ]);
    expect(
      await scored(
        redis,
        "ZUNION",
        "1",
        key("words"),
        "WEIGHTS",
        "2.5",
        "WITHSCORES",
      ),
    ).toEqual([
      ["q", "2.5"],
      ["x", "2.5"],
    ]);
  });
});

describe("WEIGHTS and AGGREGATE", () => {
  it("WEIGHTS multiply each input's scores; AGGREGATE MIN and MAX keep one score, SUM is the default", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    const weighted = ["WEIGHTS", "2", "0.5"];
    expect(
      await scored(redis, "ZUNION", "2", a, b, ...weighted, "WITHSCORES"),
    ).toEqual([
      ["x", "2"],
      ["y", "9"],
      ["w", "15"],
      ["z", "16"],
    ]);
    expect(
      await scored(
        redis,
        "ZUNION",
        "2",
        a,
        b,
        ...weighted,
        "AGGREGATE",
        "MIN",
        "WITHSCORES",
      ),
    ).toEqual([
      ["x", "2"],
      ["y", "4"],
      ["z", "6"],
      ["w", "15"],
    ]);
    expect(
      await scored(
        redis,
        "ZINTER",
        "2",
        a,
        b,
        ...weighted,
        "aggregate",
        "max",
        "withscores",
      ),
    ).toEqual([
      ["y", "5"],
      ["z", "10"],
    ]);
    expect(
      await scored(
        redis,
        "ZINTER",
        "2",
        a,
        b,
        "AGGREGATE",
        "SUM",
        "WITHSCORES",
      ),
    ).toEqual([
      ["y", "12"],
      ["z", "23"],
    ]);
  });

  it("options come in any order, any number of times: the last one counts", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    expect(
      await scored(
        redis,
        ...["ZINTER", "2", a, b, "WITHSCORES", "AGGREGATE", "MIN"],
        ...["WEIGHTS", "5", "5", "WEIGHTS", "1", "-1", "AGGREGATE", "SUM"],
        "WITHSCORES",
      ),
    ).toEqual([
      ["z", "-17"],
      ["y", "-8"],
    ]);
  });

  it.each([
    ["inf", "inf"],
    ["-INF", "-inf"],
    ["+Infinity", "inf"],
    ["0x10", "16"],
    ["0x1p-1", "0.5"],
    ["1e1", "10"],
    [".5", "0.5"],
    ["5.", "5"],
    ["+1.5", "1.5"],
    ["-0.1", "-0.10000000000000001"],
  ])("a weight is read as ZADD reads a score: %j", async (weight, score) => {
    const { redis, key } = await setUp();
    await redis.zadd(key("one"), 1, "m");
    expect(
      await scored(
        redis,
        "ZUNION",
        "1",
        key("one"),
        "WEIGHTS",
        weight,
        "WITHSCORES",
      ),
    ).toEqual([["m", score]]);
  });

  it.each([
    "nan",
    "-nan",
    "",
    " 1",
    "1 ",
    "1e400",
    "1e-400",
    "abc",
    "1e",
    "0x",
    "1,5",
  ])("a weight that is no float: %j", async (weight) => {
    const { redis, key } = await setUp();
    await redis.zadd(key("one"), 1, "m");
    expect(
      await errorOf(redis.call("ZUNION", "1", key("one"), "WEIGHTS", weight)),
    ).toBe(NOT_A_WEIGHT);
  });

  it("a NaN never comes out: 0 × inf is 0, and so is inf + -inf", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("i"), "inf", "p", "-inf", "n", 5, "f");
    await redis.zadd(key("j"), "-inf", "p", "inf", "n", 1, "f");
    expect(
      await scored(
        redis,
        "ZUNION",
        "1",
        key("i"),
        "WEIGHTS",
        "0",
        "WITHSCORES",
      ),
    ).toEqual([
      ["f", "0"],
      ["n", "0"],
      ["p", "0"],
    ]);
    expect(
      await scored(redis, "ZINTER", "2", key("i"), key("j"), "WITHSCORES"),
    ).toEqual([
      ["n", "0"],
      ["p", "0"],
      ["f", "6"],
    ]);
    expect(
      await scored(
        redis,
        "ZUNION",
        "2",
        key("i"),
        key("j"),
        "AGGREGATE",
        "MIN",
        "WITHSCORES",
      ),
    ).toEqual([
      ["n", "-inf"],
      ["p", "-inf"],
      ["f", "1"],
    ]);
  });

  it("ZINTER's MIN and MAX ignore a NaN from any input but the smallest; ZUNION makes each 0", async () => {
    const { redis, key } = await setUp();
    // Of two inputs of one size, the first named is walked, and only the
    // walked one's weighted scores are cleaned of NaN.
    await redis.zadd(key("plus"), "inf", "m");
    await redis.zadd(key("minus"), "-inf", "m");
    // Two inputs, weighted, AGGREGATE MAX.
    const max = (
      command: string,
      first: string,
      second: string,
      ...weights: string[]
    ) =>
      scored(
        redis,
        command,
        "2",
        first,
        second,
        "WEIGHTS",
        ...weights,
        "AGGREGATE",
        "MAX",
        "WITHSCORES",
      );
    const [plus, minus] = [key("plus"), key("minus")];
    expect(await max("ZINTER", plus, minus, "0", "1")).toEqual([["m", "0"]]);
    expect(await max("ZINTER", minus, plus, "1", "0")).toEqual([["m", "-inf"]]);
    expect(await max("ZUNION", minus, plus, "1", "0")).toEqual([["m", "0"]]);
    // A smaller input is walked first, whatever the order named.
    await redis.zadd(key("bigger"), "-inf", "m", 0, "other");
    expect(await max("ZINTER", key("bigger"), plus, "1", "0")).toEqual([
      ["m", "0"],
    ]);
  });

  it("scores are added from the smallest input to the largest, whatever the order named", async () => {
    const { redis, key } = await setUp();
    // In the order named, 1e16 + -1e16 + 1 would be 1. From the smallest
    // input up it is 1e16 + 1 (which rounds to 1e16) + -1e16: 0.
    await redis.zadd(key("big"), "1e16", "m");
    await redis.zadd(key("minus"), "-1e16", "m", 0, "p", 0, "q");
    await redis.zadd(key("one"), 1, "m", 0, "p");
    const inputs = [key("big"), key("minus"), key("one")];
    expect(await scored(redis, "ZUNION", "3", ...inputs, "WITHSCORES")).toEqual(
      [
        ["m", "0"],
        ["p", "0"],
        ["q", "0"],
      ],
    );
    expect(await scored(redis, "ZINTER", "3", ...inputs, "WITHSCORES")).toEqual(
      [["m", "0"]],
    );
  });
});

describe("ZINTERCARD", () => {
  it("counts the intersection, stopping at LIMIT (0 is none; the last one counts)", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("a"), ...scoresAndMembers(10));
    await redis.zadd(key("b"), ...scoresAndMembers(6), 0, "other");
    await redis.sadd(key("s"), "m1", "m2", "m3", "x");
    const card = (...rest: string[]) => redis.call("ZINTERCARD", ...rest);
    expect(await card("2", key("a"), key("b"))).toBe(6);
    expect(await card("3", key("a"), key("b"), key("s"))).toBe(3);
    expect(await card("2", key("a"), key("b"), "LIMIT", "4")).toBe(4);
    expect(await card("2", key("a"), key("b"), "LIMIT", "0")).toBe(6);
    expect(await card("2", key("a"), key("b"), "limit", "100")).toBe(6);
    expect(
      await card("2", key("a"), key("b"), "LIMIT", "1", "LIMIT", "5"),
    ).toBe(5);
    expect(await card("2", key("a"), key("none"))).toBe(0);
    expect(await card("1", key("a"))).toBe(10);
  });

  it("LIMIT must be an integer of 0 or more; no other option is taken", async () => {
    const { redis, key, list } = await setUp();
    await redis.zadd(key("a"), 1, "m");
    const card = (...rest: string[]) =>
      errorOf(redis.call("ZINTERCARD", ...rest));
    expect(await card("1", key("a"), "LIMIT", "-1")).toBe(NEGATIVE_LIMIT);
    expect(await card("1", key("a"), "LIMIT", "x")).toBe(NEGATIVE_LIMIT);
    expect(await card("1", key("a"), "LIMIT")).toBe(SYNTAX_ERROR);
    expect(await card("1", key("a"), "WITHSCORES")).toBe(SYNTAX_ERROR);
    expect(await card("1", key("a"), "WEIGHTS", "1")).toBe(SYNTAX_ERROR);
    expect(await card("1", key("a"), "AGGREGATE", "SUM")).toBe(SYNTAX_ERROR);
    expect(await card("1", list, "LIMIT", "-1")).toBe(WRONGTYPE);
    expect(await card("0", key("a"))).toBe(
      "ERR at least 1 input key is needed for 'zintercard' command",
    );
  });
});

describe("Redis's errors, in its order of checks", () => {
  it.each([
    ["ZUNION", "zunion"],
    ["zinter", "zinter"],
    ["ZDiff", "zdiff"],
  ])(
    "%s: numkeys first, then every key's type, then the options",
    async (name, lower) => {
      const { redis, key, list } = await setUp();
      await redis.zadd(key("a"), 1, "m");
      const run = (...rest: string[]) => errorOf(redis.call(name, ...rest));
      expect(await run("x", key("a"))).toBe(NOT_AN_INTEGER);
      expect(await run("1.0", key("a"))).toBe(NOT_AN_INTEGER);
      expect(await run("9223372036854775808", key("a"))).toBe(NOT_AN_INTEGER);
      for (const numkeys of ["0", "-1"]) {
        expect(await run(numkeys, key("a"))).toBe(
          `ERR at least 1 input key is needed for '${lower}' command`,
        );
      }
      expect(await run("2", key("a"))).toBe(SYNTAX_ERROR);
      expect(await run("9223372036854775807", key("a"))).toBe(SYNTAX_ERROR);
      expect(await run("2", key("a"), list)).toBe(WRONGTYPE);
      expect(await run("2", key("none"), list, "BOGUS")).toBe(WRONGTYPE);
      expect(await run("1", key("a"), "BOGUS")).toBe(SYNTAX_ERROR);
    },
  );

  it("WEIGHTS needs one weight per input, AGGREGATE one of SUM, MIN, MAX", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    const union = (...rest: string[]) =>
      errorOf(redis.call("ZUNION", "2", a, b, ...rest));
    expect(await union("WEIGHTS", "1")).toBe(SYNTAX_ERROR);
    expect(await union("WEIGHTS")).toBe(SYNTAX_ERROR);
    expect(await union("WEIGHTS", "1", "2", "3")).toBe(SYNTAX_ERROR);
    expect(await union("WEIGHTS", "1", "x", "WITHSCORES")).toBe(NOT_A_WEIGHT);
    expect(await union("WEIGHTS", "x", "1", "BOGUS")).toBe(NOT_A_WEIGHT);
    expect(await union("AGGREGATE")).toBe(SYNTAX_ERROR);
    expect(await union("AGGREGATE", "AVG")).toBe(SYNTAX_ERROR);
    expect(await union("AGGREGATE", "WITHSCORES")).toBe(SYNTAX_ERROR);
    expect(await union("LIMIT", "1")).toBe(SYNTAX_ERROR);
  });

  it("ZDIFF takes no WEIGHTS or AGGREGATE; no STORE takes WITHSCORES", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    const run = (...command: string[]) =>
      errorOf(redis.call(command[0]!, ...command.slice(1)));
    expect(await run("ZDIFF", "2", a, b, "WEIGHTS", "1", "1")).toBe(
      SYNTAX_ERROR,
    );
    expect(await run("ZDIFF", "2", a, b, "AGGREGATE", "SUM")).toBe(
      SYNTAX_ERROR,
    );
    expect(await run("ZDIFFSTORE", key("d"), "1", a, "WITHSCORES")).toBe(
      SYNTAX_ERROR,
    );
    expect(await run("ZUNIONSTORE", key("d"), "1", a, "WITHSCORES")).toBe(
      SYNTAX_ERROR,
    );
    expect(await run("ZINTERSTORE", key("d"), "1", a, "WITHSCORES")).toBe(
      SYNTAX_ERROR,
    );
    expect(await redis.exists(key("d"))).toBe(0);
  });

  it.each([
    ["ZUNIONSTORE", "zunionstore"],
    ["ZINTERSTORE", "zinterstore"],
    ["ZDIFFSTORE", "zdiffstore"],
  ])(
    "%s checks as the others do, its numkeys after the destination",
    async (name, lower) => {
      const { redis, key, list } = await setUp();
      await redis.zadd(key("a"), 1, "m");
      const run = (...rest: string[]) =>
        errorOf(redis.call(name, key("d"), ...rest));
      expect(await run("x", key("a"))).toBe(NOT_AN_INTEGER);
      expect(await run("0", key("a"))).toBe(
        `ERR at least 1 input key is needed for '${lower}' command`,
      );
      expect(await run("2", key("a"))).toBe(SYNTAX_ERROR);
      expect(await run("1", list)).toBe(WRONGTYPE);
      // The destination's type does not matter: it is replaced.
      expect(await redis.call(name, list, "1", key("a"))).toBe(1);
      expect(await redis.type(list)).toBe("zset");
    },
  );

  it.each([
    ["ZUNION", "1"],
    ["ZINTER", "1"],
    ["ZDIFF", "1"],
    ["ZINTERCARD", "1"],
    ["ZUNIONSTORE", "d", "1"],
    ["ZINTERSTORE", "d", "1"],
    ["ZDIFFSTORE", "d", "1"],
  ])("%s with too few arguments", async (name, ...rest) => {
    const { redis } = await setUp();
    expect(await errorOf(redis.call(name, ...rest))).toBe(
      `ERR wrong number of arguments for '${name.toLowerCase()}' command`,
    );
  });

  it("keywords are read as C strings: a NUL byte ends them", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("a"), 2, "m");
    expect(
      await scored(redis, "ZUNION", "1", key("a"), "WITHSCORES\0junk"),
    ).toEqual([["m", "2"]]);
    expect(
      await scored(
        redis,
        "ZUNION",
        "1",
        key("a"),
        "AGGREGATE",
        "max\0",
        "WITHSCORES",
      ),
    ).toEqual([["m", "2"]]);
    // A number is not: it must be read to its end.
    expect(
      await errorOf(redis.call("ZUNION", "1", key("a"), "WEIGHTS", "2\0")),
    ).toBe(NOT_A_WEIGHT);
  });
});

describe("ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE", () => {
  it("store the result and answer its size, replacing the destination and its time to live", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    await redis.set(key("d"), "old", "EX", 1000);
    expect(
      await redis.call("ZUNIONSTORE", key("d"), "2", a, b, "WEIGHTS", "1", "2"),
    ).toBe(4);
    expect(await contentsOf(redis, key("d"))).toEqual([
      ["x", "1"],
      ["y", "22"],
      ["z", "43"],
      ["w", "60"],
    ]);
    expect(await redis.ttl(key("d"))).toBe(-1);
    expect(
      await redis.call("ZINTERSTORE", key("d"), "2", a, b, "AGGREGATE", "MAX"),
    ).toBe(2);
    expect(await contentsOf(redis, key("d"))).toEqual([
      ["y", "10"],
      ["z", "20"],
    ]);
    expect(await redis.call("ZDIFFSTORE", key("d"), "2", b, a)).toBe(1);
    expect(await contentsOf(redis, key("d"))).toEqual([["w", "30"]]);
  });

  it("an empty result deletes the destination and answers 0", async () => {
    const { redis, key } = await setUp();
    const { a } = await twoSortedSets(redis, key);
    await redis.set(key("d"), "old");
    expect(await redis.call("ZINTERSTORE", key("d"), "2", a, key("none"))).toBe(
      0,
    );
    expect(await redis.exists(key("d"))).toBe(0);
    await redis.zadd(key("d"), 1, "m");
    expect(await redis.call("ZDIFFSTORE", key("d"), "2", a, a)).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
    expect(await redis.call("ZUNIONSTORE", key("d"), "1", key("none"))).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
  });

  it("the destination may be one of the inputs: it is read before it is replaced", async () => {
    const { redis, key } = await setUp();
    const { a, b } = await twoSortedSets(redis, key);
    expect(await redis.call("ZUNIONSTORE", a, "2", a, b)).toBe(4);
    expect(await contentsOf(redis, a)).toEqual([
      ["x", "1"],
      ["y", "12"],
      ["z", "23"],
      ["w", "30"],
    ]);
    expect(
      await redis.call("ZINTERSTORE", a, "2", b, a, "WEIGHTS", "1", "0"),
    ).toBe(3);
    expect(await contentsOf(redis, a)).toEqual([
      ["y", "10"],
      ["z", "20"],
      ["w", "30"],
    ]);
  });

  it("a set alone stores as a sorted set, its members scored 1", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "b", "a", "3");
    expect(await redis.call("ZUNIONSTORE", key("d"), "1", key("s"))).toBe(3);
    expect(await redis.type(key("d"))).toBe("zset");
    expect(await contentsOf(redis, key("d"))).toEqual([
      ["3", "1"],
      ["a", "1"],
      ["b", "1"],
    ]);
  });
});

describe("the encoding a STORE gives its result", () => {
  it("a listpack if it has few members and none long, a skiplist otherwise, whatever the inputs", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("big"), ...scoresAndMembers(129));
    expect(await encodingOf(redis, key("big"))).toBe("skiplist");
    await redis.zadd(key("few"), 1, "m1", 2, "m2", 3, "other");
    expect(
      await redis.call("ZINTERSTORE", key("d"), "2", key("big"), key("few")),
    ).toBe(2);
    expect(await encodingOf(redis, key("d"))).toBe("listpack");
    expect(await redis.call("ZUNIONSTORE", key("d"), "1", key("big"))).toBe(
      129,
    );
    expect(await encodingOf(redis, key("d"))).toBe("skiplist");
    await redis.call("ZREM", key("big"), "m1");
    expect(await redis.call("ZDIFFSTORE", key("d"), "1", key("big"))).toBe(128);
    expect(await encodingOf(redis, key("d"))).toBe("listpack");
    const long = "m".repeat(65);
    await redis.zadd(key("long"), 1, long, 2, "short");
    expect(await encodingOf(redis, key("long"))).toBe("skiplist");
    expect(
      await redis.call("ZDIFFSTORE", key("d"), "2", key("long"), key("few")),
    ).toBe(2);
    expect(await encodingOf(redis, key("d"))).toBe("skiplist");
    await redis.zadd(key("drop"), 0, long);
    expect(
      await redis.call("ZDIFFSTORE", key("d"), "2", key("long"), key("drop")),
    ).toBe(1);
    expect(await encodingOf(redis, key("d"))).toBe("listpack");
  });

  it("follows zset-max-listpack-entries and zset-max-listpack-value", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("a"), 1, "m1", 2, "m2", 3, "m3");
    await withConfig(redis, { "zset-max-listpack-entries": "2" }, async () => {
      await redis.call("ZUNIONSTORE", key("d"), "1", key("a"));
      expect(await encodingOf(redis, key("d"))).toBe("skiplist");
      await redis.call("ZINTERSTORE", key("d"), "2", key("a"), key("a"));
      expect(await encodingOf(redis, key("d"))).toBe("skiplist");
      await redis.zadd(key("one"), 0, "m1");
      await redis.call("ZDIFFSTORE", key("d"), "2", key("a"), key("one"));
      expect(await encodingOf(redis, key("d"))).toBe("listpack");
    });
    await withConfig(redis, { "zset-max-listpack-entries": "0" }, async () => {
      await redis.call("ZUNIONSTORE", key("d"), "1", key("a"));
      expect(await encodingOf(redis, key("d"))).toBe("skiplist");
    });
    await withConfig(redis, { "zset-max-ziplist-value": "1" }, async () => {
      await redis.call("ZUNIONSTORE", key("d"), "1", key("a"));
      expect(await encodingOf(redis, key("d"))).toBe("skiplist");
    });
    await redis.call("ZUNIONSTORE", key("d"), "1", key("a"));
    expect(await encodingOf(redis, key("d"))).toBe("listpack");
  });

  it("-0: a reply and a skiplist keep it, a listpack stores it as 0", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("a"), 5, "x", 0, "y");
    const negated = ["WEIGHTS", "-0"];
    expect(
      await scored(redis, "ZUNION", "1", key("a"), ...negated, "WITHSCORES"),
    ).toEqual([
      ["x", "-0"],
      ["y", "-0"],
    ]);
    await redis.call("ZUNIONSTORE", key("small"), "1", key("a"), ...negated);
    expect(await encodingOf(redis, key("small"))).toBe("listpack");
    expect(await contentsOf(redis, key("small"))).toEqual([
      ["x", "0"],
      ["y", "0"],
    ]);
    await redis.zadd(key("big"), ...scoresAndMembers(129));
    await redis.call(
      "ZUNIONSTORE",
      key("large"),
      "2",
      key("a"),
      key("big"),
      ...negated,
      "1",
    );
    expect(await encodingOf(redis, key("large"))).toBe("skiplist");
    expect(await redis.zscore(key("large"), "x")).toBe("-0");
  });
});

describe("the exact bytes of the replies, in the project's protocol", () => {
  it("WITHSCORES: flat bulk strings in RESP2, [member, double] pairs in RESP3; ZINTERCARD an integer", async () => {
    const raw = await speakProtocol(await server.raw(), protocol);
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("ZADD", key("z"), "1.1", "a", "inf", "b"),
        encodeCommand("ZUNION", "1", key("z"), "WITHSCORES"),
        encodeCommand("ZINTER", "1", key("z")),
        encodeCommand("ZDIFF", "1", key("none"), "WITHSCORES"),
        encodeCommand("ZINTERCARD", "1", key("z")),
      ]),
    );
    const pairs =
      protocol === 3
        ? "*2\r\n*2\r\n$1\r\na\r\n,1.1000000000000001\r\n*2\r\n$1\r\nb\r\n,inf\r\n"
        : "*4\r\n$1\r\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$3\r\ninf\r\n";
    await expectBytes(
      raw,
      `:2\r\n${pairs}*2\r\n$1\r\na\r\n$1\r\nb\r\n*0\r\n:2\r\n`,
    );
  });
});

describe("the AOF", () => {
  itRestarts(
    "a STORE is logged as it came, unless it changed nothing; the results survive a restart",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      const redis = await restartable.client();
      await redis.zadd("a", 1, "x", 2, "y");
      await redis.zadd("b", 3, "y", 4, "z");
      await redis.call(
        "ZUNIONSTORE",
        "u",
        "2",
        "a",
        "b",
        "WEIGHTS",
        "2",
        "0.5",
        "AGGREGATE",
        "MAX",
      );
      await redis.call("ZINTERSTORE", "i", "2", "a", "missing"); // nothing to delete
      await redis.set("s", "string");
      await redis.call("ZINTERSTORE", "s", "2", "a", "missing"); // deletes s
      await redis.call("ZDIFFSTORE", "d", "2", "a", "b");
      await redis.call("ZUNION", "2", "a", "b");
      await redis.call("ZUNIONSTORE", "a", "2", "a", "b");
      const state = async (client: Redis) =>
        Promise.all(
          ["a", "b", "u", "i", "s", "d"].map(async (key) => [
            key,
            await client.type(key),
            await client
              .call("ZRANGE", key, "0", "-1", "WITHSCORES")
              .catch(() => null),
          ]),
        );
      const before = await state(redis);
      if (restartable.kind === "ours") {
        const logged = aofCommands(aofBytes(restartable)).filter(([name]) =>
          /^z(union|inter|diff)/i.test(name!),
        );
        // Redis 7.0.15 logs the same (checked with appendonly on).
        expect(logged).toEqual([
          [
            "ZUNIONSTORE",
            "u",
            "2",
            "a",
            "b",
            "WEIGHTS",
            "2",
            "0.5",
            "AGGREGATE",
            "MAX",
          ],
          ["ZINTERSTORE", "s", "2", "a", "missing"],
          ["ZDIFFSTORE", "d", "2", "a", "b"],
          ["ZUNIONSTORE", "a", "2", "a", "b"],
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(await state(again)).toEqual(before);
    },
  );
});

describe("COMMAND INFO, GETKEYS and DOCS", { tags: ["fidelity"] }, () => {
  const READ = ["@read", "@sortedset", "@slow"];
  const WRITE = ["@write", "@sortedset", "@slow"];
  const MOVABLE_READ = ["readonly", "movablekeys"];
  const MOVABLE_WRITE = ["write", "denyoom", "movablekeys"];

  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["zunion", -3, MOVABLE_READ, 0, 0, 0, READ, []],
    ["zunionstore", -4, MOVABLE_WRITE, 1, 1, 1, WRITE, []],
    ["zinter", -3, MOVABLE_READ, 0, 0, 0, READ, []],
    ["zinterstore", -4, MOVABLE_WRITE, 1, 1, 1, WRITE, []],
    ["zintercard", -3, MOVABLE_READ, 0, 0, 0, READ, []],
    ["zdiff", -3, MOVABLE_READ, 0, 0, 0, READ, []],
    ["zdiffstore", -4, MOVABLE_WRITE, 1, 1, 1, WRITE, []],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 8)).toEqual(row);
  });

  it.each([
    [
      ["ZUNION", "2", "a", "b", "WEIGHTS", "1", "2"],
      ["a", "b"],
    ],
    [
      ["ZINTERCARD", "2", "a", "b", "LIMIT", "1"],
      ["a", "b"],
    ],
    [["ZDIFF", "1x", "a", "b"], ["a"]],
    [
      ["ZUNIONSTORE", "d", "2", "a", "b", "AGGREGATE", "MIN"],
      ["d", "a", "b"],
    ],
    [
      ["ZDIFFSTORE", "d", "1", "a"],
      ["d", "a"],
    ],
    // Not a plain integer: Redis's older function, destination last.
    [
      ["ZINTERSTORE", "d", "2x", "a", "b"],
      ["a", "b", "d"],
    ],
    [
      ["ZINTERSTORE", "d", "02", "a", "b"],
      ["a", "b", "d"],
    ],
  ])("COMMAND GETKEYS %j", async (command, keys) => {
    const redis = await server.client();
    expect(await redis.call("COMMAND", "GETKEYS", ...command)).toEqual(keys);
  });

  it.each([
    ["ZUNION", "0", "a"],
    ["ZINTER", "-1", "a"],
    ["ZUNIONSTORE", "d", "3", "a", "b"],
  ])(
    "COMMAND GETKEYS %s with a numkeys that does not fit",
    async (...command) => {
      const redis = await server.client();
      expect(await errorOf(redis.call("COMMAND", "GETKEYS", ...command))).toBe(
        "ERR Invalid arguments specified for command",
      );
    },
  );

  const NUMKEYS = ["name", "numkeys", "type", "integer"];
  const KEYS = ["name", "key", "type", "key", "flags", ["multiple"]];
  const DESTINATION = ["name", "destination", "type", "key"];
  const WEIGHTS = [
    ...["name", "weight", "type", "integer", "token", "WEIGHTS"],
    ...["flags", ["optional", "multiple"]],
  ];
  const AGGREGATE = [
    ...["name", "aggregate", "type", "oneof", "token", "AGGREGATE"],
    ...["flags", ["optional"]],
    "arguments",
    ["sum", "min", "max"].map((choice) => [
      ...["name", choice, "type", "pure-token", "token", choice.toUpperCase()],
    ]),
  ];
  const WITHSCORES = [
    ...["name", "withscores", "type", "pure-token", "token", "WITHSCORES"],
    ...["flags", ["optional"]],
  ];
  const UNION =
    "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";
  const INTER =
    "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
  const DIFF =
    "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.";

  /** COMMAND DOCS's fields, in Redis's order (command-docs-helpers.ts). */
  const docs = (
    summary: string,
    since: string,
    complexity: string,
    args: unknown[],
  ) =>
    commandDocs("sorted-set", { summary, since, complexity, arguments: args });

  it.each([
    [
      "zunion",
      docs("Add multiple sorted sets", "6.2.0", UNION, [
        ...[NUMKEYS, KEYS, WEIGHTS, AGGREGATE, WITHSCORES],
      ]),
    ],
    [
      "zunionstore",
      docs(
        "Add multiple sorted sets and store the resulting sorted set in a new key",
        "2.0.0",
        UNION.replace("M*log(M)", "M log(M)"),
        [DESTINATION, NUMKEYS, KEYS, WEIGHTS, AGGREGATE],
      ),
    ],
    [
      "zinter",
      docs("Intersect multiple sorted sets", "6.2.0", INTER, [
        ...[NUMKEYS, KEYS, WEIGHTS, AGGREGATE, WITHSCORES],
      ]),
    ],
    [
      "zinterstore",
      docs(
        "Intersect multiple sorted sets and store the resulting sorted set in a new key",
        "2.0.0",
        INTER,
        [DESTINATION, NUMKEYS, KEYS, WEIGHTS, AGGREGATE],
      ),
    ],
    [
      "zintercard",
      docs(
        "Intersect multiple sorted sets and return the cardinality of the result",
        "7.0.0",
        "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
        [
          NUMKEYS,
          KEYS,
          [
            ...["name", "limit", "type", "integer", "token", "LIMIT"],
            ...["flags", ["optional"]],
          ],
        ],
      ),
    ],
    [
      "zdiff",
      docs("Subtract multiple sorted sets", "6.2.0", DIFF, [
        ...[NUMKEYS, KEYS, WITHSCORES],
      ]),
    ],
    [
      "zdiffstore",
      docs(
        "Subtract multiple sorted sets and store the resulting sorted set in a new key",
        "6.2.0",
        DIFF,
        [DESTINATION, NUMKEYS, KEYS],
      ),
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsWithoutKeySpecs(await server.client(), name)).toEqual(
      expected,
    );
  });
});
