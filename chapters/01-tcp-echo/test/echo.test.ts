/**
 * Article step 1: an echo server that many clients can use at once.
 */
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { itInProcess, useServer, waitUntil } from "../../../shared/harness.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";

const server = useServer();

describe("echo round trip", () => {
  it("sends back every one of the 256 byte values unchanged", async () => {
    const client = await server.raw();
    const everyByte = Buffer.from(
      Array.from({ length: 256 }, (_, value) => value),
    );
    const message = Buffer.concat([
      everyByte,
      Buffer.from(everyByte).reverse(),
      Buffer.from("\r\n\0end"),
    ]);

    await client.send(message);

    expect(await client.read(message.length)).toEqual(message);
    client.close();
  });

  it("echoes many writes on one connection in order", async () => {
    const client = await server.raw();
    const parts = Array.from({ length: 100 }, (_, i) =>
      Buffer.from(`part ${i};`),
    );

    for (const part of parts) await client.send(part);

    const expected = Buffer.concat(parts);
    expect(await client.read(expected.length)).toEqual(expected);
    client.close();
  });
});

describe("many clients", () => {
  itInProcess(
    "serves 200 concurrent clients, each getting only its own bytes back",
    async () => {
      const clientCount = 200;
      const clients = await Promise.all(
        Array.from({ length: clientCount }, () =>
          RawSocket.connect(server.port, server.host),
        ),
      );
      // Every client is connected before anyone sends: they are truly concurrent.
      await waitUntil(
        () => server.local.stats().connectedClients === clientCount,
        `${clientCount} clients are connected`,
      );

      const payloads = clients.map((_, i) =>
        Buffer.concat([Buffer.from(`client ${i}:`), randomBytes(4096)]),
      );
      await Promise.all(clients.map((client, i) => client.send(payloads[i]!)));
      const echoes = await Promise.all(
        clients.map((client, i) => client.read(payloads[i]!.length)),
      );

      echoes.forEach((echo, i) =>
        expect(echo.equals(payloads[i]!), `client ${i}`).toBe(true),
      );
      for (const client of clients) client.close();
      await waitUntil(
        () => server.local.stats().connectedClients === 0,
        "every client is gone",
      );
    },
  );
});
