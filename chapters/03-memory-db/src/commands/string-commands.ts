/**
 * The string commands: SET and GET and their variants, ranges, and
 * counters (INCR and friends, INCRBYFLOAT).
 *
 * A Redis string is a byte sequence of up to 512 MB; counters are strings
 * too, holding the decimal text of a number. Each command reads its
 * arguments, then touches the keyspace, and answers with the reply Redis
 * gives, including its error texts, in the order Redis checks them.
 */
import type {
  CommandContext,
  CommandDocs,
  CommandSpec,
} from "../dispatch/command-spec.ts";
import { MAX_STRING_BYTES } from "../keyspace/keyspace.ts";
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
  isKeyword,
  NOT_AN_INTEGER,
  STRING_TOO_LONG,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { addInt64, INT64_MIN, parseInt64 } from "../numbers/integers.ts";
import { incrementByFloat } from "../numbers/long-double.ts";
import { STRING_DOCS } from "./docs/string-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

/** Redis's limit on a string's length: 512 MB, or V8's a little below it (see db.ts). */
const MAX_STRING_LENGTH = Math.min(512 * 1024 * 1024, MAX_STRING_BYTES);

// #region set
/**
 * SET key value [NX | XX] [GET]
 *
 * NX: only if the key does not exist; XX: only if it does. GET: answer the
 * old value (or nil) instead of OK. The expiry options (EX, PX, ...) arrive
 * with chapter 04.
 */
export const set: CommandSpec = {
  name: "set",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@slow"],
  docs: STRING_DOCS.set,
  run(args, { session }) {
    let condition: "nx" | "xx" | undefined;
    let returnOld = false;
    for (let i = 3; i < args.length; i++) {
      const option = args[i]!;
      if (isKeyword(option, "nx") && condition !== "xx") condition = "nx";
      else if (isKeyword(option, "xx") && condition !== "nx") condition = "xx";
      else if (isKeyword(option, "get")) returnOld = true;
      else return SYNTAX_ERROR;
    }

    const key = byteString(args[1]!);
    // Only NX, XX and GET need the old value: a plain SET just writes.
    if (condition === undefined && !returnOld) {
      session.db.set(key, byteString(args[2]!));
      return OK;
    }
    // With GET this is also a read, counted in INFO's keyspace hits/misses.
    const old = returnOld ? session.db.read(key) : session.db.get(key);
    const answer = returnOld ? (old === undefined ? NULL : bulk(old)) : OK;
    const exists = old !== undefined;
    if ((condition === "nx" && exists) || (condition === "xx" && !exists)) {
      return returnOld ? answer : NULL;
    }
    session.db.set(key, byteString(args[2]!));
    return answer;
  },
};
// #endregion set

// #region get
export const get: CommandSpec = {
  name: "get",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@string", "@fast"],
  docs: STRING_DOCS.get,
  run(args, { session }) {
    const value = session.db.read(byteString(args[1]!));
    return value === undefined ? NULL : bulk(value);
  },
};
// #endregion get

export const getset: CommandSpec = {
  name: "getset",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_DOCS.getset,
  run(args, { session }) {
    const key = byteString(args[1]!);
    const old = session.db.read(key);
    session.db.set(key, byteString(args[2]!));
    return old === undefined ? NULL : bulk(old);
  },
};

export const getdel: CommandSpec = {
  name: "getdel",
  arity: 2,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_DOCS.getdel,
  run(args, { session }) {
    const key = byteString(args[1]!);
    const value = session.db.read(key);
    if (value === undefined) return NULL;
    session.db.delete(key);
    return bulk(value);
  },
};

export const setnx: CommandSpec = {
  name: "setnx",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_DOCS.setnx,
  run(args, { session }) {
    const key = byteString(args[1]!);
    if (session.db.has(key)) return integer(0);
    session.db.set(key, byteString(args[2]!));
    return integer(1);
  },
};

// #region mset
/** MSET key value [key value ...]: all of them, at once. No other client sees half of it. */
export const mset: CommandSpec = {
  name: "mset",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: -1, step: 2 },
  categories: ["@write", "@string", "@slow"],
  tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
  docs: STRING_DOCS.mset,
  run(args, { session }) {
    // The arity says "at least 3"; the pairs must also come out even.
    if (args.length % 2 === 0) return wrongNumberOfArguments("mset");
    for (let i = 1; i < args.length; i += 2) {
      session.db.set(byteString(args[i]!), byteString(args[i + 1]!));
    }
    return OK;
  },
};
// #endregion mset

export const msetnx: CommandSpec = {
  name: "msetnx",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: -1, step: 2 },
  categories: ["@write", "@string", "@slow"],
  tips: ["request_policy:multi_shard", "response_policy:agg_min"],
  docs: STRING_DOCS.msetnx,
  run(args, { session }) {
    if (args.length % 2 === 0) return wrongNumberOfArguments("msetnx");
    // All or nothing: look at every key before setting any.
    for (let i = 1; i < args.length; i += 2) {
      if (session.db.has(byteString(args[i]!))) return integer(0);
    }
    for (let i = 1; i < args.length; i += 2) {
      session.db.set(byteString(args[i]!), byteString(args[i + 1]!));
    }
    return integer(1);
  },
};

export const mget: CommandSpec = {
  name: "mget",
  arity: -2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: -1, step: 1 },
  categories: ["@read", "@string", "@fast"],
  tips: ["request_policy:multi_shard"],
  docs: STRING_DOCS.mget,
  run(args, { session }) {
    const values: Reply[] = [];
    for (let i = 1; i < args.length; i++) {
      const value = session.db.read(byteString(args[i]!));
      values.push(value === undefined ? NULL : bulk(value));
    }
    return array(values);
  },
};

// #region append
export const append: CommandSpec = {
  name: "append",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_DOCS.append,
  run(args, { session }) {
    const key = byteString(args[1]!);
    const old = session.db.get(key) ?? "";
    // Checked before anything is built: the limit guards memory.
    if (old.length + args[2]!.length > MAX_STRING_LENGTH) {
      return STRING_TOO_LONG;
    }
    // V8 joins the two as a "cons string", a pair of pointers, and copies
    // only when the result is read: appending in a loop stays cheap.
    const value = old + byteString(args[2]!);
    session.db.set(key, value);
    return integer(value.length);
  },
};
// #endregion append

export const strlen: CommandSpec = {
  name: "strlen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@string", "@fast"],
  docs: STRING_DOCS.strlen,
  run(args, { session }) {
    return integer(session.db.read(byteString(args[1]!))?.length ?? 0);
  },
};

// #region getrange
/**
 * GETRANGE key start end: the bytes from `start` to `end`, both included.
 * Negative offsets count from the end (-1 is the last byte); offsets past
 * either end are clamped, and an empty range answers "".
 */
export const getrange: CommandSpec = {
  name: "getrange",
  arity: 4,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@string", "@slow"],
  docs: STRING_DOCS.getrange,
  run(args, { session }) {
    const startArg = int64Argument(args[2]!);
    const endArg = int64Argument(args[3]!);
    if (startArg === undefined || endArg === undefined) return NOT_AN_INTEGER;
    const value = session.db.read(byteString(args[1]!)) ?? "";
    // Both negative and crossed (GETRANGE k -1 -5): empty, as in Redis.
    // Compared exactly, as bigints: as numbers, -(2^63 - 1) and -2^63 are
    // the same, and would not look crossed.
    if (startArg < 0n && endArg < 0n && startArg > endArg) return bulk("");
    // Beyond ±2^53 the offsets lose precision, which no longer matters:
    // every string is far shorter, so they clamp to the same place.
    let start = Number(startArg);
    let end = Number(endArg);
    const length = value.length;
    if (start < 0) start = Math.max(length + start, 0);
    if (end < 0) end = Math.max(length + end, 0);
    end = Math.min(end, length - 1);
    if (start > end || length === 0) return bulk("");
    return bulk(value.slice(start, end + 1));
  },
};
// #endregion getrange

// #region setrange
/**
 * SETRANGE key offset value: overwrite from `offset` on, padding with zero
 * bytes if the string is shorter. The new length is checked against the
 * 512 MB limit before anything is allocated, so `SETRANGE k 536870000 x`
 * is an error, not half a gigabyte of zeros.
 */
export const setrange: CommandSpec = {
  name: "setrange",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@slow"],
  docs: STRING_DOCS.setrange,
  run(args, { session }) {
    const offsetArg = int64Argument(args[2]!);
    if (offsetArg === undefined) return NOT_AN_INTEGER;
    if (offsetArg < 0n) return error("ERR offset is out of range");
    const key = byteString(args[1]!);
    const old = session.db.get(key);
    const patch = args[3]!;
    // Writing nothing changes nothing, and creates no key.
    if (patch.length === 0) return integer(old?.length ?? 0);
    if (offsetArg + BigInt(patch.length) > BigInt(MAX_STRING_LENGTH)) {
      return STRING_TOO_LONG;
    }
    const offset = Number(offsetArg);
    const value =
      (old ?? "").slice(0, offset).padEnd(offset, "\0") +
      byteString(patch) +
      (old ?? "").slice(offset + patch.length);
    session.db.set(key, value);
    return integer(value.length);
  },
};
// #endregion setrange

// #region incr
/**
 * What INCR, DECR, INCRBY and DECRBY share: the value must read as a
 * 64-bit integer (a missing key counts as 0), and the result must fit in
 * one. The new value is stored as its decimal text.
 */
function incrementBy(
  { session }: CommandContext,
  keyArg: Buffer,
  increment: bigint,
): Reply {
  const key = byteString(keyArg);
  const old = session.db.get(key);
  const current = old === undefined ? 0n : parseInt64(old);
  if (current === undefined) return NOT_AN_INTEGER;
  const result = addInt64(current, increment);
  if (result === undefined) {
    return error("ERR increment or decrement would overflow");
  }
  session.db.set(key, result.toString());
  return integer(result);
}
// #endregion incr

function counterSpec(
  name: string,
  arity: number,
  docs: CommandDocs,
): Omit<CommandSpec, "run"> {
  return {
    name,
    arity,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    categories: ["@write", "@string", "@fast"],
    docs,
  };
}

export const incr: CommandSpec = {
  ...counterSpec("incr", 2, STRING_DOCS.incr),
  run: (args, context) => incrementBy(context, args[1]!, 1n),
};

export const decr: CommandSpec = {
  ...counterSpec("decr", 2, STRING_DOCS.decr),
  run: (args, context) => incrementBy(context, args[1]!, -1n),
};

export const incrby: CommandSpec = {
  ...counterSpec("incrby", 3, STRING_DOCS.incrby),
  run(args, context) {
    // The increment is read before the key is looked at, as in Redis.
    const increment = int64Argument(args[2]!);
    if (increment === undefined) return NOT_AN_INTEGER;
    return incrementBy(context, args[1]!, increment);
  },
};

export const decrby: CommandSpec = {
  ...counterSpec("decrby", 3, STRING_DOCS.decrby),
  run(args, context) {
    const decrement = int64Argument(args[2]!);
    if (decrement === undefined) return NOT_AN_INTEGER;
    // -(-2^63) does not fit in 64 bits, so Redis refuses it up front.
    if (decrement === INT64_MIN) return error("ERR decrement would overflow");
    return incrementBy(context, args[1]!, -decrement);
  },
};

// #region incrbyfloat
/**
 * INCRBYFLOAT key increment: the arithmetic is C's `long double`, as in
 * Redis, and emulated exactly (see long-double.ts): with JavaScript's own
 * doubles, `SET k 10.5` then `INCRBYFLOAT k 0.1` would answer
 * 10.59999999999999964 where Redis answers 10.6.
 */
export const incrbyfloat: CommandSpec = {
  name: "incrbyfloat",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_DOCS.incrbyfloat,
  run(args, { session }) {
    const key = byteString(args[1]!);
    const result = incrementByFloat(session.db.get(key), byteString(args[2]!));
    if (result.kind === "error") return error(result.message);
    session.db.set(key, result.text);
    return bulk(result.text);
  },
};
// #endregion incrbyfloat

export const STRING_COMMANDS: readonly CommandSpec[] = [
  set,
  get,
  getset,
  getdel,
  setnx,
  mset,
  msetnx,
  mget,
  append,
  strlen,
  getrange,
  setrange,
  incr,
  decr,
  incrby,
  decrby,
  incrbyfloat,
];
