/**
 * Hash commands (chapter 06): HSET, HMSET, HSETNX, HGET, HMGET, HDEL,
 * HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT,
 * HRANDFIELD and HSCAN; and OBJECT ENCODING, TYPE, COPY, RENAME and DEL
 * aimed at the keys hashes live on, so that encodings and copies are
 * compared too.
 *
 * Hashes live mostly on three keys of their own, and otherwise on the
 * shared pool (where SET and INCR meet them) and on the list keys
 * (WRONGTYPE, after whatever arguments Redis reads first). Fields come
 * from a small pool, so that writes update, HDEL finds what it deletes and
 * HINCRBY meets the numbers HSET wrote; values now and then pass 64 bytes,
 * and CONFIG SET (server.ts) lowers hash-max-listpack-entries and -value,
 * so that hashes convert to hash tables at every size.
 *
 * Replies in a hash table's order, and random ones, are compared by
 * normalise.ts, helped by a companion command sent right behind: OBJECT
 * ENCODING behind the whole-hash reads and HSCAN (a listpack's order must
 * be Redis's to the byte; only a hash table's may differ), HGETALL behind
 * HRANDFIELD (whose picks must be pairs of the hash). HRANDFIELD never
 * asks for millions of picks: Redis would send them all, and ours refuses
 * more than 2^20 (a deliberate limit).
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import {
  anyWord,
  floatText,
  integerText,
  key,
  pattern,
  value,
} from "./values.ts";
import { listKey } from "./lists.ts";

/** Keys only the hash commands use, besides the shared pool. */
const HASH_KEYS: readonly Buffer[] = ["hash", "user:1", "h\0"].map((text) =>
  Buffer.from(text, "latin1"),
);

/** A key for a hash command: mostly a hash key, else the pool's, now and then a list's. */
export function hashKey(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 14) return random.keyName(random.pick(HASH_KEYS));
  if (roll < 19) return key(random);
  return listKey(random);
}

/** Fields: a few short names (so commands meet), numbers, bytes, and lengths on both sides of 64. */
const FIELD_POOL: readonly string[] = [
  "a",
  "b",
  "c",
  "name",
  "count",
  "1",
  "-1",
  "",
  "\0",
  "a b",
  "\xff\r\n",
  "field:1",
  "9223372036854775807",
  "f".repeat(64),
  "f".repeat(65),
];

export function field(random: FuzzRandom): Buffer {
  return random.chance(0.9)
    ? word(random.pick(FIELD_POOL))
    : word(`f${random.below(40)}`);
}

/** Values: numbers (for HINCRBY and HINCRBYFLOAT), words, and now and then one too long for a listpack. */
function hashValue(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 6) return word(integerText(random));
  if (roll < 9) return word(floatText(random));
  if (roll < 15) return word(random.pick(["v", "hello", "", "x y", "\0"]));
  if (roll < 16) return word("v".repeat(random.pick([64, 65, 100])));
  return value(random);
}

/** `count` field-value pairs; now and then a long run of fresh fields, to pass the entries limit. */
function pairs(random: FuzzRandom, min: number, max: number): Buffer[] {
  if (random.chance(0.03)) {
    const count = random.between(20, 600);
    return Array.from({ length: count }, (_, i) => [
      word(`k${i}`),
      hashValue(random),
    ]).flat();
  }
  const count = random.between(min, max);
  return Array.from({ length: count }, () => [
    field(random),
    hashValue(random),
  ]).flat();
}

/** HSET or HMSET key field value [...]: now and then a value short, the arity error. */
function hset(name: string): CommandGenerator["generate"] {
  return (random) => {
    const args = [word(name), hashKey(random), ...pairs(random, 1, 4)];
    if (random.chance(0.02)) args.pop();
    return { args };
  };
}

/** A command on a key and 1 to `max` fields. */
function withFields(name: string, max: number): CommandGenerator["generate"] {
  return (random) => ({
    args: [
      word(name),
      hashKey(random),
      ...Array.from({ length: random.between(1, max) }, () => field(random)),
    ],
  });
}

/** A whole-hash read, with the key's encoding behind it: a listpack's order is compared exactly. */
function wholeHash(name: string): CommandGenerator["generate"] {
  return (random) => {
    const key = hashKey(random);
    return {
      args: [word(name), key],
      companion: [word("OBJECT"), word("ENCODING"), key],
    };
  };
}

/**
 * HRANDFIELD key [count [WITHVALUES]]: counts of both signs, around the
 * hash's size, and the edges Redis refuses (beyond ±LONG_MAX, and beyond
 * half of it with WITHVALUES). Never a valid negative count of millions,
 * not even one that WITHVALUES makes invalid: the arity mutation may drop
 * the option.
 */
function hrandfield(random: FuzzRandom): FuzzCommand {
  const key = hashKey(random);
  const args = [word("HRANDFIELD"), key];
  const companion = [word("HGETALL"), key];
  if (random.chance(0.2)) return { args, companion };
  args.push(...randomCountWords(random, "withvalues", "600"));
  return { args, companion };
}

/**
 * The words after the key of HRANDFIELD or ZRANDMEMBER (one algorithm in
 * Redis): a count of either sign, around a collection's size, or one of
 * the edges Redis refuses (beyond ±LONG_MAX, beyond half of it with the
 * option), `beyond` for a count past the collection; half the time the
 * option (`withWord`), now and then misspelt; rarely one word too many.
 */
export function randomCountWords(
  random: FuzzRandom,
  withWord: string,
  beyond: string,
): Buffer[] {
  const words: Buffer[] = [];
  const count = random.chance(0.8)
    ? String(random.between(-12, 12))
    : random.pick([
        beyond,
        `-${beyond}`,
        "9223372036854775807",
        "-9223372036854775808",
        "4611686018427387903",
        "4611686018427387904",
        "1.5",
        "abc",
        "",
      ]);
  words.push(word(count));
  if (random.chance(0.5)) {
    words.push(
      word(
        random.chance(0.9)
          ? random.anyCase(withWord)
          : random.pick([withWord.slice(0, -1), "", `${withWord}\0x`]),
      ),
    );
  }
  if (random.chance(0.03)) words.push(anyWord(random));
  return words;
}

/** HSCAN key cursor [MATCH pattern] [COUNT count], with the key's encoding behind it. */
function hscan(random: FuzzRandom): FuzzCommand {
  const key = hashKey(random);
  const cursor = random.chance(0.8)
    ? "0"
    : random.pick(["1", "12345", "-1", "abc", "18446744073709551616", ""]);
  const args = [word("HSCAN"), key, word(cursor)];
  const options = random.weighted([
    [0, 3],
    [1, 4],
    [2, 2],
  ]);
  for (let i = 0; i < options; i++) {
    const roll = random.below(10);
    if (roll < 4) {
      args.push(word(random.anyCase("match")), pattern(random));
    } else if (roll < 8) {
      args.push(
        word(random.anyCase("count")),
        word(
          random.chance(0.8)
            ? String(random.pick([1, 2, 10, 100, 2000]))
            : random.pick(["0", "-1", "abc", ""]),
        ),
      );
    } else if (roll < 9) {
      args.push(word(random.anyCase(random.pick(["count", "match", "type"]))));
    } else {
      args.push(anyWord(random));
    }
  }
  return { args, companion: [word("OBJECT"), word("ENCODING"), key] };
}

/** What a chapter has if it has hashes. */
const WITH_HASHES = ["hset"];

export const HASH_GENERATORS: readonly CommandGenerator[] = [
  { command: "hset", weight: 20, generate: hset("HSET") },
  { command: "hmset", weight: 4, generate: hset("HMSET") },
  {
    command: "hsetnx",
    weight: 8,
    generate: (random) => ({
      args: [word("HSETNX"), hashKey(random), field(random), hashValue(random)],
    }),
  },
  {
    command: "hget",
    weight: 10,
    generate: (random) => ({
      args: [word("HGET"), hashKey(random), field(random)],
    }),
  },
  { command: "hmget", weight: 6, generate: withFields("HMGET", 4) },
  { command: "hdel", weight: 10, generate: withFields("HDEL", 3) },
  {
    command: "hlen",
    weight: 6,
    generate: (random) => ({ args: [word("HLEN"), hashKey(random)] }),
  },
  {
    command: "hstrlen",
    weight: 5,
    generate: (random) => ({
      args: [word("HSTRLEN"), hashKey(random), field(random)],
    }),
  },
  {
    command: "hexists",
    weight: 5,
    generate: (random) => ({
      args: [word("HEXISTS"), hashKey(random), field(random)],
    }),
  },
  { command: "hkeys", weight: 5, generate: wholeHash("HKEYS") },
  { command: "hvals", weight: 5, generate: wholeHash("HVALS") },
  { command: "hgetall", weight: 8, generate: wholeHash("HGETALL") },
  {
    command: "hincrby",
    weight: 8,
    generate: (random) => ({
      args: [
        word("HINCRBY"),
        hashKey(random),
        field(random),
        word(integerText(random)),
      ],
    }),
  },
  {
    command: "hincrbyfloat",
    weight: 8,
    generate: (random) => ({
      args: [
        word("HINCRBYFLOAT"),
        hashKey(random),
        field(random),
        word(floatText(random)),
      ],
    }),
  },
  { command: "hrandfield", weight: 8, generate: hrandfield },
  { command: "hscan", weight: 6, generate: hscan },

  // Key commands on the hash keys: the shared pool's generators never
  // reach them.
  {
    command: "object",
    requires: WITH_HASHES,
    weight: 5,
    generate: (random) => ({
      args: [word("OBJECT"), word(random.anyCase("encoding")), hashKey(random)],
    }),
  },
  {
    command: "type",
    requires: WITH_HASHES,
    weight: 2,
    generate: (random) => ({ args: [word("TYPE"), hashKey(random)] }),
  },
  {
    command: "del",
    requires: WITH_HASHES,
    weight: 2,
    generate: (random) => ({ args: [word("DEL"), hashKey(random)] }),
  },
  {
    command: "copy",
    requires: WITH_HASHES,
    weight: 2,
    generate: (random) => {
      const args = [word("COPY"), hashKey(random), hashKey(random)];
      if (random.chance(0.5)) args.push(word(random.anyCase("replace")));
      return { args };
    },
  },
  {
    command: "rename",
    requires: WITH_HASHES,
    weight: 1,
    generate: (random) => ({
      args: [word("RENAME"), hashKey(random), hashKey(random)],
    }),
  },
];
