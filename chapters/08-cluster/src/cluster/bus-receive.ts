/**
 * What a bus message means to this node (Redis's clusterProcessPacket):
 *
 * - every message from a known node updates its epochs, its role and, if
 *   it claims slots at a higher config epoch than their owner's, the slot
 *   table ("higher config epoch wins a slot");
 * - MEET from an unknown node starts a handshake with it; PING and MEET
 *   are answered with PONG; the first PONG of a node met under a random
 *   name gives it its real one;
 * - gossip spreads nodes, failure reports and pong times;
 * - FAIL marks a node as failed; UPDATE corrects a stale slot claim.
 */
import type { BusLink } from "./bus-link.ts";
import {
  decodeMessage,
  MessageType,
  TYPE_NAMES,
  type BusMessage,
  type MessageHeader,
} from "./bus-message.ts";
import type { ClusterBus } from "./cluster-bus.ts";
import { broadcastFail, sendPing } from "./bus-send.ts";
import {
  ClusterNode,
  isNodeName,
  NodeFlag,
  randomNodeName,
} from "./cluster-node.ts";
import type { ClusterState } from "./cluster-state.ts";
import {
  addFailureReport,
  clearFailureIfNeeded,
  countFailureReports,
  markFailed,
  markFailingIfNeeded,
  removeFailureReport,
} from "./failure-detection.ts";
import {
  claimSlots,
  handleEpochCollision,
  updateSlots,
} from "./slot-claims.ts";

// #region receive
export function receiveMessage(
  bus: ClusterBus,
  link: BusLink,
  bytes: Buffer,
): void {
  const message = decodeMessage(bytes);
  if (typeof message === "string") {
    // Redis too ignores a message it cannot read, and keeps the link.
    console.warn(`Ignoring a cluster bus message: ${message}.`);
    return;
  }
  const { state } = bus;
  const { header } = message;
  // What a message says about its sender ends up in nodes.conf, one line
  // per node, words parted by spaces: a name, address or hostname that
  // could break that line is refused here.
  const flaw = flawIn(message);
  if (flaw !== undefined) {
    console.warn(`Ignoring a cluster bus message: ${flaw}.`);
    return;
  }
  state.count("received", TYPE_NAMES[header.type] ?? "unknown");
  const now = state.now();
  let sender = state.nodes.get(header.sender);
  if (sender !== undefined) sender.dataReceived = now;
  if (sender !== undefined && !sender.has(NodeFlag.HANDSHAKE)) {
    updateEpochs(state, sender, header);
    // An inbound link is known by its sender from its first message on.
    if (link.inbound && link.node === undefined) link.node = sender;
  }

  const type = header.type;
  if (type === MessageType.PING || type === MessageType.MEET) {
    answerPing(bus, link, message, sender);
  }
  if (
    type === MessageType.PING ||
    type === MessageType.PONG ||
    type === MessageType.MEET
  ) {
    // The first PONG from a node met by address: it may have a name now.
    if (!link.inbound && link.node !== undefined) {
      const stillOn = checkOutboundPeer(bus, link, link.node, header, sender);
      if (!stillOn) return;
    }
    // A PONG on our link answers our PING, whoever the sender turned out to be.
    if (type === MessageType.PONG && !link.inbound && link.node !== undefined) {
      receivedPong(bus, link.node);
    }
    if (sender === undefined) return;
    updateRole(state, sender, header);
    updateSlots(bus, link, sender, header);
    handleEpochCollision(state, sender, header);
    processGossip(bus, sender, message);
    if (
      message.hostname !== undefined &&
      message.hostname !== sender.hostname
    ) {
      sender.hostname = message.hostname;
      state.changed({ save: true });
    }
    return;
  }
  if (type === MessageType.FAIL && sender !== undefined) {
    const failing = state.nodes.get(message.failing!);
    if (
      failing !== undefined &&
      !failing.has(NodeFlag.FAIL | NodeFlag.MYSELF)
    ) {
      console.log(
        `FAIL message received from ${sender.name} about ${failing.name}`,
      );
      markFailed(state, failing);
    }
    return;
  }
  if (type === MessageType.UPDATE && sender !== undefined) {
    const { configEpoch, node: name, slots } = message.update!;
    const node = state.nodes.get(name);
    if (node === undefined || node.configEpoch >= configEpoch) return;
    node.configEpoch = configEpoch;
    claimSlots(state, node, configEpoch, slots);
    state.changed({ save: true, fsync: true, updateState: true });
  }
  // PUBLISH, failover votes, MFSTART, MODULE: not in this chapter; ignored.
}
// #endregion receive

/** The sender's current epoch raises ours; its config epoch, its own record. */
function updateEpochs(
  state: ClusterState,
  sender: ClusterNode,
  header: MessageHeader,
): void {
  if (header.currentEpoch > state.currentEpoch) {
    state.currentEpoch = header.currentEpoch;
    state.changed({ save: true });
  }
  if (header.configEpoch > sender.configEpoch) {
    sender.configEpoch = header.configEpoch;
    state.changed({ save: true, fsync: true });
  }
}

// #region answer-ping
/**
 * PING and MEET get a PONG, always. A MEET also tells us our own address
 * (the one the peer reached us at) if no one has yet, and, from a node we
 * do not know, adds it in handshake: we will PING it, and its PONG will
 * tell us its name. Only MEET does this; a PING from a stranger could be
 * from another cluster.
 */
function answerPing(
  bus: ClusterBus,
  link: BusLink,
  message: BusMessage,
  sender: ClusterNode | undefined,
): void {
  const { state } = bus;
  const { header } = message;
  const { myself } = state;
  if (
    (header.type === MessageType.MEET || myself.ip === "") &&
    bus.config.clusterAnnounceIp === "" &&
    link.localAddress !== ""
  ) {
    const ip = plainAddress(link.localAddress);
    if (ip !== myself.ip) {
      myself.ip = ip;
      console.log(`IP address for this node updated to ${ip}`);
      state.changed({ save: true });
    }
  }
  if (sender === undefined && header.type === MessageType.MEET) {
    const node = new ClusterNode(
      randomNodeName(),
      NodeFlag.HANDSHAKE,
      state.now(),
    );
    node.ip = header.ip !== "" ? header.ip : plainAddress(link.remoteAddress);
    node.port = header.port;
    node.busPort = header.busPort;
    node.plaintextPort = header.plaintextPort;
    state.addNode(node);
    state.changed({ save: true });
    processGossip(bus, undefined, message);
  }
  sendPing(bus, link, MessageType.PONG);
}
// #endregion answer-ping

// #region handshake
/**
 * On a link we opened: is the node at the other end the one we meant?
 * A node in handshake learns its name here, or is dropped if that name
 * is already known (we met it twice). A known node that answers with
 * another name has changed: its address is forgotten (NOADDR).
 * False when the link is gone.
 */
function checkOutboundPeer(
  bus: ClusterBus,
  link: BusLink,
  node: ClusterNode,
  header: MessageHeader,
  sender: ClusterNode | undefined,
): boolean {
  const { state } = bus;
  if (node.has(NodeFlag.HANDSHAKE)) {
    if (header.type !== MessageType.PONG) return true;
    if (sender !== undefined) {
      // Already known under its real name: the handshake node was a duplicate.
      bus.dropNode(node);
      state.deleteNode(node);
      state.changed({ save: true });
      return false;
    }
    console.log(`Handshake with node ${header.sender} completed.`);
    state.renameNode(node, header.sender);
    node.flags &= ~NodeFlag.HANDSHAKE;
    node.flags |=
      header.replicaOf === undefined ? NodeFlag.MASTER : NodeFlag.REPLICA;
    state.changed({ save: true });
    return true;
  }
  if (node.name !== header.sender) {
    console.log(
      `PONG contains mismatching sender ID. About node ${node.name} added ${Math.round((state.now() - node.createdAt) / 1000)} s ago, answered by ${header.sender}`,
    );
    node.flags |= NodeFlag.NOADDR;
    node.ip = "";
    node.port = 0;
    node.busPort = 0;
    link.close("the node at this address has another name");
    state.changed({ save: true });
    return false;
  }
  return true;
}

/** A PONG on our link: the node is alive; a PFAIL is dropped, a FAIL perhaps forgiven. */
function receivedPong(bus: ClusterBus, node: ClusterNode): void {
  const { state } = bus;
  node.pongReceived = state.now();
  node.pingSent = 0;
  if (node.has(NodeFlag.PFAIL)) {
    node.flags &= ~NodeFlag.PFAIL;
    state.changed({ updateState: true });
  } else if (node.has(NodeFlag.FAIL)) {
    clearFailureIfNeeded(state, node, bus.nodeTimeout);
  }
}
// #endregion handshake

/** A node says whether it is a master or a replica, in every message. */
function updateRole(
  state: ClusterState,
  sender: ClusterNode,
  header: MessageHeader,
): void {
  const role =
    header.replicaOf === undefined ? NodeFlag.MASTER : NodeFlag.REPLICA;
  if (sender.has(role) && sender.replicaOf === header.replicaOf) return;
  sender.flags = (sender.flags & ~(NodeFlag.MASTER | NodeFlag.REPLICA)) | role;
  sender.replicaOf = header.replicaOf;
  state.changed({ save: true, updateState: true });
}

// #region gossip
/**
 * The gossip section: for each node it names, a master's opinion of its
 * health (a failure report, or the withdrawal of one), a fresher pong
 * time if we have no doubts of our own, a new address for a node we
 * cannot reach, and nodes we did not know, added under their real names.
 */
function processGossip(
  bus: ClusterBus,
  sender: ClusterNode | undefined,
  message: BusMessage,
): void {
  const { state } = bus;
  const now = state.now();
  for (const entry of message.gossip ?? []) {
    // A name that is not one would be written to nodes.conf, which could
    // then not be read back: such an entry is skipped.
    if (!isNodeName(entry.name) || !IP_TEXT.test(entry.ip)) continue;
    const node = state.nodes.get(entry.name);
    const reportsDown = (entry.flags & (NodeFlag.PFAIL | NodeFlag.FAIL)) !== 0;
    if (node === undefined) {
      if (
        sender !== undefined &&
        (entry.flags & NodeFlag.NOADDR) === 0 &&
        !bus.isForgotten(entry.name)
      ) {
        const learned = new ClusterNode(
          entry.name,
          entry.flags & ~NodeFlag.MYSELF,
          now,
        );
        learned.ip = entry.ip;
        learned.port = entry.port;
        learned.busPort = entry.busPort;
        learned.plaintextPort = entry.plaintextPort;
        state.addNode(learned);
        state.changed({ save: true });
      }
      continue;
    }
    if (sender !== undefined && sender.isMaster && node !== state.myself) {
      if (reportsDown) {
        addFailureReport(node, sender, now);
        if (markFailingIfNeeded(state, node, bus.nodeTimeout))
          broadcastFail(bus, node);
      } else {
        removeFailureReport(node, sender);
      }
    }
    if (
      !reportsDown &&
      node.pingSent === 0 &&
      countFailureReports(node, now, bus.nodeTimeout) === 0
    ) {
      const pong = entry.pongReceived * 1000;
      if (pong <= now + 500 && pong > node.pongReceived)
        node.pongReceived = pong;
    }
    if (
      node.looksDown &&
      !reportsDown &&
      (entry.flags & NodeFlag.NOADDR) === 0 &&
      (node.ip !== entry.ip ||
        node.port !== entry.port ||
        node.busPort !== entry.busPort)
    ) {
      bus.disconnect(node, "the node has a new address");
      node.ip = entry.ip;
      node.port = entry.port;
      node.busPort = entry.busPort;
      node.flags &= ~NodeFlag.NOADDR;
    }
  }
}
// #endregion gossip

/** An IPv4 or IPv6 address as text, or "". */
const IP_TEXT = /^[0-9a-fA-F:.]*$/;
/** Redis's rule for `cluster-announce-hostname`: letters, digits, `-` and `.`. */
const HOSTNAME_TEXT = /^[a-zA-Z0-9.-]{0,255}$/;

/** Why a message's own fields cannot be trusted, or undefined if they can. */
function flawIn({ header, hostname }: BusMessage): string | undefined {
  if (!isNodeName(header.sender)) return "its sender is not a node name";
  if (header.replicaOf !== undefined && !isNodeName(header.replicaOf)) {
    return "its sender's master is not a node name";
  }
  if (!IP_TEXT.test(header.ip))
    return "its sender's address is not an IP address";
  if (hostname !== undefined && !HOSTNAME_TEXT.test(hostname)) {
    return "its sender's hostname has characters a hostname cannot have";
  }
  return undefined;
}

/** `::ffff:127.0.0.1`, as Node reports an IPv4 peer on a dual-stack socket, is 127.0.0.1. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
