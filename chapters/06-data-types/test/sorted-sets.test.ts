/**
 * Article step "sorted-sets": the sorted-set commands that work member
 * by member (ZADD and its options, ZINCRBY, ZREM, ZCARD, ZSCORE,
 * ZMSCORE, ZRANK, ZREVRANK, ZSCAN) with Redis 7.0.15's replies and
 * errors, in the order Redis checks them; scores read as Redis's
 * `string2d` reads them and written as `%.17g`; the two encodings and
 * where a sorted set goes from one to the other (OBJECT ENCODING, with
 * the zset-max-listpack-* settings changed by CONFIG SET and put back
 * after each test); and sorted sets in the AOF, appended and rewritten,
 * and loaded by redis-server.
 *
 * Members with equal scores are ordered by their bytes, which ZRANK and
 * a listpack's ZSCAN show. A skiplist's ZSCAN walks its hash table, in
 * the table's own order, so those replies are compared sorted. Through
 * ioredis in the project's protocol (it hands a RESP3 double over as
 * its text, as RESP2's bulk string), and over a raw socket where the
 * bytes differ between RESP2 and RESP3. Each test makes its own keys
 * under a random prefix: the tests share a server (a real Redis one
 * under REDIS_URL).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { startChapterServer, useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  clientWithList,
  encodingOf,
  errorOf,
  keysForThisTest,
  NOT_AN_INTEGER,
  scanToEnd,
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
  aofBytes,
  aofCommands,
  disconnect,
  itRestarts,
  rewrite,
  startRedis,
  startRestartableServer,
} from "./persistence-helpers.ts";
import {
  connectTo,
  freshFolder,
  itCrossesFiles,
  redisAofFiles,
  redisServerBinary,
} from "./crossing-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

const NOT_A_FLOAT = "ERR value is not a valid float";
const NAN_SCORE = "ERR resulting score is not a number (NaN)";

/** `count` members `m0`, `m1`, ..., each after its score `i`: ZADD's arguments. */
function scoredMembers(count: number, score = (i: number) => i): string[] {
  return Array.from({ length: count }, (_, i) => [
    String(score(i)),
    `m${i}`,
  ]).flat();
}

/**
 * Every member with its score as ZSCAN writes it, walked to the end and
 * sorted by member: `[[member, score], ...]`. A skiplist's scan comes in
 * its table's order, so this is how two of them compare.
 */
async function scannedPairs(
  redis: Redis,
  key: string,
): Promise<[string, string][]> {
  const { items } = await scanToEnd(redis, "ZSCAN", key, "COUNT", "100");
  const pairs: [string, string][] = [];
  for (let i = 0; i < items.length; i += 2) {
    pairs.push([items[i]!, items[i + 1]!]);
  }
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** ZRANK of each member: the order, as the sorted set keeps it. */
async function ranksOf(
  redis: Redis,
  key: string,
  members: readonly string[],
): Promise<(number | null)[]> {
  return Promise.all(members.map((member) => redis.zrank(key, member)));
}

describe("ZADD, ZSCORE and ZCARD", () => {
  it("ZADD answers how many members are new; a member given again is moved, not repeated", async () => {
    const { redis, key } = await setUp();
    expect(await redis.zadd(key("z"), "3", "c", "1", "a", "2", "b")).toBe(3);
    expect(await redis.zadd(key("z"), "10", "a", "4", "d")).toBe(1);
    expect(await redis.zcard(key("z"))).toBe(4);
    expect(await redis.zscore(key("z"), "a")).toBe("10");
    expect(await ranksOf(redis, key("z"), ["b", "c", "d", "a"])).toEqual([
      0, 1, 2, 3,
    ]);
    // The same member twice in one command: counted once, the last score stays.
    expect(await redis.zadd(key("w"), "1", "x", "2", "x", "3", "x")).toBe(1);
    expect(await redis.zscore(key("w"), "x")).toBe("3");
  });

  it("scores come back as %.17g: 17 significant digits, inf and -inf", async () => {
    const { redis, key } = await setUp();
    const cases: [string, string][] = [
      ["1.1", "1.1000000000000001"],
      ["0.1", "0.10000000000000001"],
      ["1e-5", "1.0000000000000001e-05"],
      ["1.5", "1.5"],
      ["100", "100"],
      ["1e16", "10000000000000000"],
      ["1e17", "1e+17"],
      ["123456789012345678", "1.2345678901234568e+17"],
      ["-2.5e-300", "-2.5e-300"],
      ["inf", "inf"],
      ["-inf", "-inf"],
    ];
    for (const [i, [score]] of cases.entries()) {
      await redis.zadd(key("z"), score, `m${i}`);
    }
    for (const [i, [, text]] of cases.entries()) {
      expect(await redis.zscore(key("z"), `m${i}`)).toBe(text);
    }
  });

  it("a missing key has no score and no members, and is not created", async () => {
    const { redis, key } = await setUp();
    expect(await redis.zscore(key("none"), "a")).toBe(null);
    expect(await redis.zcard(key("none"))).toBe(0);
    expect(await redis.zmscore(key("none"), "a", "b")).toEqual([null, null]);
    expect(await redis.zrank(key("none"), "a")).toBe(null);
    expect(await redis.zrem(key("none"), "a")).toBe(0);
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("members are bytes: empty, NUL, CR LF and bytes above 0x7f", async () => {
    const { redis, key } = await setUp();
    const members = ["", "\0", "a\r\nb", "\xff\xfe"].map((text) =>
      Buffer.from(text, "latin1"),
    );
    await redis.zadd(key("z"), "4", members[0]!, "3", members[1]!);
    await redis.zadd(key("z"), "2", members[2]!, "1", members[3]!);
    const [, words] = (await redis.callBuffer("ZSCAN", key("z"), "0")) as [
      Buffer,
      Buffer[],
    ];
    expect(words.map((word) => word.toString("latin1"))).toEqual([
      "\xff\xfe",
      "1",
      "a\r\nb",
      "2",
      "\0",
      "3",
      "",
      "4",
    ]);
    expect(await redis.zscore(key("z"), members[1]!)).toBe("3");
  });

  it("equal scores are ordered by bytes: U+FF61 (EF BD A1) before 😀 (F0 9F 98 80)", async () => {
    const { redis, key } = await setUp();
    // JavaScript's < on these strings says the opposite: it compares
    // UTF-16 units, and 😀's first one, 0xD83D, is below 0xFF61.
    await redis.zadd(key("z"), "0", "😀", "0", "｡", "0", "z", "-1", "😀😀");
    expect(await ranksOf(redis, key("z"), ["😀😀", "z", "｡", "😀"])).toEqual([
      0, 1, 2, 3,
    ]);
    expect(await redis.zrevrank(key("z"), "😀")).toBe(0);
  });

  it("a write keeps the key's time to live", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a", "2", "b");
    await redis.expire(key("z"), 1000);
    await redis.zadd(key("z"), "3", "c");
    await redis.zincrby(key("z"), "1", "a");
    await redis.zrem(key("z"), "b");
    expect(await redis.ttl(key("z"))).toBeGreaterThan(990);
  });
});

describe("ZADD's options", () => {
  it("NX only adds, XX only updates; CH counts the members moved as well as the new", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a", "2", "b", "3", "c");
    expect(await redis.zadd(key("z"), "CH", "1", "a", "5", "b", "4", "d")).toBe(
      2,
    );
    expect(await redis.zadd(key("z"), "NX", "9", "a", "9", "e")).toBe(1);
    expect(await redis.zadd(key("z"), "XX", "CH", "7", "a", "7", "h")).toBe(1);
    expect(await redis.zadd(key("z"), "xx", "ch", "7", "a")).toBe(0);
    expect(await redis.zmscore(key("z"), "a", "b", "d", "e", "h")).toEqual([
      "7",
      "5",
      "4",
      "9",
      null,
    ]);
    // Repeats count each change: 1 to 1 is none, 1 to 2 is one.
    await redis.zadd(key("r"), "1", "a");
    expect(
      await redis.zadd(key("r"), "CH", "1", "a", "1", "a", "2", "a", "3", "a"),
    ).toBe(2);
  });

  it("XX on a missing key creates nothing", async () => {
    const { redis, key } = await setUp();
    expect(await redis.zadd(key("none"), "XX", "1", "a")).toBe(0);
    expect(await redis.zadd(key("none"), "XX", "INCR", "5", "a")).toBe(null);
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("GT and LT move a member one way only, and never stop a new member", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "5", "a", "5", "b");
    expect(
      await redis.zadd(key("z"), "GT", "CH", "4", "a", "6", "b", "1", "c"),
    ).toBe(2);
    expect(
      await redis.zadd(key("z"), "LT", "CH", "4", "a", "6", "b", "9", "d"),
    ).toBe(2);
    expect(await redis.zadd(key("z"), "GT", "CH", "4", "a")).toBe(0); // equal
    expect(
      await redis.zadd(key("z"), "XX", "GT", "CH", "8", "a", "8", "e"),
    ).toBe(1);
    expect(await redis.zmscore(key("z"), "a", "b", "c", "d", "e")).toEqual([
      "8",
      "6",
      "1",
      "9",
      null,
    ]);
  });

  it("INCR answers the new score; nil when an option stops it; GT and LT look at the sum", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a");
    const zadd = (...args: string[]) => redis.call("ZADD", key("z"), ...args);
    expect(await zadd("INCR", "1.5", "a")).toBe("2.5");
    expect(await zadd("INCR", "1", "new")).toBe("1");
    expect(await zadd("GT", "INCR", "-1", "a")).toBe(null);
    expect(await zadd("GT", "INCR", "0", "a")).toBe(null); // not greater
    expect(await zadd("GT", "INCR", "1", "a")).toBe("3.5");
    expect(await zadd("LT", "INCR", "1", "a")).toBe(null);
    expect(await zadd("LT", "INCR", "-0.5", "a")).toBe("3");
    expect(await zadd("NX", "INCR", "1", "a")).toBe(null);
    expect(await zadd("XX", "INCR", "1", "nope")).toBe(null);
    // An increment of 0 changes nothing, yet answers the score.
    expect(await zadd("INCR", "0", "a")).toBe("3");
    expect(await zadd("CH", "INCR", "1", "a")).toBe("4");
    expect(await redis.zmscore(key("z"), "a", "new", "nope")).toEqual([
      "4",
      "1",
      null,
    ]);
  });

  it("errors in Redis's order: pairs, NX with XX, GT/LT/NX, INCR's pair, the scores, then the key's type", async () => {
    const { redis, key, list } = await setUp();
    const zadd = (target: string, ...args: string[]) =>
      errorOf(redis.call("ZADD", target, ...args));
    expect(await zadd(key("z"))).toBe(
      "ERR wrong number of arguments for 'zadd' command",
    );
    expect(await zadd(key("z"), "1")).toBe(
      "ERR wrong number of arguments for 'zadd' command",
    );
    // The options are the keywords up front; what follows must be pairs.
    expect(await zadd(list, "NX", "1")).toBe(SYNTAX_ERROR);
    expect(await zadd(list, "NX", "XX", "1")).toBe(SYNTAX_ERROR);
    expect(await zadd(list, "1", "a", "abc")).toBe(SYNTAX_ERROR);
    expect(await zadd(list, "NX", "XX", "abc", "m")).toBe(
      "ERR XX and NX options at the same time are not compatible",
    );
    expect(await zadd(list, "INCR", "NX", "XX", "1", "a")).toBe(
      "ERR XX and NX options at the same time are not compatible",
    );
    for (const options of [
      ["GT", "LT"],
      ["NX", "GT"],
      ["lt", "nx"],
    ]) {
      expect(await zadd(list, ...options, "abc", "m")).toBe(
        "ERR GT, LT, and/or NX options at the same time are not compatible",
      );
    }
    expect(await zadd(list, "INCR", "abc", "a", "2", "b")).toBe(
      "ERR INCR option supports a single increment-element pair",
    );
    expect(await zadd(list, "1", "a", "abc", "b")).toBe(NOT_A_FLOAT);
    expect(await zadd(list, "XX", "1", "a")).toBe(WRONGTYPE);
    expect(await zadd(list, "INCR", "1", "a")).toBe(WRONGTYPE);
  });

  it("every score is read before anything changes: one bad score, and the set stays as it was", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a");
    expect(
      await errorOf(redis.zadd(key("z"), "5", "a", "6", "b", "x", "c")),
    ).toBe(NOT_A_FLOAT);
    expect(await redis.zmscore(key("z"), "a", "b")).toEqual(["1", null]);
    expect(await errorOf(redis.zadd(key("new"), "1", "a", "nan", "b"))).toBe(
      NOT_A_FLOAT,
    );
    expect(await redis.exists(key("new"))).toBe(0);
  });

  it("option keywords are read in any case, and as C strings: NX\\0junk is NX", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a");
    expect(
      await redis.call("ZADD", key("z"), "nX", "Ch", "5", "a", "5", "b"),
    ).toBe(1);
    expect(
      await redis.call("ZADD", key("z"), Buffer.from("XX\0junk"), "9", "c"),
    ).toBe(0);
    expect(await redis.zmscore(key("z"), "a", "b", "c")).toEqual([
      "1",
      "5",
      null,
    ]);
  });
});

describe("ZINCRBY", () => {
  it("adds to a member's score, from 0 for a new member or key; answers the new score", async () => {
    const { redis, key } = await setUp();
    expect(await redis.zincrby(key("z"), "1.1", "a")).toBe(
      "1.1000000000000001",
    );
    expect(await redis.zincrby(key("z"), "-3", "a")).toBe(
      "-1.8999999999999999",
    );
    expect(await redis.zincrby(key("z"), "0x10", "b")).toBe("16");
    expect(await redis.zcard(key("z"))).toBe(2);
  });

  it("infinity stays, and infinity minus infinity is refused: NaN is never a score", async () => {
    const { redis, key } = await setUp();
    expect(await redis.zincrby(key("z"), "inf", "a")).toBe("inf");
    expect(await redis.zincrby(key("z"), "1e308", "a")).toBe("inf");
    expect(await errorOf(redis.zincrby(key("z"), "-inf", "a"))).toBe(NAN_SCORE);
    expect(await errorOf(redis.zadd(key("z"), "INCR", "-inf", "a"))).toBe(
      NAN_SCORE,
    );
    expect(await redis.zscore(key("z"), "a")).toBe("inf");
    // A finite sum too large is infinity, not an error.
    expect(await redis.zincrby(key("z"), "1.7976931348623157e308", "b")).toBe(
      "1.7976931348623157e+308",
    );
    expect(await redis.zincrby(key("z"), "1.7976931348623157e308", "b")).toBe(
      "inf",
    );
  });

  it("its increment goes through ZADD's option reading: NX or INCR there is a syntax error", async () => {
    const { redis, key, list } = await setUp();
    for (const [increment, member] of [
      ["nx", "m"],
      ["incr", "m"],
      ["ch", "incr"],
      ["GT", "m"],
    ]) {
      expect(
        await errorOf(redis.call("ZINCRBY", list, increment!, member!)),
      ).toBe(SYNTAX_ERROR);
    }
    expect(await errorOf(redis.zincrby(list, "abc", "m"))).toBe(NOT_A_FLOAT);
    expect(await errorOf(redis.zincrby(list, "1", "m"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("ZINCRBY", key("z"), "1"))).toBe(
      "ERR wrong number of arguments for 'zincrby' command",
    );
  });
});

describe("scores, read as Redis's string2d reads them", () => {
  it.each([
    ["1.5", "1.5"],
    ["-2", "-2"],
    ["+3", "3"],
    [".5", "0.5"],
    ["5.", "5"],
    ["00012", "12"],
    ["1E3", "1000"],
    ["1.5e-3", "0.0015"],
    ["inf", "inf"],
    ["+inf", "inf"],
    ["-INF", "-inf"],
    ["Infinity", "inf"],
    ["-infinity", "-inf"],
    ["0x10", "16"],
    ["-0x1.8p1", "-3"],
    ["0X.8", "0.5"],
    ["0x1.00000000000018p0", "1.0000000000000004"], // a tie, to even
    ["1.7976931348623158e308", "1.7976931348623157e+308"], // rounds down to the largest
    ["1e-310", "9.9999999999999694e-311"], // subnormal: tiny, not zero
    ["2.4703282292062328e-324", "4.9406564584124654e-324"],
    ["0e-400", "0"],
  ])("%j is accepted, and reads back as %j", async (text, back) => {
    const { redis, key } = await setUp();
    expect(await redis.zadd(key("z"), text, "m")).toBe(1);
    expect(await redis.zscore(key("z"), "m")).toBe(back);
  });

  it.each([
    [""],
    [" 1"],
    ["\t1"],
    ["1 "],
    ["1x"],
    ["1_000"],
    ["."],
    ["-"],
    ["1e"],
    ["1e+"],
    ["0x"],
    ["0x1p"],
    ["infinit"],
    ["inf(1)"],
    ["nan"],
    ["-NaN"],
    ["1e400"],
    ["-1e400"],
    ["1.7976931348623159e308"],
    ["1e-400"],
    ["2.4703282292062327e-324"],
    ["0x1p-1075"],
    ["1\x002"],
  ])("%j is not a valid float", async (text) => {
    const { redis, key } = await setUp();
    expect(await errorOf(redis.zadd(key("z"), text, "m"))).toBe(NOT_A_FLOAT);
    expect(await errorOf(redis.zincrby(key("z"), text, "m"))).toBe(NOT_A_FLOAT);
  });
});

describe("ZREM, ZMSCORE, ZRANK and ZREVRANK", () => {
  it("ZREM removes what is there and answers how many; the last member deletes the key", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a", "2", "b", "3", "c");
    expect(await redis.zrem(key("z"), "b", "nope", "b")).toBe(1);
    expect(await redis.zcard(key("z"))).toBe(2);
    expect(await redis.zrem(key("z"), "a", "c", "later")).toBe(2);
    expect(await redis.exists(key("z"))).toBe(0);
  });

  it("ZMSCORE answers an array, nil for each member not there", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1.5", "a", "-inf", "b");
    expect(await redis.zmscore(key("z"), "b", "nope", "a", "b")).toEqual([
      "-inf",
      null,
      "1.5",
      "-inf",
    ]);
  });

  it("ZRANK counts from the lowest score, ZREVRANK from the highest, both from 0", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "2", "b", "1", "a", "2", "c", "inf", "d");
    expect(await ranksOf(redis, key("z"), ["a", "b", "c", "d", "e"])).toEqual([
      0,
      1,
      2,
      3,
      null,
    ]);
    expect(
      await Promise.all(
        ["a", "b", "c", "d", "e"].map((m) => redis.zrevrank(key("z"), m)),
      ),
    ).toEqual([3, 2, 1, 0, null]);
  });

  it("Redis 7.0's ZRANK has no WITHSCORE: a third argument is an arity error", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a");
    expect(await errorOf(redis.call("ZRANK", key("z"), "a", "WITHSCORE"))).toBe(
      "ERR wrong number of arguments for 'zrank' command",
    );
    expect(
      await errorOf(redis.call("ZREVRANK", key("z"), "a", "WITHSCORE")),
    ).toBe("ERR wrong number of arguments for 'zrevrank' command");
  });

  it("a key of another type is WRONGTYPE for every command", async () => {
    const { redis, list } = await setUp();
    for (const command of [
      ["ZCARD", list],
      ["ZSCORE", list, "a"],
      ["ZMSCORE", list, "a", "b"],
      ["ZRANK", list, "a"],
      ["ZREVRANK", list, "a"],
      ["ZREM", list, "a"],
      ["ZSCAN", list, "0"],
      ["ZADD", list, "1", "a"],
      ["ZINCRBY", list, "1", "a"],
    ]) {
      expect(await errorOf(redis.call(command[0]!, ...command.slice(1)))).toBe(
        WRONGTYPE,
      );
    }
    expect(await redis.lrange(list, 0, -1)).toEqual(["a"]);
  });
});

describe("ZSCAN", () => {
  it("a listpack answers whole in one call, in order, cursor 0, whatever the cursor and COUNT say", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), ...scoredMembers(100, (i) => 100 - i));
    const all = Array.from({ length: 100 }, (_, i) => [
      `m${99 - i}`,
      String(i + 1),
    ]).flat();
    for (const cursor of ["0", "7"]) {
      expect(await redis.call("ZSCAN", key("z"), cursor, "COUNT", "1")).toEqual(
        ["0", all],
      );
    }
  });

  it("MATCH looks at the members, not the scores", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a1", "12", "b", "2", "a2");
    expect(await redis.zscan(key("z"), 0, "MATCH", "*1*")).toEqual([
      "0",
      ["a1", "1"],
    ]);
    expect(await redis.zscan(key("z"), 0, "MATCH", "a*")).toEqual([
      "0",
      ["a1", "1", "a2", "2"],
    ]);
  });

  it("a listpack holds whole scores up to 2^62 as integers, and its ZSCAN shows them so; a skiplist's writes %.17g", async () => {
    const { redis, key } = await setUp();
    const scores = [
      "1e17",
      "4611686018427387904", // 2^62
      "4611686018427388928", // the next double
      "-4611686018427387904",
      "1.5",
      "-inf",
    ];
    const args = scores.flatMap((score, i) => [score, `m${i}`]);
    await redis.zadd(key("listpack"), ...args);
    expect(await encodingOf(redis, key("listpack"))).toBe("listpack");
    expect(await redis.zscan(key("listpack"), 0)).toEqual([
      "0",
      [
        "m5",
        "-inf",
        "m3",
        "-4611686018427387904",
        "m4",
        "1.5",
        "m0",
        "100000000000000000",
        "m1",
        "4611686018427387904",
        "m2",
        "4.6116860184273889e+18",
      ],
    ]);
    // Elsewhere, the same scores are doubles, as %.17g writes them.
    expect(await redis.zscore(key("listpack"), "m0")).toBe("1e+17");
    await withConfig(redis, { "zset-max-listpack-entries": "0" }, async () => {
      await redis.zadd(key("skiplist"), ...args);
    });
    expect(await encodingOf(redis, key("skiplist"))).toBe("skiplist");
    expect(await scannedPairs(redis, key("skiplist"))).toEqual([
      ["m0", "1e+17"],
      ["m1", "4.6116860184273879e+18"],
      ["m2", "4.6116860184273889e+18"],
      ["m3", "-4.6116860184273879e+18"],
      ["m4", "1.5"],
      ["m5", "-inf"],
    ]);
  });

  it("a skiplist is walked by cursor: every member exactly once, MATCH and COUNT or not", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), ...scoredMembers(300, (i) => i / 4));
    expect(await encodingOf(redis, key("z"))).toBe("skiplist");
    for (const options of [
      [],
      ["COUNT", "7"],
      ["MATCH", "m1*", "COUNT", "50"],
    ]) {
      const { items, calls } = await scanToEnd(
        redis,
        "ZSCAN",
        key("z"),
        ...options,
      );
      const seen: string[] = [];
      for (let i = 0; i < items.length; i += 2) {
        expect(items[i + 1]).toBe(String(Number(items[i]!.slice(1)) / 4));
        seen.push(items[i]!);
      }
      const wanted = Array.from({ length: 300 }, (_, i) => `m${i}`).filter(
        (member) => options[0] !== "MATCH" || member.startsWith("m1"),
      );
      expect(calls).toBeGreaterThan(1);
      expect(seen.sort()).toEqual(wanted.sort());
    }
  });

  it("the cursor is read before the key, the options after its type; a missing key is a finished scan", async () => {
    const { redis, key, list } = await setUp();
    await redis.zadd(key("z"), "1", "a");
    const scan = (target: string, ...rest: string[]) =>
      errorOf(redis.call("ZSCAN", target, ...rest));
    expect(await scan(list, "abc")).toBe("ERR invalid cursor");
    expect(await scan(list, "0", "COUNT", "0")).toBe(WRONGTYPE);
    expect(await scan(key("z"), "0", "COUNT", "0")).toBe(SYNTAX_ERROR);
    expect(await scan(key("z"), "0", "COUNT", "x")).toBe(NOT_AN_INTEGER);
    expect(await scan(key("z"), "0", "MATCH")).toBe(SYNTAX_ERROR);
    expect(await redis.call("ZSCAN", key("none"), "0", "COUNT", "0")).toEqual([
      "0",
      [],
    ]);
  });
});

describe("the two encodings: listpack, then skiplist", () => {
  it("128 members by default are a listpack, 129 a skiplist", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), ...scoredMembers(128));
    expect(await encodingOf(redis, key("z"))).toBe("listpack");
    await redis.zadd(key("z"), "0", "m0"); // there already: no change
    expect(await encodingOf(redis, key("z"))).toBe("listpack");
    await redis.zadd(key("z"), "1000", "new");
    expect(await encodingOf(redis, key("z"))).toBe("skiplist");
    expect(await redis.zcard(key("z"))).toBe(129);
    expect(await redis.zrank(key("z"), "new")).toBe(128);
  });

  it("a member longer than 64 bytes makes a skiplist, at the first member or any later one", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("first"), "1", "x".repeat(65), "2", "b");
    expect(await encodingOf(redis, key("first"))).toBe("skiplist");
    await redis.zadd(key("later"), "1", "x".repeat(64));
    expect(await encodingOf(redis, key("later"))).toBe("listpack");
    await redis.zadd(key("later"), "2", "y".repeat(65));
    expect(await encodingOf(redis, key("later"))).toBe("skiplist");
    expect(await redis.zscore(key("later"), "x".repeat(64))).toBe("1");
  });

  it("zset-max-listpack-entries 0 makes every new sorted set a skiplist; a value of 0 lets only empty members in", async () => {
    const { redis, key } = await setUp();
    await withConfig(redis, { "zset-max-listpack-entries": "0" }, async () => {
      await redis.zadd(key("z"), "1", "a");
      expect(await encodingOf(redis, key("z"))).toBe("skiplist");
    });
    await withConfig(redis, { "zset-max-listpack-value": "0" }, async () => {
      await redis.zadd(key("empty"), "1", "");
      expect(await encodingOf(redis, key("empty"))).toBe("listpack");
      await redis.zadd(key("empty"), "2", "a");
      expect(await encodingOf(redis, key("empty"))).toBe("skiplist");
    });
  });

  it("the old zset-max-ziplist-* names set the same limits", async () => {
    const { redis, key } = await setUp();
    await withConfig(
      redis,
      { "zset-max-ziplist-entries": "3", "zset-max-ziplist-value": "5" },
      async () => {
        expect(await redis.config("GET", "zset-max-listpack-entries")).toEqual([
          "zset-max-listpack-entries",
          "3",
        ]);
        expect(await redis.config("GET", "zset-max-listpack-value")).toEqual([
          "zset-max-listpack-value",
          "5",
        ]);
        await redis.zadd(key("z"), "1", "a", "2", "b", "3", "c");
        expect(await encodingOf(redis, key("z"))).toBe("listpack");
        await redis.zadd(key("z"), "4", "d");
        expect(await encodingOf(redis, key("z"))).toBe("skiplist");
        await redis.zadd(key("long"), "1", "abcdef");
        expect(await encodingOf(redis, key("long"))).toBe("skiplist");
      },
    );
  });

  it("a lowered limit converts a listpack at its next new member, never at a move or a removal", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), ...scoredMembers(5));
    await withConfig(redis, { "zset-max-listpack-entries": "2" }, async () => {
      await redis.zadd(key("z"), "9", "m0");
      await redis.zincrby(key("z"), "1", "m1");
      await redis.zrem(key("z"), "m2");
      expect(await encodingOf(redis, key("z"))).toBe("listpack");
      await redis.zadd(key("z"), "1", "new");
      expect(await encodingOf(redis, key("z"))).toBe("skiplist");
    });
  });

  it("a skiplist never becomes a listpack again by removals", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), "1", "a", "2", "x".repeat(100));
    await redis.zrem(key("z"), "x".repeat(100));
    expect(await encodingOf(redis, key("z"))).toBe("skiplist");
    expect(await redis.zcard(key("z"))).toBe(1);
  });

  it("-0 stays -0 in a skiplist, but is 0 in a listpack, which holds it as the integer 0", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("listpack"), "-0", "a");
    expect(await redis.zscore(key("listpack"), "a")).toBe("0");
    await withConfig(redis, { "zset-max-listpack-entries": "0" }, async () => {
      await redis.zadd(key("skiplist"), "-0", "a");
    });
    expect(await redis.zscore(key("skiplist"), "a")).toBe("-0");
    // -0 and 0 are the same score: no move, and the sign stays.
    expect(await redis.zadd(key("skiplist"), "CH", "0", "a")).toBe(0);
    expect(await redis.zincrby(key("skiplist"), "0", "a")).toBe("0");
    expect(await redis.zscore(key("skiplist"), "a")).toBe("-0");
    expect(await redis.zincrby(key("skiplist"), "-0", "a")).toBe("-0");
  });
});

describe("the exact bytes of the replies, in the project's protocol", () => {
  /** A raw connection speaking the project's protocol, its HELLO answered and read. */
  async function rawClient(): Promise<RawSocket> {
    return speakProtocol(await server.raw(), protocol);
  }

  const nil = protocol === 3 ? "_" : "$-1";
  /** A double: `,text` in RESP3, a bulk string of the text in RESP2. */
  const score = (text: string) =>
    protocol === 3 ? `,${text}` : `$${text.length}\r\n${text}`;

  it("ZSCORE, ZINCRBY and ZADD INCR answer doubles; ZMSCORE an array with nil; ZRANK nil for no member", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("ZADD", key("z"), "1.1", "a", "-inf", "b"),
        encodeCommand("ZSCORE", key("z"), "a"),
        encodeCommand("ZSCORE", key("z"), "nope"),
        encodeCommand("ZINCRBY", key("z"), "1", "a"),
        encodeCommand("ZADD", key("z"), "INCR", "1e-5", "c"),
        encodeCommand("ZADD", key("z"), "NX", "INCR", "1", "c"),
        encodeCommand("ZMSCORE", key("z"), "b", "nope"),
        encodeCommand("ZMSCORE", key("none"), "a"),
        encodeCommand("ZRANK", key("z"), "nope"),
        encodeCommand("ZREVRANK", key("z"), "a"),
      ]),
    );
    await expectBytes(
      raw,
      `:2\r\n${score("1.1000000000000001")}\r\n${nil}\r\n` +
        `${score("2.1000000000000001")}\r\n${score("1.0000000000000001e-05")}\r\n${nil}\r\n` +
        `*2\r\n${score("-inf")}\r\n${nil}\r\n*1\r\n${nil}\r\n${nil}\r\n:0\r\n`,
    );
  });

  it("ZSCAN's scores are bulk strings in RESP3 too, flat after their members", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("ZADD", key("z"), "1.5", "a", "2", "b"),
        encodeCommand("ZSCAN", key("z"), "0"),
      ]),
    );
    await expectBytes(
      raw,
      ":2\r\n*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
  });
});

// #region aof
/** What a sorted set is, as a client sees it: encoding, then members and scores. */
async function stateOf(redis: Redis, keys: readonly string[]) {
  return Promise.all(
    keys.map(async (key) =>
      (await redis.exists(key)) === 0
        ? [key, "missing"]
        : [key, await encodingOf(redis, key), await scannedPairs(redis, key)],
    ),
  );
}

/** 150 members with scores that are no short decimals (i / 3), and one of each infinity. */
const BIG = [
  ...scoredMembers(150, (i) => i / 3),
  "inf",
  "top",
  "-inf",
  "bottom",
];

/** ZADD big commands of 64 pairs at most, as a rewrite writes them. */
function batchesOf(pairs: readonly string[][]): string[][] {
  const batches: string[][] = [];
  for (let from = 0; from < pairs.length; from += 64) {
    batches.push(["ZADD", "big", ...pairs.slice(from, from + 64).flat()]);
  }
  return batches;
}

describe("the AOF", () => {
  itRestarts(
    "sorted sets survive a restart, encodings included; writes are logged as they came, and what changes nothing is not logged",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      const redis = await restartable.client();
      await redis.zadd("z", "1", "a", "2", "b");
      await redis.zadd("z", "1", "a"); // the same score: no change
      await redis.zadd("z", "INCR", "0", "a"); // no change
      await redis.zincrby("z", "0", "a"); // no change
      await redis.zincrby("z", "1.5", "a");
      await redis.zadd("z", "INCR", "1", "b");
      await redis.zadd("z", "XX", "5", "q"); // no change
      await redis.zadd("none", "XX", "1", "q"); // creates nothing
      await redis.zadd("z", "GT", "1", "a"); // stopped
      await redis.zadd("z", "NX", "1", "a"); // stopped
      await redis.zrem("z", "nope"); // no change
      await redis.zadd("z", "CH", "3", "a", "0.1", "n");
      await redis.zadd("i", "inf", "m");
      await errorOf(redis.zincrby("i", "-inf", "m")); // refused: NaN
      await redis.zrem("i", "m");
      await redis.zadd("big", ...BIG);
      await redis.zadd("neg", "-0", "m");
      const keys = ["z", "none", "i", "big", "neg"];
      const before = await stateOf(redis, keys);
      if (restartable.kind === "ours") {
        // The same records as redis-server 7.0.15 writes for this session.
        expect(aofCommands(aofBytes(restartable))).toEqual([
          ["SELECT", "0"],
          ["zadd", "z", "1", "a", "2", "b"],
          ["zincrby", "z", "1.5", "a"],
          ["zadd", "z", "INCR", "1", "b"],
          ["zadd", "z", "CH", "3", "a", "0.1", "n"],
          ["zadd", "i", "inf", "m"],
          ["zrem", "i", "m"],
          ["zadd", "big", ...BIG],
          ["zadd", "neg", "-0", "m"],
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(await stateOf(again, keys)).toEqual(before);
      expect(before[0]).toEqual([
        "z",
        "listpack",
        [
          ["a", "3"],
          ["b", "3"],
          ["n", "0.10000000000000001"],
        ],
      ]);
    },
  );

  itRestarts(
    "BGREWRITEAOF writes a sorted set as ZADD commands of at most 64 pairs, each score as %.17g",
    async () => {
      const restartable = await startRestartableServer();
      const redis = await restartable.client();
      await redis.zadd("small", "1.1", "a", "-inf", "b", "1e17", "c");
      await redis.zadd("big", ...BIG);
      await redis.zadd("gone", "1", "a");
      await redis.del("gone");
      const keys = ["small", "big", "gone"];
      const before = await stateOf(redis, keys);
      await rewrite(redis);
      if (restartable.kind === "ours") {
        // Each score as ZSCORE writes it; in score order, where Redis
        // writes a skiplist's pairs in its hash table's order.
        const members = [
          "bottom",
          ...Array.from({ length: 150 }, (_, i) => `m${i}`),
          "top",
        ];
        const pairs = await Promise.all(
          members.map(async (member) => [
            (await redis.zscore("big", member))!,
            member,
          ]),
        );
        expect(pairs[2]).toEqual(["0.33333333333333331", "m1"]);
        const written = aofCommands(aofBytes(restartable));
        expect(written).toEqual([
          ["SELECT", "0"],
          ...(written[1]![1] === "small" ? [] : batchesOf(pairs)),
          [
            "ZADD",
            "small",
            "-inf",
            "b",
            "1.1000000000000001",
            "a",
            "1e+17",
            "c",
          ],
          ...(written[1]![1] === "small" ? batchesOf(pairs) : []),
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(await stateOf(again, keys)).toEqual(before);
    },
  );
});
// #endregion aof

// #region crossing files
describe("files crossed with redis-server 7.0.15", () => {
  itCrossesFiles(
    "redis-server loads our AOF with sorted sets in it, as appended and as rewritten",
    async () => {
      const ours = freshFolder("zset-aof-");
      const mine = await startChapterServer({ dir: ours, appendonly: true });
      const redis = await connectTo(
        { host: mine.host, port: mine.port },
        { protocol },
      );
      await redis.zadd("small", "1.1", "a", "-inf", "b", "1e17", "c");
      await redis.zadd("big", ...BIG);
      await redis.zincrby("big", "0.5", "m7");
      await redis.zadd("big", "GT", "CH", "1000", "m8", "-5", "m9");
      await redis.zrem("big", "m10", "m11");
      await redis.zadd("neg", "-0", "m", "2", "x".repeat(70));
      const keys = ["small", "big", "neg"];
      const expected = await stateOf(redis, keys);
      await disconnect(redis);
      await mine.close();

      for (const stage of ["appended", "rewritten"]) {
        if (stage === "rewritten") {
          const again = await startChapterServer({
            dir: ours,
            appendonly: true,
          });
          await rewrite(
            await connectTo(
              { host: again.host, port: again.port },
              { protocol },
            ),
          );
          await again.close();
        }
        // Redis finds appendonly.aof and no folder: it moves the file in,
        // as the base of a folder of its own, and loads it.
        const theirs = freshFolder("zset-aof-");
        writeFileSync(
          join(theirs, "appendonly.aof"),
          readFileSync(join(ours, "appendonly.aof")),
        );
        const instance = await startRedis(
          theirs,
          { appendonly: "yes" },
          redisServerBinary,
        );
        const client = await connectTo(instance.address, { protocol });
        expect(await stateOf(client, keys), stage).toEqual(expected);
        await disconnect(client);
        await instance.stop();
      }
    },
  );
  itCrossesFiles(
    "we load the AOF redis-server wrote (base and increments), pops included, and its rewrite holds the pairs ours writes",
    async () => {
      const theirs = freshFolder("zset-aof-");
      const settings = { appendonly: "yes", "aof-use-rdb-preamble": "no" };
      const first = await startRedis(theirs, settings, redisServerBinary);
      const redis = await connectTo(first.address, { protocol });
      await redis.zadd("small", "1.1", "a", "-inf", "b", "1e17", "c", "2", "d");
      await redis.zadd("big", ...BIG);
      await redis.zadd("neg", "-0", "m", "2", "x".repeat(70));
      await redis.zpopmin("small");
      await redis.call("ZMPOP", "1", "big", "MAX", "COUNT", "3");
      await redis.call("BZPOPMIN", "big", "0");
      await rewrite(redis);
      // More writes, into an incremental file.
      await redis.zincrby("big", "0.25", "m7");
      await redis.zadd("big", "GT", "CH", "1000", "m8", "-5", "m9");
      await redis.zrem("big", "m10");
      await redis.zunionstore("union", 2, "small", "neg", "WEIGHTS", "2", "3");
      await redis.call("BZMPOP", "0", "1", "small", "MIN", "COUNT", "5");
      await disconnect(redis);
      await first.stop();

      // What Redis itself finds in its files, loaded again.
      const keys = ["small", "big", "neg", "union"];
      const again = await startRedis(theirs, settings, redisServerBinary);
      const reloaded = await connectTo(again.address, { protocol });
      const expected = await stateOf(reloaded, keys);
      await disconnect(reloaded);
      await again.stop();

      const [base, ...increments] = redisAofFiles(theirs);
      expect(base!.name).toMatch(/\.base\.aof$/);
      expect(increments.length).toBeGreaterThan(0);
      const baseBytes = readFileSync(base!.name);
      const ours = freshFolder("zset-aof-");
      writeFileSync(
        join(ours, "appendonly.aof"),
        Buffer.concat([
          baseBytes,
          ...increments.map(({ name }) => readFileSync(name)),
        ]),
      );
      const mine = await startChapterServer({ dir: ours, appendonly: true });
      const client = await connectTo(
        { host: mine.host, port: mine.port },
        { protocol },
      );
      expect(await stateOf(client, keys)).toEqual(expected);
      await disconnect(client);
      await mine.close();

      // Ours rewrites the base file's sorted sets into ZADDs of the same
      // pairs, scores written alike (Redis writes a skiplist in its hash
      // table's order, ours in score order: compared as sets of pairs).
      const baseOnly = freshFolder("zset-aof-");
      writeFileSync(join(baseOnly, "appendonly.aof"), baseBytes);
      const third = await startChapterServer({
        dir: baseOnly,
        appendonly: true,
      });
      await rewrite(
        await connectTo({ host: third.host, port: third.port }, { protocol }),
      );
      await third.close();
      const pairs = (bytes: Buffer) =>
        aofCommands(bytes)
          .filter(([name]) => name?.toUpperCase() === "ZADD")
          .flatMap(([, key, ...rest]) =>
            rest.flatMap((word, i) =>
              i % 2 === 0 ? [`${key} ${rest[i + 1]} ${word}`] : [],
            ),
          )
          .sort();
      const redisPairs = pairs(baseBytes);
      expect(redisPairs.length).toBeGreaterThan(150);
      expect(pairs(readFileSync(join(baseOnly, "appendonly.aof")))).toEqual(
        redisPairs,
      );
    },
  );
});
// #endregion crossing files

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  const READ_FAST = ["@read", "@sortedset", "@fast"];
  const WRITE_FAST = ["@write", "@sortedset", "@fast"];

  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["zadd", -4, ["write", "denyoom", "fast"], 1, 1, 1, WRITE_FAST, []],
    ["zincrby", 4, ["write", "denyoom", "fast"], 1, 1, 1, WRITE_FAST, []],
    ["zrem", -3, ["write", "fast"], 1, 1, 1, WRITE_FAST, []],
    ["zcard", 2, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["zscore", 3, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["zmscore", -3, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["zrank", 3, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["zrevrank", 3, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    [
      "zscan",
      -3,
      ["readonly"],
      1,
      1,
      1,
      ["@read", "@sortedset", "@slow"],
      ["nondeterministic_output"],
    ],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 8)).toEqual(row);
  });

  const KEY = ["name", "key", "type", "key"];
  const MEMBER = ["name", "member", "type", "string"];
  const MEMBERS = [...MEMBER, "flags", ["multiple"]];
  const MULTIPLE = ["2.4.0", "Accepts multiple elements."];

  /** COMMAND DOCS's fields, in Redis's order (command-docs-helpers.ts). */
  const docs = (fields: DocFields) => commandDocs("sorted-set", fields);

  /** A pure token, optional, added in `since`. */
  function token(name: string, word: string, since?: string): unknown[] {
    return [
      ...["name", name, "type", "pure-token", "token", word],
      ...(since === undefined ? [] : ["since", since, "flags", ["optional"]]),
    ];
  }

  it.each([
    [
      "zadd",
      docs({
        summary:
          "Add one or more members to a sorted set, or update its score if it already exists",
        since: "1.2.0",
        complexity:
          "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        history: [
          MULTIPLE,
          ["3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."],
          ["6.2.0", "Added the `GT` and `LT` options."],
        ],
        arguments: [
          KEY,
          [
            ...["name", "condition", "type", "oneof", "since", "3.0.2"],
            ...["flags", ["optional"]],
            ...["arguments", [token("nx", "NX"), token("xx", "XX")]],
          ],
          [
            ...["name", "comparison", "type", "oneof", "since", "6.2.0"],
            ...["flags", ["optional"]],
            ...["arguments", [token("gt", "GT"), token("lt", "LT")]],
          ],
          token("change", "CH", "3.0.2"),
          token("increment", "INCR", "3.0.2"),
          [
            ...["name", "score_member", "type", "block", "flags", ["multiple"]],
            "arguments",
            [["name", "score", "type", "double"], MEMBER],
          ],
        ],
      }),
    ],
    [
      "zincrby",
      docs({
        summary: "Increment the score of a member in a sorted set",
        since: "1.2.0",
        complexity:
          "O(log(N)) where N is the number of elements in the sorted set.",
        arguments: [KEY, ["name", "increment", "type", "integer"], MEMBER],
      }),
    ],
    [
      "zrem",
      docs({
        summary: "Remove one or more members from a sorted set",
        since: "1.2.0",
        complexity:
          "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
        history: [MULTIPLE],
        arguments: [KEY, MEMBERS],
      }),
    ],
    [
      "zcard",
      docs({
        summary: "Get the number of members in a sorted set",
        since: "1.2.0",
        complexity: "O(1)",
        arguments: [KEY],
      }),
    ],
    [
      "zscore",
      docs({
        summary:
          "Get the score associated with the given member in a sorted set",
        since: "1.2.0",
        complexity: "O(1)",
        arguments: [KEY, MEMBER],
      }),
    ],
    [
      "zmscore",
      docs({
        summary:
          "Get the score associated with the given members in a sorted set",
        since: "6.2.0",
        complexity: "O(N) where N is the number of members being requested.",
        arguments: [KEY, MEMBERS],
      }),
    ],
    [
      "zrank",
      docs({
        summary: "Determine the index of a member in a sorted set",
        since: "2.0.0",
        complexity: "O(log(N))",
        arguments: [KEY, MEMBER],
      }),
    ],
    [
      "zrevrank",
      docs({
        summary:
          "Determine the index of a member in a sorted set, with scores ordered from high to low",
        since: "2.0.0",
        complexity: "O(log(N))",
        arguments: [KEY, MEMBER],
      }),
    ],
    [
      "zscan",
      docs({
        summary:
          "Incrementally iterate sorted sets elements and associated scores",
        since: "2.8.0",
        complexity:
          "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        arguments: [
          KEY,
          ["name", "cursor", "type", "integer"],
          [
            ...["name", "pattern", "type", "pattern", "token", "MATCH"],
            ...["flags", ["optional"]],
          ],
          [
            ...["name", "count", "type", "integer", "token", "COUNT"],
            ...["flags", ["optional"]],
          ],
        ],
      }),
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsWithoutKeySpecs(await server.client(), name)).toEqual(
      expected,
    );
  });
});
