/**
 * The commands the AOF rewrite writes to recreate a structure, the way
 * Redis 7.0's rewrite writes them: a list as RPUSH, a hash as HMSET, a
 * set as SADD, each command with at most 64 items (a list element, a
 * field and its value, a set member). Short commands keep the rewrite's
 * memory flat and any one command quick to replay; 64 is Redis's
 * AOF_REWRITE_ITEMS_PER_CMD. Redis still writes HMSET, deprecated since
 * 4.0 in favour of HSET: it answers OK instead of a count, which nobody
 * reads during a replay, and every version of Redis can load it.
 */
import { Quicklist } from "../types/quicklist.ts";
import { RedisHash } from "../types/hash.ts";
import type { RedisSet } from "../types/set.ts";

/** Every kind of value that is not a string: what is rebuilt item by item. */
export type Structure = Quicklist | RedisHash | RedisSet;

/** At most this many items per command (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
export const ITEMS_PER_COMMAND = 64;

/**
 * How to recreate one structure: the command, and its items in order,
 * each as the words it adds to the command.
 */
export interface Rebuild {
  readonly command: "RPUSH" | "HMSET" | "SADD";
  readonly items: Iterator<readonly string[]>;
}

// #region rebuild
/** How many items the structure holds: its elements, fields or members. */
export function itemCount(value: Structure): number {
  return value instanceof Quicklist ? value.length : value.size;
}

/** The commands that recreate `value`, head to tail for a list. */
export function rebuildOf(value: Structure): Rebuild {
  if (value instanceof Quicklist) {
    return { command: "RPUSH", items: elementsOf(value) };
  }
  if (value instanceof RedisHash) {
    return { command: "HMSET", items: value.entries() };
  }
  return { command: "SADD", items: membersOf(value) };
}

function* elementsOf(list: Quicklist): Iterator<readonly string[]> {
  for (const [, element] of list.entries()) yield [element];
}

function* membersOf(set: RedisSet): Iterator<readonly string[]> {
  for (const member of set.members()) yield [member];
}
// #endregion rebuild
