/**
 * Redis's intset as bytes, the way a DUMP payload carries a set of few
 * integers (type 11): a 4-byte width (2, 4 or 8 bytes per member), a
 * 4-byte count, then the members, ascending, each little-endian. Our own
 * intset (types/intset.ts) keeps the same numbers in a string; this file
 * only turns them into Redis's bytes and back.
 */
import type { IntsetWidth } from "../types/intset.ts";
import { RdbFormatError } from "./rdb-format.ts";

const HEADER_BYTES = 8;

/** The intset blob of `members` (ascending) at `width` bytes each. */
export function encodeIntset(
  members: readonly bigint[],
  width: number,
): Buffer {
  const blob = Buffer.alloc(HEADER_BYTES + members.length * width);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(members.length, 4);
  members.forEach((member, i) => {
    const at = HEADER_BYTES + i * width;
    if (width === 8) blob.writeBigInt64LE(member, at);
    else blob.writeIntLE(Number(member), at, width);
  });
  return blob;
}

/**
 * The members of an intset blob, and their width in bits, checked as Redis's deep check
 * (`intsetValidateIntegrity`) checks them: a known width, a size that is
 * exactly the header and the members, and members strictly ascending.
 * Throws RdbFormatError otherwise.
 */
export function decodeIntset(blob: Buffer): {
  members: bigint[];
  width: IntsetWidth;
} {
  if (blob.length < HEADER_BYTES) fail("too short");
  const width = blob.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) fail("unknown width");
  const count = blob.readUInt32LE(4);
  if (count * width + HEADER_BYTES !== blob.length) fail("wrong size");
  if (count === 0) fail("empty");
  const members: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * width;
    const member =
      width === 8 ? blob.readBigInt64LE(at) : BigInt(blob.readIntLE(at, width));
    if (i > 0 && member <= members[i - 1]!) fail("not ascending");
    members.push(member);
  }
  return { members, width: (width * 8) as IntsetWidth };
}

function fail(why: string): never {
  throw new RdbFormatError(`intset: ${why}`);
}
