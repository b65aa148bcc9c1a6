/**
 * Reading a client's arguments. They are raw bytes of any length, up to
 * 512 MB, so nothing here turns a whole argument into a string just to look
 * at a few bytes of it: a 512 MB argument does not even fit in one
 * JavaScript string.
 */
import { parseInt64 } from "../numbers/integers.ts";
import { parseInteger } from "../protocol/resp-parser.ts";
import { error, type Reply } from "../protocol/reply.ts";

/** Longer than any command or option name, so anything longer is not one. */
const MAX_NAME_BYTES = 64;

/**
 * A command, subcommand or option name in lower case, for lookups, or
 * undefined if it is too long to be a name at all.
 */
export function nameOf(arg: Buffer): string | undefined {
  if (arg.length > MAX_NAME_BYTES) return undefined;
  return arg.toString("latin1").toLowerCase();
}

/**
 * True if `arg` is `keyword` (given in lower case), in any letter case:
 * `NX`, `nx`, `Nx`. Redis compares keywords as C strings, which end at a
 * NUL byte, so `NX\0whatever` is NX too.
 */
export function isKeyword(arg: Buffer, keyword: string): boolean {
  const endsThere = arg.length === keyword.length || arg[keyword.length] === 0;
  return endsThere && nameOf(arg.subarray(0, keyword.length)) === keyword;
}

/**
 * An argument as C reads it: up to its first NUL byte, where a C string
 * ends. Where Redis compares an argument with `strcasecmp()` or copies it
 * with `strlen()`, `keyspace\0junk` is `keyspace`.
 */
export function cStringOf(arg: Buffer): Buffer {
  const nul = arg.indexOf(0);
  return nul === -1 ? arg : arg.subarray(0, nul);
}

/**
 * A client's argument as Redis quotes it in an error message: cut at the
 * first NUL byte, where a C string ends, and at `maxBytes`. One character
 * per byte (latin1), so the reply carries the client's bytes unchanged.
 */
export function quoteArgument(arg: Buffer, maxBytes = 128): string {
  return cStringOf(arg.subarray(0, maxBytes)).toString("latin1");
}

// #region byte-string
/**
 * An argument as a byte string, one character per byte: the form keys and
 * values take in the keyspace (keyspace.ts). It is a copy, so the stored key
 * does not keep the socket's whole input chunk alive.
 */
export function byteString(arg: Buffer): string {
  return arg.toString("latin1");
}
// #endregion byte-string

/**
 * An integer argument as Redis reads one (`string2ll`), or undefined. No
 * 64-bit integer takes more than 20 bytes, so a longer argument (it may be
 * 512 MB) is refused before it is copied into a string.
 */
export function int64Argument(arg: Buffer): bigint | undefined {
  return arg.length > 20 ? undefined : parseInt64(byteString(arg));
}

/** Replies that many commands share, with Redis's texts. */
export const SYNTAX_ERROR = error("ERR syntax error");
export const NOT_AN_INTEGER = error(
  "ERR value is not an integer or out of range",
);
export const STRING_TOO_LONG = error(
  "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
);

/**
 * An argument Redis reads as a C `int` (a database number, for SELECT,
 * SWAPDB and COPY), or the error reply Redis gives for it.
 */
export function intArgument(arg: Buffer): number | Reply {
  const value = parseInteger(arg);
  if (value === undefined) return NOT_AN_INTEGER;
  if (value < -(2 ** 31) || value > 2 ** 31 - 1) {
    return error(
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    );
  }
  return value;
}

// #region keys-after-numkeys
/**
 * The key positions of a command shaped `... numkeys key [key ...] ...`
 * (LMPOP, BLMPOP; later ZUNION, SINTERCARD), for COMMAND GETKEYS: the
 * `numkeys` words after position `numkeysAt`. Read as Redis's
 * `genericGetKeys` reads it, with C's `atoi` (so `2x` counts as 2), and
 * undefined when the count is below 1 or more than the words that follow.
 */
export function keysAfterNumkeys(
  numkeysAt: number,
): (args: readonly Buffer[]) => number[] | undefined {
  return (args) => {
    const count = /^\s*[+-]?\d+/.exec(args[numkeysAt]!.toString("latin1"));
    const numkeys = count === null ? 0 : Number.parseInt(count[0], 10);
    if (numkeys < 1 || numkeys > args.length - numkeysAt - 1) return undefined;
    return Array.from({ length: numkeys }, (_, i) => numkeysAt + 1 + i);
  };
}
// #endregion keys-after-numkeys
