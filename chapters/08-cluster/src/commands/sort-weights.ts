/**
 * The number SORT compares an element by when it does not sort ALPHA:
 * the element itself, or what its BY pattern found. Redis 7.0 reads it
 * with C's `strtod()` and checks the result its own way, which is not
 * ZADD's way, so SORT accepts and refuses its own set of texts:
 *
 * - the text is a C string: it ends at its first NUL byte (`1\0junk` is 1);
 * - whitespace before the number is skipped (` 7`), after it refused (`7 `);
 * - the empty text is 0 (`strtod()` reads nothing and stops on the
 *   NUL that ends it), but whitespace alone is refused;
 * - C's hexadecimal floats (`0x10`, `0x1.8p3`) and `inf` or `infinity`
 *   in any case are numbers; NaN in any spelling is refused;
 * - a number out of a double's range is refused: `strtod()` flags it
 *   with ERANGE. That is overflow to infinity (`1e400`), and underflow:
 *   a result too small to be a normal double that lost digits on the
 *   way (`1e-400`, `1e-310`). A subnormal that is exact, such as
 *   `0x1p-1074`, loses nothing, and the C library lets it through.
 *
 * Redis answers "ERR One or more scores can't be converted into double"
 * for any of the refused ones.
 */
import { cString } from "./sort-patterns.ts";

/** The smallest normal double, 2^-1022: below it, a double keeps fewer digits. */
const SMALLEST_NORMAL = 2 ** -1022;

/** The smallest subnormal, 2^-1074: every subnormal is a whole multiple of it. */
const SMALLEST_SUBNORMAL = 2 ** -1074;

/** Bits in a double's significand, the leading one included. */
const SIGNIFICAND_BITS = 53;

/** What C's `isspace()` calls whitespace, which `strtod()` skips. */
const C_WHITESPACE = /^[ \t\n\v\f\r]*/;

const INFINITY_TEXT = /^([+-]?)inf(?:inity)?$/i;

/** Hex digits (at least one, before or after the point) and a binary exponent. */
const HEX_TEXT =
  /^([+-]?)0[xX](?=\.?[0-9a-fA-F])([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;

/** Digits (at least one, before or after the point) and a decimal exponent. */
const DECIMAL_TEXT =
  /^[+-]?(?=\.?[0-9])([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

// #region weight
/**
 * The weight `text` (a byte string) stands for, or undefined where Redis
 * cannot convert it (see the header for the rules).
 */
export function weightOf(text: string): number | undefined {
  const read = cString(text);
  if (read === "") return 0;
  const number = read.slice(C_WHITESPACE.exec(read)![0].length);
  const infinity = INFINITY_TEXT.exec(number);
  if (infinity !== null) return infinity[1] === "-" ? -Infinity : Infinity;
  const hex = HEX_TEXT.exec(number);
  if (hex !== null) return hexWeight(hex);
  const decimal = DECIMAL_TEXT.exec(number);
  if (decimal !== null) return decimalWeight(number, decimal);
  return undefined;
}
// #endregion weight

/**
 * A decimal number: JavaScript's own reading rounds it exactly as
 * `strtod()` does, so only the range checks are ours.
 */
function decimalWeight(
  text: string,
  match: RegExpExecArray,
): number | undefined {
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined; // overflow
  if (Math.abs(value) >= SMALLEST_NORMAL) return value;
  const [, whole = "", fraction = "", exponent = "0"] = match;
  const digits = BigInt(`0${whole}${fraction}`);
  if (value === 0) return digits === 0n ? value : undefined; // "0e-9" is fine
  // A subnormal: exact only if digits × 10^power is a whole number of
  // 2^-1074, the one `value` holds (power is negative here).
  const power = Number(exponent) - fraction.length;
  const multiple = BigInt(Math.abs(value) / SMALLEST_SUBNORMAL);
  const exact = digits * 2n ** 1074n === multiple * 10n ** BigInt(-power);
  return exact ? value : undefined;
}

/**
 * A hexadecimal float: its value is exactly `digits × 2^power`, which we
 * round to a double by hand (JavaScript cannot read `0x1.8p3`): to 53
 * significant bits, and to no bit below 2^-1074, to nearest, ties to even.
 */
function hexWeight(match: RegExpExecArray): number | undefined {
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  const digits = BigInt(`0x0${whole}${fraction}`);
  const negative = sign === "-";
  if (digits === 0n) return negative ? -0 : 0;
  // Each hex digit after the point is worth four binary places.
  const power = Number(exponent) - 4 * fraction.length;
  const length = digits.toString(2).length;
  // The value of the lowest bit the double can keep.
  const lowest = Math.max(length - 1 + power - (SIGNIFICAND_BITS - 1), -1074);
  const dropped = lowest - power;
  let kept = digits;
  let exact = true;
  if (dropped > length) {
    kept = 0n; // below half the smallest subnormal: rounds to zero
    exact = false;
  } else if (dropped > 0) {
    const unit = 1n << BigInt(dropped);
    const rest = digits % unit;
    kept = digits / unit;
    const half = unit / 2n;
    if (rest > half || (rest === half && kept % 2n === 1n)) kept += 1n;
    exact = rest === 0n;
  }
  const magnitude = Number(kept) * 2 ** Math.max(lowest, power);
  if (magnitude === Infinity) return undefined; // overflow
  if (magnitude < SMALLEST_NORMAL && !exact) return undefined; // underflow
  return negative ? -magnitude : magnitude;
}
