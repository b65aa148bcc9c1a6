/**
 * The key commands (Redis's "generic" group): they work on keys whatever
 * their values hold. Deleting, testing, renaming, copying, and finding keys:
 * KEYS all at once, SCAN a few at a time.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { typeName, type RedisValue } from "../keyspace/keyspace.ts";
import type { Database } from "../keyspace/database.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  OK,
  simple,
} from "../protocol/reply.ts";
import {
  byteString,
  cStringOf,
  intArgument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { parseInteger } from "../protocol/resp-parser.ts";
import { globMatch } from "../keyspace/glob.ts";
import { KEY_DOCS } from "./docs/key-docs.ts";
import { copiedOrigin } from "./object-command.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;
const EVERY_ARGUMENT_A_KEY = { first: 1, last: -1, step: 1 } as const;
const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;
const MULTI_KEY_TIPS = [
  "request_policy:multi_shard",
  "response_policy:agg_sum",
] as const;

// #region del
/** DEL key [key ...]: how many of the keys existed (a key named twice is deleted once). */
export const del: CommandSpec = {
  name: "del",
  arity: -2,
  flags: ["write"],
  keys: EVERY_ARGUMENT_A_KEY,
  categories: ["@keyspace", "@write", "@slow"],
  tips: MULTI_KEY_TIPS,
  docs: KEY_DOCS.del,
  run(args, { session }) {
    let deleted = 0;
    for (let i = 1; i < args.length; i++) {
      if (session.db.delete(byteString(args[i]!))) deleted += 1;
    }
    return integer(deleted);
  },
};
// #endregion del

/**
 * UNLINK is DEL that frees memory in a background thread in Redis. Here the
 * garbage collector frees it later anyway, so the two do the same.
 */
export const unlink: CommandSpec = {
  ...del,
  name: "unlink",
  flags: ["write", "fast"],
  categories: ["@keyspace", "@write", "@fast"],
  docs: KEY_DOCS.unlink,
};

/** EXISTS key [key ...]: how many of the keys exist; a key named twice counts twice. */
export const exists: CommandSpec = {
  name: "exists",
  arity: -2,
  flags: ["readonly", "fast"],
  keys: EVERY_ARGUMENT_A_KEY,
  categories: ["@keyspace", "@read", "@fast"],
  tips: MULTI_KEY_TIPS,
  docs: KEY_DOCS.exists,
  run: (args, { session }) =>
    countFound(args, (key) => session.db.readWithoutTouch(key)),
};

/**
 * TOUCH key [key ...]: EXISTS, except that each lookup counts as a use of
 * the key (OBJECT IDLETIME starts again from 0).
 */
export const touch: CommandSpec = {
  ...exists,
  name: "touch",
  docs: KEY_DOCS.touch,
  run: (args, { session }) => countFound(args, (key) => session.db.read(key)),
};

/** How many of the keys named after the command `lookup` finds (EXISTS without touching). */
function countFound(
  args: Buffer[],
  lookup: (key: string) => RedisValue | undefined,
) {
  let found = 0;
  for (let i = 1; i < args.length; i++) {
    if (lookup(byteString(args[i]!)) !== undefined) found += 1;
  }
  return integer(found);
}

export const type: CommandSpec = {
  name: "type",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@keyspace", "@read", "@fast"],
  docs: KEY_DOCS.type,
  run(args, { session }) {
    const value = session.db.readWithoutTouch(byteString(args[1]!));
    return simple(value === undefined ? "none" : typeName(value));
  },
};

// #region keys
/**
 * KEYS pattern: every matching key, in one reply. It looks at every key of
 * the database while no other command can run: on a million keys, every
 * client waits for it. SCAN is the answer to that.
 */
export const keys: CommandSpec = {
  name: "keys",
  arity: 2,
  flags: ["readonly"],
  categories: ["@keyspace", "@read", "@slow", "@dangerous"],
  tips: ["request_policy:all_shards", "nondeterministic_output_order"],
  docs: KEY_DOCS.keys,
  run(args, { session }) {
    const pattern = byteString(args[1]!);
    // A lone * is answered without the matcher: in Redis's glob, * does not
    // match an empty string, yet KEYS * lists the key "".
    const found = [];
    for (const key of session.db.keys()) {
      if (pattern === "*" || globMatch(pattern, key)) found.push(bulk(key));
    }
    return array(found);
  },
};
// #endregion keys

// #region scan
/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
 *
 * One step of a walk over the keys: start with cursor 0, pass back the
 * cursor each reply gives, stop when it is 0 again. The server remembers
 * nothing between steps: the cursor is a bucket number (see `Dict.scan`).
 * COUNT is how much work to do per step (about that many keys are looked
 * at), not how many keys come back: MATCH and TYPE filter afterwards, so a
 * step may return none and still not be the last.
 */
export const scan: CommandSpec = {
  name: "scan",
  arity: -2,
  flags: ["readonly"],
  categories: ["@keyspace", "@read", "@slow"],
  tips: ["nondeterministic_output", "request_policy:special"],
  docs: KEY_DOCS.scan,
  run(args, { session }) {
    // Redis reads the cursor (and the TYPE name) as a C string: it ends at
    // a NUL byte, so `1\0junk` is cursor 1 and `\0` is cursor 0.
    let cursor = parseCursor(byteString(cStringOf(args[1]!)));
    if (cursor === undefined) return error("ERR invalid cursor");

    let pattern: string | undefined;
    let wantedType: string | undefined;
    let count = 10;
    for (let i = 2; i < args.length; i += 2) {
      const option = args[i]!;
      const value = args[i + 1];
      if (value === undefined) return SYNTAX_ERROR;
      if (isKeyword(option, "count")) {
        const parsed = parseInteger(value);
        if (parsed === undefined) return NOT_AN_INTEGER;
        if (parsed < 1) return SYNTAX_ERROR;
        count = parsed;
      } else if (isKeyword(option, "match")) {
        const text = byteString(value);
        // As in KEYS, a lone * means "no filter" (and lets "" through).
        pattern = text === "*" ? undefined : text;
      } else if (isKeyword(option, "type")) {
        // Compared ignoring case, as Redis does: TYPE STRING works too.
        wantedType = byteString(cStringOf(value)).toLowerCase();
      } else {
        return SYNTAX_ERROR;
      }
    }

    // #region scan-walk
    // Visit buckets until about `count` keys are collected. Empty buckets
    // cost a step too, bounded as in Redis, so a sparse table cannot make
    // one call walk it all.
    const found: string[] = [];
    let budget = count * 10;
    do {
      cursor = session.db.scan(cursor, (key) => found.push(key));
    } while (cursor !== 0 && budget-- > 0 && found.length < count);

    // Filtered as Redis filters: by pattern, then by type, then by expiry.
    // The last two look the key up, which deletes it if it has expired;
    // a key that fails the pattern is not looked at at all.
    const keys = found.filter((key) => {
      if (pattern !== undefined && !globMatch(pattern, key)) return false;
      if (wantedType === undefined) return session.db.glance(key) !== undefined;
      // A quirk of Redis 7.0, kept: the type lookup deletes an expired key
      // and calls what is left "none", so `TYPE none` lets it through.
      const value = session.db.readWithoutTouch(key);
      return (value === undefined ? "none" : typeName(value)) === wantedType;
    });
    return array([bulk(String(cursor)), array(keys.map(bulk))]);
    // #endregion scan-walk
  },
};

/**
 * A cursor as Redis reads it (C's `strtoul`): any 64-bit unsigned number,
 * with an optional sign (`-1` wraps around to 2^64 - 1, and "" is 0).
 * Our tables never have more than 2^32 buckets, and the bits above the
 * table's size do not change where a scan goes on, so only the low 32 bits
 * are kept.
 */
export function parseCursor(text: string): number | undefined {
  const match = /^([+-]?)([0-9]*)$/.exec(text);
  if (match === null) return undefined;
  const [, sign, digits] = match;
  if (digits === "") return sign === "" ? 0 : undefined;
  // Leading zeros are fine; past them, more than 20 digits is beyond 64
  // bits, and checked before BigInt() spends seconds on a 50 MB number.
  const significant = digits!.replace(/^0+/, "");
  if (significant.length > 20) return undefined;
  let value = BigInt(`0${significant}`);
  if (value >= 2n ** 64n) return undefined;
  if (sign === "-") value = (2n ** 64n - value) % 2n ** 64n;
  return Number(value & 0xffff_ffffn);
}
// #endregion scan

// #region rename
/** RENAME key newkey: the value moves; whatever newkey held is gone. */
export const rename: CommandSpec = {
  name: "rename",
  arity: 3,
  flags: ["write"],
  keys: TWO_KEYS,
  categories: ["@keyspace", "@write", "@slow"],
  docs: KEY_DOCS.rename,
  run(args, { session }) {
    const from = byteString(args[1]!);
    const to = byteString(args[2]!);
    const value = session.db.get(from);
    if (value === undefined) return NO_SUCH_KEY;
    if (from !== to) moveKey(session.db, from, to, value);
    return OK;
  },
};
// #endregion rename

export const renamenx: CommandSpec = {
  name: "renamenx",
  arity: 3,
  flags: ["write", "fast"],
  keys: TWO_KEYS,
  categories: ["@keyspace", "@write", "@fast"],
  docs: KEY_DOCS.renamenx,
  run(args, { session }) {
    const from = byteString(args[1]!);
    const to = byteString(args[2]!);
    const value = session.db.get(from);
    if (value === undefined) return NO_SUCH_KEY;
    if (from === to || session.db.has(to)) return integer(0);
    moveKey(session.db, from, to, value);
    return integer(1);
  },
};

// #region move-key
/**
 * RENAME's move: the value (the very object: a list is not copied) and its
 * deadline go to the new name, and whatever the new name held is deleted
 * first. So the new name is always a new key, as in Redis, and a client
 * blocked on it hears of it (`keyAdded`) even if it held a string before.
 */
function moveKey(db: Database, from: string, to: string, value: RedisValue) {
  const deadline = db.deadline(from);
  const origin = db.origin(from);
  db.delete(to);
  db.set(to, value, origin);
  if (deadline !== undefined) db.setDeadline(to, deadline);
  db.delete(from);
}
// #endregion move-key

const NO_SUCH_KEY = error("ERR no such key");
const SAME_OBJECT = error("ERR source and destination objects are the same");

export const randomkey: CommandSpec = {
  name: "randomkey",
  arity: 1,
  flags: ["readonly"],
  categories: ["@keyspace", "@read", "@slow"],
  tips: ["request_policy:all_shards", "nondeterministic_output"],
  docs: KEY_DOCS.randomkey,
  run(_args, { session }) {
    const key = session.db.randomKey();
    return key === undefined ? NULL : bulk(key);
  },
};

// #region copy
/** COPY source destination [DB destination-db] [REPLACE]: 1 if copied, 0 if not. */
export const copy: CommandSpec = {
  name: "copy",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: TWO_KEYS,
  categories: ["@keyspace", "@write", "@slow"],
  docs: KEY_DOCS.copy,
  run(args, { session, server }) {
    let target = session.db;
    let replace = false;
    for (let i = 3; i < args.length; i++) {
      const option = args[i]!;
      if (isKeyword(option, "replace")) {
        replace = true;
      } else if (isKeyword(option, "db") && i + 1 < args.length) {
        const index = intArgument(args[i + 1]!);
        if (typeof index !== "number") return index;
        if (index < 0 || index >= server.keyspace.count) {
          return error("ERR DB index is out of range");
        }
        target = server.keyspace.database(index);
        i += 1;
      } else {
        return SYNTAX_ERROR;
      }
    }
    // Checked once the options are read: `DB 0` is allowed.
    if (server.cluster !== undefined && target !== session.db) {
      return error(
        "ERR Copying to another database is not allowed in cluster mode",
      );
    }

    const from = byteString(args[1]!);
    const to = byteString(args[2]!);
    if (target === session.db && from === to) return SAME_OBJECT;
    const value = session.db.read(from);
    if (value === undefined) return integer(0);
    if (target.has(to)) {
      if (!replace) return integer(0);
      // Deleted first, so the copy is a new key (see `moveKey`).
      target.delete(to);
    }
    // The copy gets the source's deadline too, or none.
    const deadline = session.db.deadline(from);
    const origin = copiedOrigin(value, session.db.origin(from));
    target.set(to, copyOf(value), origin);
    if (deadline !== undefined) target.setDeadline(to, deadline);
    return integer(1);
  },
};

/**
 * A value that shares nothing its original could change. A string is
 * immutable in JavaScript, so the string itself will do; a list is
 * changed in place by LPUSH or LSET, so it needs a copy of its own, or
 * pushing onto the copy would push onto the original too.
 */
function copyOf(value: RedisValue): RedisValue {
  return typeof value === "string" ? value : value.clone();
}
// #endregion copy

// #region move
/**
 * MOVE key db: the key, with its value and deadline, goes to database
 * `db`, unless a key of that name is there already. 1 if it moved.
 * The database number is checked before the key is looked at.
 */
export const move: CommandSpec = {
  name: "move",
  arity: 3,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@keyspace", "@write", "@fast"],
  docs: KEY_DOCS.move,
  run(args, { session, server }) {
    // Cluster mode has database 0 only: refused before the arguments are read.
    if (server.cluster !== undefined) {
      return error("ERR MOVE is not allowed in cluster mode");
    }
    const index = intArgument(args[2]!);
    if (typeof index !== "number") return index;
    if (index < 0 || index >= server.keyspace.count) {
      return error("ERR DB index is out of range");
    }
    const target = server.keyspace.database(index);
    if (target === session.db) return SAME_OBJECT;
    const key = byteString(args[1]!);
    const value = session.db.get(key);
    if (value === undefined || target.has(key)) return integer(0);
    // Added to the target first, then deleted here, as Redis does it.
    const deadline = session.db.deadline(key);
    target.set(key, value, session.db.origin(key));
    if (deadline !== undefined) target.setDeadline(key, deadline);
    session.db.delete(key);
    return integer(1);
  },
};
// #endregion move

export const KEY_COMMANDS: readonly CommandSpec[] = [
  del,
  unlink,
  exists,
  type,
  keys,
  scan,
  rename,
  renamenx,
  randomkey,
  copy,
  move,
  touch,
];
