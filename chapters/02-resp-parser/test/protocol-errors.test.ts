/**
 * Article step 4: limits and protocol errors. Malformed input gets Redis's
 * own error text, and then that connection, and only that one, is closed:
 * after bad bytes there is no telling where the next command starts. Every
 * limit is checked on the announced size, before anything that large is
 * allocated, so none of these tests sends more than a few hundred KB.
 */
import { connect } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  itInProcess,
  startChapterServer,
  useServer,
} from "../../../shared/harness.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import { bulkReply, expectBytes } from "./resp-helpers.ts";

const server = useServer();

/** Sends `request` and expects exactly `error` back, then the server closing the connection. */
async function expectProtocolError(
  request: string | Buffer,
  error: string,
): Promise<void> {
  const client = await server.raw();
  await client.send(request);
  const received = await client.readUntilClosed();
  expect(received.toString("latin1")).toBe(`-ERR Protocol error: ${error}\r\n`);
  expect(client.state).toBe("closed by server");
}

const KiB = 1024;

describe("lengths", () => {
  it.each([
    ["*x\r\n", "not a number"],
    ["*\r\n", "empty"],
    ["*01\r\n", "a leading zero"],
    ["*+1\r\n", "a plus sign"],
    ["*2147483648\r\n", "more than fits in a C int"],
    ["*99999999999999999999\r\n", "more than fits in 64 bits"],
  ])("an array length of %j (%s) is an invalid multibulk length", (request) =>
    expectProtocolError(request, "invalid multibulk length"),
  );

  it.each([
    ["*1\r\n$-1\r\n", "negative"],
    ["*1\r\n$x\r\n", "not a number"],
    ["*1\r\n$\r\n", "empty"],
    ["*1\r\n$04\r\nPING\r\n", "a leading zero"],
    ["*1\r\n$536870913\r\n", "one byte over 512 MB"],
  ])("a bulk length of %j (%s) is an invalid bulk length", (request) =>
    expectProtocolError(request, "invalid bulk length"),
  );

  it("a bulk length of exactly 512 MB is allowed: the server waits for the bytes", async () => {
    const client = await server.raw();
    await client.send("*2\r\n$4\r\nECHO\r\n$536870912\r\nhello");
    // A PING on another connection is answered, so the server has read the
    // announcement, and this connection was not closed for it.
    const other = await server.raw();
    await other.send("PING\r\n");
    await expectBytes(other, "+PONG\r\n");
    expect(client.state).toBe("open");
  });

  itInProcess(
    "announcing 512 MB sets aside memory only for the bytes that came",
    async () => {
      const before = process.memoryUsage().arrayBuffers;
      const clients = await Promise.all([1, 2, 3, 4].map(() => server.raw()));
      for (const client of clients) {
        await client.send("*2\r\n$4\r\nECHO\r\n$536870912\r\nhello");
      }
      const other = await server.raw();
      await other.send("PING\r\n");
      await expectBytes(other, "+PONG\r\n");
      // Four clients announced 2 GB between them. Had the server reserved
      // it on their word, Buffer memory would have grown by that much.
      const grownBy = process.memoryUsage().arrayBuffers - before;
      expect(grownBy).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it("a length line that never ends is cut off after 64 KB", () =>
    expectProtocolError(
      `*1${"1".repeat(70 * KiB)}`,
      "too big mbulk count string",
    ));

  it("a bulk length line that never ends is cut off after 64 KB", () =>
    expectProtocolError(
      `*1\r\n$${"1".repeat(70 * KiB)}`,
      "too big bulk count string",
    ));
});

describe("structure", () => {
  it("an array element that is not a bulk string names the byte found", () =>
    expectProtocolError("*1\r\n:4\r\nPING\r\n", "expected '$', got ':'"));

  it(
    "an empty line where a bulk string belongs reports its \\r as a space",
    { tags: ["fidelity"] },
    () => expectProtocolError("*1\r\n\r\n", "expected '$', got ' '"),
  );

  it("an inline request that never ends is cut off after 64 KB", () =>
    expectProtocolError("P".repeat(70 * KiB), "too big inline request"));

  it.each([
    ['ECHO "open\r\n', "a double quote left open"],
    ["ECHO 'open\r\n", "a single quote left open"],
    ['ECHO "a"b\r\n', "a closing quote followed by a letter"],
  ])("inline %j (%s) has unbalanced quotes", (request) =>
    expectProtocolError(request, "unbalanced quotes in request"),
  );
});

describe("quotes an inline line leaves unbalanced", () => {
  // Each was checked against redis-server 7.0.15: the same error, then the
  // connection closed.
  it.each([
    ["ECHO 'a'b\r\n", "a closing single quote followed by a letter"],
    ['ECHO "a""b"\r\n', "a closing quote followed by another quote"],
    ["ECHO a'b c'd\r\n", "a quote opened mid-word, closed before a letter"],
    ['ECHO a""b\r\n', "an empty quote mid-word, followed by a letter"],
    ['ECHO "a\\"\r\n', "an escaped double quote, which does not close"],
    ["ECHO '\\'\r\n", "an escaped single quote, which does not close"],
  ])("inline %j (%s) has unbalanced quotes", (request) =>
    expectProtocolError(request, "unbalanced quotes in request"),
  );
});

describe("the inline limit, at its exact edge", () => {
  // Redis refuses once more than 64 KiB (65,536 bytes) are waiting with no
  // \n among them, whatever size its reads happen to be: checked against
  // redis-server 7.0.15 at 65,535, 65,536, 65,537 and 65,538 bytes.
  const LIMIT = 64 * KiB;
  /** An inline ECHO of `bytes` bytes in all, without its line end. */
  const echoLine = (bytes: number): string =>
    `ECHO ${"a".repeat(bytes - "ECHO ".length)}`;

  it("65,536 bytes without a line end are waited for, and answered once it comes", async () => {
    const client = await server.raw();
    await client.send(echoLine(LIMIT));
    // Each round trip on another connection is at least one more turn of
    // the server's event loop, and each turn reads what this connection
    // sent: had 65,536 bytes been one too many, the error would be here.
    const other = await server.raw();
    for (let i = 0; i < 10; i++) {
      await other.send("PING\r\n");
      await expectBytes(other, "+PONG\r\n");
    }
    expect(client.state).toBe("open");

    await client.send("\r\n");
    const argument = Buffer.from("a".repeat(LIMIT - "ECHO ".length));
    await expectBytes(client, bulkReply(argument));
  });

  it("65,537 bytes without a line end are too big an inline request", () =>
    expectProtocolError(echoLine(LIMIT + 1), "too big inline request"));
});

describe("client-query-buffer-limit", () => {
  itInProcess(
    "a client piling up an endless command is disconnected, and only that client",
    async () => {
      const limited = await startChapterServer({
        clientQueryBufferLimit: 1024 * 1024,
      });
      const client = await RawSocket.connect(limited.port);
      const bystander = await RawSocket.connect(limited.port);
      // 2 billion arguments announced, then empty ones: 6 bytes each on the
      // wire, but each costs a Buffer object and an array slot in memory.
      // Without the limit, this is how one client could make the whole
      // process run out of heap and die.
      await client.send("*2147483647\r\n");
      const emptyArguments = Buffer.from("$0\r\n\r\n".repeat(20_000));
      await client.send(emptyArguments).catch(() => {});

      // Redis hangs up without a reply, and so do we.
      expect((await client.readUntilClosed()).length).toBe(0);
      await bystander.send("PING\r\n");
      await expectBytes(bystander, "+PONG\r\n");
      bystander.close();
    },
  );
});

describe("what the error leaves standing", () => {
  it("commands before the bad bytes are answered first", async () => {
    const client = await server.raw();
    await client.send("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n");
    const received = await client.readUntilClosed();
    expect(received.toString()).toBe(
      "+PONG\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n",
    );
  });

  it("other clients carry on, mid-command or not", async () => {
    const halfway = await server.raw();
    await halfway.send("*2\r\n$4\r\nECHO\r\n$5\r\nhel");
    const bystander = await server.raw();

    await expectProtocolError("*x\r\n", "invalid multibulk length");

    await halfway.send("lo\r\n");
    await expectBytes(halfway, "$5\r\nhello\r\n");
    await bystander.send("PING\r\n");
    await expectBytes(bystander, "+PONG\r\n");
  });

  it("a client that keeps sending after the error is cut off within seconds", async () => {
    // Half-open allowed: this client does not close when the server's FIN
    // arrives, and goes on writing a byte every 20 ms. Were each byte to
    // restart an idle timer, it would keep its connection for ever.
    const socket = connect({
      host: server.host,
      port: server.port,
      allowHalfOpen: true,
    });
    onTestFinished(() => {
      socket.destroy();
    });
    const gone = new Promise<void>((resolve) =>
      socket.once("close", () => resolve()),
    );
    socket.on("error", () => {}); // the reset that ends it
    let received = "";
    socket.on(
      "data",
      (chunk: Buffer) => (received += chunk.toString("latin1")),
    );
    await new Promise<void>((resolve) =>
      socket.once("connect", () => resolve()),
    );
    socket.write("*x\r\n");

    const started = Date.now();
    const dribble = setInterval(() => {
      if (!socket.destroyed) socket.write("x");
    }, 20);
    const cutOff = await Promise.race([
      gone.then(() => true),
      new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(false), 5_000),
      ),
    ]);
    clearInterval(dribble);
    expect(received).toBe("-ERR Protocol error: invalid multibulk length\r\n");
    // Redis closes at once; we allow our lingering close (1 s) and slack.
    expect(cutOff).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
