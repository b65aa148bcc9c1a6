/**
 * Article steps "DEL and UNLINK", "EXISTS", "TYPE", "RENAME and RENAMENX",
 * "COPY" and "RANDOMKEY": the commands that work on keys whatever they
 * hold. (KEYS and SCAN have their own suite.)
 *
 * Each test makes its own keys under a random prefix: the tests share a
 * server (a real Redis one under REDIS_URL, where other suites' keys are
 * around too) and must not see each other's data. RANDOMKEY, which looks
 * at the whole database, gets a database of its own.
 */
import { describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";
import { encodeCommand, expectBytes } from "./resp-helpers.ts";

const server = useServer();

/** A client on database `index` (SELECT), for checking what COPY ... DB wrote there. */
async function clientOnDatabase(index: number): Promise<Redis> {
  const redis = await server.client();
  await redis.select(index);
  return redis;
}

describe("DEL and UNLINK", () => {
  it.each(["DEL", "UNLINK"])(
    "%s deletes the keys and counts those that existed",
    async (command) => {
      const redis = await server.client();
      const key = keysForThisTest();
      await redis.mset(key("a"), "1", key("b"), "2", key("kept"), "3");
      expect(await redis.call(command, key("a"), key("b"), key("c"))).toBe(2);
      expect(await redis.exists(key("a"), key("b"), key("kept"))).toBe(1);
      expect(await redis.call(command, key("a"))).toBe(0);
    },
  );

  it.each(["DEL", "UNLINK"])(
    "%s of a key named twice deletes it once, and counts it once",
    async (command) => {
      const redis = await server.client();
      const key = keysForThisTest();
      await redis.set(key("a"), "1");
      expect(await redis.call(command, key("a"), key("a"))).toBe(1);
    },
  );

  it("DEL takes binary key names, and an empty value is a key to delete", async () => {
    const redis = await server.client();
    const name = Buffer.concat([
      Buffer.from(keysForThisTest()("")),
      Buffer.from([0x00, 0x0d, 0x0a, 0xff]),
    ]);
    await redis.set(name, "");
    expect(await redis.del(name)).toBe(1);
    expect(await redis.exists(name)).toBe(0);
  });

  it.each(["DEL", "UNLINK"])("%s needs at least one key", async (command) => {
    const redis = await server.client();
    expect(await errorOf(redis.call(command))).toBe(
      `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
    );
  });
});

describe("EXISTS", () => {
  it("counts the keys that exist, and a key named again counts again", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("a"), "1");
    expect(await redis.exists(key("a"))).toBe(1);
    expect(await redis.exists(key("missing"))).toBe(0);
    expect(
      await redis.exists(key("a"), key("a"), key("a"), key("missing")),
    ).toBe(3);
  });

  it("a key holding an empty string exists", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("empty"), "");
    expect(await redis.exists(key("empty"))).toBe(1);
  });

  it("needs at least one key", async () => {
    const redis = await server.client();
    expect(await errorOf(redis.call("EXISTS"))).toBe(
      "ERR wrong number of arguments for 'exists' command",
    );
  });
});

describe("TYPE", () => {
  it("answers string for a string, whichever command made it, and none for a missing key", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("set"), "v");
    await redis.incr(key("counter"));
    await redis.append(key("appended"), "");
    for (const name of ["set", "counter", "appended"]) {
      expect(await redis.type(key(name))).toBe("string");
    }
    expect(await redis.type(key("missing"))).toBe("none");
  });

  it("the answer is a simple string, not a bulk string", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    const client = await server.raw();
    await client.send(encodeCommand("TYPE", key("k")));
    await expectBytes(client, "+string\r\n");
    await client.send(encodeCommand("TYPE", key("missing")));
    await expectBytes(client, "+none\r\n");
  });

  it("takes exactly one key", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("TYPE", key("a"), key("b")))).toBe(
      "ERR wrong number of arguments for 'type' command",
    );
  });
});

describe("RENAME and RENAMENX", () => {
  it("RENAME moves the value to the new name, and the old name is gone", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("old"), "value");
    expect(await redis.rename(key("old"), key("new"))).toBe("OK");
    expect(await redis.exists(key("old"))).toBe(0);
    expect(await redis.get(key("new"))).toBe("value");
  });

  it("RENAME replaces whatever the new name held", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.mset(key("old"), "moved", key("new"), "replaced");
    expect(await redis.rename(key("old"), key("new"))).toBe("OK");
    expect(await redis.get(key("new"))).toBe("moved");
    expect(await redis.exists(key("old"))).toBe(0);
  });

  it("RENAME and RENAMENX of a missing key: no such key, even to its own name", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    for (const command of ["RENAME", "RENAMENX"]) {
      for (const to of [key("new"), key("missing")]) {
        expect(await errorOf(redis.call(command, key("missing"), to))).toBe(
          "ERR no such key",
        );
      }
    }
    expect(await redis.exists(key("new"))).toBe(0);
  });

  it("RENAME to the same name keeps the key (OK); RENAMENX answers 0", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "value");
    expect(await redis.rename(key("k"), key("k"))).toBe("OK");
    expect(await redis.renamenx(key("k"), key("k"))).toBe(0);
    expect(await redis.get(key("k"))).toBe("value");
  });

  it("RENAMENX renames only to a free name: 1 if it did, 0 if not", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.mset(key("a"), "1", key("taken"), "2");
    expect(await redis.renamenx(key("a"), key("taken"))).toBe(0);
    expect(await redis.mget(key("a"), key("taken"))).toEqual(["1", "2"]);
    expect(await redis.renamenx(key("a"), key("free"))).toBe(1);
    expect(await redis.mget(key("a"), key("free"))).toEqual([null, "1"]);
  });

  it("binary key names and values move unchanged", async () => {
    const redis = await server.client();
    const prefix = keysForThisTest()("");
    const from = Buffer.from(`${prefix}\0from\xff`, "latin1");
    const to = Buffer.from(`${prefix}\r\nto\0`, "latin1");
    const value = Buffer.from([0x00, 0xff, 0x0d, 0x0a]);
    await redis.set(from, value);
    expect(await redis.rename(from, to)).toBe("OK");
    expect(await redis.getBuffer(to)).toEqual(value);
    expect(await redis.exists(from)).toBe(0);
  });

  it.each(["RENAME", "RENAMENX"])(
    "%s takes exactly two keys",
    async (command) => {
      const redis = await server.client();
      const key = keysForThisTest();
      expect(await errorOf(redis.call(command, key("a")))).toBe(
        `ERR wrong number of arguments for '${command.toLowerCase()}' command`,
      );
    },
  );
});

describe("COPY", () => {
  it("copies a value to a new key (1), and the source stays", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("source"), "value");
    expect(await redis.copy(key("source"), key("copy"))).toBe(1);
    expect(await redis.mget(key("source"), key("copy"))).toEqual([
      "value",
      "value",
    ]);
  });

  it("the copy is independent: changing the source later does not change it", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("source"), "value");
    await redis.copy(key("source"), key("copy"));
    await redis.append(key("source"), "+more");
    await redis.setrange(key("source"), 0, "V");
    expect(await redis.get(key("copy"))).toBe("value");
  });

  it("does not overwrite an existing key (0), unless REPLACE is given", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.mset(key("source"), "new", key("copy"), "old");
    expect(await redis.copy(key("source"), key("copy"))).toBe(0);
    expect(await redis.get(key("copy"))).toBe("old");
    expect(await redis.copy(key("source"), key("copy"), "REPLACE")).toBe(1);
    expect(await redis.get(key("copy"))).toBe("new");
  });

  it("a missing source copies nothing (0), and creates nothing", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.copy(key("missing"), key("copy"))).toBe(0);
    expect(await redis.copy(key("missing"), key("copy"), "REPLACE")).toBe(0);
    expect(await redis.exists(key("copy"))).toBe(0);
  });

  it("copying a key onto itself is an error, even missing, with REPLACE, or with DB naming its database", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "value");
    const same = "ERR source and destination objects are the same";
    expect(await errorOf(redis.call("COPY", key("k"), key("k")))).toBe(same);
    expect(
      await errorOf(redis.call("COPY", key("missing"), key("missing"))),
    ).toBe(same);
    expect(
      await errorOf(redis.call("COPY", key("k"), key("k"), "REPLACE")),
    ).toBe(same);
    const db3 = await clientOnDatabase(3);
    expect(await errorOf(db3.call("COPY", key("k"), key("k"), "DB", "3"))).toBe(
      same,
    );
  });

  it("DB copies into another database, where the same name is a different key", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "value");
    expect(await redis.call("COPY", key("k"), key("k"), "DB", "1")).toBe(1);
    expect(await redis.call("COPY", key("k"), key("other"), "DB", "2")).toBe(1);

    const db1 = await clientOnDatabase(1);
    const db2 = await clientOnDatabase(2);
    expect(await db1.get(key("k"))).toBe("value");
    expect(await db2.get(key("other"))).toBe("value");
    // The source database has no new key.
    expect(await redis.exists(key("other"))).toBe(0);
  });

  it("DB with REPLACE overwrites in the other database; without it, the key there stays", async () => {
    const redis = await server.client();
    const db4 = await clientOnDatabase(4);
    const key = keysForThisTest();
    await redis.set(key("k"), "new");
    await db4.set(key("k"), "old");
    expect(await redis.call("COPY", key("k"), key("k"), "DB", "4")).toBe(0);
    expect(await db4.get(key("k"))).toBe("old");
    expect(
      await redis.call("COPY", key("k"), key("k"), "replace", "db", "4"),
    ).toBe(1);
    expect(await db4.get(key("k"))).toBe("new");
  });

  it("when DB is given twice, the last one counts", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    await redis.set(key("k"), "value");
    expect(
      await redis.call("COPY", key("k"), key("copy"), "DB", "5", "DB", "6"),
    ).toBe(1);
    const db5 = await clientOnDatabase(5);
    const db6 = await clientOnDatabase(6);
    expect(await db5.exists(key("copy"))).toBe(0);
    expect(await db6.get(key("copy"))).toBe("value");
  });

  it.each([
    [["DB", "16"], "ERR DB index is out of range"],
    [["DB", "-1"], "ERR DB index is out of range"],
    [["DB", "abc"], "ERR value is not an integer or out of range"],
    [["DB", "1.0"], "ERR value is not an integer or out of range"],
    [
      ["DB", "2147483648"],
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    ],
    [["DB"], "ERR syntax error"],
    [["FOO"], "ERR syntax error"],
    [["REPLACE", "DB"], "ERR syntax error"],
    // Options are read left to right: the first bad one answers.
    [["DB", "99", "DB", "1"], "ERR DB index is out of range"],
    [["DB", "1", "DB", "99"], "ERR DB index is out of range"],
  ])(
    "COPY source copy %j is refused with %j, before the source is looked at",
    async (options, message) => {
      const redis = await server.client();
      const key = keysForThisTest();
      await redis.set(key("source"), "value");
      expect(
        await errorOf(
          redis.call("COPY", key("source"), key("copy"), ...options),
        ),
      ).toBe(message);
      expect(
        await errorOf(
          redis.call("COPY", key("missing"), key("copy"), ...options),
        ),
      ).toBe(message);
      expect(await redis.exists(key("copy"))).toBe(0);
    },
  );

  it("takes at least a source and a destination", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await errorOf(redis.call("COPY", key("a")))).toBe(
      "ERR wrong number of arguments for 'copy' command",
    );
  });
});

describe("RANDOMKEY", () => {
  /**
   * RANDOMKEY sees the whole database, so its tests need one nobody else
   * writes to. Database 9 is theirs; emptied first, as a test before may
   * have left keys in it. (FLUSHDB, never FLUSHALL: under REDIS_URL the
   * other databases may belong to someone.)
   */
  async function emptyDatabase(): Promise<Redis> {
    const redis = await clientOnDatabase(9);
    await redis.flushdb();
    return redis;
  }

  it("answers null when the database is empty", async () => {
    const redis = await emptyDatabase();
    expect(await redis.randomkey()).toBeNull();
  });

  it("answers the only key there is, and null again once it is deleted", async () => {
    const redis = await emptyDatabase();
    const key = keysForThisTest();
    await redis.set(key("only"), "1");
    expect(await redis.randomkey()).toBe(key("only"));
    await redis.del(key("only"));
    expect(await redis.randomkey()).toBeNull();
  });

  it("answers one of the keys, every time", async () => {
    const redis = await emptyDatabase();
    const key = keysForThisTest();
    const names = ["a", "b", "c", "d", "e"].map(key);
    await redis.mset(...names.flatMap((name) => [name, "1"]));
    for (let i = 0; i < 20; i++) {
      expect(names).toContain(await redis.randomkey());
    }
  });

  it("answers a binary key name byte for byte", async () => {
    const redis = await emptyDatabase();
    const name = Buffer.concat([
      Buffer.from(keysForThisTest()("")),
      Buffer.from([0x00, 0x0d, 0x0a, 0xff, 0xe9]),
    ]);
    await redis.set(name, "1");
    expect(await redis.randomkeyBuffer()).toEqual(name);
  });

  it("takes no arguments", async () => {
    const redis = await server.client();
    expect(await errorOf(redis.call("RANDOMKEY", "x"))).toBe(
      "ERR wrong number of arguments for 'randomkey' command",
    );
  });
});
