/**
 * A double as Redis 7.0 writes it in a reply: C's `printf("%.17g")`.
 *
 * Seventeen significant digits are enough to read back the very same double,
 * which is why Redis 7.0 uses them, and why `1.1` comes back as
 * `1.1000000000000001`: the double nearest to 1.1 is a little above it. (Redis
 * 7.2 switched to the shortest text that reads back the same, `1.1`. Our
 * reference is 7.0.15.)
 *
 * JavaScript has no `%g`. `toPrecision(17)` comes close but is not it: it
 * switches to exponent notation at other thresholds (`1e-5` is
 * `0.000010000000000000001` there, `1.0000000000000001e-05` in C), keeps
 * trailing zeros, and rounds an exact tie up where C rounds it to even. So
 * we take the 17 digits from `toExponential(16)` and lay them out by C's rules.
 */

// #region format-double
/** `value` as `printf("%.17g")` writes it, with Redis's `inf` and `-inf`. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";

  const sign = value < 0 ? "-" : "";
  const { digits, exponent } = seventeenDigits(Math.abs(value));
  // %g's rule: exponent notation when the exponent is below -4 or not below
  // the precision (17); plain decimals otherwise. Either way, trailing zeros
  // after the point go.
  if (exponent < -4 || exponent >= 17) {
    const mantissa = withoutTrailingZeros(`${digits[0]}.${digits.slice(1)}`);
    const power = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${power}`;
  }
  const decimals =
    exponent >= 0
      ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
      : `0.${"0".repeat(-exponent - 1)}${digits}`;
  return sign + withoutTrailingZeros(decimals);
}
// #endregion format-double

/**
 * The 17 significant digits of a positive, finite `value`, rounded as C
 * rounds (to nearest, an exact tie to even), and the decimal exponent of
 * the first one: 1234.5 is `12345000000000000`, exponent 3.
 */
function seventeenDigits(value: number): { digits: string; exponent: number } {
  // toExponential works on the exact value of the double, as printf does,
  // but breaks an exact tie upwards.
  const [mantissa, power] = value.toExponential(16).split("e") as [
    string,
    string,
  ];
  let digits = mantissa.replace(".", "");
  const exponent = Number(power);
  // Rounded up from an exact tie to an odd last digit: C would have gone
  // down, to the even neighbour. (An odd digit cannot be 0, so no borrow.)
  const last = Number(digits[16]);
  if (last % 2 === 1 && isExactTie(value, exponent)) {
    digits = digits.slice(0, 16) + String(last - 1);
  }
  return { digits, exponent };
}

/**
 * Whether `value`, scaled so that its 17th significant digit is in the
 * units, ends in exactly one half: a tie. Decided with integers, since the
 * point is that no rounding may happen. A double is exactly
 * `mantissa * 2^power`, so the scaled value is the fraction below, and it
 * ends in one half when twice it is an odd whole number.
 */
function isExactTie(value: number, exponent: number): boolean {
  const { mantissa, power } = binaryParts(value);
  const scale = 16 - exponent; // multiply by 10^scale
  const numerator =
    mantissa *
    2n ** BigInt(Math.max(power, 0)) *
    10n ** BigInt(Math.max(scale, 0));
  const denominator =
    2n ** BigInt(Math.max(-power, 0)) * 10n ** BigInt(Math.max(-scale, 0));
  const twice = 2n * numerator;
  return twice % denominator === 0n && (twice / denominator) % 2n === 1n;
}

/** The integers with `value === mantissa * 2^power`, read from its IEEE 754 bits. */
function binaryParts(value: number): { mantissa: bigint; power: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormal numbers (exponent bits 0) have no implicit leading 1.
  return biasedExponent === 0
    ? { mantissa: fraction, power: -1074 }
    : { mantissa: fraction | (1n << 52n), power: biasedExponent - 1075 };
}

/** `1.2300` is `1.23`, and `5.000` is `5`, as %g writes them. */
function withoutTrailingZeros(decimals: string): string {
  if (!decimals.includes(".")) return decimals;
  return decimals.replace(/0+$/, "").replace(/\.$/, "");
}
