/**
 * The exercise workspace: a learner starts chapter NN from their own copy of
 * chapter NN-1, in `exercises/NN-name/`, and makes chapter NN's tests pass.
 *
 * The copy is made once. After that the folder is the learner's work, and no
 * command of ours ever writes to it again: to start over, they delete it.
 *
 * Also here, as plain functions the repository checks can test: a chapter's
 * article steps (`test/steps.ts`), reading `npm run exercise NN -- ...`'s
 * words, the summary printed after a run, the type check of the copy, and
 * the vitest command line both `npm run exercise` and `npm run
 * check:exercises` run, so that the check tests the copy exactly as a
 * learner's run does.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  previousChapter,
  REPO_ROOT,
  speaksRedis,
  type Chapter,
} from "./chapters.ts";

export interface Exercise {
  /** The learner's folder for this chapter. */
  dir: string;
  /** The chapter it was (or will be) copied from. */
  startingPoint: Chapter;
  /** True if this call made the copy; false if the learner's folder was already there. */
  created: boolean;
}

/**
 * Makes sure `exercisesDir/<chapter>` exists, copying the previous chapter
 * there if it does not. Returns undefined for the first chapter, which has
 * nothing to start from.
 */
export function prepareExercise(
  chapter: Chapter,
  chapters: readonly Chapter[],
  exercisesDir: string,
): Exercise | undefined {
  const startingPoint = previousChapter(chapter, chapters);
  if (startingPoint === undefined) return undefined;
  const dir = join(exercisesDir, chapter.id);
  if (existsSync(dir)) return { dir, startingPoint, created: false };
  cpSync(startingPoint.dir, dir, {
    recursive: true,
    filter: (source) => basename(source) !== "node_modules",
  });
  return { dir, startingPoint, created: true };
}

/**
 * One step of a chapter's article, as the learner meets it: one black-box
 * test file of the chapter. A chapter lists its steps in
 * `test/steps.ts`, in the order its walkthrough makes them green.
 */
export interface ArticleStep {
  /** The test file's name without `.test.ts`: `expire-commands`. */
  readonly name: string;
  /** One line: what a learner builds to turn it green. */
  readonly about: string;
  /**
   * The article page whose brief names it: 1 (the default) is
   * `site/chapters/<id>.md`; a chapter built in parts, like 06, has a page
   * per part, `<id>-2.md` and so on.
   */
  readonly page?: number;
}

/** Where chapter `chapter` keeps its article steps. */
export function stepsPath(chapter: Chapter): string {
  return join(chapter.dir, "test", "steps.ts");
}

/** The chapter's article steps, in order, from its `test/steps.ts`. */
export async function loadSteps(
  chapter: Chapter,
): Promise<readonly ArticleStep[]> {
  const module: { STEPS?: readonly ArticleStep[] } = await import(
    pathToFileURL(stepsPath(chapter)).href
  );
  if (module.STEPS === undefined)
    throw new Error(`${stepsPath(chapter)} must export STEPS`);
  return module.STEPS;
}

/** The chapter's black-box test files, named as steps (`test/x.test.ts` is `x`), sorted. */
export function blackBoxTestNames(chapter: Chapter): string[] {
  return readdirSync(join(chapter.dir, "test"))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => name.slice(0, -".test.ts".length))
    .sort();
}

/** The test file of a step, as vitest names it (relative to the repository, with `/`). */
export function stepFile(chapter: Chapter, step: string): string {
  return `chapters/${chapter.id}/test/${step}.test.ts`;
}

/** What the words after `npm run exercise NN --` ask for. */
export interface ExerciseRequest {
  /** Steps to run (all of the chapter's suites, earlier chapters' too, if empty). */
  steps: string[];
  /** `--core`: leave out the fidelity tests. */
  core: boolean;
  /** Options for vitest itself (`--bail=1`, `--testNamePattern=GETEX`). */
  vitestArgs: string[];
  /** Words that name no step of the chapter. */
  unknown: string[];
}

/**
 * Sorts the words: `--core` is ours, other words starting with `-` go to
 * vitest (with their value attached: `--testNamePattern=GETEX`), and the
 * rest must be steps, each at most once.
 */
export function parseExerciseArgs(
  words: readonly string[],
  steps: readonly ArticleStep[],
): ExerciseRequest {
  const request: ExerciseRequest = {
    steps: [],
    core: false,
    vitestArgs: [],
    unknown: [],
  };
  const known = new Set(steps.map((step) => step.name));
  for (const word of words) {
    // npm passes on a second `--` (`npm run exercise 04 -- step -- --core`):
    // it separates nothing here, and vitest would read it as "no more filters".
    if (word === "--") continue;
    if (word === "--core") request.core = true;
    else if (word.startsWith("-")) request.vitestArgs.push(word);
    else {
      // `expire-commands.test.ts` and `test/expire-commands` name it too.
      const name = basename(word).replace(/\.test\.ts$/, "");
      if (!known.has(name)) request.unknown.push(word);
      else if (!request.steps.includes(name)) request.steps.push(name);
    }
  }
  return request;
}

/** The step list, as printed by `npm run exercise NN` when a word names no step. */
export function describeSteps(
  chapter: Chapter,
  steps: readonly ArticleStep[],
): string {
  const width = Math.max(...steps.map((step) => step.name.length));
  const lines = steps.map(
    (step, i) => `  ${i + 1}. ${step.name.padEnd(width)}  ${step.about}`,
  );
  return [
    `Chapter ${chapter.id}'s steps, in the article's order:`,
    ...lines,
  ].join("\n");
}

/** The tag of tests that pin transcribed Redis data; `--core` leaves them out. */
export const FIDELITY_TAG = "fidelity";

export interface SuiteRun {
  /** The chapter whose vitest project runs (the one being built). */
  chapter: Chapter;
  /** The copy under test. */
  exerciseDir: string;
  /** Test files or folders to run, as vitest filters; all of the project's if empty. */
  files: readonly string[];
  core: boolean;
  vitestArgs: readonly string[];
  /** Where the exercise reporter writes its results (see exercise-reporter.ts). */
  reportPath: string;
}

/** The arguments and environment of the vitest run of an exercise. */
export function vitestCommand(run: SuiteRun): {
  args: string[];
  env: Record<string, string>;
} {
  const args = ["--project", run.chapter.id];
  if (run.core) args.push(`--tags-filter=!${FIDELITY_TAG}`);
  args.push(...run.vitestArgs, ...run.files);
  return {
    args,
    env: { EXERCISE_DIR: run.exerciseDir, EXERCISE_REPORT: run.reportPath },
  };
}

/** The test folders of the chapters a copy of chapter NN-1 already passes: 02 up to NN-1. */
export function earlierSuites(
  chapter: Chapter,
  chapters: readonly Chapter[],
): string[] {
  return chapters
    .filter((c) => speaksRedis(c) && c.number < chapter.number)
    .map((c) => `chapters/${c.id}/test/`);
}

/** One test file's results, as exercise-reporter.ts writes them. */
export interface FileResult {
  /** Relative to the repository, with `/`: `chapters/04-expiry/test/clock.test.ts`. */
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  /** The first test that failed, in file order, and the first line of its error. */
  firstFailure?: { test: string; error: string } | undefined;
}

/**
 * The lines printed after an exercise run: chapter NN's steps in the
 * article's order, each with its counts and first failure; then the
 * earlier chapters' suites in one line, or each failing one of them in
 * full, since an untouched copy passes them; then the step to work on next.
 */
export function stepSummary(
  chapter: Chapter,
  steps: readonly ArticleStep[],
  results: readonly FileResult[],
): string[] {
  const byFile = new Map(results.map((result) => [result.file, result]));
  const width = Math.max(...steps.map((step) => step.name.length));
  const lines = [
    `Chapter ${chapter.id}, step by step, in the article's order:`,
  ];
  let next: string | undefined;
  steps.forEach((step, i) => {
    const result = byFile.get(stepFile(chapter, step.name));
    const label = `${String(i + 1).padStart(2)}. ${step.name.padEnd(width)}`;
    if (result === undefined) {
      lines.push(`  - ${label}  not run`);
      return;
    }
    const mark = result.failed > 0 ? "✗" : result.passed > 0 ? "✓" : "-";
    lines.push(`  ${mark} ${label}  ${counts(result)}`);
    if (result.firstFailure !== undefined) {
      next ??= step.name;
      lines.push(`         first failure: ${result.firstFailure.test}`);
      lines.push(`           ${result.firstFailure.error}`);
    }
  });

  const ownPrefix = `chapters/${chapter.id}/`;
  const earlier = results.filter(
    (result) => !result.file.startsWith(ownPrefix),
  );
  if (earlier.length > 0) {
    const total = earlier.reduce(
      (sum, r) => ({
        file: "",
        passed: sum.passed + r.passed,
        failed: sum.failed + r.failed,
        skipped: sum.skipped + r.skipped,
      }),
      { file: "", passed: 0, failed: 0, skipped: 0 },
    );
    lines.push(
      `Earlier chapters' suites (${earlier.length} files): ${counts(total)}`,
    );
    for (const result of earlier.filter((r) => r.failed > 0)) {
      lines.push(`  ✗ ${result.file}  ${counts(result)}`);
      if (result.firstFailure !== undefined) {
        lines.push(`      first failure: ${result.firstFailure.test}`);
        lines.push(`        ${result.firstFailure.error}`);
      }
    }
  }
  if (next !== undefined) {
    lines.push(`Next: npm run exercise ${chapter.id.slice(0, 2)} -- ${next}`);
  }
  return lines;
}

function counts(result: FileResult): string {
  const skipped = result.skipped > 0 ? `, ${result.skipped} skipped` : "";
  return `${result.passed} passed, ${result.failed} failed${skipped}`;
}

/**
 * Type-checks a copy with the repository's compiler options: tsx, which
 * runs the server, strips types without reading them, and the repository's
 * own `tsc` leaves `exercises/` out. The config is written next to the
 * copy (`exercises/tsconfig.json`, outside the learner's own folder), so
 * that the copy's imports resolve exactly as the chapters' do; an editor
 * opening the copy picks it up too. Prints tsc's report and resolves with
 * the number of errors; never throws on a type error.
 */
export async function typeCheckCopy(copyDir: string): Promise<number> {
  const configPath = join(dirname(copyDir), "tsconfig.json");
  const config = {
    // Written by `npm run exercise` before each run; edits are overwritten.
    extends: relative(dirname(configPath), join(REPO_ROOT, "tsconfig.json"))
      .split("\\")
      .join("/"),
    include: [`${basename(copyDir)}/**/*.ts`],
    // The repository's own config excludes `exercises/`: not here.
    exclude: ["**/node_modules"],
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const child = spawn(
    process.execPath,
    [
      tsc,
      "--noEmit",
      "-p",
      configPath,
      "--pretty",
      String(process.stdout.isTTY === true),
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    output += text;
    process.stdout.write(text);
  });
  const code = await new Promise<number>((resolve) =>
    child.once("close", (status) => resolve(status ?? 1)),
  );
  // Counted without the colours tsc adds for a terminal.
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const errors = [...plain.matchAll(/error TS\d+:/g)].length;
  // tsc failed for a reason other than type errors (a bad config): say so.
  return code !== 0 && errors === 0 ? 1 : errors;
}
