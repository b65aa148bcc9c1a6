/**
 * types/bit-fields.ts: BITFIELD's integers, read and written at any bit
 * offset, and Redis's three overflow modes, checked against plain bigint
 * arithmetic on the field's range.
 */
import { describe, expect, it } from "vitest";
import { ByteWindow, bytesOf } from "../../src/types/bits.ts";
import {
  fieldLimits,
  fitInField,
  readField,
  writeField,
  type FieldType,
} from "../../src/types/bit-fields.ts";

const i = (bits: number): FieldType => ({ signed: true, bits });
const u = (bits: number): FieldType => ({ signed: false, bits });

describe("fieldLimits", () => {
  it.each([
    [i(1), -1n, 0n],
    [i(8), -128n, 127n],
    [i(64), -(2n ** 63n), 2n ** 63n - 1n],
    [u(1), 0n, 1n],
    [u(8), 0n, 255n],
    [u(63), 0n, 2n ** 63n - 1n],
  ])("%j holds %d to %d", (type, min, max) => {
    expect(fieldLimits(type)).toEqual({ min, max });
  });
});

describe("readField and writeField", () => {
  it("read most significant bit first, across byte boundaries", () => {
    const bytes = bytesOf("\x0f\xf0");
    expect(readField(bytes, 4, u(8))).toBe(255n);
    expect(readField(bytes, 4, i(8))).toBe(-1n);
    expect(readField(bytes, 0, u(4))).toBe(0n);
    expect(readField(bytesOf("\xa0"), 0, i(3))).toBe(-3n); // 101
    // Past the end, zeros.
    expect(readField(bytes, 12, u(63))).toBe(0n);
  });

  it("what is written reads back, and no bit around it moves", () => {
    const before = "\xaa".repeat(12);
    for (const type of [i(1), i(5), i(17), i(64), u(1), u(7), u(33), u(63)]) {
      const { min, max } = fieldLimits(type);
      for (const value of [min, max, 0n, min / 3n, max / 3n]) {
        for (const offset of [0, 3, 8, 13]) {
          const window = new ByteWindow(before, 0, 11);
          writeField(window, offset, type, value);
          expect(readField(window, offset, type)).toBe(value);
          // Bit by bit: the field's bits are the value's, the others as before.
          const pattern = BigInt.asUintN(type.bits, value);
          for (let bit = 0; bit < 96; bit++) {
            const inField = bit >= offset && bit < offset + type.bits;
            const expected = inField
              ? (pattern >> BigInt(offset + type.bits - 1 - bit)) & 1n
              : readField(bytesOf(before), bit, u(1));
            expect(readField(window, bit, u(1))).toBe(expected);
          }
        }
      }
    }
  });
});

describe("fitInField", () => {
  it("a result in range is stored as it is, in every mode", () => {
    for (const mode of ["wrap", "sat", "fail"] as const) {
      expect(fitInField(i(8), 100n, 27n, mode)).toBe(127n);
      expect(fitInField(u(8), 100n, -100n, mode)).toBe(0n);
    }
  });

  it.each([
    [u(8), 255n, 1n, 0n, 255n],
    [u(8), 0n, -1n, 255n, 0n],
    [u(8), 0n, 1000n, 232n, 255n],
    [i(8), 127n, 1n, -128n, 127n],
    [i(8), -128n, -1n, 127n, -128n],
    [i(1), 0n, 1n, -1n, 0n],
    [i(64), 2n ** 63n - 1n, 1n, -(2n ** 63n), 2n ** 63n - 1n],
    [i(64), -(2n ** 63n), -(2n ** 63n), 0n, -(2n ** 63n)],
    [u(63), 2n ** 63n - 1n, 2n ** 63n - 1n, 2n ** 63n - 2n, 2n ** 63n - 1n],
    // SET u8 -1: the value arrives as its 64-bit two's complement pattern.
    [u(8), 2n ** 64n - 1n, 0n, 255n, 255n],
  ])(
    "%j: %d + %d wraps to %d, saturates to %d, fails",
    (type, value, increment, wrapped, saturated) => {
      expect(fitInField(type, value, increment, "wrap")).toBe(wrapped);
      expect(fitInField(type, value, increment, "sat")).toBe(saturated);
      expect(fitInField(type, value, increment, "fail")).toBeUndefined();
    },
  );
});
