/**
 * `npm run test:redis`: the fidelity run. Starts a real `redis-server` on a
 * free loopback port and runs every chapter's black-box suites against it
 * through REDIS_URL. A test that fails here but passes against our server is
 * a wrong test: it checks our behaviour, not Redis's.
 *
 * Runs the latest chapter's project, whose suites cover chapters 02 to NN.
 * Set REDIS_SERVER to use another redis-server binary.
 */
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { listChapters, speaksRedis } from "../chapters.ts";
import { runVitest } from "./run-vitest.ts";

const latest = listChapters().filter(speaksRedis).at(-1);
if (latest === undefined) {
  console.log(
    "No chapter suite speaks Redis yet (chapter 01 is an echo server): nothing to run against redis-server.",
  );
  process.exit(0);
}

const binary = process.env.REDIS_SERVER ?? "redis-server";
const port = await freePort();
const redis = spawn(
  binary,
  [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const redisExited = new Promise<number | null>((resolve) =>
  redis.once("close", resolve),
);
redis.once("error", (error) => {
  console.error(
    `Cannot start ${binary}: ${error.message}. Install it (Debian: apt-get install redis-server).`,
  );
  process.exit(1);
});

let exitCode = 1;
try {
  await waitForPong(port);
  console.log(
    `Running chapter suites 02..${latest.id.slice(0, 2)} against ${binary} on port ${port}.`,
  );
  exitCode = await runVitest(["--project", latest.id], {
    REDIS_URL: `redis://127.0.0.1:${port}`,
  });
} finally {
  redis.kill("SIGTERM");
  await redisExited;
}
process.exit(exitCode);

/** Asks the OS for a port nobody uses right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers an inline PING; gives up after 10 s. */
async function waitForPong(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ port, host: "127.0.0.1" }, () =>
        socket.write("PING\r\n"),
      );
      socket.setEncoding("utf8");
      socket.once("data", (text: string) => {
        socket.destroy();
        resolve(text);
      });
      socket.once("error", () => resolve(""));
    });
    if (answer.startsWith("+PONG")) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
