/**
 * Routing in a cluster, seen by a plain client (one that does not follow
 * redirects): a node serves the keys of its own slots and answers
 * `MOVED <slot> <ip>:<port>` for the others; keys of one command must
 * share a slot (CROSSSLOT), which hash tags arrange; a redirect inside
 * MULTI fails the transaction; a slot without an owner, or a cluster that
 * is down, answers CLUSTERDOWN. Also: ASKING, READONLY and READWRITE;
 * what cluster mode refuses (SELECT, MOVE, SWAPDB, COPY ... DB, SORT's BY
 * and GET); and CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT, which read the
 * per-slot index of the keys, after writes, deletes, expiry and FLUSHALL.
 *
 * Most tests share one three-node cluster; those that take slots away
 * start a single node of their own. `CLUSTER_NODES=redis` runs every test
 * against redis-server nodes instead.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import {
  nodeForThisTest,
  useCluster,
  waitUntil,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";
import { errorOf } from "./client-helpers.ts";

const cluster = useCluster(3);
const protocol = inject("protocol");

const CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
const SLOT_NOT_SERVED = "CLUSTERDOWN Hash slot not served";
const CLUSTER_DOWN = "CLUSTERDOWN The cluster is down";
const READS_ONLY =
  "CLUSTERDOWN The cluster is down and only accepts read commands";
const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
const DISABLED = "ERR This instance has cluster support disabled";

// #region helpers
/** A plain client of node `index` of the shared cluster, in the project's protocol. */
function clientOf(index: number): Promise<Redis> {
  return cluster.nodes[index]!.connect({ protocol });
}

/** Which node of the shared cluster owns each slot, read from CLUSTER SLOTS. */
let owners: number[] = [];

beforeAll(async () => {
  const admin = await cluster.nodes[0]!.admin();
  const ranges = (await admin.call("CLUSTER", "SLOTS")) as [
    number,
    number,
    [string, number, ...unknown[]],
  ][];
  owners = new Array<number>(16384).fill(-1);
  for (const [start, end, [, port]] of ranges) {
    const index = cluster.nodes.findIndex((node) => node.port === port);
    owners.fill(index, start, end + 1);
  }
});

/** The slot of `key`, as a node computes it. */
async function slotOf(key: string): Promise<number> {
  const admin = await cluster.nodes[0]!.admin();
  return Number(await admin.call("CLUSTER", "KEYSLOT", key));
}

/**
 * A key no other test uses, in a slot of node `index` that holds no key
 * yet (so a test that counts a slot's keys counts only its own: two
 * random tags share a slot once in 16384), and that slot.
 */
async function keyOn(index: number): Promise<{ key: string; slot: number }> {
  const owner = await cluster.nodes[index]!.admin();
  for (;;) {
    const key = `{${randomBytes(6).toString("hex")}}`;
    const slot = await slotOf(key);
    if (owners[slot] !== index) continue;
    const held = Number(await owner.call("CLUSTER", "COUNTKEYSINSLOT", slot));
    if (held === 0) return { key, slot };
  }
}

/** The node's address, as MOVED names it. */
function addressOf(index: number): string {
  return `127.0.0.1:${cluster.nodes[index]!.port}`;
}

/**
 * How long a test that starts a node of its own may take: a node of ours
 * starts in a few seconds, far longer on a loaded machine, and a new
 * cluster waits 2 s before its state is ok.
 */
const NODE_TEST_TIMEOUT = 90_000;

/**
 * A fresh single node that owns every slot, its state ok: for the tests
 * that take slots away, which the shared cluster must keep.
 */
async function lonelyNode(): Promise<{ node: NodeProcess; redis: Redis }> {
  const node = await nodeForThisTest();
  const redis = await node.connect({ protocol });
  await redis.call("CLUSTER", "ADDSLOTSRANGE", 0, 16383);
  await waitForState(redis, "ok");
  return { node, redis };
}

/** Polls CLUSTER INFO until cluster_state is `state` (a node decides on its own time). */
async function waitForState(redis: Redis, state: "ok" | "fail") {
  await waitUntil(
    async () =>
      String(await redis.call("CLUSTER", "INFO")).includes(
        `cluster_state:${state}\r\n`,
      ),
    10_000,
    `cluster_state:${state}`,
  );
}

/** CLIENT INFO's flags (RESP3 may send it as verbatim text, hence the pattern). */
async function flagsOf(redis: Redis): Promise<string> {
  const info = String(await redis.call("CLIENT", "INFO"));
  return /\bflags=(\S+)/.exec(info)![1]!;
}
// #endregion helpers

describe("a key's owner serves it; the other nodes redirect", () => {
  it("every node answers MOVED with the slot and the owner's address", async () => {
    for (let owner = 0; owner < 3; owner++) {
      const { key, slot } = await keyOn(owner);
      for (let index = 0; index < 3; index++) {
        const redis = await clientOf(index);
        if (index === owner) {
          expect(await redis.set(key, "v")).toBe("OK");
          expect(await redis.get(key)).toBe("v");
        } else {
          const moved = `MOVED ${slot} ${addressOf(owner)}`;
          expect(await errorOf(redis.get(key))).toBe(moved);
          expect(await errorOf(redis.set(key, "w"))).toBe(moved);
        }
      }
    }
  });

  it("commands without keys run on any node", async () => {
    for (let index = 0; index < 3; index++) {
      const redis = await clientOf(index);
      expect(await redis.ping()).toBe("PONG");
      expect(await redis.echo("hi")).toBe("hi");
      expect(typeof (await redis.dbsize())).toBe("number");
      expect(Array.isArray(await redis.keys("no such key *"))).toBe(true);
      expect(
        await redis.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"),
      ).toEqual(["a", "b"]);
    }
  });

  it("a command's keys may repeat, or share a hash tag; other keys are CROSSSLOT", async () => {
    const { key } = await keyOn(1);
    const redis = await clientOf(1);
    // Same key twice; keys with the same {tag}.
    expect(await redis.del(key, key)).toBe(0);
    expect(await redis.mset(`${key}a`, "1", `${key}b`, "2")).toBe("OK");
    expect(await redis.mget(`${key}a`, `${key}b`)).toEqual(["1", "2"]);
    // Two tags: two slots. Refused even by the owner of the first.
    const { key: other } = await keyOn(1);
    expect(await errorOf(redis.mset(key, "1", other, "2"))).toBe(CROSSSLOT);
    expect(await errorOf(redis.del(key, other))).toBe(CROSSSLOT);
    // And when the first key is another node's, still CROSSSLOT, not MOVED.
    const { key: elsewhere } = await keyOn(2);
    expect(await errorOf(redis.mget(elsewhere, key))).toBe(CROSSSLOT);
    // Keys of one slot, all on another node: MOVED.
    expect(await errorOf(redis.mget(elsewhere, `${elsewhere}x`))).toMatch(
      /^MOVED /,
    );
  });

  it("the keys of commands whose keys move with their arguments are found too", async () => {
    const { key } = await keyOn(0);
    const { key: other } = await keyOn(0);
    const redis = await clientOf(0);
    expect(await errorOf(redis.call("LMPOP", 2, key, other, "LEFT"))).toBe(
      CROSSSLOT,
    );
    expect(await redis.call("LMPOP", 2, key, `${key}x`, "LEFT")).toBeNull();
    expect(
      await errorOf(redis.call("ZUNIONSTORE", `${key}d`, 2, `${key}a`, other)),
    ).toBe(CROSSSLOT);
    expect(await errorOf(redis.call("SORT", key, "STORE", other))).toBe(
      CROSSSLOT,
    );
    expect(await errorOf(redis.call("BLPOP", key, other, 0))).toBe(CROSSSLOT);
    // Numkeys 0 names no key: nothing to route, the command refuses it.
    expect(await errorOf(redis.call("LMPOP", 0, key, "LEFT"))).toBe(
      "ERR numkeys should be greater than 0",
    );
  });

  it("hash tags: only the first {...} with something inside counts", async () => {
    const slot = await slotOf("user1000");
    expect(await slotOf("{user1000}.following")).toBe(slot);
    expect(await slotOf("{user1000}.followers")).toBe(slot);
    expect(await slotOf("foo{}{bar}")).toBe(8363); // hashed whole
    expect(await slotOf("foo{{bar}}zap")).toBe(4015); // hashes "{bar"
    const owner = owners[slot]!;
    const redis = await clientOf(owner);
    expect(
      await redis.mset(
        "{user1000}.following",
        "1",
        "{user1000}.followers",
        "2",
      ),
    ).toBe("OK");
    const other = await clientOf((owner + 1) % 3);
    expect(await errorOf(other.get("{user1000}.following"))).toBe(
      `MOVED ${slot} ${addressOf(owner)}`,
    );
  });
});

describe("MULTI ... EXEC", () => {
  it("a redirected command fails the transaction: EXEC answers EXECABORT", async () => {
    const { key: mine } = await keyOn(0);
    const { key: theirs, slot } = await keyOn(1);
    const redis = await clientOf(0);
    expect(await redis.call("MULTI")).toBe("OK");
    expect(await redis.call("SET", mine, "1")).toBe("QUEUED");
    expect(await errorOf(redis.call("SET", theirs, "1"))).toBe(
      `MOVED ${slot} ${addressOf(1)}`,
    );
    expect(await redis.call("SET", mine, "2")).toBe("QUEUED");
    expect(await errorOf(redis.call("EXEC"))).toBe(EXECABORT);
    expect(await redis.get(mine)).toBeNull();
  });

  it("WATCH of another node's key is redirected; inside MULTI it fails the transaction", async () => {
    const { key: theirs, slot } = await keyOn(2);
    const redis = await clientOf(0);
    const moved = `MOVED ${slot} ${addressOf(2)}`;
    expect(await errorOf(redis.watch(theirs))).toBe(moved);
    expect(await redis.call("MULTI")).toBe("OK");
    expect(await errorOf(redis.call("WATCH", theirs))).toBe(moved);
    expect(await redis.call("PING")).toBe("QUEUED");
    expect(await errorOf(redis.call("EXEC"))).toBe(EXECABORT);
  });

  it(
    "EXEC is routed on what it queued: a slot lost meanwhile drops the transaction",
    async () => {
      const { node, redis } = await lonelyNode();
      const other = await node.connect({ protocol });
      const key = `{${randomBytes(6).toString("hex")}}`;
      const slot = Number(await redis.call("CLUSTER", "KEYSLOT", key));
      expect(await redis.call("MULTI")).toBe("OK");
      expect(await redis.call("SET", key, "1")).toBe("QUEUED");
      expect(await other.call("CLUSTER", "DELSLOTS", slot)).toBe("OK");
      expect(await errorOf(redis.call("EXEC"))).toBe(SLOT_NOT_SERVED);
      // Dropped, not merely refused: there is no transaction any more.
      expect(await errorOf(redis.call("EXEC"))).toBe("ERR EXEC without MULTI");
      expect(await other.call("CLUSTER", "ADDSLOTS", slot)).toBe("OK");
      await waitForState(redis, "ok");
      expect(await redis.get(key)).toBeNull();
    },
    NODE_TEST_TIMEOUT,
  );
});

describe("CLUSTERDOWN", () => {
  it(
    "a slot without an owner is not served; once the state is fail, no key is",
    async () => {
      const { redis } = await lonelyNode();
      const key = `{${randomBytes(6).toString("hex")}}`;
      const slot = Number(await redis.call("CLUSTER", "KEYSLOT", key));
      const otherKey = await keyInAnotherSlot(redis, slot);
      await redis.set(otherKey, "v");
      expect(await redis.call("CLUSTER", "DELSLOTS", slot)).toBe("OK");
      expect(await errorOf(redis.get(key))).toBe(SLOT_NOT_SERVED);
      // Checked at the first key, before the others are compared.
      expect(await errorOf(redis.mget(key, otherKey))).toBe(SLOT_NOT_SERVED);
      // Inside MULTI, it fails the transaction as MOVED does.
      expect(await redis.call("MULTI")).toBe("OK");
      expect(await errorOf(redis.call("SET", key, "1"))).toBe(SLOT_NOT_SERVED);
      expect(await errorOf(redis.call("EXEC"))).toBe(EXECABORT);
      await waitForState(redis, "fail");
      expect(await errorOf(redis.get(otherKey))).toBe(CLUSTER_DOWN);
      expect(await errorOf(redis.get(key))).toBe(SLOT_NOT_SERVED);
      // CROSSSLOT comes first, before the cluster's state is looked at.
      expect(await errorOf(redis.mget(otherKey, key))).toBe(CROSSSLOT);
      // Commands without keys still work.
      expect(await redis.ping()).toBe("PONG");
      expect(await redis.dbsize()).toBe(1);

      // cluster-allow-reads-when-down: reads are served, writes are not.
      await redis.config("SET", "cluster-allow-reads-when-down", "yes");
      expect(await redis.get(otherKey)).toBe("v");
      expect(await errorOf(redis.set(otherKey, "w"))).toBe(READS_ONLY);
      expect(await errorOf(redis.get(key))).toBe(SLOT_NOT_SERVED);

      // cluster-require-full-coverage no: the rest of the slots are ok again.
      await redis.config("SET", "cluster-allow-reads-when-down", "no");
      await redis.config("SET", "cluster-require-full-coverage", "no");
      await waitForState(redis, "ok");
      expect(await redis.set(otherKey, "w")).toBe("OK");
      expect(await errorOf(redis.get(key))).toBe(SLOT_NOT_SERVED);
    },
    NODE_TEST_TIMEOUT,
  );
});

/** A key of `redis`'s node whose slot is not `slot`. */
async function keyInAnotherSlot(redis: Redis, slot: number): Promise<string> {
  for (;;) {
    const key = `{${randomBytes(6).toString("hex")}}`;
    if (Number(await redis.call("CLUSTER", "KEYSLOT", key)) !== slot) {
      return key;
    }
  }
}

describe("ASKING, READONLY, READWRITE", () => {
  it("each answers OK; READONLY shows as flags=r until READWRITE or RESET", async () => {
    const redis = await clientOf(0);
    expect(await redis.call("ASKING")).toBe("OK");
    expect(await flagsOf(redis)).toBe("N");
    expect(await redis.call("READONLY")).toBe("OK");
    expect(await flagsOf(redis)).toBe("r");
    expect(await redis.call("READWRITE")).toBe("OK");
    expect(await flagsOf(redis)).toBe("N");
    expect(await redis.call("READONLY")).toBe("OK");
    expect(await redis.call("MULTI")).toBe("OK");
    expect(await redis.call("READWRITE")).toBe("QUEUED");
    expect(await redis.call("EXEC")).toEqual(["OK"]);
    expect(await flagsOf(redis)).toBe("N");
    expect(await redis.call("READONLY")).toBe("OK");
    expect(await redis.call("RESET")).toBe("RESET");
    expect(await flagsOf(redis)).toBe("N");
    expect(await errorOf(redis.call("ASKING", "x"))).toBe(
      "ERR wrong number of arguments for 'asking' command",
    );
  });

  it("on a master, neither READONLY nor ASKING stops MOVED for a slot it does not import", async () => {
    const { key, slot } = await keyOn(1);
    const redis = await clientOf(0);
    const moved = `MOVED ${slot} ${addressOf(1)}`;
    await redis.call("READONLY");
    expect(await errorOf(redis.get(key))).toBe(moved);
    await redis.call("ASKING");
    expect(await errorOf(redis.get(key))).toBe(moved);
    await redis.call("READWRITE");
  });

  it(
    "without cluster mode, they say cluster support is disabled",
    async () => {
      const node = await nodeForThisTest({ args: ["--cluster-enabled", "no"] });
      const redis = await node.connect({ protocol });
      for (const command of ["ASKING", "READONLY", "READWRITE"]) {
        expect(await errorOf(redis.call(command))).toBe(DISABLED);
      }
      expect(await flagsOf(redis)).toBe("N");
    },
    NODE_TEST_TIMEOUT,
  );
});

describe("what cluster mode refuses", () => {
  it("SELECT of any database but 0, MOVE, SWAPDB, COPY to another database", async () => {
    const { key } = await keyOn(0);
    const redis = await clientOf(0);
    await redis.set(key, "v");
    expect(await redis.select(0)).toBe("OK");
    expect(await errorOf(redis.select(1))).toBe(
      "ERR SELECT is not allowed in cluster mode",
    );
    expect(await errorOf(redis.call("SELECT", "x"))).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await errorOf(redis.call("MOVE", key, 1))).toBe(
      "ERR MOVE is not allowed in cluster mode",
    );
    expect(await errorOf(redis.call("MOVE", key, "x"))).toBe(
      "ERR MOVE is not allowed in cluster mode",
    );
    expect(await errorOf(redis.call("SWAPDB", 0, 0))).toBe(
      "ERR SWAPDB is not allowed in cluster mode",
    );
    expect(await errorOf(redis.call("SWAPDB", "x", 1))).toBe(
      "ERR SWAPDB is not allowed in cluster mode",
    );
    const copy = `${key}copy`;
    expect(await errorOf(redis.call("COPY", key, copy, "DB", 1))).toBe(
      "ERR Copying to another database is not allowed in cluster mode",
    );
    // The options are read first: their own errors come before.
    expect(await errorOf(redis.call("COPY", key, copy, "DB", 100))).toBe(
      "ERR DB index is out of range",
    );
    expect(await errorOf(redis.call("COPY", key, copy, "DB", 1, "x"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(redis.call("COPY", key, key, "DB", 1))).toBe(
      "ERR Copying to another database is not allowed in cluster mode",
    );
    expect(await redis.call("COPY", key, copy, "DB", 1, "DB", 0)).toBe(1);
  });

  it("SORT's BY with a pattern and any GET: their keys may be on other nodes", async () => {
    const { key } = await keyOn(2);
    const redis = await clientOf(2);
    await redis.rpush(key, "3", "1", "2");
    const BY = "ERR BY option of SORT denied in Cluster mode.";
    const GET = "ERR GET option of SORT denied in Cluster mode.";
    expect(await errorOf(redis.sort(key, "BY", "w_*"))).toBe(BY);
    expect(await errorOf(redis.sort(key, "BY", `${key}w_*`))).toBe(BY);
    expect(await errorOf(redis.call("SORT_RO", key, "BY", "w_*"))).toBe(BY);
    expect(await errorOf(redis.sort(key, "GET", "#"))).toBe(GET);
    expect(await errorOf(redis.call("SORT_RO", key, "GET", "#"))).toBe(GET);
    // In their turn among the options.
    expect(await errorOf(redis.call("SORT", key, "BY", "w_*", "x"))).toBe(BY);
    expect(await errorOf(redis.call("SORT", key, "x", "BY", "w_*"))).toBe(
      "ERR syntax error",
    );
    // A BY without `*` names no key: allowed.
    expect(await redis.sort(key, "BY", "nosort")).toEqual(["3", "1", "2"]);
    expect(await redis.sort(key)).toEqual(["1", "2", "3"]);
  });
});

describe("CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT", () => {
  /** COUNTKEYSINSLOT and GETKEYSINSLOT's answer, on `redis`. */
  async function slotContents(redis: Redis, slot: number) {
    const count = Number(await redis.call("CLUSTER", "COUNTKEYSINSLOT", slot));
    const keys = await redis.call("CLUSTER", "GETKEYSINSLOT", slot, 100);
    return { count, keys };
  }

  it("follow writes, overwrites, deletes and RENAME, newest key first", async () => {
    const { key, slot } = await keyOn(1);
    const redis = await clientOf(1);
    const k = (n: number) => `${key}${n}`;
    for (const n of [1, 2, 3]) await redis.set(k(n), "v");
    expect(await slotContents(redis, slot)).toEqual({
      count: 3,
      keys: [k(3), k(2), k(1)],
    });
    await redis.set(k(1), "new value"); // an old key: stays where it is
    await redis.rpush(k(4), "a");
    expect(await redis.call("CLUSTER", "GETKEYSINSLOT", slot, 2)).toEqual([
      k(4),
      k(3),
    ]);
    await redis.del(k(2));
    await redis.rename(k(1), k(5)); // a new key: first
    expect(await slotContents(redis, slot)).toEqual({
      count: 3,
      keys: [k(5), k(4), k(3)],
    });
    await redis.del(k(3), k(4), k(5));
    expect(await slotContents(redis, slot)).toEqual({ count: 0, keys: [] });
    // Other nodes hold none of this slot's keys.
    const other = await clientOf(0);
    await redis.set(k(6), "v");
    expect(await slotContents(other, slot)).toEqual({ count: 0, keys: [] });
  });

  it("follow keys that expire, whether a lookup or the active cycle deletes them", async () => {
    const { key, slot } = await keyOn(2);
    const redis = await clientOf(2);
    await redis.set(`${key}stays`, "v");
    await redis.set(`${key}looked-up`, "v", "PX", 1);
    await redis.set(`${key}left-alone`, "v", "PX", 1);
    // The looked-up key goes when GET finds it expired.
    await waitUntil(
      async () => (await redis.get(`${key}looked-up`)) === null,
      5000,
      "the key to expire",
    );
    // The other one, when the active expiry cycle samples it.
    await waitUntil(
      async () =>
        Number(await redis.call("CLUSTER", "COUNTKEYSINSLOT", slot)) === 1,
      10_000,
      "the active expiry cycle to delete the key",
    );
    expect(await redis.call("CLUSTER", "GETKEYSINSLOT", slot, 10)).toEqual([
      `${key}stays`,
    ]);
  });

  it("are emptied by FLUSHALL", async () => {
    // The tests before this one are done with their keys.
    const { key: tag, slot } = await keyOn(0);
    const redis = await clientOf(0);
    const keys = Array.from({ length: 50 }, (_, n) => `${tag}${n}`);
    for (const key of keys) await redis.set(key, "v");
    const { key: elsewhere } = await keyOn(0);
    await redis.set(elsewhere, "v");
    expect(Number(await redis.call("CLUSTER", "COUNTKEYSINSLOT", slot))).toBe(
      50,
    );
    await redis.flushall();
    expect(Number(await redis.call("CLUSTER", "COUNTKEYSINSLOT", slot))).toBe(
      0,
    );
    expect(await redis.call("CLUSTER", "GETKEYSINSLOT", slot, 10)).toEqual([]);
    await redis.set(keys[0]!, "v");
    expect(await redis.call("CLUSTER", "GETKEYSINSLOT", slot, 10)).toEqual([
      keys[0],
    ]);
  });
});
