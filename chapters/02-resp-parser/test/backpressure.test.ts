/**
 * Back-pressure, now with commands: a client that pipelines requests faster
 * than it reads the replies must not make the server hold the difference in
 * memory. (Chapter 01 showed it with echo; a pipeline is the same pressure.)
 */
import { expect } from "vitest";
import { connect } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { itInProcess, useServer } from "../../../shared/harness.ts";
import { bulkReply, encodeCommand } from "./resp-helpers.ts";

const server = useServer();
const MiB = 1024 * 1024;

itInProcess(
  "answers 20 MB of pipelined ECHOs to a slow reader while holding well under 1 MB of replies",
  async () => {
    // 20,480 commands of 1 KiB each, and the replies we expect, in order.
    const payloads = Array.from({ length: 20 * 1024 }, () => randomBytes(1024));
    const requests = Buffer.concat(
      payloads.map((p) => encodeCommand("ECHO", p)),
    );
    const expected = createHash("sha256")
      .update(Buffer.concat(payloads.map(bulkReply)))
      .digest("hex");
    const expectedBytes = payloads.reduce((n, p) => n + bulkReply(p).length, 0);

    const socket = connect({ port: server.port, host: server.host });
    // The reader: takes one chunk, then looks away for a millisecond. Much
    // slower than the writer below, so without back-pressure the server's
    // output buffer would grow towards the whole 20 MB.
    const received = createHash("sha256");
    let receivedBytes = 0;
    const allAnswered = new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("data", (chunk: Buffer) => {
        received.update(chunk);
        receivedBytes += chunk.length;
        if (receivedBytes === expectedBytes) return resolve();
        socket.pause();
        setTimeout(() => socket.resume(), 1);
      });
    });

    // The writer: as fast as our own socket accepts the bytes.
    for (let offset = 0; offset < requests.length; offset += 64 * 1024) {
      const more = socket.write(requests.subarray(offset, offset + 64 * 1024));
      if (!more) await new Promise((resolve) => socket.once("drain", resolve));
    }
    await allAnswered;
    socket.destroy();

    expect(received.digest("hex")).toBe(expected);
    const { peakOutputBufferBytes } = server.local.stats();
    console.info(
      `peak output buffer while answering 20 MB of ECHOs: ${peakOutputBufferBytes} bytes`,
    );
    expect(peakOutputBufferBytes).toBeGreaterThan(0);
    expect(peakOutputBufferBytes).toBeLessThan(1 * MiB);
  },
);
