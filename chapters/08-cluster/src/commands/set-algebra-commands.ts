/**
 * The commands that combine sets: SINTER, SUNION and SDIFF answer a set;
 * SINTERSTORE, SUNIONSTORE and SDIFFSTORE store it in a destination key;
 * SINTERCARD counts it. The computing is in types/set-algebra.ts; here
 * are Redis's rules around it: which keys are read, in what order, and
 * what happens to the destination.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { error, integer, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  isKeyword,
  keysAfterNumkeys,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import { RedisSet, type IntsetLimit } from "../types/set.ts";
import { difference, intersection, union } from "../types/set-algebra.ts";
import { isWrongType, readSet, type WrongType } from "./typed-lookup.ts";
import { atLeast, toNumber } from "./list-arguments.ts";
import { EMPTY_SET, membersReply } from "./set-replies.ts";
import { SET_DOCS } from "./docs/set-docs.ts";

const EVERY_ARGUMENT_A_KEY = { first: 1, last: -1, step: 1 } as const;

const TOO_MANY_KEYS = error(
  "ERR Number of keys can't be greater than number of args",
);

// #region read-sets
/** The sets a command combines, in the order named; `undefined` for a missing key. */
type Operands = (RedisSet | undefined)[];

/**
 * The sets at `keys`, or WRONGTYPE at the first key of another kind.
 * Every key is read (and counted as a hit or a miss) before any member
 * is: Redis checks all the types first, so `SINTER missing string` is
 * WRONGTYPE, although an intersection with a missing key is known to be
 * empty.
 */
function readSets(db: Database, keys: readonly Buffer[]): Operands | WrongType {
  const sets: Operands = [];
  for (const key of keys) {
    const set = readSet(db, byteString(key));
    if (isWrongType(set)) return set;
    sets.push(set);
  }
  return sets;
}

/** The sets, if every key holds one: an intersection with a missing key is empty. */
function allPresent(sets: Operands): sets is RedisSet[] {
  return sets.every((set) => set !== undefined);
}
// #endregion read-sets

// #region combine
/** How a command combines its sets into a new one (whose intset holds up to `limit` members). */
type Combine = (sets: Operands, limit: IntsetLimit) => RedisSet;

/**
 * The intersection as a new set, for SINTERSTORE. It starts as an empty
 * set, as Redis's starts as an empty intset, and stays empty when a key
 * is missing.
 */
const intersectionSet: Combine = (sets, limit) => {
  const result = new RedisSet();
  if (allPresent(sets)) {
    for (const member of intersection(sets)) result.add(member, limit);
  }
  return result;
};

const differenceSet: Combine = ([first, ...others], limit) =>
  difference(first, others, limit);

/**
 * SUNION or SDIFF key [key ...]: the combined set, as a set reply in its
 * own order (ascending, if it is an intset).
 */
function combining(name: "sunion" | "sdiff", combine: Combine): CommandSpec {
  return {
    name,
    arity: -2,
    flags: ["readonly"],
    keys: EVERY_ARGUMENT_A_KEY,
    categories: ["@read", "@set", "@slow"],
    tips: ["nondeterministic_output_order"],
    docs: SET_DOCS[name],
    run(args, context) {
      const sets = readSets(context.session.db, args.slice(1));
      if (isWrongType(sets)) return sets;
      const limit = context.server.config.setMaxIntsetEntries;
      return membersReply(combine(sets, limit).members());
    },
  };
}

/**
 * SINTERSTORE, SUNIONSTORE or SDIFFSTORE destination key [key ...]: the
 * combined set replaces the destination, whatever that held, time to
 * live included; an empty one deletes the destination instead, as an
 * empty set is never stored. Answers the result's size. A result that
 * changes nothing (empty, onto a missing key) is not logged to the AOF,
 * as in Redis.
 */
function storing(
  name: "sinterstore" | "sunionstore" | "sdiffstore",
  combine: Combine,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["write", "denyoom"],
    keys: EVERY_ARGUMENT_A_KEY,
    categories: ["@write", "@set", "@slow"],
    docs: SET_DOCS[name],
    run(args, context) {
      const { db } = context.session;
      const sets = readSets(db, args.slice(2));
      if (isWrongType(sets)) return sets;
      const result = combine(sets, context.server.config.setMaxIntsetEntries);
      const destination = byteString(args[1]!);
      if (result.size === 0) db.delete(destination);
      else db.set(destination, result);
      return integer(result.size);
    },
  };
}
// #endregion combine

// #region sinter
/**
 * SINTER key [key ...]: the members all the sets have, as a set reply,
 * straight from the walk over the smallest set, in its order (Redis
 * builds no set for it either).
 */
export const sinter: CommandSpec = {
  name: "sinter",
  arity: -2,
  flags: ["readonly"],
  keys: EVERY_ARGUMENT_A_KEY,
  categories: ["@read", "@set", "@slow"],
  tips: ["nondeterministic_output_order"],
  docs: SET_DOCS.sinter,
  run(args, { session }) {
    const sets = readSets(session.db, args.slice(1));
    if (isWrongType(sets)) return sets;
    if (!allPresent(sets)) return EMPTY_SET;
    return membersReply(intersection(sets));
  },
};

/** SINTERCARD's LIMIT, if the words from `from` on are LIMIT options (the last one counts); 0 is none. */
function cardinalityLimit(args: Buffer[], from: number): number | Reply {
  let limit = 0;
  for (let i = from; i < args.length; i += 2) {
    const value = args[i + 1];
    if (!isKeyword(args[i]!, "limit") || value === undefined) {
      return SYNTAX_ERROR;
    }
    const parsed = atLeast(value, 0n, "LIMIT can't be negative");
    if (typeof parsed !== "bigint") return parsed;
    limit = toNumber(parsed);
  }
  return limit;
}

/**
 * SINTERCARD numkeys key [key ...] [LIMIT limit]: how many members the
 * intersection has, counting no further than LIMIT: the intersection is
 * walked lazily, so a LIMIT stops the work too. Arguments are read before
 * any key, with Redis's errors.
 */
export const sintercard: CommandSpec = {
  name: "sintercard",
  arity: -3,
  flags: ["readonly", "movablekeys"],
  movableKeys: keysAfterNumkeys(1),
  categories: ["@read", "@set", "@slow"],
  docs: SET_DOCS.sintercard,
  run(args, { session }) {
    const numkeys = atLeast(args[1]!, 1n, "numkeys should be greater than 0");
    if (typeof numkeys !== "bigint") return numkeys;
    if (numkeys > BigInt(args.length - 2)) return TOO_MANY_KEYS;
    const keysEnd = 2 + Number(numkeys);
    const limit = cardinalityLimit(args, keysEnd);
    if (typeof limit !== "number") return limit;
    const sets = readSets(session.db, args.slice(2, keysEnd));
    if (isWrongType(sets)) return sets;
    if (!allPresent(sets)) return integer(0);
    let count = 0;
    for (const _member of intersection(sets)) {
      count += 1;
      if (count === limit) break;
    }
    return integer(count);
  },
};
// #endregion sinter

export const SET_ALGEBRA_COMMANDS: readonly CommandSpec[] = [
  sinter,
  sintercard,
  storing("sinterstore", intersectionSet),
  combining("sunion", union),
  storing("sunionstore", union),
  combining("sdiff", differenceSet),
  storing("sdiffstore", differenceSet),
];
