/**
 * What the server remembers about one connection between its commands,
 * which they read and change through their context. One per connection.
 */
import type { Database } from "../keyspace/database.ts";
import type { Protocol } from "../protocol/reply.ts";
import type { Transaction } from "../transactions/transaction.ts";
import { Watcher } from "../transactions/watched-keys.ts";

// #region session
/** Per-connection state that commands read and change. */
export interface Session {
  /** The connection's id (HELLO and, later, CLIENT ID report it). */
  readonly id: number;
  /** Set by CLIENT SETNAME or HELLO SETNAME, kept as the client's bytes; empty means no name. */
  name: Buffer;
  /** The protocol replies are written in: 2 until HELLO asks for 3. */
  protocol: Protocol;
  /**
   * What the client library said it is, with CLIENT SETINFO (empty if it
   * did not). Redis 7.0's CLIENT LIST does not show it (7.2's does).
   */
  libraryName: string;
  libraryVersion: string;
  /** The database SELECT chose; 0 at first. */
  db: Database;
  /** False while a password is required and the client has not given it. */
  authenticated: boolean;
  /**
   * Send the replies owed so far, then close the connection: set by QUIT,
   * and by the handler after a protocol error.
   */
  closeAfterReply: boolean;
  /**
   * False where a command must not wait (Redis's CLIENT_DENY_BLOCKING):
   * while the AOF is replayed, and while EXEC runs a transaction. A
   * blocking command with nothing to serve then answers its timeout reply
   * at once.
   */
  mayBlock: boolean;
  /** The open transaction, from MULTI to EXEC or DISCARD; undefined outside one. */
  transaction: Transaction | undefined;
  /** The keys this client WATCHes, and whether one has changed. */
  readonly watcher: Watcher;
  /**
   * Cluster mode: ASKING was the last command (or came before the open
   * transaction): a slot being imported serves this client's next
   * command. See cluster/routing.ts.
   */
  asking: boolean;
  /** Cluster mode: READONLY is on, until READWRITE: a replica serves this client's reads. */
  readOnly: boolean;
}
// #endregion session

/** A fresh session: database 0, no name, no library. */
export function newSession(
  id: number,
  db: Database,
  authenticated: boolean,
): Session {
  return {
    id,
    name: Buffer.alloc(0),
    protocol: 2,
    libraryName: "",
    libraryVersion: "",
    db,
    authenticated,
    closeAfterReply: false,
    mayBlock: true,
    transaction: undefined,
    watcher: new Watcher(),
    asking: false,
    readOnly: false,
  };
}
