/**
 * The list commands that work by position: pushes and pops at both ends,
 * LLEN, LRANGE, LTRIM, LINDEX and LSET. The commands that look for an
 * element by its value are in list-search-commands.ts, the moves from one
 * list to another (and LMPOP) in list-move-commands.ts; the pops that wait
 * live with the blocked clients. LIST_COMMANDS gathers them all.
 *
 * A list is changed where it lies, not replaced, so every change is
 * announced first with `db.willModify(key)`: the AOF counts it, and an AOF
 * rewrite in progress copies the old list. A new list is stored with
 * `db.set` once it holds its elements, and a list whose last element goes
 * is deleted at once: an empty list is never stored.
 *
 * Each command reads its arguments and looks up its key in Redis's order,
 * which differs from command to command (LRANGE checks its indexes before
 * the key's type, LINDEX after), so that every error is the one Redis gives.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  NULL_ARRAY,
  OK,
  type Reply,
} from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { Quicklist } from "../types/quicklist.ts";
import { getList, isWrongType, readList } from "./typed-lookup.ts";
import { longArgument, popCount, toNumber } from "./list-arguments.ts";
import { popFrom, pushAt, type End } from "./list-ends.ts";
import { LIST_SEARCH_COMMANDS } from "./list-search-commands.ts";
import { LIST_MOVE_COMMANDS } from "./list-move-commands.ts";
import { LIST_DOCS } from "./docs/list-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

const NO_SUCH_KEY = error("ERR no such key");
const INDEX_OUT_OF_RANGE = error("ERR index out of range");
const EMPTY_ARRAY = array([]);

/**
 * An empty list, sized by `list-max-listpack-size` as it is now: like
 * Redis, a list keeps the node size it was created with.
 */
function newList(context: CommandContext): Quicklist {
  return new Quicklist(context.server.config.listMaxListpackSize);
}

// #region push
/**
 * LPUSH and RPUSH key element [element ...] add at the head or the tail,
 * creating the list if needed; LPUSHX and RPUSHX only if it exists (else
 * 0). Each answers the list's new length. LPUSH pushes its elements one
 * by one, so `LPUSH l a b c` leaves c first.
 */
function pushCommand(
  name: "lpush" | "rpush" | "lpushx" | "rpushx",
  where: End,
  onlyIfExists: boolean,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    categories: ["@write", "@list", "@fast"],
    docs: LIST_DOCS[name],
    run(args, context) {
      const { db } = context.session;
      const key = byteString(args[1]!);
      const existing = getList(db, key);
      if (isWrongType(existing)) return existing;
      if (existing === undefined && onlyIfExists) return integer(0);
      // A new list is stored once it has its elements: it is never empty.
      const list = existing ?? newList(context);
      if (existing !== undefined) db.willModify(key);
      for (let i = 2; i < args.length; i++) {
        pushAt(list, where, byteString(args[i]!));
      }
      if (existing === undefined) db.set(key, list);
      return integer(list.length);
    },
  };
}

export const lpush = pushCommand("lpush", "head", false);
export const rpush = pushCommand("rpush", "tail", false);
export const lpushx = pushCommand("lpushx", "head", true);
export const rpushx = pushCommand("rpushx", "tail", true);
// #endregion push

// #region pop
/**
 * LPOP and RPOP key [count]. Without a count: one element, or nil. With
 * one: an array of up to `count` elements, or a null array for a missing
 * key (`*-1` in RESP2, where the single pop answers `$-1`). The count is
 * checked before the key, and a count of 0 answers an empty array without
 * touching the list.
 */
function popCommand(name: "lpop" | "rpop", where: End): CommandSpec {
  return {
    name,
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    categories: ["@write", "@list", "@fast"],
    docs: LIST_DOCS[name],
    run(args, context) {
      // The table's arity says "at least 2"; the count is the only option.
      if (args.length > 3) return wrongNumberOfArguments(name);
      const count = args.length === 3 ? popCount(args[2]!) : undefined;
      if (count !== undefined && typeof count !== "number") return count;
      const { db } = context.session;
      const key = byteString(args[1]!);
      const list = getList(db, key);
      if (isWrongType(list)) return list;
      if (list === undefined) return count === undefined ? NULL : NULL_ARRAY;
      if (count === 0) return EMPTY_ARRAY;
      const values = popFrom(db, key, list, where, count ?? 1);
      return count === undefined ? bulk(values[0]!) : array(values.map(bulk));
    },
  };
}

export const lpop = popCommand("lpop", "head");
export const rpop = popCommand("rpop", "tail");
// #endregion pop

export const llen: CommandSpec = {
  name: "llen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@list", "@fast"],
  docs: LIST_DOCS.llen,
  run(args, { session }) {
    const list = readList(session.db, byteString(args[1]!));
    if (isWrongType(list)) return list;
    return integer(list?.length ?? 0);
  },
};

// #region range
/**
 * Redis's reading of a start and a stop index (LRANGE, LTRIM): negative
 * ones count from the tail (-1 is the last element), a start before the
 * head is the head, a stop past the tail is the tail. Undefined when
 * nothing is left between them.
 */
function clampRange(
  start: number,
  stop: number,
  length: number,
): [start: number, stop: number] | undefined {
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return undefined;
  return [start, Math.min(stop, length - 1)];
}

/** Both indexes of LRANGE or LTRIM, parsed before the key is looked at. */
function rangeArguments(args: Buffer[]): [number, number] | Reply {
  const start = longArgument(args[2]!);
  if (typeof start !== "bigint") return start;
  const stop = longArgument(args[3]!);
  if (typeof stop !== "bigint") return stop;
  return [toNumber(start), toNumber(stop)];
}

/** LRANGE key start stop: the elements from start to stop, both included. */
export const lrange: CommandSpec = {
  name: "lrange",
  arity: 4,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@list", "@slow"],
  docs: LIST_DOCS.lrange,
  run(args, { session }) {
    const indexes = rangeArguments(args);
    if (!Array.isArray(indexes)) return indexes;
    const list = readList(session.db, byteString(args[1]!));
    if (isWrongType(list)) return list;
    if (list === undefined) return EMPTY_ARRAY;
    const range = clampRange(...indexes, list.length);
    if (range === undefined) return EMPTY_ARRAY;
    return array(list.range(...range).map(bulk));
  },
};

/**
 * LTRIM key start stop: keeps the elements from start to stop, and deletes
 * the key if none is left. A trim that removes nothing changes nothing, so
 * it is not logged to the AOF (Redis counts the elements removed).
 */
export const ltrim: CommandSpec = {
  name: "ltrim",
  arity: 4,
  flags: ["write"],
  keys: ONE_KEY,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.ltrim,
  run(args, { session }) {
    const indexes = rangeArguments(args);
    if (!Array.isArray(indexes)) return indexes;
    const { db } = session;
    const key = byteString(args[1]!);
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) return OK;
    const range = clampRange(...indexes, list.length);
    if (range === undefined) {
      db.delete(key);
    } else if (range[0] > 0 || range[1] < list.length - 1) {
      db.willModify(key);
      list.trim(...range);
    } else {
      // Nothing to trim: nothing to log, but Redis signals the key as
      // modified all the same, which fails the EXEC of its watchers.
      db.signalWithoutChange(key);
    }
    return OK;
  },
};
// #endregion range

// #region index
/**
 * An index of LINDEX or LSET (negative from the tail) if it falls inside
 * a list of `length` elements, else undefined. It stays signed: the list
 * walks to it from the end it counts from, so -1 is as quick as 0.
 */
function indexWithin(index: bigint, length: number): number | undefined {
  const i = toNumber(index);
  return i >= -length && i < length ? i : undefined;
}

/**
 * LINDEX key index: the element at index, or nil. Redis looks the key up
 * first here: a missing key answers nil whatever the index says.
 */
export const lindex: CommandSpec = {
  name: "lindex",
  arity: 3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@list", "@slow"],
  docs: LIST_DOCS.lindex,
  run(args, { session }) {
    const list = readList(session.db, byteString(args[1]!));
    if (isWrongType(list)) return list;
    if (list === undefined) return NULL;
    const index = longArgument(args[2]!);
    if (typeof index !== "bigint") return index;
    const within = indexWithin(index, list.length);
    return within === undefined ? NULL : bulk(list.at(within)!);
  },
};

/** LSET key index element: replaces the element at index. */
export const lset: CommandSpec = {
  name: "lset",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.lset,
  run(args, { session }) {
    const { db } = session;
    const key = byteString(args[1]!);
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) return NO_SUCH_KEY;
    const index = longArgument(args[2]!);
    if (typeof index !== "bigint") return index;
    const within = indexWithin(index, list.length);
    if (within === undefined) return INDEX_OUT_OF_RANGE;
    db.willModify(key);
    list.set(within, byteString(args[3]!));
    return OK;
  },
};
// #endregion index

/** Every list command that does not wait. */
export const LIST_COMMANDS: readonly CommandSpec[] = [
  lpush,
  rpush,
  lpushx,
  rpushx,
  lpop,
  rpop,
  llen,
  lrange,
  lindex,
  lset,
  ltrim,
  ...LIST_SEARCH_COMMANDS,
  ...LIST_MOVE_COMMANDS,
];
