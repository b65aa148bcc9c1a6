/**
 * What COMMAND DOCS tells clients about TIME: summary, version and
 * complexity, as Redis 7.0 documents them (redis-cli shows them as hints
 * while you type). Data only, kept apart from server-commands.ts so that the
 * commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const SERVER_GROUP = "server";

export const SERVER_DOCS = {
  time: {
    summary: "Return the current server time",
    since: "2.6.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
} satisfies Record<string, CommandDocs>;
