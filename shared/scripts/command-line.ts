/**
 * What the chapter scripts share: reading a chapter name from the command
 * line, and the usage message when it names no chapter.
 */
import {
  listChapters,
  resolveChapter,
  whyNoChapter,
  type Chapter,
} from "../chapters.ts";

/** Prints the usage line and the chapter list, and exits with status 2. */
export function exitWithUsage(
  usage: string,
  chapters: readonly Chapter[],
  problem?: string,
): never {
  if (problem !== undefined) console.error(problem);
  const list = chapters.map((c) => `  ${c.id}`).join("\n");
  console.error(`usage: ${usage}\n\nchapters:\n${list}`);
  process.exit(2);
}

/**
 * The chapter the first argument names (`4`, `04`, `04-expiry`, `expiry`),
 * and the arguments after it. Exits with the usage message if there is none.
 */
export function chapterFromArgs(usage: string): {
  chapter: Chapter;
  chapters: Chapter[];
  rest: string[];
} {
  const [name, ...rest] = process.argv.slice(2);
  const chapters = listChapters();
  const chapter =
    name === undefined ? undefined : resolveChapter(name, chapters);
  if (chapter === undefined) {
    exitWithUsage(
      usage,
      chapters,
      name === undefined ? undefined : whyNoChapter(name),
    );
  }
  return { chapter, chapters, rest };
}
