/**
 * BGREWRITEAOF: a new, compact AOF written from the keyspace itself, one
 * SET per key instead of every command that ever touched it, while
 * clients go on writing.
 *
 * Redis forks: the child process gets a frozen copy of memory for free
 * (the kernel copies a page only when the parent changes it) and writes it
 * out at leisure. Node cannot fork a running process, so we build the same
 * two guarantees by hand, in slices of the event loop:
 *
 * 1. **A snapshot of one instant.** The file must describe the keyspace as
 *    it was when the rewrite started. The rewrite walks each database with
 *    the resumable SCAN cursor a thousand keys at a time, and between
 *    slices clients change keys. So before any key changes, the keyspace
 *    tells us (`beforeKeyChange`), and we keep the key's old state, once:
 *    a *pre-image*. The walk writes a key's pre-image if it has one, its
 *    live state otherwise, and at the end writes the pre-images of keys
 *    the walk no longer finds. This is copy-on-write at the level of keys,
 *    the same trick the kernel plays for Redis at the level of pages, and
 *    it costs memory only for keys that change during the rewrite.
 * 2. **Every write since that instant.** Everything appended to the AOF
 *    during the rewrite is also kept in the *rewrite buffer*, and goes
 *    after the snapshot in the new file.
 *
 * Snapshot at instant T, followed by every write after T: replaying that
 * gives exactly what replaying the old file gives. The AOF (aof.ts) then
 * swaps the new file in with one `rename`.
 *
 * A database that is about to change all at once (FLUSHDB, FLUSHALL,
 * SWAPDB) is written out whole first, right then: keeping a pre-image of
 * every key would cost as much, and be more code.
 */
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  openSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import type { Deadline, Keyspace, RedisValue } from "../keyspace/keyspace.ts";
import type { Database } from "../keyspace/database.ts";
import type { Quicklist } from "../types/quicklist.ts";
import { encodeCommand } from "./aof-format.ts";

/** How many keys one slice of the walk writes before letting clients in. */
const KEYS_PER_SLICE = 1000;

/** Written to the file in pieces of about this size. */
const WRITE_BYTES = 64 * 1024;

/** At most this many list elements per RPUSH (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const ITEMS_PER_COMMAND = 64;

/** A key's state when the rewrite started: its value and deadline, or absent. */
type PreImage =
  { value: RedisValue; deadline: Deadline | undefined } | undefined;

// #region rewrite
export class AofRewrite {
  readonly tempPath: string;
  /** The temporary file, open for writing. */
  readonly fd: number;
  /** The wall clock when the rewrite started: keys expired by then are left out. */
  readonly #startedAt: number;
  /** Databases not yet written out, the one being walked first. */
  readonly #unfinished: Database[];
  /** Where the walk of `#unfinished[0]` goes on. */
  #cursor = 0;
  /** Pre-images of changed keys, for the databases not yet written out. */
  readonly #preImages = new Map<Database, Map<string, PreImage>>();
  /** The SELECT last written to the new file, so the next key lands in its database. */
  #selected = -1;
  /** Encoded commands not yet written to the file. */
  #out: Buffer[] = [];
  #outBytes = 0;
  /** Bytes written to the temporary file so far. */
  bytes = 0;
  /** Writes made since the rewrite started, in the order the AOF got them. */
  #buffer: Buffer[] = [];
  bufferBytes = 0;
  /** Set once the snapshot is on disk: the AOF may then swap the files. */
  ready = false;
  #abandoned = false;

  /**
   * Opens the temporary file and starts the walk in the background.
   * `onReady` is called once the snapshot is written and synced; `onError`
   * if writing it fails.
   */
  constructor(
    keyspace: Keyspace,
    tempPath: string,
    readonly onReady: () => void,
    readonly onError: (error: unknown) => void,
  ) {
    this.tempPath = tempPath;
    this.fd = openSync(tempPath, "w");
    this.#startedAt = keyspace.clock.now();
    this.#unfinished = keyspace.nonEmpty();
    setImmediate(() => this.#slice());
  }

  // #region slice
  /** Writes the next few keys, then yields to the event loop, until done. */
  #slice(): void {
    if (this.#abandoned || this.ready) return;
    try {
      this.#walk(KEYS_PER_SLICE);
    } catch (error) {
      this.onError(error);
      return;
    }
    if (this.#unfinished.length > 0) setImmediate(() => this.#slice());
    else this.#syncSnapshot();
  }

  /** Writes about `budget` keys (or every key left), walking the databases in turn. */
  #walk(budget: number): void {
    let written = 0;
    while (written < budget && this.#unfinished.length > 0) {
      const db = this.#unfinished[0]!;
      this.#cursor = db.scan(this.#cursor, (key) => {
        if (!this.#preImages.get(db)?.has(key)) {
          this.#writeKey(db, key, db.peek(key));
          written += 1;
        }
      });
      if (this.#cursor === 0) this.#finishDatabase(db);
    }
    this.#flushOut();
  }
  // #endregion slice

  // #region finish-database
  /**
   * The walk of `db` is over: the keys it did not find any more (deleted
   * or renamed during the rewrite) are written from their pre-images.
   * From now on, changes to `db` live only in the rewrite buffer.
   */
  #finishDatabase(db: Database): void {
    for (const [key, preImage] of this.#preImages.get(db) ?? []) {
      this.#writeKey(db, key, preImage);
    }
    this.#preImages.delete(db);
    if (db === this.#unfinished[0]) this.#cursor = 0; // the next one starts afresh
    this.#unfinished.splice(this.#unfinished.indexOf(db), 1);
  }
  // #endregion finish-database

  // #region write-key
  /**
   * The commands that recreate one key: SET for a string, RPUSH for a
   * list, and PEXPIREAT if it has a deadline.
   */
  #writeKey(db: Database, key: string, state: PreImage): void {
    if (state === undefined) return; // created during the rewrite
    const { value, deadline } = state;
    if (deadline !== undefined && deadline < this.#startedAt) return;
    if (db.index !== this.#selected) {
      this.#emit(["SELECT", String(db.index)]);
      this.#selected = db.index;
    }
    if (typeof value === "string") this.#emit(["SET", key, value]);
    else this.#emitList(key, value);
    if (deadline !== undefined) {
      this.#emit(["PEXPIREAT", key, String(deadline)]);
    }
  }
  // #endregion write-key

  /** A list, head to tail, as RPUSH commands of at most ITEMS_PER_COMMAND elements. */
  #emitList(key: string, list: Quicklist): void {
    let batch: string[] = [];
    for (const [, element] of list.entries()) {
      batch.push(element);
      if (batch.length === ITEMS_PER_COMMAND) {
        this.#emit(["RPUSH", key, ...batch]);
        batch = [];
      }
    }
    if (batch.length > 0) this.#emit(["RPUSH", key, ...batch]);
  }

  #emit(words: readonly string[]): void {
    const bytes = encodeCommand(words);
    this.#out.push(bytes);
    this.#outBytes += bytes.length;
    if (this.#outBytes >= WRITE_BYTES) this.#flushOut();
  }

  #flushOut(): void {
    if (this.#outBytes === 0) return;
    this.#writeToFile(Buffer.concat(this.#out, this.#outBytes));
    this.#out = [];
    this.#outBytes = 0;
  }

  #writeToFile(data: Buffer): void {
    let done = 0;
    while (done < data.length) {
      done += writeSync(this.fd, data, done);
    }
    this.bytes += data.length;
  }

  // #region sync-snapshot
  /**
   * The snapshot is complete. It and the rewrite buffer so far go to disk
   * with fsync in the background (the slow part), while writes go on
   * collecting in the buffer; then the AOF swaps files, writing what
   * little collected meanwhile (`finish`).
   */
  #syncSnapshot(): void {
    this.#writeBuffer();
    fdatasync(this.fd, (error) => {
      if (this.#abandoned || this.ready) return; // or finishNow() got there first
      if (error) {
        this.onError(error);
        return;
      }
      this.ready = true;
      this.onReady();
    });
  }
  // #endregion sync-snapshot

  #writeBuffer(): void {
    if (this.bufferBytes === 0) return;
    this.#writeToFile(Buffer.concat(this.#buffer, this.bufferBytes));
    this.#buffer = [];
    this.bufferBytes = 0;
  }
  // #endregion rewrite

  // #region copy-on-write
  /** The keyspace is about to change `key`: keep its state at the start, once. */
  beforeKeyChange(db: Database, key: string): void {
    const preImages = this.#preImagesOf(db);
    if (preImages === undefined || preImages.has(key)) return;
    preImages.set(key, db.peek(key));
  }

  /** `db` is about to change all at once: write it out now, as it was. */
  beforeDatabaseChange(db: Database): void {
    if (!this.#unfinished.includes(db)) return;
    let cursor = db === this.#unfinished[0] ? this.#cursor : 0;
    do {
      cursor = db.scan(cursor, (key) => {
        if (!this.#preImages.get(db)?.has(key)) {
          this.#writeKey(db, key, db.peek(key));
        }
      });
    } while (cursor !== 0);
    this.#finishDatabase(db);
  }

  /**
   * The pre-images of `db`, created on first use; undefined if `db` needs
   * none: it was written out already, or was empty when the rewrite began
   * (every key in it is then new, and in the rewrite buffer).
   */
  #preImagesOf(db: Database): Map<string, PreImage> | undefined {
    if (!this.#unfinished.includes(db)) return undefined;
    let preImages = this.#preImages.get(db);
    if (preImages === undefined) {
      preImages = new Map();
      this.#preImages.set(db, preImages);
    }
    return preImages;
  }
  // #endregion copy-on-write

  // #region rewrite-buffer
  /** A write the AOF logged during the rewrite: it goes after the snapshot. */
  append(bytes: Buffer): void {
    this.#buffer.push(bytes);
    this.bufferBytes += bytes.length;
  }

  /**
   * Writes the rest of the rewrite buffer. Called by the AOF just before it
   * swaps the files, with nothing else running: what is in the buffer now
   * is everything.
   */
  finish(): void {
    this.#writeBuffer();
  }
  // #endregion rewrite-buffer

  /**
   * Writes the rest of the snapshot at once, without yielding, and syncs
   * it: for a shutdown during the rewrite that creates the AOF, which must
   * not leave without the file (Redis refuses to shut down then).
   */
  finishNow(): void {
    this.#walk(Infinity);
    this.#writeBuffer();
    fdatasyncSync(this.fd);
    this.ready = true;
  }

  /** Stops, and deletes the temporary file (a failed or cancelled rewrite). */
  abandon(): void {
    this.#abandoned = true;
    try {
      closeSync(this.fd);
      unlinkSync(this.tempPath);
    } catch {
      // Already closed or gone: nothing left to clean up.
    }
  }
}
