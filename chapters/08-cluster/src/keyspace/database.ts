/**
 * One numbered database, what `SELECT n` switches a connection to: a
 * table from keys to values, and everything a command can do to it.
 * keyspace.ts holds all the databases, and says what keys and values are.
 */
import { Dict, type DictEntry } from "./dict.ts";
import type { SlotIndex } from "../cluster/slot-index.ts";
import type { RedisValue, Deadline, Keyspace } from "./keyspace.ts";
import {
  clockBefore,
  header,
  isShared,
  lastUsed,
  originOf,
  secondsBetween,
  StringOrigin,
  touched,
} from "./object-header.ts";

// #region database
/**
 * INFO's keyspace_hits and keyspace_misses, and expired_keys: how many
 * keys were deleted because their time was up (lazily or actively).
 */
export interface KeyspaceStats {
  hits: number;
  misses: number;
  expiredKeys: number;
}

/**
 * One numbered database: what `SELECT n` switches a connection to.
 *
 * A key with a time to live has its deadline in a second table, `expires`,
 * as in Redis: the values stay as they were, most keys (which never expire)
 * pay nothing, and the active expiry cycle samples only keys that can
 * expire, instead of wading through all the others.
 *
 * Lazy expiry lives here, in one place: every lookup first checks the key's
 * deadline and deletes the key if it has passed (`#expireIfDue`). So no
 * command can see an expired key, whether or not it thought of expiry.
 */
export class Database {
  #entries = new Dict<RedisValue>();
  #expires = new Dict<Deadline>();
  /**
   * Where the active expiry cycle goes on sampling `expires` next time: a
   * SCAN cursor, so that over many cycles every volatile key is looked at.
   */
  expiryCursor = 0;
  /**
   * INFO's avg_ttl: a running estimate of the milliseconds left to this
   * database's volatile keys, kept by the active expiry cycle from the keys
   * it samples, as Redis keeps it.
   */
  averageTtl = 0;
  /**
   * Cluster mode's index of database 0's keys by hash slot
   * (cluster/slot-index.ts), told of every key added or deleted here;
   * undefined in every other database, and when cluster mode is off.
   */
  #slotIndex: SlotIndex | undefined = undefined;

  constructor(
    readonly index: number,
    readonly keyspace: Keyspace,
  ) {}

  /**
   * How many keys the table holds, expired ones not yet deleted included:
   * DBSIZE answers this, as Redis's does, without checking every deadline.
   */
  get size(): number {
    return this.#entries.size;
  }

  /** How many keys have a time to live (INFO keyspace's `expires=`). */
  get volatileCount(): number {
    return this.#expires.size;
  }

  // #region lazy-expiry
  /**
   * Deletes `key` if its deadline has passed, and says whether it did.
   * Every lookup goes through here first: that is lazy expiry.
   */
  #expireIfDue(key: string): boolean {
    // Most databases have no volatile keys: one size check, no lookup.
    if (this.#expires.size === 0) return false;
    const deadline = this.#expires.get(key);
    if (deadline === undefined || deadline >= this.keyspace.time) return false;
    if (this.keyspace.loading) return false;
    this.deleteExpired(key);
    return true;
  }
  // #endregion lazy-expiry

  // #region delete-expired
  /**
   * Deletes a key whose time is up, and counts it in INFO's expired_keys.
   * The listeners hear of it, so the AOF can log a DEL: no client asked
   * for this change, so no command would be logged for it.
   */
  deleteExpired(key: string): void {
    this.keyspace.listeners.beforeKeyChange(this, key);
    this.keyspace.listeners.keyModified(this, key);
    this.#entries.delete(key);
    this.#expires.delete(key);
    this.#slotIndex?.delete(key);
    this.keyspace.stats.expiredKeys += 1;
    this.keyspace.listeners.keyExpired(this, key);
  }
  // #endregion delete-expired

  // #region before-change
  /**
   * Every change a command makes to a key passes through here first: it is
   * counted (the dispatcher logs a command to the AOF only if the count
   * moved) and the listeners hear of it before it happens (an AOF rewrite
   * in progress keeps the key's old state; a client that WATCHes the key
   * will see its EXEC fail).
   */
  #beforeChange(key: string): void {
    this.keyspace.changes += 1;
    this.keyspace.listeners.beforeKeyChange(this, key);
    this.keyspace.listeners.keyModified(this, key);
  }
  // #endregion before-change

  /**
   * The key's value and deadline as stored, expired or not, without
   * counting a lookup: for the AOF rewrite, which copies keys as they are.
   */
  peek(
    key: string,
  ): { value: RedisValue; deadline: Deadline | undefined } | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    return {
      value,
      deadline: this.#expires.size > 0 ? this.#expires.get(key) : undefined,
    };
  }

  // #region touch
  /**
   * The value of `key`, if it exists: a lookup, which counts as a use of
   * the key (OBJECT IDLETIME starts again from 0), as Redis's lookups do.
   */
  get(key: string): RedisValue | undefined {
    if (this.#expireIfDue(key)) return undefined;
    const entry = this.#entries.find(key);
    if (entry === undefined) return undefined;
    this.#touch(entry);
    return entry.value;
  }

  /**
   * A use of the entry's value: its clock is set to now, or, for a shared
   * integer, the clock of every key that holds it. Not while a rewrite
   * runs: Redis leaves access times alone while its child process lives,
   * since writing to a page makes the kernel copy it for the child. We have
   * no child, but OBJECT IDLETIME answers as Redis's does.
   */
  #touch(entry: DictEntry<RedisValue>): void {
    if (this.keyspace.rewriteChild !== "none") return;
    if (isShared(entry.meta)) {
      const number = Number(entry.value);
      this.keyspace.sharedIntegerClocks.touch(number, this.#clock());
    } else {
      entry.meta = touched(entry.meta, this.#clock());
    }
  }

  /**
   * `get` that does not count as a use of the key: for the commands Redis
   * lets look without touching (its LOOKUP_NOTOUCH): TYPE, EXISTS, TTL
   * and kin, OBJECT, and SCAN's filters.
   */
  glance(key: string): RedisValue | undefined {
    if (this.#expireIfDue(key)) return undefined;
    return this.#entries.get(key);
  }
  // #endregion touch

  /**
   * `get` on behalf of a command that reads (GET, not SET): counted as a
   * hit or a miss, as Redis counts its read lookups. An expired key is a miss.
   */
  read(key: string): RedisValue | undefined {
    return this.#counted(this.get(key));
  }

  /** `read` that does not count as a use of the key (see `glance`). */
  readWithoutTouch(key: string): RedisValue | undefined {
    return this.#counted(this.glance(key));
  }

  #counted(value: RedisValue | undefined): RedisValue | undefined {
    if (value === undefined) this.keyspace.stats.misses += 1;
    else this.keyspace.stats.hits += 1;
    return value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  // #region watch-lookups
  /**
   * Whether the table holds `key`, expired or not, without deleting it
   * (Redis's dictFind): WATCH's rules for FLUSHDB and SWAPDB ask this.
   */
  holds(key: string): boolean {
    return this.#entries.has(key);
  }

  /**
   * Whether `key` is in the table with its deadline passed, without
   * deleting it (Redis's keyIsExpired). Nothing expires while the AOF is
   * replayed.
   */
  isExpired(key: string): boolean {
    if (this.#expires.size === 0 || this.keyspace.loading) return false;
    const deadline = this.#expires.get(key);
    return deadline !== undefined && deadline < this.keyspace.time;
  }
  // #endregion watch-lookups

  // #region object-header
  /** Redis's LRU clock now (see `Keyspace.lruClock`). */
  #clock(): number {
    return this.keyspace.lruClock;
  }

  /** Seconds since `key` was last used (OBJECT IDLETIME). The key must exist. */
  idleSeconds(key: string): number {
    const entry = this.#entries.find(key);
    if (entry === undefined) return 0;
    const then = isShared(entry.meta)
      ? this.keyspace.sharedIntegerClocks.lastUsed(Number(entry.value))
      : lastUsed(entry.meta);
    return secondsBetween(then, this.#clock());
  }

  /**
   * Makes `key` look unused for `seconds` (RESTORE's IDLETIME). For a
   * shared integer that is the clock of every key that holds it, as in
   * Redis, where they are one object.
   */
  setIdleSeconds(key: string, seconds: bigint): void {
    const entry = this.#entries.find(key);
    if (entry === undefined) return;
    const clock = clockBefore(this.#clock(), seconds);
    if (isShared(entry.meta)) {
      this.keyspace.sharedIntegerClocks.touch(Number(entry.value), clock);
    } else {
      entry.meta = touched(entry.meta, clock);
    }
  }

  /** How the string at `key` was made (see `StringOrigin`). The key must exist. */
  origin(key: string): StringOrigin {
    return originOf(this.#entries.find(key)?.meta ?? 0);
  }
  // #endregion object-header

  // #region set
  /**
   * Adds or replaces a key, and clears any time to live it had: a key SET
   * anew starts a new life. True if the key is new. `origin` says how a
   * string was made, for OBJECT ENCODING: as SET makes it, unless the
   * command says otherwise (APPEND, SETRANGE, INCRBYFLOAT, COPY).
   */
  set(
    key: string,
    value: RedisValue,
    origin: StringOrigin = StringOrigin.stored,
  ): boolean {
    return this.#store(key, value, origin, "clear ttl");
  }

  /**
   * Adds or replaces a key, keeping its time to live: INCR, APPEND,
   * SETRANGE and `SET ... KEEPTTL` change a value, not its lifetime.
   */
  setKeepingTtl(
    key: string,
    value: RedisValue,
    origin: StringOrigin = StringOrigin.stored,
  ): boolean {
    return this.#store(key, value, origin, "keep ttl");
  }

  /**
   * `setKeepingTtl` for a write Redis leaves out of its count of changes,
   * so the AOF does not log it: SETBIT and BITFIELD make the string raw
   * and long enough first (creating the key if need be), and count a
   * change only for a write that then moved a bit or needed the growth
   * (a write refused by OVERFLOW FAIL never does). Redis does not signal
   * it either: an AOF rewrite in progress hears of it (`beforeKeyChange`),
   * but there is no `keyModified`, so a client that WATCHes the key keeps
   * its EXEC.
   */
  setKeepingTtlUncounted(
    key: string,
    value: RedisValue,
    origin: StringOrigin,
  ): boolean {
    return this.#store(key, value, origin, "keep ttl", "uncounted");
  }

  /**
   * What `set` and `setKeepingTtl` do, with one search of the table: an
   * entry that exists gets its new value where it lies, counted as a
   * change unless the caller says otherwise. Every Redis writer looks the
   * key up first (lookupKeyWrite), which is a use of the old value: that
   * use matters only for a shared integer, whose other keys see it (any
   * other old value is about to be freed).
   */
  #store(
    key: string,
    value: RedisValue,
    origin: StringOrigin,
    ttl: "clear ttl" | "keep ttl",
    count: "counted" | "uncounted" = "counted",
  ): boolean {
    this.#expireIfDue(key);
    const meta = header(value, origin, this.#clock());
    const entry = this.#entries.find(key);
    if (entry !== undefined && isShared(entry.meta)) this.#touch(entry);
    if (count === "counted") this.#beforeChange(key);
    else this.keyspace.listeners.beforeKeyChange(this, key);
    if (ttl === "clear ttl" && this.#expires.size > 0)
      this.#expires.delete(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.meta = meta;
      return false;
    }
    this.#entries.add(key, value, meta);
    this.#slotIndex?.add(key);
    // A new key: Redis's `dbAdd`, which a client blocked on it hears of.
    this.keyspace.listeners.keyAdded(this, key);
    return true;
  }
  // #endregion set

  // #region will-modify
  /**
   * A command is about to change the value of `key` in place: LPUSH onto
   * a list that exists, LSET, a pop. A string is replaced with `set`, but
   * a structure is changed where it lies, so the change must be announced
   * the same way: counted (for the AOF), and heard by the listeners before
   * it happens (an AOF rewrite in progress copies the old value).
   */
  willModify(key: string): void {
    this.#beforeChange(key);
  }

  /**
   * Tells the listeners that `key` was modified when it was not, without
   * counting a change (the AOF logs nothing): Redis's signalModifiedKey
   * alone. For LTRIM that trims nothing, which Redis signals all the
   * same, so a client that WATCHes the list sees its EXEC fail.
   */
  signalWithoutChange(key: string): void {
    this.keyspace.listeners.keyModified(this, key);
  }
  // #endregion will-modify

  /** Removes a key; true if it existed (an expired key did not). */
  delete(key: string): boolean {
    if (this.#expireIfDue(key) || !this.#entries.has(key)) return false;
    this.#beforeChange(key);
    if (this.#expires.size > 0) this.#expires.delete(key);
    this.#slotIndex?.delete(key);
    return this.#entries.delete(key);
  }

  // #region ttl
  /** The key's deadline, or undefined if it has none. Call after a lookup. */
  deadline(key: string): Deadline | undefined {
    return this.#expires.get(key);
  }

  /**
   * Gives a key a deadline (replacing any it had). The key must exist: a
   * deadline without a key would never be found by a lookup.
   */
  setDeadline(key: string, deadline: Deadline): void {
    this.#beforeChange(key);
    this.#expires.set(key, deadline);
  }

  /** Removes a key's deadline: it lives until deleted. True if it had one. */
  persist(key: string): boolean {
    // Most databases have no deadlines: no need to hash the key to know.
    if (this.#expires.size === 0 || !this.#expires.has(key)) return false;
    this.#beforeChange(key);
    return this.#expires.delete(key);
  }
  // #endregion ttl

  clear(): void {
    if (this.#entries.size > 0) {
      this.keyspace.changes += this.#entries.size;
      this.keyspace.listeners.beforeDatabaseChange(this);
    }
    this.#entries.clear();
    this.#expires.clear();
    this.#slotIndex?.clear();
    this.expiryCursor = 0;
    this.averageTtl = 0;
  }

  // #region whole-table
  /**
   * Every key that has not expired. Expired keys are skipped but not
   * deleted, as Redis's KEYS does: it is a read of the whole table, and
   * changing the table while walking it is what we avoid.
   */
  *keys(): IterableIterator<string> {
    const now = this.keyspace.time;
    for (const key of this.#entries.keys()) {
      const deadline =
        this.#expires.size > 0 ? this.#expires.get(key) : undefined;
      if (deadline === undefined || deadline >= now) yield key;
    }
  }

  /**
   * A random key that has not expired. An expired key picked at random is
   * deleted on the way, and another one picked: the loop ends because each
   * try either answers or shrinks the table.
   */
  randomKey(): string | undefined {
    for (;;) {
      const key = this.#entries.randomKey();
      if (key === undefined || !this.#expireIfDue(key)) return key;
    }
  }

  /**
   * One step of SCAN: see `Dict.scan`. Expired keys are visited too; the
   * caller looks each one up (which deletes it) before answering it.
   */
  scan(cursor: number, visit: (key: string) => void): number {
    return this.#entries.scan(cursor, visit);
  }
  // #endregion whole-table

  // #region index-by-slot
  /**
   * Cluster mode: from now on, `index` hears of every key this database
   * adds or deletes, starting with the keys it holds already. Only
   * database 0 has one: cluster mode refuses SELECT, MOVE, SWAPDB and
   * COPY ... DB, so no other database is ever used, and this one never
   * trades its keys for another's.
   */
  indexBySlot(index: SlotIndex): void {
    this.#slotIndex = index;
    for (const key of this.#entries.keys()) index.add(key);
  }
  // #endregion index-by-slot

  /** One step of a scan over the volatile keys only, with their deadlines. */
  scanVolatile(
    cursor: number,
    visit: (key: string, deadline: Deadline) => void,
  ): number {
    return this.#expires.scan(cursor, visit);
  }

  /**
   * SWAPDB: the two databases trade contents, not numbers. Connections hold
   * the Database object they selected, so each one now sees the other's
   * data under the number it chose, which is what SWAPDB promises.
   */
  swapContents(other: Database): void {
    // Counted even when both are empty: Redis logs every SWAPDB.
    this.keyspace.changes += 1;
    // SWAPDB n n: nothing moves, and nobody is told (a client that
    // WATCHes a key of n keeps its EXEC), as in Redis.
    if (other === this) return;
    this.keyspace.listeners.beforeDatabaseChange(this, other);
    this.keyspace.listeners.beforeDatabaseChange(other, this);
    [this.#entries, other.#entries] = [other.#entries, this.#entries];
    [this.#expires, other.#expires] = [other.#expires, this.#expires];
    [this.expiryCursor, other.expiryCursor] = [
      other.expiryCursor,
      this.expiryCursor,
    ];
    [this.averageTtl, other.averageTtl] = [other.averageTtl, this.averageTtl];
    this.keyspace.listeners.databaseSwapped(this);
    this.keyspace.listeners.databaseSwapped(other);
  }
}
// #endregion database
