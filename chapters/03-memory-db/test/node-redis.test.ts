/**
 * Article step "node-redis": the chapter's commands through node-redis 6,
 * the official Node client (npm's `redis`), as an application uses them.
 *
 * node-redis 6 speaks RESP3 only (chapter 02's node-redis suite covers the
 * handshake), so these tests see the types RESP3 gives a reply: integers
 * as numbers, "no value" as null, CONFIG GET as a map (node-redis turns it
 * into an object), INFO as a verbatim string. And they use node-redis's own
 * helpers: option objects, `scanIterator`, `database`, `execAsPipeline`.
 *
 * Every expected value here is what redis-server 7.0.15 answers. Under
 * REDIS_URL the tests share one Redis: keys are unique to each test
 * (keysForThisTest), and the one test that selects a database uses 9,
 * which no other file uses.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { randomUUID } from "node:crypto";
import { RESP_TYPES, VerbatimString } from "redis";
import { useServer, type NodeRedisClient } from "../../../shared/harness.ts";
import { keysForThisTest } from "./client-helpers.ts";

const server = useServer();

/** The database of the SELECT tests: no other test file uses it. */
const DB = 9;

/** Bulk strings come back as Buffers: a value's exact bytes. */
const BYTES = { [RESP_TYPES.BLOB_STRING]: Buffer };

/** The error message a promise was rejected with (fails if it was fulfilled). */
async function errorOf(reply: Promise<unknown>): Promise<string> {
  try {
    await reply;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error reply, but the command succeeded");
}

/** Every key scanIterator yields, and how many batches it yielded them in. */
async function scanAll(
  redis: NodeRedisClient,
  options: { MATCH: string; COUNT: number },
): Promise<{ keys: Set<string>; batches: number }> {
  const keys = new Set<string>();
  let batches = 0;
  // node-redis 6 yields each SCAN call's keys as one array (possibly empty).
  for await (const batch of redis.scanIterator(options)) {
    expect(Array.isArray(batch)).toBe(true);
    batches++;
    for (const key of batch) keys.add(key);
  }
  return { keys, batches };
}

describe("strings", () => {
  it("SET and GET; a missing key reads as null", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    expect(await redis.set(key("a"), "value")).toBe("OK");
    expect(await redis.get(key("a"))).toBe("value");
    expect(await redis.get(key("missing"))).toBeNull();
  });

  it("SET's options object: NX and XX answer null when they set nothing, GET the old value", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    expect(await redis.set(key("a"), "1", { condition: "XX" })).toBeNull();
    expect(await redis.set(key("a"), "1", { condition: "NX" })).toBe("OK");
    expect(await redis.set(key("a"), "2", { condition: "NX" })).toBeNull();
    expect(await redis.set(key("a"), "3", { GET: true })).toBe("1");
    expect(await redis.set(key("new"), "x", { GET: true })).toBeNull();
    expect(await redis.get(key("a"))).toBe("3");
  });

  it("MSET and MGET; MGET answers null for each missing key, in place", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    expect(await redis.mSet({ [key("a")]: "1", [key("c")]: "3" })).toBe("OK");
    expect(await redis.mGet([key("a"), key("b"), key("c"), key("d")])).toEqual([
      "1",
      null,
      "3",
      null,
    ]);
  });

  it("values are bytes: every byte value comes back unchanged", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await redis.set(key("bytes"), everyByte);
    expect(await redis.withTypeMapping(BYTES).get(key("bytes"))).toEqual(
      everyByte,
    );
    expect(await redis.strLen(key("bytes"))).toBe(256);
  });

  it("APPEND, STRLEN, GETRANGE and SETRANGE", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    expect(await redis.append(key("s"), "Hello")).toBe(5);
    expect(await redis.append(key("s"), " World")).toBe(11);
    expect(await redis.strLen(key("s"))).toBe(11);
    expect(await redis.getRange(key("s"), 0, 4)).toBe("Hello");
    expect(await redis.getRange(key("s"), -5, -1)).toBe("World");
    expect(await redis.getRange(key("s"), 20, 30)).toBe("");
    expect(await redis.setRange(key("s"), 6, "Redis")).toBe(11);
    expect(await redis.get(key("s"))).toBe("Hello Redis");
    expect(await redis.setRange(key("padded"), 3, "x")).toBe(4);
    expect(await redis.get(key("padded"))).toBe("\0\0\0x");
  });
});

describe("counters", () => {
  it("INCR, INCRBY, DECR and DECRBY answer numbers", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    expect(await redis.incr(key("n"))).toBe(1);
    expect(await redis.incrBy(key("n"), 41)).toBe(42);
    expect(await redis.decr(key("n"))).toBe(41);
    expect(await redis.decrBy(key("n"), 50)).toBe(-9);
    expect(await redis.get(key("n"))).toBe("-9");
  });

  // Redis 7.0 has RESP3's double type, but INCRBYFLOAT does not use it.
  it(
    "INCRBYFLOAT answers a bulk string, as Redis 7.0 does even in RESP3",
    { tags: ["fidelity"] },
    async () => {
      const redis = await server.nodeRedis();
      const key = keysForThisTest();
      await redis.set(key("f"), "10.5");
      expect(await redis.incrByFloat(key("f"), 0.1)).toBe("10.6");
      expect(await redis.incrByFloat(key("f"), -5)).toBe("5.6");
      expect(await redis.incrByFloat(key("new"), 3)).toBe("3");
    },
  );

  it("a value that is not an integer is refused with Redis's text", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("text"), "abc");
    expect(await errorOf(redis.incr(key("text")))).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await errorOf(redis.incrByFloat(key("text"), 1))).toBe(
      "ERR value is not a valid float",
    );
  });
});

describe("keys", () => {
  it("DEL and EXISTS count keys: EXISTS counts a key named twice twice", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.mSet([
      [key("a"), "1"],
      [key("b"), "2"],
      [key("c"), "3"],
    ]);
    expect(await redis.exists([key("a"), key("a"), key("missing")])).toBe(2);
    expect(await redis.del([key("a"), key("b"), key("missing")])).toBe(2);
    expect(await redis.exists([key("a"), key("b"), key("c")])).toBe(1);
    expect(await redis.del(key("a"))).toBe(0);
  });

  it("TYPE answers string, or none for a missing key", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("a"), "1");
    expect(await redis.type(key("a"))).toBe("string");
    expect(await redis.type(key("missing"))).toBe("none");
  });

  it("RENAME moves a value; RENAMENX only to a free name; a missing key is an error", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.mSet({ [key("a")]: "1", [key("taken")]: "2" });
    expect(await redis.rename(key("a"), key("b"))).toBe("OK");
    expect(await redis.mGet([key("a"), key("b")])).toEqual([null, "1"]);
    expect(await redis.renameNX(key("b"), key("taken"))).toBe(0);
    expect(await redis.renameNX(key("b"), key("free"))).toBe(1);
    expect(await errorOf(redis.rename(key("missing"), key("x")))).toBe(
      "ERR no such key",
    );
  });

  it("KEYS answers every key matching a glob pattern", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.mSet({
      [key("user:1")]: "a",
      [key("user:22")]: "b",
      [key("order:1")]: "c",
    });
    expect((await redis.keys(key("user:*"))).sort()).toEqual([
      key("user:1"),
      key("user:22"),
    ]);
    expect(await redis.keys(key("user:?"))).toEqual([key("user:1")]);
    expect(await redis.keys(key("nothing*"))).toEqual([]);
  });
});

describe("scanIterator", () => {
  it("walks every key matching MATCH, a batch per SCAN call", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const names = Array.from({ length: 250 }, (_, i) => key(`k${i}`));
    await redis.mSet(names.map((name) => [name, "v"] as [string, string]));
    await redis.set(key("other:1"), "not matched");

    const { keys, batches } = await scanAll(redis, {
      MATCH: key("k*"),
      COUNT: 20,
    });
    expect([...keys].sort()).toEqual([...names].sort());
    // COUNT is only a hint, but 20 a call cannot return 250 keys at once.
    expect(batches).toBeGreaterThan(1);
  });

  it("a pattern nothing matches ends the walk with no keys", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const { keys } = await scanAll(redis, { MATCH: key("*"), COUNT: 100 });
    expect(keys.size).toBe(0);
  });
});

describe("databases", () => {
  it("the database option SELECTs in the handshake: each database has its own keys", async () => {
    const key = keysForThisTest();
    const inDb = await server.nodeRedis({ database: DB });
    const inZero = await server.nodeRedis();
    onTestFinished(async () => {
      await inDb.del(key("a"));
    });
    await inDb.set(key("a"), "in db 9");
    expect(await inZero.get(key("a"))).toBeNull();
    expect(await inDb.get(key("a"))).toBe("in db 9");
    expect(await inZero.select(DB)).toBeUndefined();
    expect(await inZero.get(key("a"))).toBe("in db 9");
  });

  it("a database that does not exist fails the connection, with Redis's error", async () => {
    const error = await errorOf(server.nodeRedis({ database: 16 }));
    expect(error).toContain('"ERR DB index is out of range"');
  });
});

describe("INFO and CONFIG GET", () => {
  it("INFO answers text: # sections of field:value lines", async () => {
    const redis = await server.nodeRedis();
    const all = await redis.info();
    expect(all).toMatch(/^# Server\r\n/);
    expect(all).toMatch(/\r\nredis_version:\d+\.\d+\.\d+\r\n/);
    expect(all).toContain("\r\n# Keyspace\r\n");
    const keyspace = await redis.info("keyspace");
    expect(keyspace).toMatch(/^# Keyspace\r\n/);
    expect(keyspace).not.toContain("# Server");
  });

  it(
    "INFO's text is a verbatim string of format txt",
    { tags: ["fidelity"] },
    async () => {
      const redis = await server.nodeRedis();
      const reply = await redis
        .withTypeMapping({ [RESP_TYPES.VERBATIM_STRING]: VerbatimString })
        .info("server");
      expect(reply).toBeInstanceOf(VerbatimString);
      expect((reply as VerbatimString).format).toBe("txt");
      expect(String(reply)).toMatch(/^# Server\r\n/);
    },
  );

  it("CONFIG GET answers a map, which node-redis turns into an object", async () => {
    const redis = await server.nodeRedis();
    expect(await redis.configGet("databases")).toEqual({ databases: "16" });
    expect(await redis.configGet("no-such-setting")).toEqual({});
    const found = await redis.configGet(["DATA*", "*query*"]);
    expect(Object.keys(found).sort()).toEqual([
      "client-query-buffer-limit",
      "databases",
    ]);
    expect(found["client-query-buffer-limit"]).toMatch(/^\d+$/);
    const raw = await redis.sendCommand(["CONFIG", "GET", "databases"], {
      typeMapping: { [RESP_TYPES.MAP]: Map },
    });
    expect(raw).toEqual(new Map([["databases", "16"]]));
  });
});

describe("pipelines", () => {
  it("execAsPipeline sends a batch without MULTI, and answers each command in order", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const replies = await redis
      .multi()
      .set(key("a"), "1")
      .incr(key("a"))
      .incrBy(key("a"), 10)
      .get(key("a"))
      .mGet([key("a"), key("missing")])
      .exists(key("a"))
      .execAsPipeline();
    expect(replies).toEqual(["OK", 2, 12, "12", ["12", null], 1]);
  });

  it("an error in a pipeline fails its own command only", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    await redis.set(key("text"), "abc");
    const results = await Promise.allSettled([
      redis.set(key("a"), "1"),
      redis.incr(key("text")),
      redis.incr(key("a")),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(2);
  });

  it("1,000 writes then 1,000 reads, all sent at once", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();
    const indexes = Array.from({ length: 1_000 }, (_, i) => i);
    const written = await Promise.all(
      indexes.map((i) => redis.set(key(`k${i}`), `v${i}`)),
    );
    expect(written.every((reply) => reply === "OK")).toBe(true);
    const read = await Promise.all(indexes.map((i) => redis.get(key(`k${i}`))));
    expect(read).toEqual(indexes.map((i) => `v${i}`));
  });
});

describe("a password", () => {
  // Set with CONFIG SET, so this runs against real Redis too, and removed
  // when the test ends through `admin`, which connected before it was set.
  it("node-redis authenticates in its HELLO 3 AUTH; without the password HELLO is refused", async () => {
    const admin = await server.nodeRedis();
    const password = `pw-${randomUUID()}`;
    onTestFinished(async () => {
      await admin.configSet("requirepass", "");
    });
    expect(await admin.configSet("requirepass", password)).toBe("OK");

    const authenticated = await server.nodeRedis({ password });
    expect(await authenticated.ping()).toBe("PONG");
    expect(await errorOf(server.nodeRedis())).toContain(
      '"NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"',
    );
    expect(await errorOf(server.nodeRedis({ password: "wrong" }))).toContain(
      '"WRONGPASS invalid username-password pair or user is disabled."',
    );
  });
});
