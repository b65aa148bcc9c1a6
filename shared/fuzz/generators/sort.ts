/**
 * SORT and SORT_RO (chapter 06) on lists, sets and sorted sets: BY with a
 * pattern (`w_*`, a hash field `h_*->f`) or a constant (`nosort`: no
 * sorting at all), LIMIT valid or not, GET `#`, patterns and hash fields,
 * ASC, DESC, ALPHA and STORE, in any order; and the data they read.
 *
 * SORT reads keys the other generators do not make: three sources of its
 * own (a list, a set and a sorted set, refilled from scratch now and
 * then), weight keys `w_<element>` (strings: numbers mostly, a word now and
 * then) and hashes `h_<element>` (fields `f` and `name`). Their elements
 * are mostly small integers, so that `w_*` finds a weight for most of
 * them, with a few texts a numeric sort cannot read ("One or more scores
 * can't be converted into double"): words, NaN, an overflow, a subnormal
 * (strtod reports ERANGE for it, and Redis refuses it). It also sorts the
 * other families' keys, where words abound.
 *
 * Redis's order is not always one order. A set in a hash table comes out
 * in the table's order when BY names a constant, and ALPHA leaves elements
 * that compare equal (the same weight, no weight at all, or the same text
 * up to a NUL, where strcoll stops) in the order they came in, which for a
 * set or a sorted set is again a hash table's; with BY and LIMIT Redis's
 * partial quicksort leaves ties in an order of its own even for a list.
 * normalise.ts compares those replies as multisets (or by length, when
 * LIMIT may cut through a tie), what ALPHA compared still in order where
 * the reply shows it, told the source's encoding by OBJECT ENCODING sent
 * right behind. A stored result cannot be compared that way,
 * so STORE never comes with both ALPHA and a BY pattern: every other
 * stored order is Redis's one order, compared at checkpoints.
 *
 * Redis 7.0's SORT reads C's errno after strtod without setting it to 0
 * first, so an overflow in an earlier command (a ZADD score of 1e400, a
 * SORT of one) makes the next numeric SORT fail too: `RPUSH l 1 2`, `ZADD
 * z 1e400 a` (refused), then `SORT l` answers "One or more scores can't
 * be converted into double". The chapters do not copy that. Each SORT
 * comes right after a ZADD XX of a valid score on a key that does not
 * exist (its `prelude`), which changes nothing but sets errno back to 0
 * in Redis (its score parser, string2d, does).
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key } from "./values.ts";
import { listKey } from "./lists.ts";
import { setKey } from "./sets.ts";
import { shuffled, zsetKey } from "./zsets.ts";

/** SORT's own sources: a list, a set and a sorted set of sortable elements. */
const SOURCES = {
  list: Buffer.from("sort:list", "latin1"),
  set: Buffer.from("sort:set", "latin1"),
  zset: Buffer.from("sort:zset", "latin1"),
} as const;

/**
 * Elements of SORT's sources: small integers most of the time (weight and
 * hash keys exist for them), then texts that strtod reads (`0x10`, a
 * leading space, the empty string as 0) and texts it does not (a numeric
 * sort refuses them): words, a trailing space, NaN, an overflow, a
 * subnormal, a NUL.
 */
const ODD_ELEMENTS: readonly string[] = [
  "1.5",
  "-2.5",
  "0x10",
  " 1",
  "",
  "inf",
  "-inf",
  "1e300",
  "a",
  "b",
  "\0",
  "a\0b",
  "1 ",
  "nan",
  "1e400",
  "5e-324",
];

function element(random: FuzzRandom): Buffer {
  return random.chance(0.85)
    ? word(String(random.between(-1, 9)))
    : word(random.pick(ODD_ELEMENTS));
}

/** An element whose weight and hash keys exist at times: the small integers and a few others. */
function weighedElement(random: FuzzRandom): string {
  return random.chance(0.85)
    ? String(random.between(-1, 9))
    : random.pick(["a", "b", "", "1.5", "\0"]);
}

/** A weight: a number most of the time (ties included), sometimes text no numeric sort reads. */
function weightValue(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.85)
      ? String(random.between(-3, 5))
      : random.pick(["1.5", "-0", "inf", "abc", "", "1e400", "z", "\0"]),
  );
}

/**
 * One of SORT's sources refilled from scratch: a DEL right before (its
 * reply judged too), then RPUSH, SADD or ZADD of 1 to 8 elements (scores
 * from 0 to 3, so that they tie).
 */
function refill(kind: keyof typeof SOURCES): CommandGenerator["generate"] {
  return (random) => {
    const target = random.keyName(SOURCES[kind]);
    const elements = Array.from({ length: random.between(1, 8) }, () =>
      element(random),
    );
    const args =
      kind === "list"
        ? [word("RPUSH"), target, ...elements]
        : kind === "set"
          ? [word("SADD"), target, ...elements]
          : [
              word("ZADD"),
              target,
              ...elements.flatMap((e) => [
                word(String(random.between(0, 3))),
                e,
              ]),
            ];
    return { args, prelude: [word("DEL"), target] };
  };
}

/** SET w_<element> weight: what `BY w_*` and `GET w_*` find. */
function setWeight(random: FuzzRandom): FuzzCommand {
  return {
    args: [
      word("SET"),
      random.keyName(word(`w_${weighedElement(random)}`)),
      weightValue(random),
    ],
  };
}

/** HSET h_<element> f weight [name text]: what `BY h_*->f` and `GET h_*->name` find. */
function setHashWeight(random: FuzzRandom): FuzzCommand {
  const args = [
    word("HSET"),
    random.keyName(word(`h_${weighedElement(random)}`)),
    word("f"),
    weightValue(random),
  ];
  if (random.chance(0.5))
    args.push(word("name"), word(random.pick(["x", "y", "", "n\0"])));
  return { args };
}

/** DEL of a weight or hash key: elements without a weight (0, or first with ALPHA). */
function dropWeight(random: FuzzRandom): FuzzCommand {
  const prefix = random.pick(["w_", "h_"]);
  const key = word(`${prefix}${weighedElement(random)}`);
  return { args: [word("DEL"), random.keyName(key)] };
}

/** What to sort: SORT's own sources mostly, then the other families' keys and the pool's. */
function sortKey(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 12) return random.keyName(random.pick(Object.values(SOURCES)));
  if (roll < 14) return listKey(random);
  if (roll < 16) return setKey(random);
  if (roll < 18) return zsetKey(random);
  return key(random);
}

// #region sort-patterns
/**
 * BY patterns: weight keys and hash fields, a constant (no `*`: nothing
 * is sorted), the elements themselves as key names, and the odd ones (a
 * field of a string, an empty field name, a missing field).
 */
const BY_PATTERNS: readonly (readonly [string, number])[] = [
  ["w_*", 30],
  ["h_*->f", 20],
  ["nosort", 10],
  ["w_", 3],
  ["", 2],
  ["*", 5],
  ["*->f", 2],
  ["w_*->f", 2],
  ["h_*->", 2],
  ["h_*->missing", 2],
  ["h_*->name", 3],
];

/** GET patterns: the element itself (`#`), weights, hash fields, and patterns that find nothing. */
const GET_PATTERNS: readonly (readonly [string, number])[] = [
  ["#", 30],
  ["w_*", 20],
  ["h_*->f", 10],
  ["h_*->name", 10],
  ["*", 5],
  ["nosuch_*", 3],
  ["w_", 3],
  ["#->f", 2],
  ["h_*", 3],
];
// #endregion sort-patterns

/** LIMIT offset count: small, negative, past the end, at the edges of a long, or not numbers. */
function limit(random: FuzzRandom): Buffer[] {
  const number = (): string =>
    random.chance(0.8)
      ? String(random.between(-2, 10))
      : random.pick([
          "9223372036854775807",
          "-9223372036854775808",
          "9223372036854775808",
          "abc",
          "",
          "1.5",
        ]);
  if (random.chance(0.04)) return [word(random.anyCase("limit")), word("1")];
  return [word(random.anyCase("limit")), word(number()), word(number())];
}

/** Where STORE writes: a destination of its own, or the source, or a key of any family. */
function storeKey(random: FuzzRandom, source: Buffer): Buffer {
  const roll = random.below(10);
  if (roll < 5) return random.keyName(word("sort:dest"));
  if (roll < 6) return source;
  if (roll < 7) return listKey(random);
  if (roll < 8) return setKey(random);
  if (roll < 9) return zsetKey(random);
  return key(random);
}

/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...]
 * [ASC|DESC] [ALPHA] [STORE destination], options in any order, now and
 * then repeated or not an option; SORT_RO the same without STORE (which
 * it refuses). With the source's encoding behind it (see the header).
 */
function sort(name: "SORT" | "SORT_RO"): CommandGenerator["generate"] {
  return (random, { has }) => {
    const source = sortKey(random);
    const options: Buffer[][] = [];
    const by = random.chance(0.5) ? random.weighted(BY_PATTERNS) : undefined;
    if (by !== undefined) options.push([word(random.anyCase("by")), word(by)]);
    if (random.chance(0.3)) options.push(limit(random));
    const gets = random.weighted([
      [0, 5],
      [1, 4],
      [2, 2],
      [3, 1],
    ]);
    for (let i = 0; i < gets; i++) {
      options.push([
        word(random.anyCase("get")),
        word(random.weighted(GET_PATTERNS)),
      ]);
    }
    if (random.chance(0.3))
      options.push([word(random.anyCase(random.pick(["asc", "desc"])))]);
    let alpha = random.chance(0.4);
    const wantsStore =
      name === "SORT" ? random.chance(0.25) : random.chance(0.03);
    // ALPHA with a BY pattern leaves ties in an order no two servers
    // share: never stored (see the header).
    if (wantsStore && by?.includes("*") === true && name === "SORT")
      alpha = false;
    if (alpha) options.push([word(random.anyCase("alpha"))]);
    if (wantsStore)
      options.push([word(random.anyCase("store")), storeKey(random, source)]);
    if (random.chance(0.03))
      options.push([
        random.chance(0.5)
          ? word(random.anyCase(random.pick(["by", "get", "store", "limit"])))
          : anyWord(random),
      ]);
    const clearErrno = ["ZADD", "sort:errno", "XX", "0", "x"].map(word);
    return {
      args: [word(name), source, ...shuffled(random, options).flat()],
      companion: [word("OBJECT"), word("ENCODING"), source],
      ...(has("zadd") ? { prelude: clearErrno } : {}),
    };
  };
}

/** What a chapter has if it has SORT. */
const WITH_SORT = ["sort"];

export const SORT_GENERATORS: readonly CommandGenerator[] = [
  { command: "sort", weight: 14, generate: sort("SORT") },
  { command: "sort_ro", weight: 5, generate: sort("SORT_RO") },
  // The data SORT reads, only where SORT is.
  {
    command: "rpush",
    requires: WITH_SORT,
    weight: 2,
    generate: refill("list"),
  },
  { command: "sadd", requires: WITH_SORT, weight: 2, generate: refill("set") },
  { command: "zadd", requires: WITH_SORT, weight: 2, generate: refill("zset") },
  { command: "set", requires: WITH_SORT, weight: 4, generate: setWeight },
  { command: "hset", requires: WITH_SORT, weight: 3, generate: setHashWeight },
  { command: "del", requires: WITH_SORT, weight: 2, generate: dropWeight },
];
