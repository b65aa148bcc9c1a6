/**
 * What COMMAND DOCS tells clients about MIGRATE, as Redis 7.0.15 documents
 * it. Data only, kept apart from migrate-command.ts.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

export const MIGRATE_DOCS = {
  migrate: {
    summary: "Atomically transfer a key from a Redis instance to another one.",
    since: "2.6.0",
    group: "generic",
    complexity:
      "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
    history: [
      ["3.0.0", "Added the `COPY` and `REPLACE` options."],
      ["3.0.6", "Added the `KEYS` option."],
      ["4.0.7", "Added the `AUTH` option."],
      ["6.0.0", "Added the `AUTH2` option."],
    ],
    arguments: [
      { name: "host", type: "string" },
      { name: "port", type: "integer" },
      {
        name: "key_or_empty_string",
        type: "oneof",
        arguments: [
          { name: "key", type: "key" },
          { name: "empty_string", type: "pure-token", token: "" },
        ],
      },
      { name: "destination-db", type: "integer" },
      { name: "timeout", type: "integer" },
      {
        name: "copy",
        type: "pure-token",
        token: "COPY",
        since: "3.0.0",
        optional: true,
      },
      {
        name: "replace",
        type: "pure-token",
        token: "REPLACE",
        since: "3.0.0",
        optional: true,
      },
      {
        name: "authentication",
        type: "oneof",
        optional: true,
        arguments: [
          {
            name: "password",
            type: "string",
            token: "AUTH",
            since: "4.0.7",
            optional: true,
          },
          {
            name: "username_password",
            type: "block",
            token: "AUTH2",
            since: "6.0.0",
            optional: true,
            arguments: [
              { name: "username", type: "string" },
              { name: "password", type: "string" },
            ],
          },
        ],
      },
      {
        name: "key",
        type: "key",
        token: "KEYS",
        since: "3.0.6",
        optional: true,
        multiple: true,
      },
    ],
  },
} satisfies Record<string, CommandDocs>;
