/**
 * What COMMAND DOCS tells clients about CLUSTER and its subcommands, as
 * Redis 7.0.15 documents them. Data only, kept apart from
 * cluster-commands.ts so that the commands' code reads on its own. The
 * subcommands this chapter does not have (FAILOVER, REPLICATE, ...) are
 * documented too, for the part that adds them.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "cluster";

export const CLUSTER_DOCS = {
  "cluster|addslots": {
    summary: "Assign new hash slots to receiving node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(N) where N is the total number of hash slot arguments",
    arguments: [{ name: "slot", type: "integer", multiple: true }],
  },
  "cluster|addslotsrange": {
    summary: "Assign new hash slots to receiving node",
    since: "7.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
    arguments: [
      {
        name: "start-slot_end-slot",
        type: "block",
        multiple: true,
        arguments: [
          { name: "start-slot", type: "integer" },
          { name: "end-slot", type: "integer" },
        ],
      },
    ],
  },
  "cluster|bumpepoch": {
    summary: "Advance the cluster config epoch",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  "cluster|count-failure-reports": {
    summary: "Return the number of failure reports active for a given node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of failure reports",
    arguments: [{ name: "node-id", type: "string" }],
  },
  "cluster|countkeysinslot": {
    summary: "Return the number of local keys in the specified hash slot",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [{ name: "slot", type: "integer" }],
  },
  "cluster|delslots": {
    summary: "Set hash slots as unbound in receiving node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(N) where N is the total number of hash slot arguments",
    arguments: [{ name: "slot", type: "integer", multiple: true }],
  },
  "cluster|delslotsrange": {
    summary: "Set hash slots as unbound in receiving node",
    since: "7.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
    arguments: [
      {
        name: "start-slot_end-slot",
        type: "block",
        multiple: true,
        arguments: [
          { name: "start-slot", type: "integer" },
          { name: "end-slot", type: "integer" },
        ],
      },
    ],
  },
  "cluster|failover": {
    summary: "Forces a replica to perform a manual failover of its master.",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      {
        name: "options",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "force", type: "pure-token", token: "FORCE" },
          { name: "takeover", type: "pure-token", token: "TAKEOVER" },
        ],
      },
    ],
  },
  "cluster|flushslots": {
    summary: "Delete a node's own slots information",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  "cluster|forget": {
    summary: "Remove a node from the nodes table",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [{ name: "node-id", type: "string" }],
  },
  "cluster|getkeysinslot": {
    summary: "Return local key names in the specified hash slot",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(log(N)) where N is the number of requested keys",
    arguments: [
      { name: "slot", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
  "cluster|help": {
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  "cluster|info": {
    summary: "Provides info about Redis Cluster node state",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  "cluster|keyslot": {
    summary: "Returns the hash slot of the specified key",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of bytes in the key",
    arguments: [{ name: "key", type: "string" }],
  },
  "cluster|links": {
    summary:
      "Returns a list of all TCP links to and from peer nodes in cluster",
    since: "7.0.0",
    group: GROUP,
    complexity: "O(N) where N is the total number of Cluster nodes",
  },
  "cluster|meet": {
    summary: "Force a node cluster to handshake with another node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    history: [["4.0.0", "Added the optional `cluster_bus_port` argument."]],
    arguments: [
      { name: "ip", type: "string" },
      { name: "port", type: "integer" },
      {
        name: "cluster_bus_port",
        type: "integer",
        since: "4.0.0",
        optional: true,
      },
    ],
  },
  "cluster|myid": {
    summary: "Return the node id",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  "cluster|nodes": {
    summary: "Get Cluster config for the node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(N) where N is the total number of Cluster nodes",
  },
  "cluster|replicas": {
    summary: "List replica nodes of the specified master node",
    since: "5.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [{ name: "node-id", type: "string" }],
  },
  "cluster|replicate": {
    summary: "Reconfigure a node as a replica of the specified master node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [{ name: "node-id", type: "string" }],
  },
  "cluster|reset": {
    summary: "Reset a Redis Cluster node",
    since: "3.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.",
    arguments: [
      {
        name: "hard_soft",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "hard", type: "pure-token", token: "HARD" },
          { name: "soft", type: "pure-token", token: "SOFT" },
        ],
      },
    ],
  },
  "cluster|saveconfig": {
    summary: "Forces the node to save cluster state on disk",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  "cluster|set-config-epoch": {
    summary: "Set the configuration epoch in a new node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [{ name: "config-epoch", type: "integer" }],
  },
  "cluster|setslot": {
    summary: "Bind a hash slot to a specific node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      { name: "slot", type: "integer" },
      {
        name: "subcommand",
        type: "oneof",
        arguments: [
          { name: "node-id", type: "string", token: "IMPORTING" },
          { name: "node-id", type: "string", token: "MIGRATING" },
          { name: "node-id", type: "string", token: "NODE" },
          { name: "stable", type: "pure-token", token: "STABLE" },
        ],
      },
    ],
  },
  "cluster|shards": {
    summary: "Get array of cluster slots to node mappings",
    since: "7.0.0",
    group: GROUP,
    complexity: "O(N) where N is the total number of cluster nodes",
  },
  "cluster|slaves": {
    summary: "List replica nodes of the specified master node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
    deprecated: { since: "5.0.0", replacedBy: "`CLUSTER REPLICAS`" },
    arguments: [{ name: "node-id", type: "string" }],
  },
  "cluster|slots": {
    summary: "Get array of Cluster slot to node mappings",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(N) where N is the total number of Cluster nodes",
    deprecated: { since: "7.0.0", replacedBy: "`CLUSTER SHARDS`" },
    history: [
      ["4.0.0", "Added node IDs."],
      ["7.0.0", "Added additional networking metadata field."],
    ],
  },
  cluster: {
    summary: "A container for cluster commands",
    since: "3.0.0",
    group: GROUP,
    complexity: "Depends on subcommand.",
  },
} satisfies Record<string, CommandDocs>;
