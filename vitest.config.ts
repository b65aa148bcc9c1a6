/**
 * One vitest project per chapter, plus the repository checks.
 *
 * Project `NN-name` starts chapter NN's server and runs against it every
 * black-box suite from chapter 02 up to NN (the cumulative matrix: a later
 * chapter must not break an earlier one), plus chapter NN's own unit tests.
 * Chapter 01's echo suite runs only against chapter 01.
 *
 * Two environment variables change what runs:
 * - EXERCISE_DIR (set by `npm run exercise NN`): start the learner's copy in
 *   that folder instead of the chapter's own server, and skip unit tests,
 *   which import the reference code directly.
 * - REDIS_URL (see shared/harness.ts): suites talk to that server instead.
 */
import { defineConfig } from "vitest/config";
import { listChapters, speaksRedis, type Chapter } from "./shared/chapters.ts";

const chapters = listChapters();
const exerciseDir = process.env.EXERCISE_DIR;

/** Black-box suites live in `test/`, unit tests in `test/unit/`. */
function suitesFor(chapter: Chapter): string[] {
  const blackBox = speaksRedis(chapter)
    ? chapters.filter((c) => speaksRedis(c) && c.number <= chapter.number)
    : [chapter];
  const suites = blackBox.map((c) => `chapters/${c.id}/test/*.test.ts`);
  if (exerciseDir === undefined) suites.push(`chapters/${chapter.id}/test/unit/**/*.test.ts`);
  return suites;
}

export default defineConfig({
  test: {
    reporters: ["default", "./shared/summary-reporter.ts"],
    projects: [
      ...chapters.map((chapter) => ({
        test: {
          name: chapter.id,
          include: suitesFor(chapter),
          provide: { serverDir: exerciseDir ?? chapter.dir },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      })),
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
