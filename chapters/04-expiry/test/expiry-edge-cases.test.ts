/**
 * Article step 6 (what INFO says) and the problem log: deadlines and the rest of
 * the server. INFO keyspace's `expires=`; databases (a deadline belongs to
 * a key in one database, and SWAPDB carries it along); binary key names;
 * the `hz` setting that paces the active cycle; and the classic mistake of
 * mixing up seconds and milliseconds.
 *
 * Under REDIS_URL the tests share one real Redis with other files: they
 * work in databases 8 and 14, which only this file uses (tests within a
 * file run one after another, so emptying them inside a test is safe). A
 * test that changes `hz` puts the old value back when it ends.
 */
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  errorOf,
  infoField,
  keysForThisTest,
  pollUntil,
} from "./client-helpers.ts";

const server = useServer();

/** The databases this file owns on a shared server. */
const DB = 8;
const OTHER_DB = 14;

beforeAll(async () => {
  for (const db of [DB, OTHER_DB]) {
    const redis = await server.client({ db });
    await redis.flushdb();
  }
});

/** A client on database `db`, emptied first. */
async function clientOnEmptyDb(db: number): Promise<Redis> {
  const redis = await server.client({ db });
  await redis.flushdb();
  return redis;
}

/** 2100-01-01T00:00:00Z in seconds: a deadline no test run will reach. */
const YEAR_2100 = 4_102_444_800;
/** A TTL no test run will reach: keys with it must still be there. */
const LONG_TTL_S = 1_000;

/** The `dbN` line of INFO keyspace, without `dbN:` (undefined if the database is empty). */
async function keyspaceLine(
  redis: Redis,
  db: number,
): Promise<string | undefined> {
  return infoField(redis, "keyspace", `db${db}`);
}

/** Just `keys=N,expires=M` of it: avg_ttl is an estimate the active cycle updates. */
async function keyspaceCounts(
  redis: Redis,
  db: number,
): Promise<string | undefined> {
  return (await keyspaceLine(redis, db))?.replace(/,avg_ttl=\d+$/, "");
}

describe("INFO keyspace", () => {
  it("the line reads keys=N,expires=M,avg_ttl=T", async () => {
    const redis = await clientOnEmptyDb(DB);
    const key = keysForThisTest();
    await redis.set(key("k"), "v", "EX", LONG_TTL_S);
    expect(await keyspaceLine(redis, DB)).toMatch(
      /^keys=1,expires=1,avg_ttl=\d+$/,
    );
  });

  it("expires= counts the keys that have a deadline, as deadlines come and go", async () => {
    const redis = await clientOnEmptyDb(DB);
    const key = keysForThisTest();
    await redis.set(key("a"), "1", "EX", LONG_TTL_S);
    await redis.set(key("b"), "2", "EX", LONG_TTL_S);
    await redis.set(key("c"), "3");
    expect(await keyspaceCounts(redis, DB)).toBe("keys=3,expires=2");

    // A new deadline for a key that had one is not another key with one.
    await redis.expire(key("a"), LONG_TTL_S * 2);
    expect(await keyspaceCounts(redis, DB)).toBe("keys=3,expires=2");
    await redis.persist(key("a"));
    expect(await keyspaceCounts(redis, DB)).toBe("keys=3,expires=1");
    await redis.del(key("b"));
    expect(await keyspaceCounts(redis, DB)).toBe("keys=2,expires=0");
    await redis.expire(key("c"), LONG_TTL_S);
    expect(await keyspaceCounts(redis, DB)).toBe("keys=2,expires=1");
    // SET without KEEPTTL drops the deadline, and the count with it.
    await redis.set(key("c"), "4");
    expect(await keyspaceCounts(redis, DB)).toBe("keys=2,expires=0");
    await redis.flushdb();
    expect(await keyspaceLine(redis, DB)).toBeUndefined();
  });

  it("a key that expires leaves both counts", async () => {
    const redis = await clientOnEmptyDb(DB);
    const key = keysForThisTest();
    await redis.set(key("stays"), "v");
    await redis.set(key("goes"), "v", "PX", 50);
    await pollUntil(
      () => keyspaceCounts(redis, DB),
      "keys=1,expires=0",
      `db${DB} in INFO keyspace`,
    );
  });
});

describe("deadlines and databases", () => {
  it("the same name in two databases is two keys, with two deadlines", async () => {
    const eight = await clientOnEmptyDb(DB);
    const fourteen = await clientOnEmptyDb(OTHER_DB);
    const name = keysForThisTest()("k");
    await eight.set(name, "in 8", "EXAT", YEAR_2100);
    await fourteen.set(name, "in 14");

    expect(await fourteen.ttl(name)).toBe(-1);
    await fourteen.expireat(name, YEAR_2100 + 60);
    expect(await eight.expiretime(name)).toBe(YEAR_2100);
    await eight.persist(name);
    expect(await fourteen.expiretime(name)).toBe(YEAR_2100 + 60);
  });

  it("a key expiring in one database leaves its namesake in another", async () => {
    const eight = await clientOnEmptyDb(DB);
    const fourteen = await clientOnEmptyDb(OTHER_DB);
    const name = keysForThisTest()("k");
    await eight.set(name, "short-lived", "PX", 50);
    await fourteen.set(name, "stays");
    await pollUntil(() => eight.exists(name), 0, "the key in db 8");
    expect(await fourteen.get(name)).toBe("stays");
  });

  it("COPY ... DB gives the copy the same deadline", async () => {
    const eight = await clientOnEmptyDb(DB);
    const fourteen = await clientOnEmptyDb(OTHER_DB);
    const key = keysForThisTest();
    await eight.set(key("k"), "v", "PXAT", YEAR_2100 * 1000 + 5);
    expect(await eight.copy(key("k"), key("k"), "DB", OTHER_DB)).toBe(1);
    expect(await fourteen.pexpiretime(key("k"))).toBe(YEAR_2100 * 1000 + 5);
  });

  it("SWAPDB swaps the deadlines along with the keys", async () => {
    const eight = await clientOnEmptyDb(DB);
    const fourteen = await clientOnEmptyDb(OTHER_DB);
    const key = keysForThisTest();
    await eight.set(key("was-in-8"), "v", "EXAT", YEAR_2100);
    await eight.set(key("plain"), "8");
    await fourteen.set(key("was-in-14"), "v", "EXAT", YEAR_2100 + 60);
    await fourteen.set(key("plain"), "14", "EXAT", YEAR_2100 + 120);

    expect(await eight.swapdb(DB, OTHER_DB)).toBe("OK");

    expect(await eight.expiretime(key("was-in-14"))).toBe(YEAR_2100 + 60);
    expect(await eight.expiretime(key("plain"))).toBe(YEAR_2100 + 120);
    expect(await eight.ttl(key("was-in-8"))).toBe(-2);
    expect(await fourteen.expiretime(key("was-in-8"))).toBe(YEAR_2100);
    expect(await fourteen.ttl(key("plain"))).toBe(-1);
    // INFO agrees: the counts moved too.
    expect(await keyspaceCounts(eight, DB)).toBe("keys=2,expires=2");
    expect(await keyspaceCounts(eight, OTHER_DB)).toBe("keys=2,expires=1");
  });

  it("after SWAPDB, the active cycle still finds the keys that expire", async () => {
    const eight = await clientOnEmptyDb(DB);
    const fourteen = await clientOnEmptyDb(OTHER_DB);
    const key = keysForThisTest();
    for (let i = 0; i < 20; i++) {
      await fourteen.set(key(`${i}`), "v", "PX", 100);
    }
    await eight.swapdb(DB, OTHER_DB);
    // DBSIZE never looks a key up: only active expiry brings it down.
    await pollUntil(() => eight.dbsize(), 0, `DBSIZE of db ${DB}`);
  });
});

describe("binary key names", () => {
  it("a key named with NUL, CR, LF and 0xff takes a deadline like any other", async () => {
    const redis = await clientOnEmptyDb(DB);
    const name = Buffer.concat([
      Buffer.from(keysForThisTest()("")),
      Buffer.from([0x00, 0x0d, 0x0a, 0xff]),
    ]);
    await redis.set(name, "v");
    expect(await redis.expireat(name, YEAR_2100)).toBe(1);
    expect(await redis.expiretime(name)).toBe(YEAR_2100);
    expect(await redis.persist(name)).toBe(1);
    expect(await redis.ttl(name)).toBe(-1);
    expect(await redis.getex(name, "PXAT", YEAR_2100 * 1000 + 9)).toBe("v");
    expect(await redis.pexpiretime(name)).toBe(YEAR_2100 * 1000 + 9);
  });

  it("it expires without taking the key its name would be cut to at the NUL", async () => {
    const redis = await clientOnEmptyDb(DB);
    const prefix = Buffer.from(keysForThisTest()("k"));
    const name = Buffer.concat([prefix, Buffer.from([0x00, 0xff])]);
    await redis.set(prefix, "stays");
    await redis.set(name, "goes", "PX", 50);
    await pollUntil(() => redis.exists(name), 0, "the binary key");
    expect(await redis.get(prefix)).toBe("stays");
  });
});

describe("CONFIG hz", () => {
  /** Reads hz now, and puts it back when the test ends: the server may be shared. */
  async function keepHz(redis: Redis): Promise<void> {
    const [, hz] = (await redis.config("GET", "hz")) as [string, string];
    onTestFinished(async () => {
      await redis.config("SET", "hz", hz);
    });
  }

  it.each([
    ["1", "1"],
    ["500", "500"],
    ["20", "20"],
    // Out of range but accepted, and clamped to Redis's 1..500.
    ["0", "1"],
    ["501", "500"],
    ["1000", "500"],
  ])("CONFIG SET hz %s, then CONFIG GET hz says %s", async (value, shown) => {
    const redis = await server.client();
    await keepHz(redis);
    expect(await redis.config("SET", "hz", value)).toBe("OK");
    expect(await redis.config("GET", "hz")).toEqual(["hz", shown]);
  });

  it.each([
    [
      "-1",
      "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive",
    ],
    [
      "2147483648",
      "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive",
    ],
    [
      "abc",
      "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer",
    ],
    [
      "1.5",
      "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer",
    ],
  ])("CONFIG SET hz %s is refused, and hz stays", async (value, message) => {
    const redis = await server.client();
    await keepHz(redis);
    await redis.config("SET", "hz", "20");
    expect(await errorOf(redis.config("SET", "hz", value))).toBe(message);
    expect(await redis.config("GET", "hz")).toEqual(["hz", "20"]);
  });

  it("keys still expire at the slowest pace, hz 1", async () => {
    const redis = await clientOnEmptyDb(DB);
    await keepHz(redis);
    await redis.config("SET", "hz", "1");
    const key = keysForThisTest();
    for (let i = 0; i < 20; i++) await redis.set(key(`${i}`), "v", "PX", 50);
    // One cycle a second: this may take a second or two.
    await pollUntil(() => redis.dbsize(), 0, `DBSIZE of db ${DB}`);
  });
});

describe("seconds or milliseconds", () => {
  // The classic mix-up: EXPIRE takes seconds, PEXPIRE milliseconds. Read
  // one as the other and a key meant to live a second lives 16 minutes,
  // or one meant for 100 s is gone in a tenth of one.
  it("EXPIRE key 100 is 100 000 ms away, not 100", async () => {
    const redis = await server.client({ db: DB });
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.expire(key("k"), 100);
    const pttl = await redis.pttl(key("k"));
    expect(pttl).toBeGreaterThan(90_000);
    expect(pttl).toBeLessThanOrEqual(100_000);
  });

  it("PEXPIRE key 100000 is 100 s away, not 100 000", async () => {
    const redis = await server.client({ db: DB });
    const key = keysForThisTest();
    await redis.set(key("k"), "v");
    await redis.pexpire(key("k"), 100_000);
    const ttl = await redis.ttl(key("k"));
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
  });

  // Each of these asks for one second. A server that took it as 1000
  // seconds would fail the wait. (Taking 1000 ms as 1 ms is caught by the
  // tests above: here, a machine stalled for a second may find the keys
  // gone already at the first look, and that is fine.)
  it("EXPIRE key 1, PEXPIRE key 1000, SET ... EX 1 and SETEX key 1: a second later, gone", async () => {
    const redis = await server.client({ db: DB });
    const key = keysForThisTest();
    await redis.mset(key("expire"), "v", key("pexpire"), "v");
    await redis.expire(key("expire"), 1);
    await redis.pexpire(key("pexpire"), 1000);
    await redis.set(key("set"), "v", "EX", 1);
    await redis.setex(key("setex"), 1, "v");

    const names = ["expire", "pexpire", "set", "setex"];
    for (const name of names) {
      const pttl = await redis.pttl(key(name));
      expect(pttl, name).not.toBe(-1);
      expect(pttl, name).toBeLessThanOrEqual(1000);
    }
    for (const name of names) {
      await pollUntil(() => redis.exists(key(name)), 0, name);
    }
  });
});
