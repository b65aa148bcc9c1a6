/**
 * Intersection, union and difference of sets, the way Redis 7.0 computes
 * them (t_set.c, `sinterGenericCommand` and `sunionDiffGenericCommand`).
 * The answers are the textbook ones; what is Redis's is the work done to
 * reach them, which is what these functions keep: the order in which sets
 * are read, where the work stops, and, for a difference, which of two
 * algorithms runs. A missing key is passed as `undefined`, an empty set.
 *
 * Each result is a new set, made as a set is made, so its encoding is
 * what a SADD of the same members would give: an intset if they are all
 * integers and few enough (`limit`, set-max-intset-entries), a hash
 * table otherwise. The *STORE commands store it as it is.
 */
import { RedisSet, type IntsetLimit } from "./set.ts";

// #region intersection
/**
 * The members every set has, in the order the smallest set lists them
 * (ascending, if it is an intset). Lazy, so that SINTERCARD's LIMIT stops
 * the work as soon as it has counted enough.
 *
 * The smallest set goes first because each of its members is looked up
 * in every other set: the fewer it has, the fewer the lookups, and no
 * member outside it can be in the result anyway. (Sorting is stable, so
 * of two sets of one size the first named leads, as in Redis.) A set
 * named twice is not looked up in itself.
 *
 * `sets` are all present: a missing key makes the intersection empty,
 * which the caller answers before calling this, without reading a member.
 */
export function* intersection(sets: readonly RedisSet[]): Generator<string> {
  const bySize = [...sets].sort((a, b) => a.size - b.size);
  const smallest = bySize[0]!;
  const others = bySize.slice(1).filter((set) => set !== smallest);
  for (const member of smallest.members()) {
    if (others.every((other) => other.has(member))) yield member;
  }
}
// #endregion intersection

/** Every member of every set, once. */
export function union(
  sets: readonly (RedisSet | undefined)[],
  limit: IntsetLimit,
): RedisSet {
  const result = new RedisSet();
  for (const set of sets) {
    if (set === undefined) continue;
    for (const member of set.members()) result.add(member, limit);
  }
  return result;
}

// #region difference
/**
 * Redis's two ways to compute `first` minus the other sets:
 *
 * - "member by member" (Redis's algorithm 1): for each member of the
 *   first set, look it up in each other set, and keep it if none has it.
 *   Work: (size of the first set) x (number of sets), in lookups.
 * - "copy and remove" (algorithm 2): copy the first set, then remove
 *   every member of every other set from the copy. Work: the sum of all
 *   the sets' sizes, in insertions and removals.
 *
 * Neither wins always: subtracting a few huge sets from a small one is
 * cheap member by member, and subtracting many small sets from a huge
 * one is cheap by copying. Redis estimates both before starting, and so
 * do we.
 */
export type DiffAlgorithm = "member by member" | "copy and remove";

/**
 * Redis's estimate: each algorithm's work counted as above, over the
 * sets that exist, and the first one's halved. Redis gives "member by
 * member" that head start because its steps are cheaper (a lookup, where
 * the other inserts and removes), and because a member found in one set
 * is not looked up in the rest. Halved as C halves an integer.
 */
export function diffAlgorithm(
  first: RedisSet,
  others: readonly (RedisSet | undefined)[],
): DiffAlgorithm {
  let memberByMember = first.size;
  let copyAndRemove = first.size;
  for (const set of others) {
    if (set === undefined) continue;
    memberByMember += first.size;
    copyAndRemove += set.size;
  }
  return Math.floor(memberByMember / 2) <= copyAndRemove
    ? "member by member"
    : "copy and remove";
}

/** The members of `first` that none of `others` has. */
export function difference(
  first: RedisSet | undefined,
  others: readonly (RedisSet | undefined)[],
  limit: IntsetLimit,
): RedisSet {
  const result = new RedisSet();
  if (first === undefined) return result;
  if (diffAlgorithm(first, others) === "member by member") {
    // The largest sets first: the likelier to hold a member, so the
    // sooner a member that is not kept stops being looked up.
    const bySize = others
      .filter((set) => set !== undefined)
      .sort((a, b) => b.size - a.size);
    for (const member of first.members()) {
      // The first set named again removes every member of its own.
      const taken = bySize.some((set) => set === first || set.has(member));
      if (!taken) result.add(member, limit);
    }
    return result;
  }
  for (const member of first.members()) result.add(member, limit);
  for (const set of others) {
    if (set === undefined) continue;
    for (const member of set.members()) result.delete(member);
    // Nothing left to remove from: the other sets cannot change that.
    if (result.size === 0) break;
  }
  return result;
}
// #endregion difference
