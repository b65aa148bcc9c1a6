/**
 * The CLUSTER subcommands that tell what this node sees: the nodes
 * (NODES, MYID), the cluster's health and the bus's figures (INFO), who
 * serves which slots, for clients (SLOTS, SHARDS), and the bus's links
 * (LINKS). Redis 7.0.15's formats, in both protocols.
 */
import {
  array,
  bulk,
  integer,
  map,
  verbatim,
  type MapEntry,
  type Reply,
} from "../protocol/reply.ts";
import { NodeFlag, type ClusterNode } from "../cluster/cluster-node.ts";
import type { ClusterState } from "../cluster/cluster-state.ts";
import { SLOT_COUNT } from "../cluster/hash-slot.ts";
import { TYPE_NAMES } from "../cluster/bus-message.ts";
import { CLUSTER_DOCS } from "./docs/cluster-docs.ts";
import {
  READ_CATEGORIES,
  READ_FLAGS,
  subcommand,
} from "./cluster-subcommand.ts";

// #region nodes
/** NODES: every node this one knows, one line each, as nodes.conf has them. */
export const nodes = subcommand({
  name: "nodes",
  arity: 2,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|nodes"],
  run: (_args, cluster) => verbatim(cluster.describeNodes()),
});

/** MYID: this node's name. */
export const myid = subcommand({
  name: "myid",
  arity: 2,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|myid"],
  run: (_args, cluster) => bulk(cluster.state.myself.name),
});

/**
 * INFO: the cluster's state as this node sees it, `field:value` lines as
 * the INFO command's. The message counts list only the types this node
 * has sent or received, by Redis's names for them.
 */
export const info = subcommand({
  name: "info",
  arity: 2,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|info"],
  run: (_args, cluster) => verbatim(clusterInfoText(cluster.state)),
});

export function clusterInfoText(state: ClusterState): string {
  let assigned = 0;
  let ok = 0;
  let pfail = 0;
  let fail = 0;
  for (const owner of state.owners) {
    if (owner === undefined) continue;
    assigned += 1;
    if (owner.has(NodeFlag.FAIL)) fail += 1;
    else if (owner.has(NodeFlag.PFAIL)) pfail += 1;
    else ok += 1;
  }
  const { myself } = state;
  // A replica reports its master's epoch: the one its slots are at.
  const master =
    myself.replicaOf === undefined
      ? undefined
      : state.nodes.get(myself.replicaOf);
  const myEpoch =
    myself.has(NodeFlag.REPLICA) && master !== undefined
      ? master.configEpoch
      : myself.configEpoch;
  const lines = [
    `cluster_state:${state.state}`,
    `cluster_slots_assigned:${assigned}`,
    `cluster_slots_ok:${ok}`,
    `cluster_slots_pfail:${pfail}`,
    `cluster_slots_fail:${fail}`,
    `cluster_known_nodes:${state.nodes.size}`,
    `cluster_size:${state.mastersWithSlots().length}`,
    `cluster_current_epoch:${state.currentEpoch}`,
    `cluster_my_epoch:${myEpoch}`,
    ...messageCounts(state.sent, "sent"),
    ...messageCounts(state.received, "received"),
    // Links that outgrew cluster-link-sendbuf-limit: we set none.
    "total_cluster_links_buffer_limit_exceeded:0",
  ];
  return lines.map((line) => `${line}\r\n`).join("");
}

/** `cluster_stats_messages_ping_sent:3` for each type counted, in type order, then the total. */
function messageCounts(
  counts: ReadonlyMap<string, number>,
  direction: "sent" | "received",
): string[] {
  const lines: string[] = [];
  let total = 0;
  for (const name of Object.values(TYPE_NAMES)) {
    const count = counts.get(name) ?? 0;
    if (count === 0) continue;
    total += count;
    lines.push(`cluster_stats_messages_${name}_${direction}:${count}`);
  }
  lines.push(`cluster_stats_messages_${direction}:${total}`);
  return lines;
}
// #endregion nodes

// #region slots
/**
 * SLOTS: who serves which slots, for clients that route commands
 * themselves. One entry per run of consecutive slots with the same
 * owner, in slot order: `[start, end, [ip, port, id, {metadata}], ...]`,
 * the owner first, then its replicas that have data.
 */
export const slots = subcommand({
  name: "slots",
  arity: 2,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|slots"],
  run(_args, cluster) {
    const { owners } = cluster.state;
    const ranges: Reply[] = [];
    let start = 0;
    for (let slot = 1; slot <= SLOT_COUNT; slot++) {
      const owner = owners[start];
      if (slot < SLOT_COUNT && owners[slot] === owner) continue;
      if (owner !== undefined) {
        const servers = [owner, ...availableReplicas(cluster.state, owner)];
        ranges.push(
          array([integer(start), integer(slot - 1), ...servers.map(endpoint)]),
        );
      }
      start = slot;
    }
    return array(ranges);
  },
});

/**
 * A node as SLOTS lists it: its IP (Redis's default
 * `cluster-preferred-endpoint-type`), port and name, then what else is
 * known of its address: its host name, if it announces one.
 */
function endpoint(node: ClusterNode): Reply {
  const metadata: MapEntry[] =
    node.hostname === "" ? [] : [[bulk("hostname"), bulk(node.hostname)]];
  return array([
    bulk(node.ip),
    integer(node.port),
    bulk(node.name),
    map(metadata),
  ]);
}

/** A master's replicas that SLOTS lists: not failed, and with data (isReplicaAvailable). */
function availableReplicas(
  state: ClusterState,
  master: ClusterNode,
): ClusterNode[] {
  return replicasOf(state, master).filter(
    (node) => !node.has(NodeFlag.FAIL) && node.replicationOffset !== 0n,
  );
}

function replicasOf(state: ClusterState, master: ClusterNode): ClusterNode[] {
  return [...state.nodes.values()].filter(
    (node) => node.has(NodeFlag.REPLICA) && node.replicaOf === master.name,
  );
}

/**
 * SHARDS: the same, by shard: for each master, its slot ranges as a flat
 * list of start and end numbers, and its nodes (itself, then its
 * replicas) with their address, role and health.
 */
export const shards = subcommand({
  name: "shards",
  arity: 2,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|shards"],
  run(_args, cluster) {
    const { state } = cluster;
    const masters = [...state.nodes.values()].filter((node) => node.isMaster);
    return array(
      masters.map((master) =>
        map([
          [
            bulk("slots"),
            array(
              master
                .slotRanges()
                .flat()
                .map((slot) => integer(slot)),
            ),
          ],
          [
            bulk("nodes"),
            array(
              [master, ...replicasOf(state, master)].map((node) =>
                shardNode(state, node),
              ),
            ),
          ],
        ]),
      ),
    );
  },
});

/** One node of a shard, as SHARDS describes it. */
function shardNode(state: ClusterState, node: ClusterNode): Reply {
  // This node has no replication yet: its own offset is 0.
  const offset = node === state.myself ? 0n : node.replicationOffset;
  const replica = node.has(NodeFlag.REPLICA);
  const health = node.has(NodeFlag.FAIL)
    ? "fail"
    : replica && offset === 0n
      ? "loading"
      : "online";
  const fields: MapEntry[] = [
    [bulk("id"), bulk(node.name)],
    [bulk("port"), integer(node.port)],
    [bulk("ip"), bulk(node.ip)],
    [bulk("endpoint"), bulk(node.ip)],
  ];
  if (node.hostname !== "") {
    fields.push([bulk("hostname"), bulk(node.hostname)]);
  }
  fields.push(
    [bulk("role"), bulk(replica ? "replica" : "master")],
    [bulk("replication-offset"), integer(offset)],
    [bulk("health"), bulk(health)],
  );
  return map(fields);
}
// #endregion slots

// #region links
/** LINKS: the bus's links, both directions, each a map of Redis's fields. */
export const links = subcommand({
  name: "links",
  arity: 2,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|links"],
  run: (_args, cluster) =>
    array(
      cluster.links().map((link) =>
        map([
          [bulk("direction"), bulk(link.direction)],
          [bulk("node"), bulk(link.node)],
          [bulk("create-time"), integer(link.createTime)],
          [bulk("events"), bulk(link.events)],
          [bulk("send-buffer-allocated"), integer(link.sendBufferAllocated)],
          [bulk("send-buffer-used"), integer(link.sendBufferUsed)],
        ]),
      ),
    ),
});
// #endregion links
