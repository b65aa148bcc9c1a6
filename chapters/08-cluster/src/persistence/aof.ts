/**
 * The append-only file (AOF): every command that changed data is appended
 * to a file, and replaying the file at start-up rebuilds the data.
 *
 * Append-only is what makes this cheap and safe. Writing at the end of a
 * file is the fastest thing a disk does, and nothing already written is
 * ever touched again, so a crash can only damage the last few bytes (see
 * aof-loader.ts for how those are handled), and the file is its own
 * history: `cat` shows what happened, in order.
 *
 * The path of one write:
 *
 * 1. a command runs and changes the keyspace; the dispatcher hands it to
 *    `record()` (command-table.ts), which encodes it and adds it to this
 *    event-loop turn's records;
 * 2. the replies to every command of the turn wait (`whenWritten`);
 * 3. at the end of the turn, `flush()` writes all the turn's records in
 *    one `write()`, and with `appendfsync always` one `fsync()`, however
 *    many clients wrote: the cost of a disk flush is shared by everybody
 *    who wrote during that turn ("group commit");
 * 4. the replies go out.
 *
 * What each `appendfsync` policy promises, given that replies wait for
 * step 3's `write()` whenever the AOF is on:
 *
 * - `always`: acknowledged means on disk. Nothing acknowledged is lost,
 *   whether the process is killed or the machine loses power.
 * - `everysec`: acknowledged means in the kernel's page cache, and fsync
 *   runs in the background about a second after a write (two, if the
 *   previous fsync is slow to return). A killed process loses nothing
 *   (the kernel still has the data); a power cut loses about the last
 *   second or two.
 * - `no`: as everysec, but the kernel decides when to write its cache to
 *   disk (typically within 30 s on Linux).
 *
 * BGREWRITEAOF (aof-rewrite.ts) replaces the file with a compact one.
 */
import { EndOfTurn } from "../dispatch/end-of-turn.ts";
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Clock } from "../expiry/clock.ts";
import type { ServerConfig } from "../config/directives.ts";
import type { Keyspace, KeyspaceListener } from "../keyspace/keyspace.ts";
import type { Database } from "../keyspace/database.ts";
import { encodeCommand } from "./aof-format.ts";
import { AofRewrite } from "./aof-rewrite.ts";

/** What INFO persistence reports about the AOF. */
export interface AofStats {
  /** Rewrites started since start (Redis counts them as they start). */
  rewrites: number;
  /** How long the last rewrite took, in whole seconds; -1 before the first. */
  lastRewriteSeconds: number;
  lastRewriteStatus: "ok" | "err";
  lastWriteStatus: "ok" | "err";
  /** The file's size now, and right after the last rewrite (or load). */
  currentSize: number;
  baseSize: number;
}

/**
 * Off: nothing is written. Waiting: `CONFIG SET appendonly yes` started the
 * rewrite that creates the file, and writes wait for it in the rewrite
 * buffer (Redis's AOF_WAIT_REWRITE). On: writes are appended.
 */
type AofState = "off" | "waiting" | "on";

// #region aof-class
export class AppendOnlyFile implements KeyspaceListener {
  readonly #keyspace: Keyspace;
  readonly #config: ServerConfig;
  readonly #clock: Clock;
  #state: AofState = "off";
  /** The open file, while on. */
  #fd: number | undefined;
  /** This turn's records, not yet written. */
  #pending: Buffer[] = [];
  /** The database the file's last SELECT chose; -1 makes the next record select. */
  #selectedDb = -1;
  #flushScheduled = false;
  readonly #endOfTurn: EndOfTurn;
  /** Replies waiting for this turn's records to be written (see `whenWritten`). */
  #waiting: (() => void)[] = [];
  /** The rewrite in progress, if any. */
  #rewrite: AofRewrite | undefined;
  #rewriteStartedAt = 0;
  /** everysec: a background fsync is due (a timer is set) or running. */
  #cancelSyncTimer: (() => void) | undefined;
  #syncRunning = false;
  /** A write failed: a retry is due (see `#writeFailed`); this cancels it. */
  #cancelRetry: (() => void) | undefined;

  readonly stats: AofStats = {
    rewrites: 0,
    lastRewriteSeconds: -1,
    lastRewriteStatus: "ok",
    lastWriteStatus: "ok",
    currentSize: 0,
    baseSize: 0,
  };

  /**
   * `endOfTurn` is the server's (server.ts); a test may leave it out, and
   * the file then has an end of turn of its own.
   */
  constructor(
    keyspace: Keyspace,
    config: ServerConfig,
    clock: Clock,
    endOfTurn: EndOfTurn = new EndOfTurn(),
  ) {
    this.#keyspace = keyspace;
    this.#config = config;
    this.#clock = clock;
    this.#endOfTurn = endOfTurn;
    // #region flush-at-end-of-turn
    // Only a turn that recorded something writes: other parts of the
    // server end turns too.
    endOfTurn.add(() => {
      if (this.#flushScheduled) this.flush();
    });
    // #endregion flush-at-end-of-turn
  }

  /** Where the file is: `appendfilename` inside `dir`. */
  get path(): string {
    return join(this.#config.dir, this.#config.appendfilename);
  }

  get enabled(): boolean {
    return this.#state !== "off";
  }

  get rewriting(): boolean {
    return this.#rewrite !== undefined;
  }

  /** Seconds the rewrite in progress has been running; -1 if none is. */
  get currentRewriteSeconds(): number {
    if (this.#rewrite === undefined) return -1;
    return Math.floor(
      (this.#clock.monotonic() - this.#rewriteStartedAt) / 1000,
    );
  }

  /** Bytes of this turn's records, waiting to be written. */
  get bufferLength(): number {
    return this.#pending.reduce((sum, record) => sum + record.length, 0);
  }

  /**
   * Start-up, after loading: open the file for appending (creating it if
   * there was none) and log from now on. `loadedBytes` is its size.
   */
  open(loadedBytes: number): void {
    this.#fd = openSync(this.path, "a");
    if (loadedBytes === 0) syncDirectory(this.#config.dir); // a new file's name must last too
    this.#state = "on";
    this.stats.currentSize = this.stats.baseSize = loadedBytes;
  }

  // #region record
  /**
   * Logs a command that changed data in database `db`. Words are Buffers
   * or byte strings. A SELECT goes first when the file's current database
   * is another one, so that replay runs each command where it ran.
   */
  record(db: number, words: readonly (Buffer | string)[]): void {
    if (this.#state === "off" && this.#rewrite === undefined) return;
    if (this.#transaction !== undefined) {
      this.#transaction.push({ db, words });
      return;
    }
    let bytes = encodeCommand(words);
    if (db !== this.#selectedDb) {
      bytes = Buffer.concat([encodeCommand(["SELECT", String(db)]), bytes]);
      this.#selectedDb = db;
    }
    if (this.#state === "on") {
      this.#pending.push(bytes);
      this.#scheduleFlush();
    }
    this.#rewrite?.append(bytes);
  }
  // #endregion record

  // #region transaction-records
  /**
   * The records of the EXEC running now, held until it ends; undefined
   * outside EXEC.
   */
  #transaction:
    { db: number; words: readonly (Buffer | string)[] }[] | undefined;

  /** EXEC starts: what its commands change is held back (see `commitTransaction`). */
  beginTransaction(): void {
    this.#transaction = [];
  }

  /**
   * EXEC has run its commands: their records go out together, between
   * MULTI and EXEC, so that a replay runs all of them or, if the file ends
   * inside the block, none (aof-loader.ts). A single record needs no
   * block, and Redis 7.0 writes none around it; no record, nothing at all.
   * Keys that expired while EXEC ran are deleted inside the block too.
   */
  commitTransaction(): void {
    const records = this.#transaction ?? [];
    this.#transaction = undefined;
    const wrap = records.length > 1;
    if (wrap) this.record(records[0]!.db, ["MULTI"]);
    for (const { db, words } of records) this.record(db, words);
    // The last record's database: no SELECT can come between the last
    // command and EXEC.
    if (wrap) this.record(records.at(-1)!.db, ["EXEC"]);
  }

  /** A transaction rolled back (transactions/undo-log.ts): nothing of it is written. */
  dropTransaction(): void {
    this.#transaction = undefined;
  }
  // #endregion transaction-records

  // #region keyspace-listener
  /** A key the server expired: replay must delete it too, whatever the clock says then. */
  keyExpired(db: Database, key: string): void {
    this.record(db.index, ["DEL", key]);
  }

  beforeKeyChange(db: Database, key: string): void {
    this.#rewrite?.beforeKeyChange(db, key);
  }

  beforeDatabaseChange(db: Database): void {
    this.#rewrite?.beforeDatabaseChange(db);
  }
  // #endregion keyspace-listener

  // #region when-written
  /**
   * Runs `deliver` (which sends replies) once the records of this turn are
   * written, at once if there are none. Replies of every client wait, not
   * only those of writers: a client must not read a value that a crash
   * could still take back. Deliveries keep their order.
   */
  whenWritten(deliver: () => void): void {
    if (this.#pending.length === 0 && this.#waiting.length === 0) deliver();
    else this.#waiting.push(deliver);
  }
  // #endregion when-written

  // #region flush
  // #region flush-turn
  /** Writes this turn's records (and syncs them, with `always`), then lets the replies go. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length > 0 && this.#fd !== undefined) {
      const data = Buffer.concat(this.#pending);
      let written = 0;
      try {
        // A write may take only part of the data: write until all is in.
        while (written < data.length) {
          written += writeSync(this.#fd, data, written);
        }
        if (this.#config.appendfsync === "always") fdatasyncSync(this.#fd);
      } catch (error) {
        // What did reach the file stays there; the rest waits for the
        // retry, which appends it right after: the torn command is made
        // whole again instead of being cut out.
        this.stats.currentSize += written;
        this.#pending = [data.subarray(written)];
        this.#writeFailed(error);
        return;
      }
      this.#pending = [];
      this.stats.currentSize += data.length;
      this.stats.lastWriteStatus = "ok";
      if (this.#config.appendfsync === "everysec") this.#syncWithinASecond();
    }
    if (this.#rewrite?.ready) this.#finishRewrite();
    else this.#rewriteIfGrown();

    const waiting = this.#waiting;
    this.#waiting = [];
    for (const deliver of waiting) deliver();
  }
  // #endregion flush-turn

  // #region write-failed
  /**
   * The disk refused the write or the fsync (full, gone).
   *
   * With `always`, we exit, as Redis does: after a failed fsync, Linux may
   * have dropped the unwritten pages and marked them clean, so a second
   * fsync can "succeed" without the data. The promise cannot be kept, and
   * the replies were not sent: nothing acknowledged is lost.
   *
   * Otherwise what was not written stays queued and the replies keep
   * waiting, so nothing is acknowledged that is not written, and we try
   * again in a second (or sooner, if another write comes). Every client
   * waits meanwhile, readers too; Redis instead refuses writes with
   * -MISCONF and goes on serving reads (an exercise).
   */
  #writeFailed(error: unknown): void {
    this.stats.lastWriteStatus = "err";
    if (this.#config.appendfsync === "always") {
      console.error(
        `Can't persist the append only file ${this.path} when appendfsync is 'always': ${String(error)}. Exiting.`,
      );
      process.exit(1);
    }
    if (this.#cancelRetry !== undefined) return;
    console.error(
      `Error writing to the append only file ${this.path}: ${String(error)}. Trying again in a second; replies wait.`,
    );
    this.#cancelRetry = this.#clock.schedule(1000, () => {
      this.#cancelRetry = undefined;
      this.flush();
    });
  }
  // #endregion write-failed
  // #endregion flush

  // #region everysec
  /**
   * `everysec`: an fsync in the background, at most a second after the
   * first write not yet synced. Node's `fdatasync` with a callback runs on
   * libuv's thread pool, as Redis runs it on a background thread, so the
   * event loop never waits for the disk.
   */
  #syncWithinASecond(): void {
    if (this.#cancelSyncTimer !== undefined) return;
    this.#cancelSyncTimer = this.#clock.schedule(1000, () => {
      this.#cancelSyncTimer = undefined;
      const fd = this.#fd;
      if (fd === undefined) return;
      if (this.#syncRunning) {
        // The disk is slow: the last fsync has not returned. Try again in
        // a second, so the writes since are not forgotten. (Redis, too,
        // can be two seconds behind then.)
        this.#syncWithinASecond();
        return;
      }
      this.#syncRunning = true;
      fdatasync(fd, (error) => {
        this.#syncRunning = false;
        if (error) {
          // Too late to hold replies back: INFO and the log say it.
          this.stats.lastWriteStatus = "err";
          console.error(`Background AOF fsync failed: ${error.message}`);
        }
      });
    });
  }
  // #endregion everysec

  // #region start-rewrite
  /**
   * BGREWRITEAOF: starts writing a compact file in the background. Says
   * "running" if a rewrite already is, "failed" if the temporary file
   * cannot be created (the reason is logged, as Redis logs it).
   */
  startRewrite(): "started" | "running" | "failed" {
    if (this.#rewrite !== undefined) return "running";
    const tempPath = join(
      this.#config.dir,
      `temp-rewriteaof-${process.pid}.aof`,
    );
    try {
      this.#rewrite = new AofRewrite(
        this.#keyspace,
        tempPath,
        // Snapshot on disk: swap at the end of the next turn's flush, when
        // no record is pending.
        () => this.#scheduleFlush(),
        (error) => this.#rewriteFailed(error),
      );
    } catch (error) {
      console.error(`Can't start the AOF rewrite: ${String(error)}`);
      this.stats.lastRewriteStatus = "err";
      return "failed";
    }
    this.#rewriteStartedAt = this.#clock.monotonic();
    this.#keyspace.rewriteChild = "running";
    this.stats.rewrites += 1;
    // The rewrite buffer must start with a SELECT: the snapshot may end in
    // any database.
    this.#selectedDb = -1;
    for (const listener of this.#rewriteListeners) listener();
    return "started";
  }

  /** See `onRewriteStart`. */
  readonly #rewriteListeners: (() => void)[] = [];

  /**
   * Calls `listener` each time a rewrite starts: what it records then
   * follows the snapshot in the new file. For state that is not in the
   * keyspace but must outlive a rewrite: the cross-node writes a node has
   * prepared and not yet ended (cluster/tcc/) log their PREPAREs again.
   */
  onRewriteStart(listener: () => void): void {
    this.#rewriteListeners.push(listener);
  }

  /**
   * The rewrite is over, done or given up: Redis's child has exited, which
   * its lookups notice only when serverCron reaps it (see
   * `Keyspace.rewriteChild`).
   */
  #endRewrite(): void {
    this.#rewrite = undefined;
    if (this.#keyspace.rewriteChild === "running") {
      this.#keyspace.rewriteChild = "exited";
    }
  }

  /**
   * Flushes at the end of this turn (end-of-turn.ts): every client that
   * wrote in this turn shares the one write and fsync.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#endOfTurn.schedule();
  }

  /** auto-aof-rewrite-percentage and -min-size: rewrite once the file has grown enough. */
  #rewriteIfGrown(): void {
    const { autoAofRewritePercentage, autoAofRewriteMinSize } = this.#config;
    if (this.#state !== "on" || this.#rewrite !== undefined) return;
    if (autoAofRewritePercentage === 0) return;
    const { currentSize, baseSize } = this.stats;
    if (currentSize < autoAofRewriteMinSize) return;
    // Redis's arithmetic: an empty base counts as one byte.
    const growth = Math.floor(
      ((currentSize - baseSize) * 100) / (baseSize || 1),
    );
    if (growth < autoAofRewritePercentage) return;
    console.log(`Starting automatic rewriting of AOF on ${growth}% growth`);
    this.startRewrite();
  }
  // #endregion start-rewrite

  // #region swap
  /**
   * The snapshot is on disk: add what the rewrite buffer gathered since,
   * sync, and swap the new file in. Runs inside `flush()`, after this
   * turn's records were written to the old file, so both files hold every
   * record, and nothing can run in between: the swap is one step for the
   * clients. A crash at any point leaves a whole file under the AOF's
   * name, the old one until `rename`, the new one after.
   */
  #finishRewrite(): void {
    const rewrite = this.#rewrite!;
    this.#endRewrite();
    try {
      rewrite.finish();
      fdatasyncSync(rewrite.fd);
      renameSync(rewrite.tempPath, this.path);
      // The rename is a change to the folder; until the folder is synced,
      // a power cut could bring back the old name.
      syncDirectory(this.#config.dir);
    } catch (error) {
      rewrite.abandon();
      this.#rewriteFailed(error);
      return;
    }
    // Closing a file while a background fsync runs on it is safe: the
    // kernel finishes the sync on the file, whatever its descriptor.
    if (this.#fd !== undefined) closeSync(this.#fd);
    if (this.#state === "off") {
      closeSync(rewrite.fd);
    } else {
      this.#fd = rewrite.fd;
      this.#state = "on";
    }
    this.stats.lastRewriteStatus = "ok";
    this.stats.lastRewriteSeconds = Math.floor(
      (this.#clock.monotonic() - this.#rewriteStartedAt) / 1000,
    );
    this.stats.currentSize = this.stats.baseSize = rewrite.bytes;
    console.log("Background AOF rewrite finished successfully");
  }
  // #endregion swap

  #rewriteFailed(error: unknown): void {
    console.error(`Background AOF rewrite failed: ${String(error)}`);
    this.#rewrite?.abandon();
    this.#endRewrite();
    this.stats.lastRewriteStatus = "err";
    // Turned on by CONFIG SET and never got its file: it stays off.
    if (this.#state === "waiting") this.#state = "off";
  }

  // #region config-change
  /**
   * CONFIG SET appendonly changed: follow it. Turning on starts the rewrite
   * that creates the file (until it is done, writes wait in the rewrite
   * buffer); turning off writes and syncs what is pending, then closes.
   * False if the AOF could not be turned on: it stays off.
   */
  followConfig(): boolean {
    if (this.#config.appendonly && this.#state === "off") {
      // (The rewrite already running, if one is, creates the file.)
      if (this.startRewrite() === "failed") {
        this.#config.appendonly = false;
        return false;
      }
      this.#state = "waiting";
    } else if (!this.#config.appendonly && this.#state !== "off") {
      // A rewrite in progress stops too, the first file's included (Redis
      // kills its rewrite child): the data stays in memory.
      this.#rewrite?.abandon();
      this.#endRewrite();
      this.close();
    }
    return true;
  }
  // #endregion config-change

  // #region close
  /**
   * Turns the AOF off: writes and syncs what is pending, and closes the
   * file. Graceful shutdown ends here. A rewrite in progress is cancelled
   * (the file it would replace holds everything), except the one that
   * creates the file after `CONFIG SET appendonly yes`: there is no other
   * file, so it is finished first, at once.
   */
  close(): void {
    if (this.#state === "waiting" && this.#rewrite !== undefined) {
      try {
        this.#rewrite.finishNow();
        this.flush(); // swaps the new file in
      } catch (error) {
        console.error(
          `Could not finish writing the first append only file: ${String(error)}. The data written since CONFIG SET appendonly yes is not on disk.`,
        );
      }
    }
    this.#rewrite?.abandon();
    this.#endRewrite();
    this.#cancelSyncTimer?.();
    this.#cancelSyncTimer = undefined;
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    // Off before the last flush, so that it cannot start an automatic rewrite.
    this.#state = "off";
    this.flush();
    if (this.#fd !== undefined) {
      fdatasyncSync(this.#fd);
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
  // #endregion close
}
// #endregion aof-class

/**
 * Makes a new or renamed file's name durable: on Linux, a file's data and
 * its directory entry are synced separately.
 */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
