/**
 * Prints one plain line at the end of a run, `N passed, N failed, N skipped`,
 * after vitest's own summary. CI reads that line to tell a run that tested
 * nothing from one that passed, and it is easy to grep in a log.
 */
import type {
  Reporter,
  SerializedError,
  TestModule,
  TestRunEndReason,
} from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
      // A file that failed before any test ran (a syntax error, a failing
      // beforeAll) has no failed tests of its own, but it did fail.
      if (
        module.state() === "failed" &&
        ![...module.children.allTests()].some(
          (t) => t.result().state === "failed",
        )
      ) {
        failed += 1;
      }
    }
    // An error thrown outside any test (an 'error' event nobody listened to,
    // a rejected promise nobody awaited) fails the run too; count each one.
    failed += unhandledErrors.length;
    if (unhandledErrors.length > 0) {
      process.stdout.write(
        `\n${unhandledErrors.length} error(s) outside any test, counted as failed.`,
      );
    }
    if (reason === "interrupted")
      process.stdout.write("\nThe run was interrupted.");
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
