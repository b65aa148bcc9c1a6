/**
 * Runs a server program for one test, in a shell that may first lower its
 * open-files limit: our `main.ts` or `redis-server`, the same way, so that
 * one test can ask both what they do when the limit is low.
 *
 * `ulimit -n N` lowers the soft and the hard limit, so neither Node (which
 * raises its soft limit to the hard one as it starts) nor Redis (which
 * tries setrlimit) can raise it again. The program runs until a line it
 * prints matches `ready`; then the test talks to it, and it is stopped with
 * SIGTERM. A program that exits before it is ready (a refused start) ends
 * the run too. It is killed when the test ends, whatever happened.
 */
import { spawn } from "node:child_process";
import { onTestFinished } from "vitest";
import { REPO_ROOT } from "./chapters.ts";

const READY_LIMIT_MS = 15_000;
const STOP_LIMIT_MS = 15_000;

export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProgramOptions {
  /** The program and its arguments: `[process.execPath, "--import", "tsx", main, ...]`. */
  command: readonly string[];
  /** `ulimit -n` for it; its parent's limit if left out. */
  fileLimit?: number;
  /** What it prints on stdout once it accepts clients. */
  ready: RegExp;
  /** What the test does while it runs, given the line that said it is ready. */
  whileRunning?: (ready: RegExpExecArray) => Promise<void>;
}

/** Runs the program (see the header) and resolves with what it printed and its exit code. */
export async function runProgram(options: ProgramOptions): Promise<ProgramRun> {
  const limit =
    options.fileLimit === undefined ? "" : `ulimit -n ${options.fileLimit} && `;
  // `exec "$0" "$@"` runs the command in the shell's place, with each
  // argument exactly as given: no quoting to get wrong.
  const child = spawn(
    "sh",
    ["-c", `${limit}exec "$0" "$@"`, ...options.command],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout
    .setEncoding("utf8")
    .on("data", (text: string) => (stdout += text));
  child.stderr
    .setEncoding("utf8")
    .on("data", (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => resolve(code)),
  );
  const running = (): boolean =>
    child.exitCode === null && child.signalCode === null;
  onTestFinished(async () => {
    if (running()) child.kill("SIGKILL");
    await exited;
  });

  const deadline = Date.now() + READY_LIMIT_MS;
  let ready: RegExpExecArray | null = null;
  while (running() && (ready = options.ready.exec(stdout)) === null) {
    if (Date.now() > deadline) {
      throw new Error(
        `${options.command.join(" ")} was not ready within ${READY_LIMIT_MS} ms.\nstdout: ${stdout}\nstderr: ${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (ready !== null && running()) {
    await options.whileRunning?.(ready);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_LIMIT_MS);
    await exited;
    clearTimeout(timer);
  }
  return { code: await exited, stdout, stderr };
}
