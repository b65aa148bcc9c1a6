/**
 * The set commands that work on one set, member by member: SADD, SREM,
 * SCARD, SISMEMBER, SMISMEMBER, SMEMBERS and SSCAN, and SMOVE, which
 * takes a member from one set to another. The commands that combine sets
 * (SINTER, SUNION, SDIFF and kin) are in set-algebra-commands.ts, the
 * ones that pick at random (SPOP, SRANDMEMBER) in set-random-commands.ts.
 * SET_COMMANDS gathers them all.
 *
 * A set is changed where it lies, so a change is announced first with
 * `db.willModify(key)` (the AOF counts it, an AOF rewrite in progress
 * copies the old set), and only when something really changes: SADD of
 * members all there already, or SREM of members all absent, changes
 * nothing, and the AOF does not log it, as Redis does not. A set whose
 * last member goes is deleted at once: an empty set is never stored.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, integer } from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import { RedisSet } from "../types/set.ts";
import { getSet, isWrongType, readSet } from "./typed-lookup.ts";
import { scanValue } from "./element-scan.ts";
import { SET_ALGEBRA_COMMANDS } from "./set-algebra-commands.ts";
import { SET_RANDOM_COMMANDS } from "./set-random-commands.ts";
import { EMPTY_SET, membersReply } from "./set-replies.ts";
import { SET_DOCS } from "./docs/set-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;
const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;

// #region sadd
/**
 * SADD key member [member ...]: how many members were not there yet. A
 * missing key gets a new set, stored once it holds its members.
 */
export const sadd: CommandSpec = {
  name: "sadd",
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@set", "@fast"],
  docs: SET_DOCS.sadd,
  run(args, context) {
    const { db } = context.session;
    const key = byteString(args[1]!);
    const existing = getSet(db, key);
    if (isWrongType(existing)) return existing;
    const set = existing ?? new RedisSet();
    // Only members that are new change the set (a repeated one, as in
    // `SADD s x x`, is counted once: `add` says false the second time).
    const absent = args
      .slice(2)
      .map(byteString)
      .filter((member) => !set.has(member));
    if (absent.length === 0) return integer(0);
    if (existing !== undefined) db.willModify(key);
    const limit = context.server.config.setMaxIntsetEntries;
    let added = 0;
    for (const member of absent) {
      if (set.add(member, limit)) added += 1;
    }
    if (existing === undefined) db.set(key, set);
    return integer(added);
  },
};
// #endregion sadd

// #region srem
/** SREM key member [member ...]: how many of them were there. */
export const srem: CommandSpec = {
  name: "srem",
  arity: -3,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@set", "@fast"],
  docs: SET_DOCS.srem,
  run(args, { session }) {
    const { db } = session;
    const key = byteString(args[1]!);
    const set = getSet(db, key);
    if (isWrongType(set)) return set;
    if (set === undefined) return integer(0);
    let removed = 0;
    for (let i = 2; i < args.length; i++) {
      const member = byteString(args[i]!);
      if (!set.has(member)) continue;
      if (removed === 0) db.willModify(key);
      set.delete(member);
      removed += 1;
      if (set.size === 0) {
        db.delete(key);
        break;
      }
    }
    return integer(removed);
  },
};
// #endregion srem

/** SCARD key: how many members; 0 for a missing key. */
export const scard: CommandSpec = {
  name: "scard",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@set", "@fast"],
  docs: SET_DOCS.scard,
  run(args, { session }) {
    const set = readSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    return integer(set?.size ?? 0);
  },
};

// #region membership
/** SISMEMBER key member: 1 if it is one, else 0 (a missing key has no members). */
export const sismember: CommandSpec = {
  name: "sismember",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@set", "@fast"],
  docs: SET_DOCS.sismember,
  run(args, { session }) {
    const set = readSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    return integer(set?.has(byteString(args[2]!)) ? 1 : 0);
  },
};

/**
 * SMISMEMBER key member [member ...]: SISMEMBER for each member, as an
 * array of 1s and 0s (an array in RESP3 too: it has repeats and an order).
 */
export const smismember: CommandSpec = {
  name: "smismember",
  arity: -3,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@set", "@fast"],
  docs: SET_DOCS.smismember,
  run(args, { session }) {
    const set = readSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    return array(
      args
        .slice(2)
        .map((member) => integer(set?.has(byteString(member)) ? 1 : 0)),
    );
  },
};

/**
 * SMEMBERS key: every member, as a set reply. An intset answers in
 * ascending order, exactly as Redis's; a hash table in its own order.
 */
export const smembers: CommandSpec = {
  name: "smembers",
  arity: 2,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@set", "@slow"],
  tips: ["nondeterministic_output_order"],
  docs: SET_DOCS.smembers,
  run(args, { session }) {
    const set = readSet(session.db, byteString(args[1]!));
    if (isWrongType(set)) return set;
    return set === undefined ? EMPTY_SET : membersReply(set.members());
  },
};
// #endregion membership

// #region smove
/**
 * SMOVE source destination member: 1 if the member was in the source
 * (and is now in the destination), else 0. Redis's order of checks: a
 * missing source answers 0 whatever the destination holds; then both
 * keys' types; then a move onto the same key is only a membership test.
 * The source is deleted when its last member goes; the destination is
 * created when missing. Logged to the AOF as it is.
 */
export const smove: CommandSpec = {
  name: "smove",
  arity: 4,
  flags: ["write", "fast"],
  keys: TWO_KEYS,
  categories: ["@write", "@set", "@fast"],
  docs: SET_DOCS.smove,
  run(args, context) {
    const { db } = context.session;
    const sourceKey = byteString(args[1]!);
    const destinationKey = byteString(args[2]!);
    const member = byteString(args[3]!);
    // Both are looked up first, as Redis does (each lookup may expire a key).
    const source = getSet(db, sourceKey);
    const destination = getSet(db, destinationKey);
    if (source === undefined) return integer(0);
    if (isWrongType(source)) return source;
    if (isWrongType(destination)) return destination;
    if (sourceKey === destinationKey)
      return integer(source.has(member) ? 1 : 0);
    if (!source.has(member)) return integer(0);

    db.willModify(sourceKey);
    source.delete(member);
    if (source.size === 0) db.delete(sourceKey);
    const limit = context.server.config.setMaxIntsetEntries;
    if (destination === undefined) {
      const created = new RedisSet();
      created.add(member, limit);
      db.set(destinationKey, created);
    } else if (!destination.has(member)) {
      db.willModify(destinationKey);
      destination.add(member, limit);
    }
    return integer(1);
  },
};
// #endregion smove

// #region sscan
/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]: a few members at a
 * time. An intset answers whole in one call, with cursor 0, whatever the
 * cursor and COUNT say, as Redis's does; a hash table is walked with the
 * keyspace's own cursor (keyspace/dict.ts), so a walk from 0 back to 0
 * returns every member that was there all along at least once. MATCH
 * filters what the walk gathered, so a call may answer no member and
 * still not be the last.
 */
export const sscan: CommandSpec = {
  name: "sscan",
  arity: -3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@set", "@slow"],
  tips: ["nondeterministic_output"],
  docs: SET_DOCS.sscan,
  run: (args, { session }) =>
    scanValue(
      args,
      (key) => readSet(session.db, key),
      (set, cursor, found) => set.scan(cursor, (member) => found.push(member)),
      1,
    ),
};
// #endregion sscan

/** Every set command. */
export const SET_COMMANDS: readonly CommandSpec[] = [
  sadd,
  srem,
  scard,
  sismember,
  smismember,
  smembers,
  smove,
  sscan,
  ...SET_ALGEBRA_COMMANDS,
  ...SET_RANDOM_COMMANDS,
];
