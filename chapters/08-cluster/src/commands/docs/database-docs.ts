/**
 * What COMMAND DOCS tells clients about the whole-database commands:
 * summaries, versions, complexity, history and arguments, as Redis 7.0
 * documents them (redis-cli shows them as hints while you type). Data only,
 * kept apart from database-commands.ts so that the commands' code reads on
 * its own.
 */
import type { ArgumentDoc, CommandDocs } from "../../dispatch/command-spec.ts";

const SERVER_GROUP = "server";

const FLUSH_ARGUMENTS: readonly ArgumentDoc[] = [
  {
    name: "async", // (sic: Redis 7.0 names the choice after its first option)
    type: "oneof",
    optional: true,
    arguments: [
      { name: "async", type: "pure-token", token: "ASYNC", since: "4.0.0" },
      { name: "sync", type: "pure-token", token: "SYNC", since: "6.2.0" },
    ],
  },
];

/** FLUSHALL's docs are FLUSHDB's, but for the summary and complexity. */
const FLUSHDB_DOCS = {
  summary: "Remove all keys from the current database",
  since: "1.0.0",
  group: SERVER_GROUP,
  complexity: "O(N) where N is the number of keys in the selected database",
  history: [
    ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
    ["6.2.0", "Added the `SYNC` flushing mode modifier."],
  ],
  arguments: FLUSH_ARGUMENTS,
} satisfies CommandDocs;

export const DATABASE_DOCS = {
  dbsize: {
    summary: "Return the number of keys in the selected database",
    since: "1.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  flushdb: FLUSHDB_DOCS,
  flushall: {
    ...FLUSHDB_DOCS,
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
  },
  swapdb: {
    summary: "Swaps two Redis databases",
    since: "4.0.0",
    group: SERVER_GROUP,
    complexity:
      "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    arguments: [
      { name: "index1", type: "integer" },
      { name: "index2", type: "integer" },
    ],
  },
} satisfies Record<string, CommandDocs>;
