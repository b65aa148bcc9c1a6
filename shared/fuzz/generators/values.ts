/**
 * The raw material every generator draws from: keys, values, numbers,
 * patterns, database numbers, passwords, durations.
 *
 * The pools are small on purpose. A fuzzer that invents a fresh key for
 * every command never finds two commands meeting on one key; with about
 * twenty keys, SET, INCR, RENAME and EXPIRE keep running into each other's
 * results, wrong types included. The awkward members are the point: NUL,
 * CR LF, bytes above 0x7f, glob characters, the empty key, numbers at every
 * edge of 64 bits and of a double, text that almost parses as a number.
 */
import type { FuzzRandom } from "../random.ts";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

/** Keys, most-used first: `key()` favours the head of the list, so collisions are frequent. */
const KEY_POOL: readonly Buffer[] = [
  bytes("a"),
  bytes("b"),
  bytes("counter"),
  bytes("key:1"),
  bytes(""),
  bytes("\0"),
  bytes("a\0b"),
  bytes("k\r\n"),
  bytes("\r\n"),
  bytes("\xff\xfe"),
  Buffer.from("é", "utf8"),
  bytes("*"),
  bytes("a*"),
  bytes("[a]"),
  bytes("\\"),
  bytes("with space"),
  bytes("123"),
  bytes("-1"),
  bytes("x".repeat(100)),
  bytes("key:2"),
];

/** One key from the pool; three times in four, one of the first six. */
export function key(random: FuzzRandom): Buffer {
  return random.keyName(
    random.chance(0.75) ? KEY_POOL[random.below(6)]! : random.pick(KEY_POOL),
  );
}

/** Between `min` and `max` keys, repeats allowed (`DEL a a` counts once in Redis). */
export function keys(random: FuzzRandom, min: number, max: number): Buffer[] {
  const count = random.between(min, max);
  return Array.from({ length: count }, () => key(random));
}

/** Integers as text, with every edge of int64, a double's 2^53, and near misses. */
const INTEGER_POOL: readonly string[] = [
  "0",
  "1",
  "-1",
  "2",
  "10",
  "-10",
  "100",
  "12345",
  "9223372036854775807", // 2^63-1
  "-9223372036854775808", // -2^63
  "9223372036854775806",
  "-9223372036854775807",
  "9223372036854775808", // 2^63: out of range
  "-9223372036854775809",
  "18446744073709551615", // 2^64-1
  "18446744073709551616",
  "9007199254740992", // 2^53
  "9007199254740993",
  "-9007199254740993",
  "4294967296",
  "2147483647",
  "-2147483648",
  "99999999999999999999999",
  "-0",
  "007",
  "+1",
  " 1",
  "1 ",
  "1.0",
  "1e3",
  "0x10",
  "",
  "abc",
  "1\0",
  "3.7",
];

/** An integer argument, usually a valid one. */
export function integerText(random: FuzzRandom): string {
  if (random.chance(0.35)) return String(random.between(-20, 20));
  return random.pick(INTEGER_POOL);
}

/** Doubles and long doubles as text: overflow, underflow, infinities, NaN, almost-numbers. */
const FLOAT_POOL: readonly string[] = [
  "0",
  "0.1",
  "0.2",
  "-0.1",
  "1.5",
  "3.0e3",
  "1e308",
  "-1e308",
  "1.7976931348623157e308",
  "2e308",
  "1e4000",
  "-1e4000",
  "1e4932",
  "1e-4950",
  "5e-324",
  "1e-320",
  "inf",
  "-inf",
  "+inf",
  "Infinity",
  "nan",
  "-nan",
  "0x1p3",
  "0x10",
  "1e",
  ".",
  "-.5",
  "5.",
  " 1",
  "1 ",
  "",
  "1.0e+5",
  "123456789012345678901234567890",
  "9223372036854775807",
  "-9223372036854775808",
  "0.30000000000000004",
  "1\0",
];

/** A floating-point argument (INCRBYFLOAT's increment). */
export function floatText(random: FuzzRandom): string {
  if (random.chance(0.2)) return integerText(random);
  return random.pick(FLOAT_POOL);
}

/** Values: numbers (so INCR meets them), text, binary, now and then a longer one. */
export function value(random: FuzzRandom): Buffer {
  const roll = random.below(100);
  if (roll < 30) return bytes(integerText(random));
  if (roll < 40) return bytes(floatText(random));
  if (roll < 60) return bytes(random.pick(["v", "hello", "", "x y", "é"]));
  if (roll < 75) return random.pick(KEY_POOL);
  if (roll < 95) return random.bytes(random.between(0, 12));
  return random.bytes(random.between(100, 2000));
}

/**
 * Glob patterns for KEYS, SCAN MATCH and CONFIG GET: the pool's keys
 * themselves (a key is a pattern that matches itself, unless it holds a
 * glob character), classes, ranges, escapes and broken brackets.
 */
const PATTERN_POOL: readonly string[] = [
  "*",
  "a*",
  "*a",
  "?",
  "??",
  "*1",
  "key:?",
  "[a-c]*",
  "[^a]*",
  "[!a]",
  "[ab",
  "[",
  "[]]",
  "[a-]",
  "\\*",
  "\\",
  "*\\",
  "a\\*",
  "\0*",
  "*\r\n",
  "*\xff*",
  "[\xfe-\xff]*",
  "*:*",
  "",
  "h?llo",
  "[z-a]",
  "A*",
];

export function pattern(random: FuzzRandom): Buffer {
  const roll = random.below(10);
  if (roll < 6) return bytes(random.pick(PATTERN_POOL));
  if (roll < 8) return key(random);
  // Two pieces glued: a pool pattern around a key.
  return Buffer.concat([
    bytes(random.pick(PATTERN_POOL)),
    key(random),
    bytes(random.pick(["", "*", "?"])),
  ]);
}

/** A database number: mostly the first few, sometimes any of 16, sometimes not one at all. */
export function database(random: FuzzRandom, databases: number): string {
  const roll = random.below(100);
  if (roll < 60) return String(random.below(Math.min(4, databases)));
  if (roll < 80) return String(random.below(databases));
  return random.pick([
    String(databases),
    "-1",
    "2147483648",
    "9223372036854775808",
    "1.5",
    "abc",
    "",
    " 1",
    "+1",
    "01",
    "0x1",
  ]);
}

/** Passwords: few, so that AUTH guesses the one CONFIG SET chose fairly often. */
const PASSWORD_POOL: readonly string[] = ["", "secret", "p\r\nw", "\0"];

export function password(random: FuzzRandom): Buffer {
  return bytes(random.pick(PASSWORD_POOL));
}

/**
 * A client name: valid ones (visible ASCII, no spaces) and the characters
 * Redis refuses.
 */
export function clientName(random: FuzzRandom): Buffer {
  return bytes(
    random.pick([
      "app",
      "worker-1",
      "",
      "with space",
      "new\nline",
      "caf\xe9",
      "\x7f",
      "~!@#$%^&*()",
    ]),
  );
}

/** Any word at all: for a wrong number of arguments, or an option that is not one. */
export function anyWord(random: FuzzRandom): Buffer {
  const roll = random.below(4);
  if (roll === 0) return key(random);
  if (roll === 1) return bytes(integerText(random));
  // Options every chapter that has the command knows, and one nobody does;
  // Redis compares options as C strings, so `nx\0junk` is NX. (Not EX or
  // PX: before chapter 04, `SET k v PX 5` is refused on purpose.)
  if (roll === 2)
    return bytes(
      random.anyCase(
        random.pick([
          "nx",
          "xx",
          "get",
          "count",
          "match",
          "replace",
          "foo",
          "nx\0junk",
          "\0",
        ]),
      ),
    );
  return random.bytes(random.between(0, 6));
}

/**
 * A duration, an absolute time or a deadline-shaped mistake, and whether
 * it makes a key lapse: at once (`past`) or within milliseconds (`soon`).
 *
 * Deadlines are only ever in the past, a few milliseconds away, or at
 * least a day away (nothing expires during a run). Anything in between
 * would expire at a moment that depends on how fast each server runs, and
 * the two would drift apart for reasons that are nobody's bug. A key whose
 * deadline is past or near is looked up by the runner right after (having
 * waited out a near one), so that both servers delete it at the same point
 * of the stream: a key past its deadline still counts in DBSIZE until a
 * lookup or the active expiry cycle removes it, and that cycle runs on
 * each server's own schedule.
 */
export interface Deadline {
  readonly text: string;
  readonly lapse?: Lapse;
}

export type Lapse = "past" | "soon";

/** The later-acting of two lapses: waiting for a near one covers a past one too. */
export function laterLapse(
  a: Lapse | undefined,
  b: Lapse | undefined,
): Lapse | undefined {
  return a === "soon" || b === "soon" ? "soon" : (a ?? b);
}

/** A deadline argument that is a plain integer at or below `pastBelow` lapses at once. */
function deadline(text: string, pastBelow: number): Deadline {
  return /^-?\d+$/.test(text) && Number(text) <= pastBelow
    ? { text, lapse: "past" }
    : { text };
}

/** Out-of-range and malformed values every deadline argument meets. */
const BAD_DEADLINES: readonly string[] = [
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775808",
  "9223372036854775",
  "9223372036854776",
  "4611686018427387904",
  "-4611686018427387904",
  "1.5",
  "abc",
  "",
  " 100000",
  "+100000",
  "1e5",
  "0x10",
];

/** A relative time in seconds (EXPIRE, SETEX, SET EX). */
export function seconds(random: FuzzRandom): Deadline {
  const text = random.weighted<() => string>([
    [() => random.pick(["0", "-1", "-100"]), 2],
    [() => String(random.between(86_400, 100_000_000)), 5],
    [() => random.pick(["9223372036854", "100000000000"]), 1],
    [() => random.pick(BAD_DEADLINES), 2],
  ])();
  return deadline(text, 0);
}

/** A relative time in milliseconds (PEXPIRE, PSETEX, SET PX); now and then a few ms. */
export function milliseconds(random: FuzzRandom): Deadline {
  if (random.chance(0.03)) {
    return { text: String(random.between(1, 10)), lapse: "soon" };
  }
  const text = random.weighted<() => string>([
    [() => random.pick(["0", "-1", "-100"]), 2],
    [() => String(random.between(86_400_000, 100_000_000_000)), 5],
    [() => random.pick(["9223372036854775", "100000000000000"]), 1],
    [() => random.pick(BAD_DEADLINES), 2],
  ])();
  return deadline(text, 0);
}

/** Unix times in seconds: long past, or from 2100 on. */
export function unixSeconds(random: FuzzRandom): Deadline {
  const text = random.weighted<() => string>([
    [() => random.pick(["1", "1000000000", "1700000000", "0", "-1"]), 3],
    [() => random.pick(["4102444800", "253402300799", "32503680000"]), 4],
    [() => random.pick(BAD_DEADLINES), 2],
  ])();
  return deadline(text, 1_700_000_000);
}

/** Unix times in milliseconds: long past, or from 2100 on. */
export function unixMilliseconds(random: FuzzRandom): Deadline {
  const text = random.weighted<() => string>([
    [() => random.pick(["1", "1000000000000", "1700000000000", "0", "-1"]), 3],
    [
      () => random.pick(["4102444800000", "253402300799999", "4102444800123"]),
      4,
    ],
    [() => random.pick(BAD_DEADLINES), 2],
  ])();
  return deadline(text, 1_700_000_000_000);
}

/** The expiry options of SET and GETEX, with a well-formed or broken argument. */
export function expiryOption(random: FuzzRandom): {
  words: string[];
  lapse?: Lapse;
} {
  const option = random.pick(["ex", "px", "exat", "pxat"] as const);
  const when =
    option === "ex"
      ? seconds(random)
      : option === "px"
        ? milliseconds(random)
        : option === "exat"
          ? unixSeconds(random)
          : unixMilliseconds(random);
  const words = [random.anyCase(option), when.text];
  return when.lapse === undefined ? { words } : { words, lapse: when.lapse };
}
