/**
 * Test-only switches for cross-node writes: make this node die (SIGKILL,
 * as a crash would) at a named point of try-confirm-cancel, and shorten
 * the locks, so that a test can crash a coordinator or a participant
 * exactly between two steps rather than hope its timing lands there.
 *
 * Off unless the process was started with `TCC_TEST_HOOKS=yes` in its
 * environment; then `TCC DEBUG CRASH-AT <point>` and `TCC DEBUG LOCK-MS
 * <ms>` set them (tcc-commands.ts). A server in use never has them.
 */
import type { AppendOnlyFile } from "../../persistence/aof.ts";

// #region crash-points
/** Where a node can be told to die. */
export const CRASH_POINTS = [
  // Participant: PREPARE is in the AOF, its answer not sent.
  "prepare-logged",
  // Participant: CONFIRM arrived, nothing applied.
  "confirm-received",
  // Participant: CONFIRM applied and in the AOF, its answer not sent.
  "confirm-logged",
  // Participant: CANCEL arrived, nothing unlocked.
  "cancel-received",
  // Coordinator: every node prepared, no CONFIRM sent.
  "coordinator-prepared",
  // Coordinator: the primary confirmed (the write is decided), the others not.
  "coordinator-primary-confirmed",
  // Coordinator: every node confirmed, the client not answered.
  "coordinator-confirmed",
  // Coordinator: the first CANCEL sent, the others not.
  "coordinator-cancelling",
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];
// #endregion crash-points

/** Whether the switches may be used at all. */
export function testHooksEnabled(): boolean {
  return process.env.TCC_TEST_HOOKS === "yes";
}

/** The switches, as `TCC DEBUG` set them. */
export const testHooks: {
  crashAt: CrashPoint | undefined;
  /** Replaces the coordinator's lock time when set. */
  lockMs: number | undefined;
} = { crashAt: undefined, lockMs: undefined };

/** Dies now if told to die at `point`. */
export function crashIfAt(point: CrashPoint): void {
  if (testHooks.crashAt === point) process.kill(process.pid, "SIGKILL");
}

/**
 * Dies at `point` once what this turn logged is in the AOF, and before
 * the reply leaves (replies wait for the same write: aof.ts).
 */
export function crashOnceWritten(point: CrashPoint, aof: AppendOnlyFile): void {
  if (testHooks.crashAt !== point) return;
  aof.whenWritten(() => process.kill(process.pid, "SIGKILL"));
}
