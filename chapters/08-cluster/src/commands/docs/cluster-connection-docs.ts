/**
 * What COMMAND DOCS tells clients about ASKING, READONLY and READWRITE,
 * as Redis 7.0.15 documents them. Data only, kept apart from
 * cluster-connection-commands.ts.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "cluster";

export const CLUSTER_CONNECTION_DOCS = {
  asking: {
    summary: "Sent by cluster clients after an -ASK redirect",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  readonly: {
    summary: "Enables read queries for a connection to a cluster replica node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  readwrite: {
    summary: "Disables read queries for a connection to a cluster replica node",
    since: "3.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
} as const satisfies Record<string, CommandDocs>;
