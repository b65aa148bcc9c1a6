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
const LONG_LONG_LIMIT = 2n ** 63n;

/** Bits in a long double's significand: its products are rounded to these. */
const SIGNIFICAND_BITS = 64;

/**
 * Reads a timeout in seconds and turns it into a deadline, as Redis 7.0
 * does: parsed as a long double (so `0x10` and `1e-3` are fine, `nan` and
 * ` 1` are not), multiplied by 1000 and rounded *up* to whole
 * milliseconds, so that `0.0001` waits a millisecond instead of becoming 0,
 * which would mean for ever. A product too big for a C `long long` wraps
 * to a negative number there, hence Redis's "negative" error for `inf`
 * or `1e16`; we give the same answer for the same inputs, up to the last
 * millisecond below 2^63, by doing the long double's arithmetic exactly.
 */
export function parseTimeout(arg: Buffer, now: number): BlockDeadline | Reply {
  const parsed = parseLongDouble(byteString(arg));
  if (parsed === undefined || parsed.kind === "nan") return NOT_A_TIMEOUT;
  if (parsed.kind === "infinity") return NEGATIVE_TIMEOUT;
  const { significand, exponent, negative } = parsed;
  // ceil(-x) is -floor(x): a negative timeout is an error unless it
  // rounds up to zero (`-0.0001`), which means for ever, as in Redis.
  const milliseconds = negative
    ? -roundedProduct(significand, exponent, "down")
    : roundedProduct(significand, exponent, "up");
  if (milliseconds < 0n || milliseconds >= LONG_LONG_LIMIT) {
    return NEGATIVE_TIMEOUT;
  }
  return milliseconds === 0n ? FOREVER : now + Number(milliseconds);
}

/**
 * `significand × 2^exponent × 1000`, rounded to a long double's 64 bits
 * (to nearest, ties to even, as the x87 multiplies), then to a whole
 * number, up or down.
 */
function roundedProduct(
  significand: bigint,
  exponent: number,
  direction: "up" | "down",
): bigint {
  let product = significand * 1000n;
  let scale = exponent;
  const excess = product.toString(2).length - SIGNIFICAND_BITS;
  if (excess > 0) {
    const unit = 1n << BigInt(excess);
    const kept = product / unit;
    const rest = product % unit;
    const half = unit / 2n;
    const roundUp = rest > half || (rest === half && kept % 2n === 1n);
    product = roundUp ? kept + 1n : kept;
    scale += excess;
  }
  if (scale >= 0) return product << BigInt(scale);
  const unit = 1n << BigInt(-scale);
  const whole = product / unit;
  return direction === "up" && whole * unit !== product ? whole + 1n : whole;
}
// #endregion timeout
