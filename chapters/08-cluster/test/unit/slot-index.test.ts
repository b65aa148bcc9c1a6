/**
 * Unit tests for slot-index.ts: database 0's keys by hash slot, as a
 * cluster node keeps them for CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT.
 *
 * The index is tested on its own, then hooked to a Database (as server.ts
 * hooks it in cluster mode), where every way a key comes and goes must
 * reach it: SET of a new key (not of an old one), DEL, lazy and active
 * expiry, FLUSHDB and FLUSHALL, RENAME's delete-then-add. The last test
 * drives random changes and compares the index with the table.
 */
import { describe, expect, it } from "vitest";
import { SlotIndex } from "../../src/cluster/slot-index.ts";
import { keyHashSlot, SLOT_COUNT } from "../../src/cluster/hash-slot.ts";
import { Keyspace } from "../../src/keyspace/keyspace.ts";
import { ManualClock } from "../manual-clock.ts";
import { seededRandom } from "../../../../shared/seeded-random.ts";

/** The slot of a byte-string key. */
function slotOf(key: string): number {
  return keyHashSlot(Buffer.from(key, "latin1"));
}

/** What GETKEYSINSLOT would answer, as byte strings. */
function keysIn(index: SlotIndex, slot: number, max = 1000): string[] {
  return index.keys(slot, max).map((key) => key.toString("latin1"));
}

/** Database 0 of a fresh keyspace, indexed as in cluster mode. */
function setUp() {
  const clock = new ManualClock();
  const keyspace = new Keyspace(16, clock);
  const db = keyspace.database(0);
  const index = new SlotIndex();
  db.indexBySlot(index);
  return { clock, keyspace, db, index };
}

describe("the index on its own", () => {
  it("counts a slot's keys and lists them newest first, as Redis 7.0 does", () => {
    const index = new SlotIndex();
    const slot = slotOf("{t}");
    for (const key of ["{t}1", "{t}2", "{t}3", "{t}4"]) index.add(key);
    index.add("other");
    expect(index.count(slot)).toBe(4);
    expect(keysIn(index, slot)).toEqual(["{t}4", "{t}3", "{t}2", "{t}1"]);
    expect(keysIn(index, slot, 2)).toEqual(["{t}4", "{t}3"]);
    expect(keysIn(index, slot, 0)).toEqual([]);
    expect(index.count(slotOf("other"))).toBe(1);
    expect(index.size).toBe(5);
  });

  it("unlinks a key from the head, the middle or the tail of its slot's chain", () => {
    const index = new SlotIndex();
    const slot = slotOf("{t}");
    for (const key of ["{t}1", "{t}2", "{t}3", "{t}4", "{t}5"]) index.add(key);
    index.delete("{t}3");
    expect(keysIn(index, slot)).toEqual(["{t}5", "{t}4", "{t}2", "{t}1"]);
    index.delete("{t}5");
    expect(keysIn(index, slot)).toEqual(["{t}4", "{t}2", "{t}1"]);
    index.delete("{t}1");
    expect(keysIn(index, slot)).toEqual(["{t}4", "{t}2"]);
    index.delete("missing");
    index.delete("{t}4");
    index.delete("{t}2");
    expect(keysIn(index, slot)).toEqual([]);
    expect(index.count(slot)).toBe(0);
    // A key deleted and added again is the newest once more.
    index.add("{t}1");
    index.add("{t}2");
    index.delete("{t}1");
    index.add("{t}1");
    expect(keysIn(index, slot)).toEqual(["{t}1", "{t}2"]);
  });

  it("keeps any bytes of a key, and hashes them as bytes", () => {
    const index = new SlotIndex();
    const key = Buffer.from([0xff, 0x00, 0x7b, 0xe9, 0x7d]); // ÿ \0 { é }
    const asString = key.toString("latin1");
    index.add(asString);
    const slot = keyHashSlot(key);
    expect(slot).toBe(keyHashSlot(Buffer.from([0xe9])));
    expect(index.keys(slot, 10)).toEqual([key]);
  });

  it("empties every slot at once", () => {
    const index = new SlotIndex();
    for (let i = 0; i < 100; i++) index.add(`key:${i}`);
    index.clear();
    expect(index.size).toBe(0);
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      expect(index.count(slot)).toBe(0);
    }
    index.add("key:1");
    expect(keysIn(index, slotOf("key:1"))).toEqual(["key:1"]);
  });
});

describe("the index hooked to database 0", () => {
  it("starts with the keys the database holds already", () => {
    const clock = new ManualClock();
    const db = new Keyspace(16, clock).database(0);
    db.set("{a}1", "x");
    db.set("{a}2", "y");
    const index = new SlotIndex();
    db.indexBySlot(index);
    expect(index.count(slotOf("{a}"))).toBe(2);
  });

  it("hears of a new key, but not of a new value for an old one", () => {
    const { db, index } = setUp();
    const slot = slotOf("{u}");
    db.set("{u}1", "a");
    db.set("{u}2", "b");
    db.set("{u}1", "c");
    db.setKeepingTtl("{u}2", "d");
    expect(keysIn(index, slot)).toEqual(["{u}2", "{u}1"]);
  });

  it("hears of DEL, and of a key RENAME moves (deleted, then added anew)", () => {
    const { db, index } = setUp();
    const slot = slotOf("{u}");
    for (const key of ["{u}1", "{u}2", "{u}3"]) db.set(key, "v");
    db.delete("{u}2");
    expect(keysIn(index, slot)).toEqual(["{u}3", "{u}1"]);
    // RENAME {u}1 {u}9, as key-commands.ts's moveKey does it.
    db.set("{u}9", "v");
    db.delete("{u}1");
    expect(keysIn(index, slot)).toEqual(["{u}9", "{u}3"]);
    expect(db.delete("{u}1")).toBe(false);
    expect(index.count(slot)).toBe(2);
  });

  it("hears of keys that expire, found by a lookup or by the active cycle", () => {
    const { clock, keyspace, db, index } = setUp();
    const slot = slotOf("{e}");
    for (const key of ["{e}1", "{e}2", "{e}3"]) {
      db.set(key, "v");
      db.setDeadline(key, clock.now() + 100);
    }
    clock.advance(101);
    keyspace.newInstant();
    // Still listed until something deletes them, as in Redis.
    expect(index.count(slot)).toBe(3);
    expect(db.get("{e}1")).toBeUndefined(); // lazy expiry
    expect(keysIn(index, slot)).toEqual(["{e}3", "{e}2"]);
    db.deleteExpired("{e}2"); // what the active cycle calls
    expect(keysIn(index, slot)).toEqual(["{e}3"]);
  });

  it("empties with FLUSHDB and FLUSHALL", () => {
    const { keyspace, db, index } = setUp();
    db.set("a", "1");
    db.clear();
    expect(index.size).toBe(0);
    db.set("a", "1");
    db.set("b", "1");
    keyspace.clear();
    expect(index.size).toBe(0);
    db.set("c", "1");
    expect(keysIn(index, slotOf("c"))).toEqual(["c"]);
  });

  it("is never told of another database's keys", () => {
    const { keyspace, index } = setUp();
    keyspace.database(1).set("a", "1");
    expect(index.size).toBe(0);
  });

  it("matches the table after thousands of random changes", () => {
    const { clock, keyspace, db, index } = setUp();
    const random = seededRandom(8);
    // Few tags, so that slots hold several keys and chains get long.
    const keyName = () => `{${random.below(8)}}${random.below(40)}`;
    for (let step = 0; step < 5000; step++) {
      keyspace.newInstant();
      const key = keyName();
      const action = random.below(10);
      if (action < 5) db.set(key, "v");
      else if (action < 7) db.delete(key);
      else if (action < 9) {
        if (db.has(key)) db.setDeadline(key, clock.now() + random.below(5));
      } else clock.advance(1);
      if (step % 1000 === 999) db.clear();
    }
    keyspace.newInstant();
    // Every key the table holds is listed under its slot, and only those.
    const bySlot = new Map<number, Set<string>>();
    for (let tag = 0; tag < 8; tag++) {
      for (let n = 0; n < 40; n++) {
        const key = `{${tag}}${n}`;
        if (db.peek(key) === undefined) continue;
        const slot = slotOf(key);
        if (!bySlot.has(slot)) bySlot.set(slot, new Set());
        bySlot.get(slot)!.add(key);
      }
    }
    let total = 0;
    for (const [slot, keys] of bySlot) {
      expect(index.count(slot)).toBe(keys.size);
      expect(new Set(keysIn(index, slot))).toEqual(keys);
      total += keys.size;
    }
    expect(index.size).toBe(total);
    expect(db.size).toBe(total);
  });
});
