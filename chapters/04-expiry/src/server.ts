/**
 * Chapter 04: keys that expire.
 *
 * Chapter 03's server, with time: a key can be given a deadline (EXPIRE,
 * SET ... EX, GETEX, ...), after which no command sees it. Two mechanisms
 * delete expired keys, as in Redis: lazily, when a command looks one up
 * (db.ts), and actively, by a cycle that samples the keys with a deadline
 * a few times a second (active-expiry.ts). The clock is injected, so tests
 * can move time instead of waiting for it.
 *
 * Layout:
 * - `main.ts`          command line → config → start, banner, signals
 * - `config.ts`        `redis-server`-style arguments and config file
 * - `server.ts`        (this file) the listening socket and the set of connections
 * - `connection.ts`    one client: back-pressure, errors, polite close
 * - `protocol.ts`      the handler: bytes → commands → replies → one write
 * - `input-buffer.ts`  bytes received but not parsed yet, without quadratic copying
 * - `resp-parser.ts`   RESP requests, incrementally, with Redis's limits
 * - `inline.ts`        commands typed as a line of text, split as Redis does
 * - `reply.ts`         reply values and their encoder
 * - `command.ts`       what a command is: arity, flags, docs, and a function
 * - `command-table.ts` lookup, arity and authentication checks, Redis's error texts
 * - `dict.ts`          a hash table with Redis's resumable SCAN and random keys
 * - `db.ts`            the databases, how keys, values and deadlines are stored; lazy expiry
 * - `clock.ts`         wall clock, monotonic clock and timers, replaceable by tests
 * - `active-expiry.ts` the cycle that samples volatile keys and deletes expired ones
 * - `glob.ts`          Redis's glob patterns, for KEYS, SCAN and CONFIG GET
 * - `integers.ts`      64-bit integers for INCR and friends, exactly
 * - `long-double.ts`   INCRBYFLOAT's 80-bit arithmetic, exactly
 * - `commands/`        the commands themselves, grouped as Redis's docs group them
 */
import { createServer, type Server } from "node:net";
import { DEFAULT_CONFIG, type ServerConfig } from "./config.ts";
import {
  Connection,
  type ConnectionStats,
  type HandlerFactory,
} from "./connection.ts";
import { createRespHandler } from "./protocol.ts";
import { CommandTable } from "./command-table.ts";
import type { ServerState, TcpFigures } from "./command.ts";
import { Keyspace } from "./db.ts";
import { CONNECTION_COMMANDS } from "./commands/connection.ts";
import { SERVER_COMMANDS } from "./commands/server.ts";
import { STRING_COMMANDS } from "./commands/strings.ts";
import { KEY_COMMANDS } from "./commands/keys.ts";
import { EXPIRY_COMMANDS } from "./commands/expiry.ts";
import { systemClock, type Clock } from "./clock.ts";
import { ActiveExpiry, scheduleActiveExpiry } from "./active-expiry.ts";

// #region command-table
/** Every command this chapter knows. */
const COMMANDS = new CommandTable([
  ...CONNECTION_COMMANDS,
  ...SERVER_COMMANDS,
  ...STRING_COMMANDS,
  ...KEY_COMMANDS,
  ...EXPIRY_COMMANDS,
]);
// #endregion command-table

/** A listening server. Every chapter's `startServer` returns this shape. */
export interface RunningServer {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on: the real one, also if the config said 0. */
  readonly port: number;
  /** Live figures, for the banner, the tests and (later) INFO. */
  stats(): ServerStats;
  /** Graceful shutdown; resolves once every socket and the listener closed. */
  close(): Promise<void>;
}

export interface ServerStats extends ConnectionStats {
  /** Clients connected right now. */
  connectedClients: number;
  /** Connections accepted since start. */
  totalConnectionsReceived: number;
}

/** What `startServer` takes besides settings. */
export interface ServerOptions {
  /** Where time comes from: the system's clocks unless a test brings its own. */
  clock?: Clock;
}

// #region start-server
/**
 * Starts this chapter's server: the TCP loop with the RESP handler plugged
 * in, and the active expiry cycle. Tests call it with `{ port: 0 }` (and
 * perhaps a clock of their own); `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export async function startServer(
  overrides: Partial<ServerConfig> & ServerOptions = {},
): Promise<RunningServer> {
  const { clock = systemClock, ...settings } = overrides;
  const config = { ...DEFAULT_CONFIG, ...settings };
  // The TCP layer's figures exist once it listens, below; no command can
  // run before that.
  let listening: RunningServer | undefined;
  const state = createServerState(config, clock, () => ({
    port: listening!.port,
    ...listening!.stats(),
  }));
  listening = await serve(config, createRespHandler(COMMANDS, state));
  const stopActiveExpiry = scheduleActiveExpiry(
    state.activeExpiry,
    () => config.hz,
  );
  const { close } = listening;
  return {
    ...listening,
    close() {
      stopActiveExpiry();
      return close();
    },
  };
}
// #endregion start-server

// #region server-state
/** The state all connections share: empty databases, the settings, zeroed counters. */
export function createServerState(
  config: ServerConfig,
  clock: Clock,
  tcp: () => TcpFigures,
): ServerState {
  const keyspace = new Keyspace(config.databases, clock);
  return {
    keyspace,
    activeExpiry: new ActiveExpiry(keyspace, clock),
    config,
    stats: { commandsProcessed: 0 },
    startedAt: Date.now(),
    tcp,
  };
}
// #endregion server-state

/** Listens, and gives each accepted connection a handler from the factory. */
export async function serve(
  config: ServerConfig,
  createHandler: HandlerFactory,
): Promise<RunningServer> {
  const connections = new Set<Connection>();
  // The figures we count as we go; connectedClients is read off the set.
  const counters = { totalConnectionsReceived: 0, peakOutputBufferBytes: 0 };

  // #region accept
  const listener = createServer((socket) => {
    counters.totalConnectionsReceived += 1;
    const connection = new Connection(
      socket,
      counters.totalConnectionsReceived,
      createHandler,
      counters,
    );
    connections.add(connection);
    void connection.closed.then(() => connections.delete(connection));
  });
  // #endregion accept

  await listen(listener, config.port, config.bind);
  const address = listener.address();
  if (address === null || typeof address === "string") {
    throw new Error("a TCP listener always has an address object");
  }

  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    stats: () => ({ connectedClients: connections.size, ...counters }),
    close() {
      closing ??= shutDown(listener, connections, config.shutdownTimeout);
      return closing;
    },
  };
}

/** `listen()` that rejects on failure, instead of emitting 'error' later. */
function listen(listener: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    listener.once("error", reject);
    listener.listen({ port, host }, () => {
      listener.off("error", reject);
      resolve();
    });
  });
}

// #region shutdown
/**
 * Stop accepting, let every client take the replies it is owed, and close.
 * A client that does not read within `timeoutSeconds` is cut off, so one
 * stuck client cannot keep the server from stopping.
 */
async function shutDown(
  listener: Server,
  connections: Set<Connection>,
  timeoutSeconds: number,
): Promise<void> {
  const listenerClosed = new Promise<void>((resolve) =>
    listener.close(() => resolve()),
  );
  const open = [...connections];
  for (const connection of open) connection.close();

  // (Timers take at most 2^31 - 1 ms, about 24 days; a longer one would fire at once.)
  const deadline = setTimeout(
    () => {
      for (const connection of connections) connection.destroy();
    },
    Math.min(timeoutSeconds * 1000, 2 ** 31 - 1),
  );
  await Promise.all(open.map((connection) => connection.closed));
  clearTimeout(deadline);
  await listenerClosed;
}
// #endregion shutdown
