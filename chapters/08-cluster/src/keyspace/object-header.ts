/**
 * What Redis keeps in each value's header besides the value, which OBJECT
 * shows, and how we keep it: per key, one small integer next to the value
 * (the `meta` of dict.ts's entry), holding
 *
 * - when the key was last used, in 24 bits of Redis's LRU clock (seconds,
 *   modulo 2^24: about 194 days), for OBJECT IDLETIME;
 * - how the command that stored a string made it (`StringOrigin`), which
 *   decides its encoding and whether it is shared (see object-command.ts);
 * - whether the value is one of Redis's shared integers, whose clock is
 *   not the key's own (`SharedIntegerClocks`).
 *
 * All fit in 27 bits: a small integer, which V8 stores in the entry's own
 * field, with nothing allocated for it.
 */
import type { RedisValue } from "./keyspace.ts";

// #region lru-clock
/** The largest value of Redis's LRU clock (LRU_CLOCK_MAX): it wraps after this. */
const LRU_CLOCK_MAX = 2 ** 24 - 1;

/**
 * Redis's LRU clock at wall-clock time `ms`: whole seconds, in 24 bits.
 * Redis stores this much per value, and so do we: an idle time is only
 * ever wanted to the second.
 */
export function lruClock(ms: number): number {
  return Math.floor(ms / 1000) & LRU_CLOCK_MAX;
}

/**
 * Seconds from the LRU clock reading `then` to `now` (Redis's
 * `estimateObjectIdleTime`): once the clock has wrapped, `now` is below
 * `then`, and the wrap is counted in. A key idle for more than 194 days
 * looks younger than it is, as in Redis.
 */
export function secondsBetween(then: number, now: number): number {
  return now >= then ? now - then : now + (LRU_CLOCK_MAX - then);
}

/**
 * The LRU clock reading `idleSeconds` before `now` (RESTORE's IDLETIME,
 * Redis's `objectSetLRUOrLFU`): before the clock's zero, Redis gives up
 * and picks half the clock's range back. The seconds are a 64-bit integer
 * that Redis multiplies by 1000 and divides back, wrapping as C does.
 */
export function clockBefore(now: number, idleSeconds: bigint): number {
  const seconds = BigInt.asIntN(64, idleSeconds * 1000n) / 1000n;
  const clock = BigInt(now) - seconds;
  if (clock < 0n) return (now + Math.floor(LRU_CLOCK_MAX / 2)) % LRU_CLOCK_MAX;
  return Number(clock);
}
// #endregion lru-clock

// #region string-origin
/**
 * How a command made the string it stored, which is what decides Redis's
 * encoding for it (see `stringEncoding` in object-command.ts):
 *
 * - `stored`: SET and most writers store the client's bytes, trying an
 *   integer, then an embedded string, then a raw one;
 * - `edited`: APPEND and SETRANGE edit a string in place, which Redis
 *   first makes raw, whatever its length;
 * - `formatted`: INCRBYFLOAT formats a number as text: embedded or raw,
 *   never an integer, even for `3`;
 * - `copiedInteger`: COPY of an integer duplicates it, so the copy is an
 *   integer of its own, never the shared one.
 */
export const StringOrigin = {
  stored: 0,
  edited: 1,
  formatted: 2,
  copiedInteger: 3,
} as const;
export type StringOrigin = (typeof StringOrigin)[keyof typeof StringOrigin];
// #endregion string-origin

// #region shared-integers
/** How many small integers Redis shares (OBJ_SHARED_INTEGERS): 0 to 9999. */
export const SHARED_INTEGERS = 10_000;

/**
 * The shared integer a string is, or -1: Redis makes the integers 0 to
 * 9999 once, at start-up, and a string stored as the client sent it (or
 * as INCR made it) whose text is one of them, in canonical form, points
 * to that one object instead of a value of its own (unless a maxmemory
 * policy needs a clock per key, which we do not have).
 */
export function sharedInteger(value: RedisValue, origin: StringOrigin): number {
  if (typeof value !== "string" || origin !== StringOrigin.stored) return -1;
  if (value.length === 0 || value.length > 4) return -1;
  if (value.length > 1 && value.charCodeAt(0) === 0x30) return -1; // "0…"
  let number = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * The LRU clocks of the shared integers, one per integer, for the whole
 * server: a shared object has one header, so in Redis every key that
 * holds `5` has the same idle time. Using one such key is a use of all of
 * them, and a key newly set to `5` is as idle as the object already was
 * (Redis gives a new value the clock of now, but `5` is not new: it was
 * made at start-up).
 */
export class SharedIntegerClocks {
  readonly #clocks = new Uint32Array(SHARED_INTEGERS);

  /** At start-up, when Redis makes the shared objects: all just made. */
  constructor(clock: number) {
    this.#clocks.fill(clock);
  }

  /** When any key holding `number` was last used, as an LRU clock reading. */
  lastUsed(number: number): number {
    return this.#clocks[number]!;
  }

  /** A key holding `number` has just been used. */
  touch(number: number, clock: number): void {
    this.#clocks[number] = clock;
  }
}
// #endregion shared-integers

// #region header
/** Where the origin sits in the header, above the 24 bits of the clock. */
const ORIGIN_SHIFT = 24;
/** The bit that marks a shared integer, above the origin's two bits. */
const SHARED_BIT = 1 << 26;

/**
 * The header of `value`, made by `origin`, last used at LRU clock
 * `clock` (a shared integer ignores it: its clock is the object's).
 */
export function header(
  value: RedisValue,
  origin: StringOrigin,
  clock: number,
): number {
  const shared = sharedInteger(value, origin) >= 0 ? SHARED_BIT : 0;
  return shared | (origin << ORIGIN_SHIFT) | clock;
}

/** The header with its clock set to `clock`: the key has just been used. */
export function touched(meta: number, clock: number): number {
  return (meta & ~LRU_CLOCK_MAX) | clock;
}

/** When the key was last used, as an LRU clock reading (not for a shared integer). */
export function lastUsed(meta: number): number {
  return meta & LRU_CLOCK_MAX;
}

/** Whether the value is a shared integer, whose clock is in `SharedIntegerClocks`. */
export function isShared(meta: number): boolean {
  return (meta & SHARED_BIT) !== 0;
}

/** How the string was made (meaningless for a list). */
export function originOf(meta: number): StringOrigin {
  return ((meta & ~SHARED_BIT) >>> ORIGIN_SHIFT) as StringOrigin;
}
// #endregion header
