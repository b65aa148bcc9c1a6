/**
 * Article step "node-redis": deadlines through node-redis 6, the official
 * Node client (npm's `redis`), as an application sets and reads them: SET's
 * `expiration` option object, EXPIRE and its options, TTL, PTTL, PERSIST,
 * GETEX, and keys that read as null once their time is up.
 *
 * Every expected value here is what redis-server 7.0.15 answers. No test
 * waits a fixed time for a key to go: a deadline already past goes at once
 * (PEXPIREAT in the past), and a short one is polled with a generous
 * limit, so a slow machine waits longer instead of failing. Keys are unique
 * to each test (keysForThisTest), as a shared Redis needs under REDIS_URL.
 */
import { describe, expect, it } from "vitest";
import { useServer, type NodeRedisClient } from "../../../shared/harness.ts";
import { keysForThisTest, pollUntil } from "./client-helpers.ts";

const server = useServer();

/** Far enough away that no test run reaches it: 1 January 2100, in ms. */
const YEAR_2100_MS = 4_102_444_800_000;

/** The server's wall clock (TIME), in milliseconds: deadlines are on it. */
async function serverNowMs(redis: NodeRedisClient): Promise<number> {
  const [seconds, microseconds] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(microseconds) / 1000);
}

describe("SET with an expiration", () => {
  it("EX sets a deadline in seconds: TTL counts down from it", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const [set, ttl, pttl] = await Promise.all([
      redis.set(key("a"), "v", { expiration: { type: "EX", value: 100 } }),
      redis.ttl(key("a")),
      redis.pTTL(key("a")),
    ]);
    expect(set).toBe("OK");
    expect(ttl).toBeGreaterThanOrEqual(99);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(pttl).toBeGreaterThan(99_000);
    expect(pttl).toBeLessThanOrEqual(100_000);
  });

  it("PX sets it in milliseconds, and the older { PX } form still works", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("new"), "v", {
      expiration: { type: "PX", value: 50_000 },
    });
    await redis.set(key("old"), "v", { PX: 50_000 });
    for (const name of ["new", "old"]) {
      const pttl = await redis.pTTL(key(name));
      expect(pttl).toBeGreaterThan(49_000);
      expect(pttl).toBeLessThanOrEqual(50_000);
    }
  });

  it("PXAT sets the deadline itself; KEEPTTL keeps it; a plain SET drops it", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "1", {
      expiration: { type: "PXAT", value: YEAR_2100_MS },
    });
    expect(await redis.pExpireTime(key("a"))).toBe(YEAR_2100_MS);
    expect(await redis.expireTime(key("a"))).toBe(YEAR_2100_MS / 1000);
    await redis.set(key("a"), "2", { expiration: "KEEPTTL" });
    expect(await redis.pExpireTime(key("a"))).toBe(YEAR_2100_MS);
    await redis.set(key("a"), "3");
    expect(await redis.pExpireTime(key("a"))).toBe(-1);
    expect(await redis.get(key("a"))).toBe("3");
  });

  it("an expiration that is not positive is refused with Redis's text", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await expect(
      redis.set(key("a"), "v", { expiration: { type: "EX", value: 0 } }),
    ).rejects.toThrow("ERR invalid expire time in 'set' command");
    expect(await redis.exists(key("a"))).toBe(0);
  });
});

describe("EXPIRE, TTL, PTTL and PERSIST", () => {
  it("TTL is -2 for a missing key and -1 for a key without a deadline", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "v");
    expect(await redis.ttl(key("missing"))).toBe(-2);
    expect(await redis.pTTL(key("missing"))).toBe(-2);
    expect(await redis.ttl(key("a"))).toBe(-1);
    expect(await redis.pTTL(key("a"))).toBe(-1);
  });

  it("EXPIRE answers 1 if it set a deadline, 0 for a missing key", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "v");
    expect(await redis.expire(key("a"), 100)).toBe(1);
    expect(await redis.expire(key("missing"), 100)).toBe(0);
    expect(await redis.ttl(key("a"))).toBeGreaterThanOrEqual(99);
    expect(await redis.pExpire(key("a"), 200_000)).toBe(1);
    expect(await redis.ttl(key("a"))).toBeGreaterThan(100);
  });

  it("EXPIRE's NX, XX, GT and LT decide whether the deadline moves", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "v");
    expect(await redis.expire(key("a"), 100, "XX")).toBe(0);
    expect(await redis.expire(key("a"), 100, "NX")).toBe(1);
    expect(await redis.expire(key("a"), 200, "NX")).toBe(0);
    expect(await redis.expire(key("a"), 50, "GT")).toBe(0);
    expect(await redis.expire(key("a"), 200, "GT")).toBe(1);
    expect(await redis.expire(key("a"), 300, "LT")).toBe(0);
    expect(await redis.expire(key("a"), 10, "LT")).toBe(1);
    expect(await redis.ttl(key("a"))).toBeLessThanOrEqual(10);
  });

  it("PERSIST removes the deadline: 1, then 0 when there is none", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "v", { expiration: { type: "EX", value: 100 } });
    expect(await redis.persist(key("a"))).toBe(1);
    expect(await redis.ttl(key("a"))).toBe(-1);
    expect(await redis.persist(key("a"))).toBe(0);
    expect(await redis.persist(key("missing"))).toBe(0);
  });
});

describe("GETEX", () => {
  it("answers the value and sets, moves or removes its deadline", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "v");
    expect(await redis.getEx(key("a"), { type: "EX", value: 100 })).toBe("v");
    expect(await redis.ttl(key("a"))).toBeGreaterThanOrEqual(99);
    expect(
      await redis.getEx(key("a"), { type: "PXAT", value: YEAR_2100_MS }),
    ).toBe("v");
    expect(await redis.pExpireTime(key("a"))).toBe(YEAR_2100_MS);
    expect(await redis.getEx(key("a"), { type: "PERSIST" })).toBe("v");
    expect(await redis.ttl(key("a"))).toBe(-1);
    expect(
      await redis.getEx(key("missing"), { type: "EX", value: 1 }),
    ).toBeNull();
  });
});

describe("expired keys", () => {
  it("a deadline already past deletes the key at once: it reads as null", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.mSet({ [key("gone")]: "1", [key("kept")]: "2" });
    const past = (await serverNowMs(redis)) - 1_000;
    expect(await redis.pExpireAt(key("gone"), past)).toBe(1);
    expect(await redis.get(key("gone"))).toBeNull();
    expect(await redis.mGet([key("gone"), key("kept")])).toEqual([null, "2"]);
    expect(await redis.exists(key("gone"))).toBe(0);
    expect(await redis.ttl(key("gone"))).toBe(-2);
    expect(await redis.getEx(key("gone"), { type: "PERSIST" })).toBeNull();
  });

  it("a key set with a short PX reads as null once its time is up", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("brief"), "v", {
      expiration: { type: "PX", value: 100 },
    });
    await redis.set(key("kept"), "v", {
      expiration: { type: "EX", value: 1_000 },
    });
    await pollUntil(() => redis.get(key("brief")), null, "the key to expire");
    expect(await redis.mGet([key("brief"), key("kept")])).toEqual([null, "v"]);
    expect(await redis.pTTL(key("brief"))).toBe(-2);
  });

  it("scanIterator does not list keys whose deadline has passed", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const kept = Array.from({ length: 5 }, (_, i) => key(`kept${i}`));
    const expired = Array.from({ length: 5 }, (_, i) => key(`expired${i}`));
    for (const name of kept) await redis.set(name, "v");
    for (const name of expired)
      await redis.set(name, "v", { expiration: { type: "PX", value: 1 } });
    // Wait on the server's clock, never on the keys: looking a key up would
    // delete it, and SCAN would have nothing left to skip.
    const deadline = (await serverNowMs(redis)) + 2;
    await pollUntil(
      async () => (await serverNowMs(redis)) > deadline,
      true,
      "the server's clock to pass the deadlines",
    );
    const listed: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: key("*") }))
      listed.push(...batch);
    expect(listed.sort()).toEqual([...kept].sort());
  });
});
