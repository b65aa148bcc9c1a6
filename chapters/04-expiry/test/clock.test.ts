/**
 * Article step 5: the clock ("Tests that do not sleep"). Expiry seen from
 * a client, on a server whose time only moves when the test says so.
 *
 * Each test starts its own server with a ManualClock (test/manual-clock.ts)
 * and talks to it through ioredis, as any client would. Time stands still
 * between two `advance` calls, so every boundary is checked to the
 * millisecond, an hour goes by in a microsecond, and the active expiry
 * cycle runs exactly at its ticks (every 100 ms at hz 10, counted from
 * the server's start), never between two commands of a test. Nothing
 * sleeps.
 *
 * What these tests pin, one describe block each:
 * 1. a key is alive at its deadline and gone 1 ms after (Redis: expired
 *    once now > deadline); a deadline already reached deletes at once;
 * 2. once expired, every command answers as for a missing key, and a
 *    command that writes it makes a new key, without the old deadline;
 * 3. DBSIZE counts an expired key until a lookup or the cycle deletes it;
 * 4. which commands delete an expired key and which pass it by, and what
 *    INFO's expired_keys counts: keys whose time ran out, not keys EXPIRE
 *    deleted with a time already past;
 * 5. the cycle collects untouched keys at its next tick, at the pace
 *    CONFIG SET hz asks for, and INFO's expired_keys counts both ways;
 * 6. deadlines are wall-clock moments: setting the date moves them closer
 *    or further, as it does in Redis;
 * 7. a closed server leaves no timer behind.
 *
 * All in-process: under REDIS_URL there is no clock of ours to move.
 */
import { describe, expect, onTestFinished } from "vitest";
import { Redis, type RedisOptions } from "ioredis";
import { itInProcess, startChapterServer } from "../../../shared/harness.ts";
import { errorText, namingCommands } from "../../../shared/replies.ts";
import { ManualClock } from "./manual-clock.ts";
import { infoNumber } from "./client-helpers.ts";

/** The active expiry cycle's period at the default hz 10. */
const TICK_MS = 100;

/**
 * A fresh server on a ManualClock, and a client of it. The server starts
 * at monotonic time 0, so its cycle runs at 100, 200, 300 ms...
 */
async function serverOnManualClock() {
  const clock = new ManualClock();
  const server = await startChapterServer({ clock });
  const redis = await clientOf(server.port);
  return { clock, server, redis };
}

/** A client of a server this test started itself, closed when the test ends. */
async function clientOf(
  port: number,
  options: RedisOptions = {},
): Promise<Redis> {
  const redis = new Redis({
    port,
    host: "127.0.0.1",
    retryStrategy: () => null,
    ...options,
    lazyConnect: true,
  });
  onTestFinished(async () => {
    if (redis.status === "end") return;
    const ended = new Promise((resolve) => redis.once("end", resolve));
    redis.disconnect();
    await ended;
  });
  await redis.connect();
  return namingCommands(redis);
}

describe("a deadline, to the millisecond", () => {
  itInProcess(
    "a key is alive at its deadline and gone 1 ms after",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("k", "v", "PX", 150);

      // At the deadline: still there, with nothing left. (The cycle ran at
      // 100 ms on the way, when the key had 50 ms to go.)
      clock.advance(150);
      expect(await redis.pttl("k")).toBe(0);
      expect(await redis.ttl("k")).toBe(0);
      expect(await redis.get("k")).toBe("v");
      expect(await redis.exists("k")).toBe(1);

      // Redis: expired once now > deadline.
      clock.advance(1);
      expect(await redis.get("k")).toBeNull();
      expect(await redis.pttl("k")).toBe(-2);
      expect(await redis.ttl("k")).toBe(-2);
    },
  );

  itInProcess(
    "the active cycle does not delete a key at its deadline either",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      // Due exactly when the cycle runs, at 200 ms.
      await redis.set("k", "v", "PX", 2 * TICK_MS);
      clock.advance(2 * TICK_MS);
      expect(await redis.dbsize()).toBe(1);
      expect(await redis.get("k")).toBe("v");
    },
  );

  itInProcess(
    "PTTL counts down exactly as the clock moves, and not otherwise",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("k", "v", "PX", 100_000);
      // The clock is frozen: however long the round trips took, no time
      // has passed for the server.
      expect(await redis.pttl("k")).toBe(100_000);
      expect(await redis.pttl("k")).toBe(100_000);

      clock.advance(250);
      expect(await redis.pttl("k")).toBe(99_750);
      clock.advance(99_749);
      expect(await redis.pttl("k")).toBe(1);
    },
  );

  itInProcess(
    "TTL rounds the time left to the nearest second, as Redis does",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("k", "v", "PX", 1_500);
      expect(await redis.ttl("k")).toBe(2);
      clock.advance(1);
      expect(await redis.ttl("k")).toBe(1); // 1,499 ms
      clock.advance(1_000);
      expect(await redis.ttl("k")).toBe(0); // 499 ms
    },
  );

  itInProcess(
    "EXPIRE with a time already reached deletes the key at once",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      const now = clock.now();
      await redis.mset("now", "v", "soon", "v", "zero", "v", "past", "v");

      // Deadline == now: Redis deletes (checkAlreadyExpired: when <= now),
      // though a key whose deadline *arrives* lives through that millisecond.
      expect(await redis.pexpireat("now", now)).toBe(1);
      expect(await redis.pexpireat("soon", now + 1)).toBe(1);
      expect(await redis.expire("zero", 0)).toBe(1);
      expect(await redis.expire("past", -10)).toBe(1);

      expect(await redis.exists("now", "zero", "past")).toBe(0);
      expect(await redis.pttl("soon")).toBe(1);
      // Deleted, not left for the cycle: DBSIZE no longer counts them.
      expect(await redis.dbsize()).toBe(1);
    },
  );

  itInProcess(
    "SET ... PXAT stores a key even with a deadline already past, expired",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      const now = clock.now();
      // Redis 7.0 stores it as it is: DBSIZE counts it, and the first
      // lookup deletes it as expired.
      expect(await redis.set("past", "v", "PXAT", now - 1)).toBe("OK");
      expect(await redis.dbsize()).toBe(1);
      expect(await redis.exists("past")).toBe(0);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(1);

      // A deadline of now itself is not past: the key lives through it.
      expect(await redis.set("now", "v", "PXAT", now)).toBe("OK");
      expect(await redis.get("now")).toBe("v");
      expect(await redis.pttl("now")).toBe(0);
    },
  );

  itInProcess(
    "GETEX ... PXAT with a deadline already reached answers the value and deletes the key",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("k", "v");
      // Like EXPIRE (Redis's checkAlreadyExpired: when <= now). Deleted
      // rather than expired: Redis 7.0's expired_keys does not count it.
      expect(await redis.getex("k", "PXAT", clock.now())).toBe("v");
      expect(await redis.dbsize()).toBe(0);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(0);
    },
  );

  itInProcess("an hour passes in one advance", async () => {
    const { clock, redis } = await serverOnManualClock();
    await redis.set("hour", "v", "EX", 3_600);
    await redis.set("two-hours", "v", "EX", 7_200);

    // 36,000 cycles ran on the way; none deleted a key before its time.
    clock.advance(3_600_000);
    expect(await redis.get("hour")).toBe("v");
    expect(await redis.ttl("two-hours")).toBe(3_600);

    clock.advance(1);
    expect(await redis.get("hour")).toBeNull();
    expect(await redis.pttl("two-hours")).toBe(3_599_999);
  });

  itInProcess(
    "PTTL of a deadline at 2^63 - 1 ms is exact, far beyond 2^53",
    async () => {
      const { clock, server } = await serverOnManualClock();
      // Integers as strings: a JavaScript number would round them.
      const redis = await clientOf(server.port, { stringNumbers: true });
      const INT64_MAX = 2n ** 63n - 1n;
      await redis.set("k", "v");
      await redis.pexpireat("k", INT64_MAX.toString());

      const left = INT64_MAX - BigInt(clock.now());
      expect(await redis.pexpiretime("k")).toBe(INT64_MAX.toString());
      expect(await redis.pttl("k")).toBe(left.toString());
      expect(await redis.ttl("k")).toBe(((left + 500n) / 1000n).toString());
      clock.advance(1);
      expect(await redis.pttl("k")).toBe((left - 1n).toString());
    },
  );
});

describe("once expired, every command treats the key as missing", () => {
  // Each case: "k" (PX 150) has expired but nobody has deleted it yet (151
  // ms: after the tick at 100, before the one at 200); "other" has no
  // deadline. The replies are Redis 7.0's, checked against a real server.
  // `ttlAfter` is k's PTTL after the command: -2 if it is still missing,
  // -1 if the command wrote a new "k", which must not inherit the dead
  // key's deadline.
  const cases: [string, string[], unknown, number][] = [
    ["GET", ["k"], null, -2],
    ["EXISTS", ["k"], 0, -2],
    ["TYPE", ["k"], "none", -2],
    ["STRLEN", ["k"], 0, -2],
    ["GETRANGE", ["k", "0", "-1"], "", -2],
    ["MGET", ["k", "other"], [null, "o"], -2],
    ["TTL", ["k"], -2, -2],
    ["EXPIRETIME", ["k"], -2, -2],
    ["DEL", ["k"], 0, -2],
    ["UNLINK", ["k"], 0, -2],
    ["EXPIRE", ["k", "100"], 0, -2],
    ["PERSIST", ["k"], 0, -2],
    ["GETDEL", ["k"], null, -2],
    ["GETEX", ["k", "PX", "100"], null, -2],
    ["SET", ["k", "new", "XX"], null, -2],
    ["RENAME", ["k", "k2"], "ERR no such key", -2],
    ["RENAMENX", ["k", "k2"], "ERR no such key", -2],
    ["COPY", ["k", "k2"], 0, -2],
    ["KEYS", ["*"], ["other"], -2],
    ["SCAN", ["0"], ["0", ["other"]], -2],
    ["RANDOMKEY", [], "other", -2],
    ["APPEND", ["k", "x"], 1, -1],
    ["INCR", ["k"], 1, -1],
    ["INCRBYFLOAT", ["k", "1.5"], "1.5", -1],
    ["SETRANGE", ["k", "2", "x"], 3, -1],
    ["SET", ["k", "new", "KEEPTTL"], "OK", -1],
    ["SET", ["k", "new", "NX"], "OK", -1],
    ["SET", ["k", "new", "GET"], null, -1],
    ["SETNX", ["k", "new"], 1, -1],
    ["MSETNX", ["k", "1", "z", "2"], 1, -1],
    ["GETSET", ["k", "new"], null, -1],
    ["RENAME", ["other", "k"], "OK", -1],
    ["RENAMENX", ["other", "k"], 1, -1],
    ["COPY", ["other", "k"], 1, -1],
  ];

  itInProcess.each(cases)(
    "%s %j answers %j",
    async (command, args, reply, ttlAfter) => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("k", "v", "PX", 150);
      await redis.set("other", "o");
      clock.advance(151);

      const answer = await redis.call(command, ...args).catch(errorText);
      expect(answer).toEqual(reply);
      expect(await redis.pttl("k")).toBe(ttlAfter);
    },
  );
});

describe("DBSIZE counts an expired key until something deletes it", () => {
  itInProcess(
    "past its deadline, before the next tick: counted, until a lookup deletes it",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("k", "v", "PX", 150);
      await redis.set("forever", "v");

      // 151 ms: expired, but the last tick (100 ms) came before that and
      // the next (200 ms) has not come yet. Nobody has deleted it.
      clock.advance(151);
      expect(await redis.dbsize()).toBe(2);
      expect(await redis.info("keyspace")).toContain("db0:keys=2,expires=1,");

      // EXISTS looks it up, which deletes it: Redis's lazy expiry.
      expect(await redis.exists("k")).toBe(0);
      expect(await redis.dbsize()).toBe(1);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(1);
    },
  );

  itInProcess(
    "SCAN deletes the expired keys it meets, and TYPE none lets them through, as Redis 7.0 does",
    { tags: ["fidelity"] },
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("a", "v", "PX", 150);
      await redis.set("b", "v", "PX", 150);
      await redis.set("forever", "v");
      clock.advance(151);

      // MATCH filters first: "b" is not looked at, so it stays counted.
      expect(await redis.scan(0, "MATCH", "a")).toEqual(["0", []]);
      expect(await redis.dbsize()).toBe(2);

      // TYPE looks "b" up, which deletes it, and a missing key's type is
      // "none": Redis 7.0.15 answers it (checked with active expiry off,
      // DEBUG SET-ACTIVE-EXPIRE 0). Its later expiry check finds nothing
      // left to expire. Redis 7.2 filters by type without the lookup.
      expect(await redis.scan(0, "TYPE", "none")).toEqual(["0", ["b"]]);
      expect(await redis.dbsize()).toBe(1);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(2);
    },
  );
});

// Redis 7.0.15's answers, checked on a real server with its cycle switched
// off (--enable-debug-command yes, then DEBUG SET-ACTIVE-EXPIRE 0), keys
// set with PX 100 and left 300 ms to expire: the same state as at 151 ms
// here, where the cycle last ran at 100 ms and next runs at 200.
describe("what deletes an expired key, and what INFO's expired_keys counts", () => {
  /** Sets `expiring` keys with PX 150 and `live` ones without, then moves to 151 ms. */
  async function expiredAndLive(expiring: string[], live: string[] = []) {
    const { clock, redis } = await serverOnManualClock();
    for (const key of expiring) await redis.set(key, "old", "PX", 150);
    for (const key of live) await redis.set(key, "v");
    clock.advance(151);
    return { clock, redis };
  }

  itInProcess(
    "KEYS leaves expired keys out, and in place: DBSIZE and expired_keys do not move",
    async () => {
      const { redis } = await expiredAndLive(["a", "b"], ["c"]);
      expect(await redis.keys("*")).toEqual(["c"]);
      expect(await redis.keys("a")).toEqual([]);
      expect(await redis.dbsize()).toBe(3);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(0);
    },
  );

  itInProcess(
    "RANDOMKEY never answers an expired key, and deletes each one it picks",
    async () => {
      const expiring = Array.from({ length: 20 }, (_, i) => `gone:${i}`);
      const { redis } = await expiredAndLive(expiring, ["live"]);
      for (let i = 0; i < 10; i++) {
        expect(await redis.randomkey()).toBe("live");
      }
      // Which expired keys it happened to pick is chance; that each one
      // picked was deleted, and counted, is not.
      const expired = await infoNumber(redis, "stats", "expired_keys");
      expect(await redis.dbsize()).toBe(21 - expired);

      // With only expired keys left, it picks until none is left.
      expect(await redis.del("live")).toBe(1);
      expect(await redis.randomkey()).toBeNull();
      expect(await redis.dbsize()).toBe(0);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(20);
    },
  );

  itInProcess(
    "writing over an expired key counts it as expired, whatever the write",
    async () => {
      const writes: [string, ...string[]][] = [
        ["SET", "k0", "new"],
        ["APPEND", "k1", "x"],
        ["INCR", "k2"],
        ["MSET", "k3", "1", "unrelated", "2"],
        ["SETNX", "k4", "new"],
        ["GETSET", "k5", "new"],
      ];
      const { redis } = await expiredAndLive(writes.map(([, key]) => key!));
      for (const [i, write] of writes.entries()) {
        await redis.call(...write);
        expect(
          await infoNumber(redis, "stats", "expired_keys"),
          write.join(" "),
        ).toBe(i + 1);
      }
    },
  );

  itInProcess(
    "EXPIRE with a time already past deletes a live key without counting it as expired",
    async () => {
      const { clock, redis } = await expiredAndLive(["dead"], ["p", "q", "r"]);
      expect(await redis.expire("p", -1)).toBe(1);
      expect(await redis.pexpireat("q", 1)).toBe(1);
      expect(
        await redis.expireat("r", Math.floor(clock.now() / 1000) - 1),
      ).toBe(1);
      expect(await redis.exists("p", "q", "r")).toBe(0);
      expect(await redis.dbsize()).toBe(1); // "dead", expired but not deleted
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(0);

      // A key whose own time ran out is counted, even when EXPIRE finds it.
      expect(await redis.expire("dead", 100)).toBe(0);
      expect(await redis.dbsize()).toBe(0);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(1);
    },
  );
});

describe("the active cycle", () => {
  itInProcess(
    "collects a key nobody touches at the next tick, and expired_keys counts both ways",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      await redis.set("lazy", "v", "PX", 120);
      await redis.set("active", "v", "PX", 150);

      clock.advance(151);
      expect(await redis.dbsize()).toBe(2);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(0);

      // One deleted by a lookup...
      expect(await redis.get("lazy")).toBeNull();
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(1);

      // ...the other stays until the tick at 200 ms, which deletes it.
      clock.advance(199 - 151);
      expect(await redis.dbsize()).toBe(1);
      clock.advance(1);
      expect(await redis.dbsize()).toBe(0);
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(2);
    },
  );

  itInProcess(
    "collects many keys in several databases, and INFO keyspace forgets them",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      for (const db of [0, 5]) {
        await redis.select(db);
        for (let i = 0; i < 100; i++) {
          await redis.set(`key:${i}`, "v", "PX", 10 + i);
        }
        await redis.set("forever", "v");
      }

      // Past every deadline (the last is 109 ms), through the tick at 200.
      clock.advance(2 * TICK_MS);
      for (const db of [0, 5]) {
        await redis.select(db);
        expect(await redis.dbsize()).toBe(1);
      }
      const keyspace = await redis.info("keyspace");
      expect(keyspace).toContain("db0:keys=1,expires=0,avg_ttl=0");
      expect(keyspace).toContain("db5:keys=1,expires=0,avg_ttl=0");
      expect(await infoNumber(redis, "stats", "expired_keys")).toBe(200);
    },
  );

  itInProcess(
    "INFO reports an average TTL for the volatile keys it sampled",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      for (let i = 0; i < 50; i++) {
        await redis.set(`key:${i}`, "v", "PX", 60_000);
      }
      // The tick at 100 ms samples keys with 59,900 ms left.
      clock.advance(TICK_MS);
      expect(await redis.info("keyspace")).toContain(
        "db0:keys=50,expires=50,avg_ttl=59900",
      );
    },
  );

  itInProcess("CONFIG SET hz 1 makes it run once a second", async () => {
    const { clock, redis } = await serverOnManualClock();
    expect(await redis.config("SET", "hz", "1")).toBe("OK");

    // The tick already scheduled (at 100 ms) keeps its moment, as Redis's
    // next serverCron does; from then on, one every 1,000 ms.
    clock.advance(TICK_MS);
    await redis.set("k", "v", "PX", 1); // due at 101 ms
    clock.advance(999 - TICK_MS);
    // At hz 10 the tick at 200 ms would have collected it.
    expect(await redis.dbsize()).toBe(1);
    clock.advance(1_100 - 999);
    expect(await redis.dbsize()).toBe(0);
  });

  itInProcess("CONFIG SET hz 500 makes it run every 2 ms", async () => {
    const { clock, redis } = await serverOnManualClock();
    expect(await redis.config("SET", "hz", "500")).toBe("OK");
    clock.advance(TICK_MS); // the tick at 100 ms; then one every 2 ms

    await redis.set("k", "v", "PX", 3); // due at 103 ms
    clock.advance(4); // 104 ms: the tick at 104 collects it
    expect(await redis.dbsize()).toBe(0);
    expect(await infoNumber(redis, "stats", "expired_keys")).toBe(1);
  });

  itInProcess(
    "CONFIG SET hz 3 makes it run every 333 ms, whole milliseconds as in Redis",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      expect(await redis.config("SET", "hz", "3")).toBe("OK");
      clock.advance(TICK_MS); // the tick at 100 ms; then one every 333 ms

      await redis.set("k", "v", "PX", 300); // due at 400 ms
      clock.advance(332); // 432 ms: expired, but the next tick is at 433
      expect(await redis.dbsize()).toBe(1);
      clock.advance(1); // 433 ms
      expect(await redis.dbsize()).toBe(0);

      // Three ticks later the wall clock is still a whole number of
      // milliseconds, which every deadline computation relies on.
      clock.advance(1_000);
      expect(Number.isInteger(clock.now())).toBe(true);
      expect(await redis.expire("gone", 10)).toBe(0);
      await redis.set("k", "v", "PX", 5_000);
      expect(await redis.pttl("k")).toBe(5_000);
    },
  );
});

describe("deadlines are moments on the wall clock", () => {
  itInProcess(
    "EXPIREAT gives EXPIRETIME back, and setting the date past it expires the key",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      const deadlineSeconds = clock.now() / 1000 + 3_600;
      await redis.set("k", "v");
      expect(await redis.expireat("k", deadlineSeconds)).toBe(1);
      expect(await redis.expiretime("k")).toBe(deadlineSeconds);
      expect(await redis.pexpiretime("k")).toBe(deadlineSeconds * 1000);

      // Someone sets the date forward by an hour: no time has passed on
      // the monotonic clock, and no cycle ran, yet the deadline is here.
      clock.setWallClock(deadlineSeconds * 1000);
      expect(await redis.get("k")).toBe("v");
      expect(await redis.ttl("k")).toBe(0);
      clock.setWallClock(deadlineSeconds * 1000 + 1);
      expect(await redis.get("k")).toBeNull();
      expect(clock.monotonic()).toBe(0);
    },
  );

  itInProcess(
    "setting the date back makes a key live longer, as in Redis",
    async () => {
      const { clock, redis } = await serverOnManualClock();
      const start = clock.now();
      await redis.set("k", "v", "EX", 100);
      const deadline = await redis.pexpiretime("k");
      expect(deadline).toBe(start + 100_000);

      // An hour back: the deadline is the same moment, an hour further off.
      clock.setWallClock(start - 3_600_000);
      expect(await redis.ttl("k")).toBe(3_700);
      expect(await redis.pexpiretime("k")).toBe(deadline);

      // 100 s of monotonic time later it is still there: deadlines are not
      // counted in monotonic time.
      clock.advance(100_001);
      expect(await redis.get("k")).toBe("v");
    },
  );
});

describe("closing the server", () => {
  itInProcess("leaves no timer waiting on the clock", async () => {
    const { clock, server, redis } = await serverOnManualClock();
    // One timer, always: each cycle schedules the next.
    expect(clock.pendingTasks).toBe(1);
    clock.advance(10 * TICK_MS);
    expect(clock.pendingTasks).toBe(1);

    // Closed with a client still connected, as a server usually is.
    expect(await redis.ping()).toBe("PONG");
    await server.close();
    expect(clock.pendingTasks).toBe(0);
  });
});
