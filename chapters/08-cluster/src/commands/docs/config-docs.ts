/**
 * What COMMAND DOCS tells clients about CONFIG and its subcommands:
 * summaries, versions, complexity, history and arguments, as Redis 7.0
 * documents them (redis-cli shows them as hints while you type). Data only,
 * kept apart from config-command.ts so that the commands' code reads on its
 * own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const SERVER_GROUP = "server";

export const CONFIG_DOCS = {
  "config|get": {
    summary: "Get the values of configuration parameters",
    since: "2.0.0",
    group: SERVER_GROUP,
    complexity:
      "O(N) when N is the number of configuration parameters provided",
    history: [
      [
        "7.0.0",
        "Added the ability to pass multiple pattern parameters in one call",
      ],
    ],
    arguments: [
      {
        name: "parameter",
        type: "block",
        multiple: true,
        arguments: [{ name: "parameter", type: "string" }],
      },
    ],
  },
  "config|set": {
    summary: "Set configuration parameters to the given values",
    since: "2.0.0",
    group: SERVER_GROUP,
    complexity:
      "O(N) when N is the number of configuration parameters provided",
    history: [
      ["7.0.0", "Added the ability to set multiple parameters in one call."],
    ],
    arguments: [
      {
        name: "parameter_value",
        type: "block",
        multiple: true,
        arguments: [
          { name: "parameter", type: "string" },
          { name: "value", type: "string" },
        ],
      },
    ],
  },
  "config|help": {
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  config: {
    summary: "A container for server configuration commands",
    since: "2.0.0",
    group: SERVER_GROUP,
    complexity: "Depends on subcommand.",
  },
} satisfies Record<string, CommandDocs>;
