/**
 * Article step 3: clients that leave badly. Resets, half-closes and errors
 * in the middle of a write are ordinary events for a server; none of them
 * may crash it or leave a connection behind.
 */
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import {
  itInProcess,
  startChapterServer,
  useServer,
  waitUntil,
} from "../../../shared/harness.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import { floodWithoutReading } from "./flood.ts";

const server = useServer();

/** The server still echoes for a newcomer: it is alive and well. */
async function expectStillEchoes(port = server.port): Promise<void> {
  const probe = await RawSocket.connect(port);
  await probe.send("still there?");
  expect((await probe.read(12)).toString()).toBe("still there?");
  probe.close();
}

describe("abrupt disconnects", () => {
  itInProcess.each([
    [
      "aborts with a reset, as a killed client does",
      (c: RawSocket) => c.reset(),
    ],
    [
      "closes with echo still unread (its kernel answers with a reset too)",
      (c: RawSocket) => c.close(),
    ],
  ])(
    "a client that %s while the server is writing to it is cleaned up",
    async (_, leave) => {
      // A server of its own, so that its peak output buffer is this client's.
      const server = await startChapterServer();
      const client = await RawSocket.connect(server.port);
      await floodWithoutReading(client, server);

      leave(client);

      await waitUntil(
        () => server.stats().connectedClients === 0,
        "the connection is gone",
      );
      await expectStillEchoes(server.port);
    },
  );

  itInProcess(
    "clients that connect and vanish at once leave nothing behind",
    async () => {
      const acceptedBefore = server.local.stats().totalConnectionsReceived;
      const clients = await Promise.all(
        Array.from({ length: 50 }, () => server.raw()),
      );
      clients.forEach((client, i) =>
        i % 2 === 0 ? client.reset() : client.close(),
      );

      await waitUntil(() => {
        const { totalConnectionsReceived, connectedClients } =
          server.local.stats();
        return (
          totalConnectionsReceived === acceptedBefore + 50 &&
          connectedClients === 0
        );
      }, "all 50 connections were accepted and are gone");
      await expectStillEchoes();
    },
  );
});

describe("half-close", () => {
  it("a client that stops sending still gets every echo, then the server closes too", async () => {
    const client = await server.raw();
    const message = randomBytes(256 * 1024);

    await client.send(message);
    client.end(); // FIN: "I will send nothing more", but the client keeps reading

    const echoed = await client.readUntilClosed();
    expect(echoed.equals(message)).toBe(true);
    expect(client.state).toBe("closed by server");
  });
});

describe("timeout: idle clients", () => {
  itInProcess(
    "a client silent for more than `timeout` seconds is closed; a busy one is not",
    async () => {
      const local = await startChapterServer({ timeout: 1 });
      const idle = await RawSocket.connect(local.port, local.host);
      const busy = await RawSocket.connect(local.port, local.host);
      const started = Date.now();
      // Busy: one exchange every 300 ms, for 3.5 s.
      while (Date.now() - started < 3_500) {
        await busy.send("x");
        await busy.read(1);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      // Idle for more than 1 s (counted in whole seconds, checked once a
      // second, as Redis does): closed without a word, well before now.
      expect(idle.state).toBe("closed by server");
      expect(await idle.readUntilClosed()).toHaveLength(0);
      expect(busy.state).toBe("open");
      idle.close();
      busy.close();
    },
  );

  itInProcess(
    "timeout 0, the default, never closes an idle client",
    async () => {
      const idle = await server.raw();
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(idle.state).toBe("open");
    },
  );
});
