/**
 * The keyspace: numbered databases, each a table from keys to values
 * (one database is database.ts), and what those keys and values are.
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
import type { Clock } from "../expiry/clock.ts";
import { Database, type KeyspaceStats } from "./database.ts";
import type { Quicklist } from "../types/quicklist.ts";
import type { RedisHash } from "../types/hash.ts";
import type { RedisSet } from "../types/set.ts";
import type { RedisSortedSet } from "../types/sorted-set.ts";
import type { MutableString } from "../types/mutable-string.ts";
import { lruClock, SharedIntegerClocks } from "./object-header.ts";

/**
 * The longest string V8 can make: 2^29 - 24 characters, so 24 bytes short
 * of Redis's 512 MB limit. A value between the two cannot be stored as a
 * byte string; commands refuse it with Redis's too-big error (a deliberate,
 * tiny difference).
 */
export const MAX_STRING_BYTES = constants.MAX_STRING_LENGTH;

// #region value
/**
 * What a key can hold: a string (a byte string, as above), a list, a
 * hash, a set or a sorted set. A
 * string stays a bare JavaScript string, so the keys of chapters 03 to 05
 * cost no more than they did, unless SETBIT, SETRANGE or BITFIELD edit a
 * long one: that one becomes a MutableString, a byte buffer changed in
 * place, as Redis's raw strings are. It and each structure are objects
 * whose class says what they are, and which answer the same three
 * questions whatever their kind: the TYPE name, the OBJECT ENCODING, and
 * a copy (COPY).
 */
export type RedisValue =
  string | MutableString | Quicklist | RedisHash | RedisSet | RedisSortedSet;

/** The names TYPE answers, one per kind of value. */
export type TypeName = "string" | "list" | "hash" | "set" | "zset";

/** The name TYPE answers for a value. */
export function typeName(value: RedisValue): TypeName {
  return typeof value === "string" ? "string" : value.type;
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

// #region listener
/**
 * What other parts of the server hear from the keyspace as it changes:
 * Redis's "key changed" signals. The AOF and its rewrite listen, and so do
 * the clients blocked on a key (BLPOP), and the clients that WATCH it. Each
 * listener implements only the signals it needs.
 */
export interface KeyspaceListener {
  /**
   * `key` in `db` is about to be set, deleted, changed in place, or given
   * or stripped of a deadline. An AOF rewrite in progress copies the key
   * first, as it was.
   */
  beforeKeyChange?(db: Database, key: string): void;
  /**
   * Redis's signalModifiedKey, where Redis calls it: what WATCH hears.
   * Told with `beforeKeyChange` (before the change) for almost every
   * change, but not quite the same set. SETBIT and BITFIELD may make a
   * string raw, or longer, without moving a bit: a change an AOF rewrite
   * must see, which Redis does not signal. LTRIM that trims nothing
   * changes nothing, and Redis signals it all the same.
   */
  keyModified?(db: Database, key: string): void;
  /**
   * `key` in `db` has just been created, whatever created it (LPUSH,
   * RENAME, COPY, MOVE, ...): Redis's `dbAdd`, where a client blocked on
   * that key learns that it may now be served.
   */
  keyAdded?(db: Database, key: string): void;
  /**
   * Every key of `db` is about to change at once: FLUSHDB and FLUSHALL
   * empty it; SWAPDB gives it the keys of `replacedWith`.
   */
  beforeDatabaseChange?(db: Database, replacedWith?: Database): void;
  /** SWAPDB has just given `db` another database's keys. */
  databaseSwapped?(db: Database): void;
  /** The server deleted `key` because its time was up (lazily or actively). */
  keyExpired?(db: Database, key: string): void;
}

/**
 * The listeners, told in the order they were added. It is itself a
 * listener, so the keyspace signals every change with one call.
 */
export class KeyspaceListeners implements Required<KeyspaceListener> {
  readonly #listeners: KeyspaceListener[] = [];

  add(listener: KeyspaceListener): void {
    this.#listeners.push(listener);
  }

  beforeKeyChange(db: Database, key: string): void {
    for (const listener of this.#listeners) listener.beforeKeyChange?.(db, key);
  }

  keyModified(db: Database, key: string): void {
    for (const listener of this.#listeners) listener.keyModified?.(db, key);
  }

  keyAdded(db: Database, key: string): void {
    for (const listener of this.#listeners) listener.keyAdded?.(db, key);
  }

  beforeDatabaseChange(db: Database, replacedWith?: Database): void {
    for (const listener of this.#listeners)
      listener.beforeDatabaseChange?.(db, replacedWith);
  }

  databaseSwapped(db: Database): void {
    for (const listener of this.#listeners) listener.databaseSwapped?.(db);
  }

  keyExpired(db: Database, key: string): void {
    for (const listener of this.#listeners) listener.keyExpired?.(db, key);
  }
}
// #endregion listener

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
  /**
   * How many changes commands have made since start (Redis's `dirty`). Its
   * value means nothing; whether it moved during a command says whether
   * that command changed anything, and so whether the AOF logs it.
   */
  changes = 0;
  /**
   * Told of changes as they happen (see `KeyspaceListener`): the AOF, and
   * the clients blocked on keys. Until one is added, nobody listens.
   */
  readonly listeners = new KeyspaceListeners();
  /**
   * True while the AOF is replayed at start-up. Nothing expires then, as in
   * Redis: the log is replayed as it happened, when those keys were alive
   * (see `Database.#expireIfDue` and EXPIRE's past-time rule).
   */
  loading = false;
  /** The time of the current instant, once read; undefined until then. */
  #time: number | undefined;
  /**
   * Redis's LRU clock (see object-header.ts): when a lookup says a key was
   * last used. Like Redis's, it is read from the wall clock by the server's
   * periodic task (`tickLruClock`), hz times a second, not by every lookup:
   * a GET of a key without a deadline never reads the clock.
   */
  lruClock: number;
  /**
   * The LRU clocks of Redis's shared integers, 0 to 9999, one each for
   * every key that holds it (see object-header.ts).
   */
  readonly sharedIntegerClocks: SharedIntegerClocks;

  constructor(
    readonly count: number,
    readonly clock: Clock,
  ) {
    this.lruClock = lruClock(clock.now());
    this.sharedIntegerClocks = new SharedIntegerClocks(this.lruClock);
  }

  /** Brings the LRU clock up to date: the periodic task calls this. */
  tickLruClock(): void {
    this.lruClock = lruClock(this.clock.now());
  }

  /**
   * The AOF rewrite as Redis's lookups see its child process: `running`
   * from BGREWRITEAOF on, `exited` once it is over until the periodic task
   * next runs (Redis's serverCron is where the child is reaped), `none`
   * otherwise. Until it is `none` again, lookups leave access times alone
   * (`Database.get`).
   */
  rewriteChild: "none" | "running" | "exited" = "none";

  /** The periodic task notices a rewrite that is over, as serverCron reaps Redis's child. */
  reapRewriteChild(): void {
    if (this.rewriteChild === "exited") this.rewriteChild = "none";
  }

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
