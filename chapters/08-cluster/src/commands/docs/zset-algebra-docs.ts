/**
 * What COMMAND DOCS tells clients about the commands that combine sorted
 * sets (ZUNION, ZINTER, ZDIFF, their STOREs, ZINTERCARD), as Redis 7.0
 * documents them. Data only, kept apart from the commands' file so that
 * its code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "sorted-set";

const DESTINATION_ARG = { name: "destination", type: "key" } as const;

const NUMKEYS_ARG = { name: "numkeys", type: "integer" } as const;

const KEYS_ARG = { name: "key", type: "key", multiple: true } as const;

/**
 * WEIGHTS weight [weight ...]. Redis 7.0 documents a weight as an
 * integer, though it reads a float (`WEIGHTS 0.5` works): COMMAND DOCS
 * says what Redis says.
 */
const WEIGHTS_ARG = {
  name: "weight",
  type: "integer",
  token: "WEIGHTS",
  optional: true,
  multiple: true,
} as const;

const AGGREGATE_ARG: ArgumentDoc = {
  name: "aggregate",
  type: "oneof",
  token: "AGGREGATE",
  optional: true,
  arguments: [
    { name: "sum", type: "pure-token", token: "SUM" },
    { name: "min", type: "pure-token", token: "MIN" },
    { name: "max", type: "pure-token", token: "MAX" },
  ],
};

const WITHSCORES_ARG = {
  name: "withscores",
  type: "pure-token",
  token: "WITHSCORES",
  optional: true,
} as const;

const UNION_COMPLEXITY =
  "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";

const INTER_COMPLEXITY =
  "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.";

const DIFF_COMPLEXITY =
  "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.";

export const ZSET_ALGEBRA_DOCS = {
  zunion: {
    summary: "Add multiple sorted sets",
    since: "6.2.0",
    group: GROUP,
    complexity: UNION_COMPLEXITY,
    arguments: [
      NUMKEYS_ARG,
      KEYS_ARG,
      WEIGHTS_ARG,
      AGGREGATE_ARG,
      WITHSCORES_ARG,
    ],
  },
  zunionstore: {
    summary:
      "Add multiple sorted sets and store the resulting sorted set in a new key",
    since: "2.0.0",
    group: GROUP,
    // "M log(M)", where ZUNION's says "M*log(M)": Redis's own two texts.
    complexity:
      "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    arguments: [
      DESTINATION_ARG,
      NUMKEYS_ARG,
      KEYS_ARG,
      WEIGHTS_ARG,
      AGGREGATE_ARG,
    ],
  },
  zinter: {
    summary: "Intersect multiple sorted sets",
    since: "6.2.0",
    group: GROUP,
    complexity: INTER_COMPLEXITY,
    arguments: [
      NUMKEYS_ARG,
      KEYS_ARG,
      WEIGHTS_ARG,
      AGGREGATE_ARG,
      WITHSCORES_ARG,
    ],
  },
  zinterstore: {
    summary:
      "Intersect multiple sorted sets and store the resulting sorted set in a new key",
    since: "2.0.0",
    group: GROUP,
    complexity: INTER_COMPLEXITY,
    arguments: [
      DESTINATION_ARG,
      NUMKEYS_ARG,
      KEYS_ARG,
      WEIGHTS_ARG,
      AGGREGATE_ARG,
    ],
  },
  zintercard: {
    summary:
      "Intersect multiple sorted sets and return the cardinality of the result",
    since: "7.0.0",
    group: GROUP,
    complexity:
      "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
    arguments: [
      NUMKEYS_ARG,
      KEYS_ARG,
      { name: "limit", type: "integer", token: "LIMIT", optional: true },
    ],
  },
  zdiff: {
    summary: "Subtract multiple sorted sets",
    since: "6.2.0",
    group: GROUP,
    complexity: DIFF_COMPLEXITY,
    arguments: [NUMKEYS_ARG, KEYS_ARG, WITHSCORES_ARG],
  },
  zdiffstore: {
    summary:
      "Subtract multiple sorted sets and store the resulting sorted set in a new key",
    since: "6.2.0",
    group: GROUP,
    complexity: DIFF_COMPLEXITY,
    arguments: [DESTINATION_ARG, NUMKEYS_ARG, KEYS_ARG],
  },
} satisfies Record<string, CommandDocs>;
