/**
 * The list commands that never wait: pushes and pops at both ends, reading
 * and changing elements by index or by value, and moving elements from one
 * list to another. (BLPOP and the other pops that wait for an element live
 * with the blocked clients; they reuse `popFrom`, `moveBetween` and the
 * LMPOP helpers exported here.)
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
  NULL_ARRAY,
  OK,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { INT64_MIN } from "../numbers/integers.ts";
import { Quicklist } from "../types/quicklist.ts";
import {
  getList,
  readList,
  WRONG_TYPE,
  type WrongType,
} from "./typed-lookup.ts";
import { LIST_DOCS } from "./docs/list-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;
const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;

const NO_SUCH_KEY = error("ERR no such key");
const INDEX_OUT_OF_RANGE = error("ERR index out of range");
const EMPTY_ARRAY = array([]);

/**
 * True if a typed lookup answered WRONGTYPE. A comparison with WRONG_TYPE
 * says the same, but does not tell TypeScript that what is left is a list.
 */
function isWrongType(
  found: Quicklist | undefined | WrongType,
): found is WrongType {
  return found === WRONG_TYPE;
}

// #region ends
/** An end of a list: Redis's LEFT (the head) or RIGHT (the tail). */
export type End = "head" | "tail";

/**
 * LEFT or RIGHT, in any letter case, as LMOVE, LMPOP and their blocking
 * forms take them; undefined for anything else (a syntax error).
 */
export function endOf(arg: Buffer): End | undefined {
  if (isKeyword(arg, "left")) return "head";
  if (isKeyword(arg, "right")) return "tail";
  return undefined;
}

function pushAt(list: Quicklist, where: End, value: string): void {
  if (where === "head") list.pushHead(value);
  else list.pushTail(value);
}

function popAt(list: Quicklist, where: End): string | undefined {
  return where === "head" ? list.popHead() : list.popTail();
}
// #endregion ends

/**
 * An empty list, sized by `list-max-listpack-size` as it is now: like
 * Redis, a list keeps the node size it was created with.
 */
function newList(context: CommandContext): Quicklist {
  return new Quicklist(context.server.config.listMaxListpackSize);
}

// #region integer-arguments
/**
 * A C `long` argument, as Redis's `getLongFromObjectOrReply` reads it:
 * the integer, or the error reply for anything else.
 */
function longArgument(arg: Buffer): bigint | Reply {
  return int64Argument(arg) ?? NOT_AN_INTEGER;
}

/**
 * An integer of at least `min`, as Redis's `getRangeLongFromObjectOrReply`
 * reads it when given a message: that one message answers both a
 * non-integer and an integer out of range (`LPOP l abc` is "must be
 * positive", like `LPOP l -1`).
 */
function atLeast(arg: Buffer, min: bigint, message: string): bigint | Reply {
  const value = int64Argument(arg);
  return value === undefined || value < min ? error(`ERR ${message}`) : value;
}

/**
 * A 64-bit index or count as a JavaScript number. Beyond ±2^53 the exact
 * value does not matter: no list is that long, so clamping there changes
 * no answer, and the arithmetic that follows stays exact.
 */
function toNumber(value: bigint): number {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (value > limit) return Number.MAX_SAFE_INTEGER;
  if (value < -limit) return -Number.MAX_SAFE_INTEGER;
  return Number(value);
}
// #endregion integer-arguments

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

// #region pop-from
/**
 * Pops up to `count` elements from one end of `list`, the list stored at
 * `key`, and returns them in the order they came off. The key is deleted
 * if that empties the list. The list must hold at least one element, as
 * every stored list does.
 *
 * The one place a pop happens: LPOP, RPOP, LMPOP and, when a client that
 * waited is served, BLPOP, BRPOP and BLMPOP.
 */
export function popFrom(
  db: Database,
  key: string,
  list: Quicklist,
  where: End,
  count = 1,
): string[] {
  db.willModify(key);
  const values: string[] = [];
  while (values.length < count) {
    const value = popAt(list, where);
    if (value === undefined) break;
    values.push(value);
  }
  if (list.length === 0) db.delete(key);
  return values;
}
// #endregion pop-from

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
      let count: number | undefined;
      if (args.length === 3) {
        const parsed = atLeast(
          args[2]!,
          0n,
          "value is out of range, must be positive",
        );
        if (typeof parsed !== "bigint") return parsed;
        count = toNumber(parsed);
      }
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
    }
    return OK;
  },
};
// #endregion range

// #region index
/**
 * An index into a list of `length` elements (negative from the tail) as a
 * position from the head, or undefined if it falls outside the list.
 */
function positionOf(index: bigint, length: number): number | undefined {
  const i = toNumber(index);
  const position = i < 0 ? length + i : i;
  return position >= 0 && position < length ? position : undefined;
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
    const position = positionOf(index, list.length);
    return position === undefined ? NULL : bulk(list.at(position)!);
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
    const position = positionOf(index, list.length);
    if (position === undefined) return INDEX_OUT_OF_RANGE;
    db.willModify(key);
    list.set(position, byteString(args[3]!));
    return OK;
  },
};
// #endregion index

// #region by-value
/** The position of the first element equal to `value` from the head, or -1. */
function firstPosition(list: Quicklist, value: string): number {
  for (const [position, element] of list.entries()) {
    if (element === value) return position;
  }
  return -1;
}

/**
 * LREM key count element: removes elements equal to `element`, the first
 * `count` from the head (count > 0), the last -count from the tail
 * (count < 0), or all of them (0). Answers how many went.
 */
export const lrem: CommandSpec = {
  name: "lrem",
  arity: 4,
  flags: ["write"],
  keys: ONE_KEY,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.lrem,
  run(args, { session }) {
    const count = longArgument(args[2]!);
    if (typeof count !== "bigint") return count;
    const { db } = session;
    const key = byteString(args[1]!);
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) return integer(0);
    const value = byteString(args[3]!);
    // Announced only if something will go: an LREM that removes nothing
    // changes nothing, and Redis does not log it.
    if (firstPosition(list, value) === -1) return integer(0);
    db.willModify(key);
    const removed = list.removeMatching(value, toNumber(count));
    if (list.length === 0) db.delete(key);
    return integer(removed);
  },
};

/**
 * LINSERT key BEFORE|AFTER pivot element: inserts next to the first
 * element equal to pivot, and answers the new length; -1 if there is no
 * such element, 0 if there is no list.
 */
export const linsert: CommandSpec = {
  name: "linsert",
  arity: 5,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.linsert,
  run(args, { session }) {
    let after: boolean;
    if (isKeyword(args[2]!, "after")) after = true;
    else if (isKeyword(args[2]!, "before")) after = false;
    else return SYNTAX_ERROR;
    const { db } = session;
    const key = byteString(args[1]!);
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) return integer(0);
    const pivot = firstPosition(list, byteString(args[3]!));
    if (pivot === -1) return integer(-1);
    db.willModify(key);
    list.insertAt(after ? pivot + 1 : pivot, byteString(args[4]!));
    return integer(list.length);
  },
};
// #endregion by-value

// #region lpos
interface LposOptions {
  /** Which match comes first: 1 the first, 2 the second, -1 the last... */
  rank: bigint;
  /** How many matches to answer (0: all); undefined without COUNT. */
  count: number | undefined;
  /** How many elements to look at (0: all). */
  maxlen: number;
}

/** LPOS's options, in any order; a later one overrides an earlier one. */
function lposOptions(args: Buffer[]): LposOptions | Reply {
  const options: LposOptions = { rank: 1n, count: undefined, maxlen: 0 };
  for (let i = 3; i < args.length; i++) {
    const option = args[i]!;
    const value = args[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (isKeyword(option, "rank")) {
      const rank = longArgument(value);
      if (typeof rank !== "bigint") return rank;
      if (rank === 0n) {
        return error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
      options.rank = rank;
    } else if (isKeyword(option, "count")) {
      const count = atLeast(value, 0n, "COUNT can't be negative");
      if (typeof count !== "bigint") return count;
      options.count = toNumber(count);
    } else if (isKeyword(option, "maxlen")) {
      const maxlen = atLeast(value, 0n, "MAXLEN can't be negative");
      if (typeof maxlen !== "bigint") return maxlen;
      options.maxlen = toNumber(maxlen);
    } else {
      return SYNTAX_ERROR;
    }
    i += 1;
  }
  return options;
}

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: where
 * `element` is, as an index from the head (what LINDEX takes), or nil;
 * with COUNT, an array of up to num-matches indexes. A negative RANK
 * searches from the tail. The options are checked before the key.
 */
export const lpos: CommandSpec = {
  name: "lpos",
  arity: -3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@list", "@slow"],
  docs: LIST_DOCS.lpos,
  run(args, { session }) {
    const options = lposOptions(args);
    if (!("rank" in options)) return options;
    const { rank, count, maxlen } = options;
    const list = readList(session.db, byteString(args[1]!));
    if (isWrongType(list)) return list;
    if (list === undefined) return count === undefined ? NULL : EMPTY_ARRAY;

    // RANK -2^63 cannot be negated in a C long: in Redis 7.0.15 it then
    // counts every match from the tail, and COUNT no longer stops it.
    const overflowed = rank === INT64_MIN;
    const skip = overflowed ? 0 : toNumber(rank < 0n ? -rank : rank) - 1;
    const wanted =
      count === undefined ? 1 : count === 0 || overflowed ? Infinity : count;
    const value = byteString(args[2]!);
    const found: number[] = [];
    let scanned = 0;
    let matches = 0;
    const order = rank < 0n ? list.entriesFromTail() : list.entries();
    for (const [position, element] of order) {
      if (maxlen !== 0 && scanned >= maxlen) break;
      scanned += 1;
      if (element !== value) continue;
      matches += 1;
      if (matches <= skip) continue;
      found.push(position);
      if (found.length >= wanted) break;
    }
    if (count !== undefined) return array(found.map((p) => integer(p)));
    return found.length === 0 ? NULL : integer(found[0]!);
  },
};
// #endregion lpos

// #region move-between
/**
 * Moves one element from an end of `list`, the list stored at `source`,
 * to an end of the list at `destination` (created if missing), and
 * returns it. If `destination` holds another kind of value, nothing moves
 * and the answer is WRONGTYPE. `source` is deleted if that emptied it.
 * The source list must hold at least one element, as every stored list
 * does. With `source` and `destination` the same key, the list rotates.
 *
 * The one place a move happens: LMOVE, RPOPLPUSH and, when a client that
 * waited is served, BLMOVE and BRPOPLPUSH. `fill` is the
 * `list-max-listpack-size` a new destination list gets.
 */
export function moveBetween(
  db: Database,
  source: string,
  list: Quicklist,
  destination: string,
  from: End,
  to: End,
  fill: number,
): string | WrongType {
  const target = getList(db, destination);
  if (isWrongType(target)) return target;
  db.willModify(source);
  const value = popAt(list, from)!;
  if (target === undefined) {
    const created = new Quicklist(fill);
    pushAt(created, to, value);
    db.set(destination, created);
  } else {
    db.willModify(destination);
    pushAt(target, to, value);
  }
  // Only now: a list rotated onto itself was empty for a moment, and kept.
  if (list.length === 0) db.delete(source);
  return value;
}
// #endregion move-between

// #region move
/**
 * LMOVE and RPOPLPUSH: the source list's element, or nil if there is none.
 * The source is checked before the destination, each for its type.
 */
function move(
  args: Buffer[],
  context: CommandContext,
  from: End,
  to: End,
): Reply {
  const { db } = context.session;
  const source = byteString(args[1]!);
  const list = getList(db, source);
  if (isWrongType(list)) return list;
  if (list === undefined) return NULL;
  const value = moveBetween(
    db,
    source,
    list,
    byteString(args[2]!),
    from,
    to,
    context.server.config.listMaxListpackSize,
  );
  return typeof value === "string" ? bulk(value) : value;
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. Both ends are checked before either key. */
export const lmove: CommandSpec = {
  name: "lmove",
  arity: 5,
  flags: ["write", "denyoom"],
  keys: TWO_KEYS,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.lmove,
  run(args, context) {
    const from = endOf(args[3]!);
    const to = endOf(args[4]!);
    if (from === undefined || to === undefined) return SYNTAX_ERROR;
    return move(args, context, from, to);
  },
};

/** RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT, its older name. */
export const rpoplpush: CommandSpec = {
  name: "rpoplpush",
  arity: 3,
  flags: ["write", "denyoom"],
  keys: TWO_KEYS,
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.rpoplpush,
  run: (args, context) => move(args, context, "tail", "head"),
};
// #endregion move

// #region multi-pop
/** What LMPOP (and BLMPOP, after its timeout) asks for. */
export interface MultiPop {
  /** The keys, tried in order: the first non-empty list is popped. */
  readonly keys: readonly string[];
  readonly where: End;
  /** At most this many elements (1 without COUNT). */
  readonly count: number;
}

/**
 * Reads `numkeys key [key ...] LEFT|RIGHT [COUNT count]` from
 * `args[numkeysAt]` on (1 for LMPOP, 2 for BLMPOP), with Redis's errors
 * in Redis's order: numkeys, then the end, then COUNT (given once).
 */
export function parseMultiPop(
  args: Buffer[],
  numkeysAt: number,
): MultiPop | Reply {
  const numkeys = atLeast(
    args[numkeysAt]!,
    1n,
    "numkeys should be greater than 0",
  );
  if (typeof numkeys !== "bigint") return numkeys;
  // More keys than arguments leave no room for LEFT or RIGHT.
  if (numkeys >= BigInt(args.length - numkeysAt - 1)) return SYNTAX_ERROR;
  const whereAt = numkeysAt + Number(numkeys) + 1;
  const where = endOf(args[whereAt]!);
  if (where === undefined) return SYNTAX_ERROR;
  let count: number | undefined;
  for (let i = whereAt + 1; i < args.length; i++) {
    if (count !== undefined || !isKeyword(args[i]!, "count")) {
      return SYNTAX_ERROR;
    }
    const value = args[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    const parsed = atLeast(value, 1n, "count should be greater than 0");
    if (typeof parsed !== "bigint") return parsed;
    count = toNumber(parsed);
    i += 1;
  }
  const keys = args.slice(numkeysAt + 1, whereAt).map(byteString);
  return { keys, where, count: count ?? 1 };
}

/** LMPOP's (and BLMPOP's) answer: the key popped, and its elements. */
export function keyAndElements(key: string, values: readonly string[]): Reply {
  return array([bulk(key), array(values.map(bulk))]);
}

/**
 * How the AOF records a multi-pop: as the LPOP or RPOP with a count that
 * it amounts to (the count of elements actually popped), as Redis logs
 * LMPOP and BLMPOP.
 */
export function logPop(
  context: CommandContext,
  where: End,
  key: string,
  popped: number,
): void {
  logAs(context, where === "head" ? "LPOP" : "RPOP", key, String(popped));
}

/**
 * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first
 * key that holds a list, and answers [key, elements]; a null array if no
 * key does. A key of another kind stops the search with WRONGTYPE.
 */
export const lmpop: CommandSpec = {
  name: "lmpop",
  arity: -4,
  // Redis adds "movablekeys": the keys' positions depend on numkeys.
  flags: ["write"],
  categories: ["@write", "@list", "@slow"],
  docs: LIST_DOCS.lmpop,
  run(args, context) {
    const request = parseMultiPop(args, 1);
    if (!("keys" in request)) return request;
    const { db } = context.session;
    for (const key of request.keys) {
      const list = getList(db, key);
      if (isWrongType(list)) return list;
      if (list === undefined) continue;
      const values = popFrom(db, key, list, request.where, request.count);
      logPop(context, request.where, key, values.length);
      return keyAndElements(key, values);
    }
    return NULL_ARRAY;
  },
};
// #endregion multi-pop

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
  lrem,
  ltrim,
  linsert,
  lpos,
  lmove,
  rpoplpush,
  lmpop,
];
