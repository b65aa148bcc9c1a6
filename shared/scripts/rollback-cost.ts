/**
 * `npm run rollback-cost`: what `multi-rollback yes` (chapter 07's opt-in,
 * not Redis) costs EXEC. A measurement for the article, not a test.
 *
 * It starts chapter 07's server as a child process (`--port 0`, ready when
 * its banner says where it listens) and sends it transactions of ten
 * commands each, MULTI ... EXEC, a batch of BATCH transactions pipelined
 * at a time (then a PING, whose +PONG says the batch is answered), over one
 * connection. Three workloads:
 *
 * - `small keys`: ten writes to small values (a string, a counter, a few
 *   fields, members, scores): what the undo log copies is tiny;
 * - `big values`: the same writes to a list, a hash, a set and a sorted
 *   set of BIG_SIZE elements each: the first change of a key in a
 *   transaction copies its whole value;
 * - `failing`: the small transaction with an INCR of a word as its last
 *   command, so that with rollback on every EXEC undoes the other nine.
 *
 * Each workload runs with the setting off and on (CONFIG SET between runs,
 * on the same server), in ROUNDS interleaved rounds, alternating which goes
 * first; the figures kept are the medians of the rounds: EXECs a second
 * by the wall clock, and the server's CPU time per EXEC (from /proc, on
 * Linux), which a busy machine disturbs less.
 * The server is stopped on every way out.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { REPO_ROOT } from "../chapters.ts";

const CHAPTER_MAIN = join(
  REPO_ROOT,
  "chapters",
  "07-transactions",
  "src",
  "main.ts",
);
/** Transactions are pipelined BATCH at a time. */
const BATCH = 200;
const ROUNDS = 5;
/** Elements in each structure of the `big values` workload. */
const BIG_SIZE = 1_000;
/** Keys each workload spreads its transactions over. */
const KEYS = 100;

// #region resp
/** One command as RESP: `*<n>` and a bulk string per word. */
function encode(words: readonly string[]): string {
  let text = `*${words.length}\r\n`;
  for (const word of words)
    text += `$${Buffer.byteLength(word)}\r\n${word}\r\n`;
  return text;
}

/** A connection that sends a batch of commands and waits for all the replies. */
class Connection {
  #received = "";
  /** Keep every reply of the batch (for a check), or only the tail (timed runs). */
  #keep = false;
  #done: ((replies: string) => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (text: string) => {
      // A batch ends with PING, so it is all answered when the replies
      // end with its +PONG (no value the workloads write looks like one).
      this.#received += text;
      if (!this.#keep) this.#received = this.#received.slice(-64);
      if (this.#received.endsWith("+PONG\r\n")) this.#done?.(this.#received);
    });
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: "127.0.0.1" }, () =>
        resolve(new Connection(socket)),
      );
      socket.once("error", reject);
    });
  }

  /**
   * Sends `commands` and a PING; resolves once the PING is answered, with
   * every reply if `keep` is true.
   */
  send(commands: string, keep = false): Promise<string> {
    this.#received = "";
    this.#keep = keep;
    return new Promise((resolve) => {
      this.#done = resolve;
      this.socket.write(commands + encode(["PING"]));
    });
  }
}
// #endregion resp

// #region workloads
/** The ten commands of transaction `n` (on key set `n % KEYS`). */
function smallTransaction(n: number): string[][] {
  const k = n % KEYS;
  const field = `f${n % 10}`;
  return [
    ["SET", `s:${k}`, `value ${n}`],
    ["INCR", `c:${k}`],
    ["APPEND", `a:${k}`, "x"],
    ["RPUSH", `l:${k}`, "x"],
    ["LPOP", `l:${k}`],
    ["HSET", `h:${k}`, field, String(n)],
    ["SADD", `set:${k}`, field],
    ["ZADD", `z:${k}`, String(n), field],
    ["EXPIRE", `s:${k}`, "1000"],
    ["GET", `s:${k}`],
  ];
}

/** Ten writes, four of them to structures of BIG_SIZE elements. */
function bigTransaction(n: number): string[][] {
  const k = n % KEYS;
  const field = `f${n % BIG_SIZE}`;
  return [
    ["SET", `s:${k}`, `value ${n}`],
    ["INCR", `c:${k}`],
    ["RPUSH", `big-l:${k}`, "x"],
    ["LPOP", `big-l:${k}`],
    ["HSET", `big-h:${k}`, field, String(n)],
    ["SADD", `big-set:${k}`, `new ${n % 10}`],
    ["SREM", `big-set:${k}`, `new ${n % 10}`],
    ["ZADD", `big-z:${k}`, String(n), field],
    ["EXPIRE", `s:${k}`, "1000"],
    ["GET", `s:${k}`],
  ];
}

/** The small transaction, with its last command failing. */
function failingTransaction(n: number): string[][] {
  return [...smallTransaction(n).slice(0, 9), ["INCR", "word"]];
}

/** The structures `bigTransaction` changes, BIG_SIZE elements each. */
function bigValues(): string {
  const elements = Array.from({ length: BIG_SIZE }, (_, i) => `f${i}`);
  let text = "";
  for (let k = 0; k < KEYS; k++) {
    text += encode(["RPUSH", `big-l:${k}`, ...elements]);
    text += encode(["HSET", `big-h:${k}`, ...elements.flatMap((e) => [e, e])]);
    text += encode(["SADD", `big-set:${k}`, ...elements]);
    text += encode([
      "ZADD",
      `big-z:${k}`,
      ...elements.flatMap((e, i) => [String(i), e]),
    ]);
  }
  return text;
}

interface Workload {
  name: string;
  /** Transactions per timed run: about a second's work or more. */
  count: number;
  transaction: (n: number) => string[][];
  /** Commands run before each timed run, after a FLUSHALL. */
  setUp: () => string;
}

const WORKLOADS: readonly Workload[] = [
  {
    name: "small keys",
    count: 20_000,
    transaction: smallTransaction,
    setUp: () => "",
  },
  {
    name: `big values (${BIG_SIZE})`,
    count: 4_000,
    transaction: bigTransaction,
    setUp: bigValues,
  },
  {
    name: "failing (last command)",
    count: 20_000,
    transaction: failingTransaction,
    setUp: () => encode(["SET", "word", "hello"]),
  },
];
// #endregion workloads

// #region measure
/** MULTI, the commands, EXEC, for transactions `from` to `to - 1`. */
function transactions(workload: Workload, from: number, to: number): string {
  let text = "";
  for (let n = from; n < to; n++) {
    text += encode(["MULTI"]);
    for (const words of workload.transaction(n)) text += encode(words);
    text += encode(["EXEC"]);
  }
  return text;
}

/** What one run measured. */
interface Figures {
  /** EXECs a second, by the wall clock. */
  perSecond: number;
  /**
   * The server's CPU time per EXEC, in microseconds (undefined where
   * /proc cannot tell): steadier than the wall clock on a busy machine.
   */
  cpuMicroseconds: number | undefined;
}

/** One run of `workload`, rollback on or off, on the server `pid`. */
async function run(
  connection: Connection,
  pid: number,
  workload: Workload,
  rollback: boolean,
): Promise<Figures> {
  await connection.send(
    encode(["FLUSHALL"]) +
      encode(["CONFIG", "SET", "multi-rollback", rollback ? "yes" : "no"]) +
      workload.setUp(),
  );
  // Encoded beforehand: only the server's work is timed.
  const batches: string[] = [];
  for (let n = 0; n < workload.count; n += BATCH) {
    batches.push(transactions(workload, n, n + BATCH));
  }
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  for (const batch of batches) await connection.send(batch);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(pid);
  return {
    perSecond: workload.count / seconds,
    cpuMicroseconds:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) / workload.count) * 1e6,
  };
}

/**
 * CPU seconds process `pid` has used, user and system, from
 * /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on
 * Linux); undefined elsewhere.
 */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // The name, field 2, is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The medians of the rounds, and how they print: `11,249/s (88 µs)`. */
function summary(runs: readonly Figures[]): {
  perSecond: number;
  cpu: number | undefined;
  text: string;
} {
  const perSecond = median(runs.map((r) => r.perSecond));
  const cpus = runs.map((r) => r.cpuMicroseconds);
  const cpu = cpus.includes(undefined) ? undefined : median(cpus as number[]);
  const text = `${Math.round(perSecond).toLocaleString("en")}/s${
    cpu === undefined ? "" : ` (${Math.round(cpu)} µs)`
  }`;
  return { perSecond, cpu, text };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
// #endregion measure

// #region server
/** Chapter 07's server on a port the OS picks; resolves once it listens. */
function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", CHAPTER_MAIN, "--port", "0", "--save", ""],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  process.on("exit", () => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (text: string): void => {
      output += text;
      const banner = /Listening on \S+:(\d+)/.exec(output);
      if (banner !== null) resolve({ child, port: Number(banner[1]) });
    };
    child.stdout!.setEncoding("utf8").on("data", onData);
    child.stderr!.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) =>
      reject(
        new Error(`the server exited (${code}) before listening:\n${output}`),
      ),
    );
  });
}
// #endregion server

const { child, port } = await startServer();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => process.exit(130));
}
try {
  const connection = await Connection.open(port);
  // The setting must exist and work, or the figures mean nothing.
  const replies = await connection.send(
    encode(["CONFIG", "SET", "multi-rollback", "yes"]) +
      encode(["SET", "word", "hello"]) +
      transactions(WORKLOADS[2]!, 0, 1),
    true,
  );
  if (!replies.includes("-EXECABORT Transaction rolled back")) {
    throw new Error(`multi-rollback yes did not roll back:\n${replies}`);
  }

  console.log(
    `Chapter 07: transactions of 10 commands, ${BATCH} pipelined at a time; median of ${ROUNDS} rounds.`,
  );
  console.log(
    "EXEC/s by the wall clock; in brackets, the server's CPU microseconds per EXEC.\n",
  );
  const rows: string[][] = [
    ["workload", "rollback no", "rollback yes", "yes/no (CPU)"],
  ];
  const pid = child.pid!;
  for (const workload of WORKLOADS) {
    const off: Figures[] = [];
    const on: Figures[] = [];
    await run(connection, pid, workload, false); // warm-up, thrown away
    await run(connection, pid, workload, true);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [false, true] : [true, false];
      for (const rollback of order) {
        const figures = await run(connection, pid, workload, rollback);
        (rollback ? on : off).push(figures);
      }
    }
    const no = summary(off);
    const yes = summary(on);
    rows.push([
      workload.name,
      no.text,
      yes.text,
      `${(yes.perSecond / no.perSecond).toFixed(2)} (${
        yes.cpu === undefined ? "?" : (yes.cpu / no.cpu!).toFixed(2)
      })`,
    ]);
  }
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.map((r) => r[i]!.length)),
  );
  for (const row of rows) {
    console.log(
      row
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
        )
        .join("  "),
    );
  }
  connection.socket.destroy();
} finally {
  child.kill("SIGTERM");
}
