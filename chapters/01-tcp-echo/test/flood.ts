/**
 * Test helper: make the echo server block on writing to one client.
 *
 * The client stops reading and sends more than the kernel buffers between
 * two loopback sockets can hold (on Linux each of the four grows to a few
 * MB), so the echo piles up in the server's own memory. Only then is the
 * server really in the middle of a write, which is what the shutdown and
 * disconnect tests need; with less, the kernel quietly absorbs it all.
 */
import { randomBytes } from "node:crypto";
import { waitUntil } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";

export const MORE_THAN_KERNEL_BUFFERS = 32 * 1024 * 1024;

/** Floods the server from `client`, and resolves with what was sent once the server holds unsent echo. */
export async function floodWithoutReading(
  client: RawSocket,
  server: { stats(): { peakOutputBufferBytes: number } },
): Promise<Buffer> {
  const payload = randomBytes(MORE_THAN_KERNEL_BUFFERS);
  client.socket.pause();
  client.socket.write(payload);
  await waitUntil(
    () => server.stats().peakOutputBufferBytes > 0,
    "the server holds echo it cannot send yet",
  );
  return payload;
}
