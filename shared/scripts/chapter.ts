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

// `npm run chapter 01 --port 7000`, without the `--`, makes npm take
// `--port` as one of its own settings and pass on only "7000", which the
// server would then read as a config-file path. Say what happened instead.
const takenByNpm = ["port", "bind"].find(
  (name) => process.env[`npm_config_${name}`] !== undefined,
);
if (takenByNpm !== undefined) {
  console.error(
    `npm kept --${takenByNpm} for itself. Put -- before server options: npm run chapter ${chapter.id.slice(0, 2)} -- --${takenByNpm} ...`,
  );
  process.exit(2);
}

const { main } = (await import(
  pathToFileURL(join(chapter.dir, "src", "main.ts")).href
)) as {
  main: (args: readonly string[]) => Promise<void>;
};
await main(serverArgs);
