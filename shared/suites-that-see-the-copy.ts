/**
 * What `npm run check:exercises -- --latest` (CI's exercise check) still has
 * to run once `npm test` has passed.
 *
 * The check proves that an untouched copy of chapter NN-1, made the way
 * `npm run exercise NN` makes it, passes suites 02..NN-1. `npm test` has
 * just run those very suites against chapter NN-1 itself (project
 * `NN-1-name`). When the copy is byte for byte chapter NN-1, the two runs
 * differ in two things only, and a suite can tell them apart only through
 * one of them:
 *
 * - where the server lives (`exercises/NN-name/` instead of
 *   `chapters/NN-1-name/`): what the harness gives as `serverDir()` and
 *   `chapterMainPath()`, and what code of the server reads from its own
 *   location (`import.meta`: `main.ts` names the chapter after its folder);
 * - which chapter it is said to be: `serverChapter()` is NN, not NN-1.
 *
 * So the suites that name one of those, themselves or through a helper
 * they import, are the ones whose outcome can differ, and the ones the
 * check runs. The others would repeat the bytes and the outcome of the
 * `npm test` run. The harness itself names them all (it starts the
 * in-process server from `serverDir()`): that import of the copy's
 * `src/server.ts` is the one covered by the bytes being the same, as long as
 * no module of `src/` but `main.ts` looks at its own location. If one does,
 * or the copy is not the chapter's bytes, every suite runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "./chapters.ts";
import { importClosure } from "./import-closure.ts";

/** How a suite learns where the server under test lives, or which chapter it is. */
const SEES_THE_COPY =
  /\b(serverDir|chapterMainPath|serverChapter)\b|inject\(\s*["'](serverDir|chapterNumber)["']/;

/** The harness defines those names for every suite: see the header. */
const HARNESS = join(REPO_ROOT, "shared", "harness.ts");

/** Every file under `dir`, relative to it, `node_modules` left out. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .filter((entry) => entry.name !== "node_modules")
    .flatMap((entry) => {
      const path = join(prefix, entry.name);
      if (entry.isDirectory()) return filesUnder(dir, path);
      return entry.isFile() ? [path] : [];
    })
    .sort();
}

/** Files that differ between the two folders (missing on one side, or other bytes). */
export function differingFiles(original: string, copy: string): string[] {
  const inOriginal = filesUnder(original);
  const inCopy = new Set(filesUnder(copy));
  const differing = inOriginal.filter(
    (path) =>
      !inCopy.has(path) ||
      !readFileSync(join(original, path)).equals(
        readFileSync(join(copy, path)),
      ),
  );
  const extra = [...inCopy].filter((path) => !inOriginal.includes(path));
  return [...differing, ...extra];
}

/** Modules of `src/` but `main.ts` that read their own location. */
export function sourcesThatReadTheirLocation(serverDir: string): string[] {
  const src = join(serverDir, "src");
  return filesUnder(src).filter(
    (path) =>
      path !== "main.ts" &&
      path.endsWith(".ts") &&
      /import\.meta|__dirname|__filename/.test(
        readFileSync(join(src, path), "utf8"),
      ),
  );
}

/**
 * Of the suites in `testDirs` (folders relative to the repository, as
 * `earlierSuites` gives them), the files whose outcome can differ between
 * a byte-for-byte copy and its chapter, relative to the repository.
 */
export function suitesThatSeeTheCopy(testDirs: readonly string[]): string[] {
  const suites = testDirs.flatMap((dir) =>
    readdirSync(join(REPO_ROOT, dir))
      .filter((name) => name.endsWith(".test.ts"))
      .map((name) => join(REPO_ROOT, dir, name)),
  );
  return suites
    .filter((suite) => {
      const { files, computedImports } = importClosure(suite);
      // An import no reader can follow (the harness's aside) could reach
      // anything: such a suite runs.
      if (computedImports.some((file) => file !== HARNESS)) return true;
      return files.some(
        (file) =>
          file !== HARNESS && SEES_THE_COPY.test(readFileSync(file, "utf8")),
      );
    })
    .map((suite) => relative(REPO_ROOT, suite).split("\\").join("/"));
}
