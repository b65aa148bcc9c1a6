/**
 * Article step "hashes": every hash command (HSET, HMSET, HSETNX, HGET,
 * HMGET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY,
 * HINCRBYFLOAT, HRANDFIELD, HSCAN) with Redis 7.0.15's replies and errors,
 * in the order Redis checks them; the two encodings and where a hash goes
 * from one to the other (OBJECT ENCODING, with the settings changed by
 * CONFIG SET and put back after each test); and hashes in the AOF.
 *
 * A compact hash (a listpack) keeps its fields in the order they were
 * added, and Redis answers in that order: those replies are compared
 * exactly. A hash table's order is the table's own, so those are compared
 * sorted; random picks are checked for what they must be, never for
 * which fields came. Through ioredis in the project's protocol, and over a
 * raw socket where the bytes differ between RESP2 and RESP3. Each test
 * makes its own keys under a random prefix: the tests share a server (a
 * real Redis one under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  clientWithList,
  errorOf,
  keysForThisTest,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
  WRONGTYPE,
} from "./client-helpers.ts";
import { docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import {
  aofBytes,
  aofCommands,
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

const NOT_A_FLOAT = "ERR value is not a valid float";

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

/** HGETALL as the flat list Redis sends, in its order (ioredis's `hgetall` makes an object). */
async function pairsOf(redis: Redis, key: string): Promise<string[]> {
  return (await redis.call("HGETALL", key)) as string[];
}

/** HGETALL as sorted [field, value] pairs: for a hash table, whose order is its own. */
async function sortedPairsOf(
  redis: Redis,
  key: string,
): Promise<[string, string][]> {
  const flat = await pairsOf(redis, key);
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `count` fields `f0`, `f1`... with values `v0`, `v1`..., as HSET arguments. */
function fieldsAndValues(count: number, prefix = "f"): string[] {
  return Array.from({ length: count }, (_, i) => [
    `${prefix}${i}`,
    `v${i}`,
  ]).flat();
}

/**
 * Runs `body` with the hash settings changed on the server under test,
 * and puts them back afterwards, whatever happens: the other tests share
 * the server.
 */
async function withHashSettings(
  redis: Redis,
  settings: { entries?: number; value?: number },
  body: () => Promise<void>,
): Promise<void> {
  const [, entries] = (await redis.config(
    "GET",
    "hash-max-listpack-entries",
  )) as [string, string];
  const [, value] = (await redis.config("GET", "hash-max-listpack-value")) as [
    string,
    string,
  ];
  try {
    if (settings.entries !== undefined) {
      await redis.config(
        "SET",
        "hash-max-listpack-entries",
        String(settings.entries),
      );
    }
    if (settings.value !== undefined) {
      await redis.config(
        "SET",
        "hash-max-listpack-value",
        String(settings.value),
      );
    }
    await body();
  } finally {
    await redis.config(
      "SET",
      "hash-max-listpack-entries",
      entries,
      "hash-max-listpack-value",
      value,
    );
  }
}

describe("HSET, HMSET and HSETNX", () => {
  it("HSET sets fields and answers how many are new; a compact hash keeps them in the order they came, an update in its place", async () => {
    const { redis, key } = await setUp();
    expect(await redis.hset(key("h"), "b", "1", "a", "2")).toBe(2);
    expect(await redis.hset(key("h"), "c", "3", "b", "10")).toBe(1);
    expect(await redis.type(key("h"))).toBe("hash");
    expect(await pairsOf(redis, key("h"))).toEqual([
      "b",
      "10",
      "a",
      "2",
      "c",
      "3",
    ]);
    // The same field twice in one command: set twice, new once.
    expect(await redis.hset(key("h"), "d", "x", "d", "y")).toBe(1);
    expect(await redis.hget(key("h"), "d")).toBe("y");
  });

  it("HMSET does the same and answers OK", async () => {
    const { redis, key } = await setUp();
    expect(await redis.call("HMSET", key("h"), "a", "1", "b", "2")).toBe("OK");
    expect(await redis.call("HMSET", key("h"), "a", "3")).toBe("OK");
    expect(await pairsOf(redis, key("h"))).toEqual(["a", "3", "b", "2"]);
  });

  it("fields and values are bytes: empty, NUL, CR LF and bytes above 0x7f come back as they went", async () => {
    const { redis, key } = await setUp();
    const field = Buffer.from("f\0\r\n\xff", "latin1");
    const value = Buffer.from("\xfe\0v", "latin1");
    expect(await redis.hset(key("h"), field, value, "", "")).toBe(2);
    expect(await redis.hgetBuffer(key("h"), field)).toEqual(value);
    expect(await redis.hget(key("h"), "")).toBe("");
    expect(await redis.callBuffer("HKEYS", key("h"))).toEqual([
      field,
      Buffer.alloc(0),
    ]);
  });

  it("an odd number of fields and values is the arity error, before the key's type is looked at", async () => {
    const { redis, list } = await setUp();
    expect(await errorOf(redis.call("HSET", list, "a", "1", "b"))).toBe(
      "ERR wrong number of arguments for 'hset' command",
    );
    expect(await errorOf(redis.call("HMSET", list, "a"))).toBe(
      "ERR wrong number of arguments for 'hmset' command",
    );
    expect(await errorOf(redis.call("HSET", list, "a", "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("HMSET", list, "a", "1"))).toBe(WRONGTYPE);
  });

  it("HSETNX sets a field only if it is not there: 1, or 0 and no change", async () => {
    const { redis, key, list } = await setUp();
    expect(await redis.hsetnx(key("h"), "a", "1")).toBe(1);
    expect(await redis.hsetnx(key("h"), "a", "2")).toBe(0);
    expect(await redis.hsetnx(key("h"), "b", "3")).toBe(1);
    expect(await pairsOf(redis, key("h"))).toEqual(["a", "1", "b", "3"]);
    expect(await errorOf(redis.hsetnx(list, "a", "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("HSETNX", key("h"), "a"))).toBe(
      "ERR wrong number of arguments for 'hsetnx' command",
    );
  });

  it("a write keeps the key's time to live", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "a", "1");
    await redis.expire(key("h"), 1000);
    await redis.hset(key("h"), "b", "2");
    await redis.hincrby(key("h"), "n", 1);
    await redis.hdel(key("h"), "a");
    expect(await redis.ttl(key("h"))).toBeGreaterThan(900);
  });
});

describe("HGET, HMGET, HLEN, HSTRLEN and HEXISTS", () => {
  it("read one field, several, the count, a value's length and whether a field is there", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "a", "hello", "n", "-12", "e", "");
    expect(await redis.hget(key("h"), "a")).toBe("hello");
    expect(await redis.hget(key("h"), "zz")).toBeNull();
    expect(await redis.hmget(key("h"), "n", "zz", "a", "n")).toEqual([
      "-12",
      null,
      "hello",
      "-12",
    ]);
    expect(await redis.hlen(key("h"))).toBe(3);
    expect(await redis.hstrlen(key("h"), "a")).toBe(5);
    expect(await redis.hstrlen(key("h"), "n")).toBe(3);
    expect(await redis.hstrlen(key("h"), "e")).toBe(0);
    expect(await redis.hstrlen(key("h"), "zz")).toBe(0);
    expect(await redis.hexists(key("h"), "e")).toBe(1);
    expect(await redis.hexists(key("h"), "zz")).toBe(0);
  });

  it("a missing key reads as an empty hash, and is not created", async () => {
    const { redis, key } = await setUp();
    const none = key("none");
    expect(await redis.hget(none, "a")).toBeNull();
    expect(await redis.hmget(none, "a", "b")).toEqual([null, null]);
    expect(await redis.hlen(none)).toBe(0);
    expect(await redis.hstrlen(none, "a")).toBe(0);
    expect(await redis.hexists(none, "a")).toBe(0);
    expect(await redis.exists(none)).toBe(0);
  });

  it.each([
    ["HGET", "a"],
    ["HMGET", "a", "b"],
    ["HLEN"],
    ["HSTRLEN", "a"],
    ["HEXISTS", "a"],
  ])("%s on a list is WRONGTYPE", async (command, ...args) => {
    const { redis, list } = await setUp();
    expect(await errorOf(redis.call(command, list, ...args))).toBe(WRONGTYPE);
  });

  it.each([
    ["HGET", ["k"]],
    ["HMGET", ["k"]],
    ["HLEN", ["k", "x"]],
    ["HSTRLEN", ["k", "a", "b"]],
    ["HEXISTS", ["k"]],
  ])("%s with the wrong number of arguments", async (command, args) => {
    const { redis } = await setUp();
    expect(await errorOf(redis.call(command, ...args))).toBe(
      `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
    );
  });
});

describe("HDEL", () => {
  it("removes fields and answers how many were there; the rest close the gap", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "a", "1", "b", "2", "c", "3", "d", "4");
    expect(await redis.hdel(key("h"), "b", "zz", "b")).toBe(1);
    expect(await pairsOf(redis, key("h"))).toEqual([
      "a",
      "1",
      "c",
      "3",
      "d",
      "4",
    ]);
    // A field set again goes to the end.
    await redis.hset(key("h"), "b", "5");
    expect(await redis.hkeys(key("h"))).toEqual(["a", "c", "d", "b"]);
  });

  it("deletes the key with its last field, and stops there; a missing key answers 0", async () => {
    const { redis, key, list } = await setUp();
    await redis.hset(key("h"), "a", "1", "b", "2");
    expect(await redis.hdel(key("h"), "a", "b", "c")).toBe(2);
    expect(await redis.exists(key("h"))).toBe(0);
    expect(await redis.hdel(key("h"), "a")).toBe(0);
    expect(await errorOf(redis.hdel(list, "a"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("HDEL", key("h")))).toBe(
      "ERR wrong number of arguments for 'hdel' command",
    );
  });
});

describe("HKEYS, HVALS and HGETALL", () => {
  it("answer the fields, the values, or both, in the hash's order", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "z", "1", "y", "2", "10", "3");
    expect(await redis.hkeys(key("h"))).toEqual(["z", "y", "10"]);
    expect(await redis.hvals(key("h"))).toEqual(["1", "2", "3"]);
    expect(await pairsOf(redis, key("h"))).toEqual([
      "z",
      "1",
      "y",
      "2",
      "10",
      "3",
    ]);
  });

  it("a hash table answers every pair once, in its own order", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), ...fieldsAndValues(600));
    const expected = Array.from(
      { length: 600 },
      (_, i) => [`f${i}`, `v${i}`] as [string, string],
    ).sort(([a], [b]) => (a < b ? -1 : 1));
    expect(await sortedPairsOf(redis, key("h"))).toEqual(expected);
    expect([...(await redis.hkeys(key("h")))].sort()).toEqual(
      expected.map(([field]) => field),
    );
    expect((await redis.hvals(key("h"))).length).toBe(600);
  });

  it("a missing key is empty; a list is WRONGTYPE", async () => {
    const { redis, key, list } = await setUp();
    expect(await redis.hkeys(key("none"))).toEqual([]);
    expect(await redis.hvals(key("none"))).toEqual([]);
    expect(await pairsOf(redis, key("none"))).toEqual([]);
    for (const command of ["HKEYS", "HVALS", "HGETALL"]) {
      expect(await errorOf(redis.call(command, list))).toBe(WRONGTYPE);
    }
  });
});

describe("HINCRBY and HINCRBYFLOAT", () => {
  it("HINCRBY adds to a field's integer, from 0 for a missing field or key", async () => {
    const { redis, key } = await setUp();
    expect(await redis.hincrby(key("h"), "n", 5)).toBe(5);
    expect(await redis.hincrby(key("h"), "n", -7)).toBe(-2);
    await redis.hset(key("h"), "m", "9223372036854775806");
    expect(await redis.call("HINCRBY", key("h"), "m", "1")).toBe(
      9223372036854775807,
    );
    expect(await redis.hget(key("h"), "m")).toBe("9223372036854775807");
  });

  it("HINCRBY: the increment, then the type, then the field's value, then the overflow", async () => {
    const { redis, key, list } = await setUp();
    await redis.hset(key("h"), "max", "9223372036854775807", "f", "1.5");
    await redis.hset(key("h"), "min", "-9223372036854775808", "s", " 1");
    expect(await errorOf(redis.call("HINCRBY", list, "f", "x"))).toBe(
      NOT_AN_INTEGER,
    );
    expect(
      await errorOf(redis.call("HINCRBY", list, "f", "9223372036854775808")),
    ).toBe(NOT_AN_INTEGER);
    expect(await errorOf(redis.hincrby(list, "f", 1))).toBe(WRONGTYPE);
    for (const field of ["f", "s"]) {
      expect(await errorOf(redis.hincrby(key("h"), field, 1))).toBe(
        "ERR hash value is not an integer",
      );
    }
    expect(await errorOf(redis.hincrby(key("h"), "max", 1))).toBe(
      "ERR increment or decrement would overflow",
    );
    expect(await errorOf(redis.hincrby(key("h"), "min", -1))).toBe(
      "ERR increment or decrement would overflow",
    );
    expect(await redis.hget(key("h"), "max")).toBe("9223372036854775807");
  });

  it("HINCRBYFLOAT adds in long double, as Redis does: 0.1 plus 0.2 is 0.3, 10.5 plus 0.1 is 10.6", async () => {
    const { redis, key } = await setUp();
    expect(await redis.hincrbyfloat(key("h"), "f", "0.1")).toBe("0.1");
    expect(await redis.hincrbyfloat(key("h"), "f", "0.2")).toBe("0.3");
    await redis.hset(key("h"), "g", "10.5");
    expect(await redis.hincrbyfloat(key("h"), "g", "0.1")).toBe("10.6");
    // 10.6 is not exact in binary either: printed to 17 decimals, it shows.
    expect(await redis.hincrbyfloat(key("h"), "g", "-5e3")).toBe(
      "-4989.39999999999999991",
    );
    expect(await redis.hincrbyfloat(key("h"), "i", "3.0e3")).toBe("3000");
    expect(await redis.hincrbyfloat(key("h"), "x", "0x10")).toBe("16");
    expect(await redis.hincrbyfloat(key("h"), "big", "1e70")).toBe(
      "10000000000000000000222479489586148259025995410601157579323600873193472",
    );
    expect(await redis.hget(key("h"), "f")).toBe("0.3");
  });

  it("HINCRBYFLOAT: the increment (not a float, or infinite) before the type, then the field's value, then the sum", async () => {
    const { redis, key, list } = await setUp();
    for (const increment of ["abc", "nan", "", " 1", "1e5000"]) {
      expect(
        await errorOf(redis.call("HINCRBYFLOAT", list, "f", increment)),
      ).toBe(NOT_A_FLOAT);
    }
    for (const increment of ["inf", "-inf", "+Infinity"]) {
      expect(
        await errorOf(redis.call("HINCRBYFLOAT", key("h"), "f", increment)),
      ).toBe("ERR value is NaN or Infinity");
    }
    expect(await redis.exists(key("h"))).toBe(0);
    expect(await errorOf(redis.hincrbyfloat(list, "f", "1"))).toBe(WRONGTYPE);
    await redis.hset(key("h"), "w", "abc", "e", "", "big", "1.1e4932");
    for (const field of ["w", "e"]) {
      expect(await errorOf(redis.hincrbyfloat(key("h"), field, "1"))).toBe(
        "ERR hash value is not a float",
      );
    }
    expect(await errorOf(redis.hincrbyfloat(key("h"), "big", "1.1e4932"))).toBe(
      "ERR increment would produce NaN or Infinity",
    );
    expect(await redis.hget(key("h"), "big")).toBe("1.1e4932");
  });
});

describe("HRANDFIELD", () => {
  it("without a count: one field of the hash; nil for a missing key", async () => {
    const { redis, key, list } = await setUp();
    await redis.hset(key("h"), "a", "1", "b", "2", "c", "3");
    for (let i = 0; i < 20; i++) {
      expect(["a", "b", "c"]).toContain(await redis.hrandfield(key("h")));
    }
    expect(await redis.hrandfield(key("none"))).toBeNull();
    expect(await errorOf(redis.hrandfield(list))).toBe(WRONGTYPE);
  });

  it.each([
    ["listpack", 20],
    ["hashtable", 700],
  ])(
    "a positive count (%s): different fields of the hash, as many as asked, all of them at most",
    async (_, size) => {
      const { redis, key } = await setUp();
      await redis.hset(key("h"), ...fieldsAndValues(size));
      for (const count of [1, 3, Math.floor(size / 2), size - 1]) {
        const fields = (await redis.call(
          "HRANDFIELD",
          key("h"),
          String(count),
        )) as string[];
        expect(fields).toHaveLength(count);
        expect(new Set(fields).size).toBe(count);
        for (const field of fields) expect(field).toMatch(/^f\d+$/);
      }
      const all = (await redis.call(
        "HRANDFIELD",
        key("h"),
        String(size + 5),
      )) as string[];
      expect([...all].sort()).toEqual(
        [...(await redis.hkeys(key("h")))].sort(),
      );
    },
  );

  it("a negative count: that many picks, each on its own, so repeats come", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("one"), "only", "1");
    expect(await redis.call("HRANDFIELD", key("one"), "-5")).toEqual([
      "only",
      "only",
      "only",
      "only",
      "only",
    ]);
    await redis.hset(key("h"), ...fieldsAndValues(600));
    const picks = (await redis.call(
      "HRANDFIELD",
      key("h"),
      "-1000",
    )) as string[];
    expect(picks).toHaveLength(1000);
    expect(new Set(picks).size).toBeLessThan(1000);
    for (const field of picks) expect(field).toMatch(/^f\d+$/);
  });

  it("WITHVALUES gives each field's value: flat in RESP2, as pairs in RESP3", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), ...fieldsAndValues(10));
    for (const [count, expected] of [
      ["3", 3],
      ["-30", 30],
      ["50", 10],
    ] as const) {
      const reply = (await redis.call(
        "HRANDFIELD",
        key("h"),
        count,
        "WITHVALUES",
      )) as unknown[];
      const pairs =
        protocol === 3
          ? (reply as [string, string][])
          : Array.from({ length: reply.length / 2 }, (_, i) => [
              reply[2 * i] as string,
              reply[2 * i + 1] as string,
            ]);
      expect(pairs).toHaveLength(expected);
      for (const [field, value] of pairs) {
        expect(value).toBe(`v${field!.slice(1)}`);
      }
    }
  });

  it("a count of 0, or a missing key with a count, is an empty array", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "a", "1");
    expect(await redis.call("HRANDFIELD", key("h"), "0")).toEqual([]);
    expect(await redis.call("HRANDFIELD", key("h"), "0", "WITHVALUES")).toEqual(
      [],
    );
    expect(await redis.call("HRANDFIELD", key("none"), "-3")).toEqual([]);
    expect(
      await redis.call("HRANDFIELD", key("none"), "3", "WITHVALUES"),
    ).toEqual([]);
  });

  it.each([
    [["abc"], NOT_AN_INTEGER],
    [["1.5"], NOT_AN_INTEGER],
    [["9223372036854775808"], NOT_AN_INTEGER],
    [
      ["-9223372036854775808"],
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    ],
    [["2", "WITHVALUE"], SYNTAX_ERROR],
    [["2", "WITHVALUES", "x"], SYNTAX_ERROR],
    [["abc", "nonsense"], NOT_AN_INTEGER],
    [["4611686018427387904", "WITHVALUES"], "ERR value is out of range"],
    [["-4611686018427387904", "WITHVALUES"], "ERR value is out of range"],
  ])(
    "HRANDFIELD key %j: the count and the option come before the key's type",
    async (args, expected) => {
      const { redis, list } = await setUp();
      expect(await errorOf(redis.call("HRANDFIELD", list, ...args))).toBe(
        expected,
      );
    },
  );

  it("the largest counts are fine where they take the whole hash", async () => {
    const { redis, key, list } = await setUp();
    await redis.hset(key("h"), "a", "1", "b", "2");
    expect(
      [
        ...((await redis.call(
          "HRANDFIELD",
          key("h"),
          "9223372036854775807",
        )) as string[]),
      ].sort(),
    ).toEqual(["a", "b"]);
    expect(
      (
        (await redis.call(
          "HRANDFIELD",
          key("h"),
          "4611686018427387903",
          "withvalues",
        )) as unknown[]
      ).flat().length,
    ).toBe(4);
    expect(await errorOf(redis.call("HRANDFIELD", list, "1"))).toBe(WRONGTYPE);
  });
});

describe("HSCAN", () => {
  /** Every [field, value] an HSCAN walk from cursor 0 back to 0 returns, and the calls it took. */
  async function walk(
    redis: Redis,
    key: string,
    ...options: string[]
  ): Promise<{ pairs: [string, string][]; calls: number }> {
    const pairs: [string, string][] = [];
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = (await redis.call(
        "HSCAN",
        key,
        cursor,
        ...options,
      )) as [string, string[]];
      expect(items.length % 2).toBe(0);
      for (let i = 0; i < items.length; i += 2) {
        pairs.push([items[i]!, items[i + 1]!]);
      }
      cursor = next;
      calls += 1;
      expect(calls).toBeLessThan(10_000);
    } while (cursor !== "0");
    return { pairs, calls };
  }

  it("a compact hash answers whole in one call, cursor 0, whatever the cursor and COUNT say", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "b", "1", "a", "2", "ab", "3");
    for (const args of [["0"], ["12345"], ["0", "COUNT", "1"], ["-1"]]) {
      expect(await redis.call("HSCAN", key("h"), ...args)).toEqual([
        "0",
        ["b", "1", "a", "2", "ab", "3"],
      ]);
    }
  });

  it("MATCH filters by field, never by value; a lone * matches all, the last option of a kind wins", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "b", "a1", "a", "2", "ab", "3", "", "4");
    expect(await redis.call("HSCAN", key("h"), "0", "MATCH", "a*")).toEqual([
      "0",
      ["a", "2", "ab", "3"],
    ]);
    expect(await redis.call("HSCAN", key("h"), "0", "match", "*")).toEqual([
      "0",
      ["b", "a1", "a", "2", "ab", "3", "", "4"],
    ]);
    expect(
      await redis.call(
        "HSCAN",
        key("h"),
        "0",
        "MATCH",
        "x",
        "COUNT",
        "1",
        "MATCH",
        "b",
        "COUNT",
        "2",
      ),
    ).toEqual(["0", ["b", "a1"]]);
  });

  it("a hash table is walked by cursor: every field exactly once, with its value, MATCH and COUNT or not", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), ...fieldsAndValues(1000, "field:"));
    expect(await redis.object("ENCODING", key("h"))).toBe("hashtable");
    const all = await walk(redis, key("h"), "COUNT", "10");
    expect(all.calls).toBeGreaterThan(1);
    expect(all.pairs).toHaveLength(1000);
    expect(new Set(all.pairs.map(([field]) => field)).size).toBe(1000);
    for (const [field, value] of all.pairs) {
      expect(value).toBe(`v${field.slice("field:".length)}`);
    }
    const matching = await walk(
      redis,
      key("h"),
      "MATCH",
      "field:1*",
      "COUNT",
      "50",
    );
    expect(matching.pairs.map(([field]) => field).sort()).toEqual(
      all.pairs
        .map(([field]) => field)
        .filter((field) => field.startsWith("field:1"))
        .sort(),
    );
    expect(matching.pairs).toHaveLength(111);
    const withDefaultCount = await walk(redis, key("h"));
    expect(withDefaultCount.pairs).toHaveLength(1000);
  });

  it("a missing key is a finished scan of nothing", async () => {
    const { redis, key } = await setUp();
    expect(await redis.call("HSCAN", key("none"), "0")).toEqual(["0", []]);
    expect(await redis.call("HSCAN", key("none"), "0", "COUNT", "0")).toEqual([
      "0",
      [],
    ]);
  });

  it.each([
    [["abc"], "ERR invalid cursor"],
    [["18446744073709551616"], "ERR invalid cursor"],
    [[" 1"], "ERR invalid cursor"],
    [["0", "COUNT", "0"], SYNTAX_ERROR],
    [["0", "COUNT"], SYNTAX_ERROR],
    [["0", "COUNT", "x"], NOT_AN_INTEGER],
    [["0", "TYPE", "string"], SYNTAX_ERROR],
    [["0", "NOVALUES"], SYNTAX_ERROR],
  ])("HSCAN hash %j", async (args, expected) => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "a", "1");
    expect(await errorOf(redis.call("HSCAN", key("h"), ...args))).toBe(
      expected,
    );
  });

  it("the cursor is read before the key, the options after its type", async () => {
    const { redis, key, list } = await setUp();
    expect(await errorOf(redis.call("HSCAN", list, "x"))).toBe(
      "ERR invalid cursor",
    );
    expect(await errorOf(redis.call("HSCAN", list, "0", "COUNT", "0"))).toBe(
      WRONGTYPE,
    );
    expect(await errorOf(redis.call("HSCAN", key("none"), "x"))).toBe(
      "ERR invalid cursor",
    );
  });
});

describe("the two encodings: listpack, then hashtable", () => {
  it("a hash leaves its listpack when it gets more fields than hash-max-listpack-entries", async () => {
    const { redis, key } = await setUp();
    await withHashSettings(redis, { entries: 4 }, async () => {
      await redis.hset(key("h"), ...fieldsAndValues(4));
      expect(await redis.object("ENCODING", key("h"))).toBe("listpack");
      await redis.hset(key("h"), "f0", "updated");
      expect(await redis.object("ENCODING", key("h"))).toBe("listpack");
      await redis.hset(key("h"), "f4", "v4");
      expect(await redis.object("ENCODING", key("h"))).toBe("hashtable");
      expect((await sortedPairsOf(redis, key("h")))[0]).toEqual([
        "f0",
        "updated",
      ]);
      // Never back: emptied down to one field, it stays a hash table.
      await redis.hdel(key("h"), "f0", "f1", "f2", "f3");
      expect(await redis.object("ENCODING", key("h"))).toBe("hashtable");
    });
  });

  it("512 fields by default are a listpack, 513 a hash table", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), ...fieldsAndValues(512));
    expect(await redis.object("ENCODING", key("h"))).toBe("listpack");
    await redis.hset(key("h"), "one", "more");
    expect(await redis.object("ENCODING", key("h"))).toBe("hashtable");
  });

  it("a field or a value longer than hash-max-listpack-value converts the hash; one exactly that long does not", async () => {
    const { redis, key } = await setUp();
    const at = "x".repeat(64);
    const over = "x".repeat(65);
    await redis.hset(key("exact"), at, at);
    expect(await redis.object("ENCODING", key("exact"))).toBe("listpack");
    await redis.hset(key("field"), over, "v");
    await redis.hset(key("value"), "f", over);
    await redis.hincrby(key("incr"), over, 1);
    for (const name of ["field", "value", "incr"]) {
      expect(await redis.object("ENCODING", key(name))).toBe("hashtable");
    }
  });

  it("HINCRBYFLOAT's result counts as a value; HSETNX that sets nothing converts nothing", async () => {
    const { redis, key } = await setUp();
    await redis.hincrbyfloat(key("float"), "f", "1e70");
    expect(await redis.object("ENCODING", key("float"))).toBe("hashtable");
    await redis.hset(key("nx"), "f", "v");
    expect(await redis.hsetnx(key("nx"), "f", "x".repeat(65))).toBe(0);
    expect(await redis.object("ENCODING", key("nx"))).toBe("listpack");
  });

  it("a lowered limit converts a hash at its next write, even an update; HDEL and reads never do", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("h"), "a", "1", "b", "2", "c", "3");
    await withHashSettings(redis, { entries: 1 }, async () => {
      expect(await redis.hsetnx(key("h"), "a", "5")).toBe(0);
      expect(await redis.hdel(key("h"), "c")).toBe(1);
      expect(await redis.hget(key("h"), "a")).toBe("1");
      expect(await redis.object("ENCODING", key("h"))).toBe("listpack");
      await redis.hset(key("h"), "a", "9");
      expect(await redis.object("ENCODING", key("h"))).toBe("hashtable");
    });
  });

  it("limits of 0: any field converts, except an empty one against a 0-byte value limit", async () => {
    const { redis, key } = await setUp();
    await withHashSettings(redis, { value: 0 }, async () => {
      await redis.hset(key("empty"), "", "");
      expect(await redis.object("ENCODING", key("empty"))).toBe("listpack");
      await redis.hset(key("one"), "a", "");
      expect(await redis.object("ENCODING", key("one"))).toBe("hashtable");
    });
    await withHashSettings(redis, { entries: 0 }, async () => {
      await redis.hsetnx(key("nx"), "a", "b");
      expect(await redis.object("ENCODING", key("nx"))).toBe("hashtable");
    });
  });

  it("COPY keeps the encoding and shares nothing with the original", async () => {
    const { redis, key } = await setUp();
    await redis.hset(key("small"), "a", "1", "b", "2");
    await redis.hset(key("big"), ...fieldsAndValues(600));
    for (const name of ["small", "big"]) {
      expect(await redis.copy(key(name), key(`${name}-copy`))).toBe(1);
      expect(await redis.object("ENCODING", key(`${name}-copy`))).toBe(
        await redis.object("ENCODING", key(name)),
      );
      await redis.hset(key(`${name}-copy`), "a", "changed");
      expect(await redis.hget(key(name), "a")).not.toBe("changed");
    }
    expect(await pairsOf(redis, key("small-copy"))).toEqual([
      "a",
      "changed",
      "b",
      "2",
    ]);
  });

  it("CONFIG GET shows both names of each setting; CONFIG SET takes Redis's ranges", async () => {
    const { redis } = await setUp();
    const settings = (await redis.config("GET", "hash-max-*")) as string[];
    const names = settings.filter((_, i) => i % 2 === 0).sort();
    expect(names).toEqual([
      "hash-max-listpack-entries",
      "hash-max-listpack-value",
      "hash-max-ziplist-entries",
      "hash-max-ziplist-value",
    ]);
    await withHashSettings(redis, {}, async () => {
      await redis.config("SET", "hash-max-ziplist-entries", "7");
      expect(await redis.config("GET", "hash-max-listpack-entries")).toEqual([
        "hash-max-listpack-entries",
        "7",
      ]);
      // The length is a size: units are read, and "" is 0.
      await redis.config("SET", "hash-max-listpack-value", "1kb");
      expect(await redis.config("GET", "hash-max-ziplist-value")).toEqual([
        "hash-max-ziplist-value",
        "1024",
      ]);
      await redis.config(
        "SET",
        "hash-max-ziplist-value",
        "9223372036854775807",
      );
      expect(await redis.config("GET", "hash-max-listpack-value")).toEqual([
        "hash-max-listpack-value",
        "9223372036854775807",
      ]);
      const refused = (name: string, value: string) =>
        errorOf(redis.config("SET", name, value));
      const failed = (name: string, why: string) =>
        `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
      expect(await refused("hash-max-listpack-entries", "-1")).toBe(
        failed(
          "hash-max-listpack-entries",
          "argument must be between 0 and 9223372036854775807 inclusive",
        ),
      );
      expect(await refused("hash-max-ziplist-entries", "1k")).toBe(
        failed(
          "hash-max-ziplist-entries",
          "argument couldn't be parsed into an integer",
        ),
      );
      expect(await refused("hash-max-listpack-value", "1.5")).toBe(
        failed("hash-max-listpack-value", "argument must be a memory value"),
      );
      expect(await refused("hash-max-listpack-value", "-1")).toBe(
        failed("hash-max-listpack-value", "argument must be a memory value"),
      );
      expect(
        await refused("hash-max-listpack-value", "9223372036854775808"),
      ).toBe(
        failed(
          "hash-max-listpack-value",
          "argument must be between 0 and 9223372036854775807 inclusive",
        ),
      );
    });
  });
});

describe("the exact bytes of the replies, in the project's protocol", () => {
  /** A raw connection speaking the project's protocol, its HELLO answered and read. */
  async function rawClient(): Promise<RawSocket> {
    return speakProtocol(await server.raw(), protocol);
  }

  it("HGETALL answers a map: %2 in RESP3, a flat *4 in RESP2; an empty one for a missing key", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("HSET", key("h"), "f", "v", "g", "w"),
        encodeCommand("HGETALL", key("h")),
        encodeCommand("HGETALL", key("none")),
      ]),
    );
    await expectBytes(
      raw,
      `:2\r\n${protocol === 3 ? "%2" : "*4"}\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n${protocol === 3 ? "%0" : "*0"}\r\n`,
    );
  });

  it("HRANDFIELD WITHVALUES: pairs in RESP3, flat in RESP2; nil without a count for a missing key", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("HSET", key("h"), "f", "v"),
        encodeCommand("HRANDFIELD", key("h"), "-2", "WITHVALUES"),
        encodeCommand("HRANDFIELD", key("none")),
        encodeCommand("HRANDFIELD", key("none"), "2"),
      ]),
    );
    const pair = "$1\r\nf\r\n$1\r\nv\r\n";
    await expectBytes(
      raw,
      protocol === 3
        ? `:1\r\n*2\r\n*2\r\n${pair}*2\r\n${pair}_\r\n*0\r\n`
        : `:1\r\n*4\r\n${pair}${pair}$-1\r\n*0\r\n`,
    );
  });

  it("HMGET's missing values and HGET's are nil: $-1 in RESP2, _ in RESP3; HSCAN is an array in both", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("HSET", key("h"), "f", "v"),
        encodeCommand("HMGET", key("h"), "x", "f"),
        encodeCommand("HGET", key("h"), "x"),
        encodeCommand("HSCAN", key("h"), "0"),
      ]),
    );
    const nil = protocol === 3 ? "_" : "$-1";
    await expectBytes(
      raw,
      `:1\r\n*2\r\n${nil}\r\n$1\r\nv\r\n${nil}\r\n*2\r\n$1\r\n0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n`,
    );
  });
});

describe("the AOF", () => {
  itRestarts(
    "hashes survive a restart, encodings included; HINCRBYFLOAT is logged as the HSET of its result, and what changes nothing is not logged",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      const redis = await restartable.client();
      await redis.hset("h", "a", "1", "b", "2", "c", "3");
      await redis.hset("h", "a", "10");
      await redis.hsetnx("h", "a", "x"); // no change
      await redis.hsetnx("h", "d", "4");
      await redis.hdel("h", "nope"); // no change
      await redis.hdel("h", "b");
      await redis.hincrby("h", "n", 5);
      await redis.hincrbyfloat("h", "f", "0.1");
      await redis.hincrbyfloat("h", "f", "0.2");
      await redis.call("HMSET", "gone", "x", "1");
      await redis.hdel("gone", "x");
      await redis.hset("table", ...fieldsAndValues(600));
      await redis.hset("long", "f", "x".repeat(100));
      const state = async (client: Redis) =>
        Promise.all(
          ["h", "gone", "table", "long"].map(async (key) => [
            key,
            await client.object("ENCODING", key),
            key === "table"
              ? await sortedPairsOf(client, key)
              : await pairsOf(client, key),
          ]),
        );
      const before = await state(redis);
      if (restartable.kind === "ours") {
        // The same records as redis-server 7.0.15 writes for this session.
        expect(aofCommands(aofBytes(restartable))).toEqual([
          ["SELECT", "0"],
          ["hset", "h", "a", "1", "b", "2", "c", "3"],
          ["hset", "h", "a", "10"],
          ["hsetnx", "h", "d", "4"],
          ["hdel", "h", "b"],
          ["hincrby", "h", "n", "5"],
          ["HSET", "h", "f", "0.1"],
          ["HSET", "h", "f", "0.3"],
          ["HMSET", "gone", "x", "1"],
          ["hdel", "gone", "x"],
          ["hset", "table", ...fieldsAndValues(600)],
          ["hset", "long", "f", "x".repeat(100)],
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(await state(again)).toEqual(before);
      expect(before[0]![2]).toEqual([
        "a",
        "10",
        "c",
        "3",
        "d",
        "4",
        "n",
        "5",
        "f",
        "0.3",
      ]);
    },
  );
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  const WRITE = ["@write", "@hash", "@fast"];
  const READ_FAST = ["@read", "@hash", "@fast"];
  const READ_SLOW = ["@read", "@hash", "@slow"];

  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["hset", -4, ["write", "denyoom", "fast"], WRITE, []],
    ["hsetnx", 4, ["write", "denyoom", "fast"], WRITE, []],
    ["hmset", -4, ["write", "denyoom", "fast"], WRITE, []],
    ["hget", 3, ["readonly", "fast"], READ_FAST, []],
    ["hmget", -3, ["readonly", "fast"], READ_FAST, []],
    ["hdel", -3, ["write", "fast"], WRITE, []],
    ["hlen", 2, ["readonly", "fast"], READ_FAST, []],
    ["hstrlen", 3, ["readonly", "fast"], READ_FAST, []],
    ["hexists", 3, ["readonly", "fast"], READ_FAST, []],
    ["hkeys", 2, ["readonly"], READ_SLOW, ["nondeterministic_output_order"]],
    ["hvals", 2, ["readonly"], READ_SLOW, ["nondeterministic_output_order"]],
    ["hgetall", 2, ["readonly"], READ_SLOW, ["nondeterministic_output_order"]],
    ["hincrby", 4, ["write", "denyoom", "fast"], WRITE, []],
    ["hincrbyfloat", 4, ["write", "denyoom", "fast"], WRITE, []],
    ["hrandfield", -2, ["readonly"], READ_SLOW, ["nondeterministic_output"]],
    ["hscan", -3, ["readonly"], READ_SLOW, ["nondeterministic_output"]],
  ])("COMMAND INFO %s", async (name, arity, flags, categories, tips) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", name)) as unknown[][];
    expect(info!.slice(0, 8)).toEqual([
      name,
      arity,
      flags,
      1,
      1,
      1,
      categories,
      tips,
    ]);
  });

  const KEY = ["name", "key", "type", "key"];
  const FIELD = ["name", "field", "type", "string"];
  const FIELDS = ["name", "field", "type", "string", "flags", ["multiple"]];
  const FIELD_VALUE = [
    "name",
    "field_value",
    "type",
    "block",
    "flags",
    ["multiple"],
    "arguments",
    [FIELD, ["name", "value", "type", "string"]],
  ];
  /** The docs of a command with no history: summary, since, complexity, arguments. */
  const plain = (
    summary: string,
    since: string,
    complexity: string,
    args: unknown[],
  ) => [
    "summary",
    summary,
    "since",
    since,
    "group",
    "hash",
    "complexity",
    complexity,
    "arguments",
    args,
  ];
  const WHOLE = "O(N) where N is the size of the hash.";

  it.each([
    [
      "hset",
      [
        "summary",
        "Set the string value of a hash field",
        "since",
        "2.0.0",
        "group",
        "hash",
        "complexity",
        "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
        "history",
        [["4.0.0", "Accepts multiple `field` and `value` arguments."]],
        "arguments",
        [KEY, FIELD_VALUE],
      ],
    ],
    [
      "hsetnx",
      plain(
        "Set the value of a hash field, only if the field does not exist",
        "2.0.0",
        "O(1)",
        [KEY, FIELD, ["name", "value", "type", "string"]],
      ),
    ],
    [
      "hmset",
      [
        "summary",
        "Set multiple hash fields to multiple values",
        "since",
        "2.0.0",
        "group",
        "hash",
        "complexity",
        "O(N) where N is the number of fields being set.",
        "doc_flags",
        ["deprecated"],
        "deprecated_since",
        "4.0.0",
        "replaced_by",
        "`HSET` with multiple field-value pairs",
        "arguments",
        [KEY, FIELD_VALUE],
      ],
    ],
    [
      "hget",
      plain("Get the value of a hash field", "2.0.0", "O(1)", [KEY, FIELD]),
    ],
    [
      "hmget",
      plain(
        "Get the values of all the given hash fields",
        "2.0.0",
        "O(N) where N is the number of fields being requested.",
        [KEY, FIELDS],
      ),
    ],
    [
      "hdel",
      [
        "summary",
        "Delete one or more hash fields",
        "since",
        "2.0.0",
        "group",
        "hash",
        "complexity",
        "O(N) where N is the number of fields to be removed.",
        "history",
        [["2.4.0", "Accepts multiple `field` arguments."]],
        "arguments",
        [KEY, FIELDS],
      ],
    ],
    [
      "hlen",
      plain("Get the number of fields in a hash", "2.0.0", "O(1)", [KEY]),
    ],
    [
      "hstrlen",
      plain("Get the length of the value of a hash field", "3.2.0", "O(1)", [
        KEY,
        FIELD,
      ]),
    ],
    [
      "hexists",
      plain("Determine if a hash field exists", "2.0.0", "O(1)", [KEY, FIELD]),
    ],
    ["hkeys", plain("Get all the fields in a hash", "2.0.0", WHOLE, [KEY])],
    ["hvals", plain("Get all the values in a hash", "2.0.0", WHOLE, [KEY])],
    [
      "hgetall",
      plain("Get all the fields and values in a hash", "2.0.0", WHOLE, [KEY]),
    ],
    [
      "hincrby",
      plain(
        "Increment the integer value of a hash field by the given number",
        "2.0.0",
        "O(1)",
        [KEY, FIELD, ["name", "increment", "type", "integer"]],
      ),
    ],
    [
      "hincrbyfloat",
      plain(
        "Increment the float value of a hash field by the given amount",
        "2.6.0",
        "O(1)",
        [KEY, FIELD, ["name", "increment", "type", "double"]],
      ),
    ],
    [
      "hrandfield",
      plain(
        "Get one or multiple random fields from a hash",
        "6.2.0",
        "O(N) where N is the number of fields returned",
        [
          KEY,
          [
            "name",
            "options",
            "type",
            "block",
            "flags",
            ["optional"],
            "arguments",
            [
              ["name", "count", "type", "integer"],
              [
                "name",
                "withvalues",
                "type",
                "pure-token",
                "token",
                "WITHVALUES",
                "flags",
                ["optional"],
              ],
            ],
          ],
        ],
      ),
    ],
    [
      "hscan",
      plain(
        "Incrementally iterate hash fields and associated values",
        "2.8.0",
        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        [
          KEY,
          ["name", "cursor", "type", "integer"],
          [
            "name",
            "pattern",
            "type",
            "pattern",
            "token",
            "MATCH",
            "flags",
            ["optional"],
          ],
          [
            "name",
            "count",
            "type",
            "integer",
            "token",
            "COUNT",
            "flags",
            ["optional"],
          ],
        ],
      ),
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsWithoutKeySpecs(await server.client(), name)).toEqual(
      expected,
    );
  });
});
