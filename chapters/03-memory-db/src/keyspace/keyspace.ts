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
import { Database, type KeyspaceStats } from "./database.ts";

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
  readonly stats: KeyspaceStats = { hits: 0, misses: 0 };

  constructor(readonly count: number) {}

  /** Database `index`, which must be below `count`. */
  database(index: number): Database {
    let db = this.#databases.get(index);
    if (db === undefined) {
      db = new Database(index, this.stats);
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

  /** FLUSHALL. */
  clear(): void {
    for (const db of this.#databases.values()) db.clear();
  }
}
// #endregion keyspace
