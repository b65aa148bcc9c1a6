/**
 * What COMMAND DOCS tells clients about the expiry commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents them
 * (redis-cli shows them as hints while you type). Data only, kept apart from
 * expiry-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "generic";

const KEY_ARG = { name: "key", type: "key" } as const;

/** EXPIRE's, PEXPIRE's, EXPIREAT's and PEXPIREAT's NX, XX, GT and LT. */
const CONDITION_ARG = {
  name: "condition",
  type: "oneof",
  optional: true,
  since: "7.0.0",
  arguments: [
    { name: "nx", type: "pure-token", token: "NX" },
    { name: "xx", type: "pure-token", token: "XX" },
    { name: "gt", type: "pure-token", token: "GT" },
    { name: "lt", type: "pure-token", token: "LT" },
  ],
} as const;

const EXPIRE_HISTORY = [
  ["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."],
] as const;

const TTL_HISTORY = [["2.8.0", "Added the -2 reply."]] as const;

export const EXPIRY_DOCS = {
  expire: {
    summary: "Set a key's time to live in seconds",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    history: EXPIRE_HISTORY,
    arguments: [KEY_ARG, { name: "seconds", type: "integer" }, CONDITION_ARG],
  },
  pexpire: {
    summary: "Set a key's time to live in milliseconds",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(1)",
    history: EXPIRE_HISTORY,
    arguments: [
      KEY_ARG,
      { name: "milliseconds", type: "integer" },
      CONDITION_ARG,
    ],
  },
  expireat: {
    summary: "Set the expiration for a key as a UNIX timestamp",
    since: "1.2.0",
    group: GROUP,
    complexity: "O(1)",
    history: EXPIRE_HISTORY,
    arguments: [
      KEY_ARG,
      { name: "unix-time-seconds", type: "unix-time" },
      CONDITION_ARG,
    ],
  },
  pexpireat: {
    summary:
      "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(1)",
    history: EXPIRE_HISTORY,
    arguments: [
      KEY_ARG,
      { name: "unix-time-milliseconds", type: "unix-time" },
      CONDITION_ARG,
    ],
  },
  ttl: {
    summary: "Get the time to live for a key in seconds",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    history: TTL_HISTORY,
    arguments: [KEY_ARG],
  },
  pttl: {
    summary: "Get the time to live for a key in milliseconds",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(1)",
    history: TTL_HISTORY,
    arguments: [KEY_ARG],
  },
  expiretime: {
    summary: "Get the expiration Unix timestamp for a key",
    since: "7.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  pexpiretime: {
    summary: "Get the expiration Unix timestamp for a key in milliseconds",
    since: "7.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  persist: {
    summary: "Remove the expiration from a key",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
} satisfies Record<string, CommandDocs>;
