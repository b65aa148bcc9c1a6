/**
 * The exercise workspace: a learner starts chapter NN from their own copy of
 * chapter NN-1, in `exercises/NN-name/`, and makes chapter NN's tests pass.
 *
 * The copy is made once. After that the folder is the learner's work, and no
 * command of ours ever writes to it again: to start over, they delete it.
 */
import { cpSync, existsSync } from "node:fs";
import { basename, join } from "node:path";
import { previousChapter, type Chapter } from "./chapters.ts";

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
