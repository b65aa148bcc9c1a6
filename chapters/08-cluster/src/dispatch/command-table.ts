/**
 * The command table: every command the server knows, found by name, and the
 * checks Redis makes before it runs one: does the command exist, does the
 * subcommand exist, is the number of arguments right, may this client run
 * it before authenticating. Each failure has its own error text, copied from
 * Redis word for word, because clients and people search for those texts.
 */
import type { CommandContext, CommandSpec } from "./command-spec.ts";
import type { BlockRequest } from "../blocking/block-request.ts";
import { nameOf, quoteArgument, STRING_TOO_LONG } from "./arguments.ts";
import { error, simple, type Reply } from "../protocol/reply.ts";
import { Transaction } from "../transactions/transaction.ts";
import {
  endTransaction,
  execRefused,
} from "../transactions/transaction-end.ts";
import { redirection } from "../cluster/routing.ts";
import type { ForwardRequest } from "../cluster/proxy/forwarding.ts";
import { MAX_STRING_BYTES } from "../keyspace/keyspace.ts";

export class CommandTable {
  readonly #byName = new Map<string, CommandSpec>();
  readonly #subcommands = new Map<CommandSpec, Map<string, CommandSpec>>();

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) {
      this.#byName.set(spec.name, spec);
      if (spec.subcommands !== undefined) {
        const byName = new Map<string, CommandSpec>();
        for (const sub of spec.subcommands) {
          byName.set(sub.name.slice(spec.name.length + 1), sub);
        }
        this.#subcommands.set(spec, byName);
      }
    }
  }

  /** Every top-level command, in the order they were registered. */
  all(): CommandSpec[] {
    return [...this.#byName.values()];
  }

  /**
   * Finds a command by name, in any letter case, or a subcommand by
   * "container|sub": the form COMMAND INFO and COMMAND DOCS take.
   */
  lookup(arg: Buffer): CommandSpec | undefined {
    const [container, sub, ...more] = nameOf(arg)?.split("|") ?? [];
    if (container === undefined || more.length > 0) return undefined;
    const spec = this.#byName.get(container);
    if (sub === undefined || spec === undefined) return spec;
    return this.#subcommands.get(spec)?.get(sub);
  }

  /**
   * The command a request would run, found as Redis finds it: by its first
   * word, then, for a container such as CONFIG, by its second (`CONFIG GET`).
   * Undefined if either is unknown. A container named alone is returned
   * itself, and fails the arity check. The dispatcher and COMMAND GETKEYS
   * both use this, so they cannot disagree on what a request means.
   */
  find(args: readonly Buffer[]): CommandSpec | undefined {
    const spec = this.#byName.get(nameOf(args[0]!) ?? "");
    const subcommands = spec && this.#subcommands.get(spec);
    if (subcommands === undefined || args.length < 2) return spec;
    return subcommands.get(nameOf(args[1]!) ?? "");
  }

  /** Redis's arity rule: exactly `arity` words, or at least `-arity` if negative. */
  arityHolds(spec: CommandSpec, args: readonly Buffer[]): boolean {
    return spec.arity >= 0
      ? args.length === spec.arity
      : args.length >= -spec.arity;
  }

  // #region dispatch
  // #region execute
  /**
   * Checks a command against the table and runs it, or, inside MULTI,
   * queues it; every failure is a reply.
   */
  execute(
    args: Buffer[],
    context: CommandContext,
  ): Reply | BlockRequest | ForwardRequest {
    const spec = this.find(args);
    context.lastCommand = spec;
    const { transaction } = context.session;
    const refusal = this.#refusal(spec, args, context);
    if (refusal !== undefined) {
      // A refused EXEC (`EXEC x`, or NOAUTH) ends the transaction at once.
      if (spec?.name === "exec")
        return execRefused(refusal, context.session, context.server);
      // Any other command refused inside MULTI dooms the whole
      // transaction: EXEC answers EXECABORT rather than run the rest
      // without it.
      transaction?.fail();
      return refusal;
    }
    // #region cluster-redirect
    // Cluster mode: a command for keys this node does not serve is
    // answered with where to go instead (cluster/routing.ts). Inside
    // MULTI that dooms the transaction, as a refusal does; a redirected
    // EXEC drops it.
    const { cluster } = context.server;
    const redirect = cluster && redirection(cluster, spec!, args, context);
    if (redirect !== undefined) {
      if (spec!.name === "exec") {
        endTransaction(context.session, context.server);
      } else {
        transaction?.fail();
      }
      // Or, with `cluster-proxy yes` (not Redis), sent to the owner
      // (cluster/proxy/forwarding.ts): the client loop waits for its reply.
      return redirect;
    }
    // #endregion cluster-redirect
    if (transaction !== undefined && !RUN_INSIDE_MULTI.has(spec!.name)) {
      return queue(transaction, spec!, args, context);
    }
    // One instant per command: every key it looks at is compared with the
    // same time (see `Keyspace.time`).
    context.server.keyspace.newInstant();
    return this.run(spec!, args, context);
  }
  // #endregion execute

  /**
   * Why the command cannot run (or be queued), in Redis's order of
   * checks, or undefined if it can.
   */
  #refusal(
    spec: CommandSpec | undefined,
    args: Buffer[],
    context: CommandContext,
  ): Reply | undefined {
    if (spec === undefined) {
      // Which word was unknown: the command's or its subcommand's?
      // (A name too long to be one becomes "", which finds nothing.)
      const container = this.#byName.get(nameOf(args[0]!) ?? "");
      if (container === undefined) return unknownCommand(args);
      return error(
        `ERR unknown subcommand '${quoteArgument(args[1]!)}'. Try ${container.name.toUpperCase()} HELP.`,
      );
    }

    if (!this.arityHolds(spec, args)) return wrongNumberOfArguments(spec.name);

    // Keys, values, patterns and settings become JavaScript strings, which
    // have a maximum length. (ECHO could do without; one rule for every
    // command cannot forget the one that converts.)
    if (args.some(tooLongForAString)) {
      return STRING_TOO_LONG;
    }

    // Checked after the name and arity, as Redis does: a client that has
    // not authenticated still learns that a command does not exist.
    if (authRequired(context) && !spec.flags.includes("no_auth")) {
      return NOAUTH;
    }
    if (
      context.session.transaction !== undefined &&
      spec.flags.includes("no_multi")
    ) {
      return NOT_IN_MULTI;
    }
    return undefined;
  }

  /**
   * Runs a command that passed the checks, and logs what it changed: the
   * second half of `execute`, and what EXEC calls for each queued command.
   */
  run(
    spec: CommandSpec,
    args: Buffer[],
    context: CommandContext,
  ): Reply | BlockRequest | ForwardRequest {
    const { keyspace, aof } = context.server;
    const changesBefore = keyspace.changes;
    context.loggedAs = undefined;
    const reply = spec.run(args, context);
    // #region log-write
    // The write flag says a command may change data; the change counter
    // says whether this call did. `SET` always does; `DEL` of a missing
    // key, or `EXPIRE ... NX` on a key that has a deadline, does not, and
    // is not logged.
    if (keyspace.changes !== changesBefore && spec.flags.includes("write")) {
      aof.record(context.session.db.index, context.loggedAs ?? args);
    }
    // #endregion log-write
    // Counted once it has run, as Redis counts: INFO does not count itself.
    context.server.stats.commandsProcessed += 1;
    return reply;
  }
  // #endregion dispatch
}

// #region auth-required
/**
 * Whether the client must still authenticate: a password is set and the
 * client has not given it. A client that connected while there was no
 * password stays authenticated when one is set later, as in Redis.
 */
export function authRequired({ session, server }: CommandContext): boolean {
  return !session.authenticated && server.config.requirepass !== "";
}

const NOAUTH = error("NOAUTH Authentication required.");

// #endregion auth-required

// #region queue
/**
 * The commands that run at once inside MULTI instead of being queued:
 * those that end or shape the transaction, and QUIT and RESET, which
 * leave it. Redis's list, in processCommand.
 */
const RUN_INSIDE_MULTI = new Set([
  "exec",
  "discard",
  "multi",
  "watch",
  "quit",
  "reset",
]);

const QUEUED = simple("QUEUED");

/** Redis's answer to SAVE, SHUTDOWN and the like inside MULTI (flag `no_multi`). */
const NOT_IN_MULTI = error("ERR Command not allowed inside a transaction");

/**
 * Queues a command for EXEC and answers `+QUEUED`. Once the transaction
 * cannot run (a refused command, or a watched key changed), commands are
 * still answered `+QUEUED`, as in Redis, but not kept.
 *
 * The queue is bounded: a client could otherwise queue commands until
 * the server runs out of memory, since nothing runs them until EXEC. The
 * bound is `client-query-buffer-limit` (1 GB by default), the limit
 * Redis puts on a client's unread input; a transaction's queue is input
 * read and not yet run. The command that would cross it is refused before
 * it is copied, and the transaction fails. (Redis itself has no such
 * bound: only `maxmemory-clients`, off by default, which closes the client.)
 */
function queue(
  transaction: Transaction,
  spec: CommandSpec,
  args: Buffer[],
  { session, server }: CommandContext,
): Reply {
  if (transaction.failed || session.watcher.touched) return QUEUED;
  const limit = server.config.clientQueryBufferLimit;
  if (transaction.queuedBytes + Transaction.costOf(args) > limit) {
    transaction.fail();
    return error(
      `ERR MULTI queue is over client-query-buffer-limit (${limit} bytes): transaction discarded at EXEC`,
    );
  }
  transaction.queue(spec, args);
  return QUEUED;
}
// #endregion queue

/** See `MAX_STRING_BYTES` in keyspace.ts: a deliberate, 24-byte difference from Redis. */
function tooLongForAString(arg: Buffer): boolean {
  return arg.length > MAX_STRING_BYTES;
}

/** Redis's arity error, for the table and for commands that check a maximum themselves. */
export function wrongNumberOfArguments(name: string): Reply {
  return error(`ERR wrong number of arguments for '${name}' command`);
}

// #region unknown-command
/**
 * Redis's reply to a command it does not know quotes the name and the first
 * arguments, about 128 bytes in all:
 * `ERR unknown command 'FOO', with args beginning with: 'a' 'b' `
 * (yes, with that trailing space).
 */
function unknownCommand(args: Buffer[]): Reply {
  let quoted = "";
  for (const arg of args.slice(1)) {
    if (quoted.length >= 128) break;
    quoted += `'${quoteArgument(arg, 128 - quoted.length)}' `;
  }
  return error(
    `ERR unknown command '${quoteArgument(args[0]!)}', with args beginning with: ${quoted}`,
  );
}
// #endregion unknown-command
