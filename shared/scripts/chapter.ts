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
import { chapterFromArgs } from "./command-line.ts";

const { chapter, rest: serverArgs } = chapterFromArgs(
  "npm run chapter NN [-- server options, e.g. --port 7000]",
);

const { main } = (await import(
  pathToFileURL(join(chapter.dir, "src", "main.ts")).href
)) as {
  main: (args: readonly string[]) => Promise<void>;
};
await main(serverArgs);
