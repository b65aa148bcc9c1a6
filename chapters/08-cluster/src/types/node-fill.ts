/**
 * How full one quicklist node may get: Redis 7.0.15's rules, from
 * quicklist.c (`quicklistSetFill`, `_quicklistNodeAllowInsert`,
 * `_quicklistNodeAllowMerge`), on the listpack sizes of listpack-size.ts.
 *
 * `fill` is `list-max-listpack-size`. Negative, it bounds a node's bytes:
 * -1 to -5 are 4, 8, 16, 32 and 64 KB. Positive, it bounds a node's
 * entries, and 8 KB still bounds its bytes (SIZE_SAFETY_LIMIT), so that a
 * count of big elements cannot make one huge node.
 */

import { EMPTY_LISTPACK_BYTES } from "./listpack-size.ts";

/** The byte bounds of fill -1 to -5 (Redis's `optimization_level`). */
const SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536] as const;

/** A node limited by its number of entries still stays within 8 KB. */
const SIZE_SAFETY_LIMIT = 8192;

/** The most entries a positive fill may ask for (Redis keeps fill in 16 bits). */
const FILL_MAX = 32767;

/**
 * The fill Redis uses for a setting that `list-max-listpack-size` accepts
 * but a quicklist does not: below -5 is -5, above 32767 is 32767. (0 stays:
 * it lets no second entry into a node, like 1.)
 */
export function normaliseFill(fill: number): number {
  return Math.min(Math.max(fill, -SIZE_LEVELS.length), FILL_MAX);
}

/** The most listpack bytes a node may hold under `fill`. */
export function byteLimit(fill: number): number {
  return fill < 0 ? SIZE_LEVELS[-fill - 1]! : SIZE_SAFETY_LIMIT;
}

// #region allows-insert
/**
 * What Redis adds to a node's bytes for one more element, before encoding
 * it: an overestimate of an entry's overhead (SIZE_ESTIMATE_OVERHEAD), so
 * a node never ends up a few bytes over its limit.
 */
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * Whether a node of `bytes` listpack bytes and `entries` entries may take
 * one more element of `length` bytes. Redis does not encode the element to
 * decide: it adds the estimate above, and so do we, so that nodes split
 * where Redis's do (a node of 3-byte elements takes 816 of them at fill
 * -1, checked against redis-server 7.0.15).
 */
export function allowsInsert(
  bytes: number,
  entries: number,
  length: number,
  fill: number,
): boolean {
  const after = bytes + length + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) return after <= byteLimit(fill);
  return after <= SIZE_SAFETY_LIMIT && entries < fill;
}
// #endregion allows-insert

/**
 * Whether two neighbouring nodes may become one: the listpack they would
 * make (their bytes, less one header and end mark) within the limit, and
 * for a positive fill their entries too. Redis 7.0 subtracts 11 bytes, a
 * figure left from the ziplist, so it may merge nodes 4 bytes past the
 * limit; 7.2 subtracts 7, and so do we, so that no node of several
 * elements is ever over its limit.
 */
export function allowsMerge(
  bytesA: number,
  entriesA: number,
  bytesB: number,
  entriesB: number,
  fill: number,
): boolean {
  const merged = bytesA + bytesB - EMPTY_LISTPACK_BYTES;
  if (fill < 0) return merged <= byteLimit(fill);
  return merged <= SIZE_SAFETY_LIMIT && entriesA + entriesB <= fill;
}

/**
 * Whether an element is too big to share a node under `fill`: even an
 * empty node would not take it. Redis 7.0 gives such an element a node of
 * its own when it is pushed (no node lets it in), and so do we wherever it
 * goes.
 */
export function isOversized(length: number, fill: number): boolean {
  return (
    EMPTY_LISTPACK_BYTES + length + SIZE_ESTIMATE_OVERHEAD > byteLimit(fill)
  );
}
