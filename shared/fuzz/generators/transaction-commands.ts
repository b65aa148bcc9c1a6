/**
 * The commands a transaction scenario's clients write themselves
 * (transactions.ts), besides those drawn from the other generators: what
 * changes a watched key or only seems to, what changes whole databases,
 * and what is refused at queue time.
 */
import type { FuzzRandom } from "../random.ts";
import type { GeneratorContext } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key, value } from "./values.ts";
import { element, listKey } from "./lists.ts";
import { member as setMember } from "./sets.ts";
import { field } from "./hashes.ts";

/** A command in a random letter case. */
export function cased(random: FuzzRandom, ...words: string[]): Buffer[] {
  const [name, ...rest] = words;
  return [word(random.anyCase(name!)), ...rest.map((text) => word(text))];
}

/**
 * A command that changes `target`, or looks as if it might and does not
 * (Redis touches a watched key only on a real change: DEL of a missing
 * key, PERSIST of a key without deadline, SREM of a missing member do not;
 * SET to the same value, HSET of the same value, LTRIM of the whole list,
 * APPEND of nothing do), or only reads it. `other` is another key, for
 * RENAME and COPY onto `target` and off it.
 */
export function touch(
  random: FuzzRandom,
  { has }: GeneratorContext,
  target: Buffer,
  other: Buffer,
): Buffer[] {
  const deadline = (): string => String(random.between(86_400, 10_000_000));
  const choices: (readonly [string, () => Buffer[], number])[] = [
    ["set", () => [word("SET"), target, value(random)], 8],
    ["set", () => [word("SET"), target, word("v")], 2],
    [
      "set",
      () => [
        word("SET"),
        target,
        word("v"),
        word(random.anyCase(random.pick(["nx", "xx", "get", "keepttl"]))),
      ],
      2,
    ],
    ["del", () => [word("DEL"), target], 5],
    ["unlink", () => [word("UNLINK"), target, other], 1],
    ["incr", () => [word("INCR"), target], 2],
    ["incrby", () => [word("INCRBY"), target, word("0")], 1],
    [
      "append",
      () => [
        word("APPEND"),
        target,
        random.chance(0.4) ? word("") : element(random),
      ],
      2,
    ],
    ["setrange", () => [word("SETRANGE"), target, word("1"), word("")], 1],
    ["getdel", () => [word("GETDEL"), target], 1],
    ["getex", () => [word("GETEX"), target, word("PERSIST")], 1],
    ["expire", () => [word("EXPIRE"), target, word(deadline())], 2],
    [
      "expire",
      () => [
        word("EXPIRE"),
        target,
        word(deadline()),
        word(random.anyCase(random.pick(["nx", "xx", "gt", "lt"]))),
      ],
      1,
    ],
    ["persist", () => [word("PERSIST"), target], 2],
    ["lpush", () => [word("LPUSH"), target, element(random)], 3],
    ["rpop", () => [word("RPOP"), target], 1],
    ["lrem", () => [word("LREM"), target, word("0"), element(random)], 1],
    ["ltrim", () => [word("LTRIM"), target, word("0"), word("-1")], 1],
    ["sadd", () => [word("SADD"), target, setMember(random)], 2],
    ["srem", () => [word("SREM"), target, setMember(random)], 1],
    ["hset", () => [word("HSET"), target, field(random), word("v")], 2],
    ["hdel", () => [word("HDEL"), target, field(random)], 1],
    [
      "zadd",
      () => [
        word("ZADD"),
        target,
        word(String(random.between(0, 2))),
        word(random.pick(["a", "b"])),
      ],
      2,
    ],
    ["zrem", () => [word("ZREM"), target, word("a")], 1],
    ["rename", () => [word("RENAME"), other, target], 1],
    ["rename", () => [word("RENAME"), target, other], 1],
    ["copy", () => [word("COPY"), other, target, word("REPLACE")], 1],
    [
      "move",
      () => [word("MOVE"), target, word(random.pick(["0", "1", "2"]))],
      1,
    ],
    ["setbit", () => [word("SETBIT"), target, word("7"), word("1")], 1],
    ["get", () => [word("GET"), target], 2],
    ["exists", () => [word("EXISTS"), target], 1],
    ["touch", () => [word("TOUCH"), target], 1],
    ["type", () => [word("TYPE"), target], 1],
  ];
  const available = choices
    .filter(([name]) => has(name))
    .map(([, make, weight]) => [make, weight] as const);
  if (available.length === 0) return [word("PING")];
  return random.weighted(available)();
}

/**
 * FLUSHDB, FLUSHALL, SWAPDB or SELECT: what changes whole databases under
 * the watched keys (or, for SELECT, where the client's next commands go).
 */
export function disruption(
  random: FuzzRandom,
  { has }: GeneratorContext,
): Buffer[] | undefined {
  const db = (): string => String(random.below(4));
  const choices: (readonly [string, () => Buffer[], number])[] = [
    [
      "flushdb",
      () =>
        random.chance(0.6)
          ? cased(random, "FLUSHDB")
          : cased(random, "FLUSHDB", random.pick(["ASYNC", "SYNC"])),
      3,
    ],
    ["flushall", () => cased(random, "FLUSHALL"), 1],
    ["swapdb", () => cased(random, "SWAPDB", db(), db()), 4],
    ["select", () => cased(random, "SELECT", db()), 4],
  ];
  const available = choices
    .filter(([name]) => has(name))
    .map(([, make, weight]) => [make, weight] as const);
  return available.length === 0 ? undefined : random.weighted(available)();
}

/**
 * A command refused at queue time: an unknown one, or a known one with
 * a wrong number of words. Inside MULTI it dooms the transaction
 * (EXECABORT at EXEC), except EXEC itself, which ends it at once with
 * EXECABORT, and (as any refusal) it is still answered at once.
 */
export function refused(random: FuzzRandom): Buffer[] {
  return random.weighted<() => Buffer[]>([
    [() => [word(random.pick(["NOSUCHCOMMAND", "GETT", "MULTIX", ""]))], 3],
    [() => [word("GET")], 1],
    [() => [word("SET"), key(random)], 2],
    [() => [word("LPUSH"), listKey(random)], 1],
    [() => [word("EXPIRE"), key(random)], 1],
    [() => [word("GET"), key(random), anyWord(random)], 1],
    // WATCH without a key: its arity is checked before it is refused as
    // WATCH inside MULTI, which would not doom the transaction.
    [() => cased(random, "WATCH"), 1],
    [() => [...cased(random, "DISCARD"), anyWord(random)], 1],
    [() => [...cased(random, "MULTI"), anyWord(random)], 1],
  ])();
}
