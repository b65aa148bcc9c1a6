/**
 * The site's configuration. The sidebar follows the book's plan in
 * shared/chapters.ts, so a chapter appears as soon as it is planned and
 * becomes a link as soon as its article is written.
 */
import { existsSync, readFileSync } from "node:fs";
import { defineConfig } from "vitepress";
import { withMermaid } from "vitepress-plugin-mermaid";
import { CHAPTER_PLAN } from "../../shared/chapters.ts";
import { chapterDiff } from "./chapter-diff.ts";

/** True once `site/chapters/<id>.md` exists; checked each time the config loads. */
function articleExists(id: string): boolean {
  return existsSync(new URL(`../chapters/${id}.md`, import.meta.url));
}

/**
 * The later pages of a chapter built in parts (`06-data-types-2.md`, ...),
 * as sidebar entries under the chapter, each named by its page's title.
 */
function laterPages(id: string): { text: string; link: string }[] {
  const pages = [];
  for (let page = 2; articleExists(`${id}-${page}`); page++) {
    const url = new URL(`../chapters/${id}-${page}.md`, import.meta.url);
    const title = /^# (.+)$/m.exec(readFileSync(url, "utf8"))?.[1];
    pages.push({
      text: title ?? `Part ${page}`,
      link: `/chapters/${id}-${page}`,
    });
  }
  return pages;
}

// "01-tcp-echo" → "01 · A TCP echo server". An unwritten chapter is plain text:
// a link to a page that doesn't exist yet would be a dead link.
const chapterItems = CHAPTER_PLAN.map(({ id, title }) => {
  const text = `${id.slice(0, 2)} · ${title}`;
  if (!articleExists(id)) return { text: `${text} (coming)` };
  const more = laterPages(id);
  return more.length === 0
    ? { text, link: `/chapters/${id}` }
    : { text, link: `/chapters/${id}`, items: more };
});

// The same reasoning for the nav bar: only link chapter 01 once it is written.
const firstChapter = CHAPTER_PLAN[0];
const nav = [{ text: "Home", link: "/" }];
if (articleExists(firstChapter.id)) {
  nav.push({ text: "Chapter 01", link: `/chapters/${firstChapter.id}` });
}
nav.push(
  { text: "Commands", link: "/reference/commands" },
  { text: "Benchmarks", link: "/reference/benchmarks" },
);

// Pages about the whole book rather than one chapter.
const referenceItems = [
  { text: "Commands by chapter", link: "/reference/commands" },
  { text: "Benchmarks", link: "/reference/benchmarks" },
];

/**
 * Every diagram drawn at its natural size. By default mermaid sets an SVG's
 * width to 100% of the column, so a diagram wider than the column shrinks,
 * labels and all: on a phone, or for a sequence diagram with many
 * participants, to 4-7 px text. At its natural size a label is as big as
 * mermaid drew it, and custom.css lets a wide diagram scroll sideways in
 * its box instead. The setting is per diagram type; a type missing here
 * shrinks again, which the 400 px pass of `npm run test:browser` reports.
 */
const NATURAL_SIZE_DIAGRAMS = Object.fromEntries(
  [
    "flowchart",
    "sequence",
    "state",
    "class",
    "er",
    "gantt",
    "journey",
    "pie",
    "timeline",
    "mindmap",
    "gitGraph",
    "block",
    "packet",
  ].map((type) => [type, { useMaxWidth: false }]),
);

// withMermaid turns ```mermaid fences into diagrams drawn in the browser.
// Dead links fail the build: that is VitePress's default, so ignoreDeadLinks stays unset.
export default withMermaid(
  defineConfig({
    title: "redis-from-scratch",
    description:
      "Build your own Redis in TypeScript, one runnable chapter at a time",
    // Declared, so browsers do not guess at /favicon.ico (a 404 the browser test would report).
    head: [
      ["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }],
    ],
    themeConfig: {
      nav,
      sidebar: [
        { text: "Chapters", items: chapterItems },
        { text: "Reference", items: referenceItems },
      ],
    },
    // Plain greys that suit a text-heavy site; in dark mode the plugin switches
    // to mermaid's "dark" theme by itself. Labels are SVG text, not HTML: HTML
    // labels pick up VitePress's paragraph line height, and the boxes, sized
    // before that style applies, clip the last line of text.
    mermaid: {
      theme: "neutral",
      htmlLabels: false,
      ...NATURAL_SIZE_DIAGRAMS,
    },
    // `@[chapter-diff](01-tcp-echo 02-resp-parser)` in a page becomes the
    // diff of the two chapters' sources, computed at build time.
    markdown: {
      config(md) {
        md.use(chapterDiff);
      },
    },
    // Mermaid alone is a chunk of a few MB; it is loaded only on pages with a
    // diagram, so Vite's 500 kB warning would only be noise in every build.
    vite: {
      build: { chunkSizeWarningLimit: 4096 },
      // Mermaid 11 imports fastdom, CommonJS files, as default exports.
      // The production build converts it; `npm run docs` serves modules as
      // they are unless told to pre-bundle one, and without this every page
      // with a diagram fails to hydrate ("does not provide an export named
      // 'default'"). The mermaid plugin pre-bundles mermaid's other such
      // dependencies itself.
      optimizeDeps: {
        include: [
          "mermaid > fastdom",
          "mermaid > fastdom/extensions/fastdom-promised.js",
        ],
      },
    },
  }),
);
