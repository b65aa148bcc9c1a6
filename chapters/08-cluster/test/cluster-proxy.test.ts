/**
 * `cluster-proxy yes`, this chapter's own proxy mode (NOT a Redis setting:
 * a deliberate difference, so these tests run against our nodes only and
 * are skipped with CLUSTER_NODES=redis). A node forwards a command for
 * another node's slot to that node and relays its reply, so that clients
 * that know nothing of clusters can use any node: `redis-cli` without
 * `-c`, and a plain ioredis client, in RESP2 and RESP3 (each test tries
 * both itself, so the suite runs once).
 *
 * Checked here: keys of every node through one node, pipelines whose
 * replies keep their order across local and forwarded commands, the
 * owner's errors and big values relayed byte for byte, MULTI/EXEC sent as
 * one unit, what is not forwarded (blocking commands, WATCH: MOVED), an
 * owner that stops answering (timeout) or dies (prompt errors, recovery
 * after its restart), and MOVED again once the proxy is off.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import {
  againstRedis,
  useCluster,
  waitUntil,
} from "../../../shared/cluster-harness.ts";
import { errorText } from "../../../shared/replies.ts";
import { hasRedisCli, redisCli } from "./redis-cli-helpers.ts";

const PROTOCOLS = [2, 3] as const;

const WRONGTYPE =
  "WRONGTYPE Operation against a key holding the wrong kind of value";

/**
 * The text of the error a command was answered with. (client-helpers.ts
 * has one too, but this suite must not import a file that makes clients
 * in the project's protocol: it runs once, trying both itself.)
 */
async function errorOf(reply: Promise<unknown>): Promise<string> {
  try {
    await reply;
  } catch (error) {
    return errorText(error);
  }
  throw new Error("expected an error reply, but the command succeeded");
}

describe.skipIf(againstRedis)(
  "cluster-proxy yes (ours, not Redis): any node answers for every slot",
  () => {
    const cluster = useCluster(3, { args: ["--cluster-proxy", "yes"] });

    /** Which node owns each slot, from CLUSTER SLOTS. */
    let owners: number[] = [];
    beforeAll(async () => {
      const admin = await cluster.nodes[0]!.admin();
      const ranges = (await admin.call("CLUSTER", "SLOTS")) as [
        number,
        number,
        [string, number],
      ][];
      owners = new Array<number>(16384).fill(-1);
      for (const [start, end, [, port]] of ranges) {
        const index = cluster.nodes.findIndex((node) => node.port === port);
        owners.fill(index, start, end + 1);
      }
    });

    /**
     * A plain client of node `index`, as an application would make it:
     * ioredis's defaults (ready check, retries), in `protocol`.
     */
    function plainClient(index: number, protocol: 2 | 3): Promise<Redis> {
      return cluster.nodes[index]!.connect({
        protocol,
        enableReadyCheck: true,
        maxRetriesPerRequest: 20,
        retryStrategy: (times) => Math.min(times * 50, 2000),
      });
    }

    /** A key no other test uses, in a slot node `index` owns. */
    async function keyOn(index: number): Promise<string> {
      const admin = await cluster.nodes[0]!.admin();
      for (;;) {
        const key = `{${randomBytes(6).toString("hex")}}`;
        const slot = Number(await admin.call("CLUSTER", "KEYSLOT", key));
        if (owners[slot] === index) return key;
      }
    }

    it.skipIf(!hasRedisCli)(
      "serves redis-cli without -c for the keys of every node",
      async () => {
        const entry = cluster.nodes[0]!.port;
        for (const index of [0, 1, 2]) {
          const key = await keyOn(index);
          const set = await redisCli([
            "-p",
            `${entry}`,
            "set",
            key,
            `v${index}`,
          ]);
          expect(set.stdout).toBe("OK\n");
          const get = await redisCli(["-p", `${entry}`, "get", key]);
          expect(get.stdout).toBe(`v${index}\n`);
          // And the owner really has it.
          const owner = cluster.nodes[index]!.port;
          const direct = await redisCli(["-p", `${owner}`, "get", key]);
          expect(direct.stdout).toBe(`v${index}\n`);
        }
      },
    );

    // Each client waits for each forwarded command: 6,000 round trips
    // through a second node, slow on a loaded machine.
    it("takes 3,000 keys through one node, each stored by its owner", async () => {
      const admins = await Promise.all(
        cluster.nodes.map((node) => node.admin()),
      );
      const sizesBefore = await Promise.all(admins.map((a) => a.dbsize()));
      const prefix = randomBytes(6).toString("hex");
      const keys = Array.from({ length: 3000 }, (_, i) => `${prefix}:${i}`);
      // Written in RESP2, read back in RESP3: each protocol's connections.
      const writer = await plainClient(0, 2);
      const writes = writer.pipeline();
      for (const key of keys) writes.set(key, `value of ${key}`);
      const written = await writes.exec();
      expect(
        written!.every(([err, reply]) => err === null && reply === "OK"),
      ).toBe(true);

      const reader = await plainClient(0, 3);
      const reads = reader.pipeline();
      for (const key of keys) reads.get(key);
      const read = (await reads.exec())!.map(([, value]) => value);
      expect(read).toEqual(keys.map((key) => `value of ${key}`));

      const sizesAfter = await Promise.all(admins.map((a) => a.dbsize()));
      const added = sizesAfter.map((size, i) => size - sizesBefore[i]!);
      // Every node got its share (about a third each), 3,000 in all.
      expect(added.every((count) => count > 500)).toBe(true);
      expect(added.reduce((a, b) => a + b)).toBe(3000);
    }, 120_000);

    it("keeps replies in order across local and forwarded commands", async () => {
      const keys = [await keyOn(0), await keyOn(1), await keyOn(2)];
      for (const protocol of PROTOCOLS) {
        const client = await plainClient(0, protocol);
        const pipeline = client.pipeline();
        const expected: unknown[] = [];
        for (let round = 1; round <= 50; round++) {
          for (const key of keys) {
            pipeline.incr(key);
            expected.push(round + (protocol - 2) * 50);
          }
          pipeline.echo(`round ${round}`); // keyless: served by node 0
          expected.push(`round ${round}`);
        }
        const replies = (await pipeline.exec())!.map(([err, value]) => {
          expect(err).toBeNull();
          return value;
        });
        expect(replies).toEqual(expected);
      }
    });

    it("relays the owner's errors and replies byte for byte", async () => {
      const remote = await keyOn(1);
      const owner = await cluster.nodes[1]!.admin();
      await owner.rpush(remote, "a", "b");
      for (const protocol of PROTOCOLS) {
        const client = await plainClient(0, protocol);
        expect(await errorOf(client.get(remote))).toBe(WRONGTYPE);
        expect(await errorOf(client.call("INCRBY", remote, "x"))).toBe(
          "ERR value is not an integer or out of range",
        );
        const hash = await keyOn(2);
        await client.hset(hash, "f", "1", "g", "2.5");
        const direct = await plainClient(2, protocol);
        // RESP3 maps and doubles come through as the owner wrote them.
        for (const command of [
          ["HGETALL", hash],
          ["HINCRBYFLOAT", hash, "g", "0"],
          ["OBJECT", "ENCODING", hash],
          ["LRANGE", remote, "0", "-1"],
        ]) {
          expect(await client.call(command[0]!, ...command.slice(1))).toEqual(
            await direct.call(command[0]!, ...command.slice(1)),
          );
        }
      }
    });

    it("relays 1 MB values both ways", async () => {
      const remote = await keyOn(2);
      const value = randomBytes(1024 * 1024);
      for (const protocol of PROTOCOLS) {
        const client = await plainClient(0, protocol);
        expect(await client.set(remote, value)).toBe("OK");
        expect((await client.getBuffer(remote))!.equals(value)).toBe(true);
        expect(await client.strlen(remote)).toBe(value.length);
      }
    });

    it("sends MULTI ... EXEC to the owner as one unit", async () => {
      const tag = await keyOn(1);
      for (const protocol of PROTOCOLS) {
        const client = await plainClient(0, protocol);
        const results = await client
          .multi()
          .set(`${tag}:a`, "1")
          .incr(`${tag}:a`)
          .lpush(`${tag}:list`, "x")
          .exec();
        expect(results).toEqual([
          [null, "OK"],
          [null, 2],
          [null, protocol === 2 ? 1 : 2],
        ]);
        // Keys of two nodes in one transaction: Redis's own refusal.
        const other = await keyOn(2);
        await client.call("MULTI");
        await client.call("SET", `${tag}:b`, "1");
        await client.call("SET", other, "1");
        expect(await errorOf(client.call("EXEC"))).toBe(
          "CROSSSLOT Keys in request don't hash to the same slot",
        );
        // The pooled connection was left outside any transaction.
        expect(await client.get(`${tag}:a`)).toBe("2");
      }
    });

    it("answers MOVED for what it does not forward: blocking commands, WATCH, other proxies' commands", async () => {
      const remote = await keyOn(1);
      const client = await plainClient(0, 3);
      const moved = new RegExp(
        `^MOVED \\d+ 127\\.0\\.0\\.1:${cluster.nodes[1]!.port}$`,
      );
      expect(await errorOf(client.blpop(remote, 1))).toMatch(moved);
      expect(await errorOf(client.watch(remote))).toMatch(moved);
      // Nor what another node's proxy sent (the two disagree on the owner
      // for a moment): one hop, never a bounce back and forth.
      await client.call("CLIENT", "SETNAME", "cluster-proxy");
      expect(await errorOf(client.get(remote))).toMatch(moved);
    });

    it("names its connections cluster-proxy on the owner", async () => {
      await (await plainClient(0, 2)).get(await keyOn(2));
      const list = String(
        await (await cluster.nodes[2]!.admin()).call("CLIENT", "LIST"),
      );
      expect(list).toMatch(/ name=cluster-proxy /);
    });

    it("follows an ASK itself while a slot moves: ASKING, then the command", async () => {
      const key = await keyOn(1);
      const [from, to] = [1, 2].map((i) => cluster.nodes[i]!);
      const [source, target] = await Promise.all([from!.admin(), to!.admin()]);
      const slot = Number(await source.call("CLUSTER", "KEYSLOT", key));
      const ids = await Promise.all(
        [source, target].map(async (a) =>
          String(await a.call("CLUSTER", "MYID")),
        ),
      );
      await source.set(key, "moved along");
      await target.call("CLUSTER", "SETSLOT", slot, "IMPORTING", ids[0]!);
      await source.call("CLUSTER", "SETSLOT", slot, "MIGRATING", ids[1]!);
      expect(
        await source.call("MIGRATE", "127.0.0.1", to!.port, key, 0, 5000),
      ).toBe("OK");
      // The source would answer ASK: node 0 forwards to the source, whose
      // proxy asks the target, and node 1's clients are served too.
      for (const [index, value] of [
        [0, "moved along"],
        [1, "moved along!"],
      ] as const) {
        const client = await plainClient(index, 3);
        expect(await client.get(key)).toBe(value);
        expect(await client.append(key, "!")).toBe(value.length + 1);
      }
      // The move ends: the target owns the slot.
      await target.call("CLUSTER", "SETSLOT", slot, "NODE", ids[1]!);
      await source.call("CLUSTER", "SETSLOT", slot, "NODE", ids[1]!);
      owners[slot] = 2;
      expect(await (await plainClient(0, 2)).get(key)).toBe("moved along!!");
    });

    it("logs its new connections in with the cluster's password", async () => {
      const remote = await keyOn(1);
      const admins = await Promise.all(
        cluster.nodes.map((node) => node.admin()),
      );
      /** The owner hangs up on the proxy's connections: the next one logs in again. */
      async function dropProxyConnections(): Promise<void> {
        const list = String(await admins[1]!.call("CLIENT", "LIST"));
        for (const [, id] of list.matchAll(
          /^id=(\d+) .* name=cluster-proxy /gm,
        )) {
          await admins[1]!.call("CLIENT", "KILL", "ID", id!);
        }
      }
      // The admin connections stay logged in: they connected without one.
      try {
        // Only the owner has a password: the proxy's HELLO is refused,
        // and the client hears why.
        await admins[1]!.config("SET", "requirepass", "s3cret");
        await dropProxyConnections();
        const plain = await plainClient(0, 2);
        let answer = "";
        await waitUntil(
          async () => {
            // Until the proxy notices the old connection is gone, it may
            // still answer, or say it was lost.
            answer = await errorOf(plain.get(remote)).catch(() => "");
            return answer.includes("log in");
          },
          10_000,
          "the owner's refusal of the proxy's log-in",
        );
        expect(answer).toMatch(
          /^TRYAGAIN Proxy cannot log in to the slot's owner 127\.0\.0\.1:\d+: NOAUTH /,
        );

        // The whole cluster shares it: the proxy gives it.
        for (const admin of admins) {
          await admin.config("SET", "requirepass", "s3cret");
        }
        await dropProxyConnections();
        const client = await cluster.nodes[0]!.connect({
          protocol: 3,
          password: "s3cret",
        });
        await waitUntil(
          async () => (await client.set(remote, "v").catch(() => "")) === "OK",
          10_000,
          "a forwarded SET after the owner dropped the proxy's connection",
        );
        expect(await client.get(remote)).toBe("v");
      } finally {
        for (const admin of admins)
          await admin.config("SET", "requirepass", "");
      }
    });

    it("answers TRYAGAIN when the owner does not reply in time, then recovers", async () => {
      const remote = await keyOn(2);
      const entry = await cluster.nodes[0]!.admin();
      await entry.config("SET", "cluster-proxy-timeout", "300");
      const client = await plainClient(0, 2);
      await client.set(remote, "before");
      const pid = cluster.nodes[2]!.pid!;
      process.kill(pid, "SIGSTOP");
      try {
        const started = Date.now();
        expect(await errorOf(client.get(remote))).toMatch(
          /^TRYAGAIN Proxy got no reply from the slot's owner 127\.0\.0\.1:\d+ within 300 ms/,
        );
        // The new, shorter timeout counts at once, even for a connection
        // whose timer was set under the old one.
        expect(Date.now() - started).toBeLessThan(2500);
        // The proxy node itself is fine, and so is the client's connection.
        expect(await client.ping()).toBe("PONG");
      } finally {
        process.kill(pid, "SIGCONT");
        await entry.config("SET", "cluster-proxy-timeout", "5000");
      }
      // A new connection to the owner is made for the next command.
      expect(await client.get(remote)).toBe("before");
    });

    it("answers MOVED again once the proxy is turned off", async () => {
      const remote = await keyOn(1);
      const entry = await cluster.nodes[0]!.admin();
      expect(await entry.config("GET", "cluster-proxy")).toEqual([
        "cluster-proxy",
        "yes",
      ]);
      await entry.config("SET", "cluster-proxy", "no");
      try {
        expect(await errorOf(entry.get(remote))).toMatch(/^MOVED \d+ /);
      } finally {
        await entry.config("SET", "cluster-proxy", "yes");
      }
      expect(await entry.get(remote)).toBeNull();
    });

    // Last: it stops a node of the shared cluster.
    it("fails commands for a killed owner at once, and recovers after its restart", async () => {
      const remote = await keyOn(2);
      const local = await keyOn(0);
      const client = await plainClient(0, 3);
      await client.set(remote, "before");
      await cluster.nodes[2]!.stop();
      expect(await errorOf(client.set(remote, "lost"))).toMatch(
        /^TRYAGAIN Proxy (lost its connection to|cannot connect to) the slot's owner /,
      );
      // The proxy node survives, and serves its own keys.
      expect(await client.set(local, "here")).toBe("OK");
      // Restarted without its data (no AOF here), but with its slots.
      await cluster.nodes[2]!.start();
      await waitUntil(
        async () =>
          (await client.set(remote, "after").catch(() => "")) === "OK",
        20_000,
        "a write to the restarted owner through the proxy",
      );
      expect(await client.get(remote)).toBe("after");
    }, 60_000);
  },
);
