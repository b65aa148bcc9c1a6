/**
 * One vitest project per chapter (see shared/projects.ts for what each one
 * runs), plus `repo`, the checks on the repository itself.
 *
 * Environment variables that change what runs:
 * - EXERCISE_DIR (set by `npm run exercise NN`): test the learner's copy.
 * - EXERCISE_REPORT (set by `npm run exercise NN` too): write each file's
 *   results there, for the step-by-step summary (shared/exercise-reporter.ts).
 * - REDIS_URL (read by shared/harness.ts): test that server instead of ours.
 *   Its test files then run one at a time: they share that one server, and
 *   a file that runs FLUSHALL or sets a password must not pull the ground
 *   from under another. (Against our own server each file starts its own.)
 * - REDIS_SERVER_PER_FILE=1 (set by `npm run test:redis`): each file gets a
 *   redis-server of its own (REDIS_SERVER_BIN), so files run side by side.
 */
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { listChapters } from "./shared/chapters.ts";
import { chapterProjects, resp2Projects } from "./shared/projects.ts";
import { FIDELITY_TAG } from "./shared/exercise.ts";

/**
 * Plain `npm test`, every project and no filter: only then does a unit test
 * that runs the same bytes as an earlier chapter's run once (see
 * `unitTestsToRun` in shared/projects.ts). With `--project 07-...` or a file
 * filter, the earlier project may not run, so each chapter runs all its own.
 */
const everyProject =
  process.env.npm_lifecycle_event === "test" &&
  process.argv.slice(2).join(" ") === "run";

const projects = [
  ...chapterProjects(listChapters(), {
    exerciseDir: process.env.EXERCISE_DIR,
    fidelity: process.env.REDIS_URL !== undefined,
    unitTestsOnce: everyProject,
  }),
  // A learner's exercise runs in RESP3 only, the protocol of ioredis's
  // default client.
  ...(process.env.EXERCISE_DIR === undefined
    ? resp2Projects(listChapters(), {
        cumulative: process.env.REDIS_URL !== undefined,
      })
    : []),
];

export default defineConfig({
  test: {
    reporters: [
      "default",
      "./shared/summary-reporter.ts",
      ...(process.env.EXERCISE_REPORT === undefined
        ? []
        : ["./shared/exercise-reporter.ts"]),
    ],
    // `{ tags: ["fidelity"] }` on a test or describe block. Every run but
    // `npm run exercise NN -- --core` includes them.
    tags: [
      {
        name: FIDELITY_TAG,
        description:
          "pins transcribed Redis data (COMMAND DOCS trees, ACL categories, INFO field formats, Redis 7.0's quirks) rather than behaviour a learner builds",
      },
    ],
    fileParallelism:
      process.env.REDIS_URL === undefined ||
      process.env.REDIS_SERVER_PER_FILE === "1",
    // Vitest's default is one worker per core but one, which on CI's two
    // cores means one file at a time. The suites spend most of their time
    // waiting on sockets and servers, so two at a time nearly halves
    // `npm test` there; every file starts servers of its own, so files
    // never share state. (A test that needs more time than the usual 30 s
    // under that load says so itself: the slow reader's 256 MB.)
    // At least 3: most suites wait on sockets and timers more than they
    // compute, so a 2-core machine (CI's) keeps busy with three.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      ...projects.map(
        ({
          name,
          include,
          serverDir,
          chapterNumber,
          speaksRedis,
          protocol,
        }) => ({
          test: {
            name,
            include,
            provide: { serverDir, chapterNumber, speaksRedis, protocol },
            setupFiles: ["shared/leak-check.ts"],
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        }),
      ),
      {
        test: {
          name: "repo",
          include: ["shared/checks/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
