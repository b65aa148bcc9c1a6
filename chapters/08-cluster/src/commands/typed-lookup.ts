/**
 * Looking up a key that must hold one kind of value: a string for GET, a
 * list for LPUSH, a hash for HSET, a set for SADD, a sorted set for
 * ZADD. Each lookup answers the value, undefined for a missing
 * key, or Redis's WRONGTYPE error for a key of another kind, which the
 * command returns as its reply. Every command that cares about the type
 * goes through here, so none can forget the check or word it differently.
 *
 * `read*` is the lookup of a command that only reads (counted in INFO's
 * keyspace_hits and keyspace_misses); `get*` the lookup of one that writes.
 */
import type { Database } from "../keyspace/database.ts";
import type { RedisValue } from "../keyspace/keyspace.ts";
import { error } from "../protocol/reply.ts";
import { Quicklist } from "../types/quicklist.ts";
import { RedisHash } from "../types/hash.ts";
import { RedisSet } from "../types/set.ts";
import { RedisSortedSet } from "../types/sorted-set.ts";
import { MutableString, type StringValue } from "../types/mutable-string.ts";

// #region wrong-type
/** Redis's reply to a command run on a key of the wrong kind. */
export const WRONG_TYPE = error(
  "WRONGTYPE Operation against a key holding the wrong kind of value",
);
export type WrongType = typeof WRONG_TYPE;

/**
 * True if a lookup found a key of the wrong kind. (`found === WRONG_TYPE`
 * says the same, but does not tell TypeScript that what is left is the
 * value or undefined.)
 */
export function isWrongType<T>(
  found: T | undefined | WrongType,
): found is WrongType {
  return found === WRONG_TYPE;
}
// #endregion wrong-type

// #region string-lookup
/**
 * The string at `key` as a byte string, for a command that reads its
 * text (GET, INCR's parse, LCS). A string edited in place (a
 * MutableString) is copied out, which costs what the reply costs anyway;
 * a byte string, the common case, is tested first and costs nothing more.
 */
export function readString(
  db: Database,
  key: string,
): string | undefined | WrongType {
  return asText(db.read(key));
}

/** The string at `key` as a byte string, for a command that writes. */
export function getString(
  db: Database,
  key: string,
): string | undefined | WrongType {
  return asText(db.get(key));
}

function asText(value: RedisValue | undefined): string | undefined | WrongType {
  if (value === undefined || typeof value === "string") return value;
  return value instanceof MutableString ? value.toString() : WRONG_TYPE;
}

/**
 * The string at `key` as it is stored, either kind, for a command that
 * reads some of its bytes without copying them all: STRLEN, GETRANGE,
 * GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD's GETs.
 */
export function readBytes(
  db: Database,
  key: string,
): StringValue | undefined | WrongType {
  return asStringValue(db.read(key));
}

/** The string at `key` as it is stored, for a command that edits it (SETBIT, APPEND). */
export function getBytes(
  db: Database,
  key: string,
): StringValue | undefined | WrongType {
  return asStringValue(db.get(key));
}

function asStringValue(
  value: RedisValue | undefined,
): StringValue | undefined | WrongType {
  if (value === undefined || typeof value === "string") return value;
  return value instanceof MutableString ? value : WRONG_TYPE;
}
// #endregion string-lookup

// #region list-lookup
/** The list at `key` for a command that reads. */
export function readList(
  db: Database,
  key: string,
): Quicklist | undefined | WrongType {
  const value = db.read(key);
  return value === undefined || value instanceof Quicklist ? value : WRONG_TYPE;
}

/** The list at `key` for a command that writes. */
export function getList(
  db: Database,
  key: string,
): Quicklist | undefined | WrongType {
  const value = db.get(key);
  return value === undefined || value instanceof Quicklist ? value : WRONG_TYPE;
}
// #endregion list-lookup

// #region hash-lookup
/** The hash at `key` for a command that reads. */
export function readHash(
  db: Database,
  key: string,
): RedisHash | undefined | WrongType {
  const value = db.read(key);
  return value === undefined || value instanceof RedisHash ? value : WRONG_TYPE;
}

/** The hash at `key` for a command that writes. */
export function getHash(
  db: Database,
  key: string,
): RedisHash | undefined | WrongType {
  const value = db.get(key);
  return value === undefined || value instanceof RedisHash ? value : WRONG_TYPE;
}
// #endregion hash-lookup

// #region set-lookup
/** The set at `key` for a command that reads. */
export function readSet(
  db: Database,
  key: string,
): RedisSet | undefined | WrongType {
  const value = db.read(key);
  return value === undefined || value instanceof RedisSet ? value : WRONG_TYPE;
}

/** The set at `key` for a command that writes. */
export function getSet(
  db: Database,
  key: string,
): RedisSet | undefined | WrongType {
  const value = db.get(key);
  return value === undefined || value instanceof RedisSet ? value : WRONG_TYPE;
}
// #endregion set-lookup

// #region sorted-set-lookup
/** The sorted set at `key` for a command that reads. */
export function readSortedSet(
  db: Database,
  key: string,
): RedisSortedSet | undefined | WrongType {
  const value = db.read(key);
  return value === undefined || value instanceof RedisSortedSet
    ? value
    : WRONG_TYPE;
}

/** The sorted set at `key` for a command that writes. */
export function getSortedSet(
  db: Database,
  key: string,
): RedisSortedSet | undefined | WrongType {
  const value = db.get(key);
  return value === undefined || value instanceof RedisSortedSet
    ? value
    : WRONG_TYPE;
}
// #endregion sorted-set-lookup
