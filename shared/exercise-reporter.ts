/**
 * Writes each test file's results to the JSON file EXERCISE_REPORT names,
 * for `npm run exercise` to print its step-by-step summary after vitest
 * has finished (vitest.config.ts adds this reporter only when the variable
 * is set). Counts are per test, as in summary-reporter.ts; only the first
 * failure of each file is kept, since that is the one to read first.
 */
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import { REPO_ROOT } from "./chapters.ts";
import type { FileResult } from "./exercise.ts";

export default class ExerciseReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const path = process.env.EXERCISE_REPORT;
    if (path === undefined) return;
    const results = testModules.map(fileResult);
    writeFileSync(path, JSON.stringify(results, null, 2));
  }
}

function fileResult(module: TestModule): FileResult {
  const result: FileResult = {
    file: relative(REPO_ROOT, module.moduleId).split("\\").join("/"),
    passed: 0,
    failed: 0,
    skipped: 0,
  };
  for (const test of module.children.allTests()) {
    const outcome = test.result();
    if (outcome.state === "passed") result.passed += 1;
    else if (outcome.state === "failed") {
      result.failed += 1;
      result.firstFailure ??= {
        test: test.fullName,
        error: firstLine(outcome.errors[0]?.message),
      };
    } else result.skipped += 1;
  }
  // A file that failed before any test ran (a failing beforeAll, an import
  // that does not resolve) failed as a whole: count it once.
  if (module.state() === "failed" && result.failed === 0) {
    result.failed = 1;
    result.firstFailure = {
      test: "(the file itself, before its tests)",
      error: firstLine(module.errors()[0]?.message),
    };
  }
  return result;
}

/** The first line of an error message, cut to a width that fits a terminal line. */
function firstLine(message: string | undefined): string {
  const line = (message ?? "(no message)").split("\n", 1)[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
