/**
 * Article step 3: RESP3. `HELLO 3` switches one connection to the newer
 * protocol, and from then on each reply goes out in its RESP3 form: a map
 * as `%`, a set as `~`, no value as `_`. The same replies still go out in
 * their RESP2 forms to every other connection. Checked over raw sockets,
 * byte for byte, since client libraries hide exactly these differences.
 */
import { describe, expect, it } from "vitest";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import { encodeCommand, expectBytes } from "./resp-helpers.ts";

const server = useServer();

/** HELLO's facts up to the id, in either protocol's form. */
function helloBeforeId(protocol: 2 | 3): string {
  const header = protocol === 3 ? "%7\r\n" : "*14\r\n";
  return (
    `${header}$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n` +
    `$5\r\nproto\r\n:${protocol}\r\n$2\r\nid\r\n:`
  );
}
const HELLO_AFTER_ID =
  "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";

/**
 * Reads a reply to HELLO and checks every byte of it, in the form of
 * `protocol`. The connection id is the one part we cannot know in advance:
 * it is read, checked to be a number, and returned.
 */
async function expectHelloReply(
  socket: RawSocket,
  protocol: 2 | 3,
): Promise<number> {
  await expectBytes(socket, helloBeforeId(protocol));
  let id = "";
  for (;;) {
    const byte = (await socket.read(1)).toString("latin1");
    if (byte === "\r") break;
    id += byte;
  }
  expect(id).toMatch(/^[1-9]\d*$/);
  await expectBytes(socket, HELLO_AFTER_ID.slice(1));
  return Number(id);
}

/** COMMAND INFO of an unknown command: a list holding one "no value". */
const NO_SUCH_COMMAND = encodeCommand("COMMAND", "INFO", "no-such-command");

describe("HELLO 3", () => {
  it("switches the connection to RESP3 and answers with a map", async () => {
    const socket = await server.raw();
    await socket.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(socket, 3);
  });

  it("a connection that never asks stays in RESP2: the same facts as a flat list", async () => {
    const socket = await server.raw();
    await socket.send(encodeCommand("HELLO"));
    await expectHelloReply(socket, 2);
  });

  it("from then on, no value is `_`, where RESP2 sends a null bulk string", async () => {
    const resp3 = await server.raw();
    await resp3.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(resp3, 3);
    await resp3.send(NO_SUCH_COMMAND);
    await expectBytes(resp3, "*1\r\n_\r\n");

    const resp2 = await server.raw();
    await resp2.send(NO_SUCH_COMMAND);
    await expectBytes(resp2, "*1\r\n$-1\r\n");
  });

  it("COMMAND INFO's flags and categories are sets, and an empty list of subcommands too", async () => {
    const info = encodeCommand("COMMAND", "INFO", "echo");
    const resp3 = await server.raw();
    await resp3.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(resp3, 3);
    await resp3.send(info);
    await expectBytes(
      resp3,
      "*1\r\n*10\r\n$4\r\necho\r\n:2\r\n~3\r\n+loading\r\n+stale\r\n+fast\r\n" +
        ":0\r\n:0\r\n:0\r\n~2\r\n+@fast\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n",
    );

    const resp2 = await server.raw();
    await resp2.send(info);
    await expectBytes(
      resp2,
      "*1\r\n*10\r\n$4\r\necho\r\n:2\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n" +
        ":0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n",
    );
  });

  it("COMMAND DOCS is a map of maps, flat lists in RESP2", async () => {
    const docs = encodeCommand("COMMAND", "DOCS", "echo");
    const body = (map: (pairs: number) => string): string =>
      `${map(1)}$4\r\necho\r\n${map(5)}$7\r\nsummary\r\n$21\r\nEcho the given string\r\n` +
      "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n" +
      "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n" +
      `*1\r\n${map(2)}$4\r\nname\r\n$7\r\nmessage\r\n$4\r\ntype\r\n$6\r\nstring\r\n`;

    const resp3 = await server.raw();
    await resp3.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(resp3, 3);
    await resp3.send(docs);
    await expectBytes(
      resp3,
      body((pairs) => `%${pairs}\r\n`),
    );

    const resp2 = await server.raw();
    await resp2.send(docs);
    await expectBytes(
      resp2,
      body((pairs) => `*${pairs * 2}\r\n`),
    );
  });

  it("HELLO 2 switches back, and HELLO alone reports the protocol in force", async () => {
    const socket = await server.raw();
    await socket.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(socket, 3);
    await socket.send(encodeCommand("HELLO"));
    await expectHelloReply(socket, 3);
    await socket.send(encodeCommand("HELLO", "2"));
    await expectHelloReply(socket, 2);
    await socket.send(NO_SUCH_COMMAND);
    await expectBytes(socket, "*1\r\n$-1\r\n");
  });

  it("a refused HELLO leaves the protocol as it was", async () => {
    const socket = await server.raw();
    await socket.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(socket, 3);
    await socket.send(
      Buffer.concat([
        encodeCommand("HELLO", "2", "SETNAME", "has space"),
        encodeCommand("HELLO", "4"),
        NO_SUCH_COMMAND,
      ]),
    );
    await expectBytes(
      socket,
      "-ERR Client names cannot contain spaces, newlines or special characters.\r\n" +
        "-NOPROTO unsupported protocol version\r\n" +
        "*1\r\n_\r\n",
    );
  });

  it("the protocol belongs to the connection: another one is not switched", async () => {
    const first = await server.raw();
    const second = await server.raw();
    await first.send(encodeCommand("HELLO", "3"));
    const firstId = await expectHelloReply(first, 3);
    await second.send(encodeCommand("HELLO"));
    const secondId = await expectHelloReply(second, 2);
    expect(secondId).not.toBe(firstId);
  });

  it("simple strings, bulk strings and errors look the same as in RESP2", async () => {
    const socket = await server.raw();
    await socket.send(encodeCommand("HELLO", "3"));
    await expectHelloReply(socket, 3);
    await socket.send(
      Buffer.concat([
        encodeCommand("PING"),
        encodeCommand("ECHO", "hi"),
        encodeCommand("NO-SUCH-COMMAND"),
      ]),
    );
    await expectBytes(
      socket,
      "+PONG\r\n$2\r\nhi\r\n" +
        "-ERR unknown command 'NO-SUCH-COMMAND', with args beginning with: \r\n",
    );
  });
});

describe("clients", () => {
  it("ioredis negotiates RESP3 by itself and works", async () => {
    // No ready check: it asks INFO, which chapter 03 adds.
    const redis = await server.client({ protocol: 3, enableReadyCheck: false });
    expect(await redis.ping()).toBe("PONG");
    const hello = (await redis.call("HELLO")) as unknown[];
    expect(hello.slice(4, 6)).toEqual(["proto", 3]);
  });

  it("an ioredis client told to speak RESP2 still does", async () => {
    const redis = await server.client({ protocol: 2, enableReadyCheck: false });
    const hello = (await redis.call("HELLO")) as unknown[];
    expect(hello.slice(4, 6)).toEqual(["proto", 2]);
  });
});
