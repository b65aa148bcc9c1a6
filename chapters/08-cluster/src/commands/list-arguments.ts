/**
 * What the list commands read first, the way Redis reads it: integers as a
 * C `long` (indexes and counts), each command with its own error texts.
 * Written for the list commands, and read the same way by the commands
 * of the other types that take counts: SPOP, ZPOPMIN, ZMPOP...
 */
import { error, type Reply } from "../protocol/reply.ts";
import { int64Argument, NOT_AN_INTEGER } from "../dispatch/arguments.ts";

// #region integer-arguments
/**
 * A C `long` argument, as Redis's `getLongFromObjectOrReply` reads it:
 * the integer, or the error reply for anything else.
 */
export function longArgument(arg: Buffer): bigint | Reply {
  return int64Argument(arg) ?? NOT_AN_INTEGER;
}

/**
 * An integer of at least `min`, as Redis's `getRangeLongFromObjectOrReply`
 * reads it when given a message: that one message answers both a
 * non-integer and an integer out of range (`LPOP l abc` is "must be
 * positive", like `LPOP l -1`).
 */
export function atLeast(
  arg: Buffer,
  min: bigint,
  message: string,
): bigint | Reply {
  const value = int64Argument(arg);
  return value === undefined || value < min ? error(`ERR ${message}`) : value;
}

/**
 * A 64-bit index or count as a JavaScript number. Beyond ±2^53 the exact
 * value does not matter: no list is that long, so clamping there changes
 * no answer, and the arithmetic that follows stays exact.
 */
export function toNumber(value: bigint): number {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (value > limit) return Number.MAX_SAFE_INTEGER;
  if (value < -limit) return -Number.MAX_SAFE_INTEGER;
  return Number(value);
}
// #endregion integer-arguments

/**
 * The count of a pop that takes one, LPOP, RPOP, SPOP, ZPOPMIN and
 * ZPOPMAX: from 0 up. Redis answers a negative count and one that is no
 * integer with the same words for all five.
 */
export function popCount(arg: Buffer): number | Reply {
  const count = atLeast(arg, 0n, "value is out of range, must be positive");
  return typeof count === "bigint" ? toNumber(count) : count;
}
