/**
 * What COMMAND DOCS tells clients about TCC, our own command for
 * cross-node writes (not Redis: commands/tcc-commands.ts). Data only.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "cluster";
const SINCE = "7.0.15";

const txid = { name: "txid", type: "string" } as const;

export const TCC_DOCS: Record<string, CommandDocs> = {
  tcc: {
    summary: "A container for cross-node transaction commands (not Redis)",
    since: SINCE,
    group: GROUP,
    complexity: "Depends on subcommand.",
  },
  prepare: {
    summary: "Locks the keys of one node's part of a cross-node write",
    since: SINCE,
    group: GROUP,
    complexity: "O(N) where N is the number of keys",
    arguments: [
      txid,
      { name: "primary", type: "string" },
      { name: "lock-ms", type: "integer" },
      { name: "write", type: "string", multiple: true },
    ],
  },
  confirm: {
    summary: "Applies a prepared cross-node write and unlocks its keys",
    since: SINCE,
    group: GROUP,
    complexity: "O(N) where N is the number of keys",
    arguments: [txid],
  },
  cancel: {
    summary: "Unlocks a prepared cross-node write without applying it",
    since: SINCE,
    group: GROUP,
    complexity: "O(N) where N is the number of keys",
    arguments: [txid],
  },
  status: {
    summary:
      "Says whether a cross-node write is prepared, confirmed or cancelled",
    since: SINCE,
    group: GROUP,
    complexity: "O(1)",
    arguments: [txid],
  },
  applied: {
    summary: "The AOF record of a confirmed cross-node write",
    since: SINCE,
    group: GROUP,
    complexity: "O(N) where N is the number of keys",
    arguments: [txid, { name: "write", type: "string", multiple: true }],
  },
  debug: {
    summary: "Test hooks: crash at a named point, shorter locks",
    since: SINCE,
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      { name: "setting", type: "string" },
      { name: "value", type: "string" },
    ],
  },
};
