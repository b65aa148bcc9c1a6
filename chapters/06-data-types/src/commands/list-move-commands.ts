/**
 * The list commands that take elements off one list and put them on
 * another or hand them over: LMOVE and RPOPLPUSH (its older name for one
 * direction), and LMPOP, which pops from the first of several keys that
 * holds a list. The blocking forms (BLMOVE, BRPOPLPUSH, BLMPOP) read
 * their arguments and shape their answers with the helpers here.
 */
import {
  logAs,
  type CommandContext,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  NULL,
  NULL_ARRAY,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  isKeyword,
  keysAfterNumkeys,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { getList, isWrongType } from "./typed-lookup.ts";
import { atLeast, toNumber } from "./list-arguments.ts";
import { endOf, moveBetween, popFrom, type End } from "./list-ends.ts";
import { LIST_DOCS } from "./docs/list-docs.ts";

const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;

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
  flags: ["write", "movablekeys"],
  movableKeys: keysAfterNumkeys(1),
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

export const LIST_MOVE_COMMANDS: readonly CommandSpec[] = [
  lmove,
  rpoplpush,
  lmpop,
];
