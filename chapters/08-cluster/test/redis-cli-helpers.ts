/**
 * `redis-cli` for the cluster suites: `-c` to follow redirects, and
 * `--cluster create` / `check`, Redis's own tools, run as a program with a
 * time limit. A run resolves with its exit code and output whatever
 * happened, so a test can say what redis-cli printed when it fails.
 */
import { execFile, spawnSync } from "node:child_process";

/** Debian's redis-tools; the suites that need it are skipped without it. */
export const hasRedisCli =
  spawnSync("sh", ["-c", "command -v redis-cli"]).status === 0;

export interface CliRun {
  /** The exit code; null if it was killed (the time limit). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `redis-cli ARGS...`, killed after `timeoutMs`. */
export function redisCli(
  args: readonly string[],
  timeoutMs = 20_000,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      "redis-cli",
      args,
      { timeout: timeoutMs, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        const code =
          error === null
            ? 0
            : typeof error.code === "number"
              ? error.code
              : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `redis-cli --cluster check HOST:PORT`: what it printed, and whether it found no problem. */
export async function clusterCheck(port: number): Promise<CliRun> {
  return redisCli(["--cluster", "check", `127.0.0.1:${port}`]);
}

/** The two lines of a healthy `--cluster check`. */
export const CHECK_OK = [
  "[OK] All nodes agree about slots configuration.",
  "[OK] All 16384 slots covered.",
] as const;

/**
 * `redis-cli --cluster create A B C --cluster-yes`: masters only, the
 * slots split in as many ranges, config epochs 1, 2, 3, MEETs, and a wait
 * until every node's CLUSTER NODES agrees.
 */
export function createCluster(
  nodes: readonly { address: string }[],
): Promise<CliRun> {
  return redisCli(
    ["--cluster", "create", ...nodes.map((n) => n.address), "--cluster-yes"],
    60_000,
  );
}

/**
 * `redis-cli --cluster reshard`: moves `slots` slots from node `fromId`
 * to node `toId`, the lowest-numbered of the source's slots first, each
 * with its keys (SETSLOT IMPORTING and MIGRATING, GETKEYSINSLOT, MIGRATE,
 * then SETSLOT NODE on every master).
 */
export function reshard(
  port: number,
  fromId: string,
  toId: string,
  slots: number,
): Promise<CliRun> {
  return redisCli(
    [
      "--cluster",
      "reshard",
      `127.0.0.1:${port}`,
      "--cluster-from",
      fromId,
      "--cluster-to",
      toId,
      "--cluster-slots",
      String(slots),
      "--cluster-yes",
    ],
    // A few seconds against Redis; minutes against ours on a busy machine.
    600_000,
  );
}

/**
 * `redis-cli --cluster rebalance`, empty masters included: each master
 * gets slots in proportion to its weight (1 unless `weights` says, as
 * `id=weight`).
 */
export function rebalance(
  port: number,
  weights: readonly string[] = [],
): Promise<CliRun> {
  return redisCli(
    [
      "--cluster",
      "rebalance",
      `127.0.0.1:${port}`,
      "--cluster-use-empty-masters",
      ...(weights.length > 0 ? ["--cluster-weight", ...weights] : []),
    ],
    600_000,
  );
}

/** `redis-cli --cluster fix`: closes open slots (and covers unassigned ones). */
export function fixCluster(port: number): Promise<CliRun> {
  return redisCli(["--cluster", "fix", `127.0.0.1:${port}`], 120_000);
}

/** `redis-cli --cluster add-node NEW EXISTING`: the new node, empty, MEETs the cluster. */
export function addNode(
  newPort: number,
  existingPort: number,
): Promise<CliRun> {
  return redisCli([
    "--cluster",
    "add-node",
    `127.0.0.1:${newPort}`,
    `127.0.0.1:${existingPort}`,
  ]);
}
