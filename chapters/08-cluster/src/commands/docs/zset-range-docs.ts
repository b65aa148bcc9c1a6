/**
 * What COMMAND DOCS tells clients about the sorted-set range commands:
 * ZRANGE and ZRANGESTORE, the five old forms Redis 6.2 deprecated in
 * favour of ZRANGE's options, ZCOUNT, ZLEXCOUNT and the ZREMRANGEBY*
 * commands, as Redis 7.0 documents them. Data only, kept apart from
 * zset-range-commands.ts and zset-remove-range-commands.ts so that their
 * code reads on its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "sorted-set";

const KEY_ARG = { name: "key", type: "key" } as const;

/** `min max` of a score range: doubles, as the docs call them. */
const SCORE_MIN_MAX: readonly ArgumentDoc[] = [
  { name: "min", type: "double" },
  { name: "max", type: "double" },
];

/** `min max` of a member range (`[a`, `(a`, `-`, `+`): strings. */
const LEX_MIN_MAX: readonly ArgumentDoc[] = [
  { name: "min", type: "string" },
  { name: "max", type: "string" },
];

/** `[LIMIT offset count]`. */
const LIMIT_ARG: ArgumentDoc = {
  name: "offset_count",
  type: "block",
  token: "LIMIT",
  optional: true,
  arguments: [
    { name: "offset", type: "integer" },
    { name: "count", type: "integer" },
  ],
};

const WITHSCORES_ARG: ArgumentDoc = {
  name: "withscores",
  type: "pure-token",
  token: "WITHSCORES",
  optional: true,
};

/** `[BYSCORE|BYLEX]`. */
const SORTBY_ARG: ArgumentDoc = {
  name: "sortby",
  type: "oneof",
  optional: true,
  arguments: [
    { name: "byscore", type: "pure-token", token: "BYSCORE" },
    { name: "bylex", type: "pure-token", token: "BYLEX" },
  ],
};

const REV_ARG: ArgumentDoc = {
  name: "rev",
  type: "pure-token",
  token: "REV",
  optional: true,
};

/** `argument`, added in a later version than its command. */
function since(version: string, argument: ArgumentDoc): ArgumentDoc {
  return { ...argument, since: version };
}

const RANGE_COMPLEXITY =
  "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";

const RANGE_BY_COMPLEXITY =
  "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).";

const COUNT_COMPLEXITY =
  "O(log(N)) with N being the number of elements in the sorted set.";

const REMOVE_COMPLEXITY =
  "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.";

export const ZSET_RANGE_DOCS = {
  zrange: {
    summary: "Return a range of members in a sorted set",
    since: "1.2.0",
    group: GROUP,
    complexity: RANGE_COMPLEXITY,
    history: [
      ["6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."],
    ],
    arguments: [
      KEY_ARG,
      { name: "start", type: "string" },
      { name: "stop", type: "string" },
      since("6.2.0", SORTBY_ARG),
      since("6.2.0", REV_ARG),
      since("6.2.0", LIMIT_ARG),
      WITHSCORES_ARG,
    ],
  },
  zrangestore: {
    summary: "Store a range of members from sorted set into another key",
    since: "6.2.0",
    group: GROUP,
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    arguments: [
      { name: "dst", type: "key" },
      { name: "src", type: "key" },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
      SORTBY_ARG,
      REV_ARG,
      LIMIT_ARG,
    ],
  },
  zrevrange: {
    summary:
      "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    since: "1.2.0",
    group: GROUP,
    complexity: RANGE_COMPLEXITY,
    deprecated: {
      since: "6.2.0",
      replacedBy: "`ZRANGE` with the `REV` argument",
    },
    arguments: [
      KEY_ARG,
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
      WITHSCORES_ARG,
    ],
  },
  zrangebyscore: {
    summary: "Return a range of members in a sorted set, by score",
    since: "1.0.5",
    group: GROUP,
    complexity: RANGE_BY_COMPLEXITY,
    deprecated: {
      since: "6.2.0",
      replacedBy: "`ZRANGE` with the `BYSCORE` argument",
    },
    history: [["2.0.0", "Added the `WITHSCORES` modifier."]],
    arguments: [
      KEY_ARG,
      ...SCORE_MIN_MAX,
      since("2.0.0", WITHSCORES_ARG),
      LIMIT_ARG,
    ],
  },
  zrevrangebyscore: {
    summary:
      "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    since: "2.2.0",
    group: GROUP,
    complexity: RANGE_BY_COMPLEXITY,
    deprecated: {
      since: "6.2.0",
      replacedBy: "`ZRANGE` with the `REV` and `BYSCORE` arguments",
    },
    history: [["2.1.6", "`min` and `max` can be exclusive."]],
    arguments: [
      KEY_ARG,
      { name: "max", type: "double" },
      { name: "min", type: "double" },
      WITHSCORES_ARG,
      LIMIT_ARG,
    ],
  },
  zrangebylex: {
    summary:
      "Return a range of members in a sorted set, by lexicographical range",
    since: "2.8.9",
    group: GROUP,
    complexity: RANGE_BY_COMPLEXITY,
    deprecated: {
      since: "6.2.0",
      replacedBy: "`ZRANGE` with the `BYLEX` argument",
    },
    arguments: [KEY_ARG, ...LEX_MIN_MAX, LIMIT_ARG],
  },
  zrevrangebylex: {
    summary:
      "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    since: "2.8.9",
    group: GROUP,
    complexity: RANGE_BY_COMPLEXITY,
    deprecated: {
      since: "6.2.0",
      replacedBy: "`ZRANGE` with the `REV` and `BYLEX` arguments",
    },
    arguments: [
      KEY_ARG,
      { name: "max", type: "string" },
      { name: "min", type: "string" },
      LIMIT_ARG,
    ],
  },
  zcount: {
    summary:
      "Count the members in a sorted set with scores within the given values",
    since: "2.0.0",
    group: GROUP,
    complexity: COUNT_COMPLEXITY,
    arguments: [KEY_ARG, ...SCORE_MIN_MAX],
  },
  zlexcount: {
    summary:
      "Count the number of members in a sorted set between a given lexicographical range",
    since: "2.8.9",
    group: GROUP,
    complexity: COUNT_COMPLEXITY,
    arguments: [KEY_ARG, ...LEX_MIN_MAX],
  },
  zremrangebyrank: {
    summary: "Remove all members in a sorted set within the given indexes",
    since: "2.0.0",
    group: GROUP,
    complexity: REMOVE_COMPLEXITY,
    arguments: [
      KEY_ARG,
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
  },
  zremrangebyscore: {
    summary: "Remove all members in a sorted set within the given scores",
    since: "1.2.0",
    group: GROUP,
    complexity: REMOVE_COMPLEXITY,
    arguments: [KEY_ARG, ...SCORE_MIN_MAX],
  },
  zremrangebylex: {
    summary:
      "Remove all members in a sorted set between the given lexicographical range",
    since: "2.8.9",
    group: GROUP,
    complexity: REMOVE_COMPLEXITY,
    arguments: [KEY_ARG, ...LEX_MIN_MAX],
  },
} satisfies Record<string, CommandDocs>;
