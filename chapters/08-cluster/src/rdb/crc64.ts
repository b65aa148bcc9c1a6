/**
 * Redis's CRC64: the checksum at the end of a DUMP payload and of an RDB
 * file. The "Jones" polynomial (0xad93d23594c935a9), reflected, starting
 * from 0 with no final XOR: crc64("123456789") is 0xe9c6d914c4b8d9ca.
 *
 * A CRC is long division by the polynomial, one bit at a time; the usual
 * speed-up, done here, precomputes what dividing one whole byte does (a
 * table of 256 remainders) and then takes one table step per byte.
 *
 * JavaScript's numbers hold 53-bit integers, and a bigint per byte would
 * be slow over a 512 MB string, so the 64-bit remainder is kept as two
 * 32-bit halves, `high` and `low`, and each table entry likewise.
 */

// #region table
/** The reflected Jones polynomial, as two 32-bit halves. */
const POLY_HIGH = 0x95ac9329;
const POLY_LOW = 0xac4bc9b5;

/** For each byte value: the remainder after dividing it in, both halves. */
const TABLE_HIGH = new Uint32Array(256);
const TABLE_LOW = new Uint32Array(256);

for (let byte = 0; byte < 256; byte++) {
  let high = 0;
  let low = byte;
  for (let bit = 0; bit < 8; bit++) {
    // Reflected: the lowest bit is the one that leaves; if it was set, the
    // polynomial is subtracted (XORed) from what remains.
    const carry = low & 1;
    low = ((low >>> 1) | ((high & 1) << 31)) >>> 0;
    high >>>= 1;
    if (carry) {
      high = (high ^ POLY_HIGH) >>> 0;
      low = (low ^ POLY_LOW) >>> 0;
    }
  }
  TABLE_HIGH[byte] = high;
  TABLE_LOW[byte] = low;
}
// #endregion table

// #region crc64
/** The CRC64 of `bytes`, as Redis computes it, as a bigint. */
export function crc64(bytes: Uint8Array): bigint {
  let high = 0;
  let low = 0;
  for (let i = 0; i < bytes.length; i++) {
    const index = (low ^ bytes[i]!) & 0xff;
    // Shift the 64-bit remainder right by one byte, then fold the table in.
    low = ((low >>> 8) | (high << 24)) ^ TABLE_LOW[index]!;
    high = (high >>> 8) ^ TABLE_HIGH[index]!;
  }
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}
// #endregion crc64
