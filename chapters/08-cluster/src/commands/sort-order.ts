/**
 * Which elements SORT answers for, in what order: the LIMIT window, and
 * the two ways to fill it. Without sorting (`BY nosort`), a list and a
 * sorted set are read in their own order, and only the window is read.
 * Otherwise every element gets its weight (a number, sort-weights.ts)
 * or its text (ALPHA), from itself or from what BY finds
 * (sort-patterns.ts), and all are sorted before the window is cut.
 */
import type { Database } from "../keyspace/database.ts";
import { error, type Reply } from "../protocol/reply.ts";
import { Quicklist } from "../types/quicklist.ts";
import { RedisSet } from "../types/set.ts";
import { RedisSortedSet } from "../types/sorted-set.ts";
import { compareMembers } from "../types/score-range.ts";
import { cString, lookUp, type SortPattern } from "./sort-patterns.ts";
import { weightOf } from "./sort-weights.ts";

const CANNOT_CONVERT = error(
  "ERR One or more scores can't be converted into double",
);

/** The values SORT can sort. */
export type Sortable = Quicklist | RedisSet | RedisSortedSet;

// #region limit-window
/** Where the answer starts among the sorted elements, and where it stops (excluded). */
export interface Window {
  readonly from: number;
  readonly to: number;
}

/**
 * LIMIT offset count over `length` elements, as Redis 7.0.15 reads it:
 * a negative offset is 0, a negative count means "all the rest", and
 * the window is cut to the elements there are, so it may be empty.
 */
export function limitWindow(
  length: number,
  offset: bigint,
  count: bigint,
): Window {
  const size = BigInt(length);
  const from = offset < 0n ? 0n : offset > size ? size : offset;
  const wanted = count < 0n || count > size ? size : count;
  const to = from + wanted > size ? size : from + wanted;
  return { from: Number(from), to: Number(to) };
}
// #endregion limit-window

// #region unsorted
/**
 * The window of the elements in their own order, for a sort that does
 * not sort. A list and a sorted set are read from the end DESC names,
 * and only the window is read. A set has no end: DESC changes nothing.
 */
export function unsortedWindow(
  value: Sortable | undefined,
  window: Window,
  descending: boolean,
): string[] {
  const { from, to } = window;
  if (value === undefined || from >= to) return [];
  if (value instanceof Quicklist) {
    if (!descending) return value.range(from, to - 1);
    const last = value.length - 1;
    return value.range(last - (to - 1), last - from).reverse();
  }
  if (value instanceof RedisSortedSet) {
    return Array.from(value.byRank(from, to - 1, descending), ([m]) => m);
  }
  return [...value.members()].slice(from, to);
}
// #endregion unsorted

// #region sorted
/** How SORT sorts, once its options are settled. */
export interface Order {
  readonly alpha: boolean;
  readonly by: SortPattern | undefined;
  readonly descending: boolean;
  /** STORE was given: ALPHA compares whole byte strings. */
  readonly storing: boolean;
}

/** An element, and what it is sorted by: its weight, or its text for ALPHA. */
interface SortEntry {
  readonly element: string;
  readonly weight: number;
  /** ALPHA's text: the element, or what BY found (undefined: nil). */
  readonly text: string | undefined;
}

/** Every element of `value`: a list's in order, a set's and a sorted set's in their own. */
function allElements(value: Sortable | undefined): string[] {
  if (value === undefined) return [];
  if (value instanceof Quicklist) {
    return Array.from(value.entries(), ([, element]) => element);
  }
  if (value instanceof RedisSet) return [...value.members()];
  return Array.from(value.entries(), ([member]) => member);
}

/**
 * The elements of `value` sorted, and the window of them, or Redis's
 * error if a weight is not a number. Every BY lookup is made first, as
 * Redis makes them (each counts as a keyspace hit or miss), even after
 * a weight that fails; a BY key that is missing weighs 0.
 */
export function sortedWindow(
  db: Database,
  value: Sortable | undefined,
  order: Order,
  window: Window,
): string[] | Reply {
  const { alpha, by } = order;
  const entries: SortEntry[] = [];
  let convertible = true;
  for (const element of allElements(value)) {
    const found = by === undefined ? element : lookUp(db, by, element);
    if (alpha) {
      entries.push({ element, weight: 0, text: found });
      continue;
    }
    const weight = found === undefined ? 0 : weightOf(found);
    if (weight === undefined) convertible = false;
    entries.push({ element, weight: weight ?? 0, text: undefined });
  }
  if (!convertible) return CANNOT_CONVERT;
  const compare = alpha ? compareTexts(order.storing) : compareWeights;
  entries.sort((a, b) => (order.descending ? -1 : 1) * compare(a, b));
  return entries.slice(window.from, window.to).map((entry) => entry.element);
}

/**
 * Numbers: by weight, and equal weights by the elements' bytes, so that
 * the order never depends on where the elements started.
 */
function compareWeights(a: SortEntry, b: SortEntry): number {
  if (a.weight !== b.weight) return a.weight < b.weight ? -1 : 1;
  return compareMembers(a.element, b.element);
}

/**
 * ALPHA: by text, nil first, and nothing breaks a tie. Redis compares
 * with C's `strcoll()`, which in the C locale is `strcmp()`: bytes, up
 * to the first NUL (`a\0b` and `a\0c` are equal). When it STOREs, Redis
 * compares the whole strings instead, byte by byte, whatever the locale
 * (presumably so that a stored list is the same on every server).
 *
 * Ties keep the order they came in: our sort is stable, and so is the
 * C library's `qsort()` that Redis uses (glibc's is a merge sort). But
 * with BY and a LIMIT, Redis sorts with a partial quicksort of its own,
 * which may put tied elements in another order: a difference.
 */
function compareTexts(
  storing: boolean,
): (a: SortEntry, b: SortEntry) => number {
  return ({ text: a }, { text: b }) => {
    if (a === undefined || b === undefined) {
      return a === b ? 0 : a === undefined ? -1 : 1;
    }
    return storing
      ? compareMembers(a, b)
      : compareMembers(cString(a), cString(b));
  };
}
// #endregion sorted
