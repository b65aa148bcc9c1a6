/**
 * The cluster bus's messages, byte for byte as Redis 7.0 writes them
 * (cluster.h's clusterMsg), so that a real redis-server and our nodes
 * understand each other. Every message is a fixed 2256-byte header, then
 * a body that depends on its type. Integers are big-endian ("network
 * order"); names are 40 ASCII hex digits; strings are NUL-padded.
 *
 *   offset  size  field
 *        0     4  "RCmb"                signature
 *        4     4  total length          header + body, in bytes
 *        8     2  version               1
 *       10     2  port                  the sender's client port
 *       12     2  type                  PING, PONG, MEET, FAIL, ...
 *       14     2  count                 gossip entries in the body
 *       16     8  current epoch         the sender's
 *       24     8  config epoch          of the sender's slots
 *       32     8  replication offset
 *       40    40  sender                its node name
 *       80  2048  slots                 one bit per slot it serves
 *     2128    40  replica of            its master's name, or zeros
 *     2168    46  ip                    the sender's, or zeros ("as seen")
 *     2214     2  extensions            how many follow the gossip
 *     2216    30  (unused)
 *     2246     2  plaintext port        (TLS only)
 *     2248     2  bus port
 *     2250     2  flags                 the sender's node flags
 *     2252     1  cluster state         0 ok, 1 fail, as the sender sees it
 *     2253     3  message flags
 *     2256     …  body
 */
import { SLOT_COUNT } from "./hash-slot.ts";
import { NODE_NAME_LENGTH } from "./cluster-node.ts";

// #region message-types
/** The message types of Redis 7.0's bus, with their numbers. */
export const MessageType = {
  PING: 0,
  PONG: 1,
  MEET: 2,
  FAIL: 3,
  PUBLISH: 4,
  FAILOVER_AUTH_REQUEST: 5,
  FAILOVER_AUTH_ACK: 6,
  UPDATE: 7,
  MFSTART: 8,
  MODULE: 9,
  PUBLISHSHARD: 10,
} as const;
// #endregion message-types

/** A type's name as CLUSTER INFO counts it (`cluster_stats_messages_ping_sent`). */
export const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "ping",
  1: "pong",
  2: "meet",
  3: "fail",
  4: "publish",
  5: "auth-req",
  6: "auth-ack",
  7: "update",
  8: "mfstart",
  9: "module",
  10: "publishshard",
};

export const SIGNATURE = "RCmb";
export const PROTOCOL_VERSION = 1;
/** The header's size, and so the smallest message (CLUSTERMSG_MIN_LEN). */
export const HEADER_SIZE = 2256;
/** One gossip entry's size (clusterMsgDataGossip). */
export const GOSSIP_SIZE = 104;
/**
 * The largest message we accept. Redis sets no limit; we must, or a peer
 * could make a link buffer gigabytes. The largest message our nodes meet,
 * a PING gossiping about every node of a big cluster, is far below it.
 */
export const MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

/** Message flag (first byte): the body carries ping extensions. */
export const MFLAG0_EXT_DATA = 4;
/** Extension type: the sender's hostname. */
const EXT_HOSTNAME = 0;
/** The room for an IP address: INET6_ADDRSTRLEN. */
const IP_LENGTH = 46;
const SLOT_BYTES = SLOT_COUNT / 8;

// #region header
/** What every message carries about its sender. */
export interface MessageHeader {
  type: number;
  currentEpoch: number;
  configEpoch: number;
  replicationOffset: bigint;
  sender: string;
  slots: Uint8Array;
  /** Its master's name, undefined for a master. */
  replicaOf: string | undefined;
  /** Its IP, or "" if it leaves it to the receiver to see. */
  ip: string;
  port: number;
  busPort: number;
  plaintextPort: number;
  flags: number;
  /** The cluster's state as the sender sees it. */
  stateOk: boolean;
  /** The message flags' first byte (PAUSED 1, FORCEACK 2, EXT_DATA 4). */
  messageFlags: number;
}
// #endregion header

/** One node as a PING, PONG or MEET gossips about it. */
export interface GossipEntry {
  name: string;
  /** When the sender last pinged it, and heard its pong: in seconds. */
  pingSent: number;
  pongReceived: number;
  ip: string;
  port: number;
  busPort: number;
  flags: number;
  plaintextPort: number;
}

/** A whole message: the header, and the body its type has. */
export interface BusMessage {
  header: MessageHeader;
  /** PING, PONG, MEET: other nodes the sender knows. */
  gossip?: GossipEntry[];
  /** PING, PONG, MEET: the sender's hostname, when it announces one. */
  hostname?: string;
  /** FAIL: the node that failed. */
  failing?: string;
  /** UPDATE: a node's slots, at a config epoch. */
  update?: { configEpoch: number; node: string; slots: Uint8Array };
}

// #region encode
/** Writes a message as Redis's bus carries it. */
export function encodeMessage(message: BusMessage): Buffer {
  const { header } = message;
  // The body is the type's: gossip and extensions for PING, PONG and MEET,
  // a node name for FAIL, a slot claim for UPDATE, nothing for the rest.
  const isPing =
    header.type === MessageType.PING ||
    header.type === MessageType.PONG ||
    header.type === MessageType.MEET;
  const failing =
    header.type === MessageType.FAIL ? message.failing : undefined;
  const update =
    header.type === MessageType.UPDATE ? message.update : undefined;
  const gossip = isPing ? (message.gossip ?? []) : [];
  const extensions =
    isPing && message.hostname !== undefined && message.hostname !== ""
      ? [hostnameExtension(message.hostname)]
      : [];
  const bodySize =
    (failing === undefined ? 0 : NODE_NAME_LENGTH) +
    (update === undefined ? 0 : 8 + NODE_NAME_LENGTH + SLOT_BYTES) +
    gossip.length * GOSSIP_SIZE +
    extensions.reduce((sum, extension) => sum + extension.length, 0);
  const bytes = Buffer.alloc(HEADER_SIZE + bodySize);
  bytes.write(SIGNATURE, 0, "latin1");
  bytes.writeUInt32BE(bytes.length, 4);
  bytes.writeUInt16BE(PROTOCOL_VERSION, 8);
  bytes.writeUInt16BE(header.port, 10);
  bytes.writeUInt16BE(header.type, 12);
  bytes.writeUInt16BE(gossip.length, 14);
  bytes.writeBigUInt64BE(BigInt(header.currentEpoch), 16);
  bytes.writeBigUInt64BE(BigInt(header.configEpoch), 24);
  bytes.writeBigUInt64BE(header.replicationOffset, 32);
  bytes.write(header.sender, 40, NODE_NAME_LENGTH, "latin1");
  bytes.set(header.slots, 80);
  if (header.replicaOf !== undefined) {
    bytes.write(header.replicaOf, 2128, NODE_NAME_LENGTH, "latin1");
  }
  bytes.write(header.ip, 2168, IP_LENGTH - 1, "latin1");
  bytes.writeUInt16BE(extensions.length, 2214);
  bytes.writeUInt16BE(header.plaintextPort, 2246);
  bytes.writeUInt16BE(header.busPort, 2248);
  bytes.writeUInt16BE(header.flags, 2250);
  bytes[2252] = header.stateOk ? 0 : 1;
  bytes[2253] =
    header.messageFlags | (extensions.length > 0 ? MFLAG0_EXT_DATA : 0);

  let offset = HEADER_SIZE;
  if (failing !== undefined) {
    bytes.write(failing, offset, NODE_NAME_LENGTH, "latin1");
  }
  if (update !== undefined) {
    bytes.writeBigUInt64BE(BigInt(update.configEpoch), offset);
    bytes.write(update.node, offset + 8, NODE_NAME_LENGTH, "latin1");
    bytes.set(update.slots, offset + 8 + NODE_NAME_LENGTH);
  }
  for (const entry of gossip) {
    bytes.write(entry.name, offset, NODE_NAME_LENGTH, "latin1");
    bytes.writeUInt32BE(entry.pingSent, offset + 40);
    bytes.writeUInt32BE(entry.pongReceived, offset + 44);
    bytes.write(entry.ip, offset + 48, IP_LENGTH - 1, "latin1");
    bytes.writeUInt16BE(entry.port, offset + 94);
    bytes.writeUInt16BE(entry.busPort, offset + 96);
    bytes.writeUInt16BE(entry.flags, offset + 98);
    bytes.writeUInt16BE(entry.plaintextPort, offset + 100);
    offset += GOSSIP_SIZE;
  }
  for (const extension of extensions) {
    bytes.set(extension, offset);
    offset += extension.length;
  }
  return bytes;
}

/**
 * A ping extension: its length (a multiple of 8), its type, two unused
 * bytes, then the data, NUL-terminated and padded.
 */
function hostnameExtension(hostname: string): Buffer {
  const data = Buffer.from(hostname + "\0", "latin1");
  const length = Math.ceil((8 + data.length) / 8) * 8;
  const extension = Buffer.alloc(length);
  extension.writeUInt32BE(length, 0);
  extension.writeUInt16BE(EXT_HOSTNAME, 4);
  data.copy(extension, 8);
  return extension;
}
// #endregion encode

// #region decode
/**
 * Reads a whole message (`bytes` is exactly `total length` long, the link
 * saw to that), or says why it is not one. Redis ignores such a message
 * and keeps the link (clusterIsValidPacket); so does the bus. Types we do
 * not act on (failover votes, pub/sub, modules) come back with only their
 * header, once their length has been checked like the others'.
 */
export function decodeMessage(bytes: Buffer): BusMessage | string {
  if (bytes.length < HEADER_SIZE)
    return `message of ${bytes.length} bytes is shorter than a header`;
  if (bytes.toString("latin1", 0, 4) !== SIGNATURE) return "bad signature";
  const version = bytes.readUInt16BE(8);
  if (version !== PROTOCOL_VERSION)
    return `unknown protocol version ${version}`;
  const header = readHeader(bytes);
  const count = bytes.readUInt16BE(14);
  const body = bytes.subarray(HEADER_SIZE);
  const message: BusMessage = { header };
  switch (header.type) {
    case MessageType.PING:
    case MessageType.PONG:
    case MessageType.MEET: {
      const gossipBytes = count * GOSSIP_SIZE;
      if (body.length < gossipBytes)
        return `${count} gossip entries do not fit in ${body.length} bytes`;
      message.gossip = [];
      for (let i = 0; i < count; i++) {
        message.gossip.push(readGossip(body, i * GOSSIP_SIZE));
      }
      const extensions = readExtensions(
        body.subarray(gossipBytes),
        (header.messageFlags & MFLAG0_EXT_DATA) !== 0
          ? bytes.readUInt16BE(2214)
          : 0,
      );
      if (typeof extensions === "string") return extensions;
      if (extensions.hostname !== undefined)
        message.hostname = extensions.hostname;
      return message;
    }
    case MessageType.FAIL:
      if (body.length !== NODE_NAME_LENGTH)
        return `FAIL body of ${body.length} bytes`;
      message.failing = body.toString("latin1", 0, NODE_NAME_LENGTH);
      return message;
    case MessageType.UPDATE:
      if (body.length !== 8 + NODE_NAME_LENGTH + SLOT_BYTES)
        return `UPDATE body of ${body.length} bytes`;
      message.update = {
        configEpoch: Number(body.readBigUInt64BE(0)),
        node: body.toString("latin1", 8, 8 + NODE_NAME_LENGTH),
        slots: Uint8Array.from(body.subarray(8 + NODE_NAME_LENGTH)),
      };
      return message;
    case MessageType.PUBLISH:
    case MessageType.PUBLISHSHARD: {
      // channel length, message length, then both.
      if (body.length < 8) return "PUBLISH body too short";
      const expected = 8 + body.readUInt32BE(0) + body.readUInt32BE(4);
      return body.length === expected
        ? message
        : `PUBLISH body of ${body.length} bytes, expected ${expected}`;
    }
    case MessageType.MODULE: {
      // module id, length, type, then the data.
      if (body.length < 13) return "MODULE body too short";
      const expected = 13 + body.readUInt32BE(8);
      return body.length === expected
        ? message
        : `MODULE body of ${body.length} bytes, expected ${expected}`;
    }
    case MessageType.FAILOVER_AUTH_REQUEST:
    case MessageType.FAILOVER_AUTH_ACK:
    case MessageType.MFSTART:
      return body.length === 0
        ? message
        : `type ${header.type} with a body of ${body.length} bytes`;
    default:
      // A newer node's message: its length was checked by the link. Redis
      // ignores it as well.
      return message;
  }
}

function readHeader(bytes: Buffer): MessageHeader {
  const replicaOf = bytes.subarray(2128, 2128 + NODE_NAME_LENGTH);
  return {
    type: bytes.readUInt16BE(12),
    port: bytes.readUInt16BE(10),
    currentEpoch: Number(bytes.readBigUInt64BE(16)),
    configEpoch: Number(bytes.readBigUInt64BE(24)),
    replicationOffset: bytes.readBigUInt64BE(32),
    sender: bytes.toString("latin1", 40, 40 + NODE_NAME_LENGTH),
    slots: Uint8Array.from(bytes.subarray(80, 80 + SLOT_BYTES)),
    replicaOf: replicaOf.every((byte) => byte === 0)
      ? undefined
      : replicaOf.toString("latin1"),
    ip: cString(bytes, 2168, IP_LENGTH),
    plaintextPort: bytes.readUInt16BE(2246),
    busPort: bytes.readUInt16BE(2248),
    flags: bytes.readUInt16BE(2250),
    stateOk: bytes[2252] === 0,
    messageFlags: bytes[2253]!,
  };
}

function readGossip(body: Buffer, offset: number): GossipEntry {
  return {
    name: body.toString("latin1", offset, offset + NODE_NAME_LENGTH),
    pingSent: body.readUInt32BE(offset + 40),
    pongReceived: body.readUInt32BE(offset + 44),
    ip: cString(body, offset + 48, IP_LENGTH),
    port: body.readUInt16BE(offset + 94),
    busPort: body.readUInt16BE(offset + 96),
    flags: body.readUInt16BE(offset + 98),
    plaintextPort: body.readUInt16BE(offset + 100),
  };
}

/**
 * The extensions after the gossip: each must be a multiple of 8 bytes
 * and fit, and together they must fill the body exactly. Only the
 * hostname is read; the others (forgotten nodes, shard ids in later
 * versions) are skipped.
 */
function readExtensions(
  bytes: Buffer,
  count: number,
): { hostname?: string } | string {
  const found: { hostname?: string } = {};
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (bytes.length - offset < 8) return "extension header cut short";
    const length = bytes.readUInt32BE(offset);
    if (length < 8 || length % 8 !== 0 || length > bytes.length - offset) {
      return `extension of ${length} bytes`;
    }
    if (bytes.readUInt16BE(offset + 4) === EXT_HOSTNAME) {
      found.hostname = cString(bytes, offset + 8, length - 8);
    }
    offset += length;
  }
  if (offset !== bytes.length)
    return `${bytes.length - offset} bytes after the last extension`;
  return found;
}

/** A NUL-terminated string in a fixed field. */
function cString(bytes: Buffer, offset: number, size: number): string {
  const end = bytes.indexOf(0, offset);
  return bytes.toString(
    "latin1",
    offset,
    end === -1 || end > offset + size ? offset + size : end,
  );
}
// #endregion decode
