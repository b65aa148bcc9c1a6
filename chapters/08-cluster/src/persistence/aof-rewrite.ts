/**
 * BGREWRITEAOF: a new, compact AOF written from the keyspace itself, one
 * SET per string and a few RPUSH, HMSET or SADD per list, hash or set
 * (rebuild-commands.ts) instead of every command that ever touched them,
 * while clients go on writing.
 *
 * Redis forks: the child process gets a frozen copy of memory for free
 * (the kernel copies a page only when the parent changes it) and writes it
 * out at leisure. Node cannot fork a running process, so we build the same
 * two guarantees by hand, in slices of the event loop:
 *
 * 1. **A snapshot of one instant.** The file must describe the keyspace as
 *    it was when the rewrite started. The rewrite walks each database with
 *    the resumable SCAN cursor, a few thousand items (a string, a list
 *    element, a field, a member) per slice, and between slices clients
 *    change keys. So before any key changes, the keyspace tells us
 *    (`beforeKeyChange`), and we keep the key's old state, once: a
 *    *pre-image*. A structure is changed in place, so its pre-image is a
 *    copy (`clone()`: a list's shares its packed nodes, which never
 *    change, so it costs one small object per node; a hash's or a set's is
 *    a real copy, one native Map or array copy). The walk writes a key's pre-image if it has one, its live state
 *    otherwise, and at the end writes the pre-images of keys the walk no
 *    longer finds. This is copy-on-write at the level of keys, the same
 *    trick the kernel plays for Redis at the level of pages, and it costs
 *    memory only for keys that change during the rewrite.
 * 2. **Every write since that instant.** Everything appended to the AOF
 *    during the rewrite is also kept in the *rewrite buffer*, and goes
 *    after the snapshot in the new file.
 *
 * Snapshot at instant T, followed by every write after T: replaying that
 * gives exactly what replaying the old file gives. The AOF (aof.ts) then
 * swaps the new file in with one `rename`.
 *
 * Each key must be written once. SET is idempotent, so a string written
 * twice (SCAN may visit a key twice; a key written and then changed gets a
 * pre-image too) does no harm, but RPUSH is not (nor, for a hash whose
 * field changed in between, HMSET): the rewrite remembers the structures
 * it has written (`#written`), and neither copies nor writes them again.
 *
 * A structure too big for one slice is not written in one go, which would
 * stop the server for as long (about half a second for a million
 * elements): it is copied, and the copy written over the next slices, a
 * budget of items at a time (`#pendingValues`).
 *
 * A database that is about to change all at once (FLUSHDB, FLUSHALL,
 * SWAPDB) is written out whole first, right then (its big structures
 * copied, to be written later): keeping a pre-image of every key would cost as
 * much, and be more code.
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
import { encodeCommand } from "./aof-format.ts";
import { MutableString, textOf } from "../types/mutable-string.ts";
import {
  ITEMS_PER_COMMAND,
  itemCount,
  rebuildOf,
  type Rebuild,
} from "./rebuild-commands.ts";

export { ITEMS_PER_COMMAND };

/**
 * How much one slice of the walk writes before letting clients in, in
 * items: a string key is one, and so is a list element, a hash field or a
 * set member. About a millisecond of
 * work on a laptop (the article measures it).
 */
export const ITEMS_PER_SLICE = 4096;

/**
 * A structure of more items than this is copied and written over several
 * slices; a smaller one is written from the live value at once, which
 * costs less than the copy.
 */
const BIG_VALUE = 1024;

/** Written to the file in pieces of about this size. */
const WRITE_BYTES = 64 * 1024;

/**
 * A key's state when the rewrite started: its value and deadline, or
 * absent. A structure in a pre-image is a copy, which nothing changes.
 */
type PreImage =
  { value: RedisValue; deadline: Deadline | undefined } | undefined;

/**
 * What the rewrite keeps for a key changed during it: its pre-image, or
 * WRITTEN if the walk had written the key already (its structure, at
 * least: see `#written`), so that nothing more is needed.
 */
type Kept = PreImage | typeof WRITTEN;
const WRITTEN = "written";

/**
 * A big structure being written over several slices: a copy of it as it
 * was at the start, read from `rebuild.items` as the slices go.
 */
interface PendingValue {
  readonly db: number;
  readonly key: string;
  readonly deadline: Deadline | undefined;
  readonly rebuild: Rebuild;
}

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
  /** What was kept of changed keys, for the databases not yet written out. */
  readonly #preImages = new Map<Database, Map<string, Kept>>();
  /**
   * The live structures already written (or copied to be), each as it was
   * at the start. Only structures: writing a list twice would double its
   * elements, where a string written twice is simply SET twice. Weak: a
   * structure deleted since is forgotten with it.
   */
  readonly #written = new WeakSet<Exclude<RedisValue, string>>();
  /** Big structures copied and not yet fully written, the one being written first. */
  readonly #pendingValues: PendingValue[] = [];
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
      this.#walk(ITEMS_PER_SLICE);
    } catch (error) {
      this.onError(error);
      return;
    }
    if (this.#unfinished.length > 0 || this.#pendingValues.length > 0) {
      setImmediate(() => this.#slice());
    } else {
      this.#syncSnapshot();
    }
  }

  /**
   * Writes about `budget` items (or everything left): first the big
   * structure being written, if any, then the next keys of the databases
   * in turn.
   */
  #walk(budget: number): void {
    let written = 0;
    while (written < budget) {
      if (this.#pendingValues.length > 0) {
        written += this.#writePendingValue(budget - written);
        continue;
      }
      if (this.#unfinished.length === 0) break;
      const db = this.#unfinished[0]!;
      this.#cursor = db.scan(this.#cursor, (key) => {
        written += this.#writeUnchanged(db, key);
      });
      if (this.#cursor === 0) this.#finishDatabase(db);
    }
    this.#flushOut();
  }

  /**
   * Writes `key` as it is now, if it has not changed since the start (else
   * its pre-image will be written) and is not a structure written already
   * (SCAN may visit a key twice). Answers how many items that wrote.
   */
  #writeUnchanged(db: Database, key: string): number {
    if (this.#preImages.get(db)?.has(key)) return 0;
    const state = db.peek(key);
    if (state !== undefined && typeof state.value !== "string") {
      if (this.#written.has(state.value)) return 0;
    }
    return this.#writeKey(db, key, state, false);
  }
  // #endregion slice

  // #region finish-database
  /**
   * The walk of `db` is over: the keys it did not find any more (deleted
   * or renamed during the rewrite) are written from their pre-images.
   * From now on, changes to `db` live only in the rewrite buffer.
   */
  #finishDatabase(db: Database): void {
    for (const [key, kept] of this.#preImages.get(db) ?? []) {
      if (kept !== WRITTEN) this.#writeKey(db, key, kept, true);
    }
    this.#preImages.delete(db);
    if (db === this.#unfinished[0]) this.#cursor = 0; // the next one starts afresh
    this.#unfinished.splice(this.#unfinished.indexOf(db), 1);
  }
  // #endregion finish-database

  // #region write-key
  /**
   * The commands that recreate one key: SET for a string, RPUSH, HMSET or
   * SADD for a structure, and PEXPIREAT if it has a deadline. A big
   * structure is only copied here (unless `owned`: a pre-image is a copy
   * already) and queued, to be written over the next slices. Answers how
   * many items were written.
   */
  #writeKey(
    db: Database,
    key: string,
    state: PreImage,
    owned: boolean,
  ): number {
    if (state === undefined) return 0; // created during the rewrite
    const { value, deadline } = state;
    if (deadline !== undefined && deadline < this.#startedAt) return 0;
    if (typeof value === "string" || value instanceof MutableString) {
      this.#select(db.index);
      this.#emit(["SET", key, textOf(value)]);
      if (deadline !== undefined) this.#emitDeadline(key, deadline);
      return 1;
    }
    if (!owned) this.#written.add(value);
    const items = itemCount(value);
    if (items > BIG_VALUE) {
      const copy = owned ? value : value.clone();
      this.#pendingValues.push({
        db: db.index,
        key,
        deadline,
        rebuild: rebuildOf(copy),
      });
      return 1; // the copy, written later
    }
    this.#select(db.index);
    this.#emitItems(key, rebuildOf(value), Infinity);
    if (deadline !== undefined) this.#emitDeadline(key, deadline);
    return items;
  }
  // #endregion write-key

  // #region write-items
  /**
   * Writes up to `budget` more items of the first pending structure, and
   * its deadline once the last one is out. Answers how many it wrote.
   */
  #writePendingValue(budget: number): number {
    const pending = this.#pendingValues[0]!;
    this.#select(pending.db);
    const written = this.#emitItems(pending.key, pending.rebuild, budget);
    if (written < budget) {
      this.#pendingValues.shift(); // the items ran out first: done
      if (pending.deadline !== undefined) {
        this.#emitDeadline(pending.key, pending.deadline);
      }
    }
    return written;
  }

  /**
   * The next items of a structure, up to `budget` of them, as commands of
   * at most ITEMS_PER_COMMAND items. Answers how many it wrote: fewer than
   * `budget` once the items have run out.
   */
  #emitItems(key: string, { command, items }: Rebuild, budget: number): number {
    let written = 0;
    let batch: string[] = [];
    let inBatch = 0;
    while (written < budget) {
      const next = items.next();
      if (next.done === true) break;
      batch.push(...next.value);
      written += 1;
      inBatch += 1;
      if (inBatch === ITEMS_PER_COMMAND) {
        this.#emit([command, key, ...batch]);
        batch = [];
        inBatch = 0;
      }
    }
    if (inBatch > 0) this.#emit([command, key, ...batch]);
    return written;
  }
  // #endregion write-items

  #emitDeadline(key: string, deadline: Deadline): void {
    this.#emit(["PEXPIREAT", key, String(deadline)]);
  }

  /** The next commands go to database `index`: a SELECT, unless they do already. */
  #select(index: number): void {
    if (index === this.#selected) return;
    this.#emit(["SELECT", String(index)]);
    this.#selected = index;
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
  /**
   * The keyspace is about to change `key`: keep its state at the start,
   * once. A structure (or an edited string) is copied, since the change
   * happens in place; unless the walk has written it already, and then
   * there is nothing to keep.
   */
  beforeKeyChange(db: Database, key: string): void {
    const preImages = this.#preImagesOf(db);
    if (preImages === undefined || preImages.has(key)) return;
    const state = db.peek(key);
    if (state === undefined || typeof state.value === "string") {
      preImages.set(key, state);
    } else if (this.#written.has(state.value)) {
      // Only structures are remembered: an edited string, like any
      // string, is simply SET again from its pre-image.
      preImages.set(key, WRITTEN);
    } else {
      preImages.set(key, { ...state, value: state.value.clone() });
    }
  }

  /**
   * `db` is about to change all at once: write it out now, as it was (its
   * big structures copied, to be written by the next slices).
   */
  beforeDatabaseChange(db: Database): void {
    if (!this.#unfinished.includes(db)) return;
    let cursor = db === this.#unfinished[0] ? this.#cursor : 0;
    do {
      cursor = db.scan(cursor, (key) => void this.#writeUnchanged(db, key));
    } while (cursor !== 0);
    this.#finishDatabase(db);
    this.#flushOut();
  }

  /**
   * The pre-images of `db`, created on first use; undefined if `db` needs
   * none: it was written out already, or was empty when the rewrite began
   * (every key in it is then new, and in the rewrite buffer).
   */
  #preImagesOf(db: Database): Map<string, Kept> | undefined {
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
