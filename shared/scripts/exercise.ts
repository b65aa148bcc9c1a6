/**
 * `npm run exercise NN [-- [step ...] [--core]]`: do chapter NN yourself.
 *
 * The first time, copies chapter NN-1 into `exercises/NN-name/` (git-ignored).
 * Every time, type-checks that folder (errors are printed, and the tests
 * run anyway), then runs chapter NN's black-box suites against the server
 * in it, with those of chapters 02 to NN-1, which an untouched copy already
 * passes. It ends with chapter NN's steps in the article's order, each with
 * its counts and first failure, and the step to work on next.
 *
 * - `npm run exercise 04 -- expire-commands`: that step's test file only
 *   (several steps may be named; an unknown one prints the list);
 * - `npm run exercise 04 -- --core`: without the fidelity tests;
 * - other options go to vitest, with their value attached:
 *   `npm run exercise 04 -- set-options --testNamePattern=GETEX`.
 *
 * Your folder is never overwritten; delete it to start over.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { EXERCISES_DIR, previousChapter, REPO_ROOT } from "../chapters.ts";
import { chapterFromArgs } from "./command-line.ts";
import {
  describeSteps,
  loadSteps,
  parseExerciseArgs,
  prepareExercise,
  stepFile,
  stepSummary,
  typeCheckCopy,
  vitestCommand,
  type FileResult,
} from "../exercise.ts";
import { runVitest } from "./run-vitest.ts";

const { chapter, chapters, rest } = chapterFromArgs(
  "npm run exercise NN [-- [step ...] [--core]]   (copies chapter NN-1 for you to extend)",
);

if (previousChapter(chapter, chapters) === undefined) {
  console.error(
    `Chapter ${chapter.id} is the first chapter: there is no earlier one to start from.`,
  );
  console.error(
    `Build it from scratch and test it with: npm run test:chapter ${chapter.id.slice(0, 2)}`,
  );
  console.error("Exercises start with chapter 02: npm run exercise 02");
  process.exit(2);
}

const steps = await loadSteps(chapter);
const request = parseExerciseArgs(rest, steps);
if (request.unknown.length > 0) {
  console.error(
    `No step ${request.unknown.map((word) => `'${word}'`).join(", ")} in chapter ${chapter.id}.\n`,
  );
  console.error(describeSteps(chapter, steps));
  console.error(
    `\nRun one with: npm run exercise ${chapter.id.slice(0, 2)} -- ${steps[0]?.name ?? "<step>"}`,
  );
  process.exit(2);
}

// Only once the words were understood: a typo must not leave a copy behind.
const exercise = prepareExercise(chapter, chapters, EXERCISES_DIR)!;
const where = relative(REPO_ROOT, exercise.dir);
console.log(
  exercise.created
    ? `Copied chapter ${exercise.startingPoint.id} to ${where}/. Make chapter ${chapter.id}'s tests pass by editing it.`
    : `Testing your work in ${where}/ (never overwritten; delete the folder to start again from ${exercise.startingPoint.id}).`,
);

console.log(`\nType check of ${where}/ (tsc, the repository's options):`);
const typeErrors = await typeCheckCopy(exercise.dir);
console.log(
  typeErrors === 0
    ? "no type errors."
    : `${typeErrors} type error(s), above. The tests run anyway: tsx strips types without checking them.`,
);

const reportDir = mkdtempSync(join(tmpdir(), "rfs-exercise-"));
const reportPath = join(reportDir, "results.json");
const { args, env } = vitestCommand({
  chapter,
  exerciseDir: exercise.dir,
  files: request.steps.map((step) => stepFile(chapter, step)),
  core: request.core,
  vitestArgs: request.vitestArgs,
  reportPath,
});
const exitCode = await runVitest(args, env);

let results: FileResult[] = [];
try {
  results = JSON.parse(readFileSync(reportPath, "utf8")) as FileResult[];
} catch {
  // vitest stopped before reporting (a broken config): its own output says why.
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
if (results.length > 0) {
  console.log("");
  for (const line of stepSummary(
    chapter,
    request.steps.length > 0
      ? steps.filter((step) => request.steps.includes(step.name))
      : steps,
    results,
  )) {
    console.log(line);
  }
  if (typeErrors > 0)
    console.log(
      `Type check: ${typeErrors} error(s), printed before the tests.`,
    );
  if (request.core)
    console.log(
      "--core: the fidelity tests were left out (counted as skipped).",
    );
}
process.exit(exitCode);
