/**
 * WATCH: optimistic locking. A client watches keys, reads them, decides
 * what to write, and sends MULTI ... EXEC; EXEC runs the transaction only
 * if no watched key changed since WATCH, and otherwise answers a null
 * array, so the client reads again and retries. Nothing is locked: a
 * client that watches slows nobody down.
 *
 * The keyspace already tells its listeners about every change to a key
 * (keyspace.ts, `keyModified`: Redis's signalModifiedKey). This table
 * listens, finds the clients watching that key, and marks them. The cost
 * of a change is one lookup, plus one mark per client that watches that
 * very key: not a walk over every client, nor over every watched key.
 */
import type { Database } from "../keyspace/database.ts";
import type { KeyspaceListener } from "../keyspace/keyspace.ts";

// #region watcher
/** One key one client watches: Redis's watchedKey. */
interface Watch {
  readonly db: Database;
  readonly key: string;
  readonly client: Watcher;
  /**
   * The key had already expired (but was not yet deleted) when WATCH ran.
   * Its deletion is then no change: the client saw no key, and there is
   * still none. Redis keeps the same flag.
   */
  expiredAtWatch: boolean;
}

/** A client's side of WATCH: what it watches, and whether one of them changed. */
export class Watcher {
  readonly watches: Watch[] = [];
  /**
   * A watched key changed: the next EXEC fails. Redis's CLIENT_DIRTY_CAS;
   * once set, the client's watches are dropped (nothing can unset it but
   * EXEC, DISCARD, UNWATCH or RESET).
   */
  touched = false;
}
// #endregion watcher

// #region watched-keys
export class WatchedKeys implements KeyspaceListener {
  /** Database → key → the watches on that key, by client. */
  readonly #byDatabase = new Map<Database, Map<string, Map<Watcher, Watch>>>();

  /** WATCH key: from now on, a change to `key` in `db` touches `client`. */
  watch(client: Watcher, db: Database, key: string): void {
    // A client whose watched key has changed already will fail its EXEC
    // whatever else changes: there is no point in watching more.
    if (client.touched) return;
    let keys = this.#byDatabase.get(db);
    if (keys === undefined) {
      keys = new Map();
      this.#byDatabase.set(db, keys);
    }
    let watches = keys.get(key);
    if (watches === undefined) {
      watches = new Map();
      keys.set(key, watches);
    }
    if (watches.has(client)) return; // watched already
    const watch: Watch = { db, key, client, expiredAtWatch: db.isExpired(key) };
    watches.set(client, watch);
    client.watches.push(watch);
  }

  /** Drops every watch of `client`: after EXEC, DISCARD, UNWATCH, RESET, or a disconnect. */
  unwatchAll(client: Watcher): void {
    for (const { db, key } of client.watches) {
      const keys = this.#byDatabase.get(db)!;
      const watches = keys.get(key)!;
      watches.delete(client);
      if (watches.size === 0) keys.delete(key);
      if (keys.size === 0) this.#byDatabase.delete(db);
    }
    client.watches.length = 0;
  }

  /**
   * How many keys of `db` are watched, and how many databases have a
   * watched key: what is left in the table. A key or a database nobody
   * watches any more has no entry at all (see `unwatchAll`), or the table
   * would grow with every key ever watched.
   */
  keysWatchedIn(db: Database): number {
    return this.#byDatabase.get(db)?.size ?? 0;
  }

  get databasesWatched(): number {
    return this.#byDatabase.size;
  }

  /**
   * At EXEC: has a watched key expired since WATCH, without being deleted
   * yet? Nobody has looked at it, so no change was signalled, but the key
   * the client saw is gone all the same.
   */
  anyExpired(client: Watcher): boolean {
    return client.watches.some(
      (watch) => !watch.expiredAtWatch && watch.db.isExpired(watch.key),
    );
  }

  // #region key-changed
  /** The keyspace's signal: `key` in `db` is about to change (or Redis says it did). */
  keyModified(db: Database, key: string): void {
    const watches = this.#byDatabase.get(db)?.get(key);
    if (watches === undefined) return;
    for (const watch of [...watches.values()]) {
      // Every write looks its key up first, which deletes it if it has
      // expired: a key still expired here is being deleted for that.
      if (watch.expiredAtWatch && db.isExpired(key)) {
        watch.expiredAtWatch = false; // from now on, it is a missing key
        continue;
      }
      this.#touch(watch.client);
    }
  }
  // #endregion key-changed

  // #region database-changed
  /**
   * FLUSHDB and FLUSHALL empty `db`; SWAPDB gives it `replacedWith`'s keys.
   * A watched key changes only if it was there before or is there after:
   * FLUSHDB does not touch a watched key that did not exist.
   */
  beforeDatabaseChange(db: Database, replacedWith?: Database): void {
    const keys = this.#byDatabase.get(db);
    if (keys === undefined) return;
    for (const [key, watches] of [...keys]) {
      const before = db.holds(key);
      const after = replacedWith?.holds(key) ?? false;
      if (!before && !after) continue;
      for (const watch of [...watches.values()]) {
        if (watch.expiredAtWatch) {
          // An expired key replaced by nothing, or by another expired
          // key, is still no key.
          if (!after) {
            watch.expiredAtWatch = false;
            continue;
          }
          if (replacedWith!.isExpired(key)) continue;
        } else if (!before && replacedWith!.isExpired(key)) {
          // A missing key replaced by an expired one: still missing.
          watch.expiredAtWatch = true;
          continue;
        }
        this.#touch(watch.client);
      }
    }
  }
  // #endregion database-changed

  #touch(client: Watcher): void {
    client.touched = true;
    this.unwatchAll(client);
  }
}
// #endregion watched-keys
