/**
 * `npm run test:chapter NN`: runs the vitest project of chapter NN, which is
 * chapter NN's server against every black-box suite from chapter 02 to NN,
 * plus chapter NN's unit tests (see vitest.config.ts), in RESP3; and its
 * RESP2 project, chapter NN's own suites with RESP2 clients.
 *
 * With REDIS_URL set, the same suites run against that server instead:
 * real Redis, or your own implementation in any language.
 */
import { speaksRedis } from "../chapters.ts";
import { chapterFromArgs } from "./command-line.ts";
import { runVitest } from "./run-vitest.ts";

const { chapter, rest: vitestArgs } = chapterFromArgs(
  "npm run test:chapter NN [-- vitest options]",
);
if (process.env.REDIS_URL !== undefined && !speaksRedis(chapter)) {
  console.error(
    `Chapter ${chapter.id} is an echo server: its suite cannot run against REDIS_URL.`,
  );
  process.exit(2);
}

const projects = speaksRedis(chapter)
  ? ["--project", chapter.id, "--project", `${chapter.id}-resp2`]
  : ["--project", chapter.id];
process.exit(await runVitest([...projects, ...vitestArgs]));
