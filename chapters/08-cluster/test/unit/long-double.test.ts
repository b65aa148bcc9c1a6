/**
 * Unit tests for long-double.ts: INCRBYFLOAT's arithmetic.
 *
 * Every expected reply below was first obtained from a real Redis 7.0.15
 * (Debian's x86-64 build, so glibc's strtold and printf, and the x87's
 * 80-bit long double) as
 *
 *     SET k <value>          (or no SET, for a missing key)
 *     INCRBYFLOAT k <increment>
 *
 * and the tests pin what Redis answered; they need no server. Where an
 * answer is too long to write out (the largest values print thousands of
 * digits), we pin its length and its two ends, as Redis printed them.
 *
 * Values are byte strings, one character per byte, as the keyspace holds
 * them: "\t1" is a tab and a one, "\xe91" a 0xe9 byte and a one.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_LONG_DOUBLE_CHARS,
  NOT_A_FLOAT,
  NOT_FINITE,
  addLongDouble,
  formatLongDouble,
  incrementByFloat,
  parseLongDouble,
  type LongDouble,
} from "../../src/numbers/long-double.ts";

/** INCRBYFLOAT's reply: the new value, or the error text. */
function incr(value: string | undefined, increment: string): string {
  const result = incrementByFloat(value, increment);
  return result.kind === "value" ? result.text : result.message;
}

/** The finite value in `text`, for tests of the lower-level functions. */
function parse(text: string): LongDouble {
  const value = parseLongDouble(text);
  if (value === undefined) throw new Error(`${text} does not parse`);
  return value;
}

describe("sums Redis computes in long double", () => {
  it.each([
    // A double would give 10.59999999999999964 here.
    ["10.5", "0.1", "10.6"],
    ["0.1", "0.2", "0.3"],
    ["3.0e3", "5.0e3", "8000"],
    ["5.0e3", "-3.0e3", "2000"],
    ["1", "-1.5", "-0.5"],
    ["-10.5", "0.1", "-10.4"],
    ["-.5e-1", "0", "-0.05"],
    ["3.14159265358979323846264338327950288", "0", "3.14159265358979324"],
  ])("%s + %s = %s", (value, increment, expected) => {
    expect(incr(value, increment)).toBe(expected);
  });

  it("counts a missing key as 0", () => {
    expect(incr(undefined, "1.5")).toBe("1.5");
    expect(incr(undefined, "-0")).toBe("0");
  });

  it("stays exact when each result is stored and read back", () => {
    // Redis stores the printed text, so every step starts from "0.2",
    // "0.3"..., not from an accumulating binary error.
    let value = "0.1";
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      value = incr(value, "0.1");
      seen.push(value);
    }
    expect(seen).toEqual([
      "0.2",
      "0.3",
      "0.4",
      "0.5",
      "0.6",
      "0.7",
      "0.8",
      "0.9",
      "1",
      "1.1",
    ]);
  });
});

describe("zero and its sign", () => {
  it.each([
    ["-0", "-0", "0"], // -0 + -0 is -0, printed "-0", then made "0"
    ["-0", "0", "0"],
    ["1", "-1", "0"],
    ["-1e-20", "0", "0"], // "%.17Lf" prints -0.00000000000000000
    ["-0.000000000000000005", "0", "0"],
    ["-1e300", "1e300", "0"],
  ])("%s + %s = %s", (value, increment, expected) => {
    expect(incr(value, increment)).toBe(expected);
  });
});

describe("integers beyond 2^53 and 2^64", () => {
  it.each([
    // 2^53 + 1: a double cannot hold it, a 64-bit significand can.
    ["9007199254740992", "1", "9007199254740993"],
    ["9007199254740993", "0", "9007199254740993"],
    ["18446744073709551615", "0", "18446744073709551615"], // 2^64 - 1
    // Past 2^64 the step is 2: 2^64 + 1 is a tie, and goes to even.
    ["18446744073709551616", "1", "18446744073709551616"],
    ["18446744073709551617", "0", "18446744073709551616"],
    ["18446744073709551616", "2", "18446744073709551618"],
    ["36893488147419103231", "0", "36893488147419103232"], // 2^65 - 1
    ["123456789012345678901234567890", "1", "123456789012345678899921813504"],
    ["1.5e20", "0", "150000000000000000000"],
  ])("%s + %s = %s", (value, increment, expected) => {
    expect(incr(value, increment)).toBe(expected);
  });

  it("prints every integer digit of 1e300, with no exponent", () => {
    expect(incr("1e300", "0")).toBe(
      "1000000000000000000008997324079559193870523944273290747938260082" +
        "3212656465961809357558491520837504971903503725086142748359035925" +
        "5618467298391309626052074864628732713564184365329408425510760601" +
        "6789726652932370030551382947620994540294772781889620606179267611" +
        "627097410650567187386105690089424915104006144",
    );
  });

  it("prints the largest finite value with all its 4933 digits", () => {
    // 0x1.fffffffffffffffep16383 is LDBL_MAX, about 1.19e4932.
    for (const text of [
      "0x1.fffffffffffffffep16383",
      "1.18973149535723176502e4932",
    ]) {
      const printed = incr(text, "0");
      expect(printed).toHaveLength(4933);
      expect(printed.slice(0, 40)).toBe(
        "1189731495357231765021263853030970205169",
      );
      expect(printed.slice(-40)).toBe(
        "8849149662444156604419552086811989770240",
      );
    }
    const negative = incr("-0x1.fffffffffffffffep16383", "0");
    expect(negative).toHaveLength(4934);
    expect(negative.slice(0, 10)).toBe("-118973149");
  });
});

describe("rounding to 17 decimals", () => {
  it.each([
    ["1e-17", "0", "0.00000000000000001"],
    ["1e-20", "0", "0"],
    ["5e-18", "0", "0"], // its long double is a hair under 5e-18
    ["0.000000000000000015", "0", "0.00000000000000002"],
    ["0.123456789012345678", "0", "0.12345678901234568"],
    ["0.99999999999999999", "0", "0.99999999999999999"],
    ["0.999999999999999995", "0", "1"],
    ["1.99999999999999999999", "0", "2"],
  ])("%s + %s = %s", (value, increment, expected) => {
    expect(incr(value, increment)).toBe(expected);
  });

  it.each([
    // k / 2^18 ends in a 5 at the 18th decimal: an exact tie, to even.
    ["0x1p-18", "0.00000381469726562"], // 0.000003814697265625
    ["0x3p-19", "0.00000572204589844"], // 0.0000057220458984375
    ["0x5p-18", "0.00001907348632812"], // 0.000019073486328125
    ["-0x1p-18", "-0.00000381469726562"],
  ])("breaks the tie in %s to even: %s", (value, expected) => {
    expect(incr(value, "0")).toBe(expected);
  });
});

describe("what strtold accepts", () => {
  it.each([
    ["+.5", "1", "1.5"],
    [".5", "1", "1.5"],
    ["5.", "1", "6"],
    ["007", "1", "8"],
    ["00.5", "0", "0.5"],
    ["1.e5", "0", "100000"],
    ["1E+05", "0", "100000"],
    ["0e99999999999", "1", "1"], // zero, whatever the exponent
    ["0e-99999999999", "1", "1"],
  ])("%s + %s = %s", (value, increment, expected) => {
    expect(incr(value, increment)).toBe(expected);
  });

  it.each([
    ["0x1p3", "0x.8", "8.5"],
    ["-0x.8p1", "0", "-1"],
    ["0X1P-1", "0", "0.5"],
    ["0x1.p1", "0", "2"],
    ["0x.1", "0", "0.0625"],
    ["0x1e5", "0", "485"], // e is a hex digit here, not an exponent
    ["0x1p+1", "0", "2"],
    ["+0x10", "0", "16"],
    ["0x1.8", "0", "1.5"],
    ["-0x0p99999999999", "1", "1"],
  ])("reads the hex float %s (+ %s = %s)", (value, increment, expected) => {
    expect(incr(value, increment)).toBe(expected);
  });
});

describe("not a valid float", () => {
  it.each([
    "",
    " 1", // leading whitespace: strtold skips it, Redis refuses it
    "\t1",
    "1 ", // anything strtold did not read
    "\n1",
    "1\0", // a NUL ends the C string early
    "abc",
    "\xe91",
    "1\xa0",
    "1,5",
    "1.2.3",
    "+-1",
    ".",
    "-",
    "1e", // a dangling exponent is not read, so it is left over
    "1e+",
    "0x", // strtold reads the 0 and stops at the x
    "0x1p",
    "1p5",
    "0x1e+5",
    "infin",
    "infinityy",
    "nan", // NaN parses, then is refused
    "NaN",
    "-nan",
    "nan(1)",
  ])("refuses %j", (text) => {
    expect(incr(text, "1")).toBe(NOT_A_FLOAT);
    expect(incr("1", text)).toBe(NOT_A_FLOAT);
    expect(parseLongDouble(text)).toBeUndefined();
  });

  it.each([
    "1e5000",
    "1e99999999999999999999",
    "0x1p16384",
    "0x1.ffffffffffffffffp16383", // rounds up past the largest value
    "1.18973149535723176509e4932",
  ])("refuses %s, which overflows", (text) => {
    expect(incr(text, "1")).toBe(NOT_A_FLOAT);
    expect(incr("1", text)).toBe(NOT_A_FLOAT);
  });

  it.each([
    "1e-5000",
    "1e-99999999999999999999",
    "0x1p-99999999999",
    "1e-4951", // under half the smallest subnormal
    "0x1p-16446", // exactly half of it: a tie, to even, which is zero
    "0x1p-16447",
  ])("refuses %s, which underflows to zero", (text) => {
    expect(incr(text, "1")).toBe(NOT_A_FLOAT);
  });

  it.each([
    "1e-4950",
    "2e-4951",
    "0x1p-16445", // the smallest subnormal
    "0x1.0000001p-16446", // just over half of it: rounds up to it
  ])("accepts %s, a subnormal, which is tiny but not zero", (text) => {
    expect(incr(text, "0")).toBe("0");
  });

  it(`reads at most ${MAX_LONG_DOUBLE_CHARS - 1} bytes`, () => {
    const longest = `${"0".repeat(MAX_LONG_DOUBLE_CHARS - 2)}1`;
    const tooLong = `0${longest}`;
    expect(incr(longest, "1")).toBe("2");
    expect(incr("1", longest)).toBe("2");
    expect(incr(tooLong, "1")).toBe(NOT_A_FLOAT);
    expect(incr("1", tooLong)).toBe(NOT_A_FLOAT);
  });
});

describe("NaN or Infinity", () => {
  it.each([
    ["inf", "1"],
    ["1", "inf"],
    ["1", "-Infinity"],
    ["INFINITY", "1"],
    ["inf", "-inf"], // NaN
    ["-inf", "-INF"],
    ["1.1e4932", "1.1e4932"], // finite, but the sum overflows
    ["-1.1e4932", "-1.1e4932"],
  ])("%s + %s", (value, increment) => {
    expect(incr(value, increment)).toBe(NOT_FINITE);
  });

  it("counts a missing key as 0, which inf then makes infinite", () => {
    expect(incr(undefined, "inf")).toBe(NOT_FINITE);
  });

  it("lets opposite huge values cancel", () => {
    expect(incr("1.1e4932", "-1.1e4932")).toBe("0");
  });
});

describe("the order of the checks", () => {
  it("parses both numbers before it adds them", () => {
    expect(incr("abc", "inf")).toBe(NOT_A_FLOAT);
    expect(incr("inf", "abc")).toBe(NOT_A_FLOAT);
    expect(incr("nan", "inf")).toBe(NOT_A_FLOAT);
  });
});

describe("the building blocks", () => {
  it("keeps one canonical form: a 64-bit significand, top bit set", () => {
    expect(parse("1")).toEqual({
      kind: "finite",
      negative: false,
      significand: 1n << 63n,
      exponent: -63,
    });
    // 1 written another way is the same value, field for field.
    expect(parse("0x.8p1")).toEqual(parse("1"));
    expect(parse("1e0")).toEqual(parse("1"));
  });

  it("keeps subnormals at the smallest exponent", () => {
    expect(parse("0x1p-16445")).toEqual({
      kind: "finite",
      negative: false,
      significand: 1n,
      exponent: -16445,
    });
  });

  it("tells -0 from 0, as IEEE arithmetic does", () => {
    expect(parse("-0")).toMatchObject({ negative: true, significand: 0n });
    expect(addLongDouble(parse("-0"), parse("-0"))).toMatchObject({
      negative: true,
    });
    expect(addLongDouble(parse("1"), parse("-1"))).toMatchObject({
      negative: false,
    });
  });

  it("returns infinities and NaN from addLongDouble", () => {
    const inf = parse("inf");
    expect(inf).toEqual({ kind: "infinity", negative: false });
    expect(addLongDouble(inf, parse("1"))).toEqual(inf);
    expect(addLongDouble(inf, parse("-inf"))).toEqual({ kind: "nan" });
    const max = parse("0x1.fffffffffffffffep16383");
    expect(addLongDouble(max, max)).toEqual(inf);
  });

  it("formats finite values as Redis stores them", () => {
    const sum = addLongDouble(parse("10.5"), parse("0.1"));
    if (sum.kind !== "finite") throw new Error("not finite");
    expect(formatLongDouble(sum)).toBe("10.6");
  });
});
