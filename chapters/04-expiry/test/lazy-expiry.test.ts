/**
 * Article step 2 (lazy expiry): once its deadline has passed, a key is gone
 * for every command, whether or not anything has deleted it yet. Each
 * command that looks a key up checks the deadline first, and a key past it
 * is deleted there and then and treated as missing: reads find nothing,
 * writes start from scratch, and commands that need a key to be absent
 * (SETNX, RENAMENX, COPY) find it absent.
 *
 * These tests use real time: keys get a deadline 100 ms away, and the test
 * waits for it to pass. It waits *without looking at those keys*, which
 * would delete them through the very mechanism under test: it asks the
 * server for the time (TIME) until the server's clock is past the last
 * deadline, then sends the command under test at once, before the active
 * cycle (a few times a second) is likely to have deleted them. A key that
 * must survive gets a TTL of many minutes. So no margin depends on how fast
 * the machine is: a loaded machine only makes the wait longer.
 *
 * Against real Redis, the active expiry cycle may delete some keys before
 * the test looks them up. That does not change what a command answers,
 * which is all these tests check. Under REDIS_URL they work in database 7,
 * which only this file uses, under random key names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf, keysForThisTest, serverTimeMs } from "./client-helpers.ts";

const server = useServer();

/** The database this file owns on a shared server. */
const DB = 7;

beforeAll(async () => {
  const redis = await server.client({ db: DB });
  await redis.flushdb();
});

/** A client on this file's database. */
function client(): Promise<Redis> {
  return server.client({ db: DB });
}

/** The short life of the keys that must expire. */
const SHORT_TTL_MS = 100;
/** How long we are prepared to wait for that deadline to pass. */
const WAIT_LIMIT_MS = 10_000;
/** How far TIME and the clock deadlines are compared with may disagree. */
const CLOCK_SLACK_MS = 3;

/**
 * Sets each key to its value with a deadline SHORT_TTL_MS away, and returns
 * once that deadline has passed, without having looked at any of them.
 */
async function setAndLetExpire(
  redis: Redis,
  values: Record<string, string>,
): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await redis.set(key, value, "PX", SHORT_TTL_MS);
  }
  // Every deadline is at most SHORT_TTL_MS after this moment, on the
  // server's clock, the one that decides. TIME reads a finer clock than
  // the whole milliseconds deadlines are kept in, and the two may differ
  // by a millisecond either way (TIME's wallClockMicros): CLOCK_SLACK_MS
  // more, and the key is past its deadline on both.
  const latestDeadline =
    (await serverTimeMs(redis)) + SHORT_TTL_MS + CLOCK_SLACK_MS;
  const limit = Date.now() + WAIT_LIMIT_MS;
  while ((await serverTimeMs(redis)) <= latestDeadline) {
    if (Date.now() > limit)
      throw new Error(`the server's clock did not move in ${WAIT_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A TTL no test run will reach: keys with it must still be there. */
const LONG_TTL_S = 1_000;

describe("reads do not see an expired key", () => {
  it("GET answers nil, while a key with a later deadline is still there", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, { [key("gone")]: "v" });
    expect(await redis.get(key("gone"))).toBeNull();
    expect(await redis.get(key("live"))).toBe("alive");
  });

  it("MGET answers nil in its place", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, { [key("gone")]: "v" });
    expect(await redis.mget(key("gone"), key("live"))).toEqual([null, "alive"]);
  });

  it("EXISTS does not count it", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, { [key("gone")]: "v" });
    expect(await redis.exists(key("gone"))).toBe(0);
    expect(await redis.exists(key("gone"), key("live"))).toBe(1);
  });

  it("TYPE answers none", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("gone")]: "v" });
    expect(await redis.type(key("gone"))).toBe("none");
  });

  it("TTL, PTTL, EXPIRETIME and PEXPIRETIME answer -2, as for a key that never was", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, {
      [key("a")]: "1",
      [key("b")]: "2",
      [key("c")]: "3",
      [key("d")]: "4",
    });
    expect(await redis.ttl(key("a"))).toBe(-2);
    expect(await redis.pttl(key("b"))).toBe(-2);
    expect(await redis.expiretime(key("c"))).toBe(-2);
    expect(await redis.pexpiretime(key("d"))).toBe(-2);
  });

  it("STRLEN answers 0 and GETRANGE an empty string", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, {
      [key("a")]: "hello",
      [key("b")]: "hello",
    });
    expect(await redis.strlen(key("a"))).toBe(0);
    expect(await redis.getrange(key("b"), 0, -1)).toBe("");
  });

  it("GETDEL, GETSET and GETEX answer nil", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, {
      [key("a")]: "old",
      [key("b")]: "old",
      [key("c")]: "old",
    });
    expect(await redis.getdel(key("a"))).toBeNull();
    expect(await redis.getset(key("b"), "new")).toBeNull();
    expect(await redis.getex(key("c"), "EX", 100)).toBeNull();
    // GETEX found nothing to give a deadline to, and made nothing.
    expect(await redis.exists(key("c"))).toBe(0);
  });
});

describe("listing commands do not see an expired key", () => {
  it("KEYS leaves it out", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, { [key("gone")]: "v", [key("also")]: "v" });
    expect(await redis.keys(key("*"))).toEqual([key("live")]);
  });

  it("SCAN leaves it out", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, { [key("gone")]: "v", [key("also")]: "v" });
    const seen: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(
        cursor,
        "MATCH",
        key("*"),
        "COUNT",
        1000,
      );
      seen.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect(seen).toEqual([key("live")]);
  });

  // RANDOMKEY looks at the whole database, so this test empties it first:
  // the file's tests run one after another, and no other file uses it.
  it("RANDOMKEY never picks it, and answers nil when every key has expired", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.flushdb();
    const expiring: Record<string, string> = {};
    for (let i = 0; i < 20; i++) expiring[key(`gone:${i}`)] = "v";
    await setAndLetExpire(redis, expiring);
    expect(await redis.randomkey()).toBeNull();

    // The same twenty again, now beside one key that stays.
    await redis.set(key("live"), "alive", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, expiring);
    for (let i = 0; i < 10; i++) {
      expect(await redis.randomkey()).toBe(key("live"));
    }
  });
});

describe("writes start from scratch", () => {
  it("APPEND makes a new string, without the old deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("k")]: "old" });
    expect(await redis.append(key("k"), "new")).toBe(3);
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.ttl(key("k"))).toBe(-1);
  });

  it("INCR counts from 0, and INCRBYFLOAT from 0 too", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("int")]: "41", [key("float")]: "41" });
    expect(await redis.incr(key("int"))).toBe(1);
    expect(await redis.incrbyfloat(key("float"), "0.5")).toBe("0.5");
    expect(await redis.ttl(key("int"))).toBe(-1);
    expect(await redis.ttl(key("float"))).toBe(-1);
  });

  it("SETRANGE pads a new string with zero bytes", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("k")]: "hello" });
    expect(await redis.setrange(key("k"), 2, "ab")).toBe(4);
    expect(await redis.get(key("k"))).toBe("\0\0ab");
  });

  it("SET ... KEEPTTL keeps nothing: the old deadline went with the key", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("k")]: "old" });
    expect(await redis.set(key("k"), "new", "KEEPTTL")).toBe("OK");
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.ttl(key("k"))).toBe(-1);
  });
});

describe("commands that want a key absent find it absent", () => {
  it("SETNX and SET ... NX write, SET ... XX does not", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, {
      [key("a")]: "old",
      [key("b")]: "old",
      [key("c")]: "old",
    });
    expect(await redis.setnx(key("a"), "new")).toBe(1);
    expect(await redis.set(key("b"), "new", "NX")).toBe("OK");
    expect(await redis.set(key("c"), "new", "XX")).toBeNull();
    expect(await redis.mget(key("a"), key("b"), key("c"))).toEqual([
      "new",
      "new",
      null,
    ]);
  });

  it("MSETNX writes all its keys", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("a")]: "old" });
    expect(await redis.msetnx(key("a"), "1", key("b"), "2")).toBe(1);
    expect(await redis.mget(key("a"), key("b"))).toEqual(["1", "2"]);
  });

  it("RENAMENX onto an expired key renames", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("source"), "moved", "EX", LONG_TTL_S);
    await setAndLetExpire(redis, { [key("target")]: "old" });
    expect(await redis.renamenx(key("source"), key("target"))).toBe(1);
    expect(await redis.get(key("target"))).toBe("moved");
  });

  it("COPY onto an expired key copies, without REPLACE", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("source"), "copied");
    await setAndLetExpire(redis, { [key("target")]: "old" });
    expect(await redis.copy(key("source"), key("target"))).toBe(1);
    expect(await redis.get(key("target"))).toBe("copied");
    expect(await redis.ttl(key("target"))).toBe(-1);
  });
});

describe("commands that need a key do not find it", () => {
  it.each(["RENAME", "RENAMENX"])(
    "%s of an expired key: no such key",
    async (command) => {
      const redis = await client();
      const key = keysForThisTest();
      await setAndLetExpire(redis, { [key("old")]: "v" });
      expect(await errorOf(redis.call(command, key("old"), key("new")))).toBe(
        "ERR no such key",
      );
      expect(await redis.exists(key("new"))).toBe(0);
    },
  );

  it("COPY of an expired key answers 0 and makes nothing", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("source")]: "v" });
    expect(await redis.copy(key("source"), key("copy"))).toBe(0);
    expect(await redis.exists(key("copy"))).toBe(0);
  });

  it("DEL and UNLINK do not count it as deleted", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("a")]: "v", [key("b")]: "v" });
    expect(await redis.del(key("a"))).toBe(0);
    expect(await redis.unlink(key("b"))).toBe(0);
  });

  it("EXPIRE and PERSIST answer 0, and bring nothing back", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await setAndLetExpire(redis, { [key("a")]: "v", [key("b")]: "v" });
    expect(await redis.expire(key("a"), LONG_TTL_S)).toBe(0);
    expect(await redis.persist(key("b"))).toBe(0);
    expect(await redis.exists(key("a"), key("b"))).toBe(0);
  });
});
