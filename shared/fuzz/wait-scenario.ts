/**
 * Wait scenarios (generators/blocking.ts): clients that block on keys and
 * one that gives them data, on connections of their own, run step by
 * step, the same way on both servers, between two batches.
 *
 * 1. The connections open (HELLO in the block's protocol, with AUTH if a
 *    password is set) and SELECT the scenario's database; the setup
 *    commands go out on the last one, the waker.
 * 2. Each waiter sends its blocking command. The next one goes out only
 *    once every waiter so far has answered or is counted in INFO's
 *    `blocked_clients` (the server's own signal, polled; no fixed sleep),
 *    so the servers queue the waiters in the order they were sent.
 * 3. The wakers go out, pipelined, on the waker connection.
 * 4. Again until every waiter has answered or is counted as waiting; then
 *    what each one answered is compared, "still waiting" included.
 * 5. The connections close, and `blocked_clients` must come back to 0:
 *    a client that leaves while it waits is forgotten.
 *
 * What comes back is every exchange, in that order, for the runner to
 * judge. `blocked_clients` is compared as an integer after each waiter
 * and after the wakers: a server that answers a waiter at once where the
 * other makes it wait is found there, even if the answers later agree.
 */
import { Peer } from "./peer.ts";
import {
  encodeCommand,
  escapeCommand,
  replyOf,
  textOf,
  type Protocol,
  type RespReply,
} from "./resp.ts";
import type { Exchange } from "./exchange.ts";
import type { WaitScenario } from "./generators/blocking.ts";
import { sleep } from "./servers.ts";

/** One server as a scenario sees it: where to connect, and the connection that reads INFO. */
export interface ScenarioServer {
  readonly port: number;
  readonly control: Peer;
}

/** An exchange of the scenario, and how a report names it. */
export interface ScenarioStep {
  readonly exchange: Exchange;
  readonly what: string;
}

/** How long a server may take to queue a waiter or let it go (a correct one takes a millisecond or two). */
const SETTLE_MS = 5_000;
/** Between two INFO polls. */
const POLL_MS = 1;
/** Stands in for the args of a `blocked_clients` comparison: no rule of normalise.ts applies to it. */
const BLOCKED_CLIENTS = [Buffer.from("(blocked_clients)")];

const word = (text: string): Buffer => Buffer.from(text, "latin1");

/** The two sides' connections, waiters first, the waker last. */
interface Sides {
  readonly ours: Peer[];
  readonly redis: Peer[];
}

/** What a scenario's waiters did on redis-server, for the run's report. */
export interface WaitTally {
  /** Waiters sent. */
  waiters: number;
  /** Those that waited (did not answer at once). */
  waited: number;
  /** Those that waited and were served (or got WRONGTYPE) once the wakers ran. */
  woken: number;
}

/**
 * Runs `scenario` on both servers. `opening` is the command each new
 * connection starts with (HELLO, AUTH), if any; `protocol` the block's.
 * The steps stop at the first `blocked_clients` that differs (what comes
 * after it would differ too), but the connections always close and the
 * servers are always given the time to forget their waiters, so that the
 * next scenario starts with none.
 */
export async function runWaitScenario(
  scenario: WaitScenario,
  servers: { readonly ours: ScenarioServer; readonly redis: ScenarioServer },
  opening: Buffer[] | undefined,
  protocol: Protocol,
  tally?: WaitTally,
): Promise<ScenarioStep[]> {
  const steps: ScenarioStep[] = [];
  const count = scenario.waiters.length + 1;
  const connect = (server: ScenarioServer): Promise<Peer[]> =>
    Promise.all(Array.from({ length: count }, () => Peer.connect(server.port)));
  const sides: Sides = {
    ours: await connect(servers.ours),
    redis: await connect(servers.redis),
  };
  try {
    await play(scenario, servers, sides, opening, protocol, steps, tally);
  } finally {
    for (const peer of [...sides.ours, ...sides.redis]) peer.close();
  }
  const [ours, redis] = await Promise.all([
    untilBlocked(servers.ours, 0),
    untilBlocked(servers.redis, 0),
  ]);
  steps.push({
    exchange: { args: BLOCKED_CLIENTS, protocol, ours, redis },
    what: "blocked_clients once the wait scenario's clients left",
  });
  return steps;
}

/** Steps 1 to 4, on connections already open: waiters first, the waker last. */
async function play(
  scenario: WaitScenario,
  servers: { readonly ours: ScenarioServer; readonly redis: ScenarioServer },
  sides: Sides,
  opening: Buffer[] | undefined,
  protocol: Protocol,
  steps: ScenarioStep[],
  tally: WaitTally | undefined,
): Promise<void> {
  const waker = scenario.waiters.length;
  const select = [word("SELECT"), word(scenario.db)];
  for (let i = 0; i <= waker; i++) {
    const commands = opening === undefined ? [select] : [opening, select];
    const extra = i === waker ? scenario.setup : [];
    await exchangeAll(
      sides,
      i,
      [...commands, ...extra],
      protocol,
      steps,
      (args) =>
        `${escapeCommand(args)} (opening a wait scenario's connection ${i + 1})`,
    );
  }

  const waited: boolean[] = [];
  for (const [i, waiter] of scenario.waiters.entries()) {
    sides.ours[i]!.write(encodeCommand(waiter));
    sides.redis[i]!.write(encodeCommand(waiter));
    const settled = await settleBoth(servers, sides, i + 1, protocol);
    steps.push({
      exchange: settled,
      what: `blocked_clients once waiter ${i + 1} (${escapeCommand(waiter)}) waits or has answered`,
    });
    if (!settled.ours.raw.equals(settled.redis.raw)) return;
    waited.push(sides.redis[i]!.buffered === 0 && !sides.redis[i]!.closed);
  }

  await exchangeAll(
    sides,
    waker,
    scenario.wakers,
    protocol,
    steps,
    (args) =>
      `${escapeCommand(args)} (sent while the wait scenario's clients wait)`,
  );
  const settled = await settleBoth(
    servers,
    sides,
    scenario.waiters.length,
    protocol,
  );
  steps.push({ exchange: settled, what: "blocked_clients after the wakers" });
  if (!settled.ours.raw.equals(settled.redis.raw)) return;
  if (tally !== undefined) {
    tally.waiters += waited.length;
    tally.waited += waited.filter(Boolean).length;
    tally.woken += waited.filter(
      (did, i) => did && sides.redis[i]!.buffered > 0,
    ).length;
  }

  for (const [i, waiter] of scenario.waiters.entries()) {
    const [ours, redis] = await Promise.all([
      answerOf(sides.ours[i]!),
      answerOf(sides.redis[i]!),
    ]);
    steps.push({
      exchange: { args: waiter, protocol, ours, redis },
      what: `${escapeCommand(waiter)} (waiter ${i + 1} of a wait scenario)`,
    });
  }
}

/** Sends `commands` on connection `i` of both sides, reads every reply and records each pair. */
async function exchangeAll(
  sides: Sides,
  i: number,
  commands: readonly Buffer[][],
  protocol: Protocol,
  steps: ScenarioStep[],
  what: (args: readonly Buffer[]) => string,
): Promise<void> {
  if (commands.length === 0) return;
  const bytes = Buffer.concat(commands.map(encodeCommand));
  sides.ours[i]!.write(bytes);
  sides.redis[i]!.write(bytes);
  const [a, b] = await Promise.all([
    sides.ours[i]!.read(commands.length),
    sides.redis[i]!.read(commands.length),
  ]);
  commands.forEach((args, j) => {
    const stand = (failure: string | undefined): RespReply =>
      replyOf(`-(no reply: ${failure ?? "missing"})\r\n`);
    steps.push({
      exchange: {
        args,
        protocol,
        ours: a.replies[j] ?? stand(a.failure),
        redis: b.replies[j] ?? stand(b.failure),
      },
      what: what(args),
    });
  });
}

/**
 * Waits, on both servers, until each of the first `waiters` waiters has
 * answered or is counted as blocked; the exchange compares how many wait.
 */
async function settleBoth(
  servers: { readonly ours: ScenarioServer; readonly redis: ScenarioServer },
  sides: Sides,
  waiters: number,
  protocol: Protocol,
): Promise<Exchange> {
  const [ours, redis] = await Promise.all([
    settle(servers.ours, sides.ours.slice(0, waiters)),
    settle(servers.redis, sides.redis.slice(0, waiters)),
  ]);
  return { args: BLOCKED_CLIENTS, protocol, ours, redis };
}

/**
 * Polls INFO until the waiters that have answered and those the server
 * counts as blocked make up all of them: nothing is left in flight. The
 * count of blocked ones as an integer reply, or a stand-in saying why not.
 */
async function settle(
  server: ScenarioServer,
  waiters: readonly Peer[],
): Promise<RespReply> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const answered = waiters.filter((p) => p.buffered > 0 || p.closed).length;
    const blocked = await blockedClients(server.control);
    if (blocked === undefined)
      return replyOf("-(INFO clients has no blocked_clients)\r\n");
    if (answered + blocked === waiters.length)
      return replyOf(`:${blocked}\r\n`);
    if (Date.now() > deadline) {
      return replyOf(
        `-(after ${SETTLE_MS} ms, ${answered} of ${waiters.length} waiters answered and ${blocked} counted as blocked)\r\n`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** Polls INFO until `blocked_clients` is `wanted`, or the deadline; its last value. */
async function untilBlocked(
  server: ScenarioServer,
  wanted: number,
): Promise<RespReply> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const blocked = await blockedClients(server.control);
    if (blocked === undefined)
      return replyOf("-(INFO clients has no blocked_clients)\r\n");
    if (blocked === wanted || Date.now() > deadline)
      return replyOf(`:${blocked}\r\n`);
    await sleep(POLL_MS);
  }
}

/** INFO clients' `blocked_clients`, read on the control connection. */
async function blockedClients(control: Peer): Promise<number | undefined> {
  control.write(encodeCommand([word("INFO"), word("clients")]));
  const { replies, failure } = await control.read(1);
  if (failure !== undefined) throw new Error(`INFO clients: ${failure}`);
  const match = /\bblocked_clients:(\d+)/.exec(textOf(replies[0]!) ?? "");
  return match === null ? undefined : Number(match[1]);
}

/** What a waiter answered, or a stand-in: still waiting, or its connection closed. */
async function answerOf(peer: Peer): Promise<RespReply> {
  if (peer.buffered > 0) return (await peer.read(1)).replies[0]!;
  return replyOf(
    peer.closed ? "-(connection closed)\r\n" : "-(still waiting)\r\n",
  );
}
