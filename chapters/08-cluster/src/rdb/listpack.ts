/**
 * Redis's listpack, byte for byte: the compact sequence that holds a
 * small hash, a small sorted set and each node of a list in Redis 7.0,
 * and that a DUMP payload carries as it is. We keep our own packed
 * strings in memory (types/packed-*.ts), so a listpack is only ever built
 * to be written, or read to be unpacked.
 *
 * Layout: 4 bytes of total size and 2 of entry count (little-endian; a
 * count of 65535 means "too many, count them"), the entries, and 0xFF.
 * Each entry is an encoding byte or bytes, its data, and its "backlen",
 * the size of those two, written so that it can be read backwards.
 */
import { parseInt64 } from "../numbers/integers.ts";
import { RdbFormatError } from "./rdb-format.ts";

const HEADER_BYTES = 6;
const END = 0xff;
/** The entry count that means "unknown": the header holds 16 bits. */
const COUNT_UNKNOWN = 65535;

// #region encode
/** The listpack holding `values`, in order. */
export function encodeListpack(values: readonly string[]): Buffer {
  const entries = values.map(encodeEntry);
  let total = HEADER_BYTES + 1;
  for (const entry of entries) total += entry.length;
  const listpack = Buffer.allocUnsafe(total);
  listpack.writeUInt32LE(total, 0);
  listpack.writeUInt16LE(Math.min(values.length, COUNT_UNKNOWN), 4);
  let position = HEADER_BYTES;
  for (const entry of entries) position += entry.copy(listpack, position);
  listpack[position] = END;
  return listpack;
}

/** One entry: its encoding and data, then its backlen. */
function encodeEntry(value: string): Buffer {
  const body = encodeBody(value);
  const backlen = encodeBacklen(body.length);
  return Buffer.concat([body, backlen], body.length + backlen.length);
}

/**
 * Integer text (as `string2ll` reads it) as the smallest integer that
 * holds it; anything else as a 6, 12 or 32-bit length and the bytes.
 */
function encodeBody(value: string): Buffer {
  const integer = value.length <= 20 ? parseInt64(value) : undefined;
  if (integer !== undefined) return encodeInteger(integer);
  const bytes = Buffer.from(value, "latin1");
  const length = bytes.length;
  let header: Buffer;
  if (length < 64) {
    header = Buffer.of(0x80 | length);
  } else if (length < 4096) {
    header = Buffer.of(0xe0 | (length >> 8), length & 0xff);
  } else {
    header = Buffer.alloc(5);
    header[0] = 0xf0;
    header.writeUInt32LE(length, 1);
  }
  return Buffer.concat([header, bytes], header.length + length);
}

function encodeInteger(value: bigint): Buffer {
  if (value >= 0n && value <= 127n) return Buffer.of(Number(value));
  if (value >= -4096n && value <= 4095n) {
    const bits = Number(value) & 0x1fff; // 13 bits, two's complement
    return Buffer.of(0xc0 | (bits >> 8), bits & 0xff);
  }
  if (value >= -32768n && value <= 32767n) {
    const bytes = Buffer.alloc(3);
    bytes[0] = 0xf1;
    bytes.writeInt16LE(Number(value), 1);
    return bytes;
  }
  if (value >= -8388608n && value <= 8388607n) {
    const bytes = Buffer.alloc(4);
    bytes[0] = 0xf2;
    bytes.writeIntLE(Number(value), 1, 3);
    return bytes;
  }
  if (value >= -2147483648n && value <= 2147483647n) {
    const bytes = Buffer.alloc(5);
    bytes[0] = 0xf3;
    bytes.writeInt32LE(Number(value), 1);
    return bytes;
  }
  const bytes = Buffer.alloc(9);
  bytes[0] = 0xf4;
  bytes.writeBigInt64LE(value, 1);
  return bytes;
}

/**
 * The backlen: `size` in 7-bit groups, most significant first, every
 * byte but the first flagged with 128, so that a reader going backwards
 * knows to read on.
 */
function encodeBacklen(size: number): Buffer {
  const groups = [size & 127];
  let rest = Math.floor(size / 128);
  while (rest > 0) {
    groups.unshift(rest & 127);
    rest = Math.floor(rest / 128);
  }
  return Buffer.from(groups.map((group, i) => (i === 0 ? group : group | 128)));
}
// #endregion encode

// #region decode
/**
 * The values in `listpack`, checked as Redis's deep integrity check
 * (`lpValidateIntegrity`) checks them: the header's size is the real
 * size, every entry lies inside it with a backlen that matches, the end
 * byte is where it should be, and the count (unless "unknown") is right.
 * Throws RdbFormatError otherwise. Every length is checked against the
 * bytes left before anything is copied, so nothing here allocates more
 * than the listpack's own size.
 */
export function decodeListpack(listpack: Buffer): string[] {
  if (listpack.length < HEADER_BYTES + 1) fail("too short");
  if (listpack.readUInt32LE(0) !== listpack.length) fail("wrong total size");
  const count = listpack.readUInt16LE(4);
  const end = listpack.length - 1;
  if (listpack[end] !== END) fail("no end byte");
  const values: string[] = [];
  let position = HEADER_BYTES;
  while (position < end) {
    const entry = readEntry(listpack, position, end);
    if (entry === undefined) fail("bad entry");
    values.push(entry.value);
    position = entry.next;
  }
  if (position !== end) fail("entries run past the end");
  if (count !== COUNT_UNKNOWN && count !== values.length) fail("wrong count");
  return values;
}

/** The entry at `position`, and where the next begins; undefined if malformed. */
function readEntry(
  lp: Buffer,
  position: number,
  end: number,
): { value: string; next: number } | undefined {
  const first = lp[position]!;
  let header: number; // bytes before the data
  let length: number; // bytes of data
  if (first < 0x80) {
    return withBacklen(lp, position, 1, end, String(first));
  } else if (first < 0xc0) {
    header = 1;
    length = first & 0x3f;
  } else if (first < 0xe0) {
    if (position + 2 > end) return undefined;
    const bits = ((first & 0x1f) << 8) | lp[position + 1]!;
    const signed = bits >= 4096 ? bits - 8192 : bits;
    return withBacklen(lp, position, 2, end, String(signed));
  } else if (first < 0xf0) {
    if (position + 2 > end) return undefined;
    header = 2;
    length = ((first & 0x0f) << 8) | lp[position + 1]!;
  } else if (first === 0xf0) {
    if (position + 5 > end) return undefined;
    header = 5;
    length = lp.readUInt32LE(position + 1);
  } else {
    const widths: Record<number, number> = {
      0xf1: 2,
      0xf2: 3,
      0xf3: 4,
      0xf4: 8,
    };
    const width = widths[first];
    if (width === undefined || position + 1 + width > end) return undefined;
    const at = position + 1;
    const integer =
      width === 8 ? lp.readBigInt64LE(at) : lp.readIntLE(at, width);
    return withBacklen(lp, position, 1 + width, end, String(integer));
  }
  if (length > end - position - header) return undefined;
  const start = position + header;
  const text = lp.toString("latin1", start, start + length);
  return withBacklen(lp, position, header + length, end, text);
}

/** Checks the backlen after an entry of `size` bytes at `position`. */
function withBacklen(
  lp: Buffer,
  position: number,
  size: number,
  end: number,
  value: string,
): { value: string; next: number } | undefined {
  const expected = encodeBacklen(size);
  const at = position + size;
  if (at + expected.length > end) return undefined;
  if (!lp.subarray(at, at + expected.length).equals(expected)) return undefined;
  return { value, next: at + expected.length };
}
// #endregion decode

function fail(why: string): never {
  throw new RdbFormatError(`listpack: ${why}`);
}
