/**
 * What COMMAND DOCS tells clients about OBJECT and its subcommands, as
 * Redis 7.0 documents them. Data only, kept apart from object-command.ts
 * so that the command's code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "generic";

const KEY_ARG = { name: "key", type: "key" } as const;

export const OBJECT_DOCS = {
  "object|encoding": {
    summary: "Inspect the internal encoding of a Redis object",
    since: "2.2.3",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  "object|freq": {
    summary: "Get the logarithmic access frequency counter of a Redis object",
    since: "4.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  "object|idletime": {
    summary: "Get the time since a Redis object was last accessed",
    since: "2.2.3",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  "object|refcount": {
    summary: "Get the number of references to the value of the key",
    since: "2.2.3",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  "object|help": {
    summary: "Show helpful text about the different subcommands",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(1)",
  },
  object: {
    summary: "A container for object introspection commands",
    since: "2.2.3",
    group: GROUP,
    complexity: "Depends on subcommand.",
  },
} satisfies Record<string, CommandDocs>;
