/**
 * What COMMAND DOCS tells clients about the list commands: summaries,
 * versions, complexity, history and arguments, as Redis 7.0 documents them.
 * Data only, kept apart from list-commands.ts so that the commands' code
 * reads on its own. The blocking pops (BLPOP and kin) are documented here
 * too: they belong to the same family, whichever file runs them.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "list";

const KEY_ARG = { name: "key", type: "key" } as const;

const KEYS_ARG = { name: "key", type: "key", multiple: true } as const;

const ELEMENTS_ARG = {
  name: "element",
  type: "string",
  multiple: true,
} as const;

const SOURCE_DESTINATION: readonly ArgumentDoc[] = [
  { name: "source", type: "key" },
  { name: "destination", type: "key" },
];

const TIMEOUT_ARG = { name: "timeout", type: "double" } as const;

/** LEFT or RIGHT, under the name an argument gives it (`wherefrom`, `where`, ...). */
function leftOrRight(name: string): ArgumentDoc {
  return {
    name,
    type: "oneof",
    arguments: [
      { name: "left", type: "pure-token", token: "LEFT" },
      { name: "right", type: "pure-token", token: "RIGHT" },
    ],
  };
}

const OPTIONAL_COUNT = {
  name: "count",
  type: "integer",
  token: "COUNT",
  optional: true,
} as const;

const PUSH_COMPLEXITY =
  "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";

const POP_COMPLEXITY = "O(N) where N is the number of elements returned";

const MPOP_COMPLEXITY =
  "O(N+M) where N is the number of provided keys and M is the number of elements returned.";

const BLOCKING_POP_COMPLEXITY = "O(N) where N is the number of provided keys.";

const TIMEOUT_HISTORY = [
  ["6.0.0", "`timeout` is interpreted as a double instead of an integer."],
] as const;

export const LIST_DOCS = {
  lpush: {
    summary: "Prepend one or multiple elements to a list",
    since: "1.0.0",
    group: GROUP,
    complexity: PUSH_COMPLEXITY,
    history: [["2.4.0", "Accepts multiple `element` arguments."]],
    arguments: [KEY_ARG, ELEMENTS_ARG],
  },
  rpush: {
    summary: "Append one or multiple elements to a list",
    since: "1.0.0",
    group: GROUP,
    complexity: PUSH_COMPLEXITY,
    history: [["2.4.0", "Accepts multiple `element` arguments."]],
    arguments: [KEY_ARG, ELEMENTS_ARG],
  },
  lpushx: {
    summary: "Prepend an element to a list, only if the list exists",
    since: "2.2.0",
    group: GROUP,
    complexity: PUSH_COMPLEXITY,
    history: [["4.0.0", "Accepts multiple `element` arguments."]],
    arguments: [KEY_ARG, ELEMENTS_ARG],
  },
  rpushx: {
    summary: "Append an element to a list, only if the list exists",
    since: "2.2.0",
    group: GROUP,
    complexity: PUSH_COMPLEXITY,
    history: [["4.0.0", "Accepts multiple `element` arguments."]],
    arguments: [KEY_ARG, ELEMENTS_ARG],
  },
  lpop: {
    summary: "Remove and get the first elements in a list",
    since: "1.0.0",
    group: GROUP,
    complexity: POP_COMPLEXITY,
    history: [["6.2.0", "Added the `count` argument."]],
    arguments: [
      KEY_ARG,
      { name: "count", type: "integer", since: "6.2.0", optional: true },
    ],
  },
  rpop: {
    summary: "Remove and get the last elements in a list",
    since: "1.0.0",
    group: GROUP,
    complexity: POP_COMPLEXITY,
    history: [["6.2.0", "Added the `count` argument."]],
    arguments: [
      KEY_ARG,
      { name: "count", type: "integer", since: "6.2.0", optional: true },
    ],
  },
  llen: {
    summary: "Get the length of a list",
    since: "1.0.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  lrange: {
    summary: "Get a range of elements from a list",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
    arguments: [
      KEY_ARG,
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
  },
  lindex: {
    summary: "Get an element from a list by its index",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
    arguments: [KEY_ARG, { name: "index", type: "integer" }],
  },
  lset: {
    summary: "Set the value of an element in a list by its index",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
    arguments: [
      KEY_ARG,
      { name: "index", type: "integer" },
      { name: "element", type: "string" },
    ],
  },
  lrem: {
    summary: "Remove elements from a list",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(N+M) where N is the length of the list and M is the number of elements removed.",
    arguments: [
      KEY_ARG,
      { name: "count", type: "integer" },
      { name: "element", type: "string" },
    ],
  },
  ltrim: {
    summary: "Trim a list to the specified range",
    since: "1.0.0",
    group: GROUP,
    complexity:
      "O(N) where N is the number of elements to be removed by the operation.",
    arguments: [
      KEY_ARG,
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
  },
  linsert: {
    summary: "Insert an element before or after another element in a list",
    since: "2.2.0",
    group: GROUP,
    complexity:
      "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
    arguments: [
      KEY_ARG,
      {
        name: "where",
        type: "oneof",
        arguments: [
          { name: "before", type: "pure-token", token: "BEFORE" },
          { name: "after", type: "pure-token", token: "AFTER" },
        ],
      },
      { name: "pivot", type: "string" },
      { name: "element", type: "string" },
    ],
  },
  lpos: {
    summary: "Return the index of matching elements on a list",
    since: "6.0.6",
    group: GROUP,
    complexity:
      "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
    arguments: [
      KEY_ARG,
      { name: "element", type: "string" },
      { name: "rank", type: "integer", token: "RANK", optional: true },
      {
        name: "num-matches",
        type: "integer",
        token: "COUNT",
        optional: true,
      },
      { name: "len", type: "integer", token: "MAXLEN", optional: true },
    ],
  },
  lmove: {
    summary:
      "Pop an element from a list, push it to another list and return it",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      ...SOURCE_DESTINATION,
      leftOrRight("wherefrom"),
      leftOrRight("whereto"),
    ],
  },
  rpoplpush: {
    summary:
      "Remove the last element in a list, prepend it to another list and return it",
    since: "1.2.0",
    group: GROUP,
    complexity: "O(1)",
    deprecated: {
      since: "6.2.0",
      replacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
    },
    arguments: SOURCE_DESTINATION,
  },
  lmpop: {
    summary: "Pop elements from a list",
    since: "7.0.0",
    group: GROUP,
    complexity: MPOP_COMPLEXITY,
    arguments: [
      { name: "numkeys", type: "integer" },
      KEYS_ARG,
      leftOrRight("where"),
      OPTIONAL_COUNT,
    ],
  },
  blpop: {
    summary:
      "Remove and get the first element in a list, or block until one is available",
    since: "2.0.0",
    group: GROUP,
    complexity: BLOCKING_POP_COMPLEXITY,
    history: TIMEOUT_HISTORY,
    arguments: [KEYS_ARG, TIMEOUT_ARG],
  },
  brpop: {
    summary:
      "Remove and get the last element in a list, or block until one is available",
    since: "2.0.0",
    group: GROUP,
    complexity: BLOCKING_POP_COMPLEXITY,
    history: TIMEOUT_HISTORY,
    arguments: [KEYS_ARG, TIMEOUT_ARG],
  },
  blmove: {
    summary:
      "Pop an element from a list, push it to another list and return it; or block until one is available",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [
      ...SOURCE_DESTINATION,
      leftOrRight("wherefrom"),
      leftOrRight("whereto"),
      TIMEOUT_ARG,
    ],
  },
  brpoplpush: {
    summary:
      "Pop an element from a list, push it to another list and return it; or block until one is available",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1)",
    deprecated: {
      since: "6.2.0",
      replacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
    },
    history: TIMEOUT_HISTORY,
    arguments: [...SOURCE_DESTINATION, TIMEOUT_ARG],
  },
  blmpop: {
    summary: "Pop elements from a list, or block until one is available",
    since: "7.0.0",
    group: GROUP,
    complexity: MPOP_COMPLEXITY,
    arguments: [
      TIMEOUT_ARG,
      { name: "numkeys", type: "integer" },
      KEYS_ARG,
      leftOrRight("where"),
      OPTIONAL_COUNT,
    ],
  },
} satisfies Record<string, CommandDocs>;
