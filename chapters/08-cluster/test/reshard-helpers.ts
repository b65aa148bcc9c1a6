/**
 * A key model for the resharding suites: keys of every type written
 * through a cluster client, with what each should hold kept aside, so
 * that after slots have moved (with `redis-cli --cluster reshard`,
 * `rebalance` or `fix`) a test can read every key back and say which one
 * came out different: its type, its value or its time to live.
 *
 * Moving a slot moves its keys one by one (MIGRATE, which sends each as a
 * DUMP payload in RESTORE-ASKING), so the model holds each type in small
 * and large sizes (Redis changes a value's encoding past 128 elements or
 * 64 bytes, and DUMP carries the encoding), groups of keys under one hash
 * tag (one slot, several MIGRATE batches), and time-to-lives, which the
 * payload does not carry and MIGRATE must send beside it.
 */
import type { Cluster } from "ioredis";
import type { NodeProcess } from "../../../shared/cluster-harness.ts";
import { keySlot } from "../../../shared/fuzz/cluster-keys.ts";

/** What a key should hold: its type, and its value in the form it is read back. */
export type Expected =
  | { type: "string"; value: string }
  | { type: "list"; value: string[] }
  | { type: "hash"; value: Record<string, string> }
  | { type: "set"; value: string[] }
  | { type: "zset"; value: [member: string, score: number][] };

interface Entry {
  expected: Expected;
  /** The time to live it was given, in ms; none if it has none. */
  ttlMs?: number;
}

/** Time to live of the keys that have one: far longer than a test, so none expires meanwhile. */
const TTL_MS = 3_600_000;

/**
 * How many elements make a value "large": hashes and sorted sets leave
 * their listpack past 128 entries, sets their intset past 512.
 */
const LARGE = 600;

/** The slot of a key, as a node computes it. */
export function slotOf(key: string): number {
  return keySlot(Buffer.from(key));
}

/**
 * `count` key names `prefix0`, `prefix1`, ... kept only when their slot
 * passes `wanted`: keys in the slots a test is about to move.
 */
export function keysInSlots(
  prefix: string,
  count: number,
  wanted: (slot: number) => boolean,
): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    const key = `${prefix}${i}`;
    if (wanted(slotOf(key))) keys.push(key);
  }
  return keys;
}

// #region key-model
export class KeyModel {
  readonly #entries = new Map<string, Entry>();

  /** Every key of the model. */
  get keys(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Writes a group of keys `{tag}NAME:TYPE`, one of each type, all in the
   * tag's slot; `large` makes each value large, `withTtl` gives some a
   * time to live.
   */
  async writeGroup(
    client: Cluster,
    tag: string,
    options: { name?: string; large?: boolean; withTtl?: boolean } = {},
  ): Promise<void> {
    const n = options.large ? LARGE : 5;
    const range = Array.from({ length: n }, (_, i) => i);
    const k = (type: string): string => `{${tag}}${options.name ?? ""}:${type}`;
    const text = options.large
      ? `${tag} `.repeat(2000)
      : `value of ${tag}: spaces,\r\nCRLF and ünïcödé`;
    await this.#write(client, k("string"), { type: "string", value: text });
    await this.#write(client, k("number"), { type: "string", value: "-4097" });
    await this.#write(client, k("list"), {
      type: "list",
      value: range.map((i) => `item ${i}`),
    });
    await this.#write(client, k("hash"), {
      type: "hash",
      value: sortedObject(
        Object.fromEntries(range.map((i) => [`field ${i}`, `${i * i}`])),
      ),
    });
    await this.#write(client, k("set"), {
      type: "set",
      value: range.map((i) => `member ${i}`).sort(),
    });
    await this.#write(client, k("intset"), {
      type: "set",
      value: range.map((i) => String(i * 7 - 9)).sort(),
    });
    const scores = [0.1, -2.5, 1e-7, 3, Infinity, -Infinity];
    await this.#write(client, k("zset"), {
      type: "zset",
      value: range
        .map((i): [string, number] => [`m${i}`, scores[i % 6]! + i])
        .sort(([m1, s1], [m2, s2]) => s1 - s2 || (m1 < m2 ? -1 : 1)),
    });
    if (options.withTtl) {
      for (const name of ["string", "hash", "zset"]) {
        await client.pexpire(k(name), TTL_MS);
        this.#entries.get(k(name))!.ttlMs = TTL_MS;
      }
    }
  }

  /** Writes one key, replacing whatever it held, and remembers it. */
  async #write(
    client: Cluster,
    key: string,
    expected: Expected,
  ): Promise<void> {
    await client.del(key);
    const { type, value } = expected;
    if (type === "string") await client.set(key, value);
    else if (type === "list") await client.rpush(key, ...value);
    else if (type === "hash") await client.hset(key, value);
    else if (type === "set") await client.sadd(key, ...value);
    else
      await client.zadd(
        key,
        ...value.flatMap(([member, score]) => [scoreText(score), member]),
      );
    this.#entries.set(key, { expected });
  }

  /**
   * Reads every key back through the cluster client (so from its slot's
   * owner, wherever that is now): one line per key that differs from the
   * model, empty if none does.
   */
  async verify(client: Cluster): Promise<string[]> {
    const problems: string[] = [];
    const keys = this.keys;
    // In batches, so that a few hundred commands at most wait at once.
    for (let i = 0; i < keys.length; i += 200) {
      const batch = keys.slice(i, i + 200);
      const found = await Promise.all(
        batch.map((key) => this.#check(client, key)),
      );
      problems.push(...found.flat());
    }
    return problems;
  }

  /** What is wrong with one key: its type, its value, its time to live. */
  async #check(client: Cluster, key: string): Promise<string[]> {
    const { expected, ttlMs } = this.#entries.get(key)!;
    const type = await client.type(key);
    if (type !== expected.type)
      return [
        `${key} (slot ${slotOf(key)}): type ${type}, expected ${expected.type}`,
      ];
    const actual = await readValue(client, key, expected.type);
    const problems: string[] = [];
    if (shown(actual) !== shown(expected.value))
      problems.push(
        `${key} (slot ${slotOf(key)}): ${shown(actual).slice(0, 200)}, expected ${shown(expected.value).slice(0, 200)}`,
      );
    const pttl = await client.pttl(key);
    const ttlOk = ttlMs === undefined ? pttl === -1 : pttl > 0 && pttl <= ttlMs;
    if (!ttlOk)
      problems.push(
        `${key} (slot ${slotOf(key)}): PTTL ${pttl}, expected ${ttlMs === undefined ? "-1" : `at most ${ttlMs}`}`,
      );
    return problems;
  }
}
// #endregion key-model

/** A key's value read with its type's command, in the form Expected holds it. */
async function readValue(
  client: Cluster,
  key: string,
  type: Expected["type"],
): Promise<Expected["value"]> {
  switch (type) {
    case "string":
      return (await client.get(key)) ?? "";
    case "list":
      return client.lrange(key, 0, -1);
    case "hash":
      return sortedObject(await client.hgetall(key));
    case "set":
      return (await client.smembers(key)).sort();
    case "zset": {
      // RESP2 replies member, score, member, ...; RESP3 [member, score]
      // pairs: flattened, both read the same.
      const flat = (
        (await client.call("ZRANGE", key, 0, -1, "WITHSCORES")) as unknown[]
      ).flat();
      const pairs: [string, number][] = [];
      for (let i = 0; i < flat.length; i += 2)
        pairs.push([String(flat[i]), parseScore(flat[i + 1])]);
      return pairs;
    }
  }
}

/** A score as ZADD takes it: Redis spells the infinities `inf` and `-inf`. */
function scoreText(score: number): string {
  return score === Infinity
    ? "inf"
    : score === -Infinity
      ? "-inf"
      : String(score);
}

/** A score as read back: text in RESP2 (`inf` included), a number in RESP3. */
function parseScore(reply: unknown): number {
  const text = String(reply).toLowerCase();
  if (text === "inf" || text === "+inf") return Infinity;
  if (text === "-inf") return -Infinity;
  return Number(reply);
}

/** A value as JSON, with the infinities spelled out (JSON would make them null). */
function shown(value: Expected["value"]): string {
  return JSON.stringify(value, (_, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
}

/** The object with its fields in sorted order, so that two of them compare as JSON. */
function sortedObject(value: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/**
 * Loads a model: `groups` tags `model:0`, `model:1`, ... (one slot each,
 * seven keys each), every fifth group large, every third with times to
 * live, plus six groups under the one tag `crowded`: 42 keys in a slot,
 * more than redis-cli moves with one MIGRATE (10).
 */
export async function loadModel(
  client: Cluster,
  groups: number,
): Promise<KeyModel> {
  const model = new KeyModel();
  const jobs = Array.from(
    { length: groups },
    (_, g) => () =>
      model.writeGroup(client, `model:${g}`, {
        large: g % 5 === 0,
        withTtl: g % 3 === 0,
      }),
  );
  for (let c = 0; c < 6; c++)
    jobs.push(() => model.writeGroup(client, "crowded", { name: `:${c}` }));
  // A few groups at a time: fast, without thousands of commands waiting.
  for (let i = 0; i < jobs.length; i += 20)
    await Promise.all(jobs.slice(i, i + 20).map((job) => job()));
  return model;
}

/** The keys held by each node, summed: keys left behind on a slot's old owner would add to it. */
export async function keysHeld(nodes: readonly NodeProcess[]): Promise<number> {
  let total = 0;
  for (const node of nodes)
    total += Number(await (await node.admin()).call("DBSIZE"));
  return total;
}
