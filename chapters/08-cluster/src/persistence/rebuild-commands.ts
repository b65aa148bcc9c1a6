/**
 * The commands the AOF rewrite writes to recreate a structure, the way
 * Redis 7.0's rewrite writes them: a list as RPUSH, a hash as HMSET, a
 * set as SADD, a sorted set as ZADD, each command with at most 64 items
 * (a list element, a field and its value, a set member, a score and its
 * member). Short commands keep the rewrite's
 * memory flat and any one command quick to replay; 64 is Redis's
 * AOF_REWRITE_ITEMS_PER_CMD. Redis still writes HMSET, deprecated since
 * 4.0 in favour of HSET: it answers OK instead of a count, which nobody
 * reads during a replay, and every version of Redis can load it.
 */
import { Quicklist } from "../types/quicklist.ts";
import { RedisHash } from "../types/hash.ts";
import { RedisSet } from "../types/set.ts";
import type { RedisSortedSet } from "../types/sorted-set.ts";
import { formatDouble } from "../protocol/double-text.ts";

/** Every kind of value that is not a string: what is rebuilt item by item. */
export type Structure = Quicklist | RedisHash | RedisSet | RedisSortedSet;

/** At most this many items per command (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
export const ITEMS_PER_COMMAND = 64;

/**
 * How to recreate one structure: the command, and its items in order,
 * each as the words it adds to the command.
 */
export interface Rebuild {
  readonly command: "RPUSH" | "HMSET" | "SADD" | "ZADD";
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
  if (value instanceof RedisSet) {
    return { command: "SADD", items: membersOf(value) };
  }
  return { command: "ZADD", items: scoredMembersOf(value) };
}

function* elementsOf(list: Quicklist): Iterator<readonly string[]> {
  for (const [, element] of list.entries()) yield [element];
}

function* membersOf(set: RedisSet): Iterator<readonly string[]> {
  for (const member of set.members()) yield [member];
}
/**
 * A score as `%.17g` writes it, as Redis's rewrite writes it: seventeen
 * significant digits read back to the very same double, and `inf` and
 * `-inf` are words ZADD reads.
 */
function* scoredMembersOf(zset: RedisSortedSet): Iterator<readonly string[]> {
  for (const [member, score] of zset.entries()) {
    yield [formatDouble(score), member];
  }
}
// #endregion rebuild
