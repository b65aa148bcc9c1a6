/**
 * Article step "cluster-commands": cluster mode on one node, through the
 * CLUSTER command family, before any routing or gossip matters.
 *
 * - Cluster mode off: every CLUSTER subcommand says so (after the table's
 *   own checks of the name and the arity); INFO's `# Cluster` section says
 *   `cluster_enabled:0`. These run against our in-process server, or
 *   REDIS_URL.
 * - One node: MYID, NODES (one line, flagged `myself,master`), INFO's
 *   fields in Redis's order; HELP's text.
 * - Slots: ADDSLOTS, ADDSLOTSRANGE, DELSLOTS, DELSLOTSRANGE, FLUSHSLOTS,
 *   each all or nothing, with Redis's errors; SLOTS and SHARDS; the
 *   cluster is ok once every slot is served. KEYSLOT, COUNTKEYSINSLOT and
 *   GETKEYSINSLOT.
 * - Epochs: SET-CONFIG-EPOCH and BUMPEPOCH.
 * - Two nodes: MEET (its errors, handshakes, the address as Redis writes
 *   it), LINKS, COUNT-FAILURE-REPORTS, FORGET.
 * - RESET SOFT and HARD, SAVECONFIG.
 *
 * Every answer here was checked against redis-server 7.0.15;
 * `CLUSTER_NODES=redis` runs the node tests against redis-server nodes.
 * The shared node is reset (RESET HARD) before each test.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  inject,
  it,
  onTestFinished,
} from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  cleanUp,
  nodeForThisTest,
  startNode,
  waitUntil,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import { errorOf, NOT_AN_INTEGER, SYNTAX_ERROR } from "./client-helpers.ts";
import { commandDocs, docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";

const protocol = inject("protocol");
const server = useServer();

const DISABLED = "ERR This instance has cluster support disabled";
const INVALID_SLOT = "ERR Invalid or out of range slot";

// #region helpers
/**
 * The node most tests share: a short node timeout, so that it is ok again
 * soon after it served no slot (Redis waits the node timeout, at least
 * 0.5 s, before a master that was in a minority serves again).
 */
let single: NodeProcess;
let redis: Redis;

beforeAll(async () => {
  single = await startNode({ nodeTimeout: 1000 });
  redis = await single.connect({ protocol });
}, 30_000);

afterAll(() => cleanUp(single === undefined ? [] : [single]));

/** CLUSTER on a client, its words as strings. */
function cluster(
  client: Redis,
  ...args: (string | number)[]
): Promise<unknown> {
  return client.call("CLUSTER", ...args.map(String));
}

/** CLUSTER INFO as field/value pairs, in order. */
async function clusterInfo(client: Redis): Promise<[string, string][]> {
  const text = String(await cluster(client, "INFO"));
  expect(text.endsWith("\r\n")).toBe(true);
  return text
    .trimEnd()
    .split("\r\n")
    .map((line) => {
      const at = line.indexOf(":");
      return [line.slice(0, at), line.slice(at + 1)];
    });
}

async function infoValue(client: Redis, field: string): Promise<string> {
  const found = (await clusterInfo(client)).find(([name]) => name === field);
  return found?.[1] ?? "(absent)";
}

/** CLUSTER NODES, one line per node. */
async function nodeLines(client: Redis): Promise<string[]> {
  const text = String(await cluster(client, "NODES"));
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

/** The line of the node with `id`, or of `myself`. */
async function lineOf(client: Redis, id: string): Promise<string[]> {
  const line = (await nodeLines(client)).find((l) => l.startsWith(`${id} `));
  if (line === undefined) throw new Error(`no line for ${id}`);
  return line.split(" ");
}

async function myId(client: Redis): Promise<string> {
  return String(await cluster(client, "MYID"));
}

/** A map reply as an object: ioredis gives RESP3 maps as flat arrays, as RESP2's. */
function fieldsOf(reply: unknown): Record<string, unknown> {
  const flat = reply as unknown[];
  const fields: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2)
    fields[String(flat[i])] = flat[i + 1];
  return fields;
}

/** Gives the shared node every slot and waits until it says the cluster is ok. */
async function serveEverySlot(): Promise<void> {
  await cluster(redis, "ADDSLOTSRANGE", 0, 16383);
  await waitUntil(
    async () => (await infoValue(redis, "cluster_state")) === "ok",
    15_000,
    "cluster_state:ok",
  );
}
// #endregion helpers

describe("cluster mode off", () => {
  it("every subcommand says cluster support is disabled, HELP too", async () => {
    const client = await server.client();
    const calls: string[][] = [
      ["HELP"],
      ["INFO"],
      ["MYID"],
      ["NODES"],
      ["SLOTS"],
      ["SHARDS"],
      ["LINKS"],
      ["KEYSLOT", "key"],
      ["COUNTKEYSINSLOT", "1"],
      ["GETKEYSINSLOT", "1", "1"],
      ["ADDSLOTS", "1"],
      ["ADDSLOTSRANGE", "1", "2"],
      ["DELSLOTS", "1"],
      ["DELSLOTSRANGE", "1", "2"],
      ["FLUSHSLOTS"],
      ["MEET", "127.0.0.1", "7000"],
      ["MEET", "127.0.0.1", "7000", "1", "2"],
      ["FORGET", "x"],
      ["COUNT-FAILURE-REPORTS", "x"],
      ["SET-CONFIG-EPOCH", "1"],
      ["BUMPEPOCH"],
      ["RESET"],
      ["SAVECONFIG"],
    ];
    for (const args of calls) {
      expect(await errorOf(client.call("CLUSTER", ...args)), args[0]).toBe(
        DISABLED,
      );
    }
  });

  it("the name and the arity are checked first", async () => {
    const client = await server.client();
    expect(await errorOf(client.call("CLUSTER"))).toBe(
      "ERR wrong number of arguments for 'cluster' command",
    );
    expect(await errorOf(client.call("CLUSTER", "ADDSLOTS"))).toBe(
      "ERR wrong number of arguments for 'cluster|addslots' command",
    );
    expect(await errorOf(client.call("CLUSTER", "NOPE"))).toBe(
      "ERR unknown subcommand 'NOPE'. Try CLUSTER HELP.",
    );
  });

  it("INFO has a Cluster section, between Stats and Keyspace", async () => {
    const client = await server.client();
    expect(String(await client.call("INFO", "cluster"))).toBe(
      "# Cluster\r\ncluster_enabled:0\r\n",
    );
    const all = String(await client.call("INFO"));
    const at = (section: string) => all.indexOf(`# ${section}\r\n`);
    expect(at("Stats")).toBeGreaterThan(0);
    expect(at("Cluster")).toBeGreaterThan(at("Stats"));
    expect(at("Keyspace")).toBeGreaterThan(at("Cluster"));
    expect(all).toContain("\r\nredis_mode:standalone\r\n");
  });
});

describe("CLUSTER in COMMAND INFO and COMMAND DOCS", () => {
  const ADMIN = ["admin", "stale", "no_async_loading"];
  const ADMIN_CATEGORIES = ["@admin", "@slow", "@dangerous"];
  const NONDETERMINISTIC = ["nondeterministic_output"];

  it.each([
    ["cluster", -2, [], ["@slow"], []],
    ["cluster|addslots", -3, ADMIN, ADMIN_CATEGORIES, []],
    ["cluster|addslotsrange", -4, ADMIN, ADMIN_CATEGORIES, []],
    ["cluster|meet", -4, ADMIN, ADMIN_CATEGORIES, []],
    ["cluster|bumpepoch", 2, ADMIN, ADMIN_CATEGORIES, NONDETERMINISTIC],
    [
      "cluster|count-failure-reports",
      3,
      ["admin", "stale"],
      ADMIN_CATEGORIES,
      NONDETERMINISTIC,
    ],
    ["cluster|reset", -2, ["admin", "noscript", "stale"], ADMIN_CATEGORIES, []],
    ["cluster|nodes", 2, ["stale"], ["@slow"], NONDETERMINISTIC],
    ["cluster|keyslot", 3, ["stale"], ["@slow"], []],
    ["cluster|help", 2, ["loading", "stale"], ["@slow"], []],
  ])("COMMAND INFO %s", async (name, arity, flags, categories, tips) => {
    const client = await server.client();
    const [info] = (await client.call("COMMAND", "INFO", name)) as unknown[][];
    expect(info!.slice(0, 8)).toEqual([
      name,
      arity,
      flags,
      0,
      0,
      0,
      categories,
      tips,
    ]);
  });

  it("COMMAND DOCS cluster|meet", async () => {
    const client = await server.client();
    expect(await docsWithoutKeySpecs(client, "cluster|meet")).toEqual(
      commandDocs("cluster", {
        summary: "Force a node cluster to handshake with another node",
        since: "3.0.0",
        complexity: "O(1)",
        history: [["4.0.0", "Added the optional `cluster_bus_port` argument."]],
        arguments: [
          ["name", "ip", "type", "string"],
          ["name", "port", "type", "integer"],
          [
            ...["name", "cluster_bus_port", "type", "integer"],
            ...["since", "4.0.0", "flags", ["optional"]],
          ],
        ],
      }),
    );
  });
});

describe("one node: MYID, NODES, INFO, HELP", () => {
  beforeEach(async () => {
    await redis.call("FLUSHALL");
    await cluster(redis, "RESET", "HARD");
  });

  it("MYID is 40 hex digits, the name NODES gives the only node, flagged myself", async () => {
    const id = await myId(redis);
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    const lines = await nodeLines(redis);
    expect(lines).toHaveLength(1);
    const [name, address, flags, master, pingSent, , epoch, link, ...slots] =
      lines[0]!.split(" ");
    // The address of a node no other node has told about is unknown: empty.
    // (Its pong time, left out, is 0 in Redis 7.0.15, which never sets its
    // own; ours shows the current second.)
    expect([name, address, flags, master, pingSent, epoch, link]).toEqual([
      id,
      `:${single.port}@${single.busPort}`,
      "myself,master",
      "-",
      "0",
      "0",
      "connected",
    ]);
    expect(slots).toEqual([]);
  });

  it("INFO: Redis's fields, in Redis's order", async () => {
    const info = await clusterInfo(redis);
    expect(info.map(([name]) => name)).toEqual([
      "cluster_state",
      "cluster_slots_assigned",
      "cluster_slots_ok",
      "cluster_slots_pfail",
      "cluster_slots_fail",
      "cluster_known_nodes",
      "cluster_size",
      "cluster_current_epoch",
      "cluster_my_epoch",
      "cluster_stats_messages_sent",
      "cluster_stats_messages_received",
      "total_cluster_links_buffer_limit_exceeded",
    ]);
    const values = Object.fromEntries(info);
    expect(values).toMatchObject({
      cluster_state: "fail",
      cluster_slots_assigned: "0",
      cluster_slots_ok: "0",
      cluster_slots_pfail: "0",
      cluster_slots_fail: "0",
      cluster_known_nodes: "1",
      cluster_current_epoch: "0",
      cluster_my_epoch: "0",
      cluster_stats_messages_sent: "0",
      cluster_stats_messages_received: "0",
      total_cluster_links_buffer_limit_exceeded: "0",
    });
  });

  it("INFO's Cluster section, and the server's mode in INFO and HELLO", async () => {
    expect(String(await redis.call("INFO", "cluster"))).toBe(
      "# Cluster\r\ncluster_enabled:1\r\n",
    );
    expect(String(await redis.call("INFO", "server"))).toContain(
      "\r\nredis_mode:cluster\r\n",
    );
    // HELLO says so too (a RESP2 reply: the connection stays as it was).
    const hello = (await redis.call("HELLO")) as unknown[];
    expect(hello[hello.indexOf("mode") + 1]).toBe("cluster");
  });

  it("HELP lists every subcommand, Redis's text", async () => {
    const lines = (await cluster(redis, "HELP")) as string[];
    expect(lines).toHaveLength(56);
    expect(lines.slice(0, 3)).toEqual([
      "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ADDSLOTS <slot> [<slot> ...]",
      "    Assign slots to current node.",
    ]);
    expect(lines.filter((line) => !line.startsWith(" "))).toEqual([
      "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ADDSLOTS <slot> [<slot> ...]",
      "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
      "BUMPEPOCH",
      "COUNT-FAILURE-REPORTS <node-id>",
      "COUNTKEYSINSLOT <slot>",
      "DELSLOTS <slot> [<slot> ...]",
      "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
      "FAILOVER [FORCE|TAKEOVER]",
      "FORGET <node-id>",
      "GETKEYSINSLOT <slot> <count>",
      "FLUSHSLOTS",
      "INFO",
      "KEYSLOT <key>",
      "MEET <ip> <port> [<bus-port>]",
      "MYID",
      "NODES",
      "REPLICATE <node-id>",
      "RESET [HARD|SOFT]",
      "SET-CONFIG-EPOCH <epoch>",
      "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
      "REPLICAS <node-id>",
      "SAVECONFIG",
      "SLOTS",
      "SHARDS",
      "LINKS",
      "HELP",
    ]);
    expect(lines.at(-1)).toBe("    Prints this help.");
  });

  it("arity errors name the subcommand; a wrong count it checks itself is a subcommand error", async () => {
    expect(await errorOf(cluster(redis, "MYID", "x"))).toBe(
      "ERR wrong number of arguments for 'cluster|myid' command",
    );
    expect(await errorOf(cluster(redis, "meet", "127.0.0.1"))).toBe(
      "ERR wrong number of arguments for 'cluster|meet' command",
    );
    expect(
      await errorOf(cluster(redis, "meet", "127.0.0.1", 7000, 17000, 1)),
    ).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'meet'. Try CLUSTER HELP.",
    );
    expect(await errorOf(cluster(redis, "RESET", "SOFT", "x"))).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'RESET'. Try CLUSTER HELP.",
    );
  });
});

describe("slots: ADDSLOTS, DELSLOTS and their ranges; SLOTS, SHARDS", () => {
  beforeEach(async () => {
    await redis.call("FLUSHALL");
    await cluster(redis, "RESET", "HARD");
  });

  it("ADDSLOTS and ADDSLOTSRANGE give slots to the node: NODES, SLOTS, SHARDS and INFO show them", async () => {
    const id = await myId(redis);
    expect(await cluster(redis, "ADDSLOTS", 0, 1, 2)).toBe("OK");
    expect(await cluster(redis, "ADDSLOTSRANGE", 10, 20, 5, 5)).toBe("OK");
    expect((await lineOf(redis, id)).slice(8)).toEqual(["0-2", "5", "10-20"]);

    // Each run of slots, then its master: ip (unknown yet: empty), port,
    // name, and a map of what else is known of its address (nothing).
    const master = ["", single.port, id, []];
    expect(await cluster(redis, "SLOTS")).toEqual([
      [0, 2, master],
      [5, 5, master],
      [10, 20, master],
    ]);

    const shards = (await cluster(redis, "SHARDS")) as unknown[];
    expect(shards).toHaveLength(1);
    const shard = fieldsOf(shards[0]);
    expect(Object.keys(shard)).toEqual(["slots", "nodes"]);
    expect(shard.slots).toEqual([0, 2, 5, 5, 10, 20]);
    expect((shard.nodes as unknown[]).map(fieldsOf)).toEqual([
      {
        id,
        port: single.port,
        ip: "",
        endpoint: "",
        role: "master",
        "replication-offset": 0,
        health: "online",
      },
    ]);

    const info = Object.fromEntries(await clusterInfo(redis));
    expect(info).toMatchObject({
      cluster_slots_assigned: "15",
      cluster_slots_ok: "15",
      cluster_size: "1",
      cluster_state: "fail",
    });
  });

  it("INFO and NODES are text, RESP3's verbatim strings; SLOTS's metadata is a map", async () => {
    await cluster(redis, "ADDSLOTS", 5);
    const id = await myId(redis);
    const info = String(await cluster(redis, "INFO"));
    for (const version of [2, 3] as const) {
      const raw = await speakProtocol(
        await RawSocket.connect(single.port),
        version,
      );
      try {
        await raw.send(encodeCommand("CLUSTER", "INFO"));
        await expectBytes(
          raw,
          version === 3
            ? `=${info.length + 4}\r\ntxt:${info}\r\n`
            : `$${info.length}\r\n${info}\r\n`,
        );
        await raw.send(encodeCommand("CLUSTER", "NODES"));
        await expectBytes(raw, version === 3 ? "=" : "$");
        await raw.send(encodeCommand("CLUSTER", "SLOTS"));
        const port = String(single.port);
        const metadata = version === 3 ? "%0" : "*0";
        // NODES's reply is still coming: read up to SLOTS's.
        const slots = `*1\r\n*3\r\n:5\r\n:5\r\n*4\r\n$0\r\n\r\n:${port}\r\n$40\r\n${id}\r\n${metadata}\r\n`;
        let received = "";
        while (!received.endsWith(slots)) {
          received += (await raw.read(1)).toString("latin1");
        }
        expect(received).toContain(
          `\r\n${version === 3 ? "txt:" : ""}${id} :${port}@`,
        );
      } finally {
        raw.close();
      }
    }
  });

  it("bad slots, busy slots, repeated slots: Redis's errors, and nothing changes", async () => {
    await cluster(redis, "ADDSLOTS", 100);
    const refused: [(string | number)[], string][] = [
      [["ADDSLOTS", 1, "x"], INVALID_SLOT],
      [["ADDSLOTS", 1, -1], INVALID_SLOT],
      [["ADDSLOTS", 1, 16384], INVALID_SLOT],
      [["ADDSLOTS", 1, "01"], INVALID_SLOT],
      [["ADDSLOTS", 1, 2, 1], "ERR Slot 1 specified multiple times"],
      [["ADDSLOTS", 1, 100], "ERR Slot 100 is already busy"],
      // Every argument is read before any is checked.
      [["ADDSLOTS", 100, "x"], INVALID_SLOT],
      [
        ["ADDSLOTSRANGE", 1, 2, 3],
        "ERR wrong number of arguments for 'cluster|addslotsrange' command",
      ],
      [
        ["ADDSLOTSRANGE", 10, 5],
        "ERR start slot number 10 is greater than end slot number 5",
      ],
      [
        ["ADDSLOTSRANGE", 1, 50, 40, 60],
        "ERR Slot 40 specified multiple times",
      ],
      [["ADDSLOTSRANGE", 90, 110], "ERR Slot 100 is already busy"],
      // Ranges are read one at a time: the first bad one decides.
      [
        ["ADDSLOTSRANGE", 20, 10, "x", "y"],
        "ERR start slot number 20 is greater than end slot number 10",
      ],
      [["ADDSLOTSRANGE", 1, 2, 3, "x"], INVALID_SLOT],
      [["DELSLOTS", 100, 200], "ERR Slot 200 is already unassigned"],
      [["DELSLOTS", 100, 100], "ERR Slot 100 specified multiple times"],
      [["DELSLOTS", "x"], INVALID_SLOT],
      [["DELSLOTSRANGE", 100, 101], "ERR Slot 101 is already unassigned"],
      [
        ["DELSLOTSRANGE", 5, 4],
        "ERR start slot number 5 is greater than end slot number 4",
      ],
      [
        ["DELSLOTSRANGE", 100, 100, 200],
        "ERR wrong number of arguments for 'cluster|delslotsrange' command",
      ],
    ];
    for (const [args, message] of refused) {
      expect(await errorOf(cluster(redis, ...args)), args.join(" ")).toBe(
        message,
      );
    }
    expect((await lineOf(redis, await myId(redis))).slice(8)).toEqual(["100"]);
    expect(await infoValue(redis, "cluster_slots_assigned")).toBe("1");
  });

  it("DELSLOTS, DELSLOTSRANGE and FLUSHSLOTS take slots away", async () => {
    const id = await myId(redis);
    await cluster(redis, "ADDSLOTSRANGE", 0, 99);
    expect(await cluster(redis, "DELSLOTS", 0, 50)).toBe("OK");
    expect(await cluster(redis, "DELSLOTSRANGE", 10, 19, 60, 69)).toBe("OK");
    expect((await lineOf(redis, id)).slice(8)).toEqual([
      "1-9",
      "20-49",
      "51-59",
      "70-99",
    ]);
    expect(await cluster(redis, "FLUSHSLOTS")).toBe("OK");
    expect((await lineOf(redis, id)).slice(8)).toEqual([]);
    expect(await cluster(redis, "SLOTS")).toEqual([]);
    expect(await infoValue(redis, "cluster_slots_assigned")).toBe("0");
  });

  it("every slot served: the cluster is ok, and keys are counted per slot", async () => {
    await serveEverySlot();
    const id = await myId(redis);
    expect((await lineOf(redis, id)).slice(8)).toEqual(["0-16383"]);
    expect(await cluster(redis, "SLOTS")).toEqual([
      [0, 16383, ["", single.port, id, []]],
    ]);

    await redis.set("foo", "1");
    await redis.set("{foo}.2", "2");
    expect(await cluster(redis, "COUNTKEYSINSLOT", 12182)).toBe(2);
    expect(await cluster(redis, "COUNTKEYSINSLOT", 0)).toBe(0);
    const keys = (await cluster(redis, "GETKEYSINSLOT", 12182, 10)) as string[];
    expect([...keys].sort()).toEqual(["foo", "{foo}.2"]);
    expect(await cluster(redis, "GETKEYSINSLOT", 12182, 1)).toHaveLength(1);
    expect(await cluster(redis, "GETKEYSINSLOT", 12182, 0)).toEqual([]);

    // A node with keys keeps its slots.
    expect(await errorOf(cluster(redis, "FLUSHSLOTS"))).toBe(
      "ERR DB must be empty to perform CLUSTER FLUSHSLOTS.",
    );
  });

  it("COUNTKEYSINSLOT and GETKEYSINSLOT check their numbers", async () => {
    const refused: [(string | number)[], string][] = [
      [["COUNTKEYSINSLOT", "x"], NOT_AN_INTEGER],
      [["COUNTKEYSINSLOT", -1], "ERR Invalid slot"],
      [["COUNTKEYSINSLOT", 16384], "ERR Invalid slot"],
      [["GETKEYSINSLOT", "x", 1], NOT_AN_INTEGER],
      [["GETKEYSINSLOT", 1, "x"], NOT_AN_INTEGER],
      [["GETKEYSINSLOT", 16384, 1], "ERR Invalid slot or number of keys"],
      [["GETKEYSINSLOT", 1, -1], "ERR Invalid slot or number of keys"],
    ];
    for (const [args, message] of refused) {
      expect(await errorOf(cluster(redis, ...args)), args.join(" ")).toBe(
        message,
      );
    }
  });

  it("KEYSLOT: CRC16 of the key, or of its first non-empty {tag}, modulo 16384", async () => {
    const slots: [string, number][] = [
      ["123456789", 12739],
      ["foo", 12182],
      ["user1000", 3443],
      ["{user1000}.following", 3443],
      ["foo{}{bar}", 8363],
      ["foo{{bar}}zap", 4015],
      ["{bar", 4015],
      ["", 0],
    ];
    for (const [key, slot] of slots) {
      expect(await cluster(redis, "KEYSLOT", key), key).toBe(slot);
    }
  });
});

describe("epochs: SET-CONFIG-EPOCH, BUMPEPOCH", () => {
  beforeEach(async () => {
    await redis.call("FLUSHALL");
    await cluster(redis, "RESET", "HARD");
  });

  it("SET-CONFIG-EPOCH gives a new node its epoch, once", async () => {
    expect(await errorOf(cluster(redis, "SET-CONFIG-EPOCH", "x"))).toBe(
      NOT_AN_INTEGER,
    );
    expect(await errorOf(cluster(redis, "SET-CONFIG-EPOCH", -1))).toBe(
      "ERR Invalid config epoch specified: -1",
    );
    // 0 leaves it at 0: the node may still be given one.
    expect(await cluster(redis, "SET-CONFIG-EPOCH", 0)).toBe("OK");
    expect(await cluster(redis, "SET-CONFIG-EPOCH", 5)).toBe("OK");
    expect(await errorOf(cluster(redis, "SET-CONFIG-EPOCH", 6))).toBe(
      "ERR Node config epoch is already non-zero",
    );
    const info = Object.fromEntries(await clusterInfo(redis));
    expect(info.cluster_current_epoch).toBe("5");
    expect(info.cluster_my_epoch).toBe("5");
    expect((await lineOf(redis, await myId(redis)))[6]).toBe("5");
  });

  it("BUMPEPOCH takes the next epoch, unless the node's is already the highest", async () => {
    expect(await cluster(redis, "BUMPEPOCH")).toBe("BUMPED 1");
    expect(await cluster(redis, "BUMPEPOCH")).toBe("STILL 1");
    await cluster(redis, "RESET", "HARD");
    await cluster(redis, "SET-CONFIG-EPOCH", 7);
    expect(await cluster(redis, "BUMPEPOCH")).toBe("STILL 7");
    expect(await infoValue(redis, "cluster_current_epoch")).toBe("7");
  });
});

describe("two nodes: MEET, LINKS, COUNT-FAILURE-REPORTS, FORGET", () => {
  let a: Redis;
  let b: Redis;
  let nodes: NodeProcess[] = [];
  let idA: string;
  let idB: string;

  beforeAll(async () => {
    nodes = await Promise.all([startNode(), startNode()]);
    a = await nodes[0]!.connect({ protocol });
    b = await nodes[1]!.connect({ protocol });
    idA = await myId(a);
    idB = await myId(b);
  }, 30_000);

  afterAll(() => cleanUp(nodes));

  it("MEET refuses what is not an address and a port", async () => {
    const refused: [(string | number)[], string][] = [
      [
        ["localhost", 7000],
        "ERR Invalid node address specified: localhost:7000",
      ],
      [["1.2.3", 7000], "ERR Invalid node address specified: 1.2.3:7000"],
      [["01.2.3.4", 7000], "ERR Invalid node address specified: 01.2.3.4:7000"],
      [
        ["fe80::1%lo", 7000],
        "ERR Invalid node address specified: fe80::1%lo:7000",
      ],
      [["127.0.0.1", "x"], "ERR Invalid TCP base port specified: x"],
      [["127.0.0.1", "+7000"], "ERR Invalid TCP base port specified: +7000"],
      [["127.0.0.1", 7000, "x"], "ERR Invalid TCP bus port specified: x"],
      [["127.0.0.1", 0], "ERR Invalid node address specified: 127.0.0.1:0"],
      [
        ["127.0.0.1", 65536],
        "ERR Invalid node address specified: 127.0.0.1:65536",
      ],
      // The bus port is checked too (port + 10000 by default), but the
      // error names the client port.
      [
        ["127.0.0.1", 60000],
        "ERR Invalid node address specified: 127.0.0.1:60000",
      ],
      [
        ["127.0.0.1", 7000, 0],
        "ERR Invalid node address specified: 127.0.0.1:7000",
      ],
    ];
    for (const [args, message] of refused) {
      expect(await errorOf(cluster(a, "MEET", ...args)), args.join(" ")).toBe(
        message,
      );
    }
    expect(await nodeLines(a)).toHaveLength(1);
  });

  it("MEET adds the node in handshake, under a random name, at the address as Redis writes it", async () => {
    // Nothing listens on port 1: the handshake stays under way (for the
    // node timeout, 15 s here), and a second MEET adds nothing.
    expect(await cluster(a, "MEET", "127.0.0.1", 1)).toBe("OK");
    expect(await cluster(a, "MEET", "127.0.0.1", 1)).toBe("OK");
    expect(await cluster(a, "MEET", "0:0:0:0:0:ffff:7f00:1", 1, 2)).toBe("OK");
    const handshakes = (await nodeLines(a))
      .map((line) => line.split(" "))
      .filter((words) => words[2] === "handshake");
    try {
      // The link shows as connected while the bus tries to connect, in
      // Redis too, until the refusal arrives.
      const lines = handshakes
        .map((words) =>
          words
            .slice(1)
            .join(" ")
            .replace(/ connected$/, " disconnected"),
        )
        .sort();
      expect(lines).toEqual([
        "127.0.0.1:1@10001 handshake - 0 0 0 disconnected",
        "::ffff:127.0.0.1:1@2 handshake - 0 0 0 disconnected",
      ]);
      for (const words of handshakes) {
        expect(words[0]).toMatch(/^[0-9a-f]{40}$/);
      }
      // A node that knows another may not be given an epoch by hand.
      expect(await errorOf(cluster(a, "SET-CONFIG-EPOCH", 1))).toBe(
        "ERR The user can assign a config epoch only when the node does not know any other node.",
      );
    } finally {
      // Forgotten, so that the next tests see the two nodes only.
      for (const words of handshakes) await cluster(a, "FORGET", words[0]!);
    }
  });

  it("met nodes know each other by name, with links both ways", async () => {
    expect(await cluster(a, "MEET", "127.0.0.1", nodes[1]!.port)).toBe("OK");
    await waitUntil(
      async () => {
        const [seenByA, seenByB] = [await nodeLines(a), await nodeLines(b)];
        return (
          seenByA.some(
            (l) => l.startsWith(`${idB} `) && !l.includes("handshake"),
          ) &&
          seenByB.some(
            (l) => l.startsWith(`${idA} `) && !l.includes("handshake"),
          )
        );
      },
      15_000,
      "the nodes to know each other",
    );
    const [, address, flags, master, , , , link] = await lineOf(a, idB);
    expect([address, flags, master, link]).toEqual([
      `127.0.0.1:${nodes[1]!.port}@${nodes[1]!.busPort}`,
      "master",
      "-",
      "connected",
    ]);
    expect(await infoValue(a, "cluster_known_nodes")).toBe("2");

    await waitUntil(
      async () => {
        const links = ((await cluster(a, "LINKS")) as unknown[]).map(fieldsOf);
        const directions = links
          .filter((l) => l.node === idB)
          .map((l) => l.direction);
        return directions.includes("to") && directions.includes("from");
      },
      15_000,
      "links both ways",
    );
    const links = ((await cluster(a, "LINKS")) as unknown[]).map(fieldsOf);
    for (const link of links.filter((l) => l.node === idB)) {
      expect(Object.keys(link)).toEqual([
        "direction",
        "node",
        "create-time",
        "events",
        "send-buffer-allocated",
        "send-buffer-used",
      ]);
      expect(Math.abs(Number(link["create-time"]) - Date.now())).toBeLessThan(
        120_000,
      );
      expect(link.events).toMatch(/^rw?$/);
      expect(typeof link["send-buffer-allocated"]).toBe("number");
      expect(typeof link["send-buffer-used"]).toBe("number");
    }

    // The bus's messages are counted by type (those seen at least once),
    // then in total.
    const info = await clusterInfo(a);
    for (const direction of ["sent", "received"]) {
      const byType = info.filter(([name]) =>
        new RegExp(`^cluster_stats_messages_[a-z-]+_${direction}$`).test(name),
      );
      expect(byType.length).toBeGreaterThan(0);
      const total = info.find(
        ([name]) => name === `cluster_stats_messages_${direction}`,
      );
      expect(Number(total![1])).toBe(
        byType.reduce((sum, [, count]) => sum + Number(count), 0),
      );
    }
  });

  it("COUNT-FAILURE-REPORTS: none for a healthy node; an unknown node is an error", async () => {
    expect(await cluster(a, "COUNT-FAILURE-REPORTS", idB)).toBe(0);
    expect(await errorOf(cluster(a, "COUNT-FAILURE-REPORTS", "nobody"))).toBe(
      "ERR Unknown node nobody",
    );
  });

  it("FORGET drops a node at once; not itself, not a node it does not know", async () => {
    expect(await errorOf(cluster(a, "FORGET", idA))).toBe(
      "ERR I tried hard but I can't forget myself...",
    );
    expect(await errorOf(cluster(a, "FORGET", "nobody"))).toBe(
      "ERR Unknown node nobody",
    );
    expect(await cluster(a, "FORGET", idB)).toBe("OK");
    expect(await cluster(b, "FORGET", idA)).toBe("OK");
    expect((await nodeLines(a)).map((l) => l.split(" ")[0])).toEqual([idA]);
    expect(await infoValue(a, "cluster_known_nodes")).toBe("1");
  });
});

describe("RESET, SAVECONFIG", () => {
  beforeEach(async () => {
    await redis.call("FLUSHALL");
    await cluster(redis, "RESET", "HARD");
  });

  it("a master with keys refuses RESET; SOFT keeps the name and the epochs, HARD does not", async () => {
    await cluster(redis, "SET-CONFIG-EPOCH", 3);
    await serveEverySlot();
    await redis.set("foo", "1");
    for (const mode of [[], ["SOFT"], ["HARD"]]) {
      expect(await errorOf(cluster(redis, "RESET", ...mode))).toBe(
        "ERR CLUSTER RESET can't be called with master nodes containing keys",
      );
    }
    await redis.del("foo");
    const id = await myId(redis);
    expect(await cluster(redis, "RESET", "soft")).toBe("OK");
    expect(await myId(redis)).toBe(id);
    let info = Object.fromEntries(await clusterInfo(redis));
    expect(info).toMatchObject({
      cluster_slots_assigned: "0",
      cluster_current_epoch: "3",
      cluster_my_epoch: "3",
      cluster_known_nodes: "1",
    });

    expect(await cluster(redis, "RESET", "HARD")).toBe("OK");
    expect(await myId(redis)).not.toBe(id);
    info = Object.fromEntries(await clusterInfo(redis));
    expect(info).toMatchObject({
      cluster_current_epoch: "0",
      cluster_my_epoch: "0",
    });
    expect(await errorOf(cluster(redis, "RESET", "maybe"))).toBe(SYNTAX_ERROR);
  });

  it("SAVECONFIG writes nodes.conf now", async () => {
    await cluster(redis, "SET-CONFIG-EPOCH", 9);
    expect(await cluster(redis, "SAVECONFIG")).toBe("OK");
    const text = readFileSync(join(single.dir, "nodes.conf"), "latin1");
    const id = await myId(redis);
    expect(text).toMatch(
      new RegExp(
        `^${id} :${single.port}@${single.busPort} myself,master - 0 0 9 connected$`,
        "m",
      ),
    );
    expect(text).toMatch(/^vars currentEpoch 9 lastVoteEpoch 0$/m);
  });

  it("takes an absolute cluster-config-file as it is, not inside dir", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "nodes-conf-"));
    onTestFinished(() => rmSync(elsewhere, { recursive: true, force: true }));
    const path = join(elsewhere, "absolute.conf");
    const node = await nodeForThisTest({
      args: ["--cluster-config-file", path],
    });
    const client = await node.connect({ protocol });
    expect(await cluster(client, "SAVECONFIG")).toBe("OK");
    expect(readFileSync(path, "latin1")).toMatch(
      new RegExp(`^${await myId(client)} .* myself,master `, "m"),
    );
  });

  it("SAVECONFIG says why it could not write", async () => {
    const node = await nodeForThisTest();
    const client = await node.connect({ protocol });
    rmSync(node.dir, { recursive: true, force: true });
    expect(existsSync(node.dir)).toBe(false);
    expect(await errorOf(cluster(client, "SAVECONFIG"))).toBe(
      "ERR error saving the cluster node config: No such file or directory",
    );
  });
});
