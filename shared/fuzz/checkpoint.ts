/**
 * Checkpoints: the whole state of both servers, compared database by
 * database. A reply can agree while the data behind it has drifted (a
 * deadline kept that should have gone, a key left in the wrong database);
 * this finds the drift near where it started.
 *
 * In every database: DBSIZE, KEYS * (sorted), and for each key its TYPE,
 * its PTTL from chapter 04 on (close, not equal: see CLOCK_LAG_MS), its
 * OBJECT ENCODING where the chapter has OBJECT (so a hash or a set that
 * left its compact encoding where Redis's did not shows up), and its
 * value, read by the command VALUE_READERS names for its type. Chapters
 * that add types add a reader each; an unordered type, a set or a hash,
 * has its reply's items sorted before comparing (a hash's as pairs). A
 * sorted set is ordered: its members and scores must be the same to the
 * byte, scores written as Redis writes them.
 */
import { askBoth, type Peer } from "./peer.ts";
import { closeMilliseconds } from "./normalise.ts";
import { escapeBytes, type RespReply } from "./resp.ts";
import { elementsOf, itemsOf } from "./exchange.ts";

/**
 * The command that reads a value of each type, by TYPE's answer, and how
 * its replies compare: byte for byte, or as items in any order, taken
 * one (a set's members) or two (a hash's fields and values) at a time.
 */
const VALUE_READERS: Readonly<
  Record<string, { read: (key: Buffer) => Buffer[]; unordered?: 1 | 2 }>
> = {
  string: { read: (key) => [word("GET"), key] },
  list: { read: (key) => [word("LRANGE"), key, word("0"), word("-1")] },
  hash: { read: (key) => [word("HGETALL"), key], unordered: 2 },
  set: { read: (key) => [word("SMEMBERS"), key], unordered: 1 },
  zset: {
    read: (key) => [
      word("ZRANGE"),
      key,
      word("0"),
      word("-1"),
      word("WITHSCORES"),
    ],
  },
};

export interface StateDifference {
  /** What was compared: `db 3: KEYS *`, `db 0 key "a": PTTL`. */
  readonly what: string;
  readonly ours: RespReply;
  readonly redis: RespReply;
}

function word(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Compares every database; returns the differences found (none when the states agree). */
export async function compareState(
  ours: Peer,
  redis: Peer,
  databases: number,
  has: (command: string) => boolean,
): Promise<StateDifference[]> {
  // Deadlines exist from the chapter that has PTTL on.
  const readings = [["TYPE"], ["PTTL"], ["OBJECT", "ENCODING"]].filter(
    ([name]) => name === "TYPE" || has(name!.toLowerCase()),
  );
  const differences: StateDifference[] = [];
  for (let db = 0; db < databases; db++) {
    const [a, b] = await askBoth(ours, redis, [
      [word("SELECT"), word(String(db))],
      [word("DBSIZE")],
      [word("KEYS"), word("*")],
    ]);
    const where = `db ${db}`;
    for (const [i, what] of [
      [0, "SELECT"],
      [1, "DBSIZE"],
    ] as const) {
      if (!a[i]!.raw.equals(b[i]!.raw)) {
        differences.push({
          what: `${where}: ${what}`,
          ours: a[i]!,
          redis: b[i]!,
        });
      }
    }
    const oursKeys = keysIn(a[2]!);
    const redisKeys = keysIn(b[2]!);
    if (oursKeys.join("\n") !== redisKeys.join("\n")) {
      differences.push({ what: `${where}: KEYS *`, ours: a[2]!, redis: b[2]! });
    }
    const all = [...new Set([...oursKeys, ...redisKeys])].map((hex) =>
      Buffer.from(hex, "hex"),
    );
    if (all.length === 0) continue;

    const per = readings.length;
    const [oursReadings, redisReadings] = await askBoth(
      ours,
      redis,
      all.flatMap((key) => readings.map((words) => [...words.map(word), key])),
    );
    const reads: { words: Buffer[]; unordered?: 1 | 2 }[] = [];
    all.forEach((key, i) => {
      const about = `${where} key "${escapeBytes(key, 60)}"`;
      const [typeA, ...restA] = oursReadings.slice(per * i, per * i + per);
      const [typeB, ...restB] = redisReadings.slice(per * i, per * i + per);
      const hasTtl = readings.some(([name]) => name === "PTTL");
      const [ttlA, encodingA] = hasTtl ? restA : [undefined, ...restA];
      const [ttlB, encodingB] = hasTtl ? restB : [undefined, ...restB];
      if (!typeA!.raw.equals(typeB!.raw)) {
        differences.push({
          what: `${about}: TYPE`,
          ours: typeA!,
          redis: typeB!,
        });
      } else {
        const reader = VALUE_READERS[typeA!.data?.toString("latin1") ?? ""];
        if (reader !== undefined) {
          reads.push({ words: reader.read(key), unordered: reader.unordered });
        }
      }
      if (encodingA !== undefined && !encodingA.raw.equals(encodingB!.raw)) {
        differences.push({
          what: `${about}: OBJECT ENCODING`,
          ours: encodingA,
          redis: encodingB!,
        });
      }
      if (
        ttlA !== undefined &&
        ttlB !== undefined &&
        !ttlA.raw.equals(ttlB.raw) &&
        !closeMilliseconds(ttlA, ttlB)
      ) {
        differences.push({ what: `${about}: PTTL`, ours: ttlA, redis: ttlB });
      }
    });
    if (reads.length === 0) continue;
    const [valuesA, valuesB] = await askBoth(
      ours,
      redis,
      reads.map((read) => read.words),
    );
    reads.forEach(({ words, unordered }, i) => {
      const [a, b] = [valuesA[i]!, valuesB[i]!];
      const same =
        unordered === undefined
          ? a.raw.equals(b.raw)
          : a.type === b.type &&
            sortedItems(a, unordered) === sortedItems(b, unordered);
      if (!same) {
        differences.push({
          what: `${where} key "${escapeBytes(words[1]!, 60)}": ${words[0]!.toString("latin1")}`,
          ours: valuesA[i]!,
          redis: valuesB[i]!,
        });
      }
    });
  }
  return differences;
}

/**
 * An array's (or a RESP3 set's or map's) items, `per` at a time, as one
 * sorted text: equal for two replies that hold the same items in any
 * order.
 */
function sortedItems(reply: RespReply, per: 1 | 2): string {
  const items = (elementsOf(reply) ?? []).map((item) =>
    item.raw.toString("hex"),
  );
  const groups: string[] = [];
  for (let i = 0; i < items.length; i += per) {
    groups.push(items.slice(i, i + per).join(" "));
  }
  return groups.sort().join("\n");
}

/** KEYS' answer as sorted hex strings (an error or a non-array lists nothing). */
function keysIn(reply: RespReply): string[] {
  return (itemsOf(reply) ?? [])
    .map((item) => (item.data ?? Buffer.alloc(0)).toString("hex"))
    .sort();
}
