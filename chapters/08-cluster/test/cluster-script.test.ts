/**
 * `npm run cluster`: shared/scripts/cluster.ts run as the program it is.
 * It must start and form a cluster that Redis's own tools accept (check,
 * and a reshard of 1000 slots), restart it from nodes.conf as it was, say
 * which port is in the way, and take every node down with it on Ctrl-C.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../../shared/chapters.ts";
import { isFree, waitUntil } from "../../../shared/cluster-forming.ts";
import { external, serverDir } from "../../../shared/harness.ts";
import {
  CHECK_OK,
  clusterCheck,
  hasRedisCli,
  redisCli,
  reshard,
} from "./redis-cli-helpers.ts";

const SCRIPT = join(REPO_ROOT, "shared", "scripts", "cluster.ts");
const NODES = 3;
const READY_LIMIT_MS = 60_000;

interface ScriptRun {
  output(): string;
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** The node processes' ids, read from the table it prints when ready. */
  pids(): number[];
}

/** Runs the script with `args`; when the test ends it is stopped, and its nodes with it. */
function runScript(args: readonly string[]): ScriptRun {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", SCRIPT, "--chapter", serverDir(), ...args],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (output += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (output += t));
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => resolve(code)),
  );
  const run: ScriptRun = {
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
    pids: () =>
      [...output.matchAll(/^ {2}\d+ +(\d+) +[0-9a-f]{40} /gm)].map((m) =>
        Number(m[1]),
      ),
  };
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 15_000)),
      ]);
      if (!stopped) child.kill("SIGKILL");
    }
    // Whatever happened to the script, no node of this test may live on.
    for (const pid of run.pids()) if (alive(pid)) process.kill(pid, "SIGKILL");
  });
  return run;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForOutput(run: ScriptRun, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + READY_LIMIT_MS;
  let exitCode: number | null | undefined;
  void run.exited.then((code) => (exitCode = code));
  while (!pattern.test(run.output())) {
    if (exitCode !== undefined || Date.now() > deadline)
      throw new Error(
        `the script did not print ${pattern} (exit code ${exitCode}):\n${run.output()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A port P with P..P+n-1 and their bus ports all free now. */
async function freePortRun(n: number): Promise<number> {
  for (;;) {
    // Below the kernel's ephemeral ports, bus ports included (see freePortPair).
    const port = 10_000 + Math.floor(Math.random() * 12_000);
    let free = true;
    for (let i = 0; i < n && free; i++)
      free = (await isFree(port + i)) && (await isFree(port + i + 10_000));
    if (free) return port;
  }
}

async function allPortsFree(port: number): Promise<boolean> {
  for (let i = 0; i < NODES; i++) {
    if (!(await isFree(port + i)) || !(await isFree(port + i + 10_000)))
      return false;
  }
  return true;
}

/** Each node's id and slots, as the first node's CLUSTER NODES lists them. */
async function layout(port: number): Promise<string[]> {
  const { stdout } = await redisCli(["-p", String(port), "cluster", "nodes"]);
  return stdout
    .trim()
    .split("\n")
    .map((line) => line.split(" "))
    .map((words) => `${words[0]} ${words[1]} ${words.slice(8).join(" ")}`)
    .sort();
}

/** SIGINT, as Ctrl-C sends it: the script exits 0, no node process is left and every port is free. */
async function stopWithCtrlC(run: ScriptRun, port: number): Promise<void> {
  const pids = run.pids();
  expect(pids).toHaveLength(NODES);
  run.kill("SIGINT");
  expect(await run.exited).toBe(0);
  expect(run.output()).toContain("All nodes stopped.");
  expect(pids.filter(alive)).toEqual([]);
  // The ports are the OS's to free once the processes are gone: poll.
  await waitUntil(() => allPortsFree(port), 5000, "the ports to be free");
}

describe.skipIf(!hasRedisCli || external)("npm run cluster", () => {
  const folder = mkdtempSync(join(tmpdir(), "cluster-script-"));
  let port = 0;
  let formed: string[] = [];

  it(
    "forms a cluster redis-cli -c, --cluster check and reshard accept, and Ctrl-C stops every node",
    { timeout: 180_000 },
    async () => {
      onTestFinished(() => {
        if (formed.length === 0)
          rmSync(folder, { recursive: true, force: true });
      });
      port = await freePortRun(NODES);
      const run = runScript([
        "--nodes",
        String(NODES),
        "--port",
        String(port),
        "--folder",
        folder,
      ]);
      await waitForOutput(run, /Cluster ready/);
      expect(run.output()).toContain(`redis-cli -c -p ${port}`);

      // foo hashes to slot 12182, the third node's: from the first, -c
      // follows the MOVED there.
      const set = await redisCli([
        "-c",
        "-p",
        String(port),
        "set",
        "foo",
        "bar",
      ]);
      expect(set).toMatchObject({ code: 0, stdout: "OK\n" });
      const get = await redisCli(["-c", "-p", String(port), "get", "foo"]);
      expect(get).toMatchObject({ code: 0, stdout: "bar\n" });

      const check = await clusterCheck(port);
      for (const line of CHECK_OK) expect(check.stdout).toContain(line);
      expect(check.code).toBe(0);

      // Slots move between the script's nodes with Redis's own tool, and
      // the cluster stays whole: 1000 slots from the first to the second.
      const [from, to] = await Promise.all(
        [port, port + 1].map(async (p) =>
          (await redisCli(["-p", String(p), "cluster", "myid"])).stdout.trim(),
        ),
      );
      const moved = await reshard(port, from!, to!, 1000);
      expect(moved.code, moved.stdout.slice(-2000) + moved.stderr).toBe(0);
      const after = await clusterCheck(port + 2);
      for (const line of CHECK_OK) expect(after.stdout).toContain(line);
      expect(after.stdout).not.toMatch(/\[(WARNING|ERR)\]/);
      const foo = await redisCli(["-c", "-p", String(port), "get", "foo"]);
      expect(foo).toMatchObject({ code: 0, stdout: "bar\n" });

      formed = await layout(port);
      expect(formed).toHaveLength(NODES);
      await stopWithCtrlC(run, port);
    },
  );

  it(
    "run again, restarts the nodes from their nodes.conf as they were",
    { timeout: 120_000 },
    async () => {
      onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
      expect(formed, "the first test formed a cluster").toHaveLength(NODES);
      const run = runScript([
        "--nodes",
        String(NODES),
        "--port",
        String(port),
        "--folder",
        folder,
      ]);
      await waitForOutput(run, /Cluster ready/);
      expect(run.output()).toMatch(/^Restarting 3 node/m);
      expect(await layout(port)).toEqual(formed);
      const check = await clusterCheck(port);
      for (const line of CHECK_OK) expect(check.stdout).toContain(line);
      await stopWithCtrlC(run, port);
    },
  );

  it.each([
    ["a client port", 1],
    ["a bus port", 10_001],
  ])(
    "says which port is busy when %s is, and starts nothing",
    async (_, offset) => {
      const base = await freePortRun(NODES);
      const squatter: Server = createServer();
      await new Promise<void>((resolve) =>
        squatter.listen(base + offset, "127.0.0.1", resolve),
      );
      onTestFinished(
        () => new Promise<void>((resolve) => squatter.close(() => resolve())),
      );
      const scratch = mkdtempSync(join(tmpdir(), "cluster-script-"));
      onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
      const run = runScript(["--port", String(base), "--folder", scratch]);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${base + offset} `);
      expect(run.output()).toContain("is busy");
      expect(await isFree(base)).toBe(true);
    },
  );
});
