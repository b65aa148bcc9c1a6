/**
 * The `-resp2` projects leave out the suites that
 * shared/protocol-independent-suites.ts names. These checks keep that list
 * honest, so RESP2 coverage cannot go missing without a failure:
 *
 * - a listed suite, in any chapter, creates no ioredis client, directly or
 *   through a helper of its own folder, and does not use the project's
 *   protocol: its RESP2 run would have been its RESP3 run again;
 * - every name on the list is a suite somewhere (no stale entries);
 * - vitest itself, asked which files the `-resp2` projects run, names every
 *   other suite of each chapter.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { listChapters, REPO_ROOT, speaksRedis } from "../chapters.ts";
import { PROTOCOL_INDEPENDENT_SUITES } from "../protocol-independent-suites.ts";

const chapters = listChapters().filter(speaksRedis);

/** The black-box suites of a chapter: `test/*.test.ts`, by path from the repository root. */
function suitesOf(chapterDir: string): string[] {
  const testDir = join(chapterDir, "test");
  if (!existsSync(testDir)) return [];
  return readdirSync(testDir)
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => relative(REPO_ROOT, join(testDir, name)));
}

/**
 * What would make a suite depend on the project's protocol. The harness's
 * own ioredis clients are reached only through `server.client()` (the last
 * check below holds shared/ to that).
 */
const PROTOCOL_TIES: readonly { pattern: RegExp; why: string }[] = [
  {
    pattern: /\.client\(/,
    why: "calls client(), an ioredis client that speaks the project's protocol",
  },
  {
    pattern: /^\s*import\s+(?!type\b)[^;]*from\s+"ioredis"/m,
    why: "imports ioredis to create clients of its own",
  },
  {
    // Asking whether it runs in RESP2 is harmless (here the answer is
    // always no); using the value, e.g. in a HELLO, is not.
    pattern: /inject\("protocol"\)(?!\s*===\s*2)/,
    why: 'uses the project\'s protocol (inject("protocol"))',
  },
];

/** The file and the helpers of its own folder it imports (`./x.ts`), and theirs. */
function withLocalHelpers(file: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = readFileSync(join(REPO_ROOT, path), "utf8");
    for (const match of source.matchAll(/from\s+"(\.\/[^"]+)"/g))
      visit(
        relative(REPO_ROOT, resolve(dirname(join(REPO_ROOT, path)), match[1]!)),
      );
  };
  visit(file);
  return [...seen];
}

/** Why `file` depends on the project's protocol: one line per tie found. */
function protocolTies(file: string): string[] {
  return withLocalHelpers(file).flatMap((path) => {
    const source = readFileSync(join(REPO_ROOT, path), "utf8");
    return PROTOCOL_TIES.filter(({ pattern }) => pattern.test(source)).map(
      ({ why }) => `${path} ${why}`,
    );
  });
}

describe("the suites the -resp2 projects leave out", () => {
  const listed = chapters.flatMap((chapter) =>
    suitesOf(chapter.dir).filter((file) =>
      PROTOCOL_INDEPENDENT_SUITES.includes(basename(file)),
    ),
  );

  it.each(listed)("%s does not depend on the project's protocol", (file) => {
    expect(
      protocolTies(file),
      "its RESP2 run is not a repeat of its RESP3 run: take its name off shared/protocol-independent-suites.ts (or give this suite another name)",
    ).toEqual([]);
  });

  it("names only suites that exist", () => {
    const existing = new Set(
      chapters.flatMap((chapter) =>
        suitesOf(chapter.dir).map((f) => basename(f)),
      ),
    );
    expect(
      PROTOCOL_INDEPENDENT_SUITES.filter((name) => !existing.has(name)),
    ).toEqual([]);
  });

  it("in shared/, only the harness's client() reads the project's protocol", () => {
    const readers = readdirSync(join(REPO_ROOT, "shared"))
      .filter((name) => name.endsWith(".ts"))
      .filter((name) =>
        readFileSync(join(REPO_ROOT, "shared", name), "utf8").includes(
          'inject("protocol")',
        ),
      );
    // Another reader would be a way to the protocol the checks above do
    // not look for: teach them, then add it here.
    expect(readers).toEqual(["harness.ts"]);
  });
});

describe("what vitest runs in the -resp2 projects", () => {
  it("every suite of the chapter but the listed ones", () => {
    // `vitest list` reads vitest.config.ts and matches the globs as a run
    // would, without running anything. REDIS_URL and an exercise change the
    // projects: the check is about the plain `npm test`.
    const env = { ...process.env };
    delete env.REDIS_URL;
    delete env.EXERCISE_DIR;
    delete env.EXERCISE_REPORT;
    const output = execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs"),
        "list",
        "--filesOnly",
        "--json",
        "--project",
        "*-resp2",
      ],
      { cwd: REPO_ROOT, env, encoding: "utf8" },
    );
    const listedByVitest = JSON.parse(output) as {
      file: string;
      projectName: string;
    }[];
    const actual = listedByVitest
      .map(
        ({ projectName, file }) =>
          `${projectName} ${relative(REPO_ROOT, file)}`,
      )
      .sort();
    const expected = chapters
      .flatMap((chapter) =>
        suitesOf(chapter.dir)
          .filter(
            (file) => !PROTOCOL_INDEPENDENT_SUITES.includes(basename(file)),
          )
          .map((file) => `${chapter.id}-resp2 ${file}`),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
