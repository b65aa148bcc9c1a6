/**
 * The connections this node keeps to the other nodes' client ports, for
 * the commands it sends them itself: the proxy (forwarding.ts) relays a
 * client's command to the slot's owner through it, and cross-node writes
 * use it too. One connection per node and protocol (peer-connection.ts):
 * a reply is relayed to the client byte for byte, so it must already be
 * in the client's protocol, RESP2 or RESP3.
 *
 * Connections are made on first use and kept; one that failed is
 * forgotten, and the next request makes a new one. The cluster owns the
 * pool (`cluster.peers`), and closes it when the server shuts down.
 */
import {
  PeerConnection,
  type PeerAddress,
  type PeerSettings,
} from "./peer-connection.ts";
import type { PeerReply } from "./reply-reader.ts";

export type { PeerAddress, PeerSettings } from "./peer-connection.ts";
export {
  PeerError,
  PeerMap,
  type PeerReply,
  type PeerValue,
} from "./reply-reader.ts";

// #region peer-pool
export class PeerPool {
  readonly #settings: PeerSettings;
  readonly #connections = new Map<string, PeerConnection>();
  #closed = false;

  /** `settings` is read at each use: CONFIG SET applies to the next connection or request. */
  constructor(settings: PeerSettings) {
    this.#settings = settings;
  }

  /**
   * Sends one command on the pooled connection to `peer` in `protocol`;
   * resolves with its reply, or rejects on timeout or connection loss
   * with an Error whose message is an error reply for the client (without
   * the `-`). Replies come in the order the commands were sent.
   */
  send(
    peer: PeerAddress,
    protocol: 2 | 3,
    args: readonly Buffer[],
  ): Promise<PeerReply> {
    return this.sendTogether(peer, protocol, [args])[0]!;
  }

  /**
   * Sends commands back to back on one connection, with nothing of anyone
   * else's between them (MULTI ... EXEC): all are accepted, or all
   * rejected. One promise per command, in order.
   */
  sendTogether(
    peer: PeerAddress,
    protocol: 2 | 3,
    commands: readonly (readonly Buffer[])[],
  ): Promise<PeerReply>[] {
    if (this.#closed) {
      const closed = new Error(
        "TRYAGAIN Proxy closed: the server is shutting down",
      );
      return commands.map(() => Promise.reject(closed));
    }
    return this.#connection(peer, protocol).sendTogether(commands);
  }

  /** How many connections are open now (for INFO and the tests). */
  get size(): number {
    return this.#connections.size;
  }

  /** On server shutdown: every connection closed, every waiting request failed. */
  close(): void {
    this.#closed = true;
    for (const connection of [...this.#connections.values()]) {
      connection.fail("TRYAGAIN Proxy closed: the server is shutting down");
    }
  }

  #connection(peer: PeerAddress, protocol: 2 | 3): PeerConnection {
    const key = `${peer.ip}:${peer.port}/${protocol}`;
    let connection = this.#connections.get(key);
    if (connection === undefined || !connection.usable) {
      const made = new PeerConnection(peer, protocol, this.#settings, () => {
        // Only this connection: a newer one may have taken its place.
        if (this.#connections.get(key) === made) this.#connections.delete(key);
      });
      connection = made;
      this.#connections.set(key, connection);
    }
    return connection;
  }
}
// #endregion peer-pool
