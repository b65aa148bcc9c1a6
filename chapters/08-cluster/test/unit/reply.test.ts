/**
 * Unit tests for reply.ts: the exact bytes each kind of reply becomes.
 *
 * Every client library parses these bytes, so they are pinned to the byte,
 * written as strings with one character per byte ("\xe9" is the byte 0xe9).
 * Two rules deserve their own tests because they are easy to break without
 * noticing: a bulk string's length counts bytes, not characters, and a
 * simple string or error is one line of bytes (latin1), never UTF-8, so it
 * can quote whatever bytes a client sent.
 *
 * The RESP3 types have two wire forms each, one per protocol; the expected
 * bytes are those Redis 7.0.15 sends (checked with a raw socket against
 * redis-server after `HELLO 3`, and without it).
 */
import { describe, expect, it } from "vitest";
import {
  array,
  bigNumber,
  boolean,
  bulk,
  double,
  error,
  integer,
  map,
  NULL,
  NULL_ARRAY,
  OK,
  push,
  ReplyWriter,
  set,
  simple,
  verbatim,
  type Protocol,
  type Reply,
} from "../../src/protocol/reply.ts";

/** What `replies` look like on the wire in RESP2, one character per byte. */
function encode(...replies: Reply[]): string {
  return encodeIn(2, ...replies);
}

function encodeIn(protocol: Protocol, ...replies: Reply[]): string {
  const writer = new ReplyWriter();
  for (const reply of replies) writer.write(reply, protocol);
  return writer.take().toString("latin1");
}

describe("each kind of reply", () => {
  it.each<{ name: string; reply: Reply; wire: string }>([
    { name: "a simple string", reply: simple("PONG"), wire: "+PONG\r\n" },
    { name: "OK", reply: OK, wire: "+OK\r\n" },
    {
      name: "an error",
      reply: error("ERR unknown command 'FOO', with args beginning with: "),
      wire: "-ERR unknown command 'FOO', with args beginning with: \r\n",
    },
    { name: "zero", reply: integer(0), wire: ":0\r\n" },
    { name: "an integer", reply: integer(42), wire: ":42\r\n" },
    { name: "a negative integer", reply: integer(-7), wire: ":-7\r\n" },
    {
      name: "the largest 64-bit integer, as a bigint",
      reply: integer(2n ** 63n - 1n),
      wire: ":9223372036854775807\r\n",
    },
    {
      name: "the smallest 64-bit integer, as a bigint",
      reply: integer(-(2n ** 63n)),
      wire: ":-9223372036854775808\r\n",
    },
    {
      name: "a bulk string from a Buffer",
      reply: bulk(Buffer.from("hello")),
      wire: "$5\r\nhello\r\n",
    },
    {
      name: "an empty bulk string",
      reply: bulk(Buffer.alloc(0)),
      wire: "$0\r\n\r\n",
    },
    {
      name: "a bulk string of any bytes, \\r\\n and NUL included",
      reply: bulk(Buffer.from("a\r\nb\0\xff", "latin1")),
      wire: "$6\r\na\r\nb\0\xff\r\n",
    },
    {
      name: "a bulk string from a byte string, one byte per character",
      // As the keyspace stores values: é is the one byte e9 here, not UTF-8.
      reply: bulk("h\xe9llo\x00\xff"),
      wire: "$7\r\nh\xe9llo\x00\xff\r\n",
    },
    { name: "the null bulk string", reply: NULL, wire: "$-1\r\n" },
    { name: "an empty array", reply: array([]), wire: "*0\r\n" },
    {
      name: "an array of mixed replies",
      reply: array([integer(1), bulk("a"), NULL, simple("x")]),
      wire: "*4\r\n:1\r\n$1\r\na\r\n$-1\r\n+x\r\n",
    },
    {
      name: "nested arrays",
      reply: array([array([bulk("a"), array([])]), array([integer(2)])]),
      wire: "*2\r\n*2\r\n$1\r\na\r\n*0\r\n*1\r\n:2\r\n",
    },
  ])("encodes $name", ({ reply, wire }) => {
    expect(encode(reply)).toBe(wire);
  });
});

describe("the RESP3 types, in each protocol", () => {
  it.each<{ name: string; reply: Reply; resp3: string; resp2: string }>([
    { name: "a missing string", reply: NULL, resp3: "_\r\n", resp2: "$-1\r\n" },
    {
      name: "a missing array",
      reply: NULL_ARRAY,
      resp3: "_\r\n",
      resp2: "*-1\r\n",
    },
    { name: "true", reply: boolean(true), resp3: "#t\r\n", resp2: ":1\r\n" },
    { name: "false", reply: boolean(false), resp3: "#f\r\n", resp2: ":0\r\n" },
    {
      name: "a double, with 17 significant digits",
      reply: double(1.1),
      resp3: ",1.1000000000000001\r\n",
      resp2: "$18\r\n1.1000000000000001\r\n",
    },
    {
      name: "infinity",
      reply: double(-Infinity),
      resp3: ",-inf\r\n",
      resp2: "$4\r\n-inf\r\n",
    },
    {
      name: "a big number",
      reply: bigNumber(2n ** 64n),
      resp3: "(18446744073709551616\r\n",
      resp2: "$20\r\n18446744073709551616\r\n",
    },
    {
      name: "verbatim text, whose length counts the format",
      reply: verbatim("# Server\r\nredis_version:7.0.15\r\n"),
      resp3: "=36\r\ntxt:# Server\r\nredis_version:7.0.15\r\n\r\n",
      resp2: "$32\r\n# Server\r\nredis_version:7.0.15\r\n\r\n",
    },
    {
      name: "a map, flat in RESP2",
      reply: map([
        [bulk("proto"), integer(3)],
        [bulk("modules"), array([])],
      ]),
      resp3: "%2\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n",
      resp2: "*4\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n",
    },
    {
      name: "a set",
      reply: set([simple("readonly"), simple("fast")]),
      resp3: "~2\r\n+readonly\r\n+fast\r\n",
      resp2: "*2\r\n+readonly\r\n+fast\r\n",
    },
    {
      name: "an empty set",
      reply: set([]),
      resp3: "~0\r\n",
      resp2: "*0\r\n",
    },
    {
      name: "a push",
      reply: push([bulk("message"), bulk("c"), bulk("m")]),
      resp3: ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n",
      resp2: "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n",
    },
    {
      name: "types nested in types, each in its own form",
      reply: array([map([[bulk("k"), set([NULL, double(0.5)])]]), NULL_ARRAY]),
      resp3: "*2\r\n%1\r\n$1\r\nk\r\n~2\r\n_\r\n,0.5\r\n_\r\n",
      resp2: "*2\r\n*2\r\n$1\r\nk\r\n*2\r\n$-1\r\n$3\r\n0.5\r\n*-1\r\n",
    },
  ])("encodes $name", ({ reply, resp3, resp2 }) => {
    expect(encodeIn(3, reply)).toBe(resp3);
    expect(encodeIn(2, reply)).toBe(resp2);
  });

  it("writes the five RESP2 types the same in RESP3", () => {
    const replies = [
      OK,
      error("ERR e"),
      integer(-1),
      bulk("v"),
      array([integer(1)]),
    ];
    expect(encodeIn(3, ...replies)).toBe(encodeIn(2, ...replies));
  });
});

describe("simple strings and errors", () => {
  it("turn \\r and \\n into spaces, so that they stay one line", () => {
    expect(encode(simple("a\r\nb\rc\nd"))).toBe("+a  b c d\r\n");
    expect(encode(error("ERR bad 'x\r\ny'"))).toBe("-ERR bad 'x  y'\r\n");
  });

  it("drop \\r and \\n at either end of an error first, as Redis trims them", () => {
    // EXPIRE k 10 "foo\n" quotes the option last: Redis answers
    // "Unsupported option foo", not "foo " with a trailing space.
    expect(encode(error("ERR Unsupported option foo\n"))).toBe(
      "-ERR Unsupported option foo\r\n",
    );
    expect(encode(error("ERR Unsupported option nx\r\n"))).toBe(
      "-ERR Unsupported option nx\r\n",
    );
    expect(encode(error("ERR a\r\nb\n"))).toBe("-ERR a  b\r\n");
  });

  it("leave \\r and \\n alone in a bulk string, whose length frames it", () => {
    expect(encode(bulk("a\r\nb"))).toBe("$4\r\na\r\nb\r\n");
  });

  it("are sent one byte per character (latin1), as the bytes a client sent", () => {
    // An error that quotes a client's argument: the bytes 0xe9 and 0xff,
    // read as latin1. UTF-8 would send four bytes, c3 a9 c3 bf.
    const quoted = Buffer.from([0xe9, 0xff]).toString("latin1");
    const writer = new ReplyWriter();
    writer.write(error(`ERR unknown command '${quoted}'`), 2);
    writer.write(simple(quoted), 2);
    expect(writer.take()).toEqual(
      Buffer.concat([
        Buffer.from("-ERR unknown command '"),
        Buffer.from([0xe9, 0xff]),
        Buffer.from("'\r\n+"),
        Buffer.from([0xe9, 0xff]),
        Buffer.from("\r\n"),
      ]),
    );
  });
});

describe("ReplyWriter", () => {
  it("puts a batch of replies into one Buffer, in order", () => {
    expect(
      encode(OK, bulk(Buffer.from("v")), integer(3), bulk("w"), error("ERR e")),
    ).toBe("+OK\r\n$1\r\nv\r\n:3\r\n$1\r\nw\r\n-ERR e\r\n");
  });

  it("hands out everything once with take(), then starts empty", () => {
    const writer = new ReplyWriter();
    expect(writer.empty).toBe(true);
    writer.write(simple("PONG"), 2);
    writer.write(bulk(Buffer.from("hi")), 2);
    expect(writer.empty).toBe(false);

    expect(writer.take().toString("latin1")).toBe("+PONG\r\n$2\r\nhi\r\n");
    expect(writer.empty).toBe(true);
    expect(writer.take().length).toBe(0);

    writer.write(integer(1), 2);
    expect(writer.take().toString("latin1")).toBe(":1\r\n");
  });

  it("sends a big byte string as its own Buffer, byte for byte, between text", () => {
    // Past 16 KiB a value is not copied into the reply text (which must stay
    // far below V8's string limit); the bytes on the wire are the same.
    const big = "\xff\x00ab".repeat(5000); // 20,000 bytes
    expect(encode(simple("A"), bulk(big), integer(7))).toBe(
      `+A\r\n$20000\r\n${big}\r\n:7\r\n`,
    );
  });
});
