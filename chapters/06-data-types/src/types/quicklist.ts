/**
 * A list value: what LPUSH creates and BLPOP waits for.
 *
 * FIRST CUT: one plain array. The API below is what the list commands use;
 * its internals become Redis's quicklist (bounded chunks of entries) next.
 * Elements are byte strings, like every key and value (see keyspace.ts).
 */
export class Quicklist {
  #items: string[] = [];

  /**
   * @param fill `list-max-listpack-size` when the list was created: a
   * positive count of entries per node, or -1 to -5 for 4 KB to 64 KB.
   */
  constructor(readonly fill: number = -2) {}

  /** What OBJECT ENCODING answers: every list in Redis 7.0 is a quicklist. */
  get encoding(): "quicklist" {
    return "quicklist";
  }

  /** How many elements the list holds (LLEN). */
  get length(): number {
    return this.#items.length;
  }

  pushHead(value: string): void {
    this.#items.unshift(value);
  }

  pushTail(value: string): void {
    this.#items.push(value);
  }

  /** Removes and returns the first element; undefined if the list is empty. */
  popHead(): string | undefined {
    return this.#items.shift();
  }

  /** Removes and returns the last element; undefined if the list is empty. */
  popTail(): string | undefined {
    return this.#items.pop();
  }

  /** The element at `index` (0 = head, -1 = tail), or undefined if out of range. */
  at(index: number): string | undefined {
    return this.#items.at(index);
  }

  /** Replaces the element at `index` (negative from the tail); false if out of range. */
  set(index: number, value: string): boolean {
    const i = index < 0 ? this.#items.length + index : index;
    if (i < 0 || i >= this.#items.length) return false;
    this.#items[i] = value;
    return true;
  }

  /**
   * Inserts `value` so that it ends up at position `index`, 0 to length
   * (0 = new head, length = new tail).
   */
  insertAt(index: number, value: string): void {
    this.#items.splice(index, 0, value);
  }

  /**
   * LREM: removes up to `count` elements equal to `value`, searching from
   * the head (`count > 0`) or the tail (`count < 0`); all of them when
   * `count` is 0. Returns how many were removed.
   */
  removeMatching(value: string, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const order = count < 0 ? this.entriesFromTail() : this.entries();
    const doomed = new Set<number>();
    for (const [index, element] of order) {
      if (doomed.size >= limit) break;
      if (element === value) doomed.add(index);
    }
    this.#items = this.#items.filter((_, index) => !doomed.has(index));
    return doomed.size;
  }

  /**
   * The elements from `start` to `stop`, both included and both already
   * within 0 to length - 1, `start <= stop` (LRANGE normalises first).
   */
  range(start: number, stop: number): string[] {
    return this.#items.slice(start, stop + 1);
  }

  /** Keeps only the elements from `start` to `stop` (inclusive, normalised as for `range`). */
  trim(start: number, stop: number): void {
    this.#items = this.#items.slice(start, stop + 1);
  }

  /** Removes every element: the list is empty afterwards. */
  clear(): void {
    this.#items = [];
  }

  /** The elements from head to tail, each with its index. */
  *entries(): IterableIterator<[index: number, value: string]> {
    for (let i = 0; i < this.#items.length; i++) yield [i, this.#items[i]!];
  }

  /** The elements from tail to head, each with its index (counted from the head). */
  *entriesFromTail(): IterableIterator<[index: number, value: string]> {
    for (let i = this.#items.length - 1; i >= 0; i--) yield [i, this.#items[i]!];
  }

  /** A copy that shares nothing mutable with this list (COPY, the AOF rewrite). */
  clone(): Quicklist {
    const copy = new Quicklist(this.fill);
    copy.#items = [...this.#items];
    return copy;
  }
}
