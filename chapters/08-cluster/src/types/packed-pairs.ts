/**
 * A small hash's fields and values packed into one byte string, as Redis
 * packs them into one listpack: field, value, field, value..., in the
 * order the fields were added, each written as its length and its bytes.
 * A field is found by walking the string from the start, comparing as it
 * goes, which is what Redis does too (`lpFind`): for a few hundred short
 * pairs, a walk over contiguous bytes is as quick as hashing, and much
 * smaller.
 *
 * Why one string, and not an array `[f1, v1, f2, v2, ...]` or a Map? In
 * V8, every string is an object of its own, with a 16-byte header, and an
 * array or a Map adds a slot or an entry per string on top. Measured in
 * Node for a million hashes of four short pairs (`HSET key f1 xxx f2 xxx
 * ...`): about 350 bytes a hash as a flat array of strings, 375 as a Map,
 * 145 as a RedisHash holding this class (objects included; the packed
 * string itself is 40 bytes). The price is Redis's price too: a write
 * builds a new string, as a listpack write moves the bytes after it, so
 * it costs time in proportion to the hash's size; which is why a hash
 * leaves this form once it is big (types/hash.ts).
 *
 * A string is never changed, so a copy of the hash (COPY, or the AOF
 * rewrite's pre-image) shares it.
 */
import { constants } from "node:buffer";
import { EMPTY_LISTPACK_BYTES, listpackEntryBytes } from "./listpack-size.ts";

/**
 * The longest string V8 makes (about 512 MB), and so the most pairs one
 * packed string holds: less than Redis's listpacks may hold (1 GB), which
 * only a `hash-max-listpack-value` raised to megabytes can reach. See
 * `hasRoomFor`.
 */
const MAX_PACKED_BYTES = constants.MAX_STRING_LENGTH;

// #region pair-format
/**
 * A length below this takes one byte; a longer one takes this byte as a
 * marker, then four bytes of length, low byte first. Fields and values
 * here are short (64 bytes by default), so almost every length is one
 * byte; a longer one (hash-max-listpack-value set high) costs four more.
 */
const LONG_LENGTH = 0xff;

/** How many bytes the length of a string of `length` bytes takes. */
export function headerBytes(length: number): number {
  return length < LONG_LENGTH ? 1 : 5;
}

/** The length written at `position`. */
export function lengthAt(packed: string, position: number): number {
  const first = packed.charCodeAt(position);
  if (first < LONG_LENGTH) return first;
  return (
    packed.charCodeAt(position + 1) +
    packed.charCodeAt(position + 2) * 2 ** 8 +
    packed.charCodeAt(position + 3) * 2 ** 16 +
    packed.charCodeAt(position + 4) * 2 ** 24
  );
}

/** `text` as it is packed: its length, then its bytes. */
export function packedEntry(text: string): string {
  const length = text.length;
  if (length < LONG_LENGTH) return String.fromCharCode(length) + text;
  return (
    String.fromCharCode(
      LONG_LENGTH,
      length & 0xff,
      (length >>> 8) & 0xff,
      (length >>> 16) & 0xff,
      length >>> 24,
    ) + text
  );
}

/** Where one pair lies in the packed string: its field's and its value's bytes. */
interface PairPosition {
  /** Where the pair starts: its field's length. */
  readonly start: number;
  readonly fieldStart: number;
  readonly fieldEnd: number;
  readonly valueStart: number;
  /** Where the pair ends: its value's last byte, plus one. */
  readonly valueEnd: number;
}

/** The pair that starts at `start`. */
function pairAt(packed: string, start: number): PairPosition {
  const fieldLength = lengthAt(packed, start);
  const fieldStart = start + headerBytes(fieldLength);
  const fieldEnd = fieldStart + fieldLength;
  const valueLength = lengthAt(packed, fieldEnd);
  const valueStart = fieldEnd + headerBytes(valueLength);
  return {
    start,
    fieldStart,
    fieldEnd,
    valueStart,
    valueEnd: valueStart + valueLength,
  };
}
// #endregion pair-format

export class PackedPairs {
  /**
   * The pairs, packed. Always a flat string (built by `join`, never by
   * `+`, which would leave a tree of pieces holding the old string).
   */
  #packed = "";
  #size = 0;
  /**
   * What a listpack holding these pairs takes in Redis, to the byte
   * (listpack-size.ts): Redis never lets a listpack grow past 1 GB, and
   * the hash looks at this figure to leave this form where Redis does.
   */
  #listpackBytes = EMPTY_LISTPACK_BYTES;

  /** How many pairs. */
  get size(): number {
    return this.#size;
  }

  get listpackBytes(): number {
    return this.#listpackBytes;
  }

  // #region find
  /** Where the pair of `field` lies, or undefined. */
  #find(field: string): PairPosition | undefined {
    const packed = this.#packed;
    let start = 0;
    while (start < packed.length) {
      const fieldLength = lengthAt(packed, start);
      const fieldStart = start + headerBytes(fieldLength);
      // Lengths first: most fields differ there, and the bytes are then
      // compared where they lie, without cutting a string out.
      if (
        fieldLength === field.length &&
        packed.startsWith(field, fieldStart)
      ) {
        return pairAt(packed, start);
      }
      const valueAt = fieldStart + fieldLength;
      const valueLength = lengthAt(packed, valueAt);
      start = valueAt + headerBytes(valueLength) + valueLength;
    }
    return undefined;
  }
  // #endregion find

  get(field: string): string | undefined {
    const pair = this.#find(field);
    return pair && this.#packed.slice(pair.valueStart, pair.valueEnd);
  }

  has(field: string): boolean {
    return this.#find(field) !== undefined;
  }

  // #region write
  /**
   * Whether `field` and `value` are sure to fit in the packed string,
   * which V8 cannot make longer than MAX_PACKED_BYTES. (Counted as a new
   * pair even if the field is there: near half a gigabyte, a hash may as
   * well convert a write early.)
   */
  hasRoomFor(field: string, value: string): boolean {
    const bytes =
      headerBytes(field.length) +
      field.length +
      headerBytes(value.length) +
      value.length;
    return this.#packed.length + bytes <= MAX_PACKED_BYTES;
  }

  /**
   * Sets `field` to `value`; true if the field is new. A new pair goes at
   * the end; a field that exists keeps its place, with its new value.
   */
  set(field: string, value: string): boolean {
    const packed = this.#packed;
    const pair = this.#find(field);
    if (pair === undefined) {
      this.#packed = [packed, packedEntry(field), packedEntry(value)].join("");
      this.#size += 1;
      this.#listpackBytes +=
        listpackEntryBytes(field) + listpackEntryBytes(value);
      return true;
    }
    const old = packed.slice(pair.valueStart, pair.valueEnd);
    this.#packed = [
      packed.slice(0, pair.fieldEnd),
      packedEntry(value),
      packed.slice(pair.valueEnd),
    ].join("");
    this.#listpackBytes += listpackEntryBytes(value) - listpackEntryBytes(old);
    return false;
  }

  /** Removes `field` and its value; the pairs after it close the gap. True if it was there. */
  delete(field: string): boolean {
    const packed = this.#packed;
    const pair = this.#find(field);
    if (pair === undefined) return false;
    this.#listpackBytes -=
      listpackEntryBytes(field) +
      listpackEntryBytes(packed.slice(pair.valueStart, pair.valueEnd));
    this.#packed = [
      packed.slice(0, pair.start),
      packed.slice(pair.valueEnd),
    ].join("");
    this.#size -= 1;
    return true;
  }
  // #endregion write

  /** Every pair, in order. */
  *#positions(): IterableIterator<PairPosition> {
    // The string of this moment: a change made meanwhile builds a new one.
    const packed = this.#packed;
    for (let start = 0; start < packed.length;) {
      const pair = pairAt(packed, start);
      yield pair;
      start = pair.valueEnd;
    }
  }

  /**
   * Every field and its value, in order. The strings are slices of the
   * packed one, which V8 may keep as views of it: right for a reply, not
   * for keeping (see `copiedEntries`).
   */
  *entries(): IterableIterator<[field: string, value: string]> {
    const packed = this.#packed;
    for (const pair of this.#positions()) {
      yield [
        packed.slice(pair.fieldStart, pair.fieldEnd),
        packed.slice(pair.valueStart, pair.valueEnd),
      ];
    }
  }

  /**
   * Every field and its value, in order, each a string of its own: for a
   * hash table that will keep them. A slice of 13 bytes or more would be a
   * view that keeps the whole packed string alive; decoding from a Buffer
   * copy of it makes new strings.
   */
  *copiedEntries(): IterableIterator<[field: string, value: string]> {
    const bytes = Buffer.from(this.#packed, "latin1");
    for (const pair of this.#positions()) {
      yield [
        bytes.toString("latin1", pair.fieldStart, pair.fieldEnd),
        bytes.toString("latin1", pair.valueStart, pair.valueEnd),
      ];
    }
  }

  /** A copy, which shares the packed string: no one ever changes it. */
  clone(): PackedPairs {
    const copy = new PackedPairs();
    copy.#packed = this.#packed;
    copy.#size = this.#size;
    copy.#listpackBytes = this.#listpackBytes;
    return copy;
  }
}
