/**
 * Article step 1: an echo server that many clients can use at once, up to
 * `maxclients` of them.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { randomBytes } from "node:crypto";
import {
  itInProcess,
  startChapterServer,
  useServer,
  waitUntil,
} from "../../../shared/harness.ts";
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

describe("maxclients", () => {
  /** Redis's words, checked on redis-server 7.0.15 started with `--maxclients 1`. */
  const TOO_MANY = "-ERR max number of clients reached\r\n";

  itInProcess(
    "a client beyond maxclients is told so and closed; the others are still served",
    async () => {
      const small = await startChapterServer({ maxclients: 2 });
      const connect = async (): Promise<RawSocket> => {
        const client = await RawSocket.connect(small.port, small.host);
        onTestFinished(() => client.close());
        return client;
      };
      const [first, second] = [await connect(), await connect()];
      await waitUntil(
        () => small.stats().connectedClients === 2,
        "two clients are connected",
      );

      const third = await connect();
      expect((await third.readUntilClosed()).toString()).toBe(TOO_MANY);
      expect(third.state).toBe("closed by server");

      for (const client of [first, second]) {
        await client.send("still here");
        expect((await client.read(10)).toString()).toBe("still here");
      }
      // Turned away is not received: Redis counts it in rejected_connections only.
      expect(small.stats()).toMatchObject({
        connectedClients: 2,
        totalConnectionsReceived: 2,
        rejectedConnections: 1,
      });
    },
  );

  itInProcess("a place that frees up takes the next client", async () => {
    const small = await startChapterServer({ maxclients: 1 });
    const first = await RawSocket.connect(small.port, small.host);
    onTestFinished(() => first.close());
    await waitUntil(
      () => small.stats().connectedClients === 1,
      "the first client is connected",
    );
    first.close();
    await waitUntil(
      () => small.stats().connectedClients === 0,
      "the first client is gone",
    );

    const next = await RawSocket.connect(small.port, small.host);
    onTestFinished(() => next.close());
    await next.send("hello");
    expect((await next.read(5)).toString()).toBe("hello");
    expect(small.stats()).toMatchObject({ rejectedConnections: 0 });
  });
});
