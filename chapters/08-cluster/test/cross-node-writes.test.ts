/**
 * Cross-node writes in proxy mode (our own, not Redis: Redis answers
 * CROSSSLOT): with `cluster-proxy yes`, MSET, MSETNX, DEL, UNLINK and
 * RENAME whose keys live on several nodes are applied on all of them or
 * on none, by try-confirm-cancel (src/cluster/tcc/); MGET gathers from
 * each node. Replies are those of the single-node commands. Keys of
 * several slots on one node run there. Many clients writing overlapping
 * keys through different nodes never leave a mix of two writes.
 *
 * Crashes at each step of try-confirm-cancel: tcc-crash.test.ts.
 * Our nodes only: a real redis-server has no proxy mode.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { againstRedis, useCluster } from "../../../shared/cluster-harness.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";
import { keyNamer, slotOwners } from "./tcc-helpers.ts";

const protocol = inject("protocol");
const CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

describe.skipIf(againstRedis)("cross-node writes (ours, not Redis)", () => {
  const cluster = useCluster(3, { args: ["--cluster-proxy", "yes"] });
  let keyOn: (node: number, name: string) => Promise<string>;

  beforeAll(async () => {
    keyOn = keyNamer(cluster.nodes, await slotOwners(cluster.nodes));
  });

  /** One key per node listed, each named after its position. */
  async function keysOn(...nodes: number[]): Promise<string[]> {
    const key = keysForThisTest();
    return Promise.all(nodes.map((node, i) => keyOn(node, key(String(i)))));
  }

  function clientOf(index: number): Promise<Redis> {
    return cluster.nodes[index]!.connect({ protocol });
  }

  /** Each key's value, asked of node `node[i]`, which serves key `i`. */
  async function valuesAt(
    nodes: readonly number[],
    keys: readonly string[],
  ): Promise<(string | null)[]> {
    return Promise.all(
      keys.map(async (key, i) =>
        (await cluster.nodes[nodes[i]!]!.admin()).get(key),
      ),
    );
  }

  it("MSET sets keys on three nodes; MGET reads them back in order", async () => {
    const [a, b, c, missing] = await keysOn(0, 1, 2, 2);
    const client = await clientOf(1);
    expect(await client.mset(a!, "1", b!, "2", c!, "3")).toBe("OK");
    expect(await valuesAt([0, 1, 2], [a!, b!, c!])).toEqual(["1", "2", "3"]);
    expect(await client.mget(c!, missing!, a!, b!)).toEqual([
      "3",
      null,
      "1",
      "2",
    ]);
  });

  it("MSETNX sets every key or none, on every node", async () => {
    const [a, b, c] = await keysOn(0, 1, 2);
    const client = await clientOf(0);
    expect(await client.msetnx(a!, "1", b!, "2")).toBe(1);
    expect(await client.msetnx(c!, "3", b!, "new")).toBe(0);
    expect(await valuesAt([0, 1, 2], [a!, b!, c!])).toEqual(["1", "2", null]);
  });

  it("DEL and UNLINK count the keys they removed, on every node", async () => {
    const keys = await keysOn(0, 1, 2, 0, 1);
    const [k0, k1, k2, k3, k4] = keys as [
      string,
      string,
      string,
      string,
      string,
    ];
    const client = await clientOf(2);
    await client.mset(k0, "x", k1, "x", k2, "x", k3, "x");
    expect(await client.del(k0, k1, k4)).toBe(2);
    expect(await client.unlink(k2, k3, k0)).toBe(2);
    expect(await client.mget(...keys)).toEqual(keys.map(() => null));
  });

  it("RENAME moves a string and its time to live to another node", async () => {
    const [from, to] = (await keysOn(0, 2)) as [string, string];
    const client = await clientOf(1);
    await client.set(to, "old");
    await client.set(from, "value", "PX", 100_000);
    expect(await client.rename(from, to)).toBe("OK");
    expect(await valuesAt([0, 2], [from, to])).toEqual([null, "value"]);
    expect(await client.pttl(to)).toBeGreaterThan(90_000);
    // Without a time to live, the destination has none either.
    await client.set(from, "again");
    expect(await client.rename(from, to)).toBe("OK");
    expect(await client.pttl(to)).toBe(-1);
    expect(await client.get(to)).toBe("again");
    expect(await errorOf(client.rename(from, to))).toBe("ERR no such key");
  });

  it("RENAME of a list across nodes is refused, and changes nothing", async () => {
    const [from, to] = (await keysOn(1, 2)) as [string, string];
    const client = await clientOf(0);
    await client.rpush(from, "a", "b");
    expect(await errorOf(client.rename(from, to))).toBe(
      "ERR cross-node RENAME moves strings only, and this key holds a list",
    );
    expect(await client.lrange(from, 0, -1)).toEqual(["a", "b"]);
    expect(await client.exists(to)).toBe(0);
  });

  it("keys of several slots served by one node run there, whichever node is asked", async () => {
    const key = keysForThisTest();
    const a = await keyOn(1, key("a"));
    let b = await keyOn(1, key("b"));
    const admin = await cluster.nodes[0]!.admin();
    for (
      let n = 0;
      (await admin.cluster("KEYSLOT", b)) ===
      (await admin.cluster("KEYSLOT", a));
      n++
    ) {
      b = await keyOn(1, key(`b${n}`));
    }
    expect(await (await clientOf(1)).mset(a, "1", b, "2")).toBe("OK");
    const other = await clientOf(0);
    expect(await other.mget(a, b)).toEqual(["1", "2"]);
    expect(await other.del(a, b)).toBe(2);
  });

  it("other commands across nodes, and MULTI, still answer CROSSSLOT", async () => {
    const [a, b] = (await keysOn(0, 1)) as [string, string];
    const client = await clientOf(0);
    await client.sadd(a, "m");
    expect(await errorOf(client.sunion(a, b))).toBe(CROSSSLOT);
    expect(await client.call("MULTI")).toBe("OK");
    expect(await errorOf(client.call("MSET", a, "1", b, "2"))).toBe(CROSSSLOT);
    expect(await errorOf(client.call("EXEC"))).toBe(
      "EXECABORT Transaction discarded because of previous errors.",
    );
    expect(await client.exists(b)).toBe(0);
  });

  it("concurrent MSETs through every node never mix two writes", async () => {
    // Two groups of four keys over the three nodes, sharing two keys.
    const [a0, a1, s0, s1, b0, b1] = (await keysOn(
      1,
      2,
      0,
      2,
      0,
      1,
    )) as string[];
    const groups = [
      [a0!, a1!, s0!, s1!],
      [b0!, b1!, s0!, s1!],
    ];
    const clients = await Promise.all(
      [0, 1, 2, 0, 1, 2].map((node) => clientOf(node)),
    );
    let written = 0;
    await Promise.all(
      clients.map(async (client, c) => {
        for (let round = 0; round < 15; round++) {
          const keys = groups[(c + round) % 2]!;
          const value = `client${c}-round${round}`;
          for (;;) {
            try {
              await client.mset(...keys.flatMap((key) => [key, value]));
              written += 1;
              break;
            } catch (failure) {
              // Our coordinator gives up on keys held too long: try again.
              expect(String(failure)).toMatch(/TRYAGAIN/);
            }
          }
        }
      }),
    );
    expect(written).toBe(90);
    const [va0, va1, vs0, vs1, vb0, vb1] = await clients[0]!.mget(
      a0!,
      a1!,
      s0!,
      s1!,
      b0!,
      b1!,
    );
    // Each group's own keys hold its last write; the shared keys, the
    // later of the two groups' last writes.
    expect(va1).toBe(va0);
    expect(vb1).toBe(vb0);
    expect(vs1).toBe(vs0);
    expect([va0, vb0]).toContain(vs0);
  });
});
