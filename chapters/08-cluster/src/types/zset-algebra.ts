/**
 * Union, intersection and difference of sorted sets, the way Redis 7.0
 * computes them (t_zset.c, `zunionInterDiffGenericCommand`), for ZUNION,
 * ZINTER, ZDIFF, their STOREs and ZINTERCARD. A plain set may take part
 * too: each of its members counts as scored 1.
 *
 * set-algebra.ts keeps Redis's order of work for sets; this file keeps
 * its arithmetic as well. Each input's scores are multiplied by its
 * weight, and a member's scores from several inputs are combined by
 * SUM, MIN or MAX. Both steps can meet a NaN (0 × inf, inf + -inf), which
 * a sorted set cannot hold, and Redis has its own answers for it. And the
 * order in which the inputs are read decides the last bits of a sum and
 * which NaN is answered how, so that order is Redis's too.
 *
 * Each result is a new sorted set, made as Redis makes it: in the
 * skiplist encoding. The *STORE commands compact it into a listpack if
 * it is small enough (`compactIfSmall`); the others only reply with it.
 */
import { RedisSet } from "./set.ts";
import {
  RedisSortedSet,
  type ScoredMember,
  type SortedSetLimits,
} from "./sorted-set.ts";

// #region inputs
/** What these commands read at a key: a sorted set, or a set whose members all score 1. */
export type ScoredSource = RedisSortedSet | RedisSet;

/** One input: the value at a key (undefined for a missing key: empty) and its weight. */
export interface Input {
  readonly source: ScoredSource | undefined;
  /** What its scores are multiplied by: 1 unless WEIGHTS says otherwise. */
  readonly weight: number;
}

/** How a member's scores from several inputs become one: AGGREGATE's choices. */
export type Aggregate = "sum" | "min" | "max";

/** An input's members with their scores; a set's all score 1. */
function* scoredEntries(source: ScoredSource): Generator<ScoredMember> {
  if (source instanceof RedisSortedSet) {
    yield* source.entries();
    return;
  }
  for (const member of source.members()) yield [member, 1];
}

/** `member`'s score in `source`, or undefined if it is not there. */
function scoreIn(
  source: ScoredSource | undefined,
  member: string,
): number | undefined {
  if (source instanceof RedisSortedSet) return source.score(member);
  return source?.has(member) ? 1 : undefined;
}

function sizeOf(source: ScoredSource | undefined): number {
  return source?.size ?? 0;
}

/**
 * The inputs from the smallest to the largest. The sort is stable, as
 * glibc's `qsort` is for Redis's small arrays: of two inputs of one size,
 * the first named comes first, which can show in a result (see
 * `intersection`).
 */
function bySize(inputs: readonly Input[]): Input[] {
  return [...inputs].sort((a, b) => sizeOf(a.source) - sizeOf(b.source));
}
// #endregion inputs

// #region aggregate
/**
 * `score` times `weight`, or 0 where that is NaN: 0 × ±inf has no value
 * in IEEE arithmetic, and a sorted set cannot hold NaN (it could not be
 * ordered), so Redis makes it 0.
 */
function weighted(score: number, weight: number): number {
  const product = score * weight;
  return Number.isNaN(product) ? 0 : product;
}

/**
 * `total` combined with one more score, `value` (Redis's
 * `zunionInterAggregate`). SUM makes a NaN sum (inf + -inf) 0, as
 * `weighted` does. MIN and MAX keep `total` unless `value` is strictly
 * lower or higher, so a NaN `value`, which no comparison holds for,
 * changes nothing.
 */
export function aggregate(
  total: number,
  value: number,
  how: Aggregate,
): number {
  switch (how) {
    case "sum": {
      const sum = total + value;
      return Number.isNaN(sum) ? 0 : sum;
    }
    case "min":
      return value < total ? value : total;
    case "max":
      return value > total ? value : total;
  }
}
// #endregion aggregate

// #region union
/**
 * Every member of every input, each with its scores weighted and
 * combined. The inputs are read smallest first, as Redis reads them, so
 * a sum is added up in Redis's order: floating-point addition is not
 * associative, and a different order can change the last bit.
 */
export function union(
  inputs: readonly Input[],
  how: Aggregate,
  limits: SortedSetLimits,
): RedisSortedSet {
  const totals = new Map<string, number>();
  for (const { source, weight } of bySize(inputs)) {
    if (source === undefined) continue;
    for (const [member, score] of scoredEntries(source)) {
      const value = weighted(score, weight);
      const total = totals.get(member);
      totals.set(
        member,
        total === undefined ? value : aggregate(total, value, how),
      );
    }
  }
  return sortedSetOf(totals, limits);
}

/** A new sorted set of `entries`, in the skiplist encoding, as Redis makes its results. */
function sortedSetOf(
  entries: Iterable<ScoredMember>,
  limits: SortedSetLimits,
): RedisSortedSet {
  const result = new RedisSortedSet("skiplist");
  for (const [member, score] of entries) result.add(member, score, limits);
  return result;
}
// #endregion union

// #region intersection
/**
 * The members every input has, each with its scores weighted and
 * combined. Lazy, so that ZINTERCARD's LIMIT stops the work as soon as
 * it has counted enough.
 *
 * The smallest input is walked, and each of its members looked up in the
 * others: no member outside it can be in the result, and the fewer it
 * has, the fewer the lookups. An empty or missing input makes the
 * intersection empty, and being the smallest, it is found first.
 *
 * One asymmetry is Redis's, kept because it shows: only the walked
 * input's weighted score is made 0 when it is NaN (`weighted`). The other
 * inputs' are multiplied as they are, and a NaN among them is left to
 * `aggregate`, where SUM makes it 0 but MIN and MAX ignore it. So with
 * `a` = {m: inf} and `b` = {m: -inf}, `ZINTER 2 a b WEIGHTS 0 1 AGGREGATE
 * MAX` is 0 (a is walked: max(0, -inf)), and `ZINTER 2 b a WEIGHTS 1 0
 * AGGREGATE MAX` is -inf (b is walked: max(-inf, NaN)).
 */
export function* intersection(
  inputs: readonly Input[],
  how: Aggregate,
): Generator<ScoredMember> {
  const [smallest, ...others] = bySize(inputs);
  if (smallest?.source === undefined) return;
  for (const [member, score] of scoredEntries(smallest.source)) {
    const first = weighted(score, smallest.weight);
    const total = combinedScore(member, first, others, how);
    if (total !== undefined) yield [member, total];
  }
}

/**
 * `first` combined with `member`'s weighted score in each of `others`,
 * in their order, or undefined as soon as one of them lacks it.
 */
function combinedScore(
  member: string,
  first: number,
  others: readonly Input[],
  how: Aggregate,
): number | undefined {
  let total = first;
  for (const { source, weight } of others) {
    const score = scoreIn(source, member);
    if (score === undefined) return undefined;
    total = aggregate(total, score * weight, how);
  }
  return total;
}

/** The intersection as a new sorted set, for ZINTER and ZINTERSTORE. */
export function intersectionSet(
  inputs: readonly Input[],
  how: Aggregate,
  limits: SortedSetLimits,
): RedisSortedSet {
  return sortedSetOf(intersection(inputs, how), limits);
}
// #endregion intersection

// #region difference
/**
 * Redis's two ways to compute `first` minus the other inputs, as for
 * sets (set-algebra.ts):
 *
 * - "member by member": for each member of the first input, look it up
 *   in each other input, and keep it, with its score, if none has it.
 * - "copy and remove": copy the first input, then remove from the copy
 *   every member of every other input.
 */
export type DiffAlgorithm = "member by member" | "copy and remove";

/**
 * Redis's estimate (`zsetChooseDiffAlgorithm`), as SDIFF's: the work of
 * "member by member" is the first input's size once per input, that of
 * "copy and remove" the sum of the sizes, and the first is halved (its
 * steps are cheaper, and a member found stops being looked up). One
 * difference with SDIFF's: a missing key counts here, once more the first
 * input's size for "member by member", where SDIFF skips it.
 */
export function diffAlgorithm(
  first: ScoredSource,
  others: readonly (ScoredSource | undefined)[],
): DiffAlgorithm {
  const memberByMember = first.size * (1 + others.length);
  let copyAndRemove = first.size;
  for (const other of others) copyAndRemove += sizeOf(other);
  return Math.floor(memberByMember / 2) <= copyAndRemove
    ? "member by member"
    : "copy and remove";
}

/**
 * The members of `first` that none of `others` has, with their scores
 * in `first` (weights and AGGREGATE do not apply: ZDIFF refuses them).
 */
export function difference(
  first: ScoredSource | undefined,
  others: readonly (ScoredSource | undefined)[],
  limits: SortedSetLimits,
): RedisSortedSet {
  const result = new RedisSortedSet("skiplist");
  if (first === undefined || first.size === 0) return result;
  // The first input named again removes every member of its own: Redis
  // answers before choosing an algorithm.
  if (others.includes(first)) return result;
  if (diffAlgorithm(first, others) === "member by member") {
    // The largest inputs first: the likelier to hold a member, so the
    // sooner a member that is not kept stops being looked up.
    const largestFirst = others
      .filter((other) => other !== undefined)
      .sort((a, b) => b.size - a.size);
    for (const [member, score] of scoredEntries(first)) {
      const taken = largestFirst.some((other) => other.has(member));
      if (!taken) result.add(member, score, limits);
    }
    return result;
  }
  for (const [member, score] of scoredEntries(first)) {
    result.add(member, score, limits);
  }
  for (const other of others) {
    if (other === undefined) continue;
    for (const [member] of scoredEntries(other)) {
      result.delete(member);
      // Nothing left to remove from: the other inputs cannot change that.
      if (result.size === 0) return result;
    }
  }
  return result;
}
// #endregion difference
