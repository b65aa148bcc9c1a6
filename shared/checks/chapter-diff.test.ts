/**
 * The articles' generated "what changed" blocks (site/.vitepress/chapter-diff.ts).
 *
 * The diff is checked on fake chapter folders in a temporary directory, so
 * these tests do not depend on what the real chapters contain today. Then
 * the real site: every `@[chapter-diff](A B)` line must name chapter folders
 * that exist. The build would fail on a wrong name too, but only after a
 * minute of building; this says which line is wrong in a second.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { createMarkdownRenderer } from "vitepress";
import {
  chapterDiff,
  chapterDiffProblem,
  diffChapterSources,
  parseChapterDiffLine,
} from "../../site/.vitepress/chapter-diff.ts";
import { REPO_ROOT } from "../chapters.ts";

const scratch = mkdtempSync(join(tmpdir(), "rfs-chapter-diff-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `files` (path → content) below `dir`, creating folders as needed. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

// Two chapters that between them have every kind of change: a file kept
// as is, one edited (in a subfolder, to check nested paths), one added, one
// removed, and a test file that changed but must stay out of the diff.
const root = join(scratch, "repo");
const chaptersDir = join(root, "chapters");
writeTree(join(chaptersDir, "01-first"), {
  "src/same.ts": "export const same = 1;\n",
  "src/lib/edited.ts": "export const a = 1;\nexport const b = 2;\n",
  "src/removed.ts": "export const gone = true;\n",
  "test/server.test.ts": "// chapter 01's tests\n",
  "test/first.test.ts": "// only chapter 01 has this suite\n",
});
writeTree(join(chaptersDir, "02-second"), {
  "src/same.ts": "export const same = 1;\n",
  "src/lib/edited.ts": "export const a = 1;\nexport const b = 3;\n",
  "src/added.ts": "export const fresh = true;\nexport const more = 2;\n",
  "test/server.test.ts": "// chapter 02's tests\n",
  "test/second.test.ts": "// chapter 02's own suite\n",
});
// A chapter folder whose code is still to be written.
mkdirSync(join(chaptersDir, "03-empty"));

describe("diffChapterSources", () => {
  const diff = diffChapterSources(
    join(chaptersDir, "01-first"),
    join(chaptersDir, "02-second"),
    root,
  );

  it("lists added, modified and removed files, and not unchanged ones", () => {
    expect(diff.files.map(({ path, status }) => ({ path, status }))).toEqual([
      { path: "added.ts", status: "added" },
      { path: "lib/edited.ts", status: "modified" },
      { path: "removed.ts", status: "removed" },
    ]);
  });

  it("shows an added file against /dev/null, with its whole content", () => {
    expect(diff.patch).toContain(
      [
        "--- /dev/null",
        "+++ chapters/02-second/src/added.ts",
        "@@ -0,0 +1,2 @@",
        "+export const fresh = true;",
        "+export const more = 2;",
      ].join("\n"),
    );
  });

  it("shows a removed file against /dev/null", () => {
    expect(diff.patch).toContain(
      [
        "--- chapters/01-first/src/removed.ts",
        "+++ /dev/null",
        "@@ -1,1 +0,0 @@",
        "-export const gone = true;",
      ].join("\n"),
    );
  });

  it("shows a modified file with repository-relative paths and context", () => {
    expect(diff.patch).toContain(
      [
        "--- chapters/01-first/src/lib/edited.ts",
        "+++ chapters/02-second/src/lib/edited.ts",
        "@@ -1,2 +1,2 @@",
        " export const a = 1;",
        "-export const b = 2;",
        "+export const b = 3;",
      ].join("\n"),
    );
  });

  it("leaves out unchanged files, tests and machine paths", () => {
    expect(diff.patch).not.toContain("same.ts");
    expect(diff.patch).not.toContain("test");
    expect(diff.patch).not.toContain(scratch);
  });

  it("sums the change up in one sentence", () => {
    expect(diff.summary).toBe(
      "3 files changed: 1 added, 1 modified, 1 removed (+3 \u22122 lines).",
    );
  });

  it("narrows to the paths that contain a filter (npm run diff 01 02 -- lib)", () => {
    const narrowed = diffChapterSources(
      join(chaptersDir, "01-first"),
      join(chaptersDir, "02-second"),
      root,
      { pathFilter: "lib" },
    );
    expect(narrowed.files.map(({ path }) => path)).toEqual(["lib/edited.ts"]);
  });

  it("shows a later chapter's tests as added or changed, never an earlier one's as removed", () => {
    const tests = diffChapterSources(
      join(chaptersDir, "01-first"),
      join(chaptersDir, "02-second"),
      root,
      { folder: "test", omitRemoved: true },
    );
    expect(tests.files.map(({ path, status }) => ({ path, status }))).toEqual([
      { path: "second.test.ts", status: "added" },
      { path: "server.test.ts", status: "modified" },
    ]);
    expect(tests.patch).not.toContain("first.test.ts");
  });

  it("says so when no source file changed", () => {
    const same = diffChapterSources(
      join(chaptersDir, "01-first"),
      join(chaptersDir, "01-first"),
      root,
    );
    expect(same).toMatchObject({
      files: [],
      patch: "",
      summary: "No source file changed.",
    });
  });

  it("refuses a chapter without src/", () => {
    expect(() =>
      diffChapterSources(
        join(chaptersDir, "01-first"),
        join(chaptersDir, "03-empty"),
        root,
      ),
    ).toThrow(/chapters\/03-empty\/src is not a folder/);
  });
});

describe("the chapter-diff syntax", () => {
  it("reads the two chapter names", () => {
    expect(parseChapterDiffLine("@[chapter-diff](01-a 02-b)")).toEqual({
      from: "01-a",
      to: "02-b",
    });
    expect(parseChapterDiffLine("  @[chapter-diff]( 01-a   02-b ) ")).toEqual({
      from: "01-a",
      to: "02-b",
    });
  });

  it("ignores other lines", () => {
    expect(parseChapterDiffLine("Some text about @[chapter-diff]")).toBe(
      undefined,
    );
  });

  it.each([
    "@[chapter-diff](01-a)",
    "@[chapter-diff](01-a 02-b 03-c)",
    "@[chapter-diff] (01-a 02-b)",
    "@[chapter-diff](01-a 02-b) trailing text",
  ])("refuses the malformed line %j", (line) => {
    expect(() => parseChapterDiffLine(line)).toThrow(/does not read as/);
  });

  it("names what is wrong with a request", () => {
    const problem = (from: string, to: string) =>
      chapterDiffProblem({ from, to }, chaptersDir);
    expect(problem("01-first", "02-second")).toBeUndefined();
    expect(problem("01-first", "02-secnod")).toMatch(
      /'02-secnod' is not a chapter folder/,
    );
    expect(problem("1", "02-second")).toMatch(/write 01-first/);
    expect(problem("01-first", "../../etc")).toMatch(/not a chapter folder/);
    expect(problem("01-first", "03-empty")).toMatch(/has no src\/ folder/);
  });
});

describe("the markdown-it plugin", async () => {
  // VitePress's own renderer, with its Shiki highlighting, so the test sees
  // the HTML an article gets.
  const md = await createMarkdownRenderer(root);
  md.use(chapterDiff, { chaptersDir, root });
  const render = (source: string): string =>
    md.render(source, { relativePath: "chapters/02-second.md", includes: [] });

  it("renders a summary and a highlighted diff block", () => {
    const html = render(
      "What changed:\n@[chapter-diff](01-first 02-second)\n\nThe end.\n",
    );
    expect(html).toContain("<p>What changed:</p>");
    expect(html).toContain(
      "<p>3 files changed: 1 added, 1 modified, 1 removed (+3 \u22122 lines).</p>",
    );
    expect(html).toContain('class="language-diff');
    expect(html).toContain("chapters/02-second/src/added.ts");
    expect(html).toContain("<p>The end.</p>");
  });

  it("renders an empty diff as one sentence, without a code block", () => {
    const html = render("@[chapter-diff](01-first 01-first)\n");
    expect(html).toBe("<p>No source file changed.</p>\n");
  });

  it("leaves the syntax alone inside a code block", () => {
    const html = render("```md\n@[chapter-diff](nope nope)\n```\n");
    expect(html).toContain("nope");
  });

  it("fails the build on a misspelt chapter, naming the page and line", () => {
    expect(() =>
      render("Intro\n\n@[chapter-diff](01-first 02-secnod)\n"),
    ).toThrow(
      /chapters\/02-second\.md:3: .*'02-secnod' is not a chapter folder/,
    );
  });
});

/** Every markdown page of the site, skipping build output and dependencies. */
function sitePages(): string[] {
  const site = join(REPO_ROOT, "site");
  return readdirSync(site, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".md"))
    .filter((path) => !/(^|[/\\])(node_modules|dist|cache)[/\\]/.test(path))
    .map((path) => join(site, path));
}

describe("chapter diffs on the site", () => {
  it("every @[chapter-diff] line names existing chapter folders", () => {
    const problems: string[] = [];
    for (const page of sitePages()) {
      let inFence = false;
      readFileSync(page, "utf8")
        .split("\n")
        .forEach((line, index) => {
          // A diff line shown inside a code block is an example, not a diff.
          if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
          if (inFence) return;
          const where = `${relative(REPO_ROOT, page)}:${index + 1}`;
          try {
            const request = parseChapterDiffLine(line);
            if (request === undefined) return;
            const problem = chapterDiffProblem(request);
            if (problem !== undefined) problems.push(`${where}: ${problem}`);
          } catch (error) {
            problems.push(`${where}: ${String(error)}`);
          }
        });
    }
    expect(problems).toEqual([]);
  });

  it("finds the site's pages", () => {
    // An empty list would make the check above pass without looking.
    expect(sitePages().length).toBeGreaterThan(0);
    expect(existsSync(join(REPO_ROOT, "site", "index.md"))).toBe(true);
  });
});
