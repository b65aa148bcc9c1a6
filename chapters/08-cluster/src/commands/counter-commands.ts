/**
 * The counters: INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT. A counter is a
 * string holding the decimal text of a number. Each command reads it as a
 * 64-bit integer (INCRBYFLOAT: as a C long double), does the arithmetic
 * exactly as Redis does, with its overflow checks, and stores the text
 * back. Every command runs whole before the next one starts, so INCR is
 * atomic without a lock.
 */
import {
  logAs,
  type CommandContext,
  type CommandDocs,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import { bulk, error, integer, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  NOT_AN_INTEGER,
} from "../dispatch/arguments.ts";
import { addInt64, INT64_MIN, parseInt64 } from "../numbers/integers.ts";
import { incrementByFloat } from "../numbers/long-double.ts";
import { COUNTER_DOCS } from "./docs/counter-docs.ts";
import { getString } from "./typed-lookup.ts";
import { StringOrigin } from "../keyspace/object-header.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

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
  const old = getString(session.db, key);
  if (typeof old === "object") return old;
  const current = old === undefined ? 0n : parseInt64(old);
  if (current === undefined) return NOT_AN_INTEGER;
  const result = addInt64(current, increment);
  if (result === undefined) {
    return error("ERR increment or decrement would overflow");
  }
  // The value changes; its time to live does not.
  session.db.setKeepingTtl(key, result.toString());
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
  ...counterSpec("incr", 2, COUNTER_DOCS.incr),
  run: (args, context) => incrementBy(context, args[1]!, 1n),
};

export const decr: CommandSpec = {
  ...counterSpec("decr", 2, COUNTER_DOCS.decr),
  run: (args, context) => incrementBy(context, args[1]!, -1n),
};

export const incrby: CommandSpec = {
  ...counterSpec("incrby", 3, COUNTER_DOCS.incrby),
  run(args, context) {
    // The increment is read before the key is looked at, as in Redis.
    const increment = int64Argument(args[2]!);
    if (increment === undefined) return NOT_AN_INTEGER;
    return incrementBy(context, args[1]!, increment);
  },
};

export const decrby: CommandSpec = {
  ...counterSpec("decrby", 3, COUNTER_DOCS.decrby),
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
  docs: COUNTER_DOCS.incrbyfloat,
  run(args, context) {
    const key = byteString(args[1]!);
    const { db } = context.session;
    // The type first: `INCRBYFLOAT list abc` is WRONGTYPE, not a float error.
    const current = getString(db, key);
    if (typeof current === "object") return current;
    const result = incrementByFloat(current, byteString(args[2]!));
    if (result.kind === "error") return error(result.message);
    db.setKeepingTtl(key, result.text, StringOrigin.formatted);
    // Logged as its result, as Redis logs it: replaying the arithmetic
    // would be exact here, but a server whose floating point differs (a
    // replica on another machine) could end up with another value.
    logAs(context, "SET", key, result.text, "KEEPTTL");
    return bulk(result.text);
  },
};
// #endregion incrbyfloat

export const COUNTER_COMMANDS: readonly CommandSpec[] = [
  incr,
  decr,
  incrby,
  decrby,
  incrbyfloat,
];
