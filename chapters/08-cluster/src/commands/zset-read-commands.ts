/**
 * The sorted-set commands that read member by member: ZCARD, ZSCORE,
 * ZMSCORE, ZRANK, ZREVRANK, and ZSCAN, which walks a sorted set by a
 * cursor. They change nothing; the writes are in zset-commands.ts.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, integer, NULL } from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import { formatDouble } from "../protocol/double-text.ts";
import { isWrongType, readSortedSet } from "./typed-lookup.ts";
import { scanValue } from "./element-scan.ts";
import { scoreOrNil } from "./zset-replies.ts";
import { ZSET_DOCS } from "./docs/zset-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

// #region reads
/** ZCARD key: how many members; 0 for a missing key. */
export const zcard: CommandSpec = {
  name: "zcard",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@sortedset", "@fast"],
  docs: ZSET_DOCS.zcard,
  run(args, { session }) {
    const zset = readSortedSet(session.db, byteString(args[1]!));
    if (isWrongType(zset)) return zset;
    return integer(zset?.size ?? 0);
  },
};

/** ZSCORE key member: the member's score, a double; nil if it is not there. */
export const zscore: CommandSpec = {
  name: "zscore",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@sortedset", "@fast"],
  docs: ZSET_DOCS.zscore,
  run(args, { session }) {
    const zset = readSortedSet(session.db, byteString(args[1]!));
    if (isWrongType(zset)) return zset;
    return scoreOrNil(zset?.score(byteString(args[2]!)));
  },
};

/**
 * ZMSCORE key member [member ...]: ZSCORE for each member, as an array
 * with nil for the ones not there (all of them, for a missing key).
 */
export const zmscore: CommandSpec = {
  name: "zmscore",
  arity: -3,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@sortedset", "@fast"],
  docs: ZSET_DOCS.zmscore,
  run(args, { session }) {
    const zset = readSortedSet(session.db, byteString(args[1]!));
    if (isWrongType(zset)) return zset;
    return array(
      args
        .slice(2)
        .map((member) => scoreOrNil(zset?.score(byteString(member)))),
    );
  },
};

/**
 * ZRANK and ZREVRANK key member: the member's place, from 0, counted
 * from the lowest score, or from the highest; nil if it is not there.
 * (Redis 7.2 adds WITHSCORE; in 7.0 a third argument is an arity error.)
 */
function rankCommand(name: "zrank" | "zrevrank"): CommandSpec {
  return {
    name,
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    categories: ["@read", "@sortedset", "@fast"],
    docs: ZSET_DOCS[name],
    run(args, { session }) {
      const zset = readSortedSet(session.db, byteString(args[1]!));
      if (isWrongType(zset)) return zset;
      const rank = zset?.rank(byteString(args[2]!));
      if (zset === undefined || rank === undefined) return NULL;
      return integer(name === "zrank" ? rank : zset.size - 1 - rank);
    },
  };
}

export const zrank = rankCommand("zrank");
export const zrevrank = rankCommand("zrevrank");
// #endregion reads

// #region zscan
/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]: SCAN over one sorted
 * set, read as SSCAN and HSCAN are (element-scan.ts). A listpack answers
 * whole, in order, with cursor 0; a skiplist is walked by the cursor of
 * its member-to-score table. Each member comes with its score as text,
 * flat, in RESP3 too: Redis sends a scan's scores as bulk strings, not
 * doubles. MATCH looks at the members only.
 */
export const zscan: CommandSpec = {
  name: "zscan",
  arity: -3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@sortedset", "@slow"],
  tips: ["nondeterministic_output"],
  docs: ZSET_DOCS.zscan,
  run: (args, { session }) =>
    scanValue(
      args,
      (key) => readSortedSet(session.db, key),
      (zset, cursor, found) => {
        const text =
          zset.encoding === "listpack" ? listpackScoreText : formatDouble;
        return zset.scan(cursor, (member, score) =>
          found.push(member, text(score)),
        );
      },
      2,
    ),
};

/** 2^62: Redis's listpack stores a whole score up to this size as an integer. */
const LISTPACK_INTEGER_LIMIT = 2 ** 62;

/**
 * A score as ZSCAN of a listpack writes it: the text Redis's listpack
 * holds, which ZSCAN copies out as it is. A whole number up to 2^62 in
 * size is stored as an integer (`double2ll`), so `1e17` comes back as
 * `100000000000000000`, and -0 as `0`; any other score as `%.17g`, as
 * everywhere else (ZSCAN of a skiplist writes `1e+17`).
 */
function listpackScoreText(score: number): string {
  return Number.isInteger(score) && Math.abs(score) <= LISTPACK_INTEGER_LIMIT
    ? BigInt(score).toString()
    : formatDouble(score);
}
// #endregion zscan

/** The sorted-set commands of this file. */
export const ZSET_READ_COMMANDS: readonly CommandSpec[] = [
  zcard,
  zscore,
  zmscore,
  zrank,
  zrevrank,
  zscan,
];
