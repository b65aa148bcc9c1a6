/**
 * The string commands that read and write whole values: SET and GET and
 * their variants, and MSET and MGET. (APPEND and the commands that work on
 * ranges of bytes are in string-range-commands.ts; INCR and the other
 * counters in counter-commands.ts.)
 *
 * A Redis string is a byte sequence of up to 512 MB. Each command reads its
 * arguments, then touches the keyspace, and answers with the reply Redis
 * gives, including its error texts, in the order Redis checks them.
 */
import {
  logAs,
  type CommandContext,
  type CommandDocs,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import type { Deadline } from "../keyspace/keyspace.ts";
import {
  array,
  bulk,
  integer,
  NULL,
  OK,
  type Reply,
} from "../protocol/reply.ts";
import { byteString, isKeyword, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import {
  compatible,
  EXPIRY_OPTIONS,
  expiryOptionOf,
  MILLISECONDS,
  optionDeadline,
  SECONDS,
  type ExpiryOption,
  type Unit,
} from "./expiry-commands.ts";
import { STRING_DOCS } from "./docs/string-docs.ts";
import { readString, WRONG_TYPE } from "./typed-lookup.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

// #region set
/**
 * SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
 * EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
 *
 * NX: only if the key does not exist; XX: only if it does. GET: answer the
 * old value (or nil) instead of OK. EX and PX give the key a time to live,
 * EXAT and PXAT a deadline; KEEPTTL keeps the one it had. Without any of
 * them, SET clears the key's time to live: the key starts a new life.
 */
export const set: CommandSpec = {
  name: "set",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@slow"],
  docs: STRING_DOCS.set,
  run(args, context) {
    const { session, server } = context;
    // #region set-options
    let condition: "nx" | "xx" | undefined;
    let returnOld = false;
    let keepTtl = false;
    let expiry: { option: ExpiryOption; time: Buffer } | undefined;
    for (let i = 3; i < args.length; i++) {
      const option = args[i]!;
      const expiryOption = expiryOptionOf(option);
      if (isKeyword(option, "nx") && condition !== "xx") condition = "nx";
      else if (isKeyword(option, "xx") && condition !== "nx") condition = "xx";
      else if (isKeyword(option, "get")) returnOld = true;
      else if (isKeyword(option, "keepttl") && expiry === undefined) {
        keepTtl = true;
      } else if (
        expiryOption !== undefined &&
        compatible(expiry, expiryOption) &&
        !keepTtl &&
        i + 1 < args.length
      ) {
        expiry = { option: expiryOption, time: args[i + 1]! };
        i += 1;
      } else {
        return SYNTAX_ERROR;
      }
    }
    // The time is checked after the syntax, and before anything changes.
    let deadline: Deadline | undefined;
    if (expiry !== undefined) {
      const { unit, relative } = EXPIRY_OPTIONS[expiry.option];
      const result = optionDeadline(
        expiry.time,
        unit,
        relative,
        server.keyspace.time,
        "set",
      );
      if (typeof result === "object") return result;
      deadline = result;
    }
    // #endregion set-options

    const key = byteString(args[1]!);
    // Only NX, XX and GET need the old value: a plain SET just writes.
    if (condition === undefined && !returnOld) {
      storeWithDeadline(context, key, byteString(args[2]!), deadline, keepTtl);
      return OK;
    }
    // With GET this is also a read (counted in INFO's keyspace hits and
    // misses) of a string: on a list, SET GET answers WRONGTYPE and sets
    // nothing. (Without GET, SET overwrites a key of any type.)
    const old = returnOld ? readString(session.db, key) : session.db.get(key);
    if (old === WRONG_TYPE) return WRONG_TYPE;
    const oldReply = typeof old === "string" ? bulk(old) : NULL; // for GET
    const exists = old !== undefined;
    if ((condition === "nx" && exists) || (condition === "xx" && !exists)) {
      return returnOld ? oldReply : NULL;
    }
    storeWithDeadline(context, key, byteString(args[2]!), deadline, keepTtl);
    // GET shaped the reply, not the data: Redis 7.0 logs the SET without it
    // (with a time, storeWithDeadline has logged a SET without it already).
    if (returnOld && deadline === undefined) {
      const withoutGet = args.filter(
        (arg, i) => i < 3 || !isKeyword(arg, "get"),
      );
      logAs(context, ...withoutGet.map(byteString));
    }
    return returnOld ? oldReply : OK;
  },
};

// #region store-with-deadline
/**
 * Stores a value as SET, SETEX and PSETEX do: with the deadline given, or
 * keeping the old one (KEEPTTL), or with none. A deadline already past is
 * stored as it is, as Redis 7.0 does: the key is there, expired, until a
 * lookup or the active cycle deletes it.
 *
 * With a deadline, the AOF records `SET key value PXAT <deadline>`,
 * whichever option gave it: a relative EX or PX would start again at
 * replay. (NX, XX and GET are left out: the SET did happen.)
 */
function storeWithDeadline(
  context: CommandContext,
  key: string,
  value: string,
  deadline: Deadline | undefined,
  keepTtl: boolean,
): void {
  const { db } = context.session;
  if (keepTtl) {
    db.setKeepingTtl(key, value);
    return;
  }
  db.set(key, value);
  if (deadline !== undefined) {
    db.setDeadline(key, deadline);
    logAs(context, "SET", key, value, "PXAT", String(deadline));
  }
}
// #endregion store-with-deadline
// #endregion set

// #region setex
/**
 * SETEX key seconds value and PSETEX key milliseconds value: SET with EX or
 * PX, the time before the value. One spec for both, told apart by the unit.
 */
function setWithTimeToLive(
  name: string,
  docs: CommandDocs,
  unit: Unit,
): CommandSpec {
  return {
    name,
    arity: 4,
    flags: ["write", "denyoom"],
    keys: ONE_KEY,
    categories: ["@write", "@string", "@slow"],
    docs,
    run(args, context) {
      const deadline = optionDeadline(
        args[2]!,
        unit,
        true,
        context.server.keyspace.time,
        name,
      );
      if (typeof deadline === "object") return deadline;
      const key = byteString(args[1]!);
      storeWithDeadline(context, key, byteString(args[3]!), deadline, false);
      return OK;
    },
  };
}

export const setex = setWithTimeToLive("setex", STRING_DOCS.setex, SECONDS);

export const psetex = setWithTimeToLive(
  "psetex",
  STRING_DOCS.psetex,
  MILLISECONDS,
);
// #endregion setex

// #region getex
/**
 * GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
 * PXAT unix-time-milliseconds | PERSIST]: GET, and change the key's time
 * to live on the way. A deadline already past deletes the key (after its
 * value is read for the reply).
 */
export const getex: CommandSpec = {
  name: "getex",
  arity: -2,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_DOCS.getex,
  run(args, context) {
    const { session, server } = context;
    let persist = false;
    let expiry: { option: ExpiryOption; time: Buffer } | undefined;
    for (let i = 2; i < args.length; i++) {
      const option = args[i]!;
      const expiryOption = expiryOptionOf(option);
      if (isKeyword(option, "persist") && expiry === undefined) {
        persist = true;
      } else if (
        expiryOption !== undefined &&
        compatible(expiry, expiryOption) &&
        !persist &&
        i + 1 < args.length
      ) {
        expiry = { option: expiryOption, time: args[i + 1]! };
        i += 1;
      } else {
        return SYNTAX_ERROR;
      }
    }

    // Redis looks the key up before it checks the time: a missing key
    // answers nil even with a bad time, and a list WRONGTYPE.
    const key = byteString(args[1]!);
    const value = readString(session.db, key);
    if (value === undefined) return NULL;
    if (typeof value === "object") return value;

    if (expiry !== undefined) {
      const { unit, relative } = EXPIRY_OPTIONS[expiry.option];
      const deadline = optionDeadline(
        expiry.time,
        unit,
        relative,
        server.keyspace.time,
        "getex",
      );
      if (typeof deadline === "object") return deadline;
      // A past EXAT or PXAT: the key goes now. (EX and PX are at least
      // 1 ms ahead, so they never are past.) Not while the AOF is
      // replayed: see `Keyspace.loading`. Logged as what it did.
      if (deadline <= server.keyspace.time && !server.keyspace.loading) {
        session.db.delete(key);
        logAs(context, "DEL", key);
      } else {
        session.db.setDeadline(key, deadline);
        logAs(context, "PEXPIREAT", key, String(deadline));
      }
    } else if (persist) {
      session.db.persist(key);
      logAs(context, "PERSIST", key);
    }
    return bulk(value);
  },
};
// #endregion getex

// #region get
export const get: CommandSpec = {
  name: "get",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@string", "@fast"],
  docs: STRING_DOCS.get,
  run(args, { session }) {
    const value = readString(session.db, byteString(args[1]!));
    if (typeof value === "object") return value;
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
    // The old value must be a string; on any other type nothing is set.
    const old = readString(session.db, key);
    if (typeof old === "object") return old;
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
  run(args, context) {
    const key = byteString(args[1]!);
    const value = readString(context.session.db, key);
    if (value === undefined) return NULL;
    if (typeof value === "object") return value;
    context.session.db.delete(key);
    // As Redis logs it: replay needs the deletion, not the reply.
    logAs(context, "DEL", key);
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
    // A key holding another type answers nil, not WRONGTYPE: one list
    // among the keys must not fail the whole read.
    const values: Reply[] = [];
    for (let i = 1; i < args.length; i++) {
      const value = readString(session.db, byteString(args[i]!));
      values.push(typeof value === "string" ? bulk(value) : NULL);
    }
    return array(values);
  },
};

export const STRING_COMMANDS: readonly CommandSpec[] = [
  set,
  setex,
  psetex,
  get,
  getex,
  getset,
  getdel,
  setnx,
  mset,
  msetnx,
  mget,
];
