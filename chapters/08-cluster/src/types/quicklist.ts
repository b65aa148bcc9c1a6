/**
 * A list value: what LPUSH creates and BLPOP waits for. Redis 7.0's
 * quicklist: a doubly linked list of nodes, each a bounded run of elements
 * packed into one byte string (packed-node.ts), as Redis packs each into a
 * listpack. Bounded nodes make pushes and pops at both ends O(1), and a
 * change in the middle a walk over the nodes plus one node's bytes.
 *
 * Packed into a byte string because that measured best (Node 20, 3-byte
 * elements, node storage only): 5.1 bytes per element in a list of 1M and
 * 29 in lists of 4, where an array of strings per node costs 34 and 89
 * (a string object and a slot per element), and a Buffer per node 5.2 and
 * 70, or 126 by the process's resident size (a Buffer is an object plus
 * memory outside V8's heap, per node). `npm run memory -- 06 --lists` has
 * the whole-server figures; the article, the argument.
 *
 * Nodes split and merge where Redis 7.0.15's do (node-fill.ts has the
 * rules; checked node for node against its DEBUG OBJECT): a push that does
 * not fit starts a new node, an insert into a full node splits it and then
 * merges its neighbours (`_quicklistInsert`, `_quicklistMergeNodes`), a
 * node emptied by deletes goes, and deletes merge nothing. Deliberate
 * differences, which only DEBUG OBJECT could show:
 * - `list-compress-depth` is accepted and kept, but no node is compressed
 *   (Redis compresses inner nodes with LZF);
 * - no node of several elements outgrows its limit, where Redis 7.0 lets
 *   one (LSET of a bigger element, LINSERT into a full node, a merge that
 *   counts 4 bytes short): we move the element to a node it fits in;
 * - an element too big to share a node gets a node of its own wherever it
 *   is inserted (Redis 7.0 does so at the ends, and for "plain" elements of
 *   1 GB or more).
 */
import { QuicklistNode } from "./packed-node.ts";
import { listpackEntryBytes } from "./listpack-size.ts";
import {
  allowsInsert,
  allowsMerge,
  isOversized,
  normaliseFill,
} from "./node-fill.ts";

/** What `nodeSizes` tells of one node. */
export interface NodeSize {
  /** How many elements it holds. */
  entries: number;
  /** The bytes of the listpack Redis would hold them in. */
  listpackBytes: number;
  /** How many were pushed and are not packed yet (only at the list's ends). */
  staged: number;
}

/** A node and a position inside it. */
interface Position {
  node: QuicklistNode;
  offset: number;
}

export class Quicklist {
  #head: QuicklistNode | undefined = undefined;
  #tail: QuicklistNode | undefined = undefined;
  #length = 0;
  #nodeCount = 0;

  /**
   * `list-max-listpack-size` when the list was created, as Redis keeps it:
   * a positive count of entries per node, or -1 to -5 for 4 KB to 64 KB
   * (beyond -5 is -5, beyond 32767 is 32767).
   */
  readonly fill: number;

  constructor(fill: number = -2) {
    this.fill = normaliseFill(fill);
  }

  /** What TYPE answers for a list. */
  get type(): "list" {
    return "list";
  }

  /** What OBJECT ENCODING answers: every list in Redis 7.0 is a quicklist. */
  get encoding(): "quicklist" {
    return "quicklist";
  }

  /** How many elements the list holds (LLEN). */
  get length(): number {
    return this.#length;
  }

  /** How many nodes hold them (Redis's DEBUG OBJECT calls it ql_nodes). */
  get nodeCount(): number {
    return this.#nodeCount;
  }

  // #region push-pop
  pushHead(value: string): void {
    const head = this.#head;
    if (head !== undefined && this.#fits(head, value)) {
      head.pushFront(value);
    } else {
      this.#link(QuicklistNode.of([value]), undefined, head);
    }
    this.#length++;
  }

  pushTail(value: string): void {
    const tail = this.#tail;
    if (tail !== undefined && this.#fits(tail, value)) {
      tail.pushBack(value);
    } else {
      this.#link(QuicklistNode.of([value]), tail, undefined);
    }
    this.#length++;
  }

  /** Removes and returns the first element; undefined if the list is empty. */
  popHead(): string | undefined {
    const head = this.#head;
    if (head === undefined) return undefined;
    const value = head.popFront();
    this.#length--;
    if (head.count === 0) this.#unlink(head);
    return value;
  }

  /** Removes and returns the last element; undefined if the list is empty. */
  popTail(): string | undefined {
    const tail = this.#tail;
    if (tail === undefined) return undefined;
    const value = tail.popBack();
    this.#length--;
    if (tail.count === 0) this.#unlink(tail);
    return value;
  }
  // #endregion push-pop

  /** The element at `index` (0 = head, -1 = tail), or undefined if out of range. */
  at(index: number): string | undefined {
    const i = index < 0 ? this.#length + index : index;
    if (i < 0 || i >= this.#length) return undefined;
    const { node, offset } = this.#locate(i);
    return node.at(offset);
  }

  /** Replaces the element at `index` (negative from the tail); false if out of range. */
  set(index: number, value: string): boolean {
    const i = index < 0 ? this.#length + index : index;
    if (i < 0 || i >= this.#length) return false;
    const { node, offset } = this.#locate(i);
    const values = node.values();
    const bytesWithout =
      node.listpackBytes - listpackEntryBytes(values[offset]!);
    if (
      node.count === 1 ||
      allowsInsert(bytesWithout, node.count - 1, value.length, this.fill)
    ) {
      values[offset] = value;
      node.replaceValues(values);
      return true;
    }
    // Too big for this node: out goes the old element, and in goes the new
    // one where it was, as an insert would place it.
    values.splice(offset, 1);
    node.replaceValues(values);
    this.#length--;
    this.insertAt(i, value);
    return true;
  }

  // #region insert
  /**
   * Inserts `value` so that it ends up at position `index`, 0 to length
   * (0 = new head, length = new tail): before the element now at `index`,
   * by Redis's `_quicklistInsert`.
   */
  insertAt(index: number, value: string): void {
    if (index >= this.#length) {
      this.pushTail(value);
      return;
    }
    const { node, offset } = this.#locate(index);
    if (isOversized(value.length, this.fill)) {
      // A node of its own, splitting this one if it lands inside it.
      if (offset > 0) this.#splitBefore(node, offset);
      this.#link(QuicklistNode.of([value]), node.prev, node);
    } else if (this.#fits(node, value)) {
      const values = node.values();
      values.splice(offset, 0, value);
      node.replaceValues(values);
    } else if (offset === 0) {
      // At the head of a full node: the end of the previous node, if it
      // has room, or a new node between the two.
      const prev = node.prev;
      if (prev !== undefined && this.#fits(prev, value)) {
        prev.pushBack(value);
        prev.settle();
      } else {
        this.#link(QuicklistNode.of([value]), prev, node);
      }
    } else {
      // Inside a full node: the elements before `index` and the new one
      // become a node of their own, which may then merge with neighbours.
      // (Should the new one not fit with them, it gets a node of its own,
      // where Redis 7.0 lets that node outgrow its limit.)
      const before = this.#splitBefore(node, offset);
      if (this.#fits(before, value)) {
        before.pushBack(value);
        before.settle();
      } else {
        this.#link(QuicklistNode.of([value]), before, node);
      }
      this.#mergeAround(node);
    }
    this.#length++;
  }

  /**
   * Moves the first `offset` elements of `node` into a new node just
   * before it, and returns that node (Redis's `_quicklistSplitNode`).
   */
  #splitBefore(node: QuicklistNode, offset: number): QuicklistNode {
    const values = node.values();
    node.replaceValues(values.slice(offset));
    const before = QuicklistNode.of(values.slice(0, offset));
    this.#link(before, node.prev, node);
    return before;
  }

  /**
   * After a split, merges the nodes around `center` where they fit in one:
   * the two before it, the two after it, then `center` with each neighbour,
   * in Redis's order (`_quicklistMergeNodes`).
   */
  #mergeAround(center: QuicklistNode): void {
    const prev = center.prev;
    const next = center.next;
    if (prev?.prev !== undefined && this.#mayMerge(prev.prev, prev)) {
      this.#merge(prev.prev, prev);
    }
    if (next?.next !== undefined && this.#mayMerge(next, next.next)) {
      this.#merge(next, next.next);
    }
    let target = center;
    if (center.prev !== undefined && this.#mayMerge(center.prev, center)) {
      target = this.#merge(center.prev, center);
    }
    if (target.next !== undefined && this.#mayMerge(target, target.next)) {
      this.#merge(target, target.next);
    }
  }

  #mayMerge(a: QuicklistNode, b: QuicklistNode): boolean {
    return allowsMerge(
      a.listpackBytes,
      a.count,
      b.listpackBytes,
      b.count,
      this.fill,
    );
  }

  /** Moves the elements of `right` to the end of `left`, its previous node; returns `left`. */
  #merge(left: QuicklistNode, right: QuicklistNode): QuicklistNode {
    left.replaceValues([...left.values(), ...right.values()]);
    this.#unlink(right);
    return left;
  }
  // #endregion insert

  /**
   * LREM: removes up to `count` elements equal to `value`, searching from
   * the head (`count > 0`) or the tail (`count < 0`); all of them when
   * `count` is 0. Returns how many were removed. Each node is repacked at
   * most once, so this is O(n) whatever it removes.
   */
  removeMatching(value: string, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const fromTail = count < 0;
    let removed = 0;
    let node = fromTail ? this.#tail : this.#head;
    while (node !== undefined && removed < limit) {
      const following = fromTail ? node.prev : node.next;
      removed += node.removeMatching(value, limit - removed, fromTail);
      if (node.count === 0) this.#unlink(node);
      node = following;
    }
    this.#length -= removed;
    return removed;
  }

  /**
   * The elements from `start` to `stop`, both included and both already
   * within 0 to length - 1, `start <= stop` (LRANGE normalises first).
   */
  range(start: number, stop: number): string[] {
    const out: string[] = [];
    if (start > stop || start >= this.#length) return out;
    const first = this.#locate(start);
    let node: QuicklistNode | undefined = first.node;
    let offset = first.offset;
    let wanted = Math.min(stop, this.#length - 1) - start + 1;
    while (node !== undefined && wanted > 0) {
      const taken = Math.min(node.count - offset, wanted);
      node.copyRange(out, offset, offset + taken);
      wanted -= taken;
      offset = 0;
      node = node.next;
    }
    return out;
  }

  /** Keeps only the elements from `start` to `stop` (inclusive, normalised as for `range`). */
  trim(start: number, stop: number): void {
    if (start > stop || start >= this.#length) {
      this.clear();
      return;
    }
    const keep = Math.min(stop, this.#length - 1) - start + 1;
    this.#dropHead(start);
    this.#dropTail(this.#length - keep);
  }

  /** Removes every element: the list is empty afterwards. */
  clear(): void {
    this.#head = undefined;
    this.#tail = undefined;
    this.#length = 0;
    this.#nodeCount = 0;
  }

  /** The elements from head to tail, each with its index. */
  *entries(): IterableIterator<[index: number, value: string]> {
    let index = 0;
    for (let node = this.#head; node !== undefined; node = node.next) {
      for (const value of node.values()) yield [index++, value];
    }
  }

  /** The elements from tail to head, each with its index (counted from the head). */
  *entriesFromTail(): IterableIterator<[index: number, value: string]> {
    let index = this.#length;
    for (let node = this.#tail; node !== undefined; node = node.prev) {
      const values = node.values();
      for (let i = values.length - 1; i >= 0; i--) yield [--index, values[i]!];
    }
  }

  /**
   * Adds a node holding `values` (at least one) at the tail, as they come,
   * whatever the fill rules would make of them: RESTORE keeps the nodes of
   * a DUMP payload, as Redis's `quicklistAppendListpack` does.
   */
  appendNode(values: readonly string[]): void {
    this.#link(QuicklistNode.of(values), this.#tail, undefined);
    this.#length += values.length;
  }

  /**
   * A copy that shares nothing mutable with this list (COPY, the AOF
   * rewrite), made in O(nodes): the copies of the nodes share their packed
   * strings, which never change (see QuicklistNode's `clone`).
   */
  clone(): Quicklist {
    const copy = new Quicklist(this.fill);
    for (let node = this.#head; node !== undefined; node = node.next) {
      copy.#link(node.clone(), copy.#tail, undefined);
    }
    copy.#length = this.#length;
    return copy;
  }

  /**
   * Each node's element count, listpack bytes and elements not packed yet,
   * head first: for tests of the node rules, and for the article's
   * measurements.
   */
  nodeSizes(): NodeSize[] {
    const sizes: NodeSize[] = [];
    for (let node = this.#head; node !== undefined; node = node.next) {
      sizes.push({
        entries: node.count,
        listpackBytes: node.listpackBytes,
        staged: node.staged,
      });
    }
    return sizes;
  }

  /** Whether `node` may take `value` by Redis's fill rules. */
  #fits(node: QuicklistNode, value: string): boolean {
    return allowsInsert(
      node.listpackBytes,
      node.count,
      value.length,
      this.fill,
    );
  }

  /**
   * The node holding element `index` (within range) and its offset there,
   * walking from the nearer end of the list, as Redis does.
   */
  #locate(index: number): Position {
    if (index < this.#length / 2) {
      let node = this.#head!;
      let offset = index;
      while (offset >= node.count) {
        offset -= node.count;
        node = node.next!;
      }
      return { node, offset };
    }
    let node = this.#tail!;
    let fromEnd = this.#length - 1 - index;
    while (fromEnd >= node.count) {
      fromEnd -= node.count;
      node = node.prev!;
    }
    return { node, offset: node.count - 1 - fromEnd };
  }

  /** Removes the first `count` elements: whole nodes, then part of one. */
  #dropHead(count: number): void {
    let left = count;
    while (left > 0) {
      const head = this.#head!;
      if (head.count <= left) {
        left -= head.count;
        this.#length -= head.count;
        this.#unlink(head);
      } else {
        head.replaceValues(head.values().slice(left));
        this.#length -= left;
        left = 0;
      }
    }
  }

  /** Removes the last `count` elements: whole nodes, then part of one. */
  #dropTail(count: number): void {
    let left = count;
    while (left > 0) {
      const tail = this.#tail!;
      if (tail.count <= left) {
        left -= tail.count;
        this.#length -= tail.count;
        this.#unlink(tail);
      } else {
        tail.replaceValues(tail.values().slice(0, tail.count - left));
        this.#length -= left;
        left = 0;
      }
    }
  }

  /**
   * Puts `node` between `prev` and `next` (neighbours, or undefined at an
   * end). A neighbour that was at an end is no longer: its staged pushes
   * are packed (see packed-node.ts).
   */
  #link(
    node: QuicklistNode,
    prev: QuicklistNode | undefined,
    next: QuicklistNode | undefined,
  ): void {
    prev?.settle();
    next?.settle();
    node.prev = prev;
    node.next = next;
    if (prev === undefined) this.#head = node;
    else prev.next = node;
    if (next === undefined) this.#tail = node;
    else next.prev = node;
    this.#nodeCount++;
  }

  /** Takes `node` out of the chain (its elements are no longer counted by the caller). */
  #unlink(node: QuicklistNode): void {
    if (node.prev === undefined) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.#nodeCount--;
  }
}
