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

describe("inline arguments, split as Redis's sdssplitargs() splits them", () => {
  // Each line is `ECHO <argument>`, and the reply shows the one argument
  // the line became. Every row was checked against redis-server 7.0.15.
  it.each([
    ['a"b c"', "ab c", "a quote may start in the middle of a word"],
    ['ab""', "ab", "an empty quote at the end of a word adds nothing"],
    ['""', "", "an empty quote is an empty argument"],
    ['"\\x41\\x4a\\x4A"', "AJJ", "\\xHH is one byte, hex digits in any case"],
    ['"\\x00\\xff"', "\x00\xff", "\\xHH can make any byte, NUL included"],
    ['"\\x4G"', "x4G", "\\x without two hex digits is a plain x"],
    ['"\\x4"', "x4", "\\x with one hex digit before the quote, too"],
    ['"\\n\\r\\t\\b\\a"', "\n\r\t\b\x07", "the five letter escapes"],
    ['"\\q\\\\\\""', 'q\\"', "a backslash before anything else stands for it"],
    ['"it\'s"', "it's", "a single quote is plain inside double quotes"],
    ["'say \"hi\"'", 'say "hi"', "a double quote is plain inside single ones"],
    ["'a\\'b'", "a'b", "\\' is the one escape inside single quotes"],
    ["'a\\nb\\\\c\\\"d'", 'a\\nb\\\\c\\"d', "any other backslash is kept"],
  ])("ECHO %s answers %j (%s)", async (argument, expected) => {
    const client = await server.raw();
    await client.send(`ECHO ${argument}\r\n`);
    await expectBytes(client, bulkReply(Buffer.from(expected, "latin1")));
  });

  it("a closing quote followed by a space ends the argument", async () => {
    const client = await server.raw();
    await client.send('ECHO "a" b\r\nECHO "a b"\r\n');
    await expectBytes(
      client,
      "-ERR wrong number of arguments for 'echo' command\r\n$3\r\na b\r\n",
    );
  });

  // C's isspace() ends a quoted argument and separates arguments, but an
  // unquoted word ends only at a space, tab, \r or \n.
  it.each([
    ['"a"\v', "a", "\\v after a closing quote ends the argument"],
    ["'a'\f", "a", "so does \\f"],
    ["\va", "a", "\\v between arguments is whitespace"],
    ["a\vb", "a\vb", "yet \\v inside an unquoted word is part of it"],
    ["a\fb", "a\fb", "and so is \\f"],
  ])(
    "ECHO %j answers %j (%s)",
    { tags: ["fidelity"] },
    async (argument, expected) => {
      const client = await server.raw();
      await client.send(`ECHO ${argument}\r\n`);
      await expectBytes(client, bulkReply(Buffer.from(expected, "latin1")));
    },
  );
});
