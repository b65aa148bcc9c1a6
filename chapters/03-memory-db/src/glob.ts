/**
 * Glob patterns, the little language of `KEYS`, `SCAN ... MATCH` and
 * `CONFIG GET` (which ignores letter case). Redis matches them with one C
 * function, `stringmatchlen()`, and so a pattern has to mean to us exactly
 * what it means to that function, quirks included:
 *
 * - `*` matches any run of bytes, even none; `?` matches any one byte;
 * - `[abc]` matches one of the listed bytes, `[^abc]` one byte not listed;
 * - `[a-z]` is a range, and a reversed range `[z-a]` means the same;
 * - a backslash makes the next byte plain, outside brackets and inside them;
 * - nothing is ever a syntax error. A `[` that is never closed runs to the
 *   end of the pattern (`[ab` is `[ab]`), a `[` at the very end matches
 *   nothing, and a backslash at the very end stands for itself;
 * - `-` makes a range whenever two more bytes follow it, even when the
 *   second one is the `]` meant to close the brackets: `[a-]` is the range
 *   from `]` to `a`, and the brackets are then left open. A `-` with fewer
 *   bytes after it is plain: `[a-` matches `a` or `-`;
 * - a backslash inside brackets stands for itself when it is the last byte
 *   of the pattern, and a backslash cannot start or end a range (`[\a-z]` is
 *   `a`, `-` or `z`; in `[+-\]` the range ends at the backslash);
 * - Redis compares a byte with the ends of a range as C `char`s, which are
 *   signed on x86-64, where our tests were checked: bytes 0x80..0xff count
 *   as -128..-1 there, so `[a-\xff]` means "0x00 to `a`, or 0xff";
 * - with `ignoreCase`, only A-Z fold (C's `tolower()` in the C locale), and
 *   an escaped byte inside brackets is still compared exactly (`[\M]` does
 *   not match `m`). A range puts its ends in order first and folds them
 *   after, so `[Z-a]` and `[a-Z]` fold to z..a and match nothing. Folding
 *   also undoes the signed chars: glibc's `tolower()` turns -128..-2 back
 *   into 0x80..0xfe, and only 0xff stays -1. So `[\x80-z]` is "0x80 to z",
 *   in order as signed chars, which folds to the empty 128..122, while
 *   `[\xff-z]` keeps matching 0xff and 0x00 to z;
 * - the empty string is matched only by the empty pattern, not even by `*`
 *   (KEYS and SCAN answer a lone `*` before ever calling the matcher, which
 *   is why `KEYS *` still lists a key named "");
 * - past 1000 nested stars Redis gives up (see {@link MAX_NESTED_STARS}).
 *
 * Strings here are binary strings: one character per byte, latin1.
 *
 * ## Why not copy Redis's algorithm
 *
 * Redis matches recursively: a star tries the rest of the pattern at every
 * later position. Done naively that is exponential (`*a*a*a*a*a*a*b` against
 * a long run of `a`s was CVE-2022-36021). Redis fixed it with a flag that
 * stops the search early, which is correct but hard to see is correct. We
 * match with the classic loop that remembers only the latest star instead,
 * at most (pattern bytes × subject bytes) work, and the proof that it gives
 * Redis's answers is below.
 *
 * ## Why the answers are the same
 *
 * 1. Steps. Redis reads the pattern one step at a time: a `*`, a `?`, a
 *    plain or escaped byte, or a bracket expression. Where a step ends never
 *    depends on the subject (only whether it matches does), so the pattern
 *    can be cut into steps once, by {@link parsePattern}. Every step except
 *    `*` matches exactly one byte.
 * 2. Redis's recursion is then the textbook definition of glob matching,
 *    where a star matches any run of bytes, with two exceptions. First, an
 *    empty subject matches only the empty pattern: Redis's loop runs only
 *    while both pattern and subject are left, and it skips trailing stars
 *    only after a step has used the last byte, so for an empty subject
 *    nothing runs at all. (A star tries the rest of the pattern only on
 *    non-empty rests of the subject, but that changes nothing: the rest
 *    starts with a one-byte step, which an empty rest never matches.)
 *    Second, the nesting limit. Each recursion passes one group of stars,
 *    so the depth of a call depends only on its place in the pattern, and
 *    a match must pass every star that comes before the pattern's last
 *    one-byte step. A pattern with more than 1000 such stars therefore
 *    matches no non-empty subject, and one with at most 1000 is never cut
 *    short.
 * 3. Redis's early stop changes no answer. It fires when the rest of the
 *    pattern after some star fails at every position from p, where that
 *    star was reached, to the end, and it gives up the untried positions of
 *    every earlier star. Each of those would reach that star again at p or
 *    later (the runs between stars have fixed lengths, and the positions
 *    that a star in between would try first have already failed), so each
 *    would fail too.
 * 4. The textbook definition is what our loop computes. Cut the pattern at
 *    its stars into star-free runs R0 * R1 * ... * Rn. It matches when R0
 *    matches at the start, R1 ... Rn-1 match in order without overlapping,
 *    and Rn matches at the very end. Placing each middle run at the first
 *    position where it fits is never worse than placing it later, since
 *    everything after it then has at least as much room. The loop does
 *    exactly that: it slides the current run one byte at a time from where
 *    its star began, and once that run is placed and the next star is
 *    reached, it never moves an earlier run again. The last run is slid
 *    until it ends exactly at the end of the subject.
 *
 * The unit tests pin these rules to answers from a real Redis 7.0.15, and a
 * differential fuzz against it found no difference.
 */

// #region glob-steps
/**
 * How deep Redis follows stars. Since the fix for CVE-2024-31228 it gives
 * up on any part of a pattern that lies behind more than 1000 groups of
 * stars, so `*a` repeated 1001 times matches nothing, not even 1001 `a`s.
 * Debian's 7.0.15, which our tests were checked against, carries that fix,
 * as do Redis 7.2.6, 7.4.1 and later; an unpatched 7.0.15 has no limit.
 */
const MAX_NESTED_STARS = 1000;

const STAR = 0x2a; // *
const QUESTION_MARK = 0x3f; // ?
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const CARET = 0x5e; // ^
const DASH = 0x2d; // -
const BACKSLASH = 0x5c; // \

/** One step of a pattern. All but `star` match exactly one byte. */
type Step =
  | { kind: "star" } // `*`, or several in a row: any run of bytes
  | { kind: "any" } // `?`
  | { kind: "byte"; byte: number } // plain or escaped; folded if ignoring case
  | { kind: "class"; negated: boolean; members: Member[] }; // `[...]`

/** One entry between brackets. */
type Member =
  | { kind: "byte"; byte: number } // folded if ignoring case
  | { kind: "escaped"; byte: number } // `\x`: always compared exactly
  | { kind: "range"; low: number; high: number }; // C chars, in order, folded

/** A pattern cut into steps, ready to match many subjects. */
interface CompiledPattern {
  /** The steps, with each run of stars already merged into one. */
  steps: Step[];
  /** True if only A-Z fold to a-z before comparing. */
  ignoreCase: boolean;
  /**
   * How many star steps come before the last one-byte step: how deep Redis
   * must recurse to reach it.
   */
  starsToLastByte: number;
}

/**
 * Cuts a pattern into steps, reading brackets exactly as Redis does (see
 * the list at the top of this file for what that means for odd patterns).
 */
function parsePattern(pattern: string, ignoreCase: boolean): CompiledPattern {
  const at = (i: number): number => pattern.charCodeAt(i); // NaN past the end
  const steps: Step[] = [];
  let starsToLastByte = 0;
  let starsSoFar = 0;
  let i = 0;
  while (i < pattern.length) {
    const char = at(i);
    if (char === STAR) {
      while (at(i) === STAR) i++;
      steps.push({ kind: "star" });
      starsSoFar++;
      continue;
    }
    if (char === QUESTION_MARK) {
      steps.push({ kind: "any" });
      i += 1;
    } else if (char === OPEN_BRACKET) {
      const bracket = parseClass(pattern, i + 1, ignoreCase);
      steps.push(bracket.step);
      i = bracket.next;
    } else if (char === BACKSLASH && i + 1 < pattern.length) {
      steps.push({ kind: "byte", byte: fold(at(i + 1), ignoreCase) });
      i += 2;
    } else {
      steps.push({ kind: "byte", byte: fold(char, ignoreCase) });
      i += 1;
    }
    starsToLastByte = starsSoFar;
  }
  return { steps, ignoreCase, starsToLastByte };
}

/**
 * Reads a bracket expression starting just after its `[`: the step, and
 * where the pattern continues after it. The checks run in
 * Redis's order, and that order is the whole of the quirks: an escape is
 * seen before a `]`, a `]` before the end of the pattern, and a range
 * before a plain byte.
 */
function parseClass(
  pattern: string,
  start: number,
  ignoreCase: boolean,
): { step: Step; next: number } {
  const at = (i: number): number => pattern.charCodeAt(i); // NaN past the end
  const end = pattern.length;
  const members: Member[] = [];
  let i = start;
  const negated = at(i) === CARET;
  if (negated) i++;
  for (;;) {
    if (at(i) === BACKSLASH && i + 1 < end) {
      members.push({ kind: "escaped", byte: at(i + 1) });
      i += 2;
    } else if (at(i) === CLOSE_BRACKET) {
      i += 1;
      break;
    } else if (i >= end) {
      break; // never closed: the brackets run to the end of the pattern
    } else if (at(i + 1) === DASH && i + 2 < end) {
      let low = asCChar(at(i));
      let high = asCChar(at(i + 2));
      if (low > high) [low, high] = [high, low];
      members.push({
        kind: "range",
        low: fold(low, ignoreCase),
        high: fold(high, ignoreCase),
      });
      i += 3;
    } else {
      members.push({ kind: "byte", byte: fold(at(i), ignoreCase) });
      i += 1;
    }
  }
  return { step: { kind: "class", negated, members }, next: i };
}

/** True if a one-byte step matches `byte`. */
function stepMatches(
  step: Exclude<Step, { kind: "star" }>,
  byte: number,
  ignoreCase: boolean,
): boolean {
  if (step.kind === "any") return true;
  if (step.kind === "byte") return step.byte === fold(byte, ignoreCase);
  let found = false;
  for (const member of step.members) {
    if (member.kind === "escaped") {
      found = member.byte === byte;
    } else if (member.kind === "byte") {
      found = member.byte === fold(byte, ignoreCase);
    } else {
      const char = fold(asCChar(byte), ignoreCase);
      found = member.low <= char && char <= member.high;
    }
    if (found) break;
  }
  return found !== step.negated;
}

/**
 * A byte as C's signed `char` sees it, for the one place where Redis
 * compares bytes by order rather than equality: the ends of a range.
 */
function asCChar(byte: number): number {
  return byte >= 0x80 ? byte - 0x100 : byte;
}

/**
 * C's `tolower()` in the C locale, as glibc answers it, when ignoring case.
 * Of the bytes 0..255 only A-Z change. A range end or subject byte may
 * arrive here as a negative C char, though (see {@link asCChar}), and glibc
 * returns those as their unsigned byte again, all but -1 (0xff), which is
 * `EOF` and stays -1.
 */
function fold(char: number, ignoreCase: boolean): number {
  if (!ignoreCase) return char;
  if (char >= 0x41 && char <= 0x5a) return char + 0x20; // A-Z
  if (char < -1) return char + 0x100; // -128..-2: 0x80..0xfe again
  return char;
}
// #endregion glob-steps

// #region glob-match
/**
 * Matches a subject against compiled steps. `star` is the latest star
 * passed and `retryFrom` where the run after it was last tried; when a step
 * fails, that run is tried again one byte later. Each retry starts one byte
 * further on and costs at most one pass over the run, so the work is at
 * most (pattern bytes × subject bytes), never exponential.
 */
function matchSteps(compiled: CompiledPattern, subject: string): boolean {
  const { steps, ignoreCase } = compiled;
  if (subject.length === 0) return steps.length === 0;
  if (compiled.starsToLastByte > MAX_NESTED_STARS) return false;

  let s = 0; // next byte of the subject
  let t = 0; // next step
  let star = -1; // index of the latest star step, or -1 before any
  let retryFrom = 0;
  while (s < subject.length) {
    const step = steps[t];
    if (step?.kind === "star") {
      if (t === steps.length - 1) return true; // a final star takes the rest
      star = t;
      retryFrom = s;
      t++;
    } else if (
      step !== undefined &&
      stepMatches(step, subject.charCodeAt(s), ignoreCase)
    ) {
      t++;
      s++;
    } else if (star !== -1) {
      // A mismatch, or the steps ran out with bytes left: slide the run.
      retryFrom++;
      s = retryFrom;
      t = star + 1;
    } else {
      return false; // no star before this step, so nothing else to try
    }
  }
  while (steps[t]?.kind === "star") t++; // stars left over match no bytes
  return t === steps.length;
}
// #endregion glob-match

/**
 * Compiles `pattern` once for matching many subjects, as KEYS and SCAN do
 * with every key in the database. The result answers exactly as Redis's
 * `stringmatchlen()` would.
 */
export function compileGlob(
  pattern: string,
  ignoreCase = false,
): (subject: string) => boolean {
  const compiled = parsePattern(pattern, ignoreCase);
  return (subject) => matchSteps(compiled, subject);
}

/**
 * True if `subject` matches the glob `pattern`, exactly as Redis's
 * `stringmatchlen()` decides. Both are binary strings (one character per
 * byte). `ignoreCase` folds A-Z only, as CONFIG GET does; KEYS and SCAN
 * compare case-sensitively.
 *
 * Note that `*` does not match the empty string here, as in Redis: KEYS and
 * SCAN special-case a pattern that is exactly `*` before matching.
 */
export function globMatch(
  pattern: string,
  subject: string,
  ignoreCase = false,
): boolean {
  return compileGlob(pattern, ignoreCase)(subject);
}
