/**
 * `npm run chapter NN [-- args]`: runs chapter NN's server in the foreground.
 *
 * The chapter's own `main()` runs in this same process (no child process),
 * so Ctrl-C and `kill` reach the server directly and its graceful shutdown
 * is the one that runs. Arguments after `--` are the server's own, exactly as
 * redis-server takes them: `npm run chapter 01 -- --port 7000`.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chapterUsage, listChapters, resolveChapter } from "../chapters.ts";

const [name, ...serverArgs] = process.argv.slice(2);
const chapters = listChapters();
const chapter = name === undefined ? undefined : resolveChapter(name, chapters);
if (chapter === undefined) {
  if (name !== undefined) console.error(`No chapter '${name}'.`);
  console.error(
    chapterUsage(
      "npm run chapter NN [-- server options, e.g. --port 7000]",
      chapters,
    ),
  );
  process.exit(2);
}

const { main } = (await import(
  pathToFileURL(join(chapter.dir, "src", "main.ts")).href
)) as {
  main: (args: readonly string[]) => Promise<void>;
};
await main(serverArgs);
