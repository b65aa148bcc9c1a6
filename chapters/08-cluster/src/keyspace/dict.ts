/**
 * A hash table of our own, shaped like Redis's `dict`: an array of buckets,
 * each a chain of entries, whose size is a power of two.
 *
 * Why not JavaScript's `Map`? A Map does lookups as well as this (better:
 * its hashing is native code), but it cannot do three things the keyspace
 * needs and Redis's dict does cheaply:
 *
 * - SCAN with a cursor that is just a number, so the server keeps no state
 *   per scan, yet a full scan returns every key that was there all along,
 *   even if the table grew or shrank in between (see `scan`);
 * - RANDOMKEY in constant time (a Map can only be walked from the start);
 * - sampling random keys, which chapter 04's active expiry is built on.
 *
 * All three need to reach a bucket by its number, which a Map never shows.
 *
 * One simplification: Redis rehashes incrementally (a few buckets per
 * command), so growing a table of millions of keys never stalls the server.
 * We rehash in one go when the table doubles or shrinks. The article
 * measures that pause, and makes incremental rehashing an exercise.
 */

import { randomInt } from "node:crypto";

// #region entry
/**
 * One key and its value, linked to the next entry of the same bucket, and
 * a small integer its owner may keep per key (`meta`): the keyspace keeps
 * what Redis keeps in a value's header there (keyspace/object-header.ts).
 * A small integer lives in the field itself, so it costs one field.
 */
class Entry<V> {
  constructor(
    readonly key: string,
    public value: V,
    public next: Entry<V> | undefined,
    public meta: number,
  ) {}
}

/** What `find` shows of an entry: its value and its `meta`, both changeable in place. */
export interface DictEntry<V> {
  readonly key: string;
  value: V;
  meta: number;
}
// #endregion entry

/** The smallest table, as in Redis. */
const INITIAL_SIZE = 4;
/** Shrink when fewer than 1 in 10 buckets would be used (Redis's HASHTABLE_MIN_FILL). */
const MIN_FILL_PERCENT = 10;

export class Dict<V> {
  // #region buckets
  /** The buckets; the length is always a power of two, so `hash & mask` picks one. */
  #buckets: (Entry<V> | undefined)[] = new Array(INITIAL_SIZE);
  #mask = INITIAL_SIZE - 1;
  #size = 0;
  /**
   * Mixed into every hash. Chosen at random per table, from the operating
   * system's secure source (Math.random's state can be worked out from its
   * output), so a client cannot pick keys that all land in one bucket and
   * turn every lookup into a walk down one long chain ("hash flooding").
   */
  readonly #seed = randomInt(2 ** 32) | 0;
  // #endregion buckets

  /** How many keys the table holds. */
  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return this.#find(key)?.value;
  }

  /** The entry of `key`, to read or change its value and `meta` with one lookup. */
  find(key: string): DictEntry<V> | undefined {
    return this.#find(key);
  }

  has(key: string): boolean {
    return this.#find(key) !== undefined;
  }

  // #region set
  /** Adds or replaces, with its `meta`; true if the key is new. */
  set(key: string, value: V, meta = 0): boolean {
    const found = this.#find(key);
    if (found !== undefined) {
      found.value = value;
      found.meta = meta;
      return false;
    }
    this.add(key, value, meta);
    return true;
  }

  /**
   * Adds a key the caller has just looked for and not found (with `find`),
   * without searching for it again: the keyspace looks first, to use the
   * old value if there is one, and a second search would hash the key twice.
   */
  add(key: string, value: V, meta = 0): void {
    // Grow before adding: one entry per bucket on average is Redis's limit too.
    if (this.#size >= this.#buckets.length) this.#resize(this.#size * 2);
    const index = this.#hash(key) & this.#mask;
    this.#buckets[index] = new Entry(key, value, this.#buckets[index], meta);
    this.#size += 1;
  }
  // #endregion set

  /** Removes a key; true if it was there. */
  delete(key: string): boolean {
    const index = this.#hash(key) & this.#mask;
    let previous: Entry<V> | undefined;
    for (let entry = this.#buckets[index]; entry; entry = entry.next) {
      if (entry.key !== key) {
        previous = entry;
        continue;
      }
      if (previous === undefined) this.#buckets[index] = entry.next;
      else previous.next = entry.next;
      this.#size -= 1;
      this.#shrinkIfSparse();
      return true;
    }
    return false;
  }

  /** Empties the table, back to its smallest size. */
  clear(): void {
    this.#buckets = new Array(INITIAL_SIZE);
    this.#mask = INITIAL_SIZE - 1;
    this.#size = 0;
  }

  /** Every key, in bucket order. For KEYS: it visits the whole table in one go. */
  *keys(): IterableIterator<string> {
    for (const head of this.#buckets) {
      for (let entry = head; entry; entry = entry.next) yield entry.key;
    }
  }

  // #region random
  /**
   * A random key, or undefined when empty. Like Redis: pick random buckets
   * until one is not empty, then a random entry of its chain. The table is
   * never less than 10% full, so that takes a few tries on average.
   * (A key in a long chain is a little less likely to be picked than one
   * alone in its bucket; Redis accepts the same bias.)
   */
  randomKey(): string | undefined {
    if (this.#size === 0) return undefined;
    let head: Entry<V> | undefined;
    while (head === undefined) {
      head = this.#buckets[Math.floor(Math.random() * this.#buckets.length)];
    }
    let length = 0;
    for (let entry: Entry<V> | undefined = head; entry; entry = entry.next) {
      length += 1;
    }
    let chosen = head;
    for (let steps = Math.floor(Math.random() * length); steps > 0; steps--) {
      chosen = chosen.next!;
    }
    return chosen.key;
  }
  // #endregion random

  // #region scan
  /**
   * Visits the bucket the cursor points at (every entry of it), and returns
   * the cursor of the next one; 0 means the scan is complete.
   *
   * The cursor walks the buckets in an odd order: it counts with its bits
   * reversed (0, 4, 2, 6, 1, 5, 3, 7 for 8 buckets). That is Redis's trick
   * for a scan that survives resizing between two calls. A key in bucket
   * `b` of a table of size n lives, after the table doubles, in bucket `b`
   * or `b + n`; after it halves, in bucket `b mod n/2`. Both are reached by
   * the same high-bit-first order, so the buckets already visited stay
   * visited and none is skipped: every key present during the whole scan
   * is returned at least once (a key may come twice, after a shrink).
   */
  scan(cursor: number, visit: (key: string, value: V) => void): number {
    if (this.#size === 0) return 0; // nothing to walk: done at once
    for (
      let entry = this.#buckets[cursor & this.#mask];
      entry;
      entry = entry.next
    ) {
      visit(entry.key, entry.value);
    }
    // Increment the reversed cursor: set the bits above the mask so the
    // carry runs off the top, reverse, add one, reverse back.
    let next = reverseBits(cursor | ~this.#mask);
    next = reverseBits((next + 1) | 0);
    return next >>> 0;
  }
  // #endregion scan

  #find(key: string): Entry<V> | undefined {
    let entry = this.#buckets[this.#hash(key) & this.#mask];
    while (entry !== undefined && entry.key !== key) entry = entry.next;
    return entry;
  }

  // #region resize
  #shrinkIfSparse(): void {
    const buckets = this.#buckets.length;
    if (
      buckets > INITIAL_SIZE &&
      this.#size * 100 < buckets * MIN_FILL_PERCENT
    ) {
      this.#resize(this.#size);
    }
  }

  /** Moves every entry into a table of the smallest power of two ≥ `wanted`. */
  #resize(wanted: number): void {
    let size = INITIAL_SIZE;
    while (size < wanted) size *= 2;
    const old = this.#buckets;
    this.#buckets = new Array(size);
    this.#mask = size - 1;
    for (const head of old) {
      let entry = head;
      while (entry !== undefined) {
        const next = entry.next;
        const index = this.#hash(entry.key) & this.#mask;
        entry.next = this.#buckets[index];
        this.#buckets[index] = entry;
        entry = next;
      }
    }
  }
  // #endregion resize

  // #region hash
  /**
   * A 32-bit hash of a byte string: FNV-1a over the bytes, started from the
   * table's random seed, then mixed with MurmurHash3's finaliser so that
   * the low bits (the only ones a small table uses) depend on every byte.
   * Not cryptographic like Redis's SipHash; the random seed is what makes
   * collisions hard to plan.
   */
  #hash(key: string): number {
    let hash = this.#seed ^ 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    }
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    return hash ^ (hash >>> 16);
  }
  // #endregion hash
}

/** The 32 bits of `n`, in reverse order. */
function reverseBits(n: number): number {
  n = ((n >>> 1) & 0x55555555) | ((n & 0x55555555) << 1);
  n = ((n >>> 2) & 0x33333333) | ((n & 0x33333333) << 2);
  n = ((n >>> 4) & 0x0f0f0f0f) | ((n & 0x0f0f0f0f) << 4);
  n = ((n >>> 8) & 0x00ff00ff) | ((n & 0x00ff00ff) << 8);
  return (n >>> 16) | (n << 16);
}
