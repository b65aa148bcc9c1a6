/**
 * parseTimeout: BLPOP's timeout read as Redis 7.0.15 reads it. The
 * expected answers were taken from redis-server 7.0.15 (`BLPOP k T` on a
 * key holding data answers at once unless T is refused).
 */
import { describe, expect, it } from "vitest";
import { FOREVER, parseTimeout } from "../../src/blocking/timeout.ts";

const NOW = 1_000;

function deadline(text: string): number | string {
  const parsed = parseTimeout(Buffer.from(text, "latin1"), NOW);
  return typeof parsed === "number"
    ? parsed
    : (parsed as { text: string }).text;
}

describe("a timeout in seconds", () => {
  it.each([
    ["1.5", NOW + 1500],
    ["0x10", NOW + 16_000],
    ["0x1p-3", NOW + 125],
    // Rounded up to whole milliseconds: never 0, which would mean for ever.
    ["0.0009", NOW + 1],
    ["1e-10", NOW + 1],
    ["0.001", NOW + 1],
  ])("%s waits until %d", (text, expected) => {
    expect(deadline(text)).toBe(expected);
  });

  it.each(["0", "-0", "-0.0001", "-0.001"])(
    "%s rounds up to 0 ms: for ever",
    (text) => {
      expect(deadline(text)).toBe(FOREVER);
    },
  );

  it("the last millisecond below 2^63 is accepted, exactly as in long double arithmetic", () => {
    expect(deadline("9223372036854775")).toBe(NOW + 9223372036854775000);
    expect(deadline("9223372036854775.807")).toBe(NOW + 9223372036854775807);
  });

  it.each([
    "9223372036854775.808",
    "9223372036854776",
    "9.3e15",
    "1e400",
    "inf",
    "-inf",
    "-1",
  ])(
    "%s does not fit a C long long once in milliseconds: 'negative'",
    (text) => {
      expect(deadline(text)).toBe("ERR timeout is negative");
    },
  );

  it.each(["abc", "", " 1", "1 ", "nan", "1e5000", "1e-5000"])(
    "%j is not a float",
    (text) => {
      expect(deadline(text)).toBe("ERR timeout is not a float or out of range");
    },
  );
});
