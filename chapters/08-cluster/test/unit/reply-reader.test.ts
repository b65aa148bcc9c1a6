/**
 * Unit tests for cluster/proxy/reply-reader.ts: how the bytes another node
 * sends back are cut into whole replies, relayed byte for byte, and read
 * as values. Every reply the corpus holds is cut at every byte, and the
 * whole corpus arrives one byte at a time; then the limits and what is
 * not a reply at all.
 *
 * Bytes are written as strings, one character per byte.
 */
import { describe, expect, it } from "vitest";
import {
  PeerError,
  PeerMap,
  REPLY_LIMITS,
  ReplyProtocolError,
  ReplyReader,
  type PeerValue,
} from "../../src/cluster/proxy/reply-reader.ts";
import { ReplyWriter, array, bulk, map } from "../../src/protocol/reply.ts";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

/** Each reply in the corpus, and the value it reads as. */
const CORPUS: readonly (readonly [string, PeerValue])[] = [
  ["+OK\r\n", "OK"],
  ["+\r\n", ""],
  ["-WRONGTYPE Operation\r\n", new PeerError("WRONGTYPE Operation")],
  [":42\r\n", 42],
  [":-9223372036854775808\r\n", -9223372036854775808n],
  ["$5\r\nhe\r\no\r\n", bytes("he\r\no")],
  ["$0\r\n\r\n", bytes("")],
  ["$-1\r\n", null],
  ["*-1\r\n", null],
  ["*0\r\n", []],
  ["*2\r\n$1\r\na\r\n:1\r\n", [bytes("a"), 1]],
  ["*2\r\n*1\r\n+x\r\n*0\r\n", [["x"], []]],
  ["_\r\n", null],
  ["#t\r\n", true],
  ["#f\r\n", false],
  [",1.5\r\n", 1.5],
  [",-inf\r\n", -Infinity],
  ["(12345678901234567890\r\n", 12345678901234567890n],
  ["=8\r\ntxt:abcd\r\n", bytes("abcd")],
  ["!3\r\nERR\r\n", new PeerError("ERR")],
  ["%1\r\n$1\r\nk\r\n~2\r\n:1\r\n:2\r\n", new PeerMap([[bytes("k"), [1, 2]]])],
  [">2\r\n+a\r\n+b\r\n", ["a", "b"]],
];

/** Feeds `chunks` and collects every whole reply. */
function readAll(chunks: readonly Buffer[]) {
  const reader = new ReplyReader();
  const replies = [];
  for (const chunk of chunks) {
    reader.feed(chunk);
    for (let reply = reader.next(); reply; reply = reader.next()) {
      replies.push(reply);
    }
  }
  return { replies, reader };
}

describe("ReplyReader", () => {
  it("reads each reply cut at every byte, raw bytes intact", () => {
    for (const [text, value] of CORPUS) {
      for (let cut = 0; cut <= text.length; cut++) {
        const { replies, reader } = readAll([
          bytes(text.slice(0, cut)),
          bytes(text.slice(cut)),
        ]);
        expect(replies.map((r) => r.raw.toString("latin1"))).toEqual([text]);
        expect(replies[0]!.value).toEqual(value);
        expect(reader.pendingBytes).toBe(0);
      }
    }
  });

  it("reads the whole corpus one byte at a time, in order", () => {
    const all = CORPUS.map(([text]) => text).join("");
    const { replies } = readAll([...bytes(all)].map((b) => Buffer.of(b)));
    expect(replies.map((r) => r.raw.toString("latin1"))).toEqual(
      CORPUS.map(([text]) => text),
    );
  });

  it("reads what our own encoder writes, in both protocols", () => {
    const reply = array([bulk("x"), map([[bulk("k"), bulk("v")]])]);
    for (const protocol of [2, 3] as const) {
      const writer = new ReplyWriter();
      writer.write(reply, protocol);
      const encoded = writer.take();
      const { replies } = readAll([encoded]);
      expect(replies[0]!.raw.equals(encoded)).toBe(true);
    }
  });

  it("keeps a big value's bytes, arriving in pieces", () => {
    const value = Buffer.alloc(3 * 1024 * 1024, 7);
    const encoded = Buffer.concat([
      bytes(`$${value.length}\r\n`),
      value,
      bytes("\r\n"),
    ]);
    const chunks = [];
    for (let at = 0; at < encoded.length; at += 64 * 1024) {
      chunks.push(encoded.subarray(at, at + 64 * 1024));
    }
    const { replies } = readAll(chunks);
    expect(replies).toHaveLength(1);
    expect((replies[0]!.value as Buffer).equals(value)).toBe(true);
  });

  it("refuses what is not a reply, and lengths over the limits, before allocating", () => {
    for (const text of [
      "?\r\n",
      "+OK\n",
      ":12a\r\n",
      "$-2\r\n",
      `$${REPLY_LIMITS.maxBulkBytes + 1}\r\n`,
      "$3\r\nabcX\r\n",
      "%-1\r\n",
      "#x\r\n",
      ",abc\r\n",
      "|1\r\n+a\r\n+b\r\n+c\r\n",
      "*1\r\n".repeat(REPLY_LIMITS.maxDepth + 1),
    ]) {
      expect(() => readAll([bytes(text)]), text).toThrow(ReplyProtocolError);
    }
    // A line that never ends is refused once it is longer than a line may be.
    expect(() =>
      readAll([bytes("+" + "a".repeat(REPLY_LIMITS.maxLineBytes + 1))]),
    ).toThrow(ReplyProtocolError);
  });
});
