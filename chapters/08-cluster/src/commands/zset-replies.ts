/**
 * The replies the sorted-set commands share: members with their scores
 * (ZRANGE ... WITHSCORES, ZPOPMIN, ZRANDMEMBER ... WITHSCORES, ZUNION
 * ... WITHSCORES). A score is a double: RESP3 has a type for it (`,1.5`),
 * RESP2 sends it as a bulk string of its `%.17g` text (reply.ts writes
 * both). The shape differs too, as Redis 7.0 sends it: RESP2 lays
 * members and scores flat, one after the other; RESP3 nests each member
 * with its score in a pair. And one score alone (ZSCORE, ZINCRBY) is a
 * double, or nil for a member that is not there.
 */
import {
  array,
  bulk,
  double,
  NULL,
  type Protocol,
  type Reply,
} from "../protocol/reply.ts";
import type { ScoredMember } from "../types/sorted-set.ts";

/** ZSCORE's answer, and each of ZMSCORE's: the score, or nil for no such member. */
export function scoreOrNil(score: number | undefined): Reply {
  return score === undefined ? NULL : double(score);
}

// #region scored-members
/**
 * `entries` as a range reply: members only, or with their scores, flat
 * (`member, score, member, score`) in RESP2 and in pairs
 * (`[member, score], ...`) in RESP3.
 */
export function scoredMembersReply(
  entries: Iterable<ScoredMember>,
  withScores: boolean,
  protocol: Protocol,
): Reply {
  const items: Reply[] = [];
  for (const [member, score] of entries) {
    if (!withScores) items.push(bulk(member));
    else if (protocol === 3) items.push(array([bulk(member), double(score)]));
    else items.push(bulk(member), double(score));
  }
  return array(items);
}

/** One member with its score, flat in both protocols (ZPOPMIN without a count, BZPOPMIN). */
export function scoredMemberFlat([member, score]: ScoredMember): Reply[] {
  return [bulk(member), double(score)];
}
// #endregion scored-members
