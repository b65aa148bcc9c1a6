/**
 * A fresh server started as a program, with redis-server's command-line
 * arguments, for the tests of settings that only a server of its own can
 * show: how many clients it takes (`--maxclients 1`), what it does under a
 * low open-files limit, who it serves when bound to a non-loopback address.
 * The shared server of the harness cannot be bent that far.
 *
 * Which program depends on the run, as for the harness: normally our
 * chapter's `main.ts`; under REDIS_URL a throwaway redis-server from
 * REDIS_SERVER_BIN (`npm run test:redis` sets it), writing nothing to disk.
 * Without REDIS_SERVER_BIN (someone else's server in REDIS_URL) there is
 * none we may start, and `itStartsServers` tests are skipped.
 */
import { it } from "vitest";
import { networkInterfaces } from "node:os";
import { chapterMainPath, external } from "../../../shared/harness.ts";
import { runProgram, type ProgramRun } from "../../../shared/run-program.ts";
import { freePort } from "../../../shared/scripts/local-redis.ts";

const redisServerBin = process.env.REDIS_SERVER_BIN;

/** A test that starts servers of its own: skipped when there is none we may start. */
export const itStartsServers = it.skipIf(
  external && redisServerBin === undefined,
);

export interface ServerProgramOptions {
  /** `ulimit -n` for it (see shared/run-program.ts). */
  fileLimit?: number;
  /** What the test does while it runs, given the port it listens on. */
  whileRunning?: (port: number) => Promise<void>;
}

/**
 * Runs the server under test as a program with `args` (redis-server's
 * directives: `--maxclients 1`), on a port of its own, until
 * `whileRunning` is done; then stops it. Resolves with what it printed.
 */
export async function runServerProgram(
  args: readonly string[],
  options: ServerProgramOptions = {},
): Promise<ProgramRun> {
  const whileRunning = options.whileRunning ?? (() => Promise.resolve());
  if (!external) {
    return runProgram({
      command: [
        process.execPath,
        "--import",
        "tsx",
        chapterMainPath(),
        "--port",
        "0",
        ...args,
      ],
      fileLimit: options.fileLimit,
      ready: /Listening on \S+:(\d+)/,
      whileRunning: (ready) => whileRunning(Number(ready[1])),
    });
  }
  if (redisServerBin === undefined) {
    throw new Error(
      "no redis-server to start under REDIS_URL without REDIS_SERVER_BIN: use itStartsServers",
    );
  }
  const port = await freePort();
  return runProgram({
    command: [
      redisServerBin,
      "--port",
      String(port),
      // Loopback unless `args` say otherwise, as ours: Redis's own default
      // is every interface.
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      ...args,
    ],
    fileLimit: options.fileLimit,
    ready: /Ready to accept connections/,
    whileRunning: () => whileRunning(port),
  });
}

/**
 * An IPv4 address of this machine that is not loopback (the first one), or
 * undefined if it has none. A client that connects to it from here comes
 * from it too: not from the loopback, as far as the server can tell.
 */
export function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && !address.internal) {
        return address.address;
      }
    }
  }
  return undefined;
}
