/**
 * The commands that combine sorted sets (and sets, whose members score
 * 1): ZUNION, ZINTER and ZDIFF answer the combined sorted set;
 * ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE store it in a destination key;
 * ZINTERCARD counts it. The combining is in types/zset-algebra.ts; here
 * are Redis's rules around it: the `numkeys` count, the options after
 * the keys, the order of the checks, and what happens to the destination.
 * In Redis all seven are one function (`zunionInterDiffGenericCommand`),
 * so here too one reading of the arguments serves them all, told only
 * which options each command takes.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import { error, integer, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  keysAfterNumkeys,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import { RedisSet } from "../types/set.ts";
import { RedisSortedSet } from "../types/sorted-set.ts";
import {
  difference,
  intersection,
  intersectionSet,
  union,
  type Aggregate,
  type Input,
  type ScoredSource,
} from "../types/zset-algebra.ts";
import { WRONG_TYPE, isWrongType, type WrongType } from "./typed-lookup.ts";
import { atLeast, longArgument, toNumber } from "./list-arguments.ts";
import { parseScore } from "./zset-scores.ts";
import { scoredMembersReply } from "./zset-replies.ts";
import { ZSET_ALGEBRA_DOCS } from "./docs/zset-algebra-docs.ts";

const NOT_A_WEIGHT = error("ERR weight value is not a float");

// #region read-sources
/**
 * The value at `key` if it is a sorted set or a set, undefined if the key
 * is missing, WRONGTYPE for any other kind: these commands take both
 * kinds, so neither of typed-lookup.ts's lookups will do, but the
 * error is the same one. Read as a reader reads: a hit or a miss.
 */
function readSource(
  db: Database,
  key: string,
): ScoredSource | undefined | WrongType {
  const value = db.read(key);
  if (value === undefined) return undefined;
  if (value instanceof RedisSortedSet || value instanceof RedisSet) {
    return value;
  }
  return WRONG_TYPE;
}
// #endregion read-sources

// #region read-arguments
/** The options a command may take after its keys. */
type OptionName = "weights" | "aggregate" | "withscores" | "limit";

/** A command's words, read: its inputs, in the order named, and its options. */
interface Combination {
  readonly inputs: Input[];
  readonly aggregate: Aggregate;
  readonly withScores: boolean;
  /** ZINTERCARD's LIMIT: count no further; 0 is no limit. */
  readonly limit: number;
}

function isCombination(read: Combination | Reply): read is Combination {
  return "inputs" in read;
}

/**
 * Reads `numkeys key [key ...] [options]`, numkeys at `args[numkeysAt]`,
 * in Redis's order:
 *
 * 1. numkeys: an integer, at least 1, and no more than the words after
 *    it (more is a syntax error, as an option would be);
 * 2. every key's value, before any option: `ZUNION 1 list WEIGHTS x` is
 *    WRONGTYPE, not a bad weight;
 * 3. the options `accepted` by the command, in any order, any number of
 *    times (the last one counts); any other word is a syntax error.
 */
function readCombination(
  args: readonly Buffer[],
  numkeysAt: number,
  name: string,
  accepted: readonly OptionName[],
  db: Database,
): Combination | Reply {
  const numkeys = longArgument(args[numkeysAt]!);
  if (typeof numkeys !== "bigint") return numkeys;
  if (numkeys < 1n) {
    return error(`ERR at least 1 input key is needed for '${name}' command`);
  }
  if (numkeys > BigInt(args.length - numkeysAt - 1)) return SYNTAX_ERROR;
  const keysEnd = numkeysAt + 1 + Number(numkeys);
  const sources: (ScoredSource | undefined)[] = [];
  for (const key of args.slice(numkeysAt + 1, keysEnd)) {
    const source = readSource(db, byteString(key));
    if (isWrongType(source)) return source;
    sources.push(source);
  }
  return readOptions(args, keysEnd, sources, accepted);
}

/**
 * The options from `args[from]` on (Redis's loop over the words left):
 *
 * - WEIGHTS and one weight per input, each read as ZADD reads a score;
 *   with fewer words left than that, the word is no option at all;
 * - AGGREGATE SUM, MIN or MAX;
 * - WITHSCORES, for the commands that reply with members;
 * - LIMIT and a count of 0 or more, for ZINTERCARD, whose error covers a
 *   count that is no integer too.
 */
function readOptions(
  args: readonly Buffer[],
  from: number,
  sources: readonly (ScoredSource | undefined)[],
  accepted: readonly OptionName[],
): Combination | Reply {
  const weights = sources.map(() => 1);
  let aggregate: Aggregate = "sum";
  let withScores = false;
  let limit = 0;
  let at = from;
  while (at < args.length) {
    const word = args[at]!;
    const left = args.length - at;
    if (
      accepted.includes("weights") &&
      left > sources.length &&
      isKeyword(word, "weights")
    ) {
      for (let i = 0; i < sources.length; i++) {
        const weight = parseScore(byteString(args[at + 1 + i]!));
        if (weight === undefined) return NOT_A_WEIGHT;
        weights[i] = weight;
      }
      at += 1 + sources.length;
    } else if (
      accepted.includes("aggregate") &&
      left >= 2 &&
      isKeyword(word, "aggregate")
    ) {
      const how = aggregateNamed(args[at + 1]!);
      if (how === undefined) return SYNTAX_ERROR;
      aggregate = how;
      at += 2;
    } else if (
      accepted.includes("withscores") &&
      isKeyword(word, "withscores")
    ) {
      withScores = true;
      at += 1;
    } else if (
      accepted.includes("limit") &&
      left >= 2 &&
      isKeyword(word, "limit")
    ) {
      const count = atLeast(args[at + 1]!, 0n, "LIMIT can't be negative");
      if (typeof count !== "bigint") return count;
      limit = toNumber(count);
      at += 2;
    } else {
      return SYNTAX_ERROR;
    }
  }
  const inputs = sources.map((source, i) => ({ source, weight: weights[i]! }));
  return { inputs, aggregate, withScores, limit };
}

/** AGGREGATE's argument, in any letter case, or undefined. */
function aggregateNamed(word: Buffer): Aggregate | undefined {
  if (isKeyword(word, "sum")) return "sum";
  if (isKeyword(word, "min")) return "min";
  if (isKeyword(word, "max")) return "max";
  return undefined;
}
// #endregion read-arguments

// #region combine
/** How a command combines its inputs into a new sorted set. */
type Combine = (read: Combination, context: CommandContext) => RedisSortedSet;

const unionOf: Combine = ({ inputs, aggregate }, { server }) =>
  union(inputs, aggregate, server.config);

const intersectionOf: Combine = ({ inputs, aggregate }, { server }) =>
  intersectionSet(inputs, aggregate, server.config);

const differenceOf: Combine = ({ inputs }, { server }) => {
  const [first, ...others] = inputs.map(({ source }) => source);
  return difference(first, others, server.config);
};

/** The key positions of ZUNION, ZINTER, ZDIFF and ZINTERCARD: the keys after numkeys. */
const KEYS_AFTER_NUMKEYS = keysAfterNumkeys(1);

/**
 * ZUNION, ZINTER or ZDIFF numkeys key [key ...] [options] [WITHSCORES]:
 * the combined sorted set, by score, then member, with the scores if
 * asked (flat in RESP2, in pairs in RESP3; zset-replies.ts).
 */
function combining(
  name: "zunion" | "zinter" | "zdiff",
  accepted: readonly OptionName[],
  combine: Combine,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["readonly", "movablekeys"],
    movableKeys: KEYS_AFTER_NUMKEYS,
    categories: ["@read", "@sortedset", "@slow"],
    docs: ZSET_ALGEBRA_DOCS[name],
    run(args, context) {
      const { db, protocol } = context.session;
      const read = readCombination(args, 1, name, accepted, db);
      if (!isCombination(read)) return read;
      const result = combine(read, context);
      return scoredMembersReply(result.entries(), read.withScores, protocol);
    },
  };
}

/**
 * COMMAND GETKEYS for a *STORE: the destination and the inputs. Redis
 * 7.0 finds them with its key specs, destination first, when numkeys is
 * a plain integer; for anything else (`2x`, `+2`, `02`) it falls back to
 * an older function, which reads numkeys with C's `atoi` (so `2x` is 2)
 * and lists the destination last.
 */
function destinationAndInputs(args: readonly Buffer[]): number[] | undefined {
  const inputs = keysAfterNumkeys(2)(args);
  if (inputs === undefined) return undefined;
  return int64Argument(args[2]!) === undefined
    ? [...inputs, 1]
    : [1, ...inputs];
}

/**
 * ZUNIONSTORE, ZINTERSTORE or ZDIFFSTORE destination numkeys key [key
 * ...] [options]: the combined sorted set replaces the destination,
 * whatever that held, time to live included, and the reply is its size.
 * It is stored compact if it is small enough, as Redis converts its
 * result (`zsetConvertToListpackIfNeeded`). An empty result deletes the
 * destination instead, since an empty sorted set is never stored. The
 * destination may be one of the inputs: it is read before it is replaced.
 * The AOF logs the command as it came, unless it changed nothing (an
 * empty result onto a missing key).
 */
function storing(
  name: "zunionstore" | "zinterstore" | "zdiffstore",
  accepted: readonly OptionName[],
  combine: Combine,
): CommandSpec {
  return {
    name,
    arity: -4,
    flags: ["write", "denyoom", "movablekeys"],
    keys: { first: 1, last: 1, step: 1 },
    movableKeys: destinationAndInputs,
    categories: ["@write", "@sortedset", "@slow"],
    docs: ZSET_ALGEBRA_DOCS[name],
    run(args, context) {
      const { db } = context.session;
      const read = readCombination(args, 2, name, accepted, db);
      if (!isCombination(read)) return read;
      const result = combine(read, context);
      const destination = byteString(args[1]!);
      if (result.size === 0) {
        db.delete(destination);
        return integer(0);
      }
      result.compactIfSmall(context.server.config);
      db.set(destination, result);
      return integer(result.size);
    },
  };
}
// #endregion combine

// #region zintercard
/**
 * ZINTERCARD numkeys key [key ...] [LIMIT limit]: how many members the
 * intersection has, counting no further than LIMIT. The intersection is
 * walked lazily, so LIMIT stops the work too, and no sorted set is built.
 */
const zintercard: CommandSpec = {
  name: "zintercard",
  arity: -3,
  flags: ["readonly", "movablekeys"],
  movableKeys: KEYS_AFTER_NUMKEYS,
  categories: ["@read", "@sortedset", "@slow"],
  docs: ZSET_ALGEBRA_DOCS.zintercard,
  run(args, { session }) {
    const read = readCombination(args, 1, "zintercard", ["limit"], session.db);
    if (!isCombination(read)) return read;
    let count = 0;
    for (const _member of intersection(read.inputs, read.aggregate)) {
      count += 1;
      if (count === read.limit) break;
    }
    return integer(count);
  },
};
// #endregion zintercard

/** The options of ZUNION and ZINTER; their STOREs take all but WITHSCORES. */
const WEIGHTED: readonly OptionName[] = ["weights", "aggregate"];

export const ZSET_ALGEBRA_COMMANDS: readonly CommandSpec[] = [
  combining("zunion", [...WEIGHTED, "withscores"], unionOf),
  storing("zunionstore", WEIGHTED, unionOf),
  combining("zinter", [...WEIGHTED, "withscores"], intersectionOf),
  storing("zinterstore", WEIGHTED, intersectionOf),
  zintercard,
  combining("zdiff", ["withscores"], differenceOf),
  storing("zdiffstore", [], differenceOf),
];
