/**
 * What COMMAND DOCS tells clients about the hash commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents
 * them. Data only, kept apart from the hash commands' files so that their
 * code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "hash";

const KEY_ARG = { name: "key", type: "key" } as const;

const FIELD_ARG = { name: "field", type: "string" } as const;

const FIELDS_ARG = { name: "field", type: "string", multiple: true } as const;

/** `field value [field value ...]`, as HSET and HMSET take them. */
const FIELD_VALUES: ArgumentDoc = {
  name: "field_value",
  type: "block",
  multiple: true,
  arguments: [FIELD_ARG, { name: "value", type: "string" }],
};

const WHOLE_HASH_COMPLEXITY = "O(N) where N is the size of the hash.";

export const HASH_DOCS = {
  hset: {
    summary: "Set the string value of a hash field",
    since: "2.0.0",
    group: GROUP,
    complexity:
      "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    history: [["4.0.0", "Accepts multiple `field` and `value` arguments."]],
    arguments: [KEY_ARG, FIELD_VALUES],
  },
  hsetnx: {
    summary: "Set the value of a hash field, only if the field does not exist",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, FIELD_ARG, { name: "value", type: "string" }],
  },
  hmset: {
    summary: "Set multiple hash fields to multiple values",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of fields being set.",
    deprecated: {
      since: "4.0.0",
      replacedBy: "`HSET` with multiple field-value pairs",
    },
    arguments: [KEY_ARG, FIELD_VALUES],
  },
  hget: {
    summary: "Get the value of a hash field",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, FIELD_ARG],
  },
  hmget: {
    summary: "Get the values of all the given hash fields",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of fields being requested.",
    arguments: [KEY_ARG, FIELDS_ARG],
  },
  hdel: {
    summary: "Delete one or more hash fields",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of fields to be removed.",
    history: [["2.4.0", "Accepts multiple `field` arguments."]],
    arguments: [KEY_ARG, FIELDS_ARG],
  },
  hlen: {
    summary: "Get the number of fields in a hash",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  hstrlen: {
    summary: "Get the length of the value of a hash field",
    since: "3.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, FIELD_ARG],
  },
  hexists: {
    summary: "Determine if a hash field exists",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, FIELD_ARG],
  },
  hkeys: {
    summary: "Get all the fields in a hash",
    since: "2.0.0",
    group: GROUP,
    complexity: WHOLE_HASH_COMPLEXITY,
    arguments: [KEY_ARG],
  },
  hvals: {
    summary: "Get all the values in a hash",
    since: "2.0.0",
    group: GROUP,
    complexity: WHOLE_HASH_COMPLEXITY,
    arguments: [KEY_ARG],
  },
  hgetall: {
    summary: "Get all the fields and values in a hash",
    since: "2.0.0",
    group: GROUP,
    complexity: WHOLE_HASH_COMPLEXITY,
    arguments: [KEY_ARG],
  },
  hincrby: {
    summary: "Increment the integer value of a hash field by the given number",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, FIELD_ARG, { name: "increment", type: "integer" }],
  },
  hincrbyfloat: {
    summary: "Increment the float value of a hash field by the given amount",
    since: "2.6.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, FIELD_ARG, { name: "increment", type: "double" }],
  },
  hrandfield: {
    summary: "Get one or multiple random fields from a hash",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(N) where N is the number of fields returned",
    arguments: [
      KEY_ARG,
      {
        name: "options",
        type: "block",
        optional: true,
        arguments: [
          { name: "count", type: "integer" },
          {
            name: "withvalues",
            type: "pure-token",
            token: "WITHVALUES",
            optional: true,
          },
        ],
      },
    ],
  },
  hscan: {
    summary: "Incrementally iterate hash fields and associated values",
    since: "2.8.0",
    group: GROUP,
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    arguments: [
      KEY_ARG,
      { name: "cursor", type: "integer" },
      {
        name: "pattern",
        type: "pattern",
        token: "MATCH",
        optional: true,
      },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
