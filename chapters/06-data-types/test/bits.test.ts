/**
 * Article step "bits": a string read and written as bits. SETBIT, GETBIT,
 * BITCOUNT and BITPOS with BYTE and BIT ranges, BITOP, BITFIELD and
 * BITFIELD_RO with every overflow mode, LCS with its options, and SUBSTR.
 *
 * Every expected reply is what Redis 7.0.15 answers, errors included and
 * in Redis's order of checks (which differs from command to command).
 * Through ioredis in the project's protocol, and over a raw socket where
 * the bytes differ between RESP2 and RESP3. Each test makes its own keys
 * under a random prefix: the tests share a server (a real Redis one
 * under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  clientWithList,
  errorOf,
  infoNumber,
  keysForThisTest,
  NOT_AN_INTEGER,
  pollUntil,
  SYNTAX_ERROR,
  WRONGTYPE,
} from "./client-helpers.ts";
import { docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import {
  aofBytes,
  aofCommands,
  itRestarts,
  startRestartableServer,
} from "./persistence-helpers.ts";

const server = useServer();

const BIT_OFFSET = "ERR bit offset is not an integer or out of range";
const BIT_VALUE = "ERR bit is not an integer or out of range";
const BIT_ARGUMENT = "ERR The bit argument must be 1 or 0.";
const FIELD_TYPE =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
const RO_WRITE = "ERR BITFIELD_RO only supports the GET subcommand";
const LCS_TYPES = "ERR The specified keys must contain string values";

/** A client, key names of its own, and a list at `key("list")` for WRONGTYPE. */
const setUp = () => clientWithList(server);

/** Arguments written as one line: `words("GET u8 0")`. */
const words = (line: string): string[] => line.split(" ");

/** `args` with "list" and every word starting with "k:" made into this test's keys. */
function withKeys(key: (name: string) => string, args: string[]): string[] {
  return args.map((w) => (w === "list" || w.startsWith("k:") ? key(w) : w));
}

/** Sends a command (with this test's keys, see withKeys) and answers its error's text. */
async function errorFor(
  redis: Redis,
  key: (name: string) => string,
  command: string[],
): Promise<string> {
  const [name, ...args] = withKeys(key, command);
  return errorOf(redis.call(name!, ...args));
}

/** The bytes of the string at `key`, as hex ("" for none). */
async function hexOf(redis: Redis, key: string): Promise<string> {
  return ((await redis.getBuffer(key)) ?? Buffer.alloc(0)).toString("hex");
}

describe("SETBIT and GETBIT", () => {
  it("bit 0 is the top bit of the first byte; SETBIT answers the bit's old value", async () => {
    const { redis, key } = await setUp();
    expect(await redis.setbit(key("b"), 0, 1)).toBe(0);
    expect(await hexOf(redis, key("b"))).toBe("80");
    expect(await redis.setbit(key("b"), 7, 1)).toBe(0);
    expect(await redis.setbit(key("b"), 7, 1)).toBe(1);
    expect(await hexOf(redis, key("b"))).toBe("81");
    expect(await redis.setbit(key("b"), 0, 0)).toBe(1);
    expect(await hexOf(redis, key("b"))).toBe("01");
    expect(await redis.getbit(key("b"), 7)).toBe(1);
    expect(await redis.getbit(key("b"), 6)).toBe(0);
  });

  it("SETBIT grows the string with zero bytes, even to write a 0", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("b"), "a");
    expect(await redis.setbit(key("b"), 23, 0)).toBe(0);
    expect(await hexOf(redis, key("b"))).toBe("610000");
    expect(await redis.setbit(key("new"), 9, 0)).toBe(0);
    expect(await hexOf(redis, key("new"))).toBe("0000");
  });

  it("GETBIT reads 0 past the end and for a missing key; an integer is read as its digits", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("n"), "123"); // 0x31 0x32 0x33
    expect(await redis.getbit(key("n"), 2)).toBe(1);
    expect(await redis.getbit(key("n"), 7)).toBe(1);
    expect(await redis.getbit(key("n"), 6)).toBe(0);
    expect(await redis.getbit(key("n"), 24)).toBe(0);
    expect(await redis.getbit(key("n"), 4294967295)).toBe(0);
    expect(await redis.getbit(key("none"), 5)).toBe(0);
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("SETBIT keeps the key's time to live", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("b"), "a", "EX", 1000);
    await redis.setbit(key("b"), 100, 1);
    expect(await redis.ttl(key("b"))).toBeGreaterThan(900);
  });

  it.each([
    [["SETBIT", "k:b", "-1", "1"], BIT_OFFSET],
    [["SETBIT", "k:b", "x", "1"], BIT_OFFSET],
    [["SETBIT", "k:b", "1.0", "1"], BIT_OFFSET],
    [["SETBIT", "k:b", "+1", "1"], BIT_OFFSET],
    // `#n` is BITFIELD's; SETBIT reads a plain integer.
    [["SETBIT", "k:b", "#1", "1"], BIT_OFFSET],
    // 512 MB is 2^32 bits: the limit, checked before anything is made.
    [["SETBIT", "k:b", "4294967296", "1"], BIT_OFFSET],
    [["SETBIT", "k:b", "9223372036854775808", "1"], BIT_OFFSET],
    [["SETBIT", "k:b", "0", "2"], BIT_VALUE],
    [["SETBIT", "k:b", "0", "-1"], BIT_VALUE],
    [["SETBIT", "k:b", "0", "01"], BIT_VALUE],
    [["SETBIT", "k:b", "0", "x"], BIT_VALUE],
    [["SETBIT", "k:b", "4294967296", "x"], BIT_OFFSET],
    [["GETBIT", "k:b", "-1"], BIT_OFFSET],
    [["GETBIT", "k:b", "4294967296"], BIT_OFFSET],
    // The offset and the value come before the key's type.
    [["SETBIT", "list", "x", "1"], BIT_OFFSET],
    [["SETBIT", "list", "0", "2"], BIT_VALUE],
    [["SETBIT", "list", "0", "1"], WRONGTYPE],
    [["GETBIT", "list", "x"], BIT_OFFSET],
    [["GETBIT", "list", "0"], WRONGTYPE],
    [
      ["SETBIT", "k:b", "0"],
      "ERR wrong number of arguments for 'setbit' command",
    ],
    [["GETBIT", "k:b"], "ERR wrong number of arguments for 'getbit' command"],
  ])("%j is refused with %j", async (command, message) => {
    const { redis, key } = await setUp();
    expect(await errorFor(redis, key, command)).toBe(message);
    expect(await redis.exists(key("k:b"))).toBe(0);
  });

  it("the string is raw afterwards, even when no bit changed", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("n"), "123");
    expect(await redis.object("ENCODING", key("n"))).toBe("int");
    expect(await redis.setbit(key("n"), 0, 0)).toBe(0);
    expect(await redis.get(key("n"))).toBe("123");
    expect(await redis.object("ENCODING", key("n"))).toBe("raw");
    expect(await redis.object("REFCOUNT", key("n"))).toBe(1);
    await redis.set(key("s"), "abc");
    await redis.getbit(key("s"), 0);
    expect(await redis.object("ENCODING", key("s"))).toBe("embstr");
  });
});

describe("BITCOUNT", () => {
  /** "foobar": 4 + 6 + 6 + 3 + 3 + 4 set bits, 26 in all. */
  async function foobar() {
    const context = await setUp();
    await context.redis.set(context.key("s"), "foobar");
    return { ...context, s: context.key("s") };
  }

  it.each([
    [[], 26],
    [["0", "0"], 4],
    [["1", "1"], 6],
    [["1", "2", "BYTE"], 12],
    [["-2", "-1"], 7],
    [["-100", "100"], 26],
    [["2", "1"], 0],
    [["6", "10"], 0],
    [["-1", "-5"], 0],
    [["5", "30", "BIT"], 17],
    [["0", "-1", "bit"], 26],
    [["3", "3", "Bit"], 0],
    [["1", "1", "BIT"], 1],
    [["-5", "-1", "BIT"], 2],
    [["47", "100", "BIT"], 0],
    [["-9223372036854775808", "9223372036854775807", "BIT"], 26],
  ])("BITCOUNT foobar %j is %i", async (range, count) => {
    const { redis, s } = await foobar();
    expect(await redis.call("BITCOUNT", s, ...range)).toBe(count);
  });

  it("both ends negative and crossed answer 0 before the unit is read", async () => {
    const { redis, s } = await foobar();
    expect(await redis.call("BITCOUNT", s, "-1", "-5", "nonsense")).toBe(0);
    expect(
      await errorOf(redis.call("BITCOUNT", s, "1", "-5", "nonsense")),
    ).toBe(SYNTAX_ERROR);
  });

  it.each([
    [["0"], SYNTAX_ERROR],
    [["0", "1", "WORD"], SYNTAX_ERROR],
    [["0", "1", "BIT", "extra"], SYNTAX_ERROR],
    [["a", "1"], NOT_AN_INTEGER],
    [["0", "1.5"], NOT_AN_INTEGER],
    [["a", "1", "WORD"], NOT_AN_INTEGER],
  ])("BITCOUNT foobar %j is refused with %j", async (range, message) => {
    const { redis, s } = await foobar();
    expect(await errorOf(redis.call("BITCOUNT", s, ...range))).toBe(message);
  });

  it("Redis 7.0 looks at the key first: a missing key is 0, a list WRONGTYPE, whatever follows", async () => {
    const { redis, key, list } = await setUp();
    for (const range of [[], ["a", "b"], ["0"], ["0", "1", "WORD"]]) {
      expect(await redis.call("BITCOUNT", key("none"), ...range)).toBe(0);
      expect(await errorOf(redis.call("BITCOUNT", list, ...range))).toBe(
        WRONGTYPE,
      );
    }
  });

  it("an empty string has no bits; an integer is counted as its digits", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("e"), "");
    expect(await redis.call("BITCOUNT", key("e"))).toBe(0);
    expect(await redis.call("BITCOUNT", key("e"), "0", "-1", "BIT")).toBe(0);
    await redis.set(key("n"), "7"); // 0x37
    expect(await redis.call("BITCOUNT", key("n"))).toBe(5);
  });
});

describe("BITPOS", () => {
  /** Three bytes 0x00 0xf0 0xff at `key("s")`. */
  async function bytes(hex = "00f0ff") {
    const context = await setUp();
    await context.redis.set(context.key("s"), Buffer.from(hex, "hex"));
    return { ...context, s: context.key("s") };
  }

  it.each([
    [["1"], 8],
    [["0"], 0],
    [["1", "2"], 16],
    [["0", "1"], 12],
    [["0", "2"], 24], // no end given: the bit after the string
    [["0", "2", "-1"], -1], // an end given: no 0 in the range
    [["1", "0", "0"], -1],
    [["1", "-1"], 16],
    [["0", "3"], -1], // start past the end: an empty range
    [["1", "0", "-1", "BIT"], 8],
    [["0", "8", "11", "BIT"], -1],
    [["0", "8", "12", "bit"], 12],
    [["1", "9", "14", "BIT"], 9],
    [["1", "12", "15", "BIT"], -1],
    [["0", "13", "19", "BIT"], 13],
    [["1", "2", "5", "BIT"], -1],
    [["0", "2", "5", "BIT"], 2],
    [["1", "-5", "-1", "BIT"], 19],
    [["0", "17", "23", "BIT"], -1],
    [["1", "23", "100", "BIT"], 23],
    [["1", "0", "1", "BYTE"], 8],
  ])("BITPOS 00f0ff %j is %i", async (args, position) => {
    const { redis, s } = await bytes();
    expect(await redis.call("BITPOS", s, ...args)).toBe(position);
  });

  it("looking for 0 in all ones: the bit after the string without an end, -1 with one", async () => {
    const { redis, s } = await bytes("ffffff");
    expect(await redis.call("BITPOS", s, "0")).toBe(24);
    expect(await redis.call("BITPOS", s, "0", "1")).toBe(24);
    expect(await redis.call("BITPOS", s, "0", "0", "-1")).toBe(-1);
    expect(await redis.call("BITPOS", s, "0", "1", "20", "BIT")).toBe(-1);
    expect(await redis.call("BITPOS", s, "1", "30", "2", "BIT")).toBe(-1);
  });

  it("looking for 1 in all zeros: -1", async () => {
    const { redis, s } = await bytes("000000");
    expect(await redis.call("BITPOS", s, "1")).toBe(-1);
    expect(await redis.call("BITPOS", s, "0")).toBe(0);
    expect(await redis.call("BITPOS", s, "1", "1", "22", "BIT")).toBe(-1);
    expect(await redis.call("BITPOS", s, "0", "3", "5", "BIT")).toBe(3);
  });

  it("a missing key is all zeros (0 for a 0, -1 for a 1), an empty string has no bit at all", async () => {
    const { redis, key } = await setUp();
    expect(await redis.call("BITPOS", key("none"), "0")).toBe(0);
    expect(await redis.call("BITPOS", key("none"), "1")).toBe(-1);
    // The key is looked at before the range is read.
    expect(await redis.call("BITPOS", key("none"), "1", "a")).toBe(-1);
    expect(await redis.call("BITPOS", key("none"), "0", "0", "1", "NO")).toBe(
      0,
    );
    await redis.set(key("e"), "");
    expect(await redis.call("BITPOS", key("e"), "0")).toBe(-1);
    expect(await redis.call("BITPOS", key("e"), "1")).toBe(-1);
  });

  it.each([
    [["2"], BIT_ARGUMENT],
    [["-1"], BIT_ARGUMENT],
    [["a"], NOT_AN_INTEGER],
    [["1", "a"], NOT_AN_INTEGER],
    [["1", "0", "a"], NOT_AN_INTEGER],
    [["1", "0", "1", "WORD"], SYNTAX_ERROR],
    // The unit is read before the end.
    [["1", "0", "a", "WORD"], SYNTAX_ERROR],
    [["1", "0", "1", "BIT", "extra"], SYNTAX_ERROR],
  ])("BITPOS s %j is refused with %j", async (args, message) => {
    const { redis, s } = await bytes();
    expect(await errorOf(redis.call("BITPOS", s, ...args))).toBe(message);
  });

  it("the bit comes before the key's type, the range after it", async () => {
    const { redis, list } = await setUp();
    expect(await errorOf(redis.call("BITPOS", list, "2"))).toBe(BIT_ARGUMENT);
    expect(await errorOf(redis.call("BITPOS", list, "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("BITPOS", list, "1", "a"))).toBe(WRONGTYPE);
  });
});

describe("BITOP", () => {
  /** "foobar" at `key("a")`, "abc" at `key("b")`. */
  async function sources() {
    const context = await setUp();
    const { redis, key } = context;
    await redis.set(key("a"), "foobar");
    await redis.set(key("b"), "abc");
    return context;
  }

  it.each([
    ["AND", "606263000000"],
    ["OR", "676f6f626172"],
    ["XOR", "070d0c626172"],
  ])("%s pads the shorter source with zero bytes", async (op, hex) => {
    const { redis, key } = await sources();
    expect(await redis.call("BITOP", op, key("d"), key("a"), key("b"))).toBe(6);
    expect(await hexOf(redis, key("d"))).toBe(hex);
  });

  it("NOT inverts one source; a missing source counts as an empty string", async () => {
    const { redis, key } = await sources();
    expect(await redis.call("BITOP", "not", key("d"), key("b"))).toBe(3);
    expect(await hexOf(redis, key("d"))).toBe("9e9d9c");
    expect(
      await redis.call("BITOP", "Or", key("d"), key("b"), key("none")),
    ).toBe(3);
    expect(await redis.get(key("d"))).toBe("abc");
    expect(
      await redis.call("BITOP", "AND", key("d"), key("a"), key("none")),
    ).toBe(6);
    expect(await hexOf(redis, key("d"))).toBe("000000000000");
  });

  it("an empty result deletes the destination, whatever it held, and answers 0", async () => {
    const { redis, key, list } = await sources();
    await redis.set(key("e"), "");
    expect(await redis.call("BITOP", "OR", key("a"), key("e"))).toBe(0);
    expect(await redis.exists(key("a"))).toBe(0);
    expect(await redis.call("BITOP", "AND", list, key("none"))).toBe(0);
    expect(await redis.exists(list)).toBe(0);
  });

  it("the result replaces the destination (a list too) and its time to live, and is raw", async () => {
    const { redis, key, list } = await sources();
    await redis.set(key("d"), "x", "EX", 1000);
    await redis.call("BITOP", "AND", key("d"), key("b"));
    expect(await redis.ttl(key("d"))).toBe(-1);
    expect(await redis.object("ENCODING", key("d"))).toBe("raw");
    await redis.call("BITOP", "OR", list, key("b"));
    expect(await redis.type(list)).toBe("string");
    expect(await redis.get(list)).toBe("abc");
  });

  it.each([
    [
      ["BITOP", "NOT", "k:d", "k:a", "k:b"],
      "ERR BITOP NOT must be called with a single source key.",
    ],
    [["BITOP", "NAND", "k:d", "k:a"], SYNTAX_ERROR],
    [["BITOP", "AND\u0001", "k:d", "k:a"], SYNTAX_ERROR],
    [
      ["BITOP", "NOT", "k:d"],
      "ERR wrong number of arguments for 'bitop' command",
    ],
    // The operation is read before any key; the keys in order.
    [["BITOP", "NAND", "k:d", "list"], SYNTAX_ERROR],
    [["BITOP", "AND", "k:d", "k:a", "list"], WRONGTYPE],
    [["BITOP", "AND", "k:d", "k:none", "list"], WRONGTYPE],
    [["BITOP", "NOT", "k:d", "list"], WRONGTYPE],
  ])("%j is refused with %j, and changes nothing", async (command, message) => {
    const { redis, key } = await sources();
    expect(await errorFor(redis, key, command)).toBe(message);
    expect(await redis.exists(key("k:d"))).toBe(0);
  });
});

describe("BITFIELD", () => {
  it("GET, SET and INCRBY of unsigned and signed fields at any bit offset", async () => {
    const { redis, key } = await setUp();
    const f = key("f");
    expect(
      await redis.call(
        "BITFIELD",
        f,
        ...words(
          "SET u8 0 255 GET u8 0 GET i8 0 SET i5 11 -3 GET u5 11 GET i5 11 INCRBY u4 4 1",
        ),
      ),
    ).toEqual([0, 255, -1, 0, 29, -3, 0]);
    expect(await hexOf(redis, f)).toBe("f01d");
  });

  it("SAT saturates a SET of a value within max of -2^63 to the field's max, as Redis's 64-bit check does", async () => {
    const { redis, key } = await setUp();
    // Redis computes max - value in 64 bits; near -2^63 that overflows,
    // and the value counts as too big. A little further up it is too small.
    expect(
      await redis.call(
        "BITFIELD",
        key("f"),
        ...words(
          "OVERFLOW SAT SET i32 0 -9223372034707292161 GET i32 0 SET i32 0 -9223372034707292160 GET i32 0 SET i8 0 -9223372036854775808 GET i8 0",
        ),
      ),
    ).toEqual([0, 2147483647, 2147483647, -2147483648, -128, 127]);
  });

  it("`#n` is the n-th field of the type's width", async () => {
    const { redis, key } = await setUp();
    const f = key("f");
    await redis.call("BITFIELD", f, ...words("SET u8 #0 65 SET u8 #2 67"));
    expect(await redis.get(f)).toBe("A\0C");
    expect(
      await redis.call("BITFIELD", f, "GET", "u4", "#1", "GET", "i16", "#0"),
    ).toEqual([1, 16640]);
  });

  it("`#n` times the width is a 64-bit product that wraps, as Redis's C does", async () => {
    const redis = await server.client({ stringNumbers: true });
    const key = keysForThisTest();
    await redis.set(key("f"), "abcdefghijklmnop");
    // 2^58 + 1 fields of 64 bits: bit 2^64 + 64, which wraps to bit 64.
    expect(
      await redis.call(
        "BITFIELD",
        key("f"),
        ...words("GET i64 #288230376151711745 GET i64 64"),
      ),
    ).toEqual(["7596001834950356848", "7596001834950356848"]);
    expect(
      await errorOf(
        redis.call("BITFIELD", key("f"), "GET", "i64", "#9223372036854775807"),
      ),
    ).toBe(BIT_OFFSET);
  });

  it("the widest fields: i64 and u63, at their limits", async () => {
    // Integers past 2^53 as text: as JavaScript numbers they would round.
    const redis = await server.client({ stringNumbers: true });
    const f = keysForThisTest()("f");
    expect(
      await redis.call(
        "BITFIELD",
        f,
        ...words(
          "SET i64 0 -9223372036854775808 GET i64 0 INCRBY i64 0 -1 SET u63 64 9223372036854775807 GET u63 64 INCRBY u63 64 1 OVERFLOW SAT INCRBY i64 0 1 INCRBY u63 64 -1 SET u63 64 -1 GET u63 64",
        ),
      ),
    ).toEqual([
      "0",
      "-9223372036854775808",
      "9223372036854775807",
      "0",
      "9223372036854775807",
      "0",
      "9223372036854775807",
      "0",
      "0",
      "9223372036854775807",
    ]);
  });

  it.each([
    // WRAP, the default: the low bits of the result.
    [["INCRBY", "u8", "0", "257"], [1]],
    [["INCRBY", "u8", "0", "-1"], [255]],
    [["INCRBY", "i8", "0", "128"], [-128]],
    [["INCRBY", "i8", "0", "-129"], [127]],
    [
      ["SET", "u8", "0", "256", "GET", "u8", "0"],
      [0, 0],
    ],
    // SET reads its value as a signed 64-bit integer: -1 is all ones.
    [
      ["SET", "u8", "0", "-1", "GET", "u8", "0"],
      [0, 255],
    ],
    [
      ["SET", "i4", "0", "8", "GET", "i4", "0"],
      [0, -8],
    ],
    // SAT: the nearest limit.
    [["OVERFLOW", "SAT", "INCRBY", "u8", "0", "300"], [255]],
    [["OVERFLOW", "sat", "INCRBY", "u8", "0", "-1"], [0]],
    [["OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000"], [-128]],
    [
      ["OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0"],
      [0, 255],
    ],
    [
      ["OVERFLOW", "SAT", "SET", "i8", "0", "200", "GET", "i8", "0"],
      [0, 127],
    ],
    // FAIL: nil, and nothing written.
    [
      ["OVERFLOW", "FAIL", "INCRBY", "u8", "0", "256", "GET", "u8", "0"],
      [null, 0],
    ],
    [
      ["OVERFLOW", "Fail", "SET", "i2", "0", "-3", "GET", "i2", "0"],
      [null, 0],
    ],
    [
      ["OVERFLOW", "FAIL", "SET", "u2", "0", "3", "INCRBY", "u2", "0", "1"],
      [0, null],
    ],
    // OVERFLOW applies to what follows it, until the next one.
    [
      [
        "INCRBY",
        "u2",
        "0",
        "5",
        "OVERFLOW",
        "SAT",
        "INCRBY",
        "u2",
        "0",
        "5",
        "OVERFLOW",
        "WRAP",
        "INCRBY",
        "u2",
        "0",
        "1",
      ],
      [1, 3, 0],
    ],
    // A 1-bit signed field holds 0 and -1.
    [
      ["INCRBY", "i1", "0", "1", "INCRBY", "i1", "0", "1"],
      [-1, 0],
    ],
  ])("BITFIELD on zeros %j answers %j", async (operations, replies) => {
    const { redis, key } = await setUp();
    expect(await redis.call("BITFIELD", key("f"), ...operations)).toEqual(
      replies,
    );
  });

  it("GETs only: a missing key reads as zeros and is not created; no operation at all is an empty array", async () => {
    const { redis, key } = await setUp();
    expect(
      await redis.call(
        "BITFIELD",
        key("none"),
        ...words("GET u8 0 GET i3 100"),
      ),
    ).toEqual([0, 0]);
    expect(await redis.call("BITFIELD", key("none"))).toEqual([]);
    expect(
      await redis.call("BITFIELD", key("none"), "OVERFLOW", "SAT"),
    ).toEqual([]);
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("a write creates or grows the string as far as its farthest bit, even when OVERFLOW FAIL writes nothing", async () => {
    const { redis, key } = await setUp();
    expect(
      await redis.call(
        "BITFIELD",
        key("new"),
        ...words("OVERFLOW FAIL INCRBY u2 0 100"),
      ),
    ).toEqual([null]);
    expect(await hexOf(redis, key("new"))).toBe("00");
    await redis.set(key("s"), "abc");
    expect(
      await redis.call(
        "BITFIELD",
        key("s"),
        ...words("OVERFLOW FAIL SET u8 40 999"),
      ),
    ).toEqual([null]);
    expect(await hexOf(redis, key("s"))).toBe("616263000000");
    expect(await redis.object("ENCODING", key("s"))).toBe("raw");
  });

  it.each([
    [["GET", "i0", "0"], FIELD_TYPE],
    [["GET", "i65", "0"], FIELD_TYPE],
    [["GET", "u64", "0"], FIELD_TYPE],
    [["GET", "u0", "0"], FIELD_TYPE],
    [["GET", "I8", "0"], FIELD_TYPE],
    [["GET", "i08", "0"], FIELD_TYPE],
    [["GET", "i+8", "0"], FIELD_TYPE],
    [["GET", "i", "0"], FIELD_TYPE],
    [["GET", "", "0"], FIELD_TYPE],
    [["GET", "x8", "0"], FIELD_TYPE],
    [["GET", "u8", "-1"], BIT_OFFSET],
    [["GET", "u8", "#"], BIT_OFFSET],
    [["GET", "u8", "#-1"], BIT_OFFSET],
    [["GET", "u8", "##1"], BIT_OFFSET],
    [["GET", "u8", "4294967296"], BIT_OFFSET],
    [["GET", "i1", "#4294967296"], BIT_OFFSET],
    [["GET", "i2", "#2147483648"], BIT_OFFSET],
    [["SET", "i8", "0", "x"], NOT_AN_INTEGER],
    [["INCRBY", "u8", "0", "1.5"], NOT_AN_INTEGER],
    [["SET", "x8", "x", "x"], FIELD_TYPE],
    [["GET", "i8"], SYNTAX_ERROR],
    [["SET", "i8", "0"], SYNTAX_ERROR],
    [["GET", "i8", "0", "INCR", "i8", "0", "1"], SYNTAX_ERROR],
    [["OVERFLOW"], SYNTAX_ERROR],
    [
      ["OVERFLOW", "LOOP", "GET", "i8", "0"],
      "ERR Invalid OVERFLOW type specified",
    ],
    // The whole command is read before anything is done.
    [["SET", "u8", "0", "1", "GET", "x8", "0"], FIELD_TYPE],
  ])(
    "BITFIELD %j is refused with %j, and creates nothing",
    async (operations, message) => {
      const { redis, key } = await setUp();
      expect(
        await errorOf(redis.call("BITFIELD", key("f"), ...operations)),
      ).toBe(message);
      expect(await redis.exists(key("f"))).toBe(0);
    },
  );

  it("the largest offset is 2^32 - 1; the type's width is read up to a NUL byte", async () => {
    const { redis, key } = await setUp();
    expect(
      await redis.call(
        "BITFIELD",
        key("f"),
        ...words("GET i1 #4294967295 GET u8 4294967295"),
      ),
    ).toEqual([0, 0]);
    expect(
      await redis.call(
        "BITFIELD",
        key("f"),
        "GET",
        Buffer.from("u8\0junk"),
        "0",
      ),
    ).toEqual([0]);
  });

  it("arguments are read before the key's type; then a list is WRONGTYPE, even with GETs only", async () => {
    const { redis, list } = await setUp();
    expect(
      await errorOf(redis.call("BITFIELD", list, "SET", "i8", "0", "x")),
    ).toBe(NOT_AN_INTEGER);
    expect(await errorOf(redis.call("BITFIELD", list, "GET", "x8", "0"))).toBe(
      FIELD_TYPE,
    );
    expect(
      await errorOf(redis.call("BITFIELD", list, "SET", "i8", "0", "1")),
    ).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("BITFIELD", list, "GET", "i8", "0"))).toBe(
      WRONGTYPE,
    );
    expect(await errorOf(redis.call("BITFIELD", list))).toBe(WRONGTYPE);
  });

  it("keeps the key's time to live", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("f"), "a", "EX", 1000);
    await redis.call("BITFIELD", key("f"), "SET", "u8", "64", "1");
    expect(await redis.ttl(key("f"))).toBeGreaterThan(900);
  });
});

describe("BITFIELD_RO", () => {
  it("GETs, as BITFIELD's, with OVERFLOW allowed and ignored", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("f"), "A");
    expect(
      await redis.call(
        "BITFIELD_RO",
        key("f"),
        ...words("GET u4 0 OVERFLOW SAT GET i8 #0"),
      ),
    ).toEqual([4, 65]);
    expect(
      await redis.call("BITFIELD_RO", key("none"), "GET", "u4", "0"),
    ).toEqual([0]);
    expect(await redis.call("BITFIELD_RO", key("none"))).toEqual([]);
  });

  it("refuses SET and INCRBY once the whole command is read, before the key's type", async () => {
    const { redis, key, list } = await setUp();
    expect(
      await errorOf(redis.call("BITFIELD_RO", key("f"), "SET", "i8", "0", "1")),
    ).toBe(RO_WRITE);
    expect(
      await errorOf(
        redis.call("BITFIELD_RO", key("f"), ...words("GET i8 0 INCRBY i8 0 1")),
      ),
    ).toBe(RO_WRITE);
    expect(
      await errorOf(redis.call("BITFIELD_RO", list, "SET", "i8", "0", "1")),
    ).toBe(RO_WRITE);
    expect(
      await errorOf(
        redis.call("BITFIELD_RO", key("f"), "SET", "i8", "0", "1", "oops"),
      ),
    ).toBe(SYNTAX_ERROR);
    expect(
      await errorOf(redis.call("BITFIELD_RO", key("f"), "OVERFLOW", "LOOP")),
    ).toBe("ERR Invalid OVERFLOW type specified");
    expect(
      await errorOf(redis.call("BITFIELD_RO", list, "GET", "i8", "0")),
    ).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("BITFIELD_RO", list))).toBe(WRONGTYPE);
    expect(await redis.exists(key("f"))).toBe(0);
  });
});

describe("LCS", () => {
  /** "ohmytext" and "mynewtext", Redis's own example. */
  async function example() {
    const context = await setUp();
    const { redis, key } = context;
    await redis.set(key("a"), "ohmytext");
    await redis.set(key("b"), "mynewtext");
    return { ...context, a: key("a"), b: key("b") };
  }

  it("the longest common subsequence, or its length", async () => {
    const { redis, a, b } = await example();
    expect(await redis.call("LCS", a, b)).toBe("mytext");
    expect(await redis.call("LCS", a, b, "len")).toBe(6);
    expect(await redis.call("LCS", b, a)).toBe("mytext");
    expect(await redis.call("LCS", a, a)).toBe("ohmytext");
  });

  it("IDX: the matching runs from the end of the strings back, as [[start1, end1], [start2, end2]]", async () => {
    const { redis, a, b } = await example();
    expect(await redis.call("LCS", a, b, "IDX")).toEqual([
      "matches",
      [
        [
          [4, 7],
          [5, 8],
        ],
        [
          [2, 3],
          [0, 1],
        ],
      ],
      "len",
      6,
    ]);
    expect(
      await redis.call("LCS", a, b, "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"),
    ).toEqual(["matches", [[[4, 7], [5, 8], 4]], "len", 6]);
    // A negative minimum is no minimum; WITHMATCHLEN without IDX changes nothing.
    expect(
      await redis.call("LCS", a, b, "minmatchlen", "-5", "idx", "withmatchlen"),
    ).toEqual([
      "matches",
      [
        [[4, 7], [5, 8], 4],
        [[2, 3], [0, 1], 2],
      ],
      "len",
      6,
    ]);
    expect(
      await redis.call("LCS", a, b, "WITHMATCHLEN", "MINMATCHLEN", "3"),
    ).toBe("mytext");
    expect(await redis.call("LCS", a, b, "LEN", "MINMATCHLEN", "3")).toBe(6);
  });

  it("of several subsequences of the same length, the one Redis's walk back finds: it steps back in the second string on a tie", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("x"), "abcabcabc");
    await redis.set(key("y"), "cbacbacbacba");
    expect(await redis.call("LCS", key("x"), key("y"))).toBe("cbcabc");
    expect(await redis.call("LCS", key("y"), key("x"))).toBe("abcaba");
    expect(
      await redis.call("LCS", key("x"), key("y"), "IDX", "WITHMATCHLEN"),
    ).toEqual([
      "matches",
      [
        [[8, 8], [9, 9], 1],
        [[7, 7], [7, 7], 1],
        [[6, 6], [5, 5], 1],
        [[5, 5], [3, 3], 1],
        [[4, 4], [1, 1], 1],
        [[2, 2], [0, 0], 1],
      ],
      "len",
      6,
    ]);
  });

  it("a missing key is an empty string", async () => {
    const { redis, key, a } = await example();
    expect(await redis.call("LCS", key("none"), key("none2"))).toBe("");
    expect(await redis.call("LCS", a, key("none"), "IDX")).toEqual([
      "matches",
      [],
      "len",
      0,
    ]);
    expect(await redis.call("LCS", a, key("none"), "LEN")).toBe(0);
  });

  it.each([
    [
      ["LEN", "IDX"],
      "ERR If you want both the length and indexes, please just use IDX.",
    ],
    [
      ["IDX", "LEN"],
      "ERR If you want both the length and indexes, please just use IDX.",
    ],
    [["FOO"], SYNTAX_ERROR],
    [["MINMATCHLEN"], SYNTAX_ERROR],
    [["MINMATCHLEN", "x"], NOT_AN_INTEGER],
    [["MINMATCHLEN", "x", "LEN", "IDX"], NOT_AN_INTEGER],
  ])("LCS a b %j is refused with %j", async (options, message) => {
    const { redis, a, b } = await example();
    expect(await errorOf(redis.call("LCS", a, b, ...options))).toBe(message);
  });

  it("a key that is not a string is refused in LCS's own words, before the options are read", async () => {
    const { redis, list, a } = await example();
    expect(await errorOf(redis.call("LCS", list, a))).toBe(LCS_TYPES);
    expect(await errorOf(redis.call("LCS", a, list, "FOO"))).toBe(LCS_TYPES);
    expect(await errorOf(redis.call("LCS", list, a, "MINMATCHLEN", "x"))).toBe(
      LCS_TYPES,
    );
  });

  it("refuses a table of lengths larger than proto-max-bulk-len before making it", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("big"), "a".repeat(12_000));
    expect(
      await errorOf(redis.call("LCS", key("big"), key("big"), "LEN")),
    ).toBe(
      "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
    );
    expect(await redis.call("LCS", key("big"), key("none"), "LEN")).toBe(0);
  });
});

describe("SUBSTR", () => {
  it("is GETRANGE under its old name", async () => {
    const { redis, key, list } = await setUp();
    await redis.set(key("s"), "Hello World");
    expect(await redis.call("SUBSTR", key("s"), "0", "4")).toBe("Hello");
    expect(await redis.call("SUBSTR", key("s"), "-5", "-1")).toBe("World");
    expect(await redis.call("SUBSTR", key("s"), "-1", "-5")).toBe("");
    expect(await redis.call("SUBSTR", key("none"), "0", "-1")).toBe("");
    expect(await errorOf(redis.call("SUBSTR", list, "a", "1"))).toBe(
      NOT_AN_INTEGER,
    );
    expect(await errorOf(redis.call("SUBSTR", list, "0", "1"))).toBe(WRONGTYPE);
    expect(await errorOf(redis.call("SUBSTR", key("s"), "0"))).toBe(
      "ERR wrong number of arguments for 'substr' command",
    );
  });
});

describe("the exact bytes of the replies, in the project's protocol", () => {
  const protocol = inject("protocol");

  /** A raw connection speaking the project's protocol, its HELLO answered and read. */
  async function rawClient(): Promise<RawSocket> {
    return speakProtocol(await server.raw(), protocol);
  }

  it("BITFIELD's FAIL is a null bulk string in an array: $-1 in RESP2, _ in RESP3", async () => {
    const raw = await rawClient();
    const f = keysForThisTest()("f");
    await raw.send(
      encodeCommand(
        "BITFIELD",
        f,
        "OVERFLOW",
        "FAIL",
        "INCRBY",
        "u2",
        "0",
        "9",
        "GET",
        "u2",
        "0",
      ),
    );
    await expectBytes(raw, `*2\r\n${protocol === 3 ? "_" : "$-1"}\r\n:0\r\n`);
  });

  it("LCS IDX answers a map: four array elements in RESP2, %2 in RESP3", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("SET", key("a"), "ab"),
        encodeCommand("SET", key("b"), "b"),
        encodeCommand("LCS", key("a"), key("b"), "IDX", "WITHMATCHLEN"),
      ]),
    );
    await expectBytes(
      raw,
      `+OK\r\n+OK\r\n${protocol === 3 ? "%2" : "*4"}\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:1\r\n:1\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:1\r\n`,
    );
  });
});

describe("long strings edited in place", () => {
  /** Bytes long enough to be edited in place (ours keeps them as a buffer from 256 bytes). */
  const LONG = 300;

  /** A copy of `bytes` with bit `offset` set to `on`, grown with zero bytes to reach it. */
  function withBit(bytes: Buffer, offset: number, on: 0 | 1): Buffer {
    const byte = Math.floor(offset / 8);
    const out = Buffer.alloc(Math.max(bytes.length, byte + 1));
    bytes.copy(out);
    const mask = 0x80 >> (offset % 8);
    out[byte] = on === 1 ? out[byte]! | mask : out[byte]! & ~mask;
    return out;
  }

  /** A copy of `bytes` with `patch` written at `offset`, grown with zero bytes to reach it. */
  function withPatch(bytes: Buffer, offset: number, patch: string): Buffer {
    const out = Buffer.alloc(Math.max(bytes.length, offset + patch.length));
    bytes.copy(out);
    out.write(patch, offset, "latin1");
    return out;
  }

  it("a long bitmap reads back byte for byte through every reader of strings", async () => {
    const { redis, key, list } = await setUp();
    await redis.setbit(key("b"), 7, 1);
    await redis.setbit(key("b"), LONG * 8 - 1, 1);
    const expected = withBit(withBit(Buffer.alloc(0), 7, 1), LONG * 8 - 1, 1);
    expect(await redis.getBuffer(key("b"))).toEqual(expected);
    expect(await redis.strlen(key("b"))).toBe(LONG);
    expect(await redis.getrangeBuffer(key("b"), LONG - 3, -1)).toEqual(
      expected.subarray(LONG - 3),
    );
    expect(await redis.callBuffer("SUBSTR", key("b"), "0", "1")).toEqual(
      expected.subarray(0, 2),
    );
    expect(await redis.getbit(key("b"), LONG * 8 - 1)).toBe(1);
    expect(await redis.getbit(key("b"), LONG * 8 - 2)).toBe(0);
    expect(await redis.bitcount(key("b"))).toBe(2);
    expect(await redis.bitpos(key("b"), 1)).toBe(7);
    expect(await redis.bitpos(key("b"), 1, 1)).toBe(LONG * 8 - 1);
    expect(
      await redis.call(
        "BITFIELD_RO",
        key("b"),
        "GET",
        "u16",
        String(LONG * 8 - 16),
      ),
    ).toEqual([1]);
    expect(await redis.mgetBuffer(key("b"), list, key("none"))).toEqual([
      expected,
      null,
      null,
    ]);
    await redis.set(key("s"), "\x01\x01");
    expect(await redis.call("LCS", key("b"), key("s"), "LEN")).toBe(2);
    expect(await redis.type(key("b"))).toBe("string");
    expect(await redis.object("ENCODING", key("b"))).toBe("raw");
  });

  it("takes SETBIT, SETRANGE, APPEND and BITFIELD in any order, and GET sees each", async () => {
    const { redis, key } = await setUp();
    let model: Buffer = Buffer.from("a".repeat(LONG - 20), "latin1");
    await redis.set(key("s"), model);
    expect(await redis.setbit(key("s"), 1, 0)).toBe(1);
    model = withBit(model, 1, 0);
    expect(await redis.getBuffer(key("s"))).toEqual(model);
    expect(await redis.setrange(key("s"), LONG - 22, "xyz")).toBe(LONG - 19);
    model = withPatch(model, LONG - 22, "xyz");
    expect(await redis.getBuffer(key("s"))).toEqual(model);
    expect(await redis.append(key("s"), "tail")).toBe(LONG - 15);
    model = Buffer.concat([model, Buffer.from("tail")]);
    expect(await redis.getBuffer(key("s"))).toEqual(model);
    expect(
      await redis.call(
        "BITFIELD",
        key("s"),
        "SET",
        "u8",
        "#1",
        "66",
        "INCRBY",
        "u8",
        "#1",
        "1",
      ),
    ).toEqual([0x61, 67]);
    model = withPatch(model, 1, "C");
    expect(await redis.getBuffer(key("s"))).toEqual(model);
    // Far past the end: zero bytes between, in every writer.
    expect(await redis.setbit(key("s"), 8 * 400, 1)).toBe(0);
    model = withBit(model, 8 * 400, 1);
    expect(await redis.setrange(key("s"), 450, "end")).toBe(453);
    model = withPatch(model, 450, "end");
    expect(
      await redis.call("BITFIELD", key("s"), "SET", "i8", "#500", "-1"),
    ).toEqual([0]);
    model = withPatch(model, 500, "\xff");
    expect(await redis.append(key("s"), "")).toBe(501);
    expect(await redis.getBuffer(key("s"))).toEqual(model);
    expect(await redis.strlen(key("s"))).toBe(501);
    expect(await redis.bitcount(key("s"))).toBe(
      [...model].reduce(
        (n, byte) => n + byte.toString(2).replace(/0/g, "").length,
        0,
      ),
    );
  });

  it("the counters read an edited string as its text", async () => {
    const { redis, key } = await setUp();
    await redis.set(key("n"), "10");
    expect(await redis.setrange(key("n"), 0, "2")).toBe(2);
    expect(await redis.object("ENCODING", key("n"))).toBe("raw");
    expect(await redis.incr(key("n"))).toBe(21);
    expect(await redis.object("ENCODING", key("n"))).toBe("int");
    await redis.setbit(key("long"), LONG * 8 - 1, 1);
    expect(await errorOf(redis.incr(key("long")))).toBe(NOT_AN_INTEGER);
    expect(await errorOf(redis.incrbyfloat(key("long"), 1))).toBe(
      "ERR value is not a valid float",
    );
    // A long text of a number, edited in place, is still that number.
    await redis.set(key("float"), `${"0".repeat(LONG - 1)}5`);
    await redis.setrange(key("float"), 0, "0");
    expect(await redis.object("ENCODING", key("float"))).toBe("raw");
    expect(await redis.incrbyfloat(key("float"), 1.5)).toBe("6.5");
  });

  it("GETSET, GETDEL, GETEX and SET GET answer the edited value", async () => {
    const { redis, key } = await setUp();
    const value = withBit(Buffer.alloc(0), LONG * 8 - 1, 1);
    for (const name of ["a", "b", "c", "d"]) {
      await redis.setbit(key(name), LONG * 8 - 1, 1);
    }
    expect(await redis.getexBuffer(key("a"), "PX", 100_000)).toEqual(value);
    expect(await redis.pttl(key("a"))).toBeGreaterThan(0);
    expect(await redis.getsetBuffer(key("b"), "new")).toEqual(value);
    expect(await redis.get(key("b"))).toBe("new");
    expect(await redis.object("ENCODING", key("b"))).toBe("embstr");
    expect(await redis.getdelBuffer(key("c"))).toEqual(value);
    expect(await redis.exists(key("c"))).toBe(0);
    expect(await redis.setBuffer(key("d"), "x", "GET")).toEqual(value);
    expect(await redis.get(key("d"))).toBe("x");
  });

  it("COPY makes a copy of its own: editing either leaves the other as it was", async () => {
    const { redis, key } = await setUp();
    await redis.setbit(key("a"), LONG * 8 - 1, 1);
    const original = await redis.getBuffer(key("a"));
    expect(await redis.copy(key("a"), key("c"))).toBe(1);
    expect(await redis.object("ENCODING", key("c"))).toBe("raw");
    await redis.setbit(key("c"), 0, 1);
    await redis.append(key("c"), "c");
    expect(await redis.getBuffer(key("a"))).toEqual(original);
    await redis.setrange(key("a"), 0, "a");
    expect(await redis.getBuffer(key("c"))).toEqual(
      Buffer.concat([withBit(original!, 0, 1), Buffer.from("c")]),
    );
    expect(await redis.getBuffer(key("a"))).toEqual(
      withPatch(original!, 0, "a"),
    );
  });

  it("BITOP reads edited strings, even its own destination, and its result takes edits", async () => {
    const { redis, key } = await setUp();
    await redis.setbit(key("x"), LONG * 8 - 1, 1);
    await redis.set(key("y"), Buffer.alloc(10, 0xff));
    expect(await redis.call("BITOP", "OR", key("d"), key("x"), key("y"))).toBe(
      LONG,
    );
    const expected = withBit(Buffer.alloc(0), LONG * 8 - 1, 1);
    expected.fill(0xff, 0, 10);
    expect(await redis.getBuffer(key("d"))).toEqual(expected);
    expect(await redis.object("ENCODING", key("d"))).toBe("raw");
    expect(await redis.setbit(key("d"), 0, 0)).toBe(1);
    expect(await redis.call("BITOP", "NOT", key("d"), key("d"))).toBe(LONG);
    const inverted = Buffer.from(withBit(expected, 0, 0).map((b) => ~b & 0xff));
    expect(await redis.getBuffer(key("d"))).toEqual(inverted);
    await redis.append(key("d"), "z");
    expect(await redis.strlen(key("d"))).toBe(LONG + 1);
  });
});

describe("the AOF", () => {
  itRestarts(
    "bit writes are logged as they are, and only when they changed a bit or the string's length",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      const redis = await restartable.client();
      await redis.setbit("b", 7, 1);
      await redis.setbit("b", 7, 1); // no change
      await redis.setbit("b", 100, 0); // grows
      await redis.setbit("b", 100, 0); // no change
      await redis.set("n", "123");
      await redis.setbit("n", 0, 0); // no change, though n is raw now
      await redis.call(
        "BITFIELD",
        "f",
        "SET",
        "u8",
        "0",
        "1",
        "GET",
        "u8",
        "0",
      );
      await redis.call("BITFIELD", "f", "SET", "u8", "0", "1"); // no change
      await redis.call("BITFIELD", "f", "GET", "u8", "0");
      await redis.call("BITFIELD_RO", "f", "GET", "u8", "0");
      await redis.call(
        "BITFIELD",
        "f",
        "OVERFLOW",
        "FAIL",
        "INCRBY",
        "u2",
        "0",
        "100",
      );
      await redis.call("BITFIELD", "f", "INCRBY", "u8", "0", "0"); // no change
      await redis.call("BITOP", "OR", "d", "b", "f");
      await redis.call("BITOP", "AND", "d", "none"); // deletes d
      await redis.call("BITOP", "AND", "d", "none"); // nothing to delete
      await redis.call("LCS", "b", "f");
      const values = async () =>
        Promise.all(["b", "n", "f", "d"].map((k) => redis.getBuffer(k)));
      const before = await values();
      if (restartable.kind === "ours") {
        // The same records as redis-server 7.0.15 writes for this session.
        expect(aofCommands(aofBytes(restartable))).toEqual([
          ["SELECT", "0"],
          ["setbit", "b", "7", "1"],
          ["setbit", "b", "100", "0"],
          ["set", "n", "123"],
          ["BITFIELD", "f", "SET", "u8", "0", "1", "GET", "u8", "0"],
          ["BITOP", "OR", "d", "b", "f"],
          ["BITOP", "AND", "d", "none"],
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(
        await Promise.all(["b", "n", "f", "d"].map((k) => again.getBuffer(k))),
      ).toEqual(before);
    },
  );

  itRestarts(
    "long strings edited in place come back byte for byte, and so does a rewrite made while they changed",
    async () => {
      const restartable = await startRestartableServer();
      const redis = await restartable.client();
      await redis.setbit("b", 2399, 1);
      await redis.setrange("b", 100, "hello");
      await redis.append("b", "tail");
      await redis.call("BITFIELD", "b", "SET", "u8", "0", "255");
      await redis.set("s", "x".repeat(300));
      await redis.setbit("s", 5, 1);
      await redis.setbit("c", 2399, 1);
      await redis.copy("c", "copy");
      const rewrites = await infoNumber(redis, "persistence", "aof_rewrites");
      // In one pipeline, so that in ours the edits come before the
      // rewrite has written a single key: it must write each as it was
      // (a copy of it), then the edits after it. APPEND would show a key
      // written as it is after the edit: its bytes would be there twice.
      const replies = await redis
        .pipeline()
        .bgrewriteaof()
        .append("b", "more")
        .setbit("b", 8, 1)
        .setrange("s", 0, "AB")
        .append("s", "!")
        .append("copy", "copied")
        .del("c")
        .exec();
      expect(replies?.[0]).toEqual([
        null,
        "Background append only file rewriting started",
      ]);
      await pollUntil(
        async () =>
          (await infoNumber(
            redis,
            "persistence",
            "aof_rewrite_in_progress",
          )) === 0 &&
          (await infoNumber(redis, "persistence", "aof_rewrites")) > rewrites,
        true,
        "the rewrite to finish",
      );
      const keys = ["b", "s", "c", "copy"];
      const before = await Promise.all(keys.map((k) => redis.getBuffer(k)));
      expect(before.map((value) => value?.length)).toEqual([
        308,
        301,
        undefined,
        306,
      ]);
      expect(before[0]!.subarray(-8).toString()).toBe("tailmore");
      await restartable.restart();
      const again = await restartable.client();
      expect(await Promise.all(keys.map((k) => again.getBuffer(k)))).toEqual(
        before,
      );
    },
  );
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  // Redis 7.0.15's first seven fields: name, arity, flags, first key,
  // last key, key step, ACL categories (none of these has tips).
  it.each([
    [
      "setbit",
      4,
      ["write", "denyoom"],
      1,
      1,
      1,
      ["@write", "@bitmap", "@slow"],
    ],
    ["getbit", 3, ["readonly", "fast"], 1, 1, 1, ["@read", "@bitmap", "@fast"]],
    ["bitcount", -2, ["readonly"], 1, 1, 1, ["@read", "@bitmap", "@slow"]],
    ["bitpos", -3, ["readonly"], 1, 1, 1, ["@read", "@bitmap", "@slow"]],
    [
      "bitop",
      -4,
      ["write", "denyoom"],
      2,
      -1,
      1,
      ["@write", "@bitmap", "@slow"],
    ],
    [
      "bitfield",
      -2,
      ["write", "denyoom"],
      1,
      1,
      1,
      ["@write", "@bitmap", "@slow"],
    ],
    [
      "bitfield_ro",
      -2,
      ["readonly", "fast"],
      1,
      1,
      1,
      ["@read", "@bitmap", "@fast"],
    ],
    ["lcs", -3, ["readonly"], 1, 2, 1, ["@read", "@string", "@slow"]],
    ["substr", 4, ["readonly"], 1, 1, 1, ["@read", "@string", "@slow"]],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 7)).toEqual(row);
    expect(info![7]).toEqual([]);
  });

  /** COMMAND DOCS of one command, as Redis's is compared (command-docs-helpers.ts). */
  async function docsOf(name: string): Promise<unknown> {
    return docsWithoutKeySpecs(await server.client(), name);
  }

  const BYTE_OR_BIT = [
    "name",
    "index_unit",
    "type",
    "oneof",
    "since",
    "7.0.0",
    "flags",
    ["optional"],
    "arguments",
    [
      ["name", "byte", "type", "pure-token", "token", "BYTE"],
      ["name", "bit", "type", "pure-token", "token", "BIT"],
    ],
  ];
  const ENCODING_OFFSET = [
    ["name", "encoding", "type", "string"],
    ["name", "offset", "type", "integer"],
  ];

  it.each([
    [
      "bitpos",
      [
        "summary",
        "Find first bit set or clear in a string",
        "since",
        "2.8.7",
        "group",
        "bitmap",
        "complexity",
        "O(N)",
        "history",
        [["7.0.0", "Added the `BYTE|BIT` option."]],
        "arguments",
        [
          ["name", "key", "type", "key"],
          ["name", "bit", "type", "integer"],
          [
            "name",
            "index",
            "type",
            "block",
            "flags",
            ["optional"],
            "arguments",
            [
              ["name", "start", "type", "integer"],
              [
                "name",
                "end_index",
                "type",
                "block",
                "flags",
                ["optional"],
                "arguments",
                [["name", "end", "type", "integer"], BYTE_OR_BIT],
              ],
            ],
          ],
        ],
      ],
    ],
    [
      "bitfield_ro",
      [
        "summary",
        "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
        "since",
        "6.0.0",
        "group",
        "bitmap",
        "complexity",
        "O(1) for each subcommand specified",
        "arguments",
        [
          ["name", "key", "type", "key"],
          [
            "name",
            "encoding_offset",
            "type",
            "block",
            "token",
            "GET",
            "flags",
            ["optional", "multiple", "multiple_token"],
            "arguments",
            ENCODING_OFFSET,
          ],
        ],
      ],
    ],
    [
      "bitfield",
      [
        "summary",
        "Perform arbitrary bitfield integer operations on strings",
        "since",
        "3.2.0",
        "group",
        "bitmap",
        "complexity",
        "O(1) for each subcommand specified",
        "arguments",
        [
          ["name", "key", "type", "key"],
          [
            "name",
            "operation",
            "type",
            "oneof",
            "flags",
            ["optional", "multiple"],
            "arguments",
            [
              [
                "name",
                "encoding_offset",
                "type",
                "block",
                "token",
                "GET",
                "arguments",
                ENCODING_OFFSET,
              ],
              [
                "name",
                "write",
                "type",
                "block",
                "arguments",
                [
                  [
                    "name",
                    "wrap_sat_fail",
                    "type",
                    "oneof",
                    "token",
                    "OVERFLOW",
                    "flags",
                    ["optional"],
                    "arguments",
                    [
                      ["name", "wrap", "type", "pure-token", "token", "WRAP"],
                      ["name", "sat", "type", "pure-token", "token", "SAT"],
                      ["name", "fail", "type", "pure-token", "token", "FAIL"],
                    ],
                  ],
                  [
                    "name",
                    "write_operation",
                    "type",
                    "oneof",
                    "arguments",
                    [
                      [
                        "name",
                        "encoding_offset_value",
                        "type",
                        "block",
                        "token",
                        "SET",
                        "arguments",
                        [
                          ...ENCODING_OFFSET,
                          ["name", "value", "type", "integer"],
                        ],
                      ],
                      [
                        "name",
                        "encoding_offset_increment",
                        "type",
                        "block",
                        "token",
                        "INCRBY",
                        "arguments",
                        [
                          ...ENCODING_OFFSET,
                          ["name", "increment", "type", "integer"],
                        ],
                      ],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
    [
      "lcs",
      [
        "summary",
        "Find longest common substring",
        "since",
        "7.0.0",
        "group",
        "string",
        "complexity",
        "O(N*M) where N and M are the lengths of s1 and s2, respectively",
        "arguments",
        [
          ["name", "key1", "type", "key"],
          ["name", "key2", "type", "key"],
          [
            "name",
            "len",
            "type",
            "pure-token",
            "token",
            "LEN",
            "flags",
            ["optional"],
          ],
          [
            "name",
            "idx",
            "type",
            "pure-token",
            "token",
            "IDX",
            "flags",
            ["optional"],
          ],
          [
            "name",
            "len",
            "type",
            "integer",
            "token",
            "MINMATCHLEN",
            "flags",
            ["optional"],
          ],
          [
            "name",
            "withmatchlen",
            "type",
            "pure-token",
            "token",
            "WITHMATCHLEN",
            "flags",
            ["optional"],
          ],
        ],
      ],
    ],
    [
      "substr",
      [
        "summary",
        "Get a substring of the string stored at a key",
        "since",
        "1.0.0",
        "group",
        "string",
        "complexity",
        "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        "doc_flags",
        ["deprecated"],
        "deprecated_since",
        "2.0.0",
        "replaced_by",
        "`GETRANGE`",
        "arguments",
        [
          ["name", "key", "type", "key"],
          ["name", "start", "type", "integer"],
          ["name", "end", "type", "integer"],
        ],
      ],
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsOf(name)).toEqual(expected);
  });
});
