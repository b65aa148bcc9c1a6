/**
 * `npm run memory -- NN [count] [--volatile | --lists | --hashes | --sets |
 * --zsets]`: bytes per key (or per list element, hash field, set or sorted
 * set member), ours and real Redis's.
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
 * The aggregate types (chapter 06 on) have two scenarios each, reported in
 * bytes per item: `count` small keys of 4 items, where the key and the
 * structure's overhead dominate, and one key of `count` items, added in
 * batches, where the packing of the items does.
 * - `--lists`: `RPUSH key xxx xxx xxx xxx`, then one list of `xxx`;
 * - `--hashes`: `HSET key f1 xxx f2 xxx f3 xxx f4 xxx`, then one hash of
 *   fields `element:000000000042` with `xxx`;
 * - `--sets`: `SADD key 1 2 3 4`, then one set of the integers 0 to
 *   count - 1, far more than an intset holds;
 * - `--zsets`: `ZADD key 1 m1 2 m2 3 m3 4 m4`, then one sorted set of
 *   members `element:000000000042` scored 42.
 * For each it also prints the OBJECT ENCODING of a sample key on both
 * servers: listpack or quicklist, listpack or hashtable, intset or
 * hashtable, listpack or skiplist. The scenarios are in
 * memory-scenarios.ts.
 *
 * Needs `--expose-gc`, which the npm script passes.
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chapterFromArgs } from "./command-line.ts";
import { freePort, redisServerArgs, waitForPong } from "./local-redis.ts";
import {
  command,
  MODE_FLAGS,
  scenariosFor,
  type Mode,
  type Scenario,
} from "./memory-scenarios.ts";

const USAGE = `npm run memory -- NN [count] [${MODE_FLAGS.join(" | ")}]`;
const { chapter, rest } = chapterFromArgs(USAGE);
const flags = rest.filter((arg) => arg.startsWith("--"));
const count = Number(rest.find((arg) => !arg.startsWith("--")) ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error("Run with node --expose-gc (npm run memory does).");
  process.exit(2);
}
if (flags.length > 1 || flags.some((flag) => !MODE_FLAGS.includes(flag))) {
  console.error(`One mode at most, each measures something else. ${USAGE}`);
  process.exit(2);
}
if (!(Number.isInteger(count) && count > 0)) {
  console.error(`The count is a whole number of keys. ${USAGE}`);
  process.exit(2);
}
const mode = (flags[0]?.slice(2) ?? "strings") as Mode;
const SCENARIOS = scenariosFor(mode, count);

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

/**
 * Sends one command and resolves with its reply: one line (`+OK`, `-ERR
 * ...`, `$-1`) or one bulk string, whole. Inside a reply of `$N`, N is a
 * count of bytes, and a latin1 string has one character per byte.
 */
function ask(socket: Socket, ...words: string[]): Promise<string> {
  const whole = (reply: string): boolean => {
    const bulk = /^\$(\d+)\r\n/.exec(reply);
    if (bulk === null) return reply.includes("\r\n");
    return reply.length >= bulk[0].length + Number(bulk[1]) + 2;
  };
  return new Promise((resolve) => {
    let reply = "";
    const onData = (chunk: Buffer): void => {
      reply += chunk.toString("latin1");
      if (whole(reply)) {
        socket.off("data", onData);
        resolve(reply);
      }
    };
    socket.on("data", onData);
    socket.write(command(...words));
  });
}

/** A connection to the server on loopback `port`, once it is open. */
async function connected(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/**
 * Writes the scenario. Every reply is a line (`+OK`, `:4`); an error line
 * means the server lacks the command (a chapter before the type's), and
 * the figures would measure nothing, so it stops there.
 */
async function fill(port: number, scenario: Scenario): Promise<void> {
  const socket = await connected(port);
  for (const { request, replies } of scenario.batches()) {
    const received = await roundTrip(socket, request, replies);
    const error = /^-[^\r\n]*/m.exec(received);
    if (error !== null) {
      socket.destroy();
      throw new Error(`${scenario.label}: the server replied ${error[0]}`);
    }
  }
  socket.destroy();
}

/** `, OBJECT ENCODING listpack` for the scenario's sample key, or "" if it has none. */
async function encoding(socket: Socket, scenario: Scenario): Promise<string> {
  if (scenario.sampleKey === undefined) return "";
  const reply = await ask(socket, "OBJECT", "ENCODING", scenario.sampleKey);
  const bulk = /^\$\d+\r\n(.*)\r\n/.exec(reply);
  return `, OBJECT ENCODING ${bulk === null ? reply.trim() : bulk[1]}`;
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
  await fill(server.port, scenario).catch((error: Error) => {
    console.error(`Chapter ${chapter.id} cannot run this: ${error.message}`);
    process.exit(1);
  });
  const perUnit = (heapAndBuffers() - before) / scenario.units;
  const socket = await connected(server.port);
  const encodingNote = await encoding(socket, scenario);
  socket.destroy();
  await server.close();
  // The closed server is still reachable until its last callbacks have
  // run, on the next turn of the event loop; the next scenario must not
  // count its release.
  await new Promise((resolve) => setImmediate(resolve));
  ours.push(perUnit);
  console.log(
    `chapter ${chapter.id}: ${perUnit.toFixed(1)} bytes per ${scenario.unit} (${scenario.label}, JavaScript heap + Buffers, after GC)${encodingNote}`,
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
  // Stopped however this ends: a failed scenario must not leave it running.
  const socket = await connected(redisPort).catch((error: unknown) => {
    redis.kill();
    throw error;
  });
  try {
    const usedMemory = async (): Promise<number> =>
      Number(/used_memory:(\d+)/.exec(await ask(socket, "INFO", "memory"))![1]);
    for (const [i, scenario] of SCENARIOS.entries()) {
      const redisBefore = await usedMemory();
      await fill(redisPort, scenario);
      const redisPerUnit =
        ((await usedMemory()) - redisBefore) / scenario.units;
      const encodingNote = await encoding(socket, scenario);
      await ask(socket, "FLUSHALL");
      console.log(
        `redis-server: ${redisPerUnit.toFixed(1)} bytes per ${scenario.unit} (${scenario.label}, used_memory)${encodingNote}`,
      );
      const which = SCENARIOS.length > 1 ? ` (${scenario.label})` : "";
      console.log(
        `ratio: ${(ours[i]! / redisPerUnit).toFixed(2)}x Redis${which}`,
      );
    }
  } finally {
    socket.destroy();
    redis.kill();
  }
}
