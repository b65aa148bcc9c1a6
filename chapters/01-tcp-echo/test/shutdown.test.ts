/**
 * Article step 4: graceful shutdown. Stop accepting, let every client take
 * what it is owed, close, and exit 0, whether asked in-process or by a signal.
 */
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import {
  chapterMainPath,
  itInProcess,
  startChapterServer,
  waitUntil,
} from "../../../shared/harness.ts";
import { startServerProcess } from "../../../shared/child-server.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import { MORE_THAN_KERNEL_BUFFERS, floodWithoutReading } from "./flood.ts";

/** Resolves with the error code of a connection attempt that fails. */
function connectionError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

describe("in-process close()", () => {
  itInProcess(
    "delivers the echo a client is still owed, closes politely and refuses newcomers",
    async () => {
      // A deadline far away: the client reads, so it alone ends the shutdown.
      const server = await startChapterServer({ shutdownTimeout: 60 });
      const client = await RawSocket.connect(server.port);
      const idle = await RawSocket.connect(server.port);
      // The server is blocked on writing the echo back when shutdown starts.
      const payload = await floodWithoutReading(client, server);

      const closed = server.close();
      expect(await connectionError(server.port)).toBe("ECONNREFUSED");
      client.socket.resume();
      const echoed = await client.readUntilClosed(30_000);
      await closed;

      // What the server had read when the shutdown began comes back (exactly
      // how much is pinned by test/unit/connection.test.ts); whatever was
      // still in flight towards it is dropped, never mangled.
      expect(echoed.length).toBeGreaterThan(0);
      expect(echoed.equals(payload.subarray(0, echoed.length))).toBe(true);
      expect(client.state).toBe("closed by server");
      expect(idle.state).toBe("closed by server");
      expect(server.stats().connectedClients).toBe(0);
    },
  );

  itInProcess(
    "cuts off a client that never reads once shutdown-timeout has passed",
    async () => {
      const server = await startChapterServer({ shutdownTimeout: 1 });
      const client = await RawSocket.connect(server.port);
      await floodWithoutReading(client, server);

      const started = performance.now();
      await server.close();

      // It waited for the deadline (with a margin for timer granularity), and
      // then not for the client, which would have been forever.
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      expect(server.stats().connectedClients).toBe(0);
      client.close();
    },
  );
});

describe("signals", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "on %s the server closes its clients and exits 0",
    async (signal) => {
      const server = await startServerProcess(chapterMainPath(), [
        "--port",
        "0",
      ]);
      const client = await RawSocket.connect(server.port, server.host);
      await client.send("ping");
      expect((await client.read(4)).toString()).toBe("ping");

      server.child.kill(signal);

      await client.readUntilClosed();
      expect(client.state).toBe("closed by server");
      const exit = await server.exited;
      expect(exit).toMatchObject({ code: 0, signal: null, stderr: "" });
      expect(exit.stdout).toContain(`Received ${signal}`);
    },
  );

  it("a second signal while clients hold up the shutdown exits at once, with 1", async () => {
    const server = await startServerProcess(chapterMainPath(), ["--port", "0"]);
    const client = await RawSocket.connect(server.port, server.host);
    // A client that never reads, owed more echo than the kernel can buffer:
    // the shutdown would wait for it until shutdown-timeout (10 s).
    client.socket.pause();
    client.socket.write(randomBytes(MORE_THAN_KERNEL_BUFFERS));
    server.child.kill("SIGINT");
    await waitUntil(
      () => server.output().stdout.includes("Received SIGINT"),
      "the server starts shutting down",
    );

    server.child.kill("SIGINT");

    const exit = await server.exited;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toContain("Received SIGINT again: exiting now.");
    client.close();
  });
});
