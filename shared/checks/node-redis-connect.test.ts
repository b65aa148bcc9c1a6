/**
 * The harness's node-redis clients fail fast and say why: node-redis 6
 * speaks RESP3 only, and its default client answers a server that refuses
 * `HELLO 3` by reconnecting forever, which would hang a suite until its
 * timeout. These stand-in servers refuse in each way a server can.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import { connectNodeRedis } from "../harness.ts";

/** Well under the harness's 5-second handshake deadline: no waiting on it. */
const FAST_MS = 2_000;

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(
    servers.splice(0).map((s) => new Promise((done) => s.close(done))),
  );
});

/** A server on a free port that answers every chunk it receives with `reply`. */
async function answeringWith(reply: string): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => socket.write(reply));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as { port: number }).port;
}

/** How connecting to `port` fails: the error's message, and how long it took. */
async function failureOf(
  port: number,
): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  try {
    await connectNodeRedis({ host: "127.0.0.1", port });
  } catch (error) {
    return {
      message: (error as Error).message,
      ms: performance.now() - started,
    };
  }
  throw new Error("expected connecting to fail");
}

describe("connectNodeRedis", () => {
  it("a server that answers HELLO 3 with NOPROTO fails it at once, saying so", async () => {
    const port = await answeringWith(
      "-NOPROTO unsupported protocol version\r\n",
    );
    const { message, ms } = await failureOf(port);
    expect(message).toBe(
      `node-redis could not connect to 127.0.0.1:${port}: its handshake was answered` +
        ` "NOPROTO unsupported protocol version": the server does not speak RESP3,` +
        " and node-redis 6 speaks nothing else",
    );
    expect(ms).toBeLessThan(FAST_MS);
  });

  it("a port nobody listens on fails at once, naming the address", async () => {
    const port = await answeringWith("");
    await new Promise((done) => servers.pop()!.close(done));
    const { message, ms } = await failureOf(port);
    expect(message).toContain(`could not connect to 127.0.0.1:${port}`);
    expect(message).toContain("ECONNREFUSED");
    expect(ms).toBeLessThan(FAST_MS);
  });
});
