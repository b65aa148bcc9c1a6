/**
 * What the tests that cross AOF files with redis-server 7.0.15 share
 * (list-persistence, sorted-sets): our server in-process and a
 * redis-server of their own side by side, each on a folder of its own,
 * one writing a file the other loads.
 *
 * They need a redis-server binary (the one `npm run test:redis` names in
 * REDIS_SERVER_BIN, or the one installed) and our server in-process, so
 * they are skipped under REDIS_URL and where no redis-server is installed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it, onTestFinished } from "vitest";
import { Redis, type RedisOptions } from "ioredis";
import { external } from "../../../shared/harness.ts";
import { namingCommands } from "../../../shared/replies.ts";
import { disconnect, type RunningInstance } from "./persistence-helpers.ts";

/** The redis-server to cross files with: `npm run test:redis`'s, or the one installed. */
export const redisServerBinary = process.env.REDIS_SERVER_BIN ?? "redis-server";

const hasRedisServer =
  spawnSync(redisServerBinary, ["--version"], { stdio: "ignore" }).error ===
  undefined;

/** A test of our server and a redis-server side by side. */
export const itCrossesFiles = it.skipIf(external || !hasRedisServer);

/**
 * A client of `address` (a server started with `startRedis`, or our
 * server's host and port), closed when the test ends; its error replies
 * name their command, as the harness's do.
 */
export async function connectTo(
  address: RunningInstance["address"],
  options: RedisOptions = {},
): Promise<Redis> {
  const client = new Redis({
    ...address,
    ...options,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  onTestFinished(() => disconnect(client));
  await client.connect();
  return namingCommands(client);
}

/** A fresh folder for one test, its name starting with `prefix`, removed when the test ends. */
export function freshFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Redis's AOF files, base first, in the order its manifest gives them. */
export function redisAofFiles(dir: string): { name: string; type: string }[] {
  const folderPath = join(dir, "appendonlydir");
  const manifest = readFileSync(
    join(folderPath, "appendonly.aof.manifest"),
    "latin1",
  );
  const files = [...manifest.matchAll(/^file (\S+) seq \d+ type ([bhi])$/gm)]
    .map(([, name, type]) => ({ name: join(folderPath, name!), type: type! }))
    .filter(({ type }) => type !== "h"); // history: about to be deleted
  return [
    ...files.filter(({ type }) => type === "b"),
    ...files.filter(({ type }) => type === "i"),
  ];
}
