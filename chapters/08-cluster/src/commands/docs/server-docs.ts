/**
 * What COMMAND DOCS tells clients about the commands in server-commands.ts:
 * summaries, versions, complexity, history and arguments, as Redis 7.0
 * documents them (redis-cli shows them as hints while you type). Data only,
 * kept apart from the commands' code so that it reads on its own.
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
  bgrewriteaof: {
    summary: "Asynchronously rewrite the append-only file",
    since: "1.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
} satisfies Record<string, CommandDocs>;
