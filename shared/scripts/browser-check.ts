/**
 * `npm run test:browser`: opens every page of the built site in a real
 * browser and fails if any of them is broken.
 *
 * `vitepress build` already refuses dead links and missing snippet files, but
 * it cannot see what only happens in the browser: a script that throws while
 * the page hydrates, a mermaid diagram with a syntax error (diagrams are drawn
 * client-side, so the build passes), an asset that 404s, or a code block that
 * came out empty. So this script serves `site/.vitepress/dist` on 127.0.0.1,
 * starts Debian's Chromium through playwright-core, and crawls the site from
 * `/`, following every same-origin link once. A page fails on:
 *
 * - a console error, an uncaught exception, a failed request, or a
 *   same-origin response with status 400 or above;
 * - a missing or empty `<h1>` (the home page's hero name counts);
 * - an empty code block, or a chapter article (under /chapters/) with no code
 *   block at all;
 * - a mermaid diagram that does not render to an SVG, or that renders
 *   mermaid's "Syntax error" picture;
 * - text in a mermaid diagram or a benchmark chart that the reader sees
 *   smaller than 10 px.
 *
 * Every page is checked twice: at a desktop width, and at 400 px, a phone's.
 * Diagrams and charts are SVGs, and an SVG scaled down to fit a narrow
 * column scales its labels down with it: a 16 px label in a diagram twice
 * as wide as the column is an 8 px label on screen. The size that counts is
 * the one on screen, so each label's font size is multiplied by its
 * element's current scale (`getScreenCTM`: the viewBox's scaling and every
 * transform above it).
 *
 * It prints one line per page and width, with the smallest diagram or chart
 * text on that page, and ends with `N passed, N failed`, a plain line CI can
 * read, so a run that checked no page at all is visible (and fails).
 */
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { REPO_ROOT } from "../chapters.ts";

const DIST_DIR = join(REPO_ROOT, "site", ".vitepress", "dist");
/** The whole crawl, so that a hung browser can never hang CI. */
const OVERALL_TIMEOUT_MS = 5 * 60_000;
/** Starting the browser, loading one page, or waiting for its diagrams. */
const STEP_TIMEOUT_MS = 30_000;
/** vitepress-plugin-mermaid draws each diagram into a `<div class="mermaid">`. */
const MERMAID_SELECTOR = "div.mermaid";
/** VitePress wraps every highlighted code block in a `<div class="language-xxx">`. */
const CODE_SELECTOR = 'div[class*="language-"] pre code';
/** The SVGs whose labels must stay legible: mermaid's diagrams and BenchChart's panels. */
const FIGURE_SVG_SELECTOR = `${MERMAID_SELECTOR} svg, .bench-chart svg`;
/** The smallest text, in CSS pixels as drawn on screen, a figure may show. */
const MIN_TEXT_PX = 10;

/** The widths every page is checked at: VitePress's desktop layout, and a phone's. */
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "400 px", width: 400, height: 800 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".png": "image/png",
};

interface PageResult {
  /** The canonical path the page was visited under, e.g. `/chapters/01-tcp-echo.html`. */
  path: string;
  viewport: Viewport;
  /** The smallest figure text on the page, or undefined if it has no figure with text. */
  smallestText: FigureText | undefined;
  /** Empty when the page passed. */
  problems: string[];
  /** Canonical paths of the same-origin pages this one links to. */
  links: string[];
}

// ---------------------------------------------------------------------------
// A static file server for the built site, answering the way a static host
// such as GitHub Pages does: `/dir/` → `dir/index.html`, `/page` → `page.html`.

/** The file under `root` that a URL path names, or undefined for a 404. */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // a malformed %-escape
  }
  const file = resolve(
    root,
    `.${decoded.endsWith("/") ? `${decoded}index.html` : decoded}`,
  );
  // `..` segments must not climb out of the site.
  if (!file.startsWith(root + sep)) return undefined;
  if (isFile(file)) return file;
  if (isFile(`${file}.html`)) return `${file}.html`;
  return undefined;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function startStaticServer(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = fileFor(
      root,
      new URL(req.url ?? "/", "http://localhost").pathname,
    );
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    readFile(file).then(
      (body) => {
        const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
        res.writeHead(200, { "content-type": type }).end(body);
      },
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolveListening, rejectListening) => {
    server.once("error", rejectListening);
    server.listen(0, "127.0.0.1", () => resolveListening(server));
  });
}

// ---------------------------------------------------------------------------
// Checking one page.

/**
 * The key a page is visited under: no query or hash, `/index.html` spelled
 * `/`, and `/a` spelled `/a.html`, the file the server answers both with
 * (VitePress writes `.html` links; a mermaid `click` link may not).
 */
function canonicalPath(url: URL): string {
  const path = url.pathname.replace(/\/index\.html$/, "/");
  return path.endsWith("/") || extname(path) !== "" ? path : `${path}.html`;
}

/** A link to a page (`/`, `/a/`, `/a.html`, `/a`) rather than to a file such as an image. */
function isPagePath(path: string): boolean {
  const ext = extname(path);
  return ext === "" || ext === ".html";
}

/** A browser message on one line: stack frames dropped, line breaks folded. */
function oneLine(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .map((line) => line.trim())
    .join(" ");
}

function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/** Records into `problems` everything that goes wrong while `page` loads and runs. */
function watchForErrors(page: Page, origin: string, problems: string[]): void {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    problems.push(
      `console error: ${oneLine(message.text())} (${message.location().url})`,
    );
  });
  page.on("pageerror", (error) =>
    problems.push(`uncaught exception: ${errorText(error)}`),
  );
  page.on("requestfailed", (request) => {
    problems.push(
      `request failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`,
    );
  });
  page.on("response", (response) => {
    if (response.url().startsWith(`${origin}/`) && response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
}

/** One label of a diagram or chart, and the size the reader sees it at. */
interface FigureText {
  text: string;
  /** Font size × the element's scale on screen, in CSS pixels. */
  px: number;
}

/**
 * Every piece of text inside the page's figures, with its on-screen size.
 * Runs in the browser. A label is the element that holds the text itself:
 * a `<text>` or `<tspan>` in SVG, or an HTML element inside a
 * `<foreignObject>` (mermaid's HTML labels). Its computed font size is in
 * the units of its own coordinate system; `getScreenCTM()` maps those to
 * screen pixels, so their product is what the reader sees. Labels that are
 * not drawn (display: none, or an empty box) do not count.
 */
function measureFigureText(selector: string): FigureText[] {
  const found: FigureText[] = [];
  for (const svg of document.querySelectorAll(selector)) {
    for (const element of svg.querySelectorAll("*")) {
      const ownText = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? "")
        .join("")
        .trim();
      if (ownText === "") continue;
      // <title> and <desc> are tooltips and descriptions, never drawn.
      if (element.closest("title, desc, style")) continue;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden")
        continue;
      const graphic =
        element instanceof SVGGraphicsElement
          ? element
          : element.closest("foreignObject");
      const matrix = graphic?.getScreenCTM();
      if (!matrix) continue;
      // The area scale's square root: the linear scale, rotation or not.
      const scale = Math.sqrt(
        Math.abs(matrix.a * matrix.d - matrix.b * matrix.c),
      );
      found.push({ text: ownText, px: parseFloat(style.fontSize) * scale });
    }
  }
  return found;
}

/** Loads `path`, checks its content into `problems`, and returns the pages it links to. */
async function inspectPage(
  page: Page,
  origin: string,
  path: string,
  problems: string[],
): Promise<{ links: string[]; smallestText: FigureText | undefined }> {
  // "networkidle", not "load": VitePress hydrates and fetches mermaid's chunks afterwards.
  await page.goto(origin + path, {
    waitUntil: "networkidle",
    timeout: STEP_TIMEOUT_MS,
  });

  const heading = await page.evaluate(() => {
    const h1 =
      document.querySelector("h1") ?? document.querySelector(".VPHero .name");
    return h1?.textContent?.trim() ?? "";
  });
  if (heading === "") problems.push("no <h1> with text");

  const code = await page.locator(CODE_SELECTOR).allTextContents();
  if (code.some((text) => text.trim() === ""))
    problems.push("an empty code block");
  if (path.startsWith("/chapters/") && code.length === 0) {
    problems.push("a chapter article without a code block");
  }

  if ((await page.locator(MERMAID_SELECTOR).count()) > 0) {
    // The plugin draws diagrams in the browser after hydration: wait for every SVG.
    await page
      .waitForFunction(
        (selector) =>
          [...document.querySelectorAll(selector)].every((div) =>
            div.querySelector("svg"),
          ),
        MERMAID_SELECTOR,
        { timeout: STEP_TIMEOUT_MS },
      )
      .catch(() => problems.push("a mermaid diagram did not render to an SVG"));
    const diagrams = await page.locator(MERMAID_SELECTOR).allTextContents();
    if (diagrams.some((text) => text.includes("Syntax error"))) {
      problems.push("a mermaid diagram has a syntax error");
    }
  }

  const texts = await page.evaluate(measureFigureText, FIGURE_SVG_SELECTOR);
  const tooSmall = texts.filter(({ px }) => px < MIN_TEXT_PX);
  if (tooSmall.length > 0) {
    const examples = tooSmall
      .slice(0, 3)
      .map(({ text, px }) => `${JSON.stringify(text)} at ${px.toFixed(1)} px`);
    problems.push(
      `${tooSmall.length} figure labels below ${MIN_TEXT_PX} px, such as ${examples.join(", ")}`,
    );
  }
  const smallestText = texts.reduce<FigureText | undefined>(
    (smallest, text) =>
      smallest === undefined || text.px < smallest.px ? text : smallest,
    undefined,
  );

  const hrefs = await page
    .locator("a[href]")
    .evaluateAll((anchors: HTMLAnchorElement[]) => anchors.map((a) => a.href));
  const links = hrefs
    .map((href) => new URL(href))
    .filter((url) => url.origin === origin && isPagePath(url.pathname))
    .map(canonicalPath);
  return { links, smallestText };
}

/** Checks one page in a fresh tab. Never throws: anything that goes wrong is a problem. */
async function checkPage(
  context: BrowserContext,
  origin: string,
  path: string,
  viewport: Viewport,
): Promise<PageResult> {
  const problems: string[] = [];
  let links: string[] = [];
  let smallestText: FigureText | undefined;
  try {
    const page = await context.newPage();
    await page.setViewportSize({
      width: viewport.width,
      height: viewport.height,
    });
    watchForErrors(page, origin, problems);
    try {
      ({ links, smallestText } = await inspectPage(
        page,
        origin,
        path,
        problems,
      ));
    } finally {
      await page.close();
    }
  } catch (error) {
    problems.push(errorText(error));
  }
  return { path, viewport, smallestText, problems, links };
}

/** `ok  /a.html at 400 px, smallest figure text 12.3 px ("label")` */
function reportLine(result: PageResult): string {
  const { path, viewport, smallestText, problems } = result;
  const figures =
    smallestText === undefined
      ? ""
      : `, smallest figure text ${smallestText.px.toFixed(1)} px (${JSON.stringify(smallestText.text)})`;
  const where = `${path} at ${viewport.name}${figures}`;
  return problems.length === 0
    ? `ok  ${where}`
    : `FAIL ${where}: ${problems.join("; ")}`;
}

// ---------------------------------------------------------------------------
// The crawl.

/**
 * Visits every page reachable from `/`, once at each width, printing a line
 * per visit. Links are followed from the desktop visit (the narrow layout
 * hides the same links behind a menu). Results go into `results` as they
 * come, so a crawl cut short by the deadline still reports the pages it did
 * check.
 */
async function crawl(
  context: BrowserContext,
  origin: string,
  results: PageResult[],
  stop: AbortSignal,
): Promise<void> {
  const queue = ["/"];
  const queued = new Set(queue);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    for (const viewport of VIEWPORTS) {
      const result = await checkPage(context, origin, path, viewport);
      // Past the deadline the browser is being closed under us: this result means nothing.
      if (stop.aborted) return;
      results.push(result);
      console.log(reportLine(result));
      if (viewport !== VIEWPORTS[0]) continue;
      for (const link of result.links) {
        if (queued.has(link)) continue;
        queued.add(link);
        queue.push(link);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Main: serve, launch, crawl, report, and always clean up.

if (!existsSync(join(DIST_DIR, "index.html"))) {
  console.error("run npm run docs:build first");
  process.exit(1);
}

const server = await startStaticServer(DIST_DIR);
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// A fresh profile every run, so nothing cached or remembered from an earlier run counts.
const profileDir = mkdtempSync(join(tmpdir(), "browser-check-"));
const results: PageResult[] = [];
// Unlike setTimeout, this timer does not keep the process alive once all is done.
const deadline = AbortSignal.timeout(OVERALL_TIMEOUT_MS);
let context: BrowserContext | undefined;
try {
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    timeout: STEP_TIMEOUT_MS,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await Promise.race([
    crawl(context, origin, results, deadline),
    once(deadline, "abort"),
  ]);
  if (deadline.aborted)
    throw new Error(`timed out after ${OVERALL_TIMEOUT_MS / 1000} s`);
} catch (error) {
  console.log(`FAIL ${errorText(error)}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  server.closeAllConnections();
  server.close();
  rmSync(profileDir, { recursive: true, force: true });
}

const failed = results.filter((result) => result.problems.length > 0).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
if (failed > 0 || results.length === 0) process.exitCode = 1;
