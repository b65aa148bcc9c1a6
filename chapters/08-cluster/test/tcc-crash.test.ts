/**
 * Cross-node writes when a node dies in the middle (our own proxy mode,
 * not Redis): the coordinator, or a participant, is killed (SIGKILL) at
 * each step of try-confirm-cancel, and then, once locks have expired
 * and the dead node is back, every node holds the whole write or none
 * of it. The nodes log with `appendonly yes` and `appendfsync always`.
 *
 * Deaths are not left to timing: a node started with
 * TCC_TEST_HOOKS=yes in its environment can be told `TCC DEBUG CRASH-AT
 * <point>` (src/cluster/tcc/tcc-test-hooks.ts), and kills itself there.
 * Node 0 coordinates; the first key lives on node 1, the primary, which
 * decides; the second on node 2.
 *
 * These do not depend on the client's protocol: they run once, in the
 * RESP3 project.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import {
  againstRedis,
  useCluster,
  waitUntil,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";
import { keysForThisTest } from "./client-helpers.ts";
import { keyNamer, slotOwners } from "./tcc-helpers.ts";

// Inherited by the nodes this file starts.
process.env.TCC_TEST_HOOKS = "yes";

const LOCK_MS = 1000;

describe.skipIf(againstRedis || inject("protocol") === 2)(
  "cross-node writes survive crashes (ours, not Redis)",
  () => {
    const cluster = useCluster(3, {
      args: [
        ...["--cluster-proxy", "yes"],
        ...["--appendonly", "yes", "--appendfsync", "always"],
      ],
    });
    let keyOn: (node: number, name: string) => Promise<string>;

    beforeAll(async () => {
      keyOn = keyNamer(cluster.nodes, await slotOwners(cluster.nodes));
    });

    const node = (index: number): NodeProcess => cluster.nodes[index]!;

    /** The value of `key` on node `index`, or undefined while it is locked or the node is away. */
    async function valueOn(
      index: number,
      key: string,
    ): Promise<string | null | undefined> {
      try {
        return await (await node(index).admin()).get(key);
      } catch {
        return undefined;
      }
    }

    // #region scenario
    interface Scenario {
      /** The node told to die, and where. */
      dies: number;
      at: string;
      /** MSET, or MSETNX with the second key present (which cancels it). */
      command: "mset" | "msetnx";
      /** Whether the write must end up applied on both nodes. */
      applied: boolean;
      /** Lock time: longer where a test looks at a lock before it expires. */
      lockMs?: number;
      /** What to check while the dead node is still down. */
      whileDown?: (keys: [string, string]) => Promise<void>;
    }

    /** Waits until every node is up and says the cluster is ok. */
    async function clusterOk(): Promise<void> {
      await waitUntil(
        async () => {
          for (const each of cluster.nodes) {
            const info = await (
              await each.admin()
            )
              .cluster("INFO")
              .catch(() => "");
            if (!String(info).includes("cluster_state:ok")) return false;
          }
          return true;
        },
        15_000,
        "every node to say cluster_state:ok",
      );
    }

    async function run(scenario: Scenario): Promise<unknown> {
      await clusterOk();
      const key = keysForThisTest();
      const keys: [string, string] = [
        await keyOn(1, key("first")),
        await keyOn(2, key("second")),
      ];
      if (scenario.command === "mset") {
        await (await node(1).admin()).set(keys[0], "old");
      }
      await (await node(2).admin()).set(keys[1], "old");
      const coordinator = await node(0).admin();
      await coordinator.call(
        "TCC",
        "DEBUG",
        "LOCK-MS",
        String(scenario.lockMs ?? LOCK_MS),
      );
      await (
        await node(scenario.dies).admin()
      ).call("TCC", "DEBUG", "CRASH-AT", scenario.at);

      const client: Redis = await node(0).connect();
      const write =
        scenario.command === "mset"
          ? client.mset(keys[0], "new", keys[1], "new")
          : client.msetnx(keys[0], "new", keys[1], "new");
      // The client's answer, or the error it got (the connection, when the
      // coordinator dies).
      const answer = await write.catch((error: Error) => error);
      const dead = node(scenario.dies);
      await waitUntil(
        () => !dead.running,
        10_000,
        `the node to die (the client was answered ${String(answer)})`,
      );
      await scenario.whileDown?.(keys);
      await dead.stop();
      await dead.start();

      const before = scenario.command === "mset" ? "old" : null;
      const expected = scenario.applied ? ["new", "new"] : [before, "old"];
      let seen: (string | null | undefined)[] = [];
      await waitUntil(
        async () => {
          seen = [await valueOn(1, keys[0]), await valueOn(2, keys[1])];
          return seen.every((value) => value !== undefined);
        },
        15_000,
        "both keys to be unlocked",
      );
      expect(seen).toEqual(expected);
      return answer;
    }
    // #endregion scenario

    it("coordinator dies after every PREPARE: the locks expire, nothing is applied", async () => {
      await run({
        dies: 0,
        at: "coordinator-prepared",
        command: "mset",
        applied: false,
        lockMs: 5000,
        async whileDown(keys) {
          // Locked: an ordinary read is told to try again.
          await expect((await node(1).admin()).get(keys[0])).rejects.toThrow(
            /^TRYAGAIN/,
          );
        },
      });
    });

    it("coordinator dies after the primary's CONFIRM: the other node asks it, and applies", async () => {
      await run({
        dies: 0,
        at: "coordinator-primary-confirmed",
        command: "mset",
        applied: true,
      });
    });

    it("a participant's rewritten AOF keeps its open PREPARE: after a crash it still applies the write", async () => {
      await run({
        dies: 0,
        at: "coordinator-primary-confirmed",
        command: "mset",
        applied: true,
        lockMs: 8000,
        async whileDown(keys) {
          const participant = node(2);
          const admin = await participant.admin();
          await admin.bgrewriteaof();
          await waitUntil(
            async () =>
              (await admin.info("persistence")).includes(
                "aof_rewrite_in_progress:0",
              ),
            10_000,
            "the rewrite to end",
          );
          await participant.stop();
          await participant.start();
          // Locked again, from the PREPARE logged after the snapshot, once
          // the node has found the cluster again.
          let refusal = "";
          await waitUntil(
            async () => {
              refusal = await (
                await participant.admin()
              )
                .get(keys[1])
                .then(String, (error: Error) => error.message);
              return !refusal.startsWith("CLUSTERDOWN");
            },
            10_000,
            "the restarted node to serve its keys",
          );
          expect(refusal).toMatch(/^TRYAGAIN/);
        },
      });
    });

    it("coordinator dies after every CONFIRM: applied everywhere", async () => {
      await run({
        dies: 0,
        at: "coordinator-confirmed",
        command: "mset",
        applied: true,
      });
    });

    it("coordinator dies while cancelling: the other node learns it was cancelled", async () => {
      await run({
        dies: 0,
        at: "coordinator-cancelling",
        command: "msetnx",
        applied: false,
      });
    });

    it("a participant dies once its PREPARE is logged: cancelled on both, after its restart too", async () => {
      const answer = await run({
        dies: 2,
        at: "prepare-logged",
        command: "mset",
        applied: false,
      });
      expect(String(answer)).toMatch(/TRYAGAIN/);
    });

    it("the primary dies once its PREPARE is logged: it cancels itself after its restart", async () => {
      await run({
        dies: 1,
        at: "prepare-logged",
        command: "mset",
        applied: false,
      });
    });

    it("a participant dies before applying CONFIRM: after its restart it asks the primary, and applies", async () => {
      const answer = await run({
        dies: 2,
        at: "confirm-received",
        command: "mset",
        applied: true,
      });
      // The primary's CONFIRM decided it: the client was told OK.
      expect(answer).toBe("OK");
    });

    it("the primary dies before applying CONFIRM: undecided, it cancels itself after its restart", async () => {
      const answer = await run({
        dies: 1,
        at: "confirm-received",
        command: "mset",
        applied: false,
      });
      expect(String(answer)).toMatch(/no answer from its primary node/);
    });

    it("the primary dies once its CONFIRM is logged: the write stands, and the other node applies it", async () => {
      await run({
        dies: 1,
        at: "confirm-logged",
        command: "mset",
        applied: true,
      });
    });

    it("a participant dies once its CONFIRM is logged: its restart replays it", async () => {
      await run({
        dies: 2,
        at: "confirm-logged",
        command: "mset",
        applied: true,
      });
    });

    it("a participant dies on CANCEL: after its restart it asks the primary, and cancels", async () => {
      const answer = await run({
        dies: 2,
        at: "cancel-received",
        command: "msetnx",
        applied: false,
      });
      expect(answer).toBe(0);
    });
  },
);
