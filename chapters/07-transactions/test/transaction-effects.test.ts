/**
 * Article step "transaction-effects": what a transaction does to the rest
 * of the server, which must see it as one command.
 *
 * - Clients waiting on a key (BLPOP) are served once EXEC has run every
 *   command, never in between: the transaction sees all it pushed, and a
 *   waiter gets what is left at the end. A waiter on several keys is
 *   served from the key that received data first, Redis 7.0's rule (7.2
 *   runs the waiting command again instead, and serves the first key in
 *   argument order, as its documentation now says). A push that the same
 *   transaction pops wakes nobody.
 * - The AOF: a transaction that wrote twice or more is written between
 *   MULTI and EXEC, one that wrote once bare, one that wrote nothing not
 *   at all, as Redis 7.0 does. A SELECT it ran is written inside the
 *   block, where it ran; a key that expired while it ran is deleted
 *   inside it (DEL); what failed or changed nothing is left out; a
 *   transaction that did not run (EXECABORT, a failed WATCH, DISCARD)
 *   writes nothing; a waiter served after EXEC is written after the
 *   block. Checked record for record against redis-server 7.0.15's own
 *   file, side by side.
 * - A crash in the middle of writing a block loses the whole transaction
 *   and nothing else: whatever the cut (inside MULTI, right after it,
 *   inside a command, after a whole one, before or inside EXEC), the
 *   server starts with every key as it was before the transaction, and
 *   cuts the file at its MULTI; with `aof-load-truncated no` it refuses,
 *   as chapter 05's server does for any torn tail. redis-server loads the
 *   same torn files with the same keys.
 * - Files cross over both ways: redis-server loads our AOF with its
 *   blocks, and we load the one redis-server wrote.
 *
 * The waiting tests share the suite's server (a real Redis under
 * REDIS_URL). The AOF tests run against ours and, under `npm run
 * test:redis`, against a throwaway redis-server (persistence-helpers.ts);
 * the torn-file tests are ours only (`itInProcess`: surgery on our one
 * file); the crossing tests run our server in-process beside a
 * redis-server of their own (crossing-helpers.ts). Keys set to expire
 * must expire without anybody deleting them first: ours gets a clock that
 * moves only when the test says (manual-clock.ts), Redis is told to stop
 * its active expiry (DEBUG SET-ACTIVE-EXPIRE 0, allowed by
 * `enable-debug-command yes` on its command line).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  inject,
  vi,
} from "vitest";
import type { Redis } from "ioredis";
import {
  external,
  itInProcess,
  startChapterServer,
  useServer,
} from "../../../shared/harness.ts";
import {
  errorOf,
  keysForThisTest,
  pollUntil,
  serverTimeMs,
} from "./client-helpers.ts";
import {
  aofBytes,
  aofCommand,
  aofCommands,
  aofRecords,
  disconnect,
  itRestarts,
  startRedis,
  startRestartableServer,
  type RestartableServer,
} from "./persistence-helpers.ts";
import {
  connectTo,
  freshFolder,
  itCrossesFiles,
  redisAofFiles,
  redisServerBinary,
} from "./crossing-helpers.ts";
import { connect, isBlocked, waitingInFor } from "./waiting-helpers.ts";
import { ManualClock } from "./manual-clock.ts";

const server = useServer();
const waitingIn = waitingInFor(server);

/** The project's protocol, for the clients these tests make themselves. */
const protocol = { protocol: inject("protocol") };

// Ours warns on stderr when it cuts a torn tail; the torn-file tests read
// the warning instead.
let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(" "));
  });
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("clients waiting on a key are served after EXEC, never in the middle of it", () => {
  it("MULTI; RPUSH k a; LPOP k; RPUSH k b; EXEC: the waiter gets b, what the transaction left", async () => {
    const redis = await server.client();
    const k = keysForThisTest()("k");
    const waiter = await waitingIn(redis, (r) => r.blpop(k, 0));
    expect(
      await redis.multi().rpush(k, "a").lpop(k).rpush(k, "b").exec(),
    ).toEqual([
      [null, 1],
      [null, "a"],
      [null, 1],
    ]);
    expect(await waiter.reply).toEqual([k, "b"]);
    expect(await redis.exists(k)).toBe(0);
  });

  it("the transaction sees every element it pushed; the waiter gets the first one after it", async () => {
    const redis = await server.client();
    const k = keysForThisTest()("k");
    const waiter = await waitingIn(redis, (r) => r.blpop(k, 0));
    expect(
      await redis
        .multi()
        .rpush(k, "a", "b")
        .rpush(k, "c")
        .lrange(k, 0, -1)
        .exec(),
    ).toEqual([
      [null, 2],
      [null, 3],
      [null, ["a", "b", "c"]],
    ]);
    expect(await waiter.reply).toEqual([k, "a"]);
    expect(await redis.lrange(k, 0, -1)).toEqual(["b", "c"]);
  });

  it("two waiters are served in the order they came, from the list as EXEC left it", async () => {
    const redis = await server.client();
    const k = keysForThisTest()("k");
    const first = await waitingIn(redis, (r) => r.blpop(k, 0));
    const second = await waitingIn(redis, (r) => r.blpop(k, 0));
    await redis.multi().rpush(k, "a", "b", "c").lpop(k).exec();
    expect(await first.reply).toEqual([k, "b"]);
    expect(await second.reply).toEqual([k, "c"]);
    expect(await redis.exists(k)).toBe(0);
  });

  it("BLPOP k1 k2, then MULTI; RPUSH k2; RPUSH k1; EXEC: served from k2, the key that received data first (Redis 7.0)", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const waiter = await waitingIn(redis, (r) =>
      r.blpop(key("k1"), key("k2"), 0),
    );
    await redis
      .multi()
      .rpush(key("k2"), "from k2")
      .rpush(key("k1"), "from k1")
      .exec();
    expect(await waiter.reply).toEqual([key("k2"), "from k2"]);
    expect(await redis.lrange(key("k1"), 0, -1)).toEqual(["from k1"]);
  });

  it("a push the same transaction pops wakes nobody; a later push does", async () => {
    const redis = await server.client();
    const k = keysForThisTest()("k");
    const waiter = await waitingIn(redis, (r) => r.blpop(k, 0));
    expect(await redis.multi().lpush(k, "a").lpop(k).exec()).toEqual([
      [null, 1],
      [null, "a"],
    ]);
    // EXEC has answered, so anything it served is served: nothing was.
    expect(await isBlocked(redis, waiter.id)).toBe(true);
    await redis.rpush(k, "later");
    expect(await waiter.reply).toEqual([k, "later"]);
  });
});

// #region session
/** A server the AOF session runs on, and how its keys are made to expire. */
interface Side {
  /** The session's client, in database 0. */
  readonly redis: Redis;
  /** Another client of the same server. */
  another(): Promise<Redis>;
  /**
   * Makes the keys set with `PX 5` before the call expire, without
   * anything deleting them: the next command that looks at one finds it
   * expired.
   */
  expireThem(): Promise<void>;
}

/** Our clock moves 10 ms, less than a tenth of a second: no active expiry cycle runs. */
function manualExpiry(clock: ManualClock): () => Promise<void> {
  return async () => clock.advance(10);
}

/**
 * Redis's own clock goes on, its active expiry off (DEBUG
 * SET-ACTIVE-EXPIRE 0, sent here): wait until its time has passed the
 * deadlines.
 */
async function redisExpiry(redis: Redis): Promise<() => Promise<void>> {
  expect(await redis.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).toBe("OK");
  return async () => {
    const now = await serverTimeMs(redis);
    await pollUntil(
      async () => (await serverTimeMs(redis)) > now + 5,
      true,
      "the deadlines to pass",
      { everyMs: 2 },
    );
  };
}

/**
 * Transactions of every kind the AOF tells apart, their replies checked
 * as they go (the same from both servers), leaving a keyspace behind.
 * The records they write are `SESSION_RECORDS`.
 */
async function runSession({ redis, another, expireThem }: Side): Promise<void> {
  // Two writes: a block. One: bare. None: nothing.
  expect(await redis.multi().set("a", "1").set("b", "2").exec()).toEqual([
    [null, "OK"],
    [null, "OK"],
  ]);
  expect(await redis.multi().set("c", "3").get("c").exec()).toEqual([
    [null, "OK"],
    [null, "3"],
  ]);
  expect(
    await redis.multi().get("a").del("missing").exists("a").exec(),
  ).toEqual([
    [null, "1"],
    [null, 0],
    [null, 1],
  ]);

  // SELECT inside the block, where it ran. Then the client is in db 3
  // while another client's write moves the file to db 0: the next block
  // selects db 3 before its MULTI, for its first write.
  await redis.multi().set("d", "4").select(3).set("e", "5").exec();
  const other = await another();
  await other.set("other", "1");
  await redis.multi().set("g", "7").select(0).set("h", "8").exec();
  // One write after a SELECT: bare, with the SELECT it needs.
  await redis.multi().select(5).set("f", "6").select(0).exec();

  // What failed, or changed nothing, is left out.
  const failedOrNothing = (await redis
    .multi()
    .set("s", "a word")
    .incr("s")
    .del("missing")
    .set("t", "1")
    .exec())!;
  expect(failedOrNothing.map(([error]) => error?.message ?? null)).toEqual([
    null,
    expect.stringContaining("ERR value is not an integer or out of range"),
    null,
    null,
  ]);
  expect(failedOrNothing.map(([, reply]) => reply)).toEqual([
    "OK",
    undefined,
    0,
    "OK",
  ]);

  // Transactions that do not run write nothing.
  expect(
    await errorOf(redis.multi().set("n1", "1").call("NOSUCH").exec()),
  ).toBe("EXECABORT Transaction discarded because of previous errors.");
  await redis.watch("w");
  await other.set("w", "spoiled");
  expect(await redis.multi().set("w", "mine").exec()).toBeNull();
  expect(await redis.call("MULTI")).toBe("OK");
  await redis.set("n2", "1");
  expect(await redis.call("DISCARD")).toBe("OK");

  // Keys that expire while EXEC runs: deleted inside the block.
  for (const x of ["x1", "x2", "x3"]) await redis.set(x, "1", "PX", 5);
  await expireThem();
  expect(await redis.multi().get("x1").set("y", "1").exec()).toEqual([
    [null, null],
    [null, "OK"],
  ]);
  expect(await redis.multi().get("x2").exec()).toEqual([[null, null]]);
  await redis.multi().set("z", "1").get("x3").set("z2", "2").exec();

  // A blocking command served inside the block: what it did (LPOP).
  expect(await redis.multi().rpush("q", "a", "b").blpop("q", 0).exec()).toEqual(
    [
      [null, 2],
      [null, ["q", "a"]],
    ],
  );
  // A waiter served after EXEC: its pop after the block.
  const waiter = await connect(another);
  const served = waiter.redis.blpop("wk", 0);
  await pollUntil(
    () => isBlocked(redis, waiter.id),
    true,
    "the waiter to block",
  );
  await redis.multi().rpush("wk", "a").rpush("wk", "b", "c").exec();
  expect(await served).toEqual(["wk", "a"]);
}

/**
 * What `runSession` writes to the AOF, as redis-server 7.0.15 writes it:
 * a command as the client sent it (ioredis sends its names in lower
 * case), or as the server rewrote it (SET ... PX as SET ... PXAT, BLPOP
 * as LPOP), and what the server adds (SELECT, MULTI, EXEC, the DEL of an
 * expired key) in upper case.
 */
const SESSION_RECORDS: readonly string[][] = [
  ["SELECT", "0"],
  ["MULTI"],
  ["set", "a", "1"],
  ["set", "b", "2"],
  ["EXEC"],
  ["set", "c", "3"],
  ["MULTI"],
  ["set", "d", "4"],
  ["SELECT", "3"],
  ["set", "e", "5"],
  ["EXEC"],
  ["SELECT", "0"],
  ["set", "other", "1"],
  ["SELECT", "3"],
  ["MULTI"],
  ["set", "g", "7"],
  ["SELECT", "0"],
  ["set", "h", "8"],
  ["EXEC"],
  ["SELECT", "5"],
  ["set", "f", "6"],
  ["SELECT", "0"],
  ["MULTI"],
  ["set", "s", "a word"],
  ["set", "t", "1"],
  ["EXEC"],
  ["set", "w", "spoiled"],
  ["SET", "x1", "1", "PXAT", "<deadline>"],
  ["SET", "x2", "1", "PXAT", "<deadline>"],
  ["SET", "x3", "1", "PXAT", "<deadline>"],
  ["MULTI"],
  ["DEL", "x1"],
  ["set", "y", "1"],
  ["EXEC"],
  ["DEL", "x2"],
  ["MULTI"],
  ["set", "z", "1"],
  ["DEL", "x3"],
  ["set", "z2", "2"],
  ["EXEC"],
  ["MULTI"],
  ["rpush", "q", "a", "b"],
  ["LPOP", "q"],
  ["EXEC"],
  ["MULTI"],
  ["rpush", "wk", "a"],
  ["rpush", "wk", "b", "c"],
  ["EXEC"],
  ["LPOP", "wk"],
];

/** Records with their deadlines (which depend on the clock) as `<deadline>`. */
function withoutDeadlines(records: readonly string[][]): string[][] {
  return records.map((words) =>
    words.map((word, i) =>
      i > 0 && words[i - 1]!.toUpperCase() === "PXAT" ? "<deadline>" : word,
    ),
  );
}

/**
 * Every key of databases 0 to 15, strings and lists: `db0 "key"` → its
 * type and value. Read on `redis`, which it leaves in database 0.
 */
async function everyKey(redis: Redis): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let db = 0; db < 16; db++) {
    await redis.select(db);
    for (const key of (await redis.keys("*")).sort()) {
      const type = await redis.type(key);
      const value =
        type === "list" ? await redis.lrange(key, 0, -1) : await redis.get(key);
      found.set(
        `db${db} ${JSON.stringify(key)}`,
        `${type} ${JSON.stringify(value)}`,
      );
    }
  }
  await redis.select(0);
  return found;
}

/** What `runSession` leaves, as `everyKey` reads it. */
const SESSION_KEYS = new Map([
  ['db0 "a"', 'string "1"'],
  ['db0 "b"', 'string "2"'],
  ['db0 "c"', 'string "3"'],
  ['db0 "d"', 'string "4"'],
  ['db0 "h"', 'string "8"'],
  ['db0 "other"', 'string "1"'],
  ['db0 "q"', 'list ["b"]'],
  ['db0 "s"', 'string "a word"'],
  ['db0 "t"', 'string "1"'],
  ['db0 "w"', 'string "spoiled"'],
  ['db0 "wk"', 'list ["b","c"]'],
  ['db0 "y"', 'string "1"'],
  ['db0 "z"', 'string "1"'],
  ['db0 "z2"', 'string "2"'],
  ['db3 "e"', 'string "5"'],
  ['db3 "g"', 'string "7"'],
  ['db5 "f"', 'string "6"'],
]);
// #endregion session

describe("what a transaction writes to the AOF", () => {
  itRestarts(
    "MULTI ... EXEC around two writes or more, bare for one, nothing for none; SELECTs, expired keys and waiters where they happened; a restart brings it all back",
    async () => {
      const clock = new ManualClock();
      const server = await startRestartableServer(
        external ? { "enable-debug-command": "yes" } : {},
        external ? {} : { clock },
      );
      const redis = await server.client(protocol);
      await runSession({
        redis,
        another: () => server.client(protocol),
        expireThem:
          server.kind === "ours"
            ? manualExpiry(clock)
            : await redisExpiry(redis),
      });
      expect(withoutDeadlines(aofRecords(server))).toEqual(SESSION_RECORDS);
      expect(await everyKey(redis)).toEqual(SESSION_KEYS);

      await server.restart();
      expect(await everyKey(await server.client(protocol))).toEqual(
        SESSION_KEYS,
      );
    },
  );
});

describe("files crossed with redis-server 7.0.15", () => {
  /** Our server in-process on `dir`, its clock by hand, and the session run on it. */
  async function sessionOnOurs(dir: string) {
    const clock = new ManualClock();
    const ours = await startChapterServer({
      dir,
      appendonly: true,
      clock,
    });
    const address = { host: ours.host, port: ours.port };
    await runSession({
      redis: await connectTo(address, protocol),
      another: () => connectTo(address, protocol),
      expireThem: manualExpiry(clock),
    });
    await ours.close();
    return aofCommands(readFileSync(join(dir, "appendonly.aof")));
  }

  /** A redis-server of its own on `dir`, and the session run on it; stopped after. */
  async function sessionOnRedis(dir: string) {
    const instance = await startRedis(
      dir,
      {
        appendonly: "yes",
        "aof-use-rdb-preamble": "no",
        "enable-debug-command": "yes",
      },
      redisServerBinary,
    );
    const redis = await connectTo(instance.address, protocol);
    await runSession({
      redis,
      another: () => connectTo(instance.address, protocol),
      expireThem: await redisExpiry(redis),
    });
    await disconnect(redis);
    await instance.stop();
  }

  itCrossesFiles(
    "redis-server writes the same records as ours for the same transactions",
    async () => {
      const oursDir = freshFolder("transaction-aof-");
      const ourRecords = await sessionOnOurs(oursDir);
      const theirsDir = freshFolder("transaction-aof-");
      await sessionOnRedis(theirsDir);
      const increments = redisAofFiles(theirsDir).filter(
        ({ type }) => type === "i",
      );
      expect(increments).toHaveLength(1);
      const theirRecords = aofCommands(readFileSync(increments[0]!.name));
      expect(withoutDeadlines(ourRecords)).toEqual(
        withoutDeadlines(theirRecords),
      );
    },
  );

  itCrossesFiles(
    "redis-server loads our AOF, MULTI ... EXEC blocks and all",
    async () => {
      const oursDir = freshFolder("transaction-aof-");
      await sessionOnOurs(oursDir);
      // Redis finds appendonly.aof and no folder: it takes the file as the
      // base of a folder of its own, and loads it.
      const theirsDir = freshFolder("transaction-aof-");
      writeFileSync(
        join(theirsDir, "appendonly.aof"),
        readFileSync(join(oursDir, "appendonly.aof")),
      );
      const instance = await startRedis(
        theirsDir,
        { appendonly: "yes" },
        redisServerBinary,
      );
      expect(
        await everyKey(await connectTo(instance.address, protocol)),
      ).toEqual(SESSION_KEYS);
    },
  );

  itCrossesFiles(
    "we load the AOF redis-server wrote, MULTI ... EXEC blocks and all",
    async () => {
      const theirsDir = freshFolder("transaction-aof-");
      await sessionOnRedis(theirsDir);
      // Ours is one file: Redis's base and increments, end to end.
      const oursDir = freshFolder("transaction-aof-");
      writeFileSync(
        join(oursDir, "appendonly.aof"),
        Buffer.concat(
          redisAofFiles(theirsDir).map(({ name }) => readFileSync(name)),
        ),
      );
      const ours = await startChapterServer({ dir: oursDir, appendonly: true });
      expect(
        await everyKey(
          await connectTo({ host: ours.host, port: ours.port }, protocol),
        ),
      ).toEqual(SESSION_KEYS);
    },
  );
});

// #region torn
/**
 * Where a crash could have cut the last block, `MULTI; SET x; INCRBY n;
 * SET before; APPEND y; EXEC`: an offset from the block's start, given
 * its records' lengths.
 */
const CUTS: readonly (readonly [string, (sizes: number[]) => number])[] = [
  ["inside MULTI", () => 3],
  ["right after MULTI", ([multi]) => multi!],
  ["inside the first command", ([multi]) => multi! + 7],
  ["after a whole command", ([multi, first]) => multi! + first!],
  [
    "inside the last command",
    (sizes) => sum(sizes.slice(0, -2)) + sizes.at(-2)! - 3,
  ],
  ["before EXEC, every command whole", (sizes) => sum(sizes.slice(0, -1))],
  ["inside EXEC", (sizes) => sum(sizes) - 4],
];

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Every string key of database 0 → its value. */
async function strings(redis: Redis): Promise<Record<string, string>> {
  const keys = (await redis.keys("*")).sort();
  const values = keys.length > 0 ? await redis.mget(keys) : [];
  return Object.fromEntries(keys.map((key, i) => [key, values[i]!]));
}

/**
 * Our file after writes, a whole transaction, and then the transaction
 * whose block the tests cut; the keys as they were before that last one,
 * and where its block starts in the file.
 */
async function fileEndingInABlock(server: RestartableServer) {
  const redis = await server.client(protocol);
  await redis.set("before", "1");
  await redis.multi().set("whole", "block").incr("n").exec();
  await redis.incr("n");
  const before = await strings(redis);
  expect(before).toEqual({ before: "1", n: "2", whole: "block" });
  const multiAt = aofBytes(server).length;
  await redis
    .multi()
    .set("x", "1")
    .incrby("n", 10)
    .set("before", "overwritten")
    .append("y", "abc")
    .exec();
  await server.stop();
  const bytes = aofBytes(server);
  const block = [
    aofCommand("MULTI"),
    aofCommand("set", "x", "1"),
    aofCommand("incrby", "n", "10"),
    aofCommand("set", "before", "overwritten"),
    aofCommand("append", "y", "abc"),
    aofCommand("EXEC"),
  ];
  expect(bytes.subarray(multiAt)).toEqual(Buffer.concat(block));
  return { bytes, before, multiAt, sizes: block.map((b) => b.length) };
}
// #endregion torn

describe("a crash in the middle of writing a transaction loses the whole transaction, and nothing else", () => {
  itInProcess.each(CUTS)(
    "cut %s: every key as before the transaction, none of it, and the file cut at its MULTI (aof-load-truncated yes)",
    async (_where, cutAt) => {
      const server = await startRestartableServer();
      const { bytes, before, multiAt, sizes } =
        await fileEndingInABlock(server);
      writeFileSync(server.aofPath, bytes.subarray(0, multiAt + cutAt(sizes)));
      await server.restart();
      expect(await strings(await server.client(protocol))).toEqual(before);
      expect(warnings.join("\n")).toMatch(
        new RegExp(`\\boffset ${multiAt}\\b`),
      );
      expect(aofBytes(server)).toEqual(bytes.subarray(0, multiAt));

      // What comes next is appended after whole commands, and replays.
      await (await server.client(protocol)).set("after", "the crash");
      await server.restart();
      expect(await strings(await server.client(protocol))).toEqual({
        ...before,
        after: "the crash",
      });
    },
  );

  itInProcess.each(CUTS)(
    "cut %s: refused with aof-load-truncated no, naming the MULTI's offset, the file left alone",
    async (_where, cutAt) => {
      const server = await startRestartableServer();
      const { bytes, multiAt, sizes } = await fileEndingInABlock(server);
      const torn = bytes.subarray(0, multiAt + cutAt(sizes));
      writeFileSync(server.aofPath, torn);
      const refused = await server.restart({ "aof-load-truncated": "no" }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(refused?.name).toBe("AofLoadError");
      expect(refused?.message).toMatch(new RegExp(`\\boffset ${multiAt}\\b`));
      expect(aofBytes(server)).toEqual(torn);
    },
  );

  // Redis 7.0.15 cuts a command torn inside the block after the last
  // whole one, which leaves the file ending in an open MULTI: its next
  // start, with a new increment after it, fails ("the truncated file is
  // not the last file"). Ours cuts at the MULTI. The keys are the same.
  itCrossesFiles(
    "redis-server loads the same torn files with the same keys, and refuses them with aof-load-truncated no",
    async () => {
      const ours = await startRestartableServer();
      const { bytes, before, multiAt, sizes } = await fileEndingInABlock(ours);
      for (const [where, cutAt] of CUTS) {
        for (const loadTruncated of ["yes", "no"]) {
          const dir = freshFolder("transaction-torn-");
          writeFileSync(
            join(dir, "appendonly.aof"),
            bytes.subarray(0, multiAt + cutAt(sizes)),
          );
          const started = startRedis(
            dir,
            { appendonly: "yes", "aof-load-truncated": loadTruncated },
            redisServerBinary,
          );
          if (loadTruncated === "no") {
            await expect(started, where).rejects.toThrow(
              /Unexpected end of file reading the append only file/,
            );
            continue;
          }
          const instance = await started;
          const redis = await connectTo(instance.address, protocol);
          expect(await strings(redis), where).toEqual(before);
          await disconnect(redis);
          await instance.stop();
        }
      }
    },
  );
});
