/**
 * The bytes a client has sent that the parser has not consumed yet: Redis
 * calls this the query buffer.
 *
 * TCP delivers a stream, not messages, so a command can end in the next
 * chunk, or the one after. The obvious fix, `Buffer.concat([rest, chunk])` on
 * every chunk, copies everything buffered so far each time: a 50 MB value
 * arriving in 64 KB chunks would cost about 20 GB of copying. This buffer
 * keeps that linear:
 *
 * - when nothing is pending (the usual case: chunks hold whole commands),
 *   the chunk itself becomes the buffer, with no copy at all;
 * - otherwise chunks are copied into spare room at the end, and when the room
 *   runs out the buffer is reallocated at twice the size it needs, so each
 *   byte is copied a small, constant number of times on average.
 *
 * `take()` hands out views (`subarray`), not copies, so the bytes behind a
 * view must never change. The rule that guarantees it: memory is only ever
 * written once, past the end of what was received, and a buffer that has
 * been consumed to the end is dropped, never reused.
 *
 * A view keeps all of its memory alive: a 3-byte argument taken from a
 * 64 KiB socket chunk pins the 64 KiB for as long as it is kept. Fine for
 * the moment a command runs; a value stored for longer (chapter 03's
 * keyspace) must be copied out.
 */
const EMPTY = Buffer.alloc(0);

/** Smallest buffer we allocate when chunks must be joined (Redis reads 16 KB at a time). */
const MIN_CAPACITY = 16 * 1024;

export class InputBuffer {
  /** Backing memory; the unconsumed bytes are `#bytes[#start..#end)`. */
  #bytes: Buffer = EMPTY;
  #start = 0;
  #end = 0;
  /**
   * True when `#bytes` is memory we allocated, so the room after `#end` is
   * ours to fill. A chunk adopted from the socket belongs to Node.
   */
  #owned = false;
  /** Set by `expect()`: how many bytes the parser is waiting for, at most. */
  #expected = 0;

  /** Number of unconsumed bytes. */
  get length(): number {
    return this.#end - this.#start;
  }

  // #region append
  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length === 0) {
      this.#bytes = chunk;
      this.#start = 0;
      this.#end = chunk.length;
      this.#owned = false;
      return;
    }
    if (!this.#owned || this.#end + chunk.length > this.#bytes.length) {
      this.#grow(this.length + chunk.length);
    }
    chunk.copy(this.#bytes, this.#end);
    this.#end += chunk.length;
  }

  /**
   * The parser's hint that the next `count` bytes form one argument: when
   * the buffer grows, it grows to that size at most, so a 200 MB argument
   * gets 200 MB, not the 256 MB that doubling would reach. Nothing is
   * reserved here; room is still only made as bytes arrive.
   */
  expect(count: number): void {
    this.#expected = count;
  }

  /**
   * Moves the unconsumed bytes to new memory with room for `needed` bytes
   * and as many again, or only up to what the parser said it expects.
   */
  #grow(needed: number): void {
    let capacity = Math.max(needed * 2, MIN_CAPACITY);
    if (this.#expected >= needed) capacity = Math.min(capacity, this.#expected);
    const bigger = Buffer.allocUnsafe(capacity);
    this.#bytes.copy(bigger, 0, this.#start, this.#end);
    this.#end = this.length;
    this.#start = 0;
    this.#bytes = bigger;
    this.#owned = true;
  }
  // #endregion append

  /** The byte at `offset` from the first unconsumed byte. */
  byteAt(offset: number): number {
    // Callers check `length` first; the non-null assertion states that.
    return this.#bytes[this.#start + offset]!;
  }

  /** Offset of the first `byte` at or after `from`, or -1 if it has not arrived. */
  indexOf(byte: number, from: number): number {
    const at = this.#bytes.indexOf(byte, this.#start + from);
    // Past #end lies spare room, not data: a match there is no match.
    return at === -1 || at >= this.#end ? -1 : at - this.#start;
  }

  // #region take
  /** Removes the next `count` bytes and returns them as a view, without copying. */
  take(count: number): Buffer {
    const view = this.#bytes.subarray(this.#start, this.#start + count);
    this.skip(count);
    return view;
  }

  /** Removes the next `count` bytes. */
  skip(count: number): void {
    this.#start += count;
    this.#expected = 0; // it was about bytes now consumed
    if (this.#start === this.#end) {
      // Consumed to the end: let go of the memory instead of rewinding into
      // it, since views handed out by take() may still point there.
      this.#bytes = EMPTY;
      this.#start = this.#end = 0;
      this.#owned = false;
    }
  }
  // #endregion take
}
