/**
 * Where commands come from: one generator per command, grouped by family
 * in the files of this folder, and the source that draws from them.
 *
 * A generator names the command it writes (as COMMAND names it, lower
 * case) and runs only in chapters that have that command; so chapter 03
 * never gets an EXPIRE, and chapter 06 will get LPUSH as soon as it has
 * one. A chapter that adds a family adds a file here (lists.ts,
 * hashes.ts, ...) and one line to ALL_GENERATORS.
 */
import { FuzzRandom } from "../random.ts";
import { anyWord, type Lapse } from "./values.ts";
import { CONNECTION_GENERATORS } from "./connection.ts";
import { SERVER_GENERATORS } from "./server.ts";
import { STRING_GENERATORS } from "./strings.ts";
import { KEY_GENERATORS } from "./keys.ts";
import { EXPIRY_GENERATORS } from "./expiry.ts";
import { UNKNOWN_COMMAND_GENERATORS } from "./unknown.ts";
import { LIST_GENERATORS } from "./lists.ts";
import { BLOCKING_GENERATORS, type WaitScenario } from "./blocking.ts";
import { BIT_GENERATORS } from "./bits.ts";
import { HASH_GENERATORS } from "./hashes.ts";
import { SET_GENERATORS } from "./sets.ts";
import { ZSET_GENERATORS } from "./zsets.ts";
import { SORT_GENERATORS } from "./sort.ts";
import {
  TRANSACTION_GENERATORS,
  type TransactionScenario,
} from "./transactions.ts";
import { CLUSTER_GENERATORS } from "./cluster.ts";
import { DUMP_GENERATORS } from "./dump.ts";
import { clusterKeyName } from "../cluster-keys.ts";

/** What the chapter under test has, read from the server itself at start-up. */
export interface Capabilities {
  /** Lower-case command names, and `container|sub` for each subcommand. */
  readonly commands: ReadonlySet<string>;
  /** The CONFIG parameters it knows (none without CONFIG). */
  readonly configParameters: readonly string[];
  /** How many databases SELECT can reach. */
  readonly databases: number;
  /**
   * Both servers run in cluster mode, each a cluster of one node that owns
   * every slot (`npm run fuzz -- 08 --cluster`): the keys get hash tags
   * (cluster-keys.ts) and the cluster generators run (cluster.ts).
   */
  readonly cluster?: boolean;
}

/** One command to send to both servers, and what the runner must do around it. */
export interface FuzzCommand {
  readonly args: Buffer[];
  /**
   * A key this command may have given a deadline that is past or a few
   * milliseconds away. The runner waits until it has passed (if `soon`),
   * then looks the key up in both servers, so that both delete it at the
   * same point of the stream (see `Deadline` in values.ts).
   */
  readonly expires?: { readonly key: Buffer; readonly lapse: Lapse };
  /**
   * Sent right behind this command, its reply explains this one's: PTTL
   * behind TTL tells a difference of one second near a half-second
   * boundary (the servers read the clock a few milliseconds apart) from a
   * rounding bug.
   */
  readonly companion?: Buffer[];
  /**
   * Sent as an inline line (`GET a\r\n`) rather than a RESP array, when
   * its words allow it: the same command through the other parser.
   */
  readonly inline?: boolean;
  /**
   * Never given a wrong arity (see `CommandSource`): for a command that
   * must not go out cut short, `CLUSTER DELSLOTS abc 5` say, which Redis
   * refuses whole, and which cut to `CLUSTER DELSLOTS` plus a valid slot
   * would take that slot from the node (generators/cluster.ts).
   */
  readonly keepArity?: boolean;
  /**
   * Sent right before this command, its reply judged like the command's:
   * the push that gives a blocking command data to take at once.
   */
  readonly prelude?: Buffer[];
  /**
   * A command that may wait (BLPOP and its kin, see blocking.ts): one that
   * is `served` at once, its prelude saw to that, or one that `times-out`
   * after a few milliseconds, which ends its batch (Redis checks timeouts
   * at `hz`, up to a second late). Neither gets the arity mutation.
   */
  readonly blocking?: "served" | "times-out";
  /**
   * Not a command for the fuzzed connection but clients of their own that
   * wait and one that wakes them, run between two batches
   * (wait-scenario.ts); `args` is its first waiter's command.
   */
  readonly scenario?: WaitScenario;
  /**
   * Not a command for the fuzzed connection but clients of their own that
   * watch keys, queue commands in MULTI and run them with EXEC, between two
   * batches (transaction-scenario.ts); `args` is its first command.
   */
  readonly transaction?: TransactionScenario;
}

export interface GeneratorContext {
  readonly capabilities: Capabilities;
  /** Whether the chapter has this command or `container|sub`. */
  has(name: string): boolean;
  /**
   * A command from the other generators, as the stream would send it
   * (letter case, inline, wrong arities), never a scenario: what a
   * transaction scenario's clients send and queue.
   */
  draw(): FuzzCommand;
}

export interface CommandGenerator {
  /** The command written, lower case; undefined for one every chapter can take (unknown commands). */
  readonly command: string | undefined;
  /**
   * Other commands the chapter must have for this generator to run: TYPE
   * aimed at the keys lists live on is for chapters with lists, and an
   * earlier chapter's stream of commands stays as it was.
   */
  readonly requires?: readonly string[];
  /** How often, relative to the others (a whole number; common commands have 20-40). */
  readonly weight: number;
  /**
   * It writes scenarios (clients of their own, wait-scenario.ts and
   * transaction-scenario.ts), not commands: never drawn for a scenario.
   */
  readonly scenario?: boolean;
  /**
   * Only in a cluster run, or only outside one (cluster.ts: CLUSTER
   * commands that need a cluster, and those that check it is off);
   * undefined for both.
   */
  readonly mode?: "cluster" | "standalone";
  generate(random: FuzzRandom, context: GeneratorContext): FuzzCommand;
}

/** Every generator; a chapter runs those whose command it has. */
export const ALL_GENERATORS: readonly CommandGenerator[] = [
  ...CONNECTION_GENERATORS,
  ...SERVER_GENERATORS,
  ...STRING_GENERATORS,
  ...KEY_GENERATORS,
  ...EXPIRY_GENERATORS,
  ...UNKNOWN_COMMAND_GENERATORS,
  ...LIST_GENERATORS,
  ...BLOCKING_GENERATORS,
  ...BIT_GENERATORS,
  ...HASH_GENERATORS,
  ...SET_GENERATORS,
  ...ZSET_GENERATORS,
  ...SORT_GENERATORS,
  ...TRANSACTION_GENERATORS,
  ...CLUSTER_GENERATORS,
  ...DUMP_GENERATORS,
];

/** How often a command loses or gains words: the wrong-arity path of every command. */
const ARITY_MUTATION_RATE = 0.03;
/** How often a command goes as an inline line (if its words can). */
const INLINE_RATE = 0.05;

/** Bytes from text, one byte per character. */
export const word = (text: string): Buffer => Buffer.from(text, "latin1");

/** The command, with the runner told about `key`'s deadline if it lapses. */
export function lapsing(
  args: Buffer[],
  key: Buffer,
  lapse: Lapse | undefined,
): FuzzCommand {
  return lapse === undefined ? { args } : { args, expires: { key, lapse } };
}

/**
 * The stream of commands for one seed and one chapter: the same seed and
 * capabilities give the same commands, byte for byte, on every run.
 */
export class CommandSource {
  readonly #random: FuzzRandom;
  readonly #context: GeneratorContext;
  readonly #choices: (readonly [CommandGenerator, number])[];
  /** The generators of single commands, for a scenario's clients to draw from. */
  readonly #plain: (readonly [CommandGenerator, number])[];

  constructor(
    seed: number,
    capabilities: Capabilities,
    generators: readonly CommandGenerator[] = ALL_GENERATORS,
  ) {
    const cluster = capabilities.cluster === true;
    this.#random = cluster
      ? new FuzzRandom(seed, clusterKeyName)
      : new FuzzRandom(seed);
    this.#context = {
      capabilities,
      has: (name) => capabilities.commands.has(name),
      draw: () => this.#from(this.#plain),
    };
    this.#choices = generators
      .filter(
        (g) =>
          (g.command === undefined || capabilities.commands.has(g.command)) &&
          (g.requires ?? []).every((name) => capabilities.commands.has(name)) &&
          (g.mode === undefined ||
            g.mode === (cluster ? "cluster" : "standalone")),
      )
      .map((g) => [g, g.weight] as const);
    if (this.#choices.length === 0) {
      throw new Error("no generator applies to this chapter's commands");
    }
    this.#plain = this.#choices.filter(([g]) => g.scenario !== true);
  }

  /** The commands the generators cover in this chapter, for the report. */
  get covered(): string[] {
    return [
      ...new Set(
        this.#choices.flatMap(([g]) => (g.command ? [g.command] : [])),
      ),
    ];
  }

  /** The chapter's commands no generator writes: a new chapter's to-do list. */
  get uncovered(): string[] {
    const covered = new Set(this.covered);
    return [...this.#context.capabilities.commands].filter(
      (name) => !name.includes("|") && !covered.has(name),
    );
  }

  next(): FuzzCommand {
    return this.#from(this.#choices);
  }

  /** A command from one of `choices`, in any letter case, now and then inline or of a wrong arity. */
  #from(
    choices: readonly (readonly [CommandGenerator, number])[],
  ): FuzzCommand {
    const random = this.#random;
    const generator = random.weighted(choices);
    const command = generator.generate(random, this.#context);
    // Blocking commands come with their own letter cases and wrong arities
    // (a dropped timeout can leave a key that reads as one: a long wait).
    if (
      command.blocking !== undefined ||
      command.scenario !== undefined ||
      command.transaction !== undefined
    )
      return command;
    // The command's own name in any letter case: `sEt` is SET.
    const [name, ...rest] = command.args;
    const args = [word(random.anyCase(name!.toString("latin1"))), ...rest];
    const inline = random.chance(INLINE_RATE);
    if (command.keepArity === true || !random.chance(ARITY_MUTATION_RATE))
      return { ...command, args, inline };
    // Wrong arity: drop some trailing words, or add some.
    if (rest.length > 0 && random.chance(0.5)) {
      args.length = random.between(1, args.length - 1);
    } else {
      const extra = random.between(1, 3);
      for (let i = 0; i < extra; i++) args.push(anyWord(random));
    }
    // The companion and the wait for a deadline stay: a mutated command may
    // still be valid (`PEXPIRE k 5` plus `NX`), and both are harmless if not.
    return { ...command, args, inline };
  }
}
