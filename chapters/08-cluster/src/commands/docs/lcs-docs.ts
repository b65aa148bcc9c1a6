/**
 * What COMMAND DOCS tells clients about LCS, as Redis 7.0 documents it
 * (two of its arguments are both named "len": LEN and MINMATCHLEN's
 * number, as Redis has them). Data only, kept apart from lcs-command.ts.
 */
import type { CommandDocs } from "../../dispatch/command-spec.ts";

export const LCS_DOCS = {
  lcs: {
    summary: "Find longest common substring",
    since: "7.0.0",
    group: "string",
    complexity:
      "O(N*M) where N and M are the lengths of s1 and s2, respectively",
    arguments: [
      { name: "key1", type: "key" },
      { name: "key2", type: "key" },
      { name: "len", type: "pure-token", token: "LEN", optional: true },
      { name: "idx", type: "pure-token", token: "IDX", optional: true },
      {
        name: "len",
        type: "integer",
        token: "MINMATCHLEN",
        optional: true,
      },
      {
        name: "withmatchlen",
        type: "pure-token",
        token: "WITHMATCHLEN",
        optional: true,
      },
    ],
  },
} satisfies Record<string, CommandDocs>;
