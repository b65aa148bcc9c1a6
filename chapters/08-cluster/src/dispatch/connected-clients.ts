/**
 * Every connected client, as the server's commands see them: CLIENT LIST
 * and CLIENT INFO describe them, CLIENT KILL and CLIENT UNBLOCK reach
 * them by id. The client loop adds each client when it connects and
 * removes it when it goes.
 */
import type { Client } from "../network/connection.ts";
import type { Session } from "./session.ts";

// #region connected-client
/** One connected client: its connection, its session, and what it is doing. */
export interface ConnectedClient {
  readonly connection: Client;
  readonly session: Session;
  /**
   * The last command it ran, as CLIENT LIST's `cmd` shows it: lower case,
   * `container|sub` for a subcommand, `NULL` before the first.
   */
  readonly lastCommand: string;
  /** Bytes received and not yet run as commands (CLIENT LIST's `qbuf`). */
  readonly queryBufferBytes: number;
  /** True while the client waits in a blocking command (`flags=b`). */
  readonly blocked: boolean;
}
// #endregion connected-client

/** The clients by id, in the order they connected (ids only grow). */
export type ConnectedClients = Map<number, ConnectedClient>;
