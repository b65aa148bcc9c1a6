/**
 * The list commands that wait: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and
 * BLMPOP. Each is its non-blocking twin (LPOP, RPOP, LMOVE, RPOPLPUSH,
 * LMPOP) when a key has data, and otherwise leaves a `BlockRequest`
 * behind (command-spec.ts) for the blocked clients to serve later
 * (blocking/blocked-clients.ts).
 *
 * Every one of them follows the same three steps, in `takeOrWait`:
 *
 * 1. try the keys in the order given: a key of another kind answers
 *    WRONGTYPE at once, the first list is taken from, now;
 * 2. where the client may not wait (AOF replay; in chapter 07, inside
 *    MULTI), answer "nothing" at once;
 * 3. otherwise wait, with a `serve` that does step 1's work on the one
 *    key that received data.
 *
 * The AOF records what happened, never the blocking command: BLPOP as
 * the LPOP it did, BLMOVE as LMOVE, BLMPOP as LPOP or RPOP with the count
 * popped, as Redis 7.0.15 propagates them. A client served later is not
 * running a command, so its record goes straight to the AOF, after the
 * record of the command that gave it its data.
 */
import {
  logAs,
  type CommandContext,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import type { BlockRequest } from "../blocking/block-request.ts";
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
import type { Database } from "../keyspace/database.ts";
import type { Quicklist } from "../types/quicklist.ts";
import { parseTimeout } from "../blocking/timeout.ts";
import { getList, isWrongType, type WrongType } from "./typed-lookup.ts";
import { endOf, moveBetween, popFrom, type End } from "./list-ends.ts";
import { keyAndElements } from "./list-move-commands.ts";
import { parseMultiPop } from "./mpop-arguments.ts";
import { LIST_DOCS } from "./docs/list-docs.ts";

// #region take-or-wait
/** What taking from a list gave: the client's reply, and the AOF's record of it. */
interface Taken {
  readonly reply: Reply;
  /** The command that replays the change: `LPOP key`, `LMOVE ...`. */
  readonly logged: readonly string[];
}

/**
 * The work of a blocking command on `key`, which holds `list`: the pop or
 * the move. WRONGTYPE if it cannot be done (a BLMOVE whose destination
 * holds another kind of value), in which case nothing changed. `now` is
 * true when the command runs, false when it serves a client that waited:
 * Redis words the record of a BLMOVE differently in the two cases.
 */
type Take = (
  db: Database,
  key: string,
  list: Quicklist,
  now: boolean,
) => Taken | WrongType;

/**
 * Takes from the first of `keys` that holds a list, or asks to wait on
 * them all until `deadline`. `denied` is the answer where the client may
 * not wait (`mayBlock` false): Redis's null array for the pops, null for
 * the moves. Once waiting, the answer at the deadline is a null array for
 * all five, as in Redis 7.0.15.
 */
function takeOrWait(
  context: CommandContext,
  keys: readonly string[],
  deadline: number,
  take: Take,
  denied: Reply,
): Reply | BlockRequest {
  const { db } = context.session;
  for (const key of keys) {
    const list = getList(db, key);
    if (isWrongType(list)) return list;
    if (list === undefined) continue;
    const taken = take(db, key, list, true);
    if (isWrongType(taken)) return taken;
    logAs(context, ...taken.logged);
    return taken.reply;
  }
  if (!context.session.mayBlock) return denied;
  return {
    type: "block",
    keys,
    waitsFor: "list",
    deadline,
    timeoutReply: NULL_ARRAY,
    serve(key) {
      // The key received data, but it may have lost it again, or become
      // another kind of value, since: then the client waits on.
      const list = getList(db, key);
      if (list === undefined || isWrongType(list)) return undefined;
      const taken = take(db, key, list, false);
      if (isWrongType(taken)) return taken;
      // No command of this client is running: the record goes straight to
      // the AOF, in the database the client waits in.
      context.server.aof.record(db.index, taken.logged);
      return taken.reply;
    },
  };
}
// #endregion take-or-wait

/** The deadline a timeout argument gives, from now; or its error. */
function deadlineOf(arg: Buffer, context: CommandContext): number | Reply {
  return parseTimeout(arg, context.server.blockedClients.clock.now());
}

const BLOCKING_CATEGORIES = ["@write", "@list", "@slow", "@blocking"];

// #region blocking-pop
/**
 * BLPOP and BRPOP key [key ...] timeout: [key, element] from the first
 * key that holds a list, or when one receives data. The timeout is read
 * before any key is looked at, so `BLPOP s abc` is the timeout's error
 * even when s is a string.
 */
function blockingPop(name: "blpop" | "brpop", where: End): CommandSpec {
  const logged = where === "head" ? "LPOP" : "RPOP";
  return {
    name,
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: { first: 1, last: -2, step: 1 },
    categories: BLOCKING_CATEGORIES,
    docs: LIST_DOCS[name],
    run(args, context) {
      const deadline = deadlineOf(args[args.length - 1]!, context);
      if (typeof deadline !== "number") return deadline;
      const keys = args.slice(1, -1).map(byteString);
      return takeOrWait(
        context,
        keys,
        deadline,
        (db, key, list) => {
          const [value] = popFrom(db, key, list, where);
          return {
            reply: array([bulk(key), bulk(value!)]),
            logged: [logged, key],
          };
        },
        NULL_ARRAY,
      );
    },
  };
}

export const blpop = blockingPop("blpop", "head");
export const brpop = blockingPop("brpop", "tail");
// #endregion blocking-pop

// #region blocking-move
/**
 * BLMOVE and BRPOPLPUSH: LMOVE and RPOPLPUSH, or a wait on the source.
 * The destination's type is checked only when there is something to
 * move: a client may wait on a source while its destination is a string,
 * and is answered WRONGTYPE (with nothing moved) once the source has data.
 *
 * The AOF records BRPOPLPUSH (`wordsNow` undefined) as RPOPLPUSH, and
 * BLMOVE as LMOVE: with `wordsNow`, the client's own words for the ends
 * (`LEFT`, `Right`), when it moves at once (Redis rewrites the command it
 * runs into LMOVE); with `left` and `right` in lower case, Redis's shared
 * words, when a client that waited is served.
 */
function blockingMove(
  args: Buffer[],
  context: CommandContext,
  from: End,
  to: End,
  timeoutAt: number,
  wordsNow: readonly string[] | undefined,
): Reply | BlockRequest {
  const deadline = deadlineOf(args[timeoutAt]!, context);
  if (typeof deadline !== "number") return deadline;
  const source = byteString(args[1]!);
  const destination = byteString(args[2]!);
  return takeOrWait(
    context,
    [source],
    deadline,
    (db, key, list, now) => {
      // A destination created now is sized by the setting of now.
      const fill = context.server.config.listMaxListpackSize;
      const value = moveBetween(db, key, list, destination, from, to, fill);
      if (isWrongType(value)) return value;
      const logged =
        wordsNow === undefined
          ? ["RPOPLPUSH", source, destination]
          : [
              "LMOVE",
              source,
              destination,
              ...(now ? wordsNow : [lowerCase(from), lowerCase(to)]),
            ];
      return { reply: bulk(value), logged };
    },
    NULL,
  );
}

/** An end as Redis's shared words name it: `left` or `right`. */
function lowerCase(end: End): string {
  return end === "head" ? "left" : "right";
}

const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: the ends are read before the timeout. */
export const blmove: CommandSpec = {
  name: "blmove",
  arity: 6,
  flags: ["write", "denyoom", "noscript", "blocking"],
  keys: TWO_KEYS,
  categories: BLOCKING_CATEGORIES,
  docs: LIST_DOCS.blmove,
  run(args, context) {
    const from = endOf(args[3]!);
    const to = endOf(args[4]!);
    if (from === undefined || to === undefined) return SYNTAX_ERROR;
    const words = [byteString(args[3]!), byteString(args[4]!)];
    return blockingMove(args, context, from, to, 5, words);
  },
};

/** BRPOPLPUSH source destination timeout: BLMOVE ... RIGHT LEFT, its older name. */
export const brpoplpush: CommandSpec = {
  name: "brpoplpush",
  arity: 4,
  flags: ["write", "denyoom", "noscript", "blocking"],
  keys: TWO_KEYS,
  categories: BLOCKING_CATEGORIES,
  docs: LIST_DOCS.brpoplpush,
  run: (args, context) =>
    blockingMove(args, context, "tail", "head", 3, undefined),
};
// #endregion blocking-move

// #region blocking-multi-pop
/**
 * BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: LMPOP,
 * or a wait on its keys. Redis reads everything after the timeout first
 * (numkeys, the end, COUNT), then the timeout: `BLMPOP abc 0 k LEFT` is
 * the numkeys error, `BLMPOP abc 1 k LEFT` the timeout's.
 */
export const blmpop: CommandSpec = {
  name: "blmpop",
  arity: -5,
  flags: ["write", "blocking", "movablekeys"],
  movableKeys: keysAfterNumkeys(2),
  categories: BLOCKING_CATEGORIES,
  docs: LIST_DOCS.blmpop,
  run(args, context) {
    const request = parseMultiPop(args, 2, endOf);
    if (!("keys" in request)) return request;
    const deadline = deadlineOf(args[1]!, context);
    if (typeof deadline !== "number") return deadline;
    const { end, count } = request;
    return takeOrWait(
      context,
      request.keys,
      deadline,
      (db, key, list) => {
        const values = popFrom(db, key, list, end, count);
        return {
          reply: keyAndElements(key, values),
          logged: [
            end === "head" ? "LPOP" : "RPOP",
            key,
            String(values.length),
          ],
        };
      },
      NULL_ARRAY,
    );
  },
};
// #endregion blocking-multi-pop

export const BLOCKING_LIST_COMMANDS: readonly CommandSpec[] = [
  blpop,
  brpop,
  blmove,
  brpoplpush,
  blmpop,
];
