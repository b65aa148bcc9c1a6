/**
 * Article step 2: back-pressure. A client that sends faster than it reads
 * must not make the server hold the difference in memory.
 */
import { expect } from "vitest";
import { connect } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { itInProcess, useServer } from "../../../shared/harness.ts";

const server = useServer();
const MiB = 1024 * 1024;

itInProcess(
  "echoes 20 MB to a slow reader while holding well under 1 MB of replies",
  async () => {
    const payload = randomBytes(20 * MiB);
    const socket = connect({ port: server.port, host: server.host });

    // The reader: takes one chunk, then looks away for a millisecond. Much
    // slower than the writer below, so without back-pressure the server's
    // output buffer would grow towards the whole 20 MB.
    const received = createHash("sha256");
    let receivedBytes = 0;
    const allEchoed = new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("data", (chunk: Buffer) => {
        received.update(chunk);
        receivedBytes += chunk.length;
        if (receivedBytes === payload.length) return resolve();
        socket.pause();
        setTimeout(() => socket.resume(), 1);
      });
    });

    // The writer: as fast as our own socket accepts the bytes.
    for (let offset = 0; offset < payload.length; offset += 64 * 1024) {
      const more = socket.write(payload.subarray(offset, offset + 64 * 1024));
      if (!more) await new Promise((resolve) => socket.once("drain", resolve));
    }
    await allEchoed;
    socket.destroy();

    expect(received.digest("hex")).toBe(
      createHash("sha256").update(payload).digest("hex"),
    );
    const { peakOutputBufferBytes } = server.local.stats();
    console.info(
      `peak output buffer while echoing 20 MB: ${peakOutputBufferBytes} bytes`,
    );
    expect(peakOutputBufferBytes).toBeGreaterThan(0);
    expect(peakOutputBufferBytes).toBeLessThan(1 * MiB);
  },
);
