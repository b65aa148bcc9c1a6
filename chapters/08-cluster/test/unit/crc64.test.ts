/**
 * Redis's CRC64 (Jones polynomial, reflected): the check value of the
 * CRC catalogue, and agreement with a bit-at-a-time version of the same
 * division on random inputs, which the table-driven one must equal.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../shared/seeded-random.ts";
import { crc64 } from "../../src/rdb/crc64.ts";

/** The CRC one bit at a time, straight from the definition. */
function crc64BitByBit(bytes: Uint8Array): bigint {
  let crc = 0n;
  for (const byte of bytes) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1n ? (crc >> 1n) ^ 0x95ac9329ac4bc9b5n : crc >> 1n;
    }
  }
  return crc;
}

describe("crc64", () => {
  it("gives Redis's check value for 123456789", () => {
    expect(crc64(Buffer.from("123456789")).toString(16)).toBe(
      "e9c6d914c4b8d9ca",
    );
  });

  it("is 0 for no bytes", () => {
    expect(crc64(Buffer.alloc(0))).toBe(0n);
  });

  it("agrees with the bit-by-bit division on random inputs", () => {
    const random = seededRandom(64);
    for (let round = 0; round < 200; round++) {
      const bytes = random.bytes(random.below(300));
      expect(crc64(bytes)).toBe(crc64BitByBit(bytes));
    }
  });
});
