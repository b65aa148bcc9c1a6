/**
 * A seeded pseudo-random generator for tests (mulberry32, a well-known tiny
 * generator): the same seed gives the same data on every run, so a fuzz
 * test that fails once fails again, and the failure can be studied.
 * `Math.random()` cannot be seeded, and crypto's randomBytes is for data
 * whose exact value does not matter.
 */
export interface SeededRandom {
  /** An integer in [0, n). */
  below(n: number): number;
  /** `length` random bytes. */
  bytes(length: number): Buffer;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => Math.floor((uint32() / 2 ** 32) * n);
  return {
    below,
    bytes(length) {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = below(256);
      return bytes;
    },
  };
}
