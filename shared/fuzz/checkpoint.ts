/**
 * Checkpoints: the whole state of both servers, compared database by
 * database. A reply can agree while the data behind it has drifted (a
 * deadline kept that should have gone, a key left in the wrong database);
 * this finds the drift near where it started.
 *
 * In every database: DBSIZE, KEYS * (sorted), and for each key its TYPE,
 * its PTTL from chapter 04 on (close, not equal: see CLOCK_LAG_MS) and its
 * value, read by the command VALUE_READERS names for its type. Chapters
 * that add types add a reader each (an unordered type, a set or a hash,
 * needs its reply sorted before comparing).
 */
import { askBoth, type Peer } from "./peer.ts";
import { closeMilliseconds } from "./normalise.ts";
import { escapeBytes, type RespReply } from "./resp.ts";
import { itemsOf } from "./exchange.ts";

/** The command that reads a value of each type, by TYPE's answer. */
const VALUE_READERS: Readonly<Record<string, (key: Buffer) => Buffer[]>> = {
  string: (key) => [Buffer.from("GET"), key],
  list: (key) => [
    Buffer.from("LRANGE"),
    key,
    Buffer.from("0"),
    Buffer.from("-1"),
  ],
};

export interface StateDifference {
  /** What was compared: `db 3: KEYS *`, `db 0 key "a": PTTL`. */
  readonly what: string;
  readonly ours: RespReply;
  readonly redis: RespReply;
}

const word = (text: string): Buffer => Buffer.from(text, "latin1");

/** Compares every database; returns the differences found (none when the states agree). */
export async function compareState(
  ours: Peer,
  redis: Peer,
  databases: number,
  has: (command: string) => boolean,
): Promise<StateDifference[]> {
  // Deadlines exist from the chapter that has PTTL on.
  const readings = has("pttl") ? ["TYPE", "PTTL"] : ["TYPE"];
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
      all.flatMap((key) => readings.map((name) => [word(name), key])),
    );
    const reads: Buffer[][] = [];
    all.forEach((key, i) => {
      const about = `${where} key "${escapeBytes(key, 60)}"`;
      const [typeA, ttlA] = oursReadings.slice(per * i, per * i + per);
      const [typeB, ttlB] = redisReadings.slice(per * i, per * i + per);
      if (!typeA!.raw.equals(typeB!.raw)) {
        differences.push({
          what: `${about}: TYPE`,
          ours: typeA!,
          redis: typeB!,
        });
      } else {
        const reader = VALUE_READERS[typeA!.data?.toString("latin1") ?? ""];
        if (reader !== undefined) reads.push(reader(key));
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
    const [valuesA, valuesB] = await askBoth(ours, redis, reads);
    reads.forEach((read, i) => {
      if (!valuesA[i]!.raw.equals(valuesB[i]!.raw)) {
        differences.push({
          what: `${where} key "${escapeBytes(read[1]!, 60)}": ${read[0]!.toString("latin1")}`,
          ours: valuesA[i]!,
          redis: valuesB[i]!,
        });
      }
    });
  }
  return differences;
}

/** KEYS' answer as sorted hex strings (an error or a non-array lists nothing). */
function keysIn(reply: RespReply): string[] {
  return (itemsOf(reply) ?? [])
    .map((item) => (item.data ?? Buffer.alloc(0)).toString("hex"))
    .sort();
}
