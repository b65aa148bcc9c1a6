/**
 * `npm run diff 01 02`: what chapter 02 changed, as one unified diff of the
 * two chapter folders, tests included.
 *
 * Git does the diffing (`git diff --no-index` works on any two folders, in or
 * out of a repository): coloured in a terminal, paged when long, plain when
 * piped. A learner has git already, having cloned this repository.
 */
import { spawn } from "node:child_process";
import { relative } from "node:path";
import {
  listChapters,
  resolveChapter,
  REPO_ROOT,
  whyNoChapter,
} from "../chapters.ts";
import { exitWithUsage } from "./command-line.ts";

const names = process.argv.slice(2);
const chapters = listChapters();
const [from, to] = names.map((name) => resolveChapter(name, chapters));
if (names.length !== 2 || from === undefined || to === undefined) {
  const unknown = names.filter((name) => !resolveChapter(name, chapters));
  exitWithUsage(
    "npm run diff NN MM   (for example: npm run diff 01 02)",
    chapters,
    unknown.map(whyNoChapter).join("\n") || undefined,
  );
}

const child = spawn(
  "git",
  [
    "diff",
    "--no-index",
    "--stat",
    "--patch",
    "--",
    relative(REPO_ROOT, from.dir),
    relative(REPO_ROOT, to.dir),
  ],
  { cwd: REPO_ROOT, stdio: "inherit" },
);
// git diff exits 1 when the folders differ, which is the point of asking: only 2+ is an error.
child.once("close", (code) => process.exit(code === 1 ? 0 : (code ?? 1)));
