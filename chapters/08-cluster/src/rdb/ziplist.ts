/**
 * Redis's ziplist, read only: what small hashes, small sorted sets and
 * list nodes were before Redis 7.0 replaced it with the listpack. Redis
 * 7.0 still loads RDB data written by older versions, converting each
 * ziplist to a listpack, so RESTORE of an old payload works; we do the
 * same, into our own structures. Nothing writes a ziplist any more.
 *
 * Layout: 4 bytes of total size, 4 of the last entry's offset, 2 of entry
 * count (little-endian; 65535 means "count them"), the entries, then
 * 0xFF. Each entry starts with the previous entry's size (1 byte, or 0xFE
 * and 4 bytes), so that the list can be walked backwards, then its
 * encoding and data. Checked as Redis's deep check checks it.
 */
import { RdbFormatError } from "./rdb-format.ts";

const HEADER_BYTES = 10;
const END = 0xff;
const COUNT_UNKNOWN = 65535;

/** The values in `ziplist`; throws RdbFormatError if it is malformed. */
export function decodeZiplist(ziplist: Buffer): string[] {
  if (ziplist.length < HEADER_BYTES + 1) fail("too short");
  if (ziplist.readUInt32LE(0) !== ziplist.length) fail("wrong total size");
  const tail = ziplist.readUInt32LE(4);
  const count = ziplist.readUInt16LE(8);
  const end = ziplist.length - 1;
  if (ziplist[end] !== END) fail("no end byte");
  const values: string[] = [];
  let position = HEADER_BYTES;
  let previousSize = 0;
  let lastStart = HEADER_BYTES;
  while (position < end) {
    const start = position;
    // The previous entry's size: 1 byte, or 0xFE and 4 bytes.
    let recorded = ziplist[position++]!;
    if (recorded === 0xfe) {
      if (position + 4 > end) fail("cut entry");
      recorded = ziplist.readUInt32LE(position);
      position += 4;
    }
    if (recorded !== previousSize) fail("wrong previous size");
    const entry = readEntry(ziplist, position, end);
    if (entry === undefined) fail("bad entry");
    values.push(entry.value);
    position = entry.next;
    previousSize = position - start;
    lastStart = start;
  }
  if (position !== end) fail("entries run past the end");
  if (tail !== lastStart) fail("wrong tail offset");
  if (count !== COUNT_UNKNOWN && count !== values.length) fail("wrong count");
  return values;
}

/** One entry's value after its previous-size field, and where the next starts. */
function readEntry(
  zl: Buffer,
  at: number,
  end: number,
): { value: string; next: number } | undefined {
  if (at >= end) return undefined;
  const first = zl[at]!;
  let header: number;
  let length: number;
  switch (first >> 6) {
    case 0: // a string of up to 63 bytes
      header = 1;
      length = first & 0x3f;
      break;
    case 1: // up to 16383 bytes, big-endian
      if (at + 2 > end) return undefined;
      header = 2;
      length = ((first & 0x3f) << 8) | zl[at + 1]!;
      break;
    case 2: // 32 bits of length, big-endian
      if (first !== 0x80 || at + 5 > end) return undefined;
      header = 5;
      length = zl.readUInt32BE(at + 1);
      break;
    default:
      return readInteger(zl, at, end);
  }
  if (length > end - at - header) return undefined;
  const start = at + header;
  return {
    value: zl.toString("latin1", start, start + length),
    next: start + length,
  };
}

/** An integer entry: 8, 16, 24, 32 or 64 bits, or 0 to 12 in the encoding byte itself. */
function readInteger(
  zl: Buffer,
  at: number,
  end: number,
): { value: string; next: number } | undefined {
  const first = zl[at]!;
  if (first >= 0xf1 && first <= 0xfd) {
    return { value: String((first & 0x0f) - 1), next: at + 1 };
  }
  const widths: Record<number, number> = {
    0xfe: 1,
    0xc0: 2,
    0xf0: 3,
    0xd0: 4,
    0xe0: 8,
  };
  const width = widths[first];
  if (width === undefined || at + 1 + width > end) return undefined;
  const value =
    width === 8 ? zl.readBigInt64LE(at + 1) : zl.readIntLE(at + 1, width);
  return { value: String(value), next: at + 1 + width };
}

function fail(why: string): never {
  throw new RdbFormatError(`ziplist: ${why}`);
}
