/**
 * Reads an append-only file back, one command at a time, knowing where in
 * the file each one starts.
 *
 * The network parser (resp-parser.ts) could read these bytes too, but a
 * log wants a stricter reader and different answers:
 *
 * - only arrays of bulk strings: the AOF never holds inline commands, so a
 *   line of text in it is damage, not a command;
 * - every answer carries a byte offset, because "the file is corrupt" is
 *   useless to the person who must repair it, and "at byte 48213" is not;
 * - running out of bytes in the middle of a command is not "wait for more"
 *   but "the file ends here": the server crashed while writing it. Whether
 *   that is acceptable is the loader's decision (`aof-load-truncated`).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { LIMITS } from "../protocol/resp-parser.ts";

// #region reader-result
export type AofEntry =
  /** A whole command, and the offset of its first byte. */
  | { kind: "command"; args: Buffer[]; offset: number }
  /** The file ends cleanly, after a whole command (or is empty). */
  | { kind: "end"; offset: number }
  /** The file ends inside the command that starts at `offset`. */
  | { kind: "truncated"; offset: number };

/** Bytes that cannot be the start or the rest of a command. */
export class AofFormatError extends Error {
  override readonly name = "AofFormatError";
  constructor(
    /** Where the bad byte is, from the start of the file. */
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${reason} at offset ${offset}`);
  }
}
// #endregion reader-result

/** How much is read from the file at a time, at least. */
const READ_BYTES = 1024 * 1024;

/**
 * The longest `*<count>` or `$<length>` line, `\r\n` included: a 64-bit
 * number has at most 20 characters. Without a limit, a damaged file with
 * no line break would be read whole into memory looking for one.
 */
const MAX_LENGTH_LINE = 24;

const CR = 0x0d; // \r
const LF = 0x0a; // \n
const ASTERISK = 0x2a; // *
const DOLLAR = 0x24; // $
const HASH = 0x23; // #

/** Nothing to parse: the next part of the file has not been read yet. */
const MORE = Symbol("need more bytes");

// #region reader
export class AofReader {
  readonly #fd: number;
  /** Bytes read from the file and not yet returned as a command. */
  #buffer = Buffer.alloc(0);
  /** The file offset of `#buffer[0]`. */
  #offset = 0;
  #endOfFile = false;

  constructor(path: string) {
    this.#fd = openSync(path, "r");
  }

  close(): void {
    closeSync(this.#fd);
  }

  // #region reader-next
  /** The next command, the end, or a truncation. Throws AofFormatError on damage. */
  next(): AofEntry {
    for (;;) {
      // Redis 7 may write annotations between commands, lines starting
      // with '#' (`#TS:1700000000` with aof-timestamp-enabled). It skips
      // them when loading, and so do we: its files load here too.
      if (this.#buffer[0] === HASH) {
        const lineEnd = this.#buffer.indexOf(LF);
        if (lineEnd !== -1) {
          this.#buffer = this.#buffer.subarray(lineEnd + 1);
          this.#offset += lineEnd + 1;
          continue;
        }
      }
      const parsed = this.#parseCommand();
      if (parsed !== MORE) {
        const offset = this.#offset;
        this.#buffer = this.#buffer.subarray(parsed.length);
        this.#offset += parsed.length;
        return { kind: "command", args: parsed.args, offset };
      }
      if (this.#endOfFile) {
        const kind = this.#buffer.length === 0 ? "end" : "truncated";
        return { kind, offset: this.#offset };
      }
      this.#readMore();
    }
  }
  // #endregion reader-next

  /**
   * Reads more of the file onto the end of the buffer: at least as much as
   * the buffer already holds, so that a command far larger than one read
   * is copied a few times, not once per megabyte.
   */
  #readMore(): void {
    const wanted = Math.max(READ_BYTES, this.#buffer.length);
    const chunk = Buffer.allocUnsafe(wanted);
    const count = readSync(this.#fd, chunk, 0, wanted, null);
    if (count === 0) this.#endOfFile = true;
    else this.#buffer = Buffer.concat([this.#buffer, chunk.subarray(0, count)]);
  }

  /**
   * `*<count>\r\n` then `count` times `$<length>\r\n<bytes>\r\n`, from the
   * start of the buffer: the arguments and the command's length in bytes,
   * or MORE if the buffer ends first.
   */
  #parseCommand(): { args: Buffer[]; length: number } | typeof MORE {
    const buffer = this.#buffer;
    if (buffer.length === 0) return MORE;
    if (buffer[0] === HASH) return MORE; // an annotation; its line end is still to come
    if (buffer[0] !== ASTERISK) {
      throw new AofFormatError(this.#offset, "expected '*' to start a command");
    }
    const count = this.#readNumber(0);
    if (count === MORE) return MORE;
    if (count.value < 1 || count.value > LIMITS.maxArgs) {
      throw new AofFormatError(this.#offset, "bad number of arguments");
    }

    const args: Buffer[] = [];
    let at = count.next;
    while (args.length < count.value) {
      if (at >= buffer.length) return MORE;
      if (buffer[at] !== DOLLAR) {
        throw new AofFormatError(
          this.#offset + at,
          "expected '$' to start an argument",
        );
      }
      const length = this.#readNumber(at);
      if (length === MORE) return MORE;
      if (length.value < 0 || length.value > LIMITS.maxBulkBytes) {
        throw new AofFormatError(this.#offset + at, "bad argument length");
      }
      const end = length.next + length.value;
      if (end + 2 > buffer.length) return MORE;
      if (buffer[end] !== CR || buffer[end + 1] !== LF) {
        throw new AofFormatError(
          this.#offset + end,
          "expected '\\r\\n' after an argument",
        );
      }
      args.push(buffer.subarray(length.next, end));
      at = end + 2;
    }
    return { args, length: at };
  }

  /**
   * The number after the `*` or `$` at `start`, up to its `\r\n`, and
   * where the next line starts.
   */
  #readNumber(start: number): { value: number; next: number } | typeof MORE {
    const buffer = this.#buffer;
    const lineEnd = buffer.indexOf(LF, start);
    if (lineEnd === -1 || lineEnd - start > MAX_LENGTH_LINE) {
      if (buffer.length - start <= MAX_LENGTH_LINE) return MORE;
      throw new AofFormatError(this.#offset + start, "line too long");
    }
    const digits = buffer.toString("latin1", start + 1, lineEnd - 1);
    if (buffer[lineEnd - 1] !== CR || !/^-?\d{1,19}$/.test(digits)) {
      throw new AofFormatError(this.#offset + start, "bad length line");
    }
    return { value: Number(digits), next: lineEnd + 1 };
  }
}
// #endregion reader
