/**
 * Test helpers that speak just enough RESP to check the server byte by byte
 * and to drive it hard: encode a command, compare a reply exactly, and make
 * the server block on writing to one client.
 */
import { expect } from "vitest";
import { waitUntil } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";

/** More than the kernel buffers between two loopback sockets can hold (each of the four grows to a few MB). */
export const MORE_THAN_KERNEL_BUFFERS = 32 * 1024 * 1024;

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

/**
 * Sends `request` from `client`, which stops reading, and resolves once the
 * server holds output for it that it cannot send yet. Only then is the
 * server really in the middle of a write, which the shutdown and disconnect
 * tests need; with less, the kernel quietly absorbs it all.
 */
export async function sendWithoutReading(
  client: RawSocket,
  server: { stats(): { peakOutputBufferBytes: number } },
  request: Buffer,
): Promise<void> {
  client.socket.pause();
  client.socket.write(request);
  await waitUntil(
    () => server.stats().peakOutputBufferBytes > 0,
    "the server holds output it cannot send yet",
  );
}

/**
 * Readies a raw connection for a project's protocol: in RESP3 it sends
 * HELLO 3 and reads its answer, which varies (version, id), up to an ECHO
 * behind it whose reply we know.
 */
export async function speakProtocol(
  raw: RawSocket,
  protocol: 2 | 3,
): Promise<RawSocket> {
  if (protocol === 3) {
    const marker = "hello-answered";
    await raw.send(
      Buffer.concat([
        encodeCommand("HELLO", "3"),
        encodeCommand("ECHO", marker),
      ]),
    );
    const end = `$${marker.length}\r\n${marker}\r\n`;
    let received = "";
    while (!received.endsWith(end)) {
      received += (await raw.read(1)).toString("latin1");
    }
  }
  return raw;
}
