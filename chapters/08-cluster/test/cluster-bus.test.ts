/**
 * Article step "cluster-bus": nodes that find each other, agree and
 * notice failures, over the bus alone. Each node is a process of its own
 * (shared/cluster-harness.ts); with `CLUSTER_NODES=redis` every node is
 * a real redis-server 7.0.15, and the same tests check Redis itself.
 *
 * - MEET starts a handshake: the met node is known under a random name
 *   until its PONG tells its real one; gossip then spreads it to all.
 * - Masters met with the same config epoch end with different ones.
 * - Two claims on one slot: the higher config epoch wins, everywhere.
 * - A node killed is PFAIL (`fail?`) to each node after the node
 *   timeout, then FAIL once a majority agrees; the cluster is down while
 *   its slots are unserved. Restarted, it comes back with its name and
 *   slots from nodes.conf, and the cluster is ok again.
 *
 * Nothing sleeps for a fixed time: every wait polls for what it expects,
 * with a deadline.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  cleanUp,
  formCluster,
  startNodes,
  waitForAgreement,
  waitUntil,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";

/** Short, so that failures are seen within seconds; the same for both kinds. */
const NODE_TIMEOUT = 1000;

/** One line of CLUSTER NODES, read. */
interface NodeLine {
  id: string;
  address: string;
  flags: string[];
  pingSent: number;
  pongReceived: number;
  configEpoch: number;
  link: string;
  slots: string[];
}

async function nodesOf(node: NodeProcess): Promise<NodeLine[]> {
  const text = String(await (await node.admin()).call("CLUSTER", "NODES"));
  return text
    .trim()
    .split("\n")
    .map((line) => {
      const words = line.split(" ");
      return {
        id: words[0]!,
        address: words[1]!,
        flags: words[2]!.split(","),
        pingSent: Number(words[4]),
        pongReceived: Number(words[5]),
        configEpoch: Number(words[6]),
        link: words[7]!,
        slots: words.slice(8),
      };
    });
}

async function myId(node: NodeProcess): Promise<string> {
  return String(await (await node.admin()).call("CLUSTER", "MYID"));
}

async function clusterState(node: NodeProcess): Promise<string> {
  const info = String(await (await node.admin()).call("CLUSTER", "INFO"));
  return /cluster_state:(\w+)/.exec(info)![1]!;
}

/** Starts `count` nodes, stopped and removed when the test ends. */
async function startClusterNodes(count: number): Promise<NodeProcess[]> {
  const nodes = await startNodes(
    Array.from({ length: count }, () => ({ nodeTimeout: NODE_TIMEOUT })),
  );
  onTestFinished(() => cleanUp(nodes));
  return nodes;
}

describe("meeting", () => {
  it("MEET shows the met node in handshake, then under its own name, on every node", async () => {
    const [a, b, c] = await startClusterNodes(3);
    const ids = [await myId(a!), await myId(b!), await myId(c!)];
    await (await a!.admin()).call("CLUSTER", "MEET", "127.0.0.1", b!.port);
    // Right after MEET, a knows b only by address.
    const first = await nodesOf(a!);
    const met = first.find((line) =>
      line.address.startsWith(`127.0.0.1:${b!.port}@`),
    )!;
    expect(met.id).not.toBe(ids[1]);
    expect(met.flags).toContain("handshake");

    await (await c!.admin()).call("CLUSTER", "MEET", "127.0.0.1", b!.port);
    // a learns c from b's gossip, without a MEET of its own.
    await waitUntil(
      async () => {
        for (const node of [a!, b!, c!]) {
          const seen = (await nodesOf(node)).map((line) => line.id).sort();
          if (seen.join() !== [...ids].sort().join()) return false;
        }
        return true;
      },
      15_000,
      "every node to know the other two by name",
    );
    const fromA = await nodesOf(a!);
    expect(fromA.find((line) => line.id === ids[1])).toMatchObject({
      address: `127.0.0.1:${b!.port}@${b!.busPort}`,
      flags: ["master"],
      link: "connected",
    });
    expect(fromA.find((line) => line.id === ids[0])!.flags).toEqual([
      "myself",
      "master",
    ]);
  });

  it("a node met by address is not suspected after the handshake", async () => {
    const nodes = await startClusterNodes(3);
    await formCluster(nodes);
    const formedAt = Date.now();
    // Wait until each node has had a PONG from each other node well after
    // the node timeout; never, meanwhile, may one look failing.
    await waitUntil(
      async () => {
        let allFresh = true;
        for (const node of nodes) {
          for (const line of await nodesOf(node)) {
            expect(
              line.flags,
              `${line.id} as seen from :${node.port}`,
            ).not.toContain("fail?");
            expect(line.flags).not.toContain("fail");
            if (
              !line.flags.includes("myself") &&
              line.pongReceived < formedAt + 2 * NODE_TIMEOUT
            ) {
              allFresh = false;
            }
          }
        }
        return allFresh;
      },
      20_000,
      "PONGs from every node, two node timeouts after forming",
    );
  });

  it("nodes.conf holds every node and the epochs, in Redis's format", async () => {
    const nodes = await startClusterNodes(3);
    await formCluster(nodes);
    const text = readFileSync(join(nodes[0]!.dir, "nodes.conf"), "latin1");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toMatch(/^vars currentEpoch 3 lastVoteEpoch 0$/);
    const mine = lines.find((line) => line.includes("myself"))!;
    expect(mine).toMatch(
      new RegExp(
        `^${await myId(nodes[0]!)} 127\\.0\\.0\\.1:${nodes[0]!.port}@${nodes[0]!.busPort} myself,master - 0 \\d+ 1 connected 0-5460$`,
      ),
    );
  });
});

describe("epochs", () => {
  it("masters met with the same config epoch end with different ones", async () => {
    const [a, b, c] = await startClusterNodes(3);
    for (const [node, first, last] of [
      [a!, 0, 5460],
      [b!, 5461, 10922],
      [c!, 10923, 16383],
    ] as const) {
      await (await node.admin()).call("CLUSTER", "ADDSLOTSRANGE", first, last);
    }
    await (await b!.admin()).call("CLUSTER", "MEET", "127.0.0.1", a!.port);
    await (await c!.admin()).call("CLUSTER", "MEET", "127.0.0.1", a!.port);
    await waitUntil(
      async () => {
        const epochs = (await nodesOf(a!)).map((line) => line.configEpoch);
        return epochs.length === 3 && new Set(epochs).size === 3;
      },
      20_000,
      "three different config epochs",
    );
    await waitForAgreement([a!, b!, c!]);
  });

  it("two claims on one slot: the higher config epoch wins it on every node", async () => {
    const [a, b, c] = await startClusterNodes(3);
    const ids = [await myId(a!), await myId(b!), await myId(c!)];
    // a and b both claim slot 100 before they meet; b's epoch is higher.
    await (await a!.admin()).call("CLUSTER", "ADDSLOTSRANGE", 0, 5460);
    await (await b!.admin()).call("CLUSTER", "ADDSLOTSRANGE", 5461, 10922);
    await (await b!.admin()).call("CLUSTER", "ADDSLOTS", 100);
    await (await c!.admin()).call("CLUSTER", "ADDSLOTSRANGE", 10923, 16383);
    for (const [node, epoch] of [
      [a!, 1],
      [b!, 2],
      [c!, 3],
    ] as const) {
      await (await node.admin()).call("CLUSTER", "SET-CONFIG-EPOCH", epoch);
    }
    await (await b!.admin()).call("CLUSTER", "MEET", "127.0.0.1", a!.port);
    await (await c!.admin()).call("CLUSTER", "MEET", "127.0.0.1", a!.port);
    await waitForAgreement([a!, b!, c!]);
    for (const node of [a!, b!, c!]) {
      const lines = await nodesOf(node);
      expect(lines.find((line) => line.id === ids[0])!.slots).toEqual([
        "0-99",
        "101-5460",
      ]);
      expect(lines.find((line) => line.id === ids[1])!.slots).toEqual([
        "100",
        "5461-10922",
      ]);
    }
  });
});

describe("failure detection", () => {
  it("a killed node is fail? then fail on the others; restarted, it is back with its name and slots", async () => {
    const nodes = await startClusterNodes(3);
    await formCluster(nodes);
    const [a, b, c] = nodes;
    const cId = await myId(c!);
    const killedAt = Date.now();
    await c!.stop();

    const flagsOfC = async (node: NodeProcess): Promise<string[]> =>
      (await nodesOf(node)).find((line) => line.id === cId)!.flags;
    // PFAIL comes first on at least one node, unless FAIL overtook it
    // between two polls; both within a few node timeouts.
    let suspectedAt = 0;
    await waitUntil(
      async () => {
        const flags = [...(await flagsOfC(a!)), ...(await flagsOfC(b!))];
        if (
          suspectedAt === 0 &&
          (flags.includes("fail?") || flags.includes("fail"))
        ) {
          suspectedAt = Date.now();
        }
        return (
          (await flagsOfC(a!)).includes("fail") &&
          (await flagsOfC(b!)).includes("fail")
        );
      },
      NODE_TIMEOUT * 10,
      "both nodes to mark the killed one FAIL",
    );
    expect(suspectedAt - killedAt).toBeGreaterThanOrEqual(NODE_TIMEOUT);
    expect(await clusterState(a!)).toBe("fail");

    await c!.start();
    expect(await myId(c!)).toBe(cId);
    await waitForAgreement(nodes, 30_000);
    expect((await nodesOf(a!)).find((line) => line.id === cId)!.slots).toEqual([
      "10923-16383",
    ]);
  });

  it("restarted all together, the nodes come back from nodes.conf and agree again", async () => {
    const nodes = await startClusterNodes(3);
    await formCluster(nodes);
    const before = await Promise.all(nodes.map(myId));
    await Promise.all(nodes.map((node) => node.stop("SIGTERM")));
    await Promise.all(nodes.map((node) => node.start()));
    expect(await Promise.all(nodes.map(myId))).toEqual(before);
    await waitForAgreement(nodes, 30_000);
    const info = String(
      await (await nodes[0]!.admin()).call("CLUSTER", "INFO"),
    );
    expect(info).toMatch(/cluster_current_epoch:3\r\n/);
  });
});
