/**
 * Article step 2: numbered databases.
 *
 * One server, sixteen separate keyspaces: SELECT picks one per connection,
 * DBSIZE counts its keys, FLUSHDB empties it, SWAPDB trades two of them for
 * every connection at once, FLUSHALL empties them all.
 *
 * Under REDIS_URL these tests share one real Redis with every other file,
 * so they work in databases 10 and 11, which no other file uses, and empty
 * them before use. FLUSHALL, which would empty everybody's, only runs on a
 * fresh server of our own.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import {
  itInProcess,
  startChapterServer,
  useServer,
} from "../../../shared/harness.ts";
import { errorOf } from "./client-helpers.ts";

const server = useServer();

/** The databases this file owns on a shared server. */
const DB = 10;
const OTHER_DB = 11;

/** A client on database `db`, emptied first. */
async function clientOnEmptyDb(db: number): Promise<Redis> {
  const redis = await server.client({ db });
  await redis.flushdb();
  return redis;
}

/** A key name no other test uses. */
function randomKey(): string {
  return `key:${randomUUID()}`;
}

describe("SELECT", () => {
  it("switches this connection to another database", async () => {
    const redis = await clientOnEmptyDb(DB);
    await clientOnEmptyDb(OTHER_DB);
    const key = randomKey();
    await redis.set(key, "in db 10");

    expect(await redis.select(OTHER_DB)).toBe("OK");
    expect(await redis.get(key)).toBeNull();
    expect(await redis.select(DB)).toBe("OK");
    expect(await redis.get(key)).toBe("in db 10");
  });

  it.each([
    ["16", "ERR DB index is out of range"],
    ["-1", "ERR DB index is out of range"],
    ["x", "ERR value is not an integer or out of range"],
    ["1.5", "ERR value is not an integer or out of range"],
    ["01", "ERR value is not an integer or out of range"],
    [" 1", "ERR value is not an integer or out of range"],
    ["", "ERR value is not an integer or out of range"],
    ["99999999999999999999", "ERR value is not an integer or out of range"],
    // A 64-bit integer, but not a C int.
    [
      "2147483648",
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    ],
    [
      "-2147483649",
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    ],
  ])("SELECT %j is refused with %j", async (index, message) => {
    const redis = await server.client();
    expect(await errorOf(redis.call("SELECT", index))).toBe(message);
  });

  it("a refused SELECT leaves the connection where it was", async () => {
    const redis = await clientOnEmptyDb(DB);
    const key = randomKey();
    await redis.set(key, "still here");
    await expect(redis.select(16)).rejects.toThrow();
    expect(await redis.get(key)).toBe("still here");
  });
});

describe("databases are separate", () => {
  it("the same key holds a different value in each database", async () => {
    const first = await clientOnEmptyDb(DB);
    const second = await clientOnEmptyDb(OTHER_DB);
    const key = randomKey();
    await first.set(key, "ten");
    await second.set(key, "eleven");

    expect(await first.get(key)).toBe("ten");
    expect(await second.get(key)).toBe("eleven");
    await first.del(key);
    expect(await second.get(key)).toBe("eleven");
  });

  it("each connection has its own selected database", async () => {
    const first = await clientOnEmptyDb(DB);
    const second = await clientOnEmptyDb(OTHER_DB);
    const key = randomKey();
    await first.set(key, "1");
    expect(await second.exists(key)).toBe(0);

    await second.select(DB);
    expect(await second.get(key)).toBe("1");
    // And back: the other connection's SELECTs never moved this one.
    await second.select(OTHER_DB);
    expect(await first.get(key)).toBe("1");
  });
});

describe("DBSIZE", () => {
  it("counts the keys of the selected database only", async () => {
    const redis = await clientOnEmptyDb(DB);
    const other = await clientOnEmptyDb(OTHER_DB);
    expect(await redis.dbsize()).toBe(0);

    await redis.mset("a", "1", "b", "2", "c", "3");
    await other.set("a", "1");
    expect(await redis.dbsize()).toBe(3);
    expect(await other.dbsize()).toBe(1);

    await redis.set("a", "overwritten");
    expect(await redis.dbsize()).toBe(3);
    await redis.del("a", "no-such-key");
    expect(await redis.dbsize()).toBe(2);
  });
});

describe("FLUSHDB", () => {
  it("empties the selected database and no other", async () => {
    const redis = await clientOnEmptyDb(DB);
    const other = await clientOnEmptyDb(OTHER_DB);
    await redis.mset("a", "1", "b", "2");
    await other.mset("a", "1", "b", "2");

    expect(await redis.flushdb()).toBe("OK");
    expect(await redis.dbsize()).toBe(0);
    expect(await redis.get("a")).toBeNull();
    expect(await other.dbsize()).toBe(2);
  });

  it.each(["ASYNC", "SYNC", "async", "sync"])(
    "FLUSHDB %s empties it too",
    async (mode) => {
      const redis = await clientOnEmptyDb(DB);
      await redis.set(randomKey(), "1");
      expect(await redis.call("FLUSHDB", mode)).toBe("OK");
      expect(await redis.dbsize()).toBe(0);
    },
  );

  it.each([[["NOW"]], [["ASYNC", "SYNC"]], [["SYNC", "SYNC"]]])(
    "FLUSHDB %j is a syntax error, and flushes nothing",
    async (args) => {
      const redis = await clientOnEmptyDb(DB);
      await redis.set(randomKey(), "1");
      expect(await errorOf(redis.call("FLUSHDB", ...args))).toBe(
        "ERR syntax error",
      );
      expect(await redis.dbsize()).toBe(1);
    },
  );

  it("an empty database can be flushed", async () => {
    const redis = await clientOnEmptyDb(DB);
    expect(await redis.flushdb()).toBe("OK");
  });
});

describe("SWAPDB", () => {
  it("the two databases trade contents, for every connection", async () => {
    const ten = await clientOnEmptyDb(DB);
    const eleven = await clientOnEmptyDb(OTHER_DB);
    await ten.mset("who", "was ten", "only-in-ten", "1");
    await eleven.set("who", "was eleven");

    // A third connection swaps; the two others see it at once, under
    // the numbers they selected.
    const admin = await server.client();
    expect(await admin.swapdb(DB, OTHER_DB)).toBe("OK");

    expect(await ten.get("who")).toBe("was eleven");
    expect(await ten.exists("only-in-ten")).toBe(0);
    expect(await ten.dbsize()).toBe(1);
    expect(await eleven.get("who")).toBe("was ten");
    expect(await eleven.get("only-in-ten")).toBe("1");
    expect(await eleven.dbsize()).toBe(2);
  });

  it("a connection that selects the database afterwards sees the swap too", async () => {
    const ten = await clientOnEmptyDb(DB);
    await clientOnEmptyDb(OTHER_DB);
    const key = randomKey();
    await ten.set(key, "moved");
    await ten.swapdb(DB, OTHER_DB);

    const later = await server.client({ db: OTHER_DB });
    expect(await later.get(key)).toBe("moved");
  });

  it("swapping a database with itself changes nothing", async () => {
    const ten = await clientOnEmptyDb(DB);
    await ten.set("k", "v");
    expect(await ten.swapdb(DB, DB)).toBe("OK");
    expect(await ten.get("k")).toBe("v");
  });

  it.each([
    [["a", "1"], "ERR invalid first DB index"],
    [["a", "b"], "ERR invalid first DB index"],
    [["1", "a"], "ERR invalid second DB index"],
    [["1.0", "1"], "ERR invalid first DB index"],
    // Not a C int: invalid, rather than out of range.
    [["2147483648", "1"], "ERR invalid first DB index"],
    [["1", "-2147483649"], "ERR invalid second DB index"],
    [["16", "1"], "ERR DB index is out of range"],
    [["1", "16"], "ERR DB index is out of range"],
    [["-1", "1"], "ERR DB index is out of range"],
  ])("SWAPDB %j is refused with %j", async (args, message) => {
    const redis = await server.client();
    expect(await errorOf(redis.call("SWAPDB", ...args))).toBe(message);
  });

  it("takes exactly two indexes", async () => {
    const redis = await server.client();
    expect(await errorOf(redis.call("SWAPDB", "1"))).toBe(
      "ERR wrong number of arguments for 'swapdb' command",
    );
  });
});

describe("FLUSHALL", () => {
  it.each([[["NOW"]], [["ASYNC", "SYNC"]]])(
    "FLUSHALL %j is a syntax error, and flushes nothing",
    async (args) => {
      const redis = await clientOnEmptyDb(DB);
      await redis.set(randomKey(), "1");
      expect(await errorOf(redis.call("FLUSHALL", ...args))).toBe(
        "ERR syntax error",
      );
      expect(await redis.dbsize()).toBe(1);
    },
  );

  // In-process: FLUSHALL would empty every database of a shared server,
  // including keys other test files rely on.
  itInProcess.each([[[]], [["ASYNC"]], [["sync"]]])(
    "FLUSHALL %j empties every database",
    async (args) => {
      const own = await startChapterServer();
      const redis = await clientOf(own.port);
      for (const db of [0, 5, 15]) {
        await redis.select(db);
        await redis.mset("a", "1", "b", "2");
      }

      expect(await redis.call("FLUSHALL", ...args)).toBe("OK");
      for (const db of [0, 5, 15]) {
        await redis.select(db);
        expect(await redis.dbsize()).toBe(0);
      }
    },
  );
});

describe("many databases", () => {
  // In-process: it needs a server started with `databases` at its maximum.
  itInProcess(
    "a database numbered in the billions costs no more than database 1",
    async () => {
      const own = await startChapterServer({ databases: 2 ** 31 - 1 });
      const redis = await clientOf(own.port);
      await redis.select(2 ** 31 - 2);
      await redis.set("k", "v");

      // Each of these once walked two billion empty slots: a minute of a
      // frozen server. Now each is as quick as with 16 databases.
      const started = performance.now();
      expect(await redis.info("keyspace")).toContain(
        `db${2 ** 31 - 2}:keys=1,`,
      );
      expect(await redis.flushall()).toBe("OK");
      expect(await redis.dbsize()).toBe(0);
      expect(performance.now() - started).toBeLessThan(5_000);
    },
  );
});

/** A client of a server this test started itself, closed when the test ends. */
async function clientOf(port: number): Promise<Redis> {
  const redis = new Redis({
    port,
    host: "127.0.0.1",
    retryStrategy: () => null,
    lazyConnect: true,
  });
  onTestFinished(async () => {
    if (redis.status === "end") return;
    const ended = new Promise((resolve) => redis.once("end", resolve));
    redis.disconnect();
    await ended;
  });
  await redis.connect();
  return redis;
}
