/**
 * DUMP and RESTORE (chapter 08): DUMP of whatever the stream has put in
 * a key, and RESTORE of payloads that real redis-server 7.0.15 wrote (one
 * of every type and encoding, kept here as hex), whole or damaged, with
 * every option and every mistake in them.
 *
 * Both servers get the same payload, so both must make the same key of
 * it, or refuse it with the same error. A DUMP reply is compared byte for
 * byte; where two correct servers may write different bytes (a hash
 * table's order), by contents (normalise.ts, "dump-contents").
 *
 * TTLs are 0, far away, or already past (ABSTTL 1: no key at all), never
 * a few milliseconds: a key that expires mid-stream would need the
 * runner's lapse handling, which RESTORE's TTL does not need to prove.
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key } from "./values.ts";

/** Payloads from redis-server 7.0.15's DUMP, by what they hold. */
const REDIS_PAYLOADS: readonly (readonly [string, string])[] = [
  ["integer string", "00c0d60a00bcf2d2acd2eebeaa"],
  ["32-bit integer string", "00c2d20296490a0002a479f6c2d5670a"],
  ["short string", "000568656c6c6f0a006372df766534200a"],
  ["binary string", "000500ff0d0a800a00c8ffe38f0bdb8604"],
  ["compressed string", "00c30b40b40361626361e0a5020162630a002b5b6bac6c26c36d"],
  [
    "small list",
    "120102c31931113100000004008161020701f290eefe049e78e01400011fff0a00532b9046955897b0",
  ],
  [
    "list of two nodes",
    "120202c3406d5ff90bf91f0000f90f000101010201e0ff05e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1ff07e1f2070101ff02c32547250b250700008f03000101010201e0ff05e1ff07e1ff07e1ff07e1ff07e1ff07e1de070101ff0a00b85f0881a27b936c",
  ],
  [
    "intset",
    "0b140400000003000000feffffff01000000e09304000a00c1a88fb6df40a557",
  ],
  ["hashtable set", "02030162016101630a0099cc80dd5982d255"],
  [
    "listpack hash",
    "1012120000000400816602817602816e020501ff0a008490939f57b4f3c2",
  ],
  [
    "hashtable hash",
    "040201660176046c6f6e67c3094046017a7ae03900017a7a0a006dd560492350b19c",
  ],
  [
    "listpack zset",
    "111d1d0000000600816302842d696e6605816102010181620283322e3504ff0a003992339be11f323d",
  ],
  [
    "skiplist zset",
    "0502c3094046016d6de03900016d6d00000000000000400161000000000000f03f0a008ab3300a7fa9cc92",
  ],
];

const PAYLOADS = REDIS_PAYLOADS.map(([, hex]) => Buffer.from(hex, "hex"));

/** A payload from Redis, or one damaged in a way Redis must notice. */
function payload(random: FuzzRandom): Buffer {
  const good = random.pick(PAYLOADS);
  const damage = random.weighted([
    ["none", 12],
    ["byte", 2],
    ["cut", 1],
    ["zero-crc", 1],
    ["newer-version", 1],
    ["garbage", 1],
  ] as const);
  const copy = Buffer.from(good);
  switch (damage) {
    case "none":
      return copy;
    case "byte": {
      const at = random.below(copy.length);
      copy[at] = copy[at]! ^ (1 + random.below(255));
      return copy;
    }
    case "cut":
      return copy.subarray(0, random.below(copy.length));
    case "zero-crc":
      return Buffer.concat([copy.subarray(0, -8), Buffer.alloc(8)]);
    case "newer-version":
      copy[copy.length - 10] = 11;
      return copy;
    case "garbage":
      return anyWord(random);
  }
}

/** RESTORE's TTL: none, far away, or a mistake. */
function ttl(random: FuzzRandom): string {
  return random.weighted([
    ["0", 12],
    ["100000000", 3],
    ["-1", 1],
    ["abc", 1],
    ["9223372036854775808", 1],
  ]);
}

/** Options, sometimes with a mistake: IDLETIME and FREQ together, bad values. */
function options(random: FuzzRandom): string[] {
  const words: string[] = [];
  const count = random.weighted([
    [0, 6],
    [1, 3],
    [2, 1],
  ]);
  for (let i = 0; i < count; i++) {
    words.push(
      ...random.pick([
        ["REPLACE"],
        ["replace"],
        ["IDLETIME", String(random.below(1000))],
        ["IDLETIME", random.pick(["-1", "x", "100000000"])],
        ["FREQ", String(random.below(256))],
        ["FREQ", random.pick(["256", "-1", "x"])],
        ["IDLETIME"],
        ["BOGUS"],
      ]),
    );
  }
  return words;
}

/** RESTORE or RESTORE-ASKING with a payload from Redis, a TTL and options. */
function restore(name: string, random: FuzzRandom): FuzzCommand {
  // Sometimes an absolute TTL: already past (no key), or far away.
  const absolute = random.chance(0.15);
  const deadline = absolute
    ? random.pick(["1", "99999999999999"])
    : ttl(random);
  const extra = [...(absolute ? ["ABSTTL"] : []), ...options(random)];
  return {
    args: [
      word(name),
      key(random),
      word(deadline),
      payload(random),
      ...extra.map(word),
    ],
  };
}

export const DUMP_GENERATORS: readonly CommandGenerator[] = [
  {
    command: "dump",
    weight: 8,
    generate: (random) => ({ args: [word("DUMP"), key(random)] }),
  },
  {
    command: "restore",
    weight: 8,
    generate: (random) => restore("RESTORE", random),
  },
  {
    command: "restore-asking",
    weight: 2,
    generate: (random) => restore("RESTORE-ASKING", random),
  },
];
