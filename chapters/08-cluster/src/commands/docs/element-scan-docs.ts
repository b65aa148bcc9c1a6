/**
 * COMMAND DOCS of the scans over one value's elements (SSCAN; HSCAN and
 * ZSCAN are documented alike): Redis gives them the same complexity and
 * the same arguments, word for word, and only their summaries differ.
 */
import type { ArgumentDoc } from "../../dispatch/command-spec.ts";

export const ELEMENT_SCAN_COMPLEXITY =
  "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..";

/** `key cursor [MATCH pattern] [COUNT count]`. */
export const ELEMENT_SCAN_ARGUMENTS: readonly ArgumentDoc[] = [
  { name: "key", type: "key" },
  { name: "cursor", type: "integer" },
  { name: "pattern", type: "pattern", token: "MATCH", optional: true },
  { name: "count", type: "integer", token: "COUNT", optional: true },
];
