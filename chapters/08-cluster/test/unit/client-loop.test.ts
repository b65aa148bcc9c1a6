/**
 * Unit tests for client-loop.ts, the handler between the connection and the
 * commands, driven with a fake client so that every call it makes can be
 * counted: above all, that the replies to one read leave in one write.
 * (The benchmark in the article shows why that matters; this pins that it
 * happens, without timing anything.)
 */
import { describe, expect, it, vi } from "vitest";
import type { Client } from "../../src/network/connection.ts";
import { createRespHandler } from "../../src/dispatch/client-loop.ts";
import { CommandTable } from "../../src/dispatch/command-table.ts";
import { echo, ping, quit } from "../../src/commands/connection-commands.ts";
import { createServerState } from "../../src/server.ts";
import { systemClock } from "../../src/expiry/clock.ts";
import { DEFAULT_CONFIG } from "../../src/config/directives.ts";

const COMMANDS = new CommandTable([ping, echo, quit]);

/** A handler wired to a client that records what it is asked to do. */
function handlerWithFakeClient(clientQueryBufferLimit = 1024 ** 3) {
  const sent: string[] = [];
  const client = {
    id: 1,
    send: (data: Buffer) => {
      sent.push(data.toString("latin1"));
    },
    close: vi.fn(),
    destroy: vi.fn(),
    /** Set by a test: the client is behind on its replies. */
    congested: false as boolean,
    pendingOutputBytes: 0,
    address: "127.0.0.1:50000",
    localAddress: "127.0.0.1:6379",
    createdAt: Date.now(),
    idleSeconds: () => 0,
    waiting: false,
  } satisfies Client;
  const state = createServerState(
    { ...DEFAULT_CONFIG, clientQueryBufferLimit },
    systemClock,
    () => ({
      port: 0,
      connectedClients: 1,
      totalConnectionsReceived: 1,
      rejectedConnections: 0,
      recentMaxOutputBufferBytes: 0,
    }),
  );
  const handler = createRespHandler(COMMANDS, state)(client);
  return { handler, client, sent };
}

describe("one write per read", () => {
  it("sends the replies to every command in a chunk with a single send()", () => {
    const { handler, sent } = handlerWithFakeClient();
    handler.receive(
      Buffer.from("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING x\r\n"),
    );
    expect(sent).toEqual(["+PONG\r\n$2\r\nhi\r\n$1\r\nx\r\n"]);
  });

  it("sends nothing for a chunk that completes no command", () => {
    const { handler, sent } = handlerWithFakeClient();
    handler.receive(Buffer.from("*1\r\n$4\r\nPI"));
    expect(sent).toEqual([]);
    handler.receive(Buffer.from("NG\r\n"));
    expect(sent).toEqual(["+PONG\r\n"]);
  });
});

describe("closing", () => {
  it("QUIT: its OK and the replies before it go in one write, then close(); later commands are not run", () => {
    const { handler, client, sent } = handlerWithFakeClient();
    handler.receive(Buffer.from("PING\r\nQUIT\r\nECHO never\r\n"));
    expect(sent).toEqual(["+PONG\r\n+OK\r\n"]);
    expect(client.close).toHaveBeenCalledTimes(1);
  });

  it("a protocol error: replies before it, then the error, in one write, then close()", () => {
    const { handler, client, sent } = handlerWithFakeClient();
    handler.receive(Buffer.from("PING\r\n*x\r\nPING\r\n"));
    expect(sent).toEqual([
      "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n",
    ]);
    expect(client.close).toHaveBeenCalledTimes(1);
  });

  it("past client-query-buffer-limit: close() with no reply, as Redis does", () => {
    const { handler, client, sent } = handlerWithFakeClient(1024 * 1024);
    vi.spyOn(console, "warn").mockImplementation(() => {});
    handler.receive(Buffer.from("*2147483647\r\n"));
    handler.receive(Buffer.from("$0\r\n\r\n".repeat(20_000)));
    expect(sent).toEqual([]);
    expect(client.close).toHaveBeenCalledTimes(1);
    expect(console.warn).toHaveBeenCalledWith(
      expect.stringContaining("reached max query buffer length"),
    );
  });

  it("an unfinished command under the limit keeps the connection open", () => {
    const { handler, client } = handlerWithFakeClient(1024 * 1024);
    handler.receive(Buffer.from("*2147483647\r\n"));
    handler.receive(Buffer.from("$0\r\n\r\n".repeat(1_000)));
    expect(client.close).not.toHaveBeenCalled();
  });
});

describe("a client that falls behind", () => {
  it("stops running its pipelined commands while it is congested, and resumes, in order, once drained", () => {
    const { handler, client, sent } = handlerWithFakeClient();
    const big = "x".repeat(100 * 1024);
    // The first reply is over the batch size: it goes out at once, and the
    // client is then behind (its kernel buffer full).
    client.send = (data: Buffer) => {
      sent.push(data.toString("latin1"));
      client.congested = true;
    };
    handler.receive(Buffer.from(`ECHO ${big}\r\nECHO b\r\nECHO c\r\n`));
    expect(sent).toEqual([`$${big.length}\r\n${big}\r\n`]);

    // Caught up: the rest runs, and its small replies leave together.
    client.congested = false;
    handler.drained();
    expect(sent.slice(1)).toEqual(["$1\r\nb\r\n$1\r\nc\r\n"]);
    // Nothing left: a drain with nothing pending sends nothing.
    client.congested = false;
    handler.drained();
    expect(sent).toHaveLength(2);
  });

  it("keeps the small replies of a pipeline in one write while the client keeps up", () => {
    const { handler, sent } = handlerWithFakeClient();
    handler.receive(Buffer.from("PING\r\n".repeat(1000)));
    expect(sent).toEqual(["+PONG\r\n".repeat(1000)]);
  });
});
