/**
 * Unit tests for the table of watched keys (transactions/watched-keys.ts),
 * on a keyspace of its own and a clock that moves only when told
 * (test/manual-clock.ts), so that "already expired at WATCH" and "expired
 * since" are exact.
 *
 * What the black-box suite (test/watch.test.ts) cannot see: what a change
 * costs (it looks at the watchers of that key, and at no other client),
 * and what the table keeps (nothing for a key or a database nobody
 * watches any more). The keyspace's signals are driven through the
 * Database's own methods, so these tests also pin which of them WATCH
 * hears.
 */
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../src/keyspace/keyspace.ts";
import type { Database } from "../../src/keyspace/database.ts";
import { StringOrigin } from "../../src/keyspace/object-header.ts";
import { Watcher, WatchedKeys } from "../../src/transactions/watched-keys.ts";
import { ManualClock } from "../manual-clock.ts";

/** A keyspace on a manual clock, with a table of watched keys listening to it. */
function watchedKeyspace() {
  const clock = new ManualClock();
  const keyspace = new Keyspace(16, clock);
  const watched = new WatchedKeys();
  keyspace.listeners.add(watched);
  /** Moves the clock, and starts a new instant, as the next command would. */
  const advance = (ms: number): void => {
    clock.advance(ms);
    keyspace.newInstant();
  };
  return { clock, keyspace, watched, advance, db: keyspace.database(0) };
}

/**
 * A Watcher that counts every read and write of its fields: a change
 * that walked over clients, or over watches of other keys, would read
 * the clients it passed.
 */
function countedWatcher(): { watcher: Watcher; looks: () => number } {
  let looks = 0;
  const watcher = new Proxy(new Watcher(), {
    get(target, property, receiver) {
      looks += 1;
      return Reflect.get(target, property, receiver) as unknown;
    },
    set(target, property, value, receiver) {
      looks += 1;
      return Reflect.set(target, property, value, receiver);
    },
  });
  return { watcher, looks: () => looks };
}

/** The deadline `ms` from now on the keyspace's clock. */
function inMs(db: Database, ms: number): number {
  return db.keyspace.time + ms;
}

describe("a change touches the watchers of that key", () => {
  it("in that database only; the others keep their EXEC", () => {
    const { keyspace, watched, db } = watchedKeyspace();
    const [same, otherDb, otherKey] = [
      new Watcher(),
      new Watcher(),
      new Watcher(),
    ];
    watched.watch(same, db, "k");
    watched.watch(otherDb, keyspace.database(1), "k");
    watched.watch(otherKey, db, "j");

    db.set("k", "v");
    expect(same.touched).toBe(true);
    expect(otherDb.touched).toBe(false);
    expect(otherKey.touched).toBe(false);
  });

  it("every watcher of the key, once each, and it drops their watches at once", () => {
    const { watched, db } = watchedKeyspace();
    const watchers = Array.from({ length: 5 }, () => new Watcher());
    for (const watcher of watchers) {
      watched.watch(watcher, db, "k");
      watched.watch(watcher, db, "j");
    }
    db.set("k", "v");
    for (const watcher of watchers) {
      expect(watcher.touched).toBe(true);
      // Its EXEC fails whatever else changes: nothing left to watch.
      expect(watcher.watches).toEqual([]);
    }
    expect(watched.keysWatchedIn(db)).toBe(0);
    expect(watched.databasesWatched).toBe(0);
  });

  it("costs a look at the watchers of that key, and at no other client", () => {
    const { watched, db, keyspace } = watchedKeyspace();
    const others = Array.from({ length: 1_000 }, (_, i) => {
      const counted = countedWatcher();
      watched.watch(counted.watcher, db, `other:${i}`);
      // The same key in another database is another key.
      watched.watch(counted.watcher, keyspace.database(1), "k");
      return counted;
    });
    const mine = [countedWatcher(), countedWatcher()];
    for (const { watcher } of mine) watched.watch(watcher, db, "k");
    const looksBefore = others.map(({ looks }) => looks());

    db.set("k", "v");
    expect(others.map(({ looks }) => looks())).toEqual(looksBefore);
    for (const { watcher } of mine) expect(watcher.touched).toBe(true);
    expect(others.every(({ watcher }) => !watcher.touched)).toBe(true);
  });

  it("a touched client is not looked at again, whatever else changes", () => {
    const { watched, db } = watchedKeyspace();
    const { watcher, looks } = countedWatcher();
    watched.watch(watcher, db, "k");
    watched.watch(watcher, db, "j");
    db.set("k", "v");
    const after = looks();
    db.set("j", "v");
    db.set("k", "w");
    expect(looks()).toBe(after);
  });
});

describe("what the table keeps", () => {
  it("unwatchAll leaves no empty map behind, for a key or a database", () => {
    const { keyspace, watched, db } = watchedKeyspace();
    const one = keyspace.database(1);
    const [a, b] = [new Watcher(), new Watcher()];
    for (const key of ["k", "j", "i"]) {
      watched.watch(a, db, key);
      watched.watch(a, one, key);
    }
    watched.watch(b, db, "k");
    expect(watched.keysWatchedIn(db)).toBe(3);
    expect(watched.keysWatchedIn(one)).toBe(3);
    expect(watched.databasesWatched).toBe(2);

    watched.unwatchAll(a);
    expect(a.watches).toEqual([]);
    // b still watches k in database 0, and nothing else is left.
    expect(watched.keysWatchedIn(db)).toBe(1);
    expect(watched.keysWatchedIn(one)).toBe(0);
    expect(watched.databasesWatched).toBe(1);

    watched.unwatchAll(b);
    expect(watched.keysWatchedIn(db)).toBe(0);
    expect(watched.databasesWatched).toBe(0);
    // And b is no longer told of k.
    db.set("k", "v");
    expect(b.touched).toBe(false);
  });

  it("a key watched twice is one watch", () => {
    const { watched, db } = watchedKeyspace();
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    watched.watch(watcher, db, "k");
    expect(watcher.watches).toHaveLength(1);
    expect(watched.keysWatchedIn(db)).toBe(1);
  });

  it("a client already touched watches nothing more", () => {
    const { watched, db } = watchedKeyspace();
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    db.set("k", "v");
    watched.watch(watcher, db, "j");
    expect(watcher.watches).toEqual([]);
    expect(watched.databasesWatched).toBe(0);
  });
});

describe("which of the keyspace's signals WATCH hears", () => {
  it("every counted change: set, delete, deadlines, a change in place", () => {
    const { watched, db } = watchedKeyspace();
    db.set("k", "v");
    const touchedBy = (change: () => void): boolean => {
      const watcher = new Watcher();
      watched.watch(watcher, db, "k");
      change();
      watched.unwatchAll(watcher);
      return watcher.touched;
    };
    expect(touchedBy(() => db.set("k", "v"))).toBe(true);
    expect(touchedBy(() => db.setDeadline("k", inMs(db, 10_000)))).toBe(true);
    expect(touchedBy(() => db.persist("k"))).toBe(true);
    expect(touchedBy(() => db.willModify("k"))).toBe(true);
    expect(touchedBy(() => db.delete("k"))).toBe(true);
    // Nothing to delete, no deadline to remove: no change.
    expect(touchedBy(() => db.delete("k"))).toBe(false);
    db.set("k", "v");
    expect(touchedBy(() => db.persist("k"))).toBe(false);
  });

  it("LTRIM's signal without a change, uncounted as Redis leaves it", () => {
    const { keyspace, watched, db } = watchedKeyspace();
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    const changes = keyspace.changes;
    db.signalWithoutChange("k");
    expect(watcher.touched).toBe(true);
    expect(keyspace.changes).toBe(changes);
  });

  it("not the writes Redis does without a signal (SETBIT making a string raw)", () => {
    const { watched, db } = watchedKeyspace();
    db.set("k", "v");
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    db.setKeepingTtlUncounted("k", "v", StringOrigin.edited);
    expect(watcher.touched).toBe(false);
  });

  it("not SWAPDB of a database with itself", () => {
    const { watched, db } = watchedKeyspace();
    db.set("k", "v");
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    db.swapContents(db);
    expect(watcher.touched).toBe(false);
  });
});

describe("expiry", () => {
  it("a key that expires after WATCH is seen at EXEC (anyExpired), then its deletion touches", () => {
    const { watched, db, advance } = watchedKeyspace();
    db.set("k", "v");
    db.setDeadline("k", inMs(db, 10));
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    expect(watched.anyExpired(watcher)).toBe(false);

    advance(11);
    // Nobody looked: no signal yet, but EXEC must fail all the same.
    expect(watcher.touched).toBe(false);
    expect(watched.anyExpired(watcher)).toBe(true);
    expect(db.get("k")).toBeUndefined();
    expect(watcher.touched).toBe(true);
  });

  it("a key already expired at WATCH: its deletion is no change, a write after it is", () => {
    const { watched, db, advance } = watchedKeyspace();
    db.set("k", "v");
    db.setDeadline("k", inMs(db, 10));
    advance(11);
    const watcher = new Watcher();
    watched.watch(watcher, db, "k");
    expect(watched.anyExpired(watcher)).toBe(false);

    expect(db.get("k")).toBeUndefined(); // deleted now
    expect(watcher.touched).toBe(false);
    expect(watched.anyExpired(watcher)).toBe(false);
    db.set("k", "v");
    expect(watcher.touched).toBe(true);
  });

  it("FLUSHDB touches the watchers of keys that exist, not of an expired one", () => {
    const { watched, db, advance } = watchedKeyspace();
    db.set("live", "v");
    db.set("expired", "v");
    db.setDeadline("expired", inMs(db, 10));
    advance(11);
    const [live, expired, missing] = [
      new Watcher(),
      new Watcher(),
      new Watcher(),
    ];
    watched.watch(live, db, "live");
    watched.watch(expired, db, "expired");
    watched.watch(missing, db, "missing");

    db.clear();
    expect([live.touched, expired.touched, missing.touched]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("SWAPDB: an expired key and no key are the same; a live key on either side is a change", () => {
    const { keyspace, watched, db, advance } = watchedKeyspace();
    const other = keyspace.database(1);
    // In db: a live key, an expired one, none; in other, the same three,
    // crossed so that every pair meets once.
    const sides = { live: "live", expired: "expired", none: undefined };
    const names: string[] = [];
    for (const [here, hereKind] of Object.entries(sides)) {
      for (const [there, thereKind] of Object.entries(sides)) {
        const key = `${here}/${there}`;
        names.push(key);
        if (hereKind !== undefined) db.set(key, hereKind);
        if (thereKind !== undefined) other.set(key, thereKind);
        if (hereKind === "expired") db.setDeadline(key, inMs(db, 10));
        if (thereKind === "expired") other.setDeadline(key, inMs(db, 10));
      }
    }
    advance(11);
    const watchers = new Map(names.map((key) => [key, new Watcher()]));
    for (const [key, watcher] of watchers) watched.watch(watcher, db, key);

    db.swapContents(other);
    const touched = Object.fromEntries(
      [...watchers].map(([key, watcher]) => [key, watcher.touched]),
    );
    expect(touched).toEqual({
      "live/live": true,
      "live/expired": true,
      "live/none": true,
      "expired/live": true,
      "expired/expired": false,
      "expired/none": false,
      "none/live": true,
      "none/expired": false,
      "none/none": false,
    });
    // An expired key that came with the swap is still no key at EXEC.
    expect(watched.anyExpired(watchers.get("none/expired")!)).toBe(false);
    expect(watched.anyExpired(watchers.get("expired/expired")!)).toBe(false);
  });
});
