/**
 * Article step "node-redis": an application's session through node-redis
 * 6, the official Node client (npm's `redis`), and its data surviving a
 * rewrite and a restart.
 *
 * The first test is the acceptance script for node-redis: PING, SET with
 * EX, INCR, GET, TTL, MGET, scanIterator and INFO, each answer compared
 * with what redis-server 7.0.15 gives (the test passes against both). The
 * last one needs a server of its own to restart, so it runs only against
 * ours, in-process: writes, BGREWRITEAOF, more writes, a graceful stop,
 * and a new server on the same folder read back through node-redis.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectNodeRedis,
  itInProcess,
  startChapterServer,
  useServer,
  type ChapterServer,
  type NodeRedisClient,
} from "../../../shared/harness.ts";
import { keysForThisTest, pollUntil } from "./client-helpers.ts";

const server = useServer();

/** One `name:value` field of an INFO section, as text (undefined if absent). */
async function infoField(
  redis: NodeRedisClient,
  section: string,
  name: string,
): Promise<string | undefined> {
  const info = await redis.info(section);
  const line = info.split("\r\n").find((l) => l.startsWith(`${name}:`));
  return line?.slice(name.length + 1);
}

describe("an application's session", () => {
  it("PING, SET with EX, INCR, GET, TTL, MGET, scanIterator and INFO answer as Redis does", async () => {
    const redis = await server.nodeRedis();
    const key = keysForThisTest();

    expect(await redis.ping()).toBe("PONG");
    expect(
      await redis.set(key("session"), "alice", {
        expiration: { type: "EX", value: 60 },
      }),
    ).toBe("OK");
    expect(await redis.incr(key("visits"))).toBe(1);
    expect(await redis.incr(key("visits"))).toBe(2);
    expect(await redis.get(key("session"))).toBe("alice");
    expect(await redis.get(key("visits"))).toBe("2");
    expect(await redis.get(key("missing"))).toBeNull();

    const ttl = await redis.ttl(key("session"));
    expect(ttl).toBeGreaterThanOrEqual(59);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.ttl(key("visits"))).toBe(-1);
    expect(await redis.ttl(key("missing"))).toBe(-2);

    expect(
      await redis.mGet([key("session"), key("missing"), key("visits")]),
    ).toEqual(["alice", null, "2"]);

    const scanned: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: key("*") }))
      scanned.push(...batch);
    expect(scanned.sort()).toEqual([key("session"), key("visits")]);

    const info = await redis.info();
    expect(info).toMatch(/^# Server\r\nredis_version:\d+\.\d+\.\d+\r\n/);
    expect(info).toContain("\r\n# Persistence\r\n");
    expect(info).toMatch(/\r\naof_enabled:[01]\r\n/);
    expect(await infoField(redis, "keyspace", "db0")).toMatch(
      /^keys=\d+,expires=\d+,avg_ttl=\d+$/,
    );
  });
});

describe("after a rewrite and a restart", () => {
  /** Our server with the AOF on, in `dir`; closed when the test ends. */
  async function startWithAof(dir: string): Promise<ChapterServer> {
    return startChapterServer({ appendonly: true, dir });
  }

  /** A node-redis client of `server`'s, destroyed when the test ends. */
  async function clientOf(server: ChapterServer): Promise<NodeRedisClient> {
    const client = await connectNodeRedis(server);
    onTestFinished(() => client.destroy());
    return client;
  }

  itInProcess(
    "BGREWRITEAOF answers as Redis does, and every write comes back through node-redis",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "node-redis-aof-"));
      onTestFinished(() => rm(dir, { recursive: true, force: true }));
      const key = keysForThisTest();

      const first = await startWithAof(dir);
      const writer = await clientOf(first);
      await writer.set(key("session"), "alice", {
        expiration: { type: "EX", value: 1_000 },
      });
      await writer.incr(key("visits"));
      await writer.incr(key("visits"));
      await writer.mSet({ [key("a")]: "1", [key("b")]: "2" });
      await writer.del(key("b"));

      const rewrites = Number(
        await infoField(writer, "persistence", "aof_rewrites"),
      );
      expect(await writer.bgRewriteAof()).toBe(
        "Background append only file rewriting started",
      );
      // Writes while the rewrite runs must reach the new file too.
      await writer.incr(key("visits"));
      await writer.append(key("a"), "0");
      await pollUntil(
        async () =>
          (await infoField(
            writer,
            "persistence",
            "aof_rewrite_in_progress",
          )) === "0" &&
          Number(await infoField(writer, "persistence", "aof_rewrites")) >
            rewrites,
        true,
        "the rewrite to finish",
        { limitMs: 20_000 },
      );
      await writer.incr(key("visits"));
      await writer.close();
      await first.close();

      const second = await startWithAof(dir);
      const reader = await clientOf(second);
      expect(
        await reader.mGet([key("session"), key("visits"), key("a"), key("b")]),
      ).toEqual(["alice", "4", "10", null]);
      const ttl = await reader.ttl(key("session"));
      expect(ttl).toBeGreaterThan(900);
      expect(ttl).toBeLessThanOrEqual(1_000);
      expect(await reader.ttl(key("visits"))).toBe(-1);
    },
  );
});
