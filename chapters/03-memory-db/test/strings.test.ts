/**
 * Article steps "SET and GET", "GETSET, GETDEL, SETNX, MSET, MSETNX, MGET"
 * and "APPEND, STRLEN, GETRANGE, SETRANGE": the string commands, through
 * ioredis as an application uses them, and over a raw socket where the
 * exact bytes matter (binary values).
 *
 * A Redis string is any sequence of bytes, so every test that stores one
 * also checks that it comes back byte for byte. Each test makes its own
 * keys under a random prefix: the tests share a server (a real Redis one
 * under REDIS_URL) and must not see each other's data.
 */
import { describe, expect, it } from "vitest";
import { constants } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { itInProcess, useServer } from "../../../shared/harness.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";
import { bulkReply, encodeCommand, expectBytes } from "./resp-helpers.ts";

const server = useServer();

/** A short fingerprint of many bytes, for comparing large values quickly. */
function sha256(bytes: Buffer | null): string | null {
  return bytes && createHash("sha256").update(bytes).digest("hex");
}

/** Every byte value once, NUL, CR, LF and 0xff included. */
const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

describe("SET and GET", () => {
  it("GET answers null for a missing key, and what SET stored for an existing one", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.get(key("greeting"))).toBeNull();
    expect(await redis.set(key("greeting"), "hello")).toBe("OK");
    expect(await redis.get(key("greeting"))).toBe("hello");
  });

  it("SET replaces the value of an existing key", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "first");
    await redis.set(key("k"), "second");
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("values are binary-safe: every byte from 0x00 to 0xff comes back", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("bytes"), EVERY_BYTE);
    expect(await redis.getBuffer(key("bytes"))).toEqual(EVERY_BYTE);
    expect(await redis.strlen(key("bytes"))).toBe(256);
  });

  it("keys are binary-safe: a NUL, CR LF or 0xff in a key name is part of it", async () => {
    const redis = await server.client();
    const prefix = keysForThisTest()("");
    const awkward = Buffer.concat([
      Buffer.from(prefix),
      Buffer.from([0x00, 0x0d, 0x0a, 0xff]),
    ]);
    await redis.set(awkward, "awkward");
    // Cut at the NUL, as a C string would be, the name is another key.
    await redis.set(Buffer.from(prefix), "cut short");

    expect(await redis.get(awkward)).toBe("awkward");
    expect(await redis.get(Buffer.from(prefix))).toBe("cut short");
  });

  it("a binary value goes out as a bulk string of exactly its bytes", async () => {
    const redis = await server.client();
    const key = keysForThisTest()("value");
    const value = Buffer.from([0x61, 0x00, 0x62, 0x0d, 0x0a, 0xff, 0xe9]);
    await redis.set(key, value);

    const client = await server.raw();
    await client.send(encodeCommand("GET", key));
    await expectBytes(client, bulkReply(value));
  });

  it("an empty string is a value: GET answers it, not null", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("empty"), "");
    expect(await redis.get(key("empty"))).toBe("");
    expect(await redis.exists(key("empty"))).toBe(1);

    const client = await server.raw();
    await client.send(encodeCommand("GET", key("empty")));
    await expectBytes(client, "$0\r\n\r\n");
    await client.send(encodeCommand("GET", key("missing")));
    await expectBytes(client, "$-1\r\n");
  });

  it("NX sets only a key that does not exist, and answers null when it does not set", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.set(key("k"), "first", "NX")).toBe("OK");
    expect(await redis.set(key("k"), "second", "NX")).toBeNull();
    expect(await redis.get(key("k"))).toBe("first");
  });

  it("XX sets only a key that exists, and answers null when it does not set", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.set(key("k"), "first", "XX")).toBeNull();
    expect(await redis.exists(key("k"))).toBe(0);
    await redis.set(key("k"), "first");
    expect(await redis.set(key("k"), "second", "XX")).toBe("OK");
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("GET answers the old value instead of OK, or null if there was none", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.set(key("k"), "first", "GET")).toBeNull();
    expect(await redis.set(key("k"), "second", "GET")).toBe("first");
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("NX with GET: the old value comes back, and the key is set only if it had none", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.call("SET", key("k"), "first", "NX", "GET")).toBeNull();
    expect(await redis.get(key("k"))).toBe("first");
    expect(await redis.call("SET", key("k"), "second", "NX", "GET")).toBe(
      "first",
    );
    expect(await redis.get(key("k"))).toBe("first");
  });

  it("XX with GET: the old value comes back, and the key is set only if it had one", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.call("SET", key("k"), "first", "XX", "GET")).toBeNull();
    expect(await redis.exists(key("k"))).toBe(0);
    await redis.set(key("k"), "first");
    expect(await redis.call("SET", key("k"), "second", "XX", "GET")).toBe(
      "first",
    );
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("options are case-insensitive, and repeating one is allowed", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.call("SET", key("k"), "v", "nx", "Nx")).toBe("OK");
    expect(await redis.call("SET", key("k"), "w", "get", "GET")).toBe("v");
    expect(await redis.call("SET", key("k"), "x", "xX", "XX")).toBe("OK");
    expect(await redis.get(key("k"))).toBe("x");
  });

  it("an option is compared as a C string: a NUL byte ends it", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "first");
    expect(
      await redis.call("SET", key("k"), "second", Buffer.from("NX\0junk")),
    ).toBeNull();
    expect(await redis.get(key("k"))).toBe("first");
  });

  it.each([
    [["NX", "XX"]],
    [["XX", "NX"]],
    [["NX", "GET", "XX"]],
    [["FOO"]],
    [["NX", "FOO"]],
    [["GET", "GET", "BAR"]],
  ])("SET k v %j is a syntax error, and changes nothing", async (options) => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "before");
    expect(
      await errorOf(redis.call("SET", key("k"), "after", ...options)),
    ).toBe("ERR syntax error");
    expect(
      await errorOf(redis.call("SET", key("new"), "after", ...options)),
    ).toBe("ERR syntax error");
    expect(await redis.get(key("k"))).toBe("before");
    expect(await redis.exists(key("new"))).toBe(0);
  });

  it("SET and GET with too few or too many arguments get the arity error", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("SET", key("k")))).toBe(
      "ERR wrong number of arguments for 'set' command",
    );
    expect(await errorOf(redis.call("GET", key("k"), key("k")))).toBe(
      "ERR wrong number of arguments for 'get' command",
    );
  });
});

describe("GETSET, GETDEL, SETNX, MSET, MSETNX, MGET", () => {
  it("GETSET stores the new value and answers the old one, or null", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.getset(key("k"), "first")).toBeNull();
    expect(await redis.getset(key("k"), "second")).toBe("first");
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("GETDEL answers the value and deletes the key; a missing key is null", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), EVERY_BYTE);
    expect(await redis.getdelBuffer(key("k"))).toEqual(EVERY_BYTE);
    expect(await redis.exists(key("k"))).toBe(0);
    expect(await redis.getdel(key("k"))).toBeNull();
  });

  it("SETNX sets a missing key (1) and leaves an existing one alone (0)", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.setnx(key("k"), "first")).toBe(1);
    expect(await redis.setnx(key("k"), "second")).toBe(0);
    expect(await redis.get(key("k"))).toBe("first");
  });

  it("MSET sets every pair, and MGET answers in the order asked, null for missing keys", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.mset(key("a"), "1", key("b"), "2")).toBe("OK");
    expect(
      await redis.mget(key("b"), key("missing"), key("a"), key("b")),
    ).toEqual(["2", null, "1", "2"]);
  });

  it("MSET with the same key twice keeps the last value", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.mset(key("k"), "first", key("k"), "second");
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("MSET and MGET carry binary values unchanged", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const other = Buffer.from([0xff, 0x00, 0x0d, 0x0a]);
    await redis.mset(key("a"), EVERY_BYTE, key("b"), other);
    expect(await redis.mgetBuffer(key("a"), key("b"))).toEqual([
      EVERY_BYTE,
      other,
    ]);
  });

  it.each(["MSET", "MSETNX"])(
    "%s with a key but no value gets the arity error, and sets nothing",
    async (command) => {
      const redis = await server.client();
      const key = keysForThisTest();
      for (const args of [[key("a")], [key("a"), "1", key("b")]]) {
        expect(await errorOf(redis.call(command, ...args))).toBe(
          `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
        );
      }
      expect(await redis.exists(key("a"))).toBe(0);
    },
  );

  it("MSETNX sets all the keys if none exists (1)", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.msetnx(key("a"), "1", key("b"), "2")).toBe(1);
    expect(await redis.mget(key("a"), key("b"))).toEqual(["1", "2"]);
  });

  it("MSETNX sets none of the keys if any one exists (0): all or nothing", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("b"), "taken");
    expect(
      await redis.msetnx(key("a"), "1", key("b"), "2", key("c"), "3"),
    ).toBe(0);
    expect(await redis.mget(key("a"), key("b"), key("c"))).toEqual([
      null,
      "taken",
      null,
    ]);
  });

  it("MSETNX with the same new key twice sets it, to the last value", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.msetnx(key("k"), "first", key("k"), "second")).toBe(1);
    expect(await redis.get(key("k"))).toBe("second");
  });

  it("MGET needs at least one key", async () => {
    const redis = await server.client();
    expect(await errorOf(redis.call("MGET"))).toBe(
      "ERR wrong number of arguments for 'mget' command",
    );
  });
});

describe("APPEND, STRLEN, GETRANGE, SETRANGE", () => {
  it("APPEND creates a missing key, extends an existing one, and answers the new length", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.append(key("k"), "Hello")).toBe(5);
    expect(await redis.append(key("k"), " World")).toBe(11);
    expect(await redis.get(key("k"))).toBe("Hello World");
  });

  it("APPEND joins binary values byte for byte", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), Buffer.from([0x00, 0xff]));
    expect(await redis.append(key("k"), Buffer.from([0x0d, 0x0a, 0x00]))).toBe(
      5,
    );
    expect(await redis.getBuffer(key("k"))).toEqual(
      Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x00]),
    );
  });

  it("a value built by many APPENDs comes back whole, and GETRANGE slices it exactly", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const pieces = Array.from({ length: 256 }, () => randomBytes(4096));
    const appends = redis.pipeline();
    for (const piece of pieces) appends.append(key("k"), piece);
    await appends.exec();

    const whole = Buffer.concat(pieces);
    expect(await redis.strlen(key("k"))).toBe(whole.length);
    // Compared by digest: toEqual on a megabyte compares byte by byte, slowly.
    expect(sha256(await redis.getBuffer(key("k")))).toBe(sha256(whole));
    expect(await redis.getrangeBuffer(key("k"), 4000, 8999)).toEqual(
      whole.subarray(4000, 9000),
    );
  });

  it("APPEND of an empty value still creates the key, as an empty string", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.append(key("k"), "")).toBe(0);
    expect(await redis.exists(key("k"))).toBe(1);
    expect(await redis.get(key("k"))).toBe("");
  });

  it("STRLEN counts bytes, not characters, and is 0 for a missing key", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "héllo"); // é is two bytes in UTF-8
    expect(await redis.strlen(key("k"))).toBe(6);
    expect(await redis.strlen(key("missing"))).toBe(0);
  });

  // GETRANGE's offsets: both ends included, negative ones count from the
  // end, and whatever falls outside the string is clamped to it.
  it.each([
    ["0", "4", "Hello"],
    ["-5", "-1", "World"],
    ["0", "-1", "Hello World"],
    ["0", "0", "H"],
    ["10", "10", "d"],
    ["-100", "100", "Hello World"],
    ["6", "1000", "World"],
    // Past the end: nothing.
    ["11", "11", ""],
    ["100", "200", ""],
    // Start after end, once the negative offsets are converted: nothing.
    ["5", "3", ""],
    ["-1", "-5", ""],
    ["-1", "0", ""],
    ["-3", "2", ""],
    ["3", "-100", ""],
    // Both before the start: both are clamped to 0, the first byte...
    ["-100", "-50", "H"],
    ["-12", "0", "H"],
    // ...unless they were crossed to begin with, which is checked first.
    ["-50", "-100", ""],
    // The 64-bit extremes are offsets like any other.
    ["-9223372036854775808", "9223372036854775807", "Hello World"],
    ["9223372036854775807", "-9223372036854775808", ""],
    // Crossed by one, where a double cannot tell the two apart: still
    // crossed. Found by differential fuzzing against redis-server.
    ["-9223372036854775807", "-9223372036854775808", ""],
    ["-9007199254740993", "-9007199254740994", ""],
    ["-9223372036854775808", "-9223372036854775807", "H"],
  ])(
    "GETRANGE of 'Hello World' from %s to %s is %j",
    async (start, end, expected) => {
      const redis = await server.client();
      const key = keysForThisTest();
      await redis.set(key("k"), "Hello World");
      expect(await redis.getrange(key("k"), start, end)).toBe(expected);
    },
  );

  it("GETRANGE of a missing key or an empty string is empty", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("empty"), "");
    expect(await redis.getrange(key("missing"), 0, -1)).toBe("");
    expect(await redis.getrange(key("empty"), 0, -1)).toBe("");
    expect(await redis.getrange(key("empty"), -1, 0)).toBe("");
  });

  it("GETRANGE returns binary bytes unchanged", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), EVERY_BYTE);
    expect(await redis.getrangeBuffer(key("k"), 250, -1)).toEqual(
      EVERY_BYTE.subarray(250),
    );
  });

  it.each([
    ["a", "1"],
    ["0", "1.5"],
    ["0", " 1"],
    ["0", "9223372036854775808"],
  ])(
    "GETRANGE k %j %j: an offset must be a 64-bit integer",
    async (start, end) => {
      const redis = await server.client();
      const key = keysForThisTest();
      await redis.set(key("k"), "Hello World");
      expect(await errorOf(redis.getrange(key("k"), start, end))).toBe(
        "ERR value is not an integer or out of range",
      );
    },
  );

  it("SETRANGE overwrites from the offset on and answers the new length", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "Hello World");
    expect(await redis.setrange(key("k"), 6, "Redis")).toBe(11);
    expect(await redis.get(key("k"))).toBe("Hello Redis");
    // Overwriting the last byte and going on past it extends the string.
    expect(await redis.setrange(key("k"), 10, "s!!")).toBe(13);
    expect(await redis.get(key("k"))).toBe("Hello Redis!!");
  });

  it("SETRANGE past the end pads with zero bytes, on a missing key too", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.setrange(key("new"), 3, "ab")).toBe(5);
    expect(await redis.getBuffer(key("new"))).toEqual(
      Buffer.from([0, 0, 0, 0x61, 0x62]),
    );

    await redis.set(key("old"), "xy");
    expect(await redis.setrange(key("old"), 5, Buffer.from([0xff]))).toBe(6);
    expect(await redis.getBuffer(key("old"))).toEqual(
      Buffer.from([0x78, 0x79, 0, 0, 0, 0xff]),
    );
  });

  it("SETRANGE with an empty value creates nothing, and leaves an existing key as it was", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.setrange(key("missing"), 0, "")).toBe(0);
    expect(await redis.setrange(key("missing"), 100, "")).toBe(0);
    expect(await redis.exists(key("missing"))).toBe(0);

    await redis.set(key("k"), "abc");
    expect(await redis.setrange(key("k"), 100, "")).toBe(3);
    expect(await redis.get(key("k"))).toBe("abc");
  });

  it("SETRANGE refuses a negative offset, even with an empty value", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "abc");
    expect(await errorOf(redis.setrange(key("k"), -1, "x"))).toBe(
      "ERR offset is out of range",
    );
    expect(await errorOf(redis.setrange(key("missing"), -1, ""))).toBe(
      "ERR offset is out of range",
    );
    expect(await redis.get(key("k"))).toBe("abc");
  });

  it("SETRANGE's offset must be a 64-bit integer", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    for (const offset of ["a", "1.0", "9223372036854775808"]) {
      expect(await errorOf(redis.setrange(key("k"), offset, "x"))).toBe(
        "ERR value is not an integer or out of range",
      );
    }
    expect(await redis.exists(key("k"))).toBe(0);
  });

  it("SETRANGE past 512 MB is refused before anything is allocated", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    // 536870911 + 2 bytes is one byte over the limit of 536870912.
    expect(await errorOf(redis.setrange(key("new"), 536870911, "xx"))).toBe(
      TOO_LONG,
    );
    expect(await redis.exists(key("new"))).toBe(0);

    await redis.set(key("old"), "abc");
    expect(await errorOf(redis.setrange(key("old"), 536870911, "xx"))).toBe(
      TOO_LONG,
    );
    expect(await redis.get(key("old"))).toBe("abc");
  });

  it("SETRANGE at the largest 64-bit offset is too long, not an overflow", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(
      await errorOf(
        redis.call("SETRANGE", key("k"), "9223372036854775807", "x"),
      ),
    ).toBe(TOO_LONG);
    expect(await redis.exists(key("k"))).toBe(0);
  });

  // Deliberate difference: V8's longest string is 2^29 - 24 characters, 24
  // bytes short of Redis's 512 MB (MAX_STRING_BYTES in keyspace.ts). Real Redis
  // would build this 512 MB string; ours refuses it, cheaply.
  itInProcess(
    "SETRANGE beyond V8's longest string is refused, though still under 512 MB",
    async () => {
      const redis = await server.client();
      const key = keysForThisTest();
      expect(
        await errorOf(
          redis.setrange(key("k"), constants.MAX_STRING_LENGTH, "x"),
        ),
      ).toBe(TOO_LONG);
      expect(await redis.exists(key("k"))).toBe(0);
    },
  );
});
