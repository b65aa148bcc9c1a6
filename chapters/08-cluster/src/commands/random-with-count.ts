/**
 * HRANDFIELD key [count [WITHVALUES]] and ZRANDMEMBER key [count
 * [WITHSCORES]]: one command twice. Redis 7.0 runs the same algorithm for
 * both (t_hash.c's `hrandfieldWithCountCommand`, t_zset.c's
 * `zrandmemberWithCountCommand`), with the same checks in the same order
 * and the same cases, on a value made of pairs: a field and its value, a
 * member and its score. So the algorithm is written once, here, and each
 * command says only what is its own (`RandomPickRules`): its word for the
 * pairs, its lookup, its order for a whole value, its reply.
 *
 * Without a count: the first half of one pair (nil for a missing key).
 * With one, an array:
 *
 * - a negative count: that many picks, each on its own, so a pair may
 *   come more than once (`HRANDFIELD h -5` on a hash of one field
 *   answers it five times);
 * - a positive count: different pairs, as many as asked and the value
 *   has; all of them, when it has no more.
 */
import type { Database } from "../keyspace/database.ts";
import type { Session } from "../dispatch/session.ts";
import {
  array,
  bulk,
  error,
  NULL,
  type Protocol,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { isWrongType, type WrongType } from "./typed-lookup.ts";

/** The largest C `long`: the count must lie within ±LONG_MAX. */
const LONG_MAX = 2n ** 63n - 1n;

/**
 * How many picks a negative count may ask for: a deliberate limit of this
 * server. Redis writes the picks into the client's output as it makes
 * them, so `HRANDFIELD h -1000000000` runs until it has sent them all (or
 * the machine runs out of memory); ours builds a reply whole before
 * sending it, and refuses one this big rather than stop the server.
 */
export const MAX_REPEATED_PICKS = 2 ** 20;

const EMPTY_ARRAY = array([]);

/** A pair of a value: what a pick without its second half answers comes first. */
type Pair = readonly [string, unknown];

/** What a value must offer to be picked from: a hash, a sorted set. */
export interface PickableValue<P extends Pair> {
  readonly size: number;
  randomEntry(): P;
  /** `count` pairs, each picked on its own: repeats happen. */
  randomEntries(count: number): P[];
  /** `count` different pairs (fewer than the value holds). */
  distinctRandomEntries(count: number): P[];
}

/** What one of the two commands does its own way. */
export interface RandomPickRules<V extends PickableValue<P>, P extends Pair> {
  /** The word after the count that asks for the second halves. */
  readonly pairsWord: "withvalues" | "withscores";
  /** What the first halves are called, in the error for too many picks. */
  readonly itemsName: "fields" | "members";
  /** The value at `key`, as the command reads it. */
  lookup(db: Database, key: string): V | undefined | WrongType;
  /** All of a value's pairs, in the order Redis answers a count that covers them. */
  everything(value: V): Iterable<P>;
  /** The picks as the command answers them, with or without their second halves. */
  reply(picked: readonly P[], withPairs: boolean, protocol: Protocol): Reply;
}

// #region random-with-count
/**
 * The whole command, run by `rules`. The checks come in Redis's order:
 * the count (an integer, within ±LONG_MAX), the word after it, the count
 * again with that word (within half of LONG_MAX, so that doubling it for
 * the second halves cannot overflow), and only then the key.
 */
export function randomPicks<V extends PickableValue<P>, P extends Pair>(
  args: Buffer[],
  session: Session,
  rules: RandomPickRules<V, P>,
): Reply {
  const key = byteString(args[1]!);
  if (args.length === 2) {
    const value = rules.lookup(session.db, key);
    if (isWrongType(value)) return value;
    return value === undefined ? NULL : bulk(value.randomEntry()[0]);
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
    (args.length === 4 && !isKeyword(args[3]!, rules.pairsWord))
  ) {
    return SYNTAX_ERROR;
  }
  const withPairs = args.length === 4;
  if (withPairs && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
    return error("ERR value is out of range");
  }
  const value = rules.lookup(session.db, key);
  if (isWrongType(value)) return value;
  if (value === undefined || count === 0n) return EMPTY_ARRAY;
  const picked = pick(value, count, rules);
  if (picked === undefined) {
    return error(
      `ERR value is out of range, this server picks at most ${MAX_REPEATED_PICKS} ${rules.itemsName} with repeats`,
    );
  }
  return rules.reply(picked, withPairs, session.protocol);
}

/**
 * The pairs for a count (not 0), by Redis's cases; undefined for more
 * picks with repeats than this server makes (MAX_REPEATED_PICKS).
 */
function pick<V extends PickableValue<P>, P extends Pair>(
  value: V,
  count: bigint,
  rules: RandomPickRules<V, P>,
): readonly P[] | undefined {
  // One pair is one pick, whether repeats are allowed or not.
  if (count < 0n || count === 1n) {
    const picks = count < 0n ? -count : count;
    if (picks > MAX_REPEATED_PICKS) return undefined;
    return value.randomEntries(Number(picks));
  }
  if (count >= BigInt(value.size)) return [...rules.everything(value)];
  return value.distinctRandomEntries(Number(count));
}
// #endregion random-with-count
