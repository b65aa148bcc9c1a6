/**
 * Set commands (chapter 06): SADD, SREM, SCARD, SISMEMBER, SMISMEMBER,
 * SMEMBERS, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE,
 * SDIFF, SDIFFSTORE, SPOP, SRANDMEMBER and SSCAN; and OBJECT ENCODING,
 * TYPE, COPY, RENAME and DEL aimed at the keys sets live on, so that
 * encodings and copies are compared too.
 *
 * Sets live mostly on four keys of their own, and otherwise on the shared
 * pool (where SET and INCR meet them) and on the list keys (WRONGTYPE).
 * Members come from a small pool that mixes integers, at the edges of
 * every intset width, with words and with texts that look like integers
 * but are not (`007`, `-0`, `+1`): sets go from intset to hash table at
 * the first word, and now and then a long run of integers takes one past
 * 512; CONFIG SET (server.ts) lowers set-max-intset-entries, so that
 * they convert at every size.
 *
 * Replies in a hash table's order, and random ones, are compared by
 * normalise.ts, helped by a companion command sent right behind: OBJECT
 * ENCODING behind SMEMBERS and SSCAN (an intset's order must be Redis's to
 * the byte), SMEMBERS behind SRANDMEMBER (whose picks must be members).
 * SPOP takes members at random, so the two servers' sets differ after it:
 * its companion is a DEL of the key, which brings them back together
 * (and whose answer says whether SPOP took the whole set). SRANDMEMBER
 * never asks for millions of picks: Redis would send them all, and ours
 * refuses more than 2^20 (a deliberate limit).
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key, pattern, value } from "./values.ts";
import { listKey } from "./lists.ts";

/** Keys only the set commands use, besides the shared pool. */
const SET_KEYS: readonly Buffer[] = ["set", "tags", "nums", "s\0"].map((text) =>
  Buffer.from(text, "latin1"),
);

/** A key for a set command: mostly a set key, else the pool's, now and then a list's. */
export function setKey(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 14) return random.keyName(random.pick(SET_KEYS));
  if (roll < 19) return key(random);
  return listKey(random);
}

/** Between `min` and `max` set keys. */
function setKeys(random: FuzzRandom, min: number, max: number): Buffer[] {
  return Array.from({ length: random.between(min, max) }, () => setKey(random));
}

/**
 * Members: the edges of each intset width (16, 32 and 64 bits), words,
 * bytes, and texts an intset must not take for integers.
 */
const MEMBER_POOL: readonly string[] = [
  "0",
  "1",
  "2",
  "3",
  "-1",
  "42",
  "32767",
  "32768",
  "-32768",
  "-32769",
  "2147483647",
  "2147483648",
  "-2147483649",
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775808",
  "007",
  "-0",
  "+1",
  " 1",
  "1.0",
  "a",
  "b",
  "c",
  "x",
  "",
  "\0",
  "a b",
  "\xff\r\n",
];

export function member(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 9) return word(String(random.between(-10, 10)));
  if (roll < 19) return word(random.pick(MEMBER_POOL));
  return value(random);
}

/** `min` to `max` members; now and then a long run of integers, past 512 at times. */
function members(random: FuzzRandom, min: number, max: number): Buffer[] {
  if (random.chance(0.02)) {
    const start = random.between(-100, 100);
    return Array.from({ length: random.between(20, 700) }, (_, i) =>
      word(String(start + i)),
    );
  }
  return Array.from({ length: random.between(min, max) }, () => member(random));
}

/** A command on a key and 1 to `max` members. */
function withMembers(name: string, max: number): CommandGenerator["generate"] {
  return (random) => ({
    args: [word(name), setKey(random), ...members(random, 1, max)],
  });
}

/** A whole-set read, with the key's encoding behind it: an intset's order is compared exactly. */
function wholeSet(name: string): CommandGenerator["generate"] {
  return (random) => {
    const key = setKey(random);
    return {
      args: [word(name), key],
      companion: [word("OBJECT"), word("ENCODING"), key],
    };
  };
}

/** SINTER, SUNION or SDIFF key [key ...], or their STORE: a destination first. */
function algebra(name: string, store: boolean): CommandGenerator["generate"] {
  return (random) => ({
    args: [
      word(name),
      ...(store ? [setKey(random)] : []),
      ...setKeys(random, 1, 3),
    ],
  });
}

/**
 * SINTERCARD numkeys key [key ...] [LIMIT limit]: numkeys right, short,
 * long, zero, negative or not a number; LIMIT of every kind, repeated or
 * missing its number.
 */
function sintercard(random: FuzzRandom): FuzzCommand {
  const keys = setKeys(random, 1, 3);
  const numkeys = random.chance(0.8)
    ? String(keys.length)
    : random.pick([
        String(keys.length + 1),
        String(keys.length - 1),
        "-1",
        "9223372036854775808",
        "abc",
        "",
      ]);
  const args = [word("SINTERCARD"), word(numkeys), ...keys];
  const options = random.weighted([
    [0, 5],
    [1, 4],
    [2, 1],
  ]);
  for (let i = 0; i < options; i++) {
    const roll = random.below(10);
    if (roll < 8) {
      args.push(
        word(random.anyCase("limit")),
        word(
          random.chance(0.8)
            ? String(random.between(0, 6))
            : random.pick(["-1", "abc", "9223372036854775807", ""]),
        ),
      );
    } else if (roll < 9) args.push(word(random.anyCase("limit")));
    else args.push(anyWord(random));
  }
  return { args };
}

/** A count for SPOP: mostly small, around a set's size, and the edges Redis refuses. */
function popCount(random: FuzzRandom): string {
  return random.chance(0.8)
    ? String(random.between(0, 12))
    : random.pick([
        "600",
        "-1",
        "9223372036854775807",
        "9223372036854775808",
        "1.0",
        "abc",
        "",
      ]);
}

/** SPOP key [count], and DEL of the key behind it: see the header. */
function spop(random: FuzzRandom): FuzzCommand {
  const key = setKey(random);
  const args = [word("SPOP"), key];
  if (random.chance(0.6)) args.push(word(popCount(random)));
  return { args, companion: [word("DEL"), key] };
}

/**
 * SRANDMEMBER key [count]: counts of both signs, around the set's size,
 * and the edges Redis refuses. Never a valid negative count of millions.
 */
function srandmember(random: FuzzRandom): FuzzCommand {
  const key = setKey(random);
  const args = [word("SRANDMEMBER"), key];
  const companion = [word("SMEMBERS"), key];
  if (random.chance(0.2)) return { args, companion };
  const count = random.chance(0.8)
    ? String(random.between(-12, 12))
    : random.pick([
        "600",
        "-600",
        "9223372036854775807",
        "-9223372036854775808",
        "1.5",
        "abc",
        "",
      ]);
  args.push(word(count));
  if (random.chance(0.03)) args.push(anyWord(random));
  return { args, companion };
}

/**
 * One option of an element scan (SSCAN here; HSCAN's are the same words),
 * valid or not: MATCH or COUNT with a value, one of them (or SCAN's TYPE)
 * without, or junk.
 */
export function scanOption(random: FuzzRandom): Buffer[] {
  const roll = random.below(10);
  if (roll < 4) return [word(random.anyCase("match")), pattern(random)];
  if (roll >= 8) {
    return roll === 8
      ? [word(random.anyCase(random.pick(["count", "match", "type"])))]
      : [anyWord(random)];
  }
  const count = random.chance(0.8)
    ? String(random.pick([1, 2, 10, 100, 2000]))
    : random.pick(["0", "-1", "abc", ""]);
  return [word(random.anyCase("count")), word(count)];
}

/** SSCAN key cursor [MATCH pattern] [COUNT count], with the key's encoding behind it. */
function sscan(random: FuzzRandom): FuzzCommand {
  const key = setKey(random);
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
      word("SSCAN"),
      key,
      word(cursor),
      ...Array.from({ length: options }, () => scanOption(random)).flat(),
    ],
    companion: [word("OBJECT"), word("ENCODING"), key],
  };
}

/** SMOVE source destination member: onto the same key one time in five. */
function smove(random: FuzzRandom): FuzzCommand {
  const source = setKey(random);
  const destination = random.chance(0.2) ? source : setKey(random);
  return { args: [word("SMOVE"), source, destination, member(random)] };
}

/** What a chapter has if it has sets. */
const WITH_SETS = ["sadd"];

/** A command on the set keys: its name (as COMMAND names it), weight and words. */
type OnSetKeys = [string, number, (random: FuzzRandom) => Buffer[]];

/** OBJECT ENCODING, TYPE, COPY, RENAME and DEL on the set keys. */
const ON_SET_KEYS: readonly CommandGenerator[] = (
  [
    [
      "object",
      6,
      (r) => [word("OBJECT"), word(r.anyCase("encoding")), setKey(r)],
    ],
    ["type", 2, (r) => [word("TYPE"), setKey(r)]],
    ["copy", 1, (r) => [word("COPY"), setKey(r), setKey(r)]],
    [
      "copy",
      1,
      (r) => [word("COPY"), setKey(r), setKey(r), word(r.anyCase("replace"))],
    ],
    ["rename", 1, (r) => [word("RENAME"), setKey(r), setKey(r)]],
    ["del", 2, (r) => [word("DEL"), setKey(r)]],
  ] satisfies OnSetKeys[]
).map(([command, weight, words]) => ({
  command,
  requires: WITH_SETS,
  weight,
  generate: (random) => ({ args: words(random) }),
}));

export const SET_GENERATORS: readonly CommandGenerator[] = [
  { command: "sadd", weight: 25, generate: withMembers("SADD", 4) },
  { command: "srem", weight: 10, generate: withMembers("SREM", 3) },
  {
    command: "scard",
    weight: 5,
    generate: (random) => ({ args: [word("SCARD"), setKey(random)] }),
  },
  {
    command: "sismember",
    weight: 6,
    generate: (random) => ({
      args: [word("SISMEMBER"), setKey(random), member(random)],
    }),
  },
  { command: "smismember", weight: 5, generate: withMembers("SMISMEMBER", 4) },
  { command: "smembers", weight: 10, generate: wholeSet("SMEMBERS") },
  { command: "smove", weight: 6, generate: smove },
  { command: "sinter", weight: 6, generate: algebra("SINTER", false) },
  { command: "sintercard", weight: 5, generate: sintercard },
  { command: "sinterstore", weight: 5, generate: algebra("SINTERSTORE", true) },
  { command: "sunion", weight: 6, generate: algebra("SUNION", false) },
  { command: "sunionstore", weight: 5, generate: algebra("SUNIONSTORE", true) },
  { command: "sdiff", weight: 6, generate: algebra("SDIFF", false) },
  { command: "sdiffstore", weight: 5, generate: algebra("SDIFFSTORE", true) },
  { command: "spop", weight: 6, generate: spop },
  { command: "srandmember", weight: 8, generate: srandmember },
  { command: "sscan", weight: 6, generate: sscan },
  ...ON_SET_KEYS,
];
