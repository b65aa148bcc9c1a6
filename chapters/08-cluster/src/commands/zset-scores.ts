/**
 * A score as ZADD and ZINCRBY read it: Redis's `string2d` (util.c), which
 * hands the text to C's `strtod` and then refuses what `strtod` would
 * forgive. So a score is a C floating-point literal, and nothing else:
 *
 * | text                        | read as           | why                          |
 * | --------------------------- | ----------------- | ---------------------------- |
 * | `1.5`, `-2`, `.5`, `5.`     | that number       | C's decimal forms            |
 * | `1e3`, `+1E-3`              | 1000, 0.001       | an exponent, a sign          |
 * | `inf`, `-Infinity`, `+INF`  | ±Infinity         | C's spellings, any case      |
 * | `0x10`, `0x1.8p1`           | 16, 3             | C's hexadecimal floats       |
 * | `1e-310`                    | a subnormal       | tiny, but not zero           |
 * | `` (empty), ` 1`, `1 `      | refused           | empty; whitespace; leftovers |
 * | `nan`, `-nan`               | refused           | NaN is never a score         |
 * | `1e400`, `1e-400`           | refused           | overflow, underflow to zero  |
 *
 * The range commands read their bounds with `strtod` too, but more
 * leniently (leading whitespace, an empty bound, overflow to infinity):
 * `readDouble` below is the part both share.
 */
import { error } from "../protocol/reply.ts";
import { NOT_A_FLOAT } from "../numbers/long-double.ts";

/** Redis's reply to a score that does not read: "ERR value is not a valid float". */
export const NOT_A_VALID_FLOAT = error(NOT_A_FLOAT);

// #region parse-score
/**
 * `text` (a byte string) as ZADD's and ZINCRBY's `string2d` reads it, or
 * undefined where Redis answers "value is not a valid float".
 */
export function parseScore(text: string): number | undefined {
  // No whitespace anywhere: string2d refuses it in front (where strtod
  // would skip it), and strtod stops at it behind, leaving bytes unread.
  // readDouble takes neither, nor the empty text.
  const read = readDouble(text);
  if (read === undefined || read.outOfRange) return undefined;
  return read.value;
}
// #endregion parse-score

// #region read-double
/**
 * What `strtod` makes of the whole of `text`, or undefined if `text` is
 * not exactly one C floating-point literal (no whitespace, nothing after
 * it, and never NaN). `value` is the double nearest to the literal, ties
 * to even, as glibc rounds. `outOfRange` is C's ERANGE as Redis tests it:
 * the literal overflowed to infinity, or underflowed all the way to zero.
 */
export function readDouble(
  text: string,
): { value: number; outOfRange: boolean } | undefined {
  const infinity = INFINITY_TEXT.exec(text);
  if (infinity !== null) {
    return {
      value: infinity[1] === "-" ? -Infinity : Infinity,
      outOfRange: false,
    };
  }
  const hex = HEX_TEXT.exec(text);
  if (hex !== null) return readHex(hex);
  const decimal = DECIMAL_TEXT.exec(text);
  if (decimal === null) return undefined; // garbage, "nan", "0x", "1e"
  const [, , whole = "", fraction = ""] = decimal;
  if (whole === "" && fraction === "") return undefined; // ".", "-", "e5"
  // JavaScript reads these decimal forms exactly as C does, and rounds
  // them correctly (`Number` would take more, such as "0b1" or " 1",
  // which the pattern has already refused).
  const value = Number(text);
  const nonzero = /[1-9]/.test(whole + fraction);
  return {
    value,
    outOfRange: !Number.isFinite(value) || (value === 0 && nonzero),
  };
}

/** `inf` or `infinity`, in any case, after an optional sign. */
const INFINITY_TEXT = /^([+-]?)inf(?:inity)?$/i;
/** Digits, an optional point and fraction, an optional decimal exponent. */
const DECIMAL_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE][+-]?[0-9]+)?$/;
/** `0x`, hex digits, an optional point and fraction, an optional binary exponent. */
const HEX_TEXT =
  /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
// #endregion read-double

// #region hex-float
/**
 * A match of HEX_TEXT. Its value is exactly `digits × 2^power`, with the
 * fraction's digits counted in (four binary places each), and JavaScript
 * has no parser for it, so we round it to a double ourselves.
 */
function readHex(
  match: RegExpExecArray,
): { value: number; outOfRange: boolean } | undefined {
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  if (whole === "" && fraction === "") return undefined; // "0x": no digits
  const digits = BigInt(`0x0${whole}${fraction}`);
  // An exponent of more than nine digits is far past any double either
  // way; clamped, it keeps the arithmetic below small.
  const power =
    Math.max(-1e9, Math.min(1e9, Number(exponent))) - 4 * fraction.length;
  const magnitude = nearestDouble(digits, power);
  return {
    value: sign === "-" ? -magnitude : magnitude,
    outOfRange: magnitude === Infinity || (magnitude === 0 && digits !== 0n),
  };
}

/** Bits in a double's significand, its leading 1 included. */
const SIGNIFICAND_BITS = 53;
/** The power of two of a double's lowest bit at its smallest: 2^-1074. */
const LOWEST_POWER = -1074;

/**
 * The double nearest to `digits × 2^power` (digits ≥ 0), ties to even;
 * Infinity past the largest double, 0 below half the smallest one.
 */
function nearestDouble(digits: bigint, power: number): number {
  if (digits === 0n) return 0;
  const length = digits.toString(2).length;
  // Keep 53 bits, or fewer near zero, where no bit may sit below 2^-1074.
  const lowest = Math.max(power + length - SIGNIFICAND_BITS, LOWEST_POWER);
  // Few enough bits: exact already. Multiplying by a power of two is
  // exact too, unless it overflows, to Infinity, as it should.
  if (lowest <= power) return Number(digits) * 2 ** power;
  // Too many: drop the lowest bits, rounding to nearest, ties to even.
  // (Dropping more than all of them gives 0, as it should.)
  const dropped = BigInt(Math.min(lowest - power, length + 1));
  let kept = digits >> dropped;
  const rest = digits - (kept << dropped);
  const half = 1n << (dropped - 1n);
  if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
  return Number(kept) * 2 ** lowest;
}
// #endregion hex-float
