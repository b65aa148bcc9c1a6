/**
 * The state every connection shares: the keyspace, the live settings and
 * the figures INFO reports. server.ts makes one (createServerState) and
 * every command reaches it through its context.
 */
import type { Keyspace } from "../keyspace/keyspace.ts";
import type { ServerConfig } from "../config/directives.ts";
import type { ActiveExpiry } from "../expiry/active-expiry.ts";
import type { AppendOnlyFile } from "../persistence/aof.ts";
import type { BlockedClients } from "../blocking/blocked-clients.ts";
import type { WatchedKeys } from "../transactions/watched-keys.ts";
import type { UndoLog } from "../transactions/undo-log.ts";
import type { EndOfTurn } from "./end-of-turn.ts";
import type { ConnectedClients } from "./connected-clients.ts";
import type { Cluster } from "../cluster/cluster.ts";

// #region server-state
/** The state every connection shares: the data, the settings, the figures. */
export interface ServerState {
  readonly keyspace: Keyspace;
  /** The background cycle that deletes expired keys; INFO reports its figures. */
  readonly activeExpiry: ActiveExpiry;
  /** The append-only file: what changed is logged there (see aof.ts). */
  readonly aof: AppendOnlyFile;
  /** Clients waiting in BLPOP and its kin, and the keys they wait on. */
  readonly blockedClients: BlockedClients;
  /** The keys clients WATCH, and who watches each. */
  readonly watchedKeys: WatchedKeys;
  /** What EXEC changed, kept to undo it: only with `multi-rollback yes` (not Redis). */
  readonly undoLog: UndoLog;
  /** Every connected client, by id: CLIENT LIST, KILL and UNBLOCK find them here. */
  readonly clients: ConnectedClients;
  /** Redis's beforeSleep: serving ready keys, then the AOF write, once per turn. */
  readonly endOfTurn: EndOfTurn;
  /** Cluster mode: this node's view of the cluster and its bus; undefined when off. */
  readonly cluster: Cluster | undefined;
  /** The live settings: CONFIG SET changes them in place. */
  readonly config: ServerConfig;
  /** Counters INFO reports. (Redis zeroes them on CONFIG RESETSTAT, which we do not have.) */
  readonly stats: CommandStats;
  /** `Date.now()` at start, for INFO's uptime. */
  readonly startedAt: number;
  /** The listening port and the figures the TCP layer keeps. */
  tcp(): TcpFigures;
}

export interface TcpFigures {
  port: number;
  connectedClients: number;
  totalConnectionsReceived: number;
  rejectedConnections: number;
  recentMaxOutputBufferBytes: number;
}

export interface CommandStats {
  /** Commands run, whatever their reply (INFO's total_commands_processed). */
  commandsProcessed: number;
}
// #endregion server-state
