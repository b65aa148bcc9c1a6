/**
 * DUMP payloads without a server: every kind of value, written and read
 * back to the same contents, encoding and bytes; and a RESTORE payload is
 * a client's bytes, so damaged ones, seeded at random, must give one of
 * Redis's two errors, never an exception, a hang or a huge allocation.
 * Most damage is caught by the CRC, so half the rounds fix the CRC after
 * damaging the value: those reach the value reader itself.
 *
 * Seeded, so a failure can be replayed.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../shared/seeded-random.ts";
import { DEFAULT_ENCODING_SETTINGS } from "../../src/config/encoding-directives.ts";
import type { RedisValue } from "../../src/keyspace/keyspace.ts";
import { crc64 } from "../../src/rdb/crc64.ts";
import {
  BAD_DATA_ERROR,
  BAD_PAYLOAD_ERROR,
  createDumpPayload,
  readDumpPayload,
} from "../../src/rdb/dump-payload.ts";
import { RedisHash } from "../../src/types/hash.ts";
import { Quicklist } from "../../src/types/quicklist.ts";
import { RedisSet } from "../../src/types/set.ts";
import { RedisSortedSet } from "../../src/types/sorted-set.ts";

const SETTINGS = DEFAULT_ENCODING_SETTINGS;
const SEED = 20_261_207;
const ROUNDS = 3000;

// #region samples
const range = (n: number, f: (i: number) => string): string[] =>
  Array.from({ length: n }, (_, i) => f(i));

function listOf(values: string[]): Quicklist {
  const list = new Quicklist(SETTINGS.listMaxListpackSize);
  for (const value of values) list.pushTail(value);
  return list;
}

function hashOf(fields: string[]): RedisHash {
  const hash = new RedisHash();
  for (const field of fields) hash.set(field, `value of ${field}`, SETTINGS);
  return hash;
}

function setOf(members: string[]): RedisSet {
  const set = new RedisSet();
  for (const member of members) set.add(member, SETTINGS.setMaxIntsetEntries);
  return set;
}

function zsetOf(members: string[]): RedisSortedSet {
  const zset = new RedisSortedSet();
  members.forEach((member, i) => zset.add(member, i / 3, SETTINGS));
  return zset;
}

/** One value of every kind, in every encoding. */
const SAMPLES: [string, () => RedisValue][] = [
  ["integer string", () => "-123456"],
  ["short string", () => "hello"],
  ["compressible string", () => "abcd".repeat(100)],
  ["list", () => listOf(range(20, (i) => `e${i}`))],
  ["long list", () => listOf(range(3000, (i) => String(i * 31)))],
  ["intset", () => setOf(range(10, String))],
  ["hashtable set", () => setOf(range(10, (i) => `m${i}`))],
  ["listpack hash", () => hashOf(range(10, (i) => `f${i}`))],
  ["hashtable hash", () => hashOf(range(600, (i) => `f${i}`))],
  ["listpack zset", () => zsetOf(range(10, (i) => `m${i}`))],
  ["skiplist zset", () => zsetOf(range(300, (i) => `m${i}`))],
];
// #endregion samples

/** The contents of a value, comparable with toEqual. */
function contentsOf(value: RedisValue): unknown {
  if (typeof value === "string") return value;
  if (value instanceof Quicklist) return [...value.entries()];
  if (value instanceof RedisHash) return [...value.entries()].sort();
  if (value instanceof RedisSet) return [...value.members()].sort();
  if (value instanceof RedisSortedSet) return [...value.entries()];
  return value.toString();
}

describe("DUMP payloads", () => {
  it.each(SAMPLES)("%s reads back the same", (_, make) => {
    const value = make();
    const payload = createDumpPayload(value);
    const read = readDumpPayload(payload, SETTINGS);
    if (!("value" in read)) throw new Error(read.error);
    expect(contentsOf(read.value)).toEqual(contentsOf(value));
    if (typeof value !== "string" && typeof read.value !== "string") {
      expect(read.value.encoding).toBe(value.encoding);
    }
    // Written again, the very same bytes (hash tables aside: a new table
    // may order its members differently).
    if (!["hashtable set", "hashtable hash"].includes(_)) {
      expect(createDumpPayload(read.value).equals(payload)).toBe(true);
    }
  });
});

// #region garbage
/** `body` with a correct footer: RDB version 10 and the CRC. */
function sealed(body: Buffer): Buffer {
  const versioned = Buffer.concat([body, Buffer.from([10, 0])]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(versioned));
  return Buffer.concat([versioned, crc]);
}

describe(`damaged payloads (seed ${SEED})`, () => {
  it("give Redis's errors, never an exception", () => {
    const random = seededRandom(SEED);
    const payloads = SAMPLES.map(([, make]) => createDumpPayload(make()));
    const seen = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const good = payloads[random.below(payloads.length)]!;
      const body = Buffer.from(good.subarray(0, -10));
      const damage = random.below(4);
      let damaged: Buffer;
      if (damage === 0) {
        // A few bytes changed at random.
        for (let i = 0; i <= random.below(4); i++) {
          body[random.below(body.length)] = random.below(256);
        }
        damaged = body;
      } else if (damage === 1) {
        damaged = body.subarray(0, random.below(body.length));
      } else if (damage === 2) {
        damaged = random.bytes(random.below(64));
      } else {
        // A length byte that lies: a huge 32-bit or 64-bit length.
        const at = random.below(body.length);
        damaged = Buffer.concat([
          body.subarray(0, at),
          Buffer.from([random.below(2) ? 0x80 : 0x81]),
          random.bytes(8),
          body.subarray(at),
        ]);
      }
      const payload =
        random.below(2) === 0
          ? sealed(damaged)
          : Buffer.concat([damaged, good.subarray(-10)]);
      const read = readDumpPayload(payload, SETTINGS);
      if ("error" in read) {
        expect([BAD_DATA_ERROR, BAD_PAYLOAD_ERROR]).toContain(read.error);
        seen.add(read.error);
      } else {
        seen.add("value");
      }
    }
    // Every outcome happened: the rounds reached past the CRC check.
    expect([...seen].sort()).toEqual(
      [BAD_DATA_ERROR, BAD_PAYLOAD_ERROR, "value"].sort(),
    );
  });

  it("refuses the RDB versions after 10, and a zero CRC", () => {
    const payload = createDumpPayload("value");
    const newer = Buffer.from(payload);
    newer[payload.length - 10] = 11;
    expect(readDumpPayload(newer, SETTINGS)).toEqual({
      error: BAD_PAYLOAD_ERROR,
    });
    const zeroCrc = Buffer.concat([payload.subarray(0, -8), Buffer.alloc(8)]);
    expect(readDumpPayload(zeroCrc, SETTINGS)).toEqual({
      error: BAD_PAYLOAD_ERROR,
    });
  });
});
// #endregion garbage
