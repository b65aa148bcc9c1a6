/**
 * Article step 4 (active expiry): keys that nobody reads again still go.
 * Lazy expiry alone would keep them in memory for ever; the active cycle
 * samples the keys that have a deadline, a few times a second, and deletes
 * the expired ones, within a time budget so that clients are still served
 * while a flood of keys expires.
 *
 * To see keys go without touching them, the tests watch DBSIZE and INFO:
 * both count keys without looking any up, so they never trigger lazy
 * expiry. (DBSIZE even counts a key past its deadline that nothing has
 * deleted yet: that is what makes it the right instrument here.)
 *
 * Real time, real waits: keys get deadlines a fraction of a second away,
 * and the tests poll, with limits of many seconds, until they are gone.
 * Nothing asserts how fast. The big test prints how long the collection
 * took and how long PINGs waited meanwhile, for the reader to compare
 * servers, but passes on any machine that gets there in the end.
 *
 * Under REDIS_URL the tests share one real Redis with other files: they
 * work in database 15, which only this file uses, emptied before each test
 * so that DBSIZE counts this test's keys alone.
 */
import { describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  infoField,
  keysForThisTest,
  pollUntil,
  serverTimeMs,
  sleep,
} from "./client-helpers.ts";

const server = useServer();

/** The database this file owns on a shared server. */
const DB = 15;

/** A client on this file's database, emptied first. */
async function clientOnEmptyDb(): Promise<Redis> {
  const redis = await server.client({ db: DB });
  await redis.flushdb();
  return redis;
}

/** A TTL no test run will reach: keys with it must still be there. */
const LONG_TTL_S = 1_000;

/**
 * Sets `count` keys under `key`'s prefix, each with the same expiry
 * option (`PX 100`, `PXAT ...`), in pipelined batches.
 */
async function setVolatileKeys(
  redis: Redis,
  key: (name: string) => string,
  count: number,
  expiry: ["PX" | "PXAT", number],
): Promise<void> {
  const BATCH = 10_000;
  for (let first = 0; first < count; first += BATCH) {
    const pipeline = redis.pipeline();
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      pipeline.call("SET", key(`${i}`), "v", ...expiry);
    }
    const replies = await pipeline.exec();
    // exec answers [error, reply] per command; any error fails the test.
    for (const [error] of replies ?? []) if (error) throw error;
  }
}

describe("keys nobody reads", () => {
  it("disappear on their own, while keys with a later deadline stay", async () => {
    const redis = await clientOnEmptyDb();
    const key = keysForThisTest();
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await redis.set(key("persistent"), "forever");
    await setVolatileKeys(redis, key, 50, ["PX", 100]);

    // DBSIZE only counts: it never looks a key up, so only the active
    // cycle can bring it down to the two keys that must stay.
    await pollUntil(() => redis.dbsize(), 2, "DBSIZE");
    expect(await redis.get(key("live"))).toBe("alive");
    expect(await redis.get(key("persistent"))).toBe("forever");
  });

  it("INFO keyspace counts them in expires=, then no more", async () => {
    const redis = await clientOnEmptyDb();
    const key = keysForThisTest();
    await redis.set(key("persistent"), "forever");
    await setVolatileKeys(redis, key, 50, ["PX", 200]);
    // Read at once: unless the machine stalled for 200 ms, all 50 are
    // still there. Either way, expires= counts exactly the keys with a
    // deadline among those it counts in keys=.
    const line = (await infoField(redis, "keyspace", `db${DB}`)) ?? "";
    const match = /^keys=(\d+),expires=(\d+),avg_ttl=\d+$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match![1]) - Number(match![2])).toBe(1);

    // (avg_ttl, an estimate the cycle updates as it samples, is left out.)
    const counts = async () =>
      (await infoField(redis, "keyspace", `db${DB}`))?.replace(
        /,avg_ttl=\d+$/,
        "",
      );
    await pollUntil(counts, "keys=1,expires=0", `db${DB} in INFO keyspace`);
  });

  it("INFO stats counts them in expired_keys", async () => {
    const redis = await clientOnEmptyDb();
    const key = keysForThisTest();
    const before = Number(await infoField(redis, "stats", "expired_keys"));
    await setVolatileKeys(redis, key, 50, ["PX", 100]);
    await pollUntil(() => redis.dbsize(), 0, "DBSIZE");
    // At least: on a shared server, other keys may expire meanwhile.
    const after = Number(await infoField(redis, "stats", "expired_keys"));
    expect(after - before).toBeGreaterThanOrEqual(50);
  });

  it("INFO stats reports on the cycle itself", async () => {
    const redis = await server.client({ db: DB });
    const stats = await redis.info("stats");
    expect(stats).toMatch(/\r\nexpired_stale_perc:\d+\.\d\d\r\n/);
    expect(stats).toMatch(/\r\nexpired_time_cap_reached_count:\d+\r\n/);
    expect(stats).toMatch(/\r\nexpire_cycle_cpu_milliseconds:\d+\r\n/);
  });
});

describe("a flood of expiring keys", () => {
  const KEYS = 100_000;
  /**
   * All the keys get one deadline, this far ahead: time to load them
   * first, so that they expire together, on a server with nothing else to
   * do. (On a machine too slow to load them in time, the late ones are set
   * with a deadline already past and go at once; the test still holds.)
   */
  const LOAD_ALLOWANCE_MS = 3_000;
  const PING_EVERY_MS = 10;

  // The point of the time budget: while 100 000 keys expire at once, the
  // cycle gives the event loop back every few milliseconds, and a client
  // that has nothing to do with those keys is still served. We check only
  // that every PING got its answer and every key went; the latencies are
  // printed, not asserted, as they depend on the machine. The test gets
  // 60 s, more than the default: loading, the wait for the deadline and
  // the 30 s allowed for collecting, so that a slow collection fails on
  // DBSIZE, with the count it got stuck at, rather than on a timeout.
  it(`${KEYS} keys that expire together are all collected, and PINGs keep being answered`, async () => {
    const redis = await clientOnEmptyDb();
    // A PING unanswered for 10 s fails rather than hanging the test.
    const pinger = await server.client({ commandTimeout: 10_000 });
    const key = keysForThisTest();

    // The deadline is read on the server's clock, which decides, and
    // translated to ours, which we wait with.
    const deadline = (await serverTimeMs(redis)) + LOAD_ALLOWANCE_MS;
    const deadlineHere = performance.now() + LOAD_ALLOWANCE_MS;
    const loadStarted = performance.now();
    await setVolatileKeys(redis, key, KEYS, ["PXAT", deadline]);
    const loadMs = performance.now() - loadStarted;
    // Nobody touches the keys from here on. Start watching just before
    // they expire.
    await sleep(deadlineHere - 100 - performance.now());

    // A PING's wait is measured from the moment it was due, not from when
    // it was sent. With our server in-process, the test and the server
    // share one event loop: while a cycle holds the loop, the PING cannot
    // even be sent, and timing from the send would hide the whole wait.
    const latencies: number[] = [];
    const failures: unknown[] = [];
    let pinging = true;
    const pings = (async () => {
      while (pinging) {
        const due = performance.now() + PING_EVERY_MS;
        await sleep(PING_EVERY_MS);
        try {
          expect(await pinger.ping()).toBe("PONG");
          latencies.push(performance.now() - due);
        } catch (error) {
          failures.push(error);
        }
      }
    })();

    try {
      await pollUntil(() => redis.dbsize(), 0, "DBSIZE", {
        limitMs: 30_000,
        everyMs: 50,
      });
    } finally {
      pinging = false;
      await pings;
    }
    const collectedMs = performance.now() - deadlineHere;

    expect(failures).toEqual([]);
    expect(latencies.length).toBeGreaterThan(0);
    expect(await redis.dbsize()).toBe(0);

    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.floor((sorted.length - 1) * 0.99)]!;
    const max = sorted[sorted.length - 1]!;
    console.log(
      `${KEYS} keys loaded in ${Math.round(loadMs)} ms; ` +
        `all collected ${Math.round(collectedMs)} ms after their deadline; ` +
        `${latencies.length} PINGs meanwhile: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
  }, 60_000);
});
