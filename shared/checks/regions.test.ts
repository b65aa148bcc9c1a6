/**
 * The site shows code only through VitePress imports such as
 * `<<< @/../chapters/01-tcp-echo/src/server.ts#accept`. VitePress silently
 * inlines the whole file when the region is misspelled, and the build still
 * passes, so this check makes sure every referenced file and region exists,
 * and that region markers in the chapters are well formed.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CHAPTERS_DIR, REPO_ROOT } from "../chapters.ts";

const SITE_DIR = join(REPO_ROOT, "site");

/** Every file below `dir` whose name passes `keep`, skipping build output and dependencies. */
function filesBelow(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !/[/\\](node_modules|dist|cache)[/\\]/.test(path));
}

interface CodeImport {
  markdown: string;
  line: number;
  file: string;
  region: string | undefined;
}

/** `<<< path#region{highlights lang} [title]` lines of every markdown page. */
function codeImports(): CodeImport[] {
  const imports: CodeImport[] = [];
  for (const markdown of filesBelow(SITE_DIR, (name) => name.endsWith(".md"))) {
    readFileSync(markdown, "utf8")
      .split("\n")
      .forEach((text, index) => {
        const match =
          /^<<<\s+(\S+?)(?:#([\w-]+))?(?:\{[^}]*\})?(?:\s+\[[^\]]*\])?\s*$/.exec(
            text.trim(),
          );
        if (match === null) {
          // A `<<<` line we cannot read is a line we cannot check: refuse it.
          if (text.trim().startsWith("<<<")) {
            imports.push({
              markdown: relative(REPO_ROOT, markdown),
              line: index + 1,
              file: `(unreadable import: ${text.trim()})`,
              region: undefined,
            });
          }
          return;
        }
        const path = match[1]!;
        const file = path.startsWith("@/")
          ? join(SITE_DIR, path.slice(2))
          : resolve(dirname(markdown), path);
        imports.push({
          markdown: relative(REPO_ROOT, markdown),
          line: index + 1,
          file,
          region: match[2],
        });
      });
  }
  return imports;
}

/** Region names opened in a source file, with their problems (unclosed, closed twice...). */
function regionsOf(source: string): { names: Set<string>; problems: string[] } {
  const names = new Set<string>();
  const problems: string[] = [];
  const open: string[] = [];
  for (const line of source.split("\n")) {
    const marker = /^\s*\/\/\s*#(region|endregion)\b\s*([\w-]*)\s*$/.exec(line);
    if (marker === null) continue;
    const [, kind, name] = marker;
    if (kind === "region") {
      if (name === "") problems.push("a #region without a name");
      if (names.has(name!)) problems.push(`region '${name}' opened twice`);
      names.add(name!);
      open.push(name!);
    } else {
      const closing = open.pop();
      if (closing === undefined)
        problems.push(`#endregion ${name} without a #region`);
      else if (name !== "" && name !== closing)
        problems.push(`#endregion ${name} closes region '${closing}'`);
    }
  }
  for (const name of open) problems.push(`region '${name}' is never closed`);
  return { names, problems };
}

describe("code shown on the site", () => {
  const imports = codeImports();

  it("the site imports code from the chapters", () => {
    expect(imports.length).toBeGreaterThan(0);
  });

  it.each(imports.map((i) => [`${i.markdown}:${i.line}`, i] as const))(
    "%s names a file and region that exist",
    (_, i) => {
      expect(existsSync(i.file), `${relative(REPO_ROOT, i.file)} exists`).toBe(
        true,
      );
      expect(
        i.region,
        "every import names a region: whole files are too long to read in an article",
      ).toBeDefined();
      const { names } = regionsOf(readFileSync(i.file, "utf8"));
      expect([...names], `regions of ${relative(REPO_ROOT, i.file)}`).toContain(
        i.region,
      );
    },
  );
});

describe("region markers in chapter code", () => {
  const sources = filesBelow(CHAPTERS_DIR, (name) => name.endsWith(".ts"));

  it.each(sources.map((path) => [relative(REPO_ROOT, path), path] as const))(
    "%s",
    (_, path) => {
      expect(regionsOf(readFileSync(path, "utf8")).problems).toEqual([]);
    },
  );
});
