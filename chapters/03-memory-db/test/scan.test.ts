/**
 * Article step 6: finding keys, with KEYS and with SCAN.
 *
 * KEYS answers with every matching key at once. SCAN walks the keyspace a
 * few buckets per call with a cursor the server does not remember, and
 * still promises that a key present for the whole walk is returned, even
 * if the table grows or shrinks in between. The last describe block puts
 * that promise under load.
 *
 * Neither command promises an order, so results are compared sorted (or as
 * sets: SCAN may return a key twice). Everything happens in database 12,
 * which no other test file uses, emptied before use.
 */
import { describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf } from "./client-helpers.ts";

const server = useServer();

const DB = 12;

/** A client on this file's database, emptied first. */
async function emptyDb(): Promise<Redis> {
  const redis = await server.client({ db: DB });
  await redis.flushdb();
  return redis;
}

/** `count` keys named `${prefix}0`, `${prefix}1`, ..., written in one MSET each 1000. */
async function writeKeys(
  redis: Redis,
  prefix: string,
  count: number,
  from = 0,
): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    await redis.mset(chunk.flatMap((key) => [key, "v"]));
  }
  return keys;
}

interface Walk {
  /** Every key returned: a set, as a walk may return a key twice. */
  keys: Set<string>;
  /** How many SCAN calls the walk took. */
  calls: number;
  /** Calls that returned no key, yet a cursor to go on with. */
  emptyButNotLast: number;
}

/**
 * A whole SCAN walk, from cursor 0 back to 0. `between` runs after each
 * call, to change the keyspace in the middle of the walk.
 */
async function scanAll(
  redis: Redis,
  options: string[] = [],
  between: (call: number) => Promise<void> = async () => {},
): Promise<Walk> {
  const walk: Walk = { keys: new Set(), calls: 0, emptyButNotLast: 0 };
  let cursor = "0";
  do {
    const [next, batch] = (await redis.call("SCAN", cursor, ...options)) as [
      string,
      string[],
    ];
    for (const key of batch) walk.keys.add(key);
    if (batch.length === 0 && next !== "0") walk.emptyButNotLast += 1;
    cursor = next;
    walk.calls += 1;
    await between(walk.calls);
  } while (cursor !== "0");
  return walk;
}

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

describe("KEYS", () => {
  const names = [
    "hello",
    "hallo",
    "hxllo",
    "hllo",
    "heeeello",
    "h[a]llo",
    "a*b",
    "axb",
    "user:1",
    "user:2",
    "user:10",
  ];

  it.each([
    ["*", names],
    ["h?llo", ["hallo", "hello", "hxllo"]],
    ["h*llo", ["hallo", "heeeello", "hello", "hllo", "hxllo", "h[a]llo"]],
    ["h[ae]llo", ["hallo", "hello"]],
    ["h[^e]llo", ["hallo", "hxllo"]],
    ["h[a-b]llo", ["hallo"]],
    // A backslash takes the next character literally.
    ["h\\[a\\]llo", ["h[a]llo"]],
    ["a\\*b", ["a*b"]],
    ["user:?", ["user:1", "user:2"]],
    ["user:*", ["user:1", "user:10", "user:2"]],
    // Patterns are case-sensitive, and match whole keys.
    ["HELLO", []],
    ["ello", []],
    ["no-such-*", []],
  ])("KEYS %j matches %j", async (pattern, expected) => {
    const redis = await emptyDb();
    await redis.mset(names.flatMap((key) => [key, "v"]));
    expect(sorted(await redis.keys(pattern))).toEqual(sorted(expected));
  });

  it("an empty database has no keys", async () => {
    const redis = await emptyDb();
    expect(await redis.keys("*")).toEqual([]);
  });

  it("keys are binary-safe", async () => {
    const redis = await emptyDb();
    const key = Buffer.from([0xff, 0x00, 0x0d, 0x0a, 0x41]);
    await redis.set(key, "v");
    expect(await redis.keysBuffer("*")).toEqual([key]);
    // The pattern "\xff*", as bytes.
    const pattern = Buffer.from([0xff, 0x2a]);
    expect(await redis.callBuffer("KEYS", pattern)).toEqual([key]);
  });
});

describe("SCAN: a full walk", () => {
  it("returns every key, ending at cursor 0", async () => {
    const redis = await emptyDb();
    const keys = await writeKeys(redis, "key:", 1000);
    const walk = await scanAll(redis);
    expect(sorted(walk.keys)).toEqual(sorted(keys));
  });

  it("an empty database is walked in one call", async () => {
    const redis = await emptyDb();
    expect(await redis.scan("0")).toEqual(["0", []]);
  });

  it("COUNT is how much work a call does: bigger means fewer calls", async () => {
    const redis = await emptyDb();
    const keys = await writeKeys(redis, "key:", 1000);

    // More than the table holds: the first call walks it all.
    const fast = await scanAll(redis, ["COUNT", "5000"]);
    expect(sorted(fast.keys)).toEqual(sorted(keys));
    expect(fast.calls).toBe(1);

    // A key or so per call: hundreds of calls, still every key.
    const slow = await scanAll(redis, ["COUNT", "1"]);
    expect(sorted(slow.keys)).toEqual(sorted(keys));
    expect(slow.calls).toBeGreaterThan(100);
  });

  it("MATCH filters the keys a call looked at", async () => {
    const redis = await emptyDb();
    const users = await writeKeys(redis, "user:", 300);
    await writeKeys(redis, "order:", 300);
    const walk = await scanAll(redis, ["MATCH", "user:*"]);
    expect(sorted(walk.keys)).toEqual(sorted(users));
  });

  it("MATCH filters after the walk, so a call can return nothing and not be the last", async () => {
    const redis = await emptyDb();
    await writeKeys(redis, "key:", 200);
    await redis.set("needle", "v");
    const walk = await scanAll(redis, ["MATCH", "needle", "COUNT", "5"]);
    expect([...walk.keys]).toEqual(["needle"]);
    expect(walk.emptyButNotLast).toBeGreaterThan(0);
  });

  it("options may come in any order and letter case; the last COUNT wins", async () => {
    const redis = await emptyDb();
    const users = await writeKeys(redis, "user:", 50);
    await writeKeys(redis, "order:", 50);
    const walk = await scanAll(redis, [
      "count",
      "3",
      "match",
      "user:*",
      "CoUnT",
      "1000",
    ]);
    expect(sorted(walk.keys)).toEqual(sorted(users));
    expect(walk.calls).toBe(1);
  });
});

describe("the empty key name and a lone *", () => {
  // In Redis's glob, * needs at least one byte, yet KEYS * and SCAN MATCH *
  // list every key, "" included: a lone * is answered without matching.
  it('KEYS * and SCAN MATCH * list the key named ""; ** does not', async () => {
    const redis = await emptyDb();
    await redis.mset("", "empty", "a", "1");
    expect((await redis.keys("*")).sort()).toEqual(["", "a"]);
    expect((await redis.keys("**")).sort()).toEqual(["a"]);
    expect([...(await scanAll(redis, ["MATCH", "*"])).keys].sort()).toEqual([
      "",
      "a",
    ]);
    expect([...(await scanAll(redis, ["MATCH", "**"])).keys].sort()).toEqual([
      "a",
    ]);
  });
});

describe("glob patterns, quirks included, in KEYS and SCAN MATCH alike", () => {
  // Single-byte keys, and a few longer ones, written as bytes (latin1:
  // "\xff" is the byte 0xff). Each row's answer is redis-server 7.0.15's.
  const KEYS = [
    "\x00",
    "*",
    "-",
    "\\",
    "]",
    "^",
    "`",
    "a",
    "b",
    "m",
    "x",
    "z",
    "\x80",
    "\xff",
    "[abc",
    "x[",
    "abc",
    "a\x00c",
    "a\xffc",
  ];

  /** What KEYS and a whole SCAN MATCH walk answer for `pattern`, as latin1, sorted. */
  async function matchedBy(
    pattern: string,
  ): Promise<{ keys: string[]; scan: string[] }> {
    const redis = await emptyDb();
    await redis.mset(KEYS.flatMap((key) => [Buffer.from(key, "latin1"), "v"]));
    const bytes = Buffer.from(pattern, "latin1");
    const keys = (await redis.callBuffer("KEYS", bytes)) as Buffer[];
    const scan = new Set<string>();
    let cursor = "0";
    do {
      const [next, batch] = (await redis.callBuffer(
        "SCAN",
        cursor,
        "MATCH",
        bytes,
      )) as [Buffer, Buffer[]];
      for (const key of batch) scan.add(key.toString("latin1"));
      cursor = next.toString();
    } while (cursor !== "0");
    return {
      keys: sorted(keys.map((key) => key.toString("latin1"))),
      scan: sorted(scan),
    };
  }

  it.each([
    ["[z-a]", ["a", "b", "m", "x", "z"], "a reversed range means the same"],
    [
      "[^a-z]",
      ["\x00", "*", "-", "\\", "]", "^", "`", "\x80", "\xff"],
      "^ negates a range",
    ],
    ["\\*", ["*"], "a backslash makes * plain"],
    ["x\\[", ["x["], "and [ too"],
    ["[\\]]", ["]"], "and ] between brackets"],
    [
      "a?c",
      ["a\x00c", "a\xffc", "abc"],
      "? matches any byte, NUL and 0xff too",
    ],
    ["?", KEYS.filter((key) => key.length === 1), "? is exactly one byte"],
  ])("%j matches %j (%s)", async (pattern, expected) => {
    const { keys, scan } = await matchedBy(pattern);
    expect(keys).toEqual(sorted(expected));
    expect(scan).toEqual(sorted(expected));
  });

  // Malformed patterns are no error: they mean what Redis's loop makes of
  // them (the article lists the rules).
  it.each([
    ["[a-]", ["]", "^", "`", "a"], "a range from ] to a, the [ left open"],
    ["[abc", ["a", "b"], "an unclosed [ runs to the end of the pattern"],
    ["x[", [], "a [ at the very end matches nothing"],
    [
      "[a-\xff]",
      ["\x00", "*", "-", "\\", "]", "^", "`", "a", "\xff"],
      "ranges compare signed chars: 0xff is -1, below a",
    ],
  ])(
    "%j matches %j (%s)",
    { tags: ["fidelity"] },
    async (pattern, expected) => {
      const { keys, scan } = await matchedBy(pattern);
      expect(keys).toEqual(sorted(expected));
      expect(scan).toEqual(sorted(expected));
    },
  );

  // Matched by trying every position after every star, as Redis did before
  // CVE-2022-36021, the key without a b would take some 10^33 steps. No
  // stopwatch: the test's own timeout is the limit.
  it("a pattern with ten stars against 10,000 a's is answered", async () => {
    const redis = await emptyDb();
    const noB = "a".repeat(10_000);
    await redis.mset(noB, "v", `${noB}b`, "v");
    const pattern = `${"*a".repeat(10)}*b`;
    expect(await redis.keys(pattern)).toEqual([`${noB}b`]);
    const walk = await scanAll(redis, ["MATCH", pattern]);
    expect([...walk.keys]).toEqual([`${noB}b`]);
  });
});

describe("SCAN: TYPE", () => {
  // Redis 7.0 compares the type name ignoring letter case.
  it.each(["string", "STRING", "String"])(
    "TYPE %s returns the strings",
    async (type) => {
      const redis = await emptyDb();
      const keys = await writeKeys(redis, "key:", 100);
      const walk = await scanAll(redis, ["TYPE", type]);
      expect(sorted(walk.keys)).toEqual(sorted(keys));
    },
  );

  it("TYPE list returns nothing when there are only strings", async () => {
    const redis = await emptyDb();
    await writeKeys(redis, "key:", 100);
    const walk = await scanAll(redis, ["TYPE", "list"]);
    expect(walk.keys.size).toBe(0);
  });

  // Redis compares the name with C's strcasecmp(), which stops at a NUL
  // byte. Found by differential fuzzing against redis-server.
  it(
    "the type name ends at a NUL byte, as a C string does",
    { tags: ["fidelity"] },
    async () => {
      const redis = await emptyDb();
      const keys = await writeKeys(redis, "key:", 20);
      const walk = await scanAll(redis, ["TYPE", "string\0junk"]);
      expect(sorted(walk.keys)).toEqual(sorted(keys));
    },
  );

  // Redis 7.0 takes any name, and no key has an unknown type. (Redis 7.2
  // made it an error: "ERR unknown type name".)
  it("an unknown type matches nothing, without an error", async () => {
    const redis = await emptyDb();
    await writeKeys(redis, "key:", 100);
    const walk = await scanAll(redis, ["TYPE", "no-such-type"]);
    expect(walk.keys.size).toBe(0);
  });
});

describe("SCAN: the cursor and the options, parsed as Redis parses them", () => {
  /** Three keys: one call from cursor 0 returns them all. */
  const three = ["a", "b", "c"];

  it.each(["0", "+0", "", "00", "-0"])(
    "cursor %j means the start",
    async (cursor) => {
      const redis = await emptyDb();
      await redis.mset(three.flatMap((key) => [key, "v"]));
      const [next, keys] = (await redis.call("SCAN", cursor)) as [
        string,
        string[],
      ];
      expect(next).toBe("0");
      expect(sorted(keys)).toEqual(three);
    },
  );

  // Read as an unsigned 64-bit number: -1 is 2^64 - 1, every bit set,
  // which is the last bucket of any table. The walk ends there.
  it.each(["-1", "18446744073709551615", "-1\0"])(
    "cursor %j is the last step of a walk",
    async (cursor) => {
      const redis = await emptyDb();
      await redis.mset(three.flatMap((key) => [key, "v"]));
      const [next] = (await redis.call("SCAN", cursor)) as [string];
      expect(next).toBe("0");
    },
  );

  // Redis reads the cursor with C's strtoul(), which stops at a NUL byte:
  // what follows it is never looked at ("-1\0" above is -1). Found by
  // differential fuzzing against redis-server.
  it.each(["0\0junk", "\0"])(
    "cursor %j is read up to its NUL byte: the start",
    async (cursor) => {
      const redis = await emptyDb();
      await redis.mset(three.flatMap((key) => [key, "v"]));
      const [next, keys] = (await redis.call("SCAN", cursor)) as [
        string,
        string[],
      ];
      expect(next).toBe("0");
      expect(sorted(keys)).toEqual(three);
    },
  );

  it.each([
    "0x1",
    "18446744073709551616",
    "1.0",
    " 1",
    "1 ",
    "-",
    "+",
    "abc",
    "-\x001",
  ])("cursor %j is refused with ERR invalid cursor", async (cursor) => {
    const redis = await emptyDb();
    await redis.set("a", "v");
    expect(await errorOf(redis.call("SCAN", cursor))).toBe(
      "ERR invalid cursor",
    );
  });

  it.each([
    [["COUNT", "0"], "ERR syntax error"],
    [["COUNT", "-1"], "ERR syntax error"],
    [["COUNT", "x"], "ERR value is not an integer or out of range"],
    [["COUNT", "1.5"], "ERR value is not an integer or out of range"],
    [
      ["COUNT", "9223372036854775808"],
      "ERR value is not an integer or out of range",
    ],
    [["COUNT"], "ERR syntax error"],
    [["MATCH"], "ERR syntax error"],
    [["TYPE"], "ERR syntax error"],
    [["LIMIT", "10"], "ERR syntax error"],
    [["MATCH", "*", "COUNT"], "ERR syntax error"],
  ])("SCAN 0 %j is refused with %j", async (options, message) => {
    const redis = await emptyDb();
    await redis.set("a", "v");
    expect(await errorOf(redis.call("SCAN", "0", ...options))).toBe(message);
  });

  // The cursor was once turned into a BigInt before its size was checked:
  // 50 MB of digits took ten seconds, with every client waiting.
  it("a cursor of 50 million digits is refused at once", async () => {
    // A server that turned the digits into a BigInt before checking the
    // range would take minutes here, and the test's timeout catches that.
    // No stopwatch: a wall-clock limit would fail on a busy machine.
    const redis = await emptyDb();
    expect(await errorOf(redis.call("SCAN", "1".repeat(50_000_000)))).toBe(
      "ERR invalid cursor",
    );
  });

  it("leading zeros do not count: a million of them, then 0, is the start", async () => {
    const redis = await emptyDb();
    await redis.mset(three.flatMap((key) => [key, "v"]));
    const [next, keys] = (await redis.call("SCAN", "0".repeat(1_000_000))) as [
      string,
      string[],
    ];
    expect(next).toBe("0");
    expect(sorted(keys)).toEqual(three);
  });
});

describe("SCAN: keys present for the whole walk are returned, whatever happens in between", () => {
  // Redis's guarantee, and the reason for its odd cursor order: a walk may
  // return a key twice, and may or may not return keys added or deleted
  // during it, but never misses one that was there from start to end.

  const ORIGINALS = 1000;
  /** Keys added, then deleted, in steps of this many: enough to double the table several times. */
  const STEP = 1500;
  const STEPS = 10;

  it("while the table grows, then shrinks again", async () => {
    const redis = await emptyDb();
    const originals = await writeKeys(redis, "original:", ORIGINALS);

    const walk = await scanAll(redis, ["COUNT", "20"], async (call) => {
      if (call <= STEPS) {
        await writeKeys(redis, "churn:", STEP, (call - 1) * STEP);
      } else if (call <= 2 * STEPS) {
        const step = call - STEPS - 1;
        await deleteKeys(redis, "churn:", STEP, step * STEP);
      }
    });

    expect(originals.filter((key) => !walk.keys.has(key))).toEqual([]);
    expect(await redis.dbsize()).toBe(ORIGINALS);
  });

  it("while the table shrinks, then grows again", async () => {
    const redis = await emptyDb();
    const originals = await writeKeys(redis, "original:", ORIGINALS);
    await writeKeys(redis, "churn:", STEP * STEPS);

    const walk = await scanAll(redis, ["COUNT", "20"], async (call) => {
      if (call <= STEPS) {
        await deleteKeys(redis, "churn:", STEP, (call - 1) * STEP);
      } else if (call <= 2 * STEPS) {
        const step = call - STEPS - 1;
        await writeKeys(redis, "churn:", STEP, step * STEP);
      }
    });

    expect(originals.filter((key) => !walk.keys.has(key))).toEqual([]);
    expect(await redis.dbsize()).toBe(ORIGINALS + STEP * STEPS);
  });
});

/** Deletes the keys `writeKeys` made with the same arguments. */
async function deleteKeys(
  redis: Redis,
  prefix: string,
  count: number,
  from: number,
): Promise<void> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
  expect(await redis.del(keys)).toBe(count);
}
