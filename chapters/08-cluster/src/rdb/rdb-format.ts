/**
 * The vocabulary of Redis's RDB format shared by its writer and its
 * reader: the type byte that starts each value, the version this server
 * writes, and the error a reader raises at bytes that break the format.
 *
 * A DUMP payload is one value in this format; an RDB file (a later
 * chapter) is a whole keyspace of them, with a header and opcodes between.
 */

/** The RDB version Redis 7.0 writes, and the newest it reads. */
export const RDB_VERSION = 10;

// #region value-types
/**
 * The type byte before each value. Redis 7.0 writes the ones marked
 * "7.0"; it still reads the older ones, from files written by older
 * versions, and so do we, except zipmap (9) and the plain ziplist list
 * (10), from before Redis 3.2.
 */
export const RdbType = {
  string: 0, // 7.0: a string
  list: 1, // a list, element by element
  set: 2, // 7.0: a set, member by member
  zset: 3, // a sorted set, scores as text
  hash: 4, // 7.0: a hash, field and value by field and value
  zset2: 5, // 7.0: a sorted set, scores as binary doubles
  intset: 11, // 7.0: a set of integers, as its intset's bytes
  zsetZiplist: 12, // a small sorted set, as a ziplist's bytes
  hashZiplist: 13, // a small hash, as a ziplist's bytes
  quicklist: 14, // a list, as ziplists
  hashListpack: 16, // 7.0: a small hash, as a listpack's bytes
  zsetListpack: 17, // 7.0: a small sorted set, as a listpack's bytes
  quicklist2: 18, // 7.0: a list, as listpacks (or plain nodes)
} as const;
// #endregion value-types

/**
 * A string's length byte whose top two bits are 11 says the string is
 * encoded: a binary integer of 1, 2 or 4 bytes, little-endian, or LZF.
 */
export const StringEncoding = {
  int8: 0xc0,
  int16: 0xc1,
  int32: 0xc2,
  lzf: 0xc3,
} as const;

/** A quicklist node's container (in type 18): one huge element, or a listpack. */
export const QuicklistContainer = { plain: 1, packed: 2 } as const;

/**
 * Bytes that do not follow the format: a length past the end of the
 * input, an unknown type, a listpack whose header lies. The reader throws
 * it; the payload reader turns it into Redis's "Bad data format".
 */
export class RdbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RdbFormatError";
  }
}
