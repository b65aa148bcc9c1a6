/**
 * What COMMAND DOCS tells clients about the commands that take members
 * out of a sorted set, at once or after a wait (ZPOPMIN, ZPOPMAX, ZMPOP,
 * BZPOPMIN, BZPOPMAX, BZMPOP), and about ZRANDMEMBER, which only looks,
 * as Redis 7.0 documents them. Data only, kept apart from the commands'
 * files so that their code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "sorted-set";

const KEY_ARG = { name: "key", type: "key" } as const;

const KEYS_ARG = { name: "key", type: "key", multiple: true } as const;

const NUMKEYS_ARG = { name: "numkeys", type: "integer" } as const;

const TIMEOUT_ARG = { name: "timeout", type: "double" } as const;

/** MIN or MAX: which end ZMPOP and BZMPOP pop from. */
const WHERE_ARG: ArgumentDoc = {
  name: "where",
  type: "oneof",
  arguments: [
    { name: "min", type: "pure-token", token: "MIN" },
    { name: "max", type: "pure-token", token: "MAX" },
  ],
};

const COUNT_ARG = {
  name: "count",
  type: "integer",
  token: "COUNT",
  optional: true,
} as const;

const POP_COMPLEXITY =
  "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.";

const MPOP_COMPLEXITY =
  "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.";

const TIMEOUT_HISTORY = [
  ["6.0.0", "`timeout` is interpreted as a double instead of an integer."],
] as const;

export const ZSET_POP_DOCS = {
  zpopmin: {
    summary: "Remove and return members with the lowest scores in a sorted set",
    since: "5.0.0",
    group: GROUP,
    complexity: POP_COMPLEXITY,
    arguments: [KEY_ARG, { name: "count", type: "integer", optional: true }],
  },
  zpopmax: {
    summary:
      "Remove and return members with the highest scores in a sorted set",
    since: "5.0.0",
    group: GROUP,
    complexity: POP_COMPLEXITY,
    arguments: [KEY_ARG, { name: "count", type: "integer", optional: true }],
  },
  zmpop: {
    summary: "Remove and return members with scores in a sorted set",
    since: "7.0.0",
    group: GROUP,
    complexity: MPOP_COMPLEXITY,
    arguments: [NUMKEYS_ARG, KEYS_ARG, WHERE_ARG, COUNT_ARG],
  },
  bzpopmin: {
    summary:
      "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
    since: "5.0.0",
    group: GROUP,
    complexity:
      "O(log(N)) with N being the number of elements in the sorted set.",
    history: TIMEOUT_HISTORY,
    arguments: [KEYS_ARG, TIMEOUT_ARG],
  },
  bzpopmax: {
    summary:
      "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
    since: "5.0.0",
    group: GROUP,
    complexity:
      "O(log(N)) with N being the number of elements in the sorted set.",
    history: TIMEOUT_HISTORY,
    arguments: [KEYS_ARG, TIMEOUT_ARG],
  },
  bzmpop: {
    summary:
      "Remove and return members with scores in a sorted set or block until one is available",
    since: "7.0.0",
    group: GROUP,
    complexity: MPOP_COMPLEXITY,
    arguments: [TIMEOUT_ARG, NUMKEYS_ARG, KEYS_ARG, WHERE_ARG, COUNT_ARG],
  },
  zrandmember: {
    summary: "Get one or multiple random elements from a sorted set",
    since: "6.2.0",
    group: GROUP,
    complexity: "O(N) where N is the number of elements returned",
    arguments: [
      KEY_ARG,
      {
        name: "options",
        type: "block",
        optional: true,
        arguments: [
          { name: "count", type: "integer" },
          {
            name: "withscores",
            type: "pure-token",
            token: "WITHSCORES",
            optional: true,
          },
        ],
      },
    ],
  },
} satisfies Record<string, CommandDocs>;
