/**
 * The commands that wait (chapter 06): BLPOP, BRPOP, BLMOVE, BRPOPLPUSH,
 * BLMPOP on lists, BZPOPMIN, BZPOPMAX, BZMPOP on sorted sets, without ever
 * leaving the run waiting on them.
 *
 * A blocking command holds its connection, and every command pipelined
 * behind it, until data or its timeout comes; a timeout that ends "some
 * time" later is a race between the two servers. So each blocking command
 * is one of three kinds:
 *
 * - served: a push to one of its keys (a ZADD for the sorted-set ones)
 *   goes right before it (`prelude`), so it cannot wait: the keys before
 *   that one are missing (skipped), hold data (taken from) or are of
 *   another type (WRONGTYPE), and that one has data or is of another
 *   type. Any timeout goes, the absurd ones too (`-0.0001`, which rounds
 *   to 0, "for ever"; `inf`; a product that overflows C's `long long`),
 *   since only its parsing shows;
 * - times out: no prelude and a timeout of 1 to 10 ms, so an empty key
 *   answers nil once the timeout passes (Redis checks timeouts at `hz`, so
 *   that may take a second: the runner sends at most one per batch);
 * - a wait scenario (`WaitScenario`, run by wait-scenario.ts): clients of
 *   their own block, each once the one before waits, then another client
 *   sends commands that may serve them (pushes, LMOVE into a waited key,
 *   ZADD, ZUNIONSTORE, ZRANGESTORE and SORT ... STORE into one, RENAME
 *   and COPY onto one, a wrong type put in the way). List and sorted-set
 *   waiters may wait on the same key, where each kind of data serves only
 *   its own. Waiters never time out (0, or a timeout far beyond the run),
 *   so what each answers depends on the order of commands only: FIFO per
 *   key, the first key that received data, BLMOVE chains, a key popped
 *   empty.
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
import { member, zsetKey } from "./zsets.ts";

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

/** A key from `keys` if given, else a sorted-set key. */
function zsetKeyFrom(
  random: FuzzRandom,
  keys: readonly Buffer[] | undefined,
): Buffer {
  return keys === undefined ? zsetKey(random) : random.pick(keys);
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

/** BZPOPMIN/BZPOPMAX key... timeout. */
function zpop(name: string): BlockingWriter {
  return (random, mode, keys) => {
    const chosen = Array.from({ length: random.between(1, 3) }, () =>
      zsetKeyFrom(random, keys),
    );
    return {
      args: [word(random.anyCase(name)), ...chosen, timeout(random, mode)],
      feeds: random.pick(chosen),
    };
  };
}

/** BZMPOP timeout numkeys key... MIN|MAX [COUNT n]: numkeys wrong only where it cannot wait (see blmpop). */
const bzmpop: BlockingWriter = (random, mode, keys) => {
  const chosen = Array.from({ length: random.between(1, 3) }, () =>
    zsetKeyFrom(random, keys),
  );
  const numkeys =
    mode === "times-out" || random.chance(0.85)
      ? String(chosen.length)
      : random.pick([String(chosen.length + 1), "0", "-1", "abc"]);
  const args = [
    word(random.anyCase("bzmpop")),
    timeout(random, mode),
    word(numkeys),
    ...chosen,
    word(
      random.chance(0.95)
        ? random.anyCase(random.pick(["min", "max"]))
        : random.pick(["left", ""]),
    ),
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

/** Which kind of data serves a blocking command: a push or a ZADD. */
type Family = "list" | "zset";

const WRITERS: Readonly<
  Record<string, { family: Family; write: BlockingWriter }>
> = {
  blpop: { family: "list", write: pop("blpop") },
  brpop: { family: "list", write: pop("brpop") },
  blmove: { family: "list", write: blmove },
  brpoplpush: { family: "list", write: brpoplpush },
  blmpop: { family: "list", write: blmpop },
  bzpopmin: { family: "zset", write: zpop("bzpopmin") },
  bzpopmax: { family: "zset", write: zpop("bzpopmax") },
  bzmpop: { family: "zset", write: bzmpop },
};

/**
 * What gives `key` data at once: a push of 1 to 3 elements, or a ZADD of
 * 1 to 3 members with scores it always takes (a refused one would leave
 * the command waiting).
 */
function feed(random: FuzzRandom, family: Family, key: Buffer): Buffer[] {
  if (family === "list")
    return [
      word(random.pick(["RPUSH", "LPUSH"])),
      key,
      ...elements(random, 1, 3),
    ];
  const added = Array.from({ length: random.between(1, 3) }, () => [
    word(String(random.between(-3, 5))),
    member(random),
  ]).flat();
  return [word("ZADD"), key, ...added];
}

/**
 * The same command with a wrong number of words: its name alone, or cut
 * before its timeout (arity errors all; `BLPOP k` waits for nothing).
 */
function wrongArity(args: Buffer[], random: FuzzRandom): Buffer[] {
  const name = args[0]!.toString("latin1").toLowerCase();
  if (random.chance(0.3) || name === "blmpop" || name === "bzmpop")
    return args.slice(0, 1);
  if (["blpop", "brpop", "bzpopmin", "bzpopmax"].includes(name))
    return args.slice(0, 2);
  // BLMOVE and BRPOPLPUSH have a fixed arity: a word more is wrong too.
  return random.chance(0.5) ? args.slice(0, -1) : [...args, anyWord(random)];
}

/** A blocking command on the fuzzed connection: served at once (nine times in ten), or left to time out. */
function blocking(name: string): CommandGenerator["generate"] {
  return (random) => {
    const { family, write } = WRITERS[name]!;
    if (random.chance(0.1)) {
      const { args } = write(random, "times-out");
      return { args, blocking: "times-out" };
    }
    const { args, feeds } = write(random, "served");
    return {
      args: random.chance(0.03) ? wrongArity(args, random) : args,
      prelude: feed(random, family, feeds),
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
  if (has("sort")) {
    // A list stored where a waiter waits: it serves a BLPOP, not a BZPOPMIN.
    choices.push([
      () => [word("SORT"), other, word("ALPHA"), word("STORE"), target],
      1,
    ]);
  }
  if (has("bzpopmin")) choices.push(...zsetWakers(random, target));
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
 * Sorted-set commands that may serve a BZPOPMIN waiting on `target` (or
 * take its data away): ZADD and ZINCRBY into it, ZUNIONSTORE and
 * ZRANGESTORE onto it, RENAME and COPY of another key onto it.
 */
function zsetWakers(
  random: FuzzRandom,
  target: Buffer,
): (readonly [() => Buffer[], number])[] {
  const other = zsetKey(random);
  return [
    [() => feed(random, "zset", target), 10],
    [() => [word("ZINCRBY"), target, word("1"), member(random)], 2],
    [() => [word("ZUNIONSTORE"), target, word("1"), other], 2],
    [() => [word("ZRANGESTORE"), target, other, word("0"), word("-1")], 2],
    [() => [word("ZPOPMIN"), target], 1],
    [() => [word("RENAME"), other, target], 1],
    [() => [word("COPY"), other, target, word("REPLACE")], 1],
    [() => feed(random, "zset", other), 2],
  ];
}

/**
 * A wait scenario: one to three waiters on one or two keys, each waiter
 * one of the blocking commands (list and sorted-set ones may wait on the
 * same key), then one to four commands that may serve them. The keys are
 * emptied first, most of the time, so that the waiters do wait.
 */
function waitScenario(
  random: FuzzRandom,
  context: GeneratorContext,
): WaitScenario {
  const zsets = context.has("bzpopmin");
  const keys = Array.from({ length: random.between(1, 2) }, () =>
    zsets && random.chance(0.4)
      ? zsetKey(random)
      : random.chance(0.8)
        ? listKey(random)
        : key(random),
  );
  const setup: Buffer[][] = [];
  if (random.chance(0.8)) setup.push([word("DEL"), ...keys]);
  if (random.chance(0.2))
    setup.push([word("RPUSH"), random.pick(keys), ...elements(random, 1, 2)]);
  if (zsets && random.chance(0.2))
    setup.push(feed(random, "zset", random.pick(keys)));
  const names = Object.keys(WRITERS).filter((name) => context.has(name));
  const waiters = Array.from({ length: random.between(1, 3) }, () => {
    const { write } = WRITERS[random.pick(names)]!;
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
  { command: "bzpopmin", weight: 4, generate: blocking("bzpopmin") },
  { command: "bzpopmax", weight: 3, generate: blocking("bzpopmax") },
  { command: "bzmpop", weight: 3, generate: blocking("bzmpop") },
  {
    // Its runner counts waiting clients with INFO.
    command: "blpop",
    requires: ["info"],
    weight: 4,
    scenario: true,
    generate(random, context): FuzzCommand {
      const scenario = waitScenario(random, context);
      return { args: scenario.waiters[0]!, scenario };
    },
  },
];
