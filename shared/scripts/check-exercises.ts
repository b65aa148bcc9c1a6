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
 * It also counts on `npm test` having passed just before (CI runs it
 * first): that run put suites 02..NN-1 to chapter NN-1 itself, so of the
 * newest pair's suites it runs those that can tell a byte-for-byte copy
 * from its chapter, after checking the bytes (shared/suites-that-see-the-copy.ts
 * says which, and why the others would repeat that run).
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
import {
  differingFiles,
  sourcesThatReadTheirLocation,
  suitesThatSeeTheCopy,
} from "../suites-that-see-the-copy.ts";

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
    let files = earlierSuites(chapter, chapters);
    if (files.length === 0) {
      console.log(`(no suites before chapter ${chapter.id}: nothing to run)`);
      continue;
    }
    if (latestOnly) files = suitesThatCanDiffer(exercise, files, pair);
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

/**
 * `--latest`: the suites whose outcome can differ between the copy and the
 * chapter `npm test` already tested, or all of them if the copy is not
 * that chapter's bytes or its server reads its own location (see the
 * header of shared/suites-that-see-the-copy.ts).
 */
function suitesThatCanDiffer(
  exercise: { dir: string; startingPoint: { id: string; dir: string } },
  files: string[],
  pair: string,
): string[] {
  const differing = differingFiles(exercise.startingPoint.dir, exercise.dir);
  if (differing.length > 0) {
    problems.push(
      `${pair}: the copy differs from its chapter: ${differing.join(", ")}`,
    );
    return files;
  }
  const readers = sourcesThatReadTheirLocation(exercise.dir);
  if (readers.length > 0) {
    console.log(
      `(src/${readers.join(", src/")} read their location: every suite runs)`,
    );
    return files;
  }
  const seeing = suitesThatSeeTheCopy(files);
  console.log(
    `(--latest: the copy is ${exercise.startingPoint.id}'s bytes, which npm test ran ` +
      `these suites against; the ${seeing.length} that can tell a copy from it run)`,
  );
  return seeing;
}

function readResults(path: string): FileResult[] {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as FileResult[];
  } catch {
    return [];
  }
}
