/**
 * Runs around every chapter test file (vitest `setupFiles`): fails the file
 * if it ends with more sockets, listeners, timers or child processes alive
 * than it started with.
 *
 * A leaked socket or timer is a bug even when every assertion passed: in a
 * server it is a connection never cleaned up; in a test it is a process that
 * will not exit, or a later test that sees the leftovers of an earlier one.
 */
import { afterAll, beforeAll } from "vitest";

/** Kinds of handle a test file can leave behind by mistake. */
const LEAKABLE = new Set([
  "TCPSocketWrap",
  "TCPServerWrap",
  "Timeout",
  "ProcessWrap",
]);

/** How long closing handles get to go away before we call them leaked. */
const SETTLE_MS = 1_000;

function countLeakable(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (LEAKABLE.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

function extraSince(before: Map<string, number>): string[] {
  return [...countLeakable()]
    .filter(([kind, n]) => n > (before.get(kind) ?? 0))
    .map(([kind, n]) => `${n - (before.get(kind) ?? 0)} ${kind}`);
}

let before = new Map<string, number>();

beforeAll(() => {
  before = countLeakable();
});

afterAll(async () => {
  // Closing is asynchronous: give handles some turns of the event loop.
  const deadline = Date.now() + SETTLE_MS;
  while (extraSince(before).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const extra = extraSince(before);
  if (extra.length > 0) {
    throw new Error(`left behind by this test file: ${extra.join(", ")}`);
  }
});
