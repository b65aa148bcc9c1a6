/**
 * Test helpers that speak just enough RESP to check the server byte by
 * byte: encode a command, and compare a reply exactly. (Chapter 02's copy
 * also drives the server hard; its suites still do that against this
 * chapter.)
 */
import { expect } from "vitest";
import type { RawSocket } from "../../../shared/raw-socket.ts";

/** A command as a client library sends it: an array of bulk strings. */
export function encodeCommand(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/**
 * Reads as many bytes as `expected` holds and compares them exactly. A
 * string is taken byte for byte (latin1), so "\xe9" means the byte 0xe9.
 */
export async function expectBytes(
  client: RawSocket,
  expected: string | Buffer,
  timeoutMs?: number,
): Promise<void> {
  const bytes =
    typeof expected === "string" ? Buffer.from(expected, "latin1") : expected;
  const received = await client.read(bytes.length, timeoutMs);
  // Compared as text, so a failure shows both sides readably.
  expect(received.toString("latin1")).toBe(bytes.toString("latin1"));
}

/** `payload` as a bulk string reply: what GET or ECHO answers. */
export function bulkReply(payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`$${payload.length}\r\n`),
    payload,
    Buffer.from("\r\n"),
  ]);
}
