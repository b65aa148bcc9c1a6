/**
 * ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX: delete a slice
 * of a sorted set, named as ZRANGE names one (zset-ranges.ts reads it),
 * and answer how many members went. Redis runs the three through one
 * function, `zremrangeGenericCommand`, in three steps that we keep: read
 * the range, look the key up, delete.
 *
 * The set is changed where it lies, so the change is announced first
 * with `db.willModify(key)`, and only when a member will really go: a
 * slice that holds nothing changes nothing, and the AOF does not log it.
 * A command that did remove something is logged as it was given: the
 * same words remove the same members when the AOF is replayed.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { integer, type Reply } from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import type { RedisSortedSet } from "../types/sorted-set.ts";
import { getSortedSet, isWrongType } from "./typed-lookup.ts";
import { longArgument, toNumber } from "./list-arguments.ts";
import {
  lexRangeArguments,
  NOT_A_FLOAT_RANGE,
  NOT_A_LEX_RANGE,
  ranksWithin,
  scoreRangeArguments,
} from "./zset-ranges.ts";
import { ZSET_RANGE_DOCS } from "./docs/zset-range-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

/**
 * How a command removes its slice from a set, once it has read its
 * words: how many members the slice holds (counted before anything
 * changes), and the removal itself, which answers how many went.
 */
interface Removal {
  selected(set: RedisSortedSet): number;
  remove(set: RedisSortedSet): number;
}

// #region zremrange
/**
 * A ZREMRANGEBY* command, from the reading of its two range words into a
 * Removal (or the error Redis answers for them). The range is read before
 * the key is looked up, so a bad range is an error whatever the key
 * holds; a missing key then answers 0.
 */
function removingCommand(
  name: "zremrangebyrank" | "zremrangebyscore" | "zremrangebylex",
  removal: (first: Buffer, second: Buffer) => Removal | Reply,
): CommandSpec {
  return {
    name,
    arity: 4,
    flags: ["write"],
    keys: ONE_KEY,
    categories: ["@write", "@sortedset", "@slow"],
    docs: ZSET_RANGE_DOCS[name],
    run(args, { session }) {
      const slice = removal(args[2]!, args[3]!);
      if ("type" in slice) return slice;
      const key = byteString(args[1]!);
      const set = getSortedSet(session.db, key);
      if (isWrongType(set)) return set;
      if (set === undefined) return integer(0);
      return removeSlice(session.db, key, set, slice);
    },
  };
}

/**
 * Removes the slice, if it holds anything: announced first, and the set
 * deleted if its last member went.
 */
function removeSlice(
  db: Database,
  key: string,
  set: RedisSortedSet,
  slice: Removal,
): Reply {
  if (slice.selected(set) === 0) return integer(0);
  db.willModify(key);
  const removed = slice.remove(set);
  if (set.size === 0) db.delete(key);
  return integer(removed);
}
// #endregion zremrange

// #region zremrange-slices
/**
 * ZREMRANGEBYRANK key start stop: ranks as ZRANGE reads them, negative
 * ones from the end, made concrete against the set's size only once the
 * set is found.
 */
function byRank(first: Buffer, second: Buffer): Removal | Reply {
  const start = longArgument(first);
  if (typeof start !== "bigint") return start;
  const stop = longArgument(second);
  if (typeof stop !== "bigint") return stop;
  const ranksIn = (set: RedisSortedSet) =>
    ranksWithin(toNumber(start), toNumber(stop), set.size);
  return {
    selected(set) {
      const ranks = ranksIn(set);
      return ranks === undefined ? 0 : ranks.stop - ranks.start + 1;
    },
    remove(set) {
      const ranks = ranksIn(set);
      return ranks === undefined
        ? 0
        : set.deleteByRank(ranks.start, ranks.stop);
    },
  };
}

/** ZREMRANGEBYSCORE key min max: `(` excludes an end, as in ZRANGEBYSCORE. */
function byScore(min: Buffer, max: Buffer): Removal | Reply {
  const range = scoreRangeArguments(min, max);
  if (range === undefined) return NOT_A_FLOAT_RANGE;
  return {
    selected: (set) => set.countByScore(range),
    remove: (set) => set.deleteByScore(range),
  };
}

/** ZREMRANGEBYLEX key min max: `-`, `+`, `[member` or `(member`. */
function byLex(min: Buffer, max: Buffer): Removal | Reply {
  const range = lexRangeArguments(min, max);
  if (range === undefined) return NOT_A_LEX_RANGE;
  return {
    selected: (set) => set.countByLex(range),
    remove: (set) => set.deleteByLex(range),
  };
}
// #endregion zremrange-slices

export const ZSET_REMOVE_RANGE_COMMANDS: readonly CommandSpec[] = [
  removingCommand("zremrangebyrank", byRank),
  removingCommand("zremrangebyscore", byScore),
  removingCommand("zremrangebylex", byLex),
];
