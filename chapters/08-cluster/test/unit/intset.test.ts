/**
 * Unit tests for intset.ts: a sorted array of integers in one string,
 * 16, 32 or 64 bits each. Order and membership at every width, the
 * widening Redis's intset does (and never undoes), the edges of each
 * width, and the same answers as a plain sorted array under random work.
 */
import { describe, expect, it } from "vitest";
import { Intset, widthOf } from "../../src/types/intset.ts";
import { seededRandom } from "../../../../shared/seeded-random.ts";

/** An intset of `values`, added in the order given. */
function intsetOf(...values: bigint[]): Intset {
  const intset = new Intset();
  for (const value of values) intset.add(value);
  return intset;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe("width", () => {
  it.each([
    [0n, 16],
    [-32768n, 16],
    [32767n, 16],
    [32768n, 32],
    [-32769n, 32],
    [2147483647n, 32],
    [-2147483648n, 32],
    [2147483648n, 64],
    [-2147483649n, 64],
    [INT64_MAX, 64],
    [INT64_MIN, 64],
  ])("%s needs %i bits", (value, width) => {
    expect(widthOf(value)).toBe(width);
  });
});

describe("adding, finding, removing", () => {
  it("keeps members ascending, whatever the order they came in", () => {
    const intset = intsetOf(5n, -3n, 12n, 0n, 7n);
    expect([...intset.values()]).toEqual([-3n, 0n, 5n, 7n, 12n]);
    expect(intset.size).toBe(5);
    expect(intset.at(0)).toBe(-3n);
    expect(intset.at(4)).toBe(12n);
  });

  it("adds a member once: add says whether it was new", () => {
    const intset = new Intset();
    expect(intset.add(1n)).toBe(true);
    expect(intset.add(1n)).toBe(false);
    expect(intset.size).toBe(1);
  });

  it("finds members and only members, at the ends and in the middle", () => {
    const intset = intsetOf(10n, 20n, 30n);
    for (const value of [10n, 20n, 30n]) expect(intset.has(value)).toBe(true);
    for (const value of [9n, 11n, 25n, 31n, -10n]) {
      expect(intset.has(value)).toBe(false);
    }
    // Wider than the members: it cannot be one of them.
    expect(intset.has(2n ** 40n)).toBe(false);
    expect(new Intset().has(0n)).toBe(false);
  });

  it("removes a member; removing one that is not there changes nothing", () => {
    const intset = intsetOf(1n, 2n, 3n);
    expect(intset.delete(2n)).toBe(true);
    expect(intset.delete(2n)).toBe(false);
    expect(intset.delete(2n ** 40n)).toBe(false);
    expect([...intset.values()]).toEqual([1n, 3n]);
  });

  it("picks a random member among the members", () => {
    const intset = intsetOf(-5n, 0n, 70000n);
    const seen = new Set<bigint>();
    for (let i = 0; i < 200; i++) seen.add(intset.random());
    expect([...seen].sort((a, b) => (a < b ? -1 : 1))).toEqual([
      -5n,
      0n,
      70000n,
    ]);
  });
});

describe("widening, as Redis's intset upgrades", () => {
  it("starts at 16 bits and widens for a member that needs more", () => {
    const intset = intsetOf(1n, -1n);
    expect(intset.width).toBe(16);
    intset.add(40000n);
    expect(intset.width).toBe(32);
    intset.add(-(2n ** 40n));
    expect(intset.width).toBe(64);
    expect([...intset.values()]).toEqual([-(2n ** 40n), -1n, 1n, 40000n]);
  });

  it("puts the member that widened it at the right end: first if negative, last if not", () => {
    const low = intsetOf(1n, 2n);
    low.add(-70000n);
    expect([...low.values()]).toEqual([-70000n, 1n, 2n]);
    const high = intsetOf(1n, 2n);
    high.add(70000n);
    expect([...high.values()]).toEqual([1n, 2n, 70000n]);
  });

  it("never narrows again, even when the wide member goes", () => {
    const intset = intsetOf(1n, INT64_MAX);
    expect(intset.delete(INT64_MAX)).toBe(true);
    expect(intset.width).toBe(64);
    intset.add(2n);
    expect([...intset.values()]).toEqual([1n, 2n]);
    expect(intset.width).toBe(64);
  });

  it("holds the edges of every width exactly, including every edge of 64 bits", () => {
    const edges = [
      INT64_MIN,
      -2147483649n,
      -2147483648n,
      -32769n,
      -32768n,
      -1n,
      0n,
      32767n,
      32768n,
      2147483647n,
      2147483648n,
      INT64_MAX,
    ];
    const intset = intsetOf(...[...edges].reverse());
    expect([...intset.values()]).toEqual(edges);
    for (const value of edges) expect(intset.has(value)).toBe(true);
    expect(intset.has(INT64_MAX - 1n)).toBe(false);
  });
});

describe("copies", () => {
  it("a clone is independent of the original", () => {
    const original = intsetOf(1n, 2n);
    const copy = original.clone();
    copy.add(3n);
    original.delete(1n);
    expect([...original.values()]).toEqual([2n]);
    expect([...copy.values()]).toEqual([1n, 2n, 3n]);
  });
});

describe("against a plain sorted array, under random work", () => {
  it.each([16, 32, 64])(
    "agrees after thousands of adds and removes of values up to %i bits",
    (bits) => {
      const random = seededRandom(bits);
      const draw = (): bigint => {
        // Mostly a small pool, so removes hit; now and then any value of
        // the width, from its random bytes.
        if (random.below(10) < 7) return BigInt(random.below(64) - 32);
        const bytes = Buffer.alloc(8);
        random.bytes(bits / 8).copy(bytes);
        return BigInt.asIntN(bits, bytes.readBigUInt64LE());
      };
      const intset = new Intset();
      const model = new Set<bigint>();
      for (let i = 0; i < 4000; i++) {
        const value = draw();
        if (random.below(10) < 6) {
          expect(intset.add(value)).toBe(!model.has(value));
          model.add(value);
        } else {
          expect(intset.delete(value)).toBe(model.has(value));
          model.delete(value);
        }
      }
      const sorted = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect([...intset.values()]).toEqual(sorted);
      expect(intset.size).toBe(model.size);
      expect(intset.width).toBe(bits);
      for (const value of sorted) expect(intset.has(value)).toBe(true);
    },
  );
});
