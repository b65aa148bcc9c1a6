/**
 * Unit tests for output-buffer-limits.ts: `client-output-buffer-limit` read
 * and shown as redis-server 7.0.15 reads and shows it. Every row was
 * checked with CONFIG SET and CONFIG GET on redis-server 7.0.15 (chapter
 * 03's CONFIG tests send some of them to both servers).
 */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-values.ts";
import {
  DEFAULT_OUTPUT_BUFFER_LIMITS,
  OUR_NORMAL_OUTPUT_LIMIT,
  parseOutputBufferLimits,
  showOutputBufferLimits,
  type OutputBufferLimits,
} from "../../src/config/output-buffer-limits.ts";

const REDIS_DEFAULT_REST =
  "slave 268435456 67108864 60 pubsub 33554432 8388608 60";

/** CONFIG SET `text` on top of the defaults, then CONFIG GET. */
function setThenShow(text: string): string {
  return showOutputBufferLimits(
    parseOutputBufferLimits(text, DEFAULT_OUTPUT_BUFFER_LIMITS),
  );
}

/** The reason CONFIG SET gives for `text`, or "OK". */
function reasonFor(text: string): string {
  try {
    parseOutputBufferLimits(text, DEFAULT_OUTPUT_BUFFER_LIMITS);
    return "OK";
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).reason;
  }
}

describe("the defaults", () => {
  it("are Redis's for replicas and pub/sub, and ours for normal clients: 64 MB hard, 16 MB for 20 s soft", () => {
    expect(OUR_NORMAL_OUTPUT_LIMIT).toEqual({
      hardBytes: 64 * 1024 ** 2,
      softBytes: 16 * 1024 ** 2,
      softSeconds: 20,
    });
    expect(showOutputBufferLimits(DEFAULT_OUTPUT_BUFFER_LIMITS)).toBe(
      `normal 67108864 16777216 20 ${REDIS_DEFAULT_REST}`,
    );
  });
});

describe("reading a value", () => {
  it.each([
    // Redis's units, in any letter case.
    ["NORMAL 1K 2KB 3", `normal 1000 2048 3 ${REDIS_DEFAULT_REST}`],
    ["normal 1b 2B 3", `normal 1 2 3 ${REDIS_DEFAULT_REST}`],
    ["normal 0 0 0", `normal 0 0 0 ${REDIS_DEFAULT_REST}`],
    // replica and slave are one class, shown as slave.
    [
      "Replica 1 2 3",
      "normal 67108864 16777216 20 slave 1 2 3 pubsub 33554432 8388608 60",
    ],
    [
      "slave 5 6 7 replica 8 9 10",
      "normal 67108864 16777216 20 slave 8 9 10 pubsub 33554432 8388608 60",
    ],
    // Several classes; a class named twice takes its last group.
    [
      "pubsub 1 2 3 slave 4 5 6",
      "normal 67108864 16777216 20 slave 4 5 6 pubsub 1 2 3",
    ],
    ["normal 5 6 7 normal 8 9 10", `normal 8 9 10 ${REDIS_DEFAULT_REST}`],
    // Split at single spaces: four empty words are four zeros.
    ["normal   ", `normal 0 0 0 ${REDIS_DEFAULT_REST}`],
    // Sizes as memtoull reads them: stuck at 2^64 - 1, wrapping with a unit.
    [
      "normal 18446744073709551615 99999999999999999999999 1",
      `normal 18446744073709551615 18446744073709551615 1 ${REDIS_DEFAULT_REST}`,
    ],
    ["normal 17179869185gb 1 1", `normal 1073741824 1 1 ${REDIS_DEFAULT_REST}`],
    [`normal ${"0".repeat(126)}1 1 1`, `normal 1 1 1 ${REDIS_DEFAULT_REST}`],
    // Seconds as strtoll reads them, kept in a C int.
    ["normal 1 1 +5", `normal 1 1 5 ${REDIS_DEFAULT_REST}`],
    ["normal 1 1 010", `normal 1 1 10 ${REDIS_DEFAULT_REST}`],
    ["normal 1 1 -0", `normal 1 1 0 ${REDIS_DEFAULT_REST}`],
    ["normal 1 2 \t5", `normal 1 2 5 ${REDIS_DEFAULT_REST}`],
    ["normal 1 1 4294967297", `normal 1 1 1 ${REDIS_DEFAULT_REST}`],
    // A NUL byte ends each word, as in C.
    ["normal\0x 1\0y 2 3\0z", `normal 1 2 3 ${REDIS_DEFAULT_REST}`],
  ])("%j is shown as %j", (text, shown) => {
    expect(setThenShow(text)).toBe(shown);
  });

  it("an empty value changes nothing", () => {
    const limits: OutputBufferLimits = parseOutputBufferLimits(
      "normal 1 2 3",
      DEFAULT_OUTPUT_BUFFER_LIMITS,
    );
    expect(parseOutputBufferLimits("", limits)).toBe(limits);
  });

  it("makes a new object and leaves the one it was given alone", () => {
    const before = showOutputBufferLimits(DEFAULT_OUTPUT_BUFFER_LIMITS);
    const after = parseOutputBufferLimits(
      "normal 0 0 0",
      DEFAULT_OUTPUT_BUFFER_LIMITS,
    );
    expect(after).not.toBe(DEFAULT_OUTPUT_BUFFER_LIMITS);
    expect(showOutputBufferLimits(DEFAULT_OUTPUT_BUFFER_LIMITS)).toBe(before);
  });

  it("keeps sizes beyond 2^53 exactly, and smaller ones as numbers", () => {
    const limits = parseOutputBufferLimits(
      "normal 18446744073709551615 64mb 0",
      DEFAULT_OUTPUT_BUFFER_LIMITS,
    );
    expect(limits.normal).toEqual({
      hardBytes: 18446744073709551615n,
      softBytes: 64 * 1024 ** 2,
      softSeconds: 0,
    });
  });
});

describe("refusing a value, with Redis's reasons", () => {
  const WRONG_COUNT =
    "Wrong number of arguments in buffer limit configuration.";
  const BAD_CLASS =
    "Invalid client class specified in buffer limit configuration.";
  const BAD_NUMBER =
    "Error in hard, soft or soft_seconds setting in buffer limit configuration.";

  it.each([
    ["normal", WRONG_COUNT],
    ["normal 1 2 3 4", WRONG_COUNT],
    ["normal  0 0 0", WRONG_COUNT],
    ["normal 0 0 0 ", WRONG_COUNT],
    [" normal 0 0 0", WRONG_COUNT],
    ["normal\t1 2 3", WRONG_COUNT],
    ["master 1 2 3", BAD_CLASS],
    ["foo 1 2 3", BAD_CLASS],
    ["normal 1 2 3 foo 1 2 3", BAD_CLASS],
    ["normal -1 0 0", BAD_NUMBER],
    ["normal 1 -1 0", BAD_NUMBER],
    ["normal x 1 1", BAD_NUMBER],
    ["normal 1tb 1 1", BAD_NUMBER],
    ["normal 1.5mb 1 1", BAD_NUMBER],
    [`normal ${"0".repeat(127)}1 1 1`, BAD_NUMBER],
    ["normal 1 1 -1", BAD_NUMBER],
    ["normal 1 1 1x", BAD_NUMBER],
    ["normal 1 1 0x10", BAD_NUMBER],
    ["normal 1 2 \t", BAD_NUMBER],
    ["normal 1 2 3\t", BAD_NUMBER],
    // Beyond a C int, the low 32 bits decide: these are negative.
    ["normal 1 1 2147483648", BAD_NUMBER],
    ["normal 1 1 4294967295", BAD_NUMBER],
    ["normal 1 1 9223372036854775807", BAD_NUMBER],
    ["normal 1 1 99999999999999999999", BAD_NUMBER],
    // The first bad group decides, and nothing of a refused value is taken.
    ["pubsub 1 2 3 pubsub 1 2 -3", BAD_NUMBER],
    ["normal x 1 1 foo 1 2 3", BAD_NUMBER],
  ])("%j: %s", (text, reason) => {
    expect(reasonFor(text)).toBe(reason);
  });
});
