/**
 * The bitmap commands: a string read and written bit by bit. SETBIT and
 * GETBIT address one bit, BITCOUNT counts the set bits of a range, BITPOS
 * finds the first 0 or 1 in one, and BITOP combines whole strings with
 * AND, OR, XOR or NOT. BITFIELD, which reads and writes whole integers at
 * bit offsets, has its own file. The bit arithmetic is in types/bits.ts.
 *
 * Each command reads its arguments and looks up its key in Redis 7.0's
 * order, which is not the same for all: SETBIT and GETBIT read the offset
 * first, BITCOUNT looks at the key before anything else (a missing key
 * answers 0 whatever follows), BITPOS reads the bit, then the key.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { LIMITS } from "../protocol/resp-parser.ts";
import { MAX_STRING_BYTES } from "../keyspace/keyspace.ts";
import { StringOrigin } from "../keyspace/object-header.ts";
import { error, integer, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  STRING_TOO_LONG,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import {
  bitAddress,
  bitRange,
  bytesOf,
  countBits,
  findBit,
  type BitRange,
} from "../types/bits.ts";
import { MutableString } from "../types/mutable-string.ts";
import { getBytes, isWrongType, readBytes } from "./typed-lookup.ts";
import { editString, storedForm } from "./string-edit.ts";
import { BIT_DOCS } from "./docs/bit-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

export const BIT_OFFSET_ERROR = error(
  "ERR bit offset is not an integer or out of range",
);
const BIT_VALUE_ERROR = error("ERR bit is not an integer or out of range");

/**
 * The longest string a bit command may make: Redis's 512 MB, or V8's
 * limit 24 bytes below it (see MAX_STRING_BYTES in keyspace.ts).
 */
export const MAX_BITMAP_BYTES = Math.min(LIMITS.maxBulkBytes, MAX_STRING_BYTES);

// #region bit-offset
/**
 * A bit offset as Redis reads one (`getBitOffsetFromArgument`): a 64-bit
 * integer, not negative, whose byte lies within proto-max-bulk-len (512
 * MB, so offsets below 2^32). Checked before anything is allocated:
 * `SETBIT k 4294967296 1` is an error, not half a gigabyte of zeros.
 *
 * BITFIELD also takes `#n`, "the n-th field of this width": `fieldBits`
 * is that width. Redis multiplies in 64-bit C arithmetic, which wraps,
 * so `#288230376151711745` of i64 is bit 64; the wrap is kept.
 */
export function bitOffsetArgument(
  arg: Buffer,
  fieldBits = 0,
): number | undefined {
  const byWidth = fieldBits > 0 && arg[0] === 0x23; // "#"
  const parsed = int64Argument(byWidth ? arg.subarray(1) : arg);
  if (parsed === undefined) return undefined;
  const offset = byWidth
    ? BigInt.asIntN(64, parsed * BigInt(fieldBits))
    : parsed;
  if (offset < 0n || offset >> 3n >= BigInt(LIMITS.maxBulkBytes)) {
    return undefined;
  }
  return Number(offset);
}
// #endregion bit-offset

// #region setbit
/**
 * SETBIT key offset 0|1: sets or clears one bit, growing the string with
 * zero bytes as far as it needs, and answers the bit's old value. Like
 * Redis, it counts (and logs to the AOF) only a write that changed
 * something: a new key, a longer string, or a bit that moved.
 *
 * O(1), as in Redis, once the string is edited in place (see
 * string-edit.ts): one byte written into a MutableString.
 */
export const setbit: CommandSpec = {
  name: "setbit",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@bitmap", "@slow"],
  docs: BIT_DOCS.setbit,
  run(args, { session }) {
    const offset = bitOffsetArgument(args[2]!);
    if (offset === undefined) return BIT_OFFSET_ERROR;
    const on = int64Argument(args[3]!);
    if (on !== 0n && on !== 1n) return BIT_VALUE_ERROR;
    const key = byteString(args[1]!);
    const { db } = session;
    const old = getBytes(db, key);
    if (isWrongType(old)) return old;
    const { byte, mask } = bitAddress(offset);
    if (byte + 1 > MAX_BITMAP_BYTES) return STRING_TOO_LONG;
    const before = old === undefined ? 0 : bytesOf(old).byteAt(byte);
    const after = on === 1n ? before | mask : before & ~mask;
    if (old === undefined || byte >= old.length || after !== before) {
      editString(db, key, old, "counted", (bytes) => {
        bytes.setByte(byte, after);
      });
    } else if (typeof old === "string") {
      // Nothing moved, but Redis made the string raw on the way.
      db.setKeepingTtlUncounted(key, old, StringOrigin.edited);
    }
    return integer((before & mask) !== 0 ? 1 : 0);
  },
};
// #endregion setbit

/** GETBIT key offset: one bit; 0 past the end of the string or for no key. */
export const getbit: CommandSpec = {
  name: "getbit",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@bitmap", "@fast"],
  docs: BIT_DOCS.getbit,
  run(args, { session }) {
    const offset = bitOffsetArgument(args[2]!);
    if (offset === undefined) return BIT_OFFSET_ERROR;
    const value = readBytes(session.db, byteString(args[1]!));
    if (isWrongType(value)) return value;
    if (value === undefined) return integer(0);
    const { byte, mask } = bitAddress(offset);
    return integer((bytesOf(value).byteAt(byte) & mask) !== 0 ? 1 : 0);
  },
};

/** BYTE or BIT, in any letter case: the unit of a range. */
function rangeUnit(arg: Buffer): "byte" | "bit" | undefined {
  if (isKeyword(arg, "byte")) return "byte";
  if (isKeyword(arg, "bit")) return "bit";
  return undefined;
}

// #region bitcount
/**
 * BITCOUNT key [start end [BYTE|BIT]]: the set bits of the string, or of
 * a range of it, in bytes unless BIT says bits; negative indexes count
 * from the end. Redis 7.0 looks the key up first, so a missing key
 * answers 0 even to arguments it would refuse.
 */
export const bitcount: CommandSpec = {
  name: "bitcount",
  arity: -2,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@bitmap", "@slow"],
  docs: BIT_DOCS.bitcount,
  run(args, { session }) {
    const value = readBytes(session.db, byteString(args[1]!));
    if (isWrongType(value)) return value;
    if (value === undefined) return integer(0);
    let range: BitRange | undefined;
    if (args.length === 2) {
      range = bitRange(value.length, 0n, -1n, "byte");
    } else if (args.length === 4 || args.length === 5) {
      const start = int64Argument(args[2]!);
      const end = int64Argument(args[3]!);
      if (start === undefined || end === undefined) return NOT_AN_INTEGER;
      // Both negative and crossed: 0, before the unit is even read.
      if (start < 0n && end < 0n && start > end) return integer(0);
      const unit = args.length === 5 ? rangeUnit(args[4]!) : "byte";
      if (unit === undefined) return SYNTAX_ERROR;
      range = bitRange(value.length, start, end, unit);
    } else {
      return SYNTAX_ERROR;
    }
    return integer(range === undefined ? 0 : countBits(value, range));
  },
};
// #endregion bitcount

// #region bitpos
/**
 * BITPOS key bit [start [end [BYTE|BIT]]]: the position of the first bit
 * that is `bit`, counted from the start of the string, or -1. A missing
 * key is all zeros: 0 for a 0, -1 for a 1. Without an end, a search for
 * 0 in a range of ones answers the first bit after it (the string reads
 * as zeros past its end); with an end given, -1.
 */
export const bitpos: CommandSpec = {
  name: "bitpos",
  arity: -3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@bitmap", "@slow"],
  docs: BIT_DOCS.bitpos,
  run(args, { session }) {
    const bitArg = int64Argument(args[2]!);
    if (bitArg === undefined) return NOT_AN_INTEGER;
    if (bitArg !== 0n && bitArg !== 1n) {
      return error("ERR The bit argument must be 1 or 0.");
    }
    const bit = bitArg === 1n ? 1 : 0;
    const value = readBytes(session.db, byteString(args[1]!));
    if (isWrongType(value)) return value;
    if (value === undefined) return integer(bit === 1 ? -1 : 0);
    const read = bitposRange(args, value.length);
    if ("type" in read) return read;
    if (read.range === undefined) return integer(-1);
    return integer(findBit(value, bit, read.range, args.length >= 5));
  },
};

/**
 * BITPOS's `[start [end [BYTE|BIT]]]` over a string of `length` bytes:
 * the range (undefined if empty), or the error reply. The start first,
 * then the unit, then the end, as Redis reads them.
 */
function bitposRange(
  args: Buffer[],
  length: number,
): { range: BitRange | undefined } | Reply {
  if (args.length === 3) return { range: bitRange(length, 0n, -1n, "byte") };
  if (args.length > 6) return SYNTAX_ERROR;
  const start = int64Argument(args[3]!);
  if (start === undefined) return NOT_AN_INTEGER;
  const unit = args.length === 6 ? rangeUnit(args[5]!) : "byte";
  if (unit === undefined) return SYNTAX_ERROR;
  const end = args.length >= 5 ? int64Argument(args[4]!) : -1n;
  if (end === undefined) return NOT_AN_INTEGER;
  return { range: bitRange(length, start, end, unit) };
}
// #endregion bitpos

// #region bitop
/** How BITOP AND, OR and XOR combine a byte of each source. */
const COMBINE = {
  and: (a: number, b: number) => a & b,
  or: (a: number, b: number) => a | b,
  xor: (a: number, b: number) => a ^ b,
} as const;

/**
 * BITOP AND|OR|XOR|NOT destkey key [key ...]: combines the sources byte
 * by byte into `destkey`, the shorter ones read as padded with zero
 * bytes (a missing key is an empty string), and answers the result's
 * length. NOT takes exactly one source. An empty result deletes `destkey`.
 */
export const bitop: CommandSpec = {
  name: "bitop",
  arity: -4,
  flags: ["write", "denyoom"],
  keys: { first: 2, last: -1, step: 1 },
  categories: ["@write", "@bitmap", "@slow"],
  docs: BIT_DOCS.bitop,
  run(args, { session }) {
    const name = (["and", "or", "xor", "not"] as const).find((op) =>
      isKeyword(args[1]!, op),
    );
    if (name === undefined) return SYNTAX_ERROR;
    if (name === "not" && args.length !== 4) {
      return error("ERR BITOP NOT must be called with a single source key.");
    }
    const { db } = session;
    // A MutableString is read where it lies (its bytes are read before
    // anything is stored); a byte string is copied into a Buffer.
    const sources: Buffer[] = [];
    for (const keyArg of args.slice(3)) {
      const value = readBytes(db, byteString(keyArg));
      if (isWrongType(value)) return value;
      sources.push(
        value instanceof MutableString
          ? value.bytes()
          : Buffer.from(value ?? "", "latin1"),
      );
    }
    const length = sources.reduce((most, s) => Math.max(most, s.length), 0);
    const destination = byteString(args[2]!);
    if (length === 0) {
      db.delete(destination);
      return integer(0);
    }
    const result = Buffer.alloc(length);
    sources[0]!.copy(result);
    if (name === "not") {
      for (let i = 0; i < length; i++) result[i] = ~result[i]! & 0xff;
    } else {
      const combine = COMBINE[name];
      for (const source of sources.slice(1)) {
        for (let i = 0; i < length; i++) {
          result[i] = combine(result[i]!, source[i] ?? 0);
        }
      }
    }
    // A new string, made whole: raw in Redis, however short. A long one
    // is kept as the MutableString it already is, ready for SETBIT.
    const value = storedForm(MutableString.wrap(result));
    db.set(destination, value, StringOrigin.edited);
    return integer(length);
  },
};
// #endregion bitop

export const BIT_COMMANDS: readonly CommandSpec[] = [
  setbit,
  getbit,
  bitcount,
  bitpos,
  bitop,
];
