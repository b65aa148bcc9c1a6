/**
 * Redis's integers: signed 64-bit, written in decimal.
 *
 * INCR and friends store their result as the decimal text of a C `long
 * long`, so a counter can reach 9223372036854775807. A JavaScript number is
 * exact only up to 2^53 (9007199254740992), so these functions use BigInt,
 * whose arithmetic is exact at any size, and check the 64-bit bounds
 * themselves, to give Redis's errors where Redis gives them.
 */

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

// #region parse-int64
/**
 * Redis's `string2ll`, on a byte string: an optional minus sign, then 1 to
 * 19 digits with no leading zero (only "0" itself starts with 0), nothing
 * else, within 64 bits. So `+1`, `01`, ` 1`, `1 `, `-0` and `1.0` are not
 * integers. Undefined when the text is not one.
 */
export function parseInt64(text: string): bigint | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]{0,18})$/;
// #endregion parse-int64

/** `a + b`, or undefined where a C `long long` would overflow. */
export function addInt64(a: bigint, b: bigint): bigint | undefined {
  const sum = a + b;
  return sum >= INT64_MIN && sum <= INT64_MAX ? sum : undefined;
}
