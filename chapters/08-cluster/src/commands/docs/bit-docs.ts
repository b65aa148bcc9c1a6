/**
 * What COMMAND DOCS tells clients about SETBIT, GETBIT, BITCOUNT, BITPOS
 * and BITOP, as Redis 7.0 documents them. Data only, kept apart from
 * bit-commands.ts so that the commands' code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "bitmap";

const KEY_ARG = { name: "key", type: "key" } as const;

const OFFSET_ARG = { name: "offset", type: "integer" } as const;

const UNIT_HISTORY = [["7.0.0", "Added the `BYTE|BIT` option."]] as const;

/** `[BYTE|BIT]`, which came with 7.0. */
const INDEX_UNIT: ArgumentDoc = {
  name: "index_unit",
  type: "oneof",
  since: "7.0.0",
  optional: true,
  arguments: [
    { name: "byte", type: "pure-token", token: "BYTE" },
    { name: "bit", type: "pure-token", token: "BIT" },
  ],
};

export const BIT_DOCS = {
  setbit: {
    summary:
      "Sets or clears the bit at offset in the string value stored at key",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, OFFSET_ARG, { name: "value", type: "integer" }],
  },
  getbit: {
    summary:
      "Returns the bit value at offset in the string value stored at key",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, OFFSET_ARG],
  },
  bitcount: {
    summary: "Count set bits in a string",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(N)",
    history: UNIT_HISTORY,
    arguments: [
      KEY_ARG,
      {
        name: "index",
        type: "block",
        optional: true,
        arguments: [
          { name: "start", type: "integer" },
          { name: "end", type: "integer" },
          INDEX_UNIT,
        ],
      },
    ],
  },
  bitpos: {
    summary: "Find first bit set or clear in a string",
    since: "2.8.7",
    group: GROUP,
    complexity: "O(N)",
    history: UNIT_HISTORY,
    arguments: [
      KEY_ARG,
      { name: "bit", type: "integer" },
      {
        name: "index",
        type: "block",
        optional: true,
        arguments: [
          { name: "start", type: "integer" },
          {
            name: "end_index",
            type: "block",
            optional: true,
            arguments: [{ name: "end", type: "integer" }, INDEX_UNIT],
          },
        ],
      },
    ],
  },
  bitop: {
    summary: "Perform bitwise operations between strings",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(N)",
    arguments: [
      { name: "operation", type: "string" },
      { name: "destkey", type: "key" },
      { name: "key", type: "key", multiple: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
