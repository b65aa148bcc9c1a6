/**
 * What COMMAND DOCS tells clients about the connection commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents them
 * (redis-cli shows them as hints while you type). Data only, kept apart from
 * connection-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

export const CONNECTION_DOCS = {
  ping: {
    summary: "Ping the server",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    arguments: [{ name: "message", type: "string", optional: true }],
  },
  echo: {
    summary: "Echo the given string",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    arguments: [{ name: "message", type: "string" }],
  },
  quit: {
    summary: "Close the connection",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
  },
  hello: {
    summary: "Handshake with Redis",
    since: "6.0.0",
    group: "connection",
    complexity: "O(1)",
    history: [
      [
        "6.2.0",
        "`protover` made optional; when called without arguments the command reports the current connection's context.",
      ],
    ],
    arguments: [
      {
        name: "arguments",
        type: "block",
        optional: true,
        arguments: [
          { name: "protover", type: "integer" },
          {
            name: "username_password",
            type: "block",
            token: "AUTH",
            optional: true,
            arguments: [
              { name: "username", type: "string" },
              { name: "password", type: "string" },
            ],
          },
          {
            name: "clientname",
            type: "string",
            token: "SETNAME",
            optional: true,
          },
        ],
      },
    ],
  },
} satisfies Record<string, CommandDocs>;
