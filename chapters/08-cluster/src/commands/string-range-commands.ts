/**
 * The string commands that work on part of a value's bytes: APPEND adds at
 * the end, STRLEN measures, GETRANGE (and its old name SUBSTR) reads and
 * SETRANGE overwrites from an offset. The ones that make a string longer
 * check Redis's 512 MB limit before they build anything.
 *
 * They take a string of either kind (types/mutable-string.ts) as it is
 * stored: STRLEN and GETRANGE read only what they answer, and SETRANGE
 * edits in place (string-edit.ts).
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { MAX_STRING_BYTES } from "../keyspace/keyspace.ts";
import { bulk, error, integer } from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  NOT_AN_INTEGER,
  STRING_TOO_LONG,
} from "../dispatch/arguments.ts";
import { STRING_RANGE_DOCS } from "./docs/string-range-docs.ts";
import { getBytes, isWrongType, readBytes } from "./typed-lookup.ts";
import { StringOrigin } from "../keyspace/object-header.ts";
import { MutableString } from "../types/mutable-string.ts";
import { editString } from "./string-edit.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

/** Redis's limit on a string's length: 512 MB, or V8's a little below it (see keyspace.ts). */
const MAX_STRING_LENGTH = Math.min(512 * 1024 * 1024, MAX_STRING_BYTES);

// #region append
export const append: CommandSpec = {
  name: "append",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@fast"],
  docs: STRING_RANGE_DOCS.append,
  run(args, { session }) {
    const key = byteString(args[1]!);
    const found = getBytes(session.db, key);
    if (isWrongType(found)) return found;
    const old = found ?? "";
    // Checked before anything is built: the limit guards memory.
    if (old.length + args[2]!.length > MAX_STRING_LENGTH) {
      return STRING_TOO_LONG;
    }
    // A string edited in place already (a bitmap, say) is appended to in
    // place, into its room to spare. Any other stays a byte string: a
    // Buffer per value would cost a small value 10 times its memory.
    if (old instanceof MutableString) {
      session.db.willModify(key);
      old.append(args[2]!);
      return integer(old.length);
    }
    // V8 joins the two as a "cons string", a pair of pointers, and copies
    // only when the result is read: appending in a loop stays cheap.
    const value = old + byteString(args[2]!);
    // Appended to in place, a string is raw in Redis; a new one is stored.
    const origin =
      found === undefined ? StringOrigin.stored : StringOrigin.edited;
    session.db.setKeepingTtl(key, value, origin);
    return integer(value.length);
  },
};
// #endregion append

export const strlen: CommandSpec = {
  name: "strlen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@string", "@fast"],
  docs: STRING_RANGE_DOCS.strlen,
  run(args, { session }) {
    const value = readBytes(session.db, byteString(args[1]!));
    if (isWrongType(value)) return value;
    return integer(value?.length ?? 0);
  },
};

// #region getrange
/**
 * GETRANGE key start end: the bytes from `start` to `end`, both included.
 * Negative offsets count from the end (-1 is the last byte); offsets past
 * either end are clamped, and an empty range answers "".
 */
export const getrange: CommandSpec = {
  name: "getrange",
  arity: 4,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@string", "@slow"],
  docs: STRING_RANGE_DOCS.getrange,
  run(args, { session }) {
    const startArg = int64Argument(args[2]!);
    const endArg = int64Argument(args[3]!);
    if (startArg === undefined || endArg === undefined) return NOT_AN_INTEGER;
    // The offsets are read first, the key's type checked after, as in Redis.
    const found = readBytes(session.db, byteString(args[1]!));
    if (isWrongType(found)) return found;
    const value = found ?? "";
    // Both negative and crossed (GETRANGE k -1 -5): empty, as in Redis.
    // Compared exactly, as bigints: as numbers, -(2^63 - 1) and -2^63 are
    // the same, and would not look crossed.
    if (startArg < 0n && endArg < 0n && startArg > endArg) return bulk("");
    // Beyond ±2^53 the offsets lose precision, which no longer matters:
    // every string is far shorter, so they clamp to the same place.
    let start = Number(startArg);
    let end = Number(endArg);
    const length = value.length;
    if (start < 0) start = Math.max(length + start, 0);
    if (end < 0) end = Math.max(length + end, 0);
    end = Math.min(end, length - 1);
    if (start > end || length === 0) return bulk("");
    return bulk(value.slice(start, end + 1));
  },
};
// #endregion getrange

/**
 * SUBSTR key start end: GETRANGE's old name, deprecated since 2.0 and
 * still there; Redis runs the same code for both.
 */
export const substr: CommandSpec = {
  ...getrange,
  name: "substr",
  docs: STRING_RANGE_DOCS.substr,
};

// #region setrange
/**
 * SETRANGE key offset value: overwrite from `offset` on, padding with zero
 * bytes if the string is shorter. The new length is checked against the
 * 512 MB limit before anything is allocated, so `SETRANGE k 536870000 x`
 * is an error, not half a gigabyte of zeros.
 */
export const setrange: CommandSpec = {
  name: "setrange",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@string", "@slow"],
  docs: STRING_RANGE_DOCS.setrange,
  run(args, { session }) {
    const offsetArg = int64Argument(args[2]!);
    if (offsetArg === undefined) return NOT_AN_INTEGER;
    if (offsetArg < 0n) return error("ERR offset is out of range");
    const key = byteString(args[1]!);
    // After the offset, before the empty patch and the size limit: on a
    // list, even `SETRANGE list 0 ""` is WRONGTYPE.
    const old = getBytes(session.db, key);
    if (isWrongType(old)) return old;
    const patch = args[3]!;
    // Writing nothing changes nothing, and creates no key.
    if (patch.length === 0) return integer(old?.length ?? 0);
    if (offsetArg + BigInt(patch.length) > BigInt(MAX_STRING_LENGTH)) {
      return STRING_TOO_LONG;
    }
    const offset = Number(offsetArg);
    editString(session.db, key, old, "counted", (bytes) => {
      bytes.write(offset, patch);
    });
    return integer(Math.max(old?.length ?? 0, offset + patch.length));
  },
};
// #endregion setrange

export const STRING_RANGE_COMMANDS: readonly CommandSpec[] = [
  append,
  strlen,
  getrange,
  substr,
  setrange,
];
