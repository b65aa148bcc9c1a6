/**
 * Article step "clients that wait": BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and
 * BLMPOP, with Redis 7.0.15's replies, errors and order of checks, and
 * the way waiting clients are served: first come first served per key,
 * after the command that gave a key its data (RENAME and COPY included),
 * BLMOVE chains within one push, a key of another kind passed over, and
 * clients that go away, are killed or unblocked leaving nothing behind.
 *
 * Several clients per test. No test sleeps for a fixed time: a test knows
 * a client is blocked when CLIENT LIST shows it with the flag `b`, and a
 * timeout is a short one (50 ms) whose reply the test awaits. Each test
 * makes its own keys under a random prefix: the tests share a server (a
 * real Redis one under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import {
  itInProcess,
  startChapterServer,
  useServer,
} from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  errorOf,
  infoNumber,
  keysForThisTest,
  WRONGTYPE,
} from "./client-helpers.ts";
import {
  connect,
  isBlocked,
  timed,
  untilBlocked,
  untilGone,
  waitingInFor,
} from "./waiting-helpers.ts";
import { docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import {
  aofRecords,
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";

const server = useServer();

const NOT_A_TIMEOUT = "ERR timeout is not a float or out of range";
const NEGATIVE_TIMEOUT = "ERR timeout is negative";

// #region helpers
/** A blocking command sent from a fresh client, resolved once it waits (waiting-helpers.ts). */
const waitingIn = waitingInFor(server);
// #endregion helpers

describe("with data, the blocking commands do not wait", () => {
  it("BLPOP and BRPOP pop from the first key, in the order given, that holds a list, and answer [key, element]", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.rpush(key("b"), "b1", "b2");
    await redis.rpush(key("c"), "c1");
    expect(await redis.blpop(key("a"), key("b"), key("c"), 0)).toEqual([
      key("b"),
      "b1",
    ]);
    expect(await redis.brpop(key("a"), key("b"), key("c"), 0)).toEqual([
      key("b"),
      "b2",
    ]);
    // The last pop deleted b.
    expect(await redis.exists(key("b"))).toBe(0);
    expect(await redis.brpop(key("a"), key("b"), key("c"), 1)).toEqual([
      key("c"),
      "c1",
    ]);
    expect(await redis.exists(key("c"))).toBe(0);
  });

  it("BLMOVE and BRPOPLPUSH move one element and answer it, as LMOVE and RPOPLPUSH do", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.rpush(key("src"), "a", "b", "c");
    expect(await redis.blmove(key("src"), key("dst"), "LEFT", "RIGHT", 0)).toBe(
      "a",
    );
    expect(await redis.brpoplpush(key("src"), key("dst"), 0)).toBe("c");
    // Onto itself, the list rotates.
    await redis.rpush(key("src"), "x");
    expect(
      await redis.call("BLMOVE", key("src"), key("src"), "right", "left", 0),
    ).toBe("x");
    expect(await redis.lrange(key("src"), 0, -1)).toEqual(["x", "b"]);
    expect(await redis.lrange(key("dst"), 0, -1)).toEqual(["c", "a"]);
  });

  it("BLMPOP pops up to COUNT elements from the first key that holds a list, and answers [key, [elements]]", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.rpush(key("b"), "1", "2", "3");
    expect(
      await redis.call(
        "BLMPOP",
        0,
        3,
        key("a"),
        key("b"),
        key("c"),
        "RIGHT",
        "COUNT",
        2,
      ),
    ).toEqual([key("b"), ["3", "2"]]);
    expect(
      await redis.call(
        "BLMPOP",
        "0.5",
        2,
        key("a"),
        key("b"),
        "left",
        "count",
        99,
      ),
    ).toEqual([key("b"), ["1"]]);
    expect(await redis.exists(key("b"))).toBe(0);
    await redis.rpush(key("c"), "x", "y");
    // Without COUNT, one element.
    expect(await redis.call("BLMPOP", 0, 1, key("c"), "LEFT")).toEqual([
      key("c"),
      ["x"],
    ]);
  });

  it("elements are binary-safe", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await redis.rpush(key("l"), everyByte, everyByte);
    expect(await redis.blpopBuffer(key("l"), 0)).toEqual([
      Buffer.from(key("l")),
      everyByte,
    ]);
    expect(await redis.brpoplpushBuffer(key("l"), key("m"), 0)).toEqual(
      everyByte,
    );
    expect(await redis.lrangeBuffer(key("m"), 0, -1)).toEqual([everyByte]);
  });
});

describe("errors, in Redis's order of checks", () => {
  it("a key of another kind answers WRONGTYPE at once, unless a list comes before it", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("s"), "text");
    await redis.rpush(key("l"), "x");
    for (const command of [
      ["BLPOP", key("s"), "0"],
      ["BRPOP", key("none"), key("s"), "0"],
      ["BLMOVE", key("s"), key("d"), "LEFT", "LEFT", "0"],
      ["BRPOPLPUSH", key("s"), key("d"), "0"],
      ["BLMPOP", "0", "2", key("none"), key("s"), "LEFT"],
    ]) {
      expect(await errorOf(redis.call(command[0]!, ...command.slice(1)))).toBe(
        WRONGTYPE,
      );
    }
    // A source list with data moves nowhere if the destination is a string.
    expect(
      await errorOf(redis.blmove(key("l"), key("s"), "LEFT", "LEFT", 0)),
    ).toBe(WRONGTYPE);
    expect(await errorOf(redis.brpoplpush(key("l"), key("s"), 0))).toBe(
      WRONGTYPE,
    );
    expect(await redis.lrange(key("l"), 0, -1)).toEqual(["x"]);
    // The first list is popped before the string is looked at.
    expect(await redis.blpop(key("l"), key("s"), 0)).toEqual([key("l"), "x"]);
  });

  it.each([
    [["BLPOP", "k", "abc"], NOT_A_TIMEOUT],
    [["BLPOP", "k", "-1"], NEGATIVE_TIMEOUT],
    [["BLPOP", "s", "abc"], NOT_A_TIMEOUT], // the timeout before the type
    [["BLPOP", "k", "nan"], NOT_A_TIMEOUT],
    [["BLPOP", "k", " 1"], NOT_A_TIMEOUT],
    [["BLPOP", "k", "0x10x"], NOT_A_TIMEOUT],
    // Too many milliseconds for a C long long: Redis says "negative".
    [["BLPOP", "k", "inf"], NEGATIVE_TIMEOUT],
    [["BLPOP", "k", "1e16"], NEGATIVE_TIMEOUT],
    [["BRPOP", "k", "l", "-0.5"], NEGATIVE_TIMEOUT],
    [["BLPOP", "k"], "ERR wrong number of arguments for 'blpop' command"],
    [["BLMOVE", "k", "d", "MIDDLE", "LEFT", "abc"], "ERR syntax error"],
    [["BLMOVE", "l", "d", "LEFT", "MIDDLE", "abc"], "ERR syntax error"],
    [["BLMOVE", "s", "d", "LEFT", "LEFT", "abc"], NOT_A_TIMEOUT],
    [["BRPOPLPUSH", "s", "d", "abc"], NOT_A_TIMEOUT],
    [["BRPOPLPUSH", "k", "d", "-1"], NEGATIVE_TIMEOUT],
    // BLMPOP reads numkeys, the end and COUNT before its timeout.
    [
      ["BLMPOP", "-1", "0", "k", "LEFT"],
      "ERR numkeys should be greater than 0",
    ],
    [
      ["BLMPOP", "abc", "0", "k", "LEFT"],
      "ERR numkeys should be greater than 0",
    ],
    [["BLMPOP", "abc", "1", "k", "MIDDLE"], "ERR syntax error"],
    [["BLMPOP", "abc", "2", "k", "LEFT"], "ERR syntax error"],
    [
      ["BLMPOP", "abc", "1", "k", "LEFT", "COUNT", "0"],
      "ERR count should be greater than 0",
    ],
    [
      ["BLMPOP", "0", "1", "k", "LEFT", "COUNT", "abc"],
      "ERR count should be greater than 0",
    ],
    [["BLMPOP", "0", "1", "k", "LEFT", "COUNT"], "ERR syntax error"],
    [
      ["BLMPOP", "0", "1", "k", "LEFT", "COUNT", "1", "COUNT", "2"],
      "ERR syntax error",
    ],
    [["BLMPOP", "abc", "1", "k", "LEFT"], NOT_A_TIMEOUT],
    [["BLMPOP", "1e16", "1", "s", "LEFT"], NEGATIVE_TIMEOUT],
    [
      ["BLMPOP", "0", "1", "k"],
      "ERR wrong number of arguments for 'blmpop' command",
    ],
  ])("%j → %s", async (words, expected) => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("s"), "text");
    await redis.rpush(key("l"), "x");
    const named = words.map((w) =>
      ["k", "s", "l", "d"].includes(w) ? key(w) : w,
    );
    expect(await errorOf(redis.call(named[0]!, ...named.slice(1)))).toBe(
      expected,
    );
    expect(await redis.lrange(key("l"), 0, -1)).toEqual(["x"]);
  });
});

describe("timeouts", () => {
  it("each of the five answers null when its time is up, never before, and takes nothing later", async () => {
    const key = keysForThisTest();
    const clients = await Promise.all(
      Array.from({ length: 5 }, () => server.client()),
    );
    const [blpop, brpop, blmove, brpoplpush, blmpop] = clients as [
      Redis,
      Redis,
      Redis,
      Redis,
      Redis,
    ];
    const replies = await Promise.all([
      timed(blpop.blpop(key("a"), key("b"), 0.05)),
      timed(brpop.brpop(key("a"), "0.05")),
      timed(blmove.blmove(key("a"), key("d"), "LEFT", "LEFT", 0.05)),
      timed(brpoplpush.brpoplpush(key("a"), key("d"), "5e-2")),
      timed(blmpop.call("BLMPOP", "0.05", 1, key("a"), "LEFT")),
    ]);
    for (const [reply, ms] of replies) {
      expect(reply).toBeNull();
      // Node's timers may fire up to a millisecond early.
      expect(ms).toBeGreaterThanOrEqual(49);
    }
    const observer = await server.client();
    expect(await observer.rpush(key("a"), "x")).toBe(1);
    expect(await observer.lrange(key("a"), 0, -1)).toEqual(["x"]);
    expect(await observer.exists(key("d"))).toBe(0);
  });

  it("a timeout too short for a millisecond is rounded up to one, not read as 0 (for ever)", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.blpop(key("a"), "0.0001")).toBeNull();
    expect(await redis.call("BLMPOP", "1e-9", 1, key("a"), "LEFT")).toBeNull();
  });

  describe("the exact bytes of the timeout reply, in the project's protocol", () => {
    const protocol = inject("protocol");

    /** A raw connection speaking the project's protocol, its HELLO answered and read. */
    async function rawClient(): Promise<RawSocket> {
      return speakProtocol(await server.raw(), protocol);
    }

    it("a null array (*-1) in RESP2 for all five, BLMOVE and BRPOPLPUSH included; _ in RESP3", async () => {
      const raw = await rawClient();
      const key = keysForThisTest();
      await raw.send(
        Buffer.concat([
          encodeCommand("BLPOP", key("a"), "0.01"),
          encodeCommand("BRPOP", key("a"), "0.01"),
          encodeCommand("BLMOVE", key("a"), key("d"), "LEFT", "LEFT", "0.01"),
          encodeCommand("BRPOPLPUSH", key("a"), key("d"), "0.01"),
          encodeCommand("BLMPOP", "0.01", "1", key("a"), "LEFT"),
        ]),
      );
      await expectBytes(raw, (protocol === 3 ? "_\r\n" : "*-1\r\n").repeat(5));
    });

    it("an answer with data: [key, element] for BLPOP, the element for BLMOVE, [key, [elements]] for BLMPOP", async () => {
      const raw = await rawClient();
      const key = keysForThisTest()("l");
      await raw.send(encodeCommand("RPUSH", key, "a", "b", "c"));
      await expectBytes(raw, ":3\r\n");
      await raw.send(
        Buffer.concat([
          encodeCommand("BLPOP", key, "0"),
          encodeCommand("BLMOVE", key, key, "LEFT", "RIGHT", "0"),
          encodeCommand("BLMPOP", "0", "1", key, "RIGHT", "COUNT", "5"),
        ]),
      );
      const k = `$${key.length}\r\n${key}\r\n`;
      await expectBytes(
        raw,
        `*2\r\n${k}$1\r\na\r\n` +
          `$1\r\nb\r\n` +
          `*2\r\n${k}*2\r\n$1\r\nb\r\n$1\r\nc\r\n`,
      );
    });
  });
});

describe("clients that wait are served in the order they came", () => {
  it("three waiters and RPUSH q a b: the first gets a, the second b, the third waits on; a later LPUSH serves it", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const q = key("q");
    const blockedBefore = await infoNumber(
      observer,
      "clients",
      "blocked_clients",
    );
    const first = await waitingIn(observer, (r) => r.blpop(q, 0));
    const second = await waitingIn(observer, (r) => r.blpop(q, 0));
    const third = await waitingIn(observer, (r) => r.blpop(q, 0));
    expect(await infoNumber(observer, "clients", "blocked_clients")).toBe(
      blockedBefore + 3,
    );

    expect(await observer.rpush(q, "a", "b")).toBe(2);
    expect(await first.reply).toEqual([q, "a"]);
    expect(await second.reply).toEqual([q, "b"]);
    // Both elements went to waiters: the key is gone, the third waits on.
    expect(await observer.exists(q)).toBe(0);
    expect(await isBlocked(observer, third.id)).toBe(true);
    expect(await infoNumber(observer, "clients", "blocked_clients")).toBe(
      blockedBefore + 1,
    );

    expect(await observer.lpush(q, "x", "y", "z")).toBe(3);
    expect(await third.reply).toEqual([q, "z"]);
    expect(await observer.lrange(q, 0, -1)).toEqual(["y", "x"]);
    // Served clients take up their next commands.
    expect(await first.redis.ping()).toBe("PONG");
  });

  it("each waiter is served by its own command: BRPOP from the tail, BLMPOP with its COUNT, BLMOVE and BRPOPLPUSH into their destinations", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const q = key("q");
    const brpop = await waitingIn(observer, (r) => r.brpop(q, 0));
    const blmpop = await waitingIn(observer, (r) =>
      r.call("BLMPOP", 0, 2, key("none"), q, "LEFT", "COUNT", 2),
    );
    const blmove = await waitingIn(observer, (r) =>
      r.blmove(q, key("d"), "LEFT", "RIGHT", 0),
    );
    const brpoplpush = await waitingIn(observer, (r) =>
      r.brpoplpush(q, key("d"), 0),
    );
    await observer.rpush(q, "1", "2", "3", "4", "5", "6");
    expect(await brpop.reply).toEqual([q, "6"]);
    expect(await blmpop.reply).toEqual([q, ["1", "2"]]);
    expect(await blmove.reply).toBe("3");
    expect(await brpoplpush.reply).toBe("5");
    expect(await observer.lrange(q, 0, -1)).toEqual(["4"]);
    expect(await observer.lrange(key("d"), 0, -1)).toEqual(["5", "3"]);
  });

  it("a waiter in another database is served only by a push there", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const q = key("q");
    const inDb5 = await waitingIn(
      observer,
      (r) => r.blpop(q, 0),
      () => server.client({ db: 5 }),
    );
    await observer.rpush(q, "db0");
    expect(await isBlocked(observer, inDb5.id)).toBe(true);
    // MOVE creates the key in database 5: that serves it.
    expect(await observer.move(q, 5)).toBe(1);
    expect(await inDb5.reply).toEqual([q, "db0"]);
    await observer.select(5);
    expect(await observer.exists(q)).toBe(0);
  });

  it("BLPOP k k waits on k once, and is served once", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const twice = await waitingIn(observer, (r) =>
      r.blpop(key("k"), key("k"), 0),
    );
    await observer.rpush(key("k"), "a", "b");
    expect(await twice.reply).toEqual([key("k"), "a"]);
    expect(await observer.lrange(key("k"), 0, -1)).toEqual(["b"]);
  });

  it("a client's commands after its blocking one wait with it, and run once it is served", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const client = await connect(() => server.client());
    const pipeline = client.redis
      .pipeline()
      .blpop(key("q"), 0)
      .set(key("after"), "ran")
      .exec();
    await untilBlocked(observer, client.id);
    expect(await observer.get(key("after"))).toBeNull();
    await observer.rpush(key("q"), "a");
    expect(await pipeline).toEqual([
      [null, [key("q"), "a"]],
      [null, "OK"],
    ]);
    expect(await observer.get(key("after"))).toBe("ran");
  });
});

describe("what makes a key ready", () => {
  it("RENAME into a key a client waits on serves it", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(observer, (r) => r.blpop(key("dst"), 0));
    await observer.rpush(key("src"), "x", "y");
    expect(await isBlocked(observer, waiter.id)).toBe(true);
    expect(await observer.rename(key("src"), key("dst"))).toBe("OK");
    expect(await waiter.reply).toEqual([key("dst"), "x"]);
    expect(await observer.lrange(key("dst"), 0, -1)).toEqual(["y"]);
  });

  it("COPY into a key a client waits on serves it, from the copy", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(observer, (r) => r.brpop(key("dst"), 0));
    await observer.rpush(key("src"), "x", "y");
    expect(await observer.copy(key("src"), key("dst"))).toBe(1);
    expect(await waiter.reply).toEqual([key("dst"), "y"]);
    expect(await observer.lrange(key("src"), 0, -1)).toEqual(["x", "y"]);
    expect(await observer.lrange(key("dst"), 0, -1)).toEqual(["x"]);
  });

  it("a BLMOVE chain is served within one push: BLMOVE src mid, then BLPOP mid", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const mover = await waitingIn(observer, (r) =>
      r.blmove(key("src"), key("mid"), "LEFT", "RIGHT", 0),
    );
    const popper = await waitingIn(observer, (r) => r.blpop(key("mid"), 0));
    expect(await observer.rpush(key("src"), "x")).toBe(1);
    expect(await mover.reply).toBe("x");
    expect(await popper.reply).toEqual([key("mid"), "x"]);
    expect(await observer.exists(key("src"), key("mid"))).toBe(0);
  });

  it("a client on several keys is served from the key that received data, and leaves the other keys' queues", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const both = await waitingIn(observer, (r) =>
      r.blpop(key("k1"), key("k2"), 0),
    );
    const onK1 = await waitingIn(observer, (r) => r.blpop(key("k1"), 0));
    // One client's pipeline: the waiter is served after the first command,
    // before the second runs.
    await observer
      .pipeline()
      .rpush(key("k2"), "b")
      .rpush(key("k1"), "a")
      .exec();
    expect(await both.reply).toEqual([key("k2"), "b"]);
    expect(await onK1.reply).toEqual([key("k1"), "a"]);
    expect(await observer.exists(key("k1"), key("k2"))).toBe(0);
  });

  it("the first waiter can take all the data: a BLMOVE that empties the key leaves the BLPOP behind it waiting", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const mover = await waitingIn(observer, (r) =>
      r.blmove(key("q"), key("d"), "LEFT", "LEFT", 0),
    );
    const popper = await waitingIn(observer, (r) => r.blpop(key("q"), 0));
    await observer.rpush(key("q"), "only");
    expect(await mover.reply).toBe("only");
    expect(await observer.exists(key("q"))).toBe(0);
    expect(await isBlocked(observer, popper.id)).toBe(true);
    await observer.rpush(key("q"), "next");
    expect(await popper.reply).toEqual([key("q"), "next"]);
  });

  it("a key that becomes a string serves nobody: the client waits on, and a list there later serves it", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(observer, (r) => r.blpop(key("w"), 0));
    await observer.set(key("w"), "text");
    expect(await isBlocked(observer, waiter.id)).toBe(true);
    expect(await observer.get(key("w"))).toBe("text");
    await observer.del(key("w"));
    await observer.rpush(key("w"), "x");
    expect(await waiter.reply).toEqual([key("w"), "x"]);
  });

  it("BLMOVE whose destination became a string: WRONGTYPE, nothing moved, and the next waiter is served", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    // The destination's type is not checked while the source is empty.
    await observer.set(key("d"), "text");
    const mover = await waitingIn(observer, (r) =>
      r.blmove(key("src"), key("d"), "LEFT", "LEFT", 0),
    );
    const popper = await waitingIn(observer, (r) => r.blpop(key("src"), 0));
    await observer.rpush(key("src"), "x", "y");
    expect(await mover.reply).toBe(WRONGTYPE);
    expect(await popper.reply).toEqual([key("src"), "x"]);
    expect(await observer.lrange(key("src"), 0, -1)).toEqual(["y"]);
    expect(await observer.get(key("d"))).toBe("text");
  });
});

describe("clients that stop waiting", () => {
  it("a client that disconnects while it waits: no crash, and the data it waited for stays", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const gone = await waitingIn(observer, (r) => r.blpop(key("q"), 0));
    const next = await waitingIn(observer, (r) => r.blpop(key("q"), 0));
    gone.redis.disconnect();
    await untilGone(observer, gone.id);
    expect(await gone.reply).toBe("closed");
    await observer.rpush(key("q"), "a", "b");
    // The one behind it is first now.
    expect(await next.reply).toEqual([key("q"), "a"]);
    expect(await observer.lrange(key("q"), 0, -1)).toEqual(["b"]);
    expect(await observer.ping()).toBe("PONG");
  });

  it("CLIENT KILL of the first waiter: the one behind it is served", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const killed = await waitingIn(observer, (r) =>
      r.blmove(key("q"), key("d"), "LEFT", "LEFT", 0),
    );
    const next = await waitingIn(observer, (r) => r.brpop(key("q"), 0));
    expect(await observer.call("CLIENT", "KILL", "ID", killed.id)).toBe(1);
    expect(await killed.reply).toBe("closed");
    await observer.rpush(key("q"), "a", "b");
    expect(await next.reply).toEqual([key("q"), "b"]);
    expect(await observer.lrange(key("q"), 0, -1)).toEqual(["a"]);
    expect(await observer.exists(key("d"))).toBe(0);
  });

  it("CLIENT UNBLOCK: TIMEOUT answers BLMOVE's timeout reply (null), ERROR an UNBLOCKED error; the next waiter is served", async () => {
    const observer = await server.client();
    const key = keysForThisTest();
    const timedOut = await waitingIn(observer, (r) =>
      r.blmove(key("q"), key("d"), "LEFT", "LEFT", 0),
    );
    const failed = await waitingIn(observer, (r) =>
      r.call("BLMPOP", 0, 1, key("q"), "LEFT"),
    );
    const next = await waitingIn(observer, (r) => r.blpop(key("q"), 0));
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
    await observer.rpush(key("q"), "a");
    expect(await next.reply).toEqual([key("q"), "a"]);
    expect(await observer.exists(key("q"), key("d"))).toBe(0);
    // The unblocked clients carry on.
    expect(await timedOut.redis.ping()).toBe("PONG");
    expect(await failed.redis.ping()).toBe("PONG");
  });

  itRestarts(
    "the idle timeout spares a waiting client: CONFIG timeout 1 closes an idle client, not a blocked one",
    { timeout: 20_000 },
    async () => {
      // A server of our own: the idle timeout would close the other tests' clients.
      const own = await startRestartableServer({
        appendonly: "no",
        timeout: "1",
      });
      const observer = await own.client();
      const key = keysForThisTest();
      const idle = await own.client();
      const idleClosed = new Promise((resolve) => idle.once("end", resolve));
      const waiter = await waitingIn(
        observer,
        (r) => r.blpop(key("q"), 0),
        () => own.client(),
      );
      // The idle client's end shows that the server's idle check has run
      // past the limit, for the waiter too.
      await idleClosed;
      const fresh = await own.client();
      expect(await isBlocked(fresh, waiter.id)).toBe(true);
      await fresh.rpush(key("q"), "a");
      expect(await waiter.reply).toEqual([key("q"), "a"]);
    },
  );

  itInProcess(
    "shutdown with clients waiting (one for ever, one with a timeout) closes them and leaves no timer behind",
    async () => {
      const own = await startChapterServer();
      const connectTo = async () => {
        const redis = new Redis({
          host: own.host,
          port: own.port,
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
          lazyConnect: true,
        });
        await redis.connect();
        return redis;
      };
      const observer = await connectTo();
      const forever = await waitingIn(
        observer,
        (r) => r.blpop("q", 0),
        connectTo,
      );
      const patient = await waitingIn(
        observer,
        (r) => r.blmove("q", "d", "LEFT", "LEFT", 3600),
        connectTo,
      );
      await own.close();
      expect(await forever.reply).toBe("closed");
      expect(await patient.reply).toBe("closed");
      observer.disconnect();
    },
  );
});

describe("the AOF", () => {
  /** Each key's list, in `databases` 0 and 2 (undefined for a key that is not a list). */
  async function lists(
    redis: Redis,
    keys: readonly string[],
  ): Promise<Record<string, string[] | string>> {
    const state: Record<string, string[] | string> = {};
    for (const db of [0, 2]) {
      await redis.select(db);
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === "none") continue;
        state[`${db}:${key}`] =
          type === "list" ? await redis.lrange(key, 0, -1) : type;
      }
    }
    await redis.select(0);
    return state;
  }

  itRestarts(
    "records what each did, at once or served later (BLPOP as LPOP, BLMOVE as LMOVE, BLMPOP as LPOP/RPOP key count), and replays to the same lists",
    { timeout: 20_000 },
    async () => {
      const restartable = await startRestartableServer();
      const redis = await restartable.client();
      const connectTo = () => restartable.client();
      // At once.
      await redis.rpush("a", "1", "2", "3", "4", "5", "6");
      expect(await redis.blpop("a", 0)).toEqual(["a", "1"]);
      expect(await redis.brpop("none", "a", 0)).toEqual(["a", "6"]);
      expect(await redis.call("BLMOVE", "a", "b", "LEFT", "Right", 0)).toBe(
        "2",
      );
      expect(await redis.brpoplpush("a", "b", 0)).toBe("5");
      expect(
        await redis.call("BLMPOP", 0, 2, "none", "a", "left", "COUNT", 5),
      ).toEqual(["a", ["3", "4"]]);
      // Nothing to do, nothing recorded: a timeout, an error.
      expect(await redis.blpop("none", "0.01")).toBeNull();
      await redis.set("s", "text");
      await errorOf(redis.blmove("b", "s", "LEFT", "LEFT", 0));

      // Served later, one of each, the BLMPOP in database 2.
      const waiters = [
        await waitingIn(redis, (r) => r.blpop("w1", 0), connectTo),
        await waitingIn(redis, (r) => r.brpop("w2", 0), connectTo),
        await waitingIn(
          redis,
          (r) => r.call("BLMOVE", "w3", "d", "right", "LEFT", 0),
          connectTo,
        ),
        await waitingIn(redis, (r) => r.brpoplpush("w4", "d", 0), connectTo),
        await waitingIn(
          redis,
          async (r) => {
            await r.select(2);
            return r.call("BLMPOP", 0, 2, "none", "w5", "RIGHT", "COUNT", 3);
          },
          connectTo,
        ),
      ];
      for (const key of ["w1", "w2", "w3", "w4"]) {
        await redis.rpush(key, "x", "y");
      }
      await redis.select(2);
      await redis.rpush("w5", "x", "y");
      await redis.select(0);
      expect(await Promise.all(waiters.map((w) => w.reply))).toEqual([
        ["w1", "x"],
        ["w2", "y"],
        "y",
        "y",
        ["w5", ["y", "x"]],
      ]);

      // The same records from both servers, as redis-server 7.0.15 writes them.
      expect(aofRecords(restartable)).toEqual([
        ["SELECT", "0"],
        ["rpush", "a", "1", "2", "3", "4", "5", "6"],
        ["LPOP", "a"],
        ["RPOP", "a"],
        // At once, with the client's words; served later, in lower case.
        ["LMOVE", "a", "b", "LEFT", "Right"],
        ["RPOPLPUSH", "a", "b"],
        ["LPOP", "a", "2"],
        ["set", "s", "text"],
        ["rpush", "w1", "x", "y"],
        ["LPOP", "w1"],
        ["rpush", "w2", "x", "y"],
        ["RPOP", "w2"],
        ["rpush", "w3", "x", "y"],
        ["LMOVE", "w3", "d", "right", "left"],
        ["rpush", "w4", "x", "y"],
        ["RPOPLPUSH", "w4", "d"],
        ["SELECT", "2"],
        ["rpush", "w5", "x", "y"],
        ["RPOP", "w5", "2"],
      ]);

      const keys = ["a", "b", "d", "s", "w1", "w2", "w3", "w4", "w5"];
      const before = await lists(redis, keys);
      expect(before).toEqual({
        "0:b": ["5", "2"],
        "0:d": ["y", "y"],
        "0:s": "string",
        "0:w1": ["y"],
        "0:w2": ["x"],
        "0:w3": ["x"],
        "0:w4": ["x"],
      });
      await restartable.restart();
      expect(await lists(await restartable.client(), keys)).toEqual(before);
    },
  );
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  const CATEGORIES = ["@write", "@list", "@slow", "@blocking"];
  // Redis 7.0.15's first seven fields: name, arity, flags, first key, last
  // key, key step, ACL categories.
  it.each([
    ["blpop", -3, ["write", "noscript", "blocking"], 1, -2, 1, CATEGORIES],
    ["brpop", -3, ["write", "noscript", "blocking"], 1, -2, 1, CATEGORIES],
    [
      "blmove",
      6,
      ["write", "denyoom", "noscript", "blocking"],
      1,
      2,
      1,
      CATEGORIES,
    ],
    [
      "brpoplpush",
      4,
      ["write", "denyoom", "noscript", "blocking"],
      1,
      2,
      1,
      CATEGORIES,
    ],
    ["blmpop", -5, ["write", "blocking", "movablekeys"], 0, 0, 0, CATEGORIES],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 7)).toEqual(row);
    expect(info![7]).toEqual([]);
  });

  it.each([
    [
      ["BLPOP", "a", "b", "0"],
      ["a", "b"],
    ],
    [
      ["BLMOVE", "a", "b", "LEFT", "LEFT", "0"],
      ["a", "b"],
    ],
    [
      ["BRPOPLPUSH", "a", "b", "0"],
      ["a", "b"],
    ],
    [
      ["BLMPOP", "0", "2", "a", "b", "LEFT"],
      ["a", "b"],
    ],
  ])("COMMAND GETKEYS %j", async (words, keys) => {
    const redis = await server.client();
    expect(await redis.call("COMMAND", "GETKEYS", ...words)).toEqual(keys);
  });

  /** COMMAND DOCS of one command, as Redis's is compared (command-docs-helpers.ts). */
  async function docsOf(name: string): Promise<unknown> {
    return docsWithoutKeySpecs(await server.client(), name);
  }

  const LEFT_OR_RIGHT = [
    ["name", "left", "type", "pure-token", "token", "LEFT"],
    ["name", "right", "type", "pure-token", "token", "RIGHT"],
  ];
  const TIMEOUT = ["name", "timeout", "type", "double"];
  const TIMEOUT_HISTORY = [
    ["6.0.0", "`timeout` is interpreted as a double instead of an integer."],
  ];
  const KEYS = ["name", "key", "type", "key", "flags", ["multiple"]];
  const SOURCE_DESTINATION = [
    ["name", "source", "type", "key"],
    ["name", "destination", "type", "key"],
  ];

  it.each<[string, unknown]>([
    ...(["blpop", "brpop"] as const).map((name): [string, unknown] => [
      name,
      [
        "summary",
        `Remove and get the ${name === "blpop" ? "first" : "last"} element in a list, or block until one is available`,
        "since",
        "2.0.0",
        "group",
        "list",
        "complexity",
        "O(N) where N is the number of provided keys.",
        "history",
        TIMEOUT_HISTORY,
        "arguments",
        [KEYS, TIMEOUT],
      ],
    ]),
    [
      "blmove",
      [
        "summary",
        "Pop an element from a list, push it to another list and return it; or block until one is available",
        "since",
        "6.2.0",
        "group",
        "list",
        "complexity",
        "O(1)",
        "arguments",
        [
          ...SOURCE_DESTINATION,
          ["name", "wherefrom", "type", "oneof", "arguments", LEFT_OR_RIGHT],
          ["name", "whereto", "type", "oneof", "arguments", LEFT_OR_RIGHT],
          TIMEOUT,
        ],
      ],
    ],
    [
      "brpoplpush",
      [
        "summary",
        "Pop an element from a list, push it to another list and return it; or block until one is available",
        "since",
        "2.2.0",
        "group",
        "list",
        "complexity",
        "O(1)",
        "doc_flags",
        ["deprecated"],
        "deprecated_since",
        "6.2.0",
        "replaced_by",
        "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
        "history",
        TIMEOUT_HISTORY,
        "arguments",
        [...SOURCE_DESTINATION, TIMEOUT],
      ],
    ],
    [
      "blmpop",
      [
        "summary",
        "Pop elements from a list, or block until one is available",
        "since",
        "7.0.0",
        "group",
        "list",
        "complexity",
        "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        "arguments",
        [
          TIMEOUT,
          ["name", "numkeys", "type", "integer"],
          KEYS,
          ["name", "where", "type", "oneof", "arguments", LEFT_OR_RIGHT],
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
      ],
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsOf(name)).toEqual(expected);
  });
});
