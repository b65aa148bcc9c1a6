/**
 * Article step "zset-pops": popping and picking. ZPOPMIN, ZPOPMAX and
 * ZMPOP take members off either end of a sorted set; BZPOPMIN, BZPOPMAX
 * and BZMPOP wait for one when every key they name is empty, served as
 * the blocking list commands are (first come first served per key, after
 * the command that made the key: ZADD, ZUNIONSTORE, RENAME), with a list
 * waiter in the same queue passed over, not served; ZRANDMEMBER picks
 * members and leaves them. Redis 7.0.15's replies and errors, in the
 * order Redis checks them, and what the AOF records of each pop.
 *
 * A sorted set's order is by score, then by member, in both servers:
 * pops are compared exactly. Random picks are checked for what they must
 * be (how many, from the set, distinct or not, with their own scores),
 * never for which members came. A test knows a client is blocked when
 * CLIENT LIST shows it with the flag `b`, and a timeout is a short one
 * (50 ms) whose reply it awaits: no test sleeps for a fixed time. Through
 * ioredis in the project's protocol, and over a raw socket where the
 * bytes differ between RESP2 and RESP3. Each test makes its own keys
 * under a random prefix: the tests share a server (a real Redis one
 * under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { external, useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  clientWithList,
  errorOf,
  keysForThisTest,
  MUST_BE_POSITIVE,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
  WRONGTYPE,
} from "./client-helpers.ts";
import { commandDocs, docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import {
  aofRecords,
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";
import { isBlocked, timed, waitingInFor } from "./waiting-helpers.ts";
import {
  contentsOf,
  scored,
  scoresAndMembers,
  type Scored,
} from "./zset-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

const NOT_A_TIMEOUT = "ERR timeout is not a float or out of range";
const NEGATIVE_TIMEOUT = "ERR timeout is negative";
const BAD_NUMKEYS = "ERR numkeys should be greater than 0";
const BAD_COUNT = "ERR count should be greater than 0";
const OUT_OF_RANGE = "ERR value is out of range";
const NOT_A_LONG =
  "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

/** A member longer than zset-max-listpack-value (64): its set is a skiplist. */
const LONG_MEMBER = "x".repeat(65);

/** A raw connection speaking the project's protocol, its HELLO answered and read. */
async function rawClient(): Promise<RawSocket> {
  return speakProtocol(await server.raw(), protocol);
}

/** `text` as a RESP bulk string. */
function bulkOf(text: string): string {
  return `$${text.length}\r\n${text}\r\n`;
}

/** A score as the reply writes it: a double in RESP3, its text as a bulk string in RESP2. */
function scoreOf(text: string): string {
  return protocol === 3 ? `,${text}\r\n` : bulkOf(text);
}

/**
 * The error a command is answered with, its words given as a test table
 * writes them: `z`, `none` and `list` stand for this test's keys of those
 * names.
 */
async function errorOfWords(
  redis: Redis,
  key: (name: string) => string,
  words: readonly string[],
): Promise<string> {
  const named = words.map((w) =>
    ["z", "none", "list"].includes(w) ? key(w) : w,
  );
  return errorOf(redis.call(named[0]!, ...named.slice(1)));
}

// #region waiting-helpers
/** A blocking command sent from a fresh client, resolved once it waits (waiting-helpers.ts). */
const waitingIn = waitingInFor(server);
// #endregion waiting-helpers

describe("ZPOPMIN and ZPOPMAX", () => {
  it("without a count: the lowest (or highest) member and its score, flat; the last pop deletes the key", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 2, "b", 1, "a", 3, "c");
    expect(await redis.call("ZPOPMIN", key("z"))).toEqual(["a", "1"]);
    expect(await redis.call("ZPOPMAX", key("z"))).toEqual(["c", "3"]);
    expect(await redis.call("zpopmin", key("z"))).toEqual(["b", "2"]);
    expect(await redis.exists(key("z"))).toBe(0);
    // A missing key: an empty array, not nil.
    expect(await redis.call("ZPOPMIN", key("z"))).toEqual([]);
    expect(await redis.call("ZPOPMAX", key("none"))).toEqual([]);
  });

  it("with a count: up to that many, in the order they come off, as pairs; equal scores by member", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "b", 1, "a", 5, "e", 2, "c", 4, "d");
    expect(await scored(redis, "ZPOPMIN", key("z"), "2")).toEqual([
      ["a", "1"],
      ["b", "1"],
    ]);
    expect(await scored(redis, "ZPOPMAX", key("z"), "1")).toEqual([["e", "5"]]);
    // More than the set holds: all of it, and the key goes.
    expect(await scored(redis, "ZPOPMAX", key("z"), "10")).toEqual([
      ["d", "4"],
      ["c", "2"],
    ]);
    expect(await redis.exists(key("z"))).toBe(0);
    expect(await redis.call("ZPOPMIN", key("z"), "3")).toEqual([]);
  });

  it("a count of 0 takes nothing and changes nothing; the largest count takes everything", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a", 2, "b");
    expect(await redis.call("ZPOPMIN", key("z"), "0")).toEqual([]);
    expect(await contentsOf(redis, key("z"))).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(
      await scored(redis, "ZPOPMIN", key("z"), "9223372036854775807"),
    ).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(await redis.exists(key("z"))).toBe(0);
  });

  it("members and scores come back as they were: bytes, %.17g, inf", async () => {
    const { redis, key } = await setUp();
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await redis.zadd(key("z"), "1.1", everyByte, "-inf", "low", "inf", "high");
    expect(await scored(redis, "ZPOPMIN", key("z"), "1")).toEqual([
      ["low", "-inf"],
    ]);
    expect(await scored(redis, "ZPOPMAX", key("z"), "1")).toEqual([
      ["high", "inf"],
    ]);
    const [member, score] = (await redis.callBuffer(
      "ZPOPMIN",
      key("z"),
    )) as Buffer[];
    expect(member).toEqual(everyByte);
    expect(score!.toString()).toBe("1.1000000000000001");
  });

  it("a skiplist stays a skiplist as it shrinks, as in Redis: pops never convert back", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, LONG_MEMBER, 2, "b", 3, "c");
    expect(await redis.object("ENCODING", key("z"))).toBe("skiplist");
    expect(await redis.call("ZPOPMIN", key("z"))).toEqual([LONG_MEMBER, "1"]);
    expect(await redis.call("ZPOPMAX", key("z"))).toEqual(["c", "3"]);
    expect(await redis.object("ENCODING", key("z"))).toBe("skiplist");
    await redis.zadd(key("small"), 1, "a", 2, "b");
    await redis.call("ZPOPMIN", key("small"));
    expect(await redis.object("ENCODING", key("small"))).toBe("listpack");
  });

  it.each([
    [["ZPOPMIN", "z", "-1"], MUST_BE_POSITIVE],
    // Redis's one message for "not an integer" and "negative".
    [["ZPOPMIN", "z", "abc"], MUST_BE_POSITIVE],
    [["ZPOPMAX", "z", "1.5"], MUST_BE_POSITIVE],
    [["ZPOPMIN", "z", "99999999999999999999"], MUST_BE_POSITIVE],
    [["ZPOPMIN", "none", "-1"], MUST_BE_POSITIVE],
    // The count is read before the key is looked at...
    [["ZPOPMIN", "list", "-1"], MUST_BE_POSITIVE],
    // ...but a count of 0 is no excuse for a key of another kind.
    [["ZPOPMIN", "list", "0"], WRONGTYPE],
    [["ZPOPMAX", "list"], WRONGTYPE],
    // Too many words: a syntax error before anything else.
    [["ZPOPMIN", "z", "1", "2"], SYNTAX_ERROR],
    [["ZPOPMIN", "list", "abc", "def"], SYNTAX_ERROR],
    [["ZPOPMIN"], "ERR wrong number of arguments for 'zpopmin' command"],
  ])("%j → %s", async (words, expected) => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a");
    expect(await errorOfWords(redis, key, words)).toBe(expected);
    expect(await contentsOf(redis, key("z"))).toEqual([["a", "1"]]);
  });
});

describe("ZMPOP", () => {
  it("pops from the first key, in the order given, that holds a sorted set, and answers [key, [[member, score]...]]", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("b"), 1, "x", 2, "y", 3, "z");
    await redis.zadd(key("c"), 1, "c1");
    expect(
      await redis.call("ZMPOP", "3", key("a"), key("b"), key("c"), "MIN"),
    ).toEqual([key("b"), [["x", "1"]]]);
    expect(
      await redis.call("ZMPOP", "2", key("b"), key("c"), "max", "COUNT", "5"),
    ).toEqual([
      key("b"),
      [
        ["z", "3"],
        ["y", "2"],
      ],
    ]);
    expect(await redis.exists(key("b"))).toBe(0);
    expect(
      await redis.call("zmpop", "2", key("b"), key("c"), "Min", "count", "1"),
    ).toEqual([key("c"), [["c1", "1"]]]);
    // No key holds a sorted set: a null array.
    expect(
      await redis.call("ZMPOP", "2", key("b"), key("c"), "MIN"),
    ).toBeNull();
  });

  it("a key of another kind answers WRONGTYPE, unless a sorted set comes before it", async () => {
    const { redis, key, list } = await setUp();
    expect(
      await errorOf(redis.call("ZMPOP", "2", key("none"), list, "MIN")),
    ).toBe(WRONGTYPE);
    await redis.zadd(key("z"), 1, "a");
    expect(await redis.call("ZMPOP", "2", key("z"), list, "MIN")).toEqual([
      key("z"),
      [["a", "1"]],
    ]);
  });

  it.each([
    [["ZMPOP", "0", "z", "MIN"], BAD_NUMKEYS],
    [["ZMPOP", "-1", "z", "MIN"], BAD_NUMKEYS],
    [["ZMPOP", "abc", "z", "MIN"], BAD_NUMKEYS],
    [["ZMPOP", "99999999999999999999", "z", "MIN"], BAD_NUMKEYS],
    // More keys than words: no room for MIN or MAX.
    [["ZMPOP", "2", "z", "MIN"], SYNTAX_ERROR],
    [["ZMPOP", "3", "z", "MIN"], SYNTAX_ERROR],
    [["ZMPOP", "1", "z", "LEFT"], SYNTAX_ERROR],
    [["ZMPOP", "1", "z", "MIN", "COUNT", "0"], BAD_COUNT],
    [["ZMPOP", "1", "z", "MIN", "COUNT", "-1"], BAD_COUNT],
    [["ZMPOP", "1", "z", "MIN", "COUNT", "abc"], BAD_COUNT],
    [["ZMPOP", "1", "z", "MIN", "COUNT", "0", "junk"], BAD_COUNT],
    [["ZMPOP", "1", "z", "MIN", "COUNT"], SYNTAX_ERROR],
    [["ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "2"], SYNTAX_ERROR],
    [["ZMPOP", "1", "z", "MIN", "COUNT", "1", "junk"], SYNTAX_ERROR],
    [["ZMPOP", "1", "z", "MIN", "junk", "COUNT", "0"], SYNTAX_ERROR],
    // The words are read before any key is looked at.
    [["ZMPOP", "1", "list", "junk"], SYNTAX_ERROR],
    [["ZMPOP", "1", "list", "MIN", "COUNT", "0"], BAD_COUNT],
    [["ZMPOP", "1", "list", "MIN"], WRONGTYPE],
    [["ZMPOP", "1", "z"], "ERR wrong number of arguments for 'zmpop' command"],
  ])("%j → %s", async (words, expected) => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a");
    expect(await errorOfWords(redis, key, words)).toBe(expected);
    expect(await contentsOf(redis, key("z"))).toEqual([["a", "1"]]);
  });
});

describe("the exact bytes of the pops, in the project's protocol", () => {
  it("ZPOPMIN: flat [member, score] without a count, pairs with one in RESP3 (flat in RESP2); an empty array for a missing key", async () => {
    const raw = await rawClient();
    const z = keysForThisTest()("z");
    await raw.send(encodeCommand("ZADD", z, "1.1", "a", "2", "b", "3", "c"));
    await expectBytes(raw, ":3\r\n");
    await raw.send(
      Buffer.concat([
        encodeCommand("ZPOPMIN", z),
        encodeCommand("ZPOPMAX", z, "1"),
        encodeCommand("ZPOPMIN", z, "0"),
        encodeCommand("ZPOPMIN", z, "5"),
        encodeCommand("ZPOPMIN", z),
        encodeCommand("ZPOPMIN", z, "1"),
      ]),
    );
    const c3 = bulkOf("c") + scoreOf("3");
    await expectBytes(
      raw,
      `*2\r\n$1\r\na\r\n${scoreOf("1.1000000000000001")}` +
        (protocol === 3 ? `*1\r\n*2\r\n${c3}` : `*2\r\n${c3}`) +
        `*0\r\n` +
        (protocol === 3
          ? `*1\r\n*2\r\n$1\r\nb\r\n${scoreOf("2")}`
          : `*2\r\n$1\r\nb\r\n${scoreOf("2")}`) +
        `*0\r\n*0\r\n`,
    );
  });

  it("ZMPOP and BZMPOP: [key, [[member, score]]] nested in RESP2 too; nothing to pop is *-1 in RESP2, _ in RESP3", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    const z = key("z");
    await raw.send(encodeCommand("ZADD", z, "1.5", "a", "2", "b", "3", "c"));
    await expectBytes(raw, ":3\r\n");
    await raw.send(
      Buffer.concat([
        encodeCommand("ZMPOP", "1", z, "MIN"),
        encodeCommand("BZMPOP", "0", "1", z, "MAX", "COUNT", "2"),
        encodeCommand("ZMPOP", "1", z, "MIN"),
        encodeCommand("BZMPOP", "0.01", "1", z, "MIN"),
      ]),
    );
    const nothing = protocol === 3 ? "_\r\n" : "*-1\r\n";
    await expectBytes(
      raw,
      `*2\r\n${bulkOf(z)}*1\r\n*2\r\n$1\r\na\r\n${scoreOf("1.5")}` +
        `*2\r\n${bulkOf(z)}*2\r\n*2\r\n$1\r\nc\r\n${scoreOf("3")}` +
        `*2\r\n$1\r\nb\r\n${scoreOf("2")}` +
        nothing +
        nothing,
    );
  });

  it("BZPOPMIN and BZPOPMAX: [key, member, score] flat; a timeout is *-1 in RESP2, _ in RESP3", async () => {
    const raw = await rawClient();
    const z = keysForThisTest()("z");
    await raw.send(encodeCommand("ZADD", z, "1.5", "a", "2", "b"));
    await expectBytes(raw, ":2\r\n");
    await raw.send(
      Buffer.concat([
        encodeCommand("BZPOPMIN", z, "0"),
        encodeCommand("BZPOPMAX", z, "0"),
        encodeCommand("BZPOPMIN", z, "0.01"),
      ]),
    );
    await expectBytes(
      raw,
      `*3\r\n${bulkOf(z)}$1\r\na\r\n${scoreOf("1.5")}` +
        `*3\r\n${bulkOf(z)}$1\r\nb\r\n${scoreOf("2")}` +
        (protocol === 3 ? "_\r\n" : "*-1\r\n"),
    );
  });
});

describe("BZPOPMIN, BZPOPMAX and BZMPOP with members to pop do not wait", () => {
  it("they pop from the first key, in the order given, that holds a sorted set", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("b"), 1, "b1", 2, "b2", 3, "b3", 4, "b4");
    await redis.zadd(key("c"), 1, "c1");
    expect(await redis.bzpopmin(key("a"), key("b"), key("c"), 0)).toEqual([
      key("b"),
      "b1",
      "1",
    ]);
    expect(await redis.bzpopmax(key("a"), key("b"), key("c"), 0)).toEqual([
      key("b"),
      "b4",
      "4",
    ]);
    expect(
      await redis.call(
        "BZMPOP",
        "0.5",
        "3",
        key("a"),
        key("b"),
        key("c"),
        "MIN",
        "COUNT",
        "10",
      ),
    ).toEqual([
      key("b"),
      [
        ["b2", "2"],
        ["b3", "3"],
      ],
    ]);
    expect(await redis.exists(key("b"))).toBe(0);
    // Without COUNT, one member.
    expect(
      await redis.call("BZMPOP", "0", "2", key("b"), key("c"), "MAX"),
    ).toEqual([key("c"), [["c1", "1"]]]);
  });

  it("a key of another kind answers WRONGTYPE at once, unless a sorted set comes before it", async () => {
    const { redis, key, list } = await setUp();
    await redis.zadd(key("z"), 1, "a", 2, "b");
    for (const command of [
      ["BZPOPMIN", list, "0"],
      ["BZPOPMAX", key("none"), list, "0"],
      ["BZMPOP", "0", "2", key("none"), list, "MIN"],
    ]) {
      expect(await errorOf(redis.call(command[0]!, ...command.slice(1)))).toBe(
        WRONGTYPE,
      );
    }
    expect(await redis.bzpopmin(key("z"), list, 0)).toEqual([
      key("z"),
      "a",
      "1",
    ]);
    expect(await redis.call("BZMPOP", "0", "2", key("z"), list, "MIN")).toEqual(
      [key("z"), [["b", "2"]]],
    );
  });

  it.each([
    [["BZPOPMIN", "z", "abc"], NOT_A_TIMEOUT],
    [["BZPOPMAX", "z", "-1"], NEGATIVE_TIMEOUT],
    // The timeout before the type.
    [["BZPOPMIN", "list", "abc"], NOT_A_TIMEOUT],
    [["BZPOPMIN", "z", "nan"], NOT_A_TIMEOUT],
    [["BZPOPMIN", "z", "inf"], NEGATIVE_TIMEOUT],
    [["BZPOPMAX", "none", "z", "1e16"], NEGATIVE_TIMEOUT],
    [["BZPOPMIN", "z"], "ERR wrong number of arguments for 'bzpopmin' command"],
    // BZMPOP reads numkeys, MIN or MAX and COUNT before its timeout.
    [["BZMPOP", "abc", "0", "z", "MIN"], BAD_NUMKEYS],
    [["BZMPOP", "abc", "1", "z", "junk"], SYNTAX_ERROR],
    [["BZMPOP", "abc", "2", "z", "MIN"], SYNTAX_ERROR],
    [["BZMPOP", "abc", "1", "z", "MIN", "COUNT", "0"], BAD_COUNT],
    [["BZMPOP", "0", "1", "z", "MIN", "COUNT"], SYNTAX_ERROR],
    [["BZMPOP", "abc", "1", "z", "MIN"], NOT_A_TIMEOUT],
    [["BZMPOP", "-1", "1", "z", "MIN"], NEGATIVE_TIMEOUT],
    [["BZMPOP", "abc", "1", "list", "MIN"], NOT_A_TIMEOUT],
    [
      ["BZMPOP", "0", "1", "z"],
      "ERR wrong number of arguments for 'bzmpop' command",
    ],
  ])("%j → %s", async (words, expected) => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a");
    expect(await errorOfWords(redis, key, words)).toBe(expected);
    expect(await contentsOf(redis, key("z"))).toEqual([["a", "1"]]);
  });
});

describe("waiting for a sorted set", () => {
  it("each of the three answers null when its time is up, never before, and takes nothing later", async () => {
    const key = keysForThisTest();
    const [min, max, multi] = (await Promise.all([
      server.client(),
      server.client(),
      server.client(),
    ])) as [Redis, Redis, Redis];
    const replies = await Promise.all([
      timed(min.bzpopmin(key("a"), key("b"), 0.05)),
      timed(max.bzpopmax(key("a"), "0.05")),
      timed(multi.call("BZMPOP", "5e-2", "1", key("a"), "MIN")),
    ]);
    for (const [reply, ms] of replies) {
      expect(reply).toBeNull();
      // Node's timers may fire up to a millisecond early.
      expect(ms).toBeGreaterThanOrEqual(49);
    }
    const observer = await server.client();
    await observer.zadd(key("a"), 1, "x");
    expect(await contentsOf(observer, key("a"))).toEqual([["x", "1"]]);
  });

  it("three waiters and a ZADD of two members: the first two are served in the order they came, the third waits on", async () => {
    const observer = await server.client();
    const z = keysForThisTest()("z");
    const first = await waitingIn(observer, (r) => r.bzpopmin(z, 0));
    const second = await waitingIn(observer, (r) => r.bzpopmin(z, 0));
    const third = await waitingIn(observer, (r) => r.bzpopmin(z, 0));
    expect(await observer.zadd(z, 2, "b", 1, "a")).toBe(2);
    expect(await first.reply).toEqual([z, "a", "1"]);
    expect(await second.reply).toEqual([z, "b", "2"]);
    expect(await observer.exists(z)).toBe(0);
    expect(await isBlocked(observer, third.id)).toBe(true);
    await observer.zadd(z, 3, "c", 4, "d");
    expect(await third.reply).toEqual([z, "c", "3"]);
    expect(await contentsOf(observer, z)).toEqual([["d", "4"]]);
    // Served clients take up their next commands.
    expect(await first.redis.ping()).toBe("PONG");
  });

  it("each waiter is served by its own command: BZPOPMAX from the top, BZMPOP with its COUNT and end", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const z = key("z");
    const max = await waitingIn(observer, (r) => r.bzpopmax(z, 0));
    const multi = await waitingIn(observer, (r) =>
      r.call("BZMPOP", "0", "2", key("none"), z, "MIN", "COUNT", "2"),
    );
    const min = await waitingIn(observer, (r) => r.bzpopmin(z, 0));
    // Fewer than its COUNT left: BZMPOP takes what there is.
    const rest = await waitingIn(observer, (r) =>
      r.call("BZMPOP", "0", "1", z, "MAX", "COUNT", "10"),
    );
    await observer.zadd(z, ...scoresAndMembers(6));
    expect(await max.reply).toEqual([z, "m6", "6"]);
    expect(await multi.reply).toEqual([
      z,
      [
        ["m1", "1"],
        ["m2", "2"],
      ],
    ]);
    expect(await min.reply).toEqual([z, "m3", "3"]);
    expect(await rest.reply).toEqual([
      z,
      [
        ["m5", "5"],
        ["m4", "4"],
      ],
    ]);
    expect(await observer.exists(z)).toBe(0);
  });

  it("a client on several keys is served from the key that received members, and leaves the other keys' queues", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const both = await waitingIn(observer, (r) =>
      r.bzpopmin(key("k1"), key("k2"), 0),
    );
    const onK1 = await waitingIn(observer, (r) => r.bzpopmax(key("k1"), 0));
    await observer
      .pipeline()
      .zadd(key("k2"), 1, "b")
      .zadd(key("k1"), 1, "a")
      .exec();
    expect(await both.reply).toEqual([key("k2"), "b", "1"]);
    expect(await onK1.reply).toEqual([key("k1"), "a", "1"]);
    expect(await observer.exists(key("k1"), key("k2"))).toBe(0);
  });

  it("BZPOPMIN k k waits on k once, and is served once", async () => {
    const observer = await server.client();
    const k = keysForThisTest()("k");
    const twice = await waitingIn(observer, (r) => r.bzpopmin(k, k, 0));
    await observer.zadd(k, 1, "a", 2, "b");
    expect(await twice.reply).toEqual([k, "a", "1"]);
    expect(await contentsOf(observer, k)).toEqual([["b", "2"]]);
  });
});

describe("what makes a key ready for a sorted-set waiter", () => {
  it("ZUNIONSTORE into the key serves it, from the new set", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(observer, (r) => r.bzpopmax(key("dst"), 0));
    await observer.zadd(key("src"), 1, "a", 2, "b");
    expect(
      await observer.zunionstore(key("dst"), 2, key("src"), key("none")),
    ).toBe(2);
    expect(await waiter.reply).toEqual([key("dst"), "b", "2"]);
    expect(await contentsOf(observer, key("dst"))).toEqual([["a", "1"]]);
    expect(await contentsOf(observer, key("src"))).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("RENAME into the key serves it", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(observer, (r) =>
      r.call("BZMPOP", "0", "1", key("dst"), "MIN", "COUNT", "2"),
    );
    await observer.zadd(key("src"), 1, "a", 2, "b", 3, "c");
    expect(await isBlocked(observer, waiter.id)).toBe(true);
    expect(await observer.rename(key("src"), key("dst"))).toBe("OK");
    expect(await waiter.reply).toEqual([
      key("dst"),
      [
        ["a", "1"],
        ["b", "2"],
      ],
    ]);
    expect(await contentsOf(observer, key("dst"))).toEqual([["c", "3"]]);
  });

  it("only a new key is ready: ZUNIONSTORE over a string there leaves the client waiting, as in Redis 7.0", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(observer, (r) => r.bzpopmin(key("w"), 0));
    await observer.set(key("w"), "text");
    await observer.zadd(key("src"), 1, "a", 2, "b");
    // The string is replaced, not the key created: nobody hears of it.
    expect(await observer.zunionstore(key("w"), 1, key("src"))).toBe(2);
    expect(await isBlocked(observer, waiter.id)).toBe(true);
    expect(await contentsOf(observer, key("w"))).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    // Deleted and made again, it serves.
    await observer.del(key("w"));
    await observer.zadd(key("w"), 5, "c");
    expect(await waiter.reply).toEqual([key("w"), "c", "5"]);
  });

  it("a list serves only the list waiters in a key's queue, a sorted set only the sorted-set waiters; the others keep their places", async () => {
    const observer = await server.client();
    const k = keysForThisTest()("k");
    const listFirst = await waitingIn(observer, (r) => r.blpop(k, 0));
    const zsetSecond = await waitingIn(observer, (r) => r.bzpopmin(k, 0));
    const listThird = await waitingIn(observer, (r) => r.brpop(k, 0));
    const zsetFourth = await waitingIn(observer, (r) =>
      r.call("BZMPOP", "0", "1", k, "MAX", "COUNT", "5"),
    );
    // A sorted set passes the list waiters over.
    await observer.zadd(k, 1, "a", 2, "b", 3, "c");
    expect(await zsetSecond.reply).toEqual([k, "a", "1"]);
    expect(await zsetFourth.reply).toEqual([
      k,
      [
        ["c", "3"],
        ["b", "2"],
      ],
    ]);
    expect(await isBlocked(observer, listFirst.id)).toBe(true);
    expect(await isBlocked(observer, listThird.id)).toBe(true);
    // A list later serves them, first come first served.
    await observer.rpush(k, "x");
    expect(await listFirst.reply).toEqual([k, "x"]);
    expect(await isBlocked(observer, listThird.id)).toBe(true);
    await observer.rpush(k, "y");
    expect(await listThird.reply).toEqual([k, "y"]);
  });

  it("a sorted-set waiter first in the queue does not hold up the list waiter behind it", async () => {
    const observer = await server.client();
    const k = keysForThisTest()("k");
    const zsetFirst = await waitingIn(observer, (r) => r.bzpopmax(k, 0));
    const listSecond = await waitingIn(observer, (r) => r.blpop(k, 0));
    await observer.rpush(k, "x", "y");
    expect(await listSecond.reply).toEqual([k, "x"]);
    expect(await isBlocked(observer, zsetFirst.id)).toBe(true);
    await observer.del(k);
    await observer.zadd(k, 1, "a");
    expect(await zsetFirst.reply).toEqual([k, "a", "1"]);
  });
});

describe("clients that stop waiting", () => {
  it("CLIENT UNBLOCK: TIMEOUT answers null, ERROR an UNBLOCKED error; the next waiter is served", async () => {
    const observer = await server.client();
    const z = keysForThisTest()("z");
    const timedOut = await waitingIn(observer, (r) => r.bzpopmin(z, 0));
    const failed = await waitingIn(observer, (r) =>
      r.call("BZMPOP", "0", "1", z, "MIN"),
    );
    const next = await waitingIn(observer, (r) => r.bzpopmax(z, 0));
    expect(
      await observer.call("CLIENT", "UNBLOCK", timedOut.id, "TIMEOUT"),
    ).toBe(1);
    expect(await timedOut.reply).toBeNull();
    expect(await observer.call("CLIENT", "UNBLOCK", failed.id, "ERROR")).toBe(
      1,
    );
    expect(await failed.reply).toBe(
      "UNBLOCKED client unblocked via CLIENT UNBLOCK",
    );
    await observer.zadd(z, 1, "a");
    expect(await next.reply).toEqual([z, "a", "1"]);
    expect(await observer.exists(z)).toBe(0);
    // The unblocked clients carry on.
    expect(await timedOut.redis.ping()).toBe("PONG");
    expect(await failed.redis.ping()).toBe("PONG");
  });
});

describe("the AOF", () => {
  /** Each key's members and scores, in databases 0 and 2. */
  async function sortedSets(
    redis: Redis,
    keys: readonly string[],
  ): Promise<Record<string, Scored[]>> {
    const state: Record<string, Scored[]> = {};
    for (const db of [0, 2]) {
      await redis.select(db);
      for (const key of keys) {
        if ((await redis.exists(key)) === 0) continue;
        state[`${db}:${key}`] = await contentsOf(redis, key);
      }
    }
    await redis.select(0);
    return state;
  }

  itRestarts(
    "records each pop as Redis 7.0.15 does, at once or served later, and replays to the same sets",
    { timeout: 20_000 },
    async () => {
      const restartable = await startRestartableServer();
      // In the project's protocol, as the shared server's clients speak it.
      const connectTo = () => restartable.client({ protocol });
      const redis = await connectTo();
      // At once.
      await redis.zadd("a", ...scoresAndMembers(9));
      await redis.call("zpopmin", "a");
      await redis.call("ZPOPMAX", "a", "2");
      await redis.call("ZMPOP", "2", "none", "a", "max", "COUNT", "2");
      await redis.call("zmpop", "1", "a", "min");
      await redis.bzpopmin("none", "a", 0);
      await redis.bzpopmax("a", 0);
      await redis.call("BZMPOP", "0", "1", "a", "MIN", "COUNT", "10");
      await redis.zadd("b", 1, "x");
      await redis.call("zpopmin", "b", "5");
      // Nothing popped, nothing recorded: a count of 0, a missing key, a
      // timeout, an error.
      await redis.zadd("c", 1, "x");
      await redis.call("ZPOPMIN", "c", "0");
      await redis.call("ZPOPMIN", "none");
      await redis.call("ZMPOP", "1", "none", "MIN");
      expect(await redis.bzpopmin("none", "0.01")).toBeNull();
      await errorOf(redis.call("ZPOPMIN", "c", "-1"));

      // Served later: one of each, two on one key, and a BZMPOP in database 2.
      const waiters = [
        await waitingIn(redis, (r) => r.bzpopmin("w1", 0), connectTo),
        await waitingIn(redis, (r) => r.bzpopmax("w2", 0), connectTo),
        await waitingIn(redis, (r) => r.bzpopmin("w3", 0), connectTo),
        await waitingIn(
          redis,
          (r) => r.call("BZMPOP", "0", "1", "w3", "max", "count", "2"),
          connectTo,
        ),
        await waitingIn(
          redis,
          async (r) => {
            await r.select(2);
            return r.call(
              "BZMPOP",
              "0",
              "2",
              "none",
              "w4",
              "MIN",
              "COUNT",
              "5",
            );
          },
          connectTo,
        ),
      ];
      await redis.zadd("w1", 1, "x", 2, "y");
      await redis.zadd("w2", 1, "x", 2, "y");
      await redis.zadd("w3", 1, "x", 2, "y", 3, "z", 4, "t");
      await redis.select(2);
      await redis.zadd("w4", 1, "x", 2, "y");
      await redis.select(0);
      expect(await Promise.all(waiters.map((w) => w.reply))).toEqual([
        ["w1", "x", "1"],
        ["w2", "y", "2"],
        ["w3", "x", "1"],
        [
          "w3",
          [
            ["t", "4"],
            ["z", "3"],
          ],
        ],
        [
          "w4",
          [
            ["x", "1"],
            ["y", "2"],
          ],
        ],
      ]);

      // The same records from both servers, as redis-server 7.0.15 writes them.
      expect(aofRecords(restartable)).toEqual([
        ["SELECT", "0"],
        ["zadd", "a", ...scoresAndMembers(9)],
        // ZPOPMIN and ZPOPMAX as they came...
        ["zpopmin", "a"],
        ["ZPOPMAX", "a", "2"],
        // ...ZMPOP and the blocking pops as the pop they did, with the
        // number popped for the two that take a COUNT.
        ["ZPOPMAX", "a", "2"],
        ["ZPOPMIN", "a", "1"],
        ["ZPOPMIN", "a"],
        ["ZPOPMAX", "a"],
        ["ZPOPMIN", "a", "1"],
        ["zadd", "b", "1", "x"],
        ["zpopmin", "b", "5"],
        ["zadd", "c", "1", "x"],
        ["zadd", "w1", "1", "x", "2", "y"],
        ["ZPOPMIN", "w1"],
        ["zadd", "w2", "1", "x", "2", "y"],
        ["ZPOPMAX", "w2"],
        ["zadd", "w3", "1", "x", "2", "y", "3", "z", "4", "t"],
        ["ZPOPMIN", "w3"],
        ["ZPOPMAX", "w3", "2"],
        ["SELECT", "2"],
        ["zadd", "w4", "1", "x", "2", "y"],
        ["ZPOPMIN", "w4", "2"],
      ]);

      const keys = ["a", "b", "c", "w1", "w2", "w3", "w4"];
      const before = await sortedSets(redis, keys);
      expect(before).toEqual({
        "0:c": [["x", "1"]],
        "0:w1": [["y", "2"]],
        "0:w2": [["x", "1"]],
        "0:w3": [["y", "2"]],
      });
      await restartable.restart();
      expect(await sortedSets(await connectTo(), keys)).toEqual(before);
    },
  );
});

describe("ZRANDMEMBER", () => {
  it("without a count: one member of the set, left there; nil for a missing key", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a", 2, "b", 3, "c");
    const member = await redis.zrandmember(key("z"));
    expect(["a", "b", "c"]).toContain(member);
    expect(await redis.zcard(key("z"))).toBe(3);
    expect(await redis.zrandmember(key("none"))).toBeNull();
  });

  it("a count of the set's size or more: the whole set, from the highest score down, in both encodings", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("small"), 2, "b", 1, "a", 3, "c");
    await redis.zadd(key("big"), 2, "b", 1, LONG_MEMBER, 3, "c");
    expect(await redis.object("ENCODING", key("big"))).toBe("skiplist");
    for (const count of ["3", "10", "9223372036854775807"]) {
      expect(await redis.call("ZRANDMEMBER", key("small"), count)).toEqual([
        "c",
        "b",
        "a",
      ]);
    }
    expect(
      await scored(
        redis,
        "ZRANDMEMBER",
        key("big"),
        "4611686018427387903",
        "WITHSCORES",
      ),
    ).toEqual([
      ["c", "3"],
      ["b", "2"],
      [LONG_MEMBER, "1"],
    ]);
  });

  it("a positive count below the size: that many different members, each with its own score", async () => {
    const { redis, key } = await setUp();
    const scores = new Map<string, string>();
    const args: string[] = [];
    for (let i = 1; i <= 200; i++) {
      scores.set(`m${i}`, String(i / 4));
      args.push(String(i / 4), `m${i}`);
    }
    await redis.zadd(key("big"), ...args);
    await redis.zadd(key("small"), 1, "a", 2, "b", 3, "c", 4, "d");
    expect(await redis.object("ENCODING", key("big"))).toBe("skiplist");
    // Few picks from many, many from many, and from a listpack.
    for (const [name, count] of [
      ["big", 10],
      ["big", 150],
      ["small", 2],
    ] as const) {
      const picked = await scored(
        redis,
        "ZRANDMEMBER",
        key(name),
        String(count),
        "WITHSCORES",
      );
      expect(picked).toHaveLength(count);
      expect(new Set(picked.map(([member]) => member)).size).toBe(count);
      for (const [member, score] of picked) {
        const expected =
          name === "big"
            ? scores.get(member)
            : String(member.charCodeAt(0) - 96);
        expect(score).toBe(expected);
      }
    }
    const members = (await redis.call(
      "ZRANDMEMBER",
      key("big"),
      "1",
    )) as string[];
    expect(members).toHaveLength(1);
    expect(scores.has(members[0]!)).toBe(true);
  });

  it("a negative count: exactly that many picks, repeats allowed (and certain from a set of one)", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("one"), 1.5, "only");
    expect(await redis.call("ZRANDMEMBER", key("one"), "-5")).toEqual(
      Array(5).fill("only"),
    );
    expect(
      await scored(redis, "ZRANDMEMBER", key("one"), "-2", "withscores"),
    ).toEqual([
      ["only", "1.5"],
      ["only", "1.5"],
    ]);
    await redis.zadd(key("three"), 1, "a", 2, "b", 3, "c");
    const picked = await scored(
      redis,
      "ZRANDMEMBER",
      key("three"),
      "-20",
      "WITHSCORES",
    );
    expect(picked).toHaveLength(20);
    for (const [member, score] of picked) {
      expect(["a", "b", "c"]).toContain(member);
      expect(score).toBe(String(member.charCodeAt(0) - 96));
    }
    expect(await redis.zcard(key("three"))).toBe(3);
  });

  it("a count of 0, or a missing key with a count: an empty array", async () => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a");
    expect(await redis.call("ZRANDMEMBER", key("z"), "0")).toEqual([]);
    expect(
      await redis.call("ZRANDMEMBER", key("z"), "0", "WITHSCORES"),
    ).toEqual([]);
    expect(await redis.call("ZRANDMEMBER", key("none"), "5")).toEqual([]);
    expect(
      await redis.call("ZRANDMEMBER", key("none"), "-5", "WITHSCORES"),
    ).toEqual([]);
    // However many picks it asks for.
    expect(
      await redis.call("ZRANDMEMBER", key("none"), "-9223372036854775807"),
    ).toEqual([]);
  });

  it("the exact bytes: WITHSCORES flat in RESP2, [member, score] pairs with a double in RESP3; nil $-1 or _", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(encodeCommand("ZADD", key("z"), "1.5", "a"));
    await expectBytes(raw, ":1\r\n");
    await raw.send(
      Buffer.concat([
        encodeCommand("ZRANDMEMBER", key("z")),
        encodeCommand("ZRANDMEMBER", key("z"), "1", "WITHSCORES"),
        encodeCommand("ZRANDMEMBER", key("z"), "-2", "WITHSCORES"),
        encodeCommand("ZRANDMEMBER", key("none")),
        encodeCommand("ZRANDMEMBER", key("none"), "1"),
      ]),
    );
    const pair = `$1\r\na\r\n${scoreOf("1.5")}`;
    await expectBytes(
      raw,
      "$1\r\na\r\n" +
        (protocol === 3
          ? `*1\r\n*2\r\n${pair}*2\r\n*2\r\n${pair}*2\r\n${pair}_\r\n`
          : `*2\r\n${pair}*4\r\n${pair}${pair}$-1\r\n`) +
        "*0\r\n",
    );
  });

  it.each([
    [["ZRANDMEMBER", "z", "abc"], NOT_AN_INTEGER],
    [["ZRANDMEMBER", "z", "1.5"], NOT_AN_INTEGER],
    [["ZRANDMEMBER", "z", "9223372036854775808"], NOT_AN_INTEGER],
    [["ZRANDMEMBER", "z", "-9223372036854775808"], NOT_A_LONG],
    // The count, then the word after it, then the key.
    [["ZRANDMEMBER", "z", "-9223372036854775808", "junk"], NOT_A_LONG],
    [["ZRANDMEMBER", "list", "abc"], NOT_AN_INTEGER],
    [["ZRANDMEMBER", "z", "1", "junk"], SYNTAX_ERROR],
    [["ZRANDMEMBER", "list", "1", "junk"], SYNTAX_ERROR],
    [["ZRANDMEMBER", "z", "1", "WITHSCORES", "WITHSCORES"], SYNTAX_ERROR],
    // With the scores the count must fit in half a long.
    [["ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"], OUT_OF_RANGE],
    [["ZRANDMEMBER", "z", "-4611686018427387904", "withscores"], OUT_OF_RANGE],
    [
      ["ZRANDMEMBER", "list", "-4611686018427387904", "WITHSCORES"],
      OUT_OF_RANGE,
    ],
    [
      ["ZRANDMEMBER", "none", "4611686018427387904", "WITHSCORES"],
      OUT_OF_RANGE,
    ],
    [["ZRANDMEMBER", "list"], WRONGTYPE],
    // A count of 0 is no excuse for a key of another kind.
    [["ZRANDMEMBER", "list", "0"], WRONGTYPE],
    [
      ["ZRANDMEMBER"],
      "ERR wrong number of arguments for 'zrandmember' command",
    ],
  ])("%j → %s", async (words, expected) => {
    const { redis, key } = await setUp();
    await redis.zadd(key("z"), 1, "a");
    expect(await errorOfWords(redis, key, words)).toBe(expected);
  });

  it.skipIf(external)(
    "ours refuses more than 2^20 picks with repeats, a deliberate difference: Redis answers them all, or runs out of memory trying",
    async () => {
      const { redis, key } = await setUp();
      await redis.zadd(key("z"), 1, "a");
      expect(
        await errorOf(
          redis.call("ZRANDMEMBER", key("z"), String(-(2 ** 20) - 1)),
        ),
      ).toBe(
        "ERR value is out of range, this server picks at most 1048576 members with repeats",
      );
      expect(await redis.zcard(key("z"))).toBe(1);
    },
  );
});

describe("COMMAND INFO, GETKEYS and DOCS", { tags: ["fidelity"] }, () => {
  const POP = ["@write", "@sortedset", "@fast"];
  const BLOCKING_POP = ["@write", "@sortedset", "@fast", "@blocking"];
  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["zpopmin", -2, ["write", "fast"], 1, 1, 1, POP, []],
    ["zpopmax", -2, ["write", "fast"], 1, 1, 1, POP, []],
    [
      "zmpop",
      -4,
      ["write", "movablekeys"],
      0,
      0,
      0,
      ["@write", "@sortedset", "@slow"],
      [],
    ],
    [
      "bzpopmin",
      -3,
      ["write", "noscript", "blocking", "fast"],
      1,
      -2,
      1,
      BLOCKING_POP,
      [],
    ],
    [
      "bzpopmax",
      -3,
      ["write", "noscript", "blocking", "fast"],
      1,
      -2,
      1,
      BLOCKING_POP,
      [],
    ],
    [
      "bzmpop",
      -5,
      ["write", "blocking", "movablekeys"],
      0,
      0,
      0,
      ["@write", "@sortedset", "@slow", "@blocking"],
      [],
    ],
    [
      "zrandmember",
      -2,
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

  it.each([
    [
      ["ZMPOP", "2", "a", "b", "MIN"],
      ["a", "b"],
    ],
    [
      ["BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "3"],
      ["a", "b"],
    ],
    [
      ["BZPOPMIN", "a", "b", "0"],
      ["a", "b"],
    ],
    [["ZPOPMAX", "a", "2"], ["a"]],
  ])("COMMAND GETKEYS %j", async (words, keys) => {
    const redis = await server.client();
    expect(await redis.call("COMMAND", "GETKEYS", ...words)).toEqual(keys);
  });

  const KEY = ["name", "key", "type", "key"];
  const KEYS = ["name", "key", "type", "key", "flags", ["multiple"]];
  const NUMKEYS = ["name", "numkeys", "type", "integer"];
  const TIMEOUT = ["name", "timeout", "type", "double"];
  const OPTIONAL_COUNT = [
    "name",
    "count",
    "type",
    "integer",
    "flags",
    ["optional"],
  ];
  const WHERE = [
    ...["name", "where", "type", "oneof", "arguments"],
    [
      ["name", "min", "type", "pure-token", "token", "MIN"],
      ["name", "max", "type", "pure-token", "token", "MAX"],
    ],
  ];
  const COUNT = [
    ...["name", "count", "type", "integer", "token", "COUNT"],
    ...["flags", ["optional"]],
  ];
  const POP_COMPLEXITY =
    "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.";
  const MPOP_COMPLEXITY =
    "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.";
  const TIMEOUT_HISTORY = [
    ["6.0.0", "`timeout` is interpreted as a double instead of an integer."],
  ];

  /** COMMAND DOCS's fields, in Redis's order (command-docs-helpers.ts). */
  const docs = (
    summary: string,
    since: string,
    complexity: string,
    args: unknown[],
    history?: string[][],
  ) =>
    commandDocs("sorted-set", {
      summary,
      since,
      complexity,
      history,
      arguments: args,
    });

  it.each<[string, unknown]>([
    [
      "zpopmin",
      docs(
        "Remove and return members with the lowest scores in a sorted set",
        "5.0.0",
        POP_COMPLEXITY,
        [KEY, OPTIONAL_COUNT],
      ),
    ],
    [
      "zpopmax",
      docs(
        "Remove and return members with the highest scores in a sorted set",
        "5.0.0",
        POP_COMPLEXITY,
        [KEY, OPTIONAL_COUNT],
      ),
    ],
    [
      "zmpop",
      docs(
        "Remove and return members with scores in a sorted set",
        "7.0.0",
        MPOP_COMPLEXITY,
        [NUMKEYS, KEYS, WHERE, COUNT],
      ),
    ],
    ...(["min", "max"] as const).map((end): [string, unknown] => [
      `bzpop${end}`,
      docs(
        `Remove and return the member with the ${end === "min" ? "lowest" : "highest"} score from one or more sorted sets, or block until one is available`,
        "5.0.0",
        "O(log(N)) with N being the number of elements in the sorted set.",
        [KEYS, TIMEOUT],
        TIMEOUT_HISTORY,
      ),
    ]),
    [
      "bzmpop",
      docs(
        "Remove and return members with scores in a sorted set or block until one is available",
        "7.0.0",
        MPOP_COMPLEXITY,
        [TIMEOUT, NUMKEYS, KEYS, WHERE, COUNT],
      ),
    ],
    [
      "zrandmember",
      docs(
        "Get one or multiple random elements from a sorted set",
        "6.2.0",
        "O(N) where N is the number of elements returned",
        [
          KEY,
          [
            ...["name", "options", "type", "block", "flags", ["optional"]],
            "arguments",
            [
              ["name", "count", "type", "integer"],
              [
                ...["name", "withscores", "type", "pure-token"],
                ...["token", "WITHSCORES", "flags", ["optional"]],
              ],
            ],
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
