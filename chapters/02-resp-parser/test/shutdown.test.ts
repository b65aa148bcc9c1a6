/**
 * Graceful shutdown, carried over from chapter 01 with commands instead of
 * echo. Stop accepting, let every client take the replies it is owed, close,
 * and exit 0, whether asked in-process or by a signal. These tests start our
 * own server, so they are skipped when REDIS_URL points elsewhere.
 */
import { describe, expect } from "vitest";
import { connect } from "node:net";
import {
  chapterMainPath,
  itInProcess,
  startChapterServer,
  waitUntil,
} from "../../../shared/harness.ts";
import { startServerProcess } from "../../../shared/child-server.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import {
  echoTooBigForKernelBuffers,
  sendWithoutReading,
} from "./resp-helpers.ts";

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
    "delivers the reply a client is still owed, closes politely and refuses newcomers",
    async () => {
      // A deadline far away: the client reads, so it alone ends the shutdown.
      const server = await startChapterServer({ shutdownTimeout: 60 });
      const client = await RawSocket.connect(server.port);
      const idle = await RawSocket.connect(server.port);
      // The server is blocked on writing a 32 MB reply when shutdown starts.
      const { request, reply } = echoTooBigForKernelBuffers();
      await sendWithoutReading(client, server, request);

      const closed = server.close();
      expect(await connectionError(server.port)).toBe("ECONNREFUSED");
      client.socket.resume();
      const received = await client.readUntilClosed(30_000);
      await closed;

      // The whole reply arrives: it was computed before the shutdown began.
      expect(received.equals(reply)).toBe(true);
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
      await sendWithoutReading(
        client,
        server,
        echoTooBigForKernelBuffers().request,
      );

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
  itInProcess.each(["SIGTERM", "SIGINT"] as const)(
    "on %s the server closes its clients and exits 0",
    async (signal) => {
      const server = await startServerProcess(chapterMainPath(), [
        "--port",
        "0",
      ]);
      const client = await RawSocket.connect(server.port, server.host);
      await client.send("PING\r\n");
      expect((await client.read(7)).toString()).toBe("+PONG\r\n");

      server.child.kill(signal);

      await client.readUntilClosed();
      expect(client.state).toBe("closed by server");
      const exit = await server.exited;
      expect(exit).toMatchObject({ code: 0, signal: null, stderr: "" });
      expect(exit.stdout).toContain(`Received ${signal}`);
    },
  );

  itInProcess(
    "a second signal while clients hold up the shutdown exits at once, with 1",
    async () => {
      const server = await startServerProcess(chapterMainPath(), [
        "--port",
        "0",
      ]);
      const client = await RawSocket.connect(server.port, server.host);
      // A client that never reads, owed a reply bigger than the kernel can
      // buffer: the shutdown would wait for it until shutdown-timeout (10 s).
      client.socket.pause();
      client.socket.write(echoTooBigForKernelBuffers().request);
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
    },
  );
});
