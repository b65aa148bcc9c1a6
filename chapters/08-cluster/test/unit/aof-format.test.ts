/**
 * Unit tests for aof-format.ts, article step "a command as the AOF stores
 * it": exactly the bytes a client sends, a RESP array of bulk strings.
 * Every length counts bytes, so any bytes can be logged: binary values,
 * empty arguments, \r\n inside a value.
 */
import { describe, expect, it } from "vitest";
import { encodeCommand } from "../../src/persistence/aof-format.ts";

/** Bytes written as text, \r\n and all, one character per byte. */
const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

describe("encodeCommand", () => {
  it("writes a command as a RESP array of bulk strings", () => {
    expect(encodeCommand(["SET", "k", "hello"])).toEqual(
      bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"),
    );
    expect(encodeCommand(["FLUSHALL"])).toEqual(
      bytes("*1\r\n$8\r\nFLUSHALL\r\n"),
    );
  });

  it("writes an empty argument as $0 and an empty line", () => {
    expect(encodeCommand(["SET", "", ""])).toEqual(
      bytes("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n"),
    );
    expect(encodeCommand(["APPEND", Buffer.alloc(0), "x"])).toEqual(
      bytes("*3\r\n$6\r\nAPPEND\r\n$0\r\n\r\n$1\r\nx\r\n"),
    );
  });

  it("copies Buffers byte for byte, whatever they hold", () => {
    const binary = Buffer.from([0x00, 0x0d, 0x0a, 0xff, 0x24, 0x2a, 0x80]);
    expect(
      encodeCommand([Buffer.from("SET"), Buffer.from("k"), binary]),
    ).toEqual(
      Buffer.concat([
        bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$7\r\n"),
        binary,
        bytes("\r\n"),
      ]),
    );
  });

  it("writes byte strings one byte per character, lengths in bytes", () => {
    // "é" is one byte (0xe9) in a byte string, not UTF-8's two.
    const encoded = encodeCommand(["SET", "caf\xe9", "\r\n\0\xff"]);
    expect(encoded).toEqual(
      Buffer.concat([
        bytes("*3\r\n$3\r\nSET\r\n$4\r\ncaf"),
        Buffer.from([0xe9]),
        bytes("\r\n$4\r\n\r\n"),
        Buffer.from([0x00, 0xff]),
        bytes("\r\n"),
      ]),
    );
  });

  it("mixes Buffers and byte strings in one command", () => {
    expect(encodeCommand(["SET", Buffer.from([0xe9]), "\xe9"])).toEqual(
      Buffer.concat([
        bytes("*3\r\n$3\r\nSET\r\n$1\r\n"),
        Buffer.from([0xe9]),
        bytes("\r\n$1\r\n"),
        Buffer.from([0xe9]),
        bytes("\r\n"),
      ]),
    );
  });

  it("counts arguments and lengths past one digit", () => {
    const words = Array.from({ length: 12 }, (_, i) => "x".repeat(i * 10));
    const expected =
      "*12\r\n" + words.map((w) => `$${w.length}\r\n${w}\r\n`).join("");
    expect(encodeCommand(words)).toEqual(bytes(expected));
    const big = Buffer.alloc(100_000, 0x61);
    const header = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n";
    expect(encodeCommand(["SET", "k", big])).toEqual(
      Buffer.concat([bytes(header), big, bytes("\r\n")]),
    );
  });

  it("allocates exactly the bytes it writes (no uninitialised tail)", () => {
    // encodeCommand uses allocUnsafe: a size computed too large would
    // leave old memory at the end of the record.
    for (const words of [
      ["PING"],
      ["SET", "\xff".repeat(300), ""],
      ["DEL", "a", "b", "c"],
    ]) {
      const encoded = encodeCommand(words);
      const expected =
        `*${words.length}\r\n` +
        words.map((w) => `$${w.length}\r\n${w}\r\n`).join("");
      expect(encoded.length).toBe(expected.length);
      expect(encoded.toString("latin1")).toBe(expected);
    }
  });
});
