/**
 * What COMMAND DOCS tells clients about the transaction commands, as
 * Redis 7.0 documents them. Data only, kept apart from
 * transaction-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "transactions";

export const TRANSACTION_DOCS = {
  multi: {
    summary: "Mark the start of a transaction block",
    since: "1.2.0",
    group: GROUP,
    complexity: "O(1)",
  },
  exec: {
    summary: "Execute all commands issued after MULTI",
    since: "1.2.0",
    group: GROUP,
    complexity: "Depends on commands in the transaction",
  },
  discard: {
    summary: "Discard all commands issued after MULTI",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(N), when N is the number of queued commands",
  },
  watch: {
    summary:
      "Watch the given keys to determine execution of the MULTI/EXEC block",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1) for every key.",
    arguments: [{ name: "key", type: "key", multiple: true }],
  },
  unwatch: {
    summary: "Forget about all watched keys",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1)",
  },
} as const satisfies Record<string, CommandDocs>;
