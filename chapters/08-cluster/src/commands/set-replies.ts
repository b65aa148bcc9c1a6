/**
 * The replies the set commands share: a set of members, in RESP3's set
 * type (`~`) and RESP2's array, empty ones included, as Redis answers.
 */
import { bulk, set, type Reply } from "../protocol/reply.ts";

/** No members: SMEMBERS of a missing key, SINTER with one, SPOP 0. */
export const EMPTY_SET = set([]);

/** A set reply of `members`, in the order given. */
export function membersReply(members: Iterable<string>): Reply {
  return set(Array.from(members, bulk));
}
