/**
 * Runs `vitest run` from the repository root with extra arguments and
 * environment, and resolves with its exit code. The scripts that select
 * chapters (test:chapter, exercise, test:redis) all end here.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../chapters.ts";

/** The same program `npx vitest` runs; called through `node` so it works on every platform. */
const vitestBin = join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");

export function runVitest(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  const child = spawn(process.execPath, [vitestBin, "run", ...args], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return new Promise((resolve) =>
    child.once("close", (code) => resolve(code ?? 1)),
  );
}
