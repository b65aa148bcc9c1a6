/**
 * Clients that wait for data: what BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and
 * BLMPOP leave behind when every key they name is empty, and BZPOPMIN,
 * BZPOPMAX and BZMPOP too. Redis's `blocked.c`, with its "ready keys"
 * mechanism:
 *
 * 1. A blocking command that finds nothing returns a `BlockRequest`
 *    (command-spec.ts); the client loop stops running that client's
 *    commands and hands the request here. The client joins the queue of
 *    each key it named: first come, first served.
 * 2. When a key is created (the keyspace's `keyAdded` signal: an LPUSH into
 *    nothing, but also RENAME, COPY, MOVE...) and someone waits on it, the
 *    key is marked ready, once.
 * 3. After the command that created it (client-loop.ts), and at the end of
 *    every turn, `serveReadyKeys` walks the ready keys in the order they
 *    became ready, and serves each key's queue in order for as long as the
 *    key has data, to the clients that wait for its kind of value (a list,
 *    or a sorted set), passing over the others. Serving a BLMOVE may
 *    create another ready key: the walk goes on until none is left.
 *
 * So `RPUSH q a b` with three clients waiting serves two, in the order
 * they came; a key emptied again by the same command (or, in chapter 07,
 * the same transaction) wakes nobody; and a client waiting on several keys
 * is served from the first of them that received data.
 */
import type { Database } from "../keyspace/database.ts";
import { typeName, type KeyspaceListener } from "../keyspace/keyspace.ts";
import type { Clock } from "../expiry/clock.ts";
import type { Reply } from "../protocol/reply.ts";
import type { BlockRequest } from "./block-request.ts";
import { FOREVER } from "./timeout.ts";

// #region waiter
/** One blocked client: its request, and how to hand it its reply. */
export interface Waiter {
  readonly clientId: number;
  /** The database the client had selected when it blocked. */
  readonly db: Database;
  readonly request: BlockRequest;
  /**
   * The client loop's: the wait is over, with this reply (served, timed
   * out, or unblocked by CLIENT UNBLOCK). The client takes up its next
   * commands.
   */
  readonly resume: (reply: Reply) => void;
}
// #endregion waiter

/** The longest delay `setTimeout` takes (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ReadyKey {
  readonly db: Database;
  readonly key: string;
}

export class BlockedClients implements KeyspaceListener {
  /** Per database, per key, the clients waiting on it, first come first. */
  readonly #queues = new Map<Database, Map<string, Waiter[]>>();
  /** Every blocked client, by id, with the function that cancels its timer. */
  readonly #byClient = new Map<
    number,
    { waiter: Waiter; cancel: () => void }
  >();
  /** Keys that received data while someone waited on them, in that order. */
  #ready: ReadyKey[] = [];
  /** The same keys, to mark each one ready only once. */
  #readySet = new Map<Database, Set<string>>();

  /**
   * `endTurn` asks for the end of the turn (Redis's beforeSleep), where
   * the server calls `serveReadyKeys` (server.ts).
   */
  constructor(
    readonly clock: Clock,
    readonly endTurn: () => void,
  ) {}

  /** How many clients wait (INFO's blocked_clients). */
  get count(): number {
    return this.#byClient.size;
  }

  /**
   * How many of them wait with a timeout (INFO's clients_in_timeout_table:
   * Redis keeps those in a table sorted by deadline). Counted when asked:
   * INFO is rare, blocking and serving are not.
   */
  get countWithTimeout(): number {
    let count = 0;
    for (const { waiter } of this.#byClient.values()) {
      if (waiter.request.deadline !== FOREVER) count += 1;
    }
    return count;
  }

  /** Every blocked client, in the order they blocked: cluster mode checks their slots. */
  waiters(): Waiter[] {
    return [...this.#byClient.values()].map(({ waiter }) => waiter);
  }

  isBlocked(clientId: number): boolean {
    return this.#byClient.has(clientId);
  }

  // #region block
  /** Puts a client in the queue of each key it named, with its deadline. */
  block(waiter: Waiter): void {
    let queues = this.#queues.get(waiter.db);
    if (queues === undefined) {
      queues = new Map();
      this.#queues.set(waiter.db, queues);
    }
    // `BLPOP k k 0` waits on k once.
    for (const key of new Set(waiter.request.keys)) {
      const queue = queues.get(key);
      if (queue === undefined) queues.set(key, [waiter]);
      else queue.push(waiter);
    }
    const cancel = this.#armTimer(waiter, waiter.request.deadline);
    this.#byClient.set(waiter.clientId, { waiter, cancel });
  }

  /**
   * A timer for the deadline, which looks at the clock when it fires and
   * waits again if the deadline has not come: timers take at most about
   * 24 days, and a client may ask for years; and a timer may fire a
   * little early by the wall clock (Node counts its delay from the start
   * of the event loop's turn, in whole milliseconds), when a client must
   * never be answered before its time, as in Redis.
   */
  #armTimer(waiter: Waiter, deadline: number): () => void {
    if (deadline === FOREVER) return () => {};
    const delay = Math.max(deadline - this.clock.now(), 0);
    let cancel = this.clock.schedule(Math.min(delay, MAX_TIMER_MS), () => {
      if (this.clock.now() < deadline) {
        cancel = this.#armTimer(waiter, deadline);
        const entry = this.#byClient.get(waiter.clientId);
        if (entry !== undefined) entry.cancel = cancel;
      } else {
        this.#finish(waiter, waiter.request.timeoutReply);
      }
    });
    return () => cancel();
  }
  // #endregion block

  // #region unblock
  /**
   * CLIENT UNBLOCK: ends a client's wait with `reply` (the timeout's, or
   * an error). False if the client was not blocked.
   */
  unblock(clientId: number, reply?: Reply): boolean {
    const entry = this.#byClient.get(clientId);
    if (entry === undefined) return false;
    this.#finish(entry.waiter, reply ?? entry.waiter.request.timeoutReply);
    return true;
  }

  /** The client is gone (disconnected, killed): forget it, answer nothing. */
  forget(clientId: number): void {
    const entry = this.#byClient.get(clientId);
    if (entry !== undefined) this.#remove(entry.waiter);
  }

  /** Ends a wait: out of every queue, timer cancelled, reply handed over. */
  #finish(waiter: Waiter, reply: Reply): void {
    this.#remove(waiter);
    waiter.resume(reply);
  }

  #remove(waiter: Waiter): void {
    const entry = this.#byClient.get(waiter.clientId);
    if (entry === undefined) return;
    entry.cancel();
    this.#byClient.delete(waiter.clientId);
    const queues = this.#queues.get(waiter.db);
    if (queues === undefined) return;
    for (const key of new Set(waiter.request.keys)) {
      const queue = queues.get(key);
      if (queue === undefined) continue;
      const index = queue.indexOf(waiter);
      if (index >= 0) queue.splice(index, 1);
      if (queue.length === 0) queues.delete(key);
    }
    if (queues.size === 0) this.#queues.delete(waiter.db);
  }
  // #endregion unblock

  // #region signal-ready
  /**
   * The keyspace's signal that `key` was created: if somebody waits on it,
   * it is ready to be served (Redis's `signalKeyAsReady`). Each key is
   * marked once, however many times it is signalled before being served.
   */
  keyAdded(db: Database, key: string): void {
    if (this.#byClient.size === 0) return;
    if (this.#queues.get(db)?.has(key) !== true) return;
    let marked = this.#readySet.get(db);
    if (marked === undefined) {
      marked = new Set();
      this.#readySet.set(db, marked);
    }
    if (marked.has(key)) return;
    marked.add(key);
    this.#ready.push({ db, key });
    // Served after the command that created it; the end of the turn is
    // the safety net for keys created outside any command.
    this.endTurn();
  }

  /** SWAPDB gave `db` new keys: any of them may have clients waiting. */
  databaseSwapped(db: Database): void {
    for (const key of this.#queues.get(db)?.keys() ?? []) {
      // Looked up without expiring it, as Redis does: a lookup here
      // would log a DEL ahead of the SWAPDB that brought the key.
      if (db.peek(key) !== undefined) this.keyAdded(db, key);
    }
  }
  // #endregion signal-ready

  // #region serve-ready-keys
  /**
   * Serves the clients waiting on the keys that became ready, key by key
   * in the order they became ready, each key's clients in the order they
   * came, for as long as the key has data (`serve` answers undefined when
   * it has none: the key is empty or gone). Only the clients that wait for
   * the kind of value the key holds are served: a list serves BLPOP and
   * its kin, a sorted set BZPOPMIN and its kin, and the others in the
   * queue are passed over, keeping their places, as Redis 7.0 does. Keys
   * that become ready meanwhile (a BLMOVE's destination) are served in
   * the next round of the loop.
   */
  serveReadyKeys(): void {
    while (this.#ready.length > 0) {
      const ready = this.#ready;
      this.#ready = [];
      this.#readySet = new Map();
      for (const { db, key } of ready) {
        const queue = this.#queues.get(db)?.get(key);
        // As stored, without a lookup: each `serve` makes its own.
        const stored = db.peek(key);
        if (queue === undefined || stored === undefined) continue;
        const kind = typeName(stored.value);
        // A copy: each client served leaves the queue.
        for (const waiter of [...queue]) {
          if (waiter.request.waitsFor !== kind) continue;
          const reply = waiter.request.serve(key);
          if (reply === undefined) break;
          this.#finish(waiter, reply);
        }
      }
    }
  }
  // #endregion serve-ready-keys
}
