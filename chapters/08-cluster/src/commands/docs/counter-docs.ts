/**
 * What COMMAND DOCS tells clients about the counters: summaries, versions,
 * complexity, history and arguments, as Redis 7.0 documents them (redis-cli
 * shows them as hints while you type). Data only, kept apart from
 * counter-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "string";

const KEY_ARG = { name: "key", type: "key" } as const;

export const COUNTER_DOCS = {
  incr: {
    summary: "Increment the integer value of a key by one",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  decr: {
    summary: "Decrement the integer value of a key by one",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  incrby: {
    summary: "Increment the integer value of a key by the given amount",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "increment", type: "integer" }],
  },
  decrby: {
    summary: "Decrement the integer value of a key by the given number",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "decrement", type: "integer" }],
  },
  incrbyfloat: {
    summary: "Increment the float value of a key by the given amount",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, { name: "increment", type: "double" }],
  },
} satisfies Record<string, CommandDocs>;
