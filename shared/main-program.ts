/**
 * The command line that runs a chapter's `src/main.ts` as a program, for the
 * tests that need a process (shared/child-server.ts) and for cluster nodes
 * (shared/cluster-forming.ts, which `npm run cluster` uses too).
 *
 * `node --import tsx main.ts` works, but each start pays for tsx: its loader
 * thread, then a resolve and a load through it for every one of the ~170
 * modules of a chapter. A start of chapter 08's server takes 1.35 s of CPU
 * that way (0.85 s on a quiet machine, 3-5 s on a loaded one), against
 * 0.24 s of CPU for the same modules as one file, and a test run starts
 * hundreds of servers and cluster nodes. So the program is the chapter's modules bundled into one
 * file by esbuild, the compiler tsx itself runs (we ask tsx's own copy), with
 * the same tsconfig: the same code, compiled the same way, loaded at once.
 *
 * The bundle is rebuilt whenever a byte of `src/` changes (its folder is
 * named after a hash of them), so a test never runs stale code, in watch
 * mode or in a learner's exercise copy. It sits in
 * `node_modules/.cache/rfs-main/HASH/CHAPTER/src/main.mjs`: the same folder
 * names as the chapter, so that `main.ts`, which names the chapter after
 * its folder (`import.meta.dirname`), says the same; and under the
 * repository, so that a package import would resolve as it does from
 * `src/`.
 *
 * Plain `node --import tsx main.ts` remains the command whenever a bundle
 * could behave differently, or cannot be built: a module of `src/` other
 * than `main.ts` that reads its own location or how it was started (in a
 * bundle, those are the bundle's), or a source esbuild refuses (a learner's syntax error, then
 * reported by tsx exactly as `npm run chapter` would). `MAIN_VIA_TSX=1`
 * asks for tsx every time, to compare or to rule the bundle out.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { REPO_ROOT } from "./chapters.ts";

/** The esbuild that tsx runs (not a package of ours: tsx's own dependency). */
type Esbuild = typeof import("esbuild");
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))(
  "esbuild",
) as Esbuild;

const CACHE = join(REPO_ROOT, "node_modules", ".cache", "rfs-main");

/** Code that reads its own location or command line: in a bundle, it would read the bundle's. */
const READS_ITS_LOCATION =
  /import\.meta|__dirname|__filename|process\.argv|process\.execArgv/;

/** The chapter's source files, relative to `src/`, sorted. */
function sourceFiles(srcDir: string, prefix = ""): string[] {
  return readdirSync(join(srcDir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(prefix, entry.name);
      if (entry.isDirectory()) return sourceFiles(srcDir, path);
      return entry.isFile() ? [path] : [];
    })
    .sort();
}

/** Bundles built by this process, by `main.ts` path: hashing `src/` once per start would do. */
const built = new Map<string, string | undefined>();

/**
 * The bundle of `mainPath` (built now if this source has none yet), or
 * undefined when the program must run through tsx (see the header).
 */
function bundleOf(mainPath: string): string | undefined {
  const srcDir = dirname(mainPath);
  // Whatever else shapes the output: the compiler, its target, the tsconfig.
  const hash = createHash("sha256")
    .update(`${esbuild.version}\0${process.versions.node}\0`)
    .update(readFileSync(join(REPO_ROOT, "tsconfig.json")));
  for (const path of sourceFiles(srcDir)) {
    const bytes = readFileSync(join(srcDir, path));
    if (path !== basename(mainPath) && READS_ITS_LOCATION.test(String(bytes)))
      return undefined;
    hash.update(`${path}\0`).update(bytes).update("\0");
  }
  const chapterFolder = basename(dirname(srcDir));
  const bundle = join(
    CACHE,
    hash.digest("hex").slice(0, 16),
    chapterFolder,
    "src",
    "main.mjs",
  );
  if (existsSync(bundle)) return bundle;
  forgetOldBundles();
  mkdirSync(dirname(bundle), { recursive: true });
  // Test files run side by side and may build the same bundle at once:
  // each writes its own file, and the rename that publishes it is atomic.
  const partial = `${bundle}.${process.pid}.partial`;
  try {
    esbuild.buildSync({
      entryPoints: [mainPath],
      outfile: partial,
      bundle: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node}`,
      packages: "external",
      tsconfig: join(REPO_ROOT, "tsconfig.json"),
      logLevel: "silent",
    });
    renameSync(partial, bundle);
    return bundle;
  } catch {
    rmSync(partial, { force: true });
    return undefined;
  }
}

/**
 * Every edit of `src/` makes a new bundle (600 kB for chapter 08): those
 * of sources older than a day go, which no run still in progress uses.
 */
function forgetOldBundles(): void {
  if (!existsSync(CACHE)) return;
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of readdirSync(CACHE)) {
    const dir = join(CACHE, entry);
    if (statSync(dir).mtimeMs < dayAgo)
      rmSync(dir, { recursive: true, force: true });
  }
}

/** The command (program and its first arguments) that runs `mainPath`; add the server's arguments. */
export function mainProgram(mainPath: string): string[] {
  if (!built.has(mainPath))
    built.set(
      mainPath,
      process.env.MAIN_VIA_TSX === "1" ? undefined : bundleOf(mainPath),
    );
  const bundle = built.get(mainPath);
  return bundle === undefined
    ? [process.execPath, "--import", "tsx", mainPath]
    : [process.execPath, bundle];
}
