/**
 * A node's side of a cross-node write (our own, not Redis: Redis answers
 * CROSSSLOT). With `cluster-proxy yes`, a node that receives an MSET, an
 * MSETNX, a DEL, an UNLINK or a RENAME whose keys live on several nodes
 * coordinates it (cross-node-writes.ts) with try-confirm-cancel, as godis
 * does (doTcc, execPrepare, execCommit, execRollback). Each node holding
 * some of the keys is a participant, and this file is what it keeps:
 *
 * - PREPARE locks the keys, checks the precondition and answers what the
 *   coordinator needs (tcc-writes.ts). Nothing is applied yet, so unlike
 *   godis we keep no undo log: there is nothing to undo.
 * - CONFIRM applies the write, through the command table like any
 *   command, and unlocks. CANCEL only unlocks. Both are final: a
 *   confirmed write is never cancelled, a cancelled one never confirmed.
 * - An ordinary client touching a locked key is answered TRYAGAIN (see
 *   `lockedKeyRefusal`).
 *
 * The hard case is a coordinator that dies between two CONFIRMs: a plain
 * timeout would cancel the second node and leave the write half done.
 * So, as in Google's Percolator, one participant is the *primary*: the
 * coordinator confirms it first, and that confirm IS the decision. When a
 * lock expires (its `lock-ms`), a primary still undecided cancels itself,
 * and then refuses a late CONFIRM; any other participant asks the primary
 * (TCC STATUS) and does what it did, keeping its locks while the primary
 * cannot answer. A primary asked about a transaction it never heard of
 * answers "unknown" and remembers it as cancelled, so that a PREPARE
 * arriving after that is refused.
 *
 * With `appendonly yes`, PREPARE, CONFIRM and CANCEL are written to the
 * AOF as our own records (tcc-commands.ts), one record each, so a
 * restarted participant is locked again where it was, and its decisions
 * are known. The locks then expire `lock-ms` after the restart, and the
 * transaction is resolved as above. A rewritten AOF holds keys, not
 * locks: the open PREPAREs are logged again after its snapshot
 * (participant-links.ts).
 *
 * What this still does not guarantee: a primary that stays down keeps
 * the other participants' keys locked (answering TRYAGAIN) until it is
 * back, since nobody else knows whether it confirmed; a primary that
 * loses its AOF (or runs without `appendonly yes` and `appendfsync
 * always`) can forget a decision, and a participant asking it then
 * cancels what another already applied. The same holds for decisions
 * a primary no longer remembers: they are kept ten minutes, and a
 * rewrite of its AOF drops them, so a participant that comes back later
 * than that with a prepared transaction, asks, hears "unknown", and
 * cancels its part of a write the others applied.
 */
import type { CommandSpec } from "../../dispatch/command-spec.ts";
import { keyIndexes } from "../../dispatch/command-spec.ts";
import { byteString } from "../../dispatch/arguments.ts";
import type { Session } from "../../dispatch/session.ts";
import { error, type Reply } from "../../protocol/reply.ts";
import type { PreparedWrite } from "./tcc-writes.ts";

/** What a participant knows of a transaction, as TCC STATUS answers it. */
export type TccStatus = "prepared" | "confirmed" | "cancelled" | "unknown";

/**
 * PREPARE's answer when another transaction holds a key: the coordinator
 * tries again a little later (cross-node-writes.ts).
 */
export const LOCK_CONFLICT =
  "TRYAGAIN Another cross-node transaction holds the key";

/** How long a node remembers how a transaction ended: for late messages and STATUS. */
const DECISIONS_KEPT_MS = 10 * 60_000;
/** How soon a participant whose primary could not answer asks again. */
const ASK_AGAIN_MS = 200;

// #region participant-links
/** What a participant needs from the rest of the node (server.ts connects it). */
export interface ParticipantLinks {
  /** This node's name, to tell whether it is a transaction's primary. */
  myName(): string;
  /**
   * Runs one of our own commands (`TCC CONFIRM <txid>`, `TCC CANCEL
   * <txid>`) as if a client had sent it: applied, logged and served as
   * one. A lock that expires is resolved this way.
   */
  runOwnCommand(words: string[]): void;
  /** Asks the primary how a transaction ended; rejects if it cannot be reached. */
  askPrimary(primary: string, txid: string): Promise<TccStatus>;
}
// #endregion participant-links

/** A prepared transaction: its keys are locked until it ends. */
interface OpenTransaction {
  /** The PREPARE command as received: logged again when the AOF is rewritten. */
  readonly prepared: readonly Buffer[];
  readonly primary: string;
  readonly write: PreparedWrite;
  readonly lockMs: number;
  /** When its lock expires, or when to ask the primary again. */
  timer: NodeJS.Timeout | undefined;
}

// #region participant
export class TccParticipant {
  /** Prepared transactions, by id. */
  readonly #open = new Map<string, OpenTransaction>();
  /** Locked keys (database 0: cluster mode has no other), and by which transaction. */
  readonly #lockedBy = new Map<string, string>();
  /** How recent transactions ended, oldest first, with when. */
  readonly #decided = new Map<
    string,
    { outcome: "confirmed" | "cancelled"; at: number }
  >();
  #links: ParticipantLinks | undefined;

  connect(links: ParticipantLinks): void {
    this.#links = links;
  }

  /** Whether a cross-node write holds `key`. */
  isLocked(key: string): boolean {
    return this.#lockedBy.has(key);
  }

  /** How many transactions are prepared here and not yet ended. */
  get openCount(): number {
    return this.#open.size;
  }

  // #region prepare
  /**
   * Locks the write's keys for `txid`, or says why not. The caller checked
   * the precondition first and answers it. Preparing again a transaction
   * prepared already is fine: the AOF may replay it, a coordinator retry.
   */
  prepare(
    txid: string,
    primary: string,
    lockMs: number,
    write: PreparedWrite,
    prepared: readonly Buffer[],
  ): Reply | undefined {
    if (this.#open.has(txid)) return undefined;
    const ended = this.outcome(txid);
    if (ended !== undefined) {
      return error(`ERR TCC transaction ${txid} is ${ended} already`);
    }
    for (const key of write.keys) {
      if (this.#lockedBy.has(key)) {
        return error(`${LOCK_CONFLICT} '${key}'`);
      }
    }
    for (const key of write.keys) this.#lockedBy.set(key, txid);
    const open: OpenTransaction = {
      prepared,
      primary,
      write,
      lockMs,
      timer: undefined,
    };
    this.#open.set(txid, open);
    this.#resolveAfter(txid, open, lockMs);
    return undefined;
  }
  // #endregion prepare

  /**
   * The PREPARE commands of the transactions still open: a rewritten AOF
   * holds the keyspace, not them, so they are logged again after it.
   */
  openPrepares(): (readonly Buffer[])[] {
    return [...this.#open.values()].map((open) => open.prepared);
  }

  /** The write `txid` prepared, if it is still open. */
  openWrite(txid: string): PreparedWrite | undefined {
    return this.#open.get(txid)?.write;
  }

  // #region end
  /**
   * Ends `txid` (its write applied, or not): unlocks its keys and
   * remembers the outcome. An error if it ended the other way already.
   * Ending a transaction never prepared here is allowed: a CANCEL that
   * overtook its PREPARE must still turn that PREPARE away.
   */
  end(txid: string, outcome: "confirmed" | "cancelled"): Reply | undefined {
    const ended = this.outcome(txid);
    if (ended !== undefined && ended !== outcome) {
      return error(`ERR TCC transaction ${txid} is ${ended} already`);
    }
    const open = this.#open.get(txid);
    if (open !== undefined) {
      clearTimeout(open.timer);
      for (const key of open.write.keys) this.#lockedBy.delete(key);
      this.#open.delete(txid);
    }
    this.#remember(txid, outcome);
    return undefined;
  }

  /** How `txid` ended, if it did and this node remembers. */
  outcome(txid: string): "confirmed" | "cancelled" | undefined {
    return this.#decided.get(txid)?.outcome;
  }
  // #endregion end

  // #region status
  /**
   * TCC STATUS, asked by a participant whose lock expired. "unknown" is
   * remembered as cancelled: from now on this transaction can only be
   * cancelled here, so the answer stays true.
   */
  status(txid: string): TccStatus {
    if (this.#open.has(txid)) return "prepared";
    const ended = this.outcome(txid);
    if (ended !== undefined) return ended;
    this.#remember(txid, "cancelled");
    return "unknown";
  }
  // #endregion status

  #remember(txid: string, outcome: "confirmed" | "cancelled"): void {
    const now = Date.now();
    this.#decided.delete(txid);
    this.#decided.set(txid, { outcome, at: now });
    // Oldest first: forget from the front while they are old enough.
    for (const [id, { at }] of this.#decided) {
      if (now - at < DECISIONS_KEPT_MS) break;
      this.#decided.delete(id);
    }
  }

  // #region lock-expiry
  #resolveAfter(txid: string, open: OpenTransaction, ms: number): void {
    open.timer = setTimeout(() => void this.#resolve(txid, open), ms);
    // A lock never keeps a stopping server alive.
    open.timer.unref();
  }

  /**
   * The lock of `txid` expired before the coordinator ended it. The
   * primary decides alone: undecided, it cancels. Any other participant
   * does what the primary did, and waits while the primary is undecided
   * or out of reach: cancelling then could undo half of a confirmed write.
   */
  async #resolve(txid: string, open: OpenTransaction): Promise<void> {
    const links = this.#links;
    if (links === undefined || this.#open.get(txid) !== open) return;
    if (open.primary === links.myName()) {
      links.runOwnCommand(["TCC", "CANCEL", txid]);
      return;
    }
    let answer: TccStatus | undefined;
    try {
      answer = await links.askPrimary(open.primary, txid);
    } catch {
      answer = undefined;
    }
    // The coordinator may have ended it while we asked.
    if (this.#open.get(txid) !== open) return;
    if (answer === "confirmed") {
      links.runOwnCommand(["TCC", "CONFIRM", txid]);
    } else if (answer === "cancelled" || answer === "unknown") {
      links.runOwnCommand(["TCC", "CANCEL", txid]);
    } else {
      this.#resolveAfter(txid, open, Math.min(ASK_AGAIN_MS, open.lockMs));
    }
  }
  // #endregion lock-expiry
}
// #endregion participant

// #region locked-key-refusal
/**
 * An ordinary command that touches a key a cross-node write has locked
 * is answered TRYAGAIN rather than made to wait: waiting would need a
 * queue of held commands for a lock that lasts a round trip or two, and
 * a cluster client (ioredis's `retryDelayOnTryAgain`) already retries
 * TRYAGAIN by itself, as it does during a slot migration. Reads are
 * refused too: a read between two nodes' CONFIRMs would see half of
 * the write. (EXEC is checked on the commands it queued.)
 */
export function lockedKeyRefusal(
  participant: TccParticipant,
  spec: CommandSpec,
  args: Buffer[],
  session: Session,
): Reply | undefined {
  if (participant.openCount === 0) return undefined;
  const commands =
    spec.name === "exec"
      ? (session.transaction?.queued ?? [])
      : [{ spec, args }];
  for (const command of commands) {
    for (const i of keyIndexes(command.spec, command.args) ?? []) {
      if (participant.isLocked(byteString(command.args[i]!))) return LOCKED;
    }
  }
  return undefined;
}

const LOCKED = error(
  "TRYAGAIN A cross-node transaction holds a key of this command, try again",
);
// #endregion locked-key-refusal
