/**
 * One node of a quicklist (quicklist.ts): a run of list elements packed
 * into one byte string, as Redis packs them into one listpack.
 *
 * Each element is stored as its length, its bytes, and its length again
 * written backwards, so the node can be read from either end: a length
 * below 128 takes one byte, a longer one more (7 bits per byte, the high
 * bit saying another byte follows). A byte string (one character per byte,
 * see keyspace.ts) is one allocation with a 16-byte header, where an array
 * of strings costs a string object and a slot per element, and a Buffer an
 * object and a separate allocation per node: quicklist.ts has the figures.
 *
 * V8 strings cannot change, so writing into a node means building a new
 * string: O(node size), as inserting into a listpack moves its bytes in
 * Redis. What a list does most, pushing and popping at its ends, must not
 * pay that every time, so a node has two cheap ends:
 * - a pop moves a cursor over the packed string instead of copying it
 *   (`#start` and `#end`); once more than half the string is popped, the
 *   rest is copied into a string of its own, so memory stays bounded;
 * - a push is "staged" in a small array (`#front`, `#back`) and packed
 *   later, once the staged elements are worth a copy of the packed ones: at
 *   most 64 bytes copied per element pushed (SETTLE_BYTES_PER_ENTRY). A
 *   small node is thus repacked at every push, which costs little, and a
 *   full 8 KB node every 128 pushes. Only the two end nodes of a list
 *   stage: a node packs what it staged once it is no longer at an end.
 *
 * A node of exactly one element keeps it as it is, not packed: an element
 * too big to share a node (Redis 7.0 gives it a node of its own) is never
 * copied. An element read out of a packed node is a slice of its string,
 * which V8 may keep as a view of it (from 13 bytes on): it holds at most
 * that node's bytes, and only until it is packed elsewhere or dropped.
 */
import { EMPTY_LISTPACK_BYTES, listpackEntryBytes } from "./listpack-size.ts";

/** A staged push is packed once packing costs at most this many bytes of copying per staged element. */
const SETTLE_BYTES_PER_ENTRY = 64;

export class QuicklistNode {
  prev: QuicklistNode | undefined = undefined;
  next: QuicklistNode | undefined = undefined;
  /** How many elements the node holds, packed and staged. */
  count = 0;
  /**
   * The bytes of a listpack holding these elements in Redis
   * (listpack-size.ts): what the fill rules of node-fill.ts weigh.
   */
  listpackBytes = EMPTY_LISTPACK_BYTES;

  /**
   * The packed elements; or, when `#single` is set, the node's only packed
   * element itself. Never changed in place: a string may be shared with a
   * clone of the list (see `clone`).
   */
  #packed = "";
  #single = false;
  /** The part of `#packed` still in the list: pops move these. */
  #start = 0;
  #end = 0;
  /** Elements pushed at the front and not packed yet, the first element last. */
  #front: string[] | undefined = undefined;
  /** Elements pushed at the back and not packed yet, in order. */
  #back: string[] | undefined = undefined;

  /** A node holding `values`, in order (at least one). */
  static of(values: readonly string[]): QuicklistNode {
    const node = new QuicklistNode();
    node.replaceValues(values);
    return node;
  }

  // #region ends
  pushFront(value: string): void {
    this.#stage(value);
    (this.#front ??= []).push(value);
    this.#settleIfWorthIt();
  }

  pushBack(value: string): void {
    this.#stage(value);
    (this.#back ??= []).push(value);
    this.#settleIfWorthIt();
  }

  /** Removes and returns the first element (the node must not be empty). */
  popFront(): string {
    let value: string;
    if (this.#front !== undefined && this.#front.length > 0) {
      value = this.#front.pop()!;
    } else if (this.#packedCount() > 0) {
      value = this.#takePackedFirst();
    } else {
      value = this.#back!.shift()!;
    }
    this.#unstage(value);
    return value;
  }

  /** Removes and returns the last element (the node must not be empty). */
  popBack(): string {
    let value: string;
    if (this.#back !== undefined && this.#back.length > 0) {
      value = this.#back.pop()!;
    } else if (this.#packedCount() > 0) {
      value = this.#takePackedLast();
    } else {
      value = this.#front!.shift()!;
    }
    this.#unstage(value);
    return value;
  }
  // #endregion ends

  /** The element at `offset`, 0 to count - 1. */
  at(offset: number): string {
    const front = this.#front?.length ?? 0;
    if (offset < front) return this.#front![front - 1 - offset]!;
    const packed = this.#packedCount();
    const inPacked = offset - front;
    if (inPacked >= packed) return this.#back![inPacked - packed]!;
    if (this.#single) return this.#packed;
    // Walk from whichever end of the packed elements is nearer.
    if (inPacked < packed / 2) {
      const position = this.#skipForward(this.#start, inPacked);
      return readForward(this.#packed, position);
    }
    let position = this.#end;
    for (let i = packed - 1; i > inPacked; i--) {
      position -= entryBytes(lengthBefore(this.#packed, position));
    }
    return readBackward(this.#packed, position);
  }

  /** Appends the elements from `from` to `to` (exclusive) to `out`, in order. */
  copyRange(out: string[], from: number, to: number): void {
    const front = this.#front ?? [];
    const packed = this.#packedCount();
    let offset = from;
    for (; offset < to && offset < front.length; offset++) {
      out.push(front[front.length - 1 - offset]!);
    }
    const packedEnd = front.length + packed;
    if (offset < to && offset < packedEnd) {
      if (this.#single) {
        out.push(this.#packed);
        offset++;
      } else {
        let position = this.#skipForward(this.#start, offset - front.length);
        for (; offset < to && offset < packedEnd; offset++) {
          const length = lengthAt(this.#packed, position);
          const header = lengthBytes(length);
          out.push(
            this.#packed.slice(position + header, position + header + length),
          );
          position += length + 2 * header;
        }
      }
    }
    for (; offset < to; offset++) out.push(this.#back![offset - packedEnd]!);
  }

  /** Every element, in order. */
  values(): string[] {
    const out: string[] = [];
    this.copyRange(out, 0, this.count);
    return out;
  }

  /**
   * Makes the node hold `values` instead, packed anew: how every change
   * away from the ends is made, in O(node size).
   */
  replaceValues(values: readonly string[]): void {
    this.count = values.length;
    this.listpackBytes = EMPTY_LISTPACK_BYTES;
    for (const value of values) this.listpackBytes += listpackEntryBytes(value);
    this.#front = undefined;
    this.#back = undefined;
    this.#single = values.length === 1;
    if (values.length === 1) {
      this.#packed = values[0]!;
    } else {
      let size = 0;
      for (const value of values) size += entryBytes(value.length);
      reserve(size);
      let at = 0;
      for (const value of values) at = writeEntry(at, value);
      this.#packed = assembled(at);
    }
    this.#start = 0;
    this.#end = this.#packed.length;
  }

  /**
   * Removes up to `limit` elements equal to `value`, searching from the
   * front or, with `fromBack`, from the back; returns how many went.
   */
  removeMatching(value: string, limit: number, fromBack: boolean): number {
    // Most nodes hold no match: a search of the packed bytes (in native
    // code) says so without taking a single element out.
    if (
      !this.#packed.includes(value) &&
      !(this.#front?.includes(value) ?? false) &&
      !(this.#back?.includes(value) ?? false)
    ) {
      return 0;
    }
    const values = this.values();
    const kept: string[] = [];
    let removed = 0;
    const order = fromBack ? [...values].reverse() : values;
    for (const element of order) {
      if (removed < limit && element === value) removed++;
      else kept.push(element);
    }
    if (removed > 0) this.replaceValues(fromBack ? kept.reverse() : kept);
    return removed;
  }

  /**
   * A node with the same elements, sharing this one's packed string: the
   * string never changes, so sharing it costs nothing and is safe; the
   * node that changes next builds a string of its own (copy-on-write).
   */
  clone(): QuicklistNode {
    const copy = new QuicklistNode();
    copy.count = this.count;
    copy.listpackBytes = this.listpackBytes;
    copy.#packed = this.#packed;
    copy.#single = this.#single;
    copy.#start = this.#start;
    copy.#end = this.#end;
    copy.#front = this.#front?.slice();
    copy.#back = this.#back?.slice();
    return copy;
  }

  /** How many elements were pushed and are not packed yet. */
  get staged(): number {
    return (this.#front?.length ?? 0) + (this.#back?.length ?? 0);
  }

  /** How many elements are packed (the rest are staged). */
  #packedCount(): number {
    return this.count - (this.#front?.length ?? 0) - (this.#back?.length ?? 0);
  }

  #stage(value: string): void {
    this.count++;
    this.listpackBytes += listpackEntryBytes(value);
  }

  #unstage(value: string): void {
    this.count--;
    this.listpackBytes -= listpackEntryBytes(value);
  }

  /** Packs the staged elements once that costs little enough per element. */
  #settleIfWorthIt(): void {
    const staged = this.staged;
    const packedBytes = this.#single
      ? this.#packed.length
      : this.#end - this.#start;
    if (staged * SETTLE_BYTES_PER_ENTRY >= packedBytes) this.settle();
  }

  /**
   * Packs the staged elements now. The quicklist calls it when a node
   * stops being at an end of the list: pushes will not come back to it, so
   * staging would only cost memory.
   */
  settle(): void {
    if (this.#front === undefined && this.#back === undefined) return;
    const front = this.#front ?? [];
    const back = this.#back ?? [];
    const packedBytes = this.#single
      ? this.#packed.length
      : this.#end - this.#start;
    let size = this.#single ? entryBytes(packedBytes) : packedBytes;
    for (const value of front) size += entryBytes(value.length);
    for (const value of back) size += entryBytes(value.length);
    reserve(size);
    let at = 0;
    for (let i = front.length - 1; i >= 0; i--) at = writeEntry(at, front[i]!);
    if (this.#single) at = writeEntry(at, this.#packed);
    else at = writeBytes(at, this.#packed.slice(this.#start, this.#end));
    for (const value of back) at = writeEntry(at, value);
    this.#packed = assembled(at);
    this.#single = false;
    this.#start = 0;
    this.#end = at;
    this.#front = undefined;
    this.#back = undefined;
  }

  #takePackedFirst(): string {
    if (this.#single) return this.#takeSingle();
    const length = lengthAt(this.#packed, this.#start);
    const value = readForward(this.#packed, this.#start);
    this.#start += entryBytes(length);
    this.#compactIfSparse();
    return value;
  }

  #takePackedLast(): string {
    if (this.#single) return this.#takeSingle();
    const length = lengthBefore(this.#packed, this.#end);
    const value = readBackward(this.#packed, this.#end);
    this.#end -= entryBytes(length);
    this.#compactIfSparse();
    return value;
  }

  #takeSingle(): string {
    const value = this.#packed;
    this.#packed = "";
    this.#single = false;
    this.#start = 0;
    this.#end = 0;
    return value;
  }

  /**
   * Once most of the packed string has been popped, copies what is left
   * into a string of its own, so that the popped bytes can be freed. Each
   * copy is at most as big as what was popped since the last one, so the
   * copying adds O(1) per pop.
   */
  #compactIfSparse(): void {
    const live = this.#end - this.#start;
    if (live === 0) {
      this.#packed = "";
      this.#start = 0;
      this.#end = 0;
    } else if (this.#packed.length - live > live) {
      reserve(live);
      this.#packed = assembled(
        writeBytes(0, this.#packed.slice(this.#start, this.#end)),
      );
      this.#start = 0;
      this.#end = live;
    }
  }

  /** The position of the packed element `count` elements after `position`. */
  #skipForward(position: number, count: number): number {
    let at = position;
    for (let i = 0; i < count; i++) {
      at += entryBytes(lengthAt(this.#packed, at));
    }
    return at;
  }
}

// #region packed-format
/** How many bytes a length takes before (and again after) an element. */
function lengthBytes(length: number): number {
  if (length < 2 ** 7) return 1;
  if (length < 2 ** 14) return 2;
  if (length < 2 ** 21) return 3;
  if (length < 2 ** 28) return 4;
  return 5;
}

/** The packed bytes of an element of `length` bytes. */
function entryBytes(length: number): number {
  return length + 2 * lengthBytes(length);
}

/** The length written at `position`, read forwards. */
function lengthAt(packed: string, position: number): number {
  let length = 0;
  let shift = 0;
  let at = position;
  let byte: number;
  do {
    byte = packed.charCodeAt(at++);
    length |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  return length;
}

/** The length written just before `end`, read backwards. */
function lengthBefore(packed: string, end: number): number {
  let length = 0;
  let shift = 0;
  let at = end;
  let byte: number;
  do {
    byte = packed.charCodeAt(--at);
    length |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  return length;
}

/** The element that starts at `position`. */
function readForward(packed: string, position: number): string {
  const length = lengthAt(packed, position);
  const start = position + lengthBytes(length);
  return packed.slice(start, start + length);
}

/** The element that ends at `end`. */
function readBackward(packed: string, end: number): string {
  const length = lengthBefore(packed, end);
  const stop = end - lengthBytes(length);
  return packed.slice(stop - length, stop);
}
// #endregion packed-format

// #region assembly
/**
 * Where new packed strings are put together, byte by byte, before one
 * `toString` makes the string: a string built with `+` would be a tree of
 * pieces in V8 (a "cons string"), flattened at some later read, and could
 * keep whatever it was built from alive. Shared by every node: the server
 * runs one command at a time.
 */
let assembly = Buffer.allocUnsafe(16 * 1024);

/** Makes sure `bytes` fit in the assembly buffer. */
function reserve(bytes: number): void {
  if (assembly.length < bytes) {
    assembly = Buffer.allocUnsafe(Math.max(bytes, 2 * assembly.length));
  }
}

/** Writes `value` as a packed element at `at`; returns where it ends. */
function writeEntry(at: number, value: string): number {
  const header = writeLength(at, value.length);
  let end = header + assembly.write(value, header, "latin1");
  // The same length bytes again, in reverse order, to be read backwards.
  for (let i = header - 1; i >= at; i--) assembly[end++] = assembly[i]!;
  return end;
}

/** Writes `length` at `at`, 7 bits per byte, low bits first; returns where it ends. */
function writeLength(at: number, length: number): number {
  let rest = length;
  let end = at;
  while (rest >= 0x80) {
    assembly[end++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  assembly[end++] = rest;
  return end;
}

/** Copies already-packed bytes; returns where they end. */
function writeBytes(at: number, bytes: string): number {
  return at + assembly.write(bytes, at, "latin1");
}

/** The first `length` bytes of the assembly buffer, as a new byte string. */
function assembled(length: number): string {
  return assembly.toString("latin1", 0, length);
}
// #endregion assembly
