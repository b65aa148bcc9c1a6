/**
 * What COMMAND DOCS tells clients about the key commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents them
 * (redis-cli shows them as hints while you type). Data only, kept apart from
 * key-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "generic";

const KEY_ARG = { name: "key", type: "key" } as const;

const KEYS_ARG = { name: "key", type: "key", multiple: true } as const;

export const KEY_DOCS = {
  del: {
    summary: "Delete a key",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    arguments: [KEYS_ARG],
  },
  unlink: {
    summary:
      "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
    since: "4.0.0",
    group: GROUP,
    complexity:
      "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    arguments: [KEYS_ARG],
  },
  exists: {
    summary: "Determine if a key exists",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of keys to check.",
    history: [["3.0.3", "Accepts multiple `key` arguments."]],
    arguments: [KEYS_ARG],
  },
  type: {
    summary: "Determine the type stored at key",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  keys: {
    summary: "Find all keys matching the given pattern",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    arguments: [{ name: "pattern", type: "pattern" }],
  },
  scan: {
    summary: "Incrementally iterate the keys space",
    since: "2.8.0",
    group: GROUP,
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    history: [["6.0.0", "Added the `TYPE` subcommand."]],
    arguments: [
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", optional: true },
      { name: "count", type: "integer", token: "COUNT", optional: true },
      {
        name: "type",
        type: "string",
        token: "TYPE",
        optional: true,
        since: "6.0.0",
      },
    ],
  },
  rename: {
    summary: "Rename a key",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "newkey", type: "key" }],
  },
  renamenx: {
    summary: "Rename a key, only if the new key does not exist",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    history: [
      [
        "3.2.0",
        "The command no longer returns an error when source and destination names are the same.",
      ],
    ],
    arguments: [KEY_ARG, { name: "newkey", type: "key" }],
  },
  randomkey: {
    summary: "Return a random key from the keyspace",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
  },
  copy: {
    summary: "Copy a key",
    since: "6.2.0",
    group: GROUP,
    complexity:
      "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    arguments: [
      { name: "source", type: "key" },
      { name: "destination", type: "key" },
      {
        name: "destination-db",
        type: "integer",
        token: "DB",
        optional: true,
      },
      { name: "replace", type: "pure-token", token: "REPLACE", optional: true },
    ],
  },
  move: {
    summary: "Move a key to another database",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "db", type: "integer" }],
  },
  touch: {
    summary:
      "Alters the last access time of a key(s). Returns the number of existing keys specified.",
    since: "3.2.1",
    group: GROUP,
    complexity: "O(N) where N is the number of keys that will be touched.",
    arguments: [KEYS_ARG],
  },
} satisfies Record<string, CommandDocs>;
