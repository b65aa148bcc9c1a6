/**
 * Sorted-set commands (chapter 06): ZADD with every flag, ZINCRBY, ZREM,
 * ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK, the ZRANGE
 * family (ZRANGE's unified syntax, ZRANGESTORE and the six older range
 * commands), ZREMRANGEBYRANK/SCORE/LEX, ZPOPMIN, ZPOPMAX, ZMPOP,
 * ZRANDMEMBER, the algebra (ZUNION, ZINTER, ZDIFF, their STOREs and
 * ZINTERCARD) and ZSCAN; and OBJECT ENCODING, TYPE, COPY, RENAME and DEL
 * aimed at the keys sorted sets live on. The blocking pops are in
 * blocking.ts, with the list ones.
 *
 * Sorted sets live mostly on four keys of their own, and otherwise on the
 * shared pool (strings: WRONGTYPE, after whatever arguments Redis parses
 * first), on the set keys (WRONGTYPE, and plain sets as inputs to ZUNION
 * and its kin, where each member counts with score 1) and on the list keys.
 *
 * Scores are where sorted sets go wrong, so they come from the edges of a
 * double: both infinities in every spelling strtod takes, zeros of both
 * signs, subnormals and the smallest normal, 2^53 and its neighbours,
 * exponent forms, random bit patterns and random decimals of up to 17
 * digits; and the texts ZADD refuses. Range bounds add what only ranges
 * take (`(` for exclusive, hex, a leading space, the empty string). Members
 * come from a small pool with byte-order traps: U+FF61 and 😀 sort one way
 * as bytes (Redis's order) and the other way as JavaScript strings.
 *
 * Lex ranges are only defined on a sorted set whose scores are all equal:
 * on any other, Redis's answer depends on its skiplist's random levels. So
 * the lex commands read one key of their own, `lex`, which gets members
 * with score 0 and which no other generator writes; and since the arity
 * mutation (index.ts) may still slip a score and a member onto the end of
 * a ZADD, each lex command on it comes after `ZINTERSTORE lex 1 lex
 * WEIGHTS 0` (its `prelude`), which sets every score back to 0 (or -0:
 * equal all the same).
 *
 * ZADD INCR and ZINCRBY now and then add an infinity to a member that a
 * ZADD right before (their `prelude`) gave the opposite one: NaN, which
 * both refuse.
 *
 * Replies that differ by nature are compared by normalise.ts, helped by a
 * companion command sent right behind: OBJECT ENCODING behind ZSCAN (a
 * listpack answers whole and in order; a skiplist's dict in its own
 * order), the whole set with its scores behind ZRANDMEMBER (whose picks
 * must be members, with their own scores).
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key, value } from "./values.ts";
import { index, listKey } from "./lists.ts";
import { scanOption, setKey } from "./sets.ts";
import { randomCountWords } from "./hashes.ts";

/** Keys only the sorted-set commands use, besides the shared pool. */
const ZSET_KEYS: readonly Buffer[] = ["zset", "board", "z\0", "zdest"].map(
  (text) => Buffer.from(text, "latin1"),
);

/**
 * Where the STORE commands write most of the time: an empty result
 * deletes the destination, and written anywhere it would keep the other
 * keys empty.
 */
const DESTINATION = ZSET_KEYS[3]!;

/** The one key whose members all have score 0, for the lex commands (see the header). */
const LEX_KEY = Buffer.from("lex", "latin1");

/**
 * A key for a sorted-set command: mostly a sorted-set key, else the pool's
 * (strings), a set's (an input to the algebra, WRONGTYPE elsewhere) or a
 * list's.
 */
export function zsetKey(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 14) return random.keyName(random.pick(ZSET_KEYS));
  if (roll < 17) return key(random);
  if (roll < 19) return setKey(random);
  return listKey(random);
}

/** A destination for ZRANGESTORE, ZUNIONSTORE and the like: mostly the destination key. */
function destinationKey(random: FuzzRandom): Buffer {
  return random.chance(0.6) ? random.keyName(DESTINATION) : zsetKey(random);
}

/** A key for a lex command: the lex key, now and then another type's or a missing one. */
function lexKey(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 17) return random.keyName(LEX_KEY);
  if (roll < 19) return key(random);
  return setKey(random);
}

/**
 * A lex command: on the lex key, right after the ZINTERSTORE that makes
 * all its scores 0 again (see the header).
 */
function lexCommand(
  random: FuzzRandom,
  args: Buffer[],
  key: Buffer,
): FuzzCommand {
  const lex = random.keyName(LEX_KEY);
  if (!key.equals(lex)) return { args };
  const zeroScores = [word("ZINTERSTORE"), lex, word("1"), lex];
  return { args, prelude: [...zeroScores, word("WEIGHTS"), word("0")] };
}

// #region scores
/**
 * Scores ZADD and ZINCRBY accept: every spelling of infinity strtod takes,
 * zeros of both signs, subnormals and the smallest normal double (and its
 * neighbours), 2^53 and its neighbours (9007199254740993 rounds to
 * 9007199254740992), exponent forms, hex (strtod reads it), and decimals
 * that `%.17g` writes longer than they were typed.
 */
const SCORE_POOL: readonly string[] = [
  "inf",
  "+inf",
  "-inf",
  "INF",
  "-Infinity",
  "infinity",
  "0",
  "-0",
  "0.0",
  "-0.0",
  "+0",
  "5e-324",
  "4.9e-324",
  "-5e-324",
  "2.2250738585072014e-308",
  "2.2250738585072009e-308",
  "2.225073858507201e-308",
  "9007199254740991",
  "9007199254740992",
  "9007199254740993",
  "-9007199254740993",
  "1e300",
  "-1e300",
  "1.7976931348623157e308",
  "1e-5",
  "1.1",
  "0.1",
  "-2.5",
  "3.0e3",
  "1E2",
  "0x10",
  ".5",
  "5.",
];

/**
 * Texts ZADD refuses (`ERR value is not a valid float`): a leading or
 * trailing space, nothing, NaN, overflow and underflow to zero, letters,
 * a NUL, half an exponent.
 */
const BAD_SCORES: readonly string[] = [
  " 1",
  "1 ",
  "",
  "nan",
  "-nan",
  "NaN",
  "1e400",
  "-1e400",
  "1e-400",
  "abc",
  "1\0",
  "1e",
  "--1",
  "(1",
];

/** A double from 8 random bytes, written as JavaScript or as `%.17g` would; any finite one. */
function randomBitsScore(random: FuzzRandom): string {
  for (;;) {
    const x = random.bytes(8).readDoubleLE(0);
    if (!Number.isFinite(x)) continue;
    return random.chance(0.5) ? String(x) : x.toPrecision(17);
  }
}

/** A decimal of 1 to 17 digits, its point anywhere, now and then an exponent. */
function randomDecimalScore(random: FuzzRandom): string {
  const digits = Array.from({ length: random.between(1, 17) }, () =>
    String(random.below(10)),
  ).join("");
  const point = random.below(digits.length + 1);
  let text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  if (text === ".") text = "0";
  if (random.chance(0.3)) text += `e${random.between(-320, 310)}`;
  return random.chance(0.3) ? `-${text}` : text;
}

/**
 * A score: small integers most often (so that scores tie and members
 * order by their bytes), then the pool's edges, random doubles, and with
 * probability `bad` a text ZADD refuses. (A random decimal's exponent may
 * overflow, or underflow to zero, which ZADD refuses too.)
 */
export function score(random: FuzzRandom, bad = 0.04): string {
  if (random.chance(bad)) return random.pick(BAD_SCORES);
  const roll = random.below(20);
  if (roll < 8) return String(random.between(-3, 5));
  if (roll < 14) return random.pick(SCORE_POOL);
  if (roll < 17) return randomDecimalScore(random);
  return randomBitsScore(random);
}

/**
 * One end of a score range (ZCOUNT, ZRANGEBYSCORE, BYSCORE...): a score,
 * often exclusive (`(1`), and what only ranges take: strtod's leading
 * space, hex, overflow to infinity, the empty string (0) and `(` alone
 * (exclusive 0); and texts every range refuses.
 */
function scoreBound(random: FuzzRandom): string {
  const roll = random.below(20);
  if (roll < 2) return random.pick(["-inf", "+inf", "(-inf", "(+inf"]);
  if (roll < 18) return exclusiveOrNot(random, score(random, 0));
  return random.pick([
    "",
    "(",
    " 1",
    "( 1",
    "0x10",
    "1e400",
    "1 ",
    "nan",
    "(nan",
    "abc",
    "((1",
    "[1",
    "1\0",
  ]);
}

/** `text`, made exclusive (`(1`) three times in ten. */
function exclusiveOrNot(random: FuzzRandom, text: string): string {
  return random.chance(0.3) ? `(${text}` : text;
}

/**
 * A score range, lowest first, or highest first for the commands that
 * read it the other way round (ZREVRANGEBYSCORE, ZRANGE BYSCORE REV):
 * mostly two small numbers in the right order, so that it finds members;
 * else two ends drawn alone (in either order, empty half the time).
 */
function scoreRange(random: FuzzRandom, highFirst = false): [string, string] {
  if (random.chance(0.4)) return [scoreBound(random), scoreBound(random)];
  const [low, high] = [random.between(-4, 6), random.between(-4, 6)].sort(
    (a, b) => a - b,
  );
  const ends = [
    exclusiveOrNot(random, random.chance(0.1) ? "-inf" : String(low)),
    exclusiveOrNot(random, random.chance(0.1) ? "+inf" : String(high)),
  ];
  return (highFirst ? ends.reverse() : ends) as [string, string];
}
// #endregion scores

// #region members
/**
 * Members: short words that sort by their bytes (`A` < `a` < `aa`), the
 * empty one and NUL, U+FF61 and 😀 in UTF-8 (bytes \xef... before
 * \xf0..., the other way round as JavaScript's UTF-16), numbers (for
 * SORT), and lengths either side of zset-max-listpack-value's 64.
 */
const MEMBER_POOL: readonly string[] = [
  "a",
  "b",
  "c",
  "A",
  "aa",
  "",
  "\0",
  "a\0",
  "x y",
  "\xef\xbd\xa1",
  "\xf0\x9f\x98\x80",
  "1",
  "2",
  "10",
  "-1",
  "1.5",
  "m".repeat(64),
  "m".repeat(65),
];

export function member(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 13) return word(random.pick(MEMBER_POOL));
  if (roll < 19) return word(`m${random.below(30)}`);
  return value(random);
}

/** Between `min` and `max` members. */
function members(random: FuzzRandom, min: number, max: number): Buffer[] {
  return Array.from({ length: random.between(min, max) }, () => member(random));
}

/**
 * `min` to `max` score-member pairs, each score refused with probability
 * `bad`; now and then a long run of fresh members, past the 128 entries
 * of zset-max-listpack-entries at times.
 */
function pairs(
  random: FuzzRandom,
  min: number,
  max: number,
  bad: number,
): Buffer[] {
  if (random.chance(0.02)) {
    const count = random.between(20, 300);
    return Array.from({ length: count }, (_, i) => [
      word(random.chance(0.5) ? String(i) : score(random, 0)),
      word(`r${i}`),
    ]).flat();
  }
  return Array.from({ length: random.between(min, max) }, () => [
    word(score(random, bad)),
    member(random),
  ]).flat();
}
// #endregion members

/** `items` in a random order: options that Redis takes in any order. */
export function shuffled<T>(random: FuzzRandom, items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/** A count or offset: small of both signs mostly, then 64-bit edges and non-numbers. */
function count(random: FuzzRandom): string {
  return random.chance(0.8)
    ? String(random.between(-2, 8))
    : random.pick([
        "300",
        "-9223372036854775808",
        "9223372036854775807",
        "9223372036854775808",
        "1.0",
        "abc",
        "",
      ]);
}

/**
 * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [...]: flags before
 * the pairs, in any order and combination, those Redis refuses together
 * included (NX with XX, NX with GT, INCR with two pairs); now and then a
 * member without its score.
 */
function zadd(random: FuzzRandom): FuzzCommand {
  if (random.chance(0.02)) return zaddIncrToNaN(random);
  const flags = shuffled(
    random,
    ["nx", "xx", "gt", "lt", "ch", "incr"].filter(() => random.chance(0.15)),
  );
  // INCR takes one pair: mostly one, then.
  const most = flags.includes("incr") && random.chance(0.85) ? 1 : 4;
  const args = [
    word("ZADD"),
    zsetKey(random),
    ...flags.map((flag) => word(random.anyCase(flag))),
    ...pairs(random, 1, most, 0.04),
  ];
  if (random.chance(0.03)) args.pop();
  return { args };
}

/** A score and an increment that add up to NaN: the two infinities. */
function opposedInfinities(random: FuzzRandom): [string, string] {
  return random.pick<[string, string]>([
    ["inf", "-inf"],
    ["-inf", "+inf"],
  ]);
}

/**
 * ZADD ... INCR of an infinity to a member that a ZADD right before gave
 * the opposite one: NaN, refused before GT, LT or XX are looked at.
 */
function zaddIncrToNaN(random: FuzzRandom): FuzzCommand {
  const key = zsetKey(random);
  const target = member(random);
  const [before, increment] = opposedInfinities(random);
  const flags = ["xx", "gt", "lt", "ch"].filter(() => random.chance(0.2));
  return {
    args: [
      word("ZADD"),
      key,
      ...shuffled(random, [...flags, "incr"]).map((flag) =>
        word(random.anyCase(flag)),
      ),
      word(increment),
      target,
    ],
    prelude: [word("ZADD"), key, word(before), target],
  };
}

/** ZADD on the lex key: every score 0, so that lex ranges are defined there. */
function zaddLex(random: FuzzRandom): FuzzCommand {
  const flags = random.chance(0.2)
    ? [word(random.anyCase(random.pick(["nx", "xx", "ch"])))]
    : [];
  const added = members(random, 1, 4).flatMap((m) => [word("0"), m]);
  return {
    args: [word("ZADD"), random.keyName(LEX_KEY), ...flags, ...added],
  };
}

/**
 * ZINCRBY key increment member: increments that overflow to infinity,
 * refused texts, and now and then an infinity added to the opposite one,
 * which a ZADD right before gives the member ("resulting score is not a
 * number", and the member keeps its score).
 */
function zincrby(random: FuzzRandom): FuzzCommand {
  const key = zsetKey(random);
  const target = member(random);
  if (random.chance(0.05)) {
    const [before, increment] = opposedInfinities(random);
    return {
      args: [word("ZINCRBY"), key, word(increment), target],
      prelude: [word("ZADD"), key, word(before), target],
    };
  }
  return {
    args: [word("ZINCRBY"), key, word(score(random, 0.08)), target],
  };
}

/** A command on a key and 1 to `max` members. */
function withMembers(name: string, max: number): CommandGenerator["generate"] {
  return (random) => ({
    args: [word(name), zsetKey(random), ...members(random, 1, max)],
  });
}

/** A command on a key and one member. */
function withMember(name: string): CommandGenerator["generate"] {
  return (random) => ({
    args: [word(name), zsetKey(random), member(random)],
  });
}

/** ZCOUNT, ZREMRANGEBYSCORE: a key and a score range. */
function byScore(name: string): CommandGenerator["generate"] {
  return (random) => ({
    args: [word(name), zsetKey(random), ...scoreRange(random).map(word)],
  });
}

// #region lex-bounds
/**
 * One end of a lex range: `-` and `+`, `[member` and `(member`, and what
 * Redis refuses (no bracket, nothing at all, `+` or `-` followed by more).
 */
function lexBound(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 4) return word(random.pick(["-", "+"]));
  if (roll < 18)
    return Buffer.concat([word(random.pick(["[", "("])), member(random)]);
  return word(random.pick(["a", "", "[", "(", "+a", "-a", "*"]));
}

/**
 * A lex range, lowest first or (ZREVRANGEBYLEX, BYLEX REV) highest first:
 * half the time two members in byte order, so that it finds some; else
 * two ends drawn alone.
 */
function lexRange(random: FuzzRandom, highFirst = false): [Buffer, Buffer] {
  if (random.chance(0.5)) return [lexBound(random), lexBound(random)];
  const [low, high] = [member(random), member(random)].sort(Buffer.compare);
  const ends = [low!, high!].map((m) =>
    Buffer.concat([word(random.pick(["[", "("])), m]),
  );
  return (highFirst ? ends.reverse() : ends) as [Buffer, Buffer];
}
// #endregion lex-bounds

/** ZLEXCOUNT, ZREMRANGEBYLEX: the lex key and a lex range. */
function byLex(name: string): CommandGenerator["generate"] {
  return (random) => {
    const key = lexKey(random);
    return lexCommand(random, [word(name), key, ...lexRange(random)], key);
  };
}

/** ZREMRANGEBYRANK key start stop, ZREVRANGE key start stop [WITHSCORES]. */
function byRank(
  name: string,
  withScores: boolean,
): CommandGenerator["generate"] {
  return (random) => {
    const args = [
      word(name),
      zsetKey(random),
      word(index(random)),
      word(index(random)),
    ];
    if (withScores && random.chance(0.5))
      args.push(word(random.anyCase("withscores")));
    return { args };
  };
}

/** LIMIT offset count, now and then without its numbers. */
function limit(random: FuzzRandom): Buffer[] {
  if (random.chance(0.05)) return [word(random.anyCase("limit"))];
  return [
    word(random.anyCase("limit")),
    word(count(random)),
    word(count(random)),
  ];
}

// #region zrange
/**
 * How ZRANGE and ZRANGESTORE read their range: by rank, by score or by
 * member. The start and stop follow, and the options that go with it.
 */
type RangeMode = "rank" | "byscore" | "bylex";

/**
 * ZRANGE [dst] key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count]
 * [WITHSCORES]: the options in any order, and the combinations Redis
 * refuses (LIMIT by rank, WITHSCORES with BYLEX or on ZRANGESTORE, two
 * BYs, REV twice), now and then an option that is not one. Lex ranges go
 * to the lex key.
 */
function zrange(store: boolean): CommandGenerator["generate"] {
  return (random) => {
    const mode = random.weighted<RangeMode>([
      ["rank", 4],
      ["byscore", 4],
      ["bylex", 3],
    ]);
    const source = mode === "bylex" ? lexKey(random) : zsetKey(random);
    const rev = random.chance(0.4);
    // With REV, BYSCORE and BYLEX take the highest end first.
    const range =
      mode === "rank"
        ? [word(index(random)), word(index(random))]
        : mode === "byscore"
          ? scoreRange(random, rev).map(word)
          : lexRange(random, rev);
    const options: Buffer[][] = [];
    if (mode !== "rank") options.push([word(random.anyCase(mode))]);
    if (rev) options.push([word(random.anyCase("rev"))]);
    if (random.chance(mode === "rank" ? 0.05 : 0.4))
      options.push(limit(random));
    if (random.chance(store ? 0.03 : 0.4))
      options.push([word(random.anyCase("withscores"))]);
    if (random.chance(0.04))
      options.push([
        random.chance(0.5)
          ? word(random.anyCase(random.pick(["byscore", "bylex", "rev"])))
          : anyWord(random),
      ]);
    const args = [
      word(store ? "ZRANGESTORE" : "ZRANGE"),
      ...(store ? [destinationKey(random)] : []),
      source,
      ...range,
      ...shuffled(random, options).flat(),
    ];
    return mode === "bylex" ? lexCommand(random, args, source) : { args };
  };
}

/**
 * ZRANGEBYSCORE key min max, ZREVRANGEBYSCORE key max min: then
 * WITHSCORES and LIMIT in either order.
 */
function rangeByScore(name: string): CommandGenerator["generate"] {
  return (random) => {
    const options: Buffer[][] = [];
    if (random.chance(0.5)) options.push([word(random.anyCase("withscores"))]);
    if (random.chance(0.4)) options.push(limit(random));
    if (random.chance(0.03)) options.push([anyWord(random)]);
    const highFirst = name === "ZREVRANGEBYSCORE";
    return {
      args: [
        word(name),
        zsetKey(random),
        ...scoreRange(random, highFirst).map(word),
        ...shuffled(random, options).flat(),
      ],
    };
  };
}

/** ZRANGEBYLEX key min max, ZREVRANGEBYLEX key max min: then LIMIT, or WITHSCORES (refused). */
function rangeByLex(name: string): CommandGenerator["generate"] {
  return (random) => {
    const key = lexKey(random);
    const highFirst = name === "ZREVRANGEBYLEX";
    const args = [word(name), key, ...lexRange(random, highFirst)];
    if (random.chance(0.4)) args.push(...limit(random));
    if (random.chance(0.04)) args.push(word(random.anyCase("withscores")));
    return lexCommand(random, args, key);
  };
}
// #endregion zrange

/** ZPOPMIN/ZPOPMAX key [count]. */
function pop(name: string): CommandGenerator["generate"] {
  return (random) => {
    const args = [word(name), zsetKey(random)];
    if (random.chance(0.6)) args.push(word(count(random)));
    return { args };
  };
}

/**
 * numkeys and the keys after it: numkeys right most of the time, else
 * short, long, zero, negative or not a number.
 */
function numkeysAndKeys(random: FuzzRandom): Buffer[] {
  const keys = Array.from({ length: random.between(1, 3) }, () =>
    zsetKey(random),
  );
  const numkeys = random.chance(0.85)
    ? String(keys.length)
    : random.pick([
        String(keys.length + 1),
        String(keys.length - 1),
        "-1",
        "2147483648",
        "9223372036854775808",
        "abc",
        "",
      ]);
  return [word(numkeys), ...keys];
}

/** MIN or MAX in any case, now and then neither. */
function minOrMax(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.95)
      ? random.anyCase(random.pick(["min", "max"]))
      : random.pick(["left", "", "mi", "max\0"]),
  );
}

/** ZMPOP numkeys key... MIN|MAX [COUNT count]: COUNT zero, repeated or incomplete too. */
function zmpop(random: FuzzRandom): FuzzCommand {
  const args = [word("ZMPOP"), ...numkeysAndKeys(random), minOrMax(random)];
  const extra = random.weighted([
    [0, 5],
    [1, 4],
    [2, 1],
  ]);
  for (let i = 0; i < extra; i++) {
    const roll = random.below(10);
    if (roll < 8) args.push(word(random.anyCase("count")), word(count(random)));
    else if (roll < 9) args.push(word(random.anyCase("count")));
    else args.push(anyWord(random));
  }
  return { args };
}

/**
 * ZRANDMEMBER key [count [WITHSCORES]], with the whole set and its scores
 * behind it. Counts of both signs, around the set's size, and the edges
 * Redis refuses (beyond ±LONG_MAX, and beyond half of it with
 * WITHSCORES); never a valid negative count of millions (see hashes.ts).
 */
function zrandmember(random: FuzzRandom): FuzzCommand {
  const key = zsetKey(random);
  const args = [word("ZRANDMEMBER"), key];
  const companion = [
    word("ZRANGE"),
    key,
    word("0"),
    word("-1"),
    word("WITHSCORES"),
  ];
  if (random.chance(0.2)) return { args, companion };
  args.push(...randomCountWords(random, "withscores", "300"));
  return { args, companion };
}

// #region algebra
/** A weight: ordinary ones, zero (inf times 0 is NaN, which Redis makes 0), infinities, and refused texts. */
function weight(random: FuzzRandom): string {
  return random.chance(0.7)
    ? random.pick(["1", "2", "0", "-1", "0.5", "1.5", "-0"])
    : random.pick(["inf", "-inf", "+inf", "nan", "abc", "", " 1", "1e400"]);
}

/**
 * The options of ZUNION and ZINTER (and their STOREs): WEIGHTS with one
 * per key (or a wrong number), AGGREGATE SUM, MIN, MAX or another word,
 * WITHSCORES (refused by the STOREs), in any order, now and then a word
 * that is none of these.
 */
function algebraOptions(
  random: FuzzRandom,
  keyCount: number,
  withScores: boolean,
): Buffer[] {
  const options: Buffer[][] = [];
  if (random.chance(0.4)) {
    const count = random.chance(0.9)
      ? keyCount
      : random.pick([keyCount - 1, keyCount + 1]);
    options.push([
      word(random.anyCase("weights")),
      ...Array.from({ length: Math.max(count, 0) }, () => word(weight(random))),
    ]);
  }
  if (random.chance(0.4)) {
    options.push([
      word(random.anyCase("aggregate")),
      word(
        random.chance(0.9)
          ? random.anyCase(random.pick(["sum", "min", "max"]))
          : random.pick(["avg", "", "summ"]),
      ),
    ]);
  }
  if (random.chance(withScores ? 0.5 : 0.03))
    options.push([word(random.anyCase("withscores"))]);
  if (random.chance(0.03)) options.push([anyWord(random)]);
  return shuffled(random, options).flat();
}

/**
 * ZUNION, ZINTER, ZDIFF numkeys key... [options], or their STORE with a
 * destination first. ZDIFF takes WITHSCORES only.
 */
function algebra(name: string, store: boolean): CommandGenerator["generate"] {
  return (random) => {
    const destination = store ? [destinationKey(random)] : [];
    const inputs = numkeysAndKeys(random);
    const keyCount = inputs.length - 1;
    const isDiff = name.startsWith("ZDIFF");
    const options = isDiff
      ? random.chance(store ? 0.03 : 0.5)
        ? [word(random.anyCase("withscores"))]
        : []
      : algebraOptions(random, keyCount, !store);
    return {
      args: [word(name), ...destination, ...inputs, ...options],
    };
  };
}

/** ZINTERCARD numkeys key... [LIMIT limit]: LIMIT of every kind, repeated or missing its number. */
function zintercard(random: FuzzRandom): FuzzCommand {
  const args = [word("ZINTERCARD"), ...numkeysAndKeys(random)];
  const options = random.weighted([
    [0, 5],
    [1, 4],
    [2, 1],
  ]);
  for (let i = 0; i < options; i++) {
    const roll = random.below(10);
    if (roll < 8) args.push(word(random.anyCase("limit")), word(count(random)));
    else if (roll < 9) args.push(word(random.anyCase("limit")));
    else args.push(anyWord(random));
  }
  return { args };
}
// #endregion algebra

/** ZSCAN key cursor [MATCH pattern] [COUNT count], with the key's encoding behind it. */
function zscan(random: FuzzRandom): FuzzCommand {
  const key = zsetKey(random);
  const cursor = random.chance(0.8)
    ? "0"
    : random.pick(["1", "12345", "-1", "abc", "18446744073709551616", ""]);
  const options = random.weighted([
    [0, 3],
    [1, 4],
    [2, 2],
  ]);
  return {
    args: [
      word("ZSCAN"),
      key,
      word(cursor),
      ...Array.from({ length: options }, () => scanOption(random)).flat(),
    ],
    companion: [word("OBJECT"), word("ENCODING"), key],
  };
}

/** What a chapter has if it has sorted sets. */
const WITH_ZSETS = ["zadd"];

/** A command on the sorted-set keys: its name (as COMMAND names it), weight and words. */
type OnZsetKeys = [string, number, (random: FuzzRandom) => Buffer[]];

/**
 * OBJECT ENCODING and TYPE on the sorted-set keys and the lex key; COPY,
 * RENAME and DEL on the sorted-set keys only (a copy onto the lex key
 * could bring it scores other than 0).
 */
const ON_ZSET_KEYS: readonly CommandGenerator[] = (
  [
    [
      "object",
      6,
      (r) => [
        word("OBJECT"),
        word(r.anyCase("encoding")),
        r.chance(0.2) ? r.keyName(LEX_KEY) : zsetKey(r),
      ],
    ],
    ["type", 2, (r) => [word("TYPE"), zsetKey(r)]],
    ["copy", 1, (r) => [word("COPY"), zsetKey(r), zsetKey(r)]],
    [
      "copy",
      1,
      (r) => [word("COPY"), zsetKey(r), zsetKey(r), word(r.anyCase("replace"))],
    ],
    ["rename", 1, (r) => [word("RENAME"), zsetKey(r), zsetKey(r)]],
    ["del", 2, (r) => [word("DEL"), zsetKey(r)]],
  ] satisfies OnZsetKeys[]
).map(([command, weight, words]) => ({
  command,
  requires: WITH_ZSETS,
  weight,
  generate: (random) => ({ args: words(random) }),
}));

export const ZSET_GENERATORS: readonly CommandGenerator[] = [
  { command: "zadd", weight: 30, generate: zadd },
  { command: "zadd", weight: 6, generate: zaddLex },
  { command: "zincrby", weight: 8, generate: zincrby },
  { command: "zrem", weight: 8, generate: withMembers("ZREM", 3) },
  { command: "zscore", weight: 6, generate: withMember("ZSCORE") },
  { command: "zmscore", weight: 4, generate: withMembers("ZMSCORE", 4) },
  {
    command: "zcard",
    weight: 4,
    generate: (random) => ({ args: [word("ZCARD"), zsetKey(random)] }),
  },
  { command: "zcount", weight: 6, generate: byScore("ZCOUNT") },
  { command: "zlexcount", weight: 5, generate: byLex("ZLEXCOUNT") },
  { command: "zrank", weight: 5, generate: withMember("ZRANK") },
  { command: "zrevrank", weight: 4, generate: withMember("ZREVRANK") },
  { command: "zrange", weight: 14, generate: zrange(false) },
  { command: "zrangestore", weight: 5, generate: zrange(true) },
  {
    command: "zrangebyscore",
    weight: 5,
    generate: rangeByScore("ZRANGEBYSCORE"),
  },
  {
    command: "zrevrangebyscore",
    weight: 4,
    generate: rangeByScore("ZREVRANGEBYSCORE"),
  },
  { command: "zrangebylex", weight: 4, generate: rangeByLex("ZRANGEBYLEX") },
  {
    command: "zrevrangebylex",
    weight: 3,
    generate: rangeByLex("ZREVRANGEBYLEX"),
  },
  { command: "zrevrange", weight: 4, generate: byRank("ZREVRANGE", true) },
  { command: "zpopmin", weight: 5, generate: pop("ZPOPMIN") },
  { command: "zpopmax", weight: 5, generate: pop("ZPOPMAX") },
  { command: "zmpop", weight: 5, generate: zmpop },
  { command: "zrandmember", weight: 6, generate: zrandmember },
  {
    command: "zremrangebyrank",
    weight: 3,
    generate: byRank("ZREMRANGEBYRANK", false),
  },
  {
    command: "zremrangebyscore",
    weight: 3,
    generate: byScore("ZREMRANGEBYSCORE"),
  },
  { command: "zremrangebylex", weight: 3, generate: byLex("ZREMRANGEBYLEX") },
  { command: "zunion", weight: 5, generate: algebra("ZUNION", false) },
  { command: "zunionstore", weight: 4, generate: algebra("ZUNIONSTORE", true) },
  { command: "zinter", weight: 5, generate: algebra("ZINTER", false) },
  { command: "zinterstore", weight: 4, generate: algebra("ZINTERSTORE", true) },
  { command: "zintercard", weight: 4, generate: zintercard },
  { command: "zdiff", weight: 4, generate: algebra("ZDIFF", false) },
  { command: "zdiffstore", weight: 3, generate: algebra("ZDIFFSTORE", true) },
  { command: "zscan", weight: 5, generate: zscan },
  ...ON_ZSET_KEYS,
];
