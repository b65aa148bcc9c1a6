/**
 * Article step "configuration": the AOF's settings, what INFO says about
 * it, BGREWRITEAOF's replies, and turning the AOF on and off while the
 * server runs.
 *
 * The settings are Redis's own, with its names, defaults and exact error
 * texts (checked against Redis 7.0): appendonly, appendfilename, dir,
 * appendfsync, aof-load-truncated, auto-aof-rewrite-percentage and
 * auto-aof-rewrite-min-size. Redis 7 refuses to change `dir` at run time
 * ("protected config"): a client that could point the data folder
 * elsewhere could have the server write files anywhere.
 *
 * The first tests use the file's server (under REDIS_URL, the shared real
 * Redis): they change settings and put them back when they end, and never
 * turn the AOF on there, which would write files into that server's
 * folder. Everything that writes a file or restarts runs on a server of
 * its own, on a fresh folder (persistence-helpers.ts).
 */
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { itInProcess, useServer } from "../../../shared/harness.ts";
import {
  errorOf,
  infoField,
  infoNumber,
  keysForThisTest,
  pollUntil,
} from "./client-helpers.ts";
import {
  aofCommand,
  differences,
  itRestarts,
  snapshotKeyspace,
  startRestartableServer,
} from "./persistence-helpers.ts";

// Our in-process server gets a folder of its own: if a test turned the AOF
// on by mistake, the file would land there, not in the repository.
const folder = mkdtempSync(join(tmpdir(), "aof-config-test-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const server = useServer({ dir: folder });

/** CONFIG GET's flat [name, value, ...] reply as an object. */
function pairs(reply: unknown): Record<string, string> {
  const flat = reply as string[];
  const object: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) object[flat[i]!] = flat[i + 1]!;
  return object;
}

/**
 * Remembers the current values of settings this test is about to change,
 * and puts them back when it ends, pass or fail.
 */
async function restoreAfterTest(
  redis: Redis,
  ...names: string[]
): Promise<void> {
  const saved = pairs(await redis.config("GET", ...names));
  onTestFinished(async () => {
    await redis.config("SET", ...Object.entries(saved).flat());
  });
}

/** Redis's CONFIG SET error, with the reason it gives. */
function failed(name: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}

/**
 * Resolves once INFO says no rewrite is running or waiting to run, and
 * `aof_rewrites` passed `before`.
 */
async function rewriteDone(redis: Redis, before: number): Promise<void> {
  await pollUntil(
    async () =>
      (await infoNumber(redis, "persistence", "aof_rewrite_in_progress")) ===
        0 &&
      (await infoNumber(redis, "persistence", "aof_rewrite_scheduled")) === 0 &&
      (await infoNumber(redis, "persistence", "aof_rewrites")) > before,
    true,
    "the rewrite to finish",
    { limitMs: 20_000, everyMs: 5 },
  );
}

describe("CONFIG GET and SET of the AOF's settings", () => {
  it("Redis's defaults", async () => {
    const redis = await server.client();
    expect(
      pairs(
        await redis.config(
          "GET",
          "appendonly",
          "appendfilename",
          "appendfsync",
          "aof-load-truncated",
          "auto-aof-rewrite-percentage",
          "auto-aof-rewrite-min-size",
        ),
      ),
    ).toEqual({
      appendonly: "no",
      appendfilename: "appendonly.aof",
      appendfsync: "everysec",
      "aof-load-truncated": "yes",
      "auto-aof-rewrite-percentage": "100",
      "auto-aof-rewrite-min-size": String(64 * 1024 * 1024),
    });
  });

  it("CONFIG GET append* finds the settings by pattern", async () => {
    const redis = await server.client();
    const found = pairs(await redis.config("GET", "append*"));
    expect(Object.keys(found)).toEqual(
      expect.arrayContaining(["appendonly", "appendfilename", "appendfsync"]),
    );
    const aof = pairs(await redis.config("GET", "*aof*"));
    expect(Object.keys(aof)).toEqual(
      expect.arrayContaining([
        "aof-load-truncated",
        "auto-aof-rewrite-percentage",
        "auto-aof-rewrite-min-size",
      ]),
    );
  });

  it.each([["always"], ["no"], ["everysec"], ["ALWAYS", "always"]])(
    "appendfsync %s",
    async (value, shown = value) => {
      const redis = await server.client();
      await restoreAfterTest(redis, "appendfsync");
      expect(await redis.config("SET", "appendfsync", value)).toBe("OK");
      expect(await redis.config("GET", "appendfsync")).toEqual([
        "appendfsync",
        shown,
      ]);
    },
  );

  it("aof-load-truncated and the automatic rewrite's thresholds can be changed", async () => {
    const redis = await server.client();
    await restoreAfterTest(
      redis,
      "aof-load-truncated",
      "auto-aof-rewrite-percentage",
      "auto-aof-rewrite-min-size",
    );
    expect(
      await redis.config(
        "SET",
        "aof-load-truncated",
        "no",
        "auto-aof-rewrite-percentage",
        "0",
        "auto-aof-rewrite-min-size",
        "0",
      ),
    ).toBe("OK");
    expect(
      pairs(
        await redis.config(
          "GET",
          "aof-load-truncated",
          "auto-aof-rewrite-percentage",
          "auto-aof-rewrite-min-size",
        ),
      ),
    ).toEqual({
      "aof-load-truncated": "no",
      "auto-aof-rewrite-percentage": "0",
      "auto-aof-rewrite-min-size": "0",
    });
  });

  it.each([
    ["1mb", 1024 * 1024],
    ["100kb", 100 * 1024],
    ["1k", 1000],
    ["1GB", 1024 ** 3],
    ["12345", 12345],
  ])("auto-aof-rewrite-min-size %s is %d bytes", async (value, bytes) => {
    const redis = await server.client();
    await restoreAfterTest(redis, "auto-aof-rewrite-min-size");
    expect(await redis.config("SET", "auto-aof-rewrite-min-size", value)).toBe(
      "OK",
    );
    expect(await redis.config("GET", "auto-aof-rewrite-min-size")).toEqual([
      "auto-aof-rewrite-min-size",
      String(bytes),
    ]);
  });

  it.each([
    ["appendonly", "maybe", "argument must be 'yes' or 'no'"],
    ["aof-load-truncated", "1", "argument must be 'yes' or 'no'"],
    [
      "appendfsync",
      "sometimes",
      "argument(s) must be one of the following: everysec, always, no",
    ],
    [
      "auto-aof-rewrite-percentage",
      "-1",
      "argument must be between 0 and 2147483647 inclusive",
    ],
    [
      "auto-aof-rewrite-percentage",
      "2147483648",
      "argument must be between 0 and 2147483647 inclusive",
    ],
    [
      "auto-aof-rewrite-percentage",
      "ten",
      "argument couldn't be parsed into an integer",
    ],
    ["auto-aof-rewrite-min-size", "lots", "argument must be a memory value"],
    ["auto-aof-rewrite-min-size", "-1", "argument must be a memory value"],
    ["auto-aof-rewrite-min-size", "1tb", "argument must be a memory value"],
  ])("CONFIG SET %s %j is refused: %s", async (name, value, reason) => {
    const redis = await server.client();
    await restoreAfterTest(redis, name);
    const before = await redis.config("GET", name);
    expect(await errorOf(redis.config("SET", name, value))).toBe(
      failed(name, reason),
    );
    expect(await redis.config("GET", name)).toEqual(before);
  });

  it("appendfilename cannot be changed while running", async () => {
    const redis = await server.client();
    expect(
      await errorOf(redis.config("SET", "appendfilename", "other.aof")),
    ).toBe(failed("appendfilename", "can't set immutable config"));
    expect(await redis.config("GET", "appendfilename")).toEqual([
      "appendfilename",
      "appendonly.aof",
    ]);
  });

  it("dir is an absolute path, and protected: CONFIG SET refuses it", async () => {
    const redis = await server.client();
    const [, dir] = (await redis.config("GET", "dir")) as string[];
    expect(dir).toMatch(/^\//);
    expect(await errorOf(redis.config("SET", "dir", tmpdir()))).toBe(
      failed("dir", "can't set protected config"),
    );
    expect(await redis.config("GET", "dir")).toEqual(["dir", dir]);
  });
});

describe("INFO persistence", () => {
  it("with the AOF off: aof_enabled:0, statuses ok, and no sizes", async () => {
    const redis = await server.client();
    expect(await infoField(redis, "persistence", "aof_enabled")).toBe("0");
    expect(
      await infoField(redis, "persistence", "aof_rewrite_in_progress"),
    ).toBe("0");
    expect(await infoField(redis, "persistence", "aof_rewrites")).toMatch(
      /^\d+$/,
    );
    expect(
      await infoField(redis, "persistence", "aof_last_bgrewrite_status"),
    ).toBe("ok");
    expect(await infoField(redis, "persistence", "aof_last_write_status")).toBe(
      "ok",
    );
    expect(
      await infoField(redis, "persistence", "aof_current_size"),
    ).toBeUndefined();
    expect(
      await infoField(redis, "persistence", "aof_base_size"),
    ).toBeUndefined();
  });

  itRestarts(
    "with the AOF on: aof_current_size grows by each logged command's bytes",
    async () => {
      // With `always` the write is done before the reply goes out. (With
      // everysec, Redis postpones its write for up to two seconds while a
      // background fsync runs, and replies meanwhile.)
      const own = await startRestartableServer({ appendfsync: "always" });
      const redis = await own.client();
      const key = keysForThisTest();
      expect(await infoField(redis, "persistence", "aof_enabled")).toBe("1");
      expect(
        await infoField(redis, "persistence", "aof_last_write_status"),
      ).toBe("ok");
      expect(
        await infoNumber(redis, "persistence", "aof_base_size"),
      ).toBeGreaterThanOrEqual(0);
      await redis.set(key("first"), "1"); // after a SELECT: not measured
      const size = await infoNumber(redis, "persistence", "aof_current_size");
      // Logged as the client sent it (ioredis writes command names in lower case).
      await redis.set(key("second"), "two");
      expect(await infoNumber(redis, "persistence", "aof_current_size")).toBe(
        size + aofCommand("set", key("second"), "two").length,
      );
      // A read changes nothing, and logs nothing.
      await redis.get(key("second"));
      expect(await infoNumber(redis, "persistence", "aof_current_size")).toBe(
        size + aofCommand("set", key("second"), "two").length,
      );
    },
  );
});

describe("BGREWRITEAOF", () => {
  itRestarts(
    "starts a rewrite, and refuses a second one while the first runs",
    async () => {
      const own = await startRestartableServer();
      const redis = await own.client();
      const key = keysForThisTest();
      const words: string[] = [];
      for (let i = 0; i < 10_000; i++) words.push(key(String(i)), String(i));
      await redis.mset(...words);
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      // In one pipeline, so the second arrives while the first still runs:
      // a rewrite needs at least a few turns of the event loop (ours) or a
      // child process (Redis).
      const replies = await redis
        .pipeline()
        .bgrewriteaof()
        .bgrewriteaof()
        .info("persistence")
        .exec();
      expect(replies?.[0]).toEqual([
        null,
        "Background append only file rewriting started",
      ]);
      expect((replies?.[1]?.[0] as Error | null)?.message).toBe(
        "ERR Background append only file rewriting already in progress",
      );
      expect(replies?.[2]?.[1]).toMatch(/\r\naof_rewrite_in_progress:1\r\n/);
      await rewriteDone(redis, rewrites);
      expect(
        await infoField(redis, "persistence", "aof_last_bgrewrite_status"),
      ).toBe("ok");
      // Nothing written since: the file is the rewrite's, whole.
      expect(await infoNumber(redis, "persistence", "aof_current_size")).toBe(
        await infoNumber(redis, "persistence", "aof_base_size"),
      );
      // Once it is done, another may start.
      const done = await infoNumber(redis, "persistence", "aof_rewrites");
      expect(await redis.bgrewriteaof()).toBe(
        "Background append only file rewriting started",
      );
      await rewriteDone(redis, done);
    },
  );

  // Redis counts a rewrite in aof_rewrites as it starts it (and its own
  // comment says "performed", but the counter moves at the fork).
  itRestarts(
    "aof_rewrites counts the rewrites started: it goes up as one starts",
    async () => {
      const own = await startRestartableServer();
      const redis = await own.client();
      const key = keysForThisTest();
      const words: string[] = [];
      for (let i = 0; i < 10_000; i++) words.push(key(String(i)), String(i));
      await redis.mset(...words);
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      const replies = await redis
        .pipeline()
        .bgrewriteaof()
        .info("persistence")
        .exec();
      const info = replies?.[1]?.[1] as string;
      expect(info).toMatch(/\r\naof_rewrite_in_progress:1\r\n/);
      expect(info).toContain(`\r\naof_rewrites:${rewrites + 1}\r\n`);
      await rewriteDone(redis, rewrites);
      expect(await infoNumber(redis, "persistence", "aof_rewrites")).toBe(
        rewrites + 1,
      );
    },
  );

  itRestarts(
    "with appendonly off, writes a file that appendonly yes loads at the next start",
    async () => {
      const own = await startRestartableServer({ appendonly: "no" });
      const redis = await own.client();
      const key = keysForThisTest();
      await redis.set(key("a"), "1");
      await redis.set(key("b"), "2", "EX", 1000);
      expect(own.hasAppendOnlyData()).toBe(false);
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      expect(await redis.bgrewriteaof()).toBe(
        "Background append only file rewriting started",
      );
      await rewriteDone(redis, rewrites);
      expect(own.hasAppendOnlyData()).toBe(true);
      expect(await infoField(redis, "persistence", "aof_enabled")).toBe("0");
      const before = await snapshotKeyspace(own);
      await own.restart({ appendonly: "yes" });
      expect(differences(before, await snapshotKeyspace(own))).toEqual([]);
    },
  );
});

describe("turning the AOF on and off while running", () => {
  itRestarts(
    "CONFIG SET appendonly yes writes out the data there is, then logs what follows",
    async () => {
      const own = await startRestartableServer({ appendonly: "no" });
      const redis = await own.client();
      const key = keysForThisTest();
      const three = await own.client({ db: 3 });
      await redis.set(key("before"), "1");
      await three.set(key("before, volatile"), "2", "PX", 5_000_000);
      expect(own.hasAppendOnlyData()).toBe(false);
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      expect(await redis.config("SET", "appendonly", "yes")).toBe("OK");
      expect(await infoField(redis, "persistence", "aof_enabled")).toBe("1");
      // Right away, while the file is being written...
      await redis.incr(key("counter"));
      await three.set(key("during"), "3");
      await rewriteDone(redis, rewrites);
      expect(own.hasAppendOnlyData()).toBe(true);
      // ...and after.
      await redis.incr(key("counter"));
      await three.del(key("during"));
      await redis.set(key("after"), "4", "EX", 1000);
      const before = await snapshotKeyspace(own);
      expect(before.size).toBe(4);
      await own.restart({ appendonly: "yes" });
      expect(differences(before, await snapshotKeyspace(own))).toEqual([]);
    },
  );

  itRestarts(
    "CONFIG SET appendonly yes while a BGREWRITEAOF runs: the file still gets everything",
    async () => {
      const own = await startRestartableServer({ appendonly: "no" });
      const redis = await own.client();
      const key = keysForThisTest();
      const words: string[] = [];
      for (let i = 0; i < 10_000; i++) words.push(key(String(i)), String(i));
      await redis.mset(...words);
      await redis.set(key("volatile"), "v", "PX", 5_000_000);
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      // Redis stops that rewrite and starts another; ours lets the one
      // running write the file.
      const replies = await redis
        .pipeline()
        .bgrewriteaof()
        .config("SET", "appendonly", "yes")
        .set(key("during"), "1")
        .del(key("0"))
        .exec();
      expect(replies?.map(([error]) => error)).toEqual([
        null,
        null,
        null,
        null,
      ]);
      await redis.incr(key("counter"));
      await rewriteDone(redis, rewrites);
      expect(own.hasAppendOnlyData()).toBe(true);
      await redis.incr(key("counter"));
      await redis.expire(key("1"), 1000);
      const before = await snapshotKeyspace(own);
      expect(before.size).toBe(10_002);
      await own.restart({ appendonly: "yes" });
      expect(differences(before, await snapshotKeyspace(own))).toEqual([]);
    },
  );

  // Redis refuses a SIGTERM until the first file is written ("Writing
  // initial AOF, can't exit."), which this helper's stop cannot wait out;
  // in-process, close() must finish the file (or wait for it) instead.
  itInProcess(
    "a graceful stop while CONFIG SET appendonly yes still writes the first file loses nothing",
    async () => {
      const own = await startRestartableServer({ appendonly: "no" });
      const redis = await own.client();
      const key = keysForThisTest();
      const words: string[] = [];
      for (let i = 0; i < 10_000; i++) words.push(key(String(i)), String(i));
      await redis.mset(...words);
      expect(await redis.config("SET", "appendonly", "yes")).toBe("OK");
      await redis.set(key("after"), "acknowledged");
      // At once: copying 10,000 keys takes the rewrite a few turns yet.
      await own.restart({ appendonly: "yes" });
      const again = await own.client();
      expect(await again.dbsize()).toBe(10_001);
      expect(await again.get(key("after"))).toBe("acknowledged");
      expect(await again.get(key("9999"))).toBe("9999");
    },
  );

  itRestarts(
    "CONFIG SET appendonly no stops logging: later writes are not in the file",
    async () => {
      const own = await startRestartableServer();
      const redis = await own.client();
      const key = keysForThisTest();
      await redis.set(key("logged"), "1");
      expect(await redis.config("SET", "appendonly", "no")).toBe("OK");
      expect(await infoField(redis, "persistence", "aof_enabled")).toBe("0");
      await redis.set(key("not logged"), "2");
      await redis.del(key("logged"));
      // Started again with the file as it was when logging stopped.
      await own.restart({ appendonly: "yes" });
      const again = await own.client();
      expect(await again.get(key("logged"))).toBe("1");
      expect(await again.exists(key("not logged"))).toBe(0);
    },
  );

  itRestarts(
    "CONFIG SET appendfsync while running: every policy goes on logging",
    async () => {
      const own = await startRestartableServer();
      const redis = await own.client();
      const key = keysForThisTest();
      for (const policy of ["always", "no", "everysec"]) {
        expect(await redis.config("SET", "appendfsync", policy)).toBe("OK");
        await redis.set(key(policy), policy);
        await redis.incr(key("counter"));
      }
      await own.restart();
      const again = await own.client();
      expect(
        await again.mget(key("always"), key("no"), key("everysec")),
      ).toEqual(["always", "no", "everysec"]);
      expect(await again.get(key("counter"))).toBe("3");
    },
  );
});
