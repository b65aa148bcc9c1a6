/**
 * What COMMAND DOCS tells clients about APPEND, STRLEN, GETRANGE, SUBSTR
 * and SETRANGE: summaries, versions, complexity, history and arguments, as
 * Redis 7.0 documents them (redis-cli shows them as hints while you type).
 * Data only, kept apart from string-range-commands.ts so that the
 * commands' code reads on its own.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

const GROUP = "string";

const KEY_ARG = { name: "key", type: "key" } as const;

const VALUE_ARG = { name: "value", type: "string" } as const;

/** GETRANGE's, and SUBSTR's: the same command under two names. */
const RANGE_COMPLEXITY =
  "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.";

const RANGE_ARGS = [
  KEY_ARG,
  { name: "start", type: "integer" },
  { name: "end", type: "integer" },
] as const;

export const STRING_RANGE_DOCS = {
  append: {
    summary: "Append a value to a key",
    since: "2.0.0",
    group: GROUP,
    complexity:
      "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
    arguments: [KEY_ARG, VALUE_ARG],
  },
  strlen: {
    summary: "Get the length of the value stored in a key",
    since: "2.2.0",
    group: GROUP,
    complexity: "O(1)",
    arguments: [KEY_ARG],
  },
  getrange: {
    summary: "Get a substring of the string stored at a key",
    since: "2.4.0",
    group: GROUP,
    complexity: RANGE_COMPLEXITY,
    arguments: RANGE_ARGS,
  },
  substr: {
    summary: "Get a substring of the string stored at a key",
    since: "1.0.0",
    group: GROUP,
    complexity: RANGE_COMPLEXITY,
    deprecated: { since: "2.0.0", replacedBy: "`GETRANGE`" },
    arguments: RANGE_ARGS,
  },
  setrange: {
    summary:
      "Overwrite part of a string at key starting at the specified offset",
    since: "2.2.0",
    group: GROUP,
    complexity:
      "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
    arguments: [KEY_ARG, { name: "offset", type: "integer" }, VALUE_ARG],
  },
} satisfies Record<string, CommandDocs>;
