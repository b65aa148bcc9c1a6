/**
 * LZF: what lzfCompress writes, lzfDecompress reads back, for text, runs,
 * random bytes and everything between; a compression that would not save
 * the bytes asked for is refused; a corrupt stream is refused, never read
 * past its ends. (That the compressed bytes are Redis's own is checked
 * against redis-server in dump-restore.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../shared/seeded-random.ts";
import { lzfCompress, lzfDecompress } from "../../src/rdb/lzf.ts";

/**
 * Compresses, with room for the worst case (incompressible bytes grow by
 * a control byte per 32), and back.
 */
function roundTrip(input: Buffer): Buffer | undefined {
  const compressed = lzfCompress(input, input.length * 2 + 64);
  if (compressed === undefined) return undefined;
  return lzfDecompress(compressed, input.length);
}

describe("lzf", () => {
  it("round-trips text, runs, random bytes and mixtures", () => {
    const random = seededRandom(7);
    const inputs = [
      Buffer.from("a"),
      Buffer.from("abc"),
      Buffer.from("a".repeat(10_000)),
      Buffer.from("hello world ".repeat(300)),
      random.bytes(5000),
      Buffer.concat([random.bytes(100), Buffer.alloc(1000), random.bytes(100)]),
    ];
    for (let i = 0; i < 100; i++) {
      // Small alphabets repeat often: many short and long references.
      const alphabet = 1 + random.below(6);
      const length = 1 + random.below(20_000);
      inputs.push(
        Buffer.from(Array.from({ length }, () => 97 + random.below(alphabet))),
      );
    }
    for (const input of inputs) {
      expect(roundTrip(input)?.equals(input)).toBe(true);
    }
  });

  it("compresses a run to a few bytes, and refuses to save nothing", () => {
    const run = Buffer.alloc(1000, 0x61);
    expect(lzfCompress(run, run.length - 4)!.length).toBeLessThan(20);
    // Random bytes do not compress: no output fits in fewer bytes.
    const noise = seededRandom(3).bytes(1000);
    expect(lzfCompress(noise, noise.length - 4)).toBeUndefined();
  });

  it("refuses corrupt streams", () => {
    // A back reference before the start of the output.
    expect(lzfDecompress(Buffer.from([0x20, 0x05]), 3)).toBeUndefined();
    // A literal run longer than the input.
    expect(lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toBeUndefined();
    // More output than announced, and less.
    expect(
      lzfDecompress(Buffer.from([0x02, 0x61, 0x62, 0x63]), 2),
    ).toBeUndefined();
    expect(lzfDecompress(Buffer.from([0x00, 0x61]), 2)).toBeUndefined();
    // A reference cut short.
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0xe0]), 20)).toBeUndefined();
  });
});
