/**
 * Which of our own files a file runs: itself, the files it imports with a
 * relative path (`./x.ts`, `../../../shared/harness.ts`), theirs, and so on.
 * Package imports (`ioredis`, `node:net`) are left out: they are the same
 * for every chapter, pinned by the lockfile.
 *
 * Two test-time savings rest on it (see shared/projects.ts and
 * shared/scripts/check-exercises.ts): a unit test whose whole closure is
 * byte for byte another chapter's runs once, and the exercise check knows
 * which suites look at where the server lives. Both must see every file a
 * test can run, so anything this reader cannot follow (an `import()` of a
 * computed path) is reported, and the callers then take the safe side.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

/** `from "./x.ts"`, `import "./x.ts"`, `import("./x.ts")`, `export ... from "./x.ts"`. */
const STATIC_IMPORT =
  /\bfrom\s*["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']/g;
/** An `import(` whose argument is not a plain string: a path computed at run time. */
const COMPUTED_IMPORT = /\bimport\s*\(\s*(?!["'])/;

export interface ImportClosure {
  /** Absolute paths, the starting file first, each once. */
  files: string[];
  /** Files with an `import()` of a computed path, which no reader can follow. */
  computedImports: string[];
}

/** Reads a source file; callers that look at many closures pass one that remembers. */
export type ReadSource = (path: string) => string;

const readSource: ReadSource = (path) => readFileSync(path, "utf8");

/** The closure of `file` (an absolute path). */
export function importClosure(
  file: string,
  read: ReadSource = readSource,
): ImportClosure {
  const files: string[] = [];
  const computedImports: string[] = [];
  const pending = [file];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (files.includes(current)) continue;
    files.push(current);
    const text = read(current);
    if (COMPUTED_IMPORT.test(text)) computedImports.push(current);
    for (const match of text.matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith(".")) continue;
      const target = resolve(dirname(current), specifier);
      // A relative import that names no file fails when the test runs;
      // here it has nothing to add.
      if (existsSync(target)) pending.push(target);
    }
  }
  return { files, computedImports };
}

/** Ways a module can behave differently for the same bytes: its project's values, its own location. */
const SEES_ITS_SURROUNDINGS = /\binject\(|import\.meta|__dirname|__filename/;

/**
 * A fingerprint of everything `file` runs, equal for two files exactly
 * when they run the same bytes the same way: each file of the closure by
 * its path relative to `ownDir` (the chapter folder) and its content, so
 * that chapter 06's `test/unit/dict.test.ts` and chapter 07's match when
 * the test and every module it reaches are the same in both. Undefined
 * when the closure cannot be known, or when a file of it could tell the
 * two chapters apart with the same bytes (it reads its project's values
 * with `inject`, or its own location): such a test is its own.
 */
export function closureFingerprint(
  file: string,
  ownDir: string,
  read: ReadSource = readSource,
): string | undefined {
  const { files, computedImports } = importClosure(file, read);
  if (computedImports.length > 0) return undefined;
  const hash = createHash("sha256");
  const byName = files.map((path) => ({ path, name: relative(ownDir, path) }));
  byName.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const { path, name } of byName) {
    const text = read(path);
    if (SEES_ITS_SURROUNDINGS.test(text)) return undefined;
    hash.update(`${name}\0${text}\0`);
  }
  return hash.digest("hex");
}
