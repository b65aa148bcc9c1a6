/**
 * The cluster bus: the node-to-node TCP port (client port + 10000) where
 * nodes PING each other ten times a second, gossip about the nodes they
 * know, agree on who owns which slot, and detect failures
 * (failure-detection.ts). Messages are Redis 7.0's (bus-message.ts), so a
 * real redis-server is one more peer.
 *
 * This file has the links and the timer (Redis's clusterCron); what a
 * message means is in bus-receive.ts.
 */
import { createConnection, createServer, type Server } from "node:net";
import type { ServerConfig } from "../config/directives.ts";
import { BusLink } from "./bus-link.ts";
import { MessageType } from "./bus-message.ts";
import { ClusterNode, NodeFlag, randomNodeName } from "./cluster-node.ts";
import { FORGET_TTL_MS, type ClusterState } from "./cluster-state.ts";
import { receiveMessage } from "./bus-receive.ts";
import { sendPing } from "./bus-send.ts";

/** How often the cron runs: Redis's clusterCron, ten times a second. */
const CRON_INTERVAL_MS = 100;
/** Every this many ticks (once a second), a random node is pinged. */
const RANDOM_PING_TICKS = 10;

/** One line of CLUSTER LINKS. */
export interface LinkDescription {
  direction: "to" | "from";
  node: string;
  createTime: number;
  events: string;
  sendBufferAllocated: number;
  sendBufferUsed: number;
}

// #region cluster-bus
export class ClusterBus {
  readonly state: ClusterState;
  readonly config: ServerConfig;
  /** The link this node opened to each node: PINGs go out there. */
  readonly #outbound = new Map<ClusterNode, BusLink>();
  /** Links other nodes opened to us. */
  readonly #inbound = new Set<BusLink>();
  #server: Server | undefined;
  #cron: NodeJS.Timeout | undefined;
  #ticks = 0;

  constructor(state: ClusterState, config: ServerConfig) {
    this.state = state;
    this.config = config;
  }

  get nodeTimeout(): number {
    return this.config.clusterNodeTimeout;
  }

  // #region listen
  /** Opens the bus port; resolves with the port it listens on. */
  async listen(host: string, port: number): Promise<number> {
    const server = createServer((socket) => {
      const link = new BusLink(socket, true, undefined, this.state.now(), {
        message: (from, bytes) => receiveMessage(this, from, bytes),
        closed: (closed) => this.#inbound.delete(closed),
      });
      this.#inbound.add(link);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#server = server;
    const address = server.address();
    return typeof address === "object" && address !== null
      ? address.port
      : port;
  }

  startCron(): void {
    this.#cron = setInterval(() => this.cron(), CRON_INTERVAL_MS);
    // The cron alone must not keep a process alive that has nothing else to do.
    this.#cron.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#cron);
    for (const link of [...this.#outbound.values(), ...this.#inbound]) {
      link.close("shutting down");
    }
    const server = this.#server;
    if (server !== undefined) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
  // #endregion listen

  isConnected(node: ClusterNode): boolean {
    return this.#outbound.has(node);
  }

  linkTo(node: ClusterNode): BusLink | undefined {
    return this.#outbound.get(node);
  }

  // #region connect
  /**
   * Opens the outbound link to a node and greets it: MEET if we are to
   * bring it into our cluster, PING otherwise. A PING still unanswered
   * from before keeps its time, so a node that keeps dropping the
   * connection is not taken for a healthy one.
   */
  #connect(node: ClusterNode): void {
    // Node throws at once for a port it cannot connect to (0, say, from a
    // peer's bad gossip); an address that does not answer fails later,
    // through the link's error event. Either way we try again next tick.
    if (node.busPort < 1 || node.busPort > 65535 || node.ip === "") return;
    const socket = createConnection({ host: node.ip, port: node.busPort });
    const link = new BusLink(socket, false, node, this.state.now(), {
      message: (from, bytes) => receiveMessage(this, from, bytes),
      closed: (closed) => {
        if (this.#outbound.get(node) === closed) this.#outbound.delete(node);
      },
    });
    this.#outbound.set(node, link);
    // Greeted once connected, as Redis does: a MEET that could not be
    // delivered stays due, and is not counted as sent.
    socket.once("connect", () => {
      if (link.closed) return;
      const pingSent = node.pingSent;
      const meeting = node.has(NodeFlag.MEET);
      sendPing(this, link, meeting ? MessageType.MEET : MessageType.PING);
      if (pingSent !== 0) node.pingSent = pingSent;
      node.flags &= ~NodeFlag.MEET;
    });
  }

  /** Closes a node's outbound link (the cron opens a new one). */
  disconnect(node: ClusterNode, reason: string): void {
    this.#outbound.get(node)?.close(reason);
  }

  /** Closes every link of a node about to be deleted. */
  dropNode(node: ClusterNode): void {
    this.disconnect(node, "node deleted");
    for (const link of this.#inbound) {
      if (link.node === node) link.close("node deleted");
    }
  }
  // #endregion connect

  // #region meet
  /**
   * CLUSTER MEET: adds a node under a random name, in handshake, to be sent
   * a MEET by the cron; its PONG tells its real name (clusterStartHandshake).
   * False if a handshake with that address is already under way.
   */
  meet(ip: string, port: number, busPort: number): boolean {
    for (const node of this.state.nodes.values()) {
      if (
        node.has(NodeFlag.HANDSHAKE) &&
        node.ip === ip &&
        node.port === port &&
        node.busPort === busPort
      ) {
        return false;
      }
    }
    const node = new ClusterNode(
      randomNodeName(),
      NodeFlag.HANDSHAKE | NodeFlag.MEET,
      this.state.now(),
    );
    node.ip = ip;
    node.port = port;
    node.busPort = busPort;
    this.state.addNode(node);
    return true;
  }

  /** CLUSTER FORGET: deletes a node, and ignores its gossip for 60 s. */
  forget(node: ClusterNode): void {
    this.state.forgotten.set(node.name, this.state.now() + FORGET_TTL_MS);
    this.dropNode(node);
    this.state.deleteNode(node);
    this.state.changed({ save: true, updateState: true });
  }

  /** Whether gossip about this name is to be ignored, after CLUSTER FORGET. */
  isForgotten(name: string): boolean {
    const until = this.state.forgotten.get(name);
    if (until === undefined) return false;
    if (until > this.state.now()) return true;
    this.state.forgotten.delete(name);
    return false;
  }
  // #endregion meet

  // #region cron
  /**
   * Ten times a second (clusterCron): drop handshakes that never
   * finished, open missing links, ping a random node once a second and
   * any node not pinged for half the timeout, and suspect (PFAIL) the
   * nodes whose PING is unanswered for longer than the timeout.
   */
  cron(): void {
    const { state } = this;
    const now = state.now();
    const timeout = this.nodeTimeout;
    const handshakeTimeout = Math.max(timeout, 1000);
    this.#ticks += 1;
    let changed = false;

    for (const node of [...state.nodes.values()]) {
      if (node.has(NodeFlag.MYSELF | NodeFlag.NOADDR)) continue;
      if (
        node.has(NodeFlag.HANDSHAKE) &&
        now - node.createdAt > handshakeTimeout
      ) {
        this.dropNode(node);
        state.deleteNode(node);
        continue;
      }
      if (!this.#outbound.has(node)) this.#connect(node);
    }

    if (this.#ticks % RANDOM_PING_TICKS === 0) this.#pingOldestOfFive();

    for (const node of state.nodes.values()) {
      if (node.has(NodeFlag.MYSELF | NodeFlag.NOADDR | NodeFlag.HANDSHAKE))
        continue;
      const link = this.#outbound.get(node);
      const pingDelay = now - node.pingSent;
      const dataDelay = now - node.dataReceived;
      // A link that is up but silent for too long may be stuck: open a new one.
      if (
        link !== undefined &&
        now - link.createdAt > timeout &&
        node.pingSent !== 0 &&
        pingDelay > timeout / 2 &&
        dataDelay > timeout / 2
      ) {
        link.close("no answer for half the node timeout");
      }
      if (
        link !== undefined &&
        !link.closed &&
        node.pingSent === 0 &&
        now - node.pongReceived > timeout / 2
      ) {
        sendPing(this, link, MessageType.PING);
        continue;
      }
      if (node.pingSent === 0) continue;
      if (Math.min(pingDelay, dataDelay) > timeout && !node.looksDown) {
        console.log(`*** NODE ${node.name} possibly failing`);
        node.flags |= NodeFlag.PFAIL;
        changed = true;
      }
    }
    if (changed || state.state === "fail") {
      state.updateState(this.config.clusterRequireFullCoverage, timeout);
    }
  }

  /** Pings the node we heard from longest ago, among five picked at random. */
  #pingOldestOfFive(): void {
    const candidates = [...this.#outbound.keys()].filter(
      (node) =>
        node.pingSent === 0 && !node.has(NodeFlag.MYSELF | NodeFlag.HANDSHAKE),
    );
    let oldest: ClusterNode | undefined;
    for (let i = 0; i < 5 && candidates.length > 0; i++) {
      const picked = candidates.splice(
        Math.floor(Math.random() * candidates.length),
        1,
      )[0]!;
      if (oldest === undefined || picked.pongReceived < oldest.pongReceived)
        oldest = picked;
    }
    if (oldest !== undefined)
      sendPing(this, this.#outbound.get(oldest)!, MessageType.PING);
  }
  // #endregion cron

  /** The links this node opened, by node: where PINGs and FAILs go. */
  outboundLinks(): IterableIterator<[ClusterNode, BusLink]> {
    return this.#outbound.entries();
  }

  /** CLUSTER LINKS: both directions of every link. */
  describeLinks(): LinkDescription[] {
    const describe = (
      link: BusLink,
      direction: "to" | "from",
    ): LinkDescription => ({
      direction,
      node: link.node?.name ?? "",
      createTime: link.createdAt,
      // Redis waits to write only while output is pending.
      events: link.pendingBytes > 0 ? "rw" : "r",
      sendBufferAllocated: link.pendingBytes,
      sendBufferUsed: link.pendingBytes,
    });
    return [
      ...[...this.#outbound.values()].map((link) => describe(link, "to")),
      ...[...this.#inbound]
        .filter((link) => link.node !== undefined)
        .map((link) => describe(link, "from")),
    ];
  }
}
// #endregion cluster-bus
