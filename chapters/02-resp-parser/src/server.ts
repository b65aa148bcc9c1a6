/**
 * Chapter 02: the server speaks RESP.
 *
 * Chapter 01's TCP server, with its echo handler swapped for a Redis
 * protocol handler: a streaming parser turns bytes into commands, a command
 * table runs them, and an encoder turns their replies back into bytes. Any
 * Redis client can now connect, ping, and ask what the server can do.
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
 * - `command-table.ts` lookup, arity checks, Redis's error texts
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
import { echo, hello, ping, quit } from "./commands/connection.ts";
import { command } from "./commands/server.ts";

/** Every command this chapter knows. */
const COMMANDS = new CommandTable([ping, echo, quit, hello, command]);

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
export function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  return serve(
    config,
    createRespHandler(COMMANDS, config.clientQueryBufferLimit),
  );
}

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

  const deadline = setTimeout(() => {
    for (const connection of connections) connection.destroy();
  }, timeoutSeconds * 1000);
  await Promise.all(open.map((connection) => connection.closed));
  clearTimeout(deadline);
  await listenerClosed;
}
// #endregion shutdown
