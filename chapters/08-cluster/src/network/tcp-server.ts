/**
 * The TCP layer: a listening socket, the set of open connections, and a
 * graceful shutdown. It knows nothing of Redis: what each connection says
 * is up to the handler it is given (see connection.ts), which is how chapter
 * 01's echo server and every later chapter's Redis server share this file.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { ServerConfig } from "../config/directives.ts";
import {
  Connection,
  type ConnectionStats,
  type HandlerFactory,
} from "./connection.ts";

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
  /** Connections accepted and served since start. */
  totalConnectionsReceived: number;
  /** Connections turned away since start (Redis's rejected_connections). */
  rejectedConnections: number;
  /**
   * The most reply bytes waiting for one client in our memory, over the
   * last few seconds (Redis's client_recent_max_output_buffer).
   */
  recentMaxOutputBufferBytes: number;
}

/** How far back the "recent" peak looks, in one-second samples (Redis keeps 8). */
const RECENT_SECONDS = 8;

/**
 * What this layer says to a client it turns away, just before it closes
 * the connection. The words are the server's to choose, not this layer's,
 * which knows no protocol; without them, the connection just closes.
 */
export interface Refusals {
  /** For a client that comes when `maxclients` are connected already. */
  tooManyClients?: string;
  /**
   * A look at each client there is room for, by the address it comes
   * from: the words to turn it away with, or undefined to serve it.
   * (Protected mode, from chapter 03 on.)
   */
  screen?(remoteAddress: string | undefined): string | undefined;
}

/** Listens, and gives each accepted connection a handler from the factory. */
export async function serve(
  config: ServerConfig,
  createHandler: HandlerFactory,
  refusals: Refusals = {},
): Promise<RunningServer> {
  const connections = new Set<Connection>();
  // The figures we count as we go; connectedClients is read off the set.
  const counters = {
    totalConnectionsReceived: 0,
    rejectedConnections: 0,
    peakOutputBufferBytes: 0,
  };

  // #region accept
  const listener = createServer((socket) => {
    // `config` is read at each accept: a later chapter's CONFIG SET may
    // change maxclients while we run.
    if (connections.size >= config.maxclients) {
      counters.rejectedConnections += 1;
      turnAway(socket, refusals.tooManyClients);
      return;
    }
    // A client that left before we got here has no address any more: there
    // is nobody to turn away, and its Connection sees the close at once.
    const refusal =
      socket.remoteAddress === undefined
        ? undefined
        : refusals.screen?.(socket.remoteAddress);
    if (refusal !== undefined) {
      counters.rejectedConnections += 1;
      turnAway(socket, refusal);
      return;
    }
    counters.totalConnectionsReceived += 1;
    const connection = new Connection(
      socket,
      counters.totalConnectionsReceived,
      createHandler,
      counters,
      config.tcpKeepalive,
    );
    connections.add(connection);
    void connection.closed.then(() => connections.delete(connection));
  });
  // #endregion accept

  // #region idle-clients
  // Once a second, as Redis's cron does, a look at every client: one that
  // has neither sent nor received anything for more than `timeout` seconds
  // is closed (read at each round: CONFIG SET may change it), unless it
  // waits on purpose, blocked in a BLPOP; and the most output waiting for
  // any one client is noted, for INFO's "recent" peak.
  // Unref'd: this timer alone must not keep the process alive.
  const recentOutputPeaks: number[] = [];
  const cron = setInterval(() => {
    const now = Date.now();
    let outputPeak = 0;
    for (const connection of connections) {
      outputPeak = Math.max(outputPeak, connection.pendingOutputBytes);
      if (
        config.timeout > 0 &&
        !connection.waiting &&
        connection.idleSeconds(now) > config.timeout
      ) {
        connection.destroy();
      }
    }
    recentOutputPeaks.push(outputPeak);
    if (recentOutputPeaks.length > RECENT_SECONDS) recentOutputPeaks.shift();
  }, 1000).unref();
  // #endregion idle-clients

  await listen(listener, config.port, config.bind);
  const address = listener.address();
  if (address === null || typeof address === "string") {
    throw new Error("a TCP listener always has an address object");
  }

  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    stats: () => ({
      connectedClients: connections.size,
      recentMaxOutputBufferBytes: Math.max(0, ...recentOutputPeaks),
      ...counters,
    }),
    close() {
      clearInterval(cron);
      closing ??= shutDown(listener, connections, config.shutdownTimeout);
      return closing;
    },
  };
}

// #region turn-away
/**
 * Says `message` to a client we will not serve and hangs up, without
 * reading what it sent, as Redis does. It never becomes a Connection, and
 * whatever it does now (a reset, an error) is no concern of ours.
 */
function turnAway(socket: Socket, message = ""): void {
  socket.on("error", () => {});
  socket.end(Buffer.from(message, "latin1"), () => socket.destroy());
}
// #endregion turn-away

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
