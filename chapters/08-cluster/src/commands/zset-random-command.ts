/**
 * ZRANDMEMBER key [count [WITHSCORES]]: members picked at random, with
 * their scores if asked, left in the set. Redis 7.0 picks them as
 * HRANDFIELD picks fields (`zrandmemberWithCountCommand` in t_zset.c), so
 * the algorithm is written once, in random-with-count.ts; what is a
 * sorted set's own is here: the word WITHSCORES, the order of a count
 * that covers every member (from the highest score down, the order in
 * which Redis walks a sorted set to copy it whole), and the reply.
 *
 * WITHSCORES puts each member's score after it: flat in RESP2, and in
 * RESP3 as a pair per member, `[[member, score], ...]`, the score a
 * double.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import type { RedisSortedSet, ScoredMember } from "../types/sorted-set.ts";
import { readSortedSet } from "./typed-lookup.ts";
import { randomPicks, type RandomPickRules } from "./random-with-count.ts";
import { scoredMembersReply } from "./zset-replies.ts";
import { ZSET_POP_DOCS } from "./docs/zset-pop-docs.ts";

// #region zrandmember
/** What ZRANDMEMBER does its own way; the rest is random-with-count.ts. */
const SORTED_SET_PICKS: RandomPickRules<RedisSortedSet, ScoredMember> = {
  pairsWord: "withscores",
  itemsName: "members",
  lookup: readSortedSet,
  everything: (set) => set.byRank(0, set.size - 1, true),
  reply: scoredMembersReply,
};

export const zrandmember: CommandSpec = {
  name: "zrandmember",
  arity: -2,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  categories: ["@read", "@sortedset", "@slow"],
  tips: ["nondeterministic_output"],
  docs: ZSET_POP_DOCS.zrandmember,
  run: (args, { session }) => randomPicks(args, session, SORTED_SET_PICKS),
};
// #endregion zrandmember

export const ZSET_RANDOM_COMMANDS: readonly CommandSpec[] = [zrandmember];
