/**
 * Article step "rewrite": BGREWRITEAOF replaces a file that remembers
 * every command with one that holds just the data, while clients go on
 * writing, and loses nothing.
 *
 * Redis gets a frozen copy of its memory for free by forking; ours copies
 * keys before they change, in slices of the event loop (aof-rewrite.ts).
 * Either way the promise is the same, and the first test checks it from
 * outside: a keyspace big enough that the rewrite takes a while, clients
 * hammering it with every kind of write meanwhile (counters, overwrites,
 * deletes, deadlines, renames, FLUSHDB, SWAPDB), then a restart, and every
 * key of every database compared with how it was before.
 *
 * Then automatic rewrites (auto-aof-rewrite-percentage and -min-size),
 * and, for our single-file AOF only, what the rewritten file holds.
 *
 * Every test starts a server of its own on a fresh folder (see
 * persistence-helpers.ts): in-process for ours, a throwaway redis-server
 * under `npm run test:redis`.
 */
import { describe, expect } from "vitest";
import type { Redis } from "ioredis";
import { itInProcess } from "../../../shared/harness.ts";
import {
  infoField,
  infoNumber,
  keysForThisTest,
  pollUntil,
  serverTimeMs,
  sleep,
} from "./client-helpers.ts";
import {
  aofBytes,
  aofCommand,
  aofCommands,
  aofSize,
  differences,
  itRestarts,
  snapshotKeyspace,
  startRestartableServer,
} from "./persistence-helpers.ts";

/** Keys in database 0 before the rewrite: enough for it to take many slices. */
const BASE_KEYS = 30_000;
/** Writes per pipelined batch while filling. */
const BATCH = 5_000;

/** Sets `count` keys `key(prefix + i)` = `value(i)` with pipelined MSETs. */
async function fill(
  redis: Redis,
  count: number,
  name: (i: number) => string,
  value: (i: number) => string,
): Promise<void> {
  for (let first = 0; first < count; first += BATCH) {
    const words: string[] = [];
    for (let i = first; i < Math.min(first + BATCH, count); i++) {
      words.push(name(i), value(i));
    }
    await redis.mset(...words);
  }
}

/** How long a rewrite may take before a test gives up on it: far more than it needs. */
const REWRITE_LIMIT_MS = 20_000;

/** Resolves once INFO says no rewrite is running and `aof_rewrites` passed `before`. */
async function rewriteDone(redis: Redis, before: number): Promise<void> {
  await pollUntil(
    async () =>
      (await infoNumber(redis, "persistence", "aof_rewrite_in_progress")) ===
        0 && (await infoNumber(redis, "persistence", "aof_rewrites")) > before,
    true,
    "the rewrite to finish",
    { limitMs: REWRITE_LIMIT_MS, everyMs: 5 },
  );
}

/** 2100-01-01T00:00:00Z in milliseconds: a deadline no test run will reach. */
const YEAR_2100_MS = 4_102_444_800_000;

/** Clients writing while the rewrite runs. */
const WRITERS = 4;

/** Runs a pipeline; fails the test if any command in it failed. Returns the replies. */
async function run(
  pipeline: ReturnType<Redis["pipeline"]>,
): Promise<unknown[]> {
  return ((await pipeline.exec()) ?? []).map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/** One field of an INFO reply's text, as a number. */
function infoValue(info: string, name: string): number {
  const line = info.split("\r\n").find((l) => l.startsWith(`${name}:`));
  if (line === undefined) throw new Error(`INFO has no ${name}`);
  return Number(line.slice(name.length + 1));
}

describe("BGREWRITEAOF under concurrent writes", () => {
  itRestarts(
    "loses nothing: every database, every key, every deadline after a restart",
    async () => {
      const server = await startRestartableServer();
      const redis = await server.client();
      const key = keysForThisTest();
      const base = (i: number) => key(`base:${i}`);

      // History the rewrite can drop: a database filled, then flushed.
      const scratch = await server.client({ db: 14 });
      await fill(
        scratch,
        10_000,
        (i) => key(`scratch:${i}`),
        () => "x".repeat(500),
      );
      await scratch.flushdb();
      // The keyspace to copy: database 0 big, one key in ten with a
      // deadline.
      await fill(redis, BASE_KEYS, base, (i) => `value-${i}`);
      for (let first = 0; first < BASE_KEYS; first += 10 * BATCH) {
        const pipeline = redis.pipeline();
        for (let i = first; i < first + 10 * BATCH; i += 10) {
          pipeline.pexpireat(base(i), YEAR_2100_MS + i);
        }
        await run(pipeline);
      }
      // Databases 3 to 5 for FLUSHDB and SWAPDB to hit; 7, which nobody
      // touches, is the last one the rewrite copies, so its copy ends in
      // database 7, while the old file's last write, below, was in 0: the
      // rewrite's own copy of later writes must start with a SELECT.
      for (const db of [3, 4, 5, 7]) {
        const other = await server.client({ db });
        await fill(
          other,
          1000,
          (i) => key(`db${db}:${i}`),
          (i) => `${db}/${i}`,
        );
        await other.pexpireat(key(`db${db}:0`), YEAR_2100_MS);
      }

      await redis.set(key("last write before the rewrite"), "in database 0");
      const rewritesBefore = await infoNumber(
        redis,
        "persistence",
        "aof_rewrites",
      );
      const sizeBefore = await infoNumber(
        redis,
        "persistence",
        "aof_current_size",
      );
      expect(await redis.bgrewriteaof()).toBe(
        "Background append only file rewriting started",
      );

      // Each writer touches base keys of its own (i % WRITERS === w), new
      // ones each round, so no two writers race for a key and every
      // command succeeds; writer 0 also empties database 3 now and then,
      // writer 1 swaps databases 4 and 5, writer 2 moves between databases.
      // A round ends with INFO on the same connection: if it says the
      // rewrite is still running, every write of the round ran during it.
      const rounds = Array.from({ length: WRITERS }, () => 0);
      let roundsDuringRewrite = 0;
      const writer = async (w: number): Promise<void> => {
        const client = await server.client();
        const round = async (): Promise<string> => {
          const r = rounds[w]!;
          const pick = (j: number) =>
            base(((r * 16 + j) * WRITERS + w) % BASE_KEYS);
          const pipeline = client.pipeline();
          pipeline.incr(key(`counter:${w}`));
          pipeline.set(key(`new:${w}:${r}`), `round ${r}`);
          pipeline.set(pick(0), `overwritten by ${w}/${r}`);
          pipeline.del(pick(1));
          pipeline.unlink(pick(2));
          pipeline.pexpire(pick(3), 3_600_000);
          pipeline.expireat(pick(4), YEAR_2100_MS / 1000);
          pipeline.persist(pick(10)); // one in ten of these had a deadline
          pipeline.rename(pick(5), key(`renamed:${w}:${r}`));
          pipeline.append(pick(6), "+appended");
          pipeline.set(pick(7), "with a deadline", "PX", 3_600_000);
          pipeline.getdel(pick(8));
          pipeline.expire(pick(9), -1); // a past deadline: deleted
          pipeline.incrbyfloat(key(`float:${w}`), "0.5");
          if (w === 0) {
            pipeline.select(3);
            pipeline.set(key(`db3:new:${r}`), String(r));
            if (r % 5 === 4) pipeline.flushdb();
            pipeline.select(0);
          } else if (w === 1) {
            pipeline.swapdb(4, 5);
            pipeline.select(4);
            pipeline.incr(key("db4:swapped"));
            pipeline.select(0);
          } else if (w === 2) {
            pipeline.select(6);
            pipeline.set(key(`db6:${r}`), String(r), "EX", 3600);
            pipeline.select(0);
          }
          pipeline.info("persistence");
          const replies = await run(pipeline);
          rounds[w] = r + 1;
          return replies.at(-1) as string;
        };
        const deadline = performance.now() + REWRITE_LIMIT_MS;
        for (;;) {
          if (performance.now() > deadline) {
            throw new Error(
              `the rewrite still runs after ${REWRITE_LIMIT_MS} ms`,
            );
          }
          const info = await round();
          if (infoValue(info, "aof_rewrite_in_progress") === 1) {
            roundsDuringRewrite += 1;
          } else if (infoValue(info, "aof_rewrites") > rewritesBefore) {
            break;
          }
        }
        await round(); // and one more once the new file is in place
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      const sizeAfter = await infoNumber(
        redis,
        "persistence",
        "aof_current_size",
      );

      expect(roundsDuringRewrite).toBeGreaterThan(0);
      // Nothing lost before the restart: each INCR counted once.
      for (let w = 0; w < WRITERS; w++) {
        expect(await redis.get(key(`counter:${w}`))).toBe(String(rounds[w]));
      }
      expect(
        await infoField(redis, "persistence", "aof_last_bgrewrite_status"),
      ).toBe("ok");
      // The new file holds the data, not its history.
      expect(sizeAfter).toBeLessThan(sizeBefore);
      if (server.kind === "ours") {
        expect(aofSize(server)).toBe(
          await infoNumber(redis, "persistence", "aof_current_size"),
        );
      }
      const before = await snapshotKeyspace(server, { pttl: false });
      expect(before.size).toBeGreaterThan(BASE_KEYS * 0.9);
      await server.restart();
      const after = await snapshotKeyspace(server, { pttl: false });
      expect(differences(before, after)).toEqual([]);
    },
  );
});

describe("automatic rewrites", () => {
  itRestarts(
    "once the file passes auto-aof-rewrite-min-size and has grown by auto-aof-rewrite-percentage",
    async () => {
      const server = await startRestartableServer({
        "auto-aof-rewrite-percentage": "100",
        "auto-aof-rewrite-min-size": "65536",
      });
      const redis = await server.client();
      const key = keysForThisTest();
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      // Below the minimum size, nothing happens. (Redis looks every 100 ms;
      // this waits for three looks. A negative: it cannot fail by chance.)
      await redis.set(key("small"), "x".repeat(10_000));
      await sleep(300);
      expect(await infoNumber(redis, "persistence", "aof_rewrites")).toBe(
        rewrites,
      );
      // Then 200 kB of history for 100 kB of data: the same keys, twice.
      for (let pass = 0; pass < 2; pass++) {
        const pipeline = redis.pipeline();
        for (let i = 0; i < 100; i++) {
          pipeline.set(key(`k${i}`), `${pass}`.repeat(1000));
        }
        await run(pipeline);
      }
      await rewriteDone(redis, rewrites);
      expect(
        await infoField(redis, "persistence", "aof_last_bgrewrite_status"),
      ).toBe("ok");
      const before = await snapshotKeyspace(server);
      expect(before.size).toBe(101);
      await server.restart();
      expect(differences(before, await snapshotKeyspace(server))).toEqual([]);
    },
  );
});

// Redis 7 writes the rewritten data as an RDB snapshot by default (the
// base file of its multi-part AOF, with aof-use-rdb-preamble yes), which
// is no list of commands; ours writes commands. These tests read our file.
describe("what our rewritten file holds", () => {
  itInProcess(
    "one SET per key and a PEXPIREAT per deadline, a SELECT per database: the data, not its history",
    async () => {
      const server = await startRestartableServer();
      const redis = await server.client();
      const two = await server.client({ db: 2 });
      const three = await server.client({ db: 3 });
      for (let i = 0; i < 50; i++) await redis.incr("counter");
      for (let i = 0; i < 20; i++) await redis.set("overwritten", `v${i}`);
      await redis.set("deleted", "x");
      await redis.del("deleted");
      await redis.set("volatile", "v", "EX", 1000);
      await redis.expire("volatile", 2000);
      await redis.set("binary\r\n\0", "\0\r\n");
      await two.mset("a", "1", "b", "2");
      await two.pexpireat("b", 4_102_444_800_123);
      await three.set("flushed", "x");
      await three.flushdb();
      // Expired before the rewrite, whether or not anything deleted it yet.
      await redis.set("expired", "x", "PX", 1);
      const deadline = await redis.pexpiretime("expired");
      await pollUntil(
        async () => (await serverTimeMs(redis)) > deadline,
        true,
        "the deadline passing",
      );

      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      await redis.bgrewriteaof();
      await rewriteDone(redis, rewrites);

      // Read before the snapshot below: its lookups delete the expired
      // key, and log that, after the rewrite.
      const file = aofBytes(server);
      const expected: string[] = [];
      for (const [name, state] of await snapshotKeyspace(server)) {
        const [db, quoted] = [
          name.slice(0, name.indexOf(" ")),
          name.slice(name.indexOf(" ") + 1),
        ];
        const key = JSON.parse(quoted) as string;
        expected.push(JSON.stringify([db, "SET", key, state.value]));
        if (state.pexpiretime >= 0) {
          expected.push(
            JSON.stringify([db, "PEXPIREAT", key, String(state.pexpiretime)]),
          );
        }
      }
      const logged: string[] = [];
      const selects: string[] = [];
      const setSoFar = new Set<string>();
      let db = "none";
      let commands = aofCommands(file);
      // The active cycle may find the expired key while the rewrite runs:
      // its DEL then follows the copy, as any write during a rewrite does.
      // Or just after it ends, before the file is read: then the DEL is
      // appended after the base (see the size check below).
      let deletionBytes = 0;
      const last = commands.at(-1);
      if (last?.[0] === "DEL" && last[1] === "expired") {
        const trailing = commands.at(-2)?.[0] === "SELECT" ? 2 : 1;
        deletionBytes = commands
          .slice(-trailing)
          .reduce((n, words) => n + aofCommand(...words).length, 0);
        commands = commands.slice(0, -trailing);
      }
      for (const [name, ...args] of commands) {
        if (name === "SELECT") {
          db = `db${args[0]}`;
          selects.push(db);
          continue;
        }
        if (name === "SET") setSoFar.add(`${db} ${args[0]}`);
        // A deadline follows the key it belongs to.
        if (name === "PEXPIREAT")
          expect(setSoFar).toContain(`${db} ${args[0]}`);
        logged.push(JSON.stringify([db, name, ...args]));
      }
      expect(logged.sort()).toEqual(expected.sort());
      expect(selects).toEqual(["db0", "db2"]);
      // The file is the rewrite's base, with that DEL in it or after it.
      const baseSize = await infoNumber(redis, "persistence", "aof_base_size");
      expect([file.length, file.length - deletionBytes]).toContain(baseSize);
    },
  );
});
