/**
 * Unit tests for object-header.ts and the header the database keeps per
 * key: Redis's 24-bit LRU clock and its wrap-around, which lookups count
 * as a use of a key, and how a string's encoding and refcount (OBJECT's
 * rules, in object-command.ts) follow from its bytes and from how it was
 * made, and the clock that keys holding a shared integer (0 to 9999)
 * have in common. The black-box suite (types.test.ts)
 * checks the same against redis-server; here the clock is a ManualClock,
 * so a key idle for a day, or across the clock's wrap, takes no time.
 */
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../src/keyspace/keyspace.ts";
import {
  lruClock,
  secondsBetween,
  sharedInteger,
  StringOrigin,
} from "../../src/keyspace/object-header.ts";
import { encodingOf, refcountOf } from "../../src/commands/object-command.ts";
import { Quicklist } from "../../src/types/quicklist.ts";
import { ManualClock } from "../manual-clock.ts";

/** A keyspace on a clock that moves only when told, and its database 0. */
function setUp() {
  const clock = new ManualClock();
  const keyspace = new Keyspace(16, clock);
  /** Moves time on by `seconds`, as the periodic task would see it. */
  const later = (seconds: number) => {
    clock.advance(seconds * 1000);
    keyspace.tickLruClock();
    keyspace.newInstant();
  };
  return { clock, keyspace, db: keyspace.database(0), later };
}

describe("the LRU clock", () => {
  it("counts whole seconds, in 24 bits", () => {
    expect(lruClock(0)).toBe(0);
    expect(lruClock(1999)).toBe(1);
    expect(lruClock(2 ** 24 * 1000)).toBe(0);
    expect(lruClock((2 ** 24 + 5) * 1000 + 999)).toBe(5);
  });

  it("measures idle time across its wrap, as Redis's estimateObjectIdleTime does", () => {
    expect(secondsBetween(100, 160)).toBe(60);
    expect(secondsBetween(2 ** 24 - 11, 9)).toBe(9 + 11 - 1);
  });
});

describe("idle time per key", () => {
  it("a lookup is a use; a glance (TYPE, EXISTS, TTL, OBJECT) is not", () => {
    const { db, later } = setUp();
    db.set("k", "v");
    later(30);
    expect(db.idleSeconds("k")).toBe(30);
    db.glance("k");
    db.readWithoutTouch("k");
    expect(db.idleSeconds("k")).toBe(30);
    db.read("k");
    expect(db.idleSeconds("k")).toBe(0);
    later(5);
    db.has("k");
    expect(db.idleSeconds("k")).toBe(0);
  });

  it("a new value starts at 0, and so does a value replaced", () => {
    const { db, later } = setUp();
    db.set("k", "v");
    later(86_400);
    expect(db.idleSeconds("k")).toBe(86_400);
    db.setKeepingTtl("k", "w");
    expect(db.idleSeconds("k")).toBe(0);
  });

  it("moves with the periodic task, not with every reading of the time", () => {
    const { clock, keyspace, db } = setUp();
    db.set("k", "v");
    clock.advance(10_000);
    keyspace.newInstant();
    expect(db.idleSeconds("k")).toBe(0);
    keyspace.tickLruClock();
    expect(db.idleSeconds("k")).toBe(10);
  });
});

describe("idle time of the shared integers", () => {
  it("is the integer's, in every key and database that holds it", () => {
    const { keyspace, db, later } = setUp();
    later(100); // the shared integers were made at start-up
    db.set("a", "5");
    expect(db.idleSeconds("a")).toBe(100);
    later(10);
    keyspace.database(3).set("b", "5");
    expect(keyspace.database(3).idleSeconds("b")).toBe(110);
    db.read("a");
    expect(keyspace.database(3).idleSeconds("b")).toBe(0);
  });

  it("a write that replaces one is a use of it; DEL, TYPE and OBJECT are not", () => {
    const { db, later } = setUp();
    db.set("a", "9999");
    db.set("b", "9999");
    later(20);
    db.glance("a");
    db.delete("a");
    expect(db.idleSeconds("b")).toBe(20);
    db.set("c", "9999");
    db.set("c", "other");
    expect(db.idleSeconds("b")).toBe(0);
  });

  it.each([
    ["10000", StringOrigin.stored],
    ["-1", StringOrigin.stored],
    ["05", StringOrigin.stored],
    ["5", StringOrigin.edited],
    ["5", StringOrigin.formatted],
    ["5", StringOrigin.copiedInteger],
  ] as const)(
    "%j made as %s is a value of its own, just made",
    (value, origin) => {
      const { db, later } = setUp();
      later(30);
      db.set("k", value, origin);
      expect(db.idleSeconds("k")).toBe(0);
      expect(sharedInteger(value, origin)).toBe(-1);
    },
  );

  it("knows 0 to 9999 in canonical form", () => {
    expect(sharedInteger("0", StringOrigin.stored)).toBe(0);
    expect(sharedInteger("9999", StringOrigin.stored)).toBe(9999);
    for (const text of ["", "+1", "-0", "00", "1 ", "1e3", "99999"]) {
      expect(sharedInteger(text, StringOrigin.stored), text).toBe(-1);
    }
  });
});

describe("while a rewrite runs", () => {
  it("lookups leave access times alone, until the periodic task after it ends", () => {
    const { keyspace, db, later } = setUp();
    db.set("k", "v");
    db.set("n", "7");
    later(10);
    keyspace.rewriteChild = "running";
    db.read("k");
    db.read("n");
    db.set("new", "v"); // a new value's clock is now, all the same
    expect([db.idleSeconds("k"), db.idleSeconds("n")]).toEqual([10, 10]);
    expect(db.idleSeconds("new")).toBe(0);
    keyspace.rewriteChild = "exited";
    db.read("k");
    expect(db.idleSeconds("k")).toBe(10);
    keyspace.reapRewriteChild();
    expect(keyspace.rewriteChild).toBe("none");
    db.read("k");
    db.read("n");
    expect([db.idleSeconds("k"), db.idleSeconds("n")]).toEqual([0, 0]);
  });

  it("a rewrite still running is not reaped", () => {
    const { keyspace } = setUp();
    keyspace.rewriteChild = "running";
    keyspace.reapRewriteChild();
    expect(keyspace.rewriteChild).toBe("running");
  });
});

describe("encoding and refcount", () => {
  const { stored, edited, formatted, copiedInteger } = StringOrigin;

  it.each([
    ["42", stored, "int", 2147483647],
    ["10000", stored, "int", 1],
    ["-1", stored, "int", 1],
    ["042", stored, "embstr", 1],
    ["x".repeat(44), stored, "embstr", 1],
    ["x".repeat(45), stored, "raw", 1],
    ["42", edited, "raw", 1],
    ["42", formatted, "embstr", 1],
    ["x".repeat(45), formatted, "raw", 1],
    ["42", copiedInteger, "int", 1],
  ] as const)(
    "%j made as %s: %s, refcount %d",
    (value, origin, encoding, refcount) => {
      expect(encodingOf(value, origin)).toBe(encoding);
      expect(refcountOf(value, origin)).toBe(refcount);
    },
  );

  it("a list is a quicklist, refcount 1", () => {
    expect(encodingOf(new Quicklist(), stored)).toBe("quicklist");
    expect(refcountOf(new Quicklist(), stored)).toBe(1);
  });

  it("the database keeps how a string was made until it is replaced", () => {
    const { db } = setUp();
    db.setKeepingTtl("k", "abc", edited);
    expect(db.origin("k")).toBe(edited);
    db.read("k"); // a use keeps the origin
    expect(db.origin("k")).toBe(edited);
    db.set("k", "abc");
    expect(db.origin("k")).toBe(stored);
  });
});
