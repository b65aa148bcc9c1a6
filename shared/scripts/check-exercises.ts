/**
 * `npm run check:exercises`: keeps the promise every article's Exercises
 * section makes, that an untouched copy of chapter NN-1 passes every suite
 * of chapters 02 to NN-1 under `npm run exercise NN`, so that the only red
 * a learner sees is chapter NN's own.
 *
 * For every chapter NN after the first, copies chapter NN-1 into a
 * temporary exercises folder (`.exercise-check-*` at the repository root,
 * git-ignored, removed afterwards: the copy's imports of `shared/` must
 * resolve as they do from `exercises/`), type-checks it, and runs the suites
 * of chapters 02 to NN-1 against it with the same vitest command line as
 * `npm run exercise NN` (shared/exercise.ts). Any type error or failed test
 * fails the check. It is what catches a chapter that hard-codes its own
 * name where a copy should say the new one.
 *
 * `--latest` (what CI runs, to stay within its time budget) type-checks
 * every copy but runs the suites for the newest pair only: the older
 * copies were run in full when their chapter was written, and change since
 * only by a carried fix, before which the full check is the one to run.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { listChapters, REPO_ROOT } from "../chapters.ts";
import {
  earlierSuites,
  prepareExercise,
  typeCheckCopy,
  vitestCommand,
  type FileResult,
} from "../exercise.ts";
import { runVitest } from "./run-vitest.ts";

const started = performance.now();
const root = mkdtempSync(join(REPO_ROOT, ".exercise-check-"));
const cleanUp = (): void => rmSync(root, { recursive: true, force: true });
process.once("SIGINT", () => {
  cleanUp();
  process.exit(130);
});

const chapters = listChapters();
const latestOnly = process.argv.includes("--latest");
const problems: string[] = [];
try {
  for (const chapter of chapters) {
    const exercise = prepareExercise(chapter, chapters, root);
    if (exercise === undefined) continue;
    const pair = `chapter ${exercise.startingPoint.id} as exercise ${chapter.id}`;
    const pairStarted = performance.now();
    console.log(`\n==> ${pair}: type check`);
    const typeErrors = await typeCheckCopy(exercise.dir);
    if (typeErrors > 0) problems.push(`${pair}: ${typeErrors} type error(s)`);

    if (latestOnly && chapter !== chapters.at(-1)) {
      console.log(`(--latest: suites only for the newest pair)`);
      continue;
    }
    const files = earlierSuites(chapter, chapters);
    if (files.length === 0) {
      console.log(`(no suites before chapter ${chapter.id}: nothing to run)`);
      continue;
    }
    console.log(
      `==> ${pair}: suites ${files.map((f) => f.split("/")[1]!.slice(0, 2)).join(", ")}`,
    );
    const reportPath = join(root, `${chapter.id}.results.json`);
    const { args, env } = vitestCommand({
      chapter,
      exerciseDir: exercise.dir,
      files,
      core: false,
      vitestArgs: [],
      reportPath,
    });
    const code = await runVitest(args, env);
    const failing = readResults(reportPath).filter((r) => r.failed > 0);
    for (const result of failing) {
      problems.push(
        `${pair}: ${result.file}: ${result.failed} failed, first: ${result.firstFailure?.test ?? "?"}: ${result.firstFailure?.error ?? "?"}`,
      );
    }
    if (code !== 0 && failing.length === 0)
      problems.push(`${pair}: vitest exited with ${code}`);
    console.log(
      `==> ${pair}: ${((performance.now() - pairStarted) / 1000).toFixed(0)} s`,
    );
  }
} finally {
  cleanUp();
}

const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (problems.length > 0) {
  console.error(
    `\nAn untouched copy fails what it should pass (${relative(REPO_ROOT, root)}, ${seconds} s):`,
  );
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `\nEvery untouched copy type-checks and passes the suites before its exercise (${seconds} s).`,
);

function readResults(path: string): FileResult[] {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as FileResult[];
  } catch {
    return [];
  }
}
