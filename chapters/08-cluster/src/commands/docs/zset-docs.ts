/**
 * What COMMAND DOCS tells clients about the sorted-set commands of
 * zset-commands.ts: summaries, versions, complexity, history and
 * arguments, as Redis 7.0 documents them (ZINCRBY's increment is typed
 * `integer` there, though it is a float: Redis's data, copied as it is).
 * Data only, kept apart so that the commands' code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";
import {
  ELEMENT_SCAN_ARGUMENTS,
  ELEMENT_SCAN_COMPLEXITY,
} from "./element-scan-docs.ts";

const GROUP = "sorted-set";

const KEY_ARG = { name: "key", type: "key" } as const;

const MEMBER_ARG = { name: "member", type: "string" } as const;

const MEMBERS_ARG = {
  name: "member",
  type: "string",
  multiple: true,
} as const;

const MULTIPLE_ELEMENTS = ["2.4.0", "Accepts multiple elements."] as const;

/** ZADD's options and its score and member pairs. */
const ZADD_ARGUMENTS: readonly ArgumentDoc[] = [
  KEY_ARG,
  {
    name: "condition",
    type: "oneof",
    since: "3.0.2",
    optional: true,
    arguments: [
      { name: "nx", type: "pure-token", token: "NX" },
      { name: "xx", type: "pure-token", token: "XX" },
    ],
  },
  {
    name: "comparison",
    type: "oneof",
    since: "6.2.0",
    optional: true,
    arguments: [
      { name: "gt", type: "pure-token", token: "GT" },
      { name: "lt", type: "pure-token", token: "LT" },
    ],
  },
  {
    name: "change",
    type: "pure-token",
    token: "CH",
    since: "3.0.2",
    optional: true,
  },
  {
    name: "increment",
    type: "pure-token",
    token: "INCR",
    since: "3.0.2",
    optional: true,
  },
  {
    name: "score_member",
    type: "block",
    multiple: true,
    arguments: [
      { name: "score", type: "double" },
      { name: "member", type: "string" },
    ],
  },
];

export const ZSET_DOCS = {
  zadd: {
    summary:
      "Add one or more members to a sorted set, or update its score if it already exists",
    since: "1.2.0",
    group: GROUP,
    complexity:
      "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    history: [
      MULTIPLE_ELEMENTS,
      ["3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."],
      ["6.2.0", "Added the `GT` and `LT` options."],
    ],
    arguments: ZADD_ARGUMENTS,
  },
  zincrby: {
    summary: "Increment the score of a member in a sorted set",
    since: "1.2.0",
    group: GROUP,
    complexity:
      "O(log(N)) where N is the number of elements in the sorted set.",
    arguments: [KEY_ARG, { name: "increment", type: "integer" }, MEMBER_ARG],
  },
  zrem: {
    summary: "Remove one or more members from a sorted set",
    since: "1.2.0",
    group: GROUP,
    complexity:
      "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    history: [MULTIPLE_ELEMENTS],
    arguments: [KEY_ARG, MEMBERS_ARG],
  },
  zcard: {
    summary: "Get the number of members in a sorted set",
    since: "1.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  zscore: {
    summary: "Get the score associated with the given member in a sorted set",
    since: "1.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, MEMBER_ARG],
  },
  zmscore: {
    summary: "Get the score associated with the given members in a sorted set",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(N) where N is the number of members being requested.",
    arguments: [KEY_ARG, MEMBERS_ARG],
  },
  zrank: {
    summary: "Determine the index of a member in a sorted set",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(log(N))",
    arguments: [KEY_ARG, MEMBER_ARG],
  },
  zrevrank: {
    summary:
      "Determine the index of a member in a sorted set, with scores ordered from high to low",
    since: "2.0.0",
    group: GROUP,
    complexity: "O(log(N))",
    arguments: [KEY_ARG, MEMBER_ARG],
  },
  zscan: {
    summary: "Incrementally iterate sorted sets elements and associated scores",
    since: "2.8.0",
    group: GROUP,
    complexity: ELEMENT_SCAN_COMPLEXITY,
    arguments: ELEMENT_SCAN_ARGUMENTS,
  },
} satisfies Record<string, CommandDocs>;
