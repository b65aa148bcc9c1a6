/**
 * `multi-rollback yes`: NOT Redis, and off by default. With it, a command
 * that answers an error while EXEC runs undoes the whole transaction: EXEC
 * stops there, puts back every key the transaction had changed, writes
 * nothing to the AOF, and answers
 * `-EXECABORT Transaction rolled back because of an error in command N (NAME): <its error>`.
 * Redis never does this (transaction-commands.ts says why); godis does,
 * and this file shows what it costs.
 *
 * The undo log is a keyspace listener. The keyspace announces every change
 * before it happens (`beforeKeyChange`: the signal the AOF rewrite's
 * copy-on-write already trusts), so while EXEC runs, the log keeps each
 * key's state from just before the transaction first changed it: a copy
 * of its value, its deadline, or "absent". Databases that
 * change all at once are kept too: FLUSHDB and FLUSHALL keep every key of
 * the database they empty, SWAPDB is undone by swapping back. Undoing
 * replays the log newest first, through the ordinary database API, so
 * that WATCH, blocked clients and an AOF rewrite in progress hear of the
 * restores as of any other change.
 *
 * godis instead asks each command, before it runs, which keys it will
 * write (the command table's key positions) and saves those. That misses
 * what the positions do not name (the target database of MOVE and
 * `COPY ... DB`, FLUSHDB, FLUSHALL, SWAPDB, a key a read deletes because
 * its time is up) and copies keys that a failing command never changes;
 * listening to the changes themselves does neither.
 */
import type { Database } from "../keyspace/database.ts";
import type {
  Deadline,
  KeyspaceListener,
  RedisValue,
} from "../keyspace/keyspace.ts";
import type { StringOrigin } from "../keyspace/object-header.ts";
import type { Session } from "../dispatch/session.ts";
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { error, type Reply } from "../protocol/reply.ts";

// #region undo-entries
/** A key as it was: its value (a copy), how a string was made, its deadline. */
interface KeyState {
  readonly value: RedisValue;
  readonly origin: StringOrigin;
  readonly deadline: Deadline | undefined;
}

/** One thing to undo, newest last. */
type UndoEntry =
  /** `key` in `db` was `state`, or absent (undefined). */
  | { kind: "key"; db: Database; key: string; state: KeyState | undefined }
  /** FLUSHDB or FLUSHALL emptied `db`, which held `keys`. */
  | { kind: "flush"; db: Database; keys: [string, KeyState][] }
  /** SWAPDB swapped the contents of `a` and `b`. */
  | { kind: "swap"; a: Database; b: Database };
// #endregion undo-entries

// #region undo-log
export class UndoLog implements KeyspaceListener {
  /** What the running EXEC changed, oldest first; undefined outside EXEC. */
  #entries: UndoEntry[] | undefined;
  /**
   * The keys already kept, by database: only a key's first change in the
   * transaction matters, since undoing ends with the oldest entry.
   * Forgotten for both databases of a SWAPDB: their keys are other keys
   * from then on. (Not for FLUSHDB: a key kept before it is put back by
   * its own entry after the flush is undone.)
   */
  #kept = new Map<Database, Set<string>>();
  /** True between SWAPDB's announcement of its first side and of its second. */
  #awaitingOtherSide = false;
  /** The client running EXEC, and the database it had selected before. */
  #session: Session | undefined;
  #selected: Database | undefined;

  /** EXEC starts running `session`'s transaction: keep what it changes. */
  begin(session: Session): void {
    this.#entries = [];
    this.#session = session;
    this.#selected = session.db;
  }

  /** EXEC is over: forget the kept states (the copies can be freed now). */
  end(): void {
    this.#entries = undefined;
    this.#kept.clear();
    this.#awaitingOtherSide = false;
    this.#session = undefined;
    this.#selected = undefined;
  }

  /**
   * Puts everything back as it was before EXEC, newest change first, and
   * the client back in the database it had selected (a retry must run
   * where the first try did). Settings (CONFIG SET) and the connection's
   * name are not undone: they are not data.
   */
  rollBack(): void {
    const entries = this.#entries ?? [];
    // Stop keeping first: the restores are changes too.
    this.#entries = undefined;
    for (let i = entries.length - 1; i >= 0; i--) undo(entries[i]!);
    if (this.#session !== undefined) this.#session.db = this.#selected!;
    this.end();
  }

  // #region listen
  /** The keyspace's signal: `key` in `db` is about to change. */
  beforeKeyChange(db: Database, key: string): void {
    if (this.#entries === undefined) return;
    let kept = this.#kept.get(db);
    if (kept === undefined) {
      kept = new Set();
      this.#kept.set(db, kept);
    }
    if (kept.has(key)) return;
    kept.add(key);
    this.#entries.push({
      kind: "key",
      db,
      key,
      state: stateOf(db, key, "copy"),
    });
  }

  /** FLUSHDB and FLUSHALL empty `db`; SWAPDB gives it `replacedWith`'s keys. */
  beforeDatabaseChange(db: Database, replacedWith?: Database): void {
    if (this.#entries === undefined) return;
    if (replacedWith !== undefined) {
      this.#kept.delete(db);
      // SWAPDB announces both sides, one right after the other: one entry
      // undoes both.
      if (this.#awaitingOtherSide) {
        this.#awaitingOtherSide = false;
      } else {
        this.#entries.push({ kind: "swap", a: db, b: replacedWith });
        this.#awaitingOtherSide = true;
      }
      return;
    }
    // The values themselves, not copies: once the database is emptied,
    // nothing else holds them or can change them.
    const keys: [string, KeyState][] = [];
    for (const key of db.keys()) keys.push([key, stateOf(db, key, "as is")!]);
    this.#entries.push({ kind: "flush", db, keys });
  }
  // #endregion listen
}
// #endregion undo-log

// #region undo
/**
 * `key`'s state now, or undefined if it is absent. A key whose time is up
 * is absent, even if nobody has deleted it yet. A structure (or an edited
 * string) is changed in place, so it is copied unless `how` says the
 * caller keeps the one object.
 */
function stateOf(
  db: Database,
  key: string,
  how: "copy" | "as is",
): KeyState | undefined {
  const stored = db.peek(key);
  if (stored === undefined || db.isExpired(key)) return undefined;
  const { value, deadline } = stored;
  return {
    value: how === "copy" && typeof value !== "string" ? value.clone() : value,
    origin: db.origin(key),
    deadline,
  };
}

function undo(entry: UndoEntry): void {
  switch (entry.kind) {
    case "key":
      restore(entry.db, entry.key, entry.state);
      break;
    case "flush":
      // Over whatever was written after the flush: a key written then
      // is put back by its own entry, newer (undone already) or older.
      for (const [key, state] of entry.keys) restore(entry.db, key, state);
      break;
    case "swap":
      entry.a.swapContents(entry.b);
      break;
  }
}

/** Puts `key` back as `state`: its value and deadline, or no key at all. */
function restore(db: Database, key: string, state: KeyState | undefined): void {
  if (state === undefined) {
    db.delete(key);
    return;
  }
  db.set(key, state.value, state.origin);
  if (state.deadline !== undefined) db.setDeadline(key, state.deadline);
}
// #endregion undo

/**
 * EXEC's answer when a rollback happened: which command failed (counting
 * from 1, in the order they were queued), and its error.
 */
export function rollbackError(
  position: number,
  spec: CommandSpec,
  reply: Reply & { type: "error" },
): Reply {
  return error(
    `EXECABORT Transaction rolled back because of an error in command ${position} (${spec.name.toUpperCase()}): ${reply.text}`,
  );
}
