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
  /** Hangs up at once, dropping what is queued: for a client over its limits. */
  destroy(): void;
  /**
   * True while the client is behind on its replies: the kernel's buffer for
   * it is full and more waits in our memory. A handler that can produce
   * more replies should wait for `drained()` first.
   */
  readonly congested: boolean;
  /** Bytes queued in our memory for the client, not yet taken by the kernel. */
  readonly pendingOutputBytes: number;
  /** The client's end, `ip:port` (`[ip]:port` for IPv6), as CLIENT LIST shows it. */
  readonly address: string;
  /** Our end of the connection, in the same form. */
  readonly localAddress: string;
  /** When the connection was accepted (Date.now()): CLIENT LIST's `age`. */
  readonly createdAt: number;
  /** Whole seconds since the client last sent or was sent anything. */
  idleSeconds(now: number): number;
  /**
   * Set by the handler while the client waits on purpose (a blocked
   * BLPOP): the idle `timeout` leaves such a client alone, as in Redis.
   */
  waiting: boolean;
}

/** The protocol side of a connection: chapter 01 echoes, 02 speaks RESP. */
export interface Handler {
  /** Bytes exactly as TCP delivered them: half a message, or many. */
  receive(data: Buffer): void;
  /** The client caught up: all we queued went to the kernel (see `congested`). */
  drained(): void;
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
 * After we closed and flushed, how long we keep reading and discarding before
 * we hang up anyway, whether the client closed its side or not (see
 * `close()`). Web servers call this a "lingering close"; nginx's
 * `lingering_time` is the same cap.
 */
const LINGER_MS = 1_000;

export class Connection implements Client {
  readonly id: number;
  readonly #socket: Socket;
  readonly #handler: Handler;
  readonly #stats: ConnectionStats;
  /** Set by `close()`: from then on, input is read but thrown away. */
  #closing = false;
  /** When the client last sent us bytes or we sent it some (Date.now()). */
  #lastInteraction = Date.now();
  readonly createdAt = this.#lastInteraction;
  readonly address: string;
  readonly localAddress: string;
  waiting = false;

  /** Resolves when the socket is fully closed and the handler has been told. */
  readonly closed: Promise<void>;

  constructor(
    socket: Socket,
    id: number,
    createHandler: HandlerFactory,
    stats: ConnectionStats,
    keepaliveSeconds: number,
  ) {
    this.id = id;
    this.#socket = socket;
    this.address = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.#stats = stats;
    // `tcp-keepalive`: after that many seconds of silence the kernel probes
    // the peer, so a client whose machine vanished (a "half-open"
    // connection: no FIN and no RST ever arrives) is noticed and closed.
    // Redis's default is 300; 0 turns the probes off.
    socket.setKeepAlive(keepaliveSeconds > 0, keepaliveSeconds * 1000);
    // #region no-delay
    // Nagle's algorithm holds back a small write until the previous one is
    // acknowledged, hoping to merge it with more. A Redis reply is small and
    // the client is waiting for it, so send at once, as Redis does. We
    // already send each batch of replies in one write (see client-loop.ts).
    socket.setNoDelay(true);
    // #endregion no-delay
    this.#handler = createHandler(this);

    // #region events
    socket.on("data", (chunk: Buffer) => {
      this.#lastInteraction = Date.now();
      if (this.#closing) return;
      this.#guarded(() => this.#handler.receive(chunk));
    });
    // 'drain': everything queued went to the kernel, so it is safe to read
    // again (see send()), and the handler may go on with the commands it
    // held back. Resuming a socket that is not paused does nothing.
    socket.on("drain", () => {
      socket.resume();
      if (this.#closing) return;
      this.#guarded(() => this.#handler.drained());
    });
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

  /** Runs handler code; a bug in it must cost one connection, not the whole server and every other client with it. */
  #guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      console.error(`Closing client ${this.id} after a handler error:`, error);
      this.destroy();
    }
  }

  get congested(): boolean {
    return this.#socket.writableNeedDrain;
  }

  // #region backpressure
  send(data: Buffer): void {
    // After close() nothing more may be queued (writing after end() would
    // make Node destroy the socket, dropping what is still queued), and once
    // the peer left, its replies have nowhere to go.
    if (this.#closing || this.#socket.destroyed) return;
    this.#lastInteraction = Date.now();
    const belowHighWaterMark = this.#socket.write(data);
    this.#stats.peakOutputBufferBytes = Math.max(
      this.#stats.peakOutputBufferBytes,
      this.#socket.writableLength,
    );
    if (!belowHighWaterMark) {
      // The kernel's send buffer is full and Node is now queueing in our
      // memory. Stop reading: no more requests means no more replies to queue.
      // The client is left to wait for its own socket buffers, which is the
      // right place for the pressure to end up. The 'drain' listener in the
      // constructor resumes reading once our queue has gone to the kernel.
      this.#socket.pause();
    }
  }
  // #endregion backpressure

  /** Bytes queued in our memory for the client, not yet taken by the kernel. */
  get pendingOutputBytes(): number {
    return this.#socket.writableLength;
  }

  /**
   * Whole seconds since the client last sent or was sent anything, counted
   * as Redis counts them (the difference of two whole-second clocks).
   */
  idleSeconds(now: number): number {
    return Math.floor(now / 1000) - Math.floor(this.#lastInteraction / 1000);
  }

  // #region close
  close(): void {
    if (this.#closing || this.#socket.destroyed) return;
    this.#closing = true;
    // We do not destroy the socket yet. If the client's requests were still
    // arriving, closing now would leave unread bytes in our kernel, and a
    // socket closed with unread input answers with a reset, which makes the
    // client's kernel throw away replies it has received but not yet read.
    // So we keep reading, and discarding, until the client closes its side
    // too, which every well-behaved client does on seeing our FIN.
    this.#socket.resume();
    // end() hands everything queued to the kernel, then sends a FIN.
    this.#socket.end(() => {
      // Everything we owed is on its way, and a well-behaved client reads it
      // and closes within a moment. LINGER_MS is that moment, counted from
      // now and not from the client's last byte: a client that keeps
      // dribbling bytes after QUIT or a protocol error must not keep its
      // connection (Redis closes at once).
      if (this.#socket.destroyed) return;
      const deadline = setTimeout(() => this.destroy(), LINGER_MS);
      this.#socket.once("close", () => clearTimeout(deadline));
    });
  }

  /** Hangs up at once, dropping unsent bytes: for a client that won't read. */
  destroy(): void {
    this.#socket.destroy();
  }
  // #endregion close
}

/** `ip:port`, or `[ip]:port` for IPv6, as Redis writes addresses. */
function formatAddress(
  ip: string | undefined,
  port: number | undefined,
): string {
  // A socket reset before it was accepted has no address any more.
  if (ip === undefined || port === undefined) return "?:0";
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}
