/**
 * CLUSTER SETSLOT: moving a slot from one node to another by hand, the
 * way `redis-cli --cluster reshard` does it. For slot S going from node
 * A to node B:
 *
 * 1. on B, `SETSLOT S IMPORTING <A>`: B serves the slot's keys to
 *    clients sent by an ASK;
 * 2. on A, `SETSLOT S MIGRATING <B>`: A serves the keys it still has and
 *    sends clients to B for the others (ASK);
 * 3. on A, GETKEYSINSLOT and MIGRATE, until A has no key left in S;
 * 4. `SETSLOT S NODE <B>` on B, then on A (and the others): B owns S, at a
 *    new config epoch, which the bus spreads to every node.
 *
 * `SETSLOT S STABLE` drops either state (an aborted move). Routing
 * (cluster/routing.ts) reads the states; nodes.conf keeps them. Redis
 * 7.0.15's checks, in its order, with its words.
 */
import { error, OK, type Reply } from "../protocol/reply.ts";
import { int64Argument } from "../dispatch/arguments.ts";
import type { Cluster } from "../cluster/cluster.ts";
import { ClusterNode, NodeFlag } from "../cluster/cluster-node.ts";
import { SLOT_COUNT } from "../cluster/hash-slot.ts";
import { broadcastPong } from "../cluster/bus-send.ts";
import { CLUSTER_DOCS } from "./docs/cluster-docs.ts";
import {
  ADMIN_CATEGORIES,
  ADMIN_FLAGS,
  asText,
  subcommand,
  unknownNode,
} from "./cluster-subcommand.ts";

const ONLY_MASTERS = error("ERR Please use SETSLOT only with masters.");
const INVALID_SLOT = error("ERR Invalid or out of range slot");
const INVALID_ACTION = error(
  "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP",
);
const NOT_A_MASTER = error("ERR Target node is not a master");

// #region setslot
export const setslot = subcommand({
  name: "setslot",
  arity: -4,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|setslot"],
  run(args, cluster) {
    const { state } = cluster;
    if (state.myself.has(NodeFlag.REPLICA)) return ONLY_MASTERS;
    const slotNumber = int64Argument(args[2]!);
    if (
      slotNumber === undefined ||
      slotNumber < 0n ||
      slotNumber >= BigInt(SLOT_COUNT)
    ) {
      return INVALID_SLOT;
    }
    const slot = Number(slotNumber);
    const action = asText(args[3]!).toLowerCase();
    let reply: Reply;
    if (action === "migrating" && args.length === 5) {
      reply = migrating(cluster, slot, args[4]!);
    } else if (action === "importing" && args.length === 5) {
      reply = importing(cluster, slot, args[4]!);
    } else if (action === "stable" && args.length === 4) {
      state.migratingTo[slot] = undefined;
      state.importingFrom[slot] = undefined;
      reply = OK;
    } else if (action === "node" && args.length === 5) {
      reply = assign(cluster, slot, args[4]!);
    } else {
      return INVALID_ACTION;
    }
    if (reply === OK) state.changed({ save: true, updateState: true });
    return reply;
  },
});
// #endregion setslot

// #region migrating-importing
/** MIGRATING: only the owner can move a slot out, and only to a master. */
function migrating(cluster: Cluster, slot: number, arg: Buffer): Reply {
  const { state } = cluster;
  if (state.owners[slot] !== state.myself) {
    return error(`ERR I'm not the owner of hash slot ${slot}`);
  }
  const target = masterNamed(cluster, arg);
  if (!(target instanceof ClusterNode)) return target;
  state.migratingTo[slot] = target;
  return OK;
}

/** IMPORTING: any node but the owner can take a slot in, from a master. */
function importing(cluster: Cluster, slot: number, arg: Buffer): Reply {
  const { state } = cluster;
  if (state.owners[slot] === state.myself) {
    return error(`ERR I'm already the owner of hash slot ${slot}`);
  }
  const source = masterNamed(cluster, arg);
  if (!(source instanceof ClusterNode)) return source;
  state.importingFrom[slot] = source;
  return OK;
}

/** The master named by `arg`, or MIGRATING's and IMPORTING's error. */
function masterNamed(cluster: Cluster, arg: Buffer): ClusterNode | Reply {
  const node = cluster.node(arg.toString("latin1"));
  if (node === undefined) {
    return error(`ERR I don't know about node ${asText(arg)}`);
  }
  return node.has(NodeFlag.REPLICA) ? NOT_A_MASTER : node;
}
// #endregion migrating-importing

// #region setslot-node
/**
 * NODE: the slot is `arg`'s from now on. The old owner must have moved
 * every key out first (or they would be stranded where no client is sent);
 * a migration with nothing left to move is over. The new owner that was
 * importing the slot takes a new config epoch, so that its claim beats
 * the old owner's everywhere, and tells every node at once.
 */
function assign(cluster: Cluster, slot: number, arg: Buffer): Reply {
  const { state } = cluster;
  const node = cluster.node(arg.toString("latin1"));
  if (node === undefined) return unknownNode(arg);
  if (node.has(NodeFlag.REPLICA)) return NOT_A_MASTER;
  const keys = state.slotKeys.count(slot);
  if (state.owners[slot] === state.myself && node !== state.myself) {
    if (keys !== 0) {
      return error(
        `ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`,
      );
    }
  }
  if (keys === 0) state.migratingTo[slot] = undefined;
  state.unassignSlot(slot);
  state.assignSlot(slot, node);
  // (Redis turns a master left without slots into a replica of the new
  // owner; this chapter has no replication, and keeps it a master.)
  if (node === state.myself && state.importingFrom[slot] !== undefined) {
    if (state.bumpConfigEpochWithoutConsensus()) {
      console.log(`configEpoch updated after importing slot ${slot}`);
    }
    state.importingFrom[slot] = undefined;
    broadcastPong(cluster.bus);
  }
  return OK;
}
// #endregion setslot-node
