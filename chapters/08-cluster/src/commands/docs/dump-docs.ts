/**
 * What COMMAND DOCS tells clients about DUMP, RESTORE and RESTORE-ASKING,
 * as Redis 7.0 documents them. Data only, kept apart from
 * dump-commands.ts so that the commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const RESTORE_COMPLEXITY =
  "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).";

const RESTORE_HISTORY = [
  ["3.0.0", "Added the `REPLACE` modifier."],
  ["5.0.0", "Added the `ABSTTL` modifier."],
  ["5.0.0", "Added the `IDLETIME` and `FREQ` options."],
] as const;

const RESTORE_ARGUMENTS = [
  { name: "key", type: "key" },
  { name: "ttl", type: "integer" },
  { name: "serialized-value", type: "string" },
  {
    name: "replace",
    type: "pure-token",
    token: "REPLACE",
    since: "3.0.0",
    optional: true,
  },
  {
    name: "absttl",
    type: "pure-token",
    token: "ABSTTL",
    since: "5.0.0",
    optional: true,
  },
  {
    name: "seconds",
    type: "integer",
    token: "IDLETIME",
    since: "5.0.0",
    optional: true,
  },
  {
    name: "frequency",
    type: "integer",
    token: "FREQ",
    since: "5.0.0",
    optional: true,
  },
] as const;

export const DUMP_DOCS = {
  dump: {
    summary:
      "Return a serialized version of the value stored at the specified key.",
    since: "2.6.0",
    group: "generic",
    complexity:
      "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
    arguments: [{ name: "key", type: "key" }],
  },
  restore: {
    summary:
      "Create a key using the provided serialized value, previously obtained using DUMP.",
    since: "2.6.0",
    group: "generic",
    complexity: RESTORE_COMPLEXITY,
    history: RESTORE_HISTORY,
    arguments: RESTORE_ARGUMENTS,
  },
  "restore-asking": {
    summary: "An internal command for migrating keys in a cluster",
    since: "3.0.0",
    group: "server",
    complexity: RESTORE_COMPLEXITY,
    syscmd: true,
    history: RESTORE_HISTORY,
    arguments: RESTORE_ARGUMENTS,
  },
} as const satisfies Record<string, CommandDocs>;
