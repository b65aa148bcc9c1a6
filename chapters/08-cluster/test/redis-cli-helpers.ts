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
