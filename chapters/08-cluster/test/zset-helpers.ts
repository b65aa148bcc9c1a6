/**
 * Helpers for the sorted-set suites (zset-ranges, zset-algebra,
 * zset-pops): a reply WITHSCORES read as [member, score] pairs whichever
 * the protocol, a whole sorted set read that way, and ZADD's arguments
 * for a set of any size.
 */
import { inject } from "vitest";
import type { Redis } from "ioredis";

/** A member and its score as the reply writes it (`%.17g`, `inf`). */
export type Scored = [member: string, score: string];

/**
 * A WITHSCORES-style reply as [member, score] pairs, in the project's
 * protocol: RESP3 sends them in pairs, RESP2 flat (the raw-bytes tests
 * of each suite check both shapes exactly).
 */
export function pairsOf(reply: unknown): Scored[] {
  const items = reply as unknown[];
  if (inject("protocol") === 3) return items as Scored[];
  const pairs: Scored[] = [];
  for (let i = 0; i < items.length; i += 2) {
    pairs.push([items[i] as string, items[i + 1] as string]);
  }
  return pairs;
}

/** A command answered WITHSCORES-style, as pairs: `scored(redis, "ZRANGE", k, "0", "-1", "WITHSCORES")`. */
export async function scored(
  redis: Redis,
  ...command: string[]
): Promise<Scored[]> {
  return pairsOf(await redis.call(command[0]!, ...command.slice(1)));
}

/** A stored sorted set, every member with its score, ascending, as ZRANGE lists it. */
export async function contentsOf(redis: Redis, key: string): Promise<Scored[]> {
  return scored(redis, "ZRANGE", key, "0", "-1", "WITHSCORES");
}

/** `count` members `m1`, `m2`... with scores 1, 2..., as ZADD arguments. */
export function scoresAndMembers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => [
    `${i + 1}`,
    `m${i + 1}`,
  ]).flat();
}
