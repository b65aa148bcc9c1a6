/**
 * Article step 3 (the commands, and Redis's exact rules): EXPIRE, PEXPIRE, EXPIREAT and
 * PEXPIREAT set a key's deadline (with NX, XX, GT and LT to set it only
 * sometimes), TTL, PTTL, EXPIRETIME and PEXPIRETIME read it back, and
 * PERSIST takes it away.
 *
 * No test here waits for a key to expire: the deadlines are many seconds
 * away, or in the year 2100, or already past (which deletes the key at
 * once). Absolute deadlines are fixed numbers rather than "now + x", so
 * EXPIRETIME can be compared with what we wrote, exactly, whatever the time.
 *
 * Under REDIS_URL the tests share one real Redis with other files: they work
 * in database 5, which only this file uses, under random key names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Redis, RedisOptions } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";

const server = useServer();

/** The database this file owns on a shared server. */
const DB = 5;

beforeAll(async () => {
  const redis = await server.client({ db: DB });
  await redis.flushdb();
});

/** A client on this file's database. */
function client(options: RedisOptions = {}): Promise<Redis> {
  return server.client({ db: DB, ...options });
}

/** 2100-01-01T00:00:00Z in seconds: a deadline no test run will reach. */
const YEAR_2100 = 4_102_444_800;
/** The largest 64-bit integer, the furthest deadline PEXPIREAT takes. */
const INT64_MAX = "9223372036854775807";

describe("EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT", () => {
  // The same deadline, give or take, written four ways: a number of
  // seconds or of milliseconds, from now or from 1970.
  it.each([
    ["EXPIRE", "1000"],
    ["PEXPIRE", "1000000"],
    ["EXPIREAT", String(YEAR_2100)],
    ["PEXPIREAT", String(YEAR_2100 * 1000)],
  ])(
    "%s key %s answers 1 and gives the key a deadline",
    async (command, time) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "value");
      expect(await redis.call(command, key("k"), time)).toBe(1);
      expect(await redis.ttl(key("k"))).toBeGreaterThan(0);
      // A deadline changes when the key goes, not what it holds.
      expect(await redis.get(key("k"))).toBe("value");
    },
  );

  it.each(["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])(
    "%s of a missing key answers 0 and creates nothing",
    async (command) => {
      const redis = await client();
      const key = keysForThisTest();
      expect(await redis.call(command, key("missing"), "1000")).toBe(0);
      expect(await redis.exists(key("missing"))).toBe(0);
    },
  );

  it("EXPIREAT and PEXPIREAT store the very moment given", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.mset(key("s"), "1", key("ms"), "2");
    await redis.expireat(key("s"), YEAR_2100);
    await redis.pexpireat(key("ms"), YEAR_2100 * 1000 + 123);
    expect(await redis.expiretime(key("s"))).toBe(YEAR_2100);
    expect(await redis.pexpiretime(key("s"))).toBe(YEAR_2100 * 1000);
    expect(await redis.pexpiretime(key("ms"))).toBe(YEAR_2100 * 1000 + 123);
  });

  it("a second EXPIRE replaces the first deadline, whether later or earlier", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.expireat(key("k"), YEAR_2100);
    expect(await redis.expireat(key("k"), YEAR_2100 + 60)).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 60);
    expect(await redis.expireat(key("k"), YEAR_2100 - 60)).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 - 60);
  });

  // A deadline that has already passed does not wait for the expiry
  // machinery: the command deletes the key itself, and still answers 1.
  it.each([
    ["EXPIRE", "0"],
    ["EXPIRE", "-5"],
    ["PEXPIRE", "0"],
    ["PEXPIRE", "-1"],
    ["EXPIREAT", "0"],
    ["EXPIREAT", "1"],
    ["EXPIREAT", "-1"],
    ["PEXPIREAT", "1000"],
  ])(
    "%s key %s: a time already past deletes the key and answers 1",
    async (command, time) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "v");
      expect(await redis.call(command, key("k"), time)).toBe(1);
      expect(await redis.exists(key("k"))).toBe(0);
      expect(await redis.get(key("k"))).toBeNull();
      // On a missing key, a past time changes nothing: 0.
      expect(await redis.call(command, key("k"), time)).toBe(0);
    },
  );
});

describe("NX, XX, GT and LT", () => {
  it("NX sets a deadline only on a key that has none", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.expireat(key("k"), YEAR_2100, "NX")).toBe(1);
    expect(await redis.expireat(key("k"), YEAR_2100 + 60, "NX")).toBe(0);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
  });

  it("XX sets a deadline only on a key that has one", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.expireat(key("k"), YEAR_2100, "XX")).toBe(0);
    expect(await redis.ttl(key("k"))).toBe(-1);

    await redis.expireat(key("k"), YEAR_2100);
    expect(await redis.expireat(key("k"), YEAR_2100 + 60, "XX")).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 60);
  });

  it("GT only moves a deadline later; an equal one is not later", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.expireat(key("k"), YEAR_2100);
    expect(await redis.expireat(key("k"), YEAR_2100 - 60, "GT")).toBe(0);
    expect(await redis.expireat(key("k"), YEAR_2100, "GT")).toBe(0);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    expect(await redis.expireat(key("k"), YEAR_2100 + 1, "GT")).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 1);
  });

  it("LT only moves a deadline earlier; an equal one is not earlier", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.expireat(key("k"), YEAR_2100);
    expect(await redis.expireat(key("k"), YEAR_2100 + 60, "LT")).toBe(0);
    expect(await redis.expireat(key("k"), YEAR_2100, "LT")).toBe(0);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    expect(await redis.expireat(key("k"), YEAR_2100 - 1, "LT")).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 - 1);
  });

  // A key without a deadline lives for ever: an infinite TTL. No deadline
  // is later than that, and every deadline is earlier.
  it("GT on a key without a deadline answers 0: nothing is later than never", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.expire(key("k"), 100, "GT")).toBe(0);
    expect(await redis.ttl(key("k"))).toBe(-1);
    // Not even a time in the past: the key stays.
    expect(await redis.expire(key("k"), 0, "GT")).toBe(0);
    expect(await redis.get(key("k"))).toBe("v");
  });

  it("LT on a key without a deadline answers 1: any deadline is earlier than never", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.expireat(key("k"), YEAR_2100, "LT")).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
  });

  it("XX goes with GT or LT: both conditions must hold", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    // LT alone would answer 1 here; XX wants a deadline already.
    expect(await redis.call("EXPIREAT", key("k"), YEAR_2100, "XX", "LT")).toBe(
      0,
    );
    await redis.expireat(key("k"), YEAR_2100);
    expect(
      await redis.call("EXPIREAT", key("k"), YEAR_2100 + 60, "XX", "GT"),
    ).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 60);
  });

  it("a past time deletes the key only if the condition holds", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.expireat(key("k"), YEAR_2100);
    // The past is earlier, not later: GT refuses and the key stays...
    expect(await redis.expireat(key("k"), 1, "GT")).toBe(0);
    expect(await redis.exists(key("k"))).toBe(1);
    // ...LT accepts, and the key goes at once.
    expect(await redis.expireat(key("k"), 1, "LT")).toBe(1);
    expect(await redis.exists(key("k"))).toBe(0);
  });

  it("on a missing key every option answers 0", async () => {
    const redis = await client();
    const key = keysForThisTest();
    for (const option of ["NX", "XX", "GT", "LT"]) {
      expect(await redis.call("EXPIRE", key("missing"), 100, option)).toBe(0);
    }
    expect(await redis.exists(key("missing"))).toBe(0);
  });

  it("options are case-insensitive, and naming one twice is allowed", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.call("EXPIREAT", key("k"), YEAR_2100, "nx")).toBe(1);
    expect(await redis.call("EXPIREAT", key("k"), YEAR_2100, "Nx", "nX")).toBe(
      0,
    );
    expect(
      await redis.call("EXPIREAT", key("k"), YEAR_2100 + 1, "gT", "GT"),
    ).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 1);
  });

  it.each([
    [
      ["NX", "XX"],
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    ],
    [
      ["XX", "NX"],
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    ],
    [
      ["NX", "GT"],
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    ],
    [
      ["LT", "NX"],
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    ],
    [["GT", "LT"], "ERR GT and LT options at the same time are not compatible"],
    [
      ["XX", "GT", "LT"],
      "ERR GT and LT options at the same time are not compatible",
    ],
    // NX's conflicts are checked before GT's with LT.
    [
      ["GT", "LT", "NX"],
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    ],
    [["foo"], "ERR Unsupported option foo"],
    [["NX", "foo"], "ERR Unsupported option foo"],
    // Options are read to the end before any are checked for conflicts.
    [["NX", "XX", "foo"], "ERR Unsupported option foo"],
    [["2", "3"], "ERR Unsupported option 2"],
    // An error is one line: Redis trims line breaks off the ends of the
    // text and turns the ones left inside into spaces.
    [["foo\n"], "ERR Unsupported option foo"],
    [["nx\r\n"], "ERR Unsupported option nx"],
    [["a\r\nb"], "ERR Unsupported option a  b"],
  ])(
    "EXPIRE key 100 %j is refused with %j, and the deadline stays",
    async (options, message) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "v");
      await redis.expireat(key("k"), YEAR_2100);
      expect(
        await errorOf(redis.call("EXPIRE", key("k"), "100", ...options)),
      ).toBe(message);
      expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    },
  );

  it("an option error is reported for a missing key too", async () => {
    const redis = await client();
    const key = keysForThisTest();
    expect(
      await errorOf(redis.call("EXPIRE", key("missing"), "100", "NX", "XX")),
    ).toBe(
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    );
    expect(
      await errorOf(redis.call("EXPIRE", key("missing"), "100", "bar")),
    ).toBe("ERR Unsupported option bar");
  });
});

describe("times that are not numbers, or do not fit", () => {
  it.each(["abc", "1.5", "", " 1", "1e3", "0x10", "9223372036854775808"])(
    "EXPIRE key %j: not an integer",
    async (time) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "v");
      expect(await errorOf(redis.call("EXPIRE", key("k"), time))).toBe(
        "ERR value is not an integer or out of range",
      );
      expect(await redis.ttl(key("k"))).toBe(-1);
    },
  );

  it("an unknown option is reported before a time that is not a number", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await errorOf(redis.call("EXPIRE", key("k"), "abc", "foo"))).toBe(
      "ERR Unsupported option foo",
    );
  });

  // A deadline is kept in milliseconds since 1970, in a signed 64-bit
  // integer. A time is refused when turning it into that overflows:
  // seconds times 1000, or now plus the relative time.
  it.each([
    ["EXPIRE", "9223372036854775"],
    // Fits after × 1000 (9223372036854774000), but not after + now.
    ["EXPIRE", "9223372036854774"],
    ["EXPIRE", "9223372036854775807"],
    ["EXPIRE", "-9223372036854776"],
    ["EXPIRE", "-9223372036854775808"],
    ["PEXPIRE", "9223372036854775807"],
    ["EXPIREAT", "9223372036854776"],
    ["EXPIREAT", "-9223372036854776"],
  ])(
    "%s key %s: invalid expire time, and the key is untouched",
    async (command, time) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "v");
      expect(await errorOf(redis.call(command, key("k"), time))).toBe(
        `ERR invalid expire time in '${command.toLowerCase()}' command`,
      );
      expect(await redis.get(key("k"))).toBe("v");
      expect(await redis.ttl(key("k"))).toBe(-1);
    },
  );

  it("a time that does not fit is refused for a missing key too", async () => {
    const redis = await client();
    const key = keysForThisTest();
    expect(
      await errorOf(redis.expire(key("missing"), "9223372036854775")),
    ).toBe("ERR invalid expire time in 'expire' command");
  });

  // The extremes that do fit. ioredis turns integer replies into JS
  // numbers, which lose the last digits of these; `stringNumbers` keeps
  // them exact.
  it("PEXPIREAT to the largest 64-bit integer is accepted, and read back exactly", async () => {
    const redis = await client({ stringNumbers: true });
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.call("PEXPIREAT", key("k"), INT64_MAX)).toBe("1");
    expect(await redis.call("PEXPIRETIME", key("k"))).toBe(INT64_MAX);
    // In seconds it is rounded to the nearest: ...775.807 s → ...776.
    expect(await redis.call("EXPIRETIME", key("k"))).toBe("9223372036854776");
  });

  it("EXPIREAT 9223372036854775 fits: × 1000 is just below the limit", async () => {
    const redis = await client({ stringNumbers: true });
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.call("EXPIREAT", key("k"), "9223372036854775")).toBe(
      "1",
    );
    expect(await redis.call("PEXPIRETIME", key("k"))).toBe(
      "9223372036854775000",
    );
  });

  it("EXPIRETIME rounds half a second up, and less than half down", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.mset(key("down"), "1", key("up"), "2");
    await redis.pexpireat(key("down"), YEAR_2100 * 1000 + 499);
    await redis.pexpireat(key("up"), YEAR_2100 * 1000 + 500);
    expect(await redis.expiretime(key("down"))).toBe(YEAR_2100);
    expect(await redis.expiretime(key("up"))).toBe(YEAR_2100 + 1);
  });
});

describe("TTL, PTTL, EXPIRETIME and PEXPIRETIME", () => {
  it.each(["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"])(
    "%s answers -2 for a missing key and -1 for a key without a deadline",
    async (command) => {
      const redis = await client();
      const key = keysForThisTest();
      expect(await redis.call(command, key("missing"))).toBe(-2);
      await redis.set(key("k"), "v");
      expect(await redis.call(command, key("k"))).toBe(-1);
    },
  );

  it("TTL counts seconds and PTTL milliseconds, never more than was given", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.pexpire(key("k"), 100_000);
    const ttl = await redis.ttl(key("k"));
    const pttl = await redis.pttl(key("k"));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(pttl).toBeGreaterThan(1_000);
    expect(pttl).toBeLessThanOrEqual(100_000);
  });

  // TTL is rounded to the nearest second, not cut: 10.999 s left is 11.
  // Sent in one pipeline, PEXPIRE and TTL arrive together, so hardly a
  // millisecond passes between them; the answer would only change if
  // half a second did.
  it("TTL rounds to the nearest second", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    const replies = await redis
      .pipeline()
      .pexpire(key("k"), 10_999)
      .ttl(key("k"))
      .pexpire(key("k"), 10_400)
      .ttl(key("k"))
      .exec();
    expect(replies).toEqual([
      [null, 1],
      [null, 11],
      [null, 1],
      [null, 10],
    ]);
  });

  it("reading a deadline does not change it", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.pexpireat(key("k"), YEAR_2100 * 1000 + 7);
    await redis.ttl(key("k"));
    await redis.pttl(key("k"));
    await redis.expiretime(key("k"));
    expect(await redis.pexpiretime(key("k"))).toBe(YEAR_2100 * 1000 + 7);
  });

  it.each(["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST"])(
    "%s takes exactly one key",
    async (command) => {
      const redis = await client();
      const key = keysForThisTest();
      for (const args of [[], [key("a"), key("b")]]) {
        expect(await errorOf(redis.call(command, ...args))).toBe(
          `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
        );
      }
    },
  );

  it.each(["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])(
    "%s needs a key and a time",
    async (command) => {
      const redis = await client();
      const key = keysForThisTest();
      for (const args of [[], [key("a")]]) {
        expect(await errorOf(redis.call(command, ...args))).toBe(
          `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
        );
      }
    },
  );
});

describe("PERSIST", () => {
  it("removes the deadline and answers 1; the value stays", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "value");
    await redis.expire(key("k"), 100);
    expect(await redis.persist(key("k"))).toBe(1);
    expect(await redis.ttl(key("k"))).toBe(-1);
    expect(await redis.pexpiretime(key("k"))).toBe(-1);
    expect(await redis.get(key("k"))).toBe("value");
  });

  it("answers 0 for a key without a deadline, and for a missing key", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.persist(key("k"))).toBe(0);
    expect(await redis.persist(key("missing"))).toBe(0);
    expect(await redis.exists(key("missing"))).toBe(0);
  });

  it("after PERSIST the key has no deadline again: NX may set one", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.expireat(key("k"), YEAR_2100);
    await redis.persist(key("k"));
    expect(await redis.expireat(key("k"), YEAR_2100 + 60, "NX")).toBe(1);
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 60);
  });
});
