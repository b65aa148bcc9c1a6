/**
 * types/mutable-string.ts: a string edited in place. Its edits checked
 * against the plainest model of them (a byte string rebuilt by slicing,
 * as the commands did before), over many random edits, and what the rest
 * of the server relies on: zeros past the end, copies that share nothing,
 * views that are read, not kept.
 */
import { describe, expect, it } from "vitest";
import { MutableString, textOf } from "../../src/types/mutable-string.ts";

/** A small deterministic generator (mulberry32), so every run tests the same cases. */
function seeded(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

/** `text` with `patch` written from `offset`, padded with zero bytes: the model of every edit. */
function patched(text: string, offset: number, patch: string): string {
  return (
    text.slice(0, offset).padEnd(offset, "\0") +
    patch +
    text.slice(offset + patch.length)
  );
}

const latin1 = (text: string) => Buffer.from(text, "latin1");

describe("MutableString", () => {
  it("holds any bytes, and gives them back as the byte string it was made of", () => {
    const every = String.fromCharCode(
      ...Array.from({ length: 256 }, (_, i) => i),
    );
    const value = MutableString.of(every);
    expect(value.length).toBe(256);
    expect(value.toString()).toBe(every);
    expect(textOf(value)).toBe(every);
    expect(textOf(every)).toBe(every);
    expect(value.byteAt(255)).toBe(255);
    expect(value.slice(254, 1000)).toBe("\xfe\xff");
    expect(value.slice(10, 10)).toBe("");
  });

  it("is a string to TYPE, raw to OBJECT ENCODING", () => {
    const value = MutableString.of("abc");
    expect(value.type).toBe("string");
    expect(value.encoding).toBe("raw");
  });

  it("reads zeros past its end, and grows with zero bytes", () => {
    const value = MutableString.of("ab");
    expect(value.byteAt(2)).toBe(0);
    expect(value.byteAt(10_000)).toBe(0);
    value.setByte(5, 0x7a);
    expect(value.toString()).toBe("ab\0\0\0z");
    value.write(8, latin1("xy"));
    expect(value.toString()).toBe("ab\0\0\0z\0\0xy");
    value.append(latin1("!"));
    expect(value.toString()).toBe("ab\0\0\0z\0\0xy!");
    expect(value.length).toBe(11);
  });

  it("keeps zeros in its room to spare: a string grown into it reads zeros there", () => {
    const value = MutableString.of("");
    // Grown a byte at a time, it keeps room past its end; the bytes that
    // room gives the string must be zeros, whatever came before.
    for (let i = 0; i < 1000; i++) value.append(latin1("\xff"));
    value.setByte(3000, 1);
    expect(value.length).toBe(3001);
    const bytes = value.bytes();
    expect(bytes.subarray(0, 1000).every((byte) => byte === 0xff)).toBe(true);
    expect(bytes.subarray(1000, 3000).every((byte) => byte === 0)).toBe(true);
    expect(bytes[3000]).toBe(1);
  });

  it("a copy shares nothing: editing either leaves the other as it was", () => {
    const original = MutableString.of("abc");
    original.append(latin1("d")); // with room to spare now
    const copy = original.clone();
    copy.setByte(0, 0x41);
    copy.append(latin1("e"));
    original.write(1, latin1("B"));
    expect(original.toString()).toBe("aBcd");
    expect(copy.toString()).toBe("Abcde");
  });

  it("a made-whole Buffer becomes the string, without a copy", () => {
    const bytes = Buffer.from("xyz");
    const value = MutableString.wrap(bytes);
    expect(value.toString()).toBe("xyz");
    value.setByte(0, 0x58);
    expect(bytes.toString()).toBe("Xyz");
  });

  it("its view is its bytes, up to its length", () => {
    const value = MutableString.of("abc");
    value.append(latin1("d"));
    expect(value.bytes()).toEqual(latin1("abcd"));
  });

  it("every edit gives what rebuilding the byte string gives", () => {
    const below = seeded(11);
    for (let run = 0; run < 200; run++) {
      let model = "x".repeat(below(40));
      const value = MutableString.of(model);
      for (let step = 0; step < 50; step++) {
        const patch = String.fromCharCode(
          ...Array.from({ length: below(6) }, () => below(256)),
        );
        const offset = below(model.length + 20);
        switch (below(3)) {
          case 0:
            value.write(offset, latin1(patch));
            model = patched(model, offset, patch);
            break;
          case 1:
            value.append(latin1(patch));
            model += patch;
            break;
          default: {
            const byte = below(256);
            value.setByte(offset, byte);
            model = patched(model, offset, String.fromCharCode(byte));
          }
        }
        expect(value.length).toBe(model.length);
        expect(value.toString()).toBe(model);
        const at = below(model.length + 5);
        expect(value.byteAt(at)).toBe(
          at < model.length ? model.charCodeAt(at) : 0,
        );
      }
      expect(value.clone().toString()).toBe(model);
    }
  });
});
