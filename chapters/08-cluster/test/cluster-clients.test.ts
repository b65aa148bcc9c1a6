/**
 * Cluster clients against three nodes: ioredis's `Redis.Cluster` (learns
 * the slots with CLUSTER SLOTS, sends each command to the slot's owner,
 * follows MOVED) and `redis-cli -c` (follows MOVED from any node).
 */
import { describe, expect, it } from "vitest";
import {
  clusterClientForThisTest,
  useCluster,
} from "../../../shared/cluster-harness.ts";
import { hasRedisCli, redisCli } from "./redis-cli-helpers.ts";

const cluster = useCluster(3);

// ioredis's default protocol is 3; the suite runs once and tries both.
describe.each([3, 2] as const)(
  "Redis.Cluster (ioredis), RESP%i",
  (protocol) => {
    const clusterClient = () =>
      clusterClientForThisTest(cluster.nodes, protocol);

    it("writes 10,000 keys to their owners and reads them back", async () => {
      const client = clusterClient();
      for (const node of cluster.nodes)
        await (await node.admin()).call("FLUSHALL");
      const keys = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
      // In batches, so that a thousand commands at most wait at once.
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const replies = await Promise.all(
          batch.map((key) => client.set(key, `value of ${key}`)),
        );
        expect(replies.every((reply) => reply === "OK")).toBe(true);
      }
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const values = await Promise.all(batch.map((key) => client.get(key)));
        expect(values).toEqual(batch.map((key) => `value of ${key}`));
      }
      const sizes = await Promise.all(
        cluster.nodes.map(async (node) =>
          Number(await (await node.admin()).call("DBSIZE")),
        ),
      );
      // Each node holds about a third: the keys went to their slots' owners.
      for (const size of sizes) expect(size).toBeGreaterThan(3000);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    }, 60_000);

    it("runs a pipeline whose keys share a hash tag on their node", async () => {
      const client = clusterClient();
      const results = await client
        .pipeline()
        .del("{user:7}visits")
        .incr("{user:7}visits")
        .incrby("{user:7}visits", 10)
        .set("{user:7}name", "ada")
        .get("{user:7}name")
        .exec();
      expect(results).toEqual([
        [null, expect.any(Number)],
        [null, 1],
        [null, 11],
        [null, "OK"],
        [null, "ada"],
      ]);
    });

    it("runs MULTI/EXEC on the node of the keys' slot", async () => {
      const client = clusterClient();
      const results = await client
        .multi()
        .set("{cart:1}items", "3")
        .incr("{cart:1}items")
        .get("{cart:1}items")
        .exec();
      expect(results).toEqual([
        [null, "OK"],
        [null, 4],
        [null, "4"],
      ]);
    });

    it("reads several keys with one MGET when they share a hash tag", async () => {
      const client = clusterClient();
      await client.mset("{tag}a", "1", "{tag}b", "2", "{tag}c", "3");
      expect(await client.mget("{tag}a", "{tag}b", "{tag}c", "{tag}d")).toEqual(
        ["1", "2", "3", null],
      );
    });

    it("passes CROSSSLOT on to the caller when the keys do not share a slot", async () => {
      const client = clusterClient();
      // a and b hash to slots 15495 and 3300: no node can answer for both.
      await expect(client.mget("a", "b")).rejects.toThrow(
        "CROSSSLOT Keys in request don't hash to the same slot",
      );
      await expect(client.mset("a", "1", "b", "2")).rejects.toThrow(
        "CROSSSLOT Keys in request don't hash to the same slot",
      );
    });
  },
);

describe.skipIf(!hasRedisCli)("redis-cli -c", () => {
  it("follows MOVED from whichever node it asks first", async () => {
    // foo hashes to slot 12182, which the third node serves.
    const [first, , third] = cluster.nodes;
    const moved = await redisCli(["-p", String(first!.port), "get", "foo"]);
    // Without -c, the redirect is what it prints (an error: then a blank line).
    expect(moved.stdout.trim()).toBe(`MOVED 12182 ${third!.address}`);
    const set = await redisCli([
      "-c",
      "-p",
      String(first!.port),
      "set",
      "foo",
      "bar",
    ]);
    expect(set.stdout).toBe("OK\n");
    for (const node of cluster.nodes) {
      const get = await redisCli(["-c", "-p", String(node.port), "get", "foo"]);
      expect(get.stdout).toBe("bar\n");
    }
    expect(
      await redisCli(["-p", String(third!.port), "get", "foo"]),
    ).toMatchObject({ stdout: "bar\n" });
  });
});
