/**
 * Cluster commands (chapter 08): CLUSTER and its subcommands, ASKING,
 * READONLY and READWRITE.
 *
 * In a cluster run (`npm run fuzz -- 08 --cluster`) both servers are a
 * cluster of one node that owns all 16384 slots, under the same node id
 * (cluster-mode.ts), so that every answer can be compared, ids included.
 * These generators ask what such a node can tell: the slot of a key
 * (KEYSLOT, with hash tags in every odd place), how many keys a slot has
 * and which (COUNTKEYSINSLOT, GETKEYSINSLOT, on the slots the keys live
 * in), INFO, NODES, SLOTS, SHARDS, the epochs (SET-CONFIG-EPOCH,
 * BUMPEPOCH), and every way to get a slot, an address or a node id wrong.
 *
 * They never change which slots the node owns: a change there takes
 * effect on Redis's next event-loop turn, a moment that two servers do
 * not share. So ADDSLOTS only asks for slots the node owns (busy), and
 * DELSLOTS, DELSLOTSRANGE, MEET and RESET always carry a mistake that
 * Redis finds before it changes anything, and are never cut short (the
 * stream's wrong arities would drop the mistake: `keepArity`);
 * FLUSHSLOTS (which empties an empty node) and a valid MEET (a handshake
 * with nobody) are left out.
 *
 * Outside a cluster run, every one of these commands answers "ERR This
 * instance has cluster support disabled" (chapter 08 with cluster mode
 * off, as Redis): one generator per command checks that.
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key } from "./values.ts";
import { keySlot, MAIN_TAG, OTHER_TAG } from "../cluster-keys.ts";
import { FUZZ_NODE_ID } from "../cluster-mode.ts";

/** Keys whose tag is somewhere odd, for KEYSLOT: Redis hashes only the first non-empty `{...}`. */
const ODD_TAGS: readonly string[] = [
  "{}",
  "{",
  "}",
  "}{",
  "{a",
  "a}",
  "{}{a}",
  "{{a}}",
  "a{b}c{d}",
  "{a}{b}",
  "x{}y{z}",
  "{\0}",
  "{é}",
  "foo",
  "{user1000}.following",
  "foo{{bar}}zap",
  "123456789",
];

/** A slot number as text: mostly one where keys live, else any slot, or one that is not. */
function slotText(random: FuzzRandom): string {
  const roll = random.below(20);
  if (roll < 8) return String(keySlot(word(MAIN_TAG)));
  if (roll < 12) return String(keySlot(key(random)));
  if (roll < 14) return String(keySlot(word(OTHER_TAG)));
  if (roll < 17) return String(random.between(0, 16383));
  return random.pick([
    "16383",
    "0",
    "16384",
    "-1",
    "abc",
    "",
    "1.5",
    "9223372036854775808",
    " 1",
  ]);
}

/** A count for GETKEYSINSLOT: a few, many, none, or not a count. */
function countText(random: FuzzRandom): string {
  if (random.chance(0.8)) return String(random.between(0, 10));
  return random.pick(["1000", "-1", "abc", "", "9223372036854775807", "1.0"]);
}

/** A node id: this node's, or one nobody has, well formed or not. */
function nodeId(random: FuzzRandom): string {
  return random.weighted([
    [FUZZ_NODE_ID, 3],
    ["0123456789abcdef0123456789abcdef01234567", 2],
    [FUZZ_NODE_ID.toUpperCase(), 1],
    [FUZZ_NODE_ID.slice(0, 20), 1],
    ["", 1],
    ["abc", 1],
  ]);
}

/** `CLUSTER sub ...` with the subcommand in any letter case. */
function cluster(random: FuzzRandom, sub: string, ...rest: string[]): Buffer[] {
  return [word("CLUSTER"), word(random.anyCase(sub)), ...rest.map(word)];
}

/** Slots the node owns, at least one of them (ADDSLOTS finds them busy). */
function ownedSlots(random: FuzzRandom): string[] {
  return Array.from({ length: random.between(1, 3) }, () =>
    String(random.between(0, 16383)),
  );
}

/**
 * Slots for DELSLOTS with a mistake in them: a slot out of range or not a
 * number, or one named twice. Redis reads every argument first, so the
 * node keeps all its slots.
 */
function slotsWithAMistake(random: FuzzRandom): string[] {
  const slots = ownedSlots(random);
  const at = random.between(0, slots.length);
  const mistake = random.chance(0.5)
    ? random.pick(["16384", "-1", "abc", "", "99999"])
    : slots[random.below(slots.length)]!;
  slots.splice(at, 0, mistake);
  return slots;
}

/** Range pairs for DELSLOTSRANGE that Redis refuses: backwards, out of range, overlapping, or odd. */
function rangesWithAMistake(random: FuzzRandom): string[] {
  const start = random.between(0, 16383);
  const end = random.between(start, Math.min(16383, start + 5));
  return random.pick([
    [String(end + 1), String(start)],
    [String(start), "16384"],
    ["-1", String(end)],
    [String(start), String(end), String(start), String(end)],
    [String(start), String(end), String(end), String(end + 1)],
    [String(start)],
    [String(start), String(end), "abc", String(end)],
  ]);
}

/** Address words for MEET that Redis refuses before any handshake starts. */
function badAddress(random: FuzzRandom): string[] {
  return random.pick([
    ["foo", "7000"],
    ["localhost", "7000"],
    ["127.0.0.1", "abc"],
    ["127.0.0.1", "0"],
    ["127.0.0.1", "-1"],
    ["127.0.0.1", "70000"],
    ["127.0.0.1", "99999"],
    ["127.0.0.1", "7000", "abc"],
    ["127.0.0.1", "7000", "0"],
    ["127.0.0.1", "7000", "70000"],
    ["1.2.3.4.5", "7000"],
    ["", "7000"],
    ["127.0.0.1"],
    ["127.0.0.1", "7000", "17000", "extra"],
  ]);
}

// #region cluster-generators
/**
 * The subcommands a cluster run asks: name, weight, the words after it,
 * and whether it must go out whole (its mistake could be cut off).
 */
const SUBCOMMANDS: readonly (readonly [
  string,
  number,
  (random: FuzzRandom) => string[],
  "whole"?,
])[] = [
  [
    "keyslot",
    4,
    (random) => [
      random.chance(0.6)
        ? key(random).toString("latin1")
        : random.pick(ODD_TAGS),
    ],
  ],
  ["countkeysinslot", 4, (random) => [slotText(random)]],
  ["getkeysinslot", 4, (random) => [slotText(random), countText(random)]],
  ["info", 2, () => []],
  ["myid", 1, () => []],
  ["nodes", 1, () => []],
  ["slots", 1, () => []],
  ["shards", 1, () => []],
  ["links", 1, () => []],
  ["help", 1, () => []],
  ["saveconfig", 1, () => []],
  ["bumpepoch", 1, () => []],
  [
    "set-config-epoch",
    1,
    (random) => [
      // Not above 2^53: our epochs are JavaScript numbers, a deliberate
      // difference the chapter 08 article lists.
      random.pick(["0", "1", "5", "-1", "abc", "9007199254740991", ""]),
    ],
  ],
  ["count-failure-reports", 1, (random) => [nodeId(random)]],
  ["forget", 1, (random) => [nodeId(random)]],
  ["addslots", 1, (random) => ownedSlots(random)],
  [
    "addslotsrange",
    1,
    (random) =>
      random.chance(0.5)
        ? ["0", "16383"]
        : [String(random.between(0, 16383)), String(random.between(0, 16383))],
  ],
  ["delslots", 1, (random) => slotsWithAMistake(random), "whole"],
  ["delslotsrange", 1, (random) => rangesWithAMistake(random), "whole"],
  ["meet", 1, (random) => badAddress(random), "whole"],
  [
    "reset",
    1,
    (random) =>
      random.pick([["foo"], ["hardly"], ["soft", "hard"], ["hard", "x"], [""]]),
    "whole",
  ],
];

/** A flag a connection sets on itself: any argument is a wrong arity. */
const CONNECTION_FLAGS = ["asking", "readonly", "readwrite"] as const;

export const CLUSTER_GENERATORS: readonly CommandGenerator[] = [
  ...SUBCOMMANDS.map(([sub, weight, rest, whole]): CommandGenerator => ({
    command: "cluster",
    requires: [`cluster|${sub}`],
    mode: "cluster",
    weight,
    generate: (random) => ({
      args: cluster(random, sub, ...rest(random)),
      ...(whole === undefined ? {} : { keepArity: true }),
    }),
  })),
  {
    command: "cluster",
    mode: "cluster",
    weight: 1,
    generate: (random) => ({
      args: [word("CLUSTER"), word(random.pick(["no-such-sub", "", "slots2"]))],
    }),
  },
  ...CONNECTION_FLAGS.map((name): CommandGenerator => ({
    command: name,
    mode: "cluster",
    weight: 2,
    generate: () => ({ args: [word(name.toUpperCase())] }),
  })),
  // Cluster mode off: each answers that it is.
  {
    command: "cluster",
    mode: "standalone",
    weight: 1,
    generate: (random) => ({
      args: [
        word("CLUSTER"),
        word(
          random.anyCase(
            random.pick(["info", "keyslot", "myid", "help", "nodes"]),
          ),
        ),
        ...(random.chance(0.5) ? [anyWord(random)] : []),
      ],
    }),
  },
  ...CONNECTION_FLAGS.map((name): CommandGenerator => ({
    command: name,
    mode: "standalone",
    weight: 1,
    generate: () => ({ args: [word(name.toUpperCase())] }),
  })),
];
// #endregion cluster-generators
