/**
 * Unit tests for the list value: quicklist.ts, packed-node.ts, node-fill.ts
 * and listpack-size.ts. A model-based test runs random operations on a
 * quicklist and on a plain array side by side, under every kind of fill,
 * and checks after each step that they agree and that every node keeps
 * Redis's bounds; then the node figures that were checked against
 * redis-server 7.0.15 (DEBUG OBJECT's ql_nodes and ql_uncompressed_size).
 */
import { describe, expect, it } from "vitest";
import { Quicklist } from "../../src/types/quicklist.ts";
import { listpackEntryBytes } from "../../src/types/listpack-size.ts";
import { byteLimit } from "../../src/types/node-fill.ts";
import {
  seededRandom,
  type SeededRandom,
} from "../../../../shared/seeded-random.ts";

/** Byte strings, one character per byte, as the server stores them. */
function randomElement(random: SeededRandom): string {
  const kind = random.below(20);
  if (kind < 10) return `e${random.below(50)}`; // short, often repeated
  if (kind < 14) return String(random.below(200_000) - 100_000); // integers
  if (kind < 16) return random.bytes(random.below(4)).toString("latin1"); // binary, maybe empty
  if (kind < 19) return "m".repeat(random.below(400)); // lengths of 1 to 3 bytes
  return "L".repeat(5_000 + random.below(70_000)); // bigger than a node
}

/** Every node's bounds: never empty, and within the fill unless alone. */
function expectNodesWithinFill(list: Quicklist): void {
  const sizes = list.nodeSizes();
  expect(sizes.length).toBe(list.nodeCount);
  expect(sizes.reduce((sum, node) => sum + node.entries, 0)).toBe(list.length);
  const outOfBounds = sizes.filter(
    ({ entries, listpackBytes }) =>
      entries === 0 ||
      // One element alone may be too big for any node.
      (entries > 1 &&
        (listpackBytes > byteLimit(list.fill) ||
          (list.fill >= 0 && entries > list.fill))),
  );
  expect(outOfBounds).toEqual([]);
  // Pushes wait unpacked only at the two ends, where pushes happen.
  expect(sizes.slice(1, -1).filter((node) => node.staged > 0)).toEqual([]);
}

/** What every node's listpack bytes should add up to. */
function expectedListpackBytes(list: Quicklist, model: string[]): number {
  return model.reduce(
    (sum, element) => sum + listpackEntryBytes(element),
    7 * list.nodeCount,
  );
}

const FILLS = [1, 2, 0, 5, 128, -1, -2, -3, -4, -5];

describe("a quicklist behaves as a plain array", () => {
  for (const fill of FILLS) {
    it(`under random operations, at fill ${fill}`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const random = seededRandom(seed * 1_000 + fill);
        const list = new Quicklist(fill);
        let model: string[] = [];
        for (let step = 0; step < 1_500; step++) {
          const length = model.length;
          switch (random.below(12)) {
            case 0:
            case 1: {
              const element = randomElement(random);
              list.pushHead(element);
              model.unshift(element);
              break;
            }
            case 2:
            case 3: {
              const element = randomElement(random);
              list.pushTail(element);
              model.push(element);
              break;
            }
            case 4:
              expect(list.popHead()).toBe(model.shift());
              break;
            case 5:
              expect(list.popTail()).toBe(model.pop());
              break;
            case 6: {
              const index = random.below(2 * length + 3) - length - 1;
              expect(list.at(index)).toBe(model.at(index));
              break;
            }
            case 7: {
              const index = random.below(2 * length + 2) - length - 1;
              const element = randomElement(random);
              const inRange = index >= -length && index < length;
              expect(list.set(index, element)).toBe(inRange);
              if (inRange) model[index < 0 ? length + index : index] = element;
              break;
            }
            case 8: {
              const index = random.below(length + 1);
              const element = randomElement(random);
              list.insertAt(index, element);
              model.splice(index, 0, element);
              break;
            }
            case 9: {
              if (length === 0) break;
              const element = model[random.below(length)]!;
              const count = random.below(7) - 3;
              expect(list.removeMatching(element, count)).toBe(
                removeFromModel(model, element, count),
              );
              break;
            }
            case 10: {
              if (length === 0) break;
              const start = random.below(length);
              const stop = start + random.below(length - start);
              expect(list.range(start, stop)).toEqual(
                model.slice(start, stop + 1),
              );
              break;
            }
            case 11: {
              if (length === 0 || random.below(8) !== 0) break;
              const start = random.below(length);
              const stop = start + random.below(length - start);
              list.trim(start, stop);
              model = model.slice(start, stop + 1);
              break;
            }
          }
          expect(list.length).toBe(model.length);
          expectNodesWithinFill(list);
          if (step % 100 === 0) {
            expect([...list.entries()]).toEqual([...model.entries()]);
            expect([...list.entriesFromTail()]).toEqual(
              [...model.entries()].reverse(),
            );
            expect(
              list
                .nodeSizes()
                .reduce((sum, node) => sum + node.listpackBytes, 0),
            ).toBe(expectedListpackBytes(list, model));
          }
        }
      }
    });
  }

  it("empties as LTRIM empties it, and clears", () => {
    const list = new Quicklist(2);
    for (const element of ["a", "b", "c", "d", "e"]) list.pushTail(element);
    list.trim(3, 1);
    expect(list.length).toBe(0);
    expect(list.nodeCount).toBe(0);
    list.pushHead("x");
    list.clear();
    expect([list.length, list.nodeCount, list.popHead()]).toEqual([
      0,
      0,
      undefined,
    ]);
  });
});

/** LREM on the model: returns how many elements went. */
function removeFromModel(
  model: string[],
  element: string,
  count: number,
): number {
  const limit = count === 0 ? Infinity : Math.abs(count);
  const positions = [...model.keys()];
  if (count < 0) positions.reverse();
  const doomed = positions
    .filter((position) => model[position] === element)
    .slice(0, limit === Infinity ? undefined : limit);
  for (const position of [...doomed].sort((a, b) => b - a)) {
    model.splice(position, 1);
  }
  return doomed.length;
}

describe("clone", () => {
  it("is independent of the original, both ways", () => {
    const random = seededRandom(42);
    const original = new Quicklist(-1);
    for (let i = 0; i < 5_000; i++) original.pushTail(randomElement(random));
    // Leave elements staged at both ends, and some popped, before copying.
    for (let i = 0; i < 10; i++) original.pushHead(`head ${i}`);
    original.popTail();
    const before = [...original.entries()];
    const copy = original.clone();
    expect([...copy.entries()]).toEqual(before);
    expect(copy.nodeCount).toBe(original.nodeCount);

    for (let i = 0; i < 2_000; i++) {
      copy.pushHead(`copy ${i}`);
      copy.popTail();
      copy.set(random.below(copy.length), `set ${i}`);
      copy.insertAt(random.below(copy.length), `inserted ${i}`);
    }
    copy.removeMatching("e1", 0);
    copy.trim(10, copy.length - 10);
    expect([...original.entries()]).toEqual(before);

    const copied = [...copy.entries()];
    for (let i = 0; i < 2_000; i++) {
      original.pushTail(`original ${i}`);
      original.popHead();
      original.set(random.below(original.length), `set ${i}`);
    }
    original.clear();
    expect([...copy.entries()]).toEqual(copied);
  });

  it("of a list of 1,000,000 elements copies nodes, not elements", () => {
    const list = new Quicklist(-2);
    for (let i = 0; i < 1_000_000; i++) list.pushTail(`element:${i}`);
    const copy = list.clone();
    // About 600 elements per 8 KB node: the copy is 1,944 node objects.
    expect(copy.nodeCount).toBe(1_944);
    expect(copy.length).toBe(1_000_000);
    copy.set(500_000, "changed");
    expect(list.at(500_000)).toBe("element:500000");
    expect(copy.at(500_000)).toBe("changed");
  });
});

describe("the node bounds of redis-server 7.0.15", () => {
  // Each figure below is what DEBUG OBJECT answered after the same pushes.

  function filled(fill: number, elements: string[]): Quicklist {
    const list = new Quicklist(fill);
    for (const element of elements) list.pushTail(element);
    return list;
  }

  function listpackBytes(list: Quicklist): number {
    return list.nodeSizes().reduce((sum, node) => sum + node.listpackBytes, 0);
  }

  it("fills nodes by bytes: 816 three-byte elements in 4 KB, not 817", () => {
    expect(filled(-1, Array(816).fill("xxx")).nodeCount).toBe(1);
    expect(filled(-1, Array(817).fill("xxx")).nodeCount).toBe(2);
    const list = filled(-2, Array(10_000).fill("xxx"));
    expect([list.nodeCount, listpackBytes(list)]).toEqual([7, 50_049]);
  });

  it("reads fills beyond -5 as -5, and 0 as one element per node", () => {
    expect(filled(-7, Array(30_000).fill("xxx")).nodeCount).toBe(3);
    expect(filled(0, ["1", "2", "3", "4", "5"]).nodeCount).toBe(5);
    expect(new Quicklist(-7).fill).toBe(-5);
    expect(new Quicklist(100_000).fill).toBe(32_767);
  });

  it("fills nodes by count, and does not merge them after deletes", () => {
    const list = filled(
      5,
      Array.from({ length: 11 }, (_, i) => String(i + 1)),
    );
    expect(list.nodeCount).toBe(3);
    for (const element of ["2", "3", "4", "7", "8", "9"]) {
      list.removeMatching(element, 0);
    }
    expect(list.range(0, 4)).toEqual(["1", "5", "6", "10", "11"]);
    expect([list.nodeCount, listpackBytes(list)]).toEqual([3, 31]);
  });

  it("gives an element too big for a node a node of its own", () => {
    const list = filled(-2, ["a", "b", "x".repeat(10_000), "c", "d"]);
    expect([list.nodeCount, listpackBytes(list)]).toEqual([3, 10_040]);
    expect(list.at(2)).toBe("x".repeat(10_000));
  });

  it("counts listpack bytes as Redis encodes integers and strings", () => {
    const integers = filled(-2, [
      "0", "127", "128", "-1", "4095", "4096", "-4096", "-4097", "32767",
      "32768", "8388607", "8388608", "2147483647", "2147483648",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "-9223372036854775809", "01", "-0", "+1", " 1",
    ]); // prettier-ignore
    expect(listpackBytes(integers)).toBe(146);
    const strings = filled(
      -2,
      [63, 64, 126, 4095, 4096].map((length) => "x".repeat(length)),
    );
    expect([strings.nodeCount, listpackBytes(strings)]).toEqual([2, 8_478]);
    expect(listpackBytes(filled(-2, [""]))).toBe(9);
  });
});
