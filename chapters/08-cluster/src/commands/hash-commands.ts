/**
 * The hash commands that set, read and delete fields: HSET (and HMSET,
 * its old name), HSETNX, HGET, HMGET, HLEN, HSTRLEN, HEXISTS, the counters
 * HINCRBY and HINCRBYFLOAT, and HDEL. The reads of a whole hash (HKEYS,
 * HVALS, HGETALL, HSCAN) are in hash-iteration-commands.ts, HRANDFIELD in
 * hash-random-command.ts; HASH_COMMANDS gathers them all.
 *
 * A hash is changed where it lies, as a list is (see list-commands.ts):
 * each change is announced with `db.willModify(key)` first, and a hash
 * whose last field goes is deleted at once. The settings that decide its
 * encoding (types/hash.ts) are read at every write, as Redis reads them.
 */
import {
  logAs,
  type CommandContext,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import type { Database } from "../keyspace/database.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  OK,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  NOT_AN_INTEGER,
} from "../dispatch/arguments.ts";
import { addInt64, parseInt64 } from "../numbers/integers.ts";
import {
  addLongDouble,
  formatLongDouble,
  NOT_A_FLOAT,
  NOT_FINITE,
  parseLongDouble,
} from "../numbers/long-double.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { RedisHash } from "../types/hash.ts";
import {
  getHash,
  isWrongType,
  readHash,
  type WrongType,
} from "./typed-lookup.ts";
import { HASH_RANDOM_COMMANDS } from "./hash-random-command.ts";
import { HASH_ITERATION_COMMANDS } from "./hash-iteration-commands.ts";
import { HASH_DOCS } from "./docs/hash-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

// #region hash-to-write
/**
 * The hash at `key` for a command that adds to it, or WRONGTYPE. A missing
 * key gets a new, empty hash, stored at once, as Redis's
 * `hashTypeLookupWriteOrCreate` does: each command that calls this then
 * sets a field before it ends, whatever happens (an error can only come
 * from a field that is already there), so no empty hash is left behind.
 * A command announces its change with `db.willModify(key)` right before
 * making it, so a command that changes nothing (HSETNX on a field that
 * is there) is not counted, nor logged to the AOF.
 */
function hashToWrite(db: Database, key: string): RedisHash | WrongType {
  const existing = getHash(db, key);
  if (existing !== undefined) return existing;
  const hash = new RedisHash();
  db.set(key, hash);
  return hash;
}
// #endregion hash-to-write

// #region write-field
/**
 * What HSETNX, HINCRBY and HINCRBYFLOAT do once their arguments are read,
 * in Redis's order: look the hash up (created if missing), work out the
 * field's new text from its old one (undefined for a missing field), or
 * a reply that ends the command there with no change (an error, or
 * HSETNX's 0), and store it. Answers the new text, or that reply.
 */
function writeField(
  context: CommandContext,
  args: Buffer[],
  next: (old: string | undefined) => string | Reply,
): string | Reply {
  const { db } = context.session;
  const key = byteString(args[1]!);
  const hash = hashToWrite(db, key);
  if (isWrongType(hash)) return hash;
  const field = byteString(args[2]!);
  const value = next(hash.get(field));
  if (typeof value !== "string") return value;
  db.willModify(key);
  hash.set(field, value, context.server.config);
  return value;
}
// #endregion write-field

/** What the commands that add or change fields share: fast writes that may use memory. */
const FIELD_WRITE = {
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@hash", "@fast"],
} as const;

// #region hset
/**
 * HSET key field value [field value ...] sets each field, and answers how
 * many were new; HMSET, deprecated since Redis 4.0, does the same and
 * answers OK. An odd number of fields and values is refused with the
 * arity error, before the key is looked at. A field set to the value it
 * had is a change too: Redis counts every pair, and the AOF logs it.
 */
function hsetCommand(name: "hset" | "hmset"): CommandSpec {
  return {
    name,
    arity: -4,
    ...FIELD_WRITE,
    docs: HASH_DOCS[name],
    run(args, context) {
      if (args.length % 2 === 1) return wrongNumberOfArguments(name);
      const { db } = context.session;
      const key = byteString(args[1]!);
      const hash = hashToWrite(db, key);
      if (isWrongType(hash)) return hash;
      const words = args.slice(2).map(byteString);
      const limits = context.server.config;
      db.willModify(key);
      hash.makeRoomFor(words, limits);
      let added = 0;
      for (let i = 0; i < words.length; i += 2) {
        if (hash.set(words[i]!, words[i + 1]!, limits)) added += 1;
      }
      return name === "hset" ? integer(added) : OK;
    },
  };
}

export const hset = hsetCommand("hset");
export const hmset = hsetCommand("hmset");

/**
 * HSETNX key field value sets the field only if it is not there: 1 if it
 * was set, 0 (and no change at all) if it was. The key is created if
 * missing.
 */
export const hsetnx: CommandSpec = {
  name: "hsetnx",
  arity: 4,
  ...FIELD_WRITE,
  docs: HASH_DOCS.hsetnx,
  run(args, context) {
    const value = byteString(args[3]!);
    const result = writeField(context, args, (old) =>
      old === undefined ? value : integer(0),
    );
    return typeof result === "string" ? integer(1) : result;
  },
};
// #endregion hset

// #region hget
/** The spec of a command that reads one hash: HGET, HLEN and the like. */
function readCommand(
  name: "hget" | "hmget" | "hlen" | "hstrlen" | "hexists",
  arity: number,
  read: (hash: RedisHash | undefined, args: Buffer[]) => Reply,
): CommandSpec {
  return {
    name,
    arity,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    categories: ["@read", "@hash", "@fast"],
    docs: HASH_DOCS[name],
    run(args, { session }) {
      const hash = readHash(session.db, byteString(args[1]!));
      if (isWrongType(hash)) return hash;
      return read(hash, args);
    },
  };
}

/** A field's value in `hash` (missing or not), or nil. */
function valueOf(hash: RedisHash | undefined, field: Buffer): Reply {
  const value = hash?.get(byteString(field));
  return value === undefined ? NULL : bulk(value);
}

/** HGET key field: the value, or nil. */
export const hget = readCommand("hget", 3, (hash, args) =>
  valueOf(hash, args[2]!),
);

/** HMGET key field [field ...]: each field's value, or nil; all nil for a missing key. */
export const hmget = readCommand("hmget", -3, (hash, args) =>
  array(args.slice(2).map((field) => valueOf(hash, field))),
);

/** HLEN key: how many fields (0 for a missing key). */
export const hlen = readCommand("hlen", 2, (hash) => integer(hash?.size ?? 0));

/** HSTRLEN key field: the length of the value in bytes (0 if there is none). */
export const hstrlen = readCommand("hstrlen", 3, (hash, args) =>
  integer(hash?.get(byteString(args[2]!))?.length ?? 0),
);

/** HEXISTS key field: 1 if the field is there, else 0. */
export const hexists = readCommand("hexists", 3, (hash, args) =>
  integer(hash?.has(byteString(args[2]!)) === true ? 1 : 0),
);
// #endregion hget

// #region hincrby
/**
 * HINCRBY key field increment: adds to the field's integer (0 if there is
 * none), as INCRBY does to a string's: the text must read as a 64-bit
 * integer, and the sum fit in one. Answers the new value.
 */
export const hincrby: CommandSpec = {
  name: "hincrby",
  arity: 4,
  ...FIELD_WRITE,
  docs: HASH_DOCS.hincrby,
  run(args, context) {
    const increment = int64Argument(args[3]!);
    if (increment === undefined) return NOT_AN_INTEGER;
    const result = writeField(context, args, (old) => {
      const current = old === undefined ? 0n : parseInt64(old);
      if (current === undefined) {
        return error("ERR hash value is not an integer");
      }
      const sum = addInt64(current, increment);
      return (
        sum?.toString() ?? error("ERR increment or decrement would overflow")
      );
    });
    return typeof result === "string" ? integer(BigInt(result)) : result;
  },
};
// #endregion hincrby

/** What a missing field counts as. */
const ZERO = parseLongDouble("0")!;

// #region hincrbyfloat
/**
 * HINCRBYFLOAT key field increment: adds in long double, as INCRBYFLOAT
 * does (numbers/long-double.ts), and answers the new value as Redis
 * prints it: `0.1` plus `0.2` is `0.3`. An infinite increment is refused
 * before the key is looked at, an infinite sum after. The result may be
 * long text (`1e70` is 71 digits), too long for a compact hash, which
 * then converts (types/hash.ts).
 */
export const hincrbyfloat: CommandSpec = {
  name: "hincrbyfloat",
  arity: 4,
  ...FIELD_WRITE,
  docs: HASH_DOCS.hincrbyfloat,
  run(args, context) {
    const increment = parseLongDouble(byteString(args[3]!));
    if (increment === undefined) return error(NOT_A_FLOAT);
    if (increment.kind !== "finite") {
      return error("ERR value is NaN or Infinity");
    }
    const result = writeField(context, args, (old) => {
      const current = old === undefined ? ZERO : parseLongDouble(old);
      if (current === undefined) return error("ERR hash value is not a float");
      const sum = addLongDouble(current, increment);
      return sum.kind === "finite" ? formatLongDouble(sum) : error(NOT_FINITE);
    });
    if (typeof result !== "string") return result;
    // Logged as the value it set, as Redis logs it: replayed elsewhere,
    // the addition could round another way.
    logAs(context, "HSET", byteString(args[1]!), byteString(args[2]!), result);
    return bulk(result);
  },
};
// #endregion hincrbyfloat

// #region hdel
/**
 * HDEL key field [field ...] removes the fields, and answers how many were
 * there. A hash left without fields is deleted, as Redis never keeps an
 * empty hash; the fields named after that are not looked at.
 */
export const hdel: CommandSpec = {
  name: "hdel",
  arity: -3,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@hash", "@fast"],
  docs: HASH_DOCS.hdel,
  run(args, { session }) {
    const { db } = session;
    const key = byteString(args[1]!);
    const hash = getHash(db, key);
    if (isWrongType(hash)) return hash;
    if (hash === undefined) return integer(0);
    let deleted = 0;
    for (let i = 2; i < args.length; i++) {
      const field = byteString(args[i]!);
      // Announced once, before the first field that really goes.
      if (deleted === 0 && hash.has(field)) db.willModify(key);
      if (!hash.delete(field)) continue;
      deleted += 1;
      if (hash.size === 0) {
        db.delete(key);
        break;
      }
    }
    return integer(deleted);
  },
};
// #endregion hdel

/** Every hash command. */
export const HASH_COMMANDS: readonly CommandSpec[] = [
  hset,
  hsetnx,
  hmset,
  hget,
  hmget,
  hdel,
  hlen,
  hstrlen,
  hexists,
  hincrby,
  hincrbyfloat,
  ...HASH_RANDOM_COMMANDS,
  ...HASH_ITERATION_COMMANDS,
];
