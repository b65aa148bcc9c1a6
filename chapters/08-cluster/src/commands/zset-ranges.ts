/**
 * The three ways a sorted-set command names a slice of a set, read from
 * its words as Redis reads them:
 *
 * - by rank, `0 -1` (ZRANGE, ZREMRANGEBYRANK): two integers, a negative
 *   one counted from the end, then clamped to the set;
 * - by score, `(1 +inf` (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE): two
 *   numbers as C's `strtod` reads them, each excluded by a leading `(`;
 * - by member, `[a (c` (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX): `-`,
 *   `+`, or a member after `[` (included) or `(` (excluded).
 *
 * And ZRANGE's options around them, which say which of the three it is:
 * `ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
 * [WITHSCORES]`, read into one request that zset-range-commands.ts then
 * serves.
 *
 * What a range is, and which scores or members fall in it, is in
 * types/score-range.ts; this file only reads the words, with Redis's
 * errors. Every range command reads its range before it looks at the
 * key, so a bad range is an error even on a missing key or a list.
 */
import { error, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  cStringOf,
  isKeyword,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { longArgument, toNumber } from "./list-arguments.ts";
import { readDouble } from "./zset-scores.ts";
import type { LexBound, LexRange, ScoreRange } from "../types/score-range.ts";

/** Redis's answer to a score range it cannot read. */
export const NOT_A_FLOAT_RANGE = error("ERR min or max is not a float");

/** Redis's answer to a member range it cannot read. */
export const NOT_A_LEX_RANGE = error(
  "ERR min or max not valid string range item",
);

/** ZRANGE's refusals of options that do not go together. */
const LIMIT_NEEDS_BY = error(
  "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
);
const NO_SCORES_BY_LEX = error(
  "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
);

// #region strtod
/** The bytes C's `isspace()` skips before a number: space, \t, \n, \v, \f, \r. */
const LEADING_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * The number in `text` (a byte string) as Redis's score ranges read it:
 * C's `strtod()`, which must read the text to its end, and must not find
 * NaN. The literal itself is read as ZADD reads one (zset-scores.ts:
 * `1.5`, `.5`, `5.`, `1e3`, `inf`, `-Infinity`, `0x1.8p1`); a bound is
 * more lenient than a score in three ways, all strtod's own:
 *
 * - whitespace before the number is skipped: ` 1` is 1 (after it, it is
 *   left over, and refused: `1 `);
 * - the empty text is 0: strtod finds no number there, answers 0, and
 *   stops where it started, which is the end. (Whitespace alone is
 *   refused: strtod stops where it started, before the whitespace.)
 * - out of range is no error: `1e400` is infinity and `1e-400` is 0, as
 *   strtod answers them; it sets ERANGE too, which Redis does not look at.
 */
export function rangeNumber(text: string): number | undefined {
  if (text === "") return 0;
  return readDouble(text.replace(LEADING_SPACE, ""))?.value;
}
// #endregion strtod

// #region score-range-arguments
/**
 * One end of a score range, as Redis's `zslParseRange` reads it: `(`
 * first excludes it, and the rest is a number. Redis reads the argument
 * as a C string, so a NUL byte ends it: `1\0junk` is 1, and `(` alone,
 * like the empty argument, is 0 (excluded). Undefined if it is not a
 * number.
 */
function scoreBound(
  arg: Buffer,
): { value: number; exclusive: boolean } | undefined {
  const text = byteString(cStringOf(arg));
  const exclusive = text.startsWith("(");
  const value = rangeNumber(exclusive ? text.slice(1) : text);
  return value === undefined ? undefined : { value, exclusive };
}

/**
 * The score range `min` to `max`, or undefined (Redis answers
 * NOT_A_FLOAT_RANGE). A range that holds nothing, `5 1`, is a range all
 * the same: it selects no member.
 */
export function scoreRangeArguments(
  min: Buffer,
  max: Buffer,
): ScoreRange | undefined {
  const low = scoreBound(min);
  const high = scoreBound(max);
  if (low === undefined || high === undefined) return undefined;
  return {
    min: low.value,
    max: high.value,
    minExclusive: low.exclusive,
    maxExclusive: high.exclusive,
  };
}
// #endregion score-range-arguments

// #region lex-range-arguments
/**
 * One end of a member range, as Redis's `zslParseLexRangeItem` reads it:
 * `-` and `+` alone (a NUL may follow, where C sees the string end:
 * `+\0x` is `+`), or `[` or `(` and then a member, every byte of it.
 * Anything else, the empty argument included, is undefined.
 */
function lexBound(arg: Buffer): LexBound | undefined {
  const first = arg[0];
  const alone = arg.length === 1 || arg[1] === 0;
  if (first === 0x2d /* - */) return alone ? "-" : undefined;
  if (first === 0x2b /* + */) return alone ? "+" : undefined;
  if (first === 0x5b /* [ */ || first === 0x28 /* ( */) {
    return { member: byteString(arg.subarray(1)), exclusive: first === 0x28 };
  }
  return undefined;
}

/** The member range `min` to `max`, or undefined (Redis answers NOT_A_LEX_RANGE). */
export function lexRangeArguments(
  min: Buffer,
  max: Buffer,
): LexRange | undefined {
  const low = lexBound(min);
  const high = lexBound(max);
  if (low === undefined || high === undefined) return undefined;
  return { min: low, max: high };
}
// #endregion lex-range-arguments

// #region rank-range
/**
 * Ranks `start` to `stop` made concrete for a set of `size` members, as
 * Redis does it for ZRANGE and ZREMRANGEBYRANK: a negative rank counts
 * from the end (-1 is the last), a start still below 0 becomes 0, a stop
 * past the end becomes the last rank. Undefined when nothing is left:
 * start after stop, or start past the end.
 */
export function ranksWithin(
  start: number,
  stop: number,
  size: number,
): { start: number; stop: number } | undefined {
  if (start < 0) start += size;
  if (stop < 0) stop += size;
  if (start < 0) start = 0;
  if (start > stop || start >= size) return undefined;
  return { start, stop: Math.min(stop, size - 1) };
}
// #endregion rank-range

// #region range-request
/** Which members a range command selects: Redis's three kinds of range. */
export type Selection =
  | { readonly by: "rank"; readonly start: number; readonly stop: number }
  | { readonly by: "score"; readonly range: ScoreRange }
  | { readonly by: "lex"; readonly range: LexRange };

/** A range command's words, once read. */
export interface RangeRequest {
  readonly selection: Selection;
  /** From the highest member down (REV, or a ZREV... command). */
  readonly reverse: boolean;
  readonly withScores: boolean;
  /** LIMIT's offset: how many selected members to step over first. */
  readonly offset: number;
  /** LIMIT's count: how many members at most; negative for no limit. */
  readonly count: number;
}

/**
 * What a command settles that ZRANGE leaves to its options: ZREVRANGE is
 * a ZRANGE whose REV is given, ZRANGEBYSCORE one whose BYSCORE is.
 * Options a command settles are not options of it: `ZRANGEBYSCORE k 0 1
 * REV` is a syntax error.
 */
export interface RangeForm {
  readonly by?: "rank" | "score" | "lex";
  readonly reverse?: boolean;
  /** ZRANGESTORE: no WITHSCORES (a stored set keeps its scores anyway). */
  readonly store?: boolean;
}

/**
 * The request in `args`, whose key is at `keyAt` and the two ends of the
 * range after it; or the error Redis answers. Redis's order: the options
 * first (LIMIT's two integers read as soon as they are met), then the
 * combinations it refuses, then the range itself, whose form depends on
 * the options.
 */
export function rangeRequest(
  args: Buffer[],
  keyAt: number,
  form: RangeForm,
): RangeRequest | Reply {
  let { by, reverse } = form;
  let withScores = false;
  let offset = 0;
  // -1 stands for "no LIMIT" as well as being a count, as in Redis: so
  // `ZRANGE k 0 1 LIMIT 0 -1`, a LIMIT that limits nothing, is not
  // refused for lacking BYSCORE or BYLEX.
  let count = -1;
  for (let i = keyAt + 3; i < args.length; i++) {
    const word = args[i]!;
    const wordsLeft = args.length - i - 1;
    if (!form.store && isKeyword(word, "withscores")) {
      withScores = true;
    } else if (isKeyword(word, "limit") && wordsLeft >= 2) {
      const limitOffset = longArgument(args[i + 1]!);
      if (typeof limitOffset !== "bigint") return limitOffset;
      const limitCount = longArgument(args[i + 2]!);
      if (typeof limitCount !== "bigint") return limitCount;
      offset = toNumber(limitOffset);
      count = toNumber(limitCount);
      i += 2;
    } else if (reverse === undefined && isKeyword(word, "rev")) {
      reverse = true;
    } else if (by === undefined && isKeyword(word, "byscore")) {
      by = "score";
    } else if (by === undefined && isKeyword(word, "bylex")) {
      by = "lex";
    } else {
      return SYNTAX_ERROR;
    }
  }
  by ??= "rank";
  reverse ??= false;
  if (count !== -1 && by === "rank") return LIMIT_NEEDS_BY;
  if (withScores && by === "lex") return NO_SCORES_BY_LEX;

  const selection = rangeSelection(args, keyAt, by, reverse);
  if ("type" in selection) return selection;
  return { selection, reverse, withScores, offset, count };
}

/**
 * The range after the key. Reversed by score or by member, it is given
 * from its high end, `max min`, as ZREVRANGEBYSCORE always took it;
 * ranks are `start stop` either way, counted from the top when reversed.
 */
function rangeSelection(
  args: Buffer[],
  keyAt: number,
  by: "rank" | "score" | "lex",
  reverse: boolean,
): Selection | Reply {
  const first = args[keyAt + 1]!;
  const second = args[keyAt + 2]!;
  if (by === "rank") {
    const start = longArgument(first);
    if (typeof start !== "bigint") return start;
    const stop = longArgument(second);
    if (typeof stop !== "bigint") return stop;
    return { by, start: toNumber(start), stop: toNumber(stop) };
  }
  const [min, max] = reverse ? [second, first] : [first, second];
  if (by === "score") {
    const range = scoreRangeArguments(min, max);
    return range === undefined ? NOT_A_FLOAT_RANGE : { by, range };
  }
  const range = lexRangeArguments(min, max);
  return range === undefined ? NOT_A_LEX_RANGE : { by, range };
}
// #endregion range-request
