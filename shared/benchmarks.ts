/**
 * The benchmark data file, `site/data/benchmarks.json`: its shape, and the
 * pure steps between redis-benchmark's output and that file.
 *
 * `npm run bench` (shared/scripts/bench.ts) runs the servers and writes the
 * file; the site's benchmark page (site/.vitepress/theme/BenchChart.vue)
 * imports it and draws it. This module is the contract between the two, and
 * it imports nothing, so the browser bundle can use it as well as Node.
 *
 * One entry per chapter, each carrying the machine it was measured on:
 * re-running one chapter replaces that chapter's entry and keeps the others,
 * which may come from another day or another machine.
 */

/** Where the data file lives, relative to the repository root. */
export const BENCH_DATA_FILE = "site/data/benchmarks.json";

/** The whole file. */
export interface BenchFile {
  /** A sentence for whoever opens the file: where it comes from. */
  about: string;
  /** Sorted by chapter folder name; at most one entry per chapter. */
  chapters: ChapterBench[];
}

/** One chapter's latest run: what was measured, on what, and the figures. */
export interface ChapterBench {
  /** The chapter folder, e.g. `02-resp-parser`. */
  chapter: string;
  /**
   * Settings both servers ran with besides the defaults, e.g. `appendonly
   * everysec` (`--appendonly yes --appendfsync everysec`); absent for the
   * defaults. A chapter can have one entry per variant.
   */
  variant?: string;
  /** Day of the run, `YYYY-MM-DD`: no time of day, so diffs stay small. */
  date: string;
  machine: {
    /** `os.cpus()[0].model`, e.g. `AMD EPYC`. */
    cpu: string;
    /** Cores Node may use (`os.availableParallelism()`). */
    cores: number;
    /** `linux x64` and the like. */
    platform: string;
  };
  /** `process.version` of the Node that ran the chapter, e.g. `v20.20.2`. */
  node: string;
  /** Real Redis's version, or null: redis-server was not installed, only ours ran. */
  redisServer: string | null;
  /** redis-benchmark's version. */
  redisBenchmark: string;
  /** How many times each measurement ran; the figures are the medians. */
  rounds: number;
  /**
   * The exact command lines, minus `-h` and `-p`: per pipeline depth,
   * redis-benchmark's that runs its `-t` tests, then one per custom
   * command (`... --csv ZRANGE myzset 0 99`), then, from chapter 07, one
   * per request of several commands, which redis-benchmark cannot send
   * and shared/scripts/request-driver.ts does, written the same way
   * (`request-driver -c 50 -n 30000 -P 1 MULTI; SET ...; GET ...; EXEC`).
   */
  commands: string[];
  /** Sorted by pipeline depth, then in redis-benchmark's own test order. */
  results: BenchResult[];
}

/** One test at one pipeline depth. */
export interface BenchResult {
  /** The test as redis-benchmark's `--csv` names it: `PING_INLINE`, `MSET (10 keys)`. */
  test: string;
  /** redis-benchmark's `-P`: requests each client sends before reading replies. */
  pipeline: number;
  /** Our server's median requests per second, rounded. */
  ours: number;
  /** Real Redis's median requests per second, or null when it did not run. */
  redis: number | null;
  /** `ours / redis` to two decimals (1 = as fast as Redis), null without Redis. */
  ratio: number | null;
}

/** How an entry is named on the site and told apart in the file: `05-aof (appendonly everysec)`. */
export function benchLabel(entry: ChapterBench): string {
  return entry.variant === undefined
    ? entry.chapter
    : `${entry.chapter} (${entry.variant})`;
}

/** The `about` line every written file carries. */
export const ABOUT =
  "Written by `npm run bench` (shared/scripts/bench.ts) and drawn by site/reference/benchmarks.md. Re-run the command rather than editing by hand.";

/**
 * The requests per second in redis-benchmark's `--csv` output, by test name,
 * in the order the tests ran. The output is a header line
 * `"test","rps","avg_latency_ms",...` and one line per test, every field
 * quoted. Anything else is a sign that the output format changed: throw
 * rather than record a wrong figure.
 */
export function parseBenchmarkCsv(text: string): Map<string, number> {
  const rows = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map(splitCsvLine);
  const [header, ...body] = rows;
  if (header?.[0] !== "test" || header[1] !== "rps") {
    throw new Error(
      `redis-benchmark --csv output has no "test","rps" header: ${JSON.stringify(text.slice(0, 200))}`,
    );
  }
  const perSecond = new Map<string, number>();
  for (const [test, rps] of body) {
    const value = Number(rps);
    if (test === undefined || test === "" || !(value > 0)) {
      throw new Error(
        `unexpected redis-benchmark --csv line: ${JSON.stringify([test, rps])}`,
      );
    }
    perSecond.set(test, value);
  }
  return perSecond;
}

/**
 * redis-benchmark's `--csv` output with what `--cluster` prints before it
 * taken off: "Cluster has 3 master nodes:" and a line per master, on the
 * same stream as the figures. Left as it is when there are none;
 * parseBenchmarkCsv still refuses output without its header.
 */
export function withoutClusterPreamble(text: string): string {
  const header = text.indexOf('"test","rps"');
  return header === -1 ? text : text.slice(header);
}

/**
 * Whether a line of redis-benchmark's output is the setup of another test
 * rather than a test: `-t lrange_100` (and lrange_300 and the like) first
 * fills its list and reports that as `LPUSH (needed to benchmark LRANGE)`.
 * It measures LPUSH once more, so it is not kept as a figure of its own.
 */
export function isSetupStep(test: string): boolean {
  return /\(needed to benchmark /.test(test);
}

/** `figures` without redis-benchmark's setup steps (see isSetupStep), in the same order. */
export function withoutSetupSteps(
  figures: ReadonlyMap<string, number>,
): Map<string, number> {
  return new Map([...figures].filter(([test]) => !isSetupStep(test)));
}

/** `"a","b,c",d` → `["a", "b,c", "d"]`; `""` inside quotes is one `"`. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Our speed relative to Redis's, to two decimals; null without a Redis figure. */
export function ratioToRedis(
  ours: number,
  redis: number | null,
): number | null {
  return redis === null ? null : Math.round((ours / redis) * 100) / 100;
}

/**
 * The file after a run: the fresh entries replace those of the same
 * chapters, every other chapter's entry stays as it was, and the list is
 * sorted by chapter so that the file's line order never depends on which
 * chapter ran last.
 */
export function mergeRuns(
  previous: BenchFile | undefined,
  fresh: readonly ChapterBench[],
): BenchFile {
  const byLabel = new Map<string, ChapterBench>();
  for (const entry of previous?.chapters ?? [])
    byLabel.set(benchLabel(entry), entry);
  for (const entry of fresh) byLabel.set(benchLabel(entry), entry);
  const chapters = [...byLabel.values()].sort((a, b) => {
    const [x, y] = [benchLabel(a), benchLabel(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { about: ABOUT, chapters: chapters.map(withKeysInOrder) };
}

/**
 * The same entry with its keys in the documented order, whatever order they
 * were read in: JSON.stringify writes keys in insertion order, and a stable
 * order keeps diffs down to the figures that changed.
 */
function withKeysInOrder(entry: ChapterBench): ChapterBench {
  return {
    chapter: entry.chapter,
    ...(entry.variant === undefined ? {} : { variant: entry.variant }),
    date: entry.date,
    machine: {
      cpu: entry.machine.cpu,
      cores: entry.machine.cores,
      platform: entry.machine.platform,
    },
    node: entry.node,
    redisServer: entry.redisServer,
    redisBenchmark: entry.redisBenchmark,
    rounds: entry.rounds,
    commands: [...entry.commands],
    results: [...entry.results]
      .sort((a, b) => a.pipeline - b.pipeline) // stable: keeps the test order
      .map(({ test, pipeline, ours, redis, ratio }) => ({
        test,
        pipeline,
        ours,
        redis,
        ratio,
      })),
  };
}

// ---------------------------------------------------------------------------
// Reading the file back. It is committed and edited by people (merges,
// conflict resolutions), so the script checks it before adding to it, and
// the site before drawing it.

/** Checks that `value` (parsed JSON) has the shape of a BenchFile; throws saying where not. */
export function parseBenchFile(value: unknown): BenchFile {
  const file = record(value, "the file");
  const chapters = list(file.chapters, "chapters").map((item, index) =>
    parseChapter(item, `chapters[${index}]`),
  );
  const ids = chapters.map(benchLabel);
  if (new Set(ids).size !== ids.length)
    throw new Error(`${BENCH_DATA_FILE}: a chapter and variant appear twice`);
  return { about: text(file.about, "about"), chapters };
}

function parseChapter(value: unknown, where: string): ChapterBench {
  const entry = record(value, where);
  const machine = record(entry.machine, `${where}.machine`);
  return {
    chapter: text(entry.chapter, `${where}.chapter`),
    ...(entry.variant === undefined
      ? {}
      : { variant: text(entry.variant, `${where}.variant`) }),
    date: text(entry.date, `${where}.date`),
    machine: {
      cpu: text(machine.cpu, `${where}.machine.cpu`),
      cores: count(machine.cores, `${where}.machine.cores`),
      platform: text(machine.platform, `${where}.machine.platform`),
    },
    node: text(entry.node, `${where}.node`),
    redisServer:
      entry.redisServer === null
        ? null
        : text(entry.redisServer, `${where}.redisServer`),
    redisBenchmark: text(entry.redisBenchmark, `${where}.redisBenchmark`),
    rounds: count(entry.rounds, `${where}.rounds`),
    commands: list(entry.commands, `${where}.commands`).map((item, i) =>
      text(item, `${where}.commands[${i}]`),
    ),
    results: list(entry.results, `${where}.results`).map((item, i) =>
      parseResult(item, `${where}.results[${i}]`),
    ),
  };
}

function parseResult(value: unknown, where: string): BenchResult {
  const result = record(value, where);
  const optional = (field: unknown, name: string): number | null =>
    field === null ? null : positive(field, `${where}.${name}`);
  const parsed = {
    test: text(result.test, `${where}.test`),
    pipeline: count(result.pipeline, `${where}.pipeline`),
    ours: positive(result.ours, `${where}.ours`),
    redis: optional(result.redis, "redis"),
    ratio: optional(result.ratio, "ratio"),
  };
  if ((parsed.redis === null) !== (parsed.ratio === null))
    throw new Error(
      `${BENCH_DATA_FILE}: ${where}: redis and ratio must both be set or both be null`,
    );
  return parsed;
}

function fail(where: string, what: string): never {
  throw new Error(`${BENCH_DATA_FILE}: ${where} should be ${what}`);
}
function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(where, "an object");
  return value as Record<string, unknown>;
}
function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, "an array");
  return value;
}
function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "")
    fail(where, "a non-empty string");
  return value;
}
function positive(value: unknown, where: string): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value))
    fail(where, "a positive number");
  return value;
}
function count(value: unknown, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 1)
    fail(where, "a whole number of at least 1");
  return value as number;
}
