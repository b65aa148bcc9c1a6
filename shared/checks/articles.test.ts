/**
 * What every article page owes a learner: a brief right after "Run it"
 * (what to build, the contract, the steps, the command that starts the
 * exercise), and a main text short enough to finish, about 5,000 words
 * (`npm run article-words`; code and `::: details` blocks do not count).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listChapters, REPO_ROOT } from "../chapters.ts";
import { loadSteps } from "../exercise.ts";
import { proseWords } from "../site/prose-words.ts";

/** Above this, a page must be split or its notes folded away. */
const MAX_PROSE_WORDS = 6_000;

/** Pages a chapter may have: one, or one per part (`06-data-types-2.md`). */
const MAX_PAGES = 3;

/** `site/chapters/<id>.md` for page 1, `<id>-<page>.md` after it. */
function articlePath(id: string, page: number): string {
  const name = page === 1 ? id : `${id}-${page}`;
  return join(REPO_ROOT, "site", "chapters", `${name}.md`);
}

const articles = listChapters()
  .flatMap((chapter) =>
    Array.from({ length: MAX_PAGES }, (_, i) => ({
      chapter,
      page: i + 1,
      path: articlePath(chapter.id, i + 1),
    })),
  )
  .filter(({ path }) => existsSync(path));

describe.each(
  articles.map(
    (a) =>
      [
        a.page === 1 ? a.chapter.id : `${a.chapter.id}, page ${a.page}`,
        a,
      ] as const,
  ),
)("the article of chapter %s", (_, { chapter, page, path }) => {
  const text = readFileSync(path, "utf8");
  const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

  it(`keeps its main text under ${MAX_PROSE_WORDS} words`, () => {
    expect(proseWords(text)).toBeLessThanOrEqual(MAX_PROSE_WORDS);
  });

  it('opens with "Run it", then "The brief"', () => {
    expect(headings.slice(0, 2)).toEqual(["Run it", "The brief"]);
  });

  it("names every step of its exercise in the brief, and the commands to run them", async () => {
    const brief = text.slice(
      text.indexOf("## The brief"),
      text.indexOf("\n## ", text.indexOf("## The brief") + 1),
    );
    if (chapter.number === 1) {
      // No earlier chapter to copy: chapter 01 is built from scratch.
      expect(brief).toContain("npm run test:chapter 01");
      return;
    }
    const number = chapter.id.slice(0, 2);
    expect(brief).toContain(`npm run exercise ${number}`);
    expect(brief).toContain(`npm run exercise ${number} -- --core`);
    for (const step of await loadSteps(chapter)) {
      if ((step.page ?? 1) !== page) continue;
      expect(brief, `step ${step.name}`).toContain(`\`${step.name}\``);
    }
  });
});

describe("a step taught on a later page of its chapter", () => {
  it.each(
    listChapters()
      // Chapter 01 has no exercise steps: it is built from scratch.
      .filter((chapter) => chapter.number !== 1)
      .map((chapter) => [chapter.id, chapter] as const),
  )("%s: every step's page exists", async (_, chapter) => {
    for (const step of await loadSteps(chapter)) {
      const path = articlePath(chapter.id, step.page ?? 1);
      if (step.page === undefined && !existsSync(path)) continue; // unwritten chapter
      expect(existsSync(path), `step ${step.name}: ${path}`).toBe(true);
    }
  });
});
