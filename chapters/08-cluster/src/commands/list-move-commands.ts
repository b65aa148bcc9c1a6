/**
 * The list commands that take elements off one list and put them on
 * another or hand them over: LMOVE and RPOPLPUSH (its older name for one
 * direction), and LMPOP, which pops from the first of several keys that
 * holds a list. The blocking forms (BLMOVE, BRPOPLPUSH, BLMPOP) shape
 * their answers with the helpers here; LMPOP's arguments are read as
 * ZMPOP's are (mpop-arguments.ts).
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
  keysAfterNumkeys,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { getList, isWrongType } from "./typed-lookup.ts";
import { parseMultiPop } from "./mpop-arguments.ts";
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
    const request = parseMultiPop(args, 1, endOf);
    if (!("keys" in request)) return request;
    const { db } = context.session;
    for (const key of request.keys) {
      const list = getList(db, key);
      if (isWrongType(list)) return list;
      if (list === undefined) continue;
      const values = popFrom(db, key, list, request.end, request.count);
      logPop(context, request.end, key, values.length);
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
