/**
 * Looking up a key that must hold one kind of value: a string for GET, a
 * list for LPUSH. Each lookup answers the value, undefined for a missing
 * key, or Redis's WRONGTYPE error for a key of another kind, which the
 * command returns as its reply. Every command that cares about the type
 * goes through here, so none can forget the check or word it differently.
 *
 * `read*` is the lookup of a command that only reads (counted in INFO's
 * keyspace_hits and keyspace_misses); `get*` the lookup of one that writes.
 */
import type { Database } from "../keyspace/database.ts";
import { error } from "../protocol/reply.ts";
import { Quicklist } from "../types/quicklist.ts";

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

/** The string at `key` for a command that reads. */
export function readString(
  db: Database,
  key: string,
): string | undefined | WrongType {
  const value = db.read(key);
  return value === undefined || typeof value === "string" ? value : WRONG_TYPE;
}

/** The string at `key` for a command that writes. */
export function getString(
  db: Database,
  key: string,
): string | undefined | WrongType {
  const value = db.get(key);
  return value === undefined || typeof value === "string" ? value : WRONG_TYPE;
}

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
