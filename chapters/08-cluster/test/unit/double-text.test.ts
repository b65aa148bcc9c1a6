/**
 * Unit tests for double-text.ts: doubles written as C's `printf("%.17g")`,
 * which is how Redis 7.0.15 writes them (ZSCORE, RESP3 doubles). Each
 * expected text is what C's printf gives for that double; the random test
 * checks the properties that make %.17g what it is.
 */
import { describe, expect, it } from "vitest";
import { formatDouble } from "../../src/protocol/double-text.ts";
import { seededRandom } from "../../../../shared/seeded-random.ts";

describe("formatDouble", () => {
  it.each<[number, string]>([
    [0, "0"],
    [-0, "-0"],
    [1, "1"],
    [-2.5, "-2.5"],
    [100, "100"],
    [1.1, "1.1000000000000001"],
    [0.1, "0.10000000000000001"],
    [1 / 3, "0.33333333333333331"],
    [0.0001, "0.0001"],
    [1e-5, "1.0000000000000001e-05"],
    [1e16, "10000000000000000"],
    [1e17, "1e+17"],
    [123456789012345678, "1.2345678901234568e+17"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [5e-324, "4.9406564584124654e-324"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ])("writes %d as %s", (value, text) => {
    expect(formatDouble(value)).toBe(text);
  });

  it("rounds an exact tie to the even digit, as C does (toPrecision goes up)", () => {
    // 2251799813685246.25 is a double; at 17 digits it is halfway between
    // ...46.2 and ...46.3.
    expect((2251799813685246.25).toPrecision(17)).toBe("2251799813685246.3");
    expect(formatDouble(2251799813685246.25)).toBe("2251799813685246.2");
    expect(formatDouble(2251799813685246.75)).toBe("2251799813685246.8");
    expect(formatDouble(-2251799813685246.25)).toBe("-2251799813685246.2");
  });

  it("reads back as the same double, with at most 17 significant digits", () => {
    const random = seededRandom(17);
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 20_000; i++) {
      view.setUint32(0, random.below(2 ** 32));
      view.setUint32(4, random.below(2 ** 32));
      const value = view.getFloat64(0);
      if (!Number.isFinite(value)) continue;
      const text = formatDouble(value);
      expect(Number(text)).toBe(value);
      const mantissa = text.replace(/^-/, "").split("e")[0]!;
      const significant = mantissa.replace(".", "").replace(/^0+/, "");
      expect(significant.length).toBeLessThanOrEqual(17);
    }
  });
});
