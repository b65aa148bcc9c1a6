/**
 * The commands that take members out of a sorted set by its ends: ZPOPMIN
 * and ZPOPMAX, from one key, and ZMPOP, from the first of several keys
 * that holds a sorted set. The pop itself (`popEnd`), the end words and
 * ZMPOP's reply are shared with the commands that wait for a member to
 * pop (blocking-zset-commands.ts); ZMPOP's arguments are read as LMPOP's
 * are (mpop-arguments.ts).
 *
 * The AOF records what a pop did, as Redis 7.0.15 propagates it: ZPOPMIN
 * and ZPOPMAX as they came (`zpopmin z 5` replays the same, however many
 * members the set held), and ZMPOP, whose keys and COUNT would replay
 * differently against another state, as the `ZPOPMIN key count` or
 * `ZPOPMAX key count` it amounted to: the key it popped, the number it
 * popped. A pop that takes nothing (a missing key, a count of 0) changes
 * nothing, and nothing is recorded.
 */
import { logAs, type CommandSpec } from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  double,
  NULL_ARRAY,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  isKeyword,
  keysAfterNumkeys,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import type { RedisSortedSet, ScoredMember } from "../types/sorted-set.ts";
import { getSortedSet, isWrongType } from "./typed-lookup.ts";
import { popCount } from "./list-arguments.ts";
import { parseMultiPop } from "./mpop-arguments.ts";
import { scoredMemberFlat, scoredMembersReply } from "./zset-replies.ts";
import { ZSET_POP_DOCS } from "./docs/zset-pop-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

const EMPTY_ARRAY = array([]);

// #region zset-ends
/** Which end of a sorted set a pop takes from: the lowest scores, or the highest. */
export type ZsetEnd = "min" | "max";

/** MIN or MAX, in any case; undefined for any other word. */
export function zsetEndOf(arg: Buffer): ZsetEnd | undefined {
  if (isKeyword(arg, "min")) return "min";
  if (isKeyword(arg, "max")) return "max";
  return undefined;
}

/** The command that replays a pop from `end`, in the AOF: Redis's own words, in capitals. */
export function popCommandName(end: ZsetEnd): string {
  return end === "min" ? "ZPOPMIN" : "ZPOPMAX";
}
// #endregion zset-ends

// #region pop-end
/**
 * Pops up to `count` members from one end of `set`, the sorted set stored
 * at `key`, and returns them with their scores in the order they came
 * off: the lowest score first from "min", the highest first from "max".
 * The key is deleted if that empties the set: an empty sorted set is
 * never stored. A count of 0 changes nothing.
 *
 * The one place a sorted-set pop happens: ZPOPMIN, ZPOPMAX, ZMPOP and,
 * at once or for a client that waited, BZPOPMIN, BZPOPMAX and BZMPOP.
 */
export function popEnd(
  db: Database,
  key: string,
  set: RedisSortedSet,
  end: ZsetEnd,
  count: number,
): ScoredMember[] {
  const taken = Math.min(count, set.size);
  if (taken === 0) return [];
  // Collected before the removal: the iterator reads the set as it goes.
  const popped = [...set.byRank(0, taken - 1, end === "max")];
  db.willModify(key);
  if (end === "min") set.deleteByRank(0, taken - 1);
  else set.deleteByRank(set.size - taken, set.size - 1);
  if (set.size === 0) db.delete(key);
  return popped;
}
// #endregion pop-end

// #region zpop
/**
 * ZPOPMIN and ZPOPMAX key [count]. Without a count: one member and its
 * score, flat (`[member, score]`) in both protocols, or an empty array
 * for a missing key. With a count: up to that many, as ZRANGE ...
 * WITHSCORES answers them, flat in RESP2 and in pairs in RESP3 (even
 * for one). The count is read before the key is looked at: `ZPOPMIN s
 * -1` is the count's error even when s is a string, but `ZPOPMIN s 0`
 * is WRONGTYPE.
 */
function zpop(name: "zpopmin" | "zpopmax", end: ZsetEnd): CommandSpec {
  return {
    name,
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    categories: ["@write", "@sortedset", "@fast"],
    docs: ZSET_POP_DOCS[name],
    run(args, context) {
      if (args.length > 3) return SYNTAX_ERROR;
      const count = args.length === 3 ? popCount(args[2]!) : undefined;
      if (count !== undefined && typeof count !== "number") return count;
      const { db } = context.session;
      const key = byteString(args[1]!);
      const set = getSortedSet(db, key);
      if (isWrongType(set)) return set;
      if (set === undefined) return EMPTY_ARRAY;
      const popped = popEnd(db, key, set, end, count ?? 1);
      if (count === undefined) return array(scoredMemberFlat(popped[0]!));
      return scoredMembersReply(popped, true, context.session.protocol);
    },
  };
}

export const zpopmin = zpop("zpopmin", "min");
export const zpopmax = zpop("zpopmax", "max");
// #endregion zpop

// #region zmpop
/**
 * ZMPOP's (and BZMPOP's) answer: the key popped, and its members with
 * their scores, each pair nested, in RESP2 too (`[key, [[member, score],
 * ...]]`), where ZPOPMIN's RESP2 reply is flat: the shape is the same in
 * both protocols, only the score's type differs.
 */
export function keyAndScoredMembers(
  key: string,
  popped: readonly ScoredMember[],
): Reply {
  return array([
    bulk(key),
    array(
      popped.map(([member, score]) => array([bulk(member), double(score)])),
    ),
  ]);
}

/**
 * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first
 * key that holds a sorted set, and answers [key, [[member, score], ...]];
 * a null array if no key does. A key of another kind stops the search
 * with WRONGTYPE.
 */
export const zmpop: CommandSpec = {
  name: "zmpop",
  arity: -4,
  flags: ["write", "movablekeys"],
  movableKeys: keysAfterNumkeys(1),
  categories: ["@write", "@sortedset", "@slow"],
  docs: ZSET_POP_DOCS.zmpop,
  run(args, context) {
    const request = parseMultiPop(args, 1, zsetEndOf);
    if (!("keys" in request)) return request;
    const { db } = context.session;
    for (const key of request.keys) {
      const set = getSortedSet(db, key);
      if (isWrongType(set)) return set;
      if (set === undefined) continue;
      const popped = popEnd(db, key, set, request.end, request.count);
      logAs(context, popCommandName(request.end), key, String(popped.length));
      return keyAndScoredMembers(key, popped);
    }
    return NULL_ARRAY;
  },
};
// #endregion zmpop

export const ZSET_POP_COMMANDS: readonly CommandSpec[] = [
  zpopmin,
  zpopmax,
  zmpop,
];
