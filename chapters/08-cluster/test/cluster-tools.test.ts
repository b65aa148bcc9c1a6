/**
 * Redis's own cluster tools against our nodes: `redis-cli --cluster
 * create` forms three fresh nodes into a cluster (INFO, CLUSTER NODES,
 * ADDSLOTS, SET-CONFIG-EPOCH, MEET, then CLUSTER NODES until they agree),
 * and `redis-cli --cluster check` finds nothing wrong from any of them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanUp,
  startNodes,
  waitForAgreement,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";
import {
  CHECK_OK,
  clusterCheck,
  createCluster,
  hasRedisCli,
  redisCli,
} from "./redis-cli-helpers.ts";

describe.skipIf(!hasRedisCli)("redis-cli --cluster", () => {
  let nodes: NodeProcess[] = [];
  beforeAll(async () => {
    nodes = await startNodes([{}, {}, {}]);
  }, 60_000);
  afterAll(() => cleanUp(nodes));

  it("create forms three fresh nodes into a cluster", async () => {
    const create = await createCluster(nodes);
    expect(create.stdout).toContain("[OK] All 16384 slots covered.");
    expect(create.code, create.stdout + create.stderr).toBe(0);
    // redis-cli is done once the nodes agree on the slots; the state turns
    // ok on each node's own time after that.
    await waitForAgreement(nodes);
  }, 60_000);

  it("gave each node a third of the slots, in order, with config epochs 1, 2, 3", async () => {
    const { stdout } = await redisCli([
      "-p",
      String(nodes[0]!.port),
      "cluster",
      "nodes",
    ]);
    const byAddress = new Map(
      stdout
        .trim()
        .split("\n")
        .map((line) => line.split(" "))
        .map((w) => [w[1]!.split("@")[0]!, `${w[6]} ${w.slice(8).join(" ")}`]),
    );
    expect(nodes.map((node) => byAddress.get(node.address))).toEqual([
      "1 0-5460",
      "2 5461-10922",
      "3 10923-16383",
    ]);
  });

  it("check finds nothing wrong, from every node", async () => {
    for (const node of nodes) {
      const check = await clusterCheck(node.port);
      for (const line of CHECK_OK) expect(check.stdout).toContain(line);
      expect(check.stdout).not.toContain("[ERR]");
      expect(check.stdout).not.toContain("[WARNING]");
      expect(check.code, check.stdout + check.stderr).toBe(0);
    }
  });

  it("redis-cli -c then writes and reads a key on each node", async () => {
    // {a} hashes to slot 15495, {b} to 3300, {c} to 7365: one per node.
    for (const key of ["{b}x", "{c}x", "{a}x"]) {
      const set = await redisCli([
        "-c",
        "-p",
        String(nodes[0]!.port),
        "set",
        key,
        key,
      ]);
      expect(set.stdout).toBe("OK\n");
      const get = await redisCli([
        "-c",
        "-p",
        String(nodes[1]!.port),
        "get",
        key,
      ]);
      expect(get.stdout).toBe(`${key}\n`);
    }
    for (const node of nodes) {
      const { stdout } = await redisCli(["-p", String(node.port), "dbsize"]);
      expect(stdout).toBe("1\n");
    }
  });
});
