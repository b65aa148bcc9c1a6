/**
 * The list commands that wait (chapter 06): BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH, BLMPOP, without ever leaving the run waiting on them.
 *
 * A blocking command holds its connection, and every command pipelined
 * behind it, until data or its timeout comes; a timeout that ends "some
 * time" later is a race between the two servers. So each blocking command
 * is one of three kinds:
 *
 * - served: a push to one of its keys goes right before it (`prelude`),
 *   so it cannot wait: the keys before that one are missing (skipped),
 *   lists (taken from) or of another type (WRONGTYPE), and that one has
 *   data or is of another type. Any timeout goes, the absurd ones too
 *   (`-0.0001`, which rounds to 0, "for ever"; `inf`; a product that
 *   overflows C's `long long`), since only its parsing shows;
 * - times out: no prelude and a timeout of 1 to 10 ms, so an empty key
 *   answers nil once the timeout passes (Redis checks timeouts at `hz`, so
 *   that may take a second: the runner sends at most one per batch);
 * - a wait scenario (`WaitScenario`, run by wait-scenario.ts): clients of
 *   their own block, each once the one before waits, then another client
 *   sends commands that may serve them (pushes, LMOVE into a waited key,
 *   RENAME and COPY onto one, a wrong type put in the way). Waiters
 *   never time out (0, or a timeout far beyond the run), so what each
 *   answers depends on the order of commands only: FIFO per key, the
 *   first key that received data, BLMOVE chains, a key popped empty.
 *
 * Blocking commands are kept from the arity mutation (index.ts): dropping
 * a timeout can leave a key that reads as one (`BLPOP a 123`). Their wrong
 * arities come from here.
 */
import type { FuzzRandom } from "../random.ts";
import type {
  CommandGenerator,
  FuzzCommand,
  GeneratorContext,
} from "./index.ts";
import { word } from "./index.ts";
import { element, elements, listKey, side } from "./lists.ts";
import { anyWord, key, value } from "./values.ts";

/**
 * Clients blocked on keys, then commands that may give them data.
 * The runner runs one between two batches (wait-scenario.ts).
 */
export interface WaitScenario {
  /** The database every connection of the scenario selects. */
  readonly db: string;
  /** Sent first, on the connection that later wakes the waiters: clears or fills the keys. */
  readonly setup: readonly Buffer[][];
  /** Blocking commands, one connection each, sent in order, each once the ones before wait or have answered. */
  readonly waiters: readonly Buffer[][];
  /** Then these, pipelined on the setup connection. */
  readonly wakers: readonly Buffer[][];
}

/** Timeouts for a command that cannot wait: any text, since only its parsing shows. */
const ANY_TIMEOUTS: readonly string[] = [
  "0",
  "0.0",
  "1",
  "0.5",
  "10",
  "100.5",
  "1e3",
  ".5",
  "0.0001",
  "-0.0001",
  "-1",
  "-0.5",
  "-0",
  "abc",
  "",
  " 1",
  "1 ",
  "inf",
  "-inf",
  "+inf",
  "nan",
  "1e400",
  "0x10",
  // Milliseconds past C's long long: Redis 7.0's product wraps negative.
  "9223372036854775807",
  // LLONG_MAX milliseconds exactly: accepted, its deadline overflows.
  "9223372036854775.807",
  "9223372036854775808",
  "18446744073709551616",
  "2147483648",
  "1\0",
];

/**
 * Timeouts a waiter may have: for ever, or longer than any run; a few
 * that are errors. Never a short one, not even `0.0001`: Redis rounds it
 * up to a millisecond, and when each server notices that it has passed
 * is a race.
 */
const WAITER_TIMEOUTS: readonly string[] = [
  "0",
  "0",
  "0",
  "0.0",
  "100000",
  "3600.5",
  "1e6",
  // Rounded up to a millisecond is still 0: for ever.
  "-0.0001",
  "-1",
  "abc",
];

/** How a blocking command's timeout is chosen. */
type Mode = "served" | "times-out" | "waiter";

function timeout(random: FuzzRandom, mode: Mode): Buffer {
  if (mode === "times-out")
    return word(random.pick(["0.001", "0.005", "0.01"]));
  if (mode === "waiter") return word(random.pick(WAITER_TIMEOUTS));
  return word(
    random.chance(0.5)
      ? random.pick(["0", "1", "0.01"])
      : random.pick(ANY_TIMEOUTS),
  );
}

/** A key from `keys` if given, else a list key. */
function keyFrom(
  random: FuzzRandom,
  keys: readonly Buffer[] | undefined,
): Buffer {
  return keys === undefined ? listKey(random) : random.pick(keys);
}

/**
 * One blocking command and the key a push must reach for it to be served
 * at once (one of its keys, or BLMOVE's source). Keys come from `keys` (a
 * scenario's waited keys) or the list keys.
 */
interface Blocking {
  readonly args: Buffer[];
  readonly feeds: Buffer;
}

type BlockingWriter = (
  random: FuzzRandom,
  mode: Mode,
  keys?: readonly Buffer[],
) => Blocking;

/** BLPOP/BRPOP key... timeout. */
function pop(name: string): BlockingWriter {
  return (random, mode, keys) => {
    const chosen = Array.from({ length: random.between(1, 3) }, () =>
      keyFrom(random, keys),
    );
    return {
      args: [word(random.anyCase(name)), ...chosen, timeout(random, mode)],
      feeds: random.pick(chosen),
    };
  };
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
const blmove: BlockingWriter = (random, mode, keys) => {
  const source = keyFrom(random, keys);
  const destination = random.chance(0.6)
    ? keyFrom(random, keys)
    : listKey(random);
  return {
    args: [
      word(random.anyCase("blmove")),
      source,
      destination,
      side(random),
      side(random),
      timeout(random, mode),
    ],
    feeds: source,
  };
};

/** BRPOPLPUSH source destination timeout. */
const brpoplpush: BlockingWriter = (random, mode, keys) => {
  const source = keyFrom(random, keys);
  const destination = random.chance(0.6)
    ? keyFrom(random, keys)
    : listKey(random);
  return {
    args: [
      word(random.anyCase("brpoplpush")),
      source,
      destination,
      timeout(random, mode),
    ],
    feeds: source,
  };
};

/** BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT n]. */
const blmpop: BlockingWriter = (random, mode, keys) => {
  const chosen = Array.from({ length: random.between(1, 3) }, () =>
    keyFrom(random, keys),
  );
  // A numkeys that does not match fails to parse before any key is looked
  // at: it may only be wrong where the command cannot wait anyway.
  const numkeys =
    mode === "times-out" || random.chance(0.85)
      ? String(chosen.length)
      : random.pick([String(chosen.length + 1), "0", "-1", "abc"]);
  const args = [
    word(random.anyCase("blmpop")),
    timeout(random, mode),
    word(numkeys),
    ...chosen,
    side(random),
  ];
  if (random.chance(0.5)) {
    args.push(
      word(random.anyCase("count")),
      word(
        random.chance(0.8)
          ? String(random.between(1, 4))
          : random.pick(["0", "-1", "abc", "9223372036854775808"]),
      ),
    );
  }
  return { args, feeds: random.pick(chosen) };
};

const WRITERS: Readonly<Record<string, BlockingWriter>> = {
  blpop: pop("blpop"),
  brpop: pop("brpop"),
  blmove,
  brpoplpush,
  blmpop,
};

/**
 * The same command with a wrong number of words: its name alone, or cut
 * before its timeout (arity errors all; `BLPOP k` waits for nothing).
 */
function wrongArity(args: Buffer[], random: FuzzRandom): Buffer[] {
  const name = args[0]!.toString("latin1").toLowerCase();
  if (random.chance(0.3) || name === "blmpop") return args.slice(0, 1);
  if (name === "blpop" || name === "brpop") return args.slice(0, 2);
  // BLMOVE and BRPOPLPUSH have a fixed arity: a word more is wrong too.
  return random.chance(0.5) ? args.slice(0, -1) : [...args, anyWord(random)];
}

/** A blocking command on the fuzzed connection: served at once (nine times in ten), or left to time out. */
function blocking(name: string): CommandGenerator["generate"] {
  return (random) => {
    const write = WRITERS[name]!;
    if (random.chance(0.1)) {
      const { args } = write(random, "times-out");
      return { args, blocking: "times-out" };
    }
    const { args, feeds } = write(random, "served");
    const push = word(random.pick(["RPUSH", "LPUSH"]));
    return {
      args: random.chance(0.03) ? wrongArity(args, random) : args,
      prelude: [push, feeds, ...elements(random, 1, 3)],
      blocking: "served",
    };
  };
}

/**
 * A command that may give a waiter data, or take it away, on one of
 * `keys`. SWAPDB only where one key is waited on: it makes every waited
 * key of both databases ready at once, and Redis takes them in the order
 * of a hash table seeded at random.
 */
function waker(
  random: FuzzRandom,
  keys: readonly Buffer[],
  { has, capabilities }: GeneratorContext,
): Buffer[] {
  const target = random.pick(keys);
  const other = listKey(random);
  const choices: (readonly [() => Buffer[], number])[] = [
    [() => [word("RPUSH"), target, ...elements(random, 1, 3)], 10],
    [() => [word("LPUSH"), target, ...elements(random, 1, 3)], 6],
    [
      () => [word(random.pick(["LPUSHX", "RPUSHX"])), target, element(random)],
      2,
    ],
    [() => [word("LMOVE"), other, target, side(random), side(random)], 3],
    [() => [word("RPOPLPUSH"), other, target], 1],
    [() => [word("RENAME"), other, target], 2],
    [() => [word("COPY"), other, target, word("REPLACE")], 2],
    [() => [word("DEL"), target], 2],
    [() => [word("SET"), target, value(random)], 1],
    [() => [word("LPOP"), target], 1],
    [() => [word("RPUSH"), other, ...elements(random, 1, 3)], 2],
  ];
  if (keys.length === 1 && has("swapdb")) {
    const db = String(random.below(Math.min(4, capabilities.databases)));
    choices.push([
      () => [word("SWAPDB"), word(db), word(db === "0" ? "1" : "0")],
      1,
    ]);
  }
  return random.weighted(choices)();
}

/**
 * A wait scenario: one to three waiters on one or two keys, each waiter
 * one of the five blocking commands, then one to four commands that may
 * serve them. The keys are emptied first, most of the time, so that the
 * waiters do wait.
 */
function waitScenario(
  random: FuzzRandom,
  context: GeneratorContext,
): WaitScenario {
  const keys = Array.from({ length: random.between(1, 2) }, () =>
    random.chance(0.8) ? listKey(random) : key(random),
  );
  const setup: Buffer[][] = [];
  if (random.chance(0.8)) setup.push([word("DEL"), ...keys]);
  if (random.chance(0.2))
    setup.push([word("RPUSH"), random.pick(keys), ...elements(random, 1, 2)]);
  const names = Object.keys(WRITERS).filter((name) => context.has(name));
  const waiters = Array.from({ length: random.between(1, 3) }, () => {
    const write = WRITERS[random.pick(names)]!;
    return write(random, "waiter", keys).args;
  });
  const wakers = Array.from({ length: random.between(1, 4) }, () =>
    waker(random, keys, context),
  );
  return {
    db: String(
      random.weighted([
        [0, 6],
        [1, 2],
        [2, 1],
      ]),
    ),
    setup,
    waiters,
    wakers,
  };
}

export const BLOCKING_GENERATORS: readonly CommandGenerator[] = [
  { command: "blpop", weight: 6, generate: blocking("blpop") },
  { command: "brpop", weight: 4, generate: blocking("brpop") },
  { command: "blmove", weight: 4, generate: blocking("blmove") },
  { command: "brpoplpush", weight: 2, generate: blocking("brpoplpush") },
  { command: "blmpop", weight: 4, generate: blocking("blmpop") },
  {
    // Its runner counts waiting clients with INFO.
    command: "blpop",
    requires: ["info"],
    weight: 4,
    generate(random, context): FuzzCommand {
      const scenario = waitScenario(random, context);
      return { args: scenario.waiters[0]!, scenario };
    },
  },
];
