/**
 * `npm run diff 04 05`: what chapter 05 changed, as one unified diff of the
 * two chapters' `src/` folders. It is the same diff, file for file, as the
 * "what changed" block of chapter 05's article: both come from
 * `diffChapterSources` (site/.vitepress/chapter-diff.ts).
 *
 *     npm run diff 04 05                      the sources
 *     npm run diff 04 05 -- --tests           and chapter 05's tests
 *     npm run diff 04 05 -- keyspace          only paths containing "keyspace"
 *
 * With `--tests`, test files that chapter 05 added (its suites) show as
 * added, and files it carried forward (unit tests, helpers) as changed where
 * they changed. Chapter 04's suites never show as deleted: they stay in
 * chapter 04's folder and still run against chapter 05's server.
 *
 * In a terminal the diff is coloured and paged with `less`; piped, it is
 * plain text.
 */
import { spawn } from "node:child_process";
import {
  listChapters,
  resolveChapter,
  REPO_ROOT,
  whyNoChapter,
} from "../chapters.ts";
import { exitWithUsage } from "./command-line.ts";
import {
  diffChapterSources,
  type ChapterDiff,
} from "../../site/.vitepress/chapter-diff.ts";

const USAGE =
  "npm run diff NN MM [-- [--tests] [PATH]]   (for example: npm run diff 04 05 -- --tests keyspace)";

// npm passes on a second `--` (`npm run diff 04 05 -- --tests -- aof`): skip it.
const args = process.argv.slice(2).filter((arg) => arg !== "--");
const withTests = args.includes("--tests");
const names = args.filter((arg) => !arg.startsWith("--"));
const [fromName, toName, pathFilter = "", ...extra] = names;
const chapters = listChapters();
const from =
  fromName === undefined ? undefined : resolveChapter(fromName, chapters);
const to = toName === undefined ? undefined : resolveChapter(toName, chapters);
const unknownOption = args.find(
  (arg) => arg.startsWith("--") && arg !== "--tests",
);
if (
  from === undefined ||
  to === undefined ||
  extra.length > 0 ||
  unknownOption
) {
  const unknown = [fromName, toName].filter(
    (name): name is string =>
      name !== undefined && resolveChapter(name, chapters) === undefined,
  );
  const problem = unknownOption
    ? `Unknown option ${unknownOption}.`
    : unknown.map(whyNoChapter).join("\n") || undefined;
  exitWithUsage(USAGE, chapters, problem);
}

// `src/keyspace` and `keyspace` narrow the same way: paths are inside src/.
const filter = pathFilter.replace(/^(src|test)\//, "");
const parts: ChapterDiff[] = [
  diffChapterSources(from.dir, to.dir, REPO_ROOT, { pathFilter: filter }),
];
if (withTests) {
  parts.push(
    diffChapterSources(from.dir, to.dir, REPO_ROOT, {
      folder: "test",
      omitRemoved: true,
      pathFilter: filter,
    }),
  );
}

const summary = [
  `src: ${parts[0]!.summary}`,
  ...(withTests ? [`test: ${parts[1]!.summary}`] : []),
].join("\n");
const text = `${summary}\n\n${parts.map((part) => part.patch).join("")}`;

if (!process.stdout.isTTY) {
  // Piped into `head`, which stops reading early: that is not an error.
  process.stdout.on("error", () => process.exit(0));
  process.stdout.write(text);
} else {
  const pager = spawn("less", ["-R", "-F", "-X"], {
    stdio: ["pipe", "inherit", "inherit"],
  });
  // No `less` on this machine: print the coloured text instead.
  pager.once("error", () => process.stdout.write(colour(text)));
  pager.stdin.on("error", () => {}); // the reader quit early: not an error
  pager.stdin.end(colour(text));
}

/** Green additions, red removals, cyan hunk headers, bold file headers: git's colours. */
function colour(diff: string): string {
  const paint = (code: string, line: string): string =>
    `\x1b[${code}m${line}\x1b[0m`;
  return diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---"))
        return paint("1", line);
      if (line.startsWith("+")) return paint("32", line);
      if (line.startsWith("-")) return paint("31", line);
      if (line.startsWith("@@")) return paint("36", line);
      return line;
    })
    .join("\n");
}
