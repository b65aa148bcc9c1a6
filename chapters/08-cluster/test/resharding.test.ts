/**
 * Moving a slot by hand, as `redis-cli --cluster reshard` does it, one
 * command at a time: CLUSTER SETSLOT IMPORTING on the target, MIGRATING
 * on the source, GETKEYSINSLOT and MIGRATE until the source has no key
 * left, SETSLOT NODE everywhere. Meanwhile the source serves the keys it
 * still has and answers ASK for the others, the target serves only
 * clients that say ASKING, and a command whose keys are split answers
 * TRYAGAIN. The `[slot->-id]` and `[slot-<-id]` markers show in CLUSTER
 * NODES and survive a restart; the new owner takes a new config epoch.
 * Also MIGRATE's forms and errors, SETSLOT's errors, a blocked client
 * whose slot moves away, keys of a slot lost to a higher epoch, and an
 * ioredis cluster client that keeps working through a move.
 *
 * Every test moves a slot of its own (a hash tag of its own), so the
 * tests share one three-node cluster. `CLUSTER_NODES=redis` runs them all
 * against redis-server nodes.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  afterEach,
  describe,
  expect,
  inject,
  it,
  onTestFinished,
} from "vitest";
import type { Redis } from "ioredis";
import {
  clusterClientForThisTest,
  useCluster,
  waitForAgreement,
  waitUntil,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";
import { errorOf } from "./client-helpers.ts";
import { commandDocs, docsWithoutKeySpecs } from "./command-docs-helpers.ts";

const cluster = useCluster(3);
const protocol = inject("protocol");

const TRYAGAIN = "TRYAGAIN Multiple keys request during rehashing of slot";

// #region helpers
/** A slot to move: a fresh hash tag, its slot, who owns it, and where it goes. */
interface Move {
  tag: string;
  slot: number;
  source: NodeProcess;
  target: NodeProcess;
  third: NodeProcess;
  sourceId: string;
  targetId: string;
}

async function newMove(): Promise<Move> {
  const admin = await cluster.nodes[0]!.admin();
  const tag = `{${randomBytes(6).toString("hex")}}`;
  const slot = Number(await admin.call("CLUSTER", "KEYSLOT", tag));
  let sourceIndex = -1;
  for (const [index, node] of cluster.nodes.entries()) {
    const client = await node.admin();
    const count = await client.call("CLUSTER", "COUNTKEYSINSLOT", slot);
    const lines = String(await client.call("CLUSTER", "NODES"));
    const mine = lines.split("\n").find((line) => line.includes("myself"))!;
    if (ownsSlot(mine, slot)) sourceIndex = index;
    expect(count).toBe(0);
  }
  expect(sourceIndex).toBeGreaterThanOrEqual(0);
  const source = cluster.nodes[sourceIndex]!;
  const target = cluster.nodes[(sourceIndex + 1) % 3]!;
  const third = cluster.nodes[(sourceIndex + 2) % 3]!;
  return {
    tag,
    slot,
    source,
    target,
    third,
    sourceId: await idOf(source),
    targetId: await idOf(target),
  };
}

function ownsSlot(line: string, slot: number): boolean {
  return line
    .split(" ")
    .slice(8)
    .filter((word) => !word.startsWith("["))
    .some((word) => {
      const [start, end = start] = word.split("-").map(Number);
      return slot >= start! && slot <= end!;
    });
}

async function idOf(node: NodeProcess): Promise<string> {
  return String(await (await node.admin()).call("CLUSTER", "MYID"));
}

/** The node's own line of CLUSTER NODES, split into words. */
async function myLine(node: NodeProcess): Promise<string[]> {
  const lines = String(await (await node.admin()).call("CLUSTER", "NODES"));
  return lines
    .split("\n")
    .find((line) => line.includes("myself"))!
    .split(" ");
}

/** A plain client (no redirects followed) of `node`, in the project's protocol. */
function plain(node: NodeProcess): Promise<Redis> {
  return node.connect({ protocol });
}

function setslot(node: NodeProcess, ...args: (string | number)[]) {
  return node.admin().then((c) => c.call("CLUSTER", "SETSLOT", ...args));
}

/** Opens the move: IMPORTING on the target first, then MIGRATING on the source. */
async function open(move: Move): Promise<void> {
  expect(
    await setslot(move.target, move.slot, "IMPORTING", move.sourceId),
  ).toBe("OK");
  expect(
    await setslot(move.source, move.slot, "MIGRATING", move.targetId),
  ).toBe("OK");
}

/** Moves every key of the slot, ten at a time, as redis-cli does. */
async function migrateAll(move: Move): Promise<void> {
  const source = await move.source.admin();
  for (;;) {
    const keys = (await source.call(
      "CLUSTER",
      "GETKEYSINSLOT",
      move.slot,
      10,
    )) as string[];
    if (keys.length === 0) return;
    const reply = await source.call(
      "MIGRATE",
      "127.0.0.1",
      move.target.port,
      "",
      0,
      5000,
      "KEYS",
      ...keys,
    );
    expect(reply).toBe("OK");
  }
}

/** Closes the move: SETSLOT NODE on the target, the source, the third node. */
async function close(move: Move): Promise<void> {
  for (const node of [move.target, move.source, move.third]) {
    expect(await setslot(node, move.slot, "NODE", move.targetId)).toBe("OK");
  }
  await waitForAgreement(cluster.nodes);
}

/** A TCP server that accepts and never answers: MIGRATE's timeout. */
async function silentServer(): Promise<Server> {
  const server = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error();
  return address.port;
}

/** The text of every AOF file under `dir`. */
function aofFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".aof"))
    .map((name) => readFileSync(join(dir, name), "latin1"));
}

const servers: Server[] = [];
/** What they accepted: the node keeps its MIGRATE connection open (cached). */
const accepted: Socket[] = [];
afterEach(async () => {
  for (const socket of accepted.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
  }
});
// #endregion helpers

describe("a slot moved by hand", () => {
  it("moves with its keys: markers, ASK, TRYAGAIN, MOVED, ASKING, then a new owner at a new epoch", async () => {
    const move = await newMove();
    const { tag, slot } = move;
    const source = await plain(move.source);
    const target = await plain(move.target);
    await source.set(`${tag}a`, "1");
    await source.set(`${tag}b`, "2", "PX", 100_000);
    await source.rpush(`${tag}list`, "x", "y", "z");
    await source.hset(`${tag}hash`, "f", "v");

    await open(move);
    expect((await myLine(move.source)).at(-1)).toBe(
      `[${slot}->-${move.targetId}]`,
    );
    expect((await myLine(move.target)).at(-1)).toBe(
      `[${slot}-<-${move.sourceId}]`,
    );
    // Neither the other nodes nor CLUSTER SLOTS know of it: still the source's.
    expect((await myLine(move.third)).join(" ")).not.toContain("[");
    const slots = (await source.call("CLUSTER", "SLOTS")) as [
      number,
      number,
      [string, number],
    ][];
    const range = slots.find(([start, end]) => slot >= start && slot <= end)!;
    expect(range[2][1]).toBe(move.source.port);

    // Half the keys go over.
    const sourceAdmin = await move.source.admin();
    expect(
      await sourceAdmin.call(
        "MIGRATE",
        "127.0.0.1",
        move.target.port,
        "",
        0,
        5000,
        "KEYS",
        `${tag}a`,
        `${tag}list`,
      ),
    ).toBe("OK");
    const ask = `ASK ${slot} 127.0.0.1:${move.target.port}`;
    expect(await source.get(`${tag}b`)).toBe("2");
    expect(await errorOf(source.get(`${tag}a`))).toBe(ask);
    // A key that exists nowhere yet is created on the target.
    expect(await errorOf(source.set(`${tag}new`, "n"))).toBe(ask);
    expect(await errorOf(source.mget(`${tag}a`, `${tag}b`))).toBe(TRYAGAIN);
    expect(await errorOf(source.mget(`${tag}a`, `${tag}a`))).toBe(ask);
    expect(await errorOf(target.get(`${tag}a`))).toBe(
      `MOVED ${slot} 127.0.0.1:${move.source.port}`,
    );
    expect(await target.call("ASKING")).toBe("OK");
    expect(await target.get(`${tag}a`)).toBe("1");
    // ASKING is good for one command.
    expect(await errorOf(target.get(`${tag}a`))).toMatch(/^MOVED /);
    await target.call("ASKING");
    expect(await target.set(`${tag}new`, "n")).toBe("OK");
    await target.call("ASKING");
    expect(await errorOf(target.mget(`${tag}a`, `${tag}b`))).toBe(TRYAGAIN);
    await target.call("ASKING");
    expect(await target.lrange(`${tag}list`, 0, -1)).toEqual(["x", "y", "z"]);

    await migrateAll(move);
    expect(await sourceAdmin.call("CLUSTER", "COUNTKEYSINSLOT", slot)).toBe(0);

    // The new owner moves to a new config epoch, unless its own is the
    // highest already (clusterBumpConfigEpochWithoutConsensus).
    const targetAdmin = await move.target.admin();
    const info = String(await targetAdmin.call("CLUSTER", "INFO"));
    const currentEpoch = Number(/cluster_current_epoch:(\d+)/.exec(info)![1]);
    const epochs = await Promise.all(
      cluster.nodes.map(async (node) => Number((await myLine(node))[6])),
    );
    const before = Number((await myLine(move.target))[6]);
    const highest = before !== 0 && before === Math.max(...epochs);
    await close(move);
    const after = Number((await myLine(move.target))[6]);
    expect(after).toBe(highest ? before : currentEpoch + 1);
    for (const node of cluster.nodes) {
      expect((await myLine(node)).join(" ")).not.toContain("[");
    }

    expect(await errorOf(source.get(`${tag}a`))).toBe(
      `MOVED ${slot} 127.0.0.1:${move.target.port}`,
    );
    expect(await target.get(`${tag}a`)).toBe("1");
    expect(await target.get(`${tag}new`)).toBe("n");
    expect(await target.hget(`${tag}hash`, "f")).toBe("v");
    const ttl = await target.pttl(`${tag}b`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100_000);
  }, 60_000);

  it("keeps its markers in nodes.conf across a restart, until STABLE", async () => {
    const move = await newMove();
    await open(move);
    await move.source.stop();
    await move.target.stop();
    await move.source.start();
    await move.target.start();
    await waitForAgreement(cluster.nodes);
    expect(await myLine(move.source)).toContain(
      `[${move.slot}->-${move.targetId}]`,
    );
    expect(await myLine(move.target)).toContain(
      `[${move.slot}-<-${move.sourceId}]`,
    );
    expect(await setslot(move.source, move.slot, "STABLE")).toBe("OK");
    expect(await setslot(move.target, move.slot, "STABLE")).toBe("OK");
    expect((await myLine(move.source)).join(" ")).not.toContain("[");
    expect((await myLine(move.target)).join(" ")).not.toContain("[");
    await waitForAgreement(cluster.nodes);
  }, 60_000);

  it("answers SETSLOT's errors as Redis does", async () => {
    const move = await newMove();
    const { slot } = move;
    const unknown = "f".repeat(40);
    const cases: [NodeProcess, (string | number)[], string][] = [
      [
        move.target,
        [slot, "MIGRATING", move.sourceId],
        `ERR I'm not the owner of hash slot ${slot}`,
      ],
      [
        move.source,
        [slot, "IMPORTING", move.targetId],
        `ERR I'm already the owner of hash slot ${slot}`,
      ],
      [
        move.source,
        [slot, "MIGRATING", unknown],
        `ERR I don't know about node ${unknown}`,
      ],
      [
        move.target,
        [slot, "IMPORTING", "nosuch"],
        "ERR I don't know about node nosuch",
      ],
      [move.target, [slot, "NODE", unknown], `ERR Unknown node ${unknown}`],
      [move.target, [16384, "STABLE"], "ERR Invalid or out of range slot"],
      [move.target, ["x", "STABLE"], "ERR Invalid or out of range slot"],
      [
        move.target,
        [slot, "BOGUS"],
        "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP",
      ],
      [
        move.target,
        [slot, "STABLE", "x"],
        "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP",
      ],
      [
        move.target,
        [slot, "NODE"],
        "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP",
      ],
      [
        move.target,
        [slot],
        "ERR wrong number of arguments for 'cluster|setslot' command",
      ],
    ];
    for (const [node, args, expected] of cases) {
      expect(await errorOf(setslot(node, ...args))).toBe(expected);
    }
    const source = await plain(move.source);
    await source.set(`${move.tag}k`, "v");
    expect(
      await errorOf(setslot(move.source, slot, "NODE", move.targetId)),
    ).toBe(
      `ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`,
    );
    await source.del(`${move.tag}k`);
  });
});

describe("MIGRATE", () => {
  it("COPY, REPLACE, NOKEY, BUSYKEY and its syntax errors", async () => {
    const move = await newMove();
    const { tag } = move;
    const source = await plain(move.source);
    await source.set(`${tag}k`, "v1");
    await source.set(`${tag}j`, "j");
    await open(move);
    const to = ["127.0.0.1", move.target.port] as const;
    expect(await source.call("MIGRATE", ...to, `${tag}none`, 0, 5000)).toBe(
      "NOKEY",
    );
    expect(
      await source.call("MIGRATE", ...to, `${tag}k`, 0, 5000, "COPY"),
    ).toBe("OK");
    expect(await source.get(`${tag}k`)).toBe("v1");
    expect(
      await errorOf(source.call("MIGRATE", ...to, `${tag}k`, 0, 5000)),
    ).toBe(
      "ERR Target instance replied with error: BUSYKEY Target key name already exists.",
    );
    expect(await source.get(`${tag}k`)).toBe("v1");
    await source.set(`${tag}k`, "v2");
    expect(
      await source.call(
        "MIGRATE",
        ...to,
        "",
        0,
        5000,
        "REPLACE",
        "KEYS",
        `${tag}k`,
      ),
    ).toBe("OK");
    expect(await errorOf(source.get(`${tag}k`))).toMatch(/^ASK /);
    const target = await plain(move.target);
    await target.call("ASKING");
    expect(await target.get(`${tag}k`)).toBe("v2");

    const errors: [(string | number)[], string][] = [
      [
        [`${tag}j`, 0, 5000, "KEYS", `${tag}j`],
        "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string",
      ],
      [[`${tag}j`, 0, 5000, "BOGUS"], "ERR syntax error"],
      [[`${tag}j`, 0, 5000, "AUTH"], "ERR syntax error"],
      [[`${tag}j`, 0, 5000, "AUTH2", "user"], "ERR syntax error"],
      [[`${tag}j`, 0, "soon"], "ERR value is not an integer or out of range"],
      [
        [`${tag}j`, "zero", 5000],
        "ERR value is not an integer or out of range",
      ],
      [[`${tag}j`, 0], "ERR wrong number of arguments for 'migrate' command"],
      [
        [`${tag}j`, 3, 5000],
        "ERR Target instance replied with error: ERR SELECT is not allowed in cluster mode",
      ],
    ];
    for (const [args, expected] of errors) {
      expect(await errorOf(source.call("MIGRATE", ...to, ...args))).toBe(
        expected,
      );
    }
    expect(await source.get(`${tag}j`)).toBe("j");
    // Redis's quirk, kept: the target refused SELECT 3 but ran the
    // RESTORE-ASKING that followed, in database 0. The source, seeing an
    // error, kept its key: it is on both nodes now, and only REPLACE
    // moves it.
    await target.call("ASKING");
    expect(await target.get(`${tag}j`)).toBe("j");
    expect(
      await source.call("MIGRATE", ...to, `${tag}j`, 0, 5000, "REPLACE"),
    ).toBe("OK");
    await close(move);
  }, 60_000);

  it("leaves a DEL of the moved keys in the source's AOF", async () => {
    const move = await newMove();
    const source = await plain(move.source);
    const admin = await move.source.admin();
    const key = `${move.tag}logged`;
    await source.set(key, "v");
    await open(move);
    await admin.call("CONFIG", "SET", "appendonly", "yes");
    onTestFinished(async () => {
      await admin.call("CONFIG", "SET", "appendonly", "no");
    });
    await waitUntil(
      async () => {
        const info = String(await admin.info("persistence"));
        return (
          info.includes("aof_enabled:1") &&
          info.includes("aof_rewrite_in_progress:0") &&
          info.includes("aof_rewrite_scheduled:0")
        );
      },
      20_000,
      "the AOF to be on",
    );
    expect(
      await source.call("MIGRATE", "127.0.0.1", move.target.port, key, 0, 5000),
    ).toBe("OK");
    // Ours writes appendonly.aof; Redis 7.0 an "incr" file in a folder.
    const del = `DEL\r\n$${key.length}\r\n${key}\r\n`;
    await waitUntil(
      () => aofFiles(move.source.dir).some((text) => text.includes(del)),
      10_000,
      "the DEL in the AOF",
    );
    await close(move);
  }, 60_000);

  it("IOERR: a closed port, and a target that never answers", async () => {
    const move = await newMove();
    const source = await plain(move.source);
    const key = `${move.tag}k`;
    await source.set(key, "v");
    const closed = await silentServer();
    const closedPort = portOf(closed);
    await new Promise((resolve) => closed.close(resolve));
    expect(
      await errorOf(
        source.call("MIGRATE", "127.0.0.1", closedPort, key, 0, 500),
      ),
    ).toBe("IOERR error or timeout writing to target instance");
    const silent = await silentServer();
    servers.push(silent);
    const started = Date.now();
    expect(
      await errorOf(
        source.call("MIGRATE", "127.0.0.1", portOf(silent), key, 0, 300),
      ),
    ).toBe("IOERR error or timeout reading to target instance");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Nothing was lost.
    expect(await source.get(key)).toBe("v");
    await source.del(key);
  });

  it("is documented as in Redis 7.0.15 (COMMAND INFO and DOCS)", async () => {
    const client = await plain(cluster.nodes[0]!);
    const [info] = (await client.call(
      "COMMAND",
      "INFO",
      "migrate",
    )) as unknown[][];
    expect(info!.slice(0, 8)).toEqual([
      "migrate",
      -6,
      ["write", "movablekeys"],
      3,
      3,
      1,
      ["@keyspace", "@write", "@slow", "@dangerous"],
      ["nondeterministic_output"],
    ]);
    expect(
      await client.call(
        "COMMAND",
        "GETKEYS",
        "MIGRATE",
        "h",
        "1",
        "",
        "0",
        "0",
        "AUTH",
        "p",
        "KEYS",
        "a",
        "b",
      ),
    ).toEqual(["a", "b"]);
    expect(await docsWithoutKeySpecs(client, "migrate")).toEqual(
      commandDocs("generic", {
        summary:
          "Atomically transfer a key from a Redis instance to another one.",
        since: "2.6.0",
        complexity:
          "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
        history: [
          ["3.0.0", "Added the `COPY` and `REPLACE` options."],
          ["3.0.6", "Added the `KEYS` option."],
          ["4.0.7", "Added the `AUTH` option."],
          ["6.0.0", "Added the `AUTH2` option."],
        ],
        arguments: [
          ["name", "host", "type", "string"],
          ["name", "port", "type", "integer"],
          [
            ...["name", "key_or_empty_string", "type", "oneof", "arguments"],
            [
              ["name", "key", "type", "key"],
              ["name", "empty_string", "type", "pure-token", "token", ""],
            ],
          ],
          ["name", "destination-db", "type", "integer"],
          ["name", "timeout", "type", "integer"],
          [
            ...["name", "copy", "type", "pure-token", "token", "COPY"],
            ...["since", "3.0.0", "flags", ["optional"]],
          ],
          [
            ...["name", "replace", "type", "pure-token", "token", "REPLACE"],
            ...["since", "3.0.0", "flags", ["optional"]],
          ],
          [
            ...[
              "name",
              "authentication",
              "type",
              "oneof",
              "flags",
              ["optional"],
              "arguments",
            ],
            [
              [
                ...["name", "password", "type", "string", "token", "AUTH"],
                ...["since", "4.0.7", "flags", ["optional"]],
              ],
              [
                ...[
                  "name",
                  "username_password",
                  "type",
                  "block",
                  "token",
                  "AUTH2",
                ],
                ...["since", "6.0.0", "flags", ["optional"], "arguments"],
                [
                  ["name", "username", "type", "string"],
                  ["name", "password", "type", "string"],
                ],
              ],
            ],
          ],
          [
            ...["name", "key", "type", "key", "token", "KEYS"],
            ...["since", "3.0.6", "flags", ["optional", "multiple"]],
          ],
        ],
      }),
    );
  });
});

describe("around a move", () => {
  it("a client blocked on a slot that moves away is answered MOVED", async () => {
    const move = await newMove();
    const blocked = await plain(move.source);
    const popped = errorOf(blocked.blpop(`${move.tag}queue`, 0));
    const admin = await move.source.admin();
    await waitUntil(
      async () =>
        /blocked_clients:[1-9]/.test(String(await admin.info("clients"))),
      10_000,
      "the client to block",
    );
    await close(move);
    expect(await popped).toBe(
      `MOVED ${move.slot} 127.0.0.1:${move.target.port}`,
    );
  }, 60_000);

  it("keys of a slot lost to a higher config epoch are deleted", async () => {
    const move = await newMove();
    const source = await plain(move.source);
    await source.set(`${move.tag}a`, "1");
    await source.set(`${move.tag}b`, "2");
    // The target moves to the highest epoch, then takes the slot without
    // its keys: the source sees a claim at a higher epoch than its own,
    // gives the slot up, and drops its keys. (In the other order, a PING
    // from the source in between could win the slot back for it.)
    await (await move.target.admin()).call("CLUSTER", "BUMPEPOCH");
    expect(await setslot(move.target, move.slot, "NODE", move.targetId)).toBe(
      "OK",
    );
    await waitUntil(
      async () =>
        Number(await source.call("CLUSTER", "COUNTKEYSINSLOT", move.slot)) ===
        0,
      20_000,
      "the source to drop the slot's keys",
    );
    expect(await errorOf(source.get(`${move.tag}a`))).toBe(
      `MOVED ${move.slot} 127.0.0.1:${move.target.port}`,
    );
    await waitForAgreement(cluster.nodes);
  }, 60_000);

  it("ioredis's Redis.Cluster reads and writes every key through the move", async () => {
    const move = await newMove();
    const client = clusterClientForThisTest(cluster.nodes, protocol);
    const keys = Array.from({ length: 100 }, (_, i) => `${move.tag}${i}`);
    for (const key of keys) await client.set(key, "0");
    let round = 0;
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        round += 1;
        for (const key of keys) {
          expect(await client.get(key)).toBe(String(round - 1));
          await client.set(key, String(round));
        }
      }
    })();
    await open(move);
    await migrateAll(move);
    await close(move);
    stop = true;
    await traffic;
    expect(round).toBeGreaterThan(0);
    for (const key of keys) expect(await client.get(key)).toBe(String(round));
    const target = await plain(move.target);
    expect(await target.call("CLUSTER", "COUNTKEYSINSLOT", move.slot)).toBe(
      100,
    );
  }, 60_000);
});
