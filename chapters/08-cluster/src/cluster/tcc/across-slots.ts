/**
 * Proxy mode's answer to a command whose keys hash to several slots
 * (`cluster-proxy yes`, not Redis: Redis always answers CROSSSLOT).
 * routing.ts asks here instead of answering CROSSSLOT. Outside MULTI:
 *
 * - every key served here: run here. One command runs within one turn
 *   of the event loop, so it is as atomic as in a single server.
 * - every key served by one other node: forwarded there whole
 *   (proxy/forwarding.ts), where the same rule runs it.
 * - keys on several nodes: MSET, MSETNX, DEL, UNLINK and RENAME become a
 *   cross-node write (cross-node-writes.ts); MGET a scatter-gather read
 *   (scatter-gather.ts). Any other command: CROSSSLOT, as before.
 *
 * Inside MULTI, and for EXEC, CROSSSLOT stays: a transaction across
 * nodes would need all of this for every queued command.
 */
import type {
  CommandContext,
  CommandSpec,
} from "../../dispatch/command-spec.ts";
import { keyIndexes } from "../../dispatch/command-spec.ts";
import type { Reply } from "../../protocol/reply.ts";
import type { Cluster } from "../cluster.ts";
import type { ClusterNode } from "../cluster-node.ts";
import { keyHashSlot } from "../hash-slot.ts";
import { proxied, type ForwardRequest } from "../proxy/forwarding.ts";
import { lockedKeyRefusal } from "./tcc-participant.ts";
import { CROSS_NODE_WRITES, crossNodeWrite } from "./cross-node-writes.ts";
import { scatterGather } from "./scatter-gather.ts";
import {
  CLUSTER_DOWN,
  CLUSTER_DOWN_READS_ONLY,
  CROSSSLOT,
  SLOT_NOT_SERVED,
} from "../redirect-errors.ts";

// #region across-slots
export function acrossSlots(
  cluster: Cluster,
  spec: CommandSpec,
  args: Buffer[],
  context: CommandContext,
): Reply | ForwardRequest | undefined {
  const { session } = context;
  if (spec.name === "exec" || session.transaction !== undefined) {
    return CROSSSLOT;
  }
  const { state } = cluster;
  // The owner of each key, in the order of the keys.
  const owners: ClusterNode[] = [];
  for (const i of keyIndexes(spec, args) ?? []) {
    const owner = state.owners[keyHashSlot(args[i]!)];
    if (owner === undefined) return SLOT_NOT_SERVED;
    owners.push(owner);
  }
  if (state.state !== "ok") {
    if (!context.server.config.clusterAllowReadsWhenDown) return CLUSTER_DOWN;
    if (spec.flags.includes("write")) return CLUSTER_DOWN_READS_ONLY;
  }

  const nodes = new Set(owners);
  if (nodes.size === 1) {
    const [owner] = nodes as Set<ClusterNode>;
    if (owner === state.myself) {
      return lockedKeyRefusal(cluster.participant, spec, args, session);
    }
    return proxied(cluster, owner!, spec, args, context, CROSSSLOT);
  }
  if (CROSS_NODE_WRITES.has(spec.name)) {
    return crossNodeWrite(cluster, spec.name, args, owners);
  }
  if (spec.name === "mget") return scatterGather(cluster, args, owners);
  return CROSSSLOT;
}
// #endregion across-slots
