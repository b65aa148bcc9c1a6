/**
 * One node of the cluster as this node sees it: its name, its address,
 * its flags, the slots it serves, and what the bus has heard from it and
 * about it. This node is one of them too (flag MYSELF).
 */
import { randomBytes } from "node:crypto";
import { SLOT_COUNT } from "./hash-slot.ts";

// #region node-flags
/**
 * Redis's node flags, with their values on the bus: a node sends its own
 * in every message header, and the flags of the nodes it gossips about.
 */
export const NodeFlag = {
  /** Serves slots (or could). */
  MASTER: 1,
  /** Copies a master (replication: not in this chapter, but gossiped). */
  REPLICA: 2,
  /** "Possibly failing": it did not answer a PING within the node timeout. */
  PFAIL: 4,
  /** Failing: a majority of masters agreed it is unreachable. */
  FAIL: 8,
  /** This node. */
  MYSELF: 16,
  /** Met, but its name is not known yet: the first PONG tells it. */
  HANDSHAKE: 32,
  /** Its address is not known yet. */
  NOADDR: 64,
  /** Send it MEET rather than PING: it is to add us to its cluster. */
  MEET: 128,
  /** Replicas migrate to it (replica migration: not in this chapter). */
  MIGRATE_TO: 256,
  /** Its replicas never take over (cluster-replica-no-failover). */
  NOFAILOVER: 512,
} as const;
// #endregion node-flags

/** How CLUSTER NODES and nodes.conf spell the flags, in Redis's order. */
const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [NodeFlag.MYSELF, "myself"],
  [NodeFlag.MASTER, "master"],
  [NodeFlag.REPLICA, "slave"],
  [NodeFlag.PFAIL, "fail?"],
  [NodeFlag.FAIL, "fail"],
  [NodeFlag.HANDSHAKE, "handshake"],
  [NodeFlag.NOADDR, "noaddr"],
  [NodeFlag.NOFAILOVER, "nofailover"],
];

/** Node names are 40 hexadecimal digits, like a SHA-1: Redis's CLUSTER_NAMELEN. */
export const NODE_NAME_LENGTH = 40;

/** A fresh random node name. */
export function randomNodeName(): string {
  return randomBytes(NODE_NAME_LENGTH / 2).toString("hex");
}

/** Whether a string can be a node name: 40 lowercase hex digits. */
export function isNodeName(text: string): boolean {
  return /^[0-9a-f]{40}$/.test(text);
}

// #region cluster-node
export class ClusterNode {
  name: string;
  flags: number;
  /** The address clients and the bus reach it at; "" until known. */
  ip = "";
  /** Its client port, and its bus port. */
  port = 0;
  busPort = 0;
  /** Its plaintext port when `port` is TLS (never here); 0 otherwise. */
  plaintextPort = 0;
  /** The name it announces (`cluster-announce-hostname`); often empty. */
  hostname = "";
  /**
   * The epoch of its slot configuration: when two nodes claim a slot, the
   * higher config epoch wins. 0 until it is given one.
   */
  configEpoch = 0;
  /** The master it copies, by name, if it is a replica. */
  replicaOf: string | undefined = undefined;
  /** One bit per slot it serves, in the bus's own layout (slot 0 is bit 0 of byte 0). */
  readonly slots = new Uint8Array(SLOT_COUNT / 8);
  slotCount = 0;
  /** When this node learned of it, in ms: a node still in handshake too long is dropped. */
  readonly createdAt: number;
  /** When we sent the PING still unanswered, or 0 if none is. */
  pingSent = 0;
  /** When its last PONG arrived, or 0. */
  pongReceived = 0;
  /** When anything last arrived from it, or 0. */
  dataReceived = 0;
  /** When it was marked FAIL, or 0. */
  failTime = 0;
  /** Its replication offset, as its messages say. */
  replicationOffset = 0n;
  /**
   * Which masters told us it looks down (PFAIL or FAIL in their gossip),
   * and when they last said so: a majority of fresh reports makes it FAIL.
   */
  readonly failureReports = new Map<string, number>();

  constructor(name: string, flags: number, now: number) {
    this.name = name;
    this.flags = flags;
    this.createdAt = now;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  get isMaster(): boolean {
    return this.has(NodeFlag.MASTER);
  }

  /** PFAIL or FAIL: not to be counted on. */
  get looksDown(): boolean {
    return this.has(NodeFlag.PFAIL | NodeFlag.FAIL);
  }

  ownsSlot(slot: number): boolean {
    return (this.slots[slot >> 3]! & (1 << (slot & 7))) !== 0;
  }

  /** Marks a slot as its own; true if it was not. (ClusterState keeps the slot table in step.) */
  setSlotBit(slot: number): boolean {
    if (this.ownsSlot(slot)) return false;
    this.slots[slot >> 3]! |= 1 << (slot & 7);
    this.slotCount += 1;
    return true;
  }

  clearSlotBit(slot: number): boolean {
    if (!this.ownsSlot(slot)) return false;
    this.slots[slot >> 3]! &= ~(1 << (slot & 7));
    this.slotCount -= 1;
    return true;
  }

  /** Its flags as CLUSTER NODES writes them: `myself,master`, `fail?`, `noflags`. */
  flagNames(): string {
    const names = FLAG_NAMES.filter(([flag]) => this.has(flag)).map(
      ([, name]) => name,
    );
    return names.length === 0 ? "noflags" : names.join(",");
  }

  /** Its slots as runs of consecutive slots: `[[0, 5460], [6000, 6000]]`. */
  slotRanges(): [number, number][] {
    const ranges: [number, number][] = [];
    let start = -1;
    for (let slot = 0; slot <= SLOT_COUNT; slot++) {
      const owned = slot < SLOT_COUNT && this.ownsSlot(slot);
      if (owned && start === -1) start = slot;
      if (!owned && start !== -1) {
        ranges.push([start, slot - 1]);
        start = -1;
      }
    }
    return ranges;
  }
}
// #endregion cluster-node

/** Reads CLUSTER NODES's flag words back: for nodes.conf. Unknown words are ignored, as Redis does. */
export function parseFlagNames(text: string): number {
  let flags = 0;
  for (const word of text.split(",")) {
    const found = FLAG_NAMES.find(([, name]) => name === word);
    if (found !== undefined) flags |= found[0];
  }
  return flags;
}
