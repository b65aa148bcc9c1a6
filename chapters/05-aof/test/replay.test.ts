/**
 * Article step "replay": what was written comes back after a restart.
 *
 * Every command of this chapter that writes gets a round trip: write,
 * stop the server gracefully, start it again on the same data folder, and
 * compare the whole keyspace (every database, every key's value, its
 * PEXPIRETIME and PTTL) with what it was before the stop. Deadlines must
 * come back to the millisecond: a command that computed one from the
 * clock (`EXPIRE k 100`) must not be replayed as the recipe, or every
 * restart would give the key another 100 seconds. And keys that expired
 * before the stop must not come back after it.
 *
 * Then what a SET with a time is logged as, read in both servers' files
 * (ours, and Redis 7's incremental file). Then, for our server only, what
 * the file holds: nothing for a write that changed nothing, the result
 * rather than the recipe for commands that read the clock, a SELECT only
 * when the database changes, and a DEL for a key the server expired. Redis 7 writes a multi-part AOF (a folder
 * with a base file, incremental files and a manifest) where ours is one
 * file, like Redis 6's: those tests read our file, so they are skipped
 * under REDIS_URL. (Where Redis 7.0 logs the same thing, the comments say
 * so: it was checked by reading its incremental file.)
 *
 * Every test starts a server of its own on a fresh folder (see
 * persistence-helpers.ts): in-process for ours, a throwaway redis-server
 * under `npm run test:redis`.
 */
import { describe, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { itInProcess } from "../../../shared/harness.ts";
import {
  infoNumber,
  keysForThisTest,
  pollUntil,
  serverTimeMs,
  sleep,
} from "./client-helpers.ts";
import {
  aofBytes,
  aofCommand,
  aofSize,
  differences,
  itRestarts,
  keyIn,
  snapshotKeyspace,
  startRestartableServer,
  type KeyState,
  type RestartableServer,
} from "./persistence-helpers.ts";
import { ManualClock } from "./manual-clock.ts";

/** 2100-01-01T00:00:00Z in seconds: a deadline no test run will reach. */
const YEAR_2100 = 4_102_444_800;
/** The same moment in milliseconds, plus a few, to see that none are lost. */
const YEAR_2100_MS = YEAR_2100 * 1000 + 123;

/**
 * Restarts the server and expects every key of every database back as it
 * was: the same value, the same PEXPIRETIME, a PTTL no longer than before.
 * Returns the keyspace as it came back.
 */
async function expectSameAfterRestart(
  server: RestartableServer,
): Promise<Map<string, KeyState>> {
  const before = await snapshotKeyspace(server);
  expect(before.size, "keys written before the restart").toBeGreaterThan(0);
  await server.restart();
  const after = await snapshotKeyspace(server);
  const changed = differences(before, after);
  const first = changed[0] ?? "";
  expect(changed, `keys the restart changed, first ${first}`).toEqual([]);
  return after;
}

/** A fresh server (appendonly yes, empty folder) and a client on database 0. */
async function freshServer(): Promise<{
  server: RestartableServer;
  redis: Redis;
}> {
  const server = await startRestartableServer();
  return { server, redis: await server.client() };
}

describe("every write comes back after a restart", () => {
  itRestarts("SET, with NX, XX and GET", async () => {
    const { server, redis } = await freshServer();
    const key = keysForThisTest();
    expect(await redis.set(key("plain"), "v1")).toBe("OK");
    expect(await redis.set(key("nx"), "first", "NX")).toBe("OK");
    expect(await redis.set(key("nx"), "second", "NX")).toBe(null);
    expect(await redis.set(key("xx-missing"), "v", "XX")).toBe(null);
    expect(await redis.set(key("plain"), "v2", "XX")).toBe("OK");
    expect(await redis.set(key("plain"), "v3", "GET")).toBe("v2");
    expect(await redis.set(key("nx-get"), "new", "NX", "GET")).toBe(null);
    await expectSameAfterRestart(server);
    const redisAgain = await server.client();
    expect(
      await redisAgain.mget(
        key("plain"),
        key("nx"),
        key("xx-missing"),
        key("nx-get"),
      ),
    ).toEqual(["v3", "first", null, "new"]);
  });

  itRestarts(
    "SET with EX, PX, EXAT, PXAT and KEEPTTL: deadlines to the millisecond",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      await redis.set(key("ex"), "1", "EX", 1000);
      await redis.set(key("px"), "2", "PX", 1_000_000);
      await redis.set(key("exat"), "3", "EXAT", YEAR_2100);
      await redis.set(key("pxat"), "4", "PXAT", YEAR_2100_MS);
      await redis.set(key("keepttl"), "old", "EX", 1000);
      await redis.set(key("keepttl"), "new", "KEEPTTL");
      // A SET without an option starts the key anew, without a deadline.
      await redis.set(key("dropped"), "old", "EX", 1000);
      await redis.set(key("dropped"), "new");
      // With NX or XX and GET, and a deadline.
      await redis.set(key("xx"), "a");
      expect(
        await redis.call("SET", key("xx"), "b", "XX", "GET", "PX", "500000"),
      ).toBe("a");
      const after = await expectSameAfterRestart(server);
      const state = (name: string) => after.get(keyIn(0, key(name)));
      expect(state("exat")?.pexpiretime).toBe(YEAR_2100 * 1000);
      expect(state("pxat")?.pexpiretime).toBe(YEAR_2100_MS);
      expect(state("keepttl")).toMatchObject({ value: "new" });
      expect(state("keepttl")?.pexpiretime).toBeGreaterThan(0);
      expect(state("dropped")).toMatchObject({ value: "new", pexpiretime: -1 });
      expect(state("xx")?.value).toBe("b");
    },
  );

  itRestarts("SETEX, PSETEX, SETNX and GETSET", async () => {
    const { server, redis } = await freshServer();
    const key = keysForThisTest();
    expect(await redis.setex(key("setex"), 1000, "s")).toBe("OK");
    expect(await redis.psetex(key("psetex"), 1_000_000, "p")).toBe("OK");
    expect(await redis.setnx(key("setnx"), "first")).toBe(1);
    expect(await redis.setnx(key("setnx"), "second")).toBe(0);
    // GETSET replaces the value: the deadline goes.
    await redis.set(key("getset"), "old", "EX", 1000);
    expect(await redis.getset(key("getset"), "new")).toBe("old");
    expect(await redis.getset(key("getset-new"), "v")).toBe(null);
    const after = await expectSameAfterRestart(server);
    expect(after.get(keyIn(0, key("getset")))).toMatchObject({
      value: "new",
      pexpiretime: -1,
    });
    expect(after.get(keyIn(0, key("setex")))?.pexpiretime).toBeGreaterThan(0);
  });

  itRestarts(
    "GETDEL, and GETEX with EX, PX, EXAT, PXAT, PERSIST and no option",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const names = ["getdel", "ex", "px", "exat", "pxat", "persist", "plain"];
      for (const name of names) await redis.set(key(name), name, "EX", 1000);
      expect(await redis.getdel(key("getdel"))).toBe("getdel");
      expect(await redis.getdel(key("missing"))).toBe(null);
      expect(await redis.getex(key("ex"), "EX", 5000)).toBe("ex");
      expect(await redis.getex(key("px"), "PX", 5_000_000)).toBe("px");
      expect(await redis.getex(key("exat"), "EXAT", YEAR_2100)).toBe("exat");
      expect(await redis.getex(key("pxat"), "PXAT", YEAR_2100_MS)).toBe("pxat");
      expect(await redis.getex(key("persist"), "PERSIST")).toBe("persist");
      expect(await redis.getex(key("plain"))).toBe("plain");
      const after = await expectSameAfterRestart(server);
      const state = (name: string) => after.get(keyIn(0, key(name)));
      expect(state("getdel")).toBeUndefined();
      expect(state("exat")?.pexpiretime).toBe(YEAR_2100 * 1000);
      expect(state("pxat")?.pexpiretime).toBe(YEAR_2100_MS);
      expect(state("persist")?.pexpiretime).toBe(-1);
      expect(state("px")?.pttl).toBeGreaterThan(1_000_000);
    },
  );

  itRestarts("MSET and MSETNX", async () => {
    const { server, redis } = await freshServer();
    const key = keysForThisTest();
    expect(await redis.mset(key("a"), "1", key("b"), "2", key("a"), "3")).toBe(
      "OK",
    );
    // All or nothing: one existing key, and none is set.
    expect(await redis.msetnx(key("b"), "x", key("c"), "x")).toBe(0);
    expect(await redis.msetnx(key("c"), "4", key("d"), "5")).toBe(1);
    await expectSameAfterRestart(server);
    const redisAgain = await server.client();
    expect(
      await redisAgain.mget(key("a"), key("b"), key("c"), key("d")),
    ).toEqual(["3", "2", "4", "5"]);
  });

  itRestarts(
    "APPEND and SETRANGE, which keep the deadline, and pad with zero bytes",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      expect(await redis.append(key("new"), "abc")).toBe(3);
      await redis.set(key("volatile"), "hello", "EX", 1000);
      expect(await redis.append(key("volatile"), " world")).toBe(11);
      expect(await redis.setrange(key("padded"), 5, "x")).toBe(6);
      await redis.set(key("range"), "Hello World", "PX", 2_000_000);
      expect(await redis.setrange(key("range"), 6, "Redis")).toBe(11);
      const after = await expectSameAfterRestart(server);
      const state = (name: string) => after.get(keyIn(0, key(name)));
      expect(state("padded")?.value).toBe("\0\0\0\0\0x");
      expect(state("volatile")?.value).toBe("hello world");
      expect(state("volatile")?.pexpiretime).toBeGreaterThan(0);
      expect(state("range")?.value).toBe("Hello Redis");
    },
  );

  itRestarts(
    "INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT, which keep the deadline",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      for (let i = 0; i < 5; i++) await redis.incr(key("incr"));
      await redis.decr(key("decr"));
      await redis.incrby(key("incrby"), "9223372036854775806");
      await redis.decrby(key("decrby"), 40);
      await redis.set(key("volatile"), "10", "EX", 1000);
      await redis.incrby(key("volatile"), 5);
      await redis.set(key("float"), "10.5", "PX", 3_000_000);
      expect(await redis.incrbyfloat(key("float"), "0.1")).toBe("10.6");
      expect(await redis.incrbyfloat(key("exp"), "3.0e3")).toBe("3000");
      expect(await redis.incrbyfloat(key("tiny"), "0.1")).toBe("0.1");
      expect(await redis.incrbyfloat(key("tiny"), "0.2")).toBe("0.3");
      const after = await expectSameAfterRestart(server);
      const state = (name: string) => after.get(keyIn(0, key(name)));
      expect(state("incr")?.value).toBe("5");
      expect(state("incrby")?.value).toBe("9223372036854775806");
      expect(state("volatile")?.value).toBe("15");
      expect(state("volatile")?.pexpiretime).toBeGreaterThan(0);
      expect(state("float")?.value).toBe("10.6");
      expect(state("float")?.pexpiretime).toBeGreaterThan(0);
    },
  );

  itRestarts(
    "DEL and UNLINK, of keys that exist and keys that do not",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      await redis.mset(
        key("a"),
        "1",
        key("b"),
        "2",
        key("c"),
        "3",
        key("d"),
        "4",
      );
      await redis.set(key("volatile"), "5", "EX", 1000);
      expect(await redis.del(key("a"), key("missing"), key("volatile"))).toBe(
        2,
      );
      expect(await redis.unlink(key("b"), key("missing"))).toBe(1);
      expect(await redis.del(key("missing"))).toBe(0);
      const after = await expectSameAfterRestart(server);
      expect([...after.keys()]).toEqual(
        expect.arrayContaining([keyIn(0, key("c")), keyIn(0, key("d"))]),
      );
      expect(after.size).toBe(2);
    },
  );

  itRestarts(
    "RENAME and RENAMENX: the value and its deadline move",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      await redis.set(key("src"), "v", "PX", 4_000_000);
      await redis.set(key("target"), "overwritten", "EX", 20);
      expect(await redis.rename(key("src"), key("target"))).toBe("OK");
      await redis.set(key("plain"), "p");
      // Renamed over a key with a deadline: the target takes the source's (none).
      await redis.set(key("volatile-target"), "t", "EX", 1000);
      expect(await redis.rename(key("plain"), key("volatile-target"))).toBe(
        "OK",
      );
      await redis.set(key("nx-src"), "n", "EXAT", YEAR_2100);
      expect(await redis.renamenx(key("nx-src"), key("target"))).toBe(0);
      expect(await redis.renamenx(key("nx-src"), key("nx-target"))).toBe(1);
      // A key renamed to itself stays.
      expect(await redis.rename(key("nx-target"), key("nx-target"))).toBe("OK");
      const after = await expectSameAfterRestart(server);
      const state = (name: string) => after.get(keyIn(0, key(name)));
      expect(state("src")).toBeUndefined();
      expect(state("target")?.value).toBe("v");
      expect(state("target")?.pttl).toBeGreaterThan(3_000_000);
      expect(state("volatile-target")).toMatchObject({
        value: "p",
        pexpiretime: -1,
      });
      expect(state("nx-target")?.pexpiretime).toBe(YEAR_2100 * 1000);
    },
  );

  itRestarts("COPY, within a database, with DB, and with REPLACE", async () => {
    const { server, redis } = await freshServer();
    const key = keysForThisTest();
    const seven = await server.client({ db: 7 });
    await redis.set(key("src"), "value", "PXAT", YEAR_2100_MS);
    await redis.set(key("taken"), "old");
    await seven.set(key("taken in 7"), "old");
    expect(await redis.copy(key("src"), key("copy"))).toBe(1);
    expect(await redis.copy(key("src"), key("taken"))).toBe(0);
    expect(await redis.copy(key("src"), key("taken"), "REPLACE")).toBe(1);
    expect(await redis.copy(key("src"), key("elsewhere"), "DB", 7)).toBe(1);
    expect(await redis.copy(key("src"), key("taken in 7"), "DB", 7)).toBe(0);
    expect(
      await redis.copy(key("src"), key("taken in 7"), "DB", 7, "REPLACE"),
    ).toBe(1);
    expect(await redis.copy(key("missing"), key("nothing"))).toBe(0);
    const after = await expectSameAfterRestart(server);
    const copies: [number, string][] = [
      [0, "copy"],
      [0, "taken"],
      [7, "elsewhere"],
      [7, "taken in 7"],
    ];
    for (const [db, name] of copies) {
      expect(after.get(keyIn(db, key(name))), `${db} ${name}`).toEqual({
        value: "value",
        pexpiretime: YEAR_2100_MS,
        pttl: expect.any(Number),
      });
    }
    expect(after.size).toBe(5);
  });

  itRestarts(
    "EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT, with NX, XX, GT and LT, and PERSIST",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const names = ["e", "pe", "ea", "pea", "nx", "xx", "gt", "lt", "persist"];
      for (const name of names) await redis.set(key(name), name);
      expect(await redis.expire(key("e"), 1000)).toBe(1);
      expect(await redis.pexpire(key("pe"), 2_000_000)).toBe(1);
      expect(await redis.expireat(key("ea"), YEAR_2100)).toBe(1);
      expect(await redis.pexpireat(key("pea"), YEAR_2100_MS)).toBe(1);
      expect(await redis.expire(key("nx"), 1000, "NX")).toBe(1);
      expect(await redis.expire(key("nx"), 2000, "NX")).toBe(0);
      expect(await redis.expire(key("xx"), 1000, "XX")).toBe(0);
      await redis.expire(key("xx"), 1000);
      expect(await redis.pexpire(key("xx"), 3_000_000, "XX")).toBe(1);
      await redis.expire(key("gt"), 1000);
      expect(await redis.expire(key("gt"), 500, "GT")).toBe(0);
      expect(await redis.expire(key("gt"), 3000, "GT")).toBe(1);
      await redis.expire(key("lt"), 3000);
      expect(await redis.expire(key("lt"), 5000, "LT")).toBe(0);
      expect(await redis.pexpireat(key("lt"), Date.now() + 900_000, "LT")).toBe(
        1,
      );
      await redis.expire(key("persist"), 1000);
      expect(await redis.persist(key("persist"))).toBe(1);
      expect(await redis.persist(key("persist"))).toBe(0);
      const after = await expectSameAfterRestart(server);
      const state = (name: string) => after.get(keyIn(0, key(name)));
      expect(state("ea")?.pexpiretime).toBe(YEAR_2100 * 1000);
      expect(state("pea")?.pexpiretime).toBe(YEAR_2100_MS);
      expect(state("nx")?.pttl).toBeLessThanOrEqual(1_000_000);
      expect(state("xx")?.pttl).toBeGreaterThan(2_000_000);
      expect(state("gt")?.pttl).toBeGreaterThan(2_000_000);
      expect(state("lt")?.pttl).toBeLessThanOrEqual(900_000);
      expect(state("persist")?.pexpiretime).toBe(-1);
    },
  );

  itRestarts(
    "deadlines beyond 2^53 ms come back exact, after a replay and after a rewrite",
    async () => {
      const server = await startRestartableServer();
      // Integers as strings: a JavaScript number would round these.
      const options = { stringNumbers: true };
      const redis = await server.client(options);
      const key = keysForThisTest();
      for (const name of ["pexpireat", "pxat", "expireat", "getex"]) {
        await redis.set(key(name), name);
      }
      const wanted: Record<string, string> = {
        pexpireat: "9223372036854775807",
        pxat: "9223372036854775807",
        expireat: "9223372036854775000",
        getex: "9007199254740993",
      };
      await redis.call("PEXPIREAT", key("pexpireat"), "9223372036854775807");
      await redis.call(
        "SET",
        key("pxat"),
        "pxat",
        "PXAT",
        "9223372036854775807",
      );
      await redis.call("EXPIREAT", key("expireat"), "9223372036854775");
      await redis.call("GETEX", key("getex"), "PXAT", "9007199254740993");
      const deadlines = async (client: Redis) => {
        const found: Record<string, unknown> = {};
        for (const name of Object.keys(wanted)) {
          found[name] = await client.call("PEXPIRETIME", key(name));
        }
        return found;
      };
      expect(await deadlines(redis)).toEqual(wanted);
      await server.restart();
      const replayed = await server.client(options);
      expect(await deadlines(replayed)).toEqual(wanted);
      const rewrites = await infoNumber(
        replayed,
        "persistence",
        "aof_rewrites",
      );
      await replayed.bgrewriteaof();
      await pollUntil(
        async () =>
          (await infoNumber(
            replayed,
            "persistence",
            "aof_rewrite_in_progress",
          )) === 0 &&
          (await infoNumber(replayed, "persistence", "aof_rewrites")) >
            rewrites,
        true,
        "the rewrite to finish",
      );
      await server.restart();
      expect(await deadlines(await server.client(options))).toEqual(wanted);
    },
  );

  itRestarts(
    "a deadline already past deletes the key, and it stays deleted",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const names = ["expire", "pexpire", "expireat", "pexpireat", "getex"];
      for (const name of names) await redis.set(key(name), name);
      await redis.set(key("kept"), "kept");
      expect(await redis.expire(key("expire"), -1)).toBe(1);
      expect(await redis.pexpire(key("pexpire"), 0)).toBe(1);
      expect(await redis.expireat(key("expireat"), 1)).toBe(1);
      expect(await redis.pexpireat(key("pexpireat"), 1000)).toBe(1);
      expect(await redis.getex(key("getex"), "EXAT", 1)).toBe("getex");
      // Stored with its past deadline, as Redis 7.0 stores it: gone at the first look.
      expect(await redis.set(key("set-pxat"), "v", "PXAT", 1000)).toBe("OK");
      await server.restart();
      const redisAgain = await server.client();
      expect(await redisAgain.exists(...names.map(key), key("set-pxat"))).toBe(
        0,
      );
      expect(await redisAgain.get(key("kept"))).toBe("kept");
      expect(await redisAgain.dbsize()).toBe(1);
    },
  );

  itRestarts(
    "keys that expired before the restart stay gone, untouched or not",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      // Relative deadlines, which a replay of the recipe would start again.
      const ttlMs = 200;
      await redis.set(key("set-px"), "1", "PX", ttlMs);
      await redis.psetex(key("psetex"), ttlMs, "2");
      await redis.set(key("pexpire"), "3");
      await redis.pexpire(key("pexpire"), ttlMs);
      await redis.set(key("getex"), "4");
      await redis.getex(key("getex"), "PX", ttlMs);
      await redis.set(key("kept"), "5");
      const latest = Math.max(
        ...(await Promise.all(
          ["set-px", "psetex", "pexpire", "getex"].map((name) =>
            redis.pexpiretime(key(name)),
          ),
        )),
      );
      // Wait on the server's clock, without touching the keys: nothing
      // deletes them but the active cycle, if it gets there first.
      await pollUntil(
        async () => (await serverTimeMs(redis)) > latest,
        true,
        "the server's clock passing the deadlines",
      );
      await server.restart();
      const redisAgain = await server.client();
      for (const name of ["set-px", "psetex", "pexpire", "getex"]) {
        expect(await redisAgain.exists(key(name)), name).toBe(0);
        expect(await redisAgain.get(key(name)), name).toBe(null);
      }
      expect(await redisAgain.get(key("kept"))).toBe("5");
    },
  );

  itRestarts(
    "TTLs survive a restart without growing: PEXPIRETIME is the same, PTTL no longer",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      await redis.set(key("ex"), "1", "EX", 100);
      await redis.set(key("px"), "2", "PX", 100_000);
      await redis.setex(key("setex"), 100, "3");
      await redis.psetex(key("psetex"), 100_000, "4");
      await redis.set(key("expire"), "5");
      await redis.expire(key("expire"), 100);
      await redis.set(key("getex"), "6");
      await redis.getex(key("getex"), "EX", 100);
      const before = await snapshotKeyspace(server);
      await server.restart();
      const after = await snapshotKeyspace(server);
      expect(after.size).toBe(6);
      for (const [name, was] of before) {
        const now = after.get(name)!;
        expect(now.pexpiretime, name).toBe(was.pexpiretime);
        expect(now.pttl, name).toBeLessThanOrEqual(was.pttl!);
        expect(now.pttl, name).toBeGreaterThan(0);
      }
    },
  );

  itRestarts(
    "FLUSHDB empties one database; later writes come back",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const two = await server.client({ db: 2 });
      await redis.set(key("kept"), "0");
      await two.set(key("flushed"), "2", "EX", 1000);
      await two.set(key("flushed-too"), "2");
      expect(await two.flushdb()).toBe("OK");
      await two.set(key("after"), "written after FLUSHDB");
      const after = await expectSameAfterRestart(server);
      expect([...after.keys()].sort()).toEqual(
        [keyIn(0, key("kept")), keyIn(2, key("after"))].sort(),
      );
    },
  );

  itRestarts(
    "FLUSHALL empties every database; later writes come back",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const five = await server.client({ db: 5 });
      await redis.set(key("a"), "1");
      await five.set(key("b"), "2", "EX", 1000);
      expect(await redis.flushall()).toBe("OK");
      await five.set(key("c"), "3");
      await redis.set(key("d"), "4", "EX", 1000);
      const after = await expectSameAfterRestart(server);
      expect([...after.keys()].sort()).toEqual(
        [keyIn(0, key("d")), keyIn(5, key("c"))].sort(),
      );
    },
  );

  itRestarts(
    "SWAPDB moves keys and deadlines; later writes land where they were sent",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const one = await server.client({ db: 1 });
      await redis.set(key("from0"), "zero", "EX", 1000);
      await one.set(key("from1"), "one");
      expect(await redis.swapdb(0, 1)).toBe("OK");
      // Each client still sees its own number: the data moved under it.
      await redis.set(key("in0"), "after");
      await one.incr(key("in1"));
      // With a database nobody used yet.
      expect(await redis.swapdb(1, 9)).toBe("OK");
      const after = await expectSameAfterRestart(server);
      expect([...after.keys()].sort()).toEqual(
        [
          keyIn(0, key("from1")),
          keyIn(0, key("in0")),
          keyIn(9, key("from0")),
          keyIn(9, key("in1")),
        ].sort(),
      );
      expect(after.get(keyIn(9, key("from0")))?.pexpiretime).toBeGreaterThan(0);
    },
  );

  itRestarts(
    "writes in several databases, from clients that SELECT back and forth",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      const other = await server.client({ db: 15 });
      for (let round = 0; round < 3; round++) {
        for (const db of [3, 0, 3, 12]) {
          await redis.select(db);
          await redis.incr(key("counter"));
          await redis.append(key("log"), `${db},`);
          await other.incr(key("counter"));
        }
      }
      await redis.select(12);
      await redis.expire(key("log"), 1000);
      const after = await expectSameAfterRestart(server);
      const state = (db: number, name: string) =>
        after.get(keyIn(db, key(name)));
      expect(state(3, "counter")?.value).toBe("6");
      expect(state(0, "counter")?.value).toBe("3");
      expect(state(12, "log")?.value).toBe("12,12,12,");
      expect(state(15, "counter")?.value).toBe("12");
    },
  );

  itRestarts(
    "binary keys and values: CR LF, NUL, high bytes, RESP look-alikes, empty",
    async () => {
      const { server, redis } = await freshServer();
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const pairs: [Buffer, Buffer][] = [
        [Buffer.from("key\r\nwith CRLF"), Buffer.from("value\r\n\r\n")],
        [Buffer.from("nul\0key"), Buffer.from("\0\0\0")],
        [Buffer.from([0xff, 0xfe, 0x80]), everyByte],
        [Buffer.from("resp"), Buffer.from("*1\r\n$4\r\nPING\r\n")],
        [Buffer.from("*2\r\n$3\r\nDEL\r\n"), Buffer.from("$-1\r\n")],
        [Buffer.from("empty value"), Buffer.alloc(0)],
        [Buffer.alloc(0), Buffer.from("the empty key")],
        [Buffer.from("big"), Buffer.alloc(1024 * 1024, "x\r\n\0")],
      ];
      for (const [key, value] of pairs) await redis.set(key, value);
      await redis.append(Buffer.from("nul\0key"), Buffer.from("\r\n"));
      await redis.set(Buffer.from("volatile\0"), Buffer.from("\n"), "EX", 1000);
      await redis.rename(Buffer.from("resp"), Buffer.from("resp\r\n"));
      const after = await expectSameAfterRestart(server);
      expect(after.size).toBe(pairs.length + 1);
      const redisAgain = await server.client();
      expect(
        await redisAgain.getBuffer(Buffer.from([0xff, 0xfe, 0x80])),
      ).toEqual(everyByte);
      expect(await redisAgain.getBuffer(Buffer.from("empty value"))).toEqual(
        Buffer.alloc(0),
      );
    },
  );

  itRestarts(
    "restart after restart: the loaded file goes on growing, in the right databases",
    async () => {
      const server = await startRestartableServer();
      const key = keysForThisTest();
      const six = await server.client({ db: 6 });
      await six.set(key("first"), "1");
      await server.restart();
      // The file's last SELECT was 6; this write is in database 0.
      await (await server.client()).set(key("second"), "2");
      await server.restart();
      await (await server.client({ db: 6 })).incr(key("first"));
      const after = await expectSameAfterRestart(server);
      expect(after.get(keyIn(6, key("first")))?.value).toBe("2");
      expect(after.get(keyIn(0, key("second")))?.value).toBe("2");
    },
  );

  itRestarts.each(["always", "everysec", "no"])(
    "with appendfsync %s, a graceful stop loses nothing",
    async (policy) => {
      const server = await startRestartableServer({ appendfsync: policy });
      const redis = await server.client();
      const key = keysForThisTest();
      const pipeline = redis.pipeline();
      for (let i = 0; i < 500; i++) pipeline.set(key(String(i)), String(i));
      pipeline.incr(key("counter"));
      await pipeline.exec();
      const after = await expectSameAfterRestart(server);
      expect(after.size).toBe(501);
    },
  );
});

// The file is replayed later than its commands ran. `SET k 1 PXAT T` then
// `INCR k`, written before T and replayed after it, must rebuild k as it
// was, 2 with its deadline, which then counts: k is gone. A replay that
// let k expire halfway would have INCR start a new k, at 1 and immortal.
// Likewise `PEXPIREAT k T` then `PERSIST k` must leave k, with no deadline,
// where deleting k at once for a past T would lose it.
describe("nothing expires while the file is replayed", () => {
  itRestarts(
    "keys whose deadline passed while the server was down replay as they were written",
    async () => {
      const { server, redis } = await freshServer();
      const key = keysForThisTest();
      await redis.set(key("counter"), "1", "PX", 2000);
      expect(await redis.incr(key("counter"))).toBe(2);
      await redis.set(key("appended"), "a", "PX", 2000);
      expect(await redis.append(key("appended"), "b")).toBe(2);
      await redis.set(key("persisted"), "v");
      expect(await redis.pexpire(key("persisted"), 2000)).toBe(1);
      expect(await redis.persist(key("persisted"))).toBe(1);
      const deadline = Math.max(
        await redis.pexpiretime(key("counter")),
        await redis.pexpiretime(key("appended")),
      );
      // Stopped before the deadline, so no cycle deleted anything and the
      // file holds the writes alone; started again once it has passed.
      expect(deadline).toBeGreaterThan(await serverTimeMs(redis));
      await server.stop();
      await sleep(deadline - Date.now() + 50);
      await server.restart();

      const replayed = await server.client();
      expect(await replayed.get(key("counter"))).toBeNull();
      expect(await replayed.get(key("appended"))).toBeNull();
      expect(await replayed.get(key("persisted"))).toBe("v");
      expect(await replayed.pttl(key("persisted"))).toBe(-1);
      expect(await replayed.dbsize()).toBe(1);
    },
  );
});

// Read in both servers' files: ours, and Redis 7's incremental file (the
// manifest's `type i` entry), with appendfsync always so that every reply
// comes after the write.
describe("a SET is logged without GET; with a time, as SET key value PXAT without NX or XX", () => {
  /** The file the server appends its writes to now. */
  function appendedFile(server: RestartableServer): string {
    if (server.kind === "ours") return server.aofPath;
    const folder = join(server.dir, "appendonlydir");
    const manifest = readFileSync(
      join(folder, "appendonly.aof.manifest"),
      "latin1",
    );
    const incremental = /^file (\S+) seq \d+ type i$/m.exec(manifest);
    if (incremental === null)
      throw new Error(`no incremental file in:\n${manifest}`);
    return join(folder, incremental[1]!);
  }

  const cases: {
    command: string[];
    /** Run first, on the key "k". */
    setup?: string[];
    /** The deadline logged, given the key's PEXPIRETIME after the command. */
    logged: (deadline: number) => number;
  }[] = [
    { command: ["SET", "k", "v", "EX", "100", "NX"], logged: (d) => d },
    {
      command: ["SET", "k", "v", "PX", "100000", "XX", "GET"],
      setup: ["SET", "k", "old"],
      logged: (d) => d,
    },
    {
      command: ["SET", "k", "v", "EXAT", String(YEAR_2100), "NX", "GET"],
      logged: () => YEAR_2100 * 1000,
    },
    // Redis 7.0 rewrites the command even when the time was PXAT already.
    {
      command: ["SET", "k", "v", "PXAT", String(YEAR_2100_MS), "NX"],
      logged: () => YEAR_2100_MS,
    },
    {
      command: ["SET", "k", "v", "GET", "XX", "PXAT", String(YEAR_2100_MS)],
      setup: ["SET", "k", "old"],
      logged: () => YEAR_2100_MS,
    },
  ];

  for (const { command, setup, logged } of cases) {
    itRestarts(
      `${command.join(" ")} is logged as SET k v PXAT <deadline>`,
      async () => {
        const server = await startRestartableServer({ appendfsync: "always" });
        const redis = await server.client();
        // The first write of a fresh file SELECTs database 0; not ours to check here.
        await redis.call("SET", "unrelated", "x");
        if (setup !== undefined) await redis.call(...(setup as [string]));
        const path = appendedFile(server);
        const from = readFileSync(path).length;
        await redis.call(...(command as [string]));
        const bytes = readFileSync(path).subarray(from);
        const deadline = logged(await redis.pexpiretime("k"));
        expect(bytes.toString("latin1")).toBe(
          aofCommand("SET", "k", "v", "PXAT", String(deadline)).toString(
            "latin1",
          ),
        );
      },
    );
  }

  // Without a time, Redis 7.0 logs the command as sent, minus every GET:
  // the old value was the reply's business, not the data's.
  const withoutTime: { command: string[]; logged: string[] }[] = [
    { command: ["set", "k", "v2", "GET"], logged: ["set", "k", "v2"] },
    {
      command: ["SET", "k", "v3", "get", "KEEPTTL"],
      logged: ["SET", "k", "v3", "KEEPTTL"],
    },
    {
      command: ["SET", "k", "v4", "GET", "XX", "GET"],
      logged: ["SET", "k", "v4", "XX"],
    },
  ];
  for (const { command, logged } of withoutTime) {
    itRestarts(
      `${command.join(" ")} is logged as ${logged.join(" ")}`,
      async () => {
        const server = await startRestartableServer({ appendfsync: "always" });
        const redis = await server.client();
        await redis.call("SET", "k", "old");
        const path = appendedFile(server);
        const from = readFileSync(path).length;
        await redis.call(...(command as [string]));
        const bytes = readFileSync(path).subarray(from);
        expect(bytes.toString("latin1")).toBe(
          aofCommand(...logged).toString("latin1"),
        );
      },
    );
  }
});

// Redis 7 writes a multi-part AOF (base, incremental files, manifest);
// ours is one file, as in Redis 6. These tests read our file's bytes.
describe("what goes into our file", () => {
  /** Runs `write` and answers the bytes it appended to our AOF. */
  async function bytesLoggedBy(
    server: RestartableServer,
    write: () => Promise<unknown>,
  ): Promise<Buffer> {
    const from = aofSize(server);
    await write();
    return aofBytes(server).subarray(from);
  }

  itInProcess("a write that changed nothing is not logged", async () => {
    const { server, redis } = await freshServer();
    await redis.set("k", "v");
    await redis.set("volatile", "v", "EX", 1000);
    await redis.set("other", "o");
    // Each of these was checked against Redis 7.0: nothing in its file.
    const noOps: [string, ...string[]][] = [
      ["DEL", "missing"],
      ["UNLINK", "missing"],
      ["SET", "k", "new", "NX"],
      ["SET", "missing", "new", "XX"],
      ["SETNX", "k", "new"],
      ["MSETNX", "k", "new", "missing", "new"],
      ["GETDEL", "missing"],
      ["GETEX", "k"],
      ["GETEX", "k", "PERSIST"],
      ["EXPIRE", "volatile", "5000", "NX"],
      ["EXPIRE", "k", "5000", "XX"],
      ["EXPIRE", "volatile", "5000", "LT"],
      ["EXPIRE", "missing", "100"],
      ["PEXPIREAT", "missing", "1"],
      ["PERSIST", "k"],
      ["RENAMENX", "k", "other"],
      ["COPY", "k", "other"],
      ["COPY", "missing", "new"],
    ];
    for (const command of noOps) {
      const logged = await bytesLoggedBy(server, () => redis.call(...command));
      expect(logged.toString("latin1"), command.join(" ")).toBe("");
    }
    // While a write that did change something is.
    const logged = await bytesLoggedBy(server, () =>
      redis.call("EXPIRE", "volatile", "5000", "GT"),
    );
    expect(logged.length).toBeGreaterThan(0);
  });

  /** What a command that reads the clock is logged as, given what it did. */
  const recipes: {
    command: string[];
    setup?: string[];
    /** The words logged, given the key's PEXPIRETIME after the command. */
    logged: (deadline: number) => string[];
  }[] = [
    {
      command: ["EXPIRE", "k", "100"],
      setup: ["SET", "k", "v"],
      logged: (deadline) => ["PEXPIREAT", "k", String(deadline)],
    },
    {
      command: ["PEXPIRE", "k", "100000"],
      setup: ["SET", "k", "v"],
      logged: (deadline) => ["PEXPIREAT", "k", String(deadline)],
    },
    {
      command: ["EXPIREAT", "k", String(YEAR_2100)],
      setup: ["SET", "k", "v"],
      logged: () => ["PEXPIREAT", "k", String(YEAR_2100 * 1000)],
    },
    {
      command: ["SET", "k", "v", "EX", "100"],
      logged: (deadline) => ["SET", "k", "v", "PXAT", String(deadline)],
    },
    {
      command: ["SET", "k", "v", "PX", "100000"],
      logged: (deadline) => ["SET", "k", "v", "PXAT", String(deadline)],
    },
    {
      command: ["SETEX", "k", "100", "v"],
      logged: (deadline) => ["SET", "k", "v", "PXAT", String(deadline)],
    },
    {
      command: ["PSETEX", "k", "100000", "v"],
      logged: (deadline) => ["SET", "k", "v", "PXAT", String(deadline)],
    },
    {
      command: ["GETEX", "k", "PX", "100000"],
      setup: ["SET", "k", "v"],
      logged: (deadline) => ["PEXPIREAT", "k", String(deadline)],
    },
    {
      command: ["GETEX", "k", "EX", "100"],
      setup: ["SET", "k", "v"],
      logged: (deadline) => ["PEXPIREAT", "k", String(deadline)],
    },
    {
      command: ["GETEX", "k", "PERSIST"],
      setup: ["SET", "k", "v", "EX", "100"],
      logged: () => ["PERSIST", "k"],
    },
    // Floating point is logged as its result, with KEEPTTL.
    {
      command: ["INCRBYFLOAT", "k", "1.5"],
      setup: ["SET", "k", "1", "EX", "100"],
      logged: () => ["SET", "k", "2.5", "KEEPTTL"],
    },
    // Deleting commands are logged as the deletion.
    {
      command: ["GETDEL", "k"],
      setup: ["SET", "k", "v"],
      logged: () => ["DEL", "k"],
    },
    {
      command: ["EXPIRE", "k", "-1"],
      setup: ["SET", "k", "v"],
      logged: () => ["DEL", "k"],
    },
    {
      command: ["PEXPIREAT", "k", "1"],
      setup: ["SET", "k", "v"],
      logged: () => ["DEL", "k"],
    },
    {
      command: ["GETEX", "k", "EXAT", "1"],
      setup: ["SET", "k", "v"],
      logged: () => ["DEL", "k"],
    },
  ];

  for (const { command, setup, logged } of recipes) {
    itInProcess(
      `${command.join(" ")} is logged as ${logged(0)
        .map((word) => (word === "0" ? "<deadline>" : word))
        .join(" ")}`,
      async () => {
        const { server, redis } = await freshServer();
        // The first write of a fresh file SELECTs database 0; not ours to check here.
        await redis.call("SET", "unrelated", "x");
        if (setup !== undefined) await redis.call(...(setup as [string]));
        const bytes = await bytesLoggedBy(server, () =>
          redis.call(...(command as [string])),
        );
        const deadline = await redis.pexpiretime("k");
        expect(bytes.toString("latin1")).toBe(
          aofCommand(...logged(deadline)).toString("latin1"),
        );
      },
    );
  }

  itInProcess(
    "SELECT goes into the file only when the database changes",
    async () => {
      const { server, redis } = await freshServer();
      const five = await server.client({ db: 5 });
      await redis.call("SET", "a", "1");
      await redis.call("SET", "a", "2");
      await five.call("SET", "b", "1");
      await five.call("INCR", "b");
      await redis.call("SELECT", "5"); // a read: not logged, changes nothing yet
      await redis.call("INCR", "b");
      await redis.call("SELECT", "0");
      await redis.call("DEL", "a");
      expect(aofBytes(server).toString("latin1")).toBe(
        Buffer.concat([
          aofCommand("SELECT", "0"),
          aofCommand("SET", "a", "1"),
          aofCommand("SET", "a", "2"),
          aofCommand("SELECT", "5"),
          aofCommand("SET", "b", "1"),
          aofCommand("INCR", "b"),
          aofCommand("INCR", "b"),
          aofCommand("SELECT", "0"),
          aofCommand("DEL", "a"),
        ]).toString("latin1"),
      );
    },
  );

  itInProcess(
    "a key expired lazily, by a lookup, is logged as DEL",
    async () => {
      const clock = new ManualClock();
      const server = await startRestartableServer({}, { clock });
      const redis = await server.client();
      await redis.call("SET", "k", "v", "PX", "100");
      // Time moves, and nothing else happens: the active cycle does not run.
      clock.setWallClock(clock.now() + 200);
      const bytes = await bytesLoggedBy(server, () => redis.get("k"));
      expect(bytes.toString("latin1")).toBe(
        aofCommand("DEL", "k").toString("latin1"),
      );
      // Why it is logged: replayed on a clock that has not reached the
      // deadline (or that was set back), the SET alone would bring it back.
      await server.restart({}, { clock: new ManualClock() });
      expect(await (await server.client()).exists("k")).toBe(0);
    },
  );

  itInProcess(
    "a key expired by the active cycle is logged as DEL",
    async () => {
      const clock = new ManualClock();
      const server = await startRestartableServer({}, { clock });
      const redis = await server.client();
      await redis.call("SET", "k", "v", "PX", "100");
      const from = aofSize(server);
      // A second of server time: the cycle runs ten times, and finds the key.
      clock.advance(1000);
      await pollUntil(
        async () => aofBytes(server).subarray(from).toString("latin1"),
        aofCommand("DEL", "k").toString("latin1"),
        "the DEL in the file",
      );
      await server.restart({}, { clock: new ManualClock() });
      expect(await (await server.client()).exists("k")).toBe(0);
    },
  );
});
