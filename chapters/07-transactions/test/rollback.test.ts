/**
 * Article step "rollback": `multi-rollback yes`, our own opt-in, NOT
 * Redis. With it, the first command that answers an error while EXEC
 * runs undoes the transaction: EXEC stops there, every key it changed is
 * put back (value, encoding, deadline; a key it created is deleted
 * again), in every database it touched, FLUSHDB, FLUSHALL and SWAPDB
 * included; the client is back in the database it had selected; the AOF
 * gets nothing; and EXEC answers `-EXECABORT Transaction rolled back
 * because of an error in command N (NAME): <the error>`.
 *
 * Redis 7.0.15 has no such directive (`CONFIG SET multi-rollback yes` is
 * an error there), so those tests are skipped under REDIS_URL, labelled
 * as the deliberate difference they are. What does run against Redis is
 * the default: no rollback.
 *
 * Each test makes its own keys under a random prefix and turns the
 * directive on for itself only: the tests share a server.
 */
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import {
  chapterMainPath,
  external,
  itInProcess,
  useServer,
} from "../../../shared/harness.ts";
import { runProgram } from "../../../shared/run-program.ts";
import {
  errorOf,
  keysForThisTest,
  NOT_AN_INTEGER,
  WRONGTYPE,
} from "./client-helpers.ts";
import { contentsOf } from "./zset-helpers.ts";
import { untilBlocked } from "./waiting-helpers.ts";
import {
  aofBytes,
  aofCommands,
  aofRecords,
  REWRITE_LIMIT_MS,
  startRestartableServer,
} from "./persistence-helpers.ts";

const server = useServer();

// #region helpers
/** MULTI, each command (answered QUEUED), EXEC: EXEC's reply. An error reply rejects. */
async function transaction(
  redis: Redis,
  commands: readonly (readonly (string | Buffer)[])[],
): Promise<unknown> {
  expect(await redis.call("MULTI")).toBe("OK");
  for (const [name, ...args] of commands) {
    expect(await redis.call(String(name), ...args)).toBe("QUEUED");
  }
  return redis.call("EXEC");
}

/** EXEC's error when command `position` (from 1) failed with `error`. */
function rolledBack(position: number, name: string, error: string): string {
  return `EXECABORT Transaction rolled back because of an error in command ${position} (${name}): ${error}`;
}

/** A client of the shared server with `multi-rollback yes`, turned off again when the test ends. */
async function rollbackClient(): Promise<Redis> {
  const redis = await server.client();
  expect(await redis.config("SET", "multi-rollback", "yes")).toBe("OK");
  onTestFinished(async () => {
    await redis.config("SET", "multi-rollback", "no");
  });
  return redis;
}

/** A far deadline, the same in every run: 2100-01-01, in milliseconds. */
const FAR_DEADLINE_MS = 4_102_444_800_000;

/**
 * Everything a client can see of one key: its type, its whole value (a
 * string as hex, so bits survive), its encoding and its deadline.
 */
async function stateOf(redis: Redis, key: string): Promise<unknown> {
  const type = await redis.type(key);
  if (type === "none") return "none";
  let value: unknown;
  if (type === "string") value = (await redis.getBuffer(key))!.toString("hex");
  else if (type === "list") value = await redis.lrange(key, 0, -1);
  else if (type === "hash") {
    value = Object.entries(await redis.hgetall(key)).sort();
  } else if (type === "set") value = (await redis.smembers(key)).sort();
  else value = await contentsOf(redis, key);
  return {
    type,
    value,
    encoding: await redis.object("ENCODING", key),
    pexpiretime: await redis.pexpiretime(key),
  };
}

/**
 * `stateOf` every key of every database, on a client of its own (it
 * SELECTs around): of the shared server, or of the one `connect` opens.
 */
/**
 * Write commands that never change anything inside EXEC: chapter 08's
 * MIGRATE waits on another server, which nothing inside EXEC may do, so
 * it answers an error there (its own suite, resharding, checks it).
 */
const REFUSED_IN_EXEC = new Set(["MIGRATE"]);

/**
 * The sweep's commands for write commands that chapters after this one
 * add, if the server has them: RESTORE and RESTORE-ASKING (chapter 08),
 * restoring a value DUMPed before the transaction. A key undone must be
 * undone whichever command wrote it.
 */
async function laterWriteCommands(
  redis: Redis,
  k: (name: string) => string,
): Promise<(string | Buffer)[][]> {
  const [restore] = (await redis.call("COMMAND", "INFO", "restore")) as [
    unknown,
  ];
  if (restore === null) return [];
  await redis.set(k("to dump"), "a value");
  const payload = (await redis.callBuffer("DUMP", k("to dump"))) as Buffer;
  await redis.del(k("to dump"));
  return [
    ["RESTORE", k("restored"), "0", payload],
    ["RESTORE-ASKING", k("restored by MIGRATE"), "0", payload],
  ];
}

async function everyKey(
  connect: () => Promise<Redis> = () => server.client(),
): Promise<Map<string, unknown>> {
  const redis = await connect();
  const states = new Map<string, unknown>();
  for (let db = 0; db < 16; db++) {
    await redis.select(db);
    let cursor = "0";
    const keys: string[] = [];
    do {
      const [next, batch] = await redis.scan(cursor, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    for (const key of keys.sort()) {
      states.set(`db${db} ${key}`, await stateOf(redis, key));
    }
  }
  redis.disconnect();
  return states;
}
// #endregion helpers

describe("by default, as in Redis, nothing is rolled back", () => {
  it("a command that fails inside EXEC answers its error in its place, and the others' changes stay", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("word"), "hello");
    const replies = (await transaction(redis, [
      ["SET", key("a"), "1"],
      ["INCR", key("word")],
      ["RPUSH", key("list"), "x"],
      ["LPUSH", key("word"), "y"],
    ])) as unknown[];
    expect(replies[0]).toBe("OK");
    expect((replies[1] as Error).message).toBe(NOT_AN_INTEGER);
    expect(replies[2]).toBe(1);
    expect((replies[3] as Error).message).toBe(WRONGTYPE);
    expect(await redis.get(key("a"))).toBe("1");
    expect(await redis.lrange(key("list"), 0, -1)).toEqual(["x"]);
  });
});

describe.skipIf(external)(
  "multi-rollback, a deliberate difference: our own setting, which Redis does not have (its CONFIG SET refuses it)",
  () => {
    describe("the setting", () => {
      it("is no by default, and CONFIG SET takes yes and no in any letter case", async () => {
        const redis = await server.client();
        expect(await redis.config("GET", "multi-rollback")).toEqual([
          "multi-rollback",
          "no",
        ]);
        onTestFinished(async () => {
          await redis.config("SET", "multi-rollback", "no");
        });
        expect(await redis.config("SET", "multi-rollback", "YES")).toBe("OK");
        expect(await redis.config("GET", "multi*")).toEqual([
          "multi-rollback",
          "yes",
        ]);
        expect(await redis.config("SET", "multi-rollback", "No")).toBe("OK");
        expect(await redis.config("GET", "multi-rollback")).toEqual([
          "multi-rollback",
          "no",
        ]);
      });

      it("refuses anything but yes and no, with the words of Redis's other yes/no settings", async () => {
        const redis = await server.client();
        expect(
          await errorOf(redis.config("SET", "multi-rollback", "maybe")),
        ).toBe(
          "ERR CONFIG SET failed (possibly related to argument 'multi-rollback') - argument must be 'yes' or 'no'",
        );
      });

      // Read the same whatever the protocol: once, in the RESP3 project.
      it.skipIf(external || inject("protocol") === 2).each([
        ["the command line", false],
        ["a config file", true],
      ])(
        "is read from %s",
        async (_where, inFile) => {
          const folder = mkdtempSync(join(tmpdir(), "multi-rollback-"));
          onTestFinished(() => rmSync(folder, { recursive: true }));
          const file = join(folder, "redis.conf");
          writeFileSync(file, "multi-rollback yes\n");
          const args = inFile ? [file] : ["--multi-rollback", "yes"];
          let shown: unknown;
          await runProgram({
            command: [
              process.execPath,
              "--import",
              "tsx",
              chapterMainPath(),
              ...args,
              "--port",
              "0",
            ],
            ready: /Listening on \S+:(\d+)/,
            whileRunning: async (ready) => {
              const redis = new Redis({
                port: Number(ready[1]),
                lazyConnect: true,
              });
              await redis.connect();
              shown = await redis.config("GET", "multi-rollback");
              redis.disconnect();
            },
          });
          expect(shown).toEqual(["multi-rollback", "yes"]);
        },
        30_000,
      );
    });

    describe("EXEC stops at the first error, and undoes what ran", () => {
      it("answers EXECABORT naming the command, counted from 1, and its error; the commands after it never run", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("word"), "hello");
        expect(
          await errorOf(
            transaction(redis, [
              ["SET", key("a"), "1"],
              ["LPUSH", key("word"), "x"],
              ["SET", key("b"), "2"],
            ]),
          ),
        ).toBe(rolledBack(2, "LPUSH", WRONGTYPE));
        expect(await redis.exists(key("a"), key("b"))).toBe(0);
        expect(await redis.get(key("word"))).toBe("hello");
      });

      it("an error in the first command: nothing ran, nothing changed", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("word"), "hello");
        expect(
          await errorOf(
            transaction(redis, [
              ["INCR", key("word")],
              ["SET", key("a"), "1"],
            ]),
          ),
        ).toBe(rolledBack(1, "INCR", NOT_AN_INTEGER));
        expect(await redis.exists(key("a"))).toBe(0);
      });

      it("a transaction without errors answers as ever, and its changes stay", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        expect(
          await transaction(redis, [
            ["SET", key("a"), "1"],
            ["INCR", key("a")],
            ["GET", key("missing")],
          ]),
        ).toEqual(["OK", 2, null]);
        expect(await redis.get(key("a"))).toBe("2");
      });

      it("strings: their value and their encoding", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("int"), "12");
        await redis.set(key("embstr"), "hello");
        await redis.set(key("raw"), "r".repeat(100));
        await redis.setbit(key("bits"), 10, 1);
        const keys = ["int", "embstr", "raw", "bits"].map(key);
        const before = await Promise.all(keys.map((k) => stateOf(redis, k)));
        await expect(
          errorOf(
            transaction(redis, [
              ["INCRBY", key("int"), "30"],
              ["APPEND", key("embstr"), " world"],
              ["SETRANGE", key("raw"), "3", "xyz"],
              ["SETBIT", key("bits"), "100", "1"],
              ["BITFIELD", key("bits"), "SET", "u8", "0", "255"],
              ["INCRBYFLOAT", key("int"), "0.5"],
              ["GETDEL", key("embstr")],
              ["INCR", key("raw")],
            ]),
          ),
        ).resolves.toBe(rolledBack(8, "INCR", NOT_AN_INTEGER));
        expect(await Promise.all(keys.map((k) => stateOf(redis, k)))).toEqual(
          before,
        );
        expect(await redis.object("ENCODING", key("int"))).toBe("int");
      });

      // (Redis 7.0 calls every list a quicklist, however small.)
      it("lists: their elements, in order", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.rpush(key("l"), "a", "b", "c");
        const before = await stateOf(redis, key("l"));
        const error = await errorOf(
          transaction(redis, [
            ["RPUSH", key("l"), "x".repeat(10_000)],
            ["LPOP", key("l")],
            ["LSET", key("l"), "0", "B"],
            ["LINSERT", key("l"), "BEFORE", "c", "bc"],
            ["LTRIM", key("l"), "0", "2"],
            ["INCR", key("l")],
          ]),
        );
        expect(error).toBe(rolledBack(6, "INCR", WRONGTYPE));
        expect(await stateOf(redis, key("l"))).toEqual(before);
      });

      it("hashes: their fields, values and encoding", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.hset(key("h"), "f1", "1", "f2", "two");
        const before = await stateOf(redis, key("h"));
        expect(before).toMatchObject({ encoding: "listpack" });
        const error = await errorOf(
          transaction(redis, [
            ["HSET", key("h"), "long", "v".repeat(100)],
            ["HDEL", key("h"), "f2"],
            ["HINCRBY", key("h"), "f1", "41"],
            ["HINCRBY", key("h"), "long", "1"],
          ]),
        );
        expect(error).toBe(
          rolledBack(4, "HINCRBY", "ERR hash value is not an integer"),
        );
        expect(await stateOf(redis, key("h"))).toEqual(before);
      });

      it("sets: their members and their encoding", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.sadd(key("s"), "1", "2", "3");
        const before = await stateOf(redis, key("s"));
        expect(before).toMatchObject({ encoding: "intset" });
        const error = await errorOf(
          transaction(redis, [
            ["SADD", key("s"), "not a number"],
            ["SREM", key("s"), "1"],
            ["SPOP", key("s")],
            ["LPUSH", key("s"), "x"],
          ]),
        );
        expect(error).toBe(rolledBack(4, "LPUSH", WRONGTYPE));
        expect(await stateOf(redis, key("s"))).toEqual(before);
      });

      it("sorted sets: their members, scores and encoding", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.zadd(key("z"), "1", "a", "2.5", "b", "3", "c");
        const before = await stateOf(redis, key("z"));
        expect(before).toMatchObject({ encoding: "listpack" });
        const error = await errorOf(
          transaction(redis, [
            ["ZADD", key("z"), "4", "m".repeat(100)],
            ["ZINCRBY", key("z"), "10", "a"],
            ["ZREM", key("z"), "b"],
            ["ZPOPMIN", key("z")],
            ["ZADD", key("z"), "not a score", "d"],
          ]),
        );
        expect(error).toBe(
          rolledBack(5, "ZADD", "ERR value is not a valid float"),
        );
        expect(await stateOf(redis, key("z"))).toEqual(before);
      });

      it("deadlines: given, changed, removed, or dropped with the value, each comes back as it was", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("volatile"), "v");
        await redis.pexpireat(key("volatile"), FAR_DEADLINE_MS);
        await redis.set(key("reset"), "v");
        await redis.pexpireat(key("reset"), FAR_DEADLINE_MS);
        await redis.set(key("persistent"), "v");
        await redis.set(key("word"), "hello");
        const error = await errorOf(
          transaction(redis, [
            ["PERSIST", key("volatile")],
            ["SET", key("reset"), "w"], // a SET drops the deadline
            ["EXPIRE", key("persistent"), "100"],
            ["INCR", key("word")],
          ]),
        );
        expect(error).toBe(rolledBack(4, "INCR", NOT_AN_INTEGER));
        expect(await redis.pexpiretime(key("volatile"))).toBe(FAR_DEADLINE_MS);
        expect(await redis.pexpiretime(key("reset"))).toBe(FAR_DEADLINE_MS);
        expect(await redis.get(key("reset"))).toBe("v");
        expect(await redis.pexpiretime(key("persistent"))).toBe(-1);
      });

      it("keys the transaction created are deleted again; keys it deleted or renamed come back", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("old"), "v");
        await redis.rpush(key("list"), "a");
        await redis.set(key("word"), "hello");
        const error = await errorOf(
          transaction(redis, [
            ["SET", key("new"), "1"],
            ["RENAME", key("old"), key("renamed")],
            ["COPY", key("list"), key("copy")],
            ["DEL", key("list")],
            ["SADD", key("set"), "m"],
            ["INCR", key("word")],
          ]),
        );
        expect(error).toBe(rolledBack(6, "INCR", NOT_AN_INTEGER));
        expect(
          await redis.exists(
            key("new"),
            key("renamed"),
            key("copy"),
            key("set"),
          ),
        ).toBe(0);
        expect(await redis.get(key("old"))).toBe("v");
        expect(await redis.lrange(key("list"), 0, -1)).toEqual(["a"]);
      });

      it("keys in several databases: SELECT, MOVE and COPY ... DB inside the transaction; the client is back in its own database", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.select(3);
        await redis.set(key("here"), "3");
        await redis.set(key("word"), "hello");
        const other = await server.client({ db: 4 });
        await other.set(key("there"), "4");
        const error = await errorOf(
          transaction(redis, [
            ["MOVE", key("here"), "5"],
            ["COPY", key("word"), key("copied"), "DB", "6"],
            ["SELECT", "4"],
            ["SET", key("there"), "changed"],
            ["SET", key("new in 4"), "x"],
            ["SELECT", "3"],
            ["INCR", key("word")],
          ]),
        );
        expect(error).toBe(rolledBack(7, "INCR", NOT_AN_INTEGER));
        expect(await redis.get(key("here"))).toBe("3");
        expect(await other.get(key("there"))).toBe("4");
        expect(await other.exists(key("new in 4"))).toBe(0);
        for (const db of [5, 6]) {
          const look = await server.client({ db });
          expect(await look.exists(key("here"), key("copied"))).toBe(0);
        }
        // The transaction's last SELECT was 3 anyway; one that stayed in 4:
        expect(
          await errorOf(
            transaction(redis, [
              ["SELECT", "4"],
              ["LPUSH", key("there"), "x"],
            ]),
          ),
        ).toBe(rolledBack(2, "LPUSH", WRONGTYPE));
        expect(await redis.get(key("here"))).toBe("3"); // still database 3
      });

      it("SWAPDB is swapped back; FLUSHDB and FLUSHALL give every key back, value and deadline", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.select(9);
        await redis.set(key("in9"), "nine");
        await redis.pexpireat(key("in9"), FAR_DEADLINE_MS);
        await redis.rpush(key("list9"), "a", "b");
        const ten = await server.client({ db: 10 });
        await ten.hset(key("in10"), "f", "ten");
        const before = await everyKey();
        const error = await errorOf(
          transaction(redis, [
            ["SET", key("in9"), "changed"],
            ["SWAPDB", "9", "10"],
            // Another key now, the one database 10 had (none):
            ["SET", key("in9"), "changed again"],
            ["SET", key("after swap"), "x"],
            ["FLUSHDB"],
            ["SET", key("after flushdb"), "x"],
            ["SET", key("after swap"), "again"],
            ["FLUSHALL"],
            ["SET", key("after flushall"), "x"],
            ["LPUSH", key("after flushall"), "x"],
          ]),
        );
        expect(error).toBe(rolledBack(10, "LPUSH", WRONGTYPE));
        expect(await everyKey()).toEqual(before);
        expect(await redis.pexpiretime(key("in9"))).toBe(FAR_DEADLINE_MS);
      });
    });

    describe("every write command is undone", () => {
      /**
       * One transaction that runs every write command of the table once,
       * each changing something (most on keys of every type, some in other
       * databases, then SWAPDB, FLUSHDB and FLUSHALL with writes after
       * each), and fails at its last command. Everything must be as it was.
       */
      it("a transaction of every write command, failing at the end, leaves every database as it found it", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.select(12);
        await redis.set(key("str"), "hello");
        await redis.set(key("n"), "10");
        await redis.set(key("i"), "5");
        await redis.set(key("f"), "1.5");
        await redis.set(key("gone"), "x");
        await redis.pexpireat(key("gone"), FAR_DEADLINE_MS);
        await redis.setbit(key("bits"), 3, 1);
        await redis.rpush(key("l"), ..."abcdefghijkl");
        await redis.rpush(key("l2"), ..."mnopqrst");
        await redis.hset(key("h"), "f1", "1", "f2", "2", "f3", "x");
        await redis.sadd(key("s"), "1", "2", "3");
        await redis.sadd(key("s2"), "a", "b", "c");
        await redis.sadd(key("s3"), "b", "c", "d");
        await redis.zadd(key("z"), "1", "a", "2", "b", "3", "c", "4", "d");
        await redis.zadd(key("z2"), "1", "x", "2", "y", "3", "z");
        await redis.zadd(key("zlex"), "0", "a", "0", "b", "0", "c");
        const thirteen = await server.client({ db: 13 });
        await thirteen.set(key("o"), "thirteen");
        const before = await everyKey();

        const k = key;
        const commands: (string | Buffer)[][] = [
          ["SET", k("s1"), "v"],
          ["SETEX", k("s2"), "100", "v"],
          ["PSETEX", k("s3"), "100000", "v"],
          ["GETEX", k("str"), "EX", "500"],
          ["GETSET", k("str"), "new"],
          ["GETDEL", k("n")],
          ["SETNX", k("s4"), "v"],
          ["MSET", k("m1"), "a", k("m2"), "b"],
          ["MSETNX", k("m3"), "a", k("m4"), "b"],
          ["APPEND", k("str"), "xyz"],
          ["SETRANGE", k("str"), "1", "QQ"],
          ["INCR", k("i")],
          ["DECR", k("i")],
          ["INCRBY", k("i"), "10"],
          ["DECRBY", k("i"), "3"],
          ["INCRBYFLOAT", k("f"), "2.25"],
          ["SETBIT", k("bits"), "7", "1"],
          ["BITOP", "OR", k("bitsdest"), k("bits"), k("str")],
          ["BITFIELD", k("bits"), "SET", "u8", "8", "255"],
          ["DEL", k("s1")],
          ["UNLINK", k("s2")],
          ["RENAME", k("m1"), k("m1r")],
          ["RENAMENX", k("m2"), k("m2r")],
          ["COPY", k("l"), k("lcopy")],
          ["MOVE", k("s3"), "14"],
          ["EXPIRE", k("i"), "100"],
          ["PEXPIRE", k("f"), "100000"],
          ["EXPIREAT", k("m3"), "4102444800"],
          ["PEXPIREAT", k("m4"), "4102444800000"],
          ["PERSIST", k("gone")],
          ["LPUSH", k("l"), "z"],
          ["RPUSH", k("l2"), "w"],
          ["LPUSHX", k("l"), "y"],
          ["RPUSHX", k("l2"), "v"],
          ["LPOP", k("l")],
          ["RPOP", k("l2")],
          ["LSET", k("l"), "0", "Q"],
          ["LTRIM", k("l"), "0", "-2"],
          ["LREM", k("l"), "1", "b"],
          ["LINSERT", k("l"), "BEFORE", "c", "X"],
          ["LMOVE", k("l"), k("l2"), "LEFT", "RIGHT"],
          ["RPOPLPUSH", k("l2"), k("l")],
          ["LMPOP", "1", k("l"), "LEFT"],
          ["BLPOP", k("l"), "0"],
          ["BRPOP", k("l2"), "0"],
          ["BLMOVE", k("l2"), k("l"), "RIGHT", "LEFT", "0"],
          ["BRPOPLPUSH", k("l"), k("l2"), "0"],
          ["BLMPOP", "0", "1", k("l2"), "LEFT"],
          ["HSET", k("h"), "f4", "4"],
          ["HSETNX", k("h"), "f5", "5"],
          ["HMSET", k("h"), "f6", "6"],
          ["HDEL", k("h"), "f1"],
          ["HINCRBY", k("h"), "f2", "3"],
          ["HINCRBYFLOAT", k("h"), "f7", "0.5"],
          ["SADD", k("s"), "4"],
          ["SREM", k("s"), "1"],
          ["SMOVE", k("s2"), k("s3"), "a"],
          ["SINTERSTORE", k("sinter"), k("s2"), k("s3")],
          ["SUNIONSTORE", k("sunion"), k("s2"), k("s3")],
          ["SDIFFSTORE", k("sdiff"), k("s3"), k("s2")],
          ["SPOP", k("s")],
          ["SORT", k("l"), "ALPHA", "STORE", k("sorted")],
          ["ZRANGESTORE", k("zr"), k("z"), "0", "1"],
          ["ZREMRANGEBYRANK", k("z"), "0", "0"],
          ["ZREMRANGEBYSCORE", k("z"), "2", "2"],
          ["ZREMRANGEBYLEX", k("zlex"), "-", "[b"],
          ["ZADD", k("z"), "5", "e"],
          ["ZINCRBY", k("z"), "1", "e"],
          ["ZREM", k("z"), "e"],
          ["ZUNIONSTORE", k("zu"), "2", k("z"), k("z2")],
          ["ZINTERSTORE", k("zi"), "2", k("z"), k("zu")],
          ["ZDIFFSTORE", k("zd"), "2", k("zu"), k("z")],
          ["ZPOPMIN", k("z2")],
          ["ZPOPMAX", k("zu")],
          ["ZMPOP", "1", k("zu"), "MIN"],
          ["BZPOPMIN", k("zu"), "0"],
          ["BZPOPMAX", k("zi"), "0"],
          ["BZMPOP", "0", "1", k("zi"), "MAX"],
          ["SWAPDB", "12", "13"],
          ["SET", k("after swap"), "v"],
          ["FLUSHDB"],
          ["SET", k("after flushdb"), "v"],
          ["SELECT", "13"],
          ["SET", k("in 13"), "v"],
          ["FLUSHALL"],
          // A later chapter's write commands, when this server has them:
          // chapter 08's RESTORE, and RESTORE-ASKING, which MIGRATE sends.
          ...(await laterWriteCommands(redis, k)),
          ["SET", k("w"), "word"],
          ["INCR", k("w")],
        ];
        expect(await errorOf(transaction(redis, commands))).toBe(
          rolledBack(commands.length, "INCR", NOT_AN_INTEGER),
        );
        expect(await everyKey()).toEqual(before);
        expect(await redis.get(key("str"))).toBe("hello"); // back in 12

        // The sweep names every write command this server has.
        const table = (await redis.call("COMMAND")) as [
          string,
          number,
          string[],
        ][];
        const writers = table
          .filter(([, , flags]) => [...flags].includes("write"))
          .map(([name]) => name.toUpperCase());
        const swept = new Set(commands.map(([name]) => String(name)));
        expect(
          writers.filter(
            (name) => !swept.has(name) && !REFUSED_IN_EXEC.has(name),
          ),
        ).toEqual([]);
      });
    });

    describe("what else sees the rollback", () => {
      it("a client waiting on a key the transaction filled is not served what was taken back", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("word"), "hello");
        const waiter = await server.client();
        const waiterId = (await waiter.client("ID")) as number;
        const popped = waiter.blpop(key("queue"), 0);
        await untilBlocked(redis, waiterId);
        expect(
          await errorOf(
            transaction(redis, [
              ["RPUSH", key("queue"), "taken back"],
              ["INCR", key("word")],
            ]),
          ),
        ).toBe(rolledBack(2, "INCR", NOT_AN_INTEGER));
        expect(await redis.exists(key("queue"))).toBe(0);
        await redis.rpush(key("queue"), "real");
        expect(await popped).toEqual([key("queue"), "real"]);
      });

      it("a client that WATCHes a key the transaction changed fails its EXEC: the key was changed, twice", async () => {
        const redis = await rollbackClient();
        const key = keysForThisTest();
        await redis.set(key("k"), "v");
        await redis.set(key("word"), "hello");
        const watcher = await server.client();
        expect(await watcher.watch(key("k"))).toBe("OK");
        expect(
          await errorOf(
            transaction(redis, [
              ["SET", key("k"), "w"],
              ["INCR", key("word")],
            ]),
          ),
        ).toBe(rolledBack(2, "INCR", NOT_AN_INTEGER));
        expect(await redis.get(key("k"))).toBe("v");
        expect(await transaction(watcher, [["GET", key("k")]])).toBeNull();
      });

      itInProcess(
        "the AOF: nothing of a rolled-back transaction; a successful one as one MULTI ... EXEC block",
        async () => {
          const aof = await startRestartableServer({ "multi-rollback": "yes" });
          const redis = await aof.client();
          const key = keysForThisTest();
          await redis.set(key("word"), "hello");
          const size = aofBytes(aof).length;
          expect(
            await errorOf(
              transaction(redis, [
                ["SET", key("a"), "1"],
                ["SELECT", "2"],
                ["RPUSH", key("l"), "x"],
                ["SELECT", "0"],
                ["INCR", key("word")],
              ]),
            ),
          ).toBe(rolledBack(5, "INCR", NOT_AN_INTEGER));
          expect(aofBytes(aof).length).toBe(size);
          expect(
            await transaction(redis, [
              ["SET", key("a"), "1"],
              ["RPUSH", key("l"), "x"],
            ]),
          ).toEqual(["OK", 1]);
          const written = aofCommands(aofBytes(aof).subarray(size));
          expect(written).toEqual([
            ["MULTI"],
            ["SET", key("a"), "1"],
            ["RPUSH", key("l"), "x"],
            ["EXEC"],
          ]);
          await aof.restart();
          const after = await aof.client();
          expect(await after.get(key("a"))).toBe("1");
          expect(await after.lrange(key("l"), 0, -1)).toEqual(["x"]);
          expect(await after.get(key("word"))).toBe("hello");
          expect(aofRecords(aof).at(-1)).toEqual(["EXEC"]);
        },
      );

      // The restores go through the database's ordinary writes, so an AOF
      // rewrite in progress keeps the old state of what they change, as
      // it does for any write; the rolled-back writes reach neither file.
      itInProcess(
        "an AOF rewrite in progress: the new file holds no trace of the rolled-back transactions",
        async () => {
          const aof = await startRestartableServer({ "multi-rollback": "yes" });
          const redis = await aof.client();
          // Enough items for the rewrite to take many slices of the event
          // loop, with the transactions' keys at several points of its walk.
          const fields = Array.from({ length: 10_000 }, (_, i) => `f${i}`);
          await redis.hset("big hash", ...fields.flatMap((f) => [f, f]));
          await redis.rpush("big list", ...fields);
          const filler = redis.pipeline();
          for (let i = 0; i < 500; i++) filler.set(`filler:${i}`, "v");
          await filler.exec();
          await redis.set("word", "hello");

          let roundsDuringRewrite = 0;
          const limit = performance.now() + REWRITE_LIMIT_MS;
          for (let r = 0; ; r++) {
            if (performance.now() > limit) {
              throw new Error(
                `the rewrite still runs after ${REWRITE_LIMIT_MS} ms`,
              );
            }
            const round = redis.pipeline();
            // The first round in the same write as BGREWRITEAOF: it runs
            // before the rewrite's first slice, however busy the machine.
            if (r === 0) round.call("BGREWRITEAOF");
            round.call("MULTI");
            round.call("HSET", "big hash", `f${r}`, "rolled back", "new", "x");
            round.call("RPOP", "big list");
            round.call("SET", `filler:${r}`, "rolled back");
            round.call("DEL", `filler:${r + 250}`);
            round.call("INCR", "word");
            round.call("EXEC");
            round.call("SET", `filler:${r + 100}`, `kept ${r}`);
            round.call("INFO", "persistence");
            const replies = (await round.exec())!;
            if (r === 0) {
              expect(replies[0]).toEqual([
                null,
                "Background append only file rewriting started",
              ]);
            }
            const [execError] = replies.at(-3)!;
            expect(execError?.message).toMatch(
              /^EXECABORT Transaction rolled back/,
            );
            const info = replies.at(-1)![1] as string;
            if (info.includes("aof_rewrite_in_progress:1")) {
              roundsDuringRewrite += 1;
            } else if (info.includes("aof_rewrites:1")) {
              break;
            }
          }
          expect(roundsDuringRewrite).toBeGreaterThan(0);
          const before = await everyKey(() => aof.client());
          expect(before.get("db0 big hash")).toMatchObject({
            value: expect.not.arrayContaining([["new", "x"]]),
          });
          await aof.restart();
          expect(await everyKey(() => aof.client())).toEqual(before);
        },
      );
    });
  },
);
