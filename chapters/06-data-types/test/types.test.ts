/**
 * Article step "types": a key holds a string or a list now, and every
 * command of chapters 03 to 05 knows which. A string command on a list
 * answers WRONGTYPE, after whatever arguments Redis reads first; the
 * commands that work on any key (TYPE, DEL, EXPIRE, RENAME, COPY, MOVE,
 * TOUCH, SCAN ... TYPE) handle a list; SET and MSET overwrite one; COPY
 * copies it deeply; OBJECT tells how a value is kept.
 *
 * Every expected reply is what Redis 7.0.15 answers. Each test makes its
 * own keys under a random prefix: the tests share a server (a real Redis
 * one under REDIS_URL).
 */
import { describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  errorOf,
  infoNumber,
  keysForThisTest,
  NOT_AN_INTEGER,
  pollUntil,
  SYNTAX_ERROR,
  WRONGTYPE,
} from "./client-helpers.ts";
import { encodeCommand, expectBytes } from "./resp-helpers.ts";

const server = useServer();

const SAME_OBJECT = "ERR source and destination objects are the same";
const NO_LFU =
  "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

/** A client, and a list `a b c` at a fresh key. */
async function withList() {
  const redis = await server.client();
  const key = keysForThisTest();
  const list = key("list");
  await redis.rpush(list, "a", "b", "c");
  return { redis, key, list };
}

/** The elements of the list at `key`, head to tail. */
function elements(redis: Redis, key: string): Promise<string[]> {
  return redis.lrange(key, 0, -1);
}

describe("WRONGTYPE: the string commands on a list", () => {
  it.each([
    [["GET"]],
    [["GETSET", "v"]],
    [["GETDEL"]],
    [["GETEX"]],
    [["GETEX", "EX", "10"]],
    [["GETEX", "PERSIST"]],
    // GETEX looks the key up before it reads the time.
    [["GETEX", "EX", "abc"]],
    [["GETEX", "PXAT", "0"]],
    [["APPEND", "x"]],
    [["STRLEN"]],
    [["GETRANGE", "0", "-1"]],
    [["SETRANGE", "0", "x"]],
    // Before the empty value (which changes nothing) and the size limit.
    [["SETRANGE", "0", ""]],
    [["SETRANGE", "536870911", "xy"]],
    [["INCR"]],
    [["DECR"]],
    [["INCRBY", "1"]],
    [["DECRBY", "1"]],
    [["INCRBYFLOAT", "1.5"]],
    // INCRBYFLOAT checks the type before it reads the increment.
    [["INCRBYFLOAT", "abc"]],
    [["SET", "v", "GET"]],
    [["SET", "v", "NX", "GET"]],
    [["SET", "v", "XX", "GET"]],
    [["SET", "v", "GET", "EX", "100"]],
    [["SET", "v", "GET", "KEEPTTL"]],
  ])(
    "%j on a list is WRONGTYPE, and the list is untouched",
    async ([command, ...args]) => {
      const { redis, list } = await withList();
      expect(await errorOf(redis.call(command!, list, ...args))).toBe(
        WRONGTYPE,
      );
      expect(await redis.type(list)).toBe("list");
      expect(await elements(redis, list)).toEqual(["a", "b", "c"]);
      expect(await redis.ttl(list)).toBe(-1);
    },
  );

  it.each([
    [["GETRANGE", "a", "1"], NOT_AN_INTEGER],
    [["GETRANGE", "0", "b"], NOT_AN_INTEGER],
    [["SETRANGE", "a", "x"], NOT_AN_INTEGER],
    [["SETRANGE", "-1", "x"], "ERR offset is out of range"],
    [["INCRBY", "x"], NOT_AN_INTEGER],
    [["DECRBY", "1.5"], NOT_AN_INTEGER],
    [["DECRBY", "-9223372036854775808"], "ERR decrement would overflow"],
    [
      ["SET", "v", "GET", "EX", "0"],
      "ERR invalid expire time in 'set' command",
    ],
    [["SET", "v", "GET", "PX", "abc"], NOT_AN_INTEGER],
    [["SET", "v", "GET", "NOSUCH"], SYNTAX_ERROR],
    [["SET", "v", "NX", "XX", "GET"], SYNTAX_ERROR],
    [["GETEX", "NOSUCH"], SYNTAX_ERROR],
    [["GETEX", "EX", "1", "PERSIST"], SYNTAX_ERROR],
  ])(
    "%j on a list: the arguments are read first, so %j",
    async ([command, ...args], expected) => {
      const { redis, list } = await withList();
      expect(await errorOf(redis.call(command!, list, ...args))).toBe(expected);
      expect(await elements(redis, list)).toEqual(["a", "b", "c"]);
    },
  );

  it("MGET answers nil for a list, and the strings around it", async () => {
    const { redis, key, list } = await withList();
    await redis.set(key("s"), "string");
    expect(await redis.mget(key("s"), list, key("none"), key("s"))).toEqual([
      "string",
      null,
      null,
      "string",
    ]);
  });

  it("SETNX and MSETNX see a list as a key that exists: 0, and nothing set", async () => {
    const { redis, key, list } = await withList();
    expect(await redis.setnx(list, "v")).toBe(0);
    expect(await redis.msetnx(key("new"), "v", list, "v")).toBe(0);
    expect(await redis.exists(key("new"))).toBe(0);
    expect(await elements(redis, list)).toEqual(["a", "b", "c"]);
  });
});

describe("SET and its kin overwrite a list", () => {
  it("SET, SET XX, MSET, SETEX and PSETEX replace a list with a string", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    for (const name of ["set", "xx", "mset", "setex", "psetex"]) {
      await redis.rpush(key(name), "a");
    }
    await redis.expire(key("set"), 100);
    expect(await redis.set(key("set"), "v")).toBe("OK");
    expect(await redis.set(key("xx"), "v", "XX")).toBe("OK");
    expect(await redis.mset(key("mset"), "v", key("other"), "w")).toBe("OK");
    expect(await redis.setex(key("setex"), 100, "v")).toBe("OK");
    expect(await redis.psetex(key("psetex"), 100_000, "v")).toBe("OK");
    for (const name of ["set", "xx", "mset", "setex", "psetex"]) {
      expect(await redis.type(key(name))).toBe("string");
      expect(await redis.get(key(name))).toBe("v");
    }
    // A new value starts a new life: SET cleared the list's deadline.
    expect(await redis.ttl(key("set"))).toBe(-1);
    expect(await redis.ttl(key("setex"))).toBeGreaterThan(90);
  });

  it("SET NX leaves a list alone (nil); SET ... GET on a list sets nothing", async () => {
    const { redis, list } = await withList();
    expect(await redis.set(list, "v", "NX")).toBeNull();
    expect(await errorOf(redis.set(list, "v", "GET"))).toBe(WRONGTYPE);
    expect(await elements(redis, list)).toEqual(["a", "b", "c"]);
  });

  it("a list pushed onto a key that held a string, after a DEL", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    expect(await errorOf(redis.rpush(key("k"), "x"))).toBe(WRONGTYPE);
    await redis.del(key("k"));
    expect(await redis.rpush(key("k"), "x")).toBe(1);
    expect(await redis.type(key("k"))).toBe("list");
  });
});

describe("TYPE and the commands that take a key of any type", () => {
  it("TYPE answers list, string or none", async () => {
    const { redis, key, list } = await withList();
    await redis.set(key("s"), "v");
    expect(await redis.type(list)).toBe("list");
    expect(await redis.type(key("s"))).toBe("string");
    expect(await redis.type(key("none"))).toBe("none");
  });

  it("DEL, UNLINK, EXISTS and TOUCH count lists like any key", async () => {
    const { redis, key, list } = await withList();
    await redis.set(key("s"), "v");
    await redis.rpush(key("other"), "x");
    expect(await redis.exists(list, key("s"), key("none"), list)).toBe(3);
    expect(await redis.touch(list, key("s"), key("none"))).toBe(2);
    expect(await redis.del(list, key("none"))).toBe(1);
    expect(await redis.unlink(key("other"), key("s"))).toBe(2);
    expect(await redis.exists(list, key("s"), key("other"))).toBe(0);
  });

  it("TOUCH needs a key", async () => {
    const redis = await server.client();
    expect(await errorOf(redis.call("TOUCH"))).toBe(
      "ERR wrong number of arguments for 'touch' command",
    );
  });

  it("EXPIRE, TTL, PERSIST and PEXPIRETIME work on a list", async () => {
    const { redis, list } = await withList();
    expect(await redis.expire(list, 100)).toBe(1);
    expect(await redis.ttl(list)).toBeGreaterThan(90);
    expect(await redis.pexpiretime(list)).toBeGreaterThan(Date.now());
    expect(await redis.persist(list)).toBe(1);
    expect(await redis.ttl(list)).toBe(-1);
    expect(await redis.pexpire(list, -1)).toBe(1);
    expect(await redis.exists(list)).toBe(0);
  });

  it("RENAME moves a list, with its deadline, over whatever the new name held", async () => {
    const { redis, key, list } = await withList();
    await redis.expire(list, 100);
    await redis.set(key("to"), "a string");
    expect(await redis.rename(list, key("to"))).toBe("OK");
    expect(await redis.exists(list)).toBe(0);
    expect(await redis.type(key("to"))).toBe("list");
    expect(await elements(redis, key("to"))).toEqual(["a", "b", "c"]);
    expect(await redis.ttl(key("to"))).toBeGreaterThan(90);
    // The list itself moved: pushing onto it under its new name works.
    expect(await redis.rpush(key("to"), "d")).toBe(4);
  });

  it("RENAMENX moves a list only to a free name", async () => {
    const { redis, key, list } = await withList();
    await redis.set(key("taken"), "v");
    expect(await redis.renamenx(list, key("taken"))).toBe(0);
    expect(await redis.get(key("taken"))).toBe("v");
    expect(await redis.renamenx(list, key("free"))).toBe(1);
    expect(await elements(redis, key("free"))).toEqual(["a", "b", "c"]);
  });
});

describe("COPY copies a list deeply", () => {
  it("changing the copy never changes the original, nor the other way round", async () => {
    const { redis, key, list } = await withList();
    expect(await redis.copy(list, key("copy"))).toBe(1);
    await redis.rpush(key("copy"), "d");
    await redis.lset(key("copy"), 0, "A");
    await redis.lpop(list);
    await redis.lset(list, 0, "B");
    expect(await elements(redis, list)).toEqual(["B", "c"]);
    expect(await elements(redis, key("copy"))).toEqual(["A", "b", "c", "d"]);
  });

  it("COPY to another database, with the deadline, and REPLACE over a string", async () => {
    const { redis, key, list } = await withList();
    await redis.expire(list, 100);
    await redis.set(key("copy"), "a string");
    expect(await redis.copy(list, key("copy"))).toBe(0);
    expect(await redis.copy(list, key("copy"), "REPLACE")).toBe(1);
    expect(await redis.type(key("copy"))).toBe("list");
    expect(await redis.ttl(key("copy"))).toBeGreaterThan(90);
    expect(await redis.copy(list, key("copy"), "DB", 9)).toBe(1);
    const db9 = await server.client({ db: 9 });
    await db9.rpush(key("copy"), "in 9");
    expect(await elements(db9, key("copy"))).toEqual(["a", "b", "c", "in 9"]);
    expect(await elements(redis, list)).toEqual(["a", "b", "c"]);
    await db9.del(key("copy"));
  });
});

describe("MOVE", () => {
  it("moves a list, with its deadline, to another database", async () => {
    const { redis, list } = await withList();
    await redis.pexpire(list, 100_000);
    expect(await redis.move(list, 9)).toBe(1);
    expect(await redis.exists(list)).toBe(0);
    const db9 = await server.client({ db: 9 });
    expect(await elements(db9, list)).toEqual(["a", "b", "c"]);
    expect(await db9.pttl(list)).toBeGreaterThan(90_000);
    await db9.del(list);
  });

  it("answers 0 for a missing key, or a name taken in the other database", async () => {
    const { redis, key, list } = await withList();
    expect(await redis.move(key("none"), 9)).toBe(0);
    const db9 = await server.client({ db: 9 });
    await db9.set(list, "taken");
    expect(await redis.move(list, 9)).toBe(0);
    expect(await elements(redis, list)).toEqual(["a", "b", "c"]);
    expect(await db9.get(list)).toBe("taken");
    await db9.del(list);
  });

  it.each([
    ["0", SAME_OBJECT],
    ["16", "ERR DB index is out of range"],
    ["-1", "ERR DB index is out of range"],
    ["x", NOT_AN_INTEGER],
    [
      "99999999999",
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    ],
  ])("MOVE key %s: %s, before the key is looked at", async (db, expected) => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("MOVE", key("none"), db))).toBe(expected);
  });
});

describe("finding lists: SCAN TYPE and KEYS", () => {
  /** Every key SCAN finds under `pattern` with `TYPE type`, in one full walk. */
  async function scanAll(redis: Redis, pattern: string, type: string) {
    const found = new Set<string>();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(
        cursor,
        "MATCH",
        pattern,
        "COUNT",
        100,
        "TYPE",
        type,
      );
      for (const key of keys) found.add(key);
      cursor = next;
    } while (cursor !== "0");
    return [...found].sort();
  }

  it("SCAN ... TYPE list finds the lists, TYPE string the strings", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.rpush(key("l1"), "x");
    await redis.rpush(key("l2"), "x");
    await redis.set(key("s1"), "x");
    const pattern = key("*");
    expect(await scanAll(redis, pattern, "list")).toEqual([
      key("l1"),
      key("l2"),
    ]);
    // The type's name is compared ignoring case.
    expect(await scanAll(redis, pattern, "LIST")).toEqual([
      key("l1"),
      key("l2"),
    ]);
    expect(await scanAll(redis, pattern, "string")).toEqual([key("s1")]);
    expect(await scanAll(redis, pattern, "hash")).toEqual([]);
  });

  it("KEYS lists lists", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.rpush(key("l"), "x");
    await redis.set(key("s"), "x");
    expect((await redis.keys(key("*"))).sort()).toEqual([key("l"), key("s")]);
  });
});

describe("OBJECT", () => {
  it.each([
    ["0", "int"],
    ["9999", "int"],
    ["-1", "int"],
    ["9223372036854775807", "int"],
    ["-9223372036854775808", "int"],
    // Not the text of a 64-bit integer in canonical form:
    ["9223372036854775808", "embstr"],
    ["007", "embstr"],
    ["-0", "embstr"],
    ["+5", "embstr"],
    [" 5", "embstr"],
    ["5.0", "embstr"],
    ["", "embstr"],
    ["x".repeat(44), "embstr"],
    ["x".repeat(45), "raw"],
    // Too long for a 64-bit integer, short enough to embed.
    ["1".repeat(21), "embstr"],
  ])("SET k %j: OBJECT ENCODING is %s", async (value, encoding) => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), value);
    expect(await redis.object("ENCODING", key("k"))).toBe(encoding);
  });

  it("ENCODING counts bytes, not characters: 44 two-byte characters are raw", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "é".repeat(22));
    expect(await redis.object("ENCODING", key("k"))).toBe("embstr");
    await redis.set(key("k"), "é".repeat(23));
    expect(await redis.object("ENCODING", key("k"))).toBe("raw");
  });

  it("a list is a quicklist, whatever its size", async () => {
    const { redis, list } = await withList();
    expect(await redis.object("ENCODING", list)).toBe("quicklist");
    await redis.rpush(list, ...Array.from({ length: 1000 }, (_, i) => `${i}`));
    expect(await redis.object("ENCODING", list)).toBe("quicklist");
  });

  it.each([
    ["0", 2147483647],
    ["9999", 2147483647],
    ["10000", 1],
    ["-1", 1],
    ["00", 1],
    ["a string", 1],
  ])(
    "SET k %j: OBJECT REFCOUNT is %d (the integers 0 to 9999 are shared)",
    async (value, refcount) => {
      const redis = await server.client();
      const key = keysForThisTest();
      await redis.set(key("k"), value);
      expect(await redis.object("REFCOUNT", key("k"))).toBe(refcount);
    },
  );

  it.each<[string, string[][], string, number]>([
    // Edited in place: raw, whatever the length.
    [
      "APPEND to a string",
      [
        ["SET", "abc"],
        ["APPEND", "d"],
      ],
      "raw",
      1,
    ],
    [
      "APPEND nothing",
      [
        ["SET", "abc"],
        ["APPEND", ""],
      ],
      "raw",
      1,
    ],
    [
      "APPEND to an integer",
      [
        ["SET", "5"],
        ["APPEND", "1"],
      ],
      "raw",
      1,
    ],
    // APPEND to a missing key stores its value as SET does.
    ["APPEND to no key", [["APPEND", "5"]], "int", 2147483647],
    ["SETRANGE on no key", [["SETRANGE", "0", "x"]], "raw", 1],
    [
      "SETRANGE",
      [
        ["SET", "123456"],
        ["SETRANGE", "0", "9"],
      ],
      "raw",
      1,
    ],
    // Writing nothing changes nothing.
    [
      "SETRANGE of nothing",
      [
        ["SET", "123456"],
        ["SETRANGE", "0", ""],
      ],
      "int",
      1,
    ],
    // INCRBYFLOAT formats a number as text: never an integer.
    ["INCRBYFLOAT", [["INCRBYFLOAT", "3"]], "embstr", 1],
    [
      "INCR after APPEND",
      [["SET", "7"], ["APPEND", "1"], ["INCR"]],
      "int",
      2147483647,
    ],
  ])(
    "%s: OBJECT ENCODING %s, REFCOUNT %d",
    async (_what, commands, encoding, refcount) => {
      const redis = await server.client();
      const k = keysForThisTest()("k");
      for (const [command, ...args] of commands) {
        await redis.call(command!, k, ...args);
      }
      expect(await redis.object("ENCODING", k)).toBe(encoding);
      expect(await redis.object("REFCOUNT", k)).toBe(refcount);
    },
  );

  it("COPY keeps a string's encoding but never shares an integer; RENAME and MOVE keep both", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("small"), "5");
    await redis.copy(key("small"), key("small copy"));
    expect(await redis.object("ENCODING", key("small copy"))).toBe("int");
    expect(await redis.object("REFCOUNT", key("small copy"))).toBe(1);
    await redis.set(key("raw"), "abc");
    await redis.append(key("raw"), "d");
    await redis.copy(key("raw"), key("raw copy"));
    expect(await redis.object("ENCODING", key("raw copy"))).toBe("raw");
    await redis.rename(key("raw"), key("renamed"));
    expect(await redis.object("ENCODING", key("renamed"))).toBe("raw");
    await redis.rename(key("small"), key("renamed small"));
    expect(await redis.object("REFCOUNT", key("renamed small"))).toBe(
      2147483647,
    );
    await redis.move(key("renamed"), 9);
    const db9 = await server.client({ db: 9 });
    expect(await db9.object("ENCODING", key("renamed"))).toBe("raw");
    await db9.del(key("renamed"));
  });

  it("REFCOUNT of a list is 1; INCR to a small number shares it", async () => {
    const { redis, key, list } = await withList();
    expect(await redis.object("REFCOUNT", list)).toBe(1);
    await redis.set(key("n"), "10005");
    await redis.decrby(key("n"), 10);
    expect(await redis.object("ENCODING", key("n"))).toBe("int");
    expect(await redis.object("REFCOUNT", key("n"))).toBe(2147483647);
  });

  it("IDLETIME of a key just written is an integer near 0", async () => {
    const { redis, list } = await withList();
    // Redis's clock of access times ticks once a second: 0, or 1 if it
    // ticked between the two commands.
    expect(await redis.object("IDLETIME", list)).toBeLessThanOrEqual(1);
  });

  it("IDLETIME: a lookup is a use of the key, except TYPE's, EXISTS's, TTL's, OBJECT's and SCAN's", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    // Not numbers: Redis shares the objects of 0 to 9999 between keys.
    const looks: Record<string, (k: string) => Promise<unknown>> = {
      TYPE: (k) => redis.type(k),
      EXISTS: (k) => redis.exists(k),
      TTL: (k) => redis.ttl(k),
      PEXPIRETIME: (k) => redis.pexpiretime(k),
      "OBJECT ENCODING": (k) => redis.object("ENCODING", k),
      "SCAN TYPE": (k) => redis.scan(0, "MATCH", k, "TYPE", "string"),
      KEYS: (k) => redis.keys(k),
    };
    const uses: Record<string, (k: string) => Promise<unknown>> = {
      GET: (k) => redis.get(k),
      STRLEN: (k) => redis.strlen(k),
      TOUCH: (k) => redis.touch(k),
      "SETNX (refused)": (k) => redis.setnx(k, "other"),
      EXPIRE: (k) => redis.expire(k, 1000),
      "LPUSH (WRONGTYPE, after its lookup)": (k) =>
        errorOf(redis.lpush(k, "x")),
      "COPY (the source)": (k) => redis.copy(k, key(`${k}:copy`)),
    };
    const names = [...Object.keys(looks), ...Object.keys(uses)];
    for (const name of names) await redis.set(key(name), "a value");
    // Written last: once it has been idle for 2 seconds, so have the others.
    await redis.set(key("clock"), "a value");
    await pollUntil(
      async () => Number(await redis.object("IDLETIME", key("clock"))) >= 2,
      true,
      "OBJECT IDLETIME reaching 2",
    );
    for (const [name, look] of Object.entries(looks)) await look(key(name));
    for (const [name, use] of Object.entries(uses)) await use(key(name));
    const idle: Record<string, unknown> = {};
    for (const name of names) {
      idle[name] = await redis.object("IDLETIME", key(name));
    }
    for (const name of Object.keys(looks)) {
      expect(idle[name], name).toBeGreaterThanOrEqual(2);
    }
    for (const name of Object.keys(uses)) {
      // 0, or 1 if Redis's once-a-second clock ticked meanwhile.
      expect(idle[name], name).toBeLessThanOrEqual(1);
    }
  });

  it("IDLETIME of 0 to 9999 is the shared object's: a use of one key holding it is a use of all, a key set to it is as idle as it was", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    // Integers no other test stores (the tests share a server). Redis
    // makes 0 to 9999 once, at start-up; MSET of new keys uses neither.
    await redis.mset(key("a"), "7919", key("b"), "7919");
    await redis.mset(key("c"), "7907", key("d"), "7907");
    await redis.set(key("clock"), "a value");
    await pollUntil(
      async () => Number(await redis.object("IDLETIME", key("clock"))) >= 2,
      true,
      "OBJECT IDLETIME reaching 2",
    );
    // A key set to 7919 now is not a new value: the object is as idle as
    // the keys that already held it.
    await redis.set(key("new"), "7919");
    expect(await redis.object("IDLETIME", key("new"))).toBeGreaterThanOrEqual(
      2,
    );
    // Not shared: a value of its own, just made.
    await redis.set(key("own"), "17919");
    expect(await redis.object("IDLETIME", key("own"))).toBeLessThanOrEqual(1);
    // Reading a is a use of b's value and new's: the same object.
    await redis.get(key("a"));
    expect(await redis.object("IDLETIME", key("b"))).toBeLessThanOrEqual(1);
    expect(await redis.object("IDLETIME", key("new"))).toBeLessThanOrEqual(1);
    // A write that replaces c's 7907 looks it up first: a use of d's too.
    expect(await redis.object("IDLETIME", key("d"))).toBeGreaterThanOrEqual(2);
    await redis.set(key("c"), "other");
    expect(await redis.object("IDLETIME", key("d"))).toBeLessThanOrEqual(1);
  });

  it("IDLETIME: while BGREWRITEAOF's rewrite runs, a lookup is no use of a key (Redis spares its child's pages); once it is over, it is again", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "a value");
    await pollUntil(
      async () => Number(await redis.object("IDLETIME", key("k"))) >= 2,
      true,
      "OBJECT IDLETIME reaching 2",
    );
    // Another test's rewrite may still run (the tests share a server).
    await pollUntil(
      () => infoNumber(redis, "persistence", "aof_rewrite_in_progress"),
      0,
      "no rewrite in progress",
    );
    // One pipeline: Redis reads all three at once, long before its
    // periodic task can notice that the child is done.
    const replies = await redis
      .pipeline()
      .bgrewriteaof()
      .get(key("k"))
      .object("IDLETIME", key("k"))
      .exec();
    expect(replies).toEqual([
      [null, "Background append only file rewriting started"],
      [null, "a value"],
      [null, expect.any(Number)],
    ]);
    expect(replies![2]![1]).toBeGreaterThanOrEqual(2);
    // A value written meanwhile is new all the same: its clock is now.
    await redis.set(key("written"), "a value");
    expect(await redis.object("IDLETIME", key("written"))).toBeLessThanOrEqual(
      1,
    );
    await pollUntil(
      async () => {
        await redis.get(key("k"));
        return Number(await redis.object("IDLETIME", key("k"))) <= 1;
      },
      true,
      "a GET to count as a use again",
    );
  });

  it("FREQ is Redis's error: no LFU eviction policy is in use", async () => {
    const { redis, list } = await withList();
    expect(await errorOf(redis.object("FREQ", list))).toBe(NO_LFU);
  });

  it.each(["ENCODING", "REFCOUNT", "IDLETIME", "FREQ"])(
    "OBJECT %s of a missing key is nil (FREQ too: the lookup comes first)",
    async (subcommand) => {
      const redis = await server.client();
      const key = keysForThisTest();
      expect(await redis.call("OBJECT", subcommand, key("none"))).toBeNull();
    },
  );

  it("a missing key's nil is $-1 in RESP2 and _ in RESP3", async () => {
    const raw = await server.raw();
    await raw.send(encodeCommand("OBJECT", "ENCODING", "no:such:key"));
    await expectBytes(raw, "$-1\r\n");
    await switchToResp3(raw);
    await raw.send(encodeCommand("OBJECT", "REFCOUNT", "no:such:key"));
    await expectBytes(raw, "_\r\n");
  });

  it("OBJECT HELP, word for word", async () => {
    const redis = await server.client();
    expect(await redis.call("OBJECT", "HELP")).toEqual([
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
    ]);
  });

  it.each([
    [["OBJECT"], "ERR wrong number of arguments for 'object' command"],
    [["OBJECT", "NOSUCH"], "ERR unknown subcommand 'NOSUCH'. Try OBJECT HELP."],
    [
      ["OBJECT", "nosuch", "k"],
      "ERR unknown subcommand 'nosuch'. Try OBJECT HELP.",
    ],
    [
      ["OBJECT", "ENCODING"],
      "ERR wrong number of arguments for 'object|encoding' command",
    ],
    [
      ["OBJECT", "encoding", "k", "extra"],
      "ERR wrong number of arguments for 'object|encoding' command",
    ],
    [
      ["OBJECT", "HELP", "extra"],
      "ERR wrong number of arguments for 'object|help' command",
    ],
  ])("%j: %s", async ([command, ...args], expected) => {
    const redis = await server.client();
    expect(await errorOf(redis.call(command!, ...args))).toBe(expected);
  });
});

describe(
  "COMMAND INFO and DOCS of OBJECT, MOVE and TOUCH",
  { tags: ["fidelity"] },
  () => {
    /** COMMAND INFO without the key specifications (which we leave out). */
    async function info(name: string): Promise<unknown[]> {
      const redis = await server.client();
      const [entry] = (await redis.call(
        "COMMAND",
        "INFO",
        name,
      )) as unknown[][];
      return entry!.slice(0, 8);
    }

    it.each<[string, unknown[]]>([
      [
        "move",
        [3, ["write", "fast"], 1, 1, 1, ["@keyspace", "@write", "@fast"], []],
      ],
      [
        "touch",
        [
          -2,
          ["readonly", "fast"],
          1,
          -1,
          1,
          ["@keyspace", "@read", "@fast"],
          ["request_policy:multi_shard", "response_policy:agg_sum"],
        ],
      ],
      ["object", [-2, [], 0, 0, 0, ["@slow"], []]],
      [
        "object|help",
        [2, ["loading", "stale"], 0, 0, 0, ["@keyspace", "@slow"], []],
      ],
      ...["encoding", "freq", "idletime", "refcount"].map(
        (sub): [string, unknown[]] => [
          `object|${sub}`,
          [
            3,
            ["readonly"],
            2,
            2,
            1,
            ["@keyspace", "@read", "@slow"],
            ["nondeterministic_output"],
          ],
        ],
      ),
    ])("COMMAND INFO %s", async (name, rest) => {
      expect(await info(name)).toEqual([name, ...rest]);
    });

    it("COMMAND INFO object lists its five subcommands", async () => {
      const redis = await server.client();
      const [entry] = (await redis.call(
        "COMMAND",
        "INFO",
        "object",
      )) as unknown[][];
      const subcommands = (entry![9] as unknown[][]).map((sub) => sub[0]);
      expect(subcommands.sort()).toEqual([
        "object|encoding",
        "object|freq",
        "object|help",
        "object|idletime",
        "object|refcount",
      ]);
    });

    it.each([
      ["move", "Move a key to another database", "1.0.0", "O(1)"],
      [
        "touch",
        "Alters the last access time of a key(s). Returns the number of existing keys specified.",
        "3.2.1",
        "O(N) where N is the number of keys that will be touched.",
      ],
      [
        "object",
        "A container for object introspection commands",
        "2.2.3",
        "Depends on subcommand.",
      ],
      [
        "object|encoding",
        "Inspect the internal encoding of a Redis object",
        "2.2.3",
        "O(1)",
      ],
      [
        "object|freq",
        "Get the logarithmic access frequency counter of a Redis object",
        "4.0.0",
        "O(1)",
      ],
      [
        "object|idletime",
        "Get the time since a Redis object was last accessed",
        "2.2.3",
        "O(1)",
      ],
      [
        "object|refcount",
        "Get the number of references to the value of the key",
        "2.2.3",
        "O(1)",
      ],
      [
        "object|help",
        "Show helpful text about the different subcommands",
        "6.2.0",
        "O(1)",
      ],
    ])("COMMAND DOCS %s", async (name, summary, since, complexity) => {
      const redis = await server.client();
      const [, docs] = (await redis.call("COMMAND", "DOCS", name)) as [
        string,
        unknown[],
      ];
      expect(docs.slice(0, 8)).toEqual([
        "summary",
        summary,
        "since",
        since,
        "group",
        "generic",
        "complexity",
        complexity,
      ]);
    });
  },
);

/** Switches a raw connection to RESP3, reading past HELLO's answer (its fields vary). */
async function switchToResp3(raw: RawSocket): Promise<void> {
  const marker = "now-resp3";
  await raw.send(
    Buffer.concat([encodeCommand("HELLO", "3"), encodeCommand("ECHO", marker)]),
  );
  const end = `$${marker.length}\r\n${marker}\r\n`;
  let received = "";
  while (!received.endsWith(end)) {
    received += (await raw.read(1)).toString("latin1");
  }
}
