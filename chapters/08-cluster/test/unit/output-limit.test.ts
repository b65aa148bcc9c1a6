/**
 * Unit tests for output-limit.ts: Redis's rules for
 * `client-output-buffer-limit`, with time passed in by the test.
 */
import { describe, expect, it } from "vitest";
import { OutputLimit } from "../../src/dispatch/output-limit.ts";

const MB = 1024 * 1024;
const LIMIT = { hardBytes: 256 * MB, softBytes: 64 * MB, softSeconds: 60 };

describe("OutputLimit", () => {
  it("lets a queue under both limits be", () => {
    const limit = new OutputLimit();
    expect(limit.check(64 * MB - 1, 0, LIMIT)).toBeUndefined();
    expect(limit.overSoftLimit).toBe(false);
  });

  it("ends a client at once at the hard limit", () => {
    expect(new OutputLimit().check(256 * MB, 0, LIMIT)).toBe("hard");
  });

  it("ends a client over the soft limit only after more than softSeconds in a row", () => {
    const limit = new OutputLimit();
    expect(limit.check(64 * MB, 1_000, LIMIT)).toBeUndefined();
    expect(limit.overSoftLimit).toBe(true);
    expect(limit.check(100 * MB, 61_999, LIMIT)).toBeUndefined(); // 60 s
    expect(limit.check(100 * MB, 62_000, LIMIT)).toBe("soft"); // 61 s
  });

  it("starts counting again once the queue drops under the soft limit", () => {
    const limit = new OutputLimit();
    limit.check(64 * MB, 0, LIMIT);
    expect(limit.check(1 * MB, 50_000, LIMIT)).toBeUndefined();
    expect(limit.overSoftLimit).toBe(false);
    expect(limit.check(64 * MB, 70_000, LIMIT)).toBeUndefined();
    expect(limit.check(64 * MB, 130_000, LIMIT)).toBeUndefined();
    expect(limit.check(64 * MB, 131_000, LIMIT)).toBe("soft");
  });

  it("takes 0 as no limit", () => {
    const none = { hardBytes: 0, softBytes: 0, softSeconds: 0 };
    const limit = new OutputLimit();
    expect(limit.check(10_000 * MB, 0, none)).toBeUndefined();
    expect(limit.check(10_000 * MB, 1e9, none)).toBeUndefined();
  });

  it("with a soft limit of 0 seconds, ends the client on the next check a second later", () => {
    const limit = new OutputLimit();
    const soft = { hardBytes: 0, softBytes: MB, softSeconds: 0 };
    expect(limit.check(MB, 0, soft)).toBeUndefined();
    expect(limit.check(MB, 999, soft)).toBeUndefined();
    expect(limit.check(MB, 1_000, soft)).toBe("soft");
  });
});
