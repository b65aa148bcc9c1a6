/**
 * Glob patterns, the little language of `KEYS`, `SCAN ... MATCH` and
 * `CONFIG GET` (which ignores letter case). A pattern must mean to us
 * exactly what it means to Redis's `stringmatchlen()`, quirks included:
 * nothing is ever a syntax error, so an odd pattern means whatever Redis's
 * loop makes of it. Strings are binary strings, one character per byte.
 *
 * Redis matches by recursion, which a pattern such as `*a*a*a*a*b` once made
 * exponential (CVE-2022-36021). We match with a loop that remembers only
 * the latest star, at most (pattern bytes × subject bytes) work. Chapter
 * 03's article lists the quirks and argues why the loop gives Redis's
 * answers; the unit tests pin them to a real Redis 7.0.15.
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

/**
 * A one-byte step tried on a byte: did it match, and where does the next
 * step start.
 *
 * The steps are read from the pattern each time they are tried, never
 * collected into a list of step objects first: a pattern may be 512 MB
 * long, and such a list would take some 50 bytes of memory for every byte
 * of it. One KEYS command could then exhaust the server's heap.
 */
interface StepResult {
  matched: boolean;
  next: number;
}

/** Tries the one-byte step that starts at `i` (not a star) on `byte`. */
function oneByteStep(
  pattern: string,
  i: number,
  byte: number,
  ignoreCase: boolean,
): StepResult {
  const char = pattern.charCodeAt(i);
  if (char === QUESTION_MARK) return { matched: true, next: i + 1 };
  if (char === OPEN_BRACKET) {
    return classStep(pattern, i + 1, byte, ignoreCase);
  }
  const escaped = char === BACKSLASH && i + 1 < pattern.length;
  const plain = escaped ? pattern.charCodeAt(i + 1) : char;
  return {
    matched: fold(plain, ignoreCase) === fold(byte, ignoreCase),
    next: escaped ? i + 2 : i + 1,
  };
}

/**
 * Tries a bracket expression, starting just after its `[`, on `byte`. The
 * checks run in Redis's order, and that order is the whole of the quirks:
 * an escape is seen before a `]`, a `]` before the end of the pattern, and
 * a range before a plain byte. Like Redis, it reads on to the closing `]`
 * after a member matched, to know where the next step starts.
 */
function classStep(
  pattern: string,
  start: number,
  byte: number,
  ignoreCase: boolean,
): StepResult {
  const end = pattern.length;
  let i = start;
  const negated = pattern.charCodeAt(i) === CARET;
  if (negated) i++;
  let found = false;
  for (;;) {
    const char = pattern.charCodeAt(i); // NaN past the end
    if (char === BACKSLASH && i + 1 < end) {
      // An escaped byte is compared exactly, even when ignoring case.
      found ||= pattern.charCodeAt(i + 1) === byte;
      i += 2;
    } else if (char === CLOSE_BRACKET) {
      i += 1;
      break;
    } else if (i >= end) {
      break; // never closed: the brackets run to the end of the pattern
    } else if (pattern.charCodeAt(i + 1) === DASH && i + 2 < end) {
      // The ends are put in order as C chars, and folded after (see fold).
      const first = asCChar(char);
      const last = asCChar(pattern.charCodeAt(i + 2));
      const low = fold(Math.min(first, last), ignoreCase);
      const high = fold(Math.max(first, last), ignoreCase);
      const subject = fold(asCChar(byte), ignoreCase);
      found ||= low <= subject && subject <= high;
      i += 3;
    } else {
      found ||= fold(char, ignoreCase) === fold(byte, ignoreCase);
      i += 1;
    }
  }
  return { matched: found !== negated, next: i };
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
 * True if `subject` matches the glob `pattern`, exactly as Redis's
 * `stringmatchlen()` decides. Both are binary strings (one character per
 * byte). `ignoreCase` folds A-Z only, as CONFIG GET does; KEYS and SCAN
 * compare case-sensitively.
 *
 * The pattern is read one step at a time. `star` is where the steps after
 * the latest group of stars begin, and `retryFrom` where they were last
 * tried; when a step fails, they are tried again one byte later. Each
 * retry starts one byte further on and costs at most one pass over the
 * pattern, so the work is at most (pattern bytes × subject bytes), never
 * exponential.
 *
 * Note that `*` does not match the empty string here, as in Redis: KEYS and
 * SCAN special-case a pattern that is exactly `*` before matching.
 */
export function globMatch(
  pattern: string,
  subject: string,
  ignoreCase = false,
): boolean {
  if (subject.length === 0) return pattern.length === 0;

  let s = 0; // next byte of the subject
  let p = 0; // next step of the pattern
  let star = -1; // where the steps after the latest star begin; -1 before any
  let retryFrom = 0;
  let starGroups = 0;
  while (s < subject.length) {
    if (pattern.charCodeAt(p) === STAR) {
      while (pattern.charCodeAt(p) === STAR) p++;
      if (p === pattern.length) return true; // a final star takes the rest
      // Steps behind more than MAX_NESTED_STARS groups: Redis gives up.
      if (++starGroups > MAX_NESTED_STARS) return false;
      star = p;
      retryFrom = s;
      continue;
    }
    const step =
      p < pattern.length
        ? oneByteStep(pattern, p, subject.charCodeAt(s), ignoreCase)
        : undefined;
    if (step?.matched === true) {
      p = step.next;
      s++;
    } else if (star !== -1) {
      // A mismatch, or the pattern ran out with bytes left: slide the run.
      retryFrom++;
      s = retryFrom;
      p = star;
    } else {
      return false; // no star before this step, so nothing else to try
    }
  }
  while (pattern.charCodeAt(p) === STAR) p++; // stars left over match no bytes
  return p === pattern.length;
}
// #endregion glob-match
