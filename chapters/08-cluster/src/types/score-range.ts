/**
 * The ranges sorted-set commands select members by: a range of scores
 * (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE...) and a range of members in
 * byte order (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX...), each bound
 * inclusive or exclusive. Parsing them from a command's words is the
 * commands' business (commands/zset-ranges.ts); this file says what a
 * range is and which scores or members fall in it, for the sorted set
 * and its two encodings to share.
 */

// #region score-range
/**
 * `min` to `max`, either end possibly excluded: Redis's `zrangespec`.
 * Bounds may be -Infinity or Infinity (`-inf`, `+inf`); an excluded
 * infinite bound excludes the members whose score is that infinity.
 */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** Whether `score` is at or above the range's lower bound (Redis's `zslValueGteMin`). */
export function scoreAboveMin(score: number, range: ScoreRange): boolean {
  return range.minExclusive ? score > range.min : score >= range.min;
}

/** Whether `score` is at or below the range's upper bound (`zslValueLteMax`). */
export function scoreBelowMax(score: number, range: ScoreRange): boolean {
  return range.maxExclusive ? score < range.max : score <= range.max;
}

/**
 * Whether no score at all can fall in the range (Redis's first check in
 * `zslIsInRange`): min above max, or equal with either end excluded.
 */
export function isEmptyScoreRange(range: ScoreRange): boolean {
  return (
    range.min > range.max ||
    (range.min === range.max && (range.minExclusive || range.maxExclusive))
  );
}
// #endregion score-range

// #region lex-range
/**
 * One end of a range of members: `-` (before every member), `+` (after
 * every member), or a member, included (`[m`) or excluded (`(m`).
 */
export type LexBound =
  "-" | "+" | { readonly member: string; readonly exclusive: boolean };

/** `min` to `max` in byte order: Redis's `zlexrangespec`. */
export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

/**
 * Byte order. Members are byte strings (each character one byte, see
 * dispatch/arguments.ts), so comparing them as JavaScript strings
 * compares their bytes, as Redis's `memcmp` does.
 */
export function compareMembers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `member` is at or after the range's lower bound (`zslLexValueGteMin`). */
export function memberAboveMin(member: string, range: LexRange): boolean {
  const { min } = range;
  if (min === "-") return true;
  if (min === "+") return false;
  return min.exclusive ? member > min.member : member >= min.member;
}

/** Whether `member` is at or before the range's upper bound (`zslLexValueLteMax`). */
export function memberBelowMax(member: string, range: LexRange): boolean {
  const { max } = range;
  if (max === "+") return true;
  if (max === "-") return false;
  return max.exclusive ? member < max.member : member <= max.member;
}

/** Whether no member at all can fall in the range (`zslIsInLexRange`'s first check). */
export function isEmptyLexRange(range: LexRange): boolean {
  const { min, max } = range;
  if (min === "+" || max === "-") return true;
  if (min === "-" || max === "+") return false;
  return (
    min.member > max.member ||
    (min.member === max.member && (min.exclusive || max.exclusive))
  );
}
// #endregion lex-range
