/**
 * BITFIELD's integers: a signed or unsigned integer of 1 to 64 bits stored
 * at any bit offset of a string, most significant bit first, and what
 * happens when arithmetic on one leaves its range (Redis's OVERFLOW
 * modes). Values are bigints: a 64-bit field does not fit in a number.
 */
import type { ByteReader } from "./bits.ts";

// #region field-type
/** `i8` is { signed: true, bits: 8 }; `u63` is { signed: false, bits: 63 }. */
export interface FieldType {
  readonly signed: boolean;
  readonly bits: number;
}

/**
 * The smallest and largest values a field can hold. Unsigned fields stop
 * at 63 bits (Redis refuses u64: its replies are signed 64-bit integers),
 * so every value of every field fits in a reply.
 */
export function fieldLimits({ signed, bits }: FieldType): {
  min: bigint;
  max: bigint;
} {
  return signed
    ? { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n }
    : { min: 0n, max: (1n << BigInt(bits)) - 1n };
}
// #endregion field-type

// #region read-write
/** The field of `type` at bit `offset` (zero bits past the end of the bytes). */
export function readField(
  bytes: ByteReader,
  offset: number,
  type: FieldType,
): bigint {
  let value = 0n;
  for (let i = 0; i < type.bits; i++) {
    const at = offset + i;
    const bit = (bytes.byteAt(Math.floor(at / 8)) >> (7 - (at % 8))) & 1;
    value = (value << 1n) | BigInt(bit);
  }
  // The top bit of a signed field is its sign: two's complement.
  return type.signed ? BigInt.asIntN(type.bits, value) : value;
}

/** Stores `value`, which must fit, as the field of `type` at bit `offset`. */
export function writeField(
  bytes: ByteReader & { setByte(index: number, byte: number): void },
  offset: number,
  type: FieldType,
  value: bigint,
): void {
  const pattern = BigInt.asUintN(type.bits, value);
  for (let i = 0; i < type.bits; i++) {
    const at = offset + i;
    const index = Math.floor(at / 8);
    const mask = 0x80 >> (at % 8);
    const on = (pattern >> BigInt(type.bits - 1 - i)) & 1n;
    const byte = bytes.byteAt(index);
    bytes.setByte(index, on === 1n ? byte | mask : byte & ~mask);
  }
}
// #endregion read-write

// #region overflow
/** What BITFIELD does with a result its field cannot hold (OVERFLOW ...). */
export type Overflow = "wrap" | "sat" | "fail";

/**
 * The value to store for `value + increment` in a field of `type`, or
 * undefined when it does not fit and the mode is FAIL (BITFIELD answers
 * nil and writes nothing). WRAP keeps the low bits, as C's arithmetic on
 * the field's width would; SAT stops at the nearest limit.
 *
 * SET passes its value with an increment of 0. Redis reads that value as
 * a signed 64-bit integer and, for an unsigned field, as its two's
 * complement bit pattern: `SET u8 0 -1` is 2^64 - 1, too big, so it
 * saturates to 255 and wraps to 255 too. The caller converts it.
 */
export function fitInField(
  type: FieldType,
  value: bigint,
  increment: bigint,
  overflow: Overflow,
): bigint | undefined {
  const result = value + increment;
  const { min, max } = fieldLimits(type);
  if (result >= min && result <= max) return result;
  switch (overflow) {
    case "wrap":
      return type.signed
        ? BigInt.asIntN(type.bits, result)
        : BigInt.asUintN(type.bits, result);
    case "sat":
      return result > max || beyondMaxInC(type, value, max) ? max : min;
    case "fail":
      return undefined;
  }
}

/**
 * A quirk of Redis's check, kept: it computes `max - value` in 64 bits to
 * see how far a value is from the top, and for a SET of a value within
 * `max` of -2^63 that difference overflows and reads as negative, which
 * the check takes for "too big". So `OVERFLOW SAT SET i32 0
 * -9223372036854775807` stores 2147483647, not -2147483648, in Redis
 * 7.0.15 (a 64-bit field is checked another way, and an INCRBY's value is
 * one the field already holds, so neither can get there). WRAP and FAIL
 * come out the same either way.
 */
function beyondMaxInC(type: FieldType, value: bigint, max: bigint): boolean {
  return type.signed && type.bits < 64 && max - value > INT64_MAX;
}

const INT64_MAX = 2n ** 63n - 1n;
// #endregion overflow
