/**
 * A server that can be stopped and started again on the same data folder:
 * what every test of "does it survive a restart?" needs, and what the
 * harness's one-server-per-file `useServer()` cannot give.
 *
 * Which server that is depends on the run, as for the harness:
 *
 * - normally, our chapter's server, in-process (`startChapterServer`) with
 *   `dir` set to a fresh temporary folder and `appendonly yes`. A restart is
 *   `close()` (graceful: the AOF is written and synced) and a new server on
 *   the same folder. In-process because it is fast: a child process with
 *   tsx takes half a second or more to start, and these tests restart a lot;
 *   chapter 05's `main.ts` adds nothing here but parsing the command line;
 * - under REDIS_URL, the shared server cannot be restarted (other files use
 *   it, and its data folder is not ours to fill). So the helper starts a
 *   throwaway `redis-server` of its own, from the binary named by
 *   REDIS_SERVER_BIN (`npm run test:redis` sets it to the one it runs),
 *   listening on a Unix socket in the temporary folder only (`--port 0`),
 *   with the same settings. A restart is SIGTERM (Redis writes and syncs
 *   its AOF on the way out), then the same command line again. Without
 *   REDIS_SERVER_BIN (someone else's server in REDIS_URL) there is nothing
 *   we may restart, and `itRestarts` tests are skipped.
 *
 * Settings are given as redis.conf directives (`{ appendfsync: "always" }`),
 * the one language both servers speak. Everything is cleaned up when the
 * test ends, whatever happened in it: clients disconnected, the server
 * stopped (a Redis that does not stop is killed), the folder removed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { Redis, type RedisOptions } from "ioredis";
import {
  external,
  startChapterServer,
  type ChapterServer,
} from "../../../shared/harness.ts";
import { namingCommands } from "../../../shared/replies.ts";
import { infoNumber, pollUntil } from "./client-helpers.ts";

/** The redis-server binary to restart under REDIS_URL (see the header). */
const redisServerBin = process.env.REDIS_SERVER_BIN;

/** Whether restart tests can run: always with our server, with REDIS_SERVER_BIN under REDIS_URL. */
export const canRestart = !external || redisServerBin !== undefined;

/** A test that stops and restarts a server: skipped when there is none we may restart. */
export const itRestarts = it.skipIf(!canRestart);

/** redis.conf directives and their values: `{ "auto-aof-rewrite-min-size": "4096" }`. */
export type Settings = Readonly<Record<string, string>>;

/**
 * In-process extras for our server, which a Redis process cannot take:
 * a clock the test moves by hand (test/manual-clock.ts). Only for tests
 * skipped under REDIS_URL.
 */
export interface OursOnly {
  clock?: object;
}

/** How long a server gets to start (an AOF to load included) or to stop. */
const START_LIMIT_MS = 15_000;
const STOP_LIMIT_MS = 15_000;

export interface RestartableServer {
  /** "ours" in-process, or a throwaway "redis" started from REDIS_SERVER_BIN. */
  readonly kind: "ours" | "redis";
  /** The data folder, the same across restarts. */
  readonly dir: string;
  /**
   * Our AOF: one file, `appendonly.aof` in `dir`. (Redis 7 keeps a folder
   * of files with a manifest instead, so only tests of our server read it.)
   */
  readonly aofPath: string;
  /** Whether the append-only data exists on disk: our file, or Redis 7's folder. */
  hasAppendOnlyData(): boolean;
  /**
   * An ioredis client, disconnected when the server stops (and when the
   * test ends); its error replies name their command, as the harness's do.
   */
  client(options?: RedisOptions): Promise<Redis>;
  /**
   * Graceful stop, then a start on the same folder, with the settings of
   * the first start changed by `changes` (and our server's extras replaced
   * by `ours`, if given).
   */
  restart(changes?: Settings, ours?: OursOnly): Promise<void>;
  /** Graceful stop: clients disconnected, everything written. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a server with `appendonly yes` (unless `settings` say otherwise)
 * on a fresh temporary folder, for the running test. Only in `itRestarts`
 * tests.
 */
export async function startRestartableServer(
  settings: Settings = {},
  ours: OursOnly = {},
): Promise<RestartableServer> {
  if (!canRestart) {
    throw new Error(
      "no server to restart under REDIS_URL without REDIS_SERVER_BIN: use itRestarts",
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "redis-aof-test-"));
  const kind = external ? "redis" : "ours";
  let current: Settings = { appendonly: "yes", ...settings };
  let currentOurs = ours;
  let running: RunningInstance | undefined;
  const clients = new Set<Redis>();

  const stop = async (): Promise<void> => {
    await Promise.all([...clients].map(disconnect));
    clients.clear();
    const instance = running;
    running = undefined;
    await instance?.stop();
  };
  onTestFinished(async () => {
    try {
      await stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const start = async (): Promise<void> => {
    running =
      kind === "ours"
        ? await startOurs(dir, current, currentOurs)
        : await startRedis(dir, current);
  };
  await start();

  return {
    kind,
    dir,
    aofPath: join(dir, "appendonly.aof"),
    hasAppendOnlyData() {
      return existsSync(
        join(dir, kind === "ours" ? "appendonly.aof" : "appendonlydir"),
      );
    },
    async client(options = {}) {
      if (running === undefined) throw new Error("the server is stopped");
      const client = new Redis({
        ...running.address,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        ...options,
        lazyConnect: true,
      });
      clients.add(client);
      await client.connect();
      return namingCommands(client);
    },
    async restart(changes = {}, ours) {
      await stop();
      current = { ...current, ...changes };
      if (ours !== undefined) currentOurs = ours;
      await start();
    },
    stop,
  };
}

/** One run of a server, between a start and a stop. */
export interface RunningInstance {
  /** Where ioredis connects: `{ host, port }` or `{ path }` of a Unix socket. */
  readonly address: { host: string; port: number } | { path: string };
  stop(): Promise<void>;
}

// #region ours
/** Our server in-process, its settings turned into its config object. */
async function startOurs(
  dir: string,
  settings: Settings,
  ours: OursOnly,
): Promise<RunningInstance> {
  const server: ChapterServer = await startChapterServer({
    ...ourConfig(settings),
    ...ours,
    dir,
  });
  return {
    address: { host: server.host, port: server.port },
    stop: () => server.close(),
  };
}

/**
 * redis.conf directives as our `ServerConfig`: `auto-aof-rewrite-min-size`
 * is `autoAofRewriteMinSize`, yes/no are booleans, whole numbers numbers.
 * (Enough for the settings these tests use; main.ts parses the real thing.)
 */
function ourConfig(settings: Settings): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(settings)) {
    const field = name.replace(/-([a-z])/g, (_, letter: string) =>
      letter.toUpperCase(),
    );
    config[field] =
      text === "yes"
        ? true
        : text === "no"
          ? false
          : /^-?\d+$/.test(text)
            ? Number(text)
            : text;
  }
  return config;
}
// #endregion ours

// #region redis
/**
 * Redis processes started here and not yet exited: killed if the test
 * process exits first. One set per process, kept on `globalThis`, since
 * vitest evaluates this module afresh for each test file.
 */
const liveRedisProcesses = ((): Set<ChildProcess> => {
  const slot = Symbol.for("redis-from-scratch:live-redis-processes");
  const global = globalThis as { [slot]?: Set<ChildProcess> };
  if (global[slot] === undefined) {
    const live = new Set<ChildProcess>();
    process.on("exit", () => {
      for (const child of live) child.kill("SIGKILL");
    });
    global[slot] = live;
  }
  return global[slot];
})();

/**
 * A throwaway redis-server on a Unix socket in `dir`, with no TCP port and
 * no snapshots: nothing another test or program could run into. Killed
 * when the test ends if nobody stopped it. (Exported for tests that start
 * a Redis on our files: `binary` is then whichever one they found.)
 */
export async function startRedis(
  dir: string,
  settings: Settings,
  binary: string = redisServerBin!,
): Promise<RunningInstance> {
  const socketPath = join(dir, "redis.sock");
  const args = [
    "--port",
    "0",
    "--unixsocket",
    socketPath,
    "--dir",
    dir,
    "--save",
    "",
    ...Object.entries(settings).flatMap(([name, value]) => [
      `--${name}`,
      value,
    ]),
  ];
  const child = spawn(binary, args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveRedisProcesses.add(child);
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (text) => (output += text));
  child.stderr!.setEncoding("utf8").on("data", (text) => (output += text));
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code) => {
      liveRedisProcesses.delete(child);
      resolve(code);
    });
  });
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));

  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
    }
    await exited;
  };
  // Killed when the test ends if nobody stopped it (a failed start too).
  onTestFinished(kill);

  const deadline = Date.now() + START_LIMIT_MS;
  while (!(existsSync(socketPath) && (await answersPong(socketPath)))) {
    if (spawnError !== undefined || child.exitCode !== null) {
      await kill();
      throw new Error(
        `${binary} ${args.join(" ")} did not start: ${spawnError?.message ?? ""}\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `${binary} did not answer PING within ${START_LIMIT_MS} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  return {
    address: { path: socketPath },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM is Redis's graceful shutdown: the AOF is flushed and synced.
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_LIMIT_MS);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) {
        throw new Error(
          `redis-server exited with ${code} on SIGTERM:\n${output}`,
        );
      }
    },
  };
}

/**
 * One PING on the Unix socket: true for +PONG. A Redis still loading its
 * AOF answers -LOADING instead, and is not ready yet.
 */
function answersPong(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path }, () => socket.write("PING\r\n"));
    socket.setEncoding("utf8");
    socket.setTimeout(1000, () => socket.destroy());
    socket.once("data", (text: string) => {
      socket.destroy();
      resolve(text.startsWith("+PONG"));
    });
    socket.once("close", () => resolve(false)); // no-op if already resolved
    socket.once("error", () => resolve(false));
  });
}
// #endregion redis

/** Closes an ioredis client and waits until its socket is gone. */
export async function disconnect(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise((resolve) => client.once("end", resolve));
  client.disconnect();
  await ended;
}

// #region file
/** Our AOF's bytes (an empty buffer if there is no file yet). */
export function aofBytes(server: RestartableServer): Buffer {
  return existsSync(server.aofPath)
    ? readFileSync(server.aofPath)
    : Buffer.alloc(0);
}

/** Our AOF's size in bytes (0 if there is no file yet). */
export function aofSize(server: RestartableServer): number {
  return existsSync(server.aofPath) ? statSync(server.aofPath).size : 0;
}
/**
 * One command as an AOF holds it, written out here by hand rather than
 * with the server's encoder, so a test compares the file with RESP itself:
 * `*<count>\r\n`, then `$<length>\r\n<bytes>\r\n` per word.
 */
export function aofCommand(...words: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${words.length}\r\n`)];
  for (const word of words) {
    const bytes = typeof word === "string" ? Buffer.from(word, "latin1") : word;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/**
 * Our AOF read back as commands, each a list of byte strings. Strict: the
 * file must be whole commands, `*<n>` arrays of `$<length>` bulk strings.
 */
export function aofCommands(bytes: Buffer): string[][] {
  const commands: string[][] = [];
  let at = 0;
  const line = (): string => {
    const end = bytes.indexOf("\r\n", at, "latin1");
    if (end < 0) throw new Error(`no CRLF after offset ${at}`);
    const text = bytes.toString("latin1", at, end);
    at = end + 2;
    return text;
  };
  while (at < bytes.length) {
    const header = line();
    if (!/^\*\d+$/.test(header)) throw new Error(`not an array: ${header}`);
    const words: string[] = [];
    for (let n = Number(header.slice(1)); n > 0; n--) {
      const size = line();
      if (!/^\$\d+$/.test(size)) throw new Error(`not a bulk string: ${size}`);
      const length = Number(size.slice(1));
      words.push(bytes.toString("latin1", at, at + length));
      at += length + 2;
    }
    commands.push(words);
  }
  return commands;
}

/**
 * The records of the append-only file, as commands, from either server:
 * ours is one file, Redis 7's the `.incr.aof` file of its appendonlydir
 * (only one exists until a rewrite). Both servers write a record before
 * the reply it answers goes out, so the file is complete once the
 * replies are in.
 */
export function aofRecords(server: RestartableServer): string[][] {
  if (server.kind === "ours") return aofCommands(aofBytes(server));
  const folder = join(server.dir, "appendonlydir");
  const incremental = readdirSync(folder).filter((name) =>
    name.endsWith(".incr.aof"),
  );
  expect(incremental).toHaveLength(1);
  return aofCommands(readFileSync(join(folder, incremental[0]!)));
}

/** How long a rewrite may take before a test gives up on it: far more than it needs. */
export const REWRITE_LIMIT_MS = 20_000;

/** Starts BGREWRITEAOF and resolves once INFO says it is over, and went well. */
export async function rewrite(redis: Redis): Promise<void> {
  const before = await infoNumber(redis, "persistence", "aof_rewrites");
  expect(await redis.bgrewriteaof()).toBe(
    "Background append only file rewriting started",
  );
  await pollUntil(
    async () =>
      (await infoNumber(redis, "persistence", "aof_rewrite_in_progress")) ===
        0 && (await infoNumber(redis, "persistence", "aof_rewrites")) > before,
    true,
    "the rewrite to finish",
    { limitMs: REWRITE_LIMIT_MS, everyMs: 5 },
  );
  expect(
    (await redis.info("persistence")).includes("aof_last_bgrewrite_status:ok"),
  ).toBe(true);
}
// #endregion file

// #region snapshot
/**
 * The state of one key: its value, and its deadline as PEXPIRETIME and
 * PTTL answer it (-1: none). PTTL only if the snapshot was asked for it.
 */
export interface KeyState {
  value: string;
  pexpiretime: number;
  pttl?: number;
}

/**
 * The name of a key in a snapshot: `keyIn(0, "k")` is `db0 "k"`, the key
 * JSON-quoted so that binary keys print readably in a failure message.
 */
export function keyIn(db: number, key: string): string {
  return `db${db} ${JSON.stringify(key)}`;
}

/**
 * Every key of every database, as a client sees it: `db<N> "<key>"` (the
 * key as a byte string, JSON-quoted so that binary keys print readably)
 * → its state. Read with SCAN, MGET and PEXPIRETIME (and PTTL, unless
 * `pttl` is false: a third of the time for a big keyspace), on a client of
 * its own (it SELECTs around), in pipelined batches.
 */
export async function snapshotKeyspace(
  server: RestartableServer,
  { pttl = true, databases = 16 } = {},
): Promise<Map<string, KeyState>> {
  const redis = await server.client();
  const snapshot = new Map<string, KeyState>();
  try {
    for (let db = 0; db < databases; db++) {
      await redis.select(db);
      if ((await redis.dbsize()) === 0) continue;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scanBuffer(cursor, "COUNT", 1000);
        cursor = next.toString();
        if (keys.length === 0) continue;
        const pipeline = redis.pipeline();
        pipeline.mgetBuffer(...keys);
        for (const key of keys) pipeline.pexpiretime(key);
        if (pttl) for (const key of keys) pipeline.pttl(key);
        const replies = ((await pipeline.exec()) ?? []).map(
          ([error, reply]) => {
            if (error) throw error;
            return reply;
          },
        );
        const values = replies[0] as (Buffer | null)[];
        keys.forEach((key, i) => {
          // A key SCAN named may have expired since: gone, not a key.
          const value = values[i];
          if (value === null || value === undefined) return;
          const state: KeyState = {
            value: value.toString("latin1"),
            pexpiretime: replies[1 + i] as number,
          };
          if (pttl) state.pttl = replies[1 + keys.length + i] as number;
          snapshot.set(keyIn(db, key.toString("latin1")), state);
        });
      } while (cursor !== "0");
    }
  } finally {
    await disconnect(redis);
  }
  return snapshot;
}

/**
 * How `after` differs from `before`, at most `limit` lines, for a failure
 * message that names the keys: values and PEXPIRETIME must be identical,
 * and a key's PTTL may only have shrunk (its deadline did not move, time
 * went on).
 */
export function differences(
  before: ReadonlyMap<string, KeyState>,
  after: ReadonlyMap<string, KeyState>,
  limit = 20,
): string[] {
  const found: string[] = [];
  const describe = (state: KeyState | undefined): string =>
    state === undefined
      ? "missing"
      : `${JSON.stringify(state.value.slice(0, 60))} pexpiretime ${state.pexpiretime}`;
  for (const [name, was] of before) {
    const now = after.get(name);
    if (
      now === undefined ||
      now.value !== was.value ||
      now.pexpiretime !== was.pexpiretime ||
      (now.pttl ?? -1) > (was.pttl ?? -1)
    ) {
      found.push(
        `${name}: was ${describe(was)} pttl ${was.pttl}, now ${describe(now)} pttl ${now?.pttl}`,
      );
    }
    if (found.length >= limit) return found;
  }
  for (const [name, now] of after) {
    if (!before.has(name)) found.push(`${name}: new, ${describe(now)}`);
    if (found.length >= limit) return found;
  }
  return found;
}
// #endregion snapshot
