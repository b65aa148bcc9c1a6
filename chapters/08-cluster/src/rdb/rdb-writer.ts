/**
 * Writes values in Redis's RDB encoding: lengths, strings and doubles,
 * the three things every value is made of. Strings are written as Redis
 * writes them (`rdbSaveRawString`): short integer text as a binary
 * integer, text over 20 bytes LZF-compressed when that saves at least 4
 * bytes, anything else as a length and its bytes.
 */
import { lzfCompress } from "./lzf.ts";
import { StringEncoding } from "./rdb-format.ts";

/** Redis's integer text: `0`, or an optional minus and no leading zero. */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]*)$/;

export class RdbWriter {
  /** What has been written, in pieces, joined once by `toBuffer`. */
  readonly #chunks: Buffer[] = [];
  #length = 0;

  #push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  writeByte(byte: number): void {
    this.#push(Buffer.of(byte));
  }

  writeBytes(bytes: Buffer): void {
    this.#push(bytes);
  }

  // #region length
  /**
   * A length, in 1, 2, 5 or 9 bytes: `00xxxxxx` up to 63, `01xxxxxx
   * xxxxxxxx` up to 16383, then 0x80 and 32 bits, or 0x81 and 64 bits,
   * big-endian (the one big-endian number in the format).
   */
  writeLength(length: number): void {
    if (length < 1 << 6) {
      this.writeByte(length);
    } else if (length < 1 << 14) {
      this.#push(Buffer.of(0x40 | (length >> 8), length & 0xff));
    } else if (length <= 0xffffffff) {
      const bytes = Buffer.alloc(5);
      bytes[0] = 0x80;
      bytes.writeUInt32BE(length, 1);
      this.#push(bytes);
    } else {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0x81;
      bytes.writeBigUInt64BE(BigInt(length), 1);
      this.#push(bytes);
    }
  }
  // #endregion length

  // #region string
  /** A string (its bytes as a byte string or a Buffer), as Redis writes it. */
  writeString(value: string | Buffer): void {
    const length = value.length;
    if (length <= 11 && this.#tryInteger(value)) return;
    const bytes =
      typeof value === "string" ? Buffer.from(value, "latin1") : value;
    if (length > 20 && this.#tryCompressed(bytes)) return;
    this.writeLength(length);
    this.#push(bytes);
  }

  /**
   * Integer text that reads back the same (`12`, not `012`) and fits 32
   * bits is written as a 1, 2 or 4-byte integer (`rdbTryIntegerEncoding`).
   */
  #tryInteger(value: string | Buffer): boolean {
    const text = typeof value === "string" ? value : value.toString("latin1");
    if (!INTEGER_TEXT.test(text)) return false;
    const n = Number(text);
    if (n >= -128 && n <= 127) {
      const bytes = Buffer.alloc(2);
      bytes[0] = StringEncoding.int8;
      bytes.writeInt8(n, 1);
      this.#push(bytes);
    } else if (n >= -32768 && n <= 32767) {
      const bytes = Buffer.alloc(3);
      bytes[0] = StringEncoding.int16;
      bytes.writeInt16LE(n, 1);
      this.#push(bytes);
    } else if (n >= -2147483648 && n <= 2147483647) {
      const bytes = Buffer.alloc(5);
      bytes[0] = StringEncoding.int32;
      bytes.writeInt32LE(n, 1);
      this.#push(bytes);
    } else {
      return false;
    }
    return true;
  }

  /**
   * LZF, if it saves at least 4 bytes (`rdbSaveLzfStringObject`): the
   * compressed length, the original length, then the compressed bytes.
   */
  #tryCompressed(bytes: Buffer): boolean {
    const compressed = lzfCompress(bytes, bytes.length - 4);
    if (compressed === undefined) return false;
    this.writeByte(StringEncoding.lzf);
    this.writeLength(compressed.length);
    this.writeLength(bytes.length);
    this.#push(compressed);
    return true;
  }
  // #endregion string

  /** A double as its 8 IEEE 754 bytes, little-endian (sorted set scores). */
  writeBinaryDouble(value: number): void {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    this.#push(bytes);
  }

  /** Everything written, as one buffer. */
  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks, this.#length);
  }
}
