/**
 * Start-up: replay the append-only file, command by command, into the
 * empty keyspace. What the file says happened, happens again, in order.
 *
 * Three things can be wrong with the file, and each gets its own answer:
 *
 * - it ends in the middle of a command: the server died while writing it
 *   (a crash, `kill -9`, a full disk). After a crash of the process, that
 *   command was never acknowledged, since replies wait for the write (a
 *   power cut under `everysec` or `no` can lose acknowledged commands
 *   too: the whole tail the kernel had not written yet). With `aof-load-truncated yes` (the
 *   default) the tail is cut off, a warning logged and the server starts;
 *   with `no` it refuses, for people who would rather look first;
 * - an unfinished MULTI block at the end: the same case, one level up. A
 *   transaction is all or nothing, so the whole block goes with the tail
 *   (chapter 07 writes these blocks; the loader understands them now);
 * - bytes in the middle that are not a command, or a command the server
 *   does not know or that fails: the file is damaged. Skipping the damage
 *   would silently lose data, and guessing where the next command starts
 *   could replay garbage, so the server refuses to start and says where
 *   the damage is. `redis-check-aof --fix` can cut the file there, which
 *   is a decision for a human.
 */
import { closeSync, ftruncateSync, openSync, statSync } from "node:fs";
import { AofFormatError, AofReader } from "./aof-reader.ts";
import type { CommandContext } from "../dispatch/command-spec.ts";
import type { ServerState } from "../dispatch/server-state.ts";
import { newSession } from "../dispatch/session.ts";
import type { CommandTable } from "../dispatch/command-table.ts";
import { nameOf, quoteArgument } from "../dispatch/arguments.ts";

/** The server must not start with this file. The message says why and where. */
export class AofLoadError extends Error {
  override readonly name = "AofLoadError";
}

export interface LoadResult {
  /** The file replayed. */
  path: string;
  /** False when there was no file: a first start, nothing to replay. */
  found: boolean;
  /** Commands replayed. */
  commands: number;
  /** The file's size once loaded (smaller than before if a tail was cut). */
  bytes: number;
  /** Keys in all databases once the file is replayed. */
  keys: number;
  /** How long the replay took. */
  milliseconds: number;
}

// #region load
/**
 * Replays the AOF at `path` into `server.keyspace`. A missing file is an
 * empty one. Throws AofLoadError if the server must not start.
 */
export function loadAppendOnlyFile(
  path: string,
  commands: CommandTable,
  server: ServerState,
): LoadResult {
  const started = performance.now();
  const result = (found: boolean, commands: number, bytes: number) => ({
    path,
    found,
    commands,
    bytes,
    keys: server.keyspace.nonEmpty().reduce((sum, db) => sum + db.size, 0),
    milliseconds: performance.now() - started,
  });
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return result(false, 0, 0);
  }
  const reader = new AofReader(path);
  const replay = new Replay(commands, server);
  server.keyspace.loading = true;
  try {
    for (;;) {
      const entry = readEntry(reader, path);
      if (entry.kind === "command") {
        replay.run(entry.args, entry.offset, path);
        continue;
      }
      // The end of the file. Whatever follows the last whole command (or
      // an unfinished transaction's MULTI) is incomplete: cut it, or refuse.
      const validUpTo = replay.transactionStart ?? entry.offset;
      if (validUpTo < size) {
        cutTail(path, validUpTo, size, server.config.aofLoadTruncated);
      }
      return result(true, replay.count, validUpTo);
    }
  } finally {
    server.keyspace.loading = false;
    reader.close();
  }
}
// #endregion load

/**
 * What start-up tells the person running the server, in the words Redis
 * uses ("DB loaded from append only file: 0.003 seconds"), plus what was in
 * the file: replaying a year of writes should not look like a hang.
 */
export function describeLoad(loaded: LoadResult): string {
  if (!loaded.found) {
    return `No append only file at ${loaded.path} yet: starting empty.`;
  }
  const seconds = (loaded.milliseconds / 1000).toFixed(3);
  return `DB loaded from append only file: ${seconds} seconds (${loaded.path}: ${loaded.commands} commands replayed, ${loaded.keys} keys).`;
}

/** The next entry, with a format error turned into a message for a human. */
function readEntry(reader: AofReader, path: string) {
  try {
    return reader.next();
  } catch (thrown) {
    if (!(thrown instanceof AofFormatError)) throw thrown;
    throw new AofLoadError(
      `Bad file format reading the append only file ${path}: ${thrown.reason} at offset ${thrown.offset}. ` +
        `Make a backup of the file, then run 'redis-check-aof --fix ${path}' to cut it at the damage, ` +
        `losing every command after it.`,
    );
  }
}

// #region cut-tail
/**
 * The last command (or transaction) is incomplete: cut it off, or refuse.
 * Cutting it means the next command appended lands after a whole one,
 * instead of gluing itself onto half of one.
 */
function cutTail(
  path: string,
  validUpTo: number,
  size: number,
  loadTruncated: boolean,
): void {
  if (!loadTruncated) {
    throw new AofLoadError(
      `Unexpected end of file reading the append only file ${path}: ` +
        `the command at offset ${validUpTo} is incomplete (${size - validUpTo} bytes). ` +
        `Make a backup of the file, then either run 'redis-check-aof --fix ${path}', ` +
        `or set 'aof-load-truncated yes' to drop the incomplete tail at start-up.`,
    );
  }
  console.warn(
    `!!! Warning: short read while loading the append only file ${path}: ` +
      `the last ${size - validUpTo} bytes, from offset ${validUpTo}, are an incomplete command or transaction. ` +
      `They are cut off: aof-load-truncated is yes. !!!`,
  );
  const fd = openSync(path, "r+");
  try {
    ftruncateSync(fd, validUpTo);
  } finally {
    closeSync(fd);
  }
}
// #endregion cut-tail

// #region replay
/**
 * Runs logged commands on a session of its own, as if a client sent them:
 * SELECT in the log moves it between databases, as it moved the clients.
 * Commands between MULTI and EXEC are held back and run together at EXEC.
 */
class Replay {
  readonly #commands: CommandTable;
  readonly #context: CommandContext;
  /** Commands of the open transaction, if MULTI was read and EXEC not yet. */
  #queued: { args: Buffer[]; offset: number }[] | undefined;
  /** The offset of the open transaction's MULTI: where a cut would go. */
  transactionStart: number | undefined;
  count = 0;

  constructor(commands: CommandTable, server: ServerState) {
    const session = newSession(0, server.keyspace.database(0), true);
    // The file holds what blocking commands did (BLPOP is logged as the
    // LPOP it became), so nothing replayed may wait.
    session.mayBlock = false;
    this.#commands = commands;
    this.#context = { session, commands, server, loggedAs: undefined };
  }

  run(args: Buffer[], offset: number, path: string): void {
    const name = nameOf(args[0]!);
    if (name === "multi") {
      if (this.#queued !== undefined) {
        throw new AofLoadError(
          `MULTI inside a MULTI block in the append only file ${path} at offset ${offset}: the file is damaged`,
        );
      }
      this.#queued = [];
      this.transactionStart = offset;
    } else if (name === "exec" && this.#queued !== undefined) {
      for (const queued of this.#queued) {
        this.#execute(queued.args, queued.offset, path);
      }
      this.#queued = undefined;
      this.transactionStart = undefined;
    } else if (this.#queued !== undefined) {
      this.#queued.push({ args, offset });
    } else {
      this.#execute(args, offset, path);
    }
  }

  /**
   * One command, checked as the dispatcher checks it. A command that does
   * not exist or fails here was written by something other than this
   * server, or damaged after: replaying past it would build a keyspace
   * that never existed.
   */
  #execute(args: Buffer[], offset: number, path: string): void {
    const spec = this.#commands.find(args);
    const where = `in the append only file ${path} at offset ${offset}`;
    if (spec === undefined || !this.#commands.arityHolds(spec, args)) {
      throw new AofLoadError(
        `Unknown command or wrong number of arguments '${quoteArgument(args[0]!)}' ${where}`,
      );
    }
    this.#context.server.keyspace.newInstant();
    const reply = spec.run(args, this.#context);
    if (reply.type === "error") {
      throw new AofLoadError(
        `The command '${quoteArgument(args[0]!)}' ${where} failed on replay: ${reply.text}`,
      );
    }
    this.count += 1;
  }
}
// #endregion replay
