/**
 * Bitmap commands (chapter 06): SETBIT, GETBIT, BITCOUNT and BITPOS with
 * BYTE and BIT ranges, BITOP, BITFIELD and BITFIELD_RO with every
 * overflow mode, LCS with its options, SUBSTR; and GET, STRLEN and OBJECT
 * ENCODING aimed at the keys bitmaps live on, so that their bytes and
 * their encoding are compared too.
 *
 * Bitmaps live mostly on two keys of their own, and otherwise on the
 * shared pool (where SET, INCR and APPEND meet them) and on the list keys
 * (WRONGTYPE, after whatever arguments Redis reads first).
 *
 * A write never reaches far: a valid offset that a write accepts stays
 * below 100,000 bits, and the far ones are all invalid (2^32 and up,
 * negative, not numbers). Between the two, Redis would allocate up to half
 * a gigabyte for real (and ours stops 24 bytes short of 512 MB, a
 * deliberate difference; see MAX_STRING_BYTES in the chapters). Reads
 * take any offset: a GETBIT at bit 2^32 - 1 allocates nothing.
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, integerText, key, keys } from "./values.ts";
import { listKey } from "./lists.ts";

/** Keys only the bitmap commands use, besides the shared pool. */
const BITMAP_KEYS: readonly Buffer[] = ["bitmap", "bm\0"].map((text) =>
  Buffer.from(text, "latin1"),
);

/** A key for a bit command: mostly a bitmap key, else the pool's, now and then a list's. */
function bitmapKey(random: FuzzRandom): Buffer {
  const roll = random.below(20);
  if (roll < 11) return random.keyName(random.pick(BITMAP_KEYS));
  if (roll < 18) return key(random);
  return listKey(random);
}

/**
 * A bit offset a write may take: small ones mostly (a few bytes), now and
 * then up to 100,000 bits, and invalid ones, which refuse the whole command.
 */
function writeOffset(random: FuzzRandom): string {
  const roll = random.below(20);
  if (roll < 14) return String(random.between(0, 200));
  if (roll < 16) return String(random.between(0, 100_000));
  return random.pick([
    "-1",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1.5",
    "abc",
    "",
    " 1",
    "+1",
    "01",
  ]);
}

/** A bit offset for a read: a write's, or far ones, the last valid bit included. */
function readOffset(random: FuzzRandom): string {
  return random.chance(0.85)
    ? writeOffset(random)
    : random.pick([
        "4294967295",
        "2147483647",
        "536870912",
        integerText(random),
      ]);
}

/** A range end for BITCOUNT and BITPOS: small, in bytes or bits, or any integer text. */
function rangeIndex(random: FuzzRandom): string {
  const roll = random.below(10);
  if (roll < 5) return String(random.between(-10, 10));
  if (roll < 8) return String(random.between(-200, 200));
  return integerText(random);
}

/** BYTE or BIT in any case, now and then neither. */
function unit(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.9)
      ? random.anyCase(random.pick(["byte", "bit"]))
      : random.pick(["bits", "", "bit\0", "word"]),
  );
}

/** SETBIT key offset 0|1, the value now and then not a bit. */
function setbit(random: FuzzRandom): FuzzCommand {
  const value = random.chance(0.9)
    ? random.pick(["0", "1"])
    : random.pick(["2", "-1", "01", "x", "", "1.0", "9223372036854775808"]);
  return {
    args: [
      word("SETBIT"),
      bitmapKey(random),
      word(writeOffset(random)),
      word(value),
    ],
  };
}

/** BITCOUNT key [start end [BYTE|BIT]], with a word too few or too many now and then. */
function bitcount(random: FuzzRandom): FuzzCommand {
  const args = [word("BITCOUNT"), bitmapKey(random)];
  pushRange(random, args, [
    [0, 3],
    [1, 1],
    [2, 4],
    [3, 4],
    [4, 1],
  ]);
  return { args };
}

/** BITPOS key bit [start [end [BYTE|BIT]]]. */
function bitpos(random: FuzzRandom): FuzzCommand {
  const bit = random.chance(0.9)
    ? random.pick(["0", "1"])
    : random.pick(["2", "-1", "x", ""]);
  const args = [word("BITPOS"), bitmapKey(random), word(bit)];
  pushRange(random, args, [
    [0, 3],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 1],
  ]);
  return { args };
}

/**
 * BITCOUNT's and BITPOS's tail, `[start [end [BYTE|BIT]]]`, as many words
 * of it as a weighted draw says, and a word too many at 4.
 */
function pushRange(
  random: FuzzRandom,
  args: Buffer[],
  lengths: [number, number][],
): void {
  const shape = random.weighted(lengths);
  if (shape >= 1) args.push(word(rangeIndex(random)));
  if (shape >= 2) args.push(word(rangeIndex(random)));
  if (shape >= 3) args.push(unit(random));
  if (shape >= 4) args.push(anyWord(random));
}

/** BITOP AND|OR|XOR|NOT destkey key [key ...]: NOT with one source mostly. */
function bitop(random: FuzzRandom): FuzzCommand {
  const op = random.chance(0.95)
    ? random.anyCase(random.pick(["and", "or", "xor", "not"]))
    : random.pick(["nand", "", "and\0", "diff"]);
  const sources =
    op.toLowerCase() === "not" && random.chance(0.85)
      ? [bitmapKey(random)]
      : Array.from({ length: random.between(1, 3) }, () => bitmapKey(random));
  return { args: [word("BITOP"), word(op), bitmapKey(random), ...sources] };
}

/** Field types: every width at its edges, and the types Redis refuses. */
function fieldType(random: FuzzRandom): string {
  if (random.chance(0.9)) {
    return random.pick([
      "i1",
      "i5",
      "i8",
      "i16",
      "i32",
      "i63",
      "i64",
      "u1",
      "u3",
      "u8",
      "u16",
      "u32",
      "u62",
      "u63",
    ]);
  }
  return random.pick(["i0", "u64", "i65", "I8", "u", "x8", "i08", "i8\0x", ""]);
}

/**
 * A field's offset: a bit offset, or `#n` (the n-th field of its width),
 * including the one Redis's 64-bit product wraps to a small offset.
 */
function fieldOffset(random: FuzzRandom, write: boolean): string {
  const roll = random.below(10);
  if (roll < 6) return write ? writeOffset(random) : readOffset(random);
  if (roll < 9) return `#${random.between(0, 20)}`;
  return random.pick(["#-1", "#", "##1", "#288230376151711745", "#x"]);
}

/**
 * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type
 * offset increment] [OVERFLOW WRAP|SAT|FAIL] ...: up to five operations,
 * sometimes one cut short. BITFIELD_RO mostly gets GETs.
 */
function bitfield(
  name: "BITFIELD" | "BITFIELD_RO",
): CommandGenerator["generate"] {
  return (random) => {
    const args = [word(name), bitmapKey(random)];
    const count = random.weighted([
      [0, 1],
      [1, 5],
      [2, 4],
      [3, 2],
      [5, 1],
    ]);
    const writes = name === "BITFIELD" ? 0.55 : 0.1;
    for (let i = 0; i < count; i++) {
      const roll = random.below(100);
      if (roll < 12) {
        const mode = random.chance(0.95)
          ? random.anyCase(random.pick(["wrap", "sat", "fail"]))
          : random.pick(["", "saturate", "fail\0"]);
        args.push(word(random.anyCase("overflow")), word(mode));
      } else if (roll < 12 + writes * 85) {
        args.push(
          word(random.anyCase(random.pick(["set", "incrby"]))),
          word(fieldType(random)),
          word(fieldOffset(random, true)),
          word(integerText(random)),
        );
      } else if (roll < 98) {
        args.push(
          word(random.anyCase("get")),
          word(fieldType(random)),
          word(fieldOffset(random, false)),
        );
      } else {
        // An operation cut short, or a word that is none.
        args.push(random.chance(0.5) ? word("GET") : anyWord(random));
      }
    }
    return { args };
  };
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], in any order. */
function lcs(random: FuzzRandom): FuzzCommand {
  const args = [word("LCS"), bitmapKey(random), ...keys(random, 1, 1)];
  const count = random.weighted([
    [0, 4],
    [1, 4],
    [2, 3],
    [3, 1],
  ]);
  for (let i = 0; i < count; i++) {
    const roll = random.below(20);
    if (roll < 5) args.push(word(random.anyCase("idx")));
    else if (roll < 8) args.push(word(random.anyCase("len")));
    else if (roll < 12) args.push(word(random.anyCase("withmatchlen")));
    else if (roll < 18) {
      args.push(
        word(random.anyCase("minmatchlen")),
        word(
          random.chance(0.8)
            ? String(random.between(-2, 6))
            : integerText(random),
        ),
      );
    } else if (roll < 19) args.push(word(random.anyCase("minmatchlen")));
    else args.push(anyWord(random));
  }
  return { args };
}

/** What a chapter has if it has bitmaps. */
const WITH_BITS = ["setbit"];

export const BIT_GENERATORS: readonly CommandGenerator[] = [
  { command: "setbit", weight: 12, generate: setbit },
  {
    command: "getbit",
    weight: 8,
    generate: (random) => ({
      args: [word("GETBIT"), bitmapKey(random), word(readOffset(random))],
    }),
  },
  { command: "bitcount", weight: 8, generate: bitcount },
  { command: "bitpos", weight: 8, generate: bitpos },
  { command: "bitop", weight: 5, generate: bitop },
  { command: "bitfield", weight: 12, generate: bitfield("BITFIELD") },
  { command: "bitfield_ro", weight: 4, generate: bitfield("BITFIELD_RO") },
  { command: "lcs", weight: 4, generate: lcs },
  {
    command: "substr",
    weight: 3,
    generate: (random) => ({
      args: [
        word("SUBSTR"),
        bitmapKey(random),
        word(rangeIndex(random)),
        word(rangeIndex(random)),
      ],
    }),
  },
  {
    command: "get",
    requires: WITH_BITS,
    weight: 4,
    generate: (random) => ({
      args: [word("GET"), random.keyName(random.pick(BITMAP_KEYS))],
    }),
  },
  {
    command: "strlen",
    requires: WITH_BITS,
    weight: 2,
    generate: (random) => ({
      args: [word("STRLEN"), random.keyName(random.pick(BITMAP_KEYS))],
    }),
  },
  {
    command: "object",
    requires: WITH_BITS,
    weight: 2,
    generate: (random) => ({
      args: [word("OBJECT"), word("ENCODING"), bitmapKey(random)],
    }),
  },
];
