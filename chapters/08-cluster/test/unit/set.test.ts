/**
 * Unit tests for set.ts and set-algebra.ts: a set's two encodings and
 * where it goes from one to the other (Redis 7.0's `setTypeAdd`), which
 * members count as integers, copies, the scan; and the algebra: its
 * answers, the encodings of its results, and the choice between Redis's
 * two ways to compute a difference. And SRANDMEMBER's limit on picks,
 * which only our server has.
 */
import { describe, expect, it } from "vitest";
import { RedisSet, type IntsetLimit } from "../../src/types/set.ts";
import {
  diffAlgorithm,
  difference,
  intersection,
  union,
} from "../../src/types/set-algebra.ts";
import { inProcessContext } from "../in-process-context.ts";
import { array, bulk, error } from "../../src/protocol/reply.ts";
import {
  MAX_REPEATED_PICKS,
  srandmember,
} from "../../src/commands/set-random-commands.ts";

const LIMIT = 512;

/** A set of `members`, added in the order given, under `limit`. */
function setOf(
  members: readonly string[],
  limit: IntsetLimit = LIMIT,
): RedisSet {
  const set = new RedisSet();
  for (const member of members) set.add(member, limit);
  return set;
}

/** The numbers from `from` to `to`, as members. */
function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

const sorted = (members: Iterable<string>): string[] => [...members].sort();

describe("the two encodings", () => {
  it("starts as an intset, whose members come back ascending", () => {
    const set = setOf(["10", "-2", "7"]);
    expect(set.type).toBe("set");
    expect(set.encoding).toBe("intset");
    expect([...set.members()]).toEqual(["-2", "7", "10"]);
    expect(set.size).toBe(3);
  });

  it.each(["a", "007", "+1", "-0", "1.0", " 1", "9223372036854775808", ""])(
    "%j is no integer for an intset: it makes a hash table",
    (member) => {
      const set = setOf(["1", member]);
      expect(set.encoding).toBe("hashtable");
      expect(set.has(member)).toBe(true);
      expect(set.has("1")).toBe(true);
      expect(sorted(set.members())).toEqual(sorted(["1", member]));
    },
  );

  it("takes 64-bit integers, up to their edges, in an intset", () => {
    const edges = ["-9223372036854775808", "9223372036854775807", "0"];
    const set = setOf(edges);
    expect(set.encoding).toBe("intset");
    expect([...set.members()]).toEqual([
      "-9223372036854775808",
      "0",
      "9223372036854775807",
    ]);
  });

  it("converts at one member more than the limit, not at the limit", () => {
    const set = setOf(range(1, 4), 4);
    expect(set.encoding).toBe("intset");
    // A member already there adds nothing, so converts nothing.
    expect(set.add("4", 4)).toBe(false);
    expect(set.encoding).toBe("intset");
    expect(set.add("5", 4)).toBe(true);
    expect(set.encoding).toBe("hashtable");
    expect(sorted(set.members())).toEqual(sorted(range(1, 5)));
  });

  it("reads the limit at each write, and a limit of 0 converts at the first member", () => {
    const set = setOf(range(1, 10), 512);
    set.add("11", 10);
    expect(set.encoding).toBe("hashtable");
    expect(setOf(["1"], 0).encoding).toBe("hashtable");
    // A bigint limit (beyond 2^53) compares as well as a number.
    expect(setOf(range(1, 600), 2n ** 62n).encoding).toBe("intset");
  });

  it("never goes back to an intset: not when members go, nor when the limit grows", () => {
    const set = setOf(["1", "a"]);
    set.delete("a");
    set.add("2", LIMIT);
    expect(set.encoding).toBe("hashtable");
    expect(sorted(set.members())).toEqual(["1", "2"]);
  });

  it("looks a non-integer up in an intset without converting it", () => {
    const set = setOf(["1", "2"]);
    expect(set.has("a")).toBe(false);
    expect(set.has("01")).toBe(false);
    expect(set.delete("a")).toBe(false);
    expect(set.encoding).toBe("intset");
  });
});

describe("random members, scans and copies", () => {
  it.each([
    ["an intset", range(1, 5)],
    ["a hash table", ["a", "b", "c", "1", "2"]],
  ])("picks random members of %s among its members", (_, members) => {
    const set = setOf(members);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(set.randomMember());
    expect(sorted(seen)).toEqual(sorted(members));
  });

  it("scans an intset whole in one step, cursor 0, whatever the cursor given", () => {
    const set = setOf(range(1, 50));
    const seen: string[] = [];
    expect(set.scan(12345, (member) => seen.push(member))).toBe(0);
    expect(seen).toEqual(range(1, 50));
  });

  it("scans a hash table bucket by bucket, every member once", () => {
    const members = [...range(1, 1000), "x"];
    const set = setOf(members);
    const seen: string[] = [];
    let cursor = 0;
    let steps = 0;
    do {
      cursor = set.scan(cursor, (member) => seen.push(member));
      steps += 1;
    } while (cursor !== 0);
    expect(steps).toBeGreaterThan(1);
    expect(sorted(seen)).toEqual(sorted(members));
  });

  it.each([
    ["an intset", ["1", "2"]],
    ["a hash table", ["a", "b"]],
  ])(
    "a clone of %s is a copy of its own, in the same encoding",
    (_, members) => {
      const original = setOf(members);
      const copy = original.clone();
      copy.add("3", LIMIT);
      original.delete(members[0]!);
      expect(copy.encoding).toBe(original.encoding);
      expect(sorted(copy.members())).toEqual(sorted([...members, "3"]));
      expect(sorted(original.members())).toEqual([members[1]!]);
    },
  );
});

describe("intersection", () => {
  it("lists the smallest set's members that every set has, in its order", () => {
    const small = setOf(["30", "10", "20"]);
    const large = setOf([...range(1, 40), "a"]);
    expect([...intersection([large, small])]).toEqual(["10", "20", "30"]);
  });

  it("stops when asked: it is lazy", () => {
    const members = intersection([setOf(range(1, 100)), setOf(range(1, 100))]);
    expect(members.next().value).toBe("1");
    expect(members.next().value).toBe("2");
  });

  it("of a set with itself is the set", () => {
    const set = setOf(["1", "b"]);
    expect(sorted(intersection([set, set]))).toEqual(["1", "b"]);
  });
});

describe("union", () => {
  it("is every member once, an intset while every member allows it", () => {
    const result = union([setOf(["3", "1"]), undefined, setOf(["2", "3"])], 4);
    expect([...result.members()]).toEqual(["1", "2", "3"]);
    expect(result.encoding).toBe("intset");
    expect(union([setOf(range(1, 3)), setOf(range(4, 5))], 4).encoding).toBe(
      "hashtable",
    );
    expect(union([setOf(["1"]), setOf(["a"])], 4).encoding).toBe("hashtable");
  });
});

describe("difference", () => {
  it("is what the first set has and no other, by either algorithm", () => {
    // A small first set against a large one: member by member.
    const first = setOf(["1", "2", "3", "a"]);
    const large = setOf(range(2, 200));
    expect(diffAlgorithm(first, [large])).toBe("member by member");
    expect(sorted(difference(first, [large], LIMIT).members())).toEqual([
      "1",
      "a",
    ]);
    // A large first set against small ones: copy and remove.
    const many = [setOf(["5"]), setOf(["6", "7"]), undefined];
    expect(diffAlgorithm(large, many)).toBe("copy and remove");
    const result = difference(large, many, LIMIT);
    expect(result.size).toBe(196);
    expect(result.has("5") || result.has("6") || result.has("7")).toBe(false);
  });

  it("weighs the two as Redis does: the first set's size per set, halved, against the sizes' sum", () => {
    const ten = setOf(range(1, 10));
    // Member by member: 10 x 2 sets / 2 = 10; copy and remove: 10 + 10.
    expect(diffAlgorithm(ten, [setOf(range(1, 10))])).toBe("member by member");
    // 10 x 4 / 2 = 20 against 10 + 3 x 3 = 19: copy and remove.
    const three = setOf(["1", "2", "3"]);
    expect(diffAlgorithm(ten, [three, three, three])).toBe("copy and remove");
    // A missing set counts for neither: 10 x 3 / 2 = 15 against 10 + 3 + 3 = 16.
    expect(diffAlgorithm(ten, [three, undefined, three])).toBe(
      "member by member",
    );
  });

  it("of a set minus itself is empty, by either algorithm", () => {
    const set = setOf(["1", "a"]);
    expect(difference(set, [set], LIMIT).size).toBe(0);
    const big = setOf(range(1, 100));
    expect(diffAlgorithm(big, [big])).toBe("member by member");
    expect(difference(big, [big], LIMIT).size).toBe(0);
    const tiny = setOf(["1"]);
    expect(diffAlgorithm(big, [tiny, tiny, tiny, big])).toBe("copy and remove");
    expect(difference(big, [tiny, tiny, tiny, big], LIMIT).size).toBe(0);
  });

  it("of a missing first set is empty; its result is made as a SADD would make it", () => {
    expect(difference(undefined, [setOf(["1"])], LIMIT).size).toBe(0);
    const result = difference(setOf(["1", "2", "a"]), [setOf(["a"])], LIMIT);
    expect(result.encoding).toBe("intset");
    expect([...result.members()]).toEqual(["1", "2"]);
  });
});

describe("SRANDMEMBER's limit (ours alone)", () => {
  it("answers up to 2^20 picks with repeats, and refuses more: Redis 7.0.15 would go on sending them until its memory ran out", () => {
    const { db, context } = inProcessContext();
    db.set("s", setOf(["m"]));
    const run = (...words: string[]) =>
      srandmember.run(
        ["SRANDMEMBER", ...words].map((w) => Buffer.from(w)),
        context,
      );
    const most = run("s", String(-MAX_REPEATED_PICKS));
    expect(most.type === "array" && most.items.length).toBe(MAX_REPEATED_PICKS);
    expect(run("s", String(-MAX_REPEATED_PICKS - 1))).toEqual(
      error(
        "ERR value is out of range, this server picks at most 1048576 members with repeats",
      ),
    );
    // A positive count takes each member once: no limit needed.
    expect(run("s", "9223372036854775807")).toEqual(array([bulk("m")]));
  });
});
