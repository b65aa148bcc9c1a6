/**
 * The keyspace: numbered databases, each a table from keys to values.
 *
 * Keys and values are byte strings: JavaScript strings with one character
 * per byte (`buffer.toString("latin1")`). A Redis key may hold any bytes,
 * which rules out decoding arguments as UTF-8; a byte string keeps them all,
 * and V8 stores a string whose characters are all below 256 at one byte per
 * character. It costs less memory than a Buffer per value (a Buffer is an
 * object plus separately allocated memory), compares with `===` and goes
 * straight into the reply text. The article measures both choices.
 *
 * Converting an argument with `toString("latin1")` also copies it out of
 * the socket's input buffer, which a stored view would keep alive whole.
 */
import { constants } from "node:buffer";
import { Dict } from "./dict.ts";
import type { Clock } from "../expiry/clock.ts";

/**
 * The longest string V8 can make: 2^29 - 24 characters, so 24 bytes short
 * of Redis's 512 MB limit. A value between the two cannot be stored as a
 * byte string; commands refuse it with Redis's too-big error (a deliberate,
 * tiny difference).
 */
export const MAX_STRING_BYTES = constants.MAX_STRING_LENGTH;

// #region value
/**
 * What a key can hold. Only strings in this chapter; chapter 06 adds lists,
 * hashes, sets and sorted sets to this union.
 */
export type RedisValue = string;

/** The name TYPE answers for a value. */
export function typeName(_value: RedisValue): "string" {
  return "string";
}
// #endregion value

// #region deadline
/**
 * When a key expires: wall-clock milliseconds since the Unix epoch. The key
 * is gone once the clock is past its deadline (at the deadline it still
 * exists, as in Redis).
 *
 * A number almost always. Redis accepts any deadline up to 2^63 - 1 ms, and
 * PEXPIRETIME must give it back to the millisecond, but a JavaScript number
 * counts whole milliseconds exactly only up to 2^53 (the year 287,396).
 * Beyond that the deadline is kept as a bigint; `<` and `>` compare the two
 * kinds exactly, so only the arithmetic in `millisecondsLeft` needs to care.
 */
export type Deadline = number | bigint;

/** A deadline computed exactly (as a bigint), in its cheapest exact form. */
export function deadlineOf(ms: bigint): Deadline {
  return ms <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ms) : ms;
}

/** Milliseconds from `now` to `deadline`, never negative (for TTL and PTTL). */
export function millisecondsLeft(deadline: Deadline, now: number): Deadline {
  if (typeof deadline === "number") return Math.max(deadline - now, 0);
  return deadlineOf(deadline - BigInt(now));
}
// #endregion deadline

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
    this.deleteExpired(key);
    return true;
  }
  // #endregion lazy-expiry

  /** Deletes a key whose time is up, and counts it in INFO's expired_keys. */
  deleteExpired(key: string): void {
    this.#entries.delete(key);
    this.#expires.delete(key);
    this.keyspace.stats.expiredKeys += 1;
  }

  get(key: string): RedisValue | undefined {
    if (this.#expireIfDue(key)) return undefined;
    return this.#entries.get(key);
  }

  /**
   * `get` on behalf of a command that reads (GET, not SET): counted as a
   * hit or a miss, as Redis counts its read lookups. An expired key is a miss.
   */
  read(key: string): RedisValue | undefined {
    const value = this.get(key);
    if (value === undefined) this.keyspace.stats.misses += 1;
    else this.keyspace.stats.hits += 1;
    return value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  // #region set
  /**
   * Adds or replaces a key, and clears any time to live it had: a key SET
   * anew starts a new life. True if the key is new.
   */
  set(key: string, value: RedisValue): boolean {
    this.#expireIfDue(key);
    this.persist(key);
    return this.#entries.set(key, value);
  }

  /**
   * Adds or replaces a key, keeping its time to live: INCR, APPEND,
   * SETRANGE and `SET ... KEEPTTL` change a value, not its lifetime.
   */
  setKeepingTtl(key: string, value: RedisValue): boolean {
    this.#expireIfDue(key);
    return this.#entries.set(key, value);
  }
  // #endregion set

  /** Removes a key; true if it existed (an expired key did not). */
  delete(key: string): boolean {
    if (this.#expireIfDue(key)) return false;
    this.persist(key);
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
    this.#expires.set(key, deadline);
  }

  /** Removes a key's deadline: it lives until deleted. True if it had one. */
  persist(key: string): boolean {
    // Most databases have no deadlines: no need to hash the key to know.
    return this.#expires.size > 0 && this.#expires.delete(key);
  }
  // #endregion ttl

  clear(): void {
    this.#entries.clear();
    this.#expires.clear();
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
    [this.#entries, other.#entries] = [other.#entries, this.#entries];
    [this.#expires, other.#expires] = [other.#expires, this.#expires];
    [this.expiryCursor, other.expiryCursor] = [
      other.expiryCursor,
      this.expiryCursor,
    ];
    [this.averageTtl, other.averageTtl] = [other.averageTtl, this.averageTtl];
  }
}
// #endregion database

// #region keyspace
/**
 * All the databases, created when first used: a server configured with
 * `databases 100000` should not pay for 100,000 empty tables at start-up.
 *
 * They are kept in a Map from number to database, not in an array: after
 * `SELECT 2000000000` an array would be two billion slots long, almost
 * all of them holes, and INFO and FLUSHALL would walk every one (a minute
 * of a frozen server). A Map holds only the databases that exist.
 */
export class Keyspace {
  readonly #databases = new Map<number, Database>();
  readonly stats: KeyspaceStats = { hits: 0, misses: 0, expiredKeys: 0 };
  /** The time of the current instant, once read; undefined until then. */
  #time: number | undefined;

  constructor(
    readonly count: number,
    readonly clock: Clock,
  ) {}

  /**
   * The time keys are compared with: the wall clock, read at most once per
   * command (see `newInstant`). A command that looks at a key twice, or at
   * many keys (MGET, RENAME), sees one instant: a key cannot be alive for
   * the first look and gone for the second. Redis freezes its clock per
   * command too. Read on first use, so that a command that never needs
   * the time (a GET where no key has a deadline) never pays for a clock
   * read.
   */
  get time(): number {
    this.#time ??= this.clock.now();
    return this.#time;
  }

  /** Starts a new instant: the next look at `time` reads the clock again. */
  newInstant(): void {
    this.#time = undefined;
  }

  /** Database `index`, which must be below `count`. */
  database(index: number): Database {
    let db = this.#databases.get(index);
    if (db === undefined) {
      db = new Database(index, this);
      this.#databases.set(index, db);
    }
    return db;
  }

  /** The databases holding at least one key, in order (for INFO keyspace). */
  nonEmpty(): Database[] {
    return [...this.#databases.values()]
      .filter((db) => db.size > 0)
      .sort((a, b) => a.index - b.index);
  }

  /**
   * Database `index` if it has been used, else undefined: the active expiry
   * cycle looks at databases without creating empty ones.
   */
  existingDatabase(index: number): Database | undefined {
    return this.#databases.get(index);
  }

  /** FLUSHALL. */
  clear(): void {
    for (const db of this.#databases.values()) db.clear();
  }
}
// #endregion keyspace
