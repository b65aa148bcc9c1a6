/**
 * Active expiry: deleting expired keys that nobody asks for.
 *
 * Lazy expiry (database.ts) deletes a key when a command looks it up after its
 * deadline. A key nobody looks up again would stay in memory for ever, so
 * Redis also goes looking for expired keys, a few times a second. It does
 * not keep the deadlines sorted (a heap or a timing wheel would cost memory
 * and work on every EXPIRE); it *samples* them:
 *
 * 1. look at 20 volatile keys of a database, delete those that expired;
 * 2. if more than 10% of them had expired, there are probably many more:
 *    go again; otherwise, this database is clean enough, go to the next;
 * 3. stop early when the cycle has used its time budget, 25% of the time
 *    between two cycles, so clients keep being served while a flood of
 *    keys expires.
 *
 * The result is adaptive: few expired keys cost one sample per database;
 * many make the cycle work harder, never longer than the budget. And it
 * makes a promise in numbers: after a cycle ends on its own (not on the
 * budget), at most about 10% of the volatile keys are expired ones waiting.
 *
 * Since version 6.0, Redis samples by walking its table of deadlines bucket
 * by bucket, with a cursor it keeps per database, rather than picking keys
 * at random: every volatile key gets looked at in turn, none twice in one
 * pass. We walk ours with chapter 03's `Dict.scan`, whose cursor also
 * survives the table shrinking as keys go.
 *
 * Redis also runs a short "fast" cycle (1 ms) between event-loop turns when
 * the last slow one ran out of time. We run only the slow one: an exercise
 * in the article adds the fast one.
 */
import type { Clock } from "./clock.ts";
import type { Deadline, Keyspace } from "../keyspace/keyspace.ts";
import type { Database } from "../keyspace/database.ts";

// #region constants
/** Keys sampled per round: Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
const KEYS_PER_ROUND = 20;
/** Another round while more than this share (in %) of the sample had expired. */
const ACCEPTABLE_STALE_PERCENT = 10;
/** The share (in %) of the time between two cycles that one cycle may use. */
const CYCLE_TIME_PERCENT = 25;
/**
 * At most this many buckets are walked per key wanted, so that a sparse
 * table cannot turn one round into a walk over thousands of empty buckets.
 */
const BUCKETS_PER_KEY = 20;
/** The clock is checked once every this many rounds, as in Redis. */
const ROUNDS_PER_TIME_CHECK = 16;
/**
 * Databases visited per cycle, each cycle going on from where the last one
 * stopped: Redis's CRON_DBS_PER_CALL. With `databases 1000000`, a cycle
 * that visited them all would take longer than its budget even if they
 * were empty, since an empty database costs no round and so never gets
 * the clock checked.
 */
const DATABASES_PER_CYCLE = 16;
// #endregion constants

/** What INFO's stats section reports about the cycle. */
export interface ActiveExpiryStats {
  /** Expired share of the sampled keys, as a running average (INFO's expired_stale_perc, in %). */
  stalePercent: number;
  /** Cycles cut short by their time budget (expired_time_cap_reached_count). */
  timeCapReached: number;
  /** Time spent in cycles, in total (expire_cycle_cpu_milliseconds). */
  cycleMilliseconds: number;
}

export class ActiveExpiry {
  readonly stats: ActiveExpiryStats = {
    stalePercent: 0,
    timeCapReached: 0,
    cycleMilliseconds: 0,
  };
  /** The number of the database the next cycle starts with. */
  #nextDatabase = 0;

  constructor(
    readonly keyspace: Keyspace,
    readonly clock: Clock,
  ) {}

  // #region cycle
  /** One cycle over up to 16 databases, spending at most about `budgetMs`. */
  runCycle(budgetMs: number): void {
    const started = this.clock.monotonic();
    const { count } = this.keyspace;
    let sampled = 0;
    let expired = 0;
    let rounds = 0;
    let outOfTime = false;

    const visits = Math.min(DATABASES_PER_CYCLE, count);
    for (let visit = 0; visit < visits && !outOfTime; visit++) {
      const db = this.keyspace.existingDatabase(this.#nextDatabase);
      this.#nextDatabase = (this.#nextDatabase + 1) % count;
      if (db === undefined) continue; // never used: nothing to expire
      let round: Round;
      do {
        if (db.volatileCount === 0) {
          db.averageTtl = 0;
          break;
        }
        rounds += 1;
        round = this.#sampleOnce(db);
        sampled += round.sampled;
        expired += round.expired;

        if (rounds % ROUNDS_PER_TIME_CHECK === 0) {
          outOfTime = this.clock.monotonic() - started > budgetMs;
          if (outOfTime) {
            this.stats.timeCapReached += 1;
            break;
          }
        }
        // Many expired keys in the sample: probably many more. Go again.
        // (In whole percents, as Redis's integer division computes them.)
      } while (
        round.sampled === 0 ||
        Math.floor((round.expired * 100) / round.sampled) >
          ACCEPTABLE_STALE_PERCENT
      );
    }

    this.stats.cycleMilliseconds += this.clock.monotonic() - started;
    // A slow-moving average: 5% this cycle, 95% the past, as Redis keeps it.
    const stale = sampled === 0 ? 0 : (expired * 100) / sampled;
    this.stats.stalePercent = stale * 0.05 + this.stats.stalePercent * 0.95;
  }
  // #endregion cycle

  // #region sample
  /**
   * One round: walks the volatile keys from the database's cursor until
   * about 20 are seen, deleting the expired ones, and updates the
   * database's average TTL from the others.
   */
  #sampleOnce(db: Database): Round {
    // Deadlines are compared with the time of this round.
    this.keyspace.newInstant();
    const now = this.keyspace.time;
    const wanted = Math.min(db.volatileCount, KEYS_PER_ROUND);
    let sampled = 0;
    let expired = 0;
    let ttlSum = 0;
    let ttlSamples = 0;

    // A bucket's keys are collected first, then acted on: deleting while
    // the table walks a bucket would cut the walk short.
    const bucket: [string, Deadline][] = [];
    const collect = (key: string, deadline: Deadline) =>
      bucket.push([key, deadline]);
    for (
      let buckets = 0;
      sampled < wanted && buckets < wanted * BUCKETS_PER_KEY;
      buckets++
    ) {
      bucket.length = 0;
      db.expiryCursor = db.scanVolatile(db.expiryCursor, collect);
      for (const [key, deadline] of bucket) {
        sampled += 1;
        if (deadline < now) {
          db.deleteExpired(key);
          expired += 1;
        } else if (deadline > now) {
          ttlSum += Number(deadline) - now;
          ttlSamples += 1;
        }
      }
    }

    if (ttlSamples > 0) {
      // Redis's running average, in its integer arithmetic: the new
      // estimate weighs 2%, the old one 98%.
      const average = Math.floor(ttlSum / ttlSamples);
      if (db.averageTtl === 0) db.averageTtl = average;
      db.averageTtl =
        Math.floor(db.averageTtl / 50) * 49 + Math.floor(average / 50);
    }
    return { sampled, expired };
  }
  // #endregion sample
}

interface Round {
  sampled: number;
  expired: number;
}

// #region schedule
/**
 * Runs a cycle `hz` times a second, each within its share of the time in
 * between (25 ms when hz is 10, Redis's default). Reads `hz` again after
 * every cycle, so CONFIG SET hz takes effect at the next one. Returns a
 * function that stops it, for a graceful shutdown.
 */
export function scheduleActiveExpiry(
  expiry: ActiveExpiry,
  hz: () => number,
): () => void {
  let cancel: () => void;
  // Whole milliseconds, as Redis's integer division gives them: 333 ms at
  // hz 3. (Deadlines are whole milliseconds, and so must the clock be.)
  const period = () => Math.floor(1000 / hz());
  const tick = () => {
    // Redis's periodic task also reads the clock of access times here,
    // and reaps a rewrite child that has exited.
    expiry.keyspace.tickLruClock();
    expiry.keyspace.reapRewriteChild();
    expiry.runCycle((period() * CYCLE_TIME_PERCENT) / 100);
    cancel = expiry.clock.schedule(period(), tick);
  };
  cancel = expiry.clock.schedule(period(), tick);
  return () => cancel();
}
// #endregion schedule
