/**
 * The list commands that find elements by their value: LREM removes them,
 * LINSERT inserts next to one, LPOS says where they are. Each walks the
 * list from one end, and stops as soon as it has what it was asked for.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, error, integer, NULL, type Reply } from "../protocol/reply.ts";
import { byteString, isKeyword, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { INT64_MIN } from "../numbers/integers.ts";
import type { Quicklist } from "../types/quicklist.ts";
import { getList, isWrongType, readList } from "./typed-lookup.ts";
import { atLeast, longArgument, toNumber } from "./list-arguments.ts";
import { LIST_DOCS } from "./docs/list-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;
const EMPTY_ARRAY = array([]);

// #region by-value
/**
 * The position (from the head) of the first element equal to `value`,
 * looking from the head or from the tail; -1 if there is none.
 */
function firstPosition(
  list: Quicklist,
  value: string,
  fromTail = false,
): number {
  const order = fromTail ? list.entriesFromTail() : list.entries();
  for (const [position, element] of order) {
    if (element === value) return position;
  }
  return -1;
}

/**
 * LREM key count element: removes elements equal to `element`, the first
 * `count` from the head (count > 0), the last -count from the tail
 * (count < 0), or all of them (0). Answers how many went.
 */
export const lrem: CommandSpec = {
  name: "lrem",
  arity: 4,
  flags: ["write"],
  keys: ONE_KEY,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.lrem,
  run(args, { session }) {
    const count = longArgument(args[2]!);
    if (typeof count !== "bigint") return count;
    const { db } = session;
    const key = byteString(args[1]!);
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) return integer(0);
    const value = byteString(args[3]!);
    const limit = toNumber(count);
    // Announced only if something will go: an LREM that removes nothing
    // changes nothing, and Redis does not log it. The look goes the way
    // the removal will, so it never walks further than the removal does.
    if (firstPosition(list, value, limit < 0) === -1) return integer(0);
    db.willModify(key);
    const removed = list.removeMatching(value, limit);
    if (list.length === 0) db.delete(key);
    return integer(removed);
  },
};

/**
 * LINSERT key BEFORE|AFTER pivot element: inserts next to the first
 * element equal to pivot, and answers the new length; -1 if there is no
 * such element, 0 if there is no list.
 */
export const linsert: CommandSpec = {
  name: "linsert",
  arity: 5,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.linsert,
  run(args, { session }) {
    let after: boolean;
    if (isKeyword(args[2]!, "after")) after = true;
    else if (isKeyword(args[2]!, "before")) after = false;
    else return SYNTAX_ERROR;
    const { db } = session;
    const key = byteString(args[1]!);
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) return integer(0);
    const pivot = firstPosition(list, byteString(args[3]!));
    if (pivot === -1) return integer(-1);
    db.willModify(key);
    list.insertAt(after ? pivot + 1 : pivot, byteString(args[4]!));
    return integer(list.length);
  },
};
// #endregion by-value

// #region lpos
interface LposOptions {
  /** Which match comes first: 1 the first, 2 the second, -1 the last... */
  rank: bigint;
  /** How many matches to answer (0: all); undefined without COUNT. */
  count: number | undefined;
  /** How many elements to look at (0: all). */
  maxlen: number;
}

/** LPOS's options, in any order; a later one overrides an earlier one. */
function lposOptions(args: Buffer[]): LposOptions | Reply {
  const options: LposOptions = { rank: 1n, count: undefined, maxlen: 0 };
  for (let i = 3; i < args.length; i++) {
    const option = args[i]!;
    const value = args[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (isKeyword(option, "rank")) {
      const rank = longArgument(value);
      if (typeof rank !== "bigint") return rank;
      if (rank === 0n) {
        return error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
      options.rank = rank;
    } else if (isKeyword(option, "count")) {
      const count = atLeast(value, 0n, "COUNT can't be negative");
      if (typeof count !== "bigint") return count;
      options.count = toNumber(count);
    } else if (isKeyword(option, "maxlen")) {
      const maxlen = atLeast(value, 0n, "MAXLEN can't be negative");
      if (typeof maxlen !== "bigint") return maxlen;
      options.maxlen = toNumber(maxlen);
    } else {
      return SYNTAX_ERROR;
    }
    i += 1;
  }
  return options;
}

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: where
 * `element` is, as an index from the head (what LINDEX takes), or nil;
 * with COUNT, an array of up to num-matches indexes. A negative RANK
 * searches from the tail. The options are checked before the key.
 */
export const lpos: CommandSpec = {
  name: "lpos",
  arity: -3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@list", "@slow"],
  docs: LIST_DOCS.lpos,
  run(args, { session }) {
    const options = lposOptions(args);
    if (!("rank" in options)) return options;
    const { rank, count, maxlen } = options;
    const list = readList(session.db, byteString(args[1]!));
    if (isWrongType(list)) return list;
    if (list === undefined) return count === undefined ? NULL : EMPTY_ARRAY;

    // RANK -2^63 cannot be negated in a C long: in Redis 7.0.15 it then
    // counts every match from the tail, and COUNT no longer stops it.
    const overflowed = rank === INT64_MIN;
    const skip = overflowed ? 0 : toNumber(rank < 0n ? -rank : rank) - 1;
    const wanted =
      count === undefined ? 1 : count === 0 || overflowed ? Infinity : count;
    const value = byteString(args[2]!);
    const found: number[] = [];
    let scanned = 0;
    let matches = 0;
    const order = rank < 0n ? list.entriesFromTail() : list.entries();
    for (const [position, element] of order) {
      if (maxlen !== 0 && scanned >= maxlen) break;
      scanned += 1;
      if (element !== value) continue;
      matches += 1;
      if (matches <= skip) continue;
      found.push(position);
      if (found.length >= wanted) break;
    }
    if (count !== undefined) return array(found.map((p) => integer(p)));
    return found.length === 0 ? NULL : integer(found[0]!);
  },
};
// #endregion lpos

export const LIST_SEARCH_COMMANDS: readonly CommandSpec[] = [
  lrem,
  linsert,
  lpos,
];
