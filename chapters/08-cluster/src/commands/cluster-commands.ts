/**
 * CLUSTER: how a node is told what to be (ADDSLOTS, SET-CONFIG-EPOCH,
 * MEET, FORGET, RESET) and how it answers for its view of the cluster
 * (NODES, INFO, SLOTS, SHARDS, LINKS). The view itself is
 * cluster/cluster-state.ts; the bus (cluster/cluster-bus.ts) spreads what
 * these commands change. This file is the container; the subcommands are
 * in cluster-slot-commands.ts (slots and keys), cluster-setslot-command.ts
 * (moving a slot), cluster-node-commands.ts
 * (epochs and other nodes) and cluster-view-commands.ts (the answers).
 *
 * Redis 7.0.15's arities, flags, categories, replies and error texts. With
 * `cluster-enabled no`, every subcommand, HELP included, answers that
 * cluster support is disabled (after the table's own checks of the name
 * and the arity, as in Redis: cluster-subcommand.ts).
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, simple } from "../protocol/reply.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { CLUSTER_DOCS } from "./docs/cluster-docs.ts";
import { READ_CATEGORIES, subcommand } from "./cluster-subcommand.ts";
import {
  addslots,
  addslotsrange,
  countkeysinslot,
  delslots,
  delslotsrange,
  flushslots,
  getkeysinslot,
  keyslot,
} from "./cluster-slot-commands.ts";
import {
  bumpepoch,
  countFailureReportsCommand,
  forget,
  meet,
  reset,
  saveconfig,
  setConfigEpoch,
} from "./cluster-node-commands.ts";
import { setslot } from "./cluster-setslot-command.ts";
import {
  info,
  links,
  myid,
  nodes,
  shards,
  slots,
} from "./cluster-view-commands.ts";

/**
 * HELP: Redis 7.0.15's text as it is, so it also lists the subcommands
 * this chapter does not have (FAILOVER, REPLICATE, REPLICAS).
 */
const help = subcommand({
  name: "help",
  arity: 2,
  flags: ["loading", "stale"],
  categories: READ_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|help"],
  run: () => array(CLUSTER_HELP.map(simple)),
});

const CLUSTER_HELP = [
  "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ADDSLOTS <slot> [<slot> ...]",
  "    Assign slots to current node.",
  "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
  "    Assign slots which are between <start-slot> and <end-slot> to current node.",
  "BUMPEPOCH",
  "    Advance the cluster config epoch.",
  "COUNT-FAILURE-REPORTS <node-id>",
  "    Return number of failure reports for <node-id>.",
  "COUNTKEYSINSLOT <slot>",
  "    Return the number of keys in <slot>.",
  "DELSLOTS <slot> [<slot> ...]",
  "    Delete slots information from current node.",
  "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
  "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
  "FAILOVER [FORCE|TAKEOVER]",
  "    Promote current replica node to being a master.",
  "FORGET <node-id>",
  "    Remove a node from the cluster.",
  "GETKEYSINSLOT <slot> <count>",
  "    Return key names stored by current node in a slot.",
  "FLUSHSLOTS",
  "    Delete current node own slots information.",
  "INFO",
  "    Return information about the cluster.",
  "KEYSLOT <key>",
  "    Return the hash slot for <key>.",
  "MEET <ip> <port> [<bus-port>]",
  "    Connect nodes into a working cluster.",
  "MYID",
  "    Return the node id.",
  "NODES",
  "    Return cluster configuration seen by node. Output format:",
  "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
  "REPLICATE <node-id>",
  "    Configure current node as replica to <node-id>.",
  "RESET [HARD|SOFT]",
  "    Reset current node (default: soft).",
  "SET-CONFIG-EPOCH <epoch>",
  "    Set config epoch of current node.",
  "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
  "    Set slot state.",
  "REPLICAS <node-id>",
  "    Return <node-id> replicas.",
  "SAVECONFIG",
  "    Force saving cluster configuration on disk.",
  "SLOTS",
  "    Return information about slots range mappings. Each range is made of:",
  "    start, end, master and replicas IP addresses, ports and ids",
  "SHARDS",
  "    Return information about slot range mappings and the nodes associated with them.",
  "LINKS",
  "    Return information about all network links between this node and its peers.",
  "    Output format is an array where each array element is a map containing attributes of a link",
  "HELP",
  "    Prints this help.",
];

/** CLUSTER, the container. Alone, or with an unknown subcommand, the table answers. */
export const cluster: CommandSpec = {
  name: "cluster",
  arity: -2,
  flags: [],
  categories: ["@slow"],
  docs: CLUSTER_DOCS.cluster,
  subcommands: [
    addslots,
    addslotsrange,
    bumpepoch,
    countFailureReportsCommand,
    countkeysinslot,
    delslots,
    delslotsrange,
    forget,
    getkeysinslot,
    flushslots,
    info,
    keyslot,
    meet,
    myid,
    nodes,
    reset,
    setConfigEpoch,
    setslot,
    saveconfig,
    slots,
    shards,
    links,
    help,
  ],
  run: () => wrongNumberOfArguments("cluster"),
};

export const CLUSTER_COMMANDS: readonly CommandSpec[] = [cluster];
