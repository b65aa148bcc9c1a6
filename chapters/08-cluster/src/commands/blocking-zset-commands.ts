/**
 * The sorted-set commands that wait: BZPOPMIN, BZPOPMAX and BZMPOP. Each
 * is its non-blocking twin (ZPOPMIN, ZPOPMAX, ZMPOP) when one of its keys
 * holds a sorted set, and otherwise leaves a `BlockRequest` behind for
 * the blocked clients to serve later (blocking/blocked-clients.ts), in
 * the three steps of the blocking list commands (`takeOrWait` in
 * blocking-list-commands.ts):
 *
 * 1. try the keys in the order given: a key of another kind answers
 *    WRONGTYPE at once, the first sorted set is popped, now;
 * 2. where the client may not wait (AOF replay; in chapter 07, inside
 *    MULTI), answer a null array at once;
 * 3. otherwise wait for a sorted set (`waitsFor: "zset"`), with a `serve`
 *    that does step 1's pop on the one key that received members. A key
 *    that becomes a list in the meantime serves the list commands waiting
 *    in its queue, and passes these over.
 *
 * A sorted set has no destination to move into, so unlike BLMOVE a pop
 * never fails once the set is found. The AOF records the pop, never the
 * blocking command, in the same words whether the client was served at
 * once or later, as Redis 7.0.15 propagates them: BZPOPMIN as `ZPOPMIN
 * key`, BZPOPMAX as `ZPOPMAX key`, BZMPOP as `ZPOPMIN key count` or
 * `ZPOPMAX key count` with the number it popped.
 */
import {
  logAs,
  type CommandContext,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import type { BlockRequest } from "../blocking/block-request.ts";
import { array, bulk, NULL_ARRAY, type Reply } from "../protocol/reply.ts";
import { byteString, keysAfterNumkeys } from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import type { RedisSortedSet } from "../types/sorted-set.ts";
import { parseTimeout } from "../blocking/timeout.ts";
import { getSortedSet, isWrongType } from "./typed-lookup.ts";
import {
  keyAndScoredMembers,
  popCommandName,
  popEnd,
  zsetEndOf,
  type ZsetEnd,
} from "./zset-pop-commands.ts";
import { parseMultiPop } from "./mpop-arguments.ts";
import { scoredMemberFlat } from "./zset-replies.ts";
import { ZSET_POP_DOCS } from "./docs/zset-pop-docs.ts";

// #region pop-or-wait
/** What a pop gave: the client's reply, and the AOF's record of it. */
interface Popped {
  readonly reply: Reply;
  /** The command that replays the pop: `ZPOPMIN key`, `ZPOPMAX key 2`. */
  readonly logged: readonly string[];
}

/** The pop of a blocking command, on `key`, which holds `set`. */
type Pop = (db: Database, key: string, set: RedisSortedSet) => Popped;

/**
 * Pops from the first of `keys` that holds a sorted set, or asks to wait
 * on them all until `deadline`. The answer where the client may not wait,
 * and at the deadline, is a null array, as in Redis 7.0.15.
 */
function popOrWait(
  context: CommandContext,
  keys: readonly string[],
  deadline: number,
  pop: Pop,
): Reply | BlockRequest {
  const { db } = context.session;
  for (const key of keys) {
    const set = getSortedSet(db, key);
    if (isWrongType(set)) return set;
    if (set === undefined) continue;
    const popped = pop(db, key, set);
    logAs(context, ...popped.logged);
    return popped.reply;
  }
  if (!context.session.mayBlock) return NULL_ARRAY;
  return {
    type: "block",
    keys,
    waitsFor: "zset",
    deadline,
    timeoutReply: NULL_ARRAY,
    serve(key) {
      // The key received members, but it may have lost them again since:
      // then the client waits on.
      const set = getSortedSet(db, key);
      if (set === undefined || isWrongType(set)) return undefined;
      const popped = pop(db, key, set);
      // No command of this client is running: the record goes straight to
      // the AOF, in the database the client waits in.
      context.server.aof.record(db.index, popped.logged);
      return popped.reply;
    },
  };
}
// #endregion pop-or-wait

/** The deadline a timeout argument gives, from now; or its error. */
function deadlineOf(arg: Buffer, context: CommandContext): number | Reply {
  return parseTimeout(arg, context.server.blockedClients.clock.now());
}

// #region blocking-zpop
/**
 * BZPOPMIN and BZPOPMAX key [key ...] timeout: [key, member, score] from
 * the first key that holds a sorted set, or from the first that receives
 * members. Flat in both protocols, the score a double in RESP3. The
 * timeout is read before any key is looked at, as BLPOP's is.
 */
function blockingZpop(
  name: "bzpopmin" | "bzpopmax",
  end: ZsetEnd,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: { first: 1, last: -2, step: 1 },
    categories: ["@write", "@sortedset", "@fast", "@blocking"],
    docs: ZSET_POP_DOCS[name],
    run(args, context) {
      const deadline = deadlineOf(args[args.length - 1]!, context);
      if (typeof deadline !== "number") return deadline;
      const keys = args.slice(1, -1).map(byteString);
      return popOrWait(context, keys, deadline, (db, key, set) => {
        const [entry] = popEnd(db, key, set, end, 1);
        return {
          reply: array([bulk(key), ...scoredMemberFlat(entry!)]),
          logged: [popCommandName(end), key],
        };
      });
    },
  };
}

export const bzpopmin = blockingZpop("bzpopmin", "min");
export const bzpopmax = blockingZpop("bzpopmax", "max");
// #endregion blocking-zpop

// #region blocking-zmpop
/**
 * BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: ZMPOP, or a
 * wait on its keys. As BLMPOP does, it reads everything after the
 * timeout first (numkeys, MIN or MAX, COUNT), then the timeout: `BZMPOP
 * abc 1 k FOO` is a syntax error, `BZMPOP abc 1 k MIN` the timeout's.
 */
export const bzmpop: CommandSpec = {
  name: "bzmpop",
  arity: -5,
  flags: ["write", "blocking", "movablekeys"],
  movableKeys: keysAfterNumkeys(2),
  categories: ["@write", "@sortedset", "@slow", "@blocking"],
  docs: ZSET_POP_DOCS.bzmpop,
  run(args, context) {
    const request = parseMultiPop(args, 2, zsetEndOf);
    if (!("keys" in request)) return request;
    const deadline = deadlineOf(args[1]!, context);
    if (typeof deadline !== "number") return deadline;
    const { end, count } = request;
    return popOrWait(context, request.keys, deadline, (db, key, set) => {
      const popped = popEnd(db, key, set, end, count);
      return {
        reply: keyAndScoredMembers(key, popped),
        logged: [popCommandName(end), key, String(popped.length)],
      };
    });
  },
};
// #endregion blocking-zmpop

export const BLOCKING_ZSET_COMMANDS: readonly CommandSpec[] = [
  bzpopmin,
  bzpopmax,
  bzmpop,
];
