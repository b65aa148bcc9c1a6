/**
 * What COMMAND DOCS tells clients about SORT and SORT_RO, as Redis 7.0
 * documents them: the same arguments, but for STORE, which only SORT
 * has. Data only, kept apart from sort-command.ts.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const COMPLEXITY =
  "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

/** The arguments both commands take, in Redis's order. */
const READ_ARGS: readonly ArgumentDoc[] = [
  { name: "key", type: "key" },
  { name: "pattern", type: "pattern", token: "BY", optional: true },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
  {
    name: "pattern",
    type: "pattern",
    token: "GET",
    optional: true,
    multiple: true,
    multipleToken: true,
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  { name: "sorting", type: "pure-token", token: "ALPHA", optional: true },
];

export const SORT_DOCS = {
  sort: {
    summary: "Sort the elements in a list, set or sorted set",
    since: "1.0.0",
    group: "generic",
    complexity: COMPLEXITY,
    arguments: [
      ...READ_ARGS,
      { name: "destination", type: "key", token: "STORE", optional: true },
    ],
  },
  sort_ro: {
    summary:
      "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
    since: "7.0.0",
    group: "generic",
    complexity: COMPLEXITY,
    arguments: READ_ARGS,
  },
} satisfies Record<string, CommandDocs>;
