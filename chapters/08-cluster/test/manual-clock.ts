/**
 * A clock that only moves when a test says so: hand it to `startServer`
 * (`startChapterServer({ clock })`) and time stands still until the test
 * calls `advance`. Then "an hour later" takes a microsecond, keys expire
 * exactly when the test says, and the active expiry cycle runs exactly
 * when its timer would have fired, never in between two commands of the
 * test. No sleeping, and nothing left to the scheduler's mood.
 */
import type { Clock } from "../src/expiry/clock.ts";

interface Task {
  /** When it is due, on the monotonic clock. */
  at: number;
  run: () => void;
  /** Tie-breaker: tasks due at the same moment run in the order they were scheduled. */
  order: number;
}

export class ManualClock implements Clock {
  #wall: number;
  #monotonic = 0;
  #tasks: Task[] = [];
  #scheduled = 0;

  /** Starts at `wallClockMs` (a round, recognisable moment by default). */
  constructor(wallClockMs = Date.UTC(2030, 0, 1)) {
    this.#wall = wallClockMs;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  schedule(ms: number, run: () => void): () => void {
    if (!Number.isInteger(ms) || ms < 0) {
      throw new RangeError(`schedule() takes whole milliseconds, not ${ms}`);
    }
    const task = { at: this.#monotonic + ms, run, order: this.#scheduled++ };
    this.#tasks.push(task);
    return () => {
      this.#tasks = this.#tasks.filter((other) => other !== task);
    };
  }

  /**
   * Moves both clocks forward by `ms`, running every task that falls due on
   * the way, at its own moment (a task that schedules another, as the
   * active expiry cycle does, gets it run too if it is due in time).
   */
  advance(ms: number): void {
    // The real wall clock counts whole milliseconds; so must this one, or
    // deadlines computed from it would not be whole either.
    if (!Number.isInteger(ms) || ms < 0) {
      throw new RangeError(`advance() takes whole milliseconds, not ${ms}`);
    }
    const end = this.#monotonic + ms;
    for (;;) {
      const next = this.#nextTaskDueBy(end);
      if (next === undefined) break;
      this.#moveTo(next.at);
      this.#tasks = this.#tasks.filter((task) => task !== next);
      next.run();
    }
    this.#moveTo(end);
  }

  /**
   * Sets the wall clock alone, as when someone sets the system's date:
   * the monotonic clock does not move, and nothing scheduled runs.
   */
  setWallClock(wallClockMs: number): void {
    this.#wall = wallClockMs;
  }

  /** How many tasks are waiting (a server that was closed leaves none). */
  get pendingTasks(): number {
    return this.#tasks.length;
  }

  #nextTaskDueBy(end: number): Task | undefined {
    let next: Task | undefined;
    for (const task of this.#tasks) {
      if (task.at > end) continue;
      if (
        next === undefined ||
        task.at < next.at ||
        (task.at === next.at && task.order < next.order)
      ) {
        next = task;
      }
    }
    return next;
  }

  #moveTo(monotonic: number): void {
    this.#wall += monotonic - this.#monotonic;
    this.#monotonic = monotonic;
  }
}
