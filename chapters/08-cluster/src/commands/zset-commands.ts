/**
 * The sorted-set commands that change members one by one: ZADD and
 * ZINCRBY, which add members or change their scores, and ZREM. The
 * reads member by member (ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK,
 * ZSCAN) are in zset-read-commands.ts; the commands that select
 * by rank, score or bytes (ZRANGE and its kin) and the ones that combine
 * or pop sorted sets have files of their own.
 *
 * A sorted set is changed where it lies, as a set is (see
 * set-commands.ts): a change is announced first with `db.willModify(key)`,
 * and only when something really changes. `ZADD z 1 a` twice changes
 * nothing the second time, and the AOF does not log it, as Redis does
 * not. A sorted set whose last member goes is deleted at once: an empty
 * one is never stored.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import { double, error, integer, NULL, type Reply } from "../protocol/reply.ts";
import { byteString, isKeyword, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { RedisSortedSet, type SortedSetLimits } from "../types/sorted-set.ts";
import { getSortedSet, isWrongType } from "./typed-lookup.ts";
import { NOT_A_VALID_FLOAT, parseScore } from "./zset-scores.ts";
import { ZSET_DOCS } from "./docs/zset-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

// #region zadd-options
/** ZADD's options: which members it may touch, and what it answers. */
interface ZaddOptions {
  /** NX: only members not there yet. */
  readonly nx: boolean;
  /** XX: only members there already (and never a new key). */
  readonly xx: boolean;
  /** GT and LT: only a move to a greater, or a lesser, score. */
  readonly gt: boolean;
  readonly lt: boolean;
  /** CH: count the members whose score changed, as well as the new ones. */
  readonly ch: boolean;
  /** INCR: add the score to the member's (ZINCRBY always does). */
  readonly incr: boolean;
}

/** The option keywords, as `ZaddOptions` names them. */
const ZADD_KEYWORDS = ["nx", "xx", "gt", "lt", "ch", "incr"] as const;
type ZaddKeyword = (typeof ZADD_KEYWORDS)[number];

/**
 * Reads ZADD's options and checks them, in Redis's order. The options
 * are the keywords at the start, in any order and any case, and what
 * follows must be score and member pairs, at least one. Then come the
 * conflicts: NX with XX, then any two of GT, LT and NX, then INCR with
 * more than one pair. Answers the options and where the first score is,
 * or the error.
 *
 * ZINCRBY runs through here too, with INCR set, as it does in Redis: so
 * `ZINCRBY z nx m` is a syntax error (NX is read as an option, and leaves
 * a member without a score), not a bad float.
 */
function readZaddOptions(
  args: Buffer[],
  incr: boolean,
): { options: ZaddOptions; firstScore: number } | Reply {
  const seen = new Set<ZaddKeyword>(incr ? ["incr"] : []);
  let firstScore = 2;
  for (; firstScore < args.length; firstScore++) {
    const arg = args[firstScore]!;
    const keyword = ZADD_KEYWORDS.find((name) => isKeyword(arg, name));
    if (keyword === undefined) break;
    seen.add(keyword);
  }
  const words = args.length - firstScore;
  if (words === 0 || words % 2 !== 0) return SYNTAX_ERROR;

  const options: ZaddOptions = {
    nx: seen.has("nx"),
    xx: seen.has("xx"),
    gt: seen.has("gt"),
    lt: seen.has("lt"),
    ch: seen.has("ch"),
    incr: seen.has("incr"),
  };
  const { nx, xx, gt, lt } = options;
  if (nx && xx) {
    return error("ERR XX and NX options at the same time are not compatible");
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return error(
      "ERR GT, LT, and/or NX options at the same time are not compatible",
    );
  }
  if (options.incr && words > 2) {
    return error("ERR INCR option supports a single increment-element pair");
  }
  return { options, firstScore };
}
// #endregion zadd-options

// #region member-change
/**
 * What ZADD does to one member, decided before anything changes (Redis's
 * `zsetAdd`): add it, move it to a new score, keep it where it is (the
 * same score, or an increment of 0), skip it because an option says no,
 * or refuse it because an increment made NaN (`inf` plus `-inf`).
 */
type MemberChange =
  | { readonly kind: "add" | "move" | "keep"; readonly score: number }
  | { readonly kind: "skip" }
  | { readonly kind: "nan" };

const SKIP: MemberChange = { kind: "skip" };

/**
 * The change for a member whose score is `current` (undefined if it is
 * not there) when ZADD gives it `score`. GT and LT compare the score the
 * member would get, so after the increment; and a new member is never
 * stopped by GT or LT, only by XX.
 */
function changeFor(
  current: number | undefined,
  score: number,
  options: ZaddOptions,
): MemberChange {
  if (current === undefined) return options.xx ? SKIP : { kind: "add", score };
  if (options.nx) return SKIP;
  const wanted = options.incr ? current + score : score;
  if (Number.isNaN(wanted)) return { kind: "nan" };
  if ((options.gt && wanted <= current) || (options.lt && wanted >= current)) {
    return SKIP;
  }
  // `===`, as C's `==`: -0 and 0 are the same score, so no move.
  return { kind: wanted === current ? "keep" : "move", score: wanted };
}
// #endregion member-change

// #region new-sorted-set
/**
 * The sorted set ZADD creates for a missing key, in the encoding Redis's
 * `zaddGenericCommand` picks before adding anything: a skiplist at once
 * when `zset-max-listpack-entries` is 0 or the first member is longer
 * than `zset-max-listpack-value`, a listpack otherwise. A listpack would
 * convert at that first `add` anyway, so this changes no outcome: it
 * says where Redis decides. (A later member too long converts the set as
 * it is added, as for any sorted set.)
 */
function newSortedSetFor(
  firstMember: string,
  limits: SortedSetLimits,
): RedisSortedSet {
  const skiplist =
    Number(limits.zsetMaxListpackEntries) === 0 ||
    firstMember.length > limits.zsetMaxListpackValue;
  return new RedisSortedSet(skiplist ? "skiplist" : "listpack");
}
// #endregion new-sorted-set

// #region zadd
/**
 * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...],
 * and ZINCRBY key increment member, which is ZADD INCR with one pair.
 *
 * Redis's order: the options, then every score (all of them before any
 * change, so a bad one leaves the set as it was), then the key's type.
 * XX on a missing key creates nothing. The answer is how many members
 * are new (with CH, new or moved); with INCR, the member's new score, or
 * nil when an option stopped it.
 */
function addOrIncrement(
  args: Buffer[],
  context: CommandContext,
  incr: boolean,
): Reply {
  const read = readZaddOptions(args, incr);
  if (!("options" in read)) return read;
  const { options, firstScore } = read;
  const scores: number[] = [];
  for (let i = firstScore; i < args.length; i += 2) {
    const score = parseScore(byteString(args[i]!));
    if (score === undefined) return NOT_A_VALID_FLOAT;
    scores.push(score);
  }

  const { db } = context.session;
  const key = byteString(args[1]!);
  const existing = getSortedSet(db, key);
  if (isWrongType(existing)) return existing;
  if (existing === undefined && options.xx) {
    return options.incr ? NULL : integer(0);
  }
  const limits = context.server.config;
  const zset =
    existing ?? newSortedSetFor(byteString(args[firstScore + 1]!), limits);

  let added = 0;
  let moved = 0;
  /** The last new score, for INCR's answer; undefined while none was given. */
  let lastScore: number | undefined;
  for (let i = 0; i < scores.length; i++) {
    const member = byteString(args[firstScore + 1 + 2 * i]!);
    const change = changeFor(zset.score(member), scores[i]!, options);
    // Only INCR makes NaN, and it has one pair: nothing changed yet.
    if (change.kind === "nan") {
      return error("ERR resulting score is not a number (NaN)");
    }
    if (change.kind === "skip") continue;
    lastScore = change.score;
    if (change.kind === "keep") continue;
    // Announced once, before the first real change of a stored set.
    if (existing !== undefined && added + moved === 0) db.willModify(key);
    zset.add(member, change.score, limits);
    if (change.kind === "add") added += 1;
    else moved += 1;
  }
  // A new key always got its members: only XX could have skipped them.
  if (existing === undefined) db.set(key, zset);

  if (options.incr) return lastScore === undefined ? NULL : double(lastScore);
  return integer(options.ch ? added + moved : added);
}

export const zadd: CommandSpec = {
  name: "zadd",
  arity: -4,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@sortedset", "@fast"],
  docs: ZSET_DOCS.zadd,
  run: (args, context) => addOrIncrement(args, context, false),
};

/** ZINCRBY key increment member: the new score. Logged as it came. */
export const zincrby: CommandSpec = {
  name: "zincrby",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@sortedset", "@fast"],
  docs: ZSET_DOCS.zincrby,
  run: (args, context) => addOrIncrement(args, context, true),
};
// #endregion zadd

// #region zrem
/** ZREM key member [member ...]: how many of them were there. */
export const zrem: CommandSpec = {
  name: "zrem",
  arity: -3,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@sortedset", "@fast"],
  docs: ZSET_DOCS.zrem,
  run(args, { session }) {
    const { db } = session;
    const key = byteString(args[1]!);
    const zset = getSortedSet(db, key);
    if (isWrongType(zset)) return zset;
    if (zset === undefined) return integer(0);
    let removed = 0;
    for (let i = 2; i < args.length; i++) {
      const member = byteString(args[i]!);
      if (!zset.has(member)) continue;
      if (removed === 0) db.willModify(key);
      zset.delete(member);
      removed += 1;
      if (zset.size === 0) {
        db.delete(key);
        break;
      }
    }
    return integer(removed);
  },
};
// #endregion zrem

/** The sorted-set commands of this file. */
export const ZSET_COMMANDS: readonly CommandSpec[] = [zadd, zincrby, zrem];
