/**
 * The request side of RESP, the Redis serialization protocol, as a
 * streaming parser.
 *
 * A client sends each command as an array of bulk strings:
 *
 *     *2\r\n        an array of 2 elements
 *     $4\r\n        a bulk string of 4 bytes
 *     ECHO\r\n
 *     $2\r\n
 *     hi\r\n
 *
 * or, typed by a human, as one line of text (an "inline command", see
 * inline.ts). TCP does not keep message boundaries, so `feed()` takes bytes
 * exactly as they arrive (half a command, or fifty) and `next()` returns one
 * whole command at a time, or says that more bytes are needed. That is a
 * normal outcome, not an error. Malformed input is an error: `next()` throws
 * a ProtocolError, and the connection cannot be trusted any more.
 *
 * The parser is resumable: it remembers where it stopped (how many arguments
 * it has read, the length of the bulk string it is waiting for, how far it
 * has searched for the end of a line), so no byte is parsed twice however the
 * stream is cut.
 */
import { InputBuffer } from "./input-buffer.ts";
import { splitInlineArgs } from "./inline.ts";

// #region limits
/**
 * Limits, with Redis's values. Each is checked as soon as the number or
 * line it limits has been read, before any memory is set aside for what it
 * announces: a client that claims a 10 GB argument gets an error, not a
 * 10 GB allocation.
 */
export const LIMITS = {
  /** Longest line we wait for: an inline command, or a `*` or `$` length line. */
  maxLineBytes: 64 * 1024,
  /** Most bytes in one argument (Redis's `proto-max-bulk-len`). */
  maxBulkBytes: 512 * 1024 * 1024,
  /** Most arguments in one command: Redis stores the count in a C `int`. */
  maxArgs: 2 ** 31 - 1,
  /**
   * Before a client has given the password, Redis allows it far less: AUTH
   * needs 3 arguments and a password is short, so a stranger cannot make
   * the server buffer megabytes before proving who it is.
   */
  unauthenticatedMaxArgs: 10,
  unauthenticatedMaxBulkBytes: 16 * 1024,
} as const;
// #endregion limits

/**
 * What one argument costs us beyond its bytes: the Buffer object that views
 * it and its slot in the arguments array, roughly. A command of millions of
 * empty arguments is small on the wire and large in memory, and
 * `pendingBytes` must see that.
 */
const ARGUMENT_OVERHEAD_BYTES = 100;

/** Input that is not RESP: the client gets this message, then is disconnected. */
export class ProtocolError extends Error {
  readonly code = "PROTOCOL_ERROR";
  constructor(message: string) {
    super(`Protocol error: ${message}`);
  }
}

// #region parse-result
export type ParseResult =
  /** The bytes so far do not hold a whole command; feed more. */
  | { kind: "incomplete" }
  /** One command: its name and arguments, as raw bytes. */
  | { kind: "command"; args: Buffer[] };
// #endregion parse-result

const INCOMPLETE: ParseResult = { kind: "incomplete" };

const CR = 0x0d; // \r
const LF = 0x0a; // \n
const ASTERISK = 0x2a; // *
const DOLLAR = 0x24; // $

// #region parser
export class RespParser {
  readonly #input = new InputBuffer();
  /**
   * The array command being read, if one is: the arguments read so far and
   * how many are still to come. Undefined between commands.
   */
  #command: { args: Buffer[]; missing: number; bytes: number } | undefined;
  /** Length of the bulk string whose bytes we are waiting for, once its `$` line is read. */
  #bulkLength: number | undefined;
  /** How many bytes of the current line have been searched for its end already. */
  #searched = 0;
  /** Set by the handler while the client must still authenticate: the stricter limits apply. */
  unauthenticated = false;

  feed(chunk: Buffer): void {
    this.#input.append(chunk);
  }

  /**
   * Memory held for commands not yet returned: bytes not parsed yet, plus
   * the arguments of an unfinished command with their bookkeeping. The
   * handler disconnects a client whose total passes its limit.
   */
  get pendingBytes(): number {
    return this.#input.length + (this.#command?.bytes ?? 0);
  }

  /** The next whole command, or "incomplete". Throws ProtocolError on malformed input. */
  next(): ParseResult {
    for (;;) {
      if (this.#command === undefined) {
        if (this.#input.length === 0) return INCOMPLETE;
        if (this.#input.byteAt(0) !== ASTERISK) {
          const args = this.#readInline();
          if (args === undefined) return INCOMPLETE;
          if (args.length === 0) continue; // a blank line: Redis skips it
          return { kind: "command", args };
        }
        const count = this.#readArrayLength();
        if (count === undefined) return INCOMPLETE;
        if (count <= 0) continue; // "*0" or "*-1": nothing to run, as in Redis
        this.#command = { args: [], missing: count, bytes: 0 };
      }

      const command = this.#command;
      while (command.missing > 0) {
        const argument = this.#readBulkString();
        if (argument === undefined) return INCOMPLETE;
        command.args.push(argument);
        command.missing -= 1;
        command.bytes += argument.length + ARGUMENT_OVERHEAD_BYTES;
      }
      this.#command = undefined;
      return { kind: "command", args: command.args };
    }
  }
  // #endregion parser

  // #region array-and-bulk
  /** The `*<count>` line that starts an array command. */
  #readArrayLength(): number | undefined {
    const line = this.#readLine(CR, "too big mbulk count string");
    if (line === undefined) return undefined;
    const count = parseInteger(line, 1);
    if (count === undefined || count > LIMITS.maxArgs) {
      throw new ProtocolError("invalid multibulk length");
    }
    if (this.unauthenticated && count > LIMITS.unauthenticatedMaxArgs) {
      throw new ProtocolError("unauthenticated multibulk length");
    }
    return count;
  }

  /** One `$<length>` line and the bytes it announces, or undefined until they have all arrived. */
  #readBulkString(): Buffer | undefined {
    if (this.#bulkLength === undefined) {
      const line = this.#readLine(CR, "too big bulk count string");
      if (line === undefined) return undefined;
      // An empty line starts with its own \r, and Redis reports that byte.
      const first = line.length > 0 ? line[0]! : CR;
      if (first !== DOLLAR) {
        throw new ProtocolError(
          `expected '$', got '${String.fromCharCode(first)}'`,
        );
      }
      const length = parseInteger(line, 1);
      if (length === undefined || length < 0 || length > LIMITS.maxBulkBytes) {
        throw new ProtocolError("invalid bulk length");
      }
      if (this.unauthenticated && length > LIMITS.unauthenticatedMaxBulkBytes) {
        throw new ProtocolError("unauthenticated bulk length");
      }
      this.#bulkLength = length;
      // Room for it may now be set aside as its bytes arrive, and no more.
      this.#input.expect(length + 2);
    }
    // The bytes, then \r\n. Like Redis, we skip those two bytes unchecked.
    if (this.#input.length < this.#bulkLength + 2) return undefined;
    const argument = this.#input.take(this.#bulkLength);
    this.#input.skip(2);
    this.#bulkLength = undefined;
    return argument;
  }
  // #endregion array-and-bulk

  // #region read-inline
  /** An inline command: one line, ended by \n or \r\n. */
  #readInline(): Buffer[] | undefined {
    const line = this.#readLine(LF, "too big inline request");
    if (line === undefined) return undefined;
    const withoutCr = line.at(-1) === CR ? line.subarray(0, -1) : line;
    const args = splitInlineArgs(withoutCr);
    if (args === undefined) {
      throw new ProtocolError("unbalanced quotes in request");
    }
    return args;
  }
  // #endregion read-inline

  // #region lines
  /**
   * The next line, without its terminator. Array and bulk length lines end
   * in \r\n, and Redis looks for the \r, then skips the next byte unchecked;
   * inline lines end at \n. Searching resumes where the last call stopped.
   *
   * The limit is Redis's rule: more than 64 KiB waiting with no line end
   * among them is an error. (Redis reads 16 KiB at a time and checks after
   * each read, Node hands us up to 64 KiB at once, so a line a little over
   * the limit that arrives in one go may pass here and not there.)
   */
  #readLine(terminator: number, tooLong: string): Buffer | undefined {
    const end = this.#input.indexOf(terminator, this.#searched);
    if (end === -1) {
      if (this.#input.length > LIMITS.maxLineBytes) {
        throw new ProtocolError(tooLong);
      }
      this.#searched = this.#input.length;
      return undefined;
    }
    // After a \r we need one more byte (the \n) before the line is complete.
    const lineBytes = terminator === CR ? end + 2 : end + 1;
    if (this.#input.length < lineBytes) {
      this.#searched = end;
      return undefined;
    }
    this.#searched = 0;
    const line = this.#input.take(end);
    this.#input.skip(lineBytes - end);
    return line;
  }
  // #endregion lines
}

// #region parse-integer
const MINUS = 0x2d; // -
const ZERO = 0x30; // 0

/**
 * The integer in `bytes` from `start` on, by Redis's strict rules (its
 * `string2ll`): an optional minus sign, then digits with no leading zero,
 * nothing else, and within 64 bits. Anything else (`+3`, `03`, ` 3`, `-0`,
 * nothing at all) is undefined, which callers report as an error.
 */
export function parseInteger(bytes: Buffer, start = 0): number | undefined {
  const negative = bytes[start] === MINUS;
  const first = negative ? start + 1 : start;
  const digits = bytes.length - first;
  // No digits at all, or more than any 64-bit number has.
  if (digits === 0 || digits > 19) return undefined;
  // A leading zero is only allowed in "0" itself.
  if (bytes[first] === ZERO && (digits > 1 || negative)) return undefined;
  let value = 0;
  for (let i = first; i < bytes.length; i++) {
    const digit = bytes[i]! - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  // Past 2^53 `value` is approximate, which is harmless: every limit we
  // compare it with is far smaller. Only whether it fits in 64 bits at all
  // needs an exact answer, and only 19-digit numbers can fail that.
  if (digits === 19) {
    const exact = BigInt(bytes.toString("latin1", start));
    if (exact > 2n ** 63n - 1n || exact < -(2n ** 63n)) return undefined;
  }
  return negative ? -value : value;
}
// #endregion parse-integer
