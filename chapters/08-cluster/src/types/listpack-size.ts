/**
 * What one list element costs in Redis 7.0's listpack, to the byte: the
 * quicklist (quicklist.ts) sizes its nodes by these figures, so that a list
 * splits into nodes where Redis's would, and `list-max-listpack-size -2`
 * means the same 8 KB here as there. Our own packed bytes (packed-node.ts)
 * are close but not the same: we do not store integers in binary.
 *
 * From Redis's listpack.c: a listpack is a 6-byte header, its entries, and
 * a 1-byte end mark. An entry is an encoding byte or bytes, the data, and a
 * "backlen", the size of the first two written backwards, so that the list
 * can be walked from its tail.
 */

/** An empty listpack: the 4-byte total size, the 2-byte count, the end byte. */
export const EMPTY_LISTPACK_BYTES = 7;

/**
 * The bytes of `value` as one listpack entry (lpEncodeGetType and
 * lpEncodeBacklen). Text that reads as a 64-bit integer, the way Redis's
 * `string2ll` reads it (`12`, `-7`, not `012` or `+1`), is stored as a
 * binary integer of 1 to 9 bytes; anything else as its bytes, after a
 * 1, 2 or 5-byte length.
 */
export function listpackEntryBytes(value: string): number {
  const encoded =
    integerBytes(value) ?? stringHeaderBytes(value.length) + value.length;
  return encoded + backlenBytes(encoded);
}

/** The length before a string's bytes: 6, 12 or 32 bits of it, with the type. */
function stringHeaderBytes(length: number): number {
  if (length < 64) return 1;
  if (length < 4096) return 2;
  return 5;
}

/** The backlen: the entry's size in 7-bit groups, 1 to 5 bytes. */
function backlenBytes(encoded: number): number {
  if (encoded <= 127) return 1;
  if (encoded < 16383) return 2;
  if (encoded < 2097151) return 3;
  if (encoded < 268435455) return 4;
  return 5;
}

/**
 * The encoding and data bytes of `value` stored as an integer, or
 * undefined if Redis would store it as a string: a 7-bit unsigned integer
 * takes 1 byte, then 13, 16, 24, 32 or 64-bit signed ones 2, 3, 4, 5 or 9.
 */
function integerBytes(value: string): number | undefined {
  // The usual case first, cheaply: most elements do not start like a number.
  const first = value.charCodeAt(0);
  if (!(first === 45 /* - */ || (first >= 48 && first <= 57)) /* 0-9 */) {
    return undefined;
  }
  if (value.length > 20 || !INTEGER_TEXT.test(value)) return undefined;
  // Up to 15 digits, a number is exact; longer ones need a bigint.
  const n = value.length <= 15 ? Number(value) : BigInt(value);
  if (n >= 0 && n <= 127) return 1;
  if (n >= -4096 && n <= 4095) return 2;
  if (n >= -32768 && n <= 32767) return 3;
  if (n >= -8388608 && n <= 8388607) return 4;
  if (n >= -2147483648 && n <= 2147483647) return 5;
  if (n >= INT64_MIN && n <= INT64_MAX) return 9;
  return undefined;
}

/** Redis's integer text: `0`, or an optional minus and no leading zero. */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
