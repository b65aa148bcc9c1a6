/**
 * What COMMAND DOCS tells clients about the string commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents them
 * (redis-cli shows them as hints while you type). Data only, kept apart from
 * string-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "string";

const KEY_ARG = { name: "key", type: "key" } as const;

const VALUE_ARG = { name: "value", type: "string" } as const;

const KEY_VALUE_PAIRS = {
  name: "key_value",
  type: "block",
  multiple: true,
  arguments: [KEY_ARG, VALUE_ARG],
} as const;

export const STRING_DOCS = {
  set: {
    summary: "Set the string value of a key",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    history: [
      ["2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."],
      ["6.0.0", "Added the `KEEPTTL` option."],
      ["6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."],
      ["7.0.0", "Allowed the `NX` and `GET` options to be used together."],
    ],
    arguments: [
      KEY_ARG,
      VALUE_ARG,
      {
        name: "condition",
        type: "oneof",
        optional: true,
        since: "2.6.12",
        arguments: [
          { name: "nx", type: "pure-token", token: "NX" },
          { name: "xx", type: "pure-token", token: "XX" },
        ],
      },
      {
        name: "get",
        type: "pure-token",
        token: "GET",
        optional: true,
        since: "6.2.0",
      },
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "seconds", type: "integer", token: "EX", since: "2.6.12" },
          {
            name: "milliseconds",
            type: "integer",
            token: "PX",
            since: "2.6.12",
          },
          {
            name: "unix-time-seconds",
            type: "unix-time",
            token: "EXAT",
            since: "6.2.0",
          },
          {
            name: "unix-time-milliseconds",
            type: "unix-time",
            token: "PXAT",
            since: "6.2.0",
          },
          {
            name: "keepttl",
            type: "pure-token",
            token: "KEEPTTL",
            since: "6.0.0",
          },
        ],
      },
    ],
  },
  setex: {
    summary: "Set the value and expiration of a key",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "seconds", type: "integer" }, VALUE_ARG],
  },
  psetex: {
    summary: "Set the value and expiration in milliseconds of a key",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "milliseconds", type: "integer" }, VALUE_ARG],
  },
  getex: {
    summary: "Get the value of a key and optionally set its expiration",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      KEY_ARG,
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "seconds", type: "integer", token: "EX" },
          { name: "milliseconds", type: "integer", token: "PX" },
          { name: "unix-time-seconds", type: "unix-time", token: "EXAT" },
          {
            name: "unix-time-milliseconds",
            type: "unix-time",
            token: "PXAT",
          },
          { name: "persist", type: "pure-token", token: "PERSIST" },
        ],
      },
    ],
  },
  get: {
    summary: "Get the value of a key",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  getset: {
    summary: "Set the string value of a key and return its old value",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    deprecated: {
      since: "6.2.0",
      replacedBy: "`SET` with the `!GET` argument",
    },
    arguments: [KEY_ARG, VALUE_ARG],
  },
  getdel: {
    summary: "Get the value of a key and delete the key",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  setnx: {
    summary: "Set the value of a key, only if the key does not exist",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, VALUE_ARG],
  },
  mset: {
    summary: "Set multiple keys to multiple values",
    since: "1.0.1",
    group: GROUP,
    complexity: "O(N) where N is the number of keys to set.",
    arguments: [KEY_VALUE_PAIRS],
  },
  msetnx: {
    summary:
      "Set multiple keys to multiple values, only if none of the keys exist",
    since: "1.0.1",
    group: GROUP,
    complexity: "O(N) where N is the number of keys to set.",
    arguments: [KEY_VALUE_PAIRS],
  },
  mget: {
    summary: "Get the values of all the given keys",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of keys to retrieve.",
    arguments: [{ ...KEY_ARG, multiple: true }],
  },
} satisfies Record<string, CommandDocs>;
