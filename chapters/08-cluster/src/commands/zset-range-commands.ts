/**
 * ZRANGE and everything it grew out of: a slice of a sorted set by rank,
 * by score or by member, ascending or reversed, cut by LIMIT, with or
 * without the scores. Redis 6.2 folded ZREVRANGE, ZRANGEBYSCORE,
 * ZREVRANGEBYSCORE, ZRANGEBYLEX and ZREVRANGEBYLEX into ZRANGE's options,
 * and added ZRANGESTORE, which keeps the slice in a key instead of
 * answering it. The old commands stay, as ZRANGE with some options fixed.
 *
 * All of them run through one function in Redis (`zrangeGenericCommand`)
 * and here too: read the words into a request (zset-ranges.ts), look the
 * key up, walk the slice, then hand the members to whoever wants them,
 * the client's reply or a new sorted set. ZCOUNT and ZLEXCOUNT, here
 * too, count a slice; the ZREMRANGEBY* commands, which delete one, are
 * in zset-remove-range-commands.ts.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, integer, type Reply } from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import {
  RedisSortedSet,
  type ScoredMember,
  type SortedSetLimits,
} from "../types/sorted-set.ts";
import { isWrongType, readSortedSet } from "./typed-lookup.ts";
import {
  lexRangeArguments,
  NOT_A_FLOAT_RANGE,
  NOT_A_LEX_RANGE,
  rangeRequest,
  ranksWithin,
  scoreRangeArguments,
  type RangeForm,
  type Selection,
  type RangeRequest,
} from "./zset-ranges.ts";
import { scoredMembersReply } from "./zset-replies.ts";
import { ZSET_REMOVE_RANGE_COMMANDS } from "./zset-remove-range-commands.ts";
import { ZSET_RANGE_DOCS } from "./docs/zset-range-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

const EMPTY_ARRAY = array([]);

// #region range-walk
/**
 * The members `request` selects from `set`, in the order they are
 * answered, one at a time: ZRANGE's walk. Nothing is copied, so a LIMIT
 * stops the work where it stops the answer.
 */
function* selectedMembers(
  set: RedisSortedSet,
  request: RangeRequest,
): IterableIterator<ScoredMember> {
  const { selection, reverse } = request;
  if (selection.by === "rank") {
    const ranks = ranksWithin(selection.start, selection.stop, set.size);
    if (ranks === undefined) return;
    yield* set.byRank(ranks.start, ranks.stop, reverse);
    return;
  }
  // LIMIT's offset is stepped over by the walk itself, as Redis steps:
  // past the end, or negative (from -1, Redis steps until the members
  // run out), it selects nothing. A negative count takes them all.
  const { offset, count } = request;
  if (offset < 0 || offset >= set.size) return;
  const inRange =
    selection.by === "score"
      ? set.byScore(selection.range, reverse, offset)
      : set.byLex(selection.range, reverse, offset);
  let taken = 0;
  for (const member of inRange) {
    if (taken === count) return;
    yield member;
    taken += 1;
  }
}
// #endregion range-walk

// #region range-store
/**
 * ZRANGESTORE's end of the walk: the members go into a new sorted set,
 * made as Redis makes it. A slice by rank knows its length before the
 * walk: longer than `zset-max-listpack-entries`, it starts as a skiplist.
 * Any other starts as a listpack that turns into a skiplist when the
 * members outgrow it (as ZADD's would). Which matters for a score of -0,
 * whose sign a listpack forgets. The set replaces the destination, time
 * to live included; an empty one deletes it instead, since an empty
 * sorted set is never stored. Answers how many members were stored.
 */
function storeMembers(
  db: Database,
  destination: string,
  selection: Selection,
  members: Iterable<ScoredMember>,
  limits: SortedSetLimits,
): Reply {
  const slice = [...members];
  const knownTooLong =
    selection.by === "rank" && slice.length > limits.zsetMaxListpackEntries;
  const stored = new RedisSortedSet(knownTooLong ? "skiplist" : "listpack");
  for (const [member, score] of slice) stored.add(member, score, limits);
  if (stored.size === 0) {
    db.delete(destination);
    return integer(0);
  }
  db.set(destination, stored);
  return integer(stored.size);
}
// #endregion range-store

// #region zrange
/**
 * A command that answers a slice: ZRANGE, and the old forms that settle
 * some of its options. The key is looked up after the words are read; a
 * missing key is an empty array, whatever the request.
 */
function rangeCommand(
  name:
    | "zrange"
    | "zrevrange"
    | "zrangebyscore"
    | "zrevrangebyscore"
    | "zrangebylex"
    | "zrevrangebylex",
  form: RangeForm,
): CommandSpec {
  return {
    name,
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    categories: ["@read", "@sortedset", "@slow"],
    docs: ZSET_RANGE_DOCS[name],
    run(args, { session }) {
      const request = rangeRequest(args, 1, form);
      if ("type" in request) return request;
      const set = readSortedSet(session.db, byteString(args[1]!));
      if (isWrongType(set)) return set;
      if (set === undefined) return EMPTY_ARRAY;
      return scoredMembersReply(
        selectedMembers(set, request),
        request.withScores,
        session.protocol,
      );
    },
  };
}

/**
 * ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]:
 * ZRANGE's slice of `src`, stored at `dst`. The source is read as ZRANGE
 * reads it; a missing one is an empty slice, which deletes `dst`. Logged
 * to the AOF as it is, when it changed something: replayed, it finds the
 * same source and stores the same slice.
 */
export const zrangestore: CommandSpec = {
  name: "zrangestore",
  arity: -5,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 2, step: 1 },
  categories: ["@write", "@sortedset", "@slow"],
  docs: ZSET_RANGE_DOCS.zrangestore,
  run(args, context) {
    const { db } = context.session;
    const request = rangeRequest(args, 2, { store: true });
    if ("type" in request) return request;
    const source = readSortedSet(db, byteString(args[2]!));
    if (isWrongType(source)) return source;
    const members =
      source === undefined ? [] : selectedMembers(source, request);
    return storeMembers(
      db,
      byteString(args[1]!),
      request.selection,
      members,
      context.server.config,
    );
  },
};
// #endregion zrange

// #region zcount
/**
 * ZCOUNT key min max and ZLEXCOUNT key min max: how many members a score
 * or member range holds; 0 for a missing key. The range is read first.
 */
export const zcount: CommandSpec = {
  name: "zcount",
  arity: 4,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@sortedset", "@fast"],
  docs: ZSET_RANGE_DOCS.zcount,
  run(args, { session }) {
    const range = scoreRangeArguments(args[2]!, args[3]!);
    if (range === undefined) return NOT_A_FLOAT_RANGE;
    const set = readSortedSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    return integer(set?.countByScore(range) ?? 0);
  },
};

export const zlexcount: CommandSpec = {
  name: "zlexcount",
  arity: 4,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@sortedset", "@fast"],
  docs: ZSET_RANGE_DOCS.zlexcount,
  run(args, { session }) {
    const range = lexRangeArguments(args[2]!, args[3]!);
    if (range === undefined) return NOT_A_LEX_RANGE;
    const set = readSortedSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    return integer(set?.countByLex(range) ?? 0);
  },
};
// #endregion zcount

/** Every command that reads, stores, counts or removes a slice of a sorted set. */
export const ZSET_RANGE_COMMANDS: readonly CommandSpec[] = [
  rangeCommand("zrange", {}),
  rangeCommand("zrevrange", { by: "rank", reverse: true }),
  rangeCommand("zrangebyscore", { by: "score", reverse: false }),
  rangeCommand("zrevrangebyscore", { by: "score", reverse: true }),
  rangeCommand("zrangebylex", { by: "lex", reverse: false }),
  rangeCommand("zrevrangebylex", { by: "lex", reverse: true }),
  zrangestore,
  zcount,
  zlexcount,
  ...ZSET_REMOVE_RANGE_COMMANDS,
];
