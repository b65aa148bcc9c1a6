/**
 * Unit tests for dict.ts, the keyspace's hash table: the Map-like basics,
 * growing and shrinking, random keys, and above all SCAN's promise: a key
 * that is in the table for the whole scan is returned, however much the
 * table grows or shrinks between two steps.
 */
import { describe, expect, it } from "vitest";
import { Dict } from "../../src/keyspace/dict.ts";
import { seededRandom } from "../../../../shared/seeded-random.ts";

/** A whole scan, from cursor 0 back to 0, calling `between` after each step. */
function scanAll(dict: Dict<number>, between: () => void = () => {}) {
  const seen: string[] = [];
  let cursor = 0;
  let steps = 0;
  do {
    cursor = dict.scan(cursor, (key) => seen.push(key));
    between();
    steps += 1;
    if (steps > 1_000_000) throw new Error("the scan never ended");
  } while (cursor !== 0);
  return seen;
}

function filled(count: number): Dict<number> {
  const dict = new Dict<number>();
  for (let i = 0; i < count; i++) dict.set(`key:${i}`, i);
  return dict;
}

describe("the basics", () => {
  it("sets, replaces, gets and deletes", () => {
    const dict = new Dict<string>();
    expect(dict.set("a", "1")).toBe(true);
    expect(dict.set("a", "2")).toBe(false);
    expect(dict.get("a")).toBe("2");
    expect(dict.has("b")).toBe(false);
    expect(dict.get("b")).toBeUndefined();
    expect(dict.size).toBe(1);
    expect(dict.delete("a")).toBe(true);
    expect(dict.delete("a")).toBe(false);
    expect(dict.size).toBe(0);
  });

  it("keeps binary keys apart: one character per byte, NUL and 0xff included", () => {
    const dict = new Dict<number>();
    const keys = ["", "\0", "\0\0", "\xff", "a\0b", "a\0c"];
    keys.forEach((key, i) => dict.set(key, i));
    expect(keys.map((key) => dict.get(key))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("keeps every entry through growing to 100,000 keys and shrinking back", () => {
    const dict = filled(100_000);
    expect(dict.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 7) {
      expect(dict.get(`key:${i}`)).toBe(i);
    }
    for (let i = 0; i < 99_990; i++) dict.delete(`key:${i}`);
    expect(dict.size).toBe(10);
    expect([...dict.keys()].sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `key:${99_990 + i}`).sort(),
    );
  });

  it("clear() empties it", () => {
    const dict = filled(1000);
    dict.clear();
    expect(dict.size).toBe(0);
    expect([...dict.keys()]).toEqual([]);
    expect(dict.randomKey()).toBeUndefined();
  });
});

describe("randomKey", () => {
  it("returns only keys that are there, and each of them in time", () => {
    const dict = filled(8);
    const drawn = new Set<string>();
    for (let i = 0; i < 2000; i++) drawn.add(dict.randomKey()!);
    // 2000 draws over 8 keys: missing one has a chance below 10^-100.
    expect([...drawn].sort()).toEqual([...dict.keys()].sort());
  });
});

describe("scan", () => {
  it("returns every key exactly once when nothing changes", () => {
    const dict = filled(10_000);
    const seen = scanAll(dict);
    expect(seen.length).toBe(10_000);
    expect(new Set(seen).size).toBe(10_000);
  });

  it("ends at once on an empty table", () => {
    expect(new Dict<number>().scan(0, () => {})).toBe(0);
  });

  it("ignores cursor bits above the table's size, as Redis does", () => {
    const dict = filled(3);
    // Any cursor the client sends names some bucket, and the walk goes on.
    const next = dict.scan(0xffff_fff0, () => {});
    expect(next).toBeGreaterThanOrEqual(0);
    expect(next).toBeLessThan(2 ** 32);
  });

  it("returns every remaining key when the table shrinks halfway through", () => {
    const dict = filled(4096);
    const stable = [...dict.keys()].filter((_, i) => i % 16 === 0);
    const keep = new Set(stable);
    const seen = new Set<string>();
    let cursor = 0;
    // A step count that is no multiple of the smaller table's size, so a
    // cursor wrapped by its mask cannot land on bucket 0 by luck.
    for (let step = 0; step < 2000; step++) {
      cursor = dict.scan(cursor, (key) => seen.add(key));
    }
    // Most buckets are behind us. Delete all but 1 key in 16: the table
    // shrinks to a sixteenth of its size.
    for (const key of [...dict.keys()]) if (!keep.has(key)) dict.delete(key);
    while (cursor !== 0) cursor = dict.scan(cursor, (key) => seen.add(key));
    expect(stable.filter((key) => !seen.has(key))).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5])(
    "returns every key present all along while the table grows and shrinks between steps (seed %i)",
    (seed) => {
      const random = seededRandom(seed);
      const dict = filled(2000);
      const stable = [...dict.keys()].filter((_, i) => i % 4 === 0);
      for (const key of stable) dict.set(key, -1); // never deleted below
      let added = 0;
      const seen = new Set(
        scanAll(dict, () => {
          // Churn: sometimes a burst of new keys (the table doubles),
          // sometimes a burst of deletions (it halves).
          if (random.below(2) === 0) {
            for (let i = 0; i < random.below(3000); i++) {
              dict.set(`new:${added++}`, 0);
            }
          } else {
            for (const key of [...dict.keys()]) {
              if (dict.get(key) !== -1 && random.below(3) !== 0) {
                dict.delete(key);
              }
            }
          }
        }),
      );
      const missed = stable.filter((key) => !seen.has(key));
      expect(missed).toEqual([]);
    },
  );
});
