/**
 * The choices a generator makes, all drawn from one seeded generator
 * (shared/seeded-random.ts), so that a seed names one exact sequence of
 * commands: a difference found once is found again with the same seed.
 * Nothing here may read the clock or Math.random().
 */
import { seededRandom, type SeededRandom } from "../seeded-random.ts";

export class FuzzRandom {
  readonly #source: SeededRandom;
  readonly #keyName: (name: Buffer) => Buffer;

  /**
   * `keyName` gives the generators' key names the form they take in this
   * run: themselves by default; with a hash tag in a cluster run
   * (cluster-keys.ts), so that the keys of one command mostly share a
   * slot. It draws nothing, so a seed names the same choices either way.
   */
  constructor(seed: number, keyName: (name: Buffer) => Buffer = (n) => n) {
    this.#source = seededRandom(seed);
    this.#keyName = keyName;
  }

  /** A key of a generator's pool, as this run names it (see the constructor). */
  keyName(name: Buffer): Buffer {
    return this.#keyName(name);
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.#source.below(n);
  }

  /** An integer in [low, high], both included. */
  between(low: number, high: number): number {
    return low + this.#source.below(high - low + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#source.below(1_000_000) < p * 1_000_000;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick() from an empty list");
    return items[this.#source.below(items.length)]!;
  }

  /** One element, chosen in proportion to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let left = this.#source.below(total);
    for (const [item, weight] of items) {
      if (left < weight) return item;
      left -= weight;
    }
    return items.at(-1)![0];
  }

  /** `length` random bytes. */
  bytes(length: number): Buffer {
    return this.#source.bytes(length);
  }

  /**
   * A keyword in a random letter case (`ex`, `EX`, `Ex`, `eX`): Redis
   * compares keywords without case, and a server that does not is wrong
   * in a way fixed-case tests never show.
   */
  anyCase(word: string): string {
    const roll = this.below(4);
    if (roll === 0) return asciiCase(word, () => false);
    if (roll === 1) return asciiCase(word, () => true);
    return asciiCase(word, () => this.below(2) === 0);
  }
}

/** `text` with each ASCII letter upper-cased when `upper()` says so, lower-cased otherwise; other bytes untouched. */
function asciiCase(text: string, upper: () => boolean): string {
  let result = "";
  for (const char of text) {
    if (!/[A-Za-z]/.test(char)) result += char;
    else result += upper() ? char.toUpperCase() : char.toLowerCase();
  }
  return result;
}
