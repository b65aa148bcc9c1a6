/**
 * What COMMAND DOCS tells clients about INFO: summaries, versions,
 * complexity, history and arguments, as Redis 7.0 documents them (redis-cli
 * shows them as hints while you type). Data only, kept apart from
 * info-command.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const SERVER_GROUP = "server";

export const INFO_DOCS = {
  info: {
    summary: "Get information and statistics about the server",
    since: "1.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
    history: [
      ["7.0.0", "Added support for taking multiple section arguments."],
    ],
    arguments: [
      { name: "section", type: "string", optional: true, multiple: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
