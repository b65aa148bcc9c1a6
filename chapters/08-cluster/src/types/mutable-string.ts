/**
 * A string that commands change where it lies: Redis's raw `sds`, a byte
 * buffer with room to spare. A long string becomes one when SETBIT,
 * SETRANGE or BITFIELD edits it, and so does a long result of BITOP
 * (commands/string-edit.ts says from what length, and why); APPEND adds
 * to one in place, but makes none. Every other string stays a byte
 * string (keyspace.ts).
 *
 * Why a second kind of string: a byte string cannot change, so each bit
 * set in one made a new string of the whole value. On a 1 MB bitmap that
 * was milliseconds per SETBIT where Redis takes a microsecond; here it is
 * one byte written into a Buffer. The price is memory: a Buffer is an
 * object plus memory of its own, about 230 bytes besides the value's,
 * where a byte string costs 16 (measured on Node 20), so only long
 * strings that are edited become one.
 *
 * To the rest of the server it is a string like any other: TYPE says
 * `string`, OBJECT ENCODING `raw` (an edited string is raw in Redis,
 * whatever its length), and COPY gets a copy of its own.
 */

// #region mutable-string
/**
 * Room to spare past the end, as Redis's `sdsMakeRoomFor` leaves it: a
 * string that grows gets twice the length it needs while that is under
 * 1 MB, and 1 MB more after that, so a string grown a byte at a time
 * (SETBIT at rising offsets, APPEND in a loop) is copied only now and
 * then: O(1) per byte, amortized. A string made from nothing (SETBIT on
 * a new key) gets just its length, as Redis makes a new one.
 */
const MAX_PREALLOC = 1024 * 1024;

function capacityFor(length: number, from: number): number {
  if (from === 0) return length;
  return length < MAX_PREALLOC ? length * 2 : length + MAX_PREALLOC;
}

/**
 * A zeroed Buffer with memory of its own. (`Buffer.from` and
 * `allocUnsafe` carve small Buffers out of a shared 8 KB slab, which one
 * long-lived value would keep alive whole.)
 */
function ownBuffer(size: number): Buffer {
  return Buffer.alloc(size);
}

export class MutableString {
  /**
   * The bytes, then the spare room. Invariant: every byte past `#length`
   * is zero, so growing the string with zero bytes (SETBIT past the end)
   * is only a change of `#length` while the room lasts.
   */
  #buffer: Buffer;
  #length: number;

  private constructor(buffer: Buffer, length: number) {
    this.#buffer = buffer;
    this.#length = length;
  }

  /** A copy of a byte string (keyspace.ts), with no room to spare yet. */
  static of(text: string): MutableString {
    const buffer = ownBuffer(text.length);
    buffer.write(text, "latin1");
    return new MutableString(buffer, text.length);
  }

  /**
   * The string of `bytes`, a Buffer of its own (`Buffer.alloc`) made
   * whole by the caller, who gives it up.
   */
  static wrap(bytes: Buffer): MutableString {
    return new MutableString(bytes, bytes.length);
  }

  /** TYPE's name for it: a string, whatever it is made of. */
  get type(): "string" {
    return "string";
  }

  /** OBJECT ENCODING: an edited string is raw in Redis, however short. */
  get encoding(): "raw" {
    return "raw";
  }

  /** How many bytes it holds (STRLEN). */
  get length(): number {
    return this.#length;
  }

  /**
   * A copy of its own, for COPY and the AOF rewrite's pre-images, with
   * no room to spare (Redis's copy of a raw string is exact too).
   */
  clone(): MutableString {
    const copy = ownBuffer(this.#length);
    this.#buffer.copy(copy, 0, 0, this.#length);
    return new MutableString(copy, this.#length);
  }

  /** Byte `index`; 0 past the end, where a bitmap reads as zeros. */
  byteAt(index: number): number {
    return index < this.#length ? this.#buffer[index]! : 0;
  }

  /** Sets byte `index`, growing the string with zero bytes to reach it. */
  setByte(index: number, byte: number): void {
    this.#growTo(index + 1);
    this.#buffer[index] = byte;
  }

  /**
   * Writes `bytes` from `offset` on (SETRANGE), growing the string with
   * zero bytes if it is shorter than `offset`.
   */
  write(offset: number, bytes: Uint8Array): void {
    this.#growTo(offset + bytes.length);
    this.#buffer.set(bytes, offset);
  }

  /** Adds `bytes` at the end (APPEND). */
  append(bytes: Uint8Array): void {
    this.write(this.#length, bytes);
  }

  /** Bytes `start` to `end` (excluded), clamped to the string, as a byte string. */
  slice(start: number, end: number): string {
    return this.#buffer.toString("latin1", start, Math.min(end, this.#length));
  }

  /** The whole value as a byte string: a copy, for GET and the readers of text. */
  toString(): string {
    return this.#buffer.toString("latin1", 0, this.#length);
  }

  /**
   * The bytes, without copying them: a view that the next edit may
   * change, or leave behind when the string moves to a bigger buffer.
   * Read it at once (BITOP, BITCOUNT, BITPOS), never keep it.
   */
  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Makes the string `length` bytes long if it is shorter: zero bytes at the end. */
  #growTo(length: number): void {
    if (length <= this.#length) return;
    if (length > this.#buffer.length) {
      const bigger = ownBuffer(capacityFor(length, this.#length));
      this.#buffer.copy(bigger, 0, 0, this.#length);
      this.#buffer = bigger;
    }
    this.#length = length; // the room past the old end is zero already
  }
}
// #endregion mutable-string

/** A string value, whichever kind: a byte string or a MutableString. */
export type StringValue = string | MutableString;

/** The value as a byte string: itself, or a copy of a MutableString's bytes. */
export function textOf(value: StringValue): string {
  return typeof value === "string" ? value : value.toString();
}
