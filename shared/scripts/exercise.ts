/**
 * `npm run exercise NN`: do chapter NN yourself.
 *
 * The first time, copies chapter NN-1 into `exercises/NN-name/` (git-ignored).
 * Every time, runs chapter NN's black-box suites against the server in that
 * folder, so you see which tests are red and make them green one by one.
 * Your folder is never overwritten; delete it to start over.
 */
import { relative } from "node:path";
import { EXERCISES_DIR, REPO_ROOT } from "../chapters.ts";
import { chapterFromArgs } from "./command-line.ts";
import { prepareExercise } from "../exercise.ts";
import { runVitest } from "./run-vitest.ts";

const {
  chapter,
  chapters,
  rest: vitestArgs,
} = chapterFromArgs(
  "npm run exercise NN   (copies chapter NN-1 for you to extend)",
);

const exercise = prepareExercise(chapter, chapters, EXERCISES_DIR);
if (exercise === undefined) {
  console.error(
    `Chapter ${chapter.id} is the first chapter: there is no earlier one to start from.`,
  );
  console.error("Exercises start with chapter 02: npm run exercise 02");
  process.exit(2);
}
const where = relative(REPO_ROOT, exercise.dir);
console.log(
  exercise.created
    ? `Copied chapter ${exercise.startingPoint.id} to ${where}/. Make chapter ${chapter.id}'s tests pass by editing it.`
    : `Testing your work in ${where}/ (never overwritten; delete the folder to start again from ${exercise.startingPoint.id}).`,
);

process.exit(
  await runVitest(["--project", chapter.id, ...vitestArgs], {
    EXERCISE_DIR: exercise.dir,
  }),
);
