/**
 * What COMMAND DOCS tells clients about BITFIELD and BITFIELD_RO, as Redis
 * 7.0 documents them: BITFIELD's arguments are the deepest tree of any
 * command so far. Data only, kept apart from bitfield-command.ts.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "bitmap";

const KEY_ARG = { name: "key", type: "key" } as const;

const ENCODING_ARG = { name: "encoding", type: "string" } as const;

const OFFSET_ARG = { name: "offset", type: "integer" } as const;

/** `OVERFLOW WRAP|SAT|FAIL`, which applies to the writes after it. */
const OVERFLOW: ArgumentDoc = {
  name: "wrap_sat_fail",
  type: "oneof",
  token: "OVERFLOW",
  optional: true,
  arguments: [
    { name: "wrap", type: "pure-token", token: "WRAP" },
    { name: "sat", type: "pure-token", token: "SAT" },
    { name: "fail", type: "pure-token", token: "FAIL" },
  ],
};

/** `SET encoding offset value` or `INCRBY encoding offset increment`. */
const WRITE_OPERATION: ArgumentDoc = {
  name: "write_operation",
  type: "oneof",
  arguments: [
    {
      name: "encoding_offset_value",
      type: "block",
      token: "SET",
      arguments: [ENCODING_ARG, OFFSET_ARG, { name: "value", type: "integer" }],
    },
    {
      name: "encoding_offset_increment",
      type: "block",
      token: "INCRBY",
      arguments: [
        ENCODING_ARG,
        OFFSET_ARG,
        { name: "increment", type: "integer" },
      ],
    },
  ],
};

export const BITFIELD_DOCS = {
  bitfield: {
    summary: "Perform arbitrary bitfield integer operations on strings",
    since: "3.2.0",
    group: GROUP,
    complexity: "O(1) for each subcommand specified",
    arguments: [
      KEY_ARG,
      {
        name: "operation",
        type: "oneof",
        optional: true,
        multiple: true,
        arguments: [
          {
            name: "encoding_offset",
            type: "block",
            token: "GET",
            arguments: [ENCODING_ARG, OFFSET_ARG],
          },
          {
            name: "write",
            type: "block",
            arguments: [OVERFLOW, WRITE_OPERATION],
          },
        ],
      },
    ],
  },
  bitfield_ro: {
    summary:
      "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
    since: "6.0.0",
    group: GROUP,
    complexity: "O(1) for each subcommand specified",
    arguments: [
      KEY_ARG,
      {
        name: "encoding_offset",
        type: "block",
        token: "GET",
        optional: true,
        multiple: true,
        multipleToken: true,
        arguments: [ENCODING_ARG, OFFSET_ARG],
      },
    ],
  },
} satisfies Record<string, CommandDocs>;
