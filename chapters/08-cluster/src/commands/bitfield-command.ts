/**
 * BITFIELD and BITFIELD_RO: a string as an array of integers of any width
 * from 1 to 64 bits, at any bit offset. One command may GET, SET and
 * INCRBY several fields; OVERFLOW WRAP|SAT|FAIL says what the writes
 * after it do with a result their field cannot hold. The integers and
 * their overflow are in types/bit-fields.ts.
 *
 * As in Redis, every operation is read and checked before the key is
 * looked up, so a mistake anywhere in the command changes nothing and
 * comes before WRONGTYPE. The command is logged to the AOF as it is, and
 * only if some write changed a bit (or made the string longer).
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import type { Database } from "../keyspace/database.ts";
import { StringOrigin } from "../keyspace/object-header.ts";
import { array, error, integer, NULL, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  cStringOf,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  STRING_TOO_LONG,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { parseInt64 } from "../numbers/integers.ts";
import { bitAddress, ByteWindow, bytesOf } from "../types/bits.ts";
import {
  fitInField,
  readField,
  writeField,
  type FieldType,
  type Overflow,
} from "../types/bit-fields.ts";
import { getBytes, isWrongType, readBytes } from "./typed-lookup.ts";
import { editString } from "./string-edit.ts";
import {
  BIT_OFFSET_ERROR,
  bitOffsetArgument,
  MAX_BITMAP_BYTES,
} from "./bit-commands.ts";
import { BITFIELD_DOCS } from "./docs/bitfield-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

const INVALID_TYPE = error(
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
);

// #region operations
/** One GET, SET or INCRBY of the command, read and checked. */
interface FieldOperation {
  readonly kind: "get" | "set" | "incrby";
  readonly type: FieldType;
  /** The field's first bit. */
  readonly offset: number;
  /** SET's value or INCRBY's increment (0 for GET). */
  readonly operand: bigint;
  /** The OVERFLOW mode in force where the operation stands. */
  readonly overflow: Overflow;
}

/**
 * A field type as Redis reads it: `i` or `u` (lower case only), then the
 * width as an integer, up to the first NUL byte (Redis reads it as a C
 * string): i1 to i64, u1 to u63.
 */
function fieldType(arg: Buffer): FieldType | undefined {
  const sign = arg[0];
  if (sign !== 0x69 && sign !== 0x75) return undefined; // "i", "u"
  const signed = sign === 0x69;
  const bits = parseInt64(byteString(cStringOf(arg.subarray(1))));
  if (bits === undefined || bits < 1n || bits > (signed ? 64n : 63n)) {
    return undefined;
  }
  return { signed, bits: Number(bits) };
}

/** OVERFLOW's argument, in any letter case. */
function overflowMode(arg: Buffer): Overflow | undefined {
  return (["wrap", "sat", "fail"] as const).find((mode) =>
    isKeyword(arg, mode),
  );
}

/**
 * The operations of `BITFIELD key ...`, in order, or the error reply for
 * the first mistake. Each operation needs all its words: `GET i8` with
 * nothing after it is a syntax error, as is an unknown word.
 */
function readOperations(args: Buffer[]): FieldOperation[] | Reply {
  const operations: FieldOperation[] = [];
  let overflow: Overflow = "wrap";
  for (let i = 2; i < args.length;) {
    const word = args[i]!;
    const following = args.length - i - 1;
    if (isKeyword(word, "overflow") && following >= 1) {
      const mode = overflowMode(args[i + 1]!);
      if (mode === undefined) {
        return error("ERR Invalid OVERFLOW type specified");
      }
      overflow = mode;
      i += 2;
      continue;
    }
    const kind = (["get", "set", "incrby"] as const).find((name) =>
      isKeyword(word, name),
    );
    if (kind === undefined || following < (kind === "get" ? 2 : 3)) {
      return SYNTAX_ERROR;
    }
    const type = fieldType(args[i + 1]!);
    if (type === undefined) return INVALID_TYPE;
    const offset = bitOffsetArgument(args[i + 2]!, type.bits);
    if (offset === undefined) return BIT_OFFSET_ERROR;
    let operand = 0n;
    if (kind !== "get") {
      const parsed = int64Argument(args[i + 3]!);
      if (parsed === undefined) return NOT_AN_INTEGER;
      operand = parsed;
    }
    operations.push({ kind, type, offset, operand, overflow });
    i += kind === "get" ? 3 : 4;
  }
  return operations;
}
// #endregion operations

// #region bitfield
/**
 * What BITFIELD and BITFIELD_RO share. With only GETs, the key is read as
 * it is (missing: all zeros). With a write, BITFIELD_RO refuses, and
 * BITFIELD works on a copy of the bytes its writes reach, grown with
 * zeros as far as the farthest one, then writes them into the string
 * (string-edit.ts). Redis grows the string (and makes it raw, and
 * creates the key) even when every write then fails under OVERFLOW FAIL;
 * it counts a change only when a bit moved or the string grew, and so
 * does this.
 */
function bitfield(args: Buffer[], db: Database, readOnly: boolean): Reply {
  const operations = readOperations(args);
  if (!Array.isArray(operations)) return operations;
  const key = byteString(args[1]!);
  const writes = operations.filter((op) => op.kind !== "get");
  if (writes.length === 0) {
    const value = readBytes(db, key);
    if (isWrongType(value)) return value;
    const bytes = bytesOf(value ?? "");
    return array(
      operations.map((op) => integer(readField(bytes, op.offset, op.type))),
    );
  }
  if (readOnly) {
    return error("ERR BITFIELD_RO only supports the GET subcommand");
  }
  const found = getBytes(db, key);
  if (isWrongType(found)) return found;
  const old = found ?? "";
  // The bytes from the first one written to the last.
  let first = Infinity;
  let last = 0;
  for (const op of writes) {
    first = Math.min(first, bitAddress(op.offset).byte);
    last = Math.max(last, bitAddress(op.offset + op.type.bits - 1).byte);
  }
  if (last + 1 > MAX_BITMAP_BYTES) return STRING_TOO_LONG;
  const grows = found === undefined || last >= old.length;
  const window = new ByteWindow(old, first, last);
  let changed = false;
  const replies = operations.map((op): Reply => {
    const current = readField(window, op.offset, op.type);
    if (op.kind === "get") return integer(current);
    // SET's value as the field's kind of integer (see fitInField).
    const operand =
      op.kind === "set" && !op.type.signed
        ? BigInt.asUintN(64, op.operand)
        : op.operand;
    const stored =
      op.kind === "set"
        ? fitInField(op.type, operand, 0n, op.overflow)
        : fitInField(op.type, current, operand, op.overflow);
    if (stored === undefined) return NULL;
    writeField(window, op.offset, op.type, stored);
    if (grows || stored !== current) changed = true;
    // SET answers the old value, INCRBY the new one.
    return integer(op.kind === "set" ? current : stored);
  });
  if (changed || grows) {
    // Uncounted when no bit moved, as in Redis: the string only longer.
    const count = changed ? "counted" : "uncounted";
    editString(db, key, found, count, (bytes) => window.writeTo(bytes));
  } else if (typeof old === "string") {
    // Nothing changed, but Redis made the string raw on the way.
    db.setKeepingTtlUncounted(key, old, StringOrigin.edited);
  }
  return array(replies);
}
// #endregion bitfield

export const bitfieldCommand: CommandSpec = {
  name: "bitfield",
  arity: -2,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@write", "@bitmap", "@slow"],
  docs: BITFIELD_DOCS.bitfield,
  run: (args, { session }) => bitfield(args, session.db, false),
};

/**
 * BITFIELD_RO key [GET type offset ...]: BITFIELD's GETs only, a read,
 * which a replica may serve. A SET or INCRBY is refused, after the whole
 * command has been read (a syntax error anywhere comes first).
 */
export const bitfieldRo: CommandSpec = {
  name: "bitfield_ro",
  arity: -2,
  flags: ["readonly", "fast"],
  keys: ONE_KEY,
  categories: ["@read", "@bitmap", "@fast"],
  docs: BITFIELD_DOCS.bitfield_ro,
  run: (args, { session }) => bitfield(args, session.db, true),
};

export const BITFIELD_COMMANDS: readonly CommandSpec[] = [
  bitfieldCommand,
  bitfieldRo,
];
