/**
 * The bus's message format (src/cluster/bus-message.ts): what we write
 * reads back the same, and what a real redis-server 7.0 writes reads as
 * what it meant. The second half captures a MEET from the binary itself:
 * a redis-server is told to MEET a port where this test listens. (Skipped
 * where redis-server is not installed; CI installs it.)
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { nodeForThisTest } from "../../../../shared/cluster-harness.ts";
import {
  decodeMessage,
  encodeMessage,
  GOSSIP_SIZE,
  HEADER_SIZE,
  MessageType,
  type BusMessage,
  type MessageHeader,
} from "../../src/cluster/bus-message.ts";
import { NodeFlag, randomNodeName } from "../../src/cluster/cluster-node.ts";
import { SLOT_COUNT } from "../../src/cluster/hash-slot.ts";

function header(type: number): MessageHeader {
  const slots = new Uint8Array(SLOT_COUNT / 8);
  slots[0] = 0b101; // slots 0 and 2
  slots[2047] = 0x80; // slot 16383
  return {
    type,
    currentEpoch: 7,
    configEpoch: 3,
    replicationOffset: 12345n,
    sender: randomNodeName(),
    slots,
    replicaOf: undefined,
    ip: "10.0.0.5",
    port: 7000,
    busPort: 17000,
    plaintextPort: 0,
    flags: NodeFlag.MASTER | NodeFlag.MYSELF,
    stateOk: true,
    messageFlags: 0,
  };
}

describe("encoding and decoding", () => {
  it("writes the 2256-byte header, with the signature and the total length", () => {
    const bytes = encodeMessage({ header: header(MessageType.PING) });
    expect(bytes.length).toBe(HEADER_SIZE);
    expect(bytes.toString("latin1", 0, 4)).toBe("RCmb");
    expect(bytes.readUInt32BE(4)).toBe(HEADER_SIZE);
    expect(bytes.readUInt16BE(8)).toBe(1);
  });

  it("reads back a PING with gossip and a hostname extension", () => {
    const message: BusMessage = {
      header: header(MessageType.PING),
      gossip: [
        {
          name: randomNodeName(),
          pingSent: 1_700_000_000,
          pongReceived: 1_700_000_001,
          ip: "127.0.0.1",
          port: 7001,
          busPort: 17001,
          flags: NodeFlag.MASTER | NodeFlag.PFAIL,
          plaintextPort: 0,
        },
      ],
      hostname: "node-a.example",
    };
    const bytes = encodeMessage(message);
    // Header, one gossip entry, one extension padded to 8 bytes.
    expect(bytes.length).toBe(HEADER_SIZE + GOSSIP_SIZE + 24);
    const decoded = decodeMessage(bytes);
    expect(decoded).toEqual({
      ...message,
      header: { ...message.header, messageFlags: 4 },
    });
  });

  it("reads back FAIL and UPDATE bodies", () => {
    const failing = randomNodeName();
    const fail = decodeMessage(
      encodeMessage({ header: header(MessageType.FAIL), failing }),
    );
    expect(fail).toMatchObject({ failing });
    const slots = new Uint8Array(SLOT_COUNT / 8).fill(0xff);
    const node = randomNodeName();
    const update = decodeMessage(
      encodeMessage({
        header: header(MessageType.UPDATE),
        update: { configEpoch: 9, node, slots },
      }),
    );
    expect(update).toMatchObject({ update: { configEpoch: 9, node, slots } });
  });

  it("refuses a message whose length disagrees with its gossip count", () => {
    const bytes = encodeMessage({ header: header(MessageType.PING) });
    bytes.writeUInt16BE(3, 14); // three gossip entries announced, none sent
    expect(decodeMessage(bytes)).toMatch(/gossip entries do not fit/);
  });

  it("refuses an extension whose length is not a multiple of 8", () => {
    const bytes = encodeMessage({
      header: header(MessageType.PONG),
      hostname: "a",
    });
    bytes.writeUInt32BE(12, HEADER_SIZE);
    expect(decodeMessage(bytes)).toMatch(/extension of 12 bytes/);
  });
});

const hasRedis =
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

describe.skipIf(!hasRedis)("a real redis-server's messages", () => {
  it("reads the MEET redis-server 7.0 sends as the MEET it is", async () => {
    // Where redis-server will send its MEET: a plain listener that keeps
    // the first whole message.
    let resolveReceived: (bytes: Buffer) => void = () => undefined;
    const received = new Promise<Buffer>(
      (resolve) => (resolveReceived = resolve),
    );
    const listener = createServer((socket) => {
      let bytes = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        bytes = Buffer.concat([bytes, chunk]);
        if (bytes.length >= 8 && bytes.length >= bytes.readUInt32BE(4)) {
          resolveReceived(bytes.subarray(0, bytes.readUInt32BE(4)));
          socket.destroy();
        }
      });
    });
    await new Promise<void>((resolve) =>
      listener.listen(0, "127.0.0.1", resolve),
    );
    onTestFinished(() => void listener.close());
    const listenerPort = (listener.address() as AddressInfo).port;

    // A real node, on a port whose bus port is free too (the harness's
    // rule), in a folder of its own; stopped when the test ends.
    const node = await nodeForThisTest({ kind: "redis" });
    const { port } = node;
    const client = await node.admin();
    const myId = String(await client.call("CLUSTER", "MYID"));
    await client.call("CLUSTER", "ADDSLOTS", "0", "16383");
    // Bus port given explicitly: the listener's port is not port + 10000.
    await client.call(
      "CLUSTER",
      "MEET",
      "127.0.0.1",
      "1",
      String(listenerPort),
    );

    const decoded = decodeMessage(await received);
    if (typeof decoded === "string") throw new Error(decoded);
    expect(decoded.header).toMatchObject({
      type: MessageType.MEET,
      sender: myId,
      port,
      busPort: port + 10_000,
      flags: NodeFlag.MASTER | NodeFlag.MYSELF,
      replicaOf: undefined,
    });
    // Its slots: 0 and 16383, bit 0 of byte 0 and bit 7 of byte 2047.
    expect(decoded.header.slots[0]).toBe(1);
    expect(decoded.header.slots[2047]).toBe(0x80);
    expect(decoded.gossip).toEqual([]);
  });
});
