/**
 * The differential fuzzer: the same random commands to a chapter's server
 * and to a real redis-server, in lockstep, replies compared byte for byte.
 *
 * Run it with
 *
 *     npm run fuzz -- 05                      # a random seed, printed
 *     npm run fuzz -- 05 --seed 42 --commands 20000
 *     npm run fuzz -- 05 --protocol 3         # RESP3 only (default: both)
 *     npm run fuzz -- 08 --cluster            # both servers cluster nodes
 *
 * It starts the chapter's server as a program and a throwaway redis-server
 * (servers.ts), reads which commands the chapter has from its own COMMAND
 * reply (the COMMANDS table of its src/server.ts, as the wire shows it),
 * and draws commands for those only (generators/). Commands go out in
 * small pipelined batches over raw sockets (peer.ts), the same bytes to
 * both; every reply pair is judged by compare.ts: equal bytes, equal once
 * what differs by nature is set aside (normalise.ts), a deliberate
 * difference (known-differences.ts), or an unexplained difference, which
 * is printed once, with the command, both replies and the line that
 * reproduces it. Every CHECKPOINT_EVERY commands, and at the end, the whole
 * state of both servers is compared (checkpoint.ts). After an unexplained
 * difference both servers are brought back to the same state (emptied,
 * settings restored, new connections), so that one bug is not reported a
 * thousand times over. Commands go out in RESP2, in RESP3, or by default
 * in both, in alternating blocks (protocol.ts); in RESP3 every connection
 * opens with HELLO 3. The report counts commands and differences per
 * protocol; its last line is always `N commands, N unexplained
 * differences`.
 *
 * Commands that wait (BLPOP and its kin, from chapter 06) never leave the
 * run waiting (generators/blocking.ts): on the fuzzed connection one is
 * either fed right before it (a push, its `prelude`) or given a timeout
 * of a few milliseconds, alone at the end of its batch; clients that
 * really wait do so in wait scenarios, on connections of their own,
 * between two batches (wait-scenario.ts).
 *
 * Transactions (chapter 07) run in scenarios too (transaction-scenario.ts):
 * two to eight clients of their own, one step at a time, WATCH keys that
 * the others write, queue commands from every other generator in MULTI,
 * EXEC or DISCARD them, or leave with them open. The exchange of an EXEC
 * carries the commands it ran, and each element of its reply is judged as
 * the reply to its own command (compare.ts). On the fuzzed connection,
 * only EXEC and DISCARD without MULTI, WATCH and UNWATCH.
 *
 * With --cluster (chapter 08 on), both servers are started in cluster
 * mode, each a cluster of one node that owns every slot, under one node
 * id (cluster-mode.ts); the keys get hash tags, so that most multi-key
 * commands are served and some refused (CROSSSLOT; cluster-keys.ts), the
 * cluster generators run (generators/cluster.ts), and checkpoints also
 * compare the slot index (COUNTKEYSINSLOT, GETKEYSINSLOT).
 *
 * Chapters 06-08 extend it by adding, not editing:
 * - a generator file per command family (generators/lists.ts, hashes.ts,
 *   sets.ts, zsets.ts, transactions.ts ...) and its line in
 *   ALL_GENERATORS (generators/index.ts); generators run only where the
 *   chapter has their command, so earlier chapters are untouched;
 * - a value reader per new type in checkpoint.ts (sorted, for sets and
 *   hashes, whose order is the hash table's);
 * - a normalisation for each new reply that is random or unordered by
 *   nature (SPOP, SRANDMEMBER, HGETALL ...), in normalise.ts;
 * - a KNOWN_DIFFERENCES entry only for a deliberate difference the
 *   chapter's tests and article also name.
 */
import type { Chapter } from "../chapters.ts";
import { askBoth, Peer, type ReadResult } from "./peer.ts";
import {
  encodeCommand,
  encodeInline,
  escapeBytes,
  escapeCommand,
  isError,
  replyOf,
  textOf,
  type Protocol,
  type RespReply,
} from "./resp.ts";
import { compareExchange } from "./compare.ts";
import { compareState } from "./checkpoint.ts";
import {
  commandName,
  elementsOf,
  itemsOf,
  type CompareContext,
  type Exchange,
} from "./exchange.ts";
import {
  CommandSource,
  type Capabilities,
  type FuzzCommand,
} from "./generators/index.ts";
import { CONFIG_VALUES } from "./generators/server.ts";
import { KNOWN_DIFFERENCES } from "./known-differences.ts";
import { runWaitScenario, type WaitTally } from "./wait-scenario.ts";
import {
  emptyTransactionTally,
  runTransactionScenario,
} from "./transaction-scenario.ts";
import {
  helloArgs,
  PROTOCOL_BLOCK,
  protocolAfterHello,
  protocolName,
  protocolOfBlock,
  type ProtocolChoice,
} from "./protocol.ts";
import {
  sleep,
  startChapterServer,
  startRedis,
  type RunningServer,
} from "./servers.ts";
import {
  compareSlots,
  formSingleNodeClusters,
  restoreSlots,
} from "./cluster-mode.ts";

export interface FuzzOptions {
  readonly chapter: Chapter;
  readonly seed: number;
  /** How many generated commands to send (companions and checks not counted). */
  readonly commands: number;
  /** RESP2, RESP3, or both in alternating blocks (the default). */
  readonly protocol?: ProtocolChoice;
  /** Both servers in cluster mode, each a cluster of one node (cluster-mode.ts). */
  readonly cluster?: boolean;
  /** Where the report goes, line by line (console.log by default). */
  readonly print?: (line: string) => void;
}

export interface FuzzResult {
  readonly commands: number;
  readonly unexplained: number;
  /** The same two figures for each protocol. */
  readonly byProtocol: Readonly<Record<Protocol, Tally>>;
}

/** Commands sent in one protocol, and unexplained differences found in it. */
export interface Tally {
  commands: number;
  unexplained: number;
}

/** Commands per pipelined batch: enough to keep both servers busy, few enough to stay in lockstep. */
const BATCH = 16;
/** Commands between two whole-state comparisons. */
const CHECKPOINT_EVERY = 2_000;
/** Longer than any "soon" deadline the generators make (10 ms; see values.ts). */
const EXPIRY_WAIT_MS = 15;
/** A walk through SCAN that has not come back to cursor 0 by then never will. */
const MAX_SCAN_CALLS = 10_000;
/** Differences printed in full; after that, only counted. */
const MAX_PRINTED = 50;
/** Parameters CONFIG SET cannot change: not restored after a difference. */
const FIXED_PARAMETERS = new Set(["databases", "appendfilename", "dir"]);

const word = (text: string): Buffer => Buffer.from(text, "latin1");

/** Runs one fuzz session and reports it; never throws for a difference, only for a broken setup. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const cluster = options.cluster === true;
  const [redisStart, oursStart] = await Promise.allSettled([
    startRedis({ cluster }),
    startChapterServer(options.chapter, { cluster }),
  ]);
  const servers = [redisStart, oursStart].flatMap((s) =>
    s.status === "fulfilled" ? [s.value] : [],
  );
  try {
    if (redisStart.status === "rejected") throw redisStart.reason;
    if (oursStart.status === "rejected") throw oursStart.reason;
    const run = await FuzzRun.open(
      options,
      print,
      oursStart.value,
      redisStart.value,
    );
    try {
      await run.run();
    } finally {
      run.close();
    }
    return run.report();
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** One difference, and how many more like it. */
interface Seen {
  count: number;
  firstAt: number;
  headline: string;
}

class FuzzRun {
  readonly #options: FuzzOptions;
  readonly #print: (line: string) => void;
  readonly #ours: RunningServer;
  readonly #redis: RunningServer;
  readonly #control: { ours: Peer; redis: Peer };
  #peers: { ours: Peer; redis: Peer };
  readonly #capabilities: Capabilities;
  readonly #context: CompareContext;
  readonly #source: CommandSource;
  /** Settings restored after a difference: the ones CONFIG SET may have changed, as they were at start. */
  readonly #initialConfig: [string, Buffer][];
  readonly #protocolChoice: ProtocolChoice;
  readonly #started = performance.now();

  /** The protocol of the current block: new connections open in it. */
  #block: Protocol = 2;
  /** The protocol the fuzzed connections speak now (a HELLO may have switched it). */
  #protocol: Protocol = 2;
  /** The protocol the checkpoint connections speak. */
  #controlProtocol: Protocol = 2;
  /** Batches run since a fuzzed HELLO took the connection out of the block's protocol. */
  #offBlock = 0;
  readonly #byProtocol: Record<Protocol, Tally> = {
    2: { commands: 0, unexplained: 0 },
    3: { commands: 0, unexplained: 0 },
  };

  #done = 0;
  #unexplained = 0;
  #skipped = 0;
  #resyncs = 0;
  #checkpoints = 0;
  #scenarios = 0;
  readonly #waits: WaitTally = { waiters: 0, waited: 0, woken: 0 };
  readonly #transactions = emptyTransactionTally();
  #fatal = false;
  readonly #normalised = new Map<string, number>();
  readonly #explained = new Map<string, number>();
  readonly #seen = new Map<string, Seen>();

  private constructor(
    options: FuzzOptions,
    print: (line: string) => void,
    ours: RunningServer,
    redis: RunningServer,
    control: { ours: Peer; redis: Peer },
    peers: { ours: Peer; redis: Peer },
    capabilities: Capabilities,
    initialConfig: [string, Buffer][],
  ) {
    this.#options = options;
    this.#print = print;
    this.#ours = ours;
    this.#redis = redis;
    this.#control = control;
    this.#peers = peers;
    this.#capabilities = capabilities;
    this.#context = {
      commands: capabilities.commands,
      configParameters: new Set(capabilities.configParameters),
    };
    this.#source = new CommandSource(options.seed, capabilities);
    this.#initialConfig = initialConfig;
    this.#protocolChoice = options.protocol ?? "both";
  }

  static async open(
    options: FuzzOptions,
    print: (line: string) => void,
    ours: RunningServer,
    redis: RunningServer,
  ): Promise<FuzzRun> {
    const connectBoth = async () => ({
      ours: await Peer.connect(ours.port),
      redis: await Peer.connect(redis.port),
    });
    const control = await connectBoth();
    const cluster = options.cluster === true;
    if (cluster) {
      const [a, b] = await formSingleNodeClusters(control.ours, control.redis);
      if (!a.raw.equals(b.raw)) {
        throw new Error(
          `CLUSTER ADDSLOTSRANGE 0 16383 got different replies: ours ${escapeBytes(a.raw)}, redis ${escapeBytes(b.raw)}`,
        );
      }
    }
    const capabilities = await readCapabilities(control.ours, cluster);
    const settable = capabilities.configParameters.filter(
      (name) => name in CONFIG_VALUES && !FIXED_PARAMETERS.has(name),
    );
    const initialConfig: [string, Buffer][] = [];
    for (const name of settable) {
      const [reply] = await askOne(control.ours, [
        word("CONFIG"),
        word("GET"),
        word(name),
      ]);
      const value = itemsOf(reply!)?.[1]?.data;
      if (value !== undefined) initialConfig.push([name, Buffer.from(value)]);
    }
    const [info] = await askOne(control.redis, [word("INFO"), word("server")]);
    const version = /redis_version:(\S+)/.exec(textOf(info!) ?? "")?.[1];
    const { chapter, seed, commands } = options;
    const choice = options.protocol ?? "both";
    print(
      `fuzz: chapter ${chapter.id} (port ${ours.port}) against redis-server ${version ?? "?"} (port ${redis.port})`,
    );
    print(
      `seed ${seed}, ${commands} commands; reproduce with: ${reproduce(chapter, seed, commands, choice, cluster)}`,
    );
    if (cluster) {
      print(
        "cluster mode: each server a cluster of one node that owns all 16384 slots, under one node id",
      );
    }
    print(
      choice === "both"
        ? `protocols: RESP2 and RESP3, in turns of ${PROTOCOL_BLOCK} commands`
        : `protocol: RESP${choice} only`,
    );
    const run = new FuzzRun(
      options,
      print,
      ours,
      redis,
      control,
      await connectBoth(),
      capabilities,
      initialConfig,
    );
    print(`commands covered: ${run.#source.covered.join(" ")}`);
    const uncovered = run.#source.uncovered;
    if (uncovered.length > 0) {
      print(`commands without a generator yet: ${uncovered.join(" ")}`);
    }
    return run;
  }

  async run(): Promise<void> {
    const total = this.#options.commands;
    const progressEvery = Math.max(10_000, Math.ceil(total / 10));
    let nextCheckpoint = CHECKPOINT_EVERY;
    let nextProgress = progressEvery;
    while (this.#done < total && !this.#fatal) {
      const block = protocolOfBlock(this.#protocolChoice, this.#done);
      if (block !== this.#block) await this.#switchProtocol(block);
      const batch: FuzzCommand[] = [];
      let scenario: FuzzCommand | undefined;
      while (batch.length < BATCH && this.#done + batch.length < total) {
        const command = this.#source.next();
        if (
          command.scenario !== undefined ||
          command.transaction !== undefined
        ) {
          scenario = command;
          break;
        }
        batch.push(command);
        if (endsBatch(command)) break;
      }
      if (batch.length > 0) await this.#runBatch(batch);
      if (this.#fatal) break;
      if (batch.some(startsRewrite)) await this.#awaitRewrites();
      await this.#backToBlock();
      if (scenario?.scenario !== undefined) await this.#runScenario(scenario);
      if (scenario?.transaction !== undefined)
        await this.#runTransactions(scenario);
      if (this.#fatal) break;
      if (this.#done >= nextCheckpoint) {
        await this.#checkpoint();
        nextCheckpoint += CHECKPOINT_EVERY;
      }
      if (this.#done >= nextProgress && this.#done < total) {
        this.#print(
          `  ... ${this.#done} commands, ${this.#unexplained} unexplained, ${this.#seconds()} s`,
        );
        nextProgress += progressEvery;
      }
    }
    if (!this.#fatal) await this.#checkpoint();
  }

  close(): void {
    for (const peer of [
      this.#peers.ours,
      this.#peers.redis,
      this.#control.ours,
      this.#control.redis,
    ]) {
      peer.close();
    }
  }

  report(): FuzzResult {
    const print = this.#print;
    const counts = (map: Map<string, number>): string =>
      [...map].map(([name, count]) => `${name} ${count}`).join(", ") || "none";
    print("");
    print(`normalised (shared/fuzz/normalise.ts): ${counts(this.#normalised)}`);
    print(`explained (shared/fuzz/known-differences.ts):`);
    if (this.#explained.size === 0) print("  none");
    for (const [id, count] of this.#explained) {
      const reason = KNOWN_DIFFERENCES.find((k) => k.id === id)?.reason;
      print(`  ${id} x${count}: ${reason}`);
    }
    const repeated = [...this.#seen.values()].filter((s) => s.count > 1);
    if (repeated.length > 0) {
      print("unexplained differences seen more than once:");
      for (const seen of repeated) {
        print(
          `  x${seen.count} (first at command ${seen.firstAt}): ${seen.headline}`,
        );
      }
    }
    if (this.#scenarios > 0) {
      const { waiters, waited, woken } = this.#waits;
      print(
        `wait scenarios: ${this.#scenarios}; of their ${waiters} waiters (as redis-server saw them), ${waited} waited, ${woken} of those were woken`,
      );
    }
    const t = this.#transactions;
    if (t.scenarios > 0) {
      print(
        `transaction scenarios: ${t.scenarios}, with ${t.clients} clients; EXEC ran ${t.ran} transactions (${t.queuedAndRan} queued commands), found a watched key changed ${t.watchFailed} times, aborted ${t.aborted} (EXECABORT); DISCARD ended ${t.discarded}`,
      );
    }
    print(
      `checkpoints: ${this.#checkpoints}; resets after a difference: ${this.#resyncs}` +
        (this.#skipped > 0
          ? `; ${this.#skipped} replies after a difference in the same batch not judged`
          : ""),
    );
    print(`time: ${this.#seconds()} s (seed ${this.#options.seed})`);
    const tally = (protocol: Protocol): string => {
      const { commands, unexplained } = this.#byProtocol[protocol];
      return `${protocolName(protocol)} ${commands} commands, ${unexplained} unexplained`;
    };
    print(`by protocol: ${tally(2)}; ${tally(3)}`);
    print(
      `${this.#done} commands, ${this.#unexplained} unexplained differences`,
    );
    return {
      commands: this.#done,
      unexplained: this.#unexplained,
      byProtocol: this.#byProtocol,
    };
  }

  #seconds(): string {
    return ((performance.now() - this.#started) / 1000).toFixed(1);
  }

  /** Sends one batch to both servers, judges every reply, then does what its last command asks. */
  async #runBatch(batch: readonly FuzzCommand[]): Promise<void> {
    const firstIndex = this.#done + 1;
    const wire: Buffer[] = [];
    for (const command of batch) {
      if (command.prelude !== undefined)
        wire.push(encodeCommand(command.prelude));
      wire.push(
        (command.inline === true ? encodeInline(command.args) : undefined) ??
          encodeCommand(command.args),
      );
      if (command.companion !== undefined)
        wire.push(encodeCommand(command.companion));
    }
    const expected = wire.length;
    const bytes = Buffer.concat(wire);
    const { ours, redis } = this.#peers;
    const protocol = this.#protocol;
    ours.write(bytes);
    redis.write(bytes);
    const [a, b] = await Promise.all([
      ours.read(expected),
      redis.read(expected),
    ]);
    this.#done += batch.length;
    this.#byProtocol[protocol].commands += batch.length;

    let position = 0;
    let diverged = false;
    for (const [i, command] of batch.entries()) {
      const index = firstIndex + i;
      let prelude: Exchange | undefined;
      if (command.prelude !== undefined) {
        prelude = {
          args: command.prelude,
          protocol,
          ours: replyAt(a, position),
          redis: replyAt(b, position),
        };
        position += 1;
      }
      const oursReply = replyAt(a, position);
      const redisReply = replyAt(b, position);
      let companion: Exchange["companion"];
      if (command.companion !== undefined) {
        companion = {
          ours: replyAt(a, position + 1),
          redis: replyAt(b, position + 1),
        };
      }
      position += command.companion === undefined ? 1 : 2;
      if (diverged) {
        this.#skipped += 1;
        continue;
      }
      if (
        prelude !== undefined &&
        !this.#judge(
          prelude,
          index,
          `${escapeCommand(prelude.args)} (sent right before command ${index})`,
        )
      ) {
        diverged = true;
        continue;
      }
      let exchange: Exchange = {
        args: command.args,
        protocol,
        ours: oursReply,
        redis: redisReply,
        ...(companion === undefined ? {} : { companion }),
      };
      if (i === batch.length - 1 && startsScanWalk(exchange)) {
        exchange = await this.#walkScan(exchange);
      }
      if (!this.#judge(exchange, index, escapeCommand(command.args))) {
        diverged = true;
        continue;
      }
      if (command.companion !== undefined && companion !== undefined) {
        const ok = this.#judge(
          { args: command.companion, protocol, ...companion },
          index,
          `${escapeCommand(command.companion)} (sent right after command ${index})`,
        );
        if (!ok) diverged = true;
      }
    }

    if (a.failure !== undefined || b.failure !== undefined) {
      await this.#checkAlive();
      if (this.#fatal) return;
      await this.#reconnect();
    } else {
      const last = batch.at(-1)!;
      if (commandName(last.args) === "hello") {
        // Both switched (or neither: a difference, reset below).
        this.#protocol = protocolAfterHello(b.replies.at(-1)!, protocol);
      }
      if (commandName(last.args) === "quit") {
        await this.#reconnect();
      } else if (last.expires !== undefined && !diverged) {
        const index = firstIndex + batch.length - 1;
        diverged = !(await this.#letExpire(last.expires, index));
      }
    }
    if (diverged) await this.#resync();
  }

  /**
   * Judges one exchange; returns false for an unexplained difference
   * (recorded and printed, and counted in `countedIn`: the exchange's own
   * protocol, or for the runner's own HELLOs the block's).
   */
  #judge(
    exchange: Exchange,
    index: number,
    what: string,
    countedIn: Protocol = exchange.protocol,
  ): boolean {
    const verdict = compareExchange(exchange, this.#context);
    switch (verdict.kind) {
      case "same":
        return true;
      case "normalised":
        bump(this.#normalised, verdict.rule);
        return true;
      case "explained":
        for (const id of verdict.ids) bump(this.#explained, id);
        return true;
      case "different": {
        // Shown with the known differences found in it taken out, if any.
        const shown = verdict.residual ?? exchange;
        const note =
          (verdict.part === undefined ? "" : ` (shown: ${verdict.part})`) +
          (verdict.without === undefined
            ? ""
            : ` (replies shown without: ${verdict.without.join(", ")})`);
        this.#record(
          index,
          `command ${index} (${protocolName(countedIn)}): ${what}${note}`,
          shown.ours,
          shown.redis,
          commandName(exchange.args),
          countedIn,
        );
        return false;
      }
    }
  }

  /** Counts an unexplained difference and prints it the first time one like it is seen. */
  #record(
    index: number,
    headline: string,
    ours: RespReply,
    redis: RespReply,
    kind: string,
    protocol: Protocol,
  ): void {
    this.#unexplained += 1;
    this.#byProtocol[protocol].unexplained += 1;
    const first = firstDifference(ours.raw, redis.raw);
    const [oursShown, redisShown] = [ours.raw, redis.raw].map((raw) =>
      shownFrom(raw, first),
    );
    // One signature per kind of difference: the command's name and what
    // each side has where they part, blurred (see `shape`).
    const signature = [kind, ours.raw, redis.raw]
      .map((part) =>
        typeof part === "string"
          ? part
          : shape(part.subarray(first, first + 80)),
      )
      .join("\n");
    const seen = this.#seen.get(signature);
    if (seen !== undefined) {
      seen.count += 1;
      return;
    }
    this.#seen.set(signature, { count: 1, firstAt: index, headline });
    if (this.#seen.size > MAX_PRINTED) {
      if (this.#seen.size === MAX_PRINTED + 1)
        this.#print(`  (more differences: counted, not printed)`);
      return;
    }
    this.#print(`DIFFERENCE at ${headline}`);
    this.#print(`    ours:  ${oursShown}`);
    this.#print(`    redis: ${redisShown}`);
    this.#print(`    reproduce: ${this.#reproduce(index)}`);
  }

  /**
   * A wait scenario (wait-scenario.ts): its clients connect in the block's
   * protocol; every exchange is judged in order, up to the first
   * unexplained difference, after which both servers are reset. Its
   * setup, waiters and wakers count as commands.
   */
  async #runScenario(command: FuzzCommand): Promise<void> {
    const scenario = command.scenario!;
    const index = this.#done + 1;
    const counted =
      scenario.setup.length + scenario.waiters.length + scenario.wakers.length;
    this.#done += counted;
    this.#byProtocol[this.#block].commands += counted;
    this.#scenarios += 1;
    const steps = await runWaitScenario(
      scenario,
      {
        ours: { port: this.#ours.port, control: this.#control.ours },
        redis: { port: this.#redis.port, control: this.#control.redis },
      },
      await this.#opening(this.#block),
      this.#block,
      this.#waits,
    );
    for (const { exchange, what } of steps) {
      if (!this.#judge(exchange, index, what, this.#block)) {
        await this.#checkAlive();
        if (!this.#fatal) await this.#resync();
        return;
      }
    }
  }

  /**
   * A transaction scenario (transaction-scenario.ts): its clients connect
   * in the block's protocol; every exchange is judged in order, up to the
   * first unexplained difference, after which both servers are reset. Its
   * commands (not their companions) count as commands.
   */
  async #runTransactions(command: FuzzCommand): Promise<void> {
    const scenario = command.transaction!;
    const index = this.#done + 1;
    const counted = scenario.steps.reduce(
      (sum, step) => sum + step.commands.length,
      0,
    );
    this.#done += counted;
    this.#byProtocol[this.#block].commands += counted;
    const steps = await runTransactionScenario(
      scenario,
      { ours: this.#ours.port, redis: this.#redis.port },
      await this.#opening(this.#block),
      this.#block,
      this.#transactions,
    );
    for (const { exchange, what } of steps) {
      if (!this.#judge(exchange, index, what, this.#block)) {
        await this.#checkAlive();
        if (!this.#fatal) await this.#resync();
        return;
      }
    }
  }

  /**
   * SCAN from cursor 0, walked to its end on each server: the keys found
   * are compared as sorted sets, since cursors and batches are positions
   * in each server's own hash table.
   */
  async #walkScan(exchange: Exchange): Promise<Exchange> {
    const options = exchange.args.slice(2);
    const walk = async (peer: Peer, first: RespReply): Promise<RespReply> => {
      const found = new Map<string, Buffer>();
      let reply = first;
      for (let calls = 1; ; calls++) {
        const items = itemsOf(reply);
        const batch = items?.[1] === undefined ? undefined : itemsOf(items[1]);
        if (items?.length !== 2 || batch === undefined) {
          return replyOf(
            `-(walk) unexpected SCAN reply: ${escapeBytes(reply.raw, 100)}\r\n`,
          );
        }
        for (const key of batch) {
          const bytes = key.data ?? Buffer.alloc(0);
          found.set(bytes.toString("hex"), bytes);
        }
        const cursor = textOf(items[0]!) ?? "0";
        if (cursor === "0") break;
        if (calls >= MAX_SCAN_CALLS) {
          return replyOf(`-(walk) SCAN did not end after ${calls} calls\r\n`);
        }
        peer.write(encodeCommand([word("SCAN"), word(cursor), ...options]));
        const next = await peer.read(1);
        if (next.failure !== undefined) {
          return replyOf(`-(walk) ${next.failure}\r\n`);
        }
        reply = next.replies[0]!;
      }
      const keys = [...found.values()].sort(Buffer.compare);
      return replyOf(
        Buffer.concat([
          word(`*${keys.length}\r\n`),
          ...keys.map((key) =>
            Buffer.concat([word(`$${key.length}\r\n`), key, word("\r\n")]),
          ),
        ]),
      );
    };
    const [ours, redis] = await Promise.all([
      walk(this.#peers.ours, exchange.ours),
      walk(this.#peers.redis, exchange.redis),
    ]);
    return { args: exchange.args, protocol: exchange.protocol, ours, redis };
  }

  /**
   * After a deadline that is past or a few milliseconds away: wait for it
   * to pass, then look the key up on both servers, so lazy expiry deletes
   * it at this point in both streams. Returns false on an unexplained
   * difference.
   */
  async #letExpire(
    { key, lapse }: NonNullable<FuzzCommand["expires"]>,
    index: number,
  ): Promise<boolean> {
    if (lapse === "soon") await sleep(EXPIRY_WAIT_MS);
    const args = [word("EXISTS"), key];
    const { ours, redis } = this.#peers;
    ours.write(encodeCommand(args));
    redis.write(encodeCommand(args));
    const [a, b] = await Promise.all([ours.read(1), redis.read(1)]);
    return this.#judge(
      {
        args,
        protocol: this.#protocol,
        ours: replyAt(a, 0),
        redis: replyAt(b, 0),
      },
      index,
      `${escapeCommand(args)} (after command ${index}'s deadline passed)`,
    );
  }

  /** The whole state of both servers, compared; drift is recorded, then both are reset. */
  /**
   * Waits until neither server is rewriting its AOF. While one rewrites,
   * Redis leaves keys' LRU clocks alone (it has a child process), and the
   * two rewrites take different times: a key read meanwhile would be
   * touched on one server and not on the other, and OBJECT IDLETIME
   * would differ for a reason no reply explains. Gives up after a minute
   * and goes on.
   */
  async #awaitRewrites(): Promise<void> {
    const { ours, redis } = this.#control;
    const info = [Buffer.from("INFO"), Buffer.from("persistence")];
    const giveUpAt = Date.now() + 60_000;
    while (Date.now() < giveUpAt) {
      const [a, b] = await askBoth(ours, redis, [info]);
      const busy = [a[0]!, b[0]!].some((reply) =>
        /aof_rewrite_(in_progress|scheduled):1/.test(textOf(reply) ?? ""),
      );
      if (!busy) return;
      await sleep(20);
    }
  }

  async #checkpoint(): Promise<void> {
    const has = (name: string): boolean =>
      this.#capabilities.commands.has(name);
    if (!has("select") || !has("dbsize") || !has("keys")) return;
    this.#checkpoints += 1;
    const cluster = this.#capabilities.cluster === true;
    // A cluster has database 0 only (SELECT 1 is refused).
    const differences = await compareState(
      this.#control.ours,
      this.#control.redis,
      cluster ? 1 : this.#capabilities.databases,
      has,
    );
    if (cluster && differences.length === 0) {
      differences.push(
        ...(await compareSlots(this.#control.ours, this.#control.redis)),
      );
    }
    for (const difference of differences) {
      this.#record(
        this.#done,
        `checkpoint after command ${this.#done} (${protocolName(this.#controlProtocol)}): ${difference.what}`,
        difference.ours,
        difference.redis,
        `checkpoint ${difference.what.replace(/ key ".*"/, " key")}`,
        this.#controlProtocol,
      );
    }
    if (differences.length > 0) await this.#resync();
  }

  /** Same state on both sides again: settings as at start, no data, fresh connections. */
  async #resync(): Promise<void> {
    this.#resyncs += 1;
    const { ours, redis } = this.#control;
    const commands: Buffer[][] = this.#initialConfig.map(([name, value]) => [
      word("CONFIG"),
      word("SET"),
      word(name),
      value,
    ]);
    if (this.#capabilities.commands.has("flushall"))
      commands.push([word("FLUSHALL")]);
    if (commands.length > 0) await askBoth(ours, redis, commands);
    if (this.#capabilities.cluster === true) await restoreSlots(ours, redis);
    await this.#reconnect();
  }

  /**
   * New fuzzed connections to both servers, in the block's protocol: in
   * RESP3 they open with HELLO 3, compared.
   */
  async #reconnect(): Promise<void> {
    this.#peers.ours.close();
    this.#peers.redis.close();
    this.#peers = {
      ours: await Peer.connect(this.#ours.port),
      redis: await Peer.connect(this.#redis.port),
    };
    this.#protocol = 2;
    if (this.#block === 3) {
      this.#protocol = await this.#hello(
        this.#peers,
        await this.#openingHello(),
        2,
        `opening a connection (after command ${this.#done})`,
      );
    }
  }

  /**
   * HELLO 3, with AUTH when a fuzzed CONFIG SET left a password (read from
   * redis-server): HELLO 3 alone would get NOAUTH, and the connection would
   * spend the RESP3 block in RESP2.
   */
  async #openingHello(): Promise<Buffer[]> {
    const hello = helloArgs(3);
    const password = await this.#password();
    if (password === undefined) return hello;
    return [...hello, word("AUTH"), word("default"), password];
  }

  /**
   * What a wait scenario's connection opens with in `protocol`: HELLO 3,
   * or in RESP2 nothing, each with AUTH if a password is set.
   */
  async #opening(protocol: Protocol): Promise<Buffer[] | undefined> {
    if (protocol === 3) return this.#openingHello();
    const password = await this.#password();
    return password === undefined ? undefined : [word("AUTH"), password];
  }

  /** The password a fuzzed CONFIG SET left, read from redis-server; undefined for none. */
  async #password(): Promise<Buffer | undefined> {
    if (!this.#capabilities.commands.has("config|get")) return undefined;
    const [reply] = await askOne(this.#control.redis, [
      word("CONFIG"),
      word("GET"),
      word("requirepass"),
    ]);
    const password = elementsOf(reply!)?.[1]?.data;
    return password === undefined || password.length === 0
      ? undefined
      : Buffer.from(password);
  }

  /**
   * After a fuzzed HELLO switched the connection out of the block's
   * protocol: one batch goes out in the new one (what follows a switch is
   * what it tests), then the runner's own HELLO switches it back, so that
   * a block is spent in its protocol.
   */
  async #backToBlock(): Promise<void> {
    if (this.#protocol === this.#block) {
      this.#offBlock = 0;
      return;
    }
    this.#offBlock += 1;
    if (this.#offBlock < 2) return;
    this.#protocol = await this.#hello(
      this.#peers,
      helloArgs(this.#block),
      this.#protocol,
      `back to the block's protocol (after command ${this.#done})`,
    );
  }

  /** The next block, in `protocol`: the checkpoint connections switch, the fuzzed ones are opened anew. */
  async #switchProtocol(protocol: Protocol): Promise<void> {
    this.#block = protocol;
    this.#controlProtocol = await this.#hello(
      this.#control,
      helloArgs(protocol),
      this.#controlProtocol,
      `on the checkpoint connections (after command ${this.#done})`,
    );
    await this.#reconnect();
  }

  /**
   * Sends `args`, a HELLO, to both servers on `peers` and judges the
   * replies (a difference counts in the block's protocol); returns the
   * protocol the connections speak after it.
   */
  async #hello(
    peers: { ours: Peer; redis: Peer },
    args: Buffer[],
    before: Protocol,
    where: string,
  ): Promise<Protocol> {
    peers.ours.write(encodeCommand(args));
    peers.redis.write(encodeCommand(args));
    const [a, b] = await Promise.all([peers.ours.read(1), peers.redis.read(1)]);
    const exchange: Exchange = {
      args,
      protocol: before,
      ours: replyAt(a, 0),
      redis: replyAt(b, 0),
    };
    // A difference here is recorded, not reset: a reset opens connections
    // with the same HELLO, which would differ again.
    const what = `${escapeCommand(args)} ${where}`;
    this.#judge(exchange, this.#done, what, this.#block);
    return protocolAfterHello(exchange.redis, before);
  }

  /** After a connection failed: if a server died, that ends the run, as a difference. */
  async #checkAlive(): Promise<void> {
    await sleep(100);
    for (const server of [this.#ours, this.#redis]) {
      if (!server.exited()) continue;
      this.#fatal = true;
      this.#unexplained += 1;
      this.#byProtocol[this.#protocol].unexplained += 1;
      this.#print(
        `FATAL: ${server.name} exited after command ${this.#done}; its last output:`,
      );
      this.#print(server.output());
      this.#print(`    reproduce: ${this.#reproduce(this.#done)}`);
    }
  }

  #reproduce(count: number): string {
    const { chapter, seed } = this.#options;
    return reproduce(
      chapter,
      seed,
      count,
      this.#protocolChoice,
      this.#capabilities.cluster === true,
    );
  }
}

/**
 * What the chapter has: its commands and subcommands (from its COMMAND
 * reply: each entry's first field is the name, its tenth the subcommands'
 * entries), its CONFIG parameters and how many databases it has.
 */
async function readCapabilities(
  peer: Peer,
  cluster: boolean,
): Promise<Capabilities> {
  const [listing] = await askOne(peer, [word("COMMAND")]);
  const nameOf = (entry: RespReply): string | undefined => {
    const first = itemsOf(entry)?.[0];
    return first === undefined ? undefined : textOf(first);
  };
  const commands = new Set<string>();
  for (const entry of itemsOf(listing!) ?? []) {
    const name = nameOf(entry);
    if (name !== undefined) commands.add(name);
    const subcommands = itemsOf(entry)?.[9];
    for (const sub of subcommands === undefined
      ? []
      : (itemsOf(subcommands) ?? [])) {
      const subName = nameOf(sub);
      if (subName !== undefined) commands.add(subName);
    }
  }
  if (commands.size === 0) {
    throw new Error(
      `COMMAND listed no commands: ${escapeBytes(listing!.raw, 200)}`,
    );
  }
  let configParameters: string[] = [];
  let databases = 16;
  if (commands.has("config|get")) {
    const [all, dbs] = await askOne(
      peer,
      [word("CONFIG"), word("GET"), word("*")],
      [word("CONFIG"), word("GET"), word("databases")],
    );
    const items = itemsOf(all!) ?? [];
    configParameters = items
      .filter((_, i) => i % 2 === 0)
      .map((item) => textOf(item) ?? "");
    const value = itemsOf(dbs!)?.[1];
    if (value !== undefined) databases = Number(textOf(value));
  }
  return { commands, configParameters, databases, cluster };
}

/** Sends commands to one server and reads their replies; throws if they do not come. */
async function askOne(
  peer: Peer,
  ...commands: Buffer[][]
): Promise<RespReply[]> {
  peer.write(Buffer.concat(commands.map(encodeCommand)));
  const result = await peer.read(commands.length);
  if (result.failure !== undefined)
    throw new Error(`no reply: ${result.failure}`);
  return result.replies;
}

/** The reply at `position`, or a stand-in saying why there is none. */
function replyAt(result: ReadResult, position: number): RespReply {
  return (
    result.replies[position] ??
    replyOf(`-(no reply: ${result.failure ?? "missing"})\r\n`)
  );
}

/**
 * Commands after which the runner acts, so each ends its batch: QUIT closes
 * the connection; HELLO may switch its protocol, which the runner follows
 * (so the commands after it are counted in the right one); SCAN 0 is
 * walked; a lapsing deadline is followed by a lookup. A blocking command
 * left to time out ends its batch too: Redis may take up to a second
 * (its `hz`) to answer it, so a batch holds one at most.
 */
function endsBatch(command: FuzzCommand): boolean {
  const name = commandName(command.args);
  return (
    startsRewrite(command) ||
    name === "quit" ||
    name === "hello" ||
    name === "scan" ||
    command.expires !== undefined ||
    command.blocking === "times-out"
  );
}

/**
 * A command that may start an AOF rewrite: BGREWRITEAOF, or CONFIG SET
 * with appendonly among its parameters (turning the AOF on writes it out
 * whole first). The runner then waits for the rewrites to end.
 */
function startsRewrite({ args }: FuzzCommand): boolean {
  const name = commandName(args);
  if (name === "bgrewriteaof") return true;
  return (
    name === "config" &&
    args.some((arg) => arg.toString("latin1").toLowerCase() === "appendonly")
  );
}

/** A SCAN from cursor 0 that both servers answered with a first batch. */
function startsScanWalk({ args, ours, redis }: Exchange): boolean {
  const isBatch = (reply: RespReply): boolean =>
    !isError(reply) && itemsOf(reply)?.length === 2;
  return (
    commandName(args) === "scan" &&
    args[1]?.toString("latin1") === "0" &&
    isBatch(ours) &&
    isBatch(redis)
  );
}

/** Bytes shown of each reply in a report. */
const SHOWN_BYTES = 400;

/** Where two byte strings first differ (the shorter one's length if one is the other's start). */
function firstDifference(a: Buffer, b: Buffer): number {
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) {
    first += 1;
  }
  return first;
}

/**
 * A reply, escaped, cut to SHOWN_BYTES around where it first differs from
 * the other: in two 5 kB COMMAND DOCS replies the difference is rarely in
 * the first few hundred bytes.
 */
function shownFrom(bytes: Buffer, first: number): string {
  const start = first < SHOWN_BYTES - 100 ? 0 : first - 100;
  return (
    (start > 0 ? `(${bytes.length} bytes, from byte ${start}) ...` : "") +
    escapeBytes(bytes.subarray(start), SHOWN_BYTES)
  );
}

/** Bytes with quoted arguments and numbers blurred: differences of one kind share a shape. */
function shape(bytes: Buffer): string {
  return escapeBytes(bytes)
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, "N");
}

function bump(map: Map<string, number>, name: string): void {
  map.set(name, (map.get(name) ?? 0) + 1);
}

/** The command line that replays a run up to command `count`. */
export function reproduce(
  chapter: Chapter,
  seed: number,
  count: number,
  protocol: ProtocolChoice = "both",
  cluster = false,
): string {
  const option =
    (cluster ? " --cluster" : "") +
    (protocol === "both" ? "" : ` --protocol ${protocol}`);
  return `npm run fuzz -- ${chapter.id.slice(0, 2)} --seed ${seed} --commands ${count}${option}`;
}
