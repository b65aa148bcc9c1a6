/**
 * Article steps "INCR and DECR", "INCRBY and DECRBY" and "INCRBYFLOAT":
 * counters, which are strings holding the decimal text of a number.
 *
 * Redis's integers are signed 64-bit, and a JavaScript number is exact only
 * up to 2^53, so every number here is compared as text: the client is made
 * with ioredis's `stringNumbers`, which hands integer replies over as
 * strings, and the values read back with GET are strings anyway. A test
 * that compared `9223372036854775807` as a number would pass for a server
 * answering ...806 too.
 *
 * Each test makes its own keys under a random prefix: the tests share a
 * server (a real Redis one under REDIS_URL) and must not see each other's
 * data.
 *
 * The last describe block is step 5's ("atomic without locks"): twenty
 * clients at once on the same keys, and not one write lost.
 */
import { describe, expect, it } from "vitest";
import type { ChainableCommander, Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";

const server = useServer();

const INT64_MAX = "9223372036854775807";
const INT64_MIN = "-9223372036854775808";

const NOT_AN_INTEGER = "ERR value is not an integer or out of range";
const OVERFLOW = "ERR increment or decrement would overflow";
const NOT_A_FLOAT = "ERR value is not a valid float";
const NOT_FINITE = "ERR increment would produce NaN or Infinity";

/** A client whose integer replies arrive as exact decimal strings. */
function counterClient(): Promise<Redis> {
  return server.client({ stringNumbers: true });
}

/**
 * Texts Redis does not read as integers: it takes an optional minus sign
 * and digits, without a leading zero or anything around them, within 64
 * bits. Each is a mistake a hand-written parser (or `Number()`) can make.
 */
const NOT_INTEGERS = [
  "1.0",
  " 1",
  "1 ",
  "+1",
  "01",
  "00",
  "-0",
  "-01",
  "",
  "-",
  "abc",
  "1e3",
  "0x10",
  "1\0",
  "1\n",
  "9223372036854775808",
  "-9223372036854775809",
  "12345678901234567890",
];

describe("INCR and DECR", () => {
  it("INCR and DECR count from 0 on a missing key", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await redis.incr(key("up"))).toBe("1");
    expect(await redis.incr(key("up"))).toBe("2");
    expect(await redis.decr(key("down"))).toBe("-1");
    expect(await redis.decr(key("down"))).toBe("-2");
  });

  it("the counter is stored as its decimal text, and a SET number is a counter", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), "41");
    expect(await redis.incr(key("k"))).toBe("42");
    expect(await redis.get(key("k"))).toBe("42");
    expect(await redis.append(key("k"), "0")).toBe("3");
    expect(await redis.incr(key("k"))).toBe("421");
  });

  it("INCR reaches 9223372036854775807, then refuses to overflow", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), "9223372036854775806");
    expect(await redis.incr(key("k"))).toBe(INT64_MAX);
    expect(await errorOf(redis.incr(key("k")))).toBe(OVERFLOW);
    expect(await redis.get(key("k"))).toBe(INT64_MAX);
  });

  it("DECR reaches -9223372036854775808, then refuses to overflow", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), "-9223372036854775807");
    expect(await redis.decr(key("k"))).toBe(INT64_MIN);
    expect(await errorOf(redis.decr(key("k")))).toBe(OVERFLOW);
    expect(await redis.get(key("k"))).toBe(INT64_MIN);
  });

  it("-9223372036854775808 is an integer: INCR moves up from it", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), INT64_MIN);
    expect(await redis.incr(key("k"))).toBe("-9223372036854775807");
  });

  it("counters beyond 2^53 stay exact, where a JavaScript number would round", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    // 2^53 + 1: Number("9007199254740993") is 9007199254740992.
    await redis.set(key("k"), "9007199254740993");
    expect(await redis.incr(key("k"))).toBe("9007199254740994");
    expect(await redis.decr(key("k"))).toBe("9007199254740993");
    expect(await redis.get(key("k"))).toBe("9007199254740993");
  });

  it.each(NOT_INTEGERS)(
    "INCR and DECR refuse the value %j, and leave it as it was",
    async (value) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      await redis.set(key("k"), value);
      expect(await errorOf(redis.incr(key("k")))).toBe(NOT_AN_INTEGER);
      expect(await errorOf(redis.decr(key("k")))).toBe(NOT_AN_INTEGER);
      expect(await redis.get(key("k"))).toBe(value);
    },
  );

  it("INCR and DECR take exactly one key", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("INCR", key("a"), key("b")))).toBe(
      "ERR wrong number of arguments for 'incr' command",
    );
    expect(await errorOf(redis.call("DECR"))).toBe(
      "ERR wrong number of arguments for 'decr' command",
    );
  });
});

describe("INCRBY and DECRBY", () => {
  it("INCRBY and DECRBY add and subtract any amount, from 0 on a missing key", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await redis.incrby(key("k"), 10)).toBe("10");
    expect(await redis.decrby(key("k"), 3)).toBe("7");
    expect(await redis.incrby(key("k"), -100)).toBe("-93");
    expect(await redis.decrby(key("k"), -93)).toBe("0");
    expect(await redis.get(key("k"))).toBe("0");
  });

  it("the amount can be as large as 64 bits allow", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await redis.call("INCRBY", key("a"), INT64_MIN)).toBe(INT64_MIN);
    await redis.set(key("b"), INT64_MAX);
    expect(await redis.call("INCRBY", key("b"), INT64_MIN)).toBe("-1");
    await redis.set(key("c"), "-1");
    expect(await redis.call("DECRBY", key("c"), INT64_MAX)).toBe(INT64_MIN);
  });

  it.each([
    ["INCRBY", INT64_MAX, "1"],
    ["INCRBY", INT64_MIN, "-1"],
    ["INCRBY", "1", INT64_MAX],
    ["DECRBY", INT64_MIN, "1"],
    ["DECRBY", "-2", INT64_MAX],
    ["DECRBY", INT64_MAX, "-1"],
  ])(
    "%s from %s by %s would overflow: refused, and the value stays",
    async (command, value, amount) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      await redis.set(key("k"), value);
      expect(await errorOf(redis.call(command, key("k"), amount))).toBe(
        OVERFLOW,
      );
      expect(await redis.get(key("k"))).toBe(value);
    },
  );

  it("DECRBY -9223372036854775808 is refused up front: its negation does not fit", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("zero"), "0");
    await redis.set(key("text"), "abc");
    for (const name of ["zero", "text", "missing"]) {
      expect(await errorOf(redis.call("DECRBY", key(name), INT64_MIN))).toBe(
        "ERR decrement would overflow",
      );
    }
    expect(await redis.exists(key("missing"))).toBe("0");
  });

  it.each(NOT_INTEGERS)(
    "INCRBY and DECRBY refuse the amount %j, and create nothing",
    async (amount) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      expect(await errorOf(redis.call("INCRBY", key("k"), amount))).toBe(
        NOT_AN_INTEGER,
      );
      expect(await errorOf(redis.call("DECRBY", key("k"), amount))).toBe(
        NOT_AN_INTEGER,
      );
      expect(await redis.exists(key("k"))).toBe("0");
    },
  );

  it("INCRBY refuses a value that is not an integer, whatever the amount", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), "1.5");
    expect(await errorOf(redis.incrby(key("k"), 1))).toBe(NOT_AN_INTEGER);
    expect(await errorOf(redis.decrby(key("k"), 1))).toBe(NOT_AN_INTEGER);
    expect(await redis.get(key("k"))).toBe("1.5");
  });

  it("sums beyond 2^53 stay exact", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), "9007199254740993");
    // As JavaScript numbers, 9007199254740993 + 9007199254740993 is 18014398509481984.
    expect(await redis.call("INCRBY", key("k"), "9007199254740993")).toBe(
      "18014398509481986",
    );
    expect(await redis.call("DECRBY", key("k"), "12345678901234567")).toBe(
      "5668719608247419",
    );
  });

  it("INCRBY and DECRBY take a key and an amount", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("INCRBY", key("k")))).toBe(
      "ERR wrong number of arguments for 'incrby' command",
    );
    expect(await errorOf(redis.call("DECRBY", key("k"), "1", "2"))).toBe(
      "ERR wrong number of arguments for 'decrby' command",
    );
  });
});

describe("INCRBYFLOAT", () => {
  it("adds a decimal amount and answers the result as text, from 0 on a missing key", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await redis.incrbyfloat(key("k"), "1.5")).toBe("1.5");
    expect(await redis.incrbyfloat(key("k"), "-0.25")).toBe("1.25");
    expect(await redis.get(key("k"))).toBe("1.25");
  });

  it("SET 10.5, INCRBYFLOAT 0.1 answers 10.6", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("k"), "10.5");
    expect(await redis.incrbyfloat(key("k"), "0.1")).toBe("10.6");
    expect(await redis.get(key("k"))).toBe("10.6");
  });

  // Redis adds in C's 80-bit long double and prints 17 decimals: each of
  // these comes out differently with JavaScript's 64-bit doubles.
  it.each([
    // Doubles: 0.30000000000000004.
    [["0.1", "0.2"], "0.3"],
    [["3", "0.1", "0.2"], "3.3"],
    // Doubles: 100000000000000000, the 1 is lost.
    [["1e17", "1"], "100000000000000001"],
    // Doubles: 9007199254740992.
    [["9007199254740993"], "9007199254740993"],
    // Doubles: 1.2345678901234568.
    [["1.23456789012345678"], "1.23456789012345678"],
    // Doubles: 9223372036854775808, the .5 is lost.
    [[INT64_MAX, "0.5"], "9223372036854775807.5"],
    // The long double nearest 1e30, printed in full.
    [["1e30"], "1000000000000000000024696061952"],
  ])(
    "INCRBYFLOAT by %j gives %j, as Redis's long double arithmetic does",
    async (amounts, expected) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      let result: unknown;
      for (const amount of amounts) {
        result = await redis.incrbyfloat(key("k"), amount);
      }
      expect(result).toBe(expected);
      expect(await redis.get(key("k"))).toBe(expected);
    },
  );

  it("past the largest double, long double still holds the sum", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    const largestDouble = "1.7976931348623157e308";
    await redis.incrbyfloat(key("k"), largestDouble);
    // In doubles this sum is Infinity, which INCRBYFLOAT would refuse.
    const sum = (await redis.incrbyfloat(key("k"), largestDouble)) as string;
    expect(sum).toMatch(/^359538626972463139991842093548208868096\d{270}$/);
  });

  it.each([
    ["3.0e3", "3000"],
    ["2E-2", "0.02"],
    ["-5.0e3", "-5000"],
    ["1.5e-10", "0.00000000015"],
    ["1e20", "100000000000000000000"],
  ])(
    "an exponent in the amount (%j) is read, but the result never has one (%j)",
    async (amount, expected) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      expect(await redis.incrbyfloat(key("k"), amount)).toBe(expected);
    },
  );

  it.each([
    ["+1", "1"],
    [".5", "0.5"],
    ["5.", "5"],
    ["007", "7"],
    // C's strtold reads hexadecimal too.
    ["0x10", "16"],
  ])(
    "the amount %j is a valid float too, as C reads it (%j)",
    async (amount, expected) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      expect(await redis.incrbyfloat(key("k"), amount)).toBe(expected);
    },
  );

  it("a zero result is 0, never -0, and trailing zeros are trimmed", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await redis.incrbyfloat(key("a"), "-0")).toBe("0");
    expect(await redis.incrbyfloat(key("a"), "-0.0")).toBe("0");
    expect(await redis.incrbyfloat(key("b"), "-1.5")).toBe("-1.5");
    expect(await redis.incrbyfloat(key("b"), "1.5")).toBe("0");
    // -1e-20 prints as -0.00000000000000000 at 17 decimals: "0".
    expect(await redis.incrbyfloat(key("c"), "-1e-20")).toBe("0");
    expect(await redis.incrbyfloat(key("d"), "-1e-17")).toBe(
      "-0.00000000000000001",
    );
    await redis.set(key("e"), "5.000e3");
    expect(await redis.incrbyfloat(key("e"), "0")).toBe("5000");
  });

  it("the result is stored as text: a whole number is an integer for INCR, a fraction is not", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await redis.incrbyfloat(key("whole"), "2.0")).toBe("2");
    expect(await redis.incr(key("whole"))).toBe("3");

    expect(await redis.incrbyfloat(key("fraction"), "1.5")).toBe("1.5");
    expect(await errorOf(redis.incr(key("fraction")))).toBe(NOT_AN_INTEGER);

    // Too large for 64 bits: a valid float, not an integer.
    expect(await redis.incrbyfloat(key("large"), "1e20")).toBe(
      "100000000000000000000",
    );
    expect(await errorOf(redis.incr(key("large")))).toBe(NOT_AN_INTEGER);
  });

  it.each(["inf", "-inf", "+Infinity", "INF"])(
    "the amount %j parses, but the sum would be infinite: refused, nothing stored",
    async (amount) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      expect(await errorOf(redis.incrbyfloat(key("k"), amount))).toBe(
        NOT_FINITE,
      );
      expect(await redis.exists(key("k"))).toBe("0");
    },
  );

  it("a stored inf, or a sum too large even for long double, is refused too", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    await redis.set(key("inf"), "inf");
    expect(await errorOf(redis.incrbyfloat(key("inf"), "1"))).toBe(NOT_FINITE);
    await redis.set(key("huge"), "1.1e4932");
    expect(await errorOf(redis.incrbyfloat(key("huge"), "1.1e4932"))).toBe(
      NOT_FINITE,
    );
    expect(await redis.get(key("huge"))).toBe("1.1e4932");
  });

  it.each([
    "nan",
    "NaN",
    "abc",
    "",
    " 1",
    "1 ",
    "1e",
    "1.5\0",
    // Out of long double's range: C's strtold reports ERANGE.
    "1e5000",
    "1e-5000",
  ])(
    "the amount %j is not a valid float: refused, nothing stored",
    async (amount) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      expect(await errorOf(redis.incrbyfloat(key("k"), amount))).toBe(
        NOT_A_FLOAT,
      );
      expect(await redis.exists(key("k"))).toBe("0");
    },
  );

  it.each(["abc", " 1", "nan", ""])(
    "a stored value %j that is not a float is refused, and stays",
    async (value) => {
      const redis = await counterClient();
      const key = keysForThisTest();
      await redis.set(key("k"), value);
      expect(await errorOf(redis.incrbyfloat(key("k"), "1"))).toBe(NOT_A_FLOAT);
      expect(await redis.get(key("k"))).toBe(value);
    },
  );

  it("INCRBYFLOAT takes a key and an amount", async () => {
    const redis = await counterClient();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("INCRBYFLOAT", key("k")))).toBe(
      "ERR wrong number of arguments for 'incrbyfloat' command",
    );
  });
});

describe("atomic without locks (step 5): no client's write is lost to another's", () => {
  const CLIENTS = 20;

  /** `CLIENTS` connections of their own, so their commands really interleave at the server. */
  function manyClients(): Promise<Redis[]> {
    return Promise.all(Array.from({ length: CLIENTS }, () => server.client()));
  }

  /** The replies of one pipeline, failing on any error reply. */
  async function replies(pipeline: ChainableCommander): Promise<unknown[]> {
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, reply]) => {
      if (error) throw error;
      return reply;
    });
  }

  it("20 clients × 500 pipelined INCRs on one key end at exactly 10,000", async () => {
    const key = keysForThisTest()("counter");
    const PER_CLIENT = 500;
    const clients = await manyClients();
    const answers = await Promise.all(
      clients.map((redis) => {
        const pipeline = redis.pipeline();
        for (let i = 0; i < PER_CLIENT; i++) pipeline.incr(key);
        return replies(pipeline);
      }),
    );

    expect(await clients[0]!.get(key)).toBe(String(CLIENTS * PER_CLIENT));
    // Each INCR read the value the one before it wrote: every count from
    // 1 to 10,000 was answered exactly once, in order for each client.
    const all = answers.flat() as number[];
    expect(new Set(all).size).toBe(CLIENTS * PER_CLIENT);
    expect(Math.min(...all)).toBe(1);
    expect(Math.max(...all)).toBe(CLIENTS * PER_CLIENT);
    for (const mine of answers as number[][]) {
      expect(mine.every((n, i) => i === 0 || n > mine[i - 1]!)).toBe(true);
    }
  });

  it("20 clients interleaving INCRBYFLOAT and APPEND lose nothing", async () => {
    const key = keysForThisTest();
    const PER_CLIENT = 100;
    const clients = await manyClients();
    /** Client 7's piece is "07.": three bytes, so the pieces can be counted. */
    const pieceOf = (client: number): string =>
      `${String(client).padStart(2, "0")}.`;
    const answers = await Promise.all(
      clients.map((redis, client) => {
        const pipeline = redis.pipeline();
        for (let i = 0; i < PER_CLIENT; i++) {
          pipeline.incrbyfloat(key("float"), "1.5");
          pipeline.append(key("text"), pieceOf(client));
        }
        return replies(pipeline);
      }),
    );

    const total = CLIENTS * PER_CLIENT;
    const redis = clients[0]!;
    expect(await redis.get(key("float"))).toBe(String(total * 1.5));
    const text = (await redis.get(key("text")))!;
    expect(text.length).toBe(total * 3);
    // Whole pieces only, each client's 100 of them.
    const pieces = text.match(/.../g)!;
    for (let client = 0; client < CLIENTS; client++) {
      expect(pieces.filter((piece) => piece === pieceOf(client)).length).toBe(
        PER_CLIENT,
      );
    }
    // And no two commands saw the same value: every sum and every length
    // was answered once.
    const all = answers.flat();
    const sums = all.filter((_, i) => i % 2 === 0);
    const lengths = all.filter((_, i) => i % 2 === 1);
    expect(new Set(sums).size).toBe(total);
    expect(new Set(lengths).size).toBe(total);
  });
});
