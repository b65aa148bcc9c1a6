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
  auth: {
    summary: "Authenticate to the server",
    since: "1.0.0",
    group: "connection",
    complexity: "O(N) where N is the number of passwords defined for the user",
    history: [["6.0.0", "Added ACL style (username and password)."]],
    arguments: [
      { name: "username", type: "string", optional: true, since: "6.0.0" },
      { name: "password", type: "string" },
    ],
  },
  select: {
    summary: "Change the selected database for the current connection",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    arguments: [{ name: "index", type: "integer" }],
  },
  "client|id": {
    summary: "Returns the client ID for the current connection",
    since: "5.0.0",
    group: "connection",
    complexity: "O(1)",
  },
  "client|getname": {
    summary: "Get the current connection name",
    since: "2.6.9",
    group: "connection",
    complexity: "O(1)",
  },
  "client|setname": {
    summary: "Set the current connection name",
    since: "2.6.9",
    group: "connection",
    complexity: "O(1)",
    arguments: [{ name: "connection-name", type: "string" }],
  },
  "client|setinfo": {
    summary: "Set client or connection specific info",
    since: "7.2.0",
    group: "connection",
    complexity: "O(1)",
    arguments: [
      {
        name: "attr",
        type: "oneof",
        arguments: [
          { name: "libname", type: "string", token: "LIB-NAME" },
          { name: "libver", type: "string", token: "LIB-VER" },
        ],
      },
    ],
  },
  "client|help": {
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: "connection",
    complexity: "O(1)",
  },
  client: {
    summary: "A container for client connection commands",
    since: "2.4.0",
    group: "connection",
    complexity: "Depends on subcommand.",
  },
} satisfies Record<string, CommandDocs>;
