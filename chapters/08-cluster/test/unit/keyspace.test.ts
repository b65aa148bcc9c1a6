/**
 * Unit tests for database.ts as this chapter changes it. Article step 1 (a
 * deadline per key): deadlines in a second table, in wall-clock
 * milliseconds up to 2^63 - 1, exact past 2^53. Article step 2 (lazy
 * expiry): every lookup checks the deadline first, the time is read once
 * per command, and the commands that walk the whole table skip (KEYS) or
 * delete (RANDOMKEY) what has expired.
 *
 * The Keyspace runs on a ManualClock and the tests call `newInstant()`
 * themselves, as the command table does before every command: nothing
 * here sleeps, and each boundary is checked to the millisecond.
 */
import { describe, expect, it, vi } from "vitest";
import {
  deadlineOf,
  Keyspace,
  millisecondsLeft,
} from "../../src/keyspace/keyspace.ts";
import type { Database } from "../../src/keyspace/database.ts";
import { ManualClock } from "../manual-clock.ts";

/** A keyspace of 16 databases on a clock that moves only when told. */
function setUp(): { clock: ManualClock; keyspace: Keyspace; db: Database } {
  const clock = new ManualClock();
  const keyspace = new Keyspace(16, clock);
  return { clock, keyspace, db: keyspace.database(0) };
}

/**
 * Moves time forward and starts a new instant, as the next command would:
 * the keyspace compares deadlines with the time it read in this instant.
 */
function later(clock: ManualClock, keyspace: Keyspace, ms: number): void {
  clock.advance(ms);
  keyspace.newInstant();
}

/** `key` set to `value` with `ttlMs` left to live. */
function setWithTtl(db: Database, key: string, value: string, ttlMs: number) {
  db.set(key, value);
  db.setDeadline(key, db.keyspace.time + ttlMs);
}

describe("lazy expiry: every lookup checks the deadline first", () => {
  it("a key is alive at its deadline and gone a millisecond after", () => {
    // Redis: a key expires once now > deadline, so at the deadline itself
    // it still answers.
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 100);

    later(clock, keyspace, 100);
    expect(db.get("k")).toBe("v");
    expect(db.has("k")).toBe(true);

    later(clock, keyspace, 1);
    expect(db.get("k")).toBeUndefined();
    expect(db.has("k")).toBe(false);
  });

  it.each([
    ["get", (db: Database) => db.get("k")],
    ["has", (db: Database) => db.has("k")],
    ["read", (db: Database) => db.read("k")],
  ])(
    "%s deletes an expired key, and counts it in expired_keys once",
    (_name, lookup) => {
      const { clock, keyspace, db } = setUp();
      setWithTtl(db, "k", "v", 10);
      db.set("forever", "v");
      later(clock, keyspace, 11);

      // Not deleted yet: nothing has looked at it.
      expect(db.size).toBe(2);
      expect(db.volatileCount).toBe(1);
      lookup(db);
      expect(db.size).toBe(1);
      expect(db.volatileCount).toBe(0);
      expect(db.deadline("k")).toBeUndefined();
      expect(keyspace.stats.expiredKeys).toBe(1);

      // A second look finds nothing left to delete.
      lookup(db);
      expect(keyspace.stats.expiredKeys).toBe(1);
      expect(db.get("forever")).toBe("v");
    },
  );

  it("read counts an expired key as a miss, as Redis's GET does", () => {
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 10);

    expect(db.read("k")).toBe("v");
    expect(keyspace.stats).toMatchObject({ hits: 1, misses: 0 });
    later(clock, keyspace, 11);
    expect(db.read("k")).toBeUndefined();
    expect(keyspace.stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it("get and has are not counted as hits or misses", () => {
    // Only commands that read a value count (see `read`): SET looking up
    // a key before replacing it is neither a hit nor a miss.
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 10);
    db.get("k");
    db.has("k");
    later(clock, keyspace, 11);
    db.get("k");
    expect(keyspace.stats).toMatchObject({ hits: 0, misses: 0 });
  });

  it("a key without a deadline never expires", () => {
    const { clock, keyspace, db } = setUp();
    db.set("forever", "v");
    setWithTtl(db, "brief", "v", 1);
    later(clock, keyspace, 100 * 365 * 86_400_000);
    expect(db.get("forever")).toBe("v");
    expect(db.get("brief")).toBeUndefined();
  });
});

describe("the time is read once per command", () => {
  it("the clock moving does not expire a key until a new instant", () => {
    // A command that looks at a key twice (or at many keys) sees one
    // instant, as Redis freezes its clock for the length of a command.
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 100);

    clock.advance(1_000);
    expect(db.get("k")).toBe("v");
    expect(db.has("k")).toBe(true);
    expect([...db.keys()]).toEqual(["k"]);

    keyspace.newInstant();
    expect(keyspace.time).toBe(clock.now());
    expect(db.get("k")).toBeUndefined();
  });

  it("an instant reads the clock on first use only, and not at all if no deadline is involved", () => {
    const { clock, keyspace, db } = setUp();
    db.set("plain", "v");
    const reads = vi.spyOn(clock, "now");

    // A GET in a database without deadlines never needs the time.
    keyspace.newInstant();
    expect(db.get("plain")).toBe("v");
    expect(reads).not.toHaveBeenCalled();

    // Once a key has a deadline, the first lookup reads the clock, and
    // the second one in the same instant uses what the first read.
    setWithTtl(db, "k", "v", 100);
    keyspace.newInstant();
    reads.mockClear();
    expect(db.get("k")).toBe("v");
    expect(db.get("plain")).toBe("v");
    expect(db.has("k")).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });

  it("the keyspace starts at the clock's time", () => {
    const clock = new ManualClock(123_456);
    expect(new Keyspace(16, clock).time).toBe(123_456);
  });
});

describe("writing a key, and its deadline", () => {
  it("set clears the deadline: a key SET anew starts a new life", () => {
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "old", 100);

    expect(db.set("k", "new")).toBe(false);
    expect(db.deadline("k")).toBeUndefined();
    expect(db.volatileCount).toBe(0);
    later(clock, keyspace, 1_000);
    expect(db.get("k")).toBe("new");
  });

  it("setKeepingTtl keeps it, as INCR and SET ... KEEPTTL do", () => {
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "1", 100);
    const deadline = db.deadline("k");

    expect(db.setKeepingTtl("k", "2")).toBe(false);
    expect(db.deadline("k")).toBe(deadline);
    later(clock, keyspace, 100);
    expect(db.get("k")).toBe("2");
    later(clock, keyspace, 1);
    expect(db.get("k")).toBeUndefined();
  });

  it("setKeepingTtl on an expired key makes a new key, with no deadline", () => {
    // INCR on a key whose time is up starts from nothing, and the new key
    // does not inherit the dead one's deadline.
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "41", 10);
    later(clock, keyspace, 11);

    expect(db.setKeepingTtl("k", "1")).toBe(true);
    expect(db.deadline("k")).toBeUndefined();
    expect(keyspace.stats.expiredKeys).toBe(1);
    later(clock, keyspace, 1_000_000);
    expect(db.get("k")).toBe("1");
  });

  it("set on an expired key counts it as expired, then adds a new key", () => {
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "old", 10);
    later(clock, keyspace, 11);

    expect(db.set("k", "new")).toBe(true);
    expect(keyspace.stats.expiredKeys).toBe(1);
    expect(db.size).toBe(1);
    expect(db.deadline("k")).toBeUndefined();
  });

  it("persist takes the deadline away, once", () => {
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 10);
    expect(db.persist("k")).toBe(true);
    expect(db.persist("k")).toBe(false);
    later(clock, keyspace, 11);
    expect(db.get("k")).toBe("v");
  });

  it("setDeadline replaces the deadline a key had", () => {
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 10);
    db.setDeadline("k", keyspace.time + 1_000);
    expect(db.volatileCount).toBe(1);
    later(clock, keyspace, 11);
    expect(db.get("k")).toBe("v");
  });
});

describe("delete", () => {
  it("answers false for an expired key: it did not exist any more", () => {
    // DEL of an expired key answers 0 in Redis, and the key is counted in
    // expired_keys: it was deleted because its time was up.
    const { clock, keyspace, db } = setUp();
    setWithTtl(db, "k", "v", 10);
    later(clock, keyspace, 11);

    expect(db.delete("k")).toBe(false);
    expect(keyspace.stats.expiredKeys).toBe(1);
    expect(db.size).toBe(0);
    expect(db.volatileCount).toBe(0);
  });

  it("of a live volatile key answers true, takes its deadline along, and is not counted as expired", () => {
    const { db, keyspace } = setUp();
    setWithTtl(db, "k", "v", 10);
    expect(db.delete("k")).toBe(true);
    expect(db.volatileCount).toBe(0);
    expect(db.deadline("k")).toBeUndefined();
    expect(keyspace.stats.expiredKeys).toBe(0);

    // A new key of the same name does not inherit the old deadline.
    db.set("k", "again");
    expect(db.deadline("k")).toBeUndefined();
  });
});

describe("whole-database reads", () => {
  it("size counts expired keys until something deletes them, as DBSIZE does", () => {
    const { clock, keyspace, db } = setUp();
    for (let i = 0; i < 10; i++) setWithTtl(db, `k${i}`, "v", 10);
    db.set("forever", "v");
    later(clock, keyspace, 11);

    expect(db.size).toBe(11);
    expect(db.volatileCount).toBe(10);
    db.get("k0");
    expect(db.size).toBe(10);
    expect(keyspace.nonEmpty()).toEqual([db]);
  });

  it("keys() skips expired keys without deleting them", () => {
    const { clock, keyspace, db } = setUp();
    db.set("forever", "v");
    setWithTtl(db, "at-deadline", "v", 100);
    setWithTtl(db, "gone", "v", 99);
    later(clock, keyspace, 100);

    expect([...db.keys()].sort()).toEqual(["at-deadline", "forever"]);
    expect(db.size).toBe(3);
    expect(keyspace.stats.expiredKeys).toBe(0);
  });

  it("randomKey never answers an expired key, and deletes those it picks", () => {
    const { clock, keyspace, db } = setUp();
    db.set("alive", "v");
    for (let i = 0; i < 50; i++) setWithTtl(db, `gone:${i}`, "v", 10);
    later(clock, keyspace, 11);

    for (let i = 0; i < 20; i++) expect(db.randomKey()).toBe("alive");
    // Every expired key it picked on the way was deleted and counted.
    expect(db.size).toBe(51 - keyspace.stats.expiredKeys);
    expect(keyspace.stats.expiredKeys).toBeGreaterThan(0);
  });

  it("randomKey answers undefined when every key has expired, and leaves the database empty", () => {
    const { clock, keyspace, db } = setUp();
    for (let i = 0; i < 50; i++) setWithTtl(db, `gone:${i}`, "v", 10);
    later(clock, keyspace, 11);

    expect(db.randomKey()).toBeUndefined();
    expect(db.size).toBe(0);
    expect(keyspace.stats.expiredKeys).toBe(50);
  });

  it("scanVolatile visits exactly the keys with a deadline, with their deadlines", () => {
    const { db, keyspace } = setUp();
    const expected = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      db.set(`forever:${i}`, "v");
      setWithTtl(db, `volatile:${i}`, "v", 1_000 + i);
      expected.set(`volatile:${i}`, keyspace.time + 1_000 + i);
    }
    const seen = new Map<string, unknown>();
    let cursor = 0;
    do {
      cursor = db.scanVolatile(cursor, (key, deadline) =>
        seen.set(key, deadline),
      );
    } while (cursor !== 0);
    expect(seen).toEqual(expected);
  });
});

describe("SWAPDB and FLUSHDB", () => {
  it("swapContents swaps the deadlines along with the keys", () => {
    const { clock, keyspace, db } = setUp();
    const other = keyspace.database(1);
    setWithTtl(db, "brief", "v", 10);
    setWithTtl(other, "long", "v", 1_000);
    db.expiryCursor = 3;
    db.averageTtl = 10;
    other.averageTtl = 1_000;

    db.swapContents(other);
    expect(db.deadline("long")).toBe(keyspace.time + 1_000);
    expect(other.deadline("brief")).toBe(keyspace.time + 10);
    expect([db.volatileCount, other.volatileCount]).toEqual([1, 1]);
    // The cycle's state about each table follows the table.
    expect([db.expiryCursor, other.expiryCursor]).toEqual([0, 3]);
    expect([db.averageTtl, other.averageTtl]).toEqual([1_000, 10]);

    later(clock, keyspace, 11);
    expect(other.get("brief")).toBeUndefined();
    expect(db.get("long")).toBe("v");
  });

  it("clear drops the deadlines and the average TTL too", () => {
    const { db } = setUp();
    setWithTtl(db, "k", "v", 10);
    db.averageTtl = 10;
    db.clear();
    expect([db.size, db.volatileCount, db.averageTtl]).toEqual([0, 0, 0]);
    db.set("k", "v");
    expect(db.deadline("k")).toBeUndefined();
  });
});

describe("deadlines beyond 2^53 milliseconds", () => {
  const MAX_SAFE = 2n ** 53n - 1n;
  const INT64_MAX = 2n ** 63n - 1n;

  it("deadlineOf gives a number up to 2^53 - 1, a bigint beyond", () => {
    expect(deadlineOf(0n)).toBe(0);
    expect(deadlineOf(1_767_225_600_000n)).toBe(1_767_225_600_000);
    expect(deadlineOf(MAX_SAFE)).toBe(Number.MAX_SAFE_INTEGER);
    // From 2^53 on, numbers no longer have one value per millisecond
    // (2^53 + 1 has none of its own): the deadline becomes a bigint.
    expect(deadlineOf(MAX_SAFE + 1n)).toBe(2n ** 53n);
    expect(deadlineOf(MAX_SAFE + 2n)).toBe(2n ** 53n + 1n);
    expect(deadlineOf(INT64_MAX)).toBe(INT64_MAX);
  });

  it("millisecondsLeft counts down with numbers and never goes below zero", () => {
    expect(millisecondsLeft(1_100, 1_000)).toBe(100);
    expect(millisecondsLeft(1_000, 1_000)).toBe(0);
    // Only reached between the deadline and the deletion: still 0, not -1.
    expect(millisecondsLeft(1_000, 1_001)).toBe(0);
  });

  it("millisecondsLeft is exact with bigint deadlines, to the millisecond", () => {
    const now = Date.UTC(2030, 0, 1);
    // Number arithmetic would round these to a multiple of 2 or more.
    expect(millisecondsLeft(INT64_MAX, now)).toBe(INT64_MAX - BigInt(now));
    expect(millisecondsLeft(2n ** 54n + 1n, now)).toBe(
      2n ** 54n + 1n - BigInt(now),
    );
    // When what is left falls under 2^53, the answer is a number again.
    expect(millisecondsLeft(2n ** 53n + 1n, now)).toBe(
      Number(2n ** 53n + 1n - BigInt(now)),
    );
    expect(millisecondsLeft(2n ** 53n + 1n, 10)).toBe(2 ** 53 - 9);
  });

  it("a bigint deadline compares exactly with the time: the key lives", () => {
    const { clock, keyspace, db } = setUp();
    db.set("k", "v");
    db.setDeadline("k", INT64_MAX);
    later(clock, keyspace, 1_000 * 365 * 86_400_000);
    expect(db.get("k")).toBe("v");
    expect(db.deadline("k")).toBe(INT64_MAX);
    expect([...db.keys()]).toEqual(["k"]);
  });
});
