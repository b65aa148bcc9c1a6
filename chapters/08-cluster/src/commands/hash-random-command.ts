/**
 * HRANDFIELD key [count [WITHVALUES]]: fields picked at random, with their
 * values if asked. Redis's algorithm (t_hash.c,
 * `hrandfieldWithCountCommand`) is ZRANDMEMBER's too, so it is written
 * once, in random-with-count.ts; what is a hash's own is here: the word
 * WITHVALUES, the hash's order when a count covers all its fields, and
 * the reply.
 *
 * WITHVALUES puts each field's value after it: flat in RESP2, and in
 * RESP3 as a pair per field, `[[field, value], ...]`.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, bulk, type Protocol, type Reply } from "../protocol/reply.ts";
import type { RedisHash } from "../types/hash.ts";
import { readHash } from "./typed-lookup.ts";
import { randomPicks, type RandomPickRules } from "./random-with-count.ts";
import { HASH_DOCS } from "./docs/hash-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

// #region hrandfield
type FieldAndValue = [field: string, value: string];

/** The picked pairs as HRANDFIELD answers them. */
function fieldsReply(
  picked: readonly FieldAndValue[],
  withValues: boolean,
  protocol: Protocol,
): Reply {
  if (!withValues) return array(picked.map(([field]) => bulk(field)));
  if (protocol === 3) {
    return array(
      picked.map(([field, value]) => array([bulk(field), bulk(value)])),
    );
  }
  return array(picked.flatMap(([field, value]) => [bulk(field), bulk(value)]));
}

/** What HRANDFIELD does its own way; the rest is random-with-count.ts. */
const HASH_PICKS: RandomPickRules<RedisHash, FieldAndValue> = {
  pairsWord: "withvalues",
  itemsName: "fields",
  lookup: readHash,
  // Every field, in the hash's own order.
  everything: (hash) => hash.entries(),
  reply: fieldsReply,
};

export const hrandfield: CommandSpec = {
  name: "hrandfield",
  arity: -2,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@hash", "@slow"],
  tips: ["nondeterministic_output"],
  docs: HASH_DOCS.hrandfield,
  run: (args, { session }) => randomPicks(args, session, HASH_PICKS),
};
// #endregion hrandfield

export const HASH_RANDOM_COMMANDS: readonly CommandSpec[] = [hrandfield];
