/**
 * `npm run bench [-- NN ...]`: how fast is a chapter's server, next to real
 * Redis, on this machine? A benchmark, not a test: nothing in `npm test`
 * depends on it or on timing.
 *
 * For each chapter named (none = every chapter from 02 on), it starts the
 * chapter's server as a child process (`node --import tsx
 * chapters/NN/src/main.ts --port 0`, ready when its banner says where it
 * listens) and, when `redis-server` is installed, a real Redis beside it
 * (`--save '' --appendonly no`: no disk in the way). Then it points
 * `redis-benchmark` at each of them in turn:
 *
 * - from chapter 03 on, a FLUSHALL before every run, so that no run finds
 *   what the one before it wrote;
 * - redis-benchmark's own tests (`-t`) in one run, then each custom
 *   command (ZRANGE, which redis-benchmark has no test for) in a run of
 *   its own, on data written right before it, then each request of
 *   several commands (a transaction: MULTI, SET, GET, EXEC), which
 *   redis-benchmark cannot send, by a driver of ours that sends it the
 *   way redis-benchmark sends one command (request-driver.ts);
 * - one warm-up run each, thrown away (Node compiles hot code as it runs);
 * - ROUNDS rounds; in each, at every pipeline depth (`-P 1`, `-P 16`), one
 *   run against each server. Interleaved, so a slow patch of a shared machine
 *   hits both servers alike, and in alternating order (ours first in odd
 *   rounds, Redis first in even ones), so neither is always the one that
 *   runs second;
 * - the figure kept per test is the median of the rounds.
 *
 * The results go to site/data/benchmarks.json (schema in shared/benchmarks.ts),
 * replacing the entries of the chapters that ran and keeping the others; the
 * site's benchmark page draws it. Without redis-server, only our servers run
 * and the entry records Redis as absent. Without redis-benchmark, nothing can
 * run: it says how to install it and exits 1.
 *
 * Every child process (servers, redis-benchmark) is stopped on every way
 * out: success, an error, Ctrl-C. REDIS_SERVER and REDIS_BENCHMARK name other
 * binaries than the ones on PATH.
 *
 * From chapter 08 on (a chapter with a src/cluster/ folder), one more
 * entry: the chapter as a cluster of three nodes, formed as `npm run
 * cluster` forms one, against three real redis-server nodes formed the
 * same way, measured by `redis-benchmark --cluster -t set,get` (see
 * benchCluster). With chapter 08's proxy mode (`cluster-proxy yes`, not
 * Redis), one more: one key through a node that forwards it to its owner,
 * and direct to the owner (see benchProxy).
 *
 * `npm run bench -- NN --quick` checks that every run of the chapter works
 * against both servers, in seconds: one round, a hundredth of the
 * requests, no warm-up, and nothing written.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { format, resolveConfig } from "prettier";
import { freePort, redisServerArgs, waitForPong } from "./local-redis.ts";
import {
  formCluster,
  freePortPair,
  NodeProcess,
  type NodeKind,
} from "../cluster-forming.ts";
import {
  BENCH_DATA_FILE,
  benchLabel,
  mergeRuns,
  median,
  parseBenchFile,
  parseBenchmarkCsv,
  ratioToRedis,
  withoutClusterPreamble,
  withoutSetupSteps,
  type BenchFile,
  type BenchResult,
  type ChapterBench,
} from "../benchmarks.ts";
import {
  listChapters,
  REPO_ROOT,
  resolveChapter,
  whyNoChapter,
  type Chapter,
} from "../chapters.ts";
import { exitWithUsage } from "./command-line.ts";
import { driveRequests } from "./request-driver.ts";

const USAGE =
  "npm run bench [-- NN ... [--quick]]   (no chapter: every chapter from 02)";

// ---------------------------------------------------------------------------
// What is measured. Change these and the figures are no longer comparable
// with the committed ones: re-run every chapter.

/**
 * The redis-benchmark tests (its `-t` names) each chapter adds. A chapter
 * runs the tests of its own line and of every line before it, so list a test
 * at the first chapter that answers every command the test sends (a test
 * whose command gets an error reply makes redis-benchmark stop with exit
 * code 1, which fails the run). Earlier chapters keep their own set: adding
 * a line changes only the chapters from that one on.
 */
const TESTS_ADDED_IN: Readonly<Record<number, readonly string[]>> = {
  2: ["ping"], // PING_INLINE and PING_MBULK: all chapter 02 can answer
  3: ["set", "get", "incr", "mset"],
  // All on one list, `mylist`: the pushes add 2n elements, the pops take 2n
  // back. lrange_100 fills the list itself first, with n more LPUSHes it
  // reports as a test of its own, "LPUSH (needed to benchmark LRANGE)",
  // which isSetupStep() leaves out of the figures.
  //
  // Then a set and a hash. redis-benchmark runs its tests in its own fixed
  // order, whatever the order of -t: SADD, HSET, then SPOP, so the set SPOP
  // pops from is there. Without -r every request names the same member
  // (`element:__rand_int__`, as written): SADD adds it once, HSET sets
  // one field of `myhash` again and again, and after the first SPOP has
  // taken the member the others find no set and reply nil, as Redis's do.
  //
  // Then a sorted set, `myzset`: ZADD sets the score of one member (again
  // and again, as SADD does), and ZPOPMIN, which runs after it, pops that
  // member, then finds the key gone and answers an empty array.
  6: [
    "lpush",
    "rpush",
    "lpop",
    "rpop",
    "sadd",
    "hset",
    "spop",
    "zadd",
    "zpopmin",
    "lrange_100",
  ],
};

/**
 * A command redis-benchmark has no test for, measured as a custom command
 * line (`redis-benchmark ... ZRANGE myzset 0 99`, a run of its own: with
 * a command, redis-benchmark ignores `-t`). redis-benchmark's CSV names
 * the figure by the command line itself.
 */
interface CustomTest {
  /** The command, word by word, as redis-benchmark sends it. */
  command: readonly string[];
  /**
   * What the command reads, written before each of its runs (after the
   * FLUSHALL): commands that answer in one line, a status or an integer.
   */
  setup: readonly (readonly string[])[];
}

/** `count` members `element:0`, `element:1`... with scores 0, 1...: ZADD's words after the key. */
function numberedMembers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => [
    String(i),
    `element:${i}`,
  ]).flat();
}

/**
 * The custom tests each chapter adds, run after its -t tests; like
 * TESTS_ADDED_IN, a chapter runs its own line's and every earlier line's.
 */
const CUSTOM_TESTS_ADDED_IN: Readonly<Record<number, readonly CustomTest[]>> = {
  // The first 100 members of 1,000, by rank: past zset-max-listpack-
  // entries (128), so a skiplist on both servers, walked from its head
  // as LRANGE_100 walks a list.
  6: [
    {
      command: ["ZRANGE", "myzset", "0", "99"],
      setup: [["ZADD", "myzset", ...numberedMembers(1000)]],
    },
  ],
};

/**
 * A request of several commands, which redis-benchmark cannot send (see
 * request-driver.ts), measured by our driver as redis-benchmark measures
 * a custom command: `-c`, `-n` and `-P` as for the others, requests per
 * second over the run.
 */
interface RequestTest {
  /** The figure's name in the data file and on the chart. */
  name: string;
  /** One request: its commands, word by word, sent in one write. */
  request: readonly (readonly string[])[];
  /** The server's answer to one request, byte for byte (RESP2). */
  reply: string;
}

/** The request tests each chapter adds, run after its custom tests; as TESTS_ADDED_IN. */
const REQUEST_TESTS_ADDED_IN: Readonly<Record<number, readonly RequestTest[]>> =
  {
    // A transaction around the SET and the GET of the -t tests (the same
    // key, `key:__rand_int__` as written, and value, `xxx`, redis-
    // benchmark's 3 bytes), as a client library sends one: the four
    // commands in one write, and the next request once EXEC has answered.
    // Against SET and GET alone it shows what queueing and EXEC cost.
    7: [
      {
        name: "MULTI SET GET EXEC",
        request: [
          ["MULTI"],
          ["SET", "key:__rand_int__", "xxx"],
          ["GET", "key:__rand_int__"],
          ["EXEC"],
        ],
        reply: "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$3\r\nxxx\r\n",
      },
    ],
  };

/**
 * From this chapter on, where FLUSHALL exists, every redis-benchmark run
 * starts from an empty keyspace, on both servers. Without it, each run would
 * leave what it wrote for the next: lrange_100's LPUSHes stay in `mylist`,
 * which would grow by `-n` elements a run.
 */
const FLUSHALL_FROM = 3;

/** Settings a chapter is measured with besides its defaults. */
interface Variant {
  /** As the data file and the chart name it. */
  name: string;
  /** Directives given to both servers, on their command lines. */
  settings: readonly string[];
}

/**
 * The variants measured from the chapter that introduces them on, each
 * after the defaults. From chapter 05, the append-only file: with the AOF
 * on, every write costs a `write()` per event-loop turn, and this shows
 * that cost next to Redis paying its own. Both servers get the same
 * settings and a fresh temporary folder (`--dir`) for their files.
 */
const VARIANTS_FROM: Readonly<Record<number, readonly Variant[]>> = {
  5: [
    {
      name: "appendonly everysec",
      settings: ["--appendonly", "yes", "--appendfsync", "everysec"],
    },
  ],
};

/** The variants chapter `number` runs: every line of VARIANTS_FROM up to it. */
function variantsFor(number: number): Variant[] {
  return Object.entries(VARIANTS_FROM)
    .filter(([from]) => Number(from) <= number)
    .flatMap(([, variants]) => variants);
}

// #region cluster-settings
/**
 * The cluster entry (from the first chapter with cluster mode): this many
 * nodes of ours, and as many of Redis's, each side formed into a cluster
 * of masters as `npm run cluster` forms one (the slots split evenly).
 */
const CLUSTER_NODES = 3;
/**
 * redis-benchmark --cluster's tests: it reads CLUSTER NODES, gives each
 * master clients of its own, and names keys with a hash tag of a slot
 * the node owns (`key:{06S}:__rand_int__`), so no request is redirected:
 * what it measures is each node answering its share.
 */
const CLUSTER_TESTS = ["set", "get"] as const;
/** The cluster entry's label, as the data file and the chart name it. */
const CLUSTER_VARIANT = `cluster of ${CLUSTER_NODES} nodes`;
// #endregion cluster-settings

/** Pipeline depths (`-P`): one request per round trip, then sixteen. */
const PIPELINES = [1, 16] as const;
type Pipeline = (typeof PIPELINES)[number];

/**
 * Requests per test (`-n`). Deeper pipelines go an order of magnitude
 * faster, so they get more requests for a run of similar length (a few
 * tenths of a second against Redis on two cores).
 */
const REQUESTS: Readonly<Record<Pipeline, number>> = { 1: 30_000, 16: 300_000 };
/** Parallel connections (`-c`): redis-benchmark's default. */
const CLIENTS = 50;
/** Measured runs per server, pipeline depth and test; the median is kept. */
const ROUNDS = 3;
/** The warm-up run, at the deepest pipeline: enough requests for V8 to optimise. */
const WARMUP_REQUESTS = 100_000;
/** With --quick: what REQUESTS are divided by, and a single round without warm-up. */
const QUICK_DIVISOR = 100;

/** `--quick`: a check that every run works, not a measurement (see the header). */
const quick = process.argv.includes("--quick");

/** Requests per run at `pipeline` (`-n`): a hundredth of them with --quick. */
function requestsAt(pipeline: Pipeline): number {
  return quick ? REQUESTS[pipeline] / QUICK_DIVISOR : REQUESTS[pipeline];
}

/** A server that has not printed its banner or answered PING by then is broken. */
const STARTUP_TIMEOUT_MS = 15_000;
/** redis-benchmark spins forever on a server that stopped answering: cap each run. */
const RUN_TIMEOUT_MS = 120_000;
/** How long a server gets to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------------------
// Child processes: every one is tracked from spawn to exit, so that every way
// out of this script can stop what is still running.

const children = new Set<ChildProcess>();
/** Cluster nodes (shared/cluster-forming.ts runs their processes): stopped on every way out too. */
const clusterNodes = new Set<NodeProcess>();
/** Set by Ctrl-C: the run stops, and whatever fails because of it is not an error. */
let interrupted = false;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("close", () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it takes too long; resolves once the process is gone. */
function stop(child: ChildProcess): Promise<void> {
  if (!children.has(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("close", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: now ("exit" below kills)
    interrupted = true;
    console.error(
      `\n${signal}: stopping; ${BENCH_DATA_FILE} is left as it was.`,
    );
    void Promise.all([
      ...[...children].map(stop),
      ...[...clusterNodes].map((node) => node.stop()),
    ]).finally(() => process.exit(130));
  });
}
// The last resort, for any way out that skipped the rest (process.exit, a
// crash): whatever still runs is killed. Only synchronous code runs here.
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  for (const node of clusterNodes) node.killNow();
});

/** A child process, what it printed lately, and its end. */
interface Started {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The exit code (null if a signal ended it); rejects if it could not start. */
  exited: Promise<number | null>;
}

/** Starts `command args`, keeping the last few kB of what it prints for error messages. */
function startProcess(command: string, args: readonly string[]): Started {
  const child = track(
    spawn(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] }),
  );
  let stdout = "";
  let stderr = "";
  const keepTail = (text: string): string => text.slice(-8192);
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    stdout = keepTail(stdout + text);
  });
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    stderr = keepTail(stderr + text);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  exited.catch(() => {}); // awaited where it matters; never an unhandled rejection
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

// ---------------------------------------------------------------------------
// The tools.

interface Tools {
  benchmark: { binary: string; version: string };
  /** Undefined when redis-server is not installed: only our servers run. */
  redis: { binary: string; version: string } | undefined;
}

/** `binary --version`'s output, or undefined if it does not run at all. */
function versionOutput(binary: string): string | undefined {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return result.error === undefined && result.status === 0
    ? result.stdout
    : undefined;
}

function findTools(): Tools {
  const benchmarkBinary = process.env.REDIS_BENCHMARK ?? "redis-benchmark";
  const benchmarkOutput = versionOutput(benchmarkBinary);
  if (benchmarkOutput === undefined) {
    console.error(
      `${benchmarkBinary} was not found: npm run bench needs redis-benchmark. Install it with: apt-get install redis-tools (Debian, Ubuntu) or brew install redis (macOS).`,
    );
    process.exit(1);
  }
  const redisBinary = process.env.REDIS_SERVER ?? "redis-server";
  const redisOutput = versionOutput(redisBinary);
  if (redisOutput === undefined) {
    console.warn(
      `${redisBinary} is not installed: benchmarking our servers only, with Redis recorded as absent (install it with apt-get install redis-server to compare).`,
    );
  }
  return {
    // "redis-benchmark 7.0.15"
    benchmark: {
      binary: benchmarkBinary,
      version:
        /\d+\.\d+\.\d+/.exec(benchmarkOutput)?.[0] ?? benchmarkOutput.trim(),
    },
    // "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=..."
    redis:
      redisOutput === undefined
        ? undefined
        : {
            binary: redisBinary,
            version: /v=(\S+)/.exec(redisOutput)?.[1] ?? redisOutput.trim(),
          },
  };
}

// ---------------------------------------------------------------------------
// The servers.

interface Target {
  /** `ours` or `redis`, as the data file names them. */
  name: "ours" | "redis";
  port: number;
  process: Started;
}

/** The chapter's own `main.ts` on port 0; its banner says which port it got. */
async function startChapter(
  chapter: Chapter,
  settings: readonly string[],
): Promise<Target> {
  const started = startProcess(process.execPath, [
    "--import",
    "tsx",
    join(chapter.dir, "src", "main.ts"),
    "--port",
    "0",
    ...settings,
  ]);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      const banner = /Listening on \S+:(\d+)/.exec(started.stdout());
      if (banner !== null) {
        const port = Number(banner[1]);
        await waitForPong(port, deadline, () => hasExited(started.child));
        return { name: "ours", port, process: started };
      }
      if (hasExited(started.child) || Date.now() > deadline) {
        throw new Error(
          `chapter ${chapter.id} did not start (exit code ${started.child.exitCode}): ${started.stderr().trim() || started.stdout().trim()}`,
        );
      }
      await sleep(25);
    }
  } catch (error) {
    await stop(started.child);
    throw error;
  }
}

/** Real Redis on a free loopback port, with persistence off unless `settings` turn it on. */
async function startRedis(
  binary: string,
  settings: readonly string[],
): Promise<Target> {
  const port = await freePort();
  // A directive given twice: redis-server keeps the last.
  const started = startProcess(binary, [...redisServerArgs(port), ...settings]);
  try {
    await waitForPong(port, Date.now() + STARTUP_TIMEOUT_MS, () =>
      hasExited(started.child),
    );
  } catch (error) {
    await stop(started.child);
    throw new Error(
      `redis-server did not start: ${started.stdout().trim().split("\n").at(-1) ?? ""}`,
      { cause: error },
    );
  }
  return { name: "redis", port, process: started };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------
// One redis-benchmark run.

/** The tests chapter `number` supports: its own line of TESTS_ADDED_IN and every earlier one. */
function testsFor(number: number): string[] {
  return Object.entries(TESTS_ADDED_IN)
    .filter(([from]) => Number(from) <= number)
    .flatMap(([, tests]) => tests);
}

/** The custom tests chapter `number` runs: its own line of CUSTOM_TESTS_ADDED_IN and every earlier one. */
function customTestsFor(number: number): CustomTest[] {
  return Object.entries(CUSTOM_TESTS_ADDED_IN)
    .filter(([from]) => Number(from) <= number)
    .flatMap(([, tests]) => tests);
}

/** The request tests chapter `number` runs: its own line of REQUEST_TESTS_ADDED_IN and every earlier one. */
function requestTestsFor(number: number): RequestTest[] {
  return Object.entries(REQUEST_TESTS_ADDED_IN)
    .filter(([from]) => Number(from) <= number)
    .flatMap(([, tests]) => tests);
}

/**
 * What one run measures: redis-benchmark's own tests (`-t`), one custom
 * command with the data it reads, or one request of several commands
 * (our driver's).
 */
type Run =
  | { kind: "tests"; tests: readonly string[] }
  | { kind: "custom"; test: CustomTest }
  | { kind: "request"; test: RequestTest };

/** The runs of chapter `number`: its -t tests, then each custom test, then each request test. */
function runsFor(number: number): Run[] {
  return [
    { kind: "tests", tests: testsFor(number) },
    ...customTestsFor(number).map((test) => ({
      kind: "custom" as const,
      test,
    })),
    ...requestTestsFor(number).map((test) => ({
      kind: "request" as const,
      test,
    })),
  ];
}

/**
 * The command line a run is recorded by: redis-benchmark's, or for a
 * request test the driver's, written the same way
 * (`request-driver -c 50 -n 30000 -P 1 MULTI; SET ...; EXEC`).
 */
function commandLine(pipeline: number, requests: number, run: Run): string {
  if (run.kind !== "request")
    return ["redis-benchmark", ...benchmarkArgs(pipeline, requests, run)].join(
      " ",
    );
  const request = run.test.request.map((words) => words.join(" ")).join("; ");
  return `request-driver -c ${CLIENTS} -n ${requests} -P ${pipeline} ${request}`;
}

/** redis-benchmark's arguments for one run, without `-h` and `-p`. */
function benchmarkArgs(pipeline: number, requests: number, run: Run): string[] {
  return [
    "-c",
    String(CLIENTS),
    "-n",
    String(requests),
    "-P",
    String(pipeline),
    ...(run.kind === "tests" ? ["-t", run.tests.join(",")] : []),
    "--csv",
    ...(run.kind === "custom" ? run.test.command : []),
  ];
}

/** A command as RESP's array of bulk strings. */
function encodeCommand(words: readonly string[]): string {
  return (
    `*${words.length}\r\n` +
    words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join("")
  );
}

/**
 * Sends `commands` to `target` on a connection of its own; resolves once
 * each has answered with one line (a status or an integer), rejects on an
 * error reply or anything else.
 */
function sendCommands(
  target: Target,
  commands: readonly (readonly string[])[],
): Promise<void> {
  const what = commands.map((words) => words[0]).join(", ");
  return new Promise((resolve, reject) => {
    const socket = connect({ port: target.port, host: "127.0.0.1" }, () =>
      socket.write(commands.map(encodeCommand).join("")),
    );
    let reply = "";
    socket.setEncoding("latin1");
    socket.setTimeout(STARTUP_TIMEOUT_MS, () =>
      socket.destroy(new Error(`${target.name} did not answer ${what}`)),
    );
    socket.on("data", (text: string) => {
      reply += text;
      const lines = reply.split("\r\n").slice(0, -1);
      if (lines.length < commands.length) return;
      socket.destroy();
      if (lines.every((line) => line.startsWith("+") || line.startsWith(":")))
        resolve();
      else reject(new Error(`${target.name} answered ${what} with ${reply}`));
    });
    socket.once("error", reject);
  });
}

/** FLUSHALL on `target`: resolves on its +OK, rejects on anything else. */
function flushAll(target: Target): Promise<void> {
  return sendCommands(target, [["FLUSHALL"]]);
}

/** Runs redis-benchmark against `target`; returns requests per second by test name. */
async function runBenchmark(
  binary: string,
  target: Target,
  args: readonly string[],
): Promise<Map<string, number>> {
  const run = startProcess(binary, [
    "-h",
    "127.0.0.1",
    "-p",
    String(target.port),
    ...args,
  ]);
  let serverDied = false;
  const timer = setTimeout(() => run.child.kill("SIGKILL"), RUN_TIMEOUT_MS);
  // A server that crashes mid-run would leave redis-benchmark spinning.
  const onServerExit = (): void => {
    serverDied = true;
    run.child.kill("SIGKILL"); // a no-op if the run is already over
  };
  void target.process.exited.then(onServerExit, onServerExit);
  const code = await run.exited.finally(() => clearTimeout(timer));
  if (serverDied) {
    const said =
      target.process.stderr().trim() || target.process.stdout().trim();
    throw new Error(
      `${target.name} exited during the run: ${said.slice(-2000)}`,
    );
  }
  // A server without CONFIG (ours, before chapter 03) makes redis-benchmark
  // warn that it could not read the server's settings; it carries on.
  const stderr = run
    .stderr()
    .split("\n")
    .filter(
      (line) =>
        line.trim() !== "" && !/Could not fetch server CONFIG/.test(line),
    )
    .join(" ");
  if (code !== 0) {
    throw new Error(
      code === null
        ? `redis-benchmark against ${target.name} did not finish within ${RUN_TIMEOUT_MS / 1000} s`
        : `redis-benchmark against ${target.name} failed (exit code ${code}): ${stderr}${/Error from server/.test(stderr) ? " (redis-benchmark stops at the first error reply: does TESTS_ADDED_IN in shared/scripts/bench.ts list a command this chapter lacks?)" : ""}`,
    );
  }
  const figures = withoutSetupSteps(parseBenchmarkCsv(run.stdout()));
  if (figures.size === 0) {
    throw new Error(
      `redis-benchmark ran no test for ${args.join(" ")}: is every -t name one redis-benchmark knows?`,
    );
  }
  return figures;
}

// ---------------------------------------------------------------------------
// One chapter.

/** Requests per second of every run, by `pipeline test`, per server. */
type Samples = Map<string, number[]>;

async function benchChapter(
  chapter: Chapter,
  tools: Tools,
  variant: Variant | undefined,
): Promise<ChapterBench> {
  const tests = testsFor(chapter.number);
  const runs = runsFor(chapter.number);
  const rounds = quick ? 1 : ROUNDS;
  const run = async (
    target: Target,
    what: Run,
    pipeline: number,
    requests: number,
  ): Promise<Map<string, number>> => {
    if (chapter.number >= FLUSHALL_FROM) await flushAll(target);
    if (what.kind === "custom") await sendCommands(target, what.test.setup);
    if (what.kind === "request") {
      const perSecond = await driveRequests({
        port: target.port,
        clients: CLIENTS,
        requests,
        pipeline,
        request: what.test.request,
        reply: what.test.reply,
        timeoutMs: RUN_TIMEOUT_MS,
      }).catch((error: unknown) => {
        throw new Error(
          `${what.test.name} against ${target.name}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      return new Map([[what.test.name, perSecond]]);
    }
    const args = benchmarkArgs(pipeline, requests, what);
    return runBenchmark(tools.benchmark.binary, target, args);
  };
  const targets: Target[] = [];
  // Each server writes its files (the AOF, from chapter 05) in a folder of its own.
  const folder = mkdtempSync(join(tmpdir(), "bench-"));
  const settings = (name: string): string[] =>
    variant === undefined
      ? []
      : [...variant.settings, "--dir", mkdtempSync(join(folder, `${name}-`))];
  try {
    targets.push(await startChapter(chapter, settings("ours")));
    if (tools.redis !== undefined)
      targets.push(await startRedis(tools.redis.binary, settings("redis")));
    const custom = [
      ...customTestsFor(chapter.number).map(({ command }) => command.join(" ")),
      ...requestTestsFor(chapter.number).map(({ name }) => name),
    ];
    console.log(
      `\n${chapter.id}${variant === undefined ? "" : ` (${variant.name})`}: -t ${tests.join(",")}${custom.map((line) => `, then ${line}`).join("")} against ${targets.map((t) => `${t.name} (port ${t.port})`).join(" and ")}`,
    );

    if (!quick)
      for (const target of targets)
        for (const what of runs)
          await run(target, what, Math.max(...PIPELINES), WARMUP_REQUESTS);

    const samples = new Map<Target["name"], Samples>(
      targets.map((t) => [t.name, new Map()]),
    );
    /** Test names in the order redis-benchmark runs them, per pipeline depth. */
    const order = new Map<Pipeline, string[]>();
    for (let round = 1; round <= rounds; round++) {
      const turn = round % 2 === 1 ? targets : [...targets].reverse();
      for (const pipeline of PIPELINES) {
        for (const target of turn) {
          const figures = new Map<string, number>();
          for (const what of runs) {
            const measured = await run(
              target,
              what,
              pipeline,
              requestsAt(pipeline),
            );
            for (const [test, perSecond] of measured)
              figures.set(test, perSecond);
          }
          const names = [...figures.keys()];
          const expected = order.get(pipeline);
          if (expected === undefined) order.set(pipeline, names);
          else if (expected.join() !== names.join())
            throw new Error(
              `redis-benchmark ran different tests against ${target.name}: ${names.join(", ")} (expected ${expected.join(", ")})`,
            );
          for (const [test, perSecond] of figures) {
            const key = `${pipeline} ${test}`;
            const list = samples.get(target.name)!.get(key) ?? [];
            list.push(perSecond);
            samples.get(target.name)!.set(key, list);
          }
          console.log(
            `  round ${round}/${rounds}  -P ${String(pipeline).padEnd(2)}  ${target.name.padEnd(5)}  ${[...figures].map(([test, perSecond]) => `${test} ${thousands(perSecond)}`).join("  ")}`,
          );
        }
      }
    }

    const results: BenchResult[] = PIPELINES.flatMap((pipeline) =>
      order.get(pipeline)!.map((test) => {
        const key = `${pipeline} ${test}`;
        const ours = Math.round(median(samples.get("ours")!.get(key)!));
        const redisRuns = samples.get("redis")?.get(key);
        const redis =
          redisRuns === undefined ? null : Math.round(median(redisRuns));
        return {
          test,
          pipeline,
          ours,
          redis,
          ratio: ratioToRedis(ours, redis),
        };
      }),
    );
    return {
      chapter: chapter.id,
      ...(variant === undefined ? {} : { variant: variant.name }),
      date: new Date().toISOString().slice(0, 10),
      machine: {
        cpu: cpus()[0]?.model.trim() ?? "unknown",
        cores: availableParallelism(),
        platform: `${process.platform} ${process.arch}`,
      },
      node: process.version,
      redisServer: tools.redis?.version ?? null,
      redisBenchmark: tools.benchmark.version,
      rounds,
      commands: PIPELINES.flatMap((pipeline) =>
        runs.map((what) => commandLine(pipeline, requestsAt(pipeline), what)),
      ),
      results,
    };
  } finally {
    await Promise.all(targets.map((target) => stop(target.process.child)));
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// A cluster of nodes.

/** Whether the chapter has cluster mode: a src/cluster/ folder, as `npm run cluster` asks. */
function hasClusterMode(chapter: Chapter): boolean {
  return existsSync(join(chapter.dir, "src", "cluster"));
}

/** One side of the cluster entry: its nodes, formed into a cluster. */
interface ClusterTarget {
  name: NodeKind;
  nodes: NodeProcess[];
}

/** `CLUSTER_NODES` nodes of `kind`, each in a folder of its own under `folder`, formed into a cluster. */
async function startCluster(
  kind: NodeKind,
  chapter: Chapter,
  folder: string,
  settings: readonly string[] = [],
): Promise<ClusterTarget> {
  const nodes: NodeProcess[] = [];
  for (let i = 0; i < CLUSTER_NODES; i++) {
    const node = new NodeProcess(
      kind,
      await freePortPair(),
      mkdtempSync(join(folder, `${kind}-`)),
      [...settings],
      { mainPath: join(chapter.dir, "src", "main.ts") },
    );
    clusterNodes.add(node);
    nodes.push(node);
    await node.start();
  }
  await formCluster(nodes);
  return { name: kind, nodes };
}

/** `redis-benchmark --cluster`'s arguments, without `-h` and `-p` (the first node's). */
function clusterArgs(pipeline: number, requests: number): string[] {
  return [
    "--cluster",
    "-c",
    String(CLIENTS),
    "-n",
    String(requests),
    "-P",
    String(pipeline),
    "-t",
    CLUSTER_TESTS.join(","),
    "--csv",
  ];
}

/**
 * One `redis-benchmark --cluster` run against `target`, every node
 * emptied first (FLUSHALL, as for the other runs); requests per second by
 * test. A node that dies meanwhile fails the run, with what it printed.
 */
async function runClusterBenchmark(
  binary: string,
  target: ClusterTarget,
  pipeline: number,
  requests: number,
  // The proxy entry sends every request to one node it picks, without --cluster.
  entry: NodeProcess = target.nodes[0]!,
  args: readonly string[] = clusterArgs(pipeline, requests),
): Promise<Map<string, number>> {
  for (const node of target.nodes) await (await node.admin()).call("FLUSHALL");
  const run = startProcess(binary, [
    "-h",
    "127.0.0.1",
    "-p",
    String(entry.port),
    ...args,
  ]);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), RUN_TIMEOUT_MS);
  const code = await run.exited.finally(() => clearTimeout(timer));
  const dead = target.nodes.find((node) => !node.running);
  if (dead !== undefined) {
    throw new Error(
      `${target.name} node ${dead.port} exited during the run: ${dead.output.trim().slice(-2000)}`,
    );
  }
  if (code !== 0) {
    throw new Error(
      `redis-benchmark --cluster against ${target.name} ${code === null ? `did not finish within ${RUN_TIMEOUT_MS / 1000} s` : `failed (exit code ${code})`}: ${run.stderr().trim() || run.stdout().trim()}`,
    );
  }
  return parseBenchmarkCsv(withoutClusterPreamble(run.stdout()));
}

// #region bench-cluster
/**
 * The cluster entry: CLUSTER_NODES nodes of the chapter against as many
 * redis-server nodes, GET and SET, in rounds as benchChapter runs them
 * (a warm-up, then interleaved, in alternating order, medians kept).
 */
async function benchCluster(
  chapter: Chapter,
  tools: Tools,
): Promise<ChapterBench> {
  const rounds = quick ? 1 : ROUNDS;
  const folder = mkdtempSync(join(tmpdir(), "bench-cluster-"));
  const targets: ClusterTarget[] = [];
  try {
    targets.push(await startCluster("ours", chapter, folder));
    // NodeProcess starts REDIS_SERVER or redis-server, as findTools found it.
    if (tools.redis !== undefined)
      targets.push(await startCluster("redis", chapter, folder));
    console.log(
      `\n${chapter.id} (${CLUSTER_VARIANT}): redis-benchmark --cluster -t ${CLUSTER_TESTS.join(",")} against ${targets.map((t) => `${t.name} (ports ${t.nodes.map((n) => n.port).join(", ")})`).join(" and ")}`,
    );
    const binary = tools.benchmark.binary;
    if (!quick)
      for (const target of targets)
        await runClusterBenchmark(
          binary,
          target,
          Math.max(...PIPELINES),
          WARMUP_REQUESTS,
        );
    const samples = new Map<string, number[]>();
    const order = new Map<Pipeline, string[]>();
    for (let round = 1; round <= rounds; round++) {
      const turn = round % 2 === 1 ? targets : [...targets].reverse();
      for (const pipeline of PIPELINES) {
        for (const target of turn) {
          const figures = await runClusterBenchmark(
            binary,
            target,
            pipeline,
            requestsAt(pipeline),
          );
          order.set(pipeline, [...figures.keys()]);
          for (const [test, perSecond] of figures) {
            const key = `${target.name} ${pipeline} ${test}`;
            samples.set(key, [...(samples.get(key) ?? []), perSecond]);
          }
          console.log(
            `  round ${round}/${rounds}  -P ${String(pipeline).padEnd(2)}  ${target.name.padEnd(5)}  ${[...figures].map(([test, perSecond]) => `${test} ${thousands(perSecond)}`).join("  ")}`,
          );
        }
      }
    }
    const results: BenchResult[] = PIPELINES.flatMap((pipeline) =>
      order.get(pipeline)!.map((test) => {
        const ours = Math.round(
          median(samples.get(`ours ${pipeline} ${test}`)!),
        );
        const redisRuns = samples.get(`redis ${pipeline} ${test}`);
        const redis =
          redisRuns === undefined ? null : Math.round(median(redisRuns));
        return {
          test,
          pipeline,
          ours,
          redis,
          ratio: ratioToRedis(ours, redis),
        };
      }),
    );
    return {
      chapter: chapter.id,
      variant: CLUSTER_VARIANT,
      date: new Date().toISOString().slice(0, 10),
      machine: {
        cpu: cpus()[0]?.model.trim() ?? "unknown",
        cores: availableParallelism(),
        platform: `${process.platform} ${process.arch}`,
      },
      node: process.version,
      redisServer: tools.redis?.version ?? null,
      redisBenchmark: tools.benchmark.version,
      rounds,
      commands: PIPELINES.map((pipeline) =>
        [
          "redis-benchmark",
          ...clusterArgs(pipeline, requestsAt(pipeline)),
        ].join(" "),
      ),
      results,
    };
  } finally {
    for (const node of targets.flatMap((t) => t.nodes)) {
      await node.stop();
      clusterNodes.delete(node);
    }
    // A node that failed to start is in clusterNodes but in no target.
    for (const node of clusterNodes) await node.stop();
    clusterNodes.clear();
    rmSync(folder, { recursive: true, force: true });
  }
}
// #endregion bench-cluster

// #region bench-proxy
/**
 * From chapter 08's proxy mode on (`cluster-proxy yes`, ours, not Redis):
 * what the second hop costs. redis-benchmark, without --cluster, sends
 * every request for its one key (`key:__rand_int__`: no -r) to one node:
 * to a node that does not own the key's slot and forwards each request,
 * then to the owner itself. Both are set against Redis's owner of the
 * same slot: the only way Redis serves that key.
 */
const PROXY_VARIANT = "cluster proxy";
const PROXY_KEY = "key:__rand_int__";
const PROXY_ROUTES = ["through a proxy node", "direct to the owner"] as const;

/** Whether the chapter has the proxy mode: a src/cluster/proxy/ folder. */
function hasProxyMode(chapter: Chapter): boolean {
  return existsSync(join(chapter.dir, "src", "cluster", "proxy"));
}

/** redis-benchmark's arguments against one node, without -h and -p. */
function proxyArgs(pipeline: number, requests: number): string[] {
  return clusterArgs(pipeline, requests).filter((arg) => arg !== "--cluster");
}

/** The node of `target` that owns PROXY_KEY's slot, and one that does not. */
async function ownerAndOther(
  target: ClusterTarget,
): Promise<{ owner: NodeProcess; other: NodeProcess }> {
  const admin = await target.nodes[0]!.admin();
  const slot = Number(await admin.call("CLUSTER", "KEYSLOT", PROXY_KEY));
  const ranges = (await admin.call("CLUSTER", "SLOTS")) as [
    number,
    number,
    [string, number],
  ][];
  const [, , [, port]] = ranges.find(([a, b]) => a <= slot && slot <= b)!;
  const owner = target.nodes.find((node) => node.port === port)!;
  return { owner, other: target.nodes.find((node) => node !== owner)! };
}

async function benchProxy(
  chapter: Chapter,
  tools: Tools,
): Promise<ChapterBench> {
  const rounds = quick ? 1 : ROUNDS;
  const folder = mkdtempSync(join(tmpdir(), "bench-proxy-"));
  const targets: ClusterTarget[] = [];
  try {
    const ours = await startCluster("ours", chapter, folder, [
      "--cluster-proxy",
      "yes",
    ]);
    targets.push(ours);
    const { owner, other } = await ownerAndOther(ours);
    const runs: { key: string; target: ClusterTarget; node: NodeProcess }[] = [
      { key: PROXY_ROUTES[0], target: ours, node: other },
      { key: PROXY_ROUTES[1], target: ours, node: owner },
    ];
    if (tools.redis !== undefined) {
      const redis = await startCluster("redis", chapter, folder);
      targets.push(redis);
      const redisOwner = (await ownerAndOther(redis)).owner;
      runs.push({ key: "redis", target: redis, node: redisOwner });
    }
    console.log(
      `\n${chapter.id} (${PROXY_VARIANT}): redis-benchmark -t ${CLUSTER_TESTS.join(",")} for one key, ${runs.map((r) => `${r.key} (port ${r.node.port})`).join(", ")}`,
    );
    const binary = tools.benchmark.binary;
    const runOnce = (run: (typeof runs)[number], p: number, n: number) =>
      runClusterBenchmark(binary, run.target, p, n, run.node, proxyArgs(p, n));
    if (!quick)
      for (const run of runs)
        await runOnce(run, Math.max(...PIPELINES), WARMUP_REQUESTS);
    const samples = new Map<string, number[]>();
    const order = new Map<Pipeline, string[]>();
    for (let round = 1; round <= rounds; round++) {
      const turn = round % 2 === 1 ? runs : [...runs].reverse();
      for (const pipeline of PIPELINES) {
        for (const run of turn) {
          const figures = await runOnce(run, pipeline, requestsAt(pipeline));
          order.set(pipeline, [...figures.keys()]);
          for (const [test, perSecond] of figures) {
            const key = `${run.key} ${pipeline} ${test}`;
            samples.set(key, [...(samples.get(key) ?? []), perSecond]);
          }
          console.log(
            `  round ${round}/${rounds}  -P ${String(pipeline).padEnd(2)}  ${run.key.padEnd(20)}  ${[...figures].map(([test, perSecond]) => `${test} ${thousands(perSecond)}`).join("  ")}`,
          );
        }
      }
    }
    const results: BenchResult[] = PIPELINES.flatMap((pipeline) =>
      order.get(pipeline)!.flatMap((test) =>
        PROXY_ROUTES.map((route) => {
          const ours = Math.round(
            median(samples.get(`${route} ${pipeline} ${test}`)!),
          );
          const redisRuns = samples.get(`redis ${pipeline} ${test}`);
          const redis =
            redisRuns === undefined ? null : Math.round(median(redisRuns));
          return {
            test: `${test} (${route})`,
            pipeline,
            ours,
            redis,
            ratio: ratioToRedis(ours, redis),
          };
        }),
      ),
    );
    return {
      chapter: chapter.id,
      variant: PROXY_VARIANT,
      date: new Date().toISOString().slice(0, 10),
      machine: {
        cpu: cpus()[0]?.model.trim() ?? "unknown",
        cores: availableParallelism(),
        platform: `${process.platform} ${process.arch}`,
      },
      node: process.version,
      redisServer: tools.redis?.version ?? null,
      redisBenchmark: tools.benchmark.version,
      rounds,
      commands: PIPELINES.map((pipeline) =>
        ["redis-benchmark", ...proxyArgs(pipeline, requestsAt(pipeline))].join(
          " ",
        ),
      ),
      results,
    };
  } finally {
    for (const node of clusterNodes) await node.stop();
    clusterNodes.clear();
    rmSync(folder, { recursive: true, force: true });
  }
}
// #endregion bench-proxy

// ---------------------------------------------------------------------------
// Output.

/** 72993.7 → "72,994", the same in every locale. */
function thousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+$)/g, ",");
}

function printSummary(entry: ChapterBench): void {
  console.log(
    `${benchLabel(entry)}, medians of ${entry.rounds} rounds (requests per second):`,
  );
  // One column for the test names, as wide as the longest ("LRANGE_100 (first 100 elements)").
  const width = Math.max(...entry.results.map((r) => r.test.length));
  for (const r of entry.results) {
    const redis =
      r.redis === null
        ? "no Redis run"
        : `redis ${thousands(r.redis)}  ×${r.ratio!.toFixed(2)}`;
    console.log(
      `  -P ${String(r.pipeline).padEnd(2)}  ${r.test.padEnd(width)}  ours ${thousands(r.ours).padStart(9)}  ${redis}`,
    );
  }
}

const dataPath = join(REPO_ROOT, BENCH_DATA_FILE);

/** The committed file, checked, or undefined if there is none yet. */
function readDataFile(): BenchFile | undefined {
  if (!existsSync(dataPath)) return undefined;
  try {
    return parseBenchFile(JSON.parse(readFileSync(dataPath, "utf8")));
  } catch (error) {
    console.error(
      `${BENCH_DATA_FILE} cannot be read (${error instanceof Error ? error.message : String(error)}). Fix it or delete it, then run again.`,
    );
    process.exit(1);
  }
}

/** Writes the file formatted as Prettier would, so `npm run format:check` stays green. */
async function writeDataFile(file: BenchFile): Promise<void> {
  const options = (await resolveConfig(dataPath)) ?? {};
  const text = await format(JSON.stringify(file), {
    ...options,
    filepath: dataPath,
  });
  mkdirSync(dirname(dataPath), { recursive: true });
  writeFileSync(dataPath, text);
}

// ---------------------------------------------------------------------------
// Main.

/** The chapters the command line names, or every chapter with tests. */
function chaptersToRun(): Chapter[] {
  const chapters = listChapters();
  const names = process.argv.slice(2).filter((name) => name !== "--quick");
  if (names.some((name) => name.startsWith("-")))
    exitWithUsage(
      USAGE,
      chapters.filter((c) => testsFor(c.number).length > 0),
    );
  if (names.length === 0)
    return chapters.filter((c) => testsFor(c.number).length > 0);
  return names.map((name) => {
    const chapter = resolveChapter(name, chapters);
    if (chapter === undefined)
      exitWithUsage(USAGE, chapters, whyNoChapter(name));
    if (testsFor(chapter.number).length === 0) {
      console.error(
        `Chapter ${chapter.id} does not speak Redis's protocol yet: redis-benchmark has nothing to measure there.`,
      );
      process.exit(2);
    }
    return chapter;
  });
}

async function main(): Promise<void> {
  const selected = chaptersToRun();
  const tools = findTools();
  const previous = readDataFile();
  const started = Date.now();
  const fresh: ChapterBench[] = [];
  const failures: string[] = [];
  for (const chapter of selected) {
    // The defaults, each variant, then the cluster entry if it has one.
    const entries: (Variant | "cluster" | "proxy" | undefined)[] = [
      undefined,
      ...variantsFor(chapter.number),
      ...(hasClusterMode(chapter) ? (["cluster"] as const) : []),
      ...(hasProxyMode(chapter) ? (["proxy"] as const) : []),
    ];
    for (const variant of entries) {
      const name =
        variant === "cluster"
          ? CLUSTER_VARIANT
          : variant === "proxy"
            ? PROXY_VARIANT
            : variant?.name;
      const label = `${chapter.id}${name === undefined ? "" : ` (${name})`}`;
      try {
        const entry =
          variant === "cluster"
            ? await benchCluster(chapter, tools)
            : variant === "proxy"
              ? await benchProxy(chapter, tools)
              : await benchChapter(chapter, tools, variant);
        if (interrupted) return;
        fresh.push(entry);
        printSummary(entry);
      } catch (error) {
        if (interrupted) return; // the signal handler stops the rest and exits
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${label}: ${message}`);
        console.error(`${label} FAILED: ${message}`);
      }
    }
  }

  if (quick) {
    console.log(
      `\n--quick: ${fresh.map(benchLabel).join(", ") || "nothing"} ran; ${BENCH_DATA_FILE} is left as it was (these are not measurements).`,
    );
  } else if (fresh.length > 0) {
    await writeDataFile(mergeRuns(previous, fresh));
    console.log(
      `\nWrote ${BENCH_DATA_FILE} (${fresh.map(benchLabel).join(", ")}) in ${Math.round((Date.now() - started) / 1000)} s.${tools.redis === undefined ? " Redis was not installed: no ratios." : ""}`,
    );
  }
  if (failures.length > 0) {
    console.error(`\nNot benchmarked:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

await main();
