/**
 * Unit tests for connection.ts, through `serve()` with handlers written for
 * the test: what a handler may do (send after close, throw) and exactly what
 * reaches the client when a connection is closed.
 */
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { DEFAULT_CONFIG } from "../../src/config/directives.ts";
import type { HandlerFactory } from "../../src/network/connection.ts";
import { serve } from "../../src/network/tcp-server.ts";
import { RawSocket } from "../../../../shared/raw-socket.ts";
import {
  MORE_THAN_KERNEL_BUFFERS,
  sendWithoutReading,
} from "../resp-helpers.ts";

async function serveForTest(
  createHandler: HandlerFactory,
  shutdownTimeout = 60,
) {
  const server = await serve(
    { ...DEFAULT_CONFIG, port: 0, shutdownTimeout },
    createHandler,
  );
  onTestFinished(() => server.close());
  return server;
}

/** Longer than connection.ts's LINGER_MS. */
const LONGER_THAN_LINGER_MS = 2_000;

describe("Client.close()", () => {
  it("delivers every byte sent before it, even to a client that waits before reading", async () => {
    let bytesSent = 0;
    const server = await serveForTest((client) => ({
      receive(data) {
        bytesSent += data.length;
        client.send(data);
      },
      drained() {},
      closed() {},
    }));
    const client = await RawSocket.connect(server.port);
    const payload = randomBytes(MORE_THAN_KERNEL_BUFFERS);
    await sendWithoutReading(client, server, payload);

    const closed = server.close();
    // The client reads nothing for a while: closing must wait for our queue
    // to drain, however long that takes (up to shutdown-timeout), and only
    // then start the short linger.
    await new Promise((resolve) => setTimeout(resolve, LONGER_THAN_LINGER_MS));
    client.socket.resume();
    const echoed = await client.readUntilClosed(30_000);
    await closed;

    expect(echoed.length).toBe(bytesSent);
    expect(echoed.equals(payload.subarray(0, bytesSent))).toBe(true);
    expect(client.state).toBe("closed by server");
  });

  it("drops what a handler sends after closing, and delivers all it sent before", async () => {
    // Large enough that most of it is still queued when close() is called.
    const lastWords = randomBytes(8 * 1024 * 1024);
    const server = await serveForTest((client) => ({
      receive() {
        client.send(lastWords);
        client.close();
        client.send(Buffer.from("one word too many"));
      },
      drained() {},
      closed() {},
    }));
    const client = await RawSocket.connect(server.port);

    await client.send("bye");

    const received = await client.readUntilClosed(30_000);
    expect(received.equals(lastWords)).toBe(true);
    expect(client.state).toBe("closed by server");
  });
});

describe("a handler that throws", () => {
  it("costs its own connection only", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const server = await serveForTest((client) => ({
      receive(data) {
        if (data.toString() === "crash") throw new Error("a bug in a handler");
        client.send(data);
      },
      drained() {},
      closed() {},
    }));
    const victim = await RawSocket.connect(server.port);
    const bystander = await RawSocket.connect(server.port);

    await victim.send("crash");
    await victim.readUntilClosed();
    await bystander.send("fine");

    expect((await bystander.read(4)).toString()).toBe("fine");
    expect(logged).toHaveBeenCalledOnce();
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/after a handler error/);
    bystander.close();
  });
});
