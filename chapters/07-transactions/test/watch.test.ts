/**
 * Article step "watch": WATCH and UNWATCH, optimistic locking. A client
 * watches keys, reads them, queues its writes with MULTI, and EXEC runs
 * them only if no watched key changed since WATCH; otherwise EXEC answers
 * a null array (`*-1` in RESP2, `_` in RESP3) and the client tries again.
 *
 * What these tests pin, one describe block each:
 * 1. the rules of WATCH itself: who fails, when watches end (EXEC,
 *    DISCARD, UNWATCH), a watched key twice, WATCH after a change, the
 *    watcher's own writes, databases;
 * 2. what counts as a change: exactly what Redis 7.0 signals
 *    (signalModifiedKey), which is not always what changes the data. SET
 *    of the value a key holds is a change; SETBIT of a bit already so is
 *    not; LTRIM that trims nothing is. Each row was checked against
 *    redis-server 7.0.15;
 * 3. FLUSHDB, FLUSHALL, SWAPDB, MOVE and COPY, which change keys of
 *    other databases or all of them at once;
 * 4. expiry: a watched key that expires fails EXEC, even if nobody
 *    looked at it, but a key that had already expired at WATCH is no
 *    key, before and after it is deleted;
 * 5. clients that wait: what a served BLMOVE pushes is a change;
 * 6. optimistic locking: eight clients incrementing one counter with
 *    WATCH and retries lose no update.
 *
 * Under REDIS_URL the tests share one real Redis with the other files
 * (one file at a time): they make their keys under a random prefix, and
 * work in databases 12 and 13, emptied before use, when they need whole
 * databases. FLUSHALL runs only on a server of its own. No test sleeps for
 * a fixed time: expiry runs on a clock the test moves (our server), or is
 * polled (the server's own clock, ours or Redis's), and every race a real
 * clock allows is detected and run again, never assumed away.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { Redis } from "ioredis";
import {
  itInProcess,
  startChapterServer,
  useServer,
} from "../../../shared/harness.ts";
import { namingCommands } from "../../../shared/replies.ts";
import {
  errorOf,
  keysForThisTest,
  pollUntil,
  serverTimeMs,
} from "./client-helpers.ts";
import { waitingInFor } from "./waiting-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import { itRestarts, startRestartableServer } from "./persistence-helpers.ts";
import { ManualClock } from "./manual-clock.ts";

const server = useServer();
const waitingIn = waitingInFor(server);

/** The databases this file empties and uses whole, on a shared server. */
const DB = 12;
const OTHER_DB = 13;

// #region helpers
/**
 * MULTI, PING, EXEC from `watcher`: ["PONG"] if the transaction ran, null
 * if a watched key changed.
 */
async function execPing(watcher: Redis): Promise<unknown> {
  expect(await watcher.call("MULTI")).toBe("OK");
  expect(await watcher.call("PING")).toBe("QUEUED");
  return watcher.call("EXEC");
}

const RAN = ["PONG"];
const FAILED = null;

/** A client on database `db`, emptied first. */
async function clientOnEmptyDb(db: number): Promise<Redis> {
  const redis = await server.client({ db });
  await redis.flushdb();
  return redis;
}
// #endregion helpers

describe("WATCH makes EXEC conditional", () => {
  it("EXEC runs the transaction if no watched key changed, and answers null, running nothing, if one did", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    const other = await server.client();
    await other.set(key("k"), "1");

    expect(await watcher.watch(key("k"), key("j"))).toBe("OK");
    expect(await watcher.get(key("k"))).toBe("1");
    expect(await watcher.call("MULTI")).toBe("OK");
    expect(await watcher.call("SET", key("k"), "2")).toBe("QUEUED");
    expect(await watcher.call("EXEC")).toEqual(["OK"]);
    expect(await other.get(key("k"))).toBe("2");

    await watcher.watch(key("k"));
    await other.set(key("k"), "3");
    await watcher.call("MULTI");
    await watcher.call("SET", key("k"), "4");
    await watcher.call("SET", key("x"), "4");
    expect(await watcher.call("EXEC")).toBeNull();
    expect(await other.mget(key("k"), key("x"))).toEqual(["3", null]);
  });

  it("the failed EXEC is *-1 in RESP2 and _ in RESP3, on the wire", async () => {
    const key = keysForThisTest();
    const other = await server.client();
    for (const protocol of [2, 3] as const) {
      const raw = await speakProtocol(await server.raw(), protocol);
      await raw.send(encodeCommand("WATCH", key("k")));
      await expectBytes(raw, "+OK\r\n");
      await other.set(key("k"), "changed");
      await raw.send(
        Buffer.concat([
          encodeCommand("MULTI"),
          encodeCommand("PING"),
          encodeCommand("EXEC"),
        ]),
      );
      await expectBytes(
        raw,
        `+OK\r\n+QUEUED\r\n${protocol === 2 ? "*-1" : "_"}\r\n`,
      );
      raw.close();
    }
  });

  it("a change while the commands are queued fails EXEC too", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    const other = await server.client();
    await watcher.watch(key("k"));
    await watcher.call("MULTI");
    expect(await watcher.call("INCR", key("counter"))).toBe("QUEUED");
    await other.del(key("nothing")); // no change: a missing key
    await other.set(key("k"), "v");
    // Still answered QUEUED, as in Redis, though it will never run.
    expect(await watcher.call("INCR", key("counter"))).toBe("QUEUED");
    expect(await watcher.call("EXEC")).toBeNull();
    expect(await other.exists(key("counter"))).toBe(0);
  });

  it("the watcher's own write between WATCH and MULTI fails its own EXEC; its writes inside the transaction do not", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    await watcher.watch(key("k"));
    await watcher.set(key("k"), "mine");
    expect(await execPing(watcher)).toBe(FAILED);

    // EXEC checks the watches before it runs anything.
    await watcher.watch(key("k"));
    await watcher.call("MULTI");
    await watcher.call("SET", key("k"), "1");
    await watcher.call("SET", key("k"), "2");
    expect(await watcher.call("EXEC")).toEqual(["OK", "OK"]);
    expect(await watcher.get(key("k"))).toBe("2");
  });

  it("every client that watches the key fails, and only they", async () => {
    const key = keysForThisTest();
    const other = await server.client();
    const ofK = await Promise.all([1, 2, 3].map(() => server.client()));
    const ofJ = await server.client();
    for (const watcher of ofK) await watcher.watch(key("k"), key("i"));
    await ofJ.watch(key("j"), key("i"));
    await other.set(key("k"), "v");
    for (const watcher of ofK) expect(await execPing(watcher)).toBe(FAILED);
    expect(await execPing(ofJ)).toEqual(RAN);
  });

  it("a key watched twice is watched once: one change fails one EXEC, and the next transaction is free", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    const other = await server.client();
    await watcher.watch(key("k"), key("k"));
    await watcher.watch(key("k"));
    await other.set(key("k"), "1");
    await other.set(key("k"), "2");
    expect(await execPing(watcher)).toBe(FAILED);
    await other.set(key("k"), "3");
    expect(await execPing(watcher)).toEqual(RAN);
  });

  it("EXEC, failed or not, and DISCARD unwatch every key", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    const other = await server.client();

    await watcher.watch(key("k"));
    expect(await execPing(watcher)).toEqual(RAN);
    await other.set(key("k"), "1");
    expect(await execPing(watcher)).toEqual(RAN);

    await watcher.watch(key("k"));
    await other.set(key("k"), "2");
    expect(await execPing(watcher)).toBe(FAILED);
    await other.set(key("k"), "3");
    expect(await execPing(watcher)).toEqual(RAN);

    await watcher.watch(key("k"));
    await watcher.call("MULTI");
    expect(await watcher.call("DISCARD")).toBe("OK");
    await other.set(key("k"), "4");
    expect(await execPing(watcher)).toEqual(RAN);
  });

  it("UNWATCH forgets the keys, and a change already seen; it always answers OK", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    const other = await server.client();
    expect(await watcher.unwatch()).toBe("OK");

    await watcher.watch(key("k"));
    expect(await watcher.unwatch()).toBe("OK");
    await other.set(key("k"), "1");
    expect(await execPing(watcher)).toEqual(RAN);

    await watcher.watch(key("k"));
    await other.set(key("k"), "2");
    await watcher.unwatch();
    expect(await execPing(watcher)).toEqual(RAN);
  });

  it("WATCH after a watched key changed answers OK, and EXEC fails all the same", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    const other = await server.client();
    await watcher.watch(key("k"));
    await other.set(key("k"), "1");
    expect(await watcher.watch(key("j"))).toBe("OK");
    expect(await execPing(watcher)).toBe(FAILED);
    // And the failed EXEC left nothing behind.
    await watcher.watch(key("j"));
    expect(await execPing(watcher)).toEqual(RAN);
  });

  it("WATCH is refused inside MULTI, without dooming the transaction, and needs a key", async () => {
    const key = keysForThisTest();
    const watcher = await server.client();
    await watcher.call("MULTI");
    expect(await errorOf(watcher.watch(key("k")))).toBe(
      "ERR WATCH inside MULTI is not allowed",
    );
    await watcher.call("PING");
    expect(await watcher.call("EXEC")).toEqual(["PONG"]);
    expect(await errorOf(watcher.call("WATCH"))).toBe(
      "ERR wrong number of arguments for 'watch' command",
    );
  });

  it("a watch belongs to its database: the key there, whatever SELECT says later", async () => {
    const key = keysForThisTest();
    const watcher = await server.client({ db: DB });
    const inDb = await server.client({ db: DB });
    const inOther = await server.client({ db: OTHER_DB });

    await watcher.watch(key("k"));
    await inOther.set(key("k"), "elsewhere");
    expect(await execPing(watcher)).toEqual(RAN);

    await watcher.watch(key("k"));
    await watcher.select(OTHER_DB);
    await inDb.set(key("k"), "here");
    expect(await execPing(watcher)).toBe(FAILED);
  });
});

// #region changes
/**
 * A row of the tables below: what another client does between WATCH and
 * EXEC, and whether Redis 7.0.15 counts it as a change of the watched key
 * `@k`. Words starting with `@` are key names, made unique per test.
 */
interface Change {
  readonly name: string;
  /** Commands run before WATCH, to make the keys. */
  readonly before: readonly string[][];
  /** The command run between WATCH and EXEC (its reply, even an error, does not matter). */
  readonly command: readonly string[];
}

/**
 * Rows written as a table, one a line: the name, the commands run before
 * WATCH (`;` between two), and the command; words are separated by
 * spaces, and `""` is an empty argument. MOVE and COPY ... DB go to
 * OTHER_DB, where the keys' random names meet no other test's.
 */
function changes(text: string): Change[] {
  const words = (command: string): string[] =>
    command
      .trim()
      .split(/ +/)
      .map((word) => (word === '""' ? "" : word));
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [name, before, command] = line.split(" | ");
      return {
        name: name!.trim(),
        before: before!.trim() === "" ? [] : before!.split(";").map(words),
        command: words(command!),
      };
    });
}

/** What Redis signals: EXEC fails. */
const CHANGES = changes(`
  SET of the value it holds                       | SET @k v               | SET @k v
  SET ... KEEPTTL of the value it holds           | SET @k v EX 100        | SET @k v KEEPTTL
  APPEND of nothing                               | SET @k v               | APPEND @k ""
  APPEND of nothing to no key (which makes one)   |                        | APPEND @k ""
  INCRBY 0                                        | SET @k 5               | INCRBY @k 0
  INCRBYFLOAT 0                                   | SET @k 5               | INCRBYFLOAT @k 0
  SETRANGE writing the bytes already there        | SET @k abc             | SETRANGE @k 1 b
  HSET of the value the field holds               | HSET @k f v            | HSET @k f v
  HINCRBY 0                                       | HSET @k f 1            | HINCRBY @k f 0
  LSET to the element already there               | RPUSH @k a             | LSET @k 0 a
  LTRIM that trims nothing                        | RPUSH @k a b           | LTRIM @k 0 -1
  LMOVE from a list to itself                     | RPUSH @k a             | LMOVE @k @k LEFT RIGHT
  EXPIRE                                          | SET @k v               | EXPIRE @k 100
  EXPIRE with a time already past (a delete)      | SET @k v               | EXPIRE @k -1
  PERSIST of a key with a deadline                | SET @k v EX 100        | PERSIST @k
  GETEX EX                                        | SET @k v               | GETEX @k EX 100
  GETEX PERSIST of a key with a deadline          | SET @k v EX 100        | GETEX @k PERSIST
  GETDEL                                          | SET @k v               | GETDEL @k
  DEL                                             | SET @k v               | DEL @k
  RENAME of it                                    | SET @k v               | RENAME @k @j
  RENAME onto it                                  | SET @j v               | RENAME @j @k
  COPY onto it                                    | SET @j v               | COPY @j @k
  COPY ... REPLACE onto it                        | SET @j v; SET @k w     | COPY @j @k REPLACE
  MOVE of it to another database                  | SET @k v               | MOVE @k ${OTHER_DB}
  SORT ... STORE into it                          | RPUSH @j 2 1           | SORT @j STORE @k
  SORT ... STORE of nothing into it (a delete)    | SET @k v               | SORT @j STORE @k
  SINTERSTORE of nothing into it (a delete)       | SET @k v               | SINTERSTORE @k @j
  SINTERSTORE of itself into itself               | SADD @k a              | SINTERSTORE @k @k
  ZINTERSTORE of nothing into it (a delete)       | SET @k v               | ZINTERSTORE @k 1 @j
  ZRANGESTORE of nothing into it (a delete)       | SET @k v               | ZRANGESTORE @k @j 0 -1
  BITOP of nothing into it (a delete)             | SET @k v               | BITOP AND @k @j
  SETBIT that moves a bit                         | SET @k \x00            | SETBIT @k 0 1
  SETBIT of a 0 that lengthens the string         | SET @k \x00            | SETBIT @k 20 0
  SETBIT of a 0 to no key (which makes one)       |                        | SETBIT @k 3 0
  BITFIELD SET of a 0 that lengthens the string   | SET @k \x00            | BITFIELD @k SET u8 16 0
  BITFIELD INCRBY that moves a bit                | SET @k \x05            | BITFIELD @k INCRBY u8 0 1
  ZINCRBY 0 of a new member                       | ZADD @k 1 m            | ZINCRBY @k 0 n
  ZADD of another score                           | ZADD @k 1 m            | ZADD @k 2 m
  SMOVE out of it                                 | SADD @k a b            | SMOVE @k @j a
  SMOVE out of it, to a set that holds the member | SADD @k a b; SADD @j a | SMOVE @k @j a
  SPOP of every member                            | SADD @k a b            | SPOP @k 5
  BLPOP that finds data                           | RPUSH @k a             | BLPOP @k 0
`);

/** What Redis does not signal: EXEC runs. */
const NOT_CHANGES = changes(`
  GET                                                           | SET @k v             | GET @k
  GETEX without an option                                       | SET @k v EX 100      | GETEX @k
  TOUCH                                                         | SET @k v             | TOUCH @k
  DEL of no key                                                 |                      | DEL @k
  GETDEL of no key                                              |                      | GETDEL @k
  PERSIST of a key without a deadline                           | SET @k v             | PERSIST @k
  GETEX PERSIST of a key without a deadline                     | SET @k v             | GETEX @k PERSIST
  EXPIRE of no key                                              |                      | EXPIRE @k 100
  EXPIRE ... NX of a key with a deadline                        | SET @k v EX 100      | EXPIRE @k 200 NX
  SETNX of a key that exists                                    | SET @k v             | SETNX @k w
  SET ... NX of a key that exists                               | SET @k v             | SET @k w NX
  SET ... XX of no key                                          |                      | SET @k w XX
  MSETNX that sets nothing                                      | SET @k v             | MSETNX @j 1 @k 2
  INCR of a word (an error)                                     | SET @k x             | INCR @k
  SET ... GET of a list (an error)                              | RPUSH @k a           | SET @k v GET
  SETRANGE of nothing                                           | SET @k abc           | SETRANGE @k 1 ""
  SETRANGE of nothing past the end                              | SET @k a             | SETRANGE @k 3 ""
  SETRANGE of nothing to no key                                 |                      | SETRANGE @k 1 ""
  SETBIT of a 0 that is 0                                       | SET @k \x00          | SETBIT @k 0 0
  SETBIT of a 1 that is 1, in a number (which Redis makes raw)  | SET @k 1             | SETBIT @k 2 1
  BITFIELD SET of the value there                               | SET @k \x05          | BITFIELD @k SET u8 0 5
  BITFIELD INCRBY 0                                             | SET @k \x05          | BITFIELD @k INCRBY u8 0 0
  BITFIELD GET                                                  | SET @k \x05          | BITFIELD @k GET u8 0
  BITFIELD OVERFLOW FAIL that fails, lengthening the string     | SET @k \x05          | BITFIELD @k OVERFLOW FAIL INCRBY u8 16 300
  BITFIELD OVERFLOW FAIL that fails, on no key (which it makes) |                      | BITFIELD @k OVERFLOW FAIL INCRBY u8 0 300
  ZINCRBY 0 of a member                                         | ZADD @k 1 m          | ZINCRBY @k 0 m
  ZADD of the score a member has                                | ZADD @k 1 m          | ZADD @k 1 m
  ZADD ... GT of a lower score                                  | ZADD @k 5 m          | ZADD @k GT 2 m
  ZADD ... XX to no key                                         |                      | ZADD @k XX 2 m
  ZREM of no member                                             | ZADD @k 1 m          | ZREM @k x
  ZREMRANGEBYSCORE of nothing                                   | ZADD @k 1 m          | ZREMRANGEBYSCORE @k 5 6
  ZPOPMIN ... 0                                                 | ZADD @k 1 m          | ZPOPMIN @k 0
  HSETNX of a field that exists                                 | HSET @k f v          | HSETNX @k f w
  HDEL of no field                                              | HSET @k f v          | HDEL @k g
  SADD of a member it holds                                     | SADD @k a            | SADD @k a
  SREM of no member                                             | SADD @k a            | SREM @k b
  SMOVE within one set                                          | SADD @k a            | SMOVE @k @k a
  SMOVE into it of a member it holds                            | SADD @j a; SADD @k a | SMOVE @j @k a
  SPOP ... 0                                                    | SADD @k a            | SPOP @k 0
  LTRIM of no key                                               |                      | LTRIM @k 0 0
  LREM of no element                                            | RPUSH @k a           | LREM @k 0 x
  LINSERT without its pivot                                     | RPUSH @k a           | LINSERT @k BEFORE x y
  LPUSHX to no key                                              |                      | LPUSHX @k a
  LPOP ... 0                                                    | RPUSH @k a           | LPOP @k 0
  LMOVE from no list into it                                    | RPUSH @k a           | LMOVE @j @k LEFT LEFT
  RENAME onto itself                                            | SET @k v             | RENAME @k @k
  RENAMENX onto itself                                          | SET @k v             | RENAMENX @k @k
  RENAMENX onto it, which exists                                | SET @j v; SET @k w   | RENAMENX @j @k
  COPY of it                                                    | SET @k v             | COPY @k @j
  COPY onto it without REPLACE                                  | SET @j v; SET @k w   | COPY @j @k
  COPY of it to another database                                | SET @k v             | COPY @k @k DB ${OTHER_DB}
  SORT ... STORE of nothing into no key                         |                      | SORT @j STORE @k
  SUNIONSTORE of nothing into no key                            |                      | SUNIONSTORE @k @j
  SDIFFSTORE of nothing into no key                             | SADD @j a            | SDIFFSTORE @k @j @j
  ZUNIONSTORE of nothing into no key                            |                      | ZUNIONSTORE @k 1 @j
  ZRANGESTORE of nothing into no key                            |                      | ZRANGESTORE @k @j 0 -1
  BITOP of nothing into no key                                  |                      | BITOP OR @k @j
  SORT of it, without STORE                                     | RPUSH @k 2 1         | SORT @k
  ZRANGESTORE from it                                           | ZADD @k 1 m          | ZRANGESTORE @j @k 0 -1
`);

/** The shared watcher and writer of the table's rows, connected on first use. */
let pair: Promise<{ watcher: Redis; other: Redis }> | undefined;
function watcherAndOther(): Promise<{ watcher: Redis; other: Redis }> {
  pair ??= (async () => ({
    watcher: await server.client(),
    other: await server.client(),
  }))();
  return pair;
}

/** Runs a row of the table: the EXEC reply, RAN or FAILED. */
async function execAround(change: Change): Promise<unknown> {
  const key = keysForThisTest();
  const words = (command: readonly string[]): string[] =>
    command.map((word) => (word.startsWith("@") ? key(word.slice(1)) : word));
  const { watcher, other } = await watcherAndOther();
  for (const command of change.before) {
    const [name, ...args] = words(command);
    await other.call(name!, ...args);
  }
  await watcher.watch(key("k"));
  const [name, ...args] = words(change.command);
  await other.call(name!, ...args).catch(() => "an error: no matter");
  return execPing(watcher);
}

describe("what counts as a change: what Redis signals", () => {
  for (const change of CHANGES) {
    it(`${change.name} fails EXEC`, async () => {
      expect(await execAround(change)).toBe(FAILED);
    });
  }

  for (const change of NOT_CHANGES) {
    it(`${change.name} does not`, async () => {
      expect(await execAround(change)).toEqual(RAN);
    });
  }
});
// #endregion changes

describe("whole databases: FLUSHDB, FLUSHALL, SWAPDB; MOVE and COPY", () => {
  it("FLUSHDB changes the watched keys that exist, not the missing ones, and only in its database", async () => {
    const key = keysForThisTest();
    const db = await clientOnEmptyDb(DB);
    const other = await clientOnEmptyDb(OTHER_DB);
    const [existing, missing, elsewhere] = await Promise.all(
      [DB, DB, OTHER_DB].map((n) => server.client({ db: n })),
    );
    await db.set(key("k"), "v");
    await other.set(key("k"), "v");
    await existing!.watch(key("k"));
    await missing!.watch(key("missing"));
    await elsewhere!.watch(key("missing"));
    expect(await db.flushdb()).toBe("OK");
    expect(await execPing(existing!)).toBe(FAILED);
    expect(await execPing(missing!)).toEqual(RAN);

    await elsewhere!.watch(key("k"));
    await db.set(key("k"), "v");
    await db.flushdb();
    expect(await execPing(elsewhere!)).toEqual(RAN);
  });

  itRestarts(
    "FLUSHALL changes the watched keys that exist, in every database (on a server of its own)",
    async () => {
      const own = await startRestartableServer({ appendonly: "no" });
      const writer = await own.client();
      const [inZero, inFive, missing] = await Promise.all(
        [0, 5, 0].map((db) => own.client({ db })),
      );
      await writer.set("k", "v");
      await writer.select(5);
      await writer.set("k5", "v");
      await inZero!.watch("k");
      await inFive!.watch("k5");
      await missing!.watch("missing");
      expect(await writer.flushall()).toBe("OK");
      expect(await execPing(inZero!)).toBe(FAILED);
      expect(await execPing(inFive!)).toBe(FAILED);
      expect(await execPing(missing!)).toEqual(RAN);
    },
  );

  it("SWAPDB changes a watched key that exists on either side; not one on neither, nor SWAPDB of a database with itself", async () => {
    const key = keysForThisTest();
    const db = await clientOnEmptyDb(DB);
    const other = await clientOnEmptyDb(OTHER_DB);
    await db.set(key("here"), "v");
    await other.set(key("there"), "v");
    const watchers = new Map<string, Redis>();
    for (const name of ["here", "there", "nowhere"]) {
      const watcher = await server.client({ db: DB });
      await watcher.watch(key(name));
      watchers.set(name, watcher);
    }
    expect(await db.swapdb(DB, OTHER_DB)).toBe("OK");
    expect(await execPing(watchers.get("here")!)).toBe(FAILED);
    expect(await execPing(watchers.get("there")!)).toBe(FAILED);
    expect(await execPing(watchers.get("nowhere")!)).toEqual(RAN);

    // Database DB now holds `there`.
    const watcher = watchers.get("there")!;
    await watcher.watch(key("there"));
    expect(await db.swapdb(DB, DB)).toBe("OK");
    expect(await execPing(watcher)).toEqual(RAN);
  });

  it("MOVE and COPY ... DB into the watcher's database change the key there; a write elsewhere does not", async () => {
    const key = keysForThisTest();
    const db = await clientOnEmptyDb(DB);
    await clientOnEmptyDb(OTHER_DB);
    const watcher = await server.client({ db: OTHER_DB });
    await db.set(key("k"), "v");

    await watcher.watch(key("k"));
    expect(await db.copy(key("k"), key("k"), "DB", OTHER_DB)).toBe(1);
    expect(await execPing(watcher)).toBe(FAILED);

    await watcher.watch(key("k"));
    await db.set(key("k"), "w"); // in DB: not the watched key
    expect(await execPing(watcher)).toEqual(RAN);

    await watcher.del(key("k"));
    await watcher.watch(key("k"));
    expect(await db.move(key("k"), OTHER_DB)).toBe(1);
    expect(await execPing(watcher)).toBe(FAILED);

    // A MOVE that fails (the key is there already) changes nothing.
    await db.set(key("k"), "again");
    await watcher.watch(key("k"));
    expect(await db.move(key("k"), OTHER_DB)).toBe(0);
    expect(await execPing(watcher)).toEqual(RAN);
  });
});

// #region expiry
/**
 * How time passes for an expiry test, and the clients of its server:
 * - on our server with a manual clock (in-process only), time moves when
 *   the test says, and the active expiry cycle runs only at its ticks
 *   (every 100 ms at hz 10): nothing expires or is deleted behind the
 *   test's back, so each test also checks that nothing was;
 * - on the server's own clock (ours, or Redis under REDIS_URL), the test
 *   polls the server's TIME, and the active cycle may delete a key at
 *   any moment: a test that needs a key alive, or expired but not yet
 *   deleted, at one moment checks that it was, and tries again if not.
 * Every test's keys live in database DB, emptied first.
 */
interface Timeline {
  /** Whether nothing happens behind the test's back (the manual clock). */
  readonly frozen: boolean;
  /** A client in database DB (or `db`). */
  client(db?: number): Promise<Redis>;
  /** The server's clock, in ms. */
  now(redis: Redis): Promise<number>;
  /** Returns once the server's clock is past `deadline`, without looking at a key. */
  passDeadline(redis: Redis, deadline: number): Promise<void>;
  /** Returns once the active expiry cycle has deleted the expired keys of DB. */
  activeExpiry(redis: Redis): Promise<void>;
}

/** The active expiry cycle's period at the default hz 10. */
const TICK_MS = 100;

async function onManualClock(): Promise<Timeline> {
  const clock = new ManualClock();
  const own = await startChapterServer({ clock });
  return {
    frozen: true,
    client: (db = DB) => clientOf(own.port, db),
    now: () => Promise.resolve(clock.now()),
    passDeadline(_redis, deadline) {
      clock.advance(Math.max(deadline - clock.now() + 1, 0));
      return Promise.resolve();
    },
    async activeExpiry(redis) {
      await pollUntil(
        async () => {
          clock.advance(TICK_MS);
          return redis.dbsize();
        },
        0,
        "the active expiry cycle",
      );
    },
  };
}

async function onItsOwnClock(): Promise<Timeline> {
  return {
    frozen: false,
    client: (db = DB) => server.client({ db }),
    now: serverTimeMs,
    async passDeadline(redis, deadline) {
      await pollUntil(
        async () => (await serverTimeMs(redis)) > deadline,
        true,
        "the deadline",
        { everyMs: 2 },
      );
    },
    async activeExpiry(redis) {
      await pollUntil(() => redis.dbsize(), 0, "the active expiry cycle");
    },
  };
}

/** A client of a server this test started itself, closed when the test ends. */
async function clientOf(port: number, db: number): Promise<Redis> {
  const redis = new Redis({
    port,
    host: "127.0.0.1",
    db,
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
  return namingCommands(redis);
}

/**
 * Runs `round` until it answers true (the moment it needed came out as
 * it needed), at most 8 times, with a time to live for its keys that
 * doubles each time: 20 ms, then 40, up to 2.56 s, for a machine too busy
 * to make a key and watch it within 20 ms. On the manual clock the first
 * round always wins.
 */
async function untilRoundWon(
  round: (ttlMs: number) => Promise<boolean>,
): Promise<void> {
  for (let n = 0; n < 8; n += 1) if (await round(20 * 2 ** n)) return;
  throw new Error("8 rounds, and the server never gave the moment needed");
}

/**
 * Sets `key` (in an emptied database DB) to expire `ttlMs` from now, and
 * WATCHes it while it is alive: answers its deadline, or undefined if it
 * had expired by then (a slow turn). Alive after WATCH means alive at
 * WATCH: PTTL, which would delete an expired key, finds it alive.
 */
async function watchAlive(
  watcher: Redis,
  timeline: Timeline,
  key: string,
  ttlMs: number,
): Promise<number | undefined> {
  await watcher.unwatch();
  await watcher.flushdb();
  const deadline = (await timeline.now(watcher)) + ttlMs;
  await watcher.set(key, "v", "PXAT", deadline);
  await watcher.watch(key);
  if ((await watcher.pttl(key)) >= 0) return deadline;
  return undefined;
}

/**
 * Sets `key` (in an emptied database DB) to expire, lets its deadline
 * pass, and WATCHes it before anything deletes it; false if something did
 * (the active cycle). DBSIZE counts an expired key without deleting it: 1
 * after WATCH means the key was there at WATCH, past its deadline.
 */
async function watchExpired(
  watcher: Redis,
  timeline: Timeline,
  key: string,
  ttlMs: number,
): Promise<boolean> {
  await watcher.unwatch();
  await watcher.flushdb();
  const deadline = (await timeline.now(watcher)) + ttlMs;
  await watcher.set(key, "v", "PXAT", deadline);
  await timeline.passDeadline(watcher, deadline);
  await watcher.watch(key);
  return (await watcher.dbsize()) === 1;
}

const TIMELINES = [
  {
    name: "on our server's manual clock",
    test: itInProcess,
    start: onManualClock,
  },
  { name: "on the server's own clock", test: it, start: onItsOwnClock },
];

for (const { name, test, start } of TIMELINES) {
  describe(`expiry, ${name}`, () => {
    test("a watched key that expires fails EXEC, though nobody looked at it", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const watcher = await timeline.client();
      let deadline: number | undefined;
      await untilRoundWon(async (ttlMs) => {
        deadline = await watchAlive(watcher, timeline, key("k"), ttlMs);
        return deadline !== undefined;
      });
      await timeline.passDeadline(watcher, deadline!);
      // Not deleted: EXEC itself sees that the key expired.
      if (timeline.frozen) expect(await watcher.dbsize()).toBe(1);
      expect(await execPing(watcher)).toBe(FAILED);
    });

    test("... and when a lookup deleted it", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const watcher = await timeline.client();
      const other = await timeline.client();
      let deadline: number | undefined;
      await untilRoundWon(async (ttlMs) => {
        deadline = await watchAlive(watcher, timeline, key("k"), ttlMs);
        return deadline !== undefined;
      });
      await timeline.passDeadline(watcher, deadline!);
      expect(await other.get(key("k"))).toBeNull();
      expect(await other.dbsize()).toBe(0);
      expect(await execPing(watcher)).toBe(FAILED);
    });

    test("... and when the active expiry cycle deleted it", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const watcher = await timeline.client();
      await untilRoundWon(
        async (ttlMs) =>
          (await watchAlive(watcher, timeline, key("k"), ttlMs)) !== undefined,
      );
      await timeline.activeExpiry(watcher);
      expect(await execPing(watcher)).toBe(FAILED);
    });

    test("a key already expired at WATCH is no key: EXEC runs, whether nobody looked or a lookup deleted it", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const watcher = await timeline.client();
      const other = await timeline.client();
      await untilRoundWon((ttlMs) =>
        watchExpired(watcher, timeline, key("k"), ttlMs),
      );
      expect(await execPing(watcher)).toEqual(RAN);

      await untilRoundWon((ttlMs) =>
        watchExpired(watcher, timeline, key("k"), ttlMs),
      );
      expect(await other.get(key("k"))).toBeNull(); // deletes it
      expect(await execPing(watcher)).toEqual(RAN);
    });

    test("... nor when the active expiry cycle deleted it, or FLUSHDB did", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const watcher = await timeline.client();
      const other = await timeline.client();
      await untilRoundWon((ttlMs) =>
        watchExpired(watcher, timeline, key("k"), ttlMs),
      );
      await timeline.activeExpiry(watcher);
      expect(await execPing(watcher)).toEqual(RAN);

      await untilRoundWon((ttlMs) =>
        watchExpired(watcher, timeline, key("k"), ttlMs),
      );
      expect(await other.flushdb()).toBe("OK");
      expect(await execPing(watcher)).toEqual(RAN);
    });

    test("... but a key written after it was deleted is a change", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const watcher = await timeline.client();
      const other = await timeline.client();
      await untilRoundWon((ttlMs) =>
        watchExpired(watcher, timeline, key("k"), ttlMs),
      );
      expect(await other.set(key("k"), "new")).toBe("OK");
      expect(await execPing(watcher)).toBe(FAILED);
    });

    test("SWAPDB: an expired key and no key are one; a live key on either side is a change", async () => {
      const timeline = await start();
      const key = keysForThisTest();
      const here = await timeline.client(DB);
      const there = await timeline.client(OTHER_DB);
      // Every pair of live, expired and missing, here (DB) and there.
      const kinds = ["live", "expired", "none"] as const;
      const pairs = kinds.flatMap((a) => kinds.map((b) => [a, b] as const));
      const watchers = await Promise.all(pairs.map(() => timeline.client()));
      const present = (side: 0 | 1): number =>
        pairs.filter((pair) => pair[side] !== "none").length;

      await untilRoundWon(async (ttlMs) => {
        await Promise.all(watchers.map((watcher) => watcher.unwatch()));
        await here.flushdb();
        await there.flushdb();
        const deadline = (await timeline.now(here)) + ttlMs;
        for (const [a, b] of pairs) {
          const name = key(`${a}/${b}`);
          for (const [kind, client] of [
            [a, here],
            [b, there],
          ] as const) {
            if (kind === "live") await client.set(name, "v");
            if (kind === "expired")
              await client.set(name, "v", "PXAT", deadline);
          }
        }
        await timeline.passDeadline(here, deadline);
        for (const [i, [a, b]] of pairs.entries()) {
          await watchers[i]!.watch(key(`${a}/${b}`));
        }
        // Both sides whole, expired keys included, at WATCH and at SWAPDB:
        // DBSIZE and SWAPDB in one transaction, which nothing can enter.
        await here.call("MULTI");
        await here.call("DBSIZE");
        await here.call("SELECT", String(OTHER_DB));
        await here.call("DBSIZE");
        await here.call("SELECT", String(DB));
        await here.call("SWAPDB", String(DB), String(OTHER_DB));
        const replies = (await here.call("EXEC")) as unknown[];
        return replies[0] === present(0) && replies[2] === present(1);
      });

      const outcomes: Record<string, string> = {};
      for (const [i, [a, b]] of pairs.entries()) {
        outcomes[`${a}/${b}`] =
          (await execPing(watchers[i]!)) === FAILED ? "fails" : "runs";
      }
      expect(outcomes).toEqual({
        "live/live": "fails",
        "live/expired": "fails",
        "live/none": "fails",
        "expired/live": "fails",
        "expired/expired": "runs",
        "expired/none": "runs",
        "none/live": "fails",
        "none/expired": "runs",
        "none/none": "runs",
      });
    });
  });
}
// #endregion expiry

describe("clients that wait", () => {
  it("a BLMOVE served by a push changes its destination: the destination's watchers fail", async () => {
    const key = keysForThisTest();
    const observer = await server.client();
    const watcher = await server.client();
    await watcher.watch(key("destination"));
    const waiting = await waitingIn(observer, (redis) =>
      redis.blmove(key("source"), key("destination"), "LEFT", "RIGHT", 0),
    );
    await observer.rpush(key("source"), "a");
    expect(await waiting.reply).toBe("a");
    expect(await execPing(watcher)).toBe(FAILED);
  });

  it("a list pushed to a waiting client, which takes it all, changed: gone again, it is still a change", async () => {
    const key = keysForThisTest();
    const observer = await server.client();
    const watcher = await server.client();
    await watcher.watch(key("list"));
    const waiting = await waitingIn(observer, (redis) =>
      redis.blpop(key("list"), 0),
    );
    await observer.rpush(key("list"), "a");
    expect(await waiting.reply).toEqual([key("list"), "a"]);
    expect(await observer.exists(key("list"))).toBe(0);
    expect(await execPing(watcher)).toBe(FAILED);
  });

  it("a wait that times out changes nothing", async () => {
    const key = keysForThisTest();
    const waiter = await server.client();
    const watcher = await server.client();
    await watcher.watch(key("list"));
    expect(await waiter.blpop(key("list"), 0.01)).toBeNull();
    expect(await execPing(watcher)).toEqual(RAN);
  });
});

// #region optimistic-locking
/**
 * Adds 1 to the counter at `key` the optimistic way: WATCH it, read it,
 * write the new value in a transaction, and start again if EXEC answers
 * null (another client wrote it in between). Answers how many tries
 * failed. Each failure means another client's increment succeeded, so
 * the loop ends; the bound only turns a bug into a failure.
 */
async function incrementOptimistically(
  redis: Redis,
  key: string,
): Promise<number> {
  for (let failed = 0; failed < 100_000; failed += 1) {
    await redis.watch(key);
    const value = Number((await redis.get(key)) ?? "0");
    const result = await redis
      .multi()
      .set(key, String(value + 1))
      .exec();
    if (result !== null) return failed;
  }
  throw new Error(`could never increment ${key}`);
}

describe("optimistic locking", () => {
  it("two clients that read the same value: the second EXEC fails, and its retry reads the first one's write", async () => {
    const key = keysForThisTest();
    const [a, b] = [await server.client(), await server.client()];
    await a.watch(key("counter"));
    await b.watch(key("counter"));
    expect(await a.get(key("counter"))).toBeNull();
    expect(await b.get(key("counter"))).toBeNull();
    expect(await a.multi().set(key("counter"), "1").exec()).toEqual([
      [null, "OK"],
    ]);
    // Without WATCH, b would now write 1 too, and a's update would be lost.
    expect(await b.multi().set(key("counter"), "1").exec()).toBeNull();
    expect(await incrementOptimistically(b, key("counter"))).toBe(0);
    expect(await a.get(key("counter"))).toBe("2");
  });

  it("8 clients incrementing one counter 50 times each, with WATCH and retries, lose no update", async () => {
    const key = keysForThisTest();
    const CLIENTS = 8;
    const INCREMENTS = 50;
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, () => server.client()),
    );
    await Promise.all(
      clients.map(async (redis) => {
        for (let i = 0; i < INCREMENTS; i += 1) {
          await incrementOptimistically(redis, key("counter"));
        }
      }),
    );
    expect(await clients[0]!.get(key("counter"))).toBe(
      String(CLIENTS * INCREMENTS),
    );
  });
});
// #endregion optimistic-locking
