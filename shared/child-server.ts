/**
 * Runs a chapter's `main.ts` as a real process, for what only a process can
 * show: signals, exit codes, what it prints, a crash with `kill -9`.
 *
 * Every chapter's banner contains `Listening on HOST:PORT`; that line is how
 * we learn the port when the server was started with `--port 0`. Processes
 * started here are killed when the test ends, whatever happened in it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { onTestFinished } from "vitest";
import { REPO_ROOT } from "./chapters.ts";
import { mainProgram } from "./main-program.ts";

const STARTUP_TIMEOUT_MS = 15_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly host: string;
  readonly port: number;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
}

/**
 * Starts MAIN with ARGS from the repository root: `node --import tsx MAIN`,
 * or its modules bundled into one file, which starts in a quarter of the
 * time (shared/main-program.ts says when, and why it is the same program).
 */
function spawnMain(mainPath: string, args: readonly string[]) {
  const [program, ...programArgs] = mainProgram(mainPath);
  const child = spawn(program!, [...programArgs, ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout
    .setEncoding("utf8")
    .on("data", (text: string) => (stdout += text));
  child.stderr
    .setEncoding("utf8")
    .on("data", (text: string) => (stderr += text));
  const exited = new Promise<Exit>((resolve) => {
    child.once("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr }),
    );
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null)
      child.kill("SIGKILL");
    return exited.then(() => undefined);
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Runs the program to its end (for start-up failures) and returns what it printed. */
export function runMain(
  mainPath: string,
  args: readonly string[],
): Promise<Exit> {
  return spawnMain(mainPath, args).exited;
}

/** Starts the server as a process and resolves once its banner says where it listens. */
export async function startServerProcess(
  mainPath: string,
  args: readonly string[],
): Promise<ServerProcess> {
  const { child, exited, output } = spawnMain(mainPath, args);
  const listening = /Listening on (\S+):(\d+)/;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    const match = listening.exec(output().stdout);
    if (match !== null) {
      return { child, exited, output, host: match[1]!, port: Number(match[2]) };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      const { stdout, stderr } = output();
      throw new Error(
        `server did not start (exit code ${child.exitCode}).\nstdout: ${stdout}\nstderr: ${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
