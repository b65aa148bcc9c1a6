/**
 * HRANDFIELD key [count [WITHVALUES]]: fields picked at random, with their
 * values if asked. Without a count, one field (nil for a missing key).
 * With one, an array, following Redis's cases (t_hash.c,
 * `hrandfieldWithCountCommand`):
 *
 * - a negative count: that many picks, each on its own, so a field may
 *   come more than once (`HRANDFIELD h -5` on a hash of one field answers
 *   it five times);
 * - a positive count: different fields, as many as asked and the hash
 *   has; all of them, in the hash's order, when it has no more.
 *
 * WITHVALUES puts each field's value after it: flat in RESP2, and in
 * RESP3 as a pair per field, `[[field, value], ...]`.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, bulk, error, NULL, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import type { Protocol } from "../protocol/reply.ts";
import type { RedisHash } from "../types/hash.ts";
import { isWrongType, readHash } from "./typed-lookup.ts";
import { HASH_DOCS } from "./docs/hash-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

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

// #region hrandfield
export const hrandfield: CommandSpec = {
  name: "hrandfield",
  arity: -2,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@hash", "@slow"],
  tips: ["nondeterministic_output"],
  docs: HASH_DOCS.hrandfield,
  run(args, { session }) {
    if (args.length === 2) {
      const hash = readHash(session.db, byteString(args[1]!));
      if (isWrongType(hash)) return hash;
      return hash === undefined ? NULL : bulk(hash.randomEntry()[0]);
    }
    // The count and the option are read before the key is looked at.
    const count = int64Argument(args[2]!);
    if (count === undefined) return NOT_AN_INTEGER;
    if (count < -LONG_MAX || count > LONG_MAX) {
      return error(
        `ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`,
      );
    }
    if (
      args.length > 4 ||
      (args.length === 4 && !isKeyword(args[3]!, "withvalues"))
    ) {
      return SYNTAX_ERROR;
    }
    const withValues = args.length === 4;
    // Twice as many replies with the values: Redis keeps the count within
    // half of LONG_MAX, so that doubling it cannot overflow.
    if (withValues && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
      return error("ERR value is out of range");
    }
    const hash = readHash(session.db, byteString(args[1]!));
    if (isWrongType(hash)) return hash;
    if (hash === undefined || count === 0n) return EMPTY_ARRAY;
    const picked = pick(hash, count);
    if (picked === undefined) {
      return error(
        `ERR value is out of range, this server picks at most ${MAX_REPEATED_PICKS} fields with repeats`,
      );
    }
    return reply(picked, withValues, session.protocol);
  },
};

/**
 * The pairs for a count (not 0), by Redis's cases; undefined for more
 * picks with repeats than this server makes (MAX_REPEATED_PICKS).
 */
function pick(
  hash: RedisHash,
  count: bigint,
): [field: string, value: string][] | undefined {
  // One field is one pick, whether repeats are allowed or not.
  if (count < 0n || count === 1n) {
    const picks = count < 0n ? -count : count;
    if (picks > MAX_REPEATED_PICKS) return undefined;
    return hash.randomEntries(Number(picks));
  }
  if (count >= BigInt(hash.size)) return [...hash.entries()];
  return hash.distinctRandomEntries(Number(count));
}

/** The picked pairs as HRANDFIELD answers them. */
function reply(
  picked: readonly [string, string][],
  withValues: boolean,
  protocol: Protocol,
): Reply {
  if (!withValues) return array(picked.map(([field]) => bulk(field)));
  if (protocol === 3) {
    return array(
      picked.map(([field, value]) => array([bulk(field), bulk(value)])),
    );
  }
  return array(picked.flatMap(([field, value]) => [bulk(field), bulk(value)]));
}
// #endregion hrandfield

export const HASH_RANDOM_COMMANDS: readonly CommandSpec[] = [hrandfield];
