/**
 * Article step "sets": every set command (SADD, SREM, SCARD, SISMEMBER,
 * SMISMEMBER, SMEMBERS, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION,
 * SUNIONSTORE, SDIFF, SDIFFSTORE, SPOP, SRANDMEMBER, SSCAN) with Redis
 * 7.0.15's replies and errors, in the order Redis checks them; the two
 * encodings and where a set goes from one to the other (OBJECT ENCODING,
 * with set-max-intset-entries changed by CONFIG SET and put back after
 * each test); and sets in the AOF.
 *
 * An intset answers in ascending order, and Redis does too: those
 * replies are compared exactly. A hash table's order is the table's own,
 * so those are compared sorted; random picks are checked for what they
 * must be, never for which members came. Through ioredis in the project's
 * protocol, and over a raw socket where the bytes differ between RESP2
 * and RESP3. Each test makes its own keys under a random prefix: the
 * tests share a server (a real Redis one under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  clientWithList,
  encodingOf,
  errorOf,
  keysForThisTest,
  MUST_BE_POSITIVE,
  NOT_AN_INTEGER,
  scanToEnd,
  SYNTAX_ERROR,
  WRONGTYPE,
  withConfig,
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
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

/** The numbers from `from` to `to`, as members. */
function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

/** Members sorted, for a hash table's replies, whose order is its own. */
function sorted(members: readonly string[]): string[] {
  return [...members].sort();
}

/** SMEMBERS, sorted. */
async function membersOf(redis: Redis, key: string): Promise<string[]> {
  return sorted(await redis.smembers(key));
}

/**
 * Runs `body` with set-max-intset-entries at `limit` on the server under
 * test, and puts it back afterwards, whatever happens: the other tests
 * share the server.
 */
async function withIntsetLimit(
  redis: Redis,
  limit: string,
  body: () => Promise<void>,
): Promise<void> {
  await withConfig(redis, { "set-max-intset-entries": limit }, body);
}

describe("SADD, SREM, SCARD, SISMEMBER, SMISMEMBER and SMEMBERS", () => {
  it("SADD answers how many members are new; an intset gives them back ascending", async () => {
    const { redis, key } = await setUp();
    expect(await redis.sadd(key("s"), "30", "-5", "10")).toBe(3);
    expect(await redis.sadd(key("s"), "10", "20", "20")).toBe(1);
    expect(await redis.smembers(key("s"))).toEqual(["-5", "10", "20", "30"]);
    expect(await redis.scard(key("s"))).toBe(4);
  });

  it("members are bytes: empty, NUL, CR LF and bytes above 0x7f come back as they went", async () => {
    const { redis, key } = await setUp();
    const members = ["", "\0", "a\r\nb", "\xff\xfe", "é"].map((text) =>
      Buffer.from(text, "latin1"),
    );
    expect(await redis.sadd(key("s"), ...members)).toBe(5);
    const back = await redis.smembersBuffer(key("s"));
    expect(back.map((b) => b.toString("hex")).sort()).toEqual(
      members.map((b) => b.toString("hex")).sort(),
    );
    expect(
      await redis.sismember(key("s"), Buffer.from("\xff\xfe", "latin1")),
    ).toBe(1);
  });

  it("SISMEMBER and SMISMEMBER test membership; an integer member only in its own text", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "2", "x");
    expect(await redis.sismember(key("s"), "1")).toBe(1);
    expect(await redis.sismember(key("s"), "01")).toBe(0);
    expect(await redis.sismember(key("s"), "y")).toBe(0);
    expect(await redis.smismember(key("s"), "x", "01", "2", "x")).toEqual([
      1, 0, 1, 1,
    ]);
    await redis.sadd(key("ints"), "7");
    expect(await redis.sismember(key("ints"), "7")).toBe(1);
    expect(await redis.sismember(key("ints"), "+7")).toBe(0);
    expect(await redis.sismember(key("ints"), "7.0")).toBe(0);
  });

  it("SREM removes what is there and answers how many; the last member deletes the key", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "2", "3", "a");
    expect(await redis.srem(key("s"), "2", "nope", "2")).toBe(1);
    expect(await membersOf(redis, key("s"))).toEqual(["1", "3", "a"]);
    expect(await redis.srem(key("s"), "1", "3", "a", "later")).toBe(3);
    expect(await redis.exists(key("s"))).toBe(0);
  });

  it("a missing key is an empty set, and is not created", async () => {
    const { redis, key } = await setUp();
    expect(await redis.scard(key("none"))).toBe(0);
    expect(await redis.sismember(key("none"), "a")).toBe(0);
    expect(await redis.smismember(key("none"), "a", "b")).toEqual([0, 0]);
    expect(await redis.smembers(key("none"))).toEqual([]);
    expect(await redis.srem(key("none"), "a")).toBe(0);
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("a write keeps the key's time to live", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "2");
    await redis.expire(key("s"), 1000);
    await redis.sadd(key("s"), "a");
    await redis.srem(key("s"), "1");
    expect(await redis.ttl(key("s"))).toBeGreaterThan(900);
  });

  it.each([
    ["SADD", "list", "a"],
    ["SREM", "list", "a"],
    ["SCARD", "list"],
    ["SISMEMBER", "list", "a"],
    ["SMISMEMBER", "list", "a"],
    ["SMEMBERS", "list"],
  ])("%s on a list is WRONGTYPE", async (name, _list, ...rest) => {
    const { redis, list } = await setUp();
    expect(await errorOf(redis.call(name, list, ...rest))).toBe(WRONGTYPE);
  });

  it.each([
    ["SADD", "k"],
    ["SREM", "k"],
    ["SCARD"],
    ["SCARD", "k", "k"],
    ["SISMEMBER", "k"],
    ["SMISMEMBER", "k"],
    ["SMEMBERS", "k", "k"],
  ])("%s with the wrong number of arguments", async (name, ...rest) => {
    const { redis } = await setUp();
    expect(await errorOf(redis.call(name, ...rest))).toBe(
      `ERR wrong number of arguments for '${name.toLowerCase()}' command`,
    );
  });
});

describe("SMOVE", () => {
  it("moves a member: 1; the source goes with its last member, the destination is made", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("src"), "1", "a");
    expect(await redis.smove(key("src"), key("dst"), "1")).toBe(1);
    expect(await redis.smembers(key("dst"))).toEqual(["1"]);
    expect(await encodingOf(redis, key("dst"))).toBe("intset");
    expect(await redis.smove(key("src"), key("dst"), "a")).toBe(1);
    expect(await redis.exists(key("src"))).toBe(0);
    expect(await membersOf(redis, key("dst"))).toEqual(["1", "a"]);
    expect(await encodingOf(redis, key("dst"))).toBe("hashtable");
  });

  it("a member the source does not have: 0, and nothing changes", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("src"), "1");
    expect(await redis.smove(key("src"), key("dst"), "2")).toBe(0);
    expect(await redis.exists(key("dst"))).toBe(0);
  });

  it("a member the destination has already: 1, and it leaves the source", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("src"), "1", "2");
    await redis.sadd(key("dst"), "1");
    expect(await redis.smove(key("src"), key("dst"), "1")).toBe(1);
    expect(await redis.smembers(key("src"))).toEqual(["2"]);
    expect(await redis.smembers(key("dst"))).toEqual(["1"]);
  });

  it("onto the same key it only tests membership", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1");
    expect(await redis.smove(key("s"), key("s"), "1")).toBe(1);
    expect(await redis.smove(key("s"), key("s"), "2")).toBe(0);
    expect(await redis.smembers(key("s"))).toEqual(["1"]);
  });

  it("Redis's order: a missing source is 0 whatever the destination; then both types", async () => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("s"), "1");
    expect(await redis.smove(key("none"), list, "1")).toBe(0);
    expect(await errorOf(redis.smove(key("s"), list, "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.smove(list, key("s"), "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.smove(list, list, "1"))).toBe(WRONGTYPE);
    expect(await redis.smembers(key("s"))).toEqual(["1"]);
  });
});

describe("SINTER, SINTERCARD and SINTERSTORE", () => {
  it("SINTER: the members every set has; from an intset, ascending", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("a"), "5", "3", "1", "9");
    await redis.sadd(key("b"), ...range(1, 6), "x");
    expect(await redis.sinter(key("a"), key("b"))).toEqual(["1", "3", "5"]);
    expect(await redis.sinter(key("a"))).toEqual(["1", "3", "5", "9"]);
    await redis.sadd(key("w"), "x", "y", "1");
    expect(sorted(await redis.sinter(key("w"), key("b")))).toEqual(["1", "x"]);
  });

  it("a missing key makes it empty, but every key's type is checked first", async () => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("a"), "1");
    expect(await redis.sinter(key("a"), key("none"))).toEqual([]);
    expect(await errorOf(redis.sinter(key("none"), list))).toBe(WRONGTYPE);
    expect(await errorOf(redis.sinter(key("a"), key("none"), list))).toBe(
      WRONGTYPE,
    );
    expect(
      await errorOf(redis.call("SINTERCARD", "2", key("none"), list)),
    ).toBe(WRONGTYPE);
    expect(await errorOf(redis.sinterstore(key("d"), key("none"), list))).toBe(
      WRONGTYPE,
    );
  });

  it("SINTERCARD counts the intersection, stopping at LIMIT (0 is none; the last one counts)", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("a"), ...range(1, 20));
    await redis.sadd(key("b"), ...range(11, 40));
    const card = (...rest: string[]) =>
      redis.call("SINTERCARD", "2", key("a"), key("b"), ...rest);
    expect(await card()).toBe(10);
    expect(await card("LIMIT", "3")).toBe(3);
    expect(await card("limit", "0")).toBe(10);
    expect(await card("LIMIT", "100")).toBe(10);
    expect(await card("LIMIT", "3", "LIMIT", "5")).toBe(5);
    expect(await redis.call("SINTERCARD", "1", key("none"))).toBe(0);
  });

  it.each([
    [["0", "k:a"], "ERR numkeys should be greater than 0"],
    [["-1", "k:a"], "ERR numkeys should be greater than 0"],
    [["abc", "k:a"], "ERR numkeys should be greater than 0"],
    [["9223372036854775808", "k:a"], "ERR numkeys should be greater than 0"],
    [["2", "k:a"], "ERR Number of keys can't be greater than number of args"],
    [["1", "k:a", "LIMIT", "-1"], "ERR LIMIT can't be negative"],
    [["1", "k:a", "LIMIT", "x"], "ERR LIMIT can't be negative"],
    [["1", "k:a", "LIMIT"], SYNTAX_ERROR],
    [["1", "k:a", "k:a"], SYNTAX_ERROR],
    // The arguments come before the type: a list's error is the LIMIT's.
    [["1", "list", "LIMIT", "-1"], "ERR LIMIT can't be negative"],
    [["1", "list"], WRONGTYPE],
  ])("SINTERCARD %j: %s", async (args, expected) => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("k:a"), "1");
    const real = args.map((arg) =>
      arg === "list" ? list : arg.startsWith("k:") ? key(arg) : arg,
    );
    expect(await errorOf(redis.call("SINTERCARD", ...real))).toBe(expected);
  });

  it("SINTERSTORE stores the intersection, replacing the destination and its time to live", async () => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("a"), "1", "2", "3", "x");
    await redis.sadd(key("b"), "2", "3", "4", "x");
    await redis.expire(list, 1000);
    expect(await redis.sinterstore(list, key("a"), key("b"))).toBe(3);
    expect(await membersOf(redis, list)).toEqual(["2", "3", "x"]);
    expect(await redis.ttl(list)).toBe(-1);
    // A source may be the destination too.
    expect(await redis.sinterstore(key("a"), key("a"), key("b"))).toBe(3);
    expect(await membersOf(redis, key("a"))).toEqual(["2", "3", "x"]);
  });

  it("an empty intersection deletes the destination and answers 0", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("a"), "1");
    await redis.sadd(key("b"), "2");
    await redis.set(key("d"), "old");
    expect(await redis.sinterstore(key("d"), key("a"), key("b"))).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
    await redis.set(key("d"), "old");
    expect(await redis.sinterstore(key("d"), key("a"), key("none"))).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
  });
});

describe("SUNION, SDIFF and their STOREs", () => {
  it("SUNION: every member once; of intsets, ascending; a missing key adds nothing", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("a"), "3", "1");
    await redis.sadd(key("b"), "2", "3", "-7");
    expect(await redis.sunion(key("a"), key("none"), key("b"))).toEqual([
      "-7",
      "1",
      "2",
      "3",
    ]);
    await redis.sadd(key("w"), "z", "1");
    expect(sorted(await redis.sunion(key("a"), key("w")))).toEqual([
      "1",
      "3",
      "z",
    ]);
    expect(await redis.sunion(key("none"))).toEqual([]);
  });

  it("SDIFF: the first set's members that no other has, whichever way Redis computes it", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("small"), "1", "2", "3", "a");
    await redis.sadd(key("big"), ...range(2, 300));
    await redis.sadd(key("one"), "5");
    // A small set less a big one (Redis looks each member up)...
    expect(sorted(await redis.sdiff(key("small"), key("big")))).toEqual([
      "1",
      "a",
    ]);
    // ...a big set less small ones (Redis copies it and removes).
    const rest = await redis.sdiff(key("big"), key("one"), key("small"));
    expect(rest).toEqual(range(4, 300).filter((member) => member !== "5"));
    expect(await redis.sdiff(key("small"), key("small"))).toEqual([]);
    expect(await redis.sdiff(key("none"), key("small"))).toEqual([]);
    expect(sorted(await redis.sdiff(key("small"), key("none")))).toEqual(
      await membersOf(redis, key("small")),
    );
  });

  it("every key's type is checked, a missing first key included", async () => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("a"), "1");
    expect(await errorOf(redis.sunion(key("none"), list))).toBe(WRONGTYPE);
    expect(await errorOf(redis.sdiff(key("none"), list))).toBe(WRONGTYPE);
    expect(await errorOf(redis.sdiff(list, key("none")))).toBe(WRONGTYPE);
    expect(await errorOf(redis.sunionstore(key("d"), key("a"), list))).toBe(
      WRONGTYPE,
    );
    expect(await errorOf(redis.sdiffstore(key("d"), key("a"), list))).toBe(
      WRONGTYPE,
    );
    expect(await redis.exists(key("d"))).toBe(0);
  });

  it("the STOREs answer the result's size; an empty result deletes the destination", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("a"), "1", "2", "x");
    await redis.sadd(key("b"), "2");
    expect(await redis.sunionstore(key("u"), key("a"), key("b"))).toBe(3);
    expect(await membersOf(redis, key("u"))).toEqual(["1", "2", "x"]);
    expect(await redis.sdiffstore(key("d"), key("a"), key("b"))).toBe(2);
    expect(await membersOf(redis, key("d"))).toEqual(["1", "x"]);
    expect(await redis.sdiffstore(key("d"), key("a"), key("a"))).toBe(0);
    expect(await redis.exists(key("d"))).toBe(0);
    expect(await redis.sunionstore(key("u"), key("none"))).toBe(0);
    expect(await redis.exists(key("u"))).toBe(0);
  });
});

describe("SPOP", () => {
  it("without a count: one member, taken out; nil for a missing key; the last one deletes the key", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "2", "a");
    const popped = await redis.spop(key("s"));
    expect(["1", "2", "a"]).toContain(popped);
    expect(await redis.sismember(key("s"), popped!)).toBe(0);
    expect(await redis.scard(key("s"))).toBe(2);
    await redis.spop(key("s"));
    await redis.spop(key("s"));
    expect(await redis.exists(key("s"))).toBe(0);
    expect(await redis.spop(key("s"))).toBeNull();
  });

  it.each([1, 3, 6, 9, 10])(
    "with a count of %i: that many distinct members, no longer in the set",
    async (count) => {
      const { redis, key } = await setUp();
      const members = [...range(1, 7), "a", "b", "c"];
      await redis.sadd(key("s"), ...members);
      const popped = (await redis.spop(key("s"), count)) as string[];
      expect(popped).toHaveLength(count);
      expect(new Set(popped).size).toBe(count);
      for (const member of popped) expect(members).toContain(member);
      const left = await membersOf(redis, key("s"));
      expect(sorted([...left, ...popped])).toEqual(sorted(members));
    },
  );

  it("a count of the set's size or more takes it all and deletes the key; 0 takes nothing", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "3", "1", "2");
    expect(await redis.spop(key("s"), 0)).toEqual([]);
    expect(await redis.call("SPOP", key("s"), "9223372036854775807")).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(await redis.exists(key("s"))).toBe(0);
    expect(await redis.spop(key("s"), 1)).toEqual([]);
  });

  it("taking most of a set rebuilds it from what stays: a hash table of integers becomes an intset again", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), ...range(1, 600));
    await redis.expire(key("s"), 1000);
    expect(await encodingOf(redis, key("s"))).toBe("hashtable");
    // 10 stay: fewer than one for every five taken, so Redis picks those.
    const popped = (await redis.spop(key("s"), 590)) as string[];
    expect(new Set(popped).size).toBe(590);
    expect(await redis.scard(key("s"))).toBe(10);
    expect(await encodingOf(redis, key("s"))).toBe("intset");
    expect(await redis.ttl(key("s"))).toBeGreaterThan(900);
  });

  it.each([
    [["-1"], MUST_BE_POSITIVE],
    [["abc"], MUST_BE_POSITIVE],
    [["1", "2"], SYNTAX_ERROR],
  ])(
    "SPOP key %j: %s, even for a missing key or a list",
    async (rest, error) => {
      const { redis, key, list } = await setUp();
      for (const target of [key("none"), list]) {
        expect(await errorOf(redis.call("SPOP", target, ...rest))).toBe(error);
      }
    },
  );

  it("a list is WRONGTYPE, with a count or without", async () => {
    const { redis, list } = await setUp();
    expect(await errorOf(redis.spop(list))).toBe(WRONGTYPE);
    expect(await errorOf(redis.spop(list, 1))).toBe(WRONGTYPE);
  });
});

describe("SRANDMEMBER", () => {
  it("without a count: one member, left in the set; nil for a missing key", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "a");
    expect(["1", "a"]).toContain(await redis.srandmember(key("s")));
    expect(await redis.scard(key("s"))).toBe(2);
    expect(await redis.srandmember(key("none"))).toBeNull();
  });

  it.each([1, 2, 5, 9, 20, 30])(
    "a positive count of %i: that many distinct members, at most the whole set",
    async (count) => {
      const { redis, key } = await setUp();
      const members = [...range(1, 15), "a", "b", "c", "d", "e"];
      await redis.sadd(key("s"), ...members);
      const picked = (await redis.srandmember(key("s"), count)) as string[];
      expect(picked).toHaveLength(Math.min(count, members.length));
      expect(new Set(picked).size).toBe(picked.length);
      for (const member of picked) expect(members).toContain(member);
      expect(await redis.scard(key("s"))).toBe(members.length);
    },
  );

  it("a negative count: exactly that many picks, with repeats", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("one"), "a");
    expect(await redis.srandmember(key("one"), -3)).toEqual(["a", "a", "a"]);
    await redis.sadd(key("s"), "1", "2", "3");
    const picked = (await redis.srandmember(key("s"), -50)) as string[];
    expect(picked).toHaveLength(50);
    expect(sorted([...new Set(picked)])).toEqual(["1", "2", "3"]);
  });

  it("a count of 0, or a missing key with a count, is an empty array", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1");
    expect(await redis.srandmember(key("s"), 0)).toEqual([]);
    expect(await redis.srandmember(key("none"), 5)).toEqual([]);
    expect(await redis.srandmember(key("none"), -5)).toEqual([]);
  });

  it.each([
    [["abc"], NOT_AN_INTEGER],
    [["1.5"], NOT_AN_INTEGER],
    [
      ["-9223372036854775808"],
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    ],
    [["1", "2"], SYNTAX_ERROR],
  ])("SRANDMEMBER key %j: %s, even for a list", async (rest, error) => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("s"), "1");
    for (const target of [key("s"), list]) {
      expect(await errorOf(redis.call("SRANDMEMBER", target, ...rest))).toBe(
        error,
      );
    }
    expect(await errorOf(redis.srandmember(list, 1))).toBe(WRONGTYPE);
    expect(await errorOf(redis.srandmember(list))).toBe(WRONGTYPE);
  });
});

describe("SSCAN", () => {
  it("an intset answers whole in one call, cursor 0, whatever the cursor and COUNT say", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), ...range(1, 100));
    for (const cursor of ["0", "7", "-1"]) {
      expect(await redis.call("SSCAN", key("s"), cursor, "COUNT", "1")).toEqual(
        ["0", range(1, 100)],
      );
    }
  });

  it("MATCH filters the members; a lone * matches all", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "12", "21", "3");
    expect(await redis.sscan(key("s"), 0, "MATCH", "1*")).toEqual([
      "0",
      ["1", "12"],
    ]);
    expect(await redis.sscan(key("s"), 0, "MATCH", "*")).toEqual([
      "0",
      ["1", "3", "12", "21"],
    ]);
  });

  it("a hash table is walked by cursor: every member exactly once, MATCH and COUNT or not", async () => {
    const { redis, key } = await setUp();
    const members = [...range(1, 1500), "a", "b"];
    await redis.sadd(key("s"), ...members);
    for (const options of [
      [],
      ["COUNT", "7"],
      ["MATCH", "1*", "COUNT", "50"],
    ]) {
      const { items: seen, calls } = await scanToEnd(
        redis,
        "SSCAN",
        key("s"),
        ...options,
      );
      const wanted =
        options[0] === "MATCH"
          ? members.filter((member) => member.startsWith("1"))
          : members;
      expect(calls).toBeGreaterThan(1);
      expect(sorted(seen)).toEqual(sorted(wanted));
    }
  });

  it("a missing key is a finished scan of nothing, whatever the options", async () => {
    const { redis, key } = await setUp();
    expect(await redis.call("SSCAN", key("none"), "0", "COUNT", "0")).toEqual([
      "0",
      [],
    ]);
  });

  it("the cursor is read before the key, the options after its type", async () => {
    const { redis, key, list } = await setUp();
    await redis.sadd(key("s"), "1");
    const scan = (target: string, ...rest: string[]) =>
      errorOf(redis.call("SSCAN", target, ...rest));
    expect(await scan(list, "abc")).toBe("ERR invalid cursor");
    expect(await scan(key("s"), "18446744073709551616")).toBe(
      "ERR invalid cursor",
    );
    expect(await scan(list, "0", "COUNT", "0")).toBe(WRONGTYPE);
    expect(await scan(key("s"), "0", "COUNT", "0")).toBe(SYNTAX_ERROR);
    expect(await scan(key("s"), "0", "COUNT", "x")).toBe(NOT_AN_INTEGER);
    expect(await scan(key("s"), "0", "MATCH")).toBe(SYNTAX_ERROR);
    expect(await scan(key("s"), "0", "TYPE", "string")).toBe(SYNTAX_ERROR);
  });
});

describe("the two encodings: intset, then hashtable", () => {
  it("512 integers by default are an intset, 513 a hash table", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), ...range(1, 512));
    expect(await encodingOf(redis, key("s"))).toBe("intset");
    await redis.sadd(key("s"), "513");
    expect(await encodingOf(redis, key("s"))).toBe("hashtable");
  });

  it("a set leaves its intset at one member more than set-max-intset-entries", async () => {
    const { redis, key } = await setUp();
    await withIntsetLimit(redis, "3", async () => {
      await redis.sadd(key("s"), "1", "2", "3");
      expect(await encodingOf(redis, key("s"))).toBe("intset");
      await redis.sadd(key("s"), "3"); // already there: no change
      expect(await encodingOf(redis, key("s"))).toBe("intset");
      await redis.sadd(key("s"), "4");
      expect(await encodingOf(redis, key("s"))).toBe("hashtable");
      expect(await membersOf(redis, key("s"))).toEqual(["1", "2", "3", "4"]);
    });
  });

  it("a lowered limit converts a set at its next addition, never at a removal", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), ...range(1, 10));
    await withIntsetLimit(redis, "5", async () => {
      await redis.srem(key("s"), "10");
      expect(await encodingOf(redis, key("s"))).toBe("intset");
      await redis.sadd(key("s"), "11");
      expect(await encodingOf(redis, key("s"))).toBe("hashtable");
    });
    await withIntsetLimit(redis, "0", async () => {
      await redis.sadd(key("zero"), "1");
      expect(await encodingOf(redis, key("zero"))).toBe("hashtable");
    });
  });

  it.each(["a", "007", "+1", "-0", "1.0", " 1", "9223372036854775808", ""])(
    "%j is no integer to an intset: it converts the set",
    async (member) => {
      const { redis, key } = await setUp();
      await redis.sadd(key("s"), "1", "2");
      await redis.sadd(key("s"), member);
      expect(await encodingOf(redis, key("s"))).toBe("hashtable");
      expect(await membersOf(redis, key("s"))).toEqual(
        sorted(["1", "2", member]),
      );
    },
  );

  it("64-bit integers to their edges fit an intset, and come back as they went", async () => {
    const { redis, key } = await setUp();
    const edges = [
      "-9223372036854775808",
      "-2147483649",
      "-32769",
      "0",
      "32768",
      "2147483648",
      "9223372036854775807",
    ];
    await redis.sadd(key("s"), ...[...edges].reverse());
    expect(await encodingOf(redis, key("s"))).toBe("intset");
    expect(await redis.smembers(key("s"))).toEqual(edges);
    expect(await redis.sismember(key("s"), "9223372036854775807")).toBe(1);
  });

  it("a hash table never becomes an intset again by removals", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("s"), "1", "a");
    await redis.srem(key("s"), "a");
    expect(await encodingOf(redis, key("s"))).toBe("hashtable");
  });

  it("the STOREs make their result as SADD would: an intset of few integers, else a hash table", async () => {
    const { redis, key } = await setUp();
    await redis.sadd(key("a"), "1", "2", "3", "x");
    await redis.sadd(key("b"), "1", "2", "3", "y");
    await redis.sinterstore(key("i"), key("a"), key("b"));
    expect(await encodingOf(redis, key("i"))).toBe("intset");
    await redis.sdiffstore(key("d"), key("a"), key("b"));
    expect(await encodingOf(redis, key("d"))).toBe("hashtable");
    await withIntsetLimit(redis, "2", async () => {
      await redis.sinterstore(key("i"), key("a"), key("b"));
      expect(await encodingOf(redis, key("i"))).toBe("hashtable");
    });
  });

  it.each([
    ["an intset", ["1", "2"]],
    ["a hash table", ["a", "b"]],
  ])(
    "COPY of %s keeps its encoding and shares nothing with the original",
    async (_, members) => {
      const { redis, key } = await setUp();
      await redis.sadd(key("s"), ...members);
      expect(await redis.copy(key("s"), key("c"))).toBe(1);
      await redis.sadd(key("c"), "3");
      await redis.srem(key("s"), members[0]!);
      expect(await encodingOf(redis, key("c"))).toBe(
        await encodingOf(redis, key("s")),
      );
      expect(await membersOf(redis, key("c"))).toEqual(
        sorted([...members, "3"]),
      );
      expect(await membersOf(redis, key("s"))).toEqual([members[1]!]);
    },
  );

  it("CONFIG GET shows set-max-intset-entries; CONFIG SET takes 0 to 2^63 - 1", async () => {
    const redis = await server.client();
    expect(await redis.config("GET", "set-max-intset-entries")).toEqual([
      "set-max-intset-entries",
      "512",
    ]);
    const failed = (reason: string) =>
      `ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - ${reason}`;
    expect(
      await errorOf(redis.config("SET", "set-max-intset-entries", "-1")),
    ).toBe(
      failed("argument must be between 0 and 9223372036854775807 inclusive"),
    );
    for (const text of ["1k", "9223372036854775808", "abc", ""]) {
      expect(
        await errorOf(redis.config("SET", "set-max-intset-entries", text)),
      ).toBe(failed("argument couldn't be parsed into an integer"));
    }
    await withIntsetLimit(redis, "9223372036854775807", async () => {
      expect(await redis.config("GET", "set-max-intset-entries")).toEqual([
        "set-max-intset-entries",
        "9223372036854775807",
      ]);
    });
  });
});

describe("the exact bytes of the replies, in the project's protocol", () => {
  /** A raw connection speaking the project's protocol, its HELLO answered and read. */
  async function rawClient(): Promise<RawSocket> {
    return speakProtocol(await server.raw(), protocol);
  }

  const set = protocol === 3 ? "~" : "*";
  const nil = protocol === 3 ? "_" : "$-1";

  it("SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count answer sets: ~ in RESP3, * in RESP2, empty ones too", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("SADD", key("s"), "2", "1"),
        encodeCommand("SMEMBERS", key("s")),
        encodeCommand("SMEMBERS", key("none")),
        encodeCommand("SINTER", key("s"), key("none")),
        encodeCommand("SUNION", key("s")),
        encodeCommand("SDIFF", key("none")),
        encodeCommand("SPOP", key("none"), "1"),
        encodeCommand("SPOP", key("s"), "0"),
      ]),
    );
    await expectBytes(
      raw,
      `:2\r\n${set}2\r\n$1\r\n1\r\n$1\r\n2\r\n${set}0\r\n${set}0\r\n` +
        `${set}2\r\n$1\r\n1\r\n$1\r\n2\r\n${set}0\r\n${set}0\r\n${set}0\r\n`,
    );
  });

  it("SRANDMEMBER with a count and SMISMEMBER answer arrays in both; SPOP and SRANDMEMBER without one, nil for a missing key", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("SADD", key("s"), "1"),
        encodeCommand("SRANDMEMBER", key("s"), "-2"),
        encodeCommand("SRANDMEMBER", key("s"), "5"),
        encodeCommand("SRANDMEMBER", key("none"), "5"),
        encodeCommand("SMISMEMBER", key("s"), "1", "2"),
        encodeCommand("SPOP", key("none")),
        encodeCommand("SRANDMEMBER", key("none")),
        encodeCommand("SSCAN", key("s"), "0"),
      ]),
    );
    await expectBytes(
      raw,
      `:1\r\n*2\r\n$1\r\n1\r\n$1\r\n1\r\n*1\r\n$1\r\n1\r\n*0\r\n*2\r\n:1\r\n:0\r\n` +
        `${nil}\r\n${nil}\r\n*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n`,
    );
  });
});

describe("the AOF", () => {
  itRestarts(
    "sets survive a restart, encodings included; SPOP is logged as what it did, and what changes nothing is not logged",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      const redis = await restartable.client();
      await redis.sadd("s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
      await redis.sadd("s", "1"); // no change
      const one = await redis.spop("s");
      const some = (await redis.spop("s", 2)) as string[];
      const most = (await redis.spop("s", 6)) as string[];
      await redis.sadd("w", "a", "b", "c");
      await redis.spop("w", 5); // all of it
      await redis.srem("s", "nope"); // no change
      await redis.sadd("m", "1", "x");
      await redis.smove("m", "m", "1"); // no change
      await redis.smove("m", "n", "1");
      await redis.smove("m", "n", "9"); // no change
      await redis.smove("m", "n", "x");
      await redis.sinterstore("i", "n", "n");
      await redis.sinterstore("gone", "n", "none"); // nothing to delete
      await redis.sunionstore("u", "n", "s");
      await redis.sdiffstore("d", "u", "s");
      await redis.sadd("big", ...range(1, 600));
      const state = async (client: Redis) =>
        Promise.all(
          ["s", "w", "m", "n", "i", "gone", "u", "d", "big"].map(
            async (key) => [
              key,
              await client.exists(key),
              (await client.exists(key))
                ? await client.object("ENCODING", key)
                : null,
              await membersOf(client, key),
            ],
          ),
        );
      const before = await state(redis);
      if (restartable.kind === "ours") {
        // Redis 7.0.15 writes the same, but for SPOP with a count, which
        // it logs as one SREM per member, inside MULTI and EXEC.
        expect(aofCommands(aofBytes(restartable))).toEqual([
          ["SELECT", "0"],
          ["sadd", "s", ...range(1, 10)],
          ["SREM", "s", one!],
          ["SREM", "s", ...some],
          ["SREM", "s", ...most],
          ["sadd", "w", "a", "b", "c"],
          ["DEL", "w"],
          ["sadd", "m", "1", "x"],
          ["smove", "m", "n", "1"],
          ["smove", "m", "n", "x"],
          ["sinterstore", "i", "n", "n"],
          ["sunionstore", "u", "n", "s"],
          ["sdiffstore", "d", "u", "s"],
          ["sadd", "big", ...range(1, 600)],
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(await state(again)).toEqual(before);
    },
  );
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  const READ_FAST = ["@read", "@set", "@fast"];
  const READ_SLOW = ["@read", "@set", "@slow"];
  const WRITE_FAST = ["@write", "@set", "@fast"];
  const WRITE_SLOW = ["@write", "@set", "@slow"];
  const ORDER = ["nondeterministic_output_order"];
  const RANDOM = ["nondeterministic_output"];

  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["sadd", -3, ["write", "denyoom", "fast"], 1, 1, 1, WRITE_FAST, []],
    ["srem", -3, ["write", "fast"], 1, 1, 1, WRITE_FAST, []],
    ["scard", 2, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["sismember", 3, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["smismember", -3, ["readonly", "fast"], 1, 1, 1, READ_FAST, []],
    ["smembers", 2, ["readonly"], 1, 1, 1, READ_SLOW, ORDER],
    ["spop", -2, ["write", "fast"], 1, 1, 1, WRITE_FAST, RANDOM],
    ["srandmember", -2, ["readonly"], 1, 1, 1, READ_SLOW, RANDOM],
    ["smove", 4, ["write", "fast"], 1, 2, 1, WRITE_FAST, []],
    ["sinter", -2, ["readonly"], 1, -1, 1, READ_SLOW, ORDER],
    ["sintercard", -3, ["readonly", "movablekeys"], 0, 0, 0, READ_SLOW, []],
    ["sinterstore", -3, ["write", "denyoom"], 1, -1, 1, WRITE_SLOW, []],
    ["sunion", -2, ["readonly"], 1, -1, 1, READ_SLOW, ORDER],
    ["sunionstore", -3, ["write", "denyoom"], 1, -1, 1, WRITE_SLOW, []],
    ["sdiff", -2, ["readonly"], 1, -1, 1, READ_SLOW, ORDER],
    ["sdiffstore", -3, ["write", "denyoom"], 1, -1, 1, WRITE_SLOW, []],
    ["sscan", -3, ["readonly"], 1, 1, 1, READ_SLOW, RANDOM],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 8)).toEqual(row);
  });

  it("COMMAND GETKEYS finds SINTERCARD's keys after numkeys", async () => {
    const redis = await server.client();
    expect(
      await redis.call(
        "COMMAND",
        "GETKEYS",
        "SINTERCARD",
        "2",
        "a",
        "b",
        "LIMIT",
        "1",
      ),
    ).toEqual(["a", "b"]);
  });

  const KEY = ["name", "key", "type", "key"];
  const KEYS = ["name", "key", "type", "key", "flags", ["multiple"]];
  const MEMBERS = ["name", "member", "type", "string", "flags", ["multiple"]];
  const INTER =
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
  const UNION_DIFF =
    "O(N) where N is the total number of elements in all given sets.";
  const STORE = [["name", "destination", "type", "key"], KEYS];

  /** COMMAND DOCS's fields, in Redis's order (command-docs-helpers.ts). */
  const docs = (fields: DocFields) => commandDocs("set", fields);

  /** An optional argument's docs: after `token` if it has one, since a later version if it says. */
  function optional(
    name: string,
    type: string,
    extra: { token?: string; since?: string },
  ): unknown[] {
    return [
      ...["name", name, "type", type],
      ...(extra.token === undefined ? [] : ["token", extra.token]),
      ...(extra.since === undefined ? [] : ["since", extra.since]),
      ...["flags", ["optional"]],
    ];
  }

  it.each([
    [
      "sadd",
      docs({
        summary: "Add one or more members to a set",
        since: "1.0.0",
        complexity:
          "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        history: [["2.4.0", "Accepts multiple `member` arguments."]],
        arguments: [KEY, MEMBERS],
      }),
    ],
    [
      "smismember",
      docs({
        summary:
          "Returns the membership associated with the given elements for a set",
        since: "6.2.0",
        complexity:
          "O(N) where N is the number of elements being checked for membership",
        arguments: [KEY, MEMBERS],
      }),
    ],
    [
      "spop",
      docs({
        summary: "Remove and return one or multiple random members from a set",
        since: "1.0.0",
        complexity:
          "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
        history: [["3.2.0", "Added the `count` argument."]],
        arguments: [KEY, optional("count", "integer", { since: "3.2.0" })],
      }),
    ],
    [
      "smove",
      docs({
        summary: "Move a member from one set to another",
        since: "1.0.0",
        complexity: "O(1)",
        arguments: [
          ["name", "source", "type", "key"],
          ["name", "destination", "type", "key"],
          ["name", "member", "type", "string"],
        ],
      }),
    ],
    [
      "sintercard",
      docs({
        summary:
          "Intersect multiple sets and return the cardinality of the result",
        since: "7.0.0",
        complexity: INTER,
        arguments: [
          ["name", "numkeys", "type", "integer"],
          KEYS,
          optional("limit", "integer", { token: "LIMIT" }),
        ],
      }),
    ],
    [
      "sinterstore",
      docs({
        summary: "Intersect multiple sets and store the resulting set in a key",
        since: "1.0.0",
        complexity: INTER,
        arguments: STORE,
      }),
    ],
    [
      "sdiff",
      docs({
        summary: "Subtract multiple sets",
        since: "1.0.0",
        complexity: UNION_DIFF,
        arguments: [KEYS],
      }),
    ],
    [
      "sscan",
      docs({
        summary: "Incrementally iterate Set elements",
        since: "2.8.0",
        complexity:
          "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        arguments: [
          KEY,
          ["name", "cursor", "type", "integer"],
          optional("pattern", "pattern", { token: "MATCH" }),
          optional("count", "integer", { token: "COUNT" }),
        ],
      }),
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsWithoutKeySpecs(await server.client(), name)).toEqual(
      expected,
    );
  });
});
