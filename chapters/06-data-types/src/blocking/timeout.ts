/**
 * The timeout of BLPOP and its kin: seconds, as a float, 0 for "for ever".
 */
import { byteString } from "../dispatch/arguments.ts";
import { error, type Reply } from "../protocol/reply.ts";
import { parseLongDouble } from "../numbers/long-double.ts";

// #region timeout
/** When a blocked client gives up: wall-clock milliseconds, or `FOREVER`. */
export type BlockDeadline = number;

/** A timeout of 0: the client waits until it is served, unblocked or gone. */
export const FOREVER = Infinity;

const NOT_A_TIMEOUT = error("ERR timeout is not a float or out of range");
const NEGATIVE_TIMEOUT = error("ERR timeout is negative");

/** 2^63: a number of milliseconds C's `long long` cannot hold. */
const LONG_LONG_LIMIT = 2 ** 63;

/**
 * Reads a timeout in seconds and turns it into a deadline, as Redis 7.0
 * does: parsed as a long double (so `0x10` and `1e-3` are fine, `nan` and
 * ` 1` are not), multiplied by 1000 and rounded *up* to whole
 * milliseconds, so that `0.0001` waits a millisecond instead of becoming 0,
 * which would mean for ever. A product too big for a C `long long` wraps
 * to a negative number there, hence Redis's "negative" error for `inf`
 * or `1e16`; we give the same answer for the same inputs.
 *
 * (The product is computed in double precision, not in the long double
 * Redis uses: the two can differ by a millisecond, at most, on inputs
 * such as 0.001.)
 */
export function parseTimeout(arg: Buffer, now: number): BlockDeadline | Reply {
  const parsed = parseLongDouble(byteString(arg));
  if (parsed === undefined || parsed.kind === "nan") return NOT_A_TIMEOUT;
  let seconds: number;
  if (parsed.kind === "infinity") {
    seconds = parsed.negative ? -Infinity : Infinity;
  } else {
    const magnitude =
      Number(parsed.significand) * 2 ** Math.max(parsed.exponent, -1074);
    seconds = parsed.negative ? -magnitude : magnitude;
  }
  const milliseconds = Math.ceil(seconds * 1000);
  if (milliseconds < 0 || milliseconds >= LONG_LONG_LIMIT) {
    return NEGATIVE_TIMEOUT;
  }
  return milliseconds === 0 ? FOREVER : now + milliseconds;
}
// #endregion timeout
