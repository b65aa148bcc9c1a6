/**
 * One client connection: the bridge between a TCP socket and the protocol
 * handler that decides what to answer.
 *
 * The handler never touches the socket. It gets bytes through `receive()` and
 * answers through `Client.send()`, and this file takes care of everything a
 * socket can do to you:
 *
 * - back-pressure: a client that sends faster than it reads would otherwise
 *   make us queue its replies in memory without bound;
 * - a peer that vanishes (reset, error mid-write, or silence): errors are
 *   expected events here, not crashes;
 * - closing politely: flush what we owe, then hang up.
 */
import type { Socket } from "node:net";

// #region handler-interface
/** What a protocol handler may do with the client it serves. */
export interface Client {
  /** Unique per server run, starting at 1, like Redis's client ids. */
  readonly id: number;
  /** Queues bytes for the client; never blocks or throws, even if it left. */
  send(data: Buffer): void;
  /** Sends what is queued, then closes. Input after this is ignored. */
  close(): void;
}

/** The protocol side of a connection: chapter 01 echoes, 02 speaks RESP. */
export interface Handler {
  /** Bytes exactly as TCP delivered them: half a message, or many. */
  receive(data: Buffer): void;
  /** The connection is gone, whoever closed it: release what it held. */
  closed(): void;
}

/** The server calls this once for every accepted connection. */
export type HandlerFactory = (client: Client) => Handler;
// #endregion handler-interface

/** Figures about connections (Redis reports similar ones in INFO clients). */
export interface ConnectionStats {
  /** The most reply bytes ever held for one client that was not reading. */
  peakOutputBufferBytes: number;
}

/**
 * Redis's default `tcp-keepalive`: after 300 s of silence the kernel probes the
 * peer, so a client whose machine vanished (a "half-open" connection, no FIN
 * and no RST ever arrives) is eventually noticed and closed.
 */
const KEEPALIVE_DELAY_MS = 300_000;

/**
 * How long a connection we closed waits for the client to close its side
 * before we cut it off (see `close()`). Web servers call this a "lingering
 * close" and use a few seconds too.
 */
const LINGER_MS = 5_000;

export class Connection implements Client {
  readonly id: number;
  readonly #socket: Socket;
  readonly #handler: Handler;
  readonly #stats: ConnectionStats;
  /** Set by `close()`: from then on, input is read but thrown away. */
  #closing = false;
  /** Reading is paused because the client is not taking its replies. */
  #throttled = false;

  /** Resolves when the socket is fully closed and the handler has been told. */
  readonly closed: Promise<void>;

  constructor(
    socket: Socket,
    id: number,
    createHandler: HandlerFactory,
    stats: ConnectionStats,
  ) {
    this.id = id;
    this.#socket = socket;
    this.#stats = stats;
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    this.#handler = createHandler(this);

    // #region events
    socket.on("data", (chunk: Buffer) => {
      if (!this.#closing) this.#handler.receive(chunk);
    });
    socket.on("drain", () => this.#resumeReading());
    // ECONNRESET, EPIPE and friends: the peer is gone. Node destroys the socket
    // after 'error' and then emits 'close', which is where we clean up. Without
    // this listener, an 'error' event with no listener would crash the process.
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => {
      socket.once("close", () => {
        this.#handler.closed();
        resolve();
      });
    });
    // #endregion events
  }

  // #region backpressure
  send(data: Buffer): void {
    // The peer left: its replies have nowhere to go.
    if (this.#socket.destroyed) return;
    const belowHighWaterMark = this.#socket.write(data);
    this.#stats.peakOutputBufferBytes = Math.max(
      this.#stats.peakOutputBufferBytes,
      this.#socket.writableLength,
    );
    if (!belowHighWaterMark && !this.#closing) {
      // The kernel's send buffer is full and Node is now queueing in our
      // memory. Stop reading: no more requests means no more replies to queue.
      // The client is left to wait for its own socket buffers, which is the
      // right place for the pressure to end up.
      this.#throttled = true;
      this.#socket.pause();
    }
  }

  #resumeReading(): void {
    // 'drain': everything queued went to the kernel; it is safe to read again.
    if (this.#throttled) {
      this.#throttled = false;
      this.#socket.resume();
    }
  }
  // #endregion backpressure

  // #region close
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    // end() sends everything queued, then a FIN: "no more from us". We do not
    // destroy the socket yet. If the client's requests were still arriving,
    // closing now would leave unread bytes in our kernel, and a socket closed
    // with unread input answers with a reset, which makes the client's kernel
    // throw away replies it has received but not yet read. So we keep reading
    // (and discarding) until the client closes its side too, which every
    // well-behaved client does on seeing our FIN; Node then closes the socket.
    this.#throttled = false;
    this.#socket.resume();
    this.#socket.end();
    // A client that never closes its side must not keep the socket forever.
    const linger = setTimeout(() => this.destroy(), LINGER_MS);
    this.#socket.once("close", () => clearTimeout(linger));
  }

  /** Hangs up at once, dropping unsent bytes: for a client that won't read. */
  destroy(): void {
    this.#socket.destroy();
  }
  // #endregion close
}
