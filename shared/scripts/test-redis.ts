/**
 * `npm run test:redis`: the fidelity run. Starts a real `redis-server` on a
 * free loopback port and runs every chapter's black-box suites against it
 * through REDIS_URL. A test that fails here but passes against our server is
 * a wrong test: it checks our behaviour, not Redis's.
 *
 * Runs the latest chapter's projects, whose suites cover chapters 02 to NN:
 * once with RESP3 clients, once with RESP2 ones (with REDIS_URL set, the
 * `-resp2` project takes every suite that talks through ioredis, see
 * shared/projects.ts).
 * Set REDIS_SERVER to use another redis-server binary. Arguments after `--`
 * go to vitest: `npm run test:redis -- replay` runs the files matching it.
 *
 * The suites also get REDIS_SERVER_BIN, the binary itself: tests that must
 * stop and restart a server on the same data folder (chapter 05's AOF)
 * cannot do that to the shared one, so they start throwaway servers of
 * their own from it. Without it (a REDIS_URL of your own) they are skipped.
 */
import { spawn } from "node:child_process";
import { freePort, redisServerArgs, waitForPong } from "./local-redis.ts";
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
const redis = spawn(binary, redisServerArgs(port), {
  stdio: ["ignore", "pipe", "inherit"],
});
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
  await waitForPong(port, Date.now() + 10_000);
  console.log(
    `Running chapter suites 02..${latest.id.slice(0, 2)} against ${binary} on port ${port}, in RESP3 and in RESP2.`,
  );
  exitCode = await runVitest(
    [
      "--project",
      latest.id,
      "--project",
      `${latest.id}-resp2`,
      ...process.argv.slice(2),
    ],
    {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_SERVER_BIN: binary,
      // Each test file starts a redis-server of its own from the binary,
      // so the files run side by side, as they do against our servers.
      // (The server above stays for anything that reads REDIS_URL.)
      REDIS_SERVER_PER_FILE: "1",
    },
  );
} finally {
  redis.kill("SIGTERM");
  await redisExited;
}
process.exit(exitCode);
