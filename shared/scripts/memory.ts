/**
 * `npm run memory -- NN [count] [--volatile]`: bytes per key, ours and real
 * Redis's.
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
 * Needs `--expose-gc`, which the npm script passes.
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chapterFromArgs } from "./command-line.ts";
import { freePort, redisServerArgs, waitForPong } from "./local-redis.ts";

const USAGE = "npm run memory -- NN [count] [--volatile]";
const { chapter, rest } = chapterFromArgs(USAGE);
const volatile = rest.includes("--volatile");
const count = Number(rest.find((arg) => arg !== "--volatile") ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error("Run with node --expose-gc (npm run memory does).");
  process.exit(2);
}

/** SET commands for keys `from` to `to`, pipelined in one Buffer. */
function setCommands(from: number, to: number): Buffer {
  let text = "";
  for (let i = from; i < to; i++) {
    const key = `key:${String(i).padStart(12, "0")}`;
    text += volatile
      ? `*5\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$3\r\nxxx\r\n$2\r\nEX\r\n$5\r\n86400\r\n`
      : `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$3\r\nxxx\r\n`;
  }
  return Buffer.from(text, "latin1");
}

/** Sends `request` and resolves once `replyBytes` bytes have come back. */
function roundTrip(
  socket: Socket,
  request: Buffer,
  replyBytes: number,
): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const onData = (chunk: Buffer): void => {
      received += chunk.toString("latin1");
      if (received.length >= replyBytes) {
        socket.off("data", onData);
        resolve(received);
      }
    };
    socket.on("data", onData);
    socket.write(request);
  });
}

async function fill(port: number): Promise<void> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    const to = Math.min(from + batch, count);
    await roundTrip(socket, setCommands(from, to), 5 * (to - from)); // +OK\r\n each
  }
  socket.destroy();
}

function heapAndBuffers(): number {
  gc!();
  gc!();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

// Ours, in this process.
const { startServer } = (await import(
  pathToFileURL(join(chapter.dir, "src", "server.ts")).href
)) as {
  startServer: (config: object) => Promise<{
    port: number;
    close(): Promise<void>;
  }>;
};
const server = await startServer({ port: 0 });
const before = heapAndBuffers();
await fill(server.port);
const ours = (heapAndBuffers() - before) / count;
await server.close();
console.log(
  `chapter ${chapter.id}: ${ours.toFixed(1)} bytes per key (${count} ${volatile ? "volatile " : ""}keys, JavaScript heap + Buffers, after GC)`,
);

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
  const redisBefore = await usedMemory();
  await fill(redisPort);
  const redisPerKey = ((await usedMemory()) - redisBefore) / count;
  socket.destroy();
  redis.kill();
  console.log(
    `redis-server: ${redisPerKey.toFixed(1)} bytes per key (used_memory)`,
  );
  console.log(`ratio: ${(ours / redisPerKey).toFixed(2)}x Redis`);
}
