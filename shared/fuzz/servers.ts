/**
 * The two servers a fuzz run compares: the chapter's, started as a program
 * (`node --import tsx chapters/NN-name/src/main.ts --port 0`, as `npm run
 * chapter` runs it), and a throwaway `redis-server` with nothing saved.
 *
 * Each runs in a fresh temporary folder, its working directory, so that
 * whatever a run makes either of them write (BGREWRITEAOF, CONFIG SET
 * appendonly yes) lands there and is deleted with it. Both are stopped on
 * every way out, Ctrl-C included.
 *
 * With `cluster`, both are started as cluster nodes (cluster-mode.ts): on
 * a port whose bus port (port + 10000) is free too, from a nodes.conf
 * that gives both the same node id.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Chapter } from "../chapters.ts";
import {
  freePort,
  redisServerArgs,
  waitForPong,
} from "../scripts/local-redis.ts";
import { freePortPair } from "../cluster-forming.ts";
import { clusterArgs, writeNodesFile } from "./cluster-mode.ts";

/** A server process the run owns. */
export interface RunningServer {
  readonly name: string;
  readonly port: number;
  /** The process exited (crashed, or was stopped). */
  exited(): boolean;
  /** The last lines it printed, for a report on a crash. */
  output(): string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
/** Start-up attempts: the tree may be mid-change when a run starts. */
const ATTEMPTS = 3;

/** Processes still running and their folders: the last resort on any way out kills and deletes them. */
const running = new Map<ChildProcess, string>();
process.on("exit", () => {
  for (const [child, cwd] of running) {
    child.kill("SIGKILL");
    rmSync(cwd, { recursive: true, force: true });
  }
});
// A signal ends the process without "exit" handlers unless it is handled:
// Ctrl-C must not leave a redis-server behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => process.exit(130));
}

/** Starts `command args` in `cwd`, keeping the tail of what it prints. */
function launch(command: string, args: readonly string[], cwd: string) {
  const child = spawn(command, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.set(child, cwd);
  let printed = "";
  const keep = (text: string): void => {
    printed = (printed + text).slice(-8192);
  };
  child.stdout!.setEncoding("utf8").on("data", keep);
  child.stderr!.setEncoding("utf8").on("data", keep);
  let gone = false;
  const closed = new Promise<void>((resolve) => {
    child.once("close", () => {
      gone = true;
      running.delete(child);
      resolve();
    });
  });
  child.once("error", (error) => keep(`\n${error.message}\n`));
  const stop = async (): Promise<void> => {
    if (!gone) {
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      child.kill("SIGTERM");
      await closed;
      clearTimeout(killer);
    }
    rmSync(cwd, { recursive: true, force: true });
  };
  return { child, output: () => printed, exited: () => gone, stop };
}

/** Starts chapter `chapter`'s server on a free port; resolves once its banner says where. */
export async function startChapterServer(
  chapter: Chapter,
  { cluster = false }: { cluster?: boolean } = {},
): Promise<RunningServer> {
  const main = join(chapter.dir, "src", "main.ts");
  // `--import tsx` is resolved from the working directory, which is a
  // temporary folder here: name tsx's loader by its full URL instead.
  const tsx = import.meta.resolve("tsx");
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const cwd = mkdtempSync(join(tmpdir(), "fuzz-ours-"));
    // A cluster node needs its port before it starts: its bus is port + 10000.
    const port = cluster ? await freePortPair() : 0;
    if (cluster) writeNodesFile(cwd, port);
    const started = launch(
      process.execPath,
      [
        "--import",
        tsx,
        main,
        "--port",
        String(port),
        ...(cluster ? clusterArgs() : []),
      ],
      cwd,
    );
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      const match = /Listening on \S+:(\d+)/.exec(started.output());
      if (match !== null) {
        return {
          name: chapter.id,
          port: Number(match[1]),
          exited: started.exited,
          output: started.output,
          stop: started.stop,
        };
      }
      if (started.exited() || Date.now() > deadline) break;
      await sleep(50);
    }
    lastError = new Error(
      `${chapter.id}'s server did not start (attempt ${attempt}):\n${started.output()}`,
    );
    await started.stop();
    if (attempt < ATTEMPTS) await sleep(2_000);
  }
  throw lastError!;
}

/** Starts a redis-server (REDIS_SERVER names another binary) that saves nothing, in a folder of its own. */
export async function startRedis({
  cluster = false,
}: { cluster?: boolean } = {}): Promise<RunningServer> {
  const binary = process.env.REDIS_SERVER ?? "redis-server";
  const cwd = mkdtempSync(join(tmpdir(), "fuzz-redis-"));
  const port = cluster ? await freePortPair() : await freePort();
  if (cluster) writeNodesFile(cwd, port);
  const started = launch(
    binary,
    [...redisServerArgs(port), "--dir", cwd, ...(cluster ? clusterArgs() : [])],
    cwd,
  );
  try {
    await waitForPong(port, Date.now() + STARTUP_TIMEOUT_MS, started.exited);
  } catch (error) {
    await started.stop();
    throw new Error(
      `${binary} did not start: ${(error as Error).message}. Is it installed (Debian: apt-get install redis-server)?\n${started.output()}`,
    );
  }
  return {
    name: `${binary} ${port}`,
    port,
    exited: started.exited,
    output: started.output,
    stop: started.stop,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
