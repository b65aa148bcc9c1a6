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
import type { CommandSpec } from "../dispatch/command-spec.ts";
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
import { STRING_DOCS } from "./docs/string-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

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

export const STRING_COMMANDS: readonly CommandSpec[] = [
  set,
  get,
  getset,
  getdel,
  setnx,
  mset,
  msetnx,
  mget,
];
