/**
 * Chapter 03: the server keeps data.
 *
 * Chapter 02's RESP server, with a keyspace behind its command table:
 * numbered databases of binary-safe keys and string values, the string and
 * key commands that read and change them, and the server commands around
 * them (AUTH, CONFIG, INFO, CLIENT). Every command runs whole before the
 * next one starts, on Node's one thread: that is what makes INCR atomic
 * without a lock.
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
 * - `db.ts`            the databases, and how keys and values are stored
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

// #region command-table
/** Every command this chapter knows. */
const COMMANDS = new CommandTable([
  ...CONNECTION_COMMANDS,
  ...SERVER_COMMANDS,
  ...STRING_COMMANDS,
  ...KEY_COMMANDS,
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

/**
 * Starts this chapter's server: the TCP loop with the RESP handler plugged in.
 * Tests call it with `{ port: 0 }`; `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export async function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  // The TCP layer's figures exist once it listens, below; no command can
  // run before that.
  let listening: RunningServer | undefined;
  const state = createServerState(config, () => ({
    port: listening!.port,
    ...listening!.stats(),
  }));
  listening = await serve(config, createRespHandler(COMMANDS, state));
  return listening;
}

// #region server-state
/** The state all connections share: empty databases, the settings, zeroed counters. */
export function createServerState(
  config: ServerConfig,
  tcp: () => TcpFigures,
): ServerState {
  return {
    keyspace: new Keyspace(config.databases),
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
