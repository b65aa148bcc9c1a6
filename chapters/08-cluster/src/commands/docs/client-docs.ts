/**
 * What COMMAND DOCS tells clients about CLIENT LIST, INFO, KILL and
 * UNBLOCK, as Redis 7.0.15 documents them. Data only, kept apart from
 * client-commands.ts so that the commands' code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

/** The client types of CLIENT LIST's TYPE: Redis 7.0 documents four. */
const LIST_TYPES: readonly ArgumentDoc[] = [
  { name: "normal", type: "pure-token", token: "NORMAL" },
  { name: "master", type: "pure-token", token: "MASTER" },
  { name: "replica", type: "pure-token", token: "REPLICA" },
  { name: "pubsub", type: "pure-token", token: "PUBSUB" },
];

/** CLIENT KILL's TYPE documents five: `slave` is still taken there. */
const KILL_TYPES: readonly ArgumentDoc[] = [
  { name: "normal", type: "pure-token", token: "NORMAL" },
  { name: "master", type: "pure-token", token: "MASTER", since: "3.2.0" },
  { name: "slave", type: "pure-token", token: "SLAVE" },
  { name: "replica", type: "pure-token", token: "REPLICA", since: "5.0.0" },
  { name: "pubsub", type: "pure-token", token: "PUBSUB" },
];

export const CLIENT_DOCS = {
  "client|list": {
    summary: "Get the list of client connections",
    since: "2.4.0",
    group: "connection",
    complexity: "O(N) where N is the number of client connections",
    history: [
      ["2.8.12", "Added unique client `id` field."],
      ["5.0.0", "Added optional `TYPE` filter."],
      ["6.0.0", "Added `user` field."],
      [
        "6.2.0",
        "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.",
      ],
      ["7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."],
      ["7.0.3", "Added `ssub` field."],
    ],
    arguments: [
      {
        name: "normal_master_replica_pubsub",
        type: "oneof",
        token: "TYPE",
        since: "5.0.0",
        optional: true,
        arguments: LIST_TYPES,
      },
      {
        name: "id",
        type: "block",
        token: "ID",
        since: "6.2.0",
        optional: true,
        arguments: [{ name: "client-id", type: "integer", multiple: true }],
      },
    ],
  },
  "client|info": {
    summary: "Returns information about the current client connection.",
    since: "6.2.0",
    group: "connection",
    complexity: "O(1)",
  },
  "client|kill": {
    summary: "Kill the connection of a client",
    since: "2.4.0",
    group: "connection",
    complexity: "O(N) where N is the number of client connections",
    history: [
      ["2.8.12", "Added new filter format."],
      ["2.8.12", "`ID` option."],
      ["3.2.0", "Added `master` type in for `TYPE` option."],
      [
        "5.0.0",
        "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.",
      ],
      ["6.2.0", "`LADDR` option."],
    ],
    arguments: [
      {
        name: "filter",
        type: "oneof",
        arguments: [
          { name: "ip:port", type: "string", deprecatedSince: "2.8.12" },
          {
            name: "new-format",
            type: "oneof",
            multiple: true,
            arguments: [
              {
                name: "client-id",
                type: "integer",
                token: "ID",
                since: "2.8.12",
                optional: true,
              },
              {
                name: "normal_master_slave_pubsub",
                type: "oneof",
                token: "TYPE",
                since: "2.8.12",
                optional: true,
                arguments: KILL_TYPES,
              },
              {
                name: "username",
                type: "string",
                token: "USER",
                optional: true,
              },
              {
                name: "ip:port",
                type: "string",
                token: "ADDR",
                optional: true,
              },
              {
                name: "ip:port",
                type: "string",
                token: "LADDR",
                since: "6.2.0",
                optional: true,
              },
              {
                name: "yes/no",
                type: "string",
                token: "SKIPME",
                optional: true,
              },
            ],
          },
        ],
      },
    ],
  },
  "client|unblock": {
    summary:
      "Unblock a client blocked in a blocking command from a different connection",
    since: "5.0.0",
    group: "connection",
    complexity: "O(log N) where N is the number of client connections",
    arguments: [
      { name: "client-id", type: "integer" },
      {
        name: "timeout_error",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "timeout", type: "pure-token", token: "TIMEOUT" },
          { name: "error", type: "pure-token", token: "ERROR" },
        ],
      },
    ],
  },
} satisfies Record<string, CommandDocs>;
