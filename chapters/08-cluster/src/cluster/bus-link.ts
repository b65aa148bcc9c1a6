/**
 * One TCP connection of the cluster bus (Redis's clusterLink): it cuts
 * the byte stream into messages by their length field and hands each
 * whole message on. Two nodes usually have two links, one each way: a
 * node sends its PINGs on the link it opened ("outbound") and answers the
 * other's PINGs on the link the other opened ("inbound").
 *
 * A stream that is not the bus (a wrong signature, a length smaller than
 * a header or larger than we accept) closes this link only, as Redis
 * does; the node connects again at its next cron tick.
 */
import type { Socket } from "node:net";
import type { ClusterNode } from "./cluster-node.ts";
import { HEADER_SIZE, MAX_MESSAGE_SIZE, SIGNATURE } from "./bus-message.ts";

/**
 * The most bytes a link may have waiting to be sent before it is closed:
 * a peer that stopped reading must not make us hold messages for ever.
 * (Redis's `cluster-link-sendbuf-limit`, off by default there.)
 */
const SEND_BUFFER_LIMIT = 64 * 1024 * 1024;

export interface LinkEvents {
  message(link: BusLink, bytes: Buffer): void;
  /** The link is gone, whatever the reason; `reason` is for the log. */
  closed(link: BusLink, reason: string): void;
}

// #region bus-link
export class BusLink {
  /** The node at the other end, once known; the node an outbound link was opened to. */
  node: ClusterNode | undefined;
  readonly createdAt: number;
  readonly #socket: Socket;
  readonly #events: LinkEvents;
  /** Bytes received and not yet a whole message. */
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The length of the message being received, once its first 8 bytes are in. */
  #expected = 0;
  #closed = false;

  constructor(
    socket: Socket,
    readonly inbound: boolean,
    node: ClusterNode | undefined,
    now: number,
    events: LinkEvents,
  ) {
    this.#socket = socket;
    this.node = node;
    this.createdAt = now;
    this.#events = events;
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.#receive(chunk));
    socket.on("error", (error) => this.close(error.message));
    socket.on("close", () => this.close("connection closed"));
  }

  /** The local address of the socket: how the peer reached us. */
  get localAddress(): string {
    return this.#socket.localAddress ?? "";
  }

  /** The peer's address, as the socket sees it. */
  get remoteAddress(): string {
    return this.#socket.remoteAddress ?? "";
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes waiting to be sent: CLUSTER LINKS's send-buffer-used. */
  get pendingBytes(): number {
    return this.#socket.writableLength;
  }

  send(bytes: Buffer): void {
    if (this.#closed) return;
    if (this.#socket.writableLength + bytes.length > SEND_BUFFER_LIMIT) {
      this.close("send buffer over its limit");
      return;
    }
    this.#socket.write(bytes);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.#chunks = [];
    this.#events.closed(this, reason);
  }

  // #region framing
  #receive(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    while (!this.#closed) {
      if (this.#expected === 0) {
        if (this.#buffered < 8) return;
        const start = this.#take(8, false);
        const length = start.readUInt32BE(4);
        if (
          start.toString("latin1", 0, 4) !== SIGNATURE ||
          length < HEADER_SIZE ||
          length > MAX_MESSAGE_SIZE
        ) {
          this.close(
            `bad message length (${length}) or signature received from the cluster bus`,
          );
          return;
        }
        this.#expected = length;
      }
      if (this.#buffered < this.#expected) return;
      const message = this.#take(this.#expected, true);
      this.#expected = 0;
      this.#events.message(this, message);
    }
  }

  /**
   * The first `size` bytes received, as one buffer; `consume` removes
   * them. Joining chunks only when a whole message is in keeps a message
   * that arrives in many pieces from being copied once per piece.
   */
  #take(size: number, consume: boolean): Buffer {
    if (this.#chunks[0]!.length < size) {
      this.#chunks = [Buffer.concat(this.#chunks)];
    }
    const first = this.#chunks[0]!;
    const taken = first.subarray(0, size);
    if (consume) {
      this.#buffered -= size;
      if (first.length === size) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(size);
    }
    return taken;
  }
  // #endregion framing
}
// #endregion bus-link
