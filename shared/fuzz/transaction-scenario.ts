/**
 * Transaction scenarios (generators/transactions.ts): two to eight
 * clients on connections of their own, each step one client's commands,
 * run the same way on both servers, between two batches.
 *
 * 1. The connections open (HELLO in the block's protocol, with AUTH if a
 *    password is set) and each SELECTs its database.
 * 2. The steps go out one at a time: a step's commands are pipelined on
 *    its client's connection, and the next step goes out only once both
 *    servers have answered every one of them. So the order in which the
 *    clients' commands reach a server is the scenario's, on both servers,
 *    and a WATCH, another client's write and an EXEC meet in that order.
 *    A step may end with a pause (a deadline to wait out).
 *    A connection both servers close (a client logged out by RESET that
 *    sends more than ten words) sends nothing more; the others go on.
 * 3. The connections close, transactions still open included: a server
 *    must forget their queues and watched keys.
 *
 * Every reply comes back as an exchange, in order, for the runner to
 * judge. The runner follows each client's transaction by redis-server's
 * replies: `+OK` to MULTI opens one, every `+QUEUED` adds its command, and
 * the exchange of the EXEC that ends it carries the queued commands, so
 * that each element of EXEC's reply is judged as the reply of its own
 * command (compare.ts): KEYS inside EXEC is compared sorted, as outside.
 */
import { Peer, type ReadResult } from "./peer.ts";
import {
  encodeCommand,
  encodeInline,
  escapeCommand,
  isError,
  isNull,
  replyOf,
  textOf,
  type Protocol,
  type RespReply,
} from "./resp.ts";
import {
  commandName,
  itemsOf,
  queuedElements,
  type Exchange,
  type QueuedCommand,
} from "./exchange.ts";
import type {
  ScenarioCommand,
  TransactionScenario,
} from "./generators/transactions.ts";
import { protocolAfterHello, protocolsOfElements } from "./protocol.ts";
import type { ScenarioStep } from "./wait-scenario.ts";
import { sleep } from "./servers.ts";

/** What the scenarios' transactions did on redis-server, for the run's report. */
export interface TransactionTally {
  scenarios: number;
  /** Connections opened, on each server. */
  clients: number;
  /** EXECs that ran their queue. */
  ran: number;
  /** EXECs that ran nothing because a watched key had changed (a null reply). */
  watchFailed: number;
  /** EXECs refused for a command refused at queue time (EXECABORT). */
  aborted: number;
  /** Transactions ended by DISCARD. */
  discarded: number;
  /** Commands queued, in transactions that EXEC then ran. */
  queuedAndRan: number;
}

export function emptyTransactionTally(): TransactionTally {
  return {
    scenarios: 0,
    clients: 0,
    ran: 0,
    watchFailed: 0,
    aborted: 0,
    discarded: 0,
    queuedAndRan: 0,
  };
}

const word = (text: string): Buffer => Buffer.from(text, "latin1");

/** One client on both servers, and what redis-server's replies say of it. */
interface Client {
  readonly ours: Peer;
  readonly redis: Peer;
  protocol: Protocol;
  /** Its transaction's queued commands, from MULTI's `+OK` to EXEC; undefined outside MULTI. */
  queue: QueuedCommand[] | undefined;
  /** Both servers closed its connection: its later steps are not sent. */
  closed: boolean;
}

/**
 * Runs `scenario` on both servers. `opening` is the command each new
 * connection starts with (HELLO, AUTH), if any; `protocol` the block's.
 * Stops at a connection that breaks; the connections always close.
 */
export async function runTransactionScenario(
  scenario: TransactionScenario,
  ports: { readonly ours: number; readonly redis: number },
  opening: Buffer[] | undefined,
  protocol: Protocol,
  tally?: TransactionTally,
): Promise<ScenarioStep[]> {
  const steps: ScenarioStep[] = [];
  const clients: Client[] = [];
  try {
    for (const db of scenario.databases) {
      const [ours, redis] = await Promise.all([
        Peer.connect(ports.ours),
        Peer.connect(ports.redis),
      ]);
      clients.push({ ours, redis, protocol, queue: undefined, closed: false });
      const commands = [
        ...(opening === undefined ? [] : [{ args: opening }]),
        { args: [word("SELECT"), word(db)] },
      ];
      const i = clients.length;
      const sent = await send(
        clients.at(-1)!,
        commands,
        steps,
        (args) =>
          `${escapeCommand(args)} (opening connection ${i} of a transaction scenario)`,
      );
      if (sent !== "answered") return steps;
    }
    if (tally !== undefined) {
      tally.scenarios += 1;
      tally.clients += clients.length;
    }
    const count = clients.length;
    for (const [n, step] of scenario.steps.entries()) {
      const client = clients[step.client]!;
      // Both servers closed it (a client logged out by RESET that sends
      // more than ten words, say): the others go on, so that their steps,
      // the sweeps of deadlines among them, still run.
      if (client.closed) continue;
      const sent = await send(
        client,
        step.commands,
        steps,
        (args) =>
          `${escapeCommand(args)} (client ${step.client + 1} of ${count}, step ${n + 1} of a transaction scenario)`,
        tally,
      );
      if (sent === "failed") return steps;
      if (sent === "closed") client.closed = true;
      if (step.pause !== undefined) await sleep(step.pause);
    }
  } finally {
    for (const client of clients) {
      client.ours.close();
      client.redis.close();
    }
  }
  return steps;
}

/**
 * Sends `commands` (with their companions) on `client` of both servers,
 * reads every reply, records each pair and follows the client's
 * transaction. Says whether every reply came, or both servers closed the
 * connection, or anything else happened (one side closed, no reply in
 * time), which the stand-in replies recorded show as a difference.
 */
async function send(
  client: Client,
  commands: readonly ScenarioCommand[],
  steps: ScenarioStep[],
  what: (args: readonly Buffer[]) => string,
  tally?: TransactionTally,
): Promise<"answered" | "closed" | "failed"> {
  const wire: Buffer[] = [];
  for (const command of commands) {
    wire.push(
      (command.inline === true ? encodeInline(command.args) : undefined) ??
        encodeCommand(command.args),
    );
    if (command.companion !== undefined)
      wire.push(encodeCommand(command.companion));
  }
  const bytes = Buffer.concat(wire);
  client.ours.write(bytes);
  client.redis.write(bytes);
  const [a, b] = await Promise.all([
    client.ours.read(wire.length),
    client.redis.read(wire.length),
  ]);
  let position = 0;
  for (const command of commands) {
    const protocol = client.protocol;
    const ours = replyAt(a, position);
    const redis = replyAt(b, position);
    let companion: Exchange["companion"];
    if (command.companion !== undefined) {
      companion = {
        ours: replyAt(a, position + 1),
        redis: replyAt(b, position + 1),
      };
    }
    position += command.companion === undefined ? 1 : 2;
    const queued = follow(client, command, redis, companion?.redis, tally);
    steps.push({
      exchange: {
        args: command.args,
        protocol,
        ours,
        redis,
        ...(companion === undefined ? {} : { companion }),
        ...(queued === undefined ? {} : { queued }),
      },
      what: what(command.args),
    });
    if (command.companion !== undefined && companion !== undefined) {
      steps.push({
        exchange: { args: command.companion, protocol, ...companion },
        what: `${what(command.companion)}, sent right after ${escapeCommand(command.args)}`,
      });
    }
  }
  if (a.failure === undefined && b.failure === undefined) return "answered";
  const closed = "connection closed";
  return a.failure === closed &&
    b.failure === closed &&
    a.replies.length === b.replies.length
    ? "closed"
    : "failed";
}

/**
 * What redis-server's reply to `command` says of the client's
 * transaction and protocol; for an EXEC that ends a transaction, the
 * commands it had queued.
 */
function follow(
  client: Client,
  command: ScenarioCommand,
  reply: RespReply,
  companion: RespReply | undefined,
  tally: TransactionTally | undefined,
): QueuedCommand[] | undefined {
  const name = commandName(command.args);
  const text = textOf(reply);
  // A HELLO outside MULTI switches at once (inside, it is queued).
  if (name === "hello" && client.queue === undefined) {
    client.protocol = protocolAfterHello(reply, client.protocol);
    return undefined;
  }
  if (name === "reset" && text === "RESET") {
    client.protocol = 2;
    client.queue = undefined;
    return undefined;
  }
  const queue = client.queue;
  if (queue === undefined) {
    if (name === "multi" && text === "OK") client.queue = [];
    return undefined;
  }
  if (name === "exec") {
    // EXEC ends the transaction whatever it answers (even with a word too
    // many: EXECABORT).
    client.queue = undefined;
    const elements = itemsOf(reply);
    if (elements !== undefined) {
      client.protocol = protocolsOfElements(
        queuedElements(queue),
        elements,
        client.protocol,
      ).after;
    }
    if (tally !== undefined) {
      if (isNull(reply)) tally.watchFailed += 1;
      else if (isError(reply)) tally.aborted += 1;
      else {
        tally.ran += 1;
        tally.queuedAndRan += itemsOf(reply)?.length ?? 0;
      }
    }
    return queue;
  }
  if (name === "discard" && text === "OK") {
    client.queue = undefined;
    if (tally !== undefined) tally.discarded += 1;
    return undefined;
  }
  if (reply.type === "+" && text === "QUEUED") {
    const queuedCompanion =
      command.companion !== undefined &&
      companion?.type === "+" &&
      textOf(companion) === "QUEUED";
    queue.push(
      queuedCompanion
        ? { args: command.args, companion: command.companion }
        : { args: command.args },
    );
  }
  return undefined;
}

/** The reply at `position`, or a stand-in saying why there is none. */
function replyAt(result: ReadResult, position: number): RespReply {
  return (
    result.replies[position] ??
    replyOf(`-(no reply: ${result.failure ?? "missing"})\r\n`)
  );
}
