/**
 * "What changed since the previous chapter", generated from the chapter
 * folders each time the site is built, so an article's diff can never fall
 * out of step with the code.
 *
 * Syntax: a line of its own in any page under site/, naming two chapter
 * folders, the older one first:
 *
 *     @[chapter-diff](01-tcp-echo 02-resp-parser)
 *
 * It becomes a one-line summary ("3 files changed: 1 added, 2 modified
 * (+40 −7 lines).") followed by a ```diff code block holding the unified diff
 * of every file under `chapters/<from>/src` and `chapters/<to>/src`. Tests are
 * left out: an article is about the server. Files are matched by their path
 * inside `src/`; unchanged files are left out, added and removed ones are
 * diffed against /dev/null, as git does. When nothing changed, the block is
 * the sentence "No source file changed." and no code block.
 *
 * A name that is not a chapter folder, or a line that starts with
 * `@[chapter-diff]` but does not follow the syntax, throws: `vitepress build`
 * then fails instead of shipping a page with a silently missing diff.
 *
 * The diffing itself is `diffChapterSources`, which knows nothing about
 * VitePress, so shared/checks/chapter-diff.test.ts can run it on fake
 * chapter folders.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import {
  FILE_HEADERS_ONLY,
  formatPatch,
  structuredPatch,
  type StructuredPatch,
} from "diff";
import type { MarkdownEnv, MarkdownRenderer } from "vitepress";
import {
  CHAPTERS_DIR,
  listChapters,
  REPO_ROOT,
  resolveChapter,
  whyNoChapter,
} from "../../shared/chapters.ts";

/** How one file differs between the two chapters. */
export interface FileChange {
  /** The path inside `src/`, with `/` separators: `server.ts`, `commands/get.ts`. */
  path: string;
  status: "added" | "removed" | "modified";
  /** Lines added and removed, as the summary line counts them. */
  linesAdded: number;
  linesRemoved: number;
}

export interface ChapterDiff {
  /** Only the files that differ, sorted by path. */
  files: FileChange[];
  /** The unified diff of those files; "" when no file differs. */
  patch: string;
  /** The sentence shown above the diff. */
  summary: string;
  /** Absolute paths of every file compared, for the dev server to watch. */
  sources: string[];
}

/** Turns `a\b` into `a/b` on Windows: diff headers and summaries always use `/`. */
function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/**
 * Every file below `srcDir`, as posix paths relative to it. Throws when the
 * folder is missing: a chapter without `src/` is a mistake worth hearing
 * about, not an empty chapter.
 */
function sourceFiles(srcDir: string, label: string): string[] {
  if (!statSync(srcDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${label} is not a folder: a chapter keeps its code there`);
  }
  // The string form of a recursive readdir works on every Node 20.x, unlike
  // Dirent.parentPath; statSync then drops the folders it also lists.
  return readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((path) => statSync(join(srcDir, path)).isFile())
    .map(toPosix)
    .sort();
}

/**
 * Reads a source file as the diff should see it. Line endings are
 * normalised so a Windows checkout (CRLF) shows the same diff as any other.
 */
function readSource(path: string): string {
  return readFileSync(path, "utf8").replace(/\r\n/g, "\n");
}

/** "1 file" or "3 files". */
function files(count: number): string {
  return count === 1 ? "1 file" : `${count} files`;
}

/**
 * "3 files changed: 1 added, 2 modified (+40 −7 lines)." `kind` names the
 * files when none changed: "No source file changed.", "No test file
 * matching 'aof' changed."
 */
function summarise(changes: readonly FileChange[], kind: string): string {
  if (changes.length === 0) return `No ${kind} changed.`;
  const counts = (["added", "modified", "removed"] as const)
    .map((status) => ({
      status,
      count: changes.filter((c) => c.status === status).length,
    }))
    .filter(({ count }) => count > 0)
    .map(({ status, count }) => `${count} ${status}`);
  const added = changes.reduce((sum, c) => sum + c.linesAdded, 0);
  const removed = changes.reduce((sum, c) => sum + c.linesRemoved, 0);
  // U+2212 (minus sign) reads better than a hyphen next to a number.
  return `${files(changes.length)} changed: ${counts.join(", ")} (+${added} \u2212${removed} lines).`;
}

/**
 * What `npm run diff` may ask for beyond the article's default (all of
 * `src/`): the test folders instead, and only some paths.
 */
export interface DiffScope {
  /** The folder of each chapter to compare; `src` by default. */
  folder?: "src" | "test";
  /**
   * Leave out files only the older chapter has. Right for `test/`: an
   * earlier chapter's suites were not deleted, they still run against the
   * later server from their own folder.
   */
  omitRemoved?: boolean;
  /** Only the paths (inside the folder) that contain this text, e.g. `keyspace`. */
  pathFilter?: string;
}

/**
 * The diff between the `src/` folders of two chapter folders (or, with a
 * scope, their `test/` folders or a part of either).
 *
 * `root` is what the diff headers are relative to: with the default, the
 * repository root, a header reads `chapters/01-tcp-echo/src/main.ts`,
 * never a path of the machine that built the site.
 */
export function diffChapterSources(
  fromDir: string,
  toDir: string,
  root: string = REPO_ROOT,
  scope: DiffScope = {},
): ChapterDiff {
  const { folder = "src", omitRemoved = false, pathFilter = "" } = scope;
  const fromSrc = join(fromDir, folder);
  const toSrc = join(toDir, folder);
  const label = (dir: string, path: string): string =>
    toPosix(relative(root, join(dir, path)));

  const before = new Set(sourceFiles(fromSrc, label(fromSrc, "")));
  const after = new Set(sourceFiles(toSrc, label(toSrc, "")));
  const allPaths = [...new Set([...before, ...after])]
    .filter((path) => path.includes(pathFilter))
    .filter((path) => !omitRemoved || after.has(path))
    .sort();

  const changes: FileChange[] = [];
  const patches: StructuredPatch[] = [];
  const sources: string[] = [];
  for (const path of allPaths) {
    const inBefore = before.has(path);
    const inAfter = after.has(path);
    if (inBefore) sources.push(join(fromSrc, path));
    if (inAfter) sources.push(join(toSrc, path));

    // A missing side is /dev/null, the unified-diff convention for a file
    // that is created or deleted, and its content is empty.
    const patch = structuredPatch(
      inBefore ? label(fromSrc, path) : "/dev/null",
      inAfter ? label(toSrc, path) : "/dev/null",
      inBefore ? readSource(join(fromSrc, path)) : "",
      inAfter ? readSource(join(toSrc, path)) : "",
      undefined,
      undefined,
      // Three lines of context, like git and `npm run diff`.
      { context: 3 },
    );
    // No hunk: the file is the same in both chapters.
    if (patch.hunks.length === 0) continue;

    const lines = patch.hunks.flatMap((hunk) => hunk.lines);
    changes.push({
      path,
      status: !inBefore ? "added" : !inAfter ? "removed" : "modified",
      linesAdded: lines.filter((line) => line.startsWith("+")).length,
      linesRemoved: lines.filter((line) => line.startsWith("-")).length,
    });
    patches.push(patch);
  }

  return {
    files: changes,
    // Only ---/+++ headers per file: jsdiff's "Index:" and "====" lines
    // would be noise in an article.
    patch: patches.length === 0 ? "" : formatPatch(patches, FILE_HEADERS_ONLY),
    summary: summarise(
      changes,
      `${folder === "src" ? "source" : "test"} file${pathFilter === "" ? "" : ` matching '${pathFilter}'`}`,
    ),
    sources,
  };
}

/** The two chapter folder names of one `@[chapter-diff](from to)` line. */
export interface ChapterDiffRequest {
  from: string;
  to: string;
}

const MARKER = "@[chapter-diff]";

/**
 * Reads one markdown line. Returns undefined for a line that is not a
 * chapter diff, and throws for one that starts like a chapter diff but does
 * not follow the syntax: a half-typed diff must not turn into plain text.
 */
export function parseChapterDiffLine(
  line: string,
): ChapterDiffRequest | undefined {
  const text = line.trim();
  if (!text.startsWith(MARKER)) return undefined;
  const match = /^@\[chapter-diff\]\(\s*(\S+)\s+(\S+)\s*\)$/.exec(text);
  if (match === null) {
    throw new Error(
      `'${text}' does not read as ${MARKER}(from-chapter to-chapter), e.g. ${MARKER}(01-tcp-echo 02-resp-parser)`,
    );
  }
  return { from: match[1]!, to: match[2]! };
}

/**
 * Why a request cannot be diffed, or undefined when both names are chapter
 * folders with a `src/`. Names are checked against the listed chapter
 * folders, never joined onto a path as typed, so `../..` names nothing.
 */
export function chapterDiffProblem(
  request: ChapterDiffRequest,
  chaptersDir: string = CHAPTERS_DIR,
): string | undefined {
  const chapters = listChapters(chaptersDir);
  const problems = [request.from, request.to].flatMap((name) => {
    const chapter = chapters.find((c) => c.id === name);
    if (chapter === undefined) {
      // `02` or `resp-parser` would name a chapter on the command line, but
      // the article should spell the folder out, so it can be searched for.
      const meant = resolveChapter(name, chapters);
      return [
        meant === undefined
          ? `'${name}' is not a chapter folder. ${whyNoChapter(name)}`
          : `'${name}' is not a chapter folder name: write ${meant.id}.`,
      ];
    }
    return statSync(join(chapter.dir, "src"), {
      throwIfNoEntry: false,
    })?.isDirectory()
      ? []
      : [`chapter ${name} has no src/ folder.`];
  });
  return problems.length === 0 ? undefined : problems.join(" ");
}

export interface ChapterDiffOptions {
  /** Where the chapter folders are; the repository's `chapters/` by default. */
  chaptersDir?: string;
  /** What diff headers are relative to; the repository root by default. */
  root?: string;
}

// The block-rule types, taken from the renderer VitePress hands us, so this
// file needs no import from markdown-it (a package we do not declare).
type BlockRule = Parameters<MarkdownRenderer["block"]["ruler"]["before"]>[2];
type BlockState = Parameters<BlockRule>[0];

/**
 * The markdown-it plugin: `md.use(chapterDiff)` in the VitePress config.
 *
 * It adds a block rule, run before the paragraph rule, that turns a chapter
 * diff line into tokens markdown-it already knows: a paragraph for the
 * summary and a `fence` with info `diff`. VitePress renders that fence like
 * every other code block (Shiki colours, copy button, language label).
 */
export function chapterDiff(
  md: MarkdownRenderer,
  options: ChapterDiffOptions = {},
): void {
  const chaptersDir = options.chaptersDir ?? CHAPTERS_DIR;
  const root = options.root ?? REPO_ROOT;

  const rule = (
    state: BlockState,
    startLine: number,
    _endLine: number,
    silent: boolean,
  ): boolean => {
    // Indented by four or more: an indented code block, shown as written.
    if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
    const lineStart = state.bMarks[startLine]! + state.tShift[startLine]!;
    const line = state.src.slice(lineStart, state.eMarks[startLine]);
    if (!line.startsWith(MARKER)) return false;
    // markdown-it asks in silent mode whether this line may end a paragraph
    // above it; answering yes keeps a diff line from being swallowed as text.
    if (silent) return true;

    // VitePress passes the page in env; every error names the page and line.
    const env: Partial<MarkdownEnv> = state.env;
    const where = `${env.relativePath ?? "markdown"}:${startLine + 1}`;
    let diff: ChapterDiff;
    try {
      const request = parseChapterDiffLine(line)!;
      const problem = chapterDiffProblem(request, chaptersDir);
      if (problem !== undefined) throw new Error(problem);
      diff = diffChapterSources(
        join(chaptersDir, request.from),
        join(chaptersDir, request.to),
        root,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${where}: ${MARKER}: ${message}`, { cause: error });
    }

    // VitePress's dev server watches the files in env.includes (it is how
    // `<<<` imports refresh) and re-renders this page when one changes.
    // A file newly added to a chapter is only picked up on the next edit of
    // the page or a restart.
    env.includes?.push(...diff.sources);

    const map: [number, number] = [startLine, startLine + 1];
    state.push("paragraph_open", "p", 1).map = map;
    const summary = state.push("inline", "", 0);
    summary.content = diff.summary;
    summary.map = map;
    summary.children = [];
    state.push("paragraph_close", "p", -1);

    if (diff.patch !== "") {
      const fence = state.push("fence", "code", 0);
      fence.info = "diff";
      fence.markup = "```";
      fence.content = diff.patch;
      fence.map = map;
    }

    state.line = startLine + 1;
    return true;
  };

  // The `alt` list lets a diff line end a paragraph, list or quote above it
  // without a blank line in between, as a ``` fence can.
  md.block.ruler.before("paragraph", "chapter_diff", rule, {
    alt: ["paragraph", "reference", "blockquote", "list"],
  });
}
