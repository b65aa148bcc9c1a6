/**
 * What COMMAND DOCS tells clients about RESET, as Redis 7.0 documents it.
 * Data only, kept apart from reset-command.ts.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

export const RESET_DOCS = {
  reset: {
    summary: "Reset the connection",
    since: "6.2.0",
    group: "connection",
    complexity: "O(1)",
  },
} as const satisfies Record<string, CommandDocs>;
