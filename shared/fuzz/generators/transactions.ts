/**
 * Transactions (chapter 07): MULTI, EXEC, DISCARD, WATCH, UNWATCH (and
 * RESET, once the chapter has it).
 *
 * On the fuzzed connection only what cannot open a transaction: EXEC and
 * DISCARD without MULTI, WATCH and UNWATCH. A transaction holds its
 * connection's commands until EXEC, and the runner follows one
 * connection's replies command by command; so transactions run in
 * scenarios (`TransactionScenario`, run by transaction-scenario.ts), on
 * two to eight connections of their own, between two batches, one step
 * at a time:
 *
 * - clients WATCH keys, then other clients write them (a real change, a
 *   no-op write, a read, a RENAME or COPY onto them, a MOVE, a write in
 *   another database), or FLUSHDB, FLUSHALL, SWAPDB and SELECT come in
 *   between;
 * - clients open MULTI and queue commands drawn from every other
 *   generator (blocking ones too, which must not wait inside EXEC), some
 *   refused at queue time (unknown, wrong arity: EXECABORT), some that
 *   fail when EXEC runs them (WRONGTYPE, not an integer), nested MULTI,
 *   WATCH inside MULTI, then EXEC or DISCARD, or they leave with the
 *   transaction open;
 * - keys whose deadline passes between WATCH and EXEC, or had passed
 *   before WATCH (see `expiresAfterWatch` and `expiredAtWatch`).
 *
 * Time is kept out of the answers the same way as on the fuzzed connection
 * (values.ts, `Deadline`): a deadline is past, or a few milliseconds away
 * and then waited out (`pause`), or days away. A key whose deadline has
 * passed is looked up right after on both servers (a sweep), before any
 * other client's step, so that both delete it at the same point: Redis's
 * active expiry would otherwise delete it at a moment of its own, and
 * DBSIZE, say, would tell. A command that sets a near deadline inside
 * MULTI is the last one queued, and the sweep follows its EXEC: a command
 * queued after it could carry the deadline to another key (RENAME, COPY)
 * or another database (SWAPDB, MOVE) where no sweep would look.
 */
import type { FuzzRandom } from "../random.ts";
import type {
  CommandGenerator,
  FuzzCommand,
  GeneratorContext,
} from "./index.ts";
import { word } from "./index.ts";
import { anyWord, key, keys, value, type Lapse } from "./values.ts";
import { listKey } from "./lists.ts";
import { setKey } from "./sets.ts";
import { hashKey } from "./hashes.ts";
import { zsetKey } from "./zsets.ts";
import { cased, disruption, refused, touch } from "./transaction-commands.ts";

/** Clients of their own that watch, queue and write, one step at a time. */
export interface TransactionScenario {
  /** The database each client selects once connected: one per client (two to eight). */
  readonly databases: readonly string[];
  /** In order; each step goes out once every reply to the one before has come. */
  readonly steps: readonly TransactionStep[];
}

/** Commands one client sends together, pipelined. */
export interface TransactionStep {
  /** Which client (0-based). */
  readonly client: number;
  readonly commands: readonly ScenarioCommand[];
  /**
   * Milliseconds to wait once every reply has come, before the next step:
   * for a deadline a few milliseconds away to pass on both servers.
   */
  readonly pause?: number;
}

/** One command of a step, with its companion (PTTL behind TTL, see index.ts) if it has one. */
export interface ScenarioCommand {
  readonly args: Buffer[];
  readonly companion?: Buffer[];
  readonly inline?: boolean;
}

/** Longer than any near deadline (10 ms, values.ts): waited after one. */
const LAPSE_WAIT_MS = 15;
/**
 * The deadline of a key that must outlive the WATCH sent right behind it
 * and pass before the EXEC after a pause: far beyond the time a server
 * takes between two pipelined commands, short enough to wait out.
 */
const WATCHED_DEADLINE_MS = 50;
const WATCHED_PAUSE_MS = 70;

/**
 * Commands a scenario's clients never draw: QUIT would leave the
 * connection; the transaction commands are the scenario's own. (HELLO is
 * drawn: the runner follows each client's protocol, inside EXEC too.)
 */
const NOT_DRAWN = new Set([
  "quit",
  "multi",
  "exec",
  "discard",
  "watch",
  "unwatch",
  "reset",
  // Its cursor is a position in each server's own hash table: the
  // fuzzed connection walks a SCAN to its end, a scenario cannot.
  "scan",
  // A rewrite leaves Redis's LRU clocks alone while it lasts (fuzz.ts,
  // awaitRewrites): the fuzzed connection waits for it, a scenario cannot.
  "bgrewriteaof",
]);

/** What the generator believes of a client: whether it is in MULTI, and what it watches. */
interface ClientModel {
  inMulti: boolean;
  /**
   * A command with a near or past deadline is queued: the next thing this
   * client does is EXEC (or DISCARD), then the sweep of this key.
   */
  lapsing?: { readonly key: Buffer; readonly lapse: Lapse };
  watched: Buffer[];
}

/** Builds one scenario step by step. */
class ScenarioWriter {
  readonly steps: TransactionStep[] = [];
  readonly clients: ClientModel[];
  /** Keys the scenario's commands named lately: what WATCH and the writes aim at. */
  readonly #hot: Buffer[] = [];
  readonly #random: FuzzRandom;
  readonly #context: GeneratorContext;

  constructor(random: FuzzRandom, context: GeneratorContext, count: number) {
    this.#random = random;
    this.#context = context;
    this.clients = Array.from({ length: count }, () => ({
      inMulti: false,
      watched: [],
    }));
  }

  step(client: number, commands: ScenarioCommand[], pause?: number): void {
    if (commands.length === 0) return;
    for (const { args } of commands) {
      if (args[1] !== undefined) this.#remember(args[1]);
    }
    this.steps.push(
      pause === undefined ? { client, commands } : { client, commands, pause },
    );
  }

  #remember(target: Buffer): void {
    this.#hot.push(target);
    if (this.#hot.length > 8) this.#hot.shift();
  }

  /** A key to watch or write: one a command named lately, one already watched, or any. */
  target(): Buffer {
    const random = this.#random;
    const watched = this.clients.flatMap((c) => c.watched);
    const roll = random.below(10);
    if (roll < 3 && watched.length > 0) return random.pick(watched);
    if (roll < 6 && this.#hot.length > 0) return random.pick(this.#hot);
    return random.pick([key, key, listKey, setKey, hashKey, zsetKey])(random);
  }

  /**
   * A command from the other generators that a scenario's client can
   * send: none that leaves the connection or needs the runner's help on
   * the fuzzed connection; outside MULTI, none that may wait.
   */
  draw(inMulti: boolean): FuzzCommand {
    for (let attempt = 0; attempt < 100; attempt++) {
      const command = this.#context.draw();
      const name = command.args[0]!.toString("latin1").toLowerCase();
      if (NOT_DRAWN.has(name)) continue;
      if (startsRewrite(command.args)) continue;
      if (!inMulti && command.blocking === "times-out") continue;
      if (inMulti && refusedOnlyByRedis(command.args)) continue;
      return command;
    }
    return { args: [word("PING")] };
  }
}

/**
 * CLIENT SETINFO: a deliberate difference (known-differences.ts,
 * client-setinfo). Redis 7.0 refuses it as an unknown subcommand, which
 * inside MULTI dooms the transaction (EXECABORT) where ours queues it:
 * queued, it would turn every transaction it is in into that one known
 * difference, and hide whatever else the transaction shows.
 */
function refusedOnlyByRedis(args: readonly Buffer[]): boolean {
  return (
    args[0]!.toString("latin1").toLowerCase() === "client" &&
    args[1]?.toString("latin1").toLowerCase() === "setinfo"
  );
}

/** CONFIG SET appendonly: turning the AOF on rewrites it whole (see fuzz.ts). */
function startsRewrite(args: readonly Buffer[]): boolean {
  return (
    args[0]!.toString("latin1").toLowerCase() === "config" &&
    args.some((arg) => arg.toString("latin1").toLowerCase() === "appendonly")
  );
}

/** A drawn command as scenario commands: its prelude (a push that feeds a blocking pop) first. */
function commandsOf(command: FuzzCommand): ScenarioCommand[] {
  const own: ScenarioCommand = {
    args: command.args,
    ...(command.companion === undefined
      ? {}
      : { companion: command.companion }),
    ...(command.inline === true ? { inline: true } : {}),
  };
  return command.prelude === undefined
    ? [own]
    : [{ args: command.prelude }, own];
}

/** WATCH one to three keys. */
function watchKeys(writer: ScenarioWriter, random: FuzzRandom): Buffer[] {
  const targets = Array.from({ length: random.between(1, 3) }, () =>
    writer.target(),
  );
  return [word(random.anyCase("watch")), ...targets];
}

/**
 * One client's turn: one to four things it does (in MULTI, up to eight),
 * pipelined in one step. A command with a deadline to wait out ends the
 * turn, and so does RESET (see resetAlone).
 */
function turn(
  writer: ScenarioWriter,
  random: FuzzRandom,
  context: GeneratorContext,
  index: number,
): void {
  const client = writer.clients[index]!;
  // A client in MULTI often sends several commands at once, as a client
  // library sends a transaction.
  const actions = random.weighted(
    client.inMulti
      ? [
          [1, 3],
          [2, 2],
          [3, 2],
          [5, 2],
          [8, 1],
        ]
      : [
          [1, 6],
          [2, 2],
          [3, 1],
          [4, 1],
        ],
  );
  const commands: ScenarioCommand[] = [];
  for (let i = 0; i < actions; i++) {
    if (client.lapsing !== undefined) {
      endLapsing(writer, random, index, commands);
      return;
    }
    const ended = client.inMulti
      ? inMulti(writer, random, context, index, commands)
      : outsideMulti(writer, random, context, index, commands);
    if (ended) return;
  }
  writer.step(index, commands);
}

/**
 * The EXEC (or DISCARD) owed by a client that queued a command with a
 * deadline, then the wait and the sweep. Sends `commands` first.
 */
function endLapsing(
  writer: ScenarioWriter,
  random: FuzzRandom,
  index: number,
  commands: ScenarioCommand[],
): void {
  const client = writer.clients[index]!;
  const { key: target, lapse } = client.lapsing!;
  client.lapsing = undefined;
  client.inMulti = false;
  client.watched = [];
  const end = random.chance(0.9) ? "exec" : "discard";
  commands.push({ args: cased(random, end) });
  writer.step(index, commands, lapse === "soon" ? LAPSE_WAIT_MS : undefined);
  if (end === "exec") writer.step(index, [{ args: [word("EXISTS"), target] }]);
}

/** Something a client outside MULTI does; true if it ended the turn (wrote its step itself). */
function outsideMulti(
  writer: ScenarioWriter,
  random: FuzzRandom,
  context: GeneratorContext,
  index: number,
  commands: ScenarioCommand[],
): boolean {
  const client = writer.clients[index]!;
  const { has } = context;
  const choices: (readonly [string, number])[] = [
    ["watch", 5],
    ["multi", 6],
    ["draw", 6],
    ["touch", 5],
    ["disrupt", 1],
    ["unwatch", 1],
    ["stray", 1],
    ["expires-after-watch", 0.3],
    ["expired-at-watch", 0.5],
  ];
  if (has("reset")) choices.push(["reset", 0.3]);
  const action = random.weighted(
    choices.map(([name, weight]) => [name, weight * 10] as const),
  );
  switch (action) {
    case "watch": {
      const args = watchKeys(writer, random);
      client.watched.push(...args.slice(1));
      commands.push({ args });
      return false;
    }
    case "multi":
      // Now and then with a word too many: refused, and no transaction.
      if (random.chance(0.03)) {
        commands.push({ args: [...cased(random, "MULTI"), anyWord(random)] });
        return false;
      }
      commands.push({ args: cased(random, "MULTI") });
      client.inMulti = true;
      return false;
    case "draw": {
      const command = writer.draw(false);
      commands.push(...commandsOf(command));
      if (command.expires === undefined) return false;
      // Wait out its deadline, then sweep its key.
      const { key: target, lapse } = command.expires;
      writer.step(
        index,
        commands,
        lapse === "soon" ? LAPSE_WAIT_MS : undefined,
      );
      writer.step(index, [{ args: [word("EXISTS"), target] }]);
      return true;
    }
    case "touch":
      commands.push({
        args: touch(random, context, writer.target(), writer.target()),
      });
      return false;
    case "disrupt": {
      const args = disruption(random, context);
      if (args !== undefined) commands.push({ args });
      return false;
    }
    case "unwatch":
      commands.push({ args: cased(random, "UNWATCH") });
      client.watched = [];
      return false;
    case "stray":
      // EXEC or DISCARD without MULTI: an error, and nothing else.
      commands.push({
        args: cased(random, random.pick(["EXEC", "DISCARD"])),
      });
      return false;
    case "reset":
      resetAlone(writer, random, index, commands);
      return true;
    case "expires-after-watch":
      expiresAfterWatch(writer, random, context, index, commands);
      return true;
    default:
      expiredAtWatch(writer, random, context, index, commands);
      return true;
  }
}

/** Something a client in MULTI does; true if it ended the turn (wrote its step itself). */
function inMulti(
  writer: ScenarioWriter,
  random: FuzzRandom,
  context: GeneratorContext,
  index: number,
  commands: ScenarioCommand[],
): boolean {
  const client = writer.clients[index]!;
  const choices: (readonly [string, number])[] = [
    ["queue", 12],
    ["touch", 3],
    ["refused", 0.6],
    ["nested", 1],
    ["watch", 1],
    ["unwatch", 1],
    ["disrupt", 1],
    ["exec", 2],
    ["discard", 0.7],
  ];
  if (context.has("reset")) choices.push(["reset", 0.3]);
  if (context.has("hello")) choices.push(["hello", 0.3]);
  const action = random.weighted(
    choices.map(([name, weight]) => [name, weight * 10] as const),
  );
  switch (action) {
    case "hello":
      // Queued: it switches the protocol when EXEC runs it, and the
      // elements of EXEC's reply after it are written in the new one.
      commands.push({
        args: cased(random, "HELLO", random.pick(["2", "3"])),
      });
      return false;
    case "queue": {
      const command = writer.draw(true);
      commands.push(...commandsOf(command));
      // Its deadline starts when EXEC runs it; EXEC comes next.
      if (command.expires !== undefined) client.lapsing = command.expires;
      return false;
    }
    case "touch":
      commands.push({
        args: touch(random, context, writer.target(), writer.target()),
      });
      return false;
    case "refused": {
      const args = refused(random);
      commands.push({ args });
      return false;
    }
    case "nested":
      commands.push({ args: cased(random, "MULTI") });
      return false;
    case "watch":
      // Refused, without dooming the transaction.
      commands.push({ args: watchKeys(writer, random) });
      return false;
    case "unwatch":
      // Queued: it unwatches when EXEC runs it, too late to matter.
      commands.push({ args: cased(random, "UNWATCH") });
      return false;
    case "disrupt": {
      // Queued: it runs inside EXEC, among the other commands.
      const args = disruption(random, context);
      if (args !== undefined) commands.push({ args });
      return false;
    }
    case "exec":
      // Now and then with a word too many: EXECABORT, and the end of it.
      commands.push({
        args: random.chance(0.05)
          ? [...cased(random, "EXEC"), anyWord(random)]
          : cased(random, "EXEC"),
      });
      client.inMulti = false;
      client.watched = [];
      return false;
    case "discard":
      commands.push({ args: cased(random, "DISCARD") });
      client.inMulti = false;
      client.watched = [];
      return false;
    default:
      resetAlone(writer, random, index, commands);
      return true;
  }
}

/**
 * RESET, in a step of its own after the client's other commands: it
 * leaves MULTI, unwatches, and with a password set logs the client out.
 * Alone, because Debian's redis-server 7.0.15 carries the fix for
 * CVE-2025-21605: it closes a client that is not logged in once its
 * pending replies hold more than a kilobyte past its 16 kB buffer, and
 * RESET's own `+RESET` would count the replies pipelined before it (one
 * answered with a deferred length, ZRANGEBYSCORE ... LIMIT, already
 * takes a 16 kB block). The chapters do not copy that patch; in steps
 * of their own, a logged-out client's replies (NOAUTH) stay small.
 */
function resetAlone(
  writer: ScenarioWriter,
  random: FuzzRandom,
  index: number,
  commands: ScenarioCommand[],
): void {
  const client = writer.clients[index]!;
  writer.step(index, commands);
  writer.step(index, [{ args: cased(random, "RESET") }]);
  client.inMulti = false;
  client.watched = [];
}

/**
 * A key whose deadline passes between WATCH and EXEC (Redis's
 * isWatchedKeyExpired): SET with PX (or PSETEX, or SET then PEXPIRE), the
 * WATCH and a PTTL right behind, in one write, so that the key is alive
 * at WATCH on both servers (the PTTL shows it: a positive reading, the
 * same within the clock lag); then a pause past the deadline; sometimes
 * another client reads the key (lazy expiry deletes it, which touches the
 * watchers); then MULTI, a few commands and EXEC, which must fail (a null
 * array) on both; then the sweep. No other client's step comes between
 * the deadline and the sweep.
 *
 * In a cluster run the watcher looks the key up itself before MULTI, which
 * deletes it on both servers then: Redis routes EXEC on the commands it
 * queued, and queues none once a watched key was touched, so whether its
 * active expiry got to the key first would decide between a null array
 * and CROSSSLOT, at a moment of its own.
 */
function expiresAfterWatch(
  writer: ScenarioWriter,
  random: FuzzRandom,
  context: GeneratorContext,
  index: number,
  commands: ScenarioCommand[],
): void {
  const client = writer.clients[index]!;
  const target = writer.target();
  const ms = String(WATCHED_DEADLINE_MS);
  const setting = random.weighted<() => Buffer[][]>([
    [() => [[word("SET"), target, value(random), word("PX"), word(ms)]], 3],
    [() => [[word("PSETEX"), target, word(ms), value(random)]], 1],
    [
      () => [
        [word("SET"), target, value(random)],
        [word("PEXPIRE"), target, word(ms)],
      ],
      1,
    ],
  ])();
  const watch = [word(random.anyCase("watch")), target];
  if (random.chance(0.4)) watch.push(writer.target());
  client.watched.push(...watch.slice(1));
  commands.push(
    ...setting.map((args) => ({ args })),
    { args: watch },
    { args: [word("PTTL"), target] },
  );
  writer.step(index, commands, WATCHED_PAUSE_MS);
  const others = writer.clients.length - 1;
  if (others > 0 && random.chance(0.4)) {
    const reader = (index + 1 + random.below(others)) % writer.clients.length;
    if (!writer.clients[reader]!.inMulti) {
      writer.step(reader, [
        { args: [word(random.pick(["GET", "EXISTS", "TYPE"])), target] },
      ]);
    }
  }
  const transaction: ScenarioCommand[] = [{ args: cased(random, "MULTI") }];
  if (context.capabilities.cluster === true)
    transaction.unshift({ args: [word("EXISTS"), target] });
  for (let i = random.between(0, 3); i > 0; i--) {
    const command = writer.draw(true);
    transaction.push(...commandsOf(command));
  }
  transaction.push({ args: cased(random, "EXEC") });
  client.watched = [];
  writer.step(index, transaction);
  writer.step(index, [{ args: [word("EXISTS"), target] }]);
}

/**
 * A key already past its deadline when WATCH comes, not yet deleted (or
 * deleted by Redis's active expiry in the meantime; either way the same
 * as a missing key, by Redis's design): SET with a deadline of a few
 * milliseconds, a pause past it, then WATCH and a lookup of the key
 * right behind it; or WATCH, then another client's write or read of it
 * (in its own database, which may be another), then the watcher's lookup.
 * The transaction, if any, comes later, among the other steps.
 */
function expiredAtWatch(
  writer: ScenarioWriter,
  random: FuzzRandom,
  context: GeneratorContext,
  index: number,
  commands: ScenarioCommand[],
): void {
  const client = writer.clients[index]!;
  const target = writer.target();
  const ms = String(random.between(1, 10));
  commands.push({
    args: random.chance(0.7)
      ? [word("SET"), target, value(random), word("PX"), word(ms)]
      : [word("PSETEX"), target, word(ms), value(random)],
  });
  writer.step(index, commands, LAPSE_WAIT_MS);
  const watch = [word(random.anyCase("watch")), target];
  client.watched.push(target);
  const others = writer.clients
    .map((other, i) => ({ other, i }))
    .filter(({ other, i }) => i !== index && !other.inMulti);
  if (others.length > 0 && random.chance(0.5)) {
    writer.step(index, [{ args: watch }]);
    const { i } = random.pick(others);
    writer.step(i, [{ args: touch(random, context, target, writer.target()) }]);
    // Then the sweep, by the watcher: the other client may be in another
    // database, or have only read the key, or written another one.
    writer.step(index, [{ args: [word("EXISTS"), target] }]);
    return;
  }
  writer.step(index, [{ args: watch }, { args: [word("EXISTS"), target] }]);
}

/** How many clients a scenario has: as often eight as any two others together. */
function clientCount(random: FuzzRandom): number {
  return random.weighted([
    [2, 2],
    [3, 2],
    [4, 2],
    [5, 1],
    [6, 1],
    [7, 1],
    [8, 6],
  ]);
}

/**
 * A transaction scenario: two to eight clients, most in one database and
 * now and then one in another (WATCH is per database), eight to forty
 * turns among them, then each client still in MULTI runs EXEC, DISCARD,
 * or leaves with its transaction open.
 */
function transactionScenario(
  random: FuzzRandom,
  context: GeneratorContext,
): TransactionScenario {
  const count = clientCount(random);
  const home = String(
    random.weighted([
      [0, 6],
      [1, 2],
      [2, 1],
    ]),
  );
  const databases = Array.from({ length: count }, () =>
    random.chance(0.85) ? home : String(random.below(4)),
  );
  const writer = new ScenarioWriter(random, context, count);
  for (let turns = random.between(8, 40); turns > 0; turns--) {
    turn(writer, random, context, random.below(count));
  }
  for (const [index, client] of writer.clients.entries()) {
    if (client.lapsing !== undefined) {
      endLapsing(writer, random, index, []);
      continue;
    }
    if (!client.inMulti) continue;
    const end = random.weighted([
      ["EXEC", 15],
      ["DISCARD", 3],
      ["", 2],
    ]);
    if (end !== "") writer.step(index, [{ args: cased(random, end) }]);
  }
  return { databases, steps: writer.steps };
}

/** A generator of transaction scenarios. */
const scenario = {
  scenario: true,
  generate(random: FuzzRandom, context: GeneratorContext): FuzzCommand {
    const transaction = transactionScenario(random, context);
    return {
      args: transaction.steps[0]?.commands[0]?.args ?? [word("MULTI")],
      transaction,
    };
  },
} as const;

export const TRANSACTION_GENERATORS: readonly CommandGenerator[] = [
  {
    command: "exec",
    weight: 1,
    generate: (random) => ({ args: cased(random, "EXEC") }),
  },
  {
    command: "discard",
    weight: 1,
    generate: (random) => ({ args: cased(random, "DISCARD") }),
  },
  {
    command: "watch",
    weight: 2,
    generate: (random) => ({ args: [word("WATCH"), ...keys(random, 1, 3)] }),
  },
  {
    command: "unwatch",
    weight: 1,
    generate: () => ({ args: [word("UNWATCH")] }),
  },
  { command: "multi", requires: ["exec", "watch"], weight: 10, ...scenario },
  // RESET leaves MULTI, unwatches, and takes the connection back to RESP2
  // and database 0, which the fuzzed connection's runner does not follow:
  // it runs in the scenarios only, where each client's protocol is
  // followed (transaction-scenario.ts). This line names it as covered.
  {
    command: "reset",
    requires: ["multi", "exec", "watch"],
    weight: 1,
    ...scenario,
  },
];
