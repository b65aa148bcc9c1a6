/**
 * Time, as the server sees it, behind one small interface so that tests can
 * replace it.
 *
 * Expiry needs two different clocks:
 *
 * - the wall clock (`now`), milliseconds since the Unix epoch. Deadlines are
 *   written in it: `EXPIREAT key 1767225600` names a moment in the world,
 *   and EXPIRETIME must give the same number back. Chapter 05 writes
 *   deadlines to disk, where they must still mean the same moment after a
 *   restart. Redis uses the wall clock for the same reasons; if someone sets
 *   the system clock forward, keys expire early, in Redis as here.
 * - a monotonic clock (`monotonic`), for measuring how long something took:
 *   the active expiry cycle's time budget. If the wall clock jumped back by
 *   an hour in the middle of a cycle, a budget measured with it would never
 *   run out; a monotonic clock only moves forward, at a steady pace.
 *
 * `schedule` is the third piece of time a server needs: "run this later".
 * With all three behind the interface, a test can hold time still, move it
 * forward by an hour in one step, and decide exactly when the active expiry
 * cycle runs: no test has to sleep (see test/manual-clock.ts).
 */
// #region clock
export interface Clock {
  /** Wall-clock time: whole milliseconds since 1970-01-01 UTC. */
  now(): number;
  /** Milliseconds from an arbitrary start; never goes back. For durations only. */
  monotonic(): number;
  /** Runs `task` once, `ms` milliseconds from now. Returns a function that cancels it. */
  schedule(ms: number, task: () => void): () => void;
}

/** The real clocks: `Date.now()`, `performance.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  schedule(ms, task) {
    const timer = setTimeout(task, ms);
    return () => clearTimeout(timer);
  },
};
// #endregion clock
