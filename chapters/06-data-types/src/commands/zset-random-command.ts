/**
 * ZRANDMEMBER key [count [WITHSCORES]]: members picked at random, with
 * their scores if asked, left in the set. HRANDFIELD's rules
 * (hash-random-command.ts), which Redis 7.0 follows here too
 * (`zrandmemberWithCountCommand` in t_zset.c). Without a count, one
 * member (nil for a missing key). With one, an array:
 *
 * - a negative count: that many picks, each on its own, so a member may
 *   come more than once (`ZRANDMEMBER z -5` on a set of one member
 *   answers it five times);
 * - a positive count: different members, as many as asked and the set
 *   has; all of them when it has no more, from the highest score down,
 *   the order in which Redis walks a sorted set to copy it whole.
 *
 * WITHSCORES puts each member's score after it: flat in RESP2, and in
 * RESP3 as a pair per member, `[[member, score], ...]`, the score a
 * double.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, bulk, error, NULL } from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import type { RedisSortedSet, ScoredMember } from "../types/sorted-set.ts";
import { isWrongType, readSortedSet } from "./typed-lookup.ts";
import { MAX_REPEATED_PICKS } from "./hash-random-command.ts";
import { scoredMembersReply } from "./zset-replies.ts";
import { ZSET_POP_DOCS } from "./docs/zset-pop-docs.ts";

/** The largest C `long`: the count must lie within ±LONG_MAX. */
const LONG_MAX = 2n ** 63n - 1n;

const EMPTY_ARRAY = array([]);

// #region zrandmember
/**
 * The checks come in HRANDFIELD's order: the count (an integer, within
 * ±LONG_MAX), the word after it, the count again with WITHSCORES (within
 * half of that, so that doubling it for the scores cannot overflow), and
 * only then the key. A count of more picks with repeats than
 * MAX_REPEATED_PICKS is refused: the limit this server shares with
 * HRANDFIELD and SRANDMEMBER, where Redis would go on until it ran out
 * of memory.
 */
export const zrandmember: CommandSpec = {
  name: "zrandmember",
  arity: -2,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  categories: ["@read", "@sortedset", "@slow"],
  tips: ["nondeterministic_output"],
  docs: ZSET_POP_DOCS.zrandmember,
  run(args, { session }) {
    if (args.length === 2) {
      const set = readSortedSet(session.db, byteString(args[1]!));
      if (isWrongType(set)) return set;
      return set === undefined ? NULL : bulk(set.randomEntry()[0]);
    }
    const count = int64Argument(args[2]!);
    if (count === undefined) return NOT_AN_INTEGER;
    if (count < -LONG_MAX || count > LONG_MAX) {
      return error(
        `ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`,
      );
    }
    if (
      args.length > 4 ||
      (args.length === 4 && !isKeyword(args[3]!, "withscores"))
    ) {
      return SYNTAX_ERROR;
    }
    const withScores = args.length === 4;
    if (withScores && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
      return error("ERR value is out of range");
    }
    const set = readSortedSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    if (set === undefined || count === 0n) return EMPTY_ARRAY;
    const picked = pick(set, count);
    if (picked === undefined) {
      return error(
        `ERR value is out of range, this server picks at most ${MAX_REPEATED_PICKS} members with repeats`,
      );
    }
    return scoredMembersReply(picked, withScores, session.protocol);
  },
};

/**
 * The members for a count (not 0), by Redis's cases; undefined for more
 * picks with repeats than this server makes (MAX_REPEATED_PICKS).
 */
function pick(
  set: RedisSortedSet,
  count: bigint,
): readonly ScoredMember[] | undefined {
  // One member is one pick, whether repeats are allowed or not.
  if (count < 0n || count === 1n) {
    const picks = count < 0n ? -count : count;
    if (picks > MAX_REPEATED_PICKS) return undefined;
    return set.randomEntries(Number(picks));
  }
  if (count >= BigInt(set.size)) return [...set.byRank(0, set.size - 1, true)];
  return set.distinctRandomEntries(Number(count));
}
// #endregion zrandmember

export const ZSET_RANDOM_COMMANDS: readonly CommandSpec[] = [zrandmember];
