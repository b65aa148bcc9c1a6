/**
 * `npm run memory -- NN [count] [--volatile | --lists]`: bytes per key (or
 * per list element), ours and real Redis's.
 *
 * Writes `count` keys (1,000,000 by default) shaped like redis-benchmark's
 * (`key:000000000042`, a 16-byte key, and a 3-byte value) into chapter NN's
 * server, started in this process, and measures how much the JavaScript
 * heap and Buffer memory grew, after a full garbage collection. Then does
 * the same against a real `redis-server` if one is installed, with the
 * `used_memory` INFO reports. A measurement, not a test.
 *
 * With `--volatile` (chapter 04 on), every key gets a time to live of a
 * day (`SET key xxx EX 86400`): the difference between the two runs is
 * what a deadline costs per key.
 *
 * With `--lists` (chapter 06 on), two list scenarios instead, each
 * reported in bytes per element: `count` lists of 4 elements (`RPUSH key
 * xxx xxx xxx xxx`, where the key and its list dominate), and one list of
 * `count` elements (`RPUSH` in batches, where the packing of elements in
 * nodes does).
 *
 * Needs `--expose-gc`, which the npm script passes.
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chapterFromArgs } from "./command-line.ts";
import { freePort, redisServerArgs, waitForPong } from "./local-redis.ts";

const USAGE = "npm run memory -- NN [count] [--volatile | --lists]";
const { chapter, rest } = chapterFromArgs(USAGE);
const volatile = rest.includes("--volatile");
const lists = rest.includes("--lists");
const count = Number(rest.find((arg) => !arg.startsWith("--")) ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error("Run with node --expose-gc (npm run memory does).");
  process.exit(2);
}
if (volatile && lists) {
  console.error(`--volatile and --lists measure different things. ${USAGE}`);
  process.exit(2);
}

/** A command in RESP, as redis-benchmark sends it. */
function command(...words: string[]): string {
  let text = `*${words.length}\r\n`;
  for (const word of words) text += `$${word.length}\r\n${word}\r\n`;
  return text;
}

/** redis-benchmark's key names: `key:` and 12 digits. */
function keyName(i: number): string {
  return `key:${String(i).padStart(12, "0")}`;
}

/**
 * One thing to measure: the pipelined batches that write it, each with the
 * number of replies (one line each) to wait for, and what the bytes are
 * counted per.
 */
interface Scenario {
  label: string;
  unit: "key" | "element";
  units: number;
  batches(): Iterable<{ request: Buffer; replies: number }>;
}

/** Keys `from` to `to` as `SET key xxx` (or with a day's TTL), in one Buffer each. */
function* stringBatches(): Iterable<{ request: Buffer; replies: number }> {
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    const to = Math.min(from + batch, count);
    let text = "";
    for (let i = from; i < to; i++) {
      text += volatile
        ? command("SET", keyName(i), "xxx", "EX", "86400")
        : command("SET", keyName(i), "xxx");
    }
    yield { request: Buffer.from(text, "latin1"), replies: to - from };
  }
}

/** `count` keys, each `RPUSH key xxx xxx xxx xxx`. */
function* smallListBatches(): Iterable<{ request: Buffer; replies: number }> {
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    const to = Math.min(from + batch, count);
    let text = "";
    for (let i = from; i < to; i++) {
      text += command("RPUSH", keyName(i), "xxx", "xxx", "xxx", "xxx");
    }
    yield { request: Buffer.from(text, "latin1"), replies: to - from };
  }
}

/** One key, `RPUSH biglist xxx ...`, 1,000 elements per command. */
function* bigListBatches(): Iterable<{ request: Buffer; replies: number }> {
  const perCommand = 1_000;
  const commandsPerBatch = 10;
  for (let from = 0; from < count;) {
    let text = "";
    let replies = 0;
    for (let c = 0; c < commandsPerBatch && from < count; c++) {
      const n = Math.min(perCommand, count - from);
      text += command("RPUSH", "biglist", ...Array<string>(n).fill("xxx"));
      from += n;
      replies++;
    }
    yield { request: Buffer.from(text, "latin1"), replies };
  }
}

const SCENARIOS: Scenario[] = lists
  ? [
      {
        label: `${count} lists of 4 elements`,
        unit: "element",
        units: 4 * count,
        batches: smallListBatches,
      },
      {
        label: `1 list of ${count} elements`,
        unit: "element",
        units: count,
        batches: bigListBatches,
      },
    ]
  : [
      {
        label: `${count} ${volatile ? "volatile " : ""}keys`,
        unit: "key",
        units: count,
        batches: stringBatches,
      },
    ];

/** Sends `request` and resolves once `replies` one-line replies have come back. */
function roundTrip(
  socket: Socket,
  request: Buffer,
  replies: number,
): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    let lines = 0;
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString("latin1");
      received += text;
      for (
        let i = text.indexOf("\n");
        i !== -1;
        i = text.indexOf("\n", i + 1)
      ) {
        lines++;
      }
      if (lines >= replies) {
        socket.off("data", onData);
        resolve(received);
      }
    };
    socket.on("data", onData);
    socket.write(request);
  });
}

async function fill(port: number, scenario: Scenario): Promise<void> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  for (const { request, replies } of scenario.batches()) {
    await roundTrip(socket, request, replies);
  }
  socket.destroy();
}

function heapAndBuffers(): number {
  gc!();
  gc!();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

// Ours, in this process: a fresh server for each scenario.
const { startServer } = (await import(
  pathToFileURL(join(chapter.dir, "src", "server.ts")).href
)) as {
  startServer: (config: object) => Promise<{
    port: number;
    close(): Promise<void>;
  }>;
};
const ours: number[] = [];
for (const scenario of SCENARIOS) {
  const server = await startServer({ port: 0 });
  const before = heapAndBuffers();
  await fill(server.port, scenario);
  const perUnit = (heapAndBuffers() - before) / scenario.units;
  await server.close();
  // The closed server is still reachable until its last callbacks have
  // run, on the next turn of the event loop; the next scenario must not
  // count its release.
  await new Promise((resolve) => setImmediate(resolve));
  ours.push(perUnit);
  console.log(
    `chapter ${chapter.id}: ${perUnit.toFixed(1)} bytes per ${scenario.unit} (${scenario.label}, JavaScript heap + Buffers, after GC)`,
  );
}

// Real Redis, if installed.
const redisPort = await freePort();
const redis = spawn("redis-server", redisServerArgs(redisPort), {
  stdio: "ignore",
});
let redisMissing = false;
redis.once("error", () => (redisMissing = true));
const started = await waitForPong(
  redisPort,
  Date.now() + 10_000,
  () => redisMissing,
).then(
  () => true,
  () => false,
);
if (!started) {
  redis.kill();
  console.log(
    "redis-server is not installed (or did not start): no comparison.",
  );
} else {
  const socket = connect(redisPort, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const usedMemory = async (): Promise<number> => {
    let reply = "";
    const done = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => {
        reply += chunk.toString("latin1");
        if (/used_memory:\d+\r\n/.test(reply)) {
          socket.off("data", onData);
          resolve();
        }
      };
      socket.on("data", onData);
    });
    socket.write("INFO memory\r\n");
    await done;
    return Number(/used_memory:(\d+)/.exec(reply)![1]);
  };
  for (const [i, scenario] of SCENARIOS.entries()) {
    const redisBefore = await usedMemory();
    await fill(redisPort, scenario);
    const redisPerUnit = ((await usedMemory()) - redisBefore) / scenario.units;
    await roundTrip(socket, Buffer.from("FLUSHALL\r\n"), 1);
    console.log(
      `redis-server: ${redisPerUnit.toFixed(1)} bytes per ${scenario.unit} (${scenario.label}, used_memory)`,
    );
    const which = SCENARIOS.length > 1 ? ` (${scenario.label})` : "";
    console.log(
      `ratio: ${(ours[i]! / redisPerUnit).toFixed(2)}x Redis${which}`,
    );
  }
  socket.destroy();
  redis.kill();
}
