/**
 * Unit tests for active-expiry.ts, article step 4 (active expiry): the
 * cycle that samples keys with a deadline and deletes the expired ones.
 *
 * The cycle runs here on a Keyspace of its own, on a ManualClock, called
 * by hand: no server, no timer. What these tests pin, in the order the
 * article explains it:
 *
 * 1. a round samples 20 volatile keys; the cycle goes on with another
 *    round only while more than 10% of a round had expired;
 * 2. it stops at its time budget, counts that, and the next cycles finish
 *    the job; it visits up to 16 databases, each cycle going on from
 *    where the last one stopped;
 * 3. it never deletes a key that has not expired, and its cursor reaches
 *    every volatile key in turn;
 * 4. the figures INFO shows: avg_ttl per database, expired_stale_perc.
 *
 * How many rounds a cycle ran is counted through the clock: each round
 * reads the wall clock once, to compare deadlines with (see `roundsIn`).
 * The hash table's layout is random (each table has its own seed), so
 * every test is written to hold for any layout.
 */
import { describe, expect, it, vi } from "vitest";
import { ActiveExpiry } from "../../src/expiry/active-expiry.ts";
import { Keyspace } from "../../src/keyspace/keyspace.ts";
import type { Database } from "../../src/keyspace/database.ts";
import { ManualClock } from "../manual-clock.ts";
import { seededRandom } from "../../../../shared/seeded-random.ts";

/** Redis's default budget: 25% of the 100 ms between two cycles at hz 10. */
const BUDGET_MS = 25;

function setUp(clock = new ManualClock(), databases = 16) {
  const keyspace = new Keyspace(databases, clock);
  return { clock, keyspace, expiry: new ActiveExpiry(keyspace, clock) };
}

/** Adds `count` keys named `${prefix}:${i}`, each with `ttlMs` to live. */
function addVolatile(db: Database, prefix: string, count: number, ttlMs = 0) {
  for (let i = 0; i < count; i++) {
    db.set(`${prefix}:${i}`, "v");
    db.setDeadline(`${prefix}:${i}`, db.keyspace.time + ttlMs);
  }
}

/** Adds `count` keys named `${prefix}:${i}` that have already expired. */
function addExpired(db: Database, prefix: string, count: number) {
  // A deadline just behind the keyspace's time: as if the clock had
  // moved past it, without moving the clock for every other key too.
  for (let i = 0; i < count; i++) {
    db.set(`${prefix}:${i}`, "v");
    db.setDeadline(`${prefix}:${i}`, db.keyspace.time - 1);
  }
}

/**
 * How many rounds `run` made the cycle do: each round reads the wall
 * clock once (`Keyspace.newInstant`, then `time`), and nothing else in a
 * cycle does.
 */
function roundsIn(clock: ManualClock, run: () => void): number {
  const reads = vi.spyOn(clock, "now");
  try {
    run();
    return reads.mock.calls.length;
  } finally {
    reads.mockRestore();
  }
}

/**
 * The volatile keys in the order the cycle's cursor visits them from 0:
 * the first round of a fresh database samples a prefix of this list.
 */
function scanOrder(db: Database): string[] {
  const keys: string[] = [];
  let cursor = 0;
  do {
    cursor = db.scanVolatile(cursor, (key) => keys.push(key));
  } while (cursor !== 0);
  return keys;
}

/**
 * A machine so slow that each look at the monotonic clock shows
 * `msPerReading` more milliseconds gone: the cycle, which checks its
 * budget every 16 rounds, must see it run out.
 */
class SlowMachineClock extends ManualClock {
  #elapsed = 0;

  constructor(readonly msPerReading: number) {
    super();
  }

  override monotonic(): number {
    this.#elapsed += this.msPerReading;
    return this.#elapsed;
  }
}

describe("a round, and when the cycle goes on with another", () => {
  it("with few expired keys, one round per database, and the rest stay", () => {
    const { clock, keyspace, expiry } = setUp();
    const databases = [keyspace.database(0), keyspace.database(1)];
    for (const db of databases) {
      addVolatile(db, "key", 1_000, 60_000);
      // Two keys far along the cursor's path get a deadline that passes:
      // the first round (about the first 20 keys) cannot see them.
      const order = scanOrder(db);
      for (const key of [order[500]!, order[900]!]) {
        db.setDeadline(key, keyspace.time + 10);
      }
    }
    clock.advance(11);

    // 20 keys sampled, none expired: this database is clean enough.
    expect(roundsIn(clock, () => expiry.runCycle(BUDGET_MS))).toBe(2);
    expect(keyspace.stats.expiredKeys).toBe(0);
    for (const db of databases) {
      // The two expired keys are still in the table, for a later cycle.
      expect(db.size).toBe(1_000);
      expect(db.volatileCount).toBe(1_000);
    }
  });

  it("2 expired keys in a round of 20 is not more than 10%: one round", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addVolatile(db, "key", 1_000, 60_000);
    const first = scanOrder(db).slice(0, 2);
    for (const key of first) db.setDeadline(key, keyspace.time + 10);
    clock.advance(11);

    // A round samples at least 20 keys: 2 expired is at most 10%.
    expect(roundsIn(clock, () => expiry.runCycle(BUDGET_MS))).toBe(1);
    expect(keyspace.stats.expiredKeys).toBe(2);
  });

  it("2 expired keys of 19 is 10% in whole percents, as Redis divides: one round", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addVolatile(db, "key", 19, 60_000);
    const first = scanOrder(db).slice(0, 2);
    for (const key of first) db.setDeadline(key, keyspace.time + 10);
    clock.advance(11);

    // A round wants min(19, 20) keys, so it sees all 19. 200 / 19 is 10.5,
    // which Redis's integer division makes 10: not more than 10%.
    expect(roundsIn(clock, () => expiry.runCycle(BUDGET_MS))).toBe(1);
    expect(keyspace.stats.expiredKeys).toBe(2);
  });

  it("4 expired keys in the first round is more than 10%: another round", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addVolatile(db, "key", 1_000, 60_000);
    const first = scanOrder(db).slice(0, 4);
    for (const key of first) db.setDeadline(key, keyspace.time + 10);
    clock.advance(11);

    // The first round sees 20 keys or a few more (it finishes the bucket
    // it is in): 4 of them is over 10%. The second round finds none.
    expect(roundsIn(clock, () => expiry.runCycle(BUDGET_MS))).toBe(2);
    expect(keyspace.stats.expiredKeys).toBe(4);
  });

  it("with every key expired, it goes round after round until none is left", () => {
    const { keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addExpired(db, "gone", 2_000);
    db.set("forever", "v");

    expiry.runCycle(BUDGET_MS);
    expect(db.volatileCount).toBe(0);
    expect(db.size).toBe(1);
    expect(keyspace.stats.expiredKeys).toBe(2_000);
    // The clock never moved: no budget ran out.
    expect(expiry.stats.timeCapReached).toBe(0);
  });

  it("a database without volatile keys costs no round at all", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    for (let i = 0; i < 1_000; i++) db.set(`forever:${i}`, "v");

    expect(roundsIn(clock, () => expiry.runCycle(BUDGET_MS))).toBe(0);
    expect(db.size).toBe(1_000);
  });
});

describe("the time budget", () => {
  it("a slow cycle stops at its budget, counts it, and the next cycles finish the job", () => {
    // 10 ms per look at the clock, looked at every 16 rounds: after 16
    // rounds 10 ms have gone, after 32 20 ms, after 48 30 ms > 25 ms.
    const clock = new SlowMachineClock(10);
    const { keyspace, expiry } = setUp(clock);
    const db = keyspace.database(0);
    addExpired(db, "gone", 5_000);

    expect(roundsIn(clock, () => expiry.runCycle(BUDGET_MS))).toBe(48);
    expect(expiry.stats.timeCapReached).toBe(1);
    // 48 rounds of about 20 keys: about 1,000 of the 5,000 are gone.
    const left = db.volatileCount;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(5_000 - 48 * 20);
    expect(keyspace.stats.expiredKeys).toBe(5_000 - left);

    // Every later cycle takes its share, until none is left. With all keys
    // expired, a cycle that ends with keys left can only have been cut
    // short: each such cycle adds one to the count.
    let cycles = 1;
    while (db.volatileCount > 0 && cycles < 10) {
      expiry.runCycle(BUDGET_MS);
      cycles += 1;
      if (db.volatileCount > 0) {
        expect(expiry.stats.timeCapReached).toBe(cycles);
      }
    }
    expect(db.volatileCount).toBe(0);
    expect(db.size).toBe(0);
    expect(keyspace.stats.expiredKeys).toBe(5_000);
    // About 1,000 a cycle: 5 or 6 cycles, not one more.
    expect(cycles).toBeLessThanOrEqual(6);
  });

  it("the time spent is added up for INFO's expire_cycle_cpu_milliseconds", () => {
    const clock = new SlowMachineClock(10);
    const { keyspace, expiry } = setUp(clock);
    addExpired(keyspace.database(0), "gone", 5_000);

    // Read at the start (10), at rounds 16, 32, 48 and at the end (50).
    expiry.runCycle(BUDGET_MS);
    expect(expiry.stats.cycleMilliseconds).toBe(40);
  });

  it("a fast machine never reaches the budget", () => {
    // The ManualClock's monotonic clock does not move during a cycle.
    const { keyspace, expiry } = setUp();
    addExpired(keyspace.database(0), "gone", 5_000);
    expiry.runCycle(BUDGET_MS);
    expect(expiry.stats.timeCapReached).toBe(0);
    expect(keyspace.database(0).volatileCount).toBe(0);
  });
});

describe("several databases", () => {
  it("one cycle collects the expired keys of every database", () => {
    const { keyspace, expiry } = setUp();
    for (const index of [0, 3, 7, 15]) {
      addExpired(keyspace.database(index), "gone", 100);
      keyspace.database(index).set("forever", "v");
    }

    expiry.runCycle(BUDGET_MS);
    for (const index of [0, 3, 7, 15]) {
      expect(keyspace.database(index).volatileCount).toBe(0);
      expect(keyspace.database(index).size).toBe(1);
    }
    expect(keyspace.stats.expiredKeys).toBe(400);
  });

  it("each cycle starts with the next database, so none is always last", () => {
    // On a slow machine every cycle is cut short in the first database it
    // visits: which database loses keys shows where each cycle started.
    const clock = new SlowMachineClock(10);
    const { keyspace, expiry } = setUp(clock);
    const [a, b, c] = [0, 3, 7].map((index) => keyspace.database(index));
    for (const db of [a!, b!, c!]) addExpired(db, "gone", 3_000);
    const counts = () => [a!, b!, c!].map((db) => db.volatileCount);

    expiry.runCycle(BUDGET_MS);
    const [afterFirst] = counts();
    expect(afterFirst).toBeLessThan(3_000);
    expect(counts()).toEqual([afterFirst, 3_000, 3_000]);

    expiry.runCycle(BUDGET_MS);
    const [, afterSecond] = counts();
    expect(afterSecond).toBeLessThan(3_000);
    expect(counts()).toEqual([afterFirst, afterSecond, 3_000]);

    expiry.runCycle(BUDGET_MS);
    const [, , afterThird] = counts();
    expect(afterThird).toBeLessThan(3_000);
    expect(counts()).toEqual([afterFirst, afterSecond, afterThird]);

    // And round again: the fourth starts with the first database.
    expiry.runCycle(BUDGET_MS);
    expect(counts()[0]).toBeLessThan(afterFirst!);
    expect(counts().slice(1)).toEqual([afterSecond, afterThird]);
    expect(expiry.stats.timeCapReached).toBe(4);
  });

  it("a cycle visits at most 16 databases, as Redis's does, and the next one goes on from there", () => {
    // Redis's activeExpireCycle tests CRON_DBS_PER_CALL (16) databases per
    // call, starting where the last call stopped (its `current_db`). (It
    // tries all of them after a call that ran out of time; we keep to 16
    // always, which only matters with more than 16.) Without that
    // limit, databases that hold no volatile key are never counted against
    // the budget (no round is run in them, so the clock is never checked):
    // with `databases 1000000` and a client that SELECTed each one, every
    // cycle would walk a million databases, ten times a second, whatever
    // its budget.
    const { keyspace, expiry } = setUp(new ManualClock(), 32);
    const databases = Array.from({ length: 32 }, (_, index) =>
      keyspace.database(index),
    );
    for (const db of databases) addExpired(db, "gone", 10);
    const cleaned = () =>
      databases.filter((db) => db.volatileCount === 0).length;

    expiry.runCycle(BUDGET_MS);
    expect(cleaned()).toBe(16);
    expiry.runCycle(BUDGET_MS);
    expect(cleaned()).toBe(32);
  });
});

describe("what the cycle deletes, and what it reaches", () => {
  it("never a key that has not expired, not even one at its deadline", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    // Deadlines from now (alive: a key expires once now > deadline) to
    // 999 ms from now, and keys with no deadline at all.
    for (let i = 0; i < 1_000; i++) {
      db.set(`key:${i}`, "v");
      db.setDeadline(`key:${i}`, keyspace.time + i);
      db.set(`forever:${i}`, "v");
    }

    for (let cycle = 0; cycle < 200; cycle++) expiry.runCycle(BUDGET_MS);
    expect(db.size).toBe(2_000);
    expect(keyspace.stats.expiredKeys).toBe(0);

    // A millisecond later the first is due; the cycles find it and only it.
    clock.advance(1);
    for (let cycle = 0; cycle < 200; cycle++) expiry.runCycle(BUDGET_MS);
    expect(keyspace.stats.expiredKeys).toBe(1);
    expect(db.deadline("key:0")).toBeUndefined();
    expect(db.size).toBe(1_999);
  });

  it("its cursor reaches every volatile key in turn: 10 expired among 1,000 are all found", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addVolatile(db, "key", 1_000, 60_000);
    // 10 keys picked at random (but the same on every run) expire.
    const random = seededRandom(4);
    const doomed = new Set<string>();
    while (doomed.size < 10) doomed.add(`key:${random.below(1_000)}`);
    for (const key of doomed) db.setDeadline(key, keyspace.time + 10);
    clock.advance(11);

    // Each cycle samples at least 20 keys further along the cursor's
    // path, so 50 cycles walk all 1,000 at least once.
    let cycles = 0;
    while (keyspace.stats.expiredKeys < 10 && cycles < 50) {
      expiry.runCycle(BUDGET_MS);
      cycles += 1;
    }
    expect(keyspace.stats.expiredKeys).toBe(10);
    for (const key of doomed) expect(db.deadline(key)).toBeUndefined();
    expect(db.size).toBe(990);
  });
});

describe("the figures INFO reports", () => {
  it("avg_ttl: a slow-moving estimate of the time left, in Redis's integer arithmetic", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addVolatile(db, "key", 100, 10_049);

    // The first estimate is taken as it is, then put through the same
    // formula: floor(10049/50)*49 + floor(10049/50) = 10,000. Redis divides
    // before multiplying, in integers, and so loses the 49 ms as well.
    expiry.runCycle(BUDGET_MS);
    expect(db.averageTtl).toBe(10_000);

    // 4 s later the keys sampled have 6,049 ms left; the estimate moves by
    // 2% of the way: floor(10000/50)*49 + floor(6049/50) = 9,800 + 120.
    clock.advance(4_000);
    expiry.runCycle(BUDGET_MS);
    expect(db.averageTtl).toBe(9_920);
  });

  it("avg_ttl is plausible with mixed times to live", () => {
    const { keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    for (let i = 0; i < 1_000; i++) {
      db.set(`key:${i}`, "v");
      db.setDeadline(`key:${i}`, keyspace.time + 1_000 + i * 100);
    }
    expiry.runCycle(BUDGET_MS);
    // Somewhere between the shortest (1 s) and the longest (about 101 s).
    expect(db.averageTtl).toBeGreaterThan(1_000);
    expect(db.averageTtl).toBeLessThan(101_000);
  });

  it("avg_ttl goes back to 0 once a database has no volatile keys left", () => {
    const { clock, keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addVolatile(db, "key", 100, 10_000);
    db.set("forever", "v");
    expiry.runCycle(BUDGET_MS);
    expect(db.averageTtl).toBe(10_000);

    clock.advance(10_001);
    expiry.runCycle(BUDGET_MS);
    expect(db.volatileCount).toBe(0);
    expect(db.averageTtl).toBe(0);
  });

  it("expired_stale_perc: a running average, 5% this cycle and 95% the past", () => {
    const { keyspace, expiry } = setUp();
    const db = keyspace.database(0);
    addExpired(db, "gone", 100);

    // Every key sampled had expired: 100% this cycle.
    expiry.runCycle(BUDGET_MS);
    expect(expiry.stats.stalePercent).toBeCloseTo(5, 10);

    // None sampled had expired: 0% this cycle, the average decays.
    addVolatile(db, "alive", 100, 60_000);
    expiry.runCycle(BUDGET_MS);
    expect(expiry.stats.stalePercent).toBeCloseTo(4.75, 10);

    // Nothing to sample counts as 0% too.
    db.clear();
    expiry.runCycle(BUDGET_MS);
    expect(expiry.stats.stalePercent).toBeCloseTo(4.5125, 10);
  });
});
