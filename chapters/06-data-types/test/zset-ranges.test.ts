/**
 * Article step "zset-ranges": every command that reads, stores, counts
 * or removes a slice of a sorted set (ZRANGE with BYSCORE, BYLEX, REV,
 * LIMIT and WITHSCORES; ZRANGESTORE; the old ZREVRANGE, ZRANGEBYSCORE,
 * ZREVRANGEBYSCORE, ZRANGEBYLEX and ZREVRANGEBYLEX; ZCOUNT, ZLEXCOUNT;
 * ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX) with Redis 7.0.15's
 * replies and errors, in the order Redis checks them; score bounds read
 * as C's strtod reads them, and member bounds; what ZRANGESTORE makes of
 * its destination (encoding included, with zset-max-listpack-* changed
 * by CONFIG SET and put back after each test); and what the AOF records.
 *
 * A sorted set answers in its own order, score then bytes, on both
 * servers: replies are compared exactly. Through ioredis in the
 * project's protocol, and over a raw socket where the bytes differ
 * between RESP2 and RESP3. Each test makes its own keys under a random
 * prefix: the tests share a server (a real Redis one under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  clientWithList,
  errorOf,
  keysForThisTest,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
  withConfig,
  WRONGTYPE,
} from "./client-helpers.ts";
import {
  commandDocs,
  docsWithoutKeySpecs,
  type DocFields,
} from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import {
  aofRecords,
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";
import { contentsOf, pairsOf } from "./zset-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

const NOT_A_FLOAT = "ERR min or max is not a float";
const NOT_A_LEX_ITEM = "ERR min or max not valid string range item";
const LIMIT_NEEDS_BY =
  "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
const NO_SCORES_BY_LEX =
  "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

/** Eight members, one per kind of score: infinities, negative, zero, fractions. */
const SCORED: readonly [score: string, member: string][] = [
  ["-inf", "ninf"],
  ["-16", "m16"],
  ["0", "zero"],
  ["0.5", "half"],
  ["1", "one"],
  ["8", "eight"],
  ["16", "sixteen"],
  ["+inf", "pinf"],
];

/** SCORED's members, in the set's order. */
const MEMBERS = SCORED.map(([, member]) => member);

/** Members all of score 0, so that they are in byte order: for the member ranges. */
const LETTERS = ["", "a", "ab", "b", "c", "d"];

/** A sorted set at `key` of the given score and member pairs. */
async function zaddAll(
  redis: Redis,
  key: string,
  pairs: readonly (readonly [string, string])[],
): Promise<void> {
  await redis.zadd(key, ...pairs.flat());
}

/** A sorted set of LETTERS at `key`. */
async function letters(redis: Redis, key: string): Promise<void> {
  await zaddAll(
    redis,
    key,
    LETTERS.map((member) => ["0", member] as const),
  );
}

describe("ZRANGE by rank, and ZREVRANGE", () => {
  it("ranks count from 0, negative ones from the end; the range is clamped to the set", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    const range = (start: string, stop: string) =>
      redis.call("ZRANGE", key("z"), start, stop);
    expect(await range("0", "-1")).toEqual(MEMBERS);
    expect(await range("2", "3")).toEqual(["zero", "half"]);
    expect(await range("-2", "-1")).toEqual(["sixteen", "pinf"]);
    expect(await range("-100", "1")).toEqual(["ninf", "m16"]);
    expect(await range("6", "100")).toEqual(["sixteen", "pinf"]);
    expect(await range("-9223372036854775808", "9223372036854775807")).toEqual(
      MEMBERS,
    );
  });

  it("an empty range is an empty array: start after stop, start past the end, stop before the start of the set", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    for (const [start, stop] of [
      ["5", "2"],
      ["8", "100"],
      ["0", "-9"],
      ["-1", "-2"],
    ]) {
      expect(await redis.call("ZRANGE", key("z"), start!, stop!)).toEqual([]);
    }
  });

  it("REV and ZREVRANGE count ranks from the highest member, and answer downwards", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.call("ZRANGE", key("z"), "0", "2", "REV")).toEqual([
      "pinf",
      "sixteen",
      "eight",
    ]);
    expect(await redis.call("ZREVRANGE", key("z"), "-2", "-1")).toEqual([
      "m16",
      "ninf",
    ]);
    expect(await redis.call("ZREVRANGE", key("z"), "0", "-1")).toEqual(
      [...MEMBERS].reverse(),
    );
  });

  it("WITHSCORES gives each member's score, as %.17g text; members of equal score come in byte order", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1.1", "b", "1.1", "a", "1e-5", "tiny");
    await redis.zadd(key("z"), "inf", "top", "1.1", "\xff", "-inf", "low");
    expect(
      pairsOf(await redis.call("ZRANGE", key("z"), "0", "-1", "WITHSCORES")),
    ).toEqual([
      ["low", "-inf"],
      ["tiny", "1.0000000000000001e-05"],
      ["a", "1.1000000000000001"],
      ["b", "1.1000000000000001"],
      ["\xff", "1.1000000000000001"],
      ["top", "inf"],
    ]);
    expect(
      pairsOf(await redis.call("ZREVRANGE", key("z"), "0", "1", "WITHSCORES")),
    ).toEqual([
      ["top", "inf"],
      ["\xff", "1.1000000000000001"],
    ]);
  });

  it("a missing key is an empty array, whatever the request", async () => {
    const { redis, key } = await setUp();
    expect(await redis.call("ZRANGE", key("none"), "0", "-1")).toEqual([]);
    expect(
      await redis.call("ZRANGE", key("none"), "(1", "5", "BYSCORE", "REV"),
    ).toEqual([]);
    expect(await redis.call("ZREVRANGEBYLEX", key("none"), "+", "-")).toEqual(
      [],
    );
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it.each(["1.0", " 1", "+1", "-0", "a", "", "9223372036854775808"])(
    "a start or stop of %j is not an integer (a C long)",
    async (rank) => {
      const { redis, key } = await setUp();
      await zaddAll(redis, key("z"), SCORED);
      expect(await errorOf(redis.call("ZRANGE", key("z"), rank, "1"))).toBe(
        NOT_AN_INTEGER,
      );
      expect(await errorOf(redis.call("ZREVRANGE", key("z"), "0", rank))).toBe(
        NOT_AN_INTEGER,
      );
    },
  );
});

describe("by score: ZRANGE BYSCORE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT", () => {
  it("both ends are included; ( excludes one", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "0", "1")).toEqual([
      "zero",
      "half",
      "one",
    ]);
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "(0", "(1")).toEqual([
      "half",
    ]);
    expect(
      await redis.call("ZRANGE", key("z"), "(0.5", "16", "BYSCORE"),
    ).toEqual(["one", "eight", "sixteen"]);
    expect(await redis.zcount(key("z"), "(0", "1")).toBe(2);
  });

  it("infinite ends include the infinite scores; excluded ones leave them out", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "-inf", "+inf")).toEqual(
      MEMBERS,
    );
    expect(
      await redis.call("ZRANGEBYSCORE", key("z"), "(-inf", "(+inf"),
    ).toEqual(MEMBERS.slice(1, -1));
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "inf", "inf")).toEqual([
      "pinf",
    ]);
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "(inf", "inf")).toEqual(
      [],
    );
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "-inf", "-16")).toEqual([
      "ninf",
      "m16",
    ]);
    expect(await redis.zcount(key("z"), "-inf", "(-inf")).toBe(0);
    expect(await redis.zcount(key("z"), "-inf", "-inf")).toBe(1);
  });

  it("a range that holds nothing is empty: min above max, or equal with an end excluded", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    for (const [min, max] of [
      ["1", "0"],
      ["(1", "1"],
      ["1", "(1"],
      ["(0.6", "(0.9"],
    ]) {
      expect(await redis.call("ZRANGEBYSCORE", key("z"), min!, max!)).toEqual(
        [],
      );
      expect(await redis.zcount(key("z"), min!, max!)).toBe(0);
    }
    expect(await redis.call("ZRANGEBYSCORE", key("z"), "1", "1")).toEqual([
      "one",
    ]);
  });

  it("reversed, the range is given from its high end: max, then min", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(
      await redis.call("ZRANGE", key("z"), "8", "(0", "BYSCORE", "REV"),
    ).toEqual(["eight", "one", "half"]);
    expect(await redis.call("ZREVRANGEBYSCORE", key("z"), "8", "(0")).toEqual([
      "eight",
      "one",
      "half",
    ]);
    // Given low end first, the reversed range holds nothing.
    expect(await redis.call("ZREVRANGEBYSCORE", key("z"), "(0", "8")).toEqual(
      [],
    );
    expect(
      pairsOf(
        await redis.call(
          "ZREVRANGEBYSCORE",
          key("z"),
          "+inf",
          "16",
          "WITHSCORES",
        ),
      ),
    ).toEqual([
      ["pinf", "inf"],
      ["sixteen", "16"],
    ]);
  });

  it("LIMIT offset count steps over offset members, then answers count at most", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    const limited = (offset: string, count: string, ...more: string[]) =>
      redis.call(
        "ZRANGEBYSCORE",
        key("z"),
        "-inf",
        "+inf",
        ...more,
        "LIMIT",
        offset,
        count,
      );
    expect(await limited("0", "2")).toEqual(["ninf", "m16"]);
    expect(await limited("3", "2")).toEqual(["half", "one"]);
    expect(await limited("6", "5")).toEqual(["sixteen", "pinf"]);
    expect(pairsOf(await limited("7", "1", "WITHSCORES"))).toEqual([
      ["pinf", "inf"],
    ]);
    expect(
      await redis.call(
        "ZRANGE",
        key("z"),
        "+inf",
        "0",
        "BYSCORE",
        "REV",
        "LIMIT",
        "1",
        "2",
      ),
    ).toEqual(["sixteen", "eight"]);
  });

  it("a negative count takes every member left, 0 none; an offset past the end, or a negative one, selects nothing", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    const limited = (offset: string, count: string) =>
      redis.call("ZRANGEBYSCORE", key("z"), "0", "16", "LIMIT", offset, count);
    expect(await limited("1", "-1")).toEqual([
      "half",
      "one",
      "eight",
      "sixteen",
    ]);
    expect(await limited("1", "-9223372036854775808")).toEqual([
      "half",
      "one",
      "eight",
      "sixteen",
    ]);
    expect(await limited("0", "0")).toEqual([]);
    expect(await limited("5", "1")).toEqual([]);
    expect(await limited("8", "1")).toEqual([]);
    expect(await limited("9223372036854775807", "1")).toEqual([]);
    expect(await limited("-1", "2")).toEqual([]);
    expect(await limited("-9223372036854775808", "-1")).toEqual([]);
  });

  it("ZCOUNT counts the members a range holds; 0 for a missing key", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.zcount(key("z"), "-inf", "+inf")).toBe(8);
    expect(await redis.zcount(key("z"), "(0", "(16")).toBe(3);
    expect(await redis.zcount(key("z"), "16", "-16")).toBe(0);
    expect(await redis.zcount(key("none"), "-inf", "+inf")).toBe(0);
  });
});

describe("score bounds are read as C's strtod reads them", () => {
  // Each bound as a min, with the members of SCORED it leaves: how many
  // have a score at or above it (or above it, after "(").
  it.each([
    ["", 6], // no number at all: 0, with nothing left over
    ["(", 5], // ( alone: 0, excluded
    ["\0", 6], // a NUL ends a C string: empty
    ["1\0junk", 4],
    [".5", 5],
    ["5.", 3],
    ["+.5", 5],
    ["-.5e1", 6],
    ["1E0", 4],
    ["0x1p3", 3],
    ["0X1.8P3", 2], // 12
    ["-0x10", 7],
    ["0x.8p1", 4], // 1
    ["  1", 4],
    ["\t\n\v\f\r1", 4],
    ["( 1", 3],
    ["1e400", 1], // overflows to +inf
    ["-1e400", 8],
    ["1e-400", 6], // underflows to 0
    ["0x1p-1080", 6],
    ["inf", 1],
    ["+inf", 1],
    ["(inf", 0],
    ["-INF", 8],
    ["(-inf", 7],
    ["-Infinity", 8],
    ["INFINITY", 1],
  ])("%j is a number", async (bound, count) => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.zcount(key("z"), bound, "+inf")).toBe(count);
  });

  it.each([
    "1e",
    "1e+",
    "1_000",
    "1 ",
    "1\t",
    " ",
    "( ",
    "((1",
    "-",
    "+",
    ".",
    "0x",
    "0x1p",
    "0b1",
    "1,5",
    "nan",
    "-nan",
    "NaN",
    "nan(1)",
    "inf ",
    "infin",
    "infinityx",
  ])("%j is not", async (bound) => {
    const { redis, key, list } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await errorOf(redis.zcount(key("z"), bound, "+inf"))).toBe(
      NOT_A_FLOAT,
    );
    expect(await errorOf(redis.zcount(key("z"), "-inf", bound))).toBe(
      NOT_A_FLOAT,
    );
    // The range is read before the key: an error on a missing key or a list too.
    expect(await errorOf(redis.zcount(key("none"), bound, "1"))).toBe(
      NOT_A_FLOAT,
    );
    expect(await errorOf(redis.call("ZRANGEBYSCORE", list, "1", bound))).toBe(
      NOT_A_FLOAT,
    );
  });

  it("decimal and hexadecimal text round to the nearest double, ties to even", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "one", "5e-324", "tiny");
    const exactly = (bound: string) =>
      redis.call("ZRANGEBYSCORE", key("z"), bound, bound);
    // Halfway between 1 and the next double: to 1, whose last bit is even.
    expect(
      await exactly("1.00000000000000011102230246251565404236316680908203125"),
    ).toEqual(["one"]);
    expect(await exactly("0x1.00000000000008p0")).toEqual(["one"]);
    // A little above halfway: to the next double, which is not 1.
    expect(
      await exactly("1.000000000000000111022302462515654042363166809082031251"),
    ).toEqual([]);
    expect(await exactly("0x1.000000000000081p0")).toEqual([]);
    // The smallest double, 2^-1074, and its half, a tie that goes to 0.
    expect(await exactly("0x1p-1074")).toEqual(["tiny"]);
    expect(await exactly("4.9406564584124654e-324")).toEqual(["tiny"]);
    expect(await exactly("0x1p-1075")).toEqual([]);
    expect(await exactly("0x1.8p-1075")).toEqual(["tiny"]);
    expect(await exactly("2.4703282292062327e-324")).toEqual([]);
    expect(await exactly("2.4703282292062328e-324")).toEqual(["tiny"]);
  });
});

describe("by member: ZRANGE BYLEX, ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT", () => {
  it("- and + are the ends of everything; [ includes a member, ( excludes it", async () => {
    const { redis, key } = await setUp();
    await letters(redis, key("z"));
    const range = (min: string, max: string) =>
      redis.call("ZRANGEBYLEX", key("z"), min, max);
    expect(await range("-", "+")).toEqual(LETTERS);
    expect(await range("[a", "[b")).toEqual(["a", "ab", "b"]);
    expect(await range("(a", "(c")).toEqual(["ab", "b"]);
    expect(await range("[aa", "+")).toEqual(["ab", "b", "c", "d"]);
    expect(await range("-", "(a")).toEqual([""]);
    // The empty member: [ alone includes it, ( alone starts after it.
    expect(await range("[", "[a")).toEqual(["", "a"]);
    expect(await range("(", "[a")).toEqual(["a"]);
    expect(await redis.zlexcount(key("z"), "[a", "(c")).toBe(3);
    expect(await redis.zlexcount(key("none"), "-", "+")).toBe(0);
  });

  it("a range that holds nothing is empty: + to -, min after max, or equal with an end excluded", async () => {
    const { redis, key } = await setUp();
    await letters(redis, key("z"));
    for (const [min, max] of [
      ["+", "-"],
      ["+", "+"],
      ["-", "-"],
      ["[b", "[a"],
      ["(a", "[a"],
      ["[a", "(a"],
    ]) {
      expect(await redis.call("ZRANGEBYLEX", key("z"), min!, max!)).toEqual([]);
      expect(await redis.zlexcount(key("z"), min!, max!)).toBe(0);
    }
    expect(await redis.call("ZRANGEBYLEX", key("z"), "[a", "[a")).toEqual([
      "a",
    ]);
  });

  it("members compare by bytes, and a bound keeps every byte, NUL included", async () => {
    const { redis, key } = await setUp();
    const members = ["a", "a\0", "a\0b", "b", "\x7f", "\x80", "\xff"].map(
      (member) => Buffer.from(member, "latin1"),
    );
    await redis.zadd(key("z"), ...members.flatMap((member) => ["0", member]));
    const range = async (min: string, max: string) =>
      (
        (await redis.callBuffer(
          "ZRANGEBYLEX",
          key("z"),
          Buffer.from(min, "latin1"),
          Buffer.from(max, "latin1"),
        )) as Buffer[]
      ).map((member) => member.toString("latin1"));
    expect(await range("-", "+")).toEqual([
      "a",
      "a\0",
      "a\0b",
      "b",
      "\x7f",
      "\x80",
      "\xff",
    ]);
    expect(await range("(a\0", "[b")).toEqual(["a\0b", "b"]);
    expect(await range("[\x80", "+")).toEqual(["\x80", "\xff"]);
  });

  it("reversed, the range is given from its high end; LIMIT works as by score", async () => {
    const { redis, key } = await setUp();
    await letters(redis, key("z"));
    expect(await redis.call("ZREVRANGEBYLEX", key("z"), "[c", "(a")).toEqual([
      "c",
      "b",
      "ab",
    ]);
    expect(
      await redis.call("ZRANGE", key("z"), "+", "-", "BYLEX", "REV"),
    ).toEqual([...LETTERS].reverse());
    expect(await redis.call("ZREVRANGEBYLEX", key("z"), "-", "+")).toEqual([]);
    expect(
      await redis.call("ZRANGEBYLEX", key("z"), "-", "+", "LIMIT", "1", "2"),
    ).toEqual(["a", "ab"]);
    expect(
      await redis.call(
        "ZREVRANGEBYLEX",
        key("z"),
        "+",
        "-",
        "LIMIT",
        "2",
        "-1",
      ),
    ).toEqual(["b", "ab", "a", ""]);
    expect(
      await redis.call("ZRANGEBYLEX", key("z"), "-", "+", "LIMIT", "-1", "2"),
    ).toEqual([]);
  });

  it.each(["a", "", "--", "++", "-a", "+a", "{a", "1", "]a"])(
    "%j is no member bound",
    async (bound) => {
      const { redis, key, list } = await setUp();
      await letters(redis, key("z"));
      expect(await errorOf(redis.zlexcount(key("z"), bound, "+"))).toBe(
        NOT_A_LEX_ITEM,
      );
      expect(
        await errorOf(redis.call("ZRANGEBYLEX", key("z"), "-", bound)),
      ).toBe(NOT_A_LEX_ITEM);
      // Read before the key, as score ranges are.
      expect(await errorOf(redis.zlexcount(list, "-", bound))).toBe(
        NOT_A_LEX_ITEM,
      );
    },
  );

  it("a NUL after - or + ends the argument, as C reads it: + then NUL is +", async () => {
    const { redis, key } = await setUp();
    await letters(redis, key("z"));
    expect(await redis.zlexcount(key("z"), "-\0x", "+\0")).toBe(6);
    expect(await redis.zlexcount(key("z"), "+\0a", "+")).toBe(0);
  });

  // Found by the fuzzer (seed 21): LIMIT's offset was counted over the
  // members in range, where Redis steps over whatever members follow the
  // first one in range. With equal scores the two agree; over mixed
  // scores, on a listpack, where Redis's answer is deterministic, they
  // did not.
  it("LIMIT's offset steps over members whether in range or not, then the walk stops at the first one past the end", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 0, "", 1, "x", 2, "a", 3, "b");
    expect(await redis.object("ENCODING", key("z"))).toBe("listpack");
    // "" is in [- [a]; x is not, and is stepped over all the same.
    const lex = (...words: string[]) =>
      redis.call("ZRANGEBYLEX", key("z"), ...words);
    expect(await lex("-", "[a", "LIMIT", "2", "1")).toEqual(["a"]);
    expect(await lex("-", "[a", "LIMIT", "1", "1")).toEqual([]);
    expect(await lex("-", "[a")).toEqual([""]);
    expect(
      await redis.call(
        "ZRANGE",
        key("z"),
        "[b",
        "-",
        "BYLEX",
        "REV",
        "LIMIT",
        "2",
        "5",
      ),
    ).toEqual(["x", ""]);
  });
});

describe("ZRANGE's options, in Redis's order of checks", () => {
  it("options come in any order and case; WITHSCORES may repeat; the last LIMIT counts", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(
      pairsOf(
        await redis.call(
          "ZRANGE",
          key("z"),
          "16",
          "1",
          "withScores",
          "limit",
          "0",
          "9",
          "Rev",
          "LIMIT",
          "1",
          "1",
          "ByScore",
          "WITHSCORES",
        ),
      ),
    ).toEqual([["eight", "8"]]);
  });

  it.each([
    [["0", "1", "BYSCORE", "BYSCORE"]],
    [["0", "1", "BYSCORE", "BYLEX"]],
    [["0", "1", "REV", "REV"]],
    [["0", "1", "LIMIT"]],
    [["0", "1", "BYSCORE", "LIMIT", "0"]],
    [["0", "1", "WITHSCORE"]],
    [["0", "1", "foo", "LIMIT", "x", "1"]],
  ])("ZRANGE key %j is a syntax error", async (words) => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await errorOf(redis.call("ZRANGE", key("z"), ...words))).toBe(
      SYNTAX_ERROR,
    );
  });

  it.each([
    ["ZREVRANGE", ["0", "1", "REV"]],
    ["ZREVRANGE", ["0", "1", "BYSCORE"]],
    ["ZRANGEBYSCORE", ["0", "1", "BYSCORE"]],
    ["ZRANGEBYSCORE", ["0", "1", "REV"]],
    ["ZREVRANGEBYSCORE", ["1", "0", "BYLEX"]],
    ["ZRANGEBYLEX", ["-", "+", "BYLEX"]],
    ["ZREVRANGEBYLEX", ["+", "-", "REV"]],
    ["ZRANGESTORE", ["dst", "0", "1", "WITHSCORES"]],
  ])("%s refuses the options it settles itself: %j", async (name, words) => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    const [first, ...rest] = words;
    const args =
      name === "ZRANGESTORE"
        ? [key(first!), key("z"), ...rest]
        : [key("z"), ...words];
    expect(await errorOf(redis.call(name, ...args))).toBe(SYNTAX_ERROR);
  });

  it("LIMIT needs BYSCORE or BYLEX, though LIMIT x -1, which limits nothing, passes", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(
      await errorOf(
        redis.call("ZRANGE", key("z"), "0", "1", "LIMIT", "0", "1"),
      ),
    ).toBe(LIMIT_NEEDS_BY);
    expect(
      await errorOf(
        redis.call("ZREVRANGE", key("z"), "0", "1", "LIMIT", "0", "5"),
      ),
    ).toBe(LIMIT_NEEDS_BY);
    expect(
      await redis.call("ZRANGE", key("z"), "0", "1", "LIMIT", "5", "-1"),
    ).toEqual(["ninf", "m16"]);
  });

  it("WITHSCORES is refused with BYLEX", async () => {
    const { redis, key } = await setUp();
    await letters(redis, key("z"));
    expect(
      await errorOf(
        redis.call("ZRANGE", key("z"), "-", "+", "BYLEX", "WITHSCORES"),
      ),
    ).toBe(NO_SCORES_BY_LEX);
    expect(
      await errorOf(
        redis.call("ZRANGEBYLEX", key("z"), "-", "+", "WITHSCORES"),
      ),
    ).toBe(NO_SCORES_BY_LEX);
  });

  it("LIMIT's integers are read as soon as they are met, before a later syntax error", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(
      await errorOf(
        redis.call("ZRANGE", key("z"), "0", "1", "LIMIT", "x", "1", "foo"),
      ),
    ).toBe(NOT_AN_INTEGER);
    expect(
      await errorOf(
        redis.call("ZRANGEBYSCORE", key("z"), "0", "1", "LIMIT", "0", "1.5"),
      ),
    ).toBe(NOT_AN_INTEGER);
  });

  it("the order: options, then their combinations, then the range, then the key's type", async () => {
    const { redis, key, list } = await setUp();
    const zrange = (...words: string[]) =>
      errorOf(redis.call("ZRANGE", list, ...words));
    expect(await zrange("x", "y", "BYLEX", "WITHSCORES", "foo")).toBe(
      SYNTAX_ERROR,
    );
    expect(await zrange("x", "y", "LIMIT", "0", "1")).toBe(LIMIT_NEEDS_BY);
    expect(await zrange("x", "y", "BYLEX", "WITHSCORES")).toBe(
      NO_SCORES_BY_LEX,
    );
    expect(await zrange("x", "1")).toBe(NOT_AN_INTEGER);
    expect(await zrange("x", "1", "BYSCORE")).toBe(NOT_A_FLOAT);
    expect(await zrange("x", "1", "BYLEX")).toBe(NOT_A_LEX_ITEM);
    expect(await zrange("0", "1")).toBe(WRONGTYPE);
    expect(await zrange("0", "1", "BYSCORE", "LIMIT", "0", "1")).toBe(
      WRONGTYPE,
    );
    expect(await errorOf(redis.call("ZREVRANGEBYLEX", list, "+", "-"))).toBe(
      WRONGTYPE,
    );
    expect(await errorOf(redis.zcount(list, "0", "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.zlexcount(list, "-", "+"))).toBe(WRONGTYPE);
    expect(await redis.call("ZRANGE", key("none"), "0", "1")).toEqual([]);
  });

  it.each([
    ["ZRANGE", ["k", "0"]],
    ["ZRANGESTORE", ["d", "k", "0"]],
    ["ZREVRANGE", ["k", "0"]],
    ["ZRANGEBYSCORE", ["k", "0"]],
    ["ZREVRANGEBYSCORE", ["k", "0"]],
    ["ZRANGEBYLEX", ["k", "-"]],
    ["ZREVRANGEBYLEX", ["k", "+"]],
    ["ZCOUNT", ["k", "0"]],
    ["ZCOUNT", ["k", "0", "1", "2"]],
    ["ZLEXCOUNT", ["k", "-"]],
    ["ZREMRANGEBYRANK", ["k", "0"]],
    ["ZREMRANGEBYSCORE", ["k", "0", "1", "2"]],
    ["ZREMRANGEBYLEX", ["k", "-"]],
  ])("%s with the wrong number of arguments", async (name, words) => {
    const { redis } = await setUp();
    expect(await errorOf(redis.call(name, ...words))).toBe(
      `ERR wrong number of arguments for '${name.toLowerCase()}' command`,
    );
  });
});

describe("ZRANGESTORE", () => {
  it("stores the slice at the destination, replacing it and its time to live; answers its size", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    await redis.set(key("d"), "a string", "EX", 1000);
    expect(await redis.call("ZRANGESTORE", key("d"), key("z"), "1", "2")).toBe(
      2,
    );
    expect(await contentsOf(redis, key("d"))).toEqual([
      ["m16", "-16"],
      ["zero", "0"],
    ]);
    expect(await redis.ttl(key("d"))).toBe(-1);
    expect(
      await redis.call(
        "ZRANGESTORE",
        key("d"),
        key("z"),
        "+inf",
        "(0",
        "BYSCORE",
        "REV",
        "LIMIT",
        "1",
        "3",
      ),
    ).toBe(3);
    expect(await contentsOf(redis, key("d"))).toEqual([
      ["one", "1"],
      ["eight", "8"],
      ["sixteen", "16"],
    ]);
    expect(await contentsOf(redis, key("z"))).toHaveLength(8);
  });

  it("by member, the scores come along", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a", "1", "b", "1", "c");
    expect(
      await redis.call("ZRANGESTORE", key("d"), key("z"), "(a", "+", "BYLEX"),
    ).toBe(2);
    expect(await contentsOf(redis, key("d"))).toEqual([
      ["b", "1"],
      ["c", "1"],
    ]);
  });

  it("an empty slice, or a missing source, deletes the destination and answers 0", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    await redis.set(key("d"), "x");
    expect(
      await redis.call("ZRANGESTORE", key("d"), key("z"), "10", "20"),
    ).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
    await redis.set(key("d"), "x");
    expect(
      await redis.call("ZRANGESTORE", key("d"), key("none"), "0", "-1"),
    ).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
    expect(
      await redis.call("ZRANGESTORE", key("d"), key("none"), "0", "-1"),
    ).toBe(0);
  });

  it("a source of another kind is WRONGTYPE, and the destination stays; the words are read first", async () => {
    const { redis, key, list } = await setUp();
    await redis.set(key("d"), "x");
    expect(
      await errorOf(redis.call("ZRANGESTORE", key("d"), list, "0", "-1")),
    ).toBe(WRONGTYPE);
    expect(
      await errorOf(redis.call("ZRANGESTORE", key("d"), list, "a", "b")),
    ).toBe(NOT_AN_INTEGER);
    expect(await redis.get(key("d"))).toBe("x");
    // A destination of another kind is simply replaced.
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.call("ZRANGESTORE", list, key("z"), "0", "0")).toBe(1);
    expect(await redis.type(list)).toBe("zset");
  });

  it("the source may be the destination", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(
      await redis.call("ZRANGESTORE", key("z"), key("z"), "-3", "-2"),
    ).toBe(2);
    expect(await contentsOf(redis, key("z"))).toEqual([
      ["eight", "8"],
      ["sixteen", "16"],
    ]);
  });

  it("the stored set is a listpack unless it outgrows one, as ZADD's would", async () => {
    const { redis, key } = await setUp();
    await withConfig(
      redis,
      { "zset-max-listpack-entries": "3", "zset-max-listpack-value": "4" },
      async () => {
        await redis.zadd(key("z"), "1", "a", "2", "b", "3", "c", "4", "d");
        await redis.zadd(key("z"), "5", "long-member");
        expect(await redis.object("ENCODING", key("z"))).toBe("skiplist");
        const store = (start: string, stop: string) =>
          redis.call("ZRANGESTORE", key("d"), key("z"), start, stop);
        expect(await store("0", "2")).toBe(3);
        expect(await redis.object("ENCODING", key("d"))).toBe("listpack");
        expect(await store("0", "3")).toBe(4);
        expect(await redis.object("ENCODING", key("d"))).toBe("skiplist");
        expect(await store("-1", "-1")).toBe(1);
        expect(await redis.object("ENCODING", key("d"))).toBe("skiplist");
      },
    );
    await withConfig(
      redis,
      { "zset-max-listpack-entries": "0", "zset-max-listpack-value": "64" },
      async () => {
        expect(
          await redis.call("ZRANGESTORE", key("d"), key("z"), "0", "0"),
        ).toBe(1);
        expect(await redis.object("ENCODING", key("d"))).toBe("skiplist");
      },
    );
  });

  // Found by chapter 07's fuzzer: a slice by rank knows its length before
  // the walk, and Redis starts a long one as a skiplist; a slice by score
  // or member starts as a listpack, which forgets the sign of -0.
  it("a slice by rank longer than a listpack holds starts as a skiplist, so -0 keeps its sign; one by score does not", async () => {
    const { redis, key } = await setUp();
    await withConfig(redis, { "zset-max-listpack-entries": "3" }, async () => {
      await redis.zadd(key("z"), "0", "a", "0", "b", "0", "c", "-0", "neg");
      expect(await redis.zscore(key("z"), "neg")).toBe("-0");
      const store = (...words: string[]) =>
        redis.call("ZRANGESTORE", key("d"), key("z"), ...words);
      // REV: `neg` comes first, while a listpack would still hold it.
      expect(await store("0", "-1", "REV")).toBe(4);
      expect(await redis.zscore(key("d"), "neg")).toBe("-0");
      expect(await store("+inf", "-inf", "BYSCORE", "REV")).toBe(4);
      expect(await redis.zscore(key("d"), "neg")).toBe("0");
      expect(await store("+", "-", "BYLEX", "REV")).toBe(4);
      expect(await redis.zscore(key("d"), "neg")).toBe("0");
    });
  });
});

describe("ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX", () => {
  it("ZREMRANGEBYRANK removes ranks as ZRANGE reads them, and answers how many went", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.zremrangebyrank(key("z"), 1, 2)).toBe(2);
    expect(await redis.zremrangebyrank(key("z"), -2, 100)).toBe(2);
    expect(await redis.zremrangebyrank(key("z"), 5, 2)).toBe(0);
    expect(await redis.zremrangebyrank(key("z"), 4, 10)).toBe(0);
    expect(await redis.call("ZRANGE", key("z"), "0", "-1")).toEqual([
      "ninf",
      "half",
      "one",
      "eight",
    ]);
  });

  it("ZREMRANGEBYSCORE and ZREMRANGEBYLEX remove what the range holds", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    expect(await redis.zremrangebyscore(key("z"), "(0", "8")).toBe(3);
    expect(await redis.zremrangebyscore(key("z"), "(-inf", "(inf")).toBe(3);
    expect(await redis.zremrangebyscore(key("z"), "1", "0")).toBe(0);
    expect(await redis.call("ZRANGE", key("z"), "0", "-1")).toEqual([
      "ninf",
      "pinf",
    ]);
    await letters(redis, key("l"));
    expect(await redis.zremrangebylex(key("l"), "(a", "[c")).toBe(3);
    expect(await redis.zremrangebylex(key("l"), "[x", "+")).toBe(0);
    expect(await redis.call("ZRANGE", key("l"), "0", "-1")).toEqual([
      "",
      "a",
      "d",
    ]);
  });

  it("the last member's removal deletes the key; a remaining set keeps its time to live", async () => {
    const { redis, key } = await setUp();
    await zaddAll(redis, key("z"), SCORED);
    await redis.expire(key("z"), 1000);
    await redis.zremrangebyrank(key("z"), 0, 0);
    expect(await redis.ttl(key("z"))).toBeGreaterThan(900);
    expect(await redis.zremrangebyscore(key("z"), "-inf", "+inf")).toBe(7);
    expect(await redis.exists(key("z"))).toBe(0);
    await letters(redis, key("l"));
    expect(await redis.zremrangebylex(key("l"), "-", "+")).toBe(6);
    expect(await redis.exists(key("l"))).toBe(0);
  });

  it("the range is read first, then the key: errors on a missing key or a list; 0 for a missing key", async () => {
    const { redis, key, list } = await setUp();
    expect(await errorOf(redis.zremrangebyrank(key("none"), "a", 1))).toBe(
      NOT_AN_INTEGER,
    );
    expect(await errorOf(redis.zremrangebyscore(list, "x", 1))).toBe(
      NOT_A_FLOAT,
    );
    expect(await errorOf(redis.zremrangebylex(list, "x", "+"))).toBe(
      NOT_A_LEX_ITEM,
    );
    expect(await errorOf(redis.zremrangebyrank(list, 0, 1))).toBe(WRONGTYPE);
    expect(await errorOf(redis.zremrangebyscore(list, 0, 1))).toBe(WRONGTYPE);
    expect(await errorOf(redis.zremrangebylex(list, "-", "+"))).toBe(WRONGTYPE);
    expect(await redis.zremrangebyrank(key("none"), 0, -1)).toBe(0);
    expect(await redis.zremrangebyscore(key("none"), "-inf", "+inf")).toBe(0);
    expect(await redis.zremrangebylex(key("none"), "-", "+")).toBe(0);
  });
});

describe("the exact bytes of the replies, in the project's protocol", () => {
  it("WITHSCORES: members and scores flat in RESP2, [member, double] pairs in RESP3; an empty array for nothing", async () => {
    const raw = await speakProtocol(await server.raw(), protocol);
    const key = keysForThisTest();
    const z = key("z");
    await raw.send(
      Buffer.concat([
        encodeCommand("ZADD", z, "1.1", "a", "2", "b"),
        encodeCommand("ZRANGE", z, "0", "-1", "WITHSCORES"),
        encodeCommand("ZRANGEBYSCORE", z, "2", "+inf", "WITHSCORES"),
        encodeCommand("ZRANGE", z, "0", "-1"),
        encodeCommand("ZRANGE", z, "5", "6", "WITHSCORES"),
        encodeCommand("ZRANGE", key("none"), "0", "-1", "WITHSCORES"),
        encodeCommand("ZRANGESTORE", key("d"), z, "0", "0"),
        encodeCommand("DEL", z, key("d")),
      ]),
    );
    const a = "$1\r\na\r\n";
    const b = "$1\r\nb\r\n";
    const scoreA =
      protocol === 3
        ? ",1.1000000000000001\r\n"
        : "$18\r\n1.1000000000000001\r\n";
    const scoreB = protocol === 3 ? ",2\r\n" : "$1\r\n2\r\n";
    const both =
      protocol === 3
        ? `*2\r\n*2\r\n${a}${scoreA}*2\r\n${b}${scoreB}`
        : `*4\r\n${a}${scoreA}${b}${scoreB}`;
    const onlyB =
      protocol === 3 ? `*1\r\n*2\r\n${b}${scoreB}` : `*2\r\n${b}${scoreB}`;
    await expectBytes(
      raw,
      `:2\r\n${both}${onlyB}*2\r\n${a}${b}*0\r\n*0\r\n:1\r\n:2\r\n`,
    );
  });
});

describe("the AOF", () => {
  itRestarts(
    "ZRANGESTORE and ZREMRANGEBY* are logged as given when they change something, and replay to the same sets",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      // In the project's protocol, which `contentsOf` reads the replies in.
      const redis = await restartable.client({ protocol });
      const run = (...words: string[]) =>
        redis.call(words[0]!, ...words.slice(1));
      await run("ZADD", "s", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      await run("ZRANGESTORE", "d", "s", "0", "1");
      await run("ZRANGESTORE", "d", "s", "10", "11"); // deletes d
      await run("ZRANGESTORE", "d", "s", "10", "11"); // nothing to delete
      await run("ZRANGESTORE", "n", "none", "0", "-1"); // nothing either
      await run("ZRANGE", "s", "0", "-1");
      await run("ZCOUNT", "s", "-inf", "+inf");
      await run("ZREMRANGEBYRANK", "s", "10", "20"); // nothing to remove
      await run("ZREMRANGEBYRANK", "s", "0", "0");
      await run("ZREMRANGEBYSCORE", "s", "100", "200"); // nothing
      await run("ZREMRANGEBYSCORE", "s", "(1", "2");
      await run("ZREMRANGEBYLEX", "s", "[x", "[y"); // nothing
      await run(
        "ZRANGESTORE",
        "r",
        "s",
        "(2",
        "+inf",
        "BYSCORE",
        "LIMIT",
        "1",
        "2",
      );
      await run("ZADD", "t", "0", "x", "0", "y");
      await run("ZREMRANGEBYLEX", "t", "-", "+"); // deletes t
      expect(aofRecords(restartable)).toEqual([
        ["SELECT", "0"],
        ["ZADD", "s", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"],
        ["ZRANGESTORE", "d", "s", "0", "1"],
        ["ZRANGESTORE", "d", "s", "10", "11"],
        ["ZREMRANGEBYRANK", "s", "0", "0"],
        ["ZREMRANGEBYSCORE", "s", "(1", "2"],
        ["ZRANGESTORE", "r", "s", "(2", "+inf", "BYSCORE", "LIMIT", "1", "2"],
        ["ZADD", "t", "0", "x", "0", "y"],
        ["ZREMRANGEBYLEX", "t", "-", "+"],
      ]);
      const state = async (client: Redis) =>
        Promise.all(
          ["s", "d", "n", "r", "t"].map(async (key) => [
            key,
            await contentsOf(client, key),
          ]),
        );
      const before = await state(redis);
      expect(before).toEqual([
        [
          "s",
          [
            ["c", "3"],
            ["d", "4"],
            ["e", "5"],
          ],
        ],
        ["d", []],
        ["n", []],
        [
          "r",
          [
            ["d", "4"],
            ["e", "5"],
          ],
        ],
        ["t", []],
      ]);
      await restartable.restart();
      expect(await state(await restartable.client({ protocol }))).toEqual(
        before,
      );
    },
  );
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  const READ_SLOW = ["@read", "@sortedset", "@slow"];
  const READ_FAST = ["@read", "@sortedset", "@fast"];
  const WRITE_SLOW = ["@write", "@sortedset", "@slow"];
  const READONLY = ["readonly"];

  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["zrange", -4, READONLY, 1, 1, 1, READ_SLOW, []],
    ["zrangestore", -5, ["write", "denyoom"], 1, 2, 1, WRITE_SLOW, []],
    ["zrevrange", -4, READONLY, 1, 1, 1, READ_SLOW, []],
    ["zrangebyscore", -4, READONLY, 1, 1, 1, READ_SLOW, []],
    ["zrevrangebyscore", -4, READONLY, 1, 1, 1, READ_SLOW, []],
    ["zrangebylex", -4, READONLY, 1, 1, 1, READ_SLOW, []],
    ["zrevrangebylex", -4, READONLY, 1, 1, 1, READ_SLOW, []],
    ["zcount", 4, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["zlexcount", 4, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["zremrangebyrank", 4, ["write"], 1, 1, 1, WRITE_SLOW, []],
    ["zremrangebyscore", 4, ["write"], 1, 1, 1, WRITE_SLOW, []],
    ["zremrangebylex", 4, ["write"], 1, 1, 1, WRITE_SLOW, []],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 8)).toEqual(row);
  });

  const KEY = ["name", "key", "type", "key"];
  const argument = (name: string, type: string) => ["name", name, "type", type];
  const OPTIONAL = ["flags", ["optional"]];
  const OFFSET_COUNT = [
    ["name", "offset", "type", "integer"],
    ["name", "count", "type", "integer"],
  ];
  const limit = (since?: string) => [
    ...["name", "offset_count", "type", "block", "token", "LIMIT"],
    ...(since === undefined ? [] : ["since", since]),
    ...OPTIONAL,
    ...["arguments", OFFSET_COUNT],
  ];
  const withScores = (since?: string) => [
    ...["name", "withscores", "type", "pure-token", "token", "WITHSCORES"],
    ...(since === undefined ? [] : ["since", since]),
    ...OPTIONAL,
  ];
  const sortBy = (since?: string) => [
    ...["name", "sortby", "type", "oneof"],
    ...(since === undefined ? [] : ["since", since]),
    ...OPTIONAL,
    "arguments",
    [
      ["name", "byscore", "type", "pure-token", "token", "BYSCORE"],
      ["name", "bylex", "type", "pure-token", "token", "BYLEX"],
    ],
  ];
  const rev = (since?: string) => [
    ...["name", "rev", "type", "pure-token", "token", "REV"],
    ...(since === undefined ? [] : ["since", since]),
    ...OPTIONAL,
  ];
  const RANGE =
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";
  const RANGE_BY =
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).";
  const COUNT =
    "O(log(N)) with N being the number of elements in the sorted set.";
  const REMOVE =
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.";

  /** COMMAND DOCS's fields, in Redis's order (command-docs-helpers.ts). */
  const docs = (fields: DocFields) => commandDocs("sorted-set", fields);

  it.each([
    [
      "zrange",
      docs({
        summary: "Return a range of members in a sorted set",
        since: "1.2.0",
        complexity: RANGE,
        history: [
          ["6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."],
        ],
        arguments: [
          KEY,
          argument("start", "string"),
          argument("stop", "string"),
          sortBy("6.2.0"),
          rev("6.2.0"),
          limit("6.2.0"),
          withScores(),
        ],
      }),
    ],
    [
      "zrangestore",
      docs({
        summary: "Store a range of members from sorted set into another key",
        since: "6.2.0",
        complexity:
          "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
        arguments: [
          argument("dst", "key"),
          argument("src", "key"),
          argument("min", "string"),
          argument("max", "string"),
          sortBy(),
          rev(),
          limit(),
        ],
      }),
    ],
    [
      "zrevrange",
      docs({
        summary:
          "Return a range of members in a sorted set, by index, with scores ordered from high to low",
        since: "1.2.0",
        complexity: RANGE,
        deprecated: ["6.2.0", "`ZRANGE` with the `REV` argument"],
        arguments: [
          KEY,
          argument("start", "integer"),
          argument("stop", "integer"),
          withScores(),
        ],
      }),
    ],
    [
      "zrangebyscore",
      docs({
        summary: "Return a range of members in a sorted set, by score",
        since: "1.0.5",
        complexity: RANGE_BY,
        deprecated: ["6.2.0", "`ZRANGE` with the `BYSCORE` argument"],
        history: [["2.0.0", "Added the `WITHSCORES` modifier."]],
        arguments: [
          KEY,
          argument("min", "double"),
          argument("max", "double"),
          withScores("2.0.0"),
          limit(),
        ],
      }),
    ],
    [
      "zrevrangebyscore",
      docs({
        summary:
          "Return a range of members in a sorted set, by score, with scores ordered from high to low",
        since: "2.2.0",
        complexity: RANGE_BY,
        deprecated: [
          "6.2.0",
          "`ZRANGE` with the `REV` and `BYSCORE` arguments",
        ],
        history: [["2.1.6", "`min` and `max` can be exclusive."]],
        arguments: [
          KEY,
          argument("max", "double"),
          argument("min", "double"),
          withScores(),
          limit(),
        ],
      }),
    ],
    [
      "zrangebylex",
      docs({
        summary:
          "Return a range of members in a sorted set, by lexicographical range",
        since: "2.8.9",
        complexity: RANGE_BY,
        deprecated: ["6.2.0", "`ZRANGE` with the `BYLEX` argument"],
        arguments: [
          KEY,
          argument("min", "string"),
          argument("max", "string"),
          limit(),
        ],
      }),
    ],
    [
      "zrevrangebylex",
      docs({
        summary:
          "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
        since: "2.8.9",
        complexity: RANGE_BY,
        deprecated: ["6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments"],
        arguments: [
          KEY,
          argument("max", "string"),
          argument("min", "string"),
          limit(),
        ],
      }),
    ],
    [
      "zcount",
      docs({
        summary:
          "Count the members in a sorted set with scores within the given values",
        since: "2.0.0",
        complexity: COUNT,
        arguments: [KEY, argument("min", "double"), argument("max", "double")],
      }),
    ],
    [
      "zlexcount",
      docs({
        summary:
          "Count the number of members in a sorted set between a given lexicographical range",
        since: "2.8.9",
        complexity: COUNT,
        arguments: [KEY, argument("min", "string"), argument("max", "string")],
      }),
    ],
    [
      "zremrangebyrank",
      docs({
        summary: "Remove all members in a sorted set within the given indexes",
        since: "2.0.0",
        complexity: REMOVE,
        arguments: [
          KEY,
          argument("start", "integer"),
          argument("stop", "integer"),
        ],
      }),
    ],
    [
      "zremrangebyscore",
      docs({
        summary: "Remove all members in a sorted set within the given scores",
        since: "1.2.0",
        complexity: REMOVE,
        arguments: [KEY, argument("min", "double"), argument("max", "double")],
      }),
    ],
    [
      "zremrangebylex",
      docs({
        summary:
          "Remove all members in a sorted set between the given lexicographical range",
        since: "2.8.9",
        complexity: REMOVE,
        arguments: [KEY, argument("min", "string"), argument("max", "string")],
      }),
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsWithoutKeySpecs(await server.client(), name)).toEqual(
      expected,
    );
  });
});
