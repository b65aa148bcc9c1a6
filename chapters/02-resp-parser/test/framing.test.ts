/**
 * Article step 1: the streaming parser, seen from outside. However TCP cuts
 * or glues the requests, every command is answered once, in order. (The
 * parser's unit tests cut at every byte offset; here the cuts go through a
 * real socket.)
 */
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { useServer } from "../../../shared/harness.ts";
import { bulkReply, encodeCommand, expectBytes } from "./resp-helpers.ts";

const server = useServer();

/** Lets the event loop turn, so the next write leaves as a packet of its own. */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 1));

describe("array commands", () => {
  it("answers a command sent as RESP", async () => {
    const client = await server.raw();
    await client.send("*1\r\n$4\r\nPING\r\n");
    await expectBytes(client, "+PONG\r\n");
  });

  it("answers a command that arrives one byte at a time", async () => {
    const client = await server.raw();
    client.socket.setNoDelay(true);
    const request = encodeCommand("ECHO", "dribbled");
    for (const byte of request) {
      await client.send(Buffer.of(byte));
      await nextTurn();
    }
    await expectBytes(client, "$8\r\ndribbled\r\n");
  });

  it("answers every command of a pipeline sent in one write, in order", async () => {
    const client = await server.raw();
    const words = Array.from({ length: 1000 }, (_, i) => `word-${i}`);
    await client.send(
      Buffer.concat(words.map((word) => encodeCommand("ECHO", word))),
    );
    await expectBytes(
      client,
      Buffer.concat(words.map((w) => bulkReply(Buffer.from(w)))),
    );
  });

  it("keeps a 10 MB argument whole across many packets", async () => {
    const client = await server.raw();
    const payload = randomBytes(10 * 1024 * 1024);
    await client.send(encodeCommand("ECHO", payload));
    const expected = bulkReply(payload);
    const received = await client.read(expected.length, 20_000);
    expect(received.equals(expected)).toBe(true);
  });

  it("is binary safe: \\r\\n and NUL bytes inside an argument are just bytes", async () => {
    const client = await server.raw();
    const payload = Buffer.from("a\r\nb\0c\r\n", "latin1");
    await client.send(encodeCommand("ECHO", payload));
    await expectBytes(client, bulkReply(payload));
  });

  it("skips empty arrays, as Redis does", async () => {
    const client = await server.raw();
    await client.send("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
    await expectBytes(client, "+PONG\r\n");
  });
});

describe("inline commands, as typed into nc or telnet", () => {
  it("answers a line of words", async () => {
    const client = await server.raw();
    await client.send("PING\r\nECHO hello\n");
    await expectBytes(client, "+PONG\r\n$5\r\nhello\r\n");
  });

  it("splits quoted arguments the way Redis does", async () => {
    const client = await server.raw();
    await client.send(`ECHO "a b\\t\\x41\\"" \r\nECHO 'it\\'s'\r\n`);
    await expectBytes(client, "$6\r\na b\tA\"\r\n$4\r\nit's\r\n");
  });

  it("ignores blank lines", async () => {
    const client = await server.raw();
    await client.send("\r\n   \r\n\nPING\r\n");
    await expectBytes(client, "+PONG\r\n");
  });

  it("mixes freely with array commands in one write", async () => {
    const client = await server.raw();
    await client.send(
      Buffer.concat([
        Buffer.from("ECHO inline\r\n"),
        encodeCommand("ECHO", "array"),
        Buffer.from("PING\r\n"),
      ]),
    );
    await expectBytes(client, "$6\r\ninline\r\n$5\r\narray\r\n+PONG\r\n");
  });
});
