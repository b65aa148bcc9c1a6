/**
 * INCRBYFLOAT's arithmetic, reproduced bit for bit.
 *
 * Redis does not add floats the way JavaScript does. It reads the stored
 * value and the increment with the C library's `strtold`, adds them as C
 * `long double`s, and prints the sum with `"%.17Lf"` before trimming the
 * zeros off the end. On x86-64 Linux a `long double` is the x87 "extended"
 * format: a 64-bit significand where a JavaScript number has 53 bits, and a
 * 15-bit exponent where it has 11. Eleven more bits of significand are
 * enough to change the answer a user sees:
 *
 *     SET k 10.5
 *     INCRBYFLOAT k 0.1    Redis: "10.6"   doubles: "10.59999999999999964"
 *
 * Clients see the difference, so ours must be the same as Redis's, and
 * this module emulates the extended format in software. A finite value is
 * an integer significand times a power of two, both exact (a BigInt and a
 * number), and each of the three steps computes its exact result and then
 * rounds it once, to the nearest value the format holds, ties to even, as
 * glibc and the x87 do:
 *
 * 1. `parseLongDouble`: the text's exact value, rounded to 64 bits.
 * 2. `addLongDouble`: the exact sum, rounded to 64 bits.
 * 3. `formatLongDouble`: the exact value, rounded to 17 decimals.
 *
 * BigInt arithmetic is slow next to one floating point addition (a few
 * microseconds for everyday numbers, under a millisecond for the largest),
 * but INCRBYFLOAT is rare, and an approximation that is right "almost
 * always" is precisely the bug this module exists to avoid.
 */

// #region long-double
/**
 * A finite extended-precision value: `significand × 2^exponent`, negated if
 * `negative`. Every value is kept in one canonical form: the significand
 * has exactly 64 bits (its top bit set, as the x87 stores it), except for
 * the values too small for that (subnormals and zero), which sit at the
 * smallest exponent. So two equal values always have equal fields, and
 * `negative` tells -0 from 0, as in IEEE arithmetic.
 */
export interface FiniteLongDouble {
  readonly kind: "finite";
  readonly negative: boolean;
  /** Below 2^64; at least 2^63 unless `exponent` is MIN_EXPONENT. */
  readonly significand: bigint;
  /** From MIN_EXPONENT to MAX_EXPONENT. */
  readonly exponent: number;
}

/**
 * A value of the extended format. NaN is only ever the result of adding
 * opposite infinities: parsing rejects "nan", as Redis does.
 */
export type LongDouble =
  FiniteLongDouble | InfiniteLongDouble | { readonly kind: "nan" };

/** Plus or minus infinity: typed in as `inf`, or a sum too large to hold. */
export interface InfiniteLongDouble {
  readonly kind: "infinity";
  readonly negative: boolean;
}

/** Bits in the significand of an x87 extended value (the C `LDBL_MANT_DIG`). */
const SIGNIFICAND_BITS = 64;
/**
 * The smallest exponent, in our `significand × 2^exponent` form: the x87
 * allows binary exponents down to -16382 for the top bit, and the 63 bits
 * below it reach 2^-16445, the smallest subnormal.
 */
const MIN_EXPONENT = -16445;
/** The largest exponent: the top bit at 2^16383, the lowest 63 bits below. */
const MAX_EXPONENT = 16320;
/** `"%.17Lf"`: Redis prints 17 digits after the point. */
const FRACTION_DIGITS = 17;
// #endregion long-double

// #region limits
/**
 * Redis's `MAX_LONG_DOUBLE_CHARS`. `string2ld()` copies the text into a
 * buffer this size, with its NUL terminator, so 5119 bytes is the longest
 * number it reads; a longer one, even `0000…1`, is not a valid float.
 */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/**
 * Decimal exponent bounds, past which the result is known without
 * arithmetic. A number with n significant digits and exponent e lies in
 * [10^(n-1+e), 10^(n+e)). The largest finite value is about 1.19e4932, so
 * from 10^4933 up everything overflows; and everything below 10^-4951 is
 * under half the smallest subnormal (about 3.65e-4951) and rounds to zero.
 * The checks also keep the BigInts we build small.
 */
const DECIMAL_OVERFLOW = 4933;
const DECIMAL_UNDERFLOW = -4951;
/**
 * Exponents in the text are read up to this size; larger ones are clamped.
 * Any exponent past it overflows or underflows whatever the digits, since
 * there are at most 5119 of them.
 */
const EXPONENT_CLAMP = 1e9;
// #endregion limits

const NAN: LongDouble = { kind: "nan" };

function zero(negative: boolean): FiniteLongDouble {
  return { kind: "finite", negative, significand: 0n, exponent: MIN_EXPONENT };
}

/** Number of bits in `n`, which is positive. */
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0]!, 16)));
}

// #region round
/**
 * The extended value nearest to `mantissa × 2^exponent` (plus a little more
 * if `inexact`), ties to even: the one rounding step every operation ends
 * with. Too large a result is infinity, too small a one is zero.
 *
 * `inexact` says that nonzero bits were lost below `mantissa` (a division
 * left a remainder). Callers that set it pass at least 67 bits, so at least
 * three are dropped here, and an exact tie can still be told from a value
 * just above one.
 */
function round(
  negative: boolean,
  mantissa: bigint,
  exponent: number,
  inexact: boolean,
): FiniteLongDouble | InfiniteLongDouble {
  if (mantissa === 0n) return zero(negative);
  const length = bitLength(mantissa);
  // Bits to drop: those beyond 64, and those below the smallest exponent.
  const drop = Math.max(length - SIGNIFICAND_BITS, MIN_EXPONENT - exponent);
  let significand: bigint;
  if (drop > length) {
    // All of it is below half of the smallest step: it rounds to zero. (This
    // also spares us a shift by a billion bits for "0x1p-999999999".)
    return zero(negative);
  } else if (drop > 0) {
    const shift = BigInt(drop);
    significand = mantissa >> shift;
    const rest = mantissa - (significand << shift);
    const half = 1n << (shift - 1n);
    const odd = (significand & 1n) === 1n;
    if (rest > half || (rest === half && (inexact || odd))) significand += 1n;
    exponent += drop;
    // Rounding up 0xfff…f carries into a 65th bit.
    if (significand === 1n << BigInt(SIGNIFICAND_BITS)) {
      significand >>= 1n;
      exponent += 1;
    }
  } else {
    // Exact already. Move the top bit up to bit 63, or as far up as the
    // smallest exponent allows: a subnormal keeps leading zeros.
    const lift = Math.min(SIGNIFICAND_BITS - length, exponent - MIN_EXPONENT);
    significand = mantissa << BigInt(lift);
    exponent -= lift;
  }
  if (significand === 0n) return zero(negative);
  if (exponent > MAX_EXPONENT) return { kind: "infinity", negative };
  return { kind: "finite", negative, significand, exponent };
}

/**
 * `round(dividend / divisor)`, for decimal fractions: `0.1` is 1/10, which
 * no binary significand holds exactly. We divide with enough bits to spare
 * (67), and whether the division left a remainder is all the rounding needs
 * to know about the digits that would follow.
 */
function roundQuotient(
  negative: boolean,
  dividend: bigint,
  divisor: bigint,
): FiniteLongDouble | InfiniteLongDouble {
  // dividend / divisor > 2^(shift + 66), so the quotient has 67 bits or more.
  const shift = bitLength(dividend) - bitLength(divisor) - 67;
  const [top, bottom] =
    shift >= 0
      ? [dividend, divisor << BigInt(shift)]
      : [dividend << BigInt(-shift), divisor];
  return round(negative, top / bottom, shift, top % bottom !== 0n);
}
// #endregion round

// #region parse
/** `inf` or `infinity`, in any case, after an optional sign. */
const INFINITY_TEXT = /^([+-]?)inf(?:inity)?$/i;
/** Hex digits, an optional point, and a binary exponent: `0x1.8p3` is 12. */
const HEX_TEXT =
  /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
/** Digits, an optional point, and a decimal exponent: `-1.5e3`, `.5`, `5.`. */
const DECIMAL_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * The number in `text`, a byte string (one character per byte), read as
 * Redis's `string2ld()` reads it, or undefined if Redis would reply
 * "value is not a valid float".
 *
 * `string2ld()` hands the text to `strtold()` and then rejects whatever
 * `strtold()` would quietly forgive:
 *
 * - text it did not read to the end (trailing bytes, a NUL, a dangling
 *   `e` or `p` as in `1e` or `0x1p`), and leading whitespace;
 * - NaN, in any spelling (`nan`, `-NaN`, `nan(1)`);
 * - overflow to infinity (`1e5000`), and underflow all the way to zero
 *   (`1e-5000`). The C library flags both with ERANGE, and Redis rejects
 *   ERANGE only when the result is infinite or zero: a subnormal such as
 *   `1e-4940`, which is tiny but not zero, is accepted.
 *
 * Infinity written out (`inf`, `-Infinity`) is accepted: it parses fine,
 * and only the addition then fails. So are a leading `+`, leading zeros,
 * `.5`, `5.`, exponents (`3.0e3`), and C's hexadecimal floats (`0x1p-3`).
 */
export function parseLongDouble(text: string): LongDouble | undefined {
  if (text.length === 0 || text.length >= MAX_LONG_DOUBLE_CHARS) {
    return undefined;
  }
  const infinity = INFINITY_TEXT.exec(text);
  if (infinity !== null) {
    return { kind: "infinity", negative: infinity[1] === "-" };
  }
  const hex = HEX_TEXT.exec(text);
  if (hex !== null) return parseHex(hex);
  const decimal = DECIMAL_TEXT.exec(text);
  if (decimal !== null) return parseDecimal(decimal);
  return undefined; // anything else: garbage, whitespace, "nan"
}

/**
 * A match of HEX_TEXT: its value is exactly
 * `digits × 2^(exponent - 4 × fraction digits)`.
 */
function parseHex(match: RegExpExecArray): LongDouble | undefined {
  const [, sign, whole = "", fraction = "", exponent] = match;
  if (whole === "" && fraction === "") return undefined; // "0x": no digits
  const mantissa = BigInt(`0x0${whole}${fraction}`);
  if (mantissa === 0n) return zero(sign === "-"); // "0x0p99999999999" too
  // Each hex digit after the point is worth four binary places.
  const power = readExponent(exponent) - 4 * fraction.length;
  return inRange(round(sign === "-", mantissa, power, false));
}

/**
 * A match of DECIMAL_TEXT: its value is exactly
 * `digits × 10^(exponent - fraction digits)`, a fraction when that power
 * is negative, which we divide out with BigInts.
 */
function parseDecimal(match: RegExpExecArray): LongDouble | undefined {
  const [, sign, whole = "", fraction = "", exponent] = match;
  if (whole === "" && fraction === "") return undefined; // ".", "-", "e5"
  const negative = sign === "-";
  const digits = `${whole}${fraction}`.replace(/^0+/, "");
  if (digits === "") return zero(negative); // "0", "-0.000e99999999999"
  const power = readExponent(exponent) - fraction.length;
  if (digits.length - 1 + power >= DECIMAL_OVERFLOW) return undefined;
  if (digits.length + power <= DECIMAL_UNDERFLOW) return undefined;
  const mantissa = BigInt(digits);
  return inRange(
    power >= 0
      ? round(negative, mantissa * 10n ** BigInt(power), 0, false)
      : roundQuotient(negative, mantissa, 10n ** BigInt(-power)),
  );
}

/**
 * A nonzero number that came out infinite or zero: `strtold()` sets ERANGE,
 * and Redis rejects it.
 */
function inRange(
  x: FiniteLongDouble | InfiniteLongDouble,
): LongDouble | undefined {
  return x.kind === "finite" && x.significand !== 0n ? x : undefined;
}

/** The exponent after `e` or `p`, clamped to ±EXPONENT_CLAMP; 0 if absent. */
function readExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const digits = text.replace(/^[+-]?0*/, "");
  const size = digits.length > 9 ? EXPONENT_CLAMP : Number(`0${digits}`);
  return text.startsWith("-") ? -size : size;
}
// #endregion parse

// #region add
/**
 * `a + b`, as one x87 addition: the exact sum, rounded to the format.
 *
 * Lining up two exponents means shifting a significand left by their
 * difference, up to about 32,800 bits (1e4932 + 1e-4950): a few kilobytes
 * of BigInt, which is fine for a command this rare.
 */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === "nan" || b.kind === "nan") return NAN;
  if (a.kind === "infinity") {
    return b.kind === "infinity" && b.negative !== a.negative ? NAN : a;
  }
  if (b.kind === "infinity") return b;

  const exponent = Math.min(a.exponent, b.exponent);
  const sum = signed(a, exponent) + signed(b, exponent);
  // An exact zero is -0 only if both were -0: 1 + -1 is +0 in IEEE rounding.
  if (sum === 0n) return zero(a.negative && b.negative);
  // The sum sits on the grid of its smaller exponent, at or above the
  // smallest one, so rounding it cannot underflow to zero.
  return round(sum < 0n, sum < 0n ? -sum : sum, exponent, false);
}

/** `x` as a signed multiple of `2^exponent`, at most x's own exponent. */
function signed(x: FiniteLongDouble, exponent: number): bigint {
  const magnitude = x.significand << BigInt(x.exponent - exponent);
  return x.negative ? -magnitude : magnitude;
}
// #endregion add

// #region format
/**
 * `x` as Redis prints it: C's `"%.17Lf"`, which is the exact value rounded
 * to 17 decimals (ties to even, as glibc does), then with the trailing
 * zeros and a trailing point removed, and `-0` turned into `0`.
 *
 *     10.6 (as a long double)   "%.17Lf": 10.60000000000000000   ->  "10.6"
 *     -1e-20                    "%.17Lf": -0.00000000000000000   ->  "0"
 *     1e300                     all 301 integer digits, no exponent
 *
 * `"%.17Lf"` never uses an exponent, so the largest value prints with its
 * 4933 integer digits. That still fits Redis's 5120-byte buffer, so its
 * "no room" branch never applies to a finite value.
 */
export function formatLongDouble(x: FiniteLongDouble): string {
  const sign = x.negative ? "-" : "";
  if (x.exponent >= 0) {
    // An integer: "%.17Lf" adds only ".00000000000000000", which is trimmed.
    return `${sign}${(x.significand << BigInt(x.exponent)).toString()}`;
  }
  // The value times 10^17, rounded to an integer, holds every printed digit.
  const scaled = x.significand * 10n ** BigInt(FRACTION_DIGITS);
  const shift = BigInt(-x.exponent);
  let units = scaled >> shift;
  const rest = scaled - (units << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (units & 1n) === 1n)) units += 1n;

  const digits = units.toString().padStart(FRACTION_DIGITS + 1, "0");
  const whole = digits.slice(0, -FRACTION_DIGITS);
  const fraction = digits.slice(-FRACTION_DIGITS).replace(/0+$/, "");
  const text = `${sign}${whole}${fraction === "" ? "" : "."}${fraction}`;
  return text === "-0" ? "0" : text;
}
// #endregion format

// #region increment
/** Redis's reply when the stored value or the increment does not parse. */
export const NOT_A_FLOAT = "ERR value is not a valid float";
/** Redis's reply when the sum is infinite or NaN. */
export const NOT_FINITE = "ERR increment would produce NaN or Infinity";

export type IncrementResult =
  /** The new value, as Redis stores and replies it. */
  | { readonly kind: "value"; readonly text: string }
  /** The error reply, with Redis's exact text. Nothing is stored. */
  | { readonly kind: "error"; readonly message: string };

/**
 * INCRBYFLOAT's computation: `current` (undefined for a missing key, which
 * counts as 0) plus `increment`, both byte strings, in Redis's order:
 *
 * 1. The stored value must parse, else NOT_A_FLOAT.
 * 2. The increment must parse, else NOT_A_FLOAT (the same text).
 * 3. The sum must be finite, else NOT_FINITE. That covers an infinite
 *    operand (`inf` parses, as either one), `inf + -inf`, and a finite sum
 *    that overflows (`1.1e4932 + 1.1e4932`).
 *
 * Checking that the key holds a string (WRONGTYPE) comes before all three,
 * and is the command's business, not this module's.
 */
export function incrementByFloat(
  current: string | undefined,
  increment: string,
): IncrementResult {
  const value = current === undefined ? zero(false) : parseLongDouble(current);
  if (value === undefined) return { kind: "error", message: NOT_A_FLOAT };
  const by = parseLongDouble(increment);
  if (by === undefined) return { kind: "error", message: NOT_A_FLOAT };
  const sum = addLongDouble(value, by);
  if (sum.kind !== "finite") return { kind: "error", message: NOT_FINITE };
  return { kind: "value", text: formatLongDouble(sum) };
}
// #endregion increment
