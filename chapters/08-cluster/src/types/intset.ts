/**
 * An intset: Redis's compact encoding for a small set of integers
 * (intset.c). The integers lie side by side in one block of memory, in
 * ascending order, all of one width: 16 bits while every member fits,
 * 32 or 64 bits after a member that needs them. A lookup is a binary
 * search; an insertion moves the larger members up by one place. Both
 * are cheap because an intset stays small (512 members by default, see
 * `set-max-intset-entries`); a set that grows past that becomes a hash
 * table (set.ts).
 *
 * The block of memory is a JavaScript string, one UTF-16 code unit per 16
 * bits: a member takes one unit at width 16, two at width 32, four at
 * width 64. Why not an Int16Array, Int32Array or BigInt64Array? Because
 * memory is the point of an intset, and V8 spends about 200 bytes on a
 * typed array's objects before its first element, where a string costs a
 * 16-byte header (measured with `node --expose-gc`: 208 bytes for an
 * Int16Array of 4, 24 for a string of 4 units). A string is immutable, so
 * each change makes a new one, much as Redis reallocates its intset on
 * every insertion; and a copy (COPY, an AOF rewrite) is free.
 */

// #region width
/** How many bits each member takes: Redis's INTSET_ENC_INT16, 32 and 64. */
export type IntsetWidth = 16 | 32 | 64;

const INT16_MIN = -(2n ** 15n);
const INT16_MAX = 2n ** 15n - 1n;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** The narrowest width that holds `value` (Redis's `_intsetValueEncoding`). */
export function widthOf(value: bigint): IntsetWidth {
  if (value < INT32_MIN || value > INT32_MAX) return 64;
  if (value < INT16_MIN || value > INT16_MAX) return 32;
  return 16;
}

/** Code units per member at each width. */
const UNITS: Record<IntsetWidth, number> = { 16: 1, 32: 2, 64: 4 };
// #endregion width

// #region code-units
/**
 * `value` as the code units of one member, most significant first, in
 * two's complement: `-1` at width 16 is the unit 0xffff.
 */
function encode(value: bigint, width: IntsetWidth): string {
  if (width === 16) return String.fromCharCode(Number(value) & 0xffff);
  if (width === 32) {
    const n = Number(value);
    return String.fromCharCode((n >>> 16) & 0xffff, n & 0xffff);
  }
  const bits = BigInt.asUintN(64, value);
  return String.fromCharCode(
    Number((bits >> 48n) & 0xffffn),
    Number((bits >> 32n) & 0xffffn),
    Number((bits >> 16n) & 0xffffn),
    Number(bits & 0xffffn),
  );
}

/** The member whose units start at `at` in `units`: `encode` undone. */
function decode(units: string, at: number, width: IntsetWidth): bigint {
  // `<< 16` gives a signed 32-bit result, which restores the sign.
  if (width === 16) return BigInt((units.charCodeAt(at) << 16) >> 16);
  if (width === 32) {
    return BigInt((units.charCodeAt(at) << 16) | units.charCodeAt(at + 1));
  }
  let bits = 0n;
  for (let i = 0; i < 4; i++) {
    bits = (bits << 16n) | BigInt(units.charCodeAt(at + i));
  }
  return BigInt.asIntN(64, bits);
}
// #endregion code-units

export class Intset {
  /** The members, ascending, each `UNITS[#width]` code units long. */
  #units = "";
  /** The width of every member: it only grows (Redis never narrows an intset). */
  #width: IntsetWidth = 16;

  /**
   * An intset of `members`, ascending and distinct, each of which fits
   * `width`: RESTORE keeps the width of the intset it was sent, as Redis
   * keeps the bytes, even where narrower would do.
   */
  static of(members: readonly bigint[], width: IntsetWidth): Intset {
    const intset = new Intset();
    intset.#width = width;
    intset.#units = members.map((member) => encode(member, width)).join("");
    return intset;
  }

  /** How many members. */
  get size(): number {
    return this.#units.length / UNITS[this.#width];
  }

  /** How many bits each member takes now. */
  get width(): IntsetWidth {
    return this.#width;
  }

  /** The member at `index` (0 is the smallest). */
  at(index: number): bigint {
    return decode(this.#units, index * UNITS[this.#width], this.#width);
  }

  has(value: bigint): boolean {
    // A value wider than the members cannot be one of them.
    return widthOf(value) <= this.#width && this.#search(value).found;
  }

  // #region search
  /**
   * Where `value` is, or where it would go to keep the order: Redis's
   * `intsetSearch`. The two ends are checked first, since members are
   * often added in ascending order, then the middle is halved.
   */
  #search(value: bigint): { found: boolean; index: number } {
    const size = this.size;
    if (size === 0) return { found: false, index: 0 };
    if (value > this.at(size - 1)) return { found: false, index: size };
    if (value < this.at(0)) return { found: false, index: 0 };
    let low = 0;
    let high = size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const current = this.at(middle);
      if (current === value) return { found: true, index: middle };
      if (current < value) low = middle + 1;
      else high = middle - 1;
    }
    return { found: false, index: low };
  }
  // #endregion search

  // #region add
  /** Adds `value` in its place; false if it was already there. */
  add(value: bigint): boolean {
    const width = widthOf(value);
    if (width > this.#width) {
      this.#widenFor(value, width);
      return true;
    }
    const { found, index } = this.#search(value);
    if (found) return false;
    this.#splice(index * UNITS[this.#width], 0, encode(value, this.#width));
    return true;
  }

  /**
   * Redis's `intsetUpgradeAndAdd`: rewrites every member at the new width,
   * and puts `value` at an end without searching. It is too wide for the
   * old width, so it is below every member if negative, above if not.
   */
  #widenFor(value: bigint, width: IntsetWidth): void {
    let units = "";
    for (let i = 0; i < this.size; i++) units += encode(this.at(i), width);
    const added = encode(value, width);
    this.#width = width;
    this.#setUnits(value < 0n ? added + units : units + added);
  }
  // #endregion add

  /** Removes `value`; false if it was not there. The width stays. */
  delete(value: bigint): boolean {
    if (widthOf(value) > this.#width) return false;
    const { found, index } = this.#search(value);
    if (!found) return false;
    const units = UNITS[this.#width];
    this.#splice(index * units, units, "");
    return true;
  }

  /** A member picked at random (Redis's `intsetRandom`); the intset must not be empty. */
  random(): bigint {
    return this.at(Math.floor(Math.random() * this.size));
  }

  /** Every member, ascending. */
  *values(): IterableIterator<bigint> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  /** A copy: the string is shared, and never changes. */
  clone(): Intset {
    const copy = new Intset();
    copy.#units = this.#units;
    copy.#width = this.#width;
    return copy;
  }

  /** Replaces `count` units at `at` with `inserted`. */
  #splice(at: number, count: number, inserted: string): void {
    const units = this.#units;
    this.#setUnits(units.slice(0, at) + inserted + units.slice(at + count));
  }

  #setUnits(units: string): void {
    this.#units = units;
    // V8 keeps a joined string as a pair of pointers to its pieces, which
    // hold on to the old string, until something reads it: reading one
    // unit now makes it one flat block of its own size.
    units.charCodeAt(0);
  }
}
