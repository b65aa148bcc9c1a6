/**
 * What each vitest project runs. Kept apart from vitest.config.ts as a plain
 * function of its inputs, so the repository checks can test the rules.
 *
 * Project `NN-name` starts chapter NN's server and runs against it every
 * black-box suite from chapter 02 up to NN (the cumulative matrix: a later
 * chapter must not break an earlier one), plus chapter NN's own unit tests.
 * Chapter 01's echo suite runs only against chapter 01.
 *
 * Those projects speak RESP3, ioredis's default. Project `NN-name-resp2`
 * runs chapter NN's own black-box suites again with clients that speak
 * RESP2, so that every suite that talks through ioredis runs in both
 * protocols without doubling the whole matrix. The suites that create no
 * ioredis client (raw sockets, node-redis, redis-cli: the list is in
 * shared/protocol-independent-suites.ts) would repeat their RESP3 run, and
 * run once. Against an external server (REDIS_URL) there is no matrix, so
 * there the RESP2 project takes every such suite from 02 up to NN.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT, speaksRedis, type Chapter } from "./chapters.ts";
import { closureFingerprint } from "./import-closure.ts";
import { PROTOCOL_INDEPENDENT_SUITES } from "./protocol-independent-suites.ts";

export interface ChapterProject {
  name: string;
  /** Globs relative to the repository root. */
  include: string[];
  /** The folder whose `src/server.ts` the suites start. */
  serverDir: string;
  /**
   * The chapter the project tests (also for a learner's copy): a suite of
   * an earlier chapter asks it when a later chapter changed the rule it
   * tests (see `serverChapter` in harness.ts).
   */
  chapterNumber: number;
  /** False for the echo chapter, whose suite must never talk to REDIS_URL. */
  speaksRedis: boolean;
  /** The protocol the harness's ioredis clients speak (shared/harness.ts). */
  protocol: 2 | 3;
}

export interface ProjectOptions {
  /**
   * Set by `npm run exercise NN`: start the learner's copy in this folder
   * instead of the chapter's own server. Unit tests are left out then: they
   * import the reference code directly and would pass whatever the learner wrote.
   */
  exerciseDir?: string | undefined;
  /**
   * True when the suites test another server (REDIS_URL, the fidelity
   * run): unit tests are left out too, since they test our modules
   * whatever the server, and have run already.
   */
  fidelity?: boolean;
  /**
   * True for a run of every project (plain `npm test`): a unit test that
   * runs exactly the bytes an earlier chapter's does, itself and every
   * module it reaches, runs in that chapter's project only
   * (see `unitTestsToRun`).
   */
  unitTestsOnce?: boolean;
}

/** Black-box suites live in `test/`, unit tests in `test/unit/`. */
export function chapterProjects(
  chapters: readonly Chapter[],
  options: ProjectOptions = {},
): ChapterProject[] {
  const unitTests =
    options.unitTestsOnce === true ? unitTestsToRun(chapters) : undefined;
  return chapters.map((chapter) => {
    const blackBoxChapters = speaksRedis(chapter)
      ? chapters.filter((c) => speaksRedis(c) && c.number <= chapter.number)
      : [chapter];
    const include = blackBoxChapters.map(
      (c) => `chapters/${c.id}/test/*.test.ts`,
    );
    if (options.exerciseDir === undefined && options.fidelity !== true)
      include.push(
        ...(unitTests?.get(chapter.id) ?? [
          `chapters/${chapter.id}/test/unit/**/*.test.ts`,
        ]),
      );
    return {
      name: chapter.id,
      include,
      serverDir: options.exerciseDir ?? chapter.dir,
      chapterNumber: chapter.number,
      speaksRedis: speaksRedis(chapter),
      protocol: 3,
    };
  });
}

/**
 * Each chapter's unit test files (relative to the repository), but those
 * that run the same bytes as a unit test of an earlier chapter. Chapters
 * are copies that grow: chapter 07's `test/unit/dict.test.ts` is often
 * chapter 06's, and so is the dict it tests. When the test file and every
 * module it imports, directly or not, are byte for byte the same in both
 * (shared/import-closure.ts, which also leaves out any test that could
 * tell the two chapters apart), chapter 07's run would repeat chapter 06's
 * to the byte: it runs once, in the earlier project. Only for a run of
 * every project (`unitTestsOnce`): `npm run test:chapter 07` runs them all.
 */
export function unitTestsToRun(
  chapters: readonly Chapter[],
): Map<string, string[]> {
  const seen = new Set<string>();
  const toRun = new Map<string, string[]>();
  // The chapters' modules are read once each, not once per closure.
  const sources = new Map<string, string>();
  const read = (path: string): string => {
    if (!sources.has(path)) sources.set(path, readFileSync(path, "utf8"));
    return sources.get(path)!;
  };
  for (const chapter of chapters) {
    const unitDir = join(chapter.dir, "test", "unit");
    const files = existsSync(unitDir) ? testFilesUnder(unitDir) : [];
    toRun.set(
      chapter.id,
      files
        .filter((file) => {
          const fingerprint = closureFingerprint(file, chapter.dir, read);
          if (fingerprint === undefined) return true;
          if (seen.has(fingerprint)) return false;
          seen.add(fingerprint);
          return true;
        })
        .map((file) => relative(REPO_ROOT, file).split("\\").join("/")),
    );
  }
  return toRun;
}

/** The `*.test.ts` files under `dir`, at any depth, sorted. */
function testFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFilesUnder(path);
      return entry.name.endsWith(".test.ts") ? [path] : [];
    })
    .sort();
}

/**
 * The RESP2 projects: for each chapter that speaks Redis, its own suites
 * (or, with `cumulative`, every suite from 02 up to it) with RESP2 clients,
 * except the protocol-independent ones. No unit tests: the RESP3 project
 * already runs them.
 */
export function resp2Projects(
  chapters: readonly Chapter[],
  { cumulative }: { cumulative: boolean },
): ChapterProject[] {
  const suiteFiles = suitesExcept(PROTOCOL_INDEPENDENT_SUITES);
  return chapters.filter(speaksRedis).map((chapter) => {
    const suites = cumulative
      ? chapters.filter((c) => speaksRedis(c) && c.number <= chapter.number)
      : [chapter];
    return {
      name: `${chapter.id}-resp2`,
      include: suites.map((c) => `chapters/${c.id}/test/${suiteFiles}`),
      serverDir: chapter.dir,
      chapterNumber: chapter.number,
      speaksRedis: true,
      protocol: 2,
    };
  });
}

/**
 * A glob for the `*.test.ts` files of one folder but `names`:
 * `!(framing.test|node-redis.test)*.test.ts`. Each name keeps its `.test`
 * inside the `!(...)`, because the negation only looks at how a file name
 * begins: `!(framing).test.ts` would leave out `framing-limits.test.ts` too.
 * (shared/checks/resp2-projects.test.ts asks vitest which files it runs.)
 */
export function suitesExcept(names: readonly string[]): string {
  if (names.length === 0) return "*.test.ts";
  const stems = names.map((name) => name.replace(/\.ts$/, ""));
  return `!(${stems.join("|")})*.test.ts`;
}
