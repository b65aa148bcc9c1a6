/**
 * Article step "the list commands": every list command that does not wait
 * (LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP and RPOP with COUNT, LLEN, LRANGE,
 * LINDEX, LSET, LREM, LTRIM, LINSERT, LPOS, LMOVE, RPOPLPUSH, LMPOP), with
 * Redis 7.0.15's replies and errors, in the order Redis checks them.
 *
 * Through ioredis in the project's protocol (RESP3, or RESP2 in the
 * `-resp2` project), and over a raw socket where the exact bytes differ
 * between the two: a missing element is `$-1`, a missing array `*-1`, and
 * both are `_` in RESP3. Each test makes its own keys under a random
 * prefix: the tests share a server (a real Redis one under REDIS_URL).
 */
import { describe, expect, inject, it } from "vitest";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  errorOf,
  keysForThisTest,
  MUST_BE_POSITIVE,
  NOT_AN_INTEGER,
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

const INT64_MAX = "9223372036854775807";
const INT64_MIN = "-9223372036854775808";

/** A list of `elements` at a fresh key, and a client to look at it. */
async function listOf(...elements: string[]) {
  const redis = await server.client();
  const key = keysForThisTest();
  if (elements.length > 0) await redis.rpush(key("list"), ...elements);
  return { redis, key, list: key("list") };
}

describe("LPUSH, RPUSH, LPUSHX and RPUSHX", () => {
  it("RPUSH appends and LPUSH prepends, one element at a time, answering the new length", async () => {
    const { redis, list } = await listOf();
    expect(await redis.rpush(list, "a", "b")).toBe(2);
    expect(await redis.lpush(list, "x", "y", "z")).toBe(5);
    // LPUSH x y z pushes x, then y, then z: z ends up first.
    expect(await redis.lrange(list, 0, -1)).toEqual(["z", "y", "x", "a", "b"]);
    expect(await redis.type(list)).toBe("list");
    expect(await redis.llen(list)).toBe(5);
  });

  it("LPUSHX and RPUSHX push only onto a list that exists: 0, and no key, otherwise", async () => {
    const { redis, key, list } = await listOf("m");
    expect(await redis.lpushx(key("none"), "a", "b")).toBe(0);
    expect(await redis.rpushx(key("none"), "a")).toBe(0);
    expect(await redis.exists(key("none"))).toBe(0);
    expect(await redis.lpushx(list, "a", "b")).toBe(3);
    expect(await redis.rpushx(list, "y", "z")).toBe(5);
    expect(await redis.lrange(list, 0, -1)).toEqual(["b", "a", "m", "y", "z"]);
  });

  it("elements are binary-safe: every byte from 0x00 to 0xff comes back", async () => {
    const { redis, list } = await listOf();
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const empty = Buffer.alloc(0);
    await redis.rpush(list, everyByte, empty, everyByte.subarray(0, 1));
    expect(await redis.lrangeBuffer(list, 0, -1)).toEqual([
      everyByte,
      empty,
      everyByte.subarray(0, 1),
    ]);
  });

  it("a push needs at least one element", async () => {
    const { redis, list } = await listOf();
    for (const command of ["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]) {
      expect(await errorOf(redis.call(command, list))).toBe(
        `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
      );
    }
  });
});

describe("LPOP and RPOP", () => {
  it("pop one element from either end, and nil once there is none", async () => {
    const { redis, key, list } = await listOf("a", "b", "c");
    expect(await redis.lpop(list)).toBe("a");
    expect(await redis.rpop(list)).toBe("c");
    expect(await redis.lpop(key("none"))).toBeNull();
    expect(await redis.rpop(key("none"))).toBeNull();
  });

  it("the last pop deletes the key: an empty list is never stored", async () => {
    const { redis, list } = await listOf("only");
    expect(await redis.rpop(list)).toBe("only");
    expect(await redis.exists(list)).toBe(0);
    expect(await redis.type(list)).toBe("none");
    expect(await redis.llen(list)).toBe(0);
  });

  it("with a count: up to that many, in the order they came off", async () => {
    const { redis, list } = await listOf("a", "b", "c", "d", "e");
    expect(await redis.lpop(list, 2)).toEqual(["a", "b"]);
    expect(await redis.rpop(list, 2)).toEqual(["e", "d"]);
    expect(await redis.rpop(list, 1)).toEqual(["c"]);
    expect(await redis.exists(list)).toBe(0);
  });

  it("a count beyond the length pops everything and deletes the key", async () => {
    const { redis, list } = await listOf("a", "b", "c");
    expect(await redis.call("LPOP", list, INT64_MAX)).toEqual(["a", "b", "c"]);
    expect(await redis.exists(list)).toBe(0);
  });

  it("count 0 answers an empty array on a list, and null without one", async () => {
    const { redis, key, list } = await listOf("a");
    expect(await redis.lpop(list, 0)).toEqual([]);
    expect(await redis.llen(list)).toBe(1);
    expect(await redis.lpop(key("none"), 0)).toBeNull();
    expect(await redis.rpop(key("none"), 3)).toBeNull();
  });

  it("a negative or non-integer count is refused before the key is looked at", async () => {
    const { redis, key, list } = await listOf("a");
    await redis.set(key("string"), "x");
    for (const count of ["-1", "abc", "1.5", "9223372036854775808"]) {
      expect(await errorOf(redis.call("LPOP", list, count))).toBe(
        MUST_BE_POSITIVE,
      );
      expect(await errorOf(redis.call("RPOP", key("string"), count))).toBe(
        MUST_BE_POSITIVE,
      );
    }
    expect(await errorOf(redis.call("LPOP", list, "1", "2"))).toBe(
      "ERR wrong number of arguments for 'lpop' command",
    );
    expect(await redis.lrange(list, 0, -1)).toEqual(["a"]);
  });
});

describe("LLEN, LRANGE and LINDEX", () => {
  it("LRANGE: both ends included, negative indexes count from the tail", async () => {
    const { redis, list } = await listOf("a", "b", "c", "d", "e");
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b", "c", "d", "e"]);
    expect(await redis.lrange(list, 1, 2)).toEqual(["b", "c"]);
    expect(await redis.lrange(list, -2, -1)).toEqual(["d", "e"]);
    expect(await redis.lrange(list, -1, -1)).toEqual(["e"]);
    expect(await redis.lrange(list, 2, 1)).toEqual([]);
    expect(await redis.lrange(list, 5, 10)).toEqual([]);
  });

  it("LRANGE: indexes beyond either end are clamped, up to 64-bit extremes", async () => {
    const { redis, key, list } = await listOf("a", "b", "c");
    expect(await redis.lrange(list, -100, 100)).toEqual(["a", "b", "c"]);
    expect(await redis.lrange(list, INT64_MIN, INT64_MAX)).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(await redis.lrange(list, INT64_MAX, INT64_MIN)).toEqual([]);
    expect(await redis.lrange(list, 0, -4)).toEqual([]);
    expect(await redis.lrange(key("none"), 0, -1)).toEqual([]);
  });

  it("LRANGE checks its indexes before the key: even a missing key gets the error", async () => {
    const { redis, key, list } = await listOf("a");
    for (const index of [
      "x",
      " 1",
      "01",
      "+1",
      "-0",
      "1.0",
      "9223372036854775808",
    ]) {
      expect(await errorOf(redis.call("LRANGE", list, "0", index))).toBe(
        NOT_AN_INTEGER,
      );
      expect(await errorOf(redis.call("LRANGE", key("none"), index, "1"))).toBe(
        NOT_AN_INTEGER,
      );
    }
  });

  it("LINDEX: the element at an index from either end, or nil", async () => {
    const { redis, list } = await listOf("a", "b", "c");
    expect(await redis.lindex(list, 0)).toBe("a");
    expect(await redis.lindex(list, 2)).toBe("c");
    expect(await redis.lindex(list, -1)).toBe("c");
    expect(await redis.lindex(list, -3)).toBe("a");
    expect(await redis.lindex(list, 3)).toBeNull();
    expect(await redis.lindex(list, -4)).toBeNull();
    expect(await redis.lindex(list, INT64_MAX)).toBeNull();
    expect(await redis.lindex(list, INT64_MIN)).toBeNull();
  });

  it("LINDEX looks the key up before it reads the index", async () => {
    const { redis, key, list } = await listOf("a");
    expect(await redis.call("LINDEX", key("none"), "abc")).toBeNull();
    expect(await errorOf(redis.call("LINDEX", list, "abc"))).toBe(
      NOT_AN_INTEGER,
    );
  });

  it("LLEN of a missing key is 0", async () => {
    const { redis, key } = await listOf();
    expect(await redis.llen(key("none"))).toBe(0);
  });
});

describe("LSET", () => {
  it("replaces the element at an index, counted from either end", async () => {
    const { redis, list } = await listOf("a", "b", "c");
    expect(await redis.lset(list, 0, "A")).toBe("OK");
    expect(await redis.lset(list, -1, "C")).toBe("OK");
    expect(await redis.lset(list, 1, "")).toBe("OK");
    expect(await redis.lrange(list, 0, -1)).toEqual(["A", "", "C"]);
  });

  it("an index outside the list is an error, and changes nothing", async () => {
    const { redis, list } = await listOf("a", "b");
    for (const index of ["2", "-3", INT64_MAX, INT64_MIN]) {
      expect(await errorOf(redis.call("LSET", list, index, "x"))).toBe(
        "ERR index out of range",
      );
    }
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b"]);
  });

  it("a missing key is 'no such key', whatever the index; a bad index on a list is not an integer", async () => {
    const { redis, key, list } = await listOf("a");
    expect(await errorOf(redis.call("LSET", key("none"), "0", "x"))).toBe(
      "ERR no such key",
    );
    expect(await errorOf(redis.call("LSET", key("none"), "abc", "x"))).toBe(
      "ERR no such key",
    );
    expect(await redis.exists(key("none"))).toBe(0);
    expect(await errorOf(redis.call("LSET", list, "abc", "x"))).toBe(
      NOT_AN_INTEGER,
    );
  });
});

describe("LINSERT", () => {
  it("inserts before or after the first element equal to the pivot, answering the new length", async () => {
    const { redis, list } = await listOf("a", "b", "a");
    expect(await redis.linsert(list, "BEFORE", "a", "x")).toBe(4);
    expect(await redis.linsert(list, "AFTER", "a", "y")).toBe(5);
    expect(await redis.lrange(list, 0, -1)).toEqual(["x", "a", "y", "b", "a"]);
    // The keyword in any case; inserting after the last element appends.
    expect(await redis.call("LINSERT", list, "aFtEr", "b", "z")).toBe(6);
    expect(await redis.call("LINSERT", list, "after", "z", "end")).toBe(7);
    expect(await redis.lrange(list, 0, -1)).toEqual([
      "x",
      "a",
      "y",
      "b",
      "z",
      "end",
      "a",
    ]);
  });

  it("-1 without the pivot, 0 without the list (which is not created)", async () => {
    const { redis, key, list } = await listOf("a");
    expect(await redis.linsert(list, "BEFORE", "nope", "x")).toBe(-1);
    expect(await redis.lrange(list, 0, -1)).toEqual(["a"]);
    expect(await redis.linsert(key("none"), "BEFORE", "a", "x")).toBe(0);
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("anything but BEFORE or AFTER is a syntax error, checked before the key", async () => {
    const { redis, key, list } = await listOf("a");
    await redis.set(key("string"), "x");
    for (const target of [list, key("none"), key("string")]) {
      expect(
        await errorOf(redis.call("LINSERT", target, "middle", "a", "x")),
      ).toBe("ERR syntax error");
    }
  });
});

describe("LREM", () => {
  it("a positive count removes from the head, a negative one from the tail, 0 removes all", async () => {
    const { redis, list } = await listOf("a", "b", "a", "c", "a", "d", "a");
    expect(await redis.lrem(list, -2, "a")).toBe(2);
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b", "a", "c", "d"]);
    expect(await redis.lrem(list, 1, "a")).toBe(1);
    expect(await redis.lrange(list, 0, -1)).toEqual(["b", "a", "c", "d"]);
    expect(await redis.lrem(list, 0, "a")).toBe(1);
    expect(await redis.lrem(list, 0, "nope")).toBe(0);
    expect(await redis.lrange(list, 0, -1)).toEqual(["b", "c", "d"]);
  });

  it("removing the last elements deletes the key, whatever the count's size", async () => {
    const { redis, list } = await listOf("x", "x", "x");
    expect(await redis.call("LREM", list, INT64_MIN, "x")).toBe(3);
    expect(await redis.exists(list)).toBe(0);
  });

  it("the count is read before the key; a missing key removes 0", async () => {
    const { redis, key } = await listOf();
    expect(await redis.lrem(key("none"), 0, "x")).toBe(0);
    expect(await errorOf(redis.call("LREM", key("none"), "x", "a"))).toBe(
      NOT_AN_INTEGER,
    );
  });
});

describe("LTRIM", () => {
  it("keeps the elements from start to stop, as LRANGE reads them", async () => {
    const { redis, list } = await listOf("a", "b", "c", "d", "e");
    expect(await redis.ltrim(list, 1, -2)).toBe("OK");
    expect(await redis.lrange(list, 0, -1)).toEqual(["b", "c", "d"]);
    expect(await redis.ltrim(list, INT64_MIN, INT64_MAX)).toBe("OK");
    expect(await redis.lrange(list, 0, -1)).toEqual(["b", "c", "d"]);
    expect(await redis.ltrim(list, -1, 100)).toBe("OK");
    expect(await redis.lrange(list, 0, -1)).toEqual(["d"]);
  });

  it("an empty range deletes the key; a missing key is OK", async () => {
    const { redis, key, list } = await listOf("a", "b");
    expect(await redis.ltrim(list, 2, 1)).toBe("OK");
    expect(await redis.exists(list)).toBe(0);
    expect(await redis.ltrim(key("none"), 0, 1)).toBe("OK");
    expect(await redis.exists(key("none"))).toBe(0);
  });

  it("its indexes are read before the key", async () => {
    const { redis, key } = await listOf();
    await redis.set(key("string"), "x");
    expect(await errorOf(redis.call("LTRIM", key("string"), "a", "1"))).toBe(
      NOT_AN_INTEGER,
    );
    expect(await errorOf(redis.call("LTRIM", key("none"), "0", "b"))).toBe(
      NOT_AN_INTEGER,
    );
  });
});

describe("LPOS", () => {
  // The list of Redis's own documentation example.
  const ELEMENTS = ["a", "b", "c", "1", "2", "3", "c", "c"];

  it.each([
    [[], 2],
    [["RANK", "1"], 2],
    [["RANK", "2"], 6],
    [["RANK", "-1"], 7],
    [["RANK", "-3"], 2],
    [["RANK", "4"], null],
    [["MAXLEN", "2"], null],
    [["MAXLEN", "3"], 2],
    [["MAXLEN", "0"], 2],
    [["RANK", "-1", "MAXLEN", "1"], 7],
    [["RANK", INT64_MAX], null],
    [["rank", "1", "rank", "-1"], 7],
  ])("LPOS l c %j is %j", async (options, expected) => {
    const { redis, list } = await listOf(...ELEMENTS);
    expect(await redis.call("LPOS", list, "c", ...options)).toBe(expected);
  });

  it.each([
    [
      ["COUNT", "0"],
      [2, 6, 7],
    ],
    [
      ["COUNT", "2"],
      [2, 6],
    ],
    [
      ["RANK", "2", "COUNT", "2"],
      [6, 7],
    ],
    [
      ["RANK", "-1", "COUNT", "0"],
      [7, 6, 2],
    ],
    [["RANK", "-2", "COUNT", "0", "MAXLEN", "2"], [6]],
    [["COUNT", "5", "MAXLEN", "3"], [2]],
    [["RANK", "4", "COUNT", "0"], []],
    [
      ["COUNT", "1", "COUNT", "2"],
      [2, 6],
    ],
  ])("LPOS l c %j is %j", async (options, expected) => {
    const { redis, list } = await listOf(...ELEMENTS);
    expect(await redis.call("LPOS", list, "c", ...options)).toEqual(expected);
  });

  it("no match is nil, or an empty array with COUNT; so is a missing key", async () => {
    const { redis, key, list } = await listOf(...ELEMENTS);
    expect(await redis.call("LPOS", list, "zz")).toBeNull();
    expect(await redis.call("LPOS", list, "zz", "COUNT", "2")).toEqual([]);
    expect(await redis.call("LPOS", key("none"), "a")).toBeNull();
    expect(await redis.call("LPOS", key("none"), "a", "COUNT", "0")).toEqual(
      [],
    );
  });

  it.each([
    [
      ["RANK", "0"],
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
    ],
    [["RANK", "abc"], NOT_AN_INTEGER],
    [["RANK", "9223372036854775808"], NOT_AN_INTEGER],
    [["COUNT", "-1"], "ERR COUNT can't be negative"],
    [["COUNT", "abc"], "ERR COUNT can't be negative"],
    [["MAXLEN", "-1"], "ERR MAXLEN can't be negative"],
    [["MAXLEN", "1.5"], "ERR MAXLEN can't be negative"],
    [["FOO", "1"], "ERR syntax error"],
    [["RANK"], "ERR syntax error"],
    [["RANK", "1", "COUNT"], "ERR syntax error"],
  ])(
    "LPOS %j is refused with %j, before the key's type is looked at",
    async (options, message) => {
      const { redis, key, list } = await listOf(...ELEMENTS);
      await redis.set(key("string"), "x");
      expect(await errorOf(redis.call("LPOS", list, "c", ...options))).toBe(
        message,
      );
      expect(
        await errorOf(redis.call("LPOS", key("string"), "c", ...options)),
      ).toBe(message);
    },
  );

  it(
    "RANK -2^63 cannot be negated in a C long: Redis 7.0.15 counts every match from the tail",
    { tags: ["fidelity"] },
    async () => {
      const { redis, list } = await listOf(...ELEMENTS);
      expect(await redis.call("LPOS", list, "c", "RANK", INT64_MIN)).toBe(7);
      expect(
        await redis.call("LPOS", list, "c", "RANK", INT64_MIN, "COUNT", "1"),
      ).toEqual([7, 6, 2]);
    },
  );
});

describe("LMOVE and RPOPLPUSH", () => {
  it.each([
    ["LEFT", "LEFT", "a", ["a", "x", "y"]],
    ["LEFT", "RIGHT", "a", ["x", "y", "a"]],
    ["RIGHT", "LEFT", "c", ["c", "x", "y"]],
    ["RIGHT", "RIGHT", "c", ["x", "y", "c"]],
  ])(
    "LMOVE %s %s moves %j from one end of the source to one end of the destination",
    async (from, to, moved, destination) => {
      const { redis, key, list } = await listOf("a", "b", "c");
      await redis.rpush(key("dst"), "x", "y");
      expect(await redis.call("LMOVE", list, key("dst"), from, to)).toBe(moved);
      expect(await redis.lrange(key("dst"), 0, -1)).toEqual(destination);
      expect(await redis.llen(list)).toBe(2);
    },
  );

  it("RPOPLPUSH is LMOVE RIGHT LEFT", async () => {
    const { redis, key, list } = await listOf("a", "b", "c");
    await redis.rpush(key("dst"), "x");
    expect(await redis.rpoplpush(list, key("dst"))).toBe("c");
    expect(await redis.lrange(key("dst"), 0, -1)).toEqual(["c", "x"]);
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b"]);
  });

  it("creates the destination, and deletes the source it empties", async () => {
    const { redis, key, list } = await listOf("only");
    expect(await redis.lmove(list, key("new"), "LEFT", "RIGHT")).toBe("only");
    expect(await redis.exists(list)).toBe(0);
    expect(await redis.lrange(key("new"), 0, -1)).toEqual(["only"]);
  });

  it("a missing source answers nil and creates no destination", async () => {
    const { redis, key } = await listOf();
    expect(await redis.lmove(key("none"), key("dst"), "LEFT", "LEFT")).toBe(
      null,
    );
    expect(await redis.rpoplpush(key("none"), key("dst"))).toBeNull();
    expect(await redis.exists(key("dst"))).toBe(0);
  });

  it("source and destination the same key: the list rotates", async () => {
    const { redis, list } = await listOf("a", "b", "c");
    expect(await redis.lmove(list, list, "LEFT", "RIGHT")).toBe("a");
    expect(await redis.lrange(list, 0, -1)).toEqual(["b", "c", "a"]);
    expect(await redis.rpoplpush(list, list)).toBe("a");
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b", "c"]);
    expect(await redis.lmove(list, list, "LEFT", "LEFT")).toBe("a");
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b", "c"]);
  });

  it("a one-element list moved onto itself stays: empty for a moment, never deleted", async () => {
    const { redis, list } = await listOf("solo");
    expect(await redis.lmove(list, list, "RIGHT", "LEFT")).toBe("solo");
    expect(await redis.rpoplpush(list, list)).toBe("solo");
    expect(await redis.lrange(list, 0, -1)).toEqual(["solo"]);
  });

  it("a destination of another type: WRONGTYPE, and nothing is popped", async () => {
    const { redis, key, list } = await listOf("a", "b");
    await redis.set(key("string"), "x");
    expect(
      await errorOf(redis.lmove(list, key("string"), "LEFT", "RIGHT")),
    ).toBe(WRONGTYPE);
    expect(await errorOf(redis.rpoplpush(list, key("string")))).toBe(WRONGTYPE);
    expect(await redis.lrange(list, 0, -1)).toEqual(["a", "b"]);
    expect(await redis.get(key("string"))).toBe("x");
    // A missing source is nil before the destination is looked at.
    expect(await redis.rpoplpush(key("none"), key("string"))).toBeNull();
  });

  it("a direction other than LEFT or RIGHT is a syntax error, before either key is looked at", async () => {
    const { redis, key, list } = await listOf("a");
    await redis.set(key("string"), "x");
    for (const [from, to] of [
      ["UP", "LEFT"],
      ["LEFT", "DOWN"],
      ["HEAD", "TAIL"],
    ]) {
      expect(await errorOf(redis.call("LMOVE", list, list, from!, to!))).toBe(
        "ERR syntax error",
      );
      expect(
        await errorOf(redis.call("LMOVE", key("string"), list, from!, to!)),
      ).toBe("ERR syntax error");
    }
    expect(await redis.call("LMOVE", list, list, "left", "Right")).toBe("a");
  });
});

describe("LMPOP", () => {
  it("pops from the first key that holds a list, and answers [key, elements]", async () => {
    const { redis, key } = await listOf();
    await redis.rpush(key("second"), "a", "b", "c");
    await redis.rpush(key("third"), "z");
    expect(
      await redis.call(
        "LMPOP",
        "3",
        key("first"),
        key("second"),
        key("third"),
        "LEFT",
      ),
    ).toEqual([key("second"), ["a"]]);
    expect(
      await redis.call(
        "LMPOP",
        "2",
        key("second"),
        key("third"),
        "RIGHT",
        "COUNT",
        "5",
      ),
    ).toEqual([key("second"), ["c", "b"]]);
    // The emptied list is gone: the next LMPOP finds the third key.
    expect(await redis.exists(key("second"))).toBe(0);
    expect(
      await redis.call(
        "LMPOP",
        "2",
        key("second"),
        key("third"),
        "left",
        "count",
        "1",
      ),
    ).toEqual([key("third"), ["z"]]);
  });

  it("no key holding a list: null", async () => {
    const { redis, key } = await listOf();
    expect(await redis.call("LMPOP", "2", key("a"), key("b"), "LEFT")).toBe(
      null,
    );
  });

  it("a key of another type stops the search with WRONGTYPE; one after the popped list is never reached", async () => {
    const { redis, key, list } = await listOf("a", "b");
    await redis.set(key("string"), "x");
    expect(
      await errorOf(
        redis.call("LMPOP", "3", key("none"), key("string"), list, "LEFT"),
      ),
    ).toBe(WRONGTYPE);
    expect(await redis.llen(list)).toBe(2);
    expect(await redis.call("LMPOP", "2", list, key("string"), "LEFT")).toEqual(
      [list, ["a"]],
    );
  });

  it.each([
    [["0", "k", "LEFT"], "ERR numkeys should be greater than 0"],
    [["-1", "k", "LEFT"], "ERR numkeys should be greater than 0"],
    [["abc", "k", "LEFT"], "ERR numkeys should be greater than 0"],
    [["2", "k", "LEFT"], "ERR syntax error"],
    [[INT64_MAX, "k", "LEFT"], "ERR syntax error"],
    [["1", "k", "MIDDLE"], "ERR syntax error"],
    [["1", "k", "LEFT", "COUNT"], "ERR syntax error"],
    [["1", "k", "LEFT", "FOO", "1"], "ERR syntax error"],
    [["1", "k", "LEFT", "COUNT", "1", "COUNT", "1"], "ERR syntax error"],
    [["1", "k", "LEFT", "COUNT", "0"], "ERR count should be greater than 0"],
    [["1", "k", "LEFT", "COUNT", "-1"], "ERR count should be greater than 0"],
    [["1", "k", "LEFT", "COUNT", "x"], "ERR count should be greater than 0"],
  ])(
    "LMPOP %j is refused with %j, even on a key of another type",
    async (args, message) => {
      const { redis, key } = await listOf();
      await redis.set(key("k"), "x");
      const words = args.map((word) => (word === "k" ? key("k") : word));
      expect(await errorOf(redis.call("LMPOP", ...words))).toBe(message);
    },
  );
});

describe("WRONGTYPE: a list command on a string key", () => {
  it.each([
    ["LPUSH", "k", "x"],
    ["RPUSH", "k", "x"],
    ["LPUSHX", "k", "x"],
    ["RPUSHX", "k", "x"],
    ["LPOP", "k"],
    ["RPOP", "k"],
    ["LPOP", "k", "0"],
    ["RPOP", "k", "2"],
    ["LLEN", "k"],
    ["LRANGE", "k", "0", "-1"],
    ["LINDEX", "k", "0"],
    ["LINDEX", "k", "abc"],
    ["LSET", "k", "0", "x"],
    ["LSET", "k", "abc", "x"],
    ["LREM", "k", "0", "x"],
    ["LTRIM", "k", "0", "-1"],
    ["LINSERT", "k", "BEFORE", "a", "b"],
    ["LPOS", "k", "a"],
    ["LPOS", "k", "a", "RANK", "-1", "COUNT", "0"],
    ["LMOVE", "k", "other", "LEFT", "RIGHT"],
    ["RPOPLPUSH", "k", "other"],
    ["LMPOP", "1", "k", "LEFT"],
    ["LMPOP", "2", "none", "k", "RIGHT", "COUNT", "3"],
  ])(
    "%s %s ... answers WRONGTYPE and leaves the string alone",
    async (...words) => {
      const { redis, key } = await listOf();
      await redis.set(key("k"), "the string");
      const args = words
        .slice(1)
        .map((word) =>
          ["k", "other", "none"].includes(word) ? key(word) : word,
        );
      expect(await errorOf(redis.call(words[0]!, ...args))).toBe(WRONGTYPE);
      expect(await redis.get(key("k"))).toBe("the string");
      expect(await redis.exists(key("other"))).toBe(0);
    },
  );
});

describe("the exact bytes of empty answers, in the project's protocol", () => {
  const protocol = inject("protocol");
  /** RESP2's two nulls are one `_` in RESP3. */
  const NULL_BULK = protocol === 3 ? "_\r\n" : "$-1\r\n";
  const NULL_ARRAY = protocol === 3 ? "_\r\n" : "*-1\r\n";

  /** A raw connection speaking the project's protocol, its HELLO answered and read. */
  async function rawClient(): Promise<RawSocket> {
    return speakProtocol(await server.raw(), protocol);
  }

  it.each([
    [["LPOP", "none"], "bulk"],
    [["RPOP", "none"], "bulk"],
    [["LPOP", "none", "2"], "array"],
    [["RPOP", "none", "0"], "array"],
    [["LINDEX", "none", "0"], "bulk"],
    [["LINDEX", "list", "5"], "bulk"],
    [["LPOS", "none", "a"], "bulk"],
    [["LPOS", "list", "zz"], "bulk"],
    [["LMOVE", "none", "list", "LEFT", "LEFT"], "bulk"],
    [["RPOPLPUSH", "none", "list"], "bulk"],
    [["LMPOP", "1", "none", "LEFT"], "array"],
  ])("%j answers a null %s", async (words, kind) => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(encodeCommand("RPUSH", key("list"), "a"));
    await expectBytes(raw, ":1\r\n");
    await raw.send(
      encodeCommand(
        ...words.map((w) => (w === "none" || w === "list" ? key(w) : w)),
      ),
    );
    await expectBytes(raw, kind === "bulk" ? NULL_BULK : NULL_ARRAY);
  });

  it.each([
    [["LPOP", "list", "0"]],
    [["LRANGE", "none", "0", "-1"]],
    [["LRANGE", "list", "1", "0"]],
    [["LPOS", "none", "a", "COUNT", "0"]],
    [["LPOS", "list", "zz", "COUNT", "1"]],
  ])("%j answers an empty array, *0, in both protocols", async (words) => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await raw.send(encodeCommand("RPUSH", key("list"), "a"));
    await expectBytes(raw, ":1\r\n");
    await raw.send(
      encodeCommand(
        ...words.map((w) => (w === "none" || w === "list" ? key(w) : w)),
      ),
    );
    await expectBytes(raw, "*0\r\n");
  });

  it("LMPOP's answer is an array of the key and an array of elements in both protocols", async () => {
    const raw = await rawClient();
    const key = keysForThisTest()("list");
    await raw.send(encodeCommand("RPUSH", key, "a", "b"));
    await expectBytes(raw, ":2\r\n");
    await raw.send(encodeCommand("LMPOP", "1", key, "RIGHT", "COUNT", "2"));
    await expectBytes(
      raw,
      `*2\r\n$${key.length}\r\n${key}\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n`,
    );
  });
});

describe("the AOF", () => {
  itRestarts(
    "list changes survive a restart; LMPOP is logged as the LPOP or RPOP it did, and a change of nothing is not logged",
    async () => {
      const restartable = await startRestartableServer({
        appendfsync: "always",
      });
      const redis = await restartable.client();
      await redis.rpush("l", "a", "b", "c", "d", "e", "f");
      await redis.lpush("m", "x");
      await redis.call("LMPOP", "2", "none", "l", "LEFT");
      await redis.call("LMPOP", "1", "l", "RIGHT", "COUNT", "99");
      await redis.rpush("l", "a", "b", "c");
      await redis.ltrim("l", 0, -1); // removes nothing
      await redis.ltrim("l", 0, 1);
      await redis.lrem("l", 0, "zz"); // removes nothing
      await redis.linsert("l", "BEFORE", "zz", "q"); // no pivot
      await redis.linsert("l", "AFTER", "b", "q");
      await redis.lset("l", 0, "A");
      await redis.lpop("l", 0); // pops nothing
      await redis.rpoplpush("l", "m");
      await redis.lmove("l", "l", "LEFT", "RIGHT");
      await redis.lmove("l", "n", "RIGHT", "LEFT");
      await redis.rpop("none", 3);

      const lists = async () =>
        Promise.all(["l", "m", "n"].map((k) => redis.lrange(k, 0, -1)));
      const before = await lists();
      expect(before).toEqual([["b"], ["q", "x"], ["A"]]);
      if (restartable.kind === "ours") {
        // The same records as redis-server 7.0.15 writes for this session.
        expect(aofCommands(aofBytes(restartable))).toEqual([
          ["SELECT", "0"],
          ["rpush", "l", "a", "b", "c", "d", "e", "f"],
          ["lpush", "m", "x"],
          ["LPOP", "l", "1"],
          ["RPOP", "l", "5"],
          ["rpush", "l", "a", "b", "c"],
          ["ltrim", "l", "0", "1"],
          ["linsert", "l", "AFTER", "b", "q"],
          ["lset", "l", "0", "A"],
          ["rpoplpush", "l", "m"],
          ["lmove", "l", "l", "LEFT", "RIGHT"],
          ["lmove", "l", "n", "RIGHT", "LEFT"],
        ]);
      }
      await restartable.restart();
      const again = await restartable.client();
      expect(
        await Promise.all(["l", "m", "n"].map((k) => again.lrange(k, 0, -1))),
      ).toEqual(before);
    },
  );
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  // Redis 7.0.15's first seven fields: name, arity, flags, first key,
  // last key, key step, ACL categories (no list command has tips).
  it.each([
    [
      "lpush",
      -3,
      ["write", "denyoom", "fast"],
      1,
      1,
      1,
      ["@write", "@list", "@fast"],
    ],
    [
      "rpush",
      -3,
      ["write", "denyoom", "fast"],
      1,
      1,
      1,
      ["@write", "@list", "@fast"],
    ],
    [
      "lpushx",
      -3,
      ["write", "denyoom", "fast"],
      1,
      1,
      1,
      ["@write", "@list", "@fast"],
    ],
    [
      "rpushx",
      -3,
      ["write", "denyoom", "fast"],
      1,
      1,
      1,
      ["@write", "@list", "@fast"],
    ],
    ["lpop", -2, ["write", "fast"], 1, 1, 1, ["@write", "@list", "@fast"]],
    ["rpop", -2, ["write", "fast"], 1, 1, 1, ["@write", "@list", "@fast"]],
    ["llen", 2, ["readonly", "fast"], 1, 1, 1, ["@read", "@list", "@fast"]],
    ["lrange", 4, ["readonly"], 1, 1, 1, ["@read", "@list", "@slow"]],
    ["lindex", 3, ["readonly"], 1, 1, 1, ["@read", "@list", "@slow"]],
    ["lset", 4, ["write", "denyoom"], 1, 1, 1, ["@write", "@list", "@slow"]],
    ["lrem", 4, ["write"], 1, 1, 1, ["@write", "@list", "@slow"]],
    ["ltrim", 4, ["write"], 1, 1, 1, ["@write", "@list", "@slow"]],
    ["linsert", 5, ["write", "denyoom"], 1, 1, 1, ["@write", "@list", "@slow"]],
    ["lpos", -3, ["readonly"], 1, 1, 1, ["@read", "@list", "@slow"]],
    ["lmove", 5, ["write", "denyoom"], 1, 2, 1, ["@write", "@list", "@slow"]],
    [
      "rpoplpush",
      3,
      ["write", "denyoom"],
      1,
      2,
      1,
      ["@write", "@list", "@slow"],
    ],
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

  const LEFT_OR_RIGHT = [
    ["name", "left", "type", "pure-token", "token", "LEFT"],
    ["name", "right", "type", "pure-token", "token", "RIGHT"],
  ];

  it.each([
    [
      "lpos",
      [
        "summary",
        "Return the index of matching elements on a list",
        "since",
        "6.0.6",
        "group",
        "list",
        "complexity",
        "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
        "arguments",
        [
          ["name", "key", "type", "key"],
          ["name", "element", "type", "string"],
          [
            "name",
            "rank",
            "type",
            "integer",
            "token",
            "RANK",
            "flags",
            ["optional"],
          ],
          [
            "name",
            "num-matches",
            "type",
            "integer",
            "token",
            "COUNT",
            "flags",
            ["optional"],
          ],
          [
            "name",
            "len",
            "type",
            "integer",
            "token",
            "MAXLEN",
            "flags",
            ["optional"],
          ],
        ],
      ],
    ],
    [
      "lpop",
      [
        "summary",
        "Remove and get the first elements in a list",
        "since",
        "1.0.0",
        "group",
        "list",
        "complexity",
        "O(N) where N is the number of elements returned",
        "history",
        [["6.2.0", "Added the `count` argument."]],
        "arguments",
        [
          ["name", "key", "type", "key"],
          [
            "name",
            "count",
            "type",
            "integer",
            "since",
            "6.2.0",
            "flags",
            ["optional"],
          ],
        ],
      ],
    ],
    [
      "rpoplpush",
      [
        "summary",
        "Remove the last element in a list, prepend it to another list and return it",
        "since",
        "1.2.0",
        "group",
        "list",
        "complexity",
        "O(1)",
        "doc_flags",
        ["deprecated"],
        "deprecated_since",
        "6.2.0",
        "replaced_by",
        "`LMOVE` with the `RIGHT` and `LEFT` arguments",
        "arguments",
        [
          ["name", "source", "type", "key"],
          ["name", "destination", "type", "key"],
        ],
      ],
    ],
    [
      "lmpop",
      [
        "summary",
        "Pop elements from a list",
        "since",
        "7.0.0",
        "group",
        "list",
        "complexity",
        "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        "arguments",
        [
          ["name", "numkeys", "type", "integer"],
          ["name", "key", "type", "key", "flags", ["multiple"]],
          ["name", "where", "type", "oneof", "arguments", LEFT_OR_RIGHT],
          [
            "name",
            "count",
            "type",
            "integer",
            "token",
            "COUNT",
            "flags",
            ["optional"],
          ],
        ],
      ],
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsOf(name)).toEqual(expected);
  });
});
