/**
 * Unit tests for glob.ts: Redis's glob patterns, as KEYS, SCAN MATCH and
 * CONFIG GET read them.
 *
 * Every expectation was first checked against a real Redis 7.0.15 (Debian's
 * x86-64 build). Case-sensitive rows were checked as `SET subject` then
 * `KEYS pattern`, except `*` against the empty string, checked with
 * `PSUBSCRIBE *` and `PUBLISH ""` because KEYS answers a lone `*` without
 * matching. Rows that ignore case were checked as `CONFIG GET pattern`
 * against a config name, since CONFIG GET is where Redis ignores case. A
 * differential fuzz against the same server, millions of random patterns and
 * subjects, found no difference; the rows here pin one example of each rule.
 * The tests need no server.
 *
 * Patterns and subjects are binary strings, one character per byte, and the
 * escapes in them are TypeScript's: "\\*" is a backslash and a star, "\xff"
 * is the byte 0xff, "\0" is a NUL byte.
 */
import { describe, expect, it } from "vitest";
import { globMatch } from "../../src/keyspace/glob.ts";

describe("plain bytes", () => {
  it.each([
    ["hello", "hello", true],
    ["hello", "hell", false],
    ["hello", "helloo", false],
    ["hello", "Hello", false],
    ["a\0b", "a\0b", true],
    ["a\0b", "a", false],
    ["caf\xe9", "caf\xe9", true],
    ["", "", true],
    ["", "a", false],
    ["a", "", false],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("? matches any one byte", () => {
  it.each([
    ["h?llo", "hallo", true],
    ["h?llo", "hllo", false],
    ["h?llo", "heello", false],
    ["a?c", "a\0c", true],
    ["a?c", "a\xffc", true],
    ["?", "", false],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("* matches any run of bytes", () => {
  it.each([
    ["h*llo", "hllo", true],
    ["h*llo", "heeeello", true],
    ["h*llo", "hello!", false],
    ["*", "anything", true],
    ["**", "x", true],
    ["a*", "a", true],
    ["a**", "a", true],
    ["*a", "ba", true],
    ["*a", "ab", false],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
    ["*ab", "aab", true],
    ["*ab", "aa", false],
    ["a*a", "a", false],
    ["*?", "a", true],
    ["?*?", "a", false],
    ["*\xff", "x\xff", true],
    // Only the empty pattern matches the empty string, not even `*`.
    ["*", "", false],
    ["**", "", false],
    ["*?", "", false],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("brackets", () => {
  it.each([
    ["h[ae]llo", "hello", true],
    ["h[ae]llo", "hallo", true],
    ["h[ae]llo", "hillo", false],
    ["h[^e]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-c]llo", "hbllo", true],
    ["h[a-c]llo", "hdllo", false],
    ["h[c-a]llo", "hbllo", true],
    ["[a-cx-z]", "y", true],
    ["[a-cx-z]", "m", false],
    ["[^a-c]", "d", true],
    ["[^a-c]", "b", false],
    ["[a-c]", "", false],
    ["[^a]", "", false],
    ["[--0]", "/", true],
    // A `-` before the closing `]` makes a range to the `]`: here `]` to `b`.
    ["[ab-]", "-", false],
    ["[ab-]", "_", true],
    ["[-a]", "-", true],
    ["[a^]", "^", true],
    ["[^^]", "^", false],
    ["[\0]", "\0", true],
    ["[\xff]", "\xff", true],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("malformed brackets mean what Redis's loop makes of them", () => {
  it.each([
    ["[]", "]", false],
    ["[]]", "]]", false],
    ["[]-a]", "]-a]", false],
    ["[^]", "x", true],
    ["[^]", "]", true],
    ["[^]]", "x]", true],
    // A `[` that is never closed runs to the end of the pattern.
    ["[abc", "b", true],
    ["[abc", "[abc", false],
    ["[abc", "bc", false],
    ["x[ab", "xa", true],
    ["[^ab", "c", true],
    ["[^ab", "a", false],
    // A `[` at the very end matches nothing; `[^` at the end, anything.
    ["x[", "x", false],
    ["x[", "x[", false],
    ["[", "[", false],
    ["[^", "x", true],
    ["[^", "^", true],
    // A `-` with two more bytes after it is a range, even to the `]`.
    ["[a-]", "]", true],
    ["[a-]", "^", true],
    ["[a-]", "`", true],
    ["[a-]", "a", true],
    ["[a-]", "-", false],
    ["[a-]", "b", false],
    ["[a-]x", "x", true],
    ["[a-]x", "ax", false],
    // With fewer bytes after it, it is just a `-`.
    ["[a-", "a", true],
    ["[a-", "-", true],
    ["[a-", "b", false],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("a backslash makes the next byte plain", () => {
  it.each([
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["\\?", "?", true],
    ["\\?", "a", false],
    ["\\[a]", "[a]", true],
    ["\\[a]", "a", false],
    ["\\a", "a", true],
    ["\\\\", "\\", true],
    ["*\\*", "ab*", true],
    ["*\\*", "ab", false],
    // A backslash at the very end stands for itself.
    ["\\", "\\", true],
    ["a\\", "a\\", true],
    ["a\\", "a", false],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("a backslash between brackets", () => {
  it.each([
    ["[\\]]", "]", true],
    ["[\\]]", "\\", false],
    ["[\\^a]", "^", true],
    ["[\\^a]", "b", false],
    ["[\\-a]", "-", true],
    // An escaped byte cannot start a range: `a`, `-` or `z`.
    ["[\\a-z]", "-", true],
    ["[\\a-z]", "z", true],
    ["[\\a-z]", "m", false],
    // ...and a backslash can end one: `+` to `\`.
    ["[+-\\]", ",", true],
    ["[+-\\]", "\\", true],
    ["[+-\\]", "]", false],
    // A backslash that is the last byte stands for itself.
    ["[\\", "\\", true],
    ["[\\", "\0", false],
    ["x[a\\", "x\\", true],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("ranges compare bytes as signed C chars", () => {
  it.each([
    // Range ends compare as signed C chars: 0x80..0xff are -128..-1.
    ["[a-\xff]", "\0", true],
    ["[a-\xff]", "a", true],
    ["[a-\xff]", "\xff", true],
    ["[a-\xff]", "b", false],
    ["[a-\xff]", "\x80", false],
    ["[\x80-\xff]", "\x90", true],
    ["[\x80-\xff]", "a", false],
    ["[\xff-\x80]", "\x90", true],
    ["[\0-\xff]", "\xff", true],
    ["[\0-\xff]", "\x80", false],
  ])("%j against %j: %s", (pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("letter case", () => {
  describe("matters by default, as for KEYS", () => {
    it.each([
      ["MAX*", "maxmemory", false],
      ["[M]axmemory", "maxmemory", false],
      ["[Z-a]ppendonly", "appendonly", true],
      ["[A-Z]*", "maxmemory", false],
      ["[\x80-z]axmemory", "maxmemory", true],
      ["[\xff-z]axmemory", "maxmemory", true],
    ])("%j against %j: %s", (pattern, subject, matches) => {
      expect(globMatch(pattern, subject)).toBe(matches);
    });
  });

  describe("folds A-Z only with ignoreCase, as for CONFIG GET", () => {
    it.each([
      ["MAX*", "maxmemory", true],
      ["max?EMORY", "maxmemory", true],
      ["\\Maxmemory*", "maxmemory", true],
      ["[M]axmemory", "maxmemory", true],
      ["[^M]axmemory", "maxmemory", false],
      ["[K-N]axmemory", "maxmemory", true],
      ["[A-Z]*", "maxmemory", true],
      // An escaped byte between brackets is compared exactly...
      ["[\\M]axmemory", "maxmemory", false],
      ["[\\m]axmemory", "maxmemory", true],
      // ...and a range folds its ends only after sorting them: z to a.
      ["[Z-a]ppendonly", "appendonly", false],
      ["[a-Z]ppendonly", "appendonly", false],
      // Folding turns range ends 0x80..0xfe unsigned again, but not 0xff.
      ["[\x80-z]axmemory", "maxmemory", false],
      ["[z-\x80]axmemory", "maxmemory", false],
      ["[\xff-z]axmemory", "maxmemory", true],
      ["[\xfe-z]axmemory", "maxmemory", false],
    ])("%j against %j: %s", (pattern, subject, matches) => {
      expect(globMatch(pattern, subject, true)).toBe(matches);
    });
  });
});

describe("Redis gives up past 1000 nested stars", () => {
  // What counts is the groups of stars before the last step that matches
  // one byte: that is how deep Redis's recursion must go to reach it.
  it.each([
    ["*a × 1000 against 1000 a's", "*a".repeat(1000), "a".repeat(1000), true],
    ["*a × 1001 against 1001 a's", "*a".repeat(1001), "a".repeat(1001), false],
    ["*a × 1001 against 3000 a's", "*a".repeat(1001), "a".repeat(3000), false],
    [
      "**a × 1001 (stars in a row count once)",
      "**a".repeat(1001),
      "a".repeat(1001),
      false,
    ],
    ["*? × 1000 against 1000 a's", "*?".repeat(1000), "a".repeat(1000), true],
    ["*? × 1001 against 1001 a's", "*?".repeat(1001), "a".repeat(1001), false],
    ["*a × 1000 then *", "*a".repeat(1000) + "*", "a".repeat(1001), true],
    [
      "*a × 1000 then *b",
      "*a".repeat(1000) + "*b",
      "a".repeat(1000) + "b",
      false,
    ],
    [
      "a* × 1001 (the last star comes after the last a)",
      "a*".repeat(1001),
      "a".repeat(1001),
      true,
    ],
    ["?* × 1001", "?*".repeat(1001), "a".repeat(1001), true],
  ] as const)("%s", (_name, pattern, subject, matches) => {
    expect(globMatch(pattern, subject)).toBe(matches);
  });
});

describe("pathological patterns", () => {
  /** How many times each timing is repeated; the fastest one counts. */
  const ROUNDS = 9;
  /** Calls per timing, enough that one timing lasts about a millisecond. */
  const CALLS = 20;
  /**
   * How many times slower than the linear baseline the pathological pattern
   * may be. A correct matcher stays near 1; an exponential one does not
   * finish in a lifetime, so the bound can be generous.
   */
  const MAX_RATIO = 100;

  /** Milliseconds for CALLS calls of `match`. */
  function timeCalls(match: () => boolean): number {
    let matched = 0; // used below, so that no call can be optimized away
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) if (match()) matched++;
    const elapsed = performance.now() - start;
    expect(matched).toBe(0);
    return elapsed;
  }

  /**
   * Redis's matcher once tried every way of sharing the `a`s among the
   * stars, which for this pattern never ends (CVE-2022-36021). We time the
   * pattern against `*b` on the same subject, one pass over it, rather than
   * against a clock, so the test means the same on a fast laptop and a busy
   * CI machine. Both are timed in alternating rounds and the fastest round of
   * each counts, so a garbage collection or a busy moment cannot slow one
   * down alone.
   */
  /**
   * KEYS once read the whole pattern into a list of step objects first,
   * some 50 bytes of heap for every byte of pattern: a 512 MB pattern (a
   * legal argument) exhausted the heap and killed the server. The steps
   * are now read from the pattern as they are tried.
   */
  it("a 64 MB pattern costs no memory beyond its own bytes", () => {
    // A flat string, so that reading it does not allocate a copy.
    const pattern = Buffer.alloc(64 * 1024 * 1024, "a").toString("latin1");
    const before = process.memoryUsage().heapUsed;
    expect(globMatch(pattern, "ab")).toBe(false);
    expect(globMatch(pattern, "a")).toBe(false);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 ** 2);
  });

  it("matches *a*a*...*b against 10,000 a's as fast as *b", () => {
    const subject = "a".repeat(10_000);
    const pathological = "*a".repeat(32) + "*b";
    let pathologicalTime = Infinity;
    let baselineTime = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const time = timeCalls(() => globMatch(pathological, subject));
      pathologicalTime = Math.min(pathologicalTime, time);
      baselineTime = Math.min(
        baselineTime,
        timeCalls(() => globMatch("*b", subject)),
      );
    }
    expect(pathologicalTime / baselineTime).toBeLessThan(MAX_RATIO);
  });
});
