/**
 * What COMMAND DOCS tells clients about the set commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents
 * them. Data only, kept apart from the set commands' files so that their
 * code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";
import {
  ELEMENT_SCAN_ARGUMENTS,
  ELEMENT_SCAN_COMPLEXITY,
} from "./element-scan-docs.ts";

const GROUP = "set";

const KEY_ARG = { name: "key", type: "key" } as const;

const KEYS_ARG = { name: "key", type: "key", multiple: true } as const;

const MEMBER_ARG = { name: "member", type: "string" } as const;

const MEMBERS_ARG = {
  name: "member",
  type: "string",
  multiple: true,
} as const;

/** The arguments of SINTERSTORE, SUNIONSTORE and SDIFFSTORE. */
const STORE_ARGS: readonly ArgumentDoc[] = [
  { name: "destination", type: "key" },
  KEYS_ARG,
];

/** `count`, optional, added after the command itself. */
function optionalCount(since: string): ArgumentDoc {
  return { name: "count", type: "integer", since, optional: true };
}

const INTER_COMPLEXITY =
  "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";

const UNION_DIFF_COMPLEXITY =
  "O(N) where N is the total number of elements in all given sets.";

const MULTIPLE_MEMBERS_HISTORY = [
  ["2.4.0", "Accepts multiple `member` arguments."],
] as const;

export const SET_DOCS = {
  sadd: {
    summary: "Add one or more members to a set",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: MULTIPLE_MEMBERS_HISTORY,
    arguments: [KEY_ARG, MEMBERS_ARG],
  },
  srem: {
    summary: "Remove one or more members from a set",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(N) where N is the number of members to be removed.",
    history: MULTIPLE_MEMBERS_HISTORY,
    arguments: [KEY_ARG, MEMBERS_ARG],
  },
  scard: {
    summary: "Get the number of members in a set",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  sismember: {
    summary: "Determine if a given value is a member of a set",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG, MEMBER_ARG],
  },
  smismember: {
    summary:
      "Returns the membership associated with the given elements for a set",
    since: "6.2.0",
    group: GROUP,
    complexity:
      "O(N) where N is the number of elements being checked for membership",
    arguments: [KEY_ARG, MEMBERS_ARG],
  },
  smembers: {
    summary: "Get all the members in a set",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(N) where N is the set cardinality.",
    arguments: [KEY_ARG],
  },
  spop: {
    summary: "Remove and return one or multiple random members from a set",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    history: [["3.2.0", "Added the `count` argument."]],
    arguments: [KEY_ARG, optionalCount("3.2.0")],
  },
  srandmember: {
    summary: "Get one or multiple random members from a set",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    history: [["2.6.0", "Added the optional `count` argument."]],
    arguments: [KEY_ARG, optionalCount("2.6.0")],
  },
  smove: {
    summary: "Move a member from one set to another",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      { name: "source", type: "key" },
      { name: "destination", type: "key" },
      MEMBER_ARG,
    ],
  },
  sinter: {
    summary: "Intersect multiple sets",
    since: "1.0.0",
    group: GROUP,
    complexity: INTER_COMPLEXITY,
    arguments: [KEYS_ARG],
  },
  sintercard: {
    summary: "Intersect multiple sets and return the cardinality of the result",
    since: "7.0.0",
    group: GROUP,
    complexity: INTER_COMPLEXITY,
    arguments: [
      { name: "numkeys", type: "integer" },
      KEYS_ARG,
      { name: "limit", type: "integer", token: "LIMIT", optional: true },
    ],
  },
  sinterstore: {
    summary: "Intersect multiple sets and store the resulting set in a key",
    since: "1.0.0",
    group: GROUP,
    complexity: INTER_COMPLEXITY,
    arguments: STORE_ARGS,
  },
  sunion: {
    summary: "Add multiple sets",
    since: "1.0.0",
    group: GROUP,
    complexity: UNION_DIFF_COMPLEXITY,
    arguments: [KEYS_ARG],
  },
  sunionstore: {
    summary: "Add multiple sets and store the resulting set in a key",
    since: "1.0.0",
    group: GROUP,
    complexity: UNION_DIFF_COMPLEXITY,
    arguments: STORE_ARGS,
  },
  sdiff: {
    summary: "Subtract multiple sets",
    since: "1.0.0",
    group: GROUP,
    complexity: UNION_DIFF_COMPLEXITY,
    arguments: [KEYS_ARG],
  },
  sdiffstore: {
    summary: "Subtract multiple sets and store the resulting set in a key",
    since: "1.0.0",
    group: GROUP,
    complexity: UNION_DIFF_COMPLEXITY,
    arguments: STORE_ARGS,
  },
  sscan: {
    summary: "Incrementally iterate Set elements",
    since: "2.8.0",
    group: GROUP,
    complexity: ELEMENT_SCAN_COMPLEXITY,
    arguments: ELEMENT_SCAN_ARGUMENTS,
  },
} satisfies Record<string, CommandDocs>;
