/**
 * The set commands that pick members at random: SPOP takes them out,
 * SRANDMEMBER leaves them in. Each follows Redis's cases (t_set.c,
 * `spopWithCountCommand` and `srandmemberWithCountCommand`), which decide
 * how the members are picked, and so how much work a count costs.
 *
 * What a random pick did cannot be logged as the command that did it:
 * replayed from the AOF, `SPOP s` would pick again, and maybe another
 * member. So SPOP is logged as what it turned out to do: the SREM of the
 * members it took, or the DEL of the whole set.
 */
import { logAs, type CommandSpec } from "../dispatch/command-spec.ts";
import { array, bulk, error, NULL, type Reply } from "../protocol/reply.ts";
import { byteString, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { RedisSet } from "../types/set.ts";
import { getSet, isWrongType, readSet } from "./typed-lookup.ts";
import { longArgument, popCount, toNumber } from "./list-arguments.ts";
import { EMPTY_SET, membersReply } from "./set-replies.ts";
import { SET_DOCS } from "./docs/set-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

const EMPTY_ARRAY = array([]);

// #region spop
/**
 * When SPOP with a count would leave fewer than one member for every
 * five it takes, it stops picking what to take and picks what to keep
 * instead (Redis's SPOP_MOVE_STRATEGY_MUL): fewer picks, and no picking
 * among a few members left in a large table.
 */
const KEEP_INSTEAD_RATIO = 5;

/**
 * SPOP key [count]: removes members at random. Without a count, one
 * member or nil; with one, a set of up to `count` members (an empty set
 * for a missing key, and for a count of 0, which changes nothing). The
 * count is read before the key.
 */
export const spop: CommandSpec = {
  name: "spop",
  arity: -2,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@set", "@fast"],
  tips: ["nondeterministic_output"],
  docs: SET_DOCS.spop,
  run(args, context) {
    if (args.length > 3) return SYNTAX_ERROR;
    const count = args.length === 3 ? popCount(args[2]!) : undefined;
    if (count !== undefined && typeof count !== "number") return count;
    const { db } = context.session;
    const key = byteString(args[1]!);
    const set = getSet(db, key);
    if (isWrongType(set)) return set;
    if (set === undefined) return count === undefined ? NULL : EMPTY_SET;
    if (count === 0) return EMPTY_SET;

    if (count === undefined) {
      const member = set.randomMember();
      db.willModify(key);
      set.delete(member);
      if (set.size === 0) db.delete(key);
      logAs(context, "SREM", key, member);
      return bulk(member);
    }
    // Asked for all of it: the whole set goes, as one DEL.
    if (count >= set.size) {
      const members = [...set.members()];
      db.delete(key);
      logAs(context, "DEL", key);
      return membersReply(members);
    }
    db.willModify(key);
    const left = set.size - count;
    let popped: string[];
    if (left * KEEP_INSTEAD_RATIO > count) {
      popped = [];
      for (let i = 0; i < count; i++) {
        const member = set.randomMember();
        set.delete(member);
        popped.push(member);
      }
    } else {
      // The members picked to stay go into a new set, which replaces
      // this one (keeping its time to live); what remains here is
      // popped. The new set is made as any set is, so it is an intset
      // again if what stays allows it, even where this one was not.
      const kept = new RedisSet();
      const limit = context.server.config.setMaxIntsetEntries;
      for (let i = 0; i < left; i++) {
        const member = set.randomMember();
        set.delete(member);
        kept.add(member, limit);
      }
      popped = [...set.members()];
      db.setKeepingTtl(key, kept);
    }
    // One SREM replays all the pops (Redis logs one SREM per member,
    // wrapped in MULTI and EXEC: the same set either way).
    logAs(context, "SREM", key, ...popped);
    return membersReply(popped);
  },
};
// #endregion spop

// #region srandmember
/**
 * When SRANDMEMBER with a positive count asks for more than a third of
 * the set, it copies the set and removes members at random from the copy
 * until `count` are left, rather than picking `count` distinct members,
 * which would keep picking members already picked (Redis's
 * SRANDMEMBER_SUB_STRATEGY_MUL).
 */
const REMOVE_INSTEAD_RATIO = 3;

/**
 * A deliberate limit, the one HRANDFIELD has too: with a negative count,
 * Redis 7.0 answers however many picks are asked for, and
 * `SRANDMEMBER s -9223372036854775807` keeps it busy until the machine
 * runs out of memory. Ours builds a reply whole before sending it, and
 * refuses more than 2^20 picks rather than stop the server.
 */
export const MAX_REPEATED_PICKS = 2 ** 20;

/** SRANDMEMBER's count: a C long, but not LONG_MIN (it is negated). */
function randomCount(arg: Buffer): bigint | Reply {
  const count = longArgument(arg);
  if (typeof count !== "bigint" || count !== -(2n ** 63n)) return count;
  return error(
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
  );
}

/**
 * SRANDMEMBER key [count]: members at random, left in the set. Without a
 * count, one member or nil. With a positive count, that many distinct
 * members, or the whole set if it has no more; with a negative count,
 * exactly that many picks, with repeats. Either way an array, in RESP3
 * too: a reply with repeats is no set.
 */
export const srandmember: CommandSpec = {
  name: "srandmember",
  arity: -2,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@set", "@slow"],
  tips: ["nondeterministic_output"],
  docs: SET_DOCS.srandmember,
  run(args, { session }) {
    if (args.length > 3) return SYNTAX_ERROR;
    const count = args.length === 3 ? randomCount(args[2]!) : undefined;
    if (count !== undefined && typeof count !== "bigint") return count;
    const set = readSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    if (count === undefined) {
      return set === undefined ? NULL : bulk(set.randomMember());
    }
    if (set === undefined || count === 0n) return EMPTY_ARRAY;
    if (count < 0n) {
      if (-count > MAX_REPEATED_PICKS) {
        return error(
          `ERR value is out of range, this server picks at most ${MAX_REPEATED_PICKS} members with repeats`,
        );
      }
      return array(
        Array.from({ length: Number(-count) }, () => bulk(set.randomMember())),
      );
    }
    return array(distinctMembers(set, toNumber(count)).map(bulk));
  },
};

/** `count` distinct members at random, or every member if there are no more. */
function distinctMembers(set: RedisSet, count: number): string[] {
  if (count >= set.size) return [...set.members()];
  if (count * REMOVE_INSTEAD_RATIO > set.size) {
    const members = [...set.members()];
    while (members.length > count) {
      // Remove a member at random: the last one takes its place.
      const at = Math.floor(Math.random() * members.length);
      members[at] = members[members.length - 1]!;
      members.pop();
    }
    return members;
  }
  const picked = new Set<string>();
  while (picked.size < count) picked.add(set.randomMember());
  return [...picked];
}
// #endregion srandmember

export const SET_RANDOM_COMMANDS: readonly CommandSpec[] = [spop, srandmember];
