/**
 * Unit tests for the hash value: types/hash.ts and types/packed-pairs.ts,
 * the hash settings as the config reads them, and HRANDFIELD's limit on
 * picks (ours alone, so not in the black-box suite, which Redis passes). A model-based test runs
 * random writes on a hash and on a Map side by side (a Map keeps its keys
 * in the order they were added, and an update leaves a key where it is:
 * exactly a listpack's order), and checks after each step that they hold
 * the same pairs, in the same order while the hash is compact, and that
 * the hash converted exactly when Redis 7.0.15 converts.
 */
import { constants } from "node:buffer";
import { describe, expect, it } from "vitest";
import { RedisHash, type HashLimits } from "../../src/types/hash.ts";
import { PackedPairs } from "../../src/types/packed-pairs.ts";
import {
  EMPTY_LISTPACK_BYTES,
  listpackEntryBytes,
} from "../../src/types/listpack-size.ts";
import { loadConfig } from "../../src/config/config-file.ts";
import { inProcessContext } from "../in-process-context.ts";
import { array, bulk, error } from "../../src/protocol/reply.ts";
import { hrandfield } from "../../src/commands/hash-random-command.ts";
import { MAX_REPEATED_PICKS } from "../../src/commands/random-with-count.ts";
import {
  seededRandom,
  type SeededRandom,
} from "../../../../shared/seeded-random.ts";

/** Redis's defaults: 512 fields, 64 bytes. */
const DEFAULT_LIMITS: HashLimits = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
};

/** Byte strings, one character per byte, of every length class the packing has. */
function randomText(random: SeededRandom): string {
  const kind = random.below(20);
  if (kind < 10) return `f${random.below(30)}`; // short, often repeated
  if (kind < 13) return String(random.below(2_000_000) - 1_000_000);
  if (kind < 17) return random.bytes(random.below(5)).toString("latin1"); // binary, maybe empty
  return "m".repeat(random.below(400)); // around 64, and past 255: a long length
}

/** What Redis's listpack for these pairs takes, computed from scratch. */
function listpackBytesOf(pairs: Iterable<[string, string]>): number {
  let bytes = EMPTY_LISTPACK_BYTES;
  for (const [field, value] of pairs) {
    bytes += listpackEntryBytes(field) + listpackEntryBytes(value);
  }
  return bytes;
}

function sortedEntries(hash: RedisHash): [string, string][] {
  return [...hash.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("PackedPairs", () => {
  it("keeps the order pairs were added in; an update stays in place, a delete closes the gap", () => {
    const pairs = new PackedPairs();
    expect(pairs.set("a", "1")).toBe(true);
    expect(pairs.set("b", "2")).toBe(true);
    expect(pairs.set("c", "3")).toBe(true);
    expect(pairs.set("a", "one")).toBe(false);
    expect([...pairs.entries()]).toEqual([
      ["a", "one"],
      ["b", "2"],
      ["c", "3"],
    ]);
    expect(pairs.delete("b")).toBe(true);
    expect(pairs.delete("b")).toBe(false);
    expect(pairs.set("b", "again")).toBe(true);
    expect([...pairs.entries()]).toEqual([
      ["a", "one"],
      ["c", "3"],
      ["b", "again"],
    ]);
    expect(pairs.size).toBe(3);
  });

  it("finds a field by its bytes only: a value equal to a field name, a prefix or the empty string is no match", () => {
    const pairs = new PackedPairs();
    pairs.set("ab", "x");
    pairs.set("x", "ab");
    pairs.set("", "");
    expect(pairs.get("a")).toBeUndefined();
    expect(pairs.get("abc")).toBeUndefined();
    expect(pairs.get("x")).toBe("ab");
    expect(pairs.get("")).toBe("");
    expect(pairs.has("")).toBe(true);
    expect(pairs.get("\0")).toBeUndefined();
  });

  it("agrees with a Map through random writes, lengths of one and five bytes included, and counts Redis's listpack bytes", () => {
    const random = seededRandom(17);
    const pairs = new PackedPairs();
    const model = new Map<string, string>();
    for (let step = 0; step < 3000; step++) {
      const field = randomText(random);
      if (random.below(4) === 0) {
        expect(pairs.delete(field)).toBe(model.delete(field));
      } else {
        const value = randomText(random);
        expect(pairs.set(field, value)).toBe(!model.has(field));
        model.set(field, value);
      }
      expect(pairs.size).toBe(model.size);
      expect(pairs.get(field)).toBe(model.get(field));
      if (step % 100 === 0) {
        expect([...pairs.entries()]).toEqual([...model]);
        expect([...pairs.copiedEntries()]).toEqual([...model]);
        expect(pairs.listpackBytes).toBe(listpackBytesOf(model));
      }
    }
    expect(pairs.listpackBytes).toBe(listpackBytesOf(model));
  });

  it("packs lengths of every size: one byte below 255, five from 255 on, up to 32 bits", () => {
    const pairs = new PackedPairs();
    const lengths = [0, 1, 254, 255, 256, 65_535, 65_536, 2 ** 24 + 1];
    for (const length of lengths) {
      pairs.set(`f${length}`, "v".repeat(length));
    }
    pairs.set("last", "x");
    for (const length of lengths) {
      expect(pairs.get(`f${length}`)).toBe("v".repeat(length));
    }
    expect([...pairs.entries()].map(([field]) => field)).toEqual([
      ...lengths.map((length) => `f${length}`),
      "last",
    ]);
  });

  it("has room for a pair only while the packed string stays within V8's longest string", () => {
    const pairs = new PackedPairs();
    pairs.set("f", "v");
    expect(pairs.hasRoomFor("g", "x".repeat(1000))).toBe(true);
    // The 4 bytes packed already, and the new pair's 7 besides its value:
    // a one-byte length for "g", and a five-byte one for the value.
    const longest = constants.MAX_STRING_LENGTH - 11;
    expect(pairs.hasRoomFor("g", " ".repeat(longest))).toBe(true);
    expect(pairs.hasRoomFor("g", " ".repeat(longest + 1))).toBe(false);
  });

  it("a clone shares nothing that changes", () => {
    const pairs = new PackedPairs();
    pairs.set("a", "1");
    const copy = pairs.clone();
    copy.set("a", "2");
    copy.set("b", "3");
    pairs.delete("a");
    expect([...pairs.entries()]).toEqual([]);
    expect([...copy.entries()]).toEqual([
      ["a", "2"],
      ["b", "3"],
    ]);
  });
});

describe("RedisHash: the conversion to a hash table", () => {
  it("starts as a listpack, and converts when a write leaves more fields than hash-max-listpack-entries", () => {
    const limits = { ...DEFAULT_LIMITS, hashMaxListpackEntries: 3 };
    const hash = new RedisHash();
    expect(hash.encoding).toBe("listpack");
    for (const field of ["a", "b", "c"]) hash.set(field, "v", limits);
    expect(hash.encoding).toBe("listpack");
    hash.set("a", "updated", limits);
    expect(hash.encoding).toBe("listpack");
    hash.set("d", "v", limits);
    expect(hash.encoding).toBe("hashtable");
    expect(sortedEntries(hash)).toEqual([
      ["a", "updated"],
      ["b", "v"],
      ["c", "v"],
      ["d", "v"],
    ]);
  });

  it("converts for a field or a value longer than hash-max-listpack-value, not for one exactly that long", () => {
    for (const [field, value, encoding] of [
      ["f".repeat(64), "v".repeat(64), "listpack"],
      ["f".repeat(65), "v", "hashtable"],
      ["f", "v".repeat(65), "hashtable"],
    ] as const) {
      const hash = new RedisHash();
      hash.set(field, value, DEFAULT_LIMITS);
      expect(hash.encoding).toBe(encoding);
      expect(hash.get(field)).toBe(value);
    }
  });

  it("a lowered limit converts a hash at its next write, an update included, and never before", () => {
    const hash = new RedisHash();
    for (const field of ["a", "b", "c"]) hash.set(field, "v", DEFAULT_LIMITS);
    const lowered = { ...DEFAULT_LIMITS, hashMaxListpackEntries: 1 };
    expect(hash.delete("c")).toBe(true);
    expect(hash.encoding).toBe("listpack");
    hash.set("a", "w", lowered);
    expect(hash.encoding).toBe("hashtable");
  });

  it("never goes back to a listpack, even emptied and refilled", () => {
    const hash = new RedisHash();
    hash.set("f", "v".repeat(100), DEFAULT_LIMITS);
    expect(hash.delete("f")).toBe(true);
    expect(hash.size).toBe(0);
    hash.set("g", "v", DEFAULT_LIMITS);
    expect(hash.encoding).toBe("hashtable");
  });

  it("makeRoomFor looks at every word before a write: one too long converts the hash whatever its place", () => {
    const hash = new RedisHash();
    hash.makeRoomFor(["a", "1", "b", "2"], DEFAULT_LIMITS);
    expect(hash.encoding).toBe("listpack");
    hash.makeRoomFor(["a", "1", "b", "x".repeat(65)], DEFAULT_LIMITS);
    expect(hash.encoding).toBe("hashtable");
  });

  it("makeRoomFor converts a listpack that the words could take past 1 GB, as Redis's lpSafeToAdd does", () => {
    // One 128 MB string, named eight times: V8 does not copy it.
    const big = "x".repeat(2 ** 27);
    const limits = { ...DEFAULT_LIMITS, hashMaxListpackValue: 2 ** 40 };
    const hash = new RedisHash();
    hash.set("a", "1", limits);
    // The listpack's 11 bytes, 7 × 128 MB and the fields: under 2^30.
    const words = (values: number) =>
      Array.from({ length: values }, (_, i) => [`f${i}`, big]).flat();
    hash.makeRoomFor(words(7), limits);
    expect(hash.encoding).toBe("listpack");
    hash.makeRoomFor(words(8), limits);
    expect(hash.encoding).toBe("hashtable");
    expect([...hash.entries()]).toEqual([["a", "1"]]);
  });

  it("converts rather than pack a string longer than V8 allows (ours alone: Redis's limit is 1 GB)", () => {
    const huge = "x".repeat(constants.MAX_STRING_LENGTH - 10);
    const limits = { ...DEFAULT_LIMITS, hashMaxListpackValue: 2 ** 40 };
    const hash = new RedisHash();
    hash.set("a", "1", limits);
    hash.set("b", huge, limits);
    expect(hash.encoding).toBe("hashtable");
    expect(hash.get("b")).toBe(huge);
  });

  it("keeps the pairs, in the same order while compact, through random writes and the conversion (a Map as the model)", () => {
    const random = seededRandom(23);
    for (let round = 0; round < 20; round++) {
      const limits = {
        hashMaxListpackEntries: 1 + random.below(40),
        hashMaxListpackValue: random.below(3) === 0 ? 300 : 64,
      };
      const hash = new RedisHash();
      const model = new Map<string, string>();
      let shouldBeTable = false;
      for (let step = 0; step < 200; step++) {
        const field = randomText(random);
        if (random.below(5) === 0) {
          expect(hash.delete(field)).toBe(model.delete(field));
        } else {
          const value = randomText(random);
          expect(hash.set(field, value, limits)).toBe(!model.has(field));
          model.set(field, value);
          shouldBeTable ||=
            field.length > limits.hashMaxListpackValue ||
            value.length > limits.hashMaxListpackValue ||
            model.size > limits.hashMaxListpackEntries;
        }
        expect(hash.encoding).toBe(shouldBeTable ? "hashtable" : "listpack");
        expect(hash.size).toBe(model.size);
        expect(hash.get(field)).toBe(model.get(field));
        expect(hash.has(field)).toBe(model.has(field));
      }
      if (hash.encoding === "listpack") {
        expect([...hash.entries()]).toEqual([...model]);
      } else {
        expect(sortedEntries(hash)).toEqual(
          [...model].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        );
      }
    }
  });

  it("a clone shares nothing that changes, in both encodings, and keeps the encoding", () => {
    for (const value of ["short", "v".repeat(100)]) {
      const hash = new RedisHash();
      hash.set("a", value, DEFAULT_LIMITS);
      const copy = hash.clone();
      expect(copy.encoding).toBe(hash.encoding);
      copy.set("a", "changed", DEFAULT_LIMITS);
      copy.set("b", "new", DEFAULT_LIMITS);
      hash.delete("a");
      expect([...hash.entries()]).toEqual([]);
      expect(sortedEntries(copy)).toEqual([
        ["a", "changed"],
        ["b", "new"],
      ]);
    }
  });
});

describe("RedisHash: scans and random picks", () => {
  /** A hash of `size` fields `f0`, `f1`..., compact or a hash table. */
  function hashOf(size: number, encoding: "listpack" | "hashtable") {
    const limits =
      encoding === "listpack"
        ? { ...DEFAULT_LIMITS, hashMaxListpackEntries: size }
        : { ...DEFAULT_LIMITS, hashMaxListpackEntries: 0 };
    const hash = new RedisHash();
    for (let i = 0; i < size; i++) hash.set(`f${i}`, `v${i}`, limits);
    expect(hash.encoding).toBe(encoding);
    return hash;
  }

  it("a listpack is scanned whole in one step, whatever the cursor", () => {
    const hash = hashOf(5, "listpack");
    const seen: string[] = [];
    expect(hash.scan(12345, (field, value) => seen.push(field, value))).toBe(0);
    expect(seen).toEqual([
      ...["f0", "v0", "f1", "v1", "f2", "v2"],
      ...["f3", "v3", "f4", "v4"],
    ]);
  });

  it("a hash table's scan from 0 back to 0 visits every field there all along, with its value, even as the table grows", () => {
    const hash = hashOf(1000, "hashtable");
    const seen = new Map<string, number>();
    let cursor = 0;
    let steps = 0;
    do {
      cursor = hash.scan(cursor, (field, value) => {
        expect(value).toBe(`v${field.slice(1)}`);
        seen.set(field, (seen.get(field) ?? 0) + 1);
      });
      steps += 1;
      // Fields added during the scan may or may not be seen; the old
      // ones must all be, whatever the resizes.
      if (steps === 10) {
        for (let i = 1000; i < 3000; i++)
          hash.set(`f${i}`, `v${i}`, DEFAULT_LIMITS);
      }
    } while (cursor !== 0);
    for (let i = 0; i < 1000; i++) expect(seen.get(`f${i}`)).toBeGreaterThan(0);
    expect(steps).toBeGreaterThan(1);
  });

  it.each(["listpack", "hashtable"] as const)(
    "%s: picks with repeats are pairs of the hash; different picks are different pairs of it",
    (encoding) => {
      const hash = hashOf(40, encoding);
      const pairs = new Map(hash.entries());
      const picks = hash.randomEntries(500);
      expect(picks).toHaveLength(500);
      for (const [field, value] of picks) expect(pairs.get(field)).toBe(value);
      // 500 picks among 40 fields: repeats are certain.
      expect(new Set(picks.map(([field]) => field)).size).toBeLessThan(500);
      for (const count of [1, 5, 13, 39]) {
        const distinct = hash.distinctRandomEntries(count);
        expect(distinct).toHaveLength(count);
        expect(new Set(distinct.map(([field]) => field)).size).toBe(count);
        for (const [field, value] of distinct) {
          expect(pairs.get(field)).toBe(value);
        }
      }
      expect(pairs.get(hash.randomEntry()[0])).toBeDefined();
    },
  );

  it("different picks from a listpack come in the hash's order, and every field gets picked", () => {
    const hash = hashOf(10, "listpack");
    const order = [...hash.entries()].map(([field]) => field);
    const picked = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const fields = hash.distinctRandomEntries(3).map(([field]) => field);
      expect(fields).toEqual(
        [...fields].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      );
      for (const field of fields) picked.add(field);
    }
    expect(picked.size).toBe(10);
  });
});

describe("HRANDFIELD's limit (ours alone)", () => {
  it("answers up to 2^20 picks with repeats, and refuses more: Redis would send them all", () => {
    const { db, context } = inProcessContext();
    const hash = new RedisHash();
    hash.set("f", "v", DEFAULT_LIMITS);
    db.set("h", hash);
    const run = (...words: string[]) =>
      hrandfield.run(
        ["HRANDFIELD", ...words].map((w) => Buffer.from(w)),
        context,
      );
    const most = run("h", String(-MAX_REPEATED_PICKS));
    expect(most.type === "array" && most.items.length).toBe(MAX_REPEATED_PICKS);
    expect(run("h", String(-MAX_REPEATED_PICKS - 1))).toEqual(
      error(
        "ERR value is out of range, this server picks at most 1048576 fields with repeats",
      ),
    );
    // A positive count takes each field once: no limit needed.
    expect(run("h", "9223372036854775807")).toEqual(array([bulk("f")]));
  });
});

describe("the hash settings", () => {
  it("are read under both names, the count as an integer and the length as a size", () => {
    expect(
      loadConfig([
        "--hash-max-ziplist-entries",
        "10",
        "--hash-max-listpack-value",
        "1kb",
      ]),
    ).toMatchObject({ hashMaxListpackEntries: 10, hashMaxListpackValue: 1024 });
    expect(
      loadConfig(["--hash-max-listpack-entries", "9223372036854775807"])
        .hashMaxListpackEntries,
    ).toBe(2n ** 63n - 1n);
    expect(() => loadConfig(["--hash-max-listpack-entries", "1k"])).toThrow(
      expect.objectContaining({
        reason: "argument couldn't be parsed into an integer",
      }),
    );
    expect(() => loadConfig(["--hash-max-ziplist-entries", "-1"])).toThrow(
      expect.objectContaining({
        reason: "argument must be between 0 and 9223372036854775807 inclusive",
      }),
    );
    expect(() => loadConfig(["--hash-max-ziplist-value", "1.5"])).toThrow(
      expect.objectContaining({ reason: "argument must be a memory value" }),
    );
  });
});
