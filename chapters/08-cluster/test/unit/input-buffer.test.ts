/**
 * Unit tests for input-buffer.ts, the query buffer under the RESP parser.
 *
 * They pin the contract the parser builds on: `take`, `skip`, `byteAt` and
 * `indexOf` all count from the first byte not consumed yet, and bytes come
 * out in the order they went in, however the chunks were cut. Then the two
 * promises that make the buffer fast without making it wrong:
 *
 * - a chunk that arrives while nothing is pending is used as it is, with no
 *   copy (the common case: one chunk, whole commands);
 * - a view returned by `take()` never changes afterwards, whatever arrives
 *   later, because the parser hands those views to commands as arguments.
 *
 * And one trap: memory the buffer allocated has spare room past the bytes
 * received so far, and a search must never look there.
 */
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { InputBuffer } from "../../src/protocol/input-buffer.ts";
import { seededRandom } from "../../../../shared/seeded-random.ts";

/**
 * A chunk with its own memory, like the ones a socket delivers. Small
 * `Buffer.from()` results share one pooled ArrayBuffer, which would make
 * the "same memory?" checks below meaningless; `Buffer.alloc()` never pools.
 */
function chunk(text: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  bytes.write(text, "latin1");
  return bytes;
}

/** Bytes as a string, one character per byte. */
const text = (bytes: Buffer): string => bytes.toString("latin1");

describe("InputBuffer basics", () => {
  it("starts empty and ignores empty chunks", () => {
    const input = new InputBuffer();
    expect(input.length).toBe(0);
    input.append(Buffer.alloc(0));
    expect(input.length).toBe(0);
    expect(input.indexOf(0x0a, 0)).toBe(-1);
  });

  it("hands out bytes in arrival order, across chunk boundaries", () => {
    const input = new InputBuffer();
    input.append(chunk("*1\r\n$4"));
    input.append(chunk("\r\nPI"));
    input.append(chunk("NG\r\n"));
    expect(input.length).toBe(14);

    expect(text(input.take(4))).toBe("*1\r\n");
    input.skip(1); // the "$"
    expect(text(input.take(1))).toBe("4");
    input.skip(2); // "\r\n"
    expect(text(input.take(4))).toBe("PING");
    expect(input.length).toBe(2);
    input.skip(2);
    expect(input.length).toBe(0);
  });

  it("counts byteAt and indexOf from the first unconsumed byte", () => {
    const input = new InputBuffer();
    input.append(chunk("PING\r\nECHO hi\r\n"));
    input.skip(6); // "PING\r\n"

    expect(String.fromCharCode(input.byteAt(0))).toBe("E");
    expect(String.fromCharCode(input.byteAt(5))).toBe("h");
    expect(input.indexOf(0x0d, 0)).toBe(7); // the \r after "ECHO hi"
    expect(input.indexOf(0x20, 0)).toBe(4); // the space
  });

  it("starts an indexOf search at `from`, and answers -1 for a byte not received yet", () => {
    const input = new InputBuffer();
    input.append(chunk("a\nb\nc"));
    expect(input.indexOf(0x0a, 0)).toBe(1);
    expect(input.indexOf(0x0a, 1)).toBe(1);
    expect(input.indexOf(0x0a, 2)).toBe(3);
    expect(input.indexOf(0x0a, 4)).toBe(-1);
    expect(input.indexOf(0x0a, 5)).toBe(-1); // from === length
    expect(input.indexOf(0x0d, 0)).toBe(-1);
  });

  it("keeps the bytes right through many joins and growths (checked against a plain string)", () => {
    const random = seededRandom(7);
    const input = new InputBuffer();
    let expected = ""; // the unconsumed bytes, kept the slow, obvious way
    for (let step = 0; step < 5_000; step++) {
      // Mostly small chunks, and now and then one bigger than the buffer.
      const size = step % 100 === 0 ? 40_000 : 1 + random.below(300);
      const data = random.bytes(size);
      input.append(data);
      expected += text(data);

      const count = random.below(input.length + 1);
      if (random.below(2) === 0) {
        expect(text(input.take(count))).toBe(expected.slice(0, count));
      } else {
        input.skip(count);
      }
      expected = expected.slice(count);
      expect(input.length).toBe(expected.length);
    }
  });
});

describe("a chunk that arrives while nothing is pending", () => {
  it("becomes the buffer's memory, without a copy", () => {
    const input = new InputBuffer();
    const socketChunk = chunk("ECHO hello\r\n");
    input.append(socketChunk);
    const view = input.take(4);

    expect(view.buffer).toBe(socketChunk.buffer);
    expect(view.byteOffset).toBe(socketChunk.byteOffset);
    // The same memory, not an equal copy: a write shows through the view.
    socketChunk[0] = "e".charCodeAt(0);
    expect(text(view)).toBe("eCHO");
  });

  it("is adopted again once everything before it was consumed", () => {
    const input = new InputBuffer();
    input.append(chunk("PI"));
    input.append(chunk("NG\r\n")); // joined: copied into memory of our own
    input.skip(6);

    const next = chunk("ECHO a\r\n");
    input.append(next);
    expect(input.take(4).buffer).toBe(next.buffer);
  });

  it("is copied when bytes are already pending, so the buffer never holds on to it", () => {
    const input = new InputBuffer();
    input.append(chunk("EC"));
    const second = chunk("HO\r\n");
    input.append(second);
    second.fill(0x78); // "x": the socket's memory is not ours to keep
    expect(text(input.take(6))).toBe("ECHO\r\n");
  });
});

describe("views handed out by take()", () => {
  it("do not change when the memory they came from was consumed to the end and more arrives", () => {
    // A buffer that rewound to its start after being consumed would write
    // the next chunk right over the view it just handed out.
    const input = new InputBuffer();
    input.append(chunk("SE"));
    input.append(chunk("T k v")); // joined, in memory the buffer allocated
    const command = input.take(7);
    expect(input.length).toBe(0);

    input.append(chunk("GET"));
    input.append(chunk(" other"));
    input.append(chunk("x".repeat(100_000)));
    expect(text(command)).toBe("SET k v");
  });

  it("do not change when later chunks are written into the spare room after them", () => {
    const input = new InputBuffer();
    input.append(chunk("ab"));
    input.append(chunk("cd")); // joined, in memory with room to spare
    const first = input.take(3);
    input.append(chunk("efgh")); // fits in the spare room
    input.append(chunk("y".repeat(50_000))); // does not: the buffer grows
    expect(text(first)).toBe("abc");
    expect(text(input.take(5))).toBe("defgh");
  });

  it("keep their bytes through thousands of random appends, takes and skips", () => {
    const random = seededRandom(42);
    const input = new InputBuffer();
    const handedOut: { view: Buffer; copy: Buffer }[] = [];
    for (let step = 0; step < 3_000; step++) {
      input.append(random.bytes(1 + random.below(200)));
      const count = random.below(input.length + 1);
      if (random.below(3) === 0) {
        input.skip(count);
      } else {
        const view = input.take(count);
        handedOut.push({ view, copy: Buffer.from(view) });
      }
    }
    const changed = handedOut.filter(({ view, copy }) => !view.equals(copy));
    expect(handedOut.length).toBeGreaterThan(1_000);
    expect(changed).toEqual([]);
  });
});

describe("indexOf", () => {
  it("never finds a byte in the spare room past what was received", () => {
    // Memory the buffer allocates for joining chunks is bigger than what it
    // holds. Fill that memory with "\n" to make a search that runs past the
    // received bytes find one.
    const allocUnsafe = vi
      .spyOn(Buffer, "allocUnsafe")
      .mockImplementation((size: number) => Buffer.alloc(size, 0x0a));
    onTestFinished(() => allocUnsafe.mockRestore());

    const input = new InputBuffer();
    input.append(chunk("PI"));
    input.append(chunk("NG")); // joined: copied into the "\n"-filled memory
    expect(allocUnsafe).toHaveBeenCalled();

    expect(input.length).toBe(4);
    expect(input.indexOf(0x0a, 0)).toBe(-1);
    expect(input.indexOf(0x0a, 4)).toBe(-1);
    input.skip(1);
    expect(input.indexOf(0x0a, 0)).toBe(-1);

    input.append(chunk("\r\n"));
    expect(input.indexOf(0x0a, 0)).toBe(4);
  });
});
