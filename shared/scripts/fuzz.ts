/**
 * `npm run fuzz -- NN [--seed S] [--commands N] [--protocol 2|3|both] [--cluster]`:
 * the differential fuzzer (shared/fuzz/fuzz.ts) on chapter NN against a
 * throwaway redis-server. Without --seed it picks one at random and prints
 * it, so any run can be repeated. --protocol says which protocol the
 * commands go out in: RESP2, RESP3 (each connection opens with HELLO 3),
 * or both, in turns (the default). --cluster, for a chapter with cluster
 * mode (a src/cluster/ folder), starts both servers as cluster nodes
 * (shared/fuzz/cluster-mode.ts). Exits 1 if an unexplained difference
 * was found, 2 on a usage error.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { randomInt } from "node:crypto";
import { speaksRedis } from "../chapters.ts";
import { chapterFromArgs, exitWithUsage } from "./command-line.ts";
import { runFuzz } from "../fuzz/fuzz.ts";
import { PROTOCOL_CHOICES, type ProtocolChoice } from "../fuzz/protocol.ts";

const USAGE =
  "npm run fuzz -- NN [--seed S] [--commands N] [--protocol 2|3|both] [--cluster]";
const DEFAULT_COMMANDS = 100_000;

const { chapter, chapters, rest } = chapterFromArgs(USAGE);
if (!speaksRedis(chapter)) {
  exitWithUsage(
    USAGE,
    chapters.filter(speaksRedis),
    `Chapter ${chapter.id} is an echo server: there is no Redis to compare it with.`,
  );
}

let seed = randomInt(0, 2 ** 32);
let commands = DEFAULT_COMMANDS;
let protocol: ProtocolChoice = "both";
let cluster = false;
const isProtocol = (value: string | undefined): value is ProtocolChoice =>
  PROTOCOL_CHOICES.some((choice) => choice === value);
for (let i = 0; i < rest.length; i++) {
  const option = rest[i];
  const value = rest[i + 1];
  const number = Number(value);
  if (option === "--cluster") {
    cluster = true;
  } else if (option === "--protocol" && isProtocol(value)) {
    protocol = value;
    i += 1;
  } else if (
    (option === "--seed" || option === "--commands") &&
    value !== undefined &&
    /^\d+$/.test(value) &&
    Number.isSafeInteger(number)
  ) {
    if (option === "--seed") seed = number >>> 0;
    else commands = number;
    i += 1;
  } else {
    exitWithUsage(
      USAGE,
      chapters.filter(speaksRedis),
      `Unexpected argument: ${option}`,
    );
  }
}

if (cluster && !existsSync(join(chapter.dir, "src", "cluster"))) {
  const withCluster = chapters.filter((c) =>
    existsSync(join(c.dir, "src", "cluster")),
  );
  exitWithUsage(
    USAGE,
    withCluster,
    `Chapter ${chapter.id} has no cluster mode (no src/cluster/ folder): --cluster needs one that has.`,
  );
}

const result = await runFuzz({ chapter, seed, commands, protocol, cluster });
process.exit(result.unexplained > 0 ? 1 : 0);
