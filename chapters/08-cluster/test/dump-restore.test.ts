/**
 * DUMP and RESTORE, against a real redis-server: every type in every
 * encoding is made on Redis, dumped there and restored here, then dumped
 * here and restored there, and each side must hold the very same contents
 * in the same encoding. Where Redis's bytes do not depend on its hash
 * tables' order, our DUMP must answer the very same bytes. Then RESTORE's
 * options and errors, in Redis's order, and what a RESTORE leaves behind:
 * a deadline, an idle time, a WATCH that fails, an AOF that replays it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  cleanUp,
  nodeForThisTest,
  startNode,
  waitUntil,
  type NodeProcess,
} from "../../../shared/cluster-harness.ts";
import {
  errorOf,
  keysForThisTest,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "./client-helpers.ts";
import { docsWithoutKeySpecs } from "./command-docs-helpers.ts";

const server = useServer();
const BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
const BAD_DATA = "ERR Bad data format";
const BUSYKEY = "BUSYKEY Target key name already exists.";

// #region reference
/**
 * The reference: a real redis-server, a cluster node that serves every
 * slot on its own (the harness starts nodes in cluster mode).
 */
let reference: NodeProcess;
let redis: Redis;

/** A client of `node` once its cluster state is ok (it serves every slot). */
async function whenOk(node: NodeProcess): Promise<Redis> {
  const client = await node.connect({ protocol: inject("protocol") });
  await waitUntil(
    async () =>
      ((await client.call("CLUSTER", "INFO")) as string).includes(
        "cluster_state:ok",
      ),
    10_000,
    "cluster_state:ok",
  );
  return client;
}

/** `node` made a cluster of one, serving all 16384 slots, ready for keys. */
async function soloNode(node: NodeProcess): Promise<Redis> {
  const admin = await node.admin();
  await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
  return whenOk(node);
}

beforeAll(async () => {
  reference = await startNode({ kind: "redis" });
  redis = await soloNode(reference);
}, 30_000);
afterAll(() => cleanUp(reference === undefined ? [] : [reference]));
// #endregion reference

// #region contents
/** A key's type, encoding and contents, in an order that does not depend on hash tables. */
async function contentsOf(client: Redis, key: string): Promise<unknown> {
  const type = await client.type(key);
  const encoding = await client.object("ENCODING", key);
  const words = async (...args: string[]): Promise<string[]> =>
    ((await client.callBuffer(args[0]!, ...args.slice(1))) as Buffer[]).map(
      (word) => word.toString("latin1"),
    );
  const pairs = (flat: string[]): string[] =>
    flat
      .flatMap((word, i) => (i % 2 === 0 ? [`${word}=${flat[i + 1]}`] : []))
      .sort();
  const value =
    type === "string"
      ? (await client.getBuffer(key))!.toString("latin1")
      : type === "list"
        ? await words("LRANGE", key, "0", "-1")
        : type === "hash"
          ? pairs(await words("HGETALL", key))
          : type === "set"
            ? (await words("SMEMBERS", key)).sort()
            : await words("ZRANGE", key, "0", "-1", "WITHSCORES");
  return { type, encoding, value };
}
// #endregion contents

// #region values
/** Bytes 0 to 255, then a long run of them: binary data. */
const BINARY = Buffer.from(
  Array.from({ length: 600 }, (_, i) => (i * 7) % 256),
);
const range = (n: number, f: (i: number) => string): string[] =>
  Array.from({ length: n }, (_, i) => f(i));

/**
 * Each value: how to make it, and whether Redis's DUMP of it is the same
 * bytes whatever its process (not for a hash table: its order depends on
 * a random seed).
 */
const VALUES: [string, (c: Redis, k: string) => Promise<unknown>, boolean][] = [
  ["small integer string", (c, k) => c.set(k, "-12"), true],
  ["32-bit integer string", (c, k) => c.set(k, "2147483647"), true],
  ["64-bit integer string", (c, k) => c.set(k, "-9223372036854775808"), true],
  ["non-canonical integer", (c, k) => c.set(k, "007"), true],
  ["empty string", (c, k) => c.set(k, ""), true],
  ["short string", (c, k) => c.set(k, "hello"), true],
  ["compressible string", (c, k) => c.set(k, "abc".repeat(500)), true],
  ["binary string", (c, k) => c.set(k, BINARY), true],
  ["raw string edited by SETRANGE", (c, k) => c.setrange(k, 40, "x"), true],
  [
    "small list",
    (c, k) => c.rpush(k, "a", "1", "-300", "99999", "-0", "x".repeat(70)),
    true,
  ],
  [
    "long list",
    (c, k) => c.rpush(k, ...range(3000, (i) => `element:${i}`)),
    true,
  ],
  [
    "list of integers",
    (c, k) => c.rpush(k, ...range(2000, (i) => String(i * 4099 - 70000))),
    true,
  ],
  [
    "list with a big element",
    (c, k) => c.rpush(k, "a", BINARY.toString("latin1").repeat(20), "c"),
    true,
  ],
  ["intset", (c, k) => c.sadd(k, "1", "-5", "300"), true],
  ["64-bit intset", (c, k) => c.sadd(k, "1", "9223372036854775807"), true],
  ["hashtable set", (c, k) => c.sadd(k, "a", "b", "1"), false],
  ["large integer set", (c, k) => c.sadd(k, ...range(600, String)), false],
  [
    "listpack hash",
    (c, k) => c.hset(k, "f", "v", "n", "42", "empty", ""),
    true,
  ],
  ["hashtable hash", (c, k) => c.hset(k, "f", "v".repeat(100)), false],
  [
    "large hash",
    (c, k) => c.hset(k, ...range(1200, (i) => `f${i >> 1}:${i}`)),
    false,
  ],
  [
    "listpack zset",
    (c, k) => c.zadd(k, "1", "a", "2.5", "b", "-0.1", "c", "1e300", "d"),
    true,
  ],
  [
    "zset with inf scores",
    (c, k) => c.zadd(k, "inf", "top", "-inf", "bottom", "0", "zero"),
    true,
  ],
  [
    "skiplist zset",
    (c, k) =>
      c.zadd(k, ...range(400, (i) => (i % 2 ? `m${i}` : String(i / 7)))),
    true,
  ],
  [
    "zset with a long member",
    (c, k) => c.zadd(k, "1", "m".repeat(100), "2", "n"),
    true,
  ],
];
// #endregion values

describe("DUMP and RESTORE, both ways between Redis and us", () => {
  it.each(VALUES)("%s", async (_, make, sameBytes) => {
    const ours = await server.client();
    const key = keysForThisTest();
    await make(redis, key("original"));
    await make(ours, key("original"));
    expect(await contentsOf(ours, key("original"))).toEqual(
      await contentsOf(redis, key("original")),
    );

    // What a RESTORE makes of Redis's payload, on Redis (a string edited
    // in place, raw, may come back embedded, for one).
    const fromRedis = await redis.dumpBuffer(key("original"));
    await redis.restore(key("restored"), 0, fromRedis);
    const restored = await contentsOf(redis, key("restored"));
    await ours.restore(key("from redis"), 0, fromRedis);
    expect(await contentsOf(ours, key("from redis"))).toEqual(restored);

    const fromUs = await ours.dumpBuffer(key("original"));
    await redis.restore(key("from us"), 0, fromUs);
    expect(await contentsOf(redis, key("from us"))).toEqual(restored);

    if (sameBytes) {
      expect(fromUs.toString("hex")).toBe(fromRedis.toString("hex"));
      // Restored, then dumped again: the same bytes still.
      const again = await ours.dumpBuffer(key("from redis"));
      expect(again.toString("hex")).toBe(fromRedis.toString("hex"));
    }
  });

  it("DUMP of a missing key is nil", async () => {
    const ours = await server.client();
    expect(await ours.dump(keysForThisTest()("missing"))).toBeNull();
  });
});

// #region payload-errors
/** A copy of `payload` with the byte at `index` (from the end if negative) changed. */
function withByte(payload: Buffer, index: number, byte: number): Buffer {
  const copy = Buffer.from(payload);
  copy[index < 0 ? copy.length + index : index] = byte;
  return copy;
}

describe("RESTORE refuses a broken payload", () => {
  it("with Redis's errors, for every kind of damage", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    await redis.rpush(key("source"), ...range(50, (i) => `v${i}`));
    const good = await redis.dumpBuffer(key("source"));
    const zeroCrc = Buffer.concat([good.subarray(0, -8), Buffer.alloc(8)]);
    const version11 = withByte(good, -10, 11);
    const cases: [string, Buffer][] = [
      ["a wrong CRC", withByte(good, -1, good.at(-1)! ^ 1)],
      ["a CRC of zero", zeroCrc],
      ["a newer RDB version", version11],
      ["a changed value byte", withByte(good, 5, good[5]! ^ 0x40)],
      ["a cut payload", good.subarray(0, good.length - 3)],
      ["no payload at all", Buffer.alloc(0)],
      ["garbage", Buffer.from("this is not a payload at all")],
    ];
    for (const [what, payload] of cases) {
      const reply = await errorOf(ours.restore(key("target"), 0, payload));
      const expected = await errorOf(redis.restore(key("target"), 0, payload));
      expect(reply, what).toBe(expected);
      expect(reply, what).toBe(BAD_PAYLOAD);
    }
    expect(await ours.exists(key("target"))).toBe(0);
  });

  it("answers Bad data format to an intact payload with a bad value", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    const cases: [string, Buffer][] = [
      // Type 7: a module type, which 7.0 reads no more.
      ["an unknown type", Buffer.from([7, 0])],
      ["a string longer than the payload", Buffer.from([0, 0x40, 200, 0x61])],
      ["an empty list", Buffer.from([18, 0])],
      ["an empty hash", Buffer.from([4, 0])],
      ["a set with a member twice", Buffer.from([2, 2, 1, 0x61, 1, 0x61])],
      [
        "a sorted set with a NaN score",
        Buffer.concat([Buffer.from([5, 1, 1, 0x61]), nanBytes()]),
      ],
      ["a lying listpack", Buffer.from([16, 7, 99, 0, 0, 0, 0, 0, 0xff])],
    ];
    for (const [what, value] of cases) {
      const payload = payloadOf(value);
      const expected = await errorOf(redis.restore(key("target"), 0, payload));
      expect(expected, what).toBe(BAD_DATA);
      expect(await errorOf(ours.restore(key("target"), 0, payload)), what).toBe(
        BAD_DATA,
      );
    }
  });
});

// #region ziplists
/**
 * A ziplist of `entries`, as Redis before 7.0 wrote them: a string, or
 * an integer given as [encoding byte, value bytes little-endian].
 */
function ziplistOf(entries: (string | [number, ...number[]])[]): Buffer {
  const parts: Buffer[] = [];
  let previous = 0;
  let tail = 10;
  for (const entry of entries) {
    const prevlen =
      previous < 254
        ? Buffer.from([previous])
        : Buffer.concat([Buffer.from([0xfe]), le32(previous)]);
    const body =
      typeof entry === "string"
        ? Buffer.concat([
            entry.length < 64
              ? Buffer.from([entry.length])
              : Buffer.from([0x40 | (entry.length >> 8), entry.length & 0xff]),
            Buffer.from(entry, "latin1"),
          ])
        : Buffer.from(entry);
    const whole = Buffer.concat([prevlen, body]);
    tail = 10 + parts.reduce((sum, part) => sum + part.length, 0);
    parts.push(whole);
    previous = whole.length;
  }
  const content = Buffer.concat(parts);
  const header = Buffer.concat([
    le32(10 + content.length + 1),
    le32(tail),
    Buffer.from([entries.length & 0xff, entries.length >> 8]),
  ]);
  return Buffer.concat([header, content, Buffer.from([0xff])]);
}

function le32(n: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(n);
  return bytes;
}

/** An RDB string of `bytes`, plain, with a 1, 2 or 5-byte length. */
function rdbString(bytes: Buffer): Buffer {
  const n = bytes.length;
  const length =
    n < 64
      ? Buffer.from([n])
      : n < 16384
        ? Buffer.from([0x40 | (n >> 8), n & 0xff])
        : Buffer.concat([Buffer.from([0x80]), Buffer.from(le32(n).reverse())]);
  return Buffer.concat([length, bytes]);
}

describe("RESTORE of the ziplist encodings older Redis versions wrote", () => {
  const INTEGERS: [number, ...number[]][] = [
    [0xf1], // 0, in the encoding byte
    [0xfd], // 12
    [0xfe, 0x80], // -128, 8 bits
    [0xc0, 0x39, 0x30], // 12345, 16 bits
    [0xf0, 0x00, 0x00, 0x80], // -8388608, 24 bits
    [0xd0, 0xff, 0xff, 0xff, 0x7f], // 2147483647, 32 bits
    [0xe0, 1, 0, 0, 0, 0, 0, 0, 0x80], // -9223372036854775807, 64 bits
  ];
  const cases: [string, Buffer, "ok" | "refused"][] = [
    [
      "a list (QUICKLIST of ziplists)",
      Buffer.concat([
        Buffer.from([14, 2]),
        rdbString(ziplistOf(["a", ...INTEGERS, "x".repeat(300)])),
        rdbString(ziplistOf(["b", "c"])),
      ]),
      "ok",
    ],
    [
      "a hash (ziplist of pairs)",
      Buffer.concat([
        Buffer.from([13]),
        rdbString(ziplistOf(["f", "v", "n", [0xc0, 0x39, 0x30]])),
      ]),
      "ok",
    ],
    [
      "a sorted set (ziplist of member, score)",
      Buffer.concat([
        Buffer.from([12]),
        rdbString(ziplistOf(["a", [0xf2], "b", "2.5", "c", "1e10"])),
      ]),
      "ok",
    ],
    [
      "a ziplist whose tail offset lies",
      Buffer.concat([
        Buffer.from([13]),
        rdbString(
          (() => {
            const zl = ziplistOf(["f", "v"]);
            zl.writeUInt32LE(10, 4);
            return zl;
          })(),
        ),
      ]),
      "refused",
    ],
  ];
  it.each(cases)("%s", async (_, value, outcome) => {
    const ours = await server.client();
    const key = keysForThisTest();
    const payload = payloadOf(value);
    let expected: unknown;
    try {
      await redis.restore(key("target"), 0, payload);
      expected = await contentsOf(redis, key("target"));
    } catch (error) {
      expected = await errorOf(Promise.reject(error));
    }
    let reply: unknown;
    try {
      await ours.restore(key("target"), 0, payload);
      reply = await contentsOf(ours, key("target"));
    } catch (error) {
      reply = await errorOf(Promise.reject(error));
    }
    expect(reply).toEqual(expected);
    expect(reply === BAD_DATA ? "refused" : "ok").toBe(outcome);
  });
});
// #endregion ziplists

/** The 8 bytes of a NaN double. */
function nanBytes(): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(NaN);
  return bytes;
}

/**
 * A DUMP payload around `value`, made here, independently of the code
 * under test: RDB version 10, then Redis's CRC64 (Jones polynomial,
 * reflected), computed bit by bit.
 */
function payloadOf(value: Buffer): Buffer {
  const body = Buffer.concat([value, Buffer.from([10, 0])]);
  let crc = 0n;
  for (const byte of body) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1n ? (crc >> 1n) ^ 0x95ac9329ac4bc9b5n : crc >> 1n;
    }
  }
  const footer = Buffer.alloc(8);
  footer.writeBigUInt64LE(crc);
  return Buffer.concat([body, footer]);
}
// #endregion payload-errors

// #region options
describe("RESTORE's options, in Redis's order of checks", () => {
  it("answers each mistake as Redis does", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    await ours.set(key("taken"), "v");
    await redis.set(key("taken"), "v");
    const cases: string[][] = [
      // Options are read first, then the key, then the TTL, then the payload.
      [key("taken"), "abc", "x", "FREQ", "300"],
      [key("taken"), "abc", "x"],
      [key("free"), "abc", "x"],
      [key("free"), "-1", "x"],
      [key("free"), "0", "x"],
      [key("free"), "0", "x", "bogus"],
      [key("free"), "0", "x", "IDLETIME"],
      [key("free"), "0", "x", "IDLETIME", "abc"],
      [key("free"), "0", "x", "IDLETIME", "-1"],
      [key("free"), "0", "x", "IDLETIME", "5", "FREQ", "3"],
      [key("free"), "0", "x", "FREQ", "3", "IDLETIME", "5"],
      [key("free"), "0", "x", "FREQ", "256"],
      [key("free"), "0", "x", "FREQ", "-1"],
      [key("free"), "0", "x", "REPLACE", "ABSTTL", "REPLACE", "ABSTTL"],
    ];
    for (const args of cases) {
      const expected = await errorOf(redis.call("RESTORE", ...args));
      expect(await errorOf(ours.call("RESTORE", ...args)), args.join(" ")).toBe(
        expected,
      );
    }
    expect(await errorOf(ours.call("RESTORE", key("taken"), "0", "x"))).toBe(
      BUSYKEY,
    );
    expect(await errorOf(ours.call("RESTORE", key("f"), "x", "x"))).toBe(
      NOT_AN_INTEGER,
    );
    expect(await errorOf(ours.call("RESTORE", key("f"), "0", "x", "x"))).toBe(
      SYNTAX_ERROR,
    );
  });

  it("REPLACE puts a value of another type over a key, and drops its TTL", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    await ours.rpush(key("list"), "a", "b");
    const payload = await ours.dumpBuffer(key("list"));
    await ours.set(key("target"), "old", "EX", 100);
    expect(await ours.restore(key("target"), 0, payload, "REPLACE")).toBe("OK");
    expect(await ours.type(key("target"))).toBe("list");
    expect(await ours.lrange(key("target"), 0, -1)).toEqual(["a", "b"]);
    expect(await ours.ttl(key("target"))).toBe(-1);
  });

  it("a relative TTL, an absolute one, and one already past", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    await ours.set(key("source"), "value");
    const payload = await ours.dumpBuffer(key("source"));
    await ours.restore(key("relative"), 50_000, payload);
    const pttl = await ours.pttl(key("relative"));
    expect(pttl).toBeGreaterThan(40_000);
    expect(pttl).toBeLessThanOrEqual(50_000);

    const [seconds] = await ours.time();
    const deadline = (Number(seconds) + 1000) * 1000;
    await ours.restore(key("absolute"), deadline, payload, "ABSTTL");
    expect(await ours.pexpiretime(key("absolute"))).toBe(deadline);

    // A deadline in the past: OK, and no key. With REPLACE, the old key goes.
    expect(await ours.restore(key("past"), 1, payload, "ABSTTL")).toBe("OK");
    expect(await ours.exists(key("past"))).toBe(0);
    await ours.set(key("replaced"), "old");
    const args = [key("replaced"), "1", payload, "ABSTTL", "REPLACE"];
    expect(await ours.call("RESTORE", ...args)).toBe("OK");
    expect(await ours.exists(key("replaced"))).toBe(0);
  });

  it("IDLETIME sets OBJECT IDLETIME; FREQ is accepted and ignored under an LRU policy", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    await ours.set(key("source"), "not a shared integer");
    const payload = await ours.dumpBuffer(key("source"));
    await ours.restore(key("idle"), 0, payload, "IDLETIME", 1000);
    const idle = Number(await ours.object("IDLETIME", key("idle")));
    expect(idle).toBeGreaterThanOrEqual(1000);
    expect(idle).toBeLessThan(1010);
    await ours.restore(key("freq"), 0, payload, "FREQ", 200);
    expect(await ours.get(key("freq"))).toBe("not a shared integer");
  });
});
// #endregion options

describe("what a RESTORE tells the rest of the server", () => {
  it("makes a WATCHing client's EXEC fail", async () => {
    const ours = await server.client();
    const other = await server.client();
    const key = keysForThisTest();
    await ours.set(key("source"), "v");
    const payload = await ours.dumpBuffer(key("source"));
    await ours.watch(key("watched"));
    await other.restore(key("watched"), 0, payload);
    expect(await ours.multi().get(key("watched")).exec()).toBeNull();
  });

  it("RESTORE-ASKING is RESTORE, outside a cluster too", async () => {
    const ours = await server.client();
    const key = keysForThisTest();
    await ours.set(key("source"), "v");
    const payload = await ours.dumpBuffer(key("source"));
    const args = [key("target"), "0", payload] as const;
    expect(await ours.call("RESTORE-ASKING", ...args)).toBe("OK");
    expect(await ours.get(key("target"))).toBe("v");
    expect(await errorOf(ours.call("RESTORE-ASKING", ...args))).toBe(BUSYKEY);
  });

  it("is replayed from the AOF with its deadline, and counted in its slot", async () => {
    const node = await nodeForThisTest({ args: ["--appendonly", "yes"] });
    let client = await soloNode(node);
    await client.rpush("list{a}", ...range(300, String));
    const payload = await client.dumpBuffer("list{a}");
    await client.restore("copy{a}", 100_000, payload);
    const deadline = await client.pexpiretime("copy{a}");
    const slot = String(await client.call("CLUSTER", "KEYSLOT", "copy{a}"));
    expect(await client.call("CLUSTER", "COUNTKEYSINSLOT", slot)).toBe(2);

    await node.stop("SIGTERM");
    await node.start();
    client = await whenOk(node);
    expect(await client.lrange("copy{a}", 0, -1)).toEqual(range(300, String));
    expect(await client.pexpiretime("copy{a}")).toBe(deadline);
    expect(await client.call("CLUSTER", "COUNTKEYSINSLOT", slot)).toBe(2);
  }, 30_000);
});

describe(
  "DUMP, RESTORE and RESTORE-ASKING in COMMAND INFO and COMMAND DOCS",
  { tags: ["fidelity"] },
  () => {
    it.each(["dump", "restore", "restore-asking"])("%s", async (name) => {
      const ours = await server.client();
      const [info] = (await ours.call("COMMAND", "INFO", name)) as unknown[][];
      const [expected] = (await redis.call(
        "COMMAND",
        "INFO",
        name,
      )) as unknown[][];
      expect(info!.slice(0, 8)).toEqual(expected!.slice(0, 8));
      expect(await docsWithoutKeySpecs(ours, name)).toEqual(
        await docsWithoutKeySpecs(redis, name),
      );
    });
  },
);
