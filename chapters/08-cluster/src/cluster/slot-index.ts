/**
 * Database 0's keys, grouped by hash slot: what a cluster node keeps so
 * that CLUSTER COUNTKEYSINSLOT answers at once and CLUSTER GETKEYSINSLOT
 * costs only the keys it returns. Moving a slot to another node (part 2)
 * is "get some keys of the slot, migrate them, again until none are
 * left": without this index each round would walk the whole keyspace.
 *
 * Only cluster mode has one: the database (keyspace/database.ts) tells
 * it of every key it adds or deletes, through a field that is undefined
 * otherwise, so a standalone server pays nothing for it.
 */
import { keyHashSlot, SLOT_COUNT } from "./hash-slot.ts";

// #region slot-index
/**
 * One key in the index: a link in its slot's chain. The slot is kept so
 * that deleting the key does not hash it again.
 */
interface SlotLink {
  readonly key: string;
  readonly slot: number;
  newer: SlotLink | undefined;
  older: SlotLink | undefined;
}

/**
 * Per slot, a doubly linked chain of its keys, newest first, as Redis
 * 7.0 keeps it (slotToKeyAddEntry): GETKEYSINSLOT lists a slot's keys
 * from the last one added, and our answer is the same list in the same
 * order. A Set per slot would count as fast, but lists oldest first, and
 * could not walk backwards without walking it all. Adding and deleting a
 * key cost O(1): one map lookup, a few links.
 *
 * Keys are byte strings, as in the keyspace (see keyspace.ts).
 */
export class SlotIndex {
  /** Every key indexed, to its link: how a delete finds it. */
  readonly #links = new Map<string, SlotLink>();
  /** The newest key of each slot; undefined for an empty slot. */
  readonly #newest: (SlotLink | undefined)[] = new Array(SLOT_COUNT);
  readonly #counts = new Uint32Array(SLOT_COUNT);

  /** How many keys the index holds, all slots together. */
  get size(): number {
    return this.#links.size;
  }

  /** A key was added to the database: it becomes its slot's newest. */
  add(key: string): void {
    if (this.#links.has(key)) return;
    const slot = keyHashSlot(Buffer.from(key, "latin1"));
    const older = this.#newest[slot];
    const link: SlotLink = { key, slot, newer: undefined, older };
    if (older !== undefined) older.newer = link;
    this.#newest[slot] = link;
    this.#counts[slot]! += 1;
    this.#links.set(key, link);
  }

  /** A key left the database (deleted, expired, renamed away). */
  delete(key: string): void {
    const link = this.#links.get(key);
    if (link === undefined) return;
    this.#links.delete(key);
    const { slot, newer, older } = link;
    if (older !== undefined) older.newer = newer;
    if (newer !== undefined) newer.older = older;
    else this.#newest[slot] = older;
    this.#counts[slot]! -= 1;
  }

  /** FLUSHALL, FLUSHDB: every slot empty at once. */
  clear(): void {
    this.#links.clear();
    this.#newest.fill(undefined);
    this.#counts.fill(0);
  }

  /** CLUSTER COUNTKEYSINSLOT: O(1). */
  count(slot: number): number {
    return this.#counts[slot]!;
  }

  /**
   * CLUSTER GETKEYSINSLOT: up to `max` keys of the slot, newest first,
   * as the client's bytes. Expired keys not yet deleted are included, as
   * in Redis: the index lists what the table holds.
   */
  keys(slot: number, max: number): Buffer[] {
    const keys: Buffer[] = [];
    for (
      let link = this.#newest[slot];
      link !== undefined && keys.length < max;
      link = link.older
    ) {
      keys.push(Buffer.from(link.key, "latin1"));
    }
    return keys;
  }
}
// #endregion slot-index
