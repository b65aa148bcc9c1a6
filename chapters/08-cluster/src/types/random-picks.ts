/**
 * Picking items at random, the two ways HRANDFIELD and ZRANDMEMBER pick
 * (Redis's `hrandfieldWithCountCommand` and `zrandmemberWithCountCommand`
 * share their algorithm): one item at a time, repeats allowed, or
 * several different ones in a single walk.
 */

/** One of `items`, each as likely as any other. */
export function randomItem<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

// #region selection-sample
/**
 * `count` of the `size` items `from` yields, each subset as likely as any
 * other, in their order: each item is taken with the odds "still needed
 * over still to come" (Knuth's selection sampling).
 */
export function selectionSample<T>(
  from: Iterable<T>,
  size: number,
  count: number,
): T[] {
  const taken: T[] = [];
  let left = size;
  for (const item of from) {
    if (Math.random() * left < count - taken.length) taken.push(item);
    if (taken.length === count) break;
    left -= 1;
  }
  return taken;
}
// #endregion selection-sample
