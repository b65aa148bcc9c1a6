/**
 * What this node sends on the bus: every message's header (who we are,
 * our slots, our epochs), PING, PONG and MEET with their gossip, FAIL to
 * every node, and UPDATE to a node whose slot claim is stale.
 */
import type { BusLink } from "./bus-link.ts";
import {
  encodeMessage,
  MessageType,
  TYPE_NAMES,
  type BusMessage,
  type GossipEntry,
  type MessageHeader,
} from "./bus-message.ts";
import type { ClusterBus } from "./cluster-bus.ts";
import { NodeFlag, type ClusterNode } from "./cluster-node.ts";

// #region send
/** The header of every message we send: who we are, our slots, our epochs. */
export function header(bus: ClusterBus, type: number): MessageHeader {
  const { state, config } = bus;
  const { myself } = state;
  return {
    type,
    currentEpoch: state.currentEpoch,
    configEpoch: myself.configEpoch,
    replicationOffset: 0n,
    sender: myself.name,
    slots: myself.slots,
    replicaOf: myself.replicaOf,
    ip: config.clusterAnnounceIp,
    port: myself.port,
    busPort: myself.busPort,
    plaintextPort: 0,
    flags: myself.flags,
    stateOk: state.state === "ok",
    messageFlags: 0,
  };
}

function send(bus: ClusterBus, link: BusLink, message: BusMessage): void {
  link.send(encodeMessage(message));
  bus.state.count("sent", TYPE_NAMES[message.header.type] ?? "unknown");
}

/**
 * Sends PING, PONG or MEET with gossip about a tenth of the nodes we
 * know (at least 3), picked at random, plus every node we suspect, so
 * that suspicions spread fast (clusterSendPing).
 */
export function sendPing(bus: ClusterBus, link: BusLink, type: number): void {
  const { state } = bus;
  const others = [...state.nodes.values()].filter(
    (node) => node !== state.myself,
  );
  const wanted = Math.min(
    Math.max(3, Math.floor(state.nodes.size / 10)),
    Math.max(0, state.nodes.size - 2),
  );
  const chosen = new Set<ClusterNode>();
  for (let tries = 0; tries < wanted * 3 && chosen.size < wanted; tries++) {
    const node = others[Math.floor(Math.random() * others.length)]!;
    if (
      node.has(NodeFlag.PFAIL | NodeFlag.HANDSHAKE | NodeFlag.NOADDR) ||
      (!bus.isConnected(node) && node.slotCount === 0)
    ) {
      continue;
    }
    chosen.add(node);
  }
  for (const node of others) {
    if (
      node.has(NodeFlag.PFAIL) &&
      !node.has(NodeFlag.HANDSHAKE | NodeFlag.NOADDR)
    ) {
      chosen.add(node);
    }
  }
  if (type === MessageType.PING && link.node !== undefined) {
    link.node.pingSent = state.now();
  }
  send(bus, link, {
    header: header(bus, type),
    gossip: [...chosen].map(gossipAbout),
    hostname: state.myself.hostname,
  });
}

/** Tells every node we have a link to that `node` failed. */
export function broadcastFail(bus: ClusterBus, node: ClusterNode): void {
  for (const [peer, link] of bus.outboundLinks()) {
    if (peer.has(NodeFlag.HANDSHAKE)) continue;
    send(bus, link, {
      header: header(bus, MessageType.FAIL),
      failing: node.name,
    });
  }
}

/**
 * A PONG to every node we have a link to, at once rather than at the next
 * PING: after a slot changed hands by command, the others learn it now
 * (clusterBroadcastPong).
 */
export function broadcastPong(bus: ClusterBus): void {
  for (const [peer, link] of bus.outboundLinks()) {
    if (peer.has(NodeFlag.HANDSHAKE)) continue;
    sendPing(bus, link, MessageType.PONG);
  }
}

/** Tells a node that its claim on a slot is stale: `owner` has it, at a higher config epoch. */
export function sendUpdate(
  bus: ClusterBus,
  link: BusLink,
  owner: ClusterNode,
): void {
  send(bus, link, {
    header: header(bus, MessageType.UPDATE),
    update: {
      configEpoch: owner.configEpoch,
      node: owner.name,
      slots: owner.slots,
    },
  });
}
// #endregion send

/** A node as gossip describes it (times in seconds, as the bus carries them). */
function gossipAbout(node: ClusterNode): GossipEntry {
  return {
    name: node.name,
    pingSent: Math.floor(node.pingSent / 1000),
    pongReceived: Math.floor(node.pongReceived / 1000),
    ip: node.ip,
    port: node.port,
    busPort: node.busPort,
    flags: node.flags,
    plaintextPort: node.plaintextPort,
  };
}
