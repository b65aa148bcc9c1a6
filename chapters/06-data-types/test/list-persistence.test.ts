/**
 * Article step "persistence": lists in the AOF, and in its rewrite.
 *
 * - Every list command's effect comes back after a restart, and again
 *   after BGREWRITEAOF and a restart: long lists, binary elements, lists
 *   with deadlines, lists renamed, copied, moved and swapped.
 * - BGREWRITEAOF while clients change lists in place (pushes, pops, LSET,
 *   LINSERT, LREM, LTRIM, LMOVE, RENAME, DEL) loses nothing: ours copies a
 *   list before its first change (aof-rewrite.ts), Redis forks.
 * - Our rewritten file holds each list as RPUSH commands of at most 64
 *   elements, Redis's AOF_REWRITE_ITEMS_PER_CMD.
 * - Files cross over both ways: redis-server 7.0.15 loads our AOF, as
 *   appended and as rewritten, and we load the AOF redis-server wrote
 *   (whose rewrite writes lists exactly as ours does).
 *
 * The restart tests run against ours and, under `npm run test:redis`,
 * against a throwaway redis-server (persistence-helpers.ts). The crossing
 * tests start our server in-process and a redis-server of their own (the
 * one REDIS_SERVER_BIN names, or the one installed), so they are skipped
 * under REDIS_URL and where no redis-server is installed.
 *
 * Redis 7 keeps its AOF as a folder (`appendonlydir`): a base file, the
 * incremental files written since, and a manifest naming them in order.
 * Ours is one file, as in Redis 6, which is the base and its increments
 * end to end. So Redis loads ours by moving the file into its folder as
 * the base (it does so when it finds `appendonly.aof` and no folder), and
 * we load Redis's from its files joined in the manifest's order. Redis's
 * base file is an RDB snapshot by default (`aof-use-rdb-preamble yes`),
 * which we cannot read: the tests run it with `aof-use-rdb-preamble no`,
 * so that its base file is commands too.
 *
 * The session of list commands includes the blocking ones, served at
 * once and served later (a second client waits until a push serves it):
 * what the AOF holds of them is the pop or move they did (BLPOP as LPOP,
 * BLMOVE as LMOVE), and both servers replay the other's records of them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject } from "vitest";
import type { Redis } from "ioredis";
import {
  external,
  itInProcess,
  startChapterServer,
} from "../../../shared/harness.ts";
import { infoNumber, pollUntil } from "./client-helpers.ts";
import {
  aofBytes,
  aofCommands,
  disconnect,
  itRestarts,
  REWRITE_LIMIT_MS,
  rewrite,
  startRedis,
  startRestartableServer,
} from "./persistence-helpers.ts";
import {
  connectTo,
  freshFolder,
  itCrossesFiles,
  redisAofFiles,
  redisServerBinary,
} from "./crossing-helpers.ts";

/** Redis's AOF_REWRITE_ITEMS_PER_CMD: list elements per RPUSH in a rewrite. */
const ITEMS_PER_COMMAND = 64;
/** 2100-01-01T00:00:00Z in milliseconds: a deadline no test run will reach. */
const YEAR_2100_MS = 4_102_444_800_000;

// #region helpers
/** The project's protocol for the clients of these tests (RESP3, or RESP2). */
const protocol = { protocol: inject("protocol") };

/**
 * Every key of databases 0 to 15 as a client sees it: `db0 "key"` (the
 * key as a JSON-quoted byte string) → its type, value (a list's elements,
 * head first) and PEXPIRETIME. Read on `redis`, which it leaves in
 * database 0, with a pipeline per SCAN batch.
 */
async function everyKey(redis: Redis): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let db = 0; db < 16; db++) {
    await redis.select(db);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scanBuffer(cursor, "COUNT", 1000);
      cursor = next.toString();
      const types = (await run(
        keys.reduce((p, key) => p.type(key), redis.pipeline()),
      )) as string[];
      const reads = redis.pipeline();
      keys.forEach((key, i) => {
        if (types[i] === "list") reads.lrangeBuffer(key, 0, -1);
        else reads.getBuffer(key);
        reads.pexpiretime(key);
      });
      const replies = await run(reads);
      keys.forEach((key, i) => {
        const value = replies[2 * i] as Buffer | Buffer[];
        const text = Array.isArray(value)
          ? value.map((element) => element.toString("latin1"))
          : value.toString("latin1");
        found.set(
          `db${db} ${JSON.stringify(key.toString("latin1"))}`,
          `${types[i]} ${JSON.stringify(text)} pexpiretime ${String(replies[2 * i + 1])}`,
        );
      });
    } while (cursor !== "0");
  }
  await redis.select(0);
  return found;
}

/** Runs a pipeline; fails the test if any command in it failed. Returns the replies. */
async function run(
  pipeline: ReturnType<Redis["pipeline"]>,
): Promise<unknown[]> {
  return ((await pipeline.exec()) ?? []).map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/**
 * How `after` differs from `before`, a line per key, at most 20: each
 * value shown from a little before where the two first differ.
 */
function differences(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const found: string[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(name);
    const now = after.get(name);
    if (was === now) continue;
    let at = 0;
    while (at < (was ?? "").length && was![at] === now?.[at]) at++;
    const around = (text: string | undefined) =>
      text === undefined
        ? "missing"
        : `${at > 40 ? "..." : ""}${text.slice(Math.max(0, at - 40), at + 120)}`;
    found.push(`${name}: was ${around(was)}, now ${around(now)}`);
    if (found.length === 20) break;
  }
  return found;
}

/** `count` elements `<prefix>0`, `<prefix>1`, ... */
function elements(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** RPUSH of many elements, in commands of 1,000. */
async function pushMany(
  redis: Redis,
  key: string,
  values: readonly string[],
): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) {
    await redis.rpush(key, ...values.slice(i, i + 1000));
  }
}
// #endregion helpers

// #region session
/**
 * Sends a blocking command on `waiter` and, once the server counts it
 * blocked (INFO's blocked_clients on `redis`), runs `push`, which serves
 * it; answers the blocking command's reply.
 */
async function servedLater<T>(
  redis: Redis,
  wait: () => Promise<T>,
  push: () => Promise<unknown>,
): Promise<T> {
  const reply = wait();
  await pollUntil(
    () => infoNumber(redis, "clients", "blocked_clients"),
    1,
    "the client to block",
    { everyMs: 5 },
  );
  await push();
  return reply;
}

/**
 * A session of every list command that writes, each at least once, with
 * Redis's and our replies alike (checked as it goes, so the two servers
 * are known to hold the same data before anything is restarted): the
 * keyspace it leaves is what the tests then expect back. `waiter`, a
 * second client, runs the blocking commands.
 */
async function writeEveryListCommand(
  redis: Redis,
  waiter: Redis,
): Promise<void> {
  expect(await redis.rpush("l", "a", "b", "c", "d", "e", "f", "g")).toBe(7);
  expect(await redis.lpush("l", "z", "y")).toBe(9);
  expect(await redis.lpushx("l", "x")).toBe(10);
  expect(await redis.rpushx("l", "h")).toBe(11);
  expect(await redis.lpushx("none", "a")).toBe(0);
  expect(await redis.rpushx("none", "a")).toBe(0);
  expect(await redis.lpop("l")).toBe("x");
  expect(await redis.rpop("l", 2)).toEqual(["h", "g"]);
  expect(await redis.lpop("l", 0)).toEqual([]);
  expect(await redis.lset("l", 0, "Y")).toBe("OK");
  expect(await redis.lset("l", -1, "F")).toBe("OK");
  expect(await redis.linsert("l", "BEFORE", "c", "C")).toBe(9);
  expect(await redis.linsert("l", "AFTER", "c", "D")).toBe(10);
  expect(await redis.linsert("l", "AFTER", "missing", "q")).toBe(-1);
  expect(await redis.lrem("l", 1, "d")).toBe(1);
  expect(await redis.lrem("l", 0, "missing")).toBe(0);
  expect(await redis.ltrim("l", 0, -2)).toBe("OK");
  expect(await redis.ltrim("l", 0, -1)).toBe("OK"); // removes nothing
  expect(await redis.lrange("l", 0, -1)).toEqual([
    "Y",
    "z",
    "a",
    "b",
    "C",
    "c",
    "D",
    "e",
  ]);
  expect(await redis.lmove("l", "m", "LEFT", "RIGHT")).toBe("Y");
  expect(await redis.lmove("l", "m", "RIGHT", "LEFT")).toBe("e");
  expect(await redis.lmove("m", "l", "LEFT", "LEFT")).toBe("e");
  expect(await redis.lmove("l", "l", "RIGHT", "LEFT")).toBe("D");
  expect(await redis.rpoplpush("l", "m")).toBe("c");
  expect(await redis.call("LMPOP", "2", "none", "l", "LEFT")).toEqual([
    "l",
    ["D"],
  ]);
  expect(
    await redis.call("LMPOP", "2", "l", "m", "RIGHT", "COUNT", "2"),
  ).toEqual(["l", ["C", "b"]]);

  // Binary elements, empty ones, and ones that look like RESP.
  await redis.rpush("bin", "\r\n", "\0", "", "*3", "$1", "caf\u00e9");
  await redis.rpush(Buffer.from([0xff, 0x00]), Buffer.from([0xfe, 0x0d]));

  // Long: many RPUSH batches in a rewrite, changed at both ends and inside.
  await pushMany(redis, "long", elements("e", 3000));
  await redis.lpop("long", 5);
  await redis.rpush("long", "tail");
  await redis.lset("long", 1500, "middle");
  await redis.linsert("long", "AFTER", "e2000", "after2000");
  await redis.lrem("long", 0, "e7");
  // Exactly 64, and 65: one RPUSH, and two.
  await redis.rpush("l64", ...elements("x", 64));
  await redis.rpush("l65", ...elements("x", 65));

  // Emptied: the key goes, by a pop, a move, and LTRIM.
  await redis.rpush("gone", "a", "b");
  await redis.rpop("gone", 2);
  await redis.rpush("moved-out", "only");
  await redis.lmove("moved-out", "m", "LEFT", "LEFT");
  await redis.rpush("trimmed", "a");
  await redis.ltrim("trimmed", 1, 0);

  // Deadlines: kept by changes in place, dropped by PERSIST.
  await redis.rpush("volatile", "a", "b");
  await redis.pexpireat("volatile", YEAR_2100_MS + 123);
  await redis.lpush("volatile", "c");
  await redis.rpush("persisted", "a");
  await redis.expire("persisted", 100_000);
  await redis.persist("persisted");

  // The key commands, on lists.
  await redis.rpush("r", "a", "b");
  await redis.rename("r", "renamed");
  expect(await redis.copy("l", "copy")).toBe(1);
  await redis.lpush("copy", "only in the copy"); // a deep copy
  expect(await redis.copy("l", "copy", "DB", 3)).toBe(1);
  await redis.rpush("mv", "a");
  expect(await redis.move("mv", 2)).toBe(1);
  await redis.rpush("d", "a");
  await redis.del("d");
  await redis.rpush("s", "a");
  await redis.set("s", "a string now");
  await redis.set("str", "v");
  await redis.select(5);
  await redis.rpush("five", "a", "b");
  await redis.swapdb(5, 6);
  await redis.select(0);

  // The blocking commands, served at once: their non-blocking twins.
  await redis.rpush("b", "1", "2", "3", "4", "5", "6");
  expect(await waiter.blpop("b", 0)).toEqual(["b", "1"]);
  expect(await waiter.brpop("b", 0)).toEqual(["b", "6"]);
  expect(await waiter.blmove("b", "m", "LEFT", "RIGHT", 0)).toBe("2");
  expect(await waiter.brpoplpush("b", "m", 0)).toBe("5");
  expect(await waiter.call("BLMPOP", "0", "1", "b", "RIGHT")).toEqual([
    "b",
    ["4"],
  ]);
  // Served later, by a push of another client.
  expect(
    await servedLater(
      redis,
      () => waiter.blpop("q", 0),
      () => redis.rpush("q", "a", "b", "c"),
    ),
  ).toEqual(["q", "a"]);
  expect(
    await servedLater(
      redis,
      () => waiter.brpop("none", "q2", 0),
      () => redis.lpush("q2", "x", "y"),
    ),
  ).toEqual(["q2", "x"]);
  expect(
    await servedLater(
      redis,
      () => waiter.blmove("q3", "l", "RIGHT", "LEFT", 0),
      () => redis.rpush("q3", "m1", "m2"),
    ),
  ).toBe("m2");
  expect(
    await servedLater(
      redis,
      () => waiter.brpoplpush("q4", "q4-to", 0),
      () => redis.rpush("q4", "n1", "n2"),
    ),
  ).toBe("n2");
  expect(
    await servedLater(
      redis,
      () => waiter.call("BLMPOP", "0", "2", "none", "q5", "LEFT", "COUNT", "2"),
      () => redis.rpush("q5", "o1", "o2", "o3"),
    ),
  ).toEqual(["q5", ["o1", "o2"]]);
  // A wait that a push empties at once: the whole list goes, and the key.
  expect(
    await servedLater(
      redis,
      () => waiter.blpop("q6", 0),
      () => redis.rpush("q6", "only"),
    ),
  ).toEqual(["q6", "only"]);
}
// #endregion session

describe("lists after a restart", () => {
  itRestarts(
    "every list command's effect comes back, then again from the rewritten file",
    async () => {
      const server = await startRestartableServer({ appendfsync: "always" });
      const redis = await server.client(protocol);
      await writeEveryListCommand(redis, await server.client(protocol));
      const before = await everyKey(redis);
      expect(before.get('db6 "five"')).toBe('list ["a","b"] pexpiretime -1');
      expect(before.get('db0 "volatile"')).toBe(
        `list ["c","a","b"] pexpiretime ${YEAR_2100_MS + 123}`,
      );

      if (server.kind === "ours") {
        // What the blocking commands did, never the commands themselves.
        const names = aofCommands(aofBytes(server)).map(([name]) =>
          name!.toUpperCase(),
        );
        expect(names).toContain("LMOVE");
        expect(names.filter((name) => name.startsWith("B"))).toEqual([]);
      }

      await server.restart();
      expect(
        differences(before, await everyKey(await server.client(protocol))),
      ).toEqual([]);

      await rewrite(await server.client(protocol));
      await server.restart();
      expect(
        differences(before, await everyKey(await server.client(protocol))),
      ).toEqual([]);
    },
  );
});

describe("BGREWRITEAOF while clients change lists in place", () => {
  /** Lists per writer, and their length: enough for our walk to take many slices. */
  const LISTS_PER_WRITER = 4;
  const LENGTH = 5000;
  const WRITERS = 4;
  /** One-element lists besides them. */
  const FILLER_KEYS = 5000;

  itRestarts(
    "loses nothing: every list as it was, after a restart",
    async () => {
      // Redis forks and writes its copy in a few milliseconds: a delay per
      // key (a setting of Redis's for tests) keeps it busy long enough for
      // the clients' writes to land during the rewrite, as they do in ours.
      const server = await startRestartableServer(
        external ? { "rdb-key-save-delay": "100" } : {},
      );
      const redis = await server.client(protocol);
      const list = (w: number, i: number) => `list:${w}:${i}`;
      for (let w = 0; w < WRITERS; w++) {
        for (let i = 0; i < LISTS_PER_WRITER; i++) {
          await pushMany(redis, list(w, i), elements(`${w}.${i}.`, LENGTH));
        }
      }
      // Other keys around them, so that the lists come at random points
      // of a walk of many slices, and history for the rewrite to drop.
      const filler = redis.pipeline();
      for (let i = 0; i < FILLER_KEYS; i++) {
        filler.rpush(`filler:${i}`, "a", "b");
        filler.lpop(`filler:${i}`);
      }
      await run(filler);

      const rewritesBefore = await infoNumber(
        redis,
        "persistence",
        "aof_rewrites",
      );
      // Connected first, so that their first writes follow BGREWRITEAOF's
      // reply at once, while our walk has just begun.
      const clients = await Promise.all(
        Array.from({ length: WRITERS }, () => server.client(protocol)),
      );
      expect(await redis.bgrewriteaof()).toBe(
        "Background append only file rewriting started",
      );
      // Each writer changes lists of its own, a round at a time, in every
      // way a list changes in place; a round ends with INFO on the same
      // connection, which says whether the round ran during the rewrite.
      let roundsDuringRewrite = 0;
      const writer = async (w: number): Promise<void> => {
        const client = clients[w]!;
        const own = (i: number) => list(w, i % LISTS_PER_WRITER);
        const round = async (r: number): Promise<string> => {
          const p = client.pipeline();
          p.lpush(own(r), `pushed ${r}`);
          p.rpush(own(r + 1), `pushed ${r}`, "x");
          p.lpop(own(r + 2));
          p.rpop(own(r + 3), 2);
          p.lset(own(r), 1, `set ${r}`);
          p.linsert(
            own(r + 1),
            "AFTER",
            `${w}.${(r + 1) % LISTS_PER_WRITER}.${100 + r}`,
            `inserted ${r}`,
          );
          p.lrem(
            own(r + 2),
            1,
            `${w}.${(r + 2) % LISTS_PER_WRITER}.${200 + r}`,
          );
          p.ltrim(own(r + 3), 1, -1);
          p.lmove(own(r), own(r + 1), "RIGHT", "LEFT");
          p.rpoplpush(own(r + 2), own(r + 3));
          p.call("LMPOP", "1", own(r + 1), "LEFT", "COUNT", "3");
          p.rename(own(r), `${own(r)}:tmp`);
          p.rename(`${own(r)}:tmp`, own(r));
          p.rpush(`short:${w}:${r}`, "a", "b");
          p.del(`short:${w}:${r - 1}`);
          p.info("persistence");
          const replies = await run(p);
          return replies.at(-1) as string;
        };
        const limit = performance.now() + REWRITE_LIMIT_MS;
        for (let r = 0; ; r++) {
          if (performance.now() > limit) {
            throw new Error(
              `the rewrite still runs after ${REWRITE_LIMIT_MS} ms`,
            );
          }
          const info = await round(r);
          if (info.includes("aof_rewrite_in_progress:1")) {
            roundsDuringRewrite += 1;
          } else if (
            Number(/aof_rewrites:(\d+)/.exec(info)![1]) > rewritesBefore
          ) {
            await round(r + 1); // and one more once the new file is in place
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      expect(roundsDuringRewrite).toBeGreaterThan(0);
      expect(
        (await redis.info("persistence")).includes(
          "aof_last_bgrewrite_status:ok",
        ),
      ).toBe(true);

      const before = await everyKey(redis);
      await server.restart();
      expect(
        differences(before, await everyKey(await server.client(protocol))),
      ).toEqual([]);
    },
  );
});

// #region our rewritten file
/** Our file's RPUSH commands, key → the element counts of each, in order. */
function pushesByKey(commands: readonly string[][]): Map<string, number[]> {
  const pushes = new Map<string, number[]>();
  for (const [name, key, ...values] of commands) {
    if (name !== "RPUSH") continue;
    const counts = pushes.get(key!) ?? [];
    counts.push(values.length);
    pushes.set(key!, counts);
  }
  return pushes;
}

describe("our rewritten file", () => {
  // Ours only: Redis's rewrite is a folder, its base an RDB file by
  // default (the last test compares its commands with ours).
  itInProcess(
    "holds each list as RPUSH commands of at most 64 elements, head first, and its deadline after them",
    async () => {
      const server = await startRestartableServer();
      const redis = await server.client(protocol);
      await pushMany(redis, "long", elements("e", 1000));
      await redis.rpush("l64", ...elements("x", 64));
      await redis.rpush("l65", ...elements("x", 65));
      await redis.rpush("short", "a");
      await redis.pexpireat("long", YEAR_2100_MS);
      await rewrite(redis);

      const commands = aofCommands(aofBytes(server));
      expect(pushesByKey(commands)).toEqual(
        new Map([
          // 1000 = 15 × 64 + 40
          [
            "long",
            [...Array.from({ length: 15 }, () => ITEMS_PER_COMMAND), 40],
          ],
          ["l64", [ITEMS_PER_COMMAND]],
          ["l65", [ITEMS_PER_COMMAND, 1]],
          ["short", [1]],
        ]),
      );
      const longPushes = commands.filter(
        ([name, key]) => name === "RPUSH" && key === "long",
      );
      expect(longPushes.flatMap(([, , ...values]) => values)).toEqual(
        elements("e", 1000),
      );
      const lastPush = commands.lastIndexOf(longPushes.at(-1)!);
      expect(commands[lastPush + 1]).toEqual([
        "PEXPIREAT",
        "long",
        String(YEAR_2100_MS),
      ]);
    },
  );
});
// #endregion our rewritten file

// #region crossing files
/** Our server, in-process, on `dir`, with the AOF on. */
async function startOurs(dir: string) {
  const server = await startChapterServer({ dir, appendonly: true });
  const address = { host: server.host, port: server.port };
  const redis = await connectTo(address, protocol);
  return { server, redis, another: () => connectTo(address, protocol) };
}

/** A redis-server of our own on `dir`, with the AOF on, and a client of it. */
async function startTheirs(dir: string, settings: Record<string, string> = {}) {
  const instance = await startRedis(
    dir,
    { appendonly: "yes", ...settings },
    redisServerBinary,
  );
  const redis = await connectTo(instance.address, protocol);
  return {
    instance,
    redis,
    another: () => connectTo(instance.address, protocol),
  };
}

describe("files crossed with redis-server 7.0.15", () => {
  itCrossesFiles(
    "redis-server loads our AOF with lists in it, as appended and as rewritten",
    async () => {
      const ours = freshFolder("list-aof-");
      const mine = await startOurs(ours);
      await writeEveryListCommand(mine.redis, await mine.another());
      const expected = await everyKey(mine.redis);
      await mine.server.close();

      for (const stage of ["appended", "rewritten"]) {
        if (stage === "rewritten") {
          const again = await startOurs(ours);
          await rewrite(again.redis);
          await again.server.close();
        }
        // Redis finds appendonly.aof and no folder: it moves the file in,
        // as the base of a folder of its own, and loads it.
        const theirs = freshFolder("list-aof-");
        writeFileSync(
          join(theirs, "appendonly.aof"),
          readFileSync(join(ours, "appendonly.aof")),
        );
        const redis = await startTheirs(theirs);
        expect(
          differences(expected, await everyKey(redis.redis)),
          stage,
        ).toEqual([]);
        await disconnect(redis.redis);
        await redis.instance.stop();
      }
    },
  );

  itCrossesFiles(
    "we load the AOF redis-server wrote (base and increments), and its rewrite writes lists as ours does",
    async () => {
      const theirs = freshFolder("list-aof-");
      const redis = await startTheirs(theirs, {
        "aof-use-rdb-preamble": "no",
        appendfsync: "always",
      });
      await writeEveryListCommand(redis.redis, await redis.another());
      await rewrite(redis.redis);
      // More writes, into an incremental file.
      await redis.redis.lpush("l", "after the rewrite");
      await redis.redis.lmove("long", "l", "RIGHT", "LEFT");
      await redis.redis.call("LMPOP", "1", "l64", "RIGHT", "COUNT", "10");
      await redis.redis.rpush("new", "a", "b");
      const expected = await everyKey(redis.redis);
      await disconnect(redis.redis);
      await redis.instance.stop();

      // The base file holds the keyspace as Redis's rewrite wrote it.
      const [base, ...increments] = redisAofFiles(theirs);
      expect(base!.type).toBe("b");
      expect(base!.name).toMatch(/\.base\.aof$/);
      expect(increments.length).toBeGreaterThan(0);
      const baseBytes = readFileSync(base!.name);
      // Ours loads the base and the increments, end to end: one file.
      const ours = freshFolder("list-aof-");
      writeFileSync(
        join(ours, "appendonly.aof"),
        Buffer.concat([
          baseBytes,
          ...increments.map(({ name }) => readFileSync(name)),
        ]),
      );
      const mine = await startOurs(ours);
      expect(differences(expected, await everyKey(mine.redis))).toEqual([]);
      await mine.server.close();

      // Ours rewrites the base file's keyspace into the same RPUSH
      // commands as Redis did: the same batches, the same elements.
      const baseOnly = freshFolder("list-aof-");
      writeFileSync(join(baseOnly, "appendonly.aof"), baseBytes);
      const again = await startOurs(baseOnly);
      await rewrite(again.redis);
      await again.server.close();
      const pushes = (bytes: Buffer) =>
        aofCommands(bytes)
          .filter(([name]) => name?.toUpperCase() === "RPUSH")
          .map((command) => JSON.stringify(command))
          .sort();
      const redisPushes = pushes(baseBytes);
      expect(redisPushes.length).toBeGreaterThan(50);
      expect(pushes(readFileSync(join(baseOnly, "appendonly.aof")))).toEqual(
        redisPushes,
      );
    },
  );
});
// #endregion crossing files
