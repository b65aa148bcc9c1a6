/**
 * Client traffic while slots move: a few workers, each sending one
 * command at a time through a cluster client (INCR, SET, RPUSH, and reads
 * of what it wrote) until told to stop.
 *
 * ioredis follows MOVED, ASK and TRYAGAIN by itself, so a move must be
 * invisible to the application: every error that reaches a worker is a
 * failure, and is counted. Each key belongs to one worker, which waits for
 * each reply before it sends the next command, so the worker knows exactly
 * what each key must hold: a counter the number of INCRs acknowledged (one
 * more means a command applied twice, one fewer a write lost), a list the
 * elements pushed, in order, and a string its last value.
 */
import type { Cluster } from "ioredis";
import { keysInSlots } from "./reshard-helpers.ts";

/** What the traffic did, once stopped. */
export interface TrafficReport {
  /** Commands acknowledged. */
  operations: number;
  /** Every error a worker saw, or a read that did not return what was written. */
  errors: string[];
}

interface WorkerKeys {
  counters: Map<string, number>;
  strings: Map<string, string>;
  lists: Map<string, string[]>;
}

// #region traffic
export class Traffic {
  readonly #client: Cluster;
  readonly #workers: WorkerKeys[] = [];
  #running: Promise<void>[] = [];
  #stopped = false;
  #operations = 0;
  readonly #errors: string[] = [];

  /**
   * `workers` workers of `keysEach` keys of each kind; half of the keys
   * in the slots `hot` accepts (the slots about to move), so that the move
   * meets traffic, half anywhere.
   */
  constructor(
    client: Cluster,
    options: {
      workers?: number;
      keysEach?: number;
      hot: (slot: number) => boolean;
    },
  ) {
    this.#client = client;
    const workers = options.workers ?? 3;
    const keysEach = options.keysEach ?? 10;
    for (let w = 0; w < workers; w++) {
      const names = (kind: string): string[] => [
        ...keysInSlots(`traffic:${w}:${kind}:hot:`, keysEach / 2, options.hot),
        ...keysInSlots(`traffic:${w}:${kind}:`, keysEach / 2, () => true),
      ];
      this.#workers.push({
        counters: new Map(names("counter").map((k) => [k, 0])),
        strings: new Map(names("string").map((k) => [k, ""])),
        lists: new Map(names("list").map((k) => [k, []])),
      });
    }
  }

  /** Every key the traffic writes. */
  get keys(): string[] {
    return this.#workers.flatMap((w) => [
      ...w.counters.keys(),
      ...w.strings.keys(),
      ...w.lists.keys(),
    ]);
  }

  /** The keys that exist now: those written to at least once. */
  get keysWritten(): string[] {
    return this.#workers.flatMap((w) => [
      ...[...w.counters].filter(([, n]) => n > 0).map(([key]) => key),
      ...[...w.strings].filter(([, v]) => v !== "").map(([key]) => key),
      ...[...w.lists].filter(([, l]) => l.length > 0).map(([key]) => key),
    ]);
  }

  /** Deletes the keys (a fresh start), then starts the workers. */
  async start(): Promise<void> {
    await Promise.all(this.keys.map((key) => this.#client.del(key)));
    this.#running = this.#workers.map((keys, w) => this.#work(w, keys));
  }

  /** Stops the workers after their current command; what they did. */
  async stop(): Promise<TrafficReport> {
    this.#stopped = true;
    await Promise.all(this.#running);
    return { operations: this.#operations, errors: [...this.#errors] };
  }

  /** One worker: a random command on one of its keys, again and again. */
  async #work(w: number, keys: WorkerKeys): Promise<void> {
    for (let n = 0; !this.#stopped; n++) {
      try {
        await this.#step(`${w}.${n}`, keys);
        this.#operations++;
      } catch (error) {
        this.#errors.push(`worker ${w}: ${String(error)}`);
      }
    }
  }

  /** One command, and what it changes in the worker's model. */
  async #step(id: string, keys: WorkerKeys): Promise<void> {
    const client = this.#client;
    const choice = Math.floor(Math.random() * 5);
    if (choice === 0) {
      const key = pick(keys.counters);
      const value = await client.incr(key);
      const expected = keys.counters.get(key)! + 1;
      keys.counters.set(key, expected);
      if (value !== expected) this.#wrong(`INCR ${key}`, value, expected);
    } else if (choice === 1) {
      const key = pick(keys.strings);
      await client.set(key, id);
      keys.strings.set(key, id);
    } else if (choice === 2) {
      const key = pick(keys.lists);
      const length = await client.rpush(key, id);
      keys.lists.get(key)!.push(id);
      const expected = keys.lists.get(key)!.length;
      if (length !== expected) this.#wrong(`RPUSH ${key}`, length, expected);
    } else if (choice === 3) {
      const key = pick(keys.strings);
      const value = await client.get(key);
      const expected = keys.strings.get(key)!;
      if ((value ?? "") !== expected)
        this.#wrong(`GET ${key}`, value, expected);
    } else {
      const key = pick(keys.counters);
      const value = Number((await client.get(key)) ?? 0);
      const expected = keys.counters.get(key)!;
      if (value !== expected) this.#wrong(`GET ${key}`, value, expected);
    }
  }

  #wrong(command: string, got: unknown, expected: unknown): void {
    this.#errors.push(
      `${command} replied ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`,
    );
  }

  /**
   * Reads every key back once the workers have stopped: one line per key
   * that does not hold what the acknowledged commands made of it.
   */
  async verify(): Promise<string[]> {
    const problems: string[] = [];
    const client = this.#client;
    for (const keys of this.#workers) {
      for (const [key, count] of keys.counters) {
        const value = Number((await client.get(key)) ?? 0);
        if (value !== count)
          problems.push(`${key}: ${value}, expected ${count}`);
      }
      for (const [key, last] of keys.strings) {
        const value = (await client.get(key)) ?? "";
        if (value !== last) problems.push(`${key}: ${value}, expected ${last}`);
      }
      for (const [key, pushed] of keys.lists) {
        const value = await client.lrange(key, 0, -1);
        if (value.join() !== pushed.join())
          problems.push(
            `${key}: ${value.length} elements, expected ${pushed.length}: ${describeListDifference(value, pushed)}`,
          );
      }
    }
    return problems;
  }
}
// #endregion traffic

/** A random key of the map. */
function pick<V>(map: Map<string, V>): string {
  const keys = [...map.keys()];
  return keys[Math.floor(Math.random() * keys.length)]!;
}

/** Where a list first differs from what was pushed: an element lost, or one applied twice. */
function describeListDifference(actual: string[], pushed: string[]): string {
  const at = pushed.findIndex((element, i) => actual[i] !== element);
  const index = at === -1 ? pushed.length : at;
  return `first difference at ${index}: ${actual[index] ?? "(end)"} instead of ${pushed[index] ?? "(end)"}`;
}
