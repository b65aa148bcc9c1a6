/**
 * The bus port is open to anything that can reach it, so whatever arrives
 * there must leave the node standing: random bytes, real messages cut
 * short or with bytes changed at random, lengths that lie. After each
 * round the node must still answer a well-formed PING with a PONG, and
 * the nodes.conf it wrote must still load. A stream that is not the bus
 * (bad signature or length) must be closed by the node, not left open.
 *
 * Seeded, so a failure can be replayed: the seed is in the test's name.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  seededRandom,
  type SeededRandom,
} from "../../../../shared/seeded-random.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import {
  decodeMessage,
  encodeMessage,
  HEADER_SIZE,
  MessageType,
  type BusMessage,
} from "../../src/cluster/bus-message.ts";
import { NodeFlag, randomNodeName } from "../../src/cluster/cluster-node.ts";
import { ClusterState } from "../../src/cluster/cluster-state.ts";
import { loadNodesFile } from "../../src/cluster/nodes-file.ts";
import { DEFAULT_CONFIG } from "../../src/config/directives.ts";
import { EndOfTurn } from "../../src/dispatch/end-of-turn.ts";

const SEED = 20_261_206;
const TYPES = [
  MessageType.PING,
  MessageType.PONG,
  MessageType.MEET,
  MessageType.FAIL,
  MessageType.UPDATE,
];
const ROUNDS = 300;

/** A node of ours, bus only, in a folder of its own. */
async function startBusNode(): Promise<{ cluster: Cluster; busPort: number }> {
  const dir = mkdtempSync(join(tmpdir(), "bus-fuzz-"));
  const config = {
    ...DEFAULT_CONFIG,
    dir,
    clusterEnabled: true,
    clusterNodeTimeout: 60_000,
  };
  const cluster = new Cluster(config, new EndOfTurn());
  await cluster.start("127.0.0.1", 6379, true);
  onTestFinished(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { cluster, busPort: cluster.state.myself.busPort };
}

/** A well-formed PING from a node the target does not know, with some gossip. */
function ping(random: SeededRandom): BusMessage {
  const gossip = Array.from({ length: random.below(4) }, () => ({
    name: randomNodeName(),
    pingSent: random.below(2 ** 31),
    pongReceived: random.below(2 ** 31),
    ip: "127.0.0.1",
    port: 1 + random.below(65535),
    busPort: 1 + random.below(65535),
    flags: random.below(1024),
    plaintextPort: 0,
  }));
  return {
    header: {
      type: TYPES[random.below(TYPES.length)]!,
      currentEpoch: random.below(100),
      configEpoch: random.below(100),
      replicationOffset: 0n,
      sender: randomNodeName(),
      slots: Uint8Array.from({ length: 2048 }, () => random.below(256)),
      replicaOf: undefined,
      ip: "",
      port: 1 + random.below(65535),
      busPort: 1 + random.below(65535),
      plaintextPort: 0,
      flags: NodeFlag.MASTER,
      stateOk: true,
      messageFlags: 0,
    },
    gossip,
    hostname: random.below(2) === 0 ? "" : "fuzz-host",
    failing: randomNodeName(),
    update: {
      configEpoch: random.below(100),
      node: randomNodeName(),
      slots: new Uint8Array(2048),
    },
  };
}

/** Bytes to throw at the bus: random, cut short, or a real message with bytes changed. */
function garbage(random: SeededRandom): Buffer {
  const valid = encodeMessage(ping(random));
  switch (random.below(4)) {
    case 0:
      return random.bytes(random.below(5000));
    case 1:
      return valid.subarray(0, random.below(valid.length));
    case 2: {
      const changed = Buffer.from(valid);
      for (let i = random.below(20); i >= 0; i--)
        changed[random.below(changed.length)] = random.below(256);
      return changed;
    }
    default: {
      // A length that lies: more than is sent, or less than a header.
      const lying = Buffer.from(valid);
      lying.writeUInt32BE(
        random.below(2) === 0
          ? valid.length + 1 + random.below(1000)
          : random.below(HEADER_SIZE),
        4,
      );
      return lying;
    }
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Sends a well-formed MEET and resolves with the node's answer, decoded. */
async function answerToMeet(port: number): Promise<BusMessage> {
  const socket = await open(port);
  const message = ping(seededRandom(1));
  message.header.type = MessageType.MEET;
  socket.write(encodeMessage(message));
  let bytes = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("no PONG within 5 s")),
      5000,
    );
    socket.on("data", (chunk) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (bytes.length >= 8 && bytes.length >= bytes.readUInt32BE(4)) {
        clearTimeout(timer);
        socket.destroy();
        const decoded = decodeMessage(bytes.subarray(0, bytes.readUInt32BE(4)));
        if (typeof decoded === "string") reject(new Error(decoded));
        else resolve(decoded);
      }
    });
  });
}

describe("the bus under garbage", () => {
  it(`stays up and keeps answering (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    const { cluster, busPort } = await startBusNode();
    const random = seededRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const socket = await open(busPort);
      socket.on("error", () => undefined);
      // Answers (a PONG to a MEET that got through) are read and dropped:
      // unread, they would hold the socket open.
      socket.resume();
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.end(garbage(random));
      // The node closes its end too, now or once it sees ours closed.
      await closed;
    }
    const answer = await answerToMeet(busPort);
    expect(answer.header.type).toBe(MessageType.PONG);
    expect(answer.header.sender).toBe(cluster.state.myself.name);
    // Whatever it learned, it can write down and read back.
    cluster.save();
    const reloaded = new ClusterState(
      () => Date.now(),
      () => undefined,
    );
    expect(loadNodesFile(cluster.nodesFilePath, reloaded)).toBe(true);
    expect(reloaded.myself.name).toBe(cluster.state.myself.name);
  });

  it("closes a link whose first bytes are not the bus's", async () => {
    const { busPort } = await startBusNode();
    const socket = await open(busPort);
    const closed = new Promise<void>((resolve) =>
      socket.once("close", () => resolve()),
    );
    socket.on("error", () => undefined);
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it("keeps a link whose message is well framed but unreadable, and answers on it", async () => {
    const { cluster, busPort } = await startBusNode();
    const socket = await open(busPort);
    socket.on("error", () => undefined);
    const unreadable = encodeMessage(ping(seededRandom(2)));
    unreadable.writeUInt16BE(9, 8); // protocol version 9
    const meet = ping(seededRandom(3));
    meet.header.type = MessageType.MEET;
    socket.write(Buffer.concat([unreadable, encodeMessage(meet)]));
    const pong = await new Promise<Buffer>((resolve) => {
      let bytes = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        bytes = Buffer.concat([bytes, chunk]);
        if (
          bytes.length >= HEADER_SIZE &&
          bytes.length >= bytes.readUInt32BE(4)
        )
          resolve(bytes);
      });
    });
    socket.destroy();
    const decoded = decodeMessage(pong.subarray(0, pong.readUInt32BE(4)));
    expect(decoded).toMatchObject({
      header: { type: MessageType.PONG, sender: cluster.state.myself.name },
    });
  });
});
