/**
 * `npm run slow-reader NN [-- --megabytes 256 --idle-seconds 4]`: the
 * slow-reader scenario, measured on chapter NN's server and on redis-server
 * side by side.
 *
 * A client pipelines requests for 256 MB of replies (COMMAND DOCS, a few KB
 * to tens of KB each) and reads nothing for 4 s, then reads everything.
 * Meanwhile another client sends PING every 50 ms. Printed per server: the
 * most its resident memory grew, PING's worst round trip while the client
 * did not read and overall, and whether every byte arrived.
 *
 * Figures, not a test: chapter 02's backpressure suite checks the same
 * scenario with generous bounds, and the article quotes these figures
 * (with the machine's load when they were taken: they move with it).
 * Linux only (it reads /proc for memory).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { chapterFromArgs } from "./command-line.ts";
import { freePort, redisServerArgs, waitForPong } from "./local-redis.ts";
import { REPO_ROOT, speaksRedis } from "../chapters.ts";

const MiB = 1024 * 1024;

const { chapter, rest } = chapterFromArgs(
  "npm run slow-reader NN [-- --megabytes 256 --idle-seconds 4]",
);
if (!speaksRedis(chapter)) {
  console.error(`Chapter ${chapter.id} has no commands to pipeline.`);
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: {
    megabytes: { type: "string", default: "256" },
    "idle-seconds": { type: "string", default: "4" },
  },
});
const megabytes = Number(values.megabytes);
const idleMs = Number(values["idle-seconds"]) * 1000;

interface Figures {
  replySize: number;
  commands: number;
  delivered: boolean;
  rssGrowthMiB: number;
  pingWhileIdleMs: number;
  pingOverallMs: number;
}

const results: Record<string, Figures> = {};
for (const [name, start] of [
  [`ours (${chapter.id})`, startOurs],
  ["redis-server", startRedis],
] as const) {
  const { child, port } = await start();
  try {
    // One warm-up run, so that both are measured warm.
    await scenario(port, child.pid!, 16, 500);
    results[name] = await scenario(port, child.pid!, megabytes, idleMs);
  } finally {
    child.kill("SIGKILL");
  }
}
console.table(results);

async function startOurs(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const main = join(chapter.dir, "src", "main.ts");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", main, "--port", String(port)],
    { cwd: REPO_ROOT, stdio: "ignore" },
  );
  await waitForPong(port, Date.now() + 15_000, () => child.exitCode !== null);
  return { child, port };
}

async function startRedis(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn("redis-server", redisServerArgs(port), {
    stdio: "ignore",
  });
  await waitForPong(port, Date.now() + 10_000, () => child.exitCode !== null);
  return { child, port };
}

async function scenario(
  port: number,
  pid: number,
  megabytes: number,
  idleMs: number,
): Promise<Figures> {
  const replySize = await sizeOfReply(port);
  const commands = Math.ceil((megabytes * MiB) / replySize);
  const rssBefore = residentBytes(pid);
  let rssPeak = rssBefore;
  const sampling = setInterval(() => {
    rssPeak = Math.max(rssPeak, residentBytes(pid));
  }, 50);

  const reader = await connected(port);
  reader.pause();
  reader.write("COMMAND DOCS\r\n".repeat(commands));

  const pinger = await connected(port);
  const latencies: { at: number; ms: number }[] = [];
  const started = performance.now();
  let pinging = true;
  const pings = (async () => {
    while (pinging) {
      const sent = performance.now();
      await new Promise((resolve) => {
        pinger.once("data", resolve);
        pinger.write("PING\r\n");
      });
      latencies.push({ at: sent - started, ms: performance.now() - sent });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const expected = commands * replySize;
  let received = 0;
  await new Promise<void>((resolve) => {
    reader.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received >= expected) resolve();
    });
    reader.on("close", () => resolve());
    reader.resume();
  });
  pinging = false;
  await pings;
  clearInterval(sampling);
  reader.destroy();
  pinger.destroy();

  const worst = (list: { ms: number }[]) =>
    Number(Math.max(...list.map((l) => l.ms)).toFixed(1));
  return {
    replySize,
    commands,
    delivered: received === expected,
    rssGrowthMiB: Number(((rssPeak - rssBefore) / MiB).toFixed(1)),
    pingWhileIdleMs: worst(latencies.filter((l) => l.at < idleMs)),
    pingOverallMs: worst(latencies),
  };
}

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("error", reject);
    socket.once("connect", () => resolve(socket));
  });
}

/** The size of one COMMAND DOCS reply: everything before the PONG behind it. */
async function sizeOfReply(port: number): Promise<number> {
  const socket = await connected(port);
  let received = Buffer.alloc(0);
  await new Promise<void>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.subarray(-7).toString() === "+PONG\r\n") resolve();
    });
    socket.write("COMMAND DOCS\r\nPING\r\n");
  });
  socket.destroy();
  return received.length - 7;
}

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
