/**
 * What Redis keeps in each value's header besides the value, which OBJECT
 * shows, and how we keep it: per key, one small integer next to the value
 * (the `meta` of dict.ts's entry), holding
 *
 * - when the key was last used, in 24 bits of Redis's LRU clock (seconds,
 *   modulo 2^24: about 194 days), for OBJECT IDLETIME;
 * - how the command that stored a string made it (`StringOrigin`), which
 *   decides its encoding and whether it is shared (see object-command.ts).
 *
 * Both fit in 26 bits: a small integer, which V8 stores in the entry's own
 * field, with nothing allocated for it.
 */

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

// #region header
/** Where the origin sits in the header, above the 24 bits of the clock. */
const ORIGIN_SHIFT = 24;

/** A header: made by `origin`, last used at LRU clock `clock`. */
export function header(origin: StringOrigin, clock: number): number {
  return (origin << ORIGIN_SHIFT) | clock;
}

/** The header with its clock set to `clock`: the key has just been used. */
export function touched(meta: number, clock: number): number {
  return (meta & ~LRU_CLOCK_MAX) | clock;
}

/** When the key was last used, as an LRU clock reading. */
export function lastUsed(meta: number): number {
  return meta & LRU_CLOCK_MAX;
}

/** How the string was made (meaningless for a list). */
export function originOf(meta: number): StringOrigin {
  return (meta >>> ORIGIN_SHIFT) as StringOrigin;
}
// #endregion header
