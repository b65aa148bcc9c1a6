/**
 * Unit tests for test/manual-clock.ts, the clock the expiry tests run on
 * (article step 5, "Tests that do not sleep").
 *
 * Every test that moves time through a ManualClock trusts it to run the
 * active expiry cycle exactly when a timer would have fired: in order, at
 * its own moment, again and again when it reschedules itself, and never
 * after it was cancelled. These tests check that trust, so that a failure
 * in clock.test.ts points at the server, not at the clock.
 */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../manual-clock.ts";

describe("time stands still until the test moves it", () => {
  it("starts at 2030-01-01 on the wall clock and 0 on the monotonic one", () => {
    const clock = new ManualClock();
    expect(clock.now()).toBe(Date.UTC(2030, 0, 1));
    expect(clock.monotonic()).toBe(0);
    expect(new ManualClock(1234).now()).toBe(1234);
  });

  it("advance moves both clocks by the same amount", () => {
    const clock = new ManualClock(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(clock.monotonic()).toBe(250);
    clock.advance(3_600_000);
    expect(clock.now()).toBe(3_601_250);
    expect(clock.monotonic()).toBe(3_600_250);
  });
});

describe("scheduled tasks", () => {
  it("run in the order they fall due, whatever the order they were scheduled in", () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    clock.schedule(300, () => ran.push("300"));
    clock.schedule(100, () => ran.push("100"));
    clock.schedule(200, () => ran.push("200"));

    clock.advance(1_000);
    expect(ran).toEqual(["100", "200", "300"]);
  });

  it("due at the same moment, they run in the order they were scheduled", () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    for (const name of ["a", "b", "c", "d"]) {
      clock.schedule(50, () => ran.push(name));
    }
    clock.advance(50);
    expect(ran).toEqual(["a", "b", "c", "d"]);
  });

  it("each runs at its own moment, with both clocks showing it", () => {
    // The active expiry cycle reads the clock while it runs: it must see
    // the moment its timer was due, not the end of the advance.
    const clock = new ManualClock(10_000);
    const seen: [number, number][] = [];
    clock.schedule(30, () => seen.push([clock.monotonic(), clock.now()]));
    clock.schedule(70, () => seen.push([clock.monotonic(), clock.now()]));

    clock.advance(100);
    expect(seen).toEqual([
      [30, 10_030],
      [70, 10_070],
    ]);
    expect(clock.monotonic()).toBe(100);
  });

  it("a task due exactly at the end of an advance runs; one a millisecond later does not", () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    clock.schedule(100, () => ran.push(100));
    clock.schedule(101, () => ran.push(101));

    clock.advance(100);
    expect(ran).toEqual([100]);
    expect(clock.pendingTasks).toBe(1);
    clock.advance(1);
    expect(ran).toEqual([100, 101]);
    expect(clock.pendingTasks).toBe(0);
  });

  it("advance(0) runs what is due now, and nothing later", () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    clock.schedule(0, () => ran.push(0));
    clock.schedule(1, () => ran.push(1));
    clock.advance(0);
    expect(ran).toEqual([0]);
  });
});

describe("tasks that schedule tasks, as the active expiry cycle does", () => {
  it("a timer that reschedules itself every 100 ms fires 10 times in a second", () => {
    const clock = new ManualClock();
    const firedAt: number[] = [];
    const tick = () => {
      firedAt.push(clock.monotonic());
      clock.schedule(100, tick);
    };
    clock.schedule(100, tick);

    clock.advance(1_000);
    expect(firedAt).toEqual([
      100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000,
    ]);
    // The eleventh is waiting for its moment.
    expect(clock.pendingTasks).toBe(1);
  });

  it("a task scheduled by a task runs in the same advance only if it falls due in time", () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    clock.schedule(10, () => {
      ran.push("first");
      clock.schedule(20, () => ran.push("due at 30"));
      clock.schedule(50, () => ran.push("due at 60"));
    });

    clock.advance(40);
    expect(ran).toEqual(["first", "due at 30"]);
    clock.advance(20);
    expect(ran).toEqual(["first", "due at 30", "due at 60"]);
  });

  it("one scheduled by a task comes after the tasks already due earlier", () => {
    // Scheduled at 10 to run at 25: it must not jump ahead of the task
    // that was always due at 20.
    const clock = new ManualClock();
    const ran: string[] = [];
    clock.schedule(10, () => {
      ran.push("10");
      clock.schedule(15, () => ran.push("25"));
    });
    clock.schedule(20, () => ran.push("20"));

    clock.advance(100);
    expect(ran).toEqual(["10", "20", "25"]);
  });
});

describe("cancelling", () => {
  it("a cancelled task never runs and no longer counts as pending", () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    const cancel = clock.schedule(100, () => ran.push("cancelled"));
    clock.schedule(100, () => ran.push("kept"));
    expect(clock.pendingTasks).toBe(2);

    cancel();
    expect(clock.pendingTasks).toBe(1);
    clock.advance(1_000);
    expect(ran).toEqual(["kept"]);
    expect(clock.pendingTasks).toBe(0);
  });

  it("cancelling twice, or after the task ran, changes nothing", () => {
    // A server's close() may run after its last timer fired, or twice.
    const clock = new ManualClock();
    const ran: string[] = [];
    const cancelFirst = clock.schedule(10, () => ran.push("first"));
    clock.advance(10);
    cancelFirst();

    const cancelSecond = clock.schedule(10, () => ran.push("second"));
    const cancelThird = clock.schedule(10, () => ran.push("third"));
    cancelSecond();
    cancelSecond();
    expect(clock.pendingTasks).toBe(1);
    clock.advance(10);
    expect(ran).toEqual(["first", "third"]);
    cancelThird();
    expect(clock.pendingTasks).toBe(0);
  });

  it("a task can cancel another one due at the same moment", () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    let cancelSecond = () => {};
    clock.schedule(10, () => {
      ran.push("first");
      cancelSecond();
    });
    cancelSecond = clock.schedule(10, () => ran.push("second"));

    clock.advance(10);
    expect(ran).toEqual(["first"]);
  });
});

describe("setWallClock: someone sets the date", () => {
  it("moves only the wall clock, and runs nothing", () => {
    const clock = new ManualClock(1_000_000);
    const ran: string[] = [];
    clock.schedule(100, () => ran.push("timer"));

    // A day forward: timers count monotonic time, which did not move.
    clock.setWallClock(1_000_000 + 86_400_000);
    expect(clock.now()).toBe(87_400_000);
    expect(clock.monotonic()).toBe(0);
    expect(ran).toEqual([]);
    expect(clock.pendingTasks).toBe(1);

    // And back, further than it started: the wall clock may go backwards.
    clock.setWallClock(500);
    expect(clock.now()).toBe(500);
    expect(clock.monotonic()).toBe(0);
  });

  it("advance goes on from the new wall-clock time", () => {
    const clock = new ManualClock(1_000_000);
    clock.advance(50);
    clock.setWallClock(5_000);
    const seen: number[] = [];
    clock.schedule(100, () => seen.push(clock.now()));

    clock.advance(100);
    expect(seen).toEqual([5_100]);
    expect(clock.now()).toBe(5_100);
    expect(clock.monotonic()).toBe(150);
  });
});
