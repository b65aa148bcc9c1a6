/**
 * Chapters are snapshots: each one runs on its own files, Node's built-ins
 * and the runtime packages package.json declares (`dependencies`, not the
 * tools in `devDependencies`), never on another chapter's code or on the
 * test tooling. Otherwise a learner copying one chapter folder
 * would get a server that does not start, and a fix in one chapter would
 * silently change another.
 */
import { describe, expect, it } from "vitest";
import { builtinModules } from "node:module";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { listChapters, REPO_ROOT } from "../chapters.ts";

const manifest = JSON.parse(
  readFileSync(join(REPO_ROOT, "package.json"), "utf8"),
) as { dependencies?: Record<string, string> };
const runtimePackages = new Set(Object.keys(manifest.dependencies ?? {}));

/** The module specifiers a TypeScript file imports (static and dynamic imports, re-exports). */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;
  for (const match of source.matchAll(pattern))
    found.push((match[1] ?? match[2] ?? match[3])!);
  return found;
}

/** Why an import is not allowed in a chapter's runtime code, or undefined if it is fine. */
function problemWith(
  specifier: string,
  file: string,
  chapterDir: string,
): string | undefined {
  if (specifier.startsWith(".")) {
    const target = resolve(dirname(file), specifier);
    if (!target.startsWith(chapterDir + sep))
      return `reaches outside its chapter: ${relative(REPO_ROOT, target)}`;
    if (!existsSync(target))
      return `imports a file that does not exist: ${relative(REPO_ROOT, target)}`;
    return undefined;
  }
  if (specifier.startsWith("node:")) {
    return builtinModules.includes(specifier.slice(5))
      ? undefined
      : `unknown built-in ${specifier}`;
  }
  const packageName = specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : specifier.split("/")[0]!;
  return runtimePackages.has(packageName)
    ? undefined
    : `imports '${specifier}', which package.json's dependencies do not declare (use node: for built-ins)`;
}

describe.each(listChapters().map((c) => [c.id, c] as const))(
  "chapter %s",
  (_, chapter) => {
    const sourceDir = join(chapter.dir, "src");
    const files = readdirSync(sourceDir, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(sourceDir, name));

    it("has runtime code", () => {
      expect(files.length).toBeGreaterThan(0);
    });

    it.each(files.map((file) => [relative(chapter.dir, file), file] as const))(
      "%s imports only its own chapter, built-ins and declared packages",
      (_, file) => {
        const problems = importsOf(readFileSync(file, "utf8"))
          .map((specifier) => problemWith(specifier, file, chapter.dir))
          .filter((problem) => problem !== undefined);
        expect(problems).toEqual([]);
      },
    );
  },
);

describe("the import scanner itself", () => {
  it("sees every kind of import", () => {
    const source = [
      `import { a } from "./a.ts";`,
      `import type { B } from "../b.ts";`,
      `import "./side-effect.ts";`,
      `export { c } from "./c.ts";`,
      `const d = await import("./d.ts");`,
      `import {\n  e,\n  f,\n} from "node:net";`,
    ].join("\n");
    expect(importsOf(source)).toEqual([
      "./a.ts",
      "../b.ts",
      "./side-effect.ts",
      "./c.ts",
      "./d.ts",
      "node:net",
    ]);
  });

  it("refuses a reach into another chapter or the test tooling", () => {
    const chapterDir = join(REPO_ROOT, "chapters", "02-resp-parser");
    const file = join(chapterDir, "src", "server.ts");
    expect(
      problemWith("../../01-tcp-echo/src/config.ts", file, chapterDir),
    ).toMatch(/reaches outside its chapter/);
    expect(problemWith("../../../shared/harness.ts", file, chapterDir)).toMatch(
      /reaches outside its chapter/,
    );
    expect(problemWith("left-pad", file, chapterDir)).toMatch(/do not declare/);
    expect(problemWith("node:net", file, chapterDir)).toBeUndefined();
    expect(problemWith("node:nope", file, chapterDir)).toMatch(
      /unknown built-in/,
    );
  });
});
