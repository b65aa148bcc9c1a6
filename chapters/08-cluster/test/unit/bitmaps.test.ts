/**
 * types/bits.ts: a string as a bitmap. ByteWindow's edits, and BITCOUNT's
 * and BITPOS's ranges checked against the plainest reading of what the
 * commands promise, bit by bit, over many strings and ranges, each both
 * as a byte string and as a MutableString (the black-box suite checks the
 * same against Redis itself).
 */
import { describe, expect, it } from "vitest";
import {
  bitAddress,
  bitRange,
  ByteWindow,
  bytesOf,
  countBits,
  findBit,
} from "../../src/types/bits.ts";
import { MutableString } from "../../src/types/mutable-string.ts";

/** A small deterministic generator (mulberry32), so every run tests the same cases. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Bit `i` of a byte string, as SETBIT numbers bits (0 is the top bit of byte 0). */
function bitOf(value: string, i: number): number {
  return (value.charCodeAt(Math.floor(i / 8)) >> (7 - (i % 8))) & 1;
}

/** Redis's clamping of `start end` over `total` units, without the shortcuts. */
function clamp(total: number, start: number, end: number): [number, number] {
  if (start < 0) start = Math.max(total + start, 0);
  if (end < 0) end = Math.max(total + end, 0);
  return [start, Math.min(end, total - 1)];
}

/** The bits BITCOUNT and BITPOS look at, as bit positions from `first` to `last`. */
function bitsOf(
  length: number,
  start: number,
  end: number,
  unit: "byte" | "bit",
): [number, number] {
  if (unit === "bit") return clamp(length * 8, start, end);
  const [first, last] = clamp(length, start, end);
  return [first * 8, last * 8 + 7];
}

/** The window written back into a copy of `base`, as text. */
function writtenBack(window: ByteWindow, base: string): string {
  const target = MutableString.of(base);
  window.writeTo(target);
  return target.toString();
}

describe("ByteWindow", () => {
  it("writes its bytes back into the string, leaving the rest as it was", () => {
    for (const base of ["abcdef", MutableString.of("abcdef")]) {
      const window = new ByteWindow(base, 2, 3);
      expect(window.byteAt(1)).toBe(0x62);
      expect(window.byteAt(2)).toBe(0x63);
      window.setByte(2, 0x43);
      window.setByte(3, 0x44);
      expect(window.byteAt(3)).toBe(0x44);
      expect(writtenBack(window, "abcdef")).toBe("abCDef");
    }
  });

  it("changes nothing of the string it was copied from until written back", () => {
    const base = MutableString.of("abcdef");
    const window = new ByteWindow(base, 0, 1);
    window.setByte(0, 0x41);
    expect(base.toString()).toBe("abcdef");
    window.writeTo(base);
    expect(base.toString()).toBe("Abcdef");
  });

  it("grows the string with zero bytes up to a window past its end", () => {
    const window = new ByteWindow("ab", 4, 5);
    expect(window.byteAt(3)).toBe(0);
    expect(window.byteAt(9)).toBe(0);
    window.setByte(5, 0x7a);
    expect(writtenBack(window, "ab")).toBe("ab\0\0\0z");
    expect(writtenBack(new ByteWindow("ab", 1, 3), "ab")).toBe("ab\0\0");
  });
});

describe("bitAddress and bytesOf", () => {
  it("bit 0 is the top bit of byte 0; bit 4294967295 the last bit of byte 2^29 - 1", () => {
    expect(bitAddress(0)).toEqual({ byte: 0, mask: 0x80 });
    expect(bitAddress(7)).toEqual({ byte: 0, mask: 0x01 });
    expect(bitAddress(8)).toEqual({ byte: 1, mask: 0x80 });
    expect(bitAddress(4294967295)).toEqual({ byte: 2 ** 29 - 1, mask: 0x01 });
  });

  it("a string of either kind reads as zeros past its end", () => {
    for (const value of ["\xff", MutableString.of("\xff")]) {
      const bytes = bytesOf(value);
      expect([bytes.byteAt(0), bytes.byteAt(1), bytes.byteAt(1000)]).toEqual([
        0xff, 0, 0,
      ]);
    }
  });
});

describe("bitRange", () => {
  it("clamps BYTE ranges into the string, and is empty when start passes end", () => {
    expect(bitRange(6, 0n, -1n, "byte")).toEqual({
      first: 0,
      last: 5,
      firstMask: 0,
      lastMask: 0,
    });
    expect(bitRange(6, -100n, 100n, "byte")).toMatchObject({
      first: 0,
      last: 5,
    });
    expect(bitRange(6, 4n, 2n, "byte")).toBeUndefined();
    expect(bitRange(0, 0n, -1n, "byte")).toBeUndefined();
    expect(bitRange(6, -(2n ** 63n), 2n ** 63n - 1n, "byte")).toMatchObject({
      first: 0,
      last: 5,
    });
  });

  it("marks the bits of the edge bytes outside a BIT range", () => {
    // Bits 5 to 30: byte 0 from its bit 5, byte 3 up to its bit 6.
    expect(bitRange(6, 5n, 30n, "bit")).toEqual({
      first: 0,
      last: 3,
      firstMask: 0b11111000,
      lastMask: 0b00000001,
    });
    expect(bitRange(6, 8n, 15n, "bit")).toEqual({
      first: 1,
      last: 1,
      firstMask: 0,
      lastMask: 0,
    });
  });
});

describe("countBits and findBit, against the bit-by-bit reading", () => {
  const random = seeded(6);
  const cases = Array.from({ length: 4000 }, () => {
    const length = Math.floor(random() * 12);
    const value = Array.from({ length }, () => {
      const roll = random();
      // Runs of 0x00 and 0xff, where BITPOS skips whole bytes.
      if (roll < 0.3) return "\x00";
      if (roll < 0.6) return "\xff";
      return String.fromCharCode(Math.floor(random() * 256));
    }).join("");
    const unit: "byte" | "bit" = random() < 0.5 ? "byte" : "bit";
    const reach = unit === "bit" ? 120 : 15;
    const start = Math.floor(random() * 2 * reach) - reach;
    const end = Math.floor(random() * 2 * reach) - reach;
    // Only BYTE ranges may leave the end out (BITPOS key bit start).
    const endGiven = unit === "bit" || random() < 0.5;
    const bit: 0 | 1 = random() < 0.5 ? 0 : 1;
    return { value, unit, start, end: endGiven ? end : -1, endGiven, bit };
  });

  it("BITCOUNT counts the set bits of the range", () => {
    for (const { value, unit, start, end } of cases) {
      const range = bitRange(value.length, BigInt(start), BigInt(end), unit);
      const [first, last] = bitsOf(value.length, start, end, unit);
      let expected = 0;
      for (let i = first; i <= last; i++) expected += bitOf(value, i);
      for (const kind of [value, MutableString.of(value)]) {
        const count = range === undefined ? 0 : countBits(kind, range);
        const what = JSON.stringify({
          value,
          unit,
          start,
          end,
          kind: typeof kind,
        });
        expect(count, what).toBe(expected);
      }
    }
  });

  it("BITPOS finds the first `bit` of the range; a 0 past the end only when no end was given", () => {
    for (const { value, unit, start, end, endGiven, bit } of cases) {
      const range = bitRange(value.length, BigInt(start), BigInt(end), unit);
      const [first, last] = bitsOf(value.length, start, end, unit);
      let expected = -1;
      for (let i = first; i <= last && expected === -1; i++) {
        if (bitOf(value, i) === bit) expected = i;
      }
      if (expected === -1 && bit === 0 && !endGiven && first <= last) {
        expected = last + 1;
      }
      for (const kind of [value, MutableString.of(value)]) {
        const found =
          range === undefined ? -1 : findBit(kind, bit, range, endGiven);
        const what = JSON.stringify({
          value,
          unit,
          start,
          end,
          bit,
          kind: typeof kind,
        });
        expect(found, what).toBe(expected);
      }
    }
  });
});
