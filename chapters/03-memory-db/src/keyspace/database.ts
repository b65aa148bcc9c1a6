/**
 * One numbered database, what `SELECT n` switches a connection to: a
 * table from keys to values, and everything a command can do to it.
 * keyspace.ts holds all the databases, and says what keys and values are.
 */
import { Dict } from "./dict.ts";
import type { RedisValue } from "./keyspace.ts";

// #region database
/** INFO's keyspace_hits and keyspace_misses. */
export interface KeyspaceStats {
  hits: number;
  misses: number;
}

/** One numbered database: what `SELECT n` switches a connection to. */
export class Database {
  #entries = new Dict<RedisValue>();

  constructor(
    readonly index: number,
    readonly stats: KeyspaceStats,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): RedisValue | undefined {
    return this.#entries.get(key);
  }

  /**
   * `get` on behalf of a command that reads (GET, not SET): counted as a
   * hit or a miss, as Redis counts its read lookups.
   */
  read(key: string): RedisValue | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) this.stats.misses += 1;
    else this.stats.hits += 1;
    return value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Adds or replaces a key; true if the key is new. */
  set(key: string, value: RedisValue): boolean {
    return this.#entries.set(key, value);
  }

  /** Removes a key; true if it existed. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  randomKey(): string | undefined {
    return this.#entries.randomKey();
  }

  /** One step of SCAN: see `Dict.scan`. */
  scan(
    cursor: number,
    visit: (key: string, value: RedisValue) => void,
  ): number {
    return this.#entries.scan(cursor, visit);
  }

  /**
   * SWAPDB: the two databases trade contents, not numbers. Connections hold
   * the Database object they selected, so each one now sees the other's
   * data under the number it chose, which is what SWAPDB promises.
   */
  swapContents(other: Database): void {
    [this.#entries, other.#entries] = [other.#entries, this.#entries];
  }
}
// #endregion database
