/**
 * What `npm run memory` (shared/scripts/memory.ts) writes into a server:
 * one list of scenarios per mode, each the pipelined commands that fill it
 * and the unit its bytes are counted per. Kept apart from the measuring, so
 * that adding a data type adds a mode here and leaves memory.ts alone.
 *
 * Every key is named as redis-benchmark names its keys (`key:` and 12
 * digits) and every value is its 3-byte `xxx`, so that a figure compares
 * with the string keys of chapters 03 and 04.
 */

/** The command-line flags, one per mode; no flag is the string keys. */
export const MODE_FLAGS = [
  "--volatile",
  "--lists",
  "--hashes",
  "--sets",
  "--zsets",
];

/** A command line's mode: its flag without the dashes, or `strings`. */
export type Mode =
  "strings" | "volatile" | "lists" | "hashes" | "sets" | "zsets";

/** Requests and how many replies (one line each) to wait for before the next. */
export interface Batch {
  request: Buffer;
  replies: number;
}

/**
 * One thing to measure: the batches that write it, what the bytes are
 * counted per, and a key whose OBJECT ENCODING shows how the server holds
 * it (none for plain strings: chapters before 06 have no OBJECT).
 */
export interface Scenario {
  label: string;
  unit: "key" | "element" | "field" | "member";
  units: number;
  sampleKey?: string;
  batches(): Iterable<Batch>;
}

/** A command in RESP, as redis-benchmark sends it. */
export function command(...words: string[]): string {
  let text = `*${words.length}\r\n`;
  for (const word of words) text += `$${word.length}\r\n${word}\r\n`;
  return text;
}

/** redis-benchmark's key names: `key:` and 12 digits. */
export function keyName(i: number): string {
  return `key:${String(i).padStart(12, "0")}`;
}

/**
 * redis-benchmark's field names in its HSET test (`element:` and 12
 * digits with `-r`): distinct fields of a realistic length.
 */
function fieldName(i: number): string {
  return `element:${String(i).padStart(12, "0")}`;
}

/** `count` keys, key `i` written by the command `commandFor(i)`; 10,000 per batch. */
function* oneCommandPerKey(
  count: number,
  commandFor: (i: number) => string[],
): Iterable<Batch> {
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    const to = Math.min(from + batch, count);
    let text = "";
    for (let i = from; i < to; i++) text += command(...commandFor(i));
    yield { request: Buffer.from(text, "latin1"), replies: to - from };
  }
}

/**
 * One key of `count` items, added 1,000 per command (`commandFor(from, n)`
 * adds items `from` to `from + n - 1`), ten commands per batch: no command
 * as large as the whole key.
 */
function* oneBigKey(
  count: number,
  commandFor: (from: number, n: number) => string[],
): Iterable<Batch> {
  const perCommand = 1_000;
  const commandsPerBatch = 10;
  for (let from = 0; from < count;) {
    let text = "";
    let replies = 0;
    for (let c = 0; c < commandsPerBatch && from < count; c++) {
      const n = Math.min(perCommand, count - from);
      text += command(...commandFor(from, n));
      from += n;
      replies++;
    }
    yield { request: Buffer.from(text, "latin1"), replies };
  }
}

/** The words `word(i)` makes for i from `from` to `from + n - 1`, in one list. */
function words(
  from: number,
  n: number,
  word: (i: number) => string[],
): string[] {
  return Array.from({ length: n }, (_, k) => word(from + k)).flat();
}

/** The scenarios of `mode`, `count` keys (or items) each. */
export function scenariosFor(mode: Mode, count: number): Scenario[] {
  switch (mode) {
    case "strings":
    case "volatile":
      // With a day's time to live, the difference is what a deadline costs.
      return [
        {
          label: `${count} ${mode === "volatile" ? "volatile " : ""}keys`,
          unit: "key",
          units: count,
          batches: () =>
            oneCommandPerKey(count, (i) =>
              mode === "volatile"
                ? ["SET", keyName(i), "xxx", "EX", "86400"]
                : ["SET", keyName(i), "xxx"],
            ),
        },
      ];
    // Two scenarios per aggregate type: many small keys, where the key and
    // the structure's own overhead dominate, and one large key, where the
    // packing of its items does (and, for hashes and sets, where the
    // server has long left its compact encoding for a hash table).
    case "lists":
      return [
        {
          label: `${count} lists of 4 elements`,
          unit: "element",
          units: 4 * count,
          sampleKey: keyName(0),
          batches: () =>
            oneCommandPerKey(count, (i) => [
              "RPUSH",
              keyName(i),
              ...Array<string>(4).fill("xxx"),
            ]),
        },
        {
          label: `1 list of ${count} elements`,
          unit: "element",
          units: count,
          sampleKey: "biglist",
          batches: () =>
            oneBigKey(count, (_, n) => [
              "RPUSH",
              "biglist",
              ...Array<string>(n).fill("xxx"),
            ]),
        },
      ];
    case "hashes":
      return [
        {
          label: `${count} hashes of 4 fields`,
          unit: "field",
          units: 4 * count,
          sampleKey: keyName(0),
          batches: () =>
            oneCommandPerKey(count, (i) => [
              "HSET",
              keyName(i),
              ...words(1, 4, (f) => [`f${f}`, "xxx"]),
            ]),
        },
        {
          label: `1 hash of ${count} fields`,
          unit: "field",
          units: count,
          sampleKey: "bighash",
          batches: () =>
            oneBigKey(count, (from, n) => [
              "HSET",
              "bighash",
              ...words(from, n, (i) => [fieldName(i), "xxx"]),
            ]),
        },
      ];
    case "sets":
      // Small sets of small integers fit an intset. The large one holds
      // integers too, but far more than set-max-intset-entries (512): a
      // hash table, the encoding any large set ends in.
      return [
        {
          label: `${count} sets of 4 integers`,
          unit: "member",
          units: 4 * count,
          sampleKey: keyName(0),
          batches: () =>
            oneCommandPerKey(count, (i) => [
              "SADD",
              keyName(i),
              "1",
              "2",
              "3",
              "4",
            ]),
        },
        {
          label: `1 set of ${count} integers`,
          unit: "member",
          units: count,
          sampleKey: "bigset",
          batches: () =>
            oneBigKey(count, (from, n) => [
              "SADD",
              "bigset",
              ...words(from, n, (i) => [String(i)]),
            ]),
        },
      ];
    case "zsets":
      // Small sorted sets of whole scores fit a listpack, where Redis
      // stores each score as a one-byte integer. The large one, far past
      // zset-max-listpack-entries (128), is a skiplist and a hash table,
      // its members HSET's field names, added in order of score.
      return [
        {
          label: `${count} sorted sets of 4 members`,
          unit: "member",
          units: 4 * count,
          sampleKey: keyName(0),
          batches: () =>
            oneCommandPerKey(count, (i) => [
              "ZADD",
              keyName(i),
              ...words(1, 4, (m) => [String(m), `m${m}`]),
            ]),
        },
        {
          label: `1 sorted set of ${count} members`,
          unit: "member",
          units: count,
          sampleKey: "bigzset",
          batches: () =>
            oneBigKey(count, (from, n) => [
              "ZADD",
              "bigzset",
              ...words(from, n, (i) => [String(i), fieldName(i)]),
            ]),
        },
      ];
  }
}
