/**
 * Reads Redis's RDB encoding from a buffer: lengths, strings and doubles
 * (the counterpart of rdb-writer.ts). The bytes are untrusted, from a
 * client's RESTORE: every length is checked against the bytes left before
 * anything is read or allocated, so a corrupt payload throws an
 * RdbFormatError, never a RangeError, and never asks for a huge buffer.
 */
import { MAX_STRING_BYTES } from "../keyspace/keyspace.ts";
import { lzfDecompress } from "./lzf.ts";
import { RdbFormatError, StringEncoding } from "./rdb-format.ts";

/**
 * The most one byte of LZF can stand for: a 3-byte back reference copies
 * at most 264 bytes, so no stream expands more than 88 times. A claimed
 * length beyond that is a lie, refused before allocating it.
 */
const LZF_MAX_EXPANSION = 88;

export class RdbReader {
  #position = 0;

  constructor(readonly bytes: Buffer) {}

  /** How many bytes are left to read. */
  get remaining(): number {
    return this.bytes.length - this.#position;
  }

  #fail(why: string): never {
    throw new RdbFormatError(why);
  }

  /** The next `count` bytes, as a view; fails if fewer are left. */
  take(count: number): Buffer {
    if (count > this.remaining) this.#fail("unexpected end of data");
    const start = this.#position;
    this.#position += count;
    return this.bytes.subarray(start, start + count);
  }

  readByte(): number {
    return this.take(1)[0]!;
  }

  // #region length
  /**
   * A length (see rdb-writer.ts), or, where the top two bits are 11, the
   * marker of an encoded string: then `encoded` is the encoding byte.
   */
  #readLengthOrEncoding(): { length: number; encoded?: number } {
    const first = this.readByte();
    switch (first >> 6) {
      case 0:
        return { length: first & 0x3f };
      case 1:
        return { length: ((first & 0x3f) << 8) | this.readByte() };
      case 3:
        return { length: 0, encoded: first };
    }
    if (first === 0x80) return { length: this.take(4).readUInt32BE() };
    if (first === 0x81) {
      const length = this.take(8).readBigUInt64BE();
      if (length > BigInt(Number.MAX_SAFE_INTEGER))
        this.#fail("length too big");
      return { length: Number(length) };
    }
    return this.#fail("unknown length encoding");
  }

  /** A length; an encoded-string marker here is an error. */
  readLength(): number {
    const { length, encoded } = this.#readLengthOrEncoding();
    if (encoded !== undefined) this.#fail("encoded value where a length goes");
    return length;
  }

  /**
   * A count of items that each take at least `minBytes`: more than the
   * bytes left could hold is a lie, refused before any loop or allocation.
   */
  readCount(minBytes: number): number {
    const count = this.readLength();
    if (count * minBytes > this.remaining) this.#fail("count too big");
    return count;
  }
  // #endregion length

  // #region string
  /** A string's bytes, decoding an integer or LZF encoding. */
  readStringBytes(): Buffer {
    const { length, encoded } = this.#readLengthOrEncoding();
    if (encoded === undefined) return this.take(length);
    switch (encoded) {
      case StringEncoding.int8:
        return Buffer.from(String(this.take(1).readInt8()));
      case StringEncoding.int16:
        return Buffer.from(String(this.take(2).readInt16LE()));
      case StringEncoding.int32:
        return Buffer.from(String(this.take(4).readInt32LE()));
      case StringEncoding.lzf:
        return this.#readCompressed();
    }
    return this.#fail("unknown string encoding");
  }

  /** A string as a byte string (one character per byte). */
  readString(): string {
    return this.readStringBytes().toString("latin1");
  }

  #readCompressed(): Buffer {
    const compressedLength = this.readLength();
    const length = this.readLength();
    const compressed = this.take(compressedLength);
    if (length === 0 || length > compressedLength * LZF_MAX_EXPANSION) {
      this.#fail("bad compressed length");
    }
    if (length > MAX_STRING_BYTES) this.#fail("string too long");
    const bytes = lzfDecompress(compressed, length);
    if (bytes === undefined) this.#fail("corrupt LZF data");
    return bytes;
  }
  // #endregion string

  // #region double
  /** A score as 8 little-endian IEEE 754 bytes (ZSET_2). */
  readBinaryDouble(): number {
    return this.take(8).readDoubleLE();
  }

  /**
   * A score as text (the old ZSET type): a length byte, then that many
   * characters; the lengths 253, 254 and 255 stand for nan, inf and -inf.
   */
  readTextDouble(): number {
    const length = this.readByte();
    if (length === 253) return NaN;
    if (length === 254) return Infinity;
    if (length === 255) return -Infinity;
    const text = this.take(length).toString("latin1");
    const value = Number.parseFloat(text);
    if (Number.isNaN(value)) this.#fail("bad score text");
    return value;
  }
  // #endregion double
}
