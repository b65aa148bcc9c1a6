/**
 * Article step 3 (the commands, and Redis's exact rules), continued: SET's EX, PX, EXAT,
 * PXAT and KEEPTTL options, SETEX and PSETEX, GETEX, and what every other
 * write does to a deadline (keeps it, drops it, or moves it along with the
 * value).
 *
 * The rule behind the last part, as Redis has it: a command that *replaces*
 * a key's value (SET, GETSET, MSET) starts a new key, without a deadline; a
 * command that *modifies* the value in place (INCR, APPEND, SETRANGE, ...)
 * keeps the deadline; RENAME and COPY carry it along with the value.
 *
 * No test here waits for a key to expire: the deadlines are many seconds
 * away, or fixed moments in the year 2100 that EXPIRETIME must give back
 * exactly, or already past. Under REDIS_URL the tests share one real Redis
 * with other files: they work in database 6, which only this file uses,
 * under random key names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Redis, RedisOptions } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";

const server = useServer();

/** The database this file owns on a shared server. */
const DB = 6;

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
/** The same moment in milliseconds, plus a few, to see that none are lost. */
const YEAR_2100_MS = YEAR_2100 * 1000 + 123;
/** The largest 64-bit integer, the furthest deadline PXAT takes. */
const INT64_MAX = "9223372036854775807";

describe("SET with EX, PX, EXAT and PXAT", () => {
  it.each([
    ["EX", "1000"],
    ["PX", "1000000"],
    ["ex", "1000"],
    ["Px", "1000000"],
  ])(
    "SET key value %s %s stores the value with a deadline",
    async (option, time) => {
      const redis = await client();
      const key = keysForThisTest();
      expect(await redis.call("SET", key("k"), "value", option, time)).toBe(
        "OK",
      );
      expect(await redis.get(key("k"))).toBe("value");
      const ttl = await redis.ttl(key("k"));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
    },
  );

  it("EXAT and PXAT store the very moment given", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("s"), "1", "EXAT", YEAR_2100);
    await redis.set(key("ms"), "2", "PXAT", YEAR_2100_MS);
    expect(await redis.expiretime(key("s"))).toBe(YEAR_2100);
    expect(await redis.pexpiretime(key("ms"))).toBe(YEAR_2100_MS);
  });

  it("SET without an option drops the deadline the key had", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old", "EX", 1000);
    await redis.set(key("k"), "new");
    expect(await redis.ttl(key("k"))).toBe(-1);
    expect(await redis.get(key("k"))).toBe("new");
  });

  it("KEEPTTL replaces the value and keeps the deadline as it was", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old", "PXAT", YEAR_2100_MS);
    expect(await redis.set(key("k"), "new", "KEEPTTL")).toBe("OK");
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.pexpiretime(key("k"))).toBe(YEAR_2100_MS);
  });

  it("KEEPTTL on a key without a deadline, or a new key, gives it none", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("old"), "1");
    await redis.set(key("old"), "2", "KEEPTTL");
    await redis.set(key("new"), "3", "KEEPTTL");
    expect(await redis.ttl(key("old"))).toBe(-1);
    expect(await redis.ttl(key("new"))).toBe(-1);
  });

  // Redis 7.0 stores the key with its past deadline (DBSIZE counts it
  // until a lookup or the cycle deletes it: see clock.test.ts); no
  // command can see it.
  it("a deadline already past: OK, and the key is gone for every command", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("s"), "old");
    expect(await redis.set(key("s"), "v", "EXAT", 1)).toBe("OK");
    expect(await redis.set(key("ms"), "v", "PXAT", 1)).toBe("OK");
    expect(await redis.exists(key("s"), key("ms"))).toBe(0);
  });

  // Redis 7.0 reads the options left to right and lets a repeated one
  // overwrite the earlier: only different expiry options conflict.
  it("the same option twice is accepted: the last one wins", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.call(
      "SET",
      key("k"),
      "v",
      "EXAT",
      YEAR_2100,
      "EXAT",
      YEAR_2100 + 60,
    );
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 60);

    await redis.call("SET", key("k"), "v", "EX", "10", "EX", "1000");
    expect(await redis.ttl(key("k"))).toBeGreaterThan(10);
    // So much the last one wins that the first is never even parsed.
    expect(
      await redis.call("SET", key("k"), "v", "EX", "abc", "EX", "10"),
    ).toBe("OK");
    expect(await redis.call("SET", key("k"), "v", "KEEPTTL", "KEEPTTL")).toBe(
      "OK",
    );
  });

  it("PXAT takes the largest 64-bit integer, and PEXPIRETIME gives it back", async () => {
    const redis = await client({ stringNumbers: true });
    const key = keysForThisTest();
    expect(await redis.call("SET", key("k"), "v", "PXAT", INT64_MAX)).toBe(
      "OK",
    );
    expect(await redis.call("PEXPIRETIME", key("k"))).toBe(INT64_MAX);
  });

  it.each([
    [["EX", "10", "PX", "100"]],
    [["EX", "10", "KEEPTTL"]],
    [["PX", "10", "KEEPTTL"]],
    [["KEEPTTL", "PXAT", "10"]],
    [["EXAT", "10", "EX", "10"]],
    [["PXAT", "10", "EXAT", "10"]],
    [["EX"]],
    [["EX", "100", "PX"]],
    [["PXAT"]],
    [["foo"]],
    // The conflict is found before the bad number is read.
    [["EX", "abc", "PX", "10"]],
    [["EX", "0", "PX", "10"]],
  ])(
    "SET key value %j is a syntax error, and changes nothing",
    async (args) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "before", "EXAT", YEAR_2100);
      expect(await errorOf(redis.call("SET", key("k"), "after", ...args))).toBe(
        "ERR syntax error",
      );
      expect(await redis.get(key("k"))).toBe("before");
      expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    },
  );

  it.each([
    [["EX", "abc"]],
    [["PX", "1.5"]],
    [["EXAT", ""]],
    [["EX", "9223372036854775808"]],
    [["EX", "10", "EX", "abc"]],
  ])("SET key value %j: not an integer", async (args) => {
    const redis = await client();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("SET", key("k"), "v", ...args))).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await redis.exists(key("k"))).toBe(0);
  });

  // Where EXPIRE takes a time of 0 or less as "now" and deletes the key,
  // SET refuses it outright. (A moment in the past but above 0, EXAT 1,
  // is accepted: see above.) Overflows are refused as in EXPIRE.
  it.each([
    [["EX", "0"]],
    [["EX", "-1"]],
    [["PX", "0"]],
    [["PX", "-1"]],
    [["EXAT", "0"]],
    [["EXAT", "-1"]],
    [["PXAT", "0"]],
    [["PXAT", "-5"]],
    [["EX", "9223372036854775"]],
    [["EX", "9223372036854775807"]],
    [["PX", "9223372036854775807"]],
    [["EXAT", "9223372036854776"]],
    [["EX", "10", "EX", "0"]],
  ])(
    "SET key value %j: invalid expire time, and the key is untouched",
    async (args) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "before");
      expect(await errorOf(redis.call("SET", key("k"), "after", ...args))).toBe(
        "ERR invalid expire time in 'set' command",
      );
      expect(await redis.get(key("k"))).toBe("before");
      expect(await redis.ttl(key("k"))).toBe(-1);
    },
  );
});

describe("SET with GET, NX and XX, and a deadline", () => {
  it("GET answers the old value, and the new one gets the deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old");
    expect(
      await redis.call("SET", key("k"), "new", "GET", "EXAT", YEAR_2100),
    ).toBe("old");
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
  });

  it("GET without KEEPTTL drops the deadline; with KEEPTTL keeps it", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "1", "PXAT", YEAR_2100_MS);
    expect(await redis.call("SET", key("k"), "2", "GET", "KEEPTTL")).toBe("1");
    expect(await redis.pexpiretime(key("k"))).toBe(YEAR_2100_MS);
    expect(await redis.call("SET", key("k"), "3", "GET")).toBe("2");
    expect(await redis.ttl(key("k"))).toBe(-1);
  });

  it("GET on a new key answers nil, and the key is made with its deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    expect(
      await redis.call("SET", key("k"), "v", "EXAT", YEAR_2100, "GET"),
    ).toBeNull();
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
  });

  it("NX on an existing key sets neither the value nor the deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old");
    expect(
      await redis.call("SET", key("k"), "new", "NX", "EX", "100"),
    ).toBeNull();
    expect(await redis.ttl(key("k"))).toBe(-1);
    // Redis 7.0 allows NX with GET: the old value, and still no change.
    expect(
      await redis.call("SET", key("k"), "new", "NX", "GET", "EX", "100"),
    ).toBe("old");
    expect(await redis.ttl(key("k"))).toBe(-1);
    expect(await redis.get(key("k"))).toBe("old");
  });

  it("KEEPTTL with XX replaces the value of an existing key, deadline and all kept", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old", "EXAT", YEAR_2100);
    expect(await redis.set(key("k"), "new", "KEEPTTL", "XX")).toBe("OK");
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    expect(await redis.set(key("missing"), "v", "KEEPTTL", "XX")).toBeNull();
  });

  it("GET with KEEPTTL and EX is still a syntax error", async () => {
    const redis = await client();
    const key = keysForThisTest();
    expect(
      await errorOf(
        redis.call("SET", key("k"), "v", "GET", "KEEPTTL", "EX", "10"),
      ),
    ).toBe("ERR syntax error");
  });
});

describe("SETEX and PSETEX", () => {
  it("SETEX key seconds value and PSETEX key milliseconds value", async () => {
    const redis = await client();
    const key = keysForThisTest();
    expect(await redis.setex(key("s"), 1000, "a")).toBe("OK");
    expect(await redis.psetex(key("ms"), 1_000_000, "b")).toBe("OK");
    expect(await redis.mget(key("s"), key("ms"))).toEqual(["a", "b"]);
    for (const name of ["s", "ms"]) {
      const ttl = await redis.ttl(key(name));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
    }
  });

  it("SETEX replaces the value and the deadline of an existing key", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old", "EXAT", YEAR_2100);
    await redis.setex(key("k"), 1000, "new");
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.ttl(key("k"))).toBeLessThanOrEqual(1000);
  });

  it.each([
    ["SETEX", "0"],
    ["SETEX", "-1"],
    ["SETEX", "9223372036854775"],
    ["SETEX", "9223372036854775807"],
    ["PSETEX", "0"],
    ["PSETEX", "-1"],
    ["PSETEX", "9223372036854775807"],
  ])(
    "%s key %s value: invalid expire time, and the key is untouched",
    async (command, time) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "before");
      expect(await errorOf(redis.call(command, key("k"), time, "after"))).toBe(
        `ERR invalid expire time in '${command.toLowerCase()}' command`,
      );
      expect(await redis.get(key("k"))).toBe("before");
      expect(await redis.ttl(key("k"))).toBe(-1);
    },
  );

  it.each([
    ["SETEX", "abc"],
    ["SETEX", "1.5"],
    ["SETEX", ""],
    ["PSETEX", "abc"],
  ])("%s key %j value: not an integer", async (command, time) => {
    const redis = await client();
    const key = keysForThisTest();
    expect(await errorOf(redis.call(command, key("k"), time, "v"))).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await redis.exists(key("k"))).toBe(0);
  });

  it.each(["SETEX", "PSETEX"])(
    "%s takes exactly a key, a time and a value",
    async (command) => {
      const redis = await client();
      const key = keysForThisTest();
      for (const args of [
        [key("k"), "10"],
        [key("k"), "10", "v", "extra"],
      ]) {
        expect(await errorOf(redis.call(command, ...args))).toBe(
          `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
        );
      }
    },
  );
});

describe("GETEX", () => {
  it("without options it is GET: the deadline, or its absence, stays", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("plain"), "1");
    await redis.set(key("volatile"), "2", "PXAT", YEAR_2100_MS);
    expect(await redis.getex(key("plain"))).toBe("1");
    expect(await redis.getex(key("volatile"))).toBe("2");
    expect(await redis.ttl(key("plain"))).toBe(-1);
    expect(await redis.pexpiretime(key("volatile"))).toBe(YEAR_2100_MS);
  });

  it("EX and PX answer the value and give the key a deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.mset(key("s"), "a", key("ms"), "b");
    expect(await redis.getex(key("s"), "EX", 1000)).toBe("a");
    expect(await redis.getex(key("ms"), "PX", 1_000_000)).toBe("b");
    for (const name of ["s", "ms"]) {
      const ttl = await redis.ttl(key(name));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
    }
  });

  it("EXAT and PXAT answer the value and set that very deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.mset(key("s"), "a", key("ms"), "b");
    expect(await redis.getex(key("s"), "EXAT", YEAR_2100)).toBe("a");
    expect(await redis.getex(key("ms"), "PXAT", YEAR_2100_MS)).toBe("b");
    expect(await redis.expiretime(key("s"))).toBe(YEAR_2100);
    expect(await redis.pexpiretime(key("ms"))).toBe(YEAR_2100_MS);
  });

  it("PERSIST answers the value and removes the deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v", "EX", 1000);
    expect(await redis.getex(key("k"), "PERSIST")).toBe("v");
    expect(await redis.ttl(key("k"))).toBe(-1);
    // On a key without a deadline it is just GET.
    expect(await redis.getex(key("k"), "PERSIST")).toBe("v");
  });

  it("a deadline already past: the value is answered, and the key is gone", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.mset(key("s"), "a", key("ms"), "b");
    expect(await redis.getex(key("s"), "EXAT", 1)).toBe("a");
    expect(await redis.getex(key("ms"), "PXAT", 1)).toBe("b");
    expect(await redis.exists(key("s"), key("ms"))).toBe(0);
  });

  it("options are case-insensitive, and a repeated one is allowed: the last wins", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(
      await redis.call(
        "GETEX",
        key("k"),
        "exat",
        YEAR_2100,
        "ExAt",
        YEAR_2100 + 60,
      ),
    ).toBe("v");
    expect(await redis.expiretime(key("k"))).toBe(YEAR_2100 + 60);
    expect(await redis.call("GETEX", key("k"), "persist", "PERSIST")).toBe("v");
    expect(await redis.ttl(key("k"))).toBe(-1);
  });

  it("PXAT takes the largest 64-bit integer", async () => {
    const redis = await client({ stringNumbers: true });
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await redis.call("GETEX", key("k"), "PXAT", INT64_MAX)).toBe("v");
    expect(await redis.call("PEXPIRETIME", key("k"))).toBe(INT64_MAX);
  });

  it.each([
    [["EX", "0"]],
    [["EX", "-1"]],
    [["PX", "0"]],
    [["PX", "-1"]],
    [["EXAT", "0"]],
    [["PXAT", "0"]],
    [["EX", "9223372036854775"]],
    [["PX", "9223372036854775807"]],
    [["EXAT", "9223372036854776"]],
    [["EX", "10", "EX", "0"]],
  ])(
    "GETEX key %j: invalid expire time, and the key is untouched",
    async (args) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "v", "EXAT", YEAR_2100);
      expect(await errorOf(redis.call("GETEX", key("k"), ...args))).toBe(
        "ERR invalid expire time in 'getex' command",
      );
      expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    },
  );

  it.each([
    [["EX", "10", "PX", "10"]],
    [["EX", "10", "PERSIST"]],
    [["PERSIST", "EXAT", "10"]],
    [["KEEPTTL"]],
    [["EX"]],
    [["foo"]],
    [["PERSIST", "foo"]],
  ])(
    "GETEX key %j is a syntax error, and the key is untouched",
    async (args) => {
      const redis = await client();
      const key = keysForThisTest();
      await redis.set(key("k"), "v", "EXAT", YEAR_2100);
      expect(await errorOf(redis.call("GETEX", key("k"), ...args))).toBe(
        "ERR syntax error",
      );
      expect(await redis.expiretime(key("k"))).toBe(YEAR_2100);
    },
  );

  it("GETEX key EX abc: not an integer", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await errorOf(redis.call("GETEX", key("k"), "EX", "abc"))).toBe(
      "ERR value is not an integer or out of range",
    );
  });

  // GETEX checks the words of its options first, then looks the key up,
  // and only reads the time once it has a key to give it to.
  it.each([
    [[]],
    [["PERSIST"]],
    [["EX", "100"]],
    [["EX", "0"]],
    [["PX", "-1"]],
    [["EXAT", "abc"]],
    [["EX", "9223372036854775"]],
  ])(
    "GETEX of a missing key %j answers nil, even with a bad time",
    async (args) => {
      const redis = await client();
      const key = keysForThisTest();
      expect(await redis.call("GETEX", key("missing"), ...args)).toBeNull();
      expect(await redis.exists(key("missing"))).toBe(0);
    },
  );

  it("GETEX of a missing key still reports a syntax error", async () => {
    const redis = await client();
    const key = keysForThisTest();
    expect(
      await errorOf(
        redis.call("GETEX", key("missing"), "EX", "10", "PX", "10"),
      ),
    ).toBe("ERR syntax error");
    expect(await errorOf(redis.call("GETEX", key("missing"), "foo"))).toBe(
      "ERR syntax error",
    );
  });
});

describe("what other writes do to a deadline", () => {
  // Commands that replace the value: the key starts over, without a deadline.
  it.each([
    ["GETSET", (r: Redis, k: string) => r.getset(k, "new")],
    ["MSET", (r: Redis, k: string) => r.mset(k, "new")],
    ["SET", (r: Redis, k: string) => r.set(k, "new")],
  ])("%s drops the deadline", async (_name, write) => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "10", "EXAT", YEAR_2100);
    await write(redis, key("k"));
    expect(await redis.get(key("k"))).toBe("new");
    expect(await redis.ttl(key("k"))).toBe(-1);
  });

  // Commands that modify the value in place: same key, same deadline.
  it.each([
    ["INCR", (r: Redis, k: string) => r.incr(k)],
    ["INCRBY", (r: Redis, k: string) => r.incrby(k, 5)],
    ["DECR", (r: Redis, k: string) => r.decr(k)],
    ["DECRBY", (r: Redis, k: string) => r.decrby(k, 5)],
    ["INCRBYFLOAT", (r: Redis, k: string) => r.incrbyfloat(k, 1.5)],
    ["APPEND", (r: Redis, k: string) => r.append(k, "0")],
    ["SETRANGE", (r: Redis, k: string) => r.setrange(k, 0, "2")],
    ["SETRANGE of nothing", (r: Redis, k: string) => r.setrange(k, 0, "")],
  ])("%s keeps the deadline exactly", async (_name, write) => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "10", "PXAT", YEAR_2100_MS);
    await write(redis, key("k"));
    expect(await redis.pexpiretime(key("k"))).toBe(YEAR_2100_MS);
  });

  // Commands that refuse to write leave everything as it was.
  it("a SETNX or MSETNX that writes nothing leaves the deadline", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "old", "PXAT", YEAR_2100_MS);
    expect(await redis.setnx(key("k"), "new")).toBe(0);
    expect(await redis.msetnx(key("k"), "new", key("other"), "x")).toBe(0);
    expect(await redis.get(key("k"))).toBe("old");
    expect(await redis.pexpiretime(key("k"))).toBe(YEAR_2100_MS);
  });

  it("GETDEL deletes the key and its deadline with it", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v", "EXAT", YEAR_2100);
    expect(await redis.getdel(key("k"))).toBe("v");
    expect(await redis.ttl(key("k"))).toBe(-2);
    // A key made again under that name starts without one.
    await redis.set(key("k"), "again");
    expect(await redis.ttl(key("k"))).toBe(-1);
  });

  it("RENAME moves the deadline with the value", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("old"), "v", "PXAT", YEAR_2100_MS);
    expect(await redis.rename(key("old"), key("new"))).toBe("OK");
    expect(await redis.pexpiretime(key("new"))).toBe(YEAR_2100_MS);
    expect(await redis.ttl(key("old"))).toBe(-2);
  });

  it("RENAME replaces the target's deadline with the source's, or with none", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("source"), "1", "EXAT", YEAR_2100);
    await redis.set(key("target"), "2", "EXAT", YEAR_2100 + 60);
    await redis.rename(key("source"), key("target"));
    expect(await redis.expiretime(key("target"))).toBe(YEAR_2100);

    // A source without a deadline leaves the target without one.
    await redis.set(key("plain"), "3");
    await redis.rename(key("plain"), key("target"));
    expect(await redis.get(key("target"))).toBe("3");
    expect(await redis.ttl(key("target"))).toBe(-1);
  });

  it("RENAMENX moves the deadline too, and RENAME to its own name keeps it", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("old"), "v", "PXAT", YEAR_2100_MS);
    expect(await redis.renamenx(key("old"), key("new"))).toBe(1);
    expect(await redis.pexpiretime(key("new"))).toBe(YEAR_2100_MS);
    expect(await redis.rename(key("new"), key("new"))).toBe("OK");
    expect(await redis.pexpiretime(key("new"))).toBe(YEAR_2100_MS);
  });

  it("COPY gives the copy the same deadline, and leaves the original's", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("source"), "v", "PXAT", YEAR_2100_MS);
    expect(await redis.copy(key("source"), key("copy"))).toBe(1);
    expect(await redis.pexpiretime(key("copy"))).toBe(YEAR_2100_MS);
    expect(await redis.pexpiretime(key("source"))).toBe(YEAR_2100_MS);
    // Two keys, two deadlines: changing one leaves the other.
    await redis.persist(key("copy"));
    expect(await redis.pexpiretime(key("source"))).toBe(YEAR_2100_MS);
  });

  it("COPY ... REPLACE of a key without a deadline drops the target's", async () => {
    const redis = await client();
    const key = keysForThisTest();
    await redis.set(key("source"), "plain");
    await redis.set(key("target"), "volatile", "EXAT", YEAR_2100);
    expect(await redis.copy(key("source"), key("target"), "REPLACE")).toBe(1);
    expect(await redis.get(key("target"))).toBe("plain");
    expect(await redis.ttl(key("target"))).toBe(-1);
  });
});
