/**
 * A cluster run (`npm run fuzz -- 08 --cluster`): both servers started
 * with `--cluster-enabled yes`, each a cluster of one node that owns all
 * 16384 slots, then the usual stream of commands (with hash-tagged keys,
 * cluster-keys.ts) and the cluster generators (generators/cluster.ts).
 *
 * Both nodes get the same node id: each starts from a nodes.conf written
 * here that names it, so CLUSTER MYID, NODES, SLOTS and SHARDS can be
 * compared and a command can name "this node" with the same bytes on both
 * (COUNT-FAILURE-REPORTS, FORGET). Only the port is each server's own
 * (normalise.ts sets it aside).
 *
 * A checkpoint in a cluster run also compares the slot index: for every
 * key, its slot (CLUSTER KEYSLOT), and for every slot with keys, how many
 * (COUNTKEYSINSLOT) and which, in order (GETKEYSINSLOT: Redis 7.0 lists a
 * slot's keys newest first, and so must we).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { askBoth, type Peer } from "./peer.ts";
import { escapeBytes, textOf, type RespReply } from "./resp.ts";
import { itemsOf } from "./exchange.ts";
import type { StateDifference } from "./checkpoint.ts";

/** The node id both servers share (any 40 hex digits; this one reads "fuzz" at a squint). */
export const FUZZ_NODE_ID = "f022f022f022f022f022f022f022f022f022f022";

/** How long both nodes get to report cluster_state:ok (Redis waits 2 s after start-up). */
const STATE_OK_TIMEOUT_MS = 15_000;

const word = (text: string): Buffer => Buffer.from(text, "latin1");

/** The command-line arguments that make a server a cluster node, for both servers. */
export function clusterArgs(): string[] {
  return ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"];
}

/**
 * Writes the nodes.conf a node on `port` starts from, in `dir`: itself
 * only, no slots, epochs 0, under FUZZ_NODE_ID. (Its bus port is port +
 * 10000, Redis's default, which the caller made sure is free.)
 */
export function writeNodesFile(dir: string, port: number): void {
  writeFileSync(
    join(dir, "nodes.conf"),
    `${FUZZ_NODE_ID} 127.0.0.1:${port}@${port + 10_000} myself,master - 0 0 0 connected\n` +
      "vars currentEpoch 0 lastVoteEpoch 0\n",
  );
}

// #region form-single-node
/**
 * Gives each node every slot (CLUSTER ADDSLOTSRANGE 0 16383, the replies
 * compared by the caller) and waits until both report cluster_state:ok.
 * Redis turns a new node's state ok only 2 s after it started, and both
 * update it on a timer of their own: nothing is sent before both are ok.
 */
export async function formSingleNodeClusters(
  ours: Peer,
  redis: Peer,
): Promise<[RespReply, RespReply]> {
  const [a, b] = await askBoth(ours, redis, [
    [word("CLUSTER"), word("ADDSLOTSRANGE"), word("0"), word("16383")],
  ]);
  await untilStateOk(ours, redis);
  return [a[0]!, b[0]!];
}

/** Polls CLUSTER INFO on both until both say cluster_state:ok; throws after STATE_OK_TIMEOUT_MS. */
async function untilStateOk(ours: Peer, redis: Peer): Promise<void> {
  const deadline = Date.now() + STATE_OK_TIMEOUT_MS;
  for (;;) {
    const [a, b] = await askBoth(ours, redis, [
      [word("CLUSTER"), word("INFO")],
    ]);
    const states = [a[0]!, b[0]!].map(
      (reply) => /cluster_state:(\w+)/.exec(textOf(reply) ?? "")?.[1],
    );
    if (states.every((state) => state === "ok")) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the single-node clusters did not reach cluster_state:ok (ours: ${states[0]}, redis: ${states[1]})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * After a difference: if either node lost a slot (a bug let a DELSLOTS
 * through, say), both start over with every slot: FLUSHSLOTS (the
 * databases were emptied just before) and ADDSLOTSRANGE, then wait for ok.
 */
export async function restoreSlots(ours: Peer, redis: Peer): Promise<void> {
  const [a, b] = await askBoth(ours, redis, [[word("CLUSTER"), word("INFO")]]);
  const whole = (reply: RespReply): boolean =>
    /cluster_slots_assigned:16384\r\n/.test(textOf(reply) ?? "");
  if (whole(a[0]!) && whole(b[0]!)) return;
  await askBoth(ours, redis, [[word("CLUSTER"), word("FLUSHSLOTS")]]);
  await formSingleNodeClusters(ours, redis);
}
// #endregion form-single-node

// #region slot-checkpoint
/**
 * The slot index of both nodes compared, on database 0 (the only one a
 * cluster has): each key's slot, then each slot's count and keys. The
 * control connections may speak RESP2 or RESP3; these replies are the
 * same types in both.
 */
export async function compareSlots(
  ours: Peer,
  redis: Peer,
): Promise<StateDifference[]> {
  const keysCommand = [word("KEYS"), word("*")];
  const [[oursKeys], [redisKeys]] = await askBoth(ours, redis, [keysCommand]);
  const seen = new Map<string, Buffer>();
  for (const reply of [oursKeys!, redisKeys!]) {
    for (const item of itemsOf(reply) ?? []) {
      const bytes = item.data ?? Buffer.alloc(0);
      seen.set(bytes.toString("hex"), bytes);
    }
  }
  const keys = [...seen.values()];
  if (keys.length === 0) return [];
  const differences: StateDifference[] = [];
  const [a, b] = await askBoth(
    ours,
    redis,
    keys.map((key) => [word("CLUSTER"), word("KEYSLOT"), key]),
  );
  const slots = new Set<string>();
  keys.forEach((key, i) => {
    if (!a[i]!.raw.equals(b[i]!.raw)) {
      differences.push({
        what: `CLUSTER KEYSLOT of key "${escapeBytes(key, 60)}"`,
        ours: a[i]!,
        redis: b[i]!,
      });
    }
    slots.add(textOf(b[i]!) ?? "");
  });
  const bySlot = [...slots].sort((x, y) => Number(x) - Number(y));
  const [countsA, countsB] = await askBoth(
    ours,
    redis,
    bySlot.flatMap((slot) => [
      [word("CLUSTER"), word("COUNTKEYSINSLOT"), word(slot)],
      // More than the slot can have: all its keys, newest first.
      [
        word("CLUSTER"),
        word("GETKEYSINSLOT"),
        word(slot),
        word(String(keys.length + 1)),
      ],
    ]),
  );
  bySlot.forEach((slot, i) => {
    for (const [j, what] of [
      [0, "COUNTKEYSINSLOT"],
      [1, "GETKEYSINSLOT"],
    ] as const) {
      const x = countsA[2 * i + j]!;
      const y = countsB[2 * i + j]!;
      if (!x.raw.equals(y.raw))
        differences.push({
          what: `CLUSTER ${what} ${slot}`,
          ours: x,
          redis: y,
        });
    }
  });
  return differences;
}
// #endregion slot-checkpoint
