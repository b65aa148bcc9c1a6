/**
 * What COMMAND DOCS tells clients about COMMAND and its subcommands:
 * summaries, versions, complexity, history and arguments, as Redis 7.0
 * documents them (redis-cli shows them as hints while you type). Data only,
 * kept apart from introspection-commands.ts so that the commands' code reads
 * on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const SERVER_GROUP = "server";

const commandNames: ArgumentDoc = {
  name: "command-name",
  type: "string",
  optional: true,
  multiple: true,
};

export const INTROSPECTION_DOCS = {
  "command|count": {
    summary: "Get total number of Redis commands",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  "command|info": {
    summary:
      "Get array of specific Redis command details, or all when no argument is given.",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of commands to look up",
    history: [
      [
        "7.0.0",
        "Allowed to be called with no argument to get info on all commands.",
      ],
    ],
    arguments: [commandNames],
  },
  "command|docs": {
    summary: "Get array of specific Redis command documentation",
    since: "7.0.0",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of commands to look up",
    arguments: [commandNames],
  },
  "command|getkeys": {
    summary: "Extract keys given a full Redis command",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of arguments to the command",
  },
  "command|help": {
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  command: {
    summary: "Get array of Redis command details",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the total number of Redis commands",
  },
} satisfies Record<string, CommandDocs>;
