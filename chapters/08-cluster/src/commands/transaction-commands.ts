/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH: transactions.
 *
 * MULTI opens a transaction; the dispatcher then queues the client's
 * commands (command-table.ts) instead of running them, until EXEC runs
 * them all, one after another, with nothing from other clients in
 * between. That is all "atomic" means here: isolation. A command that
 * fails while EXEC runs (INCR of a word) answers its error in its place
 * in EXEC's reply, and the others still run: Redis does not roll back.
 * (transactions/undo-log.ts shows what rolling back would cost.)
 *
 * WATCH makes EXEC conditional: if a watched key changed between WATCH
 * and EXEC, EXEC runs nothing and answers a null array
 * (transactions/watched-keys.ts).
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import { byteString } from "../dispatch/arguments.ts";
import { Transaction } from "../transactions/transaction.ts";
import { rollbackError } from "../transactions/undo-log.ts";
import { endTransaction, unwatchAll } from "../transactions/transaction-end.ts";
import {
  array,
  error,
  inProtocol,
  NULL_ARRAY,
  OK,
  type Protocol,
  type Reply,
} from "../protocol/reply.ts";
import { TRANSACTION_DOCS } from "./docs/transaction-docs.ts";

// #region multi
/** MULTI: from now on, this client's commands are queued for EXEC. */
export const multi: CommandSpec = {
  name: "multi",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  categories: ["@fast", "@transaction"],
  docs: TRANSACTION_DOCS.multi,
  run(_args, { session }) {
    // An error, but not one that dooms the transaction already open.
    if (session.transaction !== undefined) {
      return error("ERR MULTI calls can not be nested");
    }
    session.transaction = new Transaction();
    return OK;
  },
};
// #endregion multi

// #region exec
const EXECABORT = error(
  "EXECABORT Transaction discarded because of previous errors.",
);

/**
 * EXEC: runs the queued commands and answers their replies as one array;
 * or, if a command could not be queued, EXECABORT; or, if a watched key
 * changed, a null array. Either way the transaction is over and every key
 * is unwatched.
 */
export const exec: CommandSpec = {
  name: "exec",
  arity: 1,
  flags: ["noscript", "loading", "stale", "skip_slowlog"],
  categories: ["@slow", "@transaction"],
  docs: TRANSACTION_DOCS.exec,
  run(_args, context) {
    const { session, server } = context;
    const transaction = session.transaction;
    if (transaction === undefined) return error("ERR EXEC without MULTI");
    // A watched key that expired since WATCH changed as surely as one
    // that was written, even if nobody has looked at it to delete it.
    const watchFailed =
      session.watcher.touched || server.watchedKeys.anyExpired(session.watcher);
    // Both at once: EXECABORT wins, as in Redis.
    if (transaction.failed || watchFailed) {
      endTransaction(session, server);
      return transaction.failed ? EXECABORT : NULL_ARRAY;
    }
    // The watches have done their work: the commands' own changes must
    // not touch this client. The transaction itself ends once they have
    // run, so that CLIENT INFO among them shows it (flags=x), as in Redis.
    unwatchAll(session, server);
    try {
      return runQueued(transaction, context);
    } finally {
      session.transaction = undefined;
    }
  },
};

/**
 * Runs the queued commands in order, and answers their replies as one
 * array. While they run, no command may wait (BLPOP on an empty list
 * answers as if it timed out: EXEC cannot pause half-way), and the whole
 * transaction sees one instant of the clock, as a single command does.
 * What they change reaches the AOF as one block.
 *
 * With `multi-rollback yes` (not Redis), the first command that answers
 * an error ends it instead: what ran is undone, the rest never runs, the
 * AOF gets nothing, and EXEC answers EXECABORT (transactions/undo-log.ts).
 */
function runQueued(transaction: Transaction, context: CommandContext): Reply {
  const { session, server, commands } = context;
  const mayBlock = session.mayBlock;
  session.mayBlock = false;
  server.aof.beginTransaction();
  const undoLog = server.config.multiRollback ? server.undoLog : undefined;
  undoLog?.begin(session);
  const replies: { reply: Reply; protocol: Protocol }[] = [];
  try {
    for (const { spec, args } of transaction.queued) {
      const reply = commands.run(spec, args, context);
      if (reply.type === "block" || reply.type === "forward") {
        throw new Error(`${spec.name} tried to wait inside EXEC`);
      }
      if (reply.type === "error" && undoLog !== undefined) {
        undoLog.rollBack();
        server.aof.dropTransaction();
        return rollbackError(replies.length + 1, spec, reply);
      }
      replies.push({ reply, protocol: session.protocol });
    }
  } finally {
    undoLog?.end();
    session.mayBlock = mayBlock;
    server.aof.commitTransaction();
  }
  // Each reply in the protocol its command ran in: a queued HELLO changes
  // it for the replies after its own (the array itself is `*N` in both).
  return array(
    replies.map(({ reply, protocol }) =>
      protocol === session.protocol ? reply : inProtocol(protocol, reply),
    ),
  );
}
// #endregion exec

// #region discard
/** DISCARD: drops the queued commands, runs none, and unwatches every key. */
export const discard: CommandSpec = {
  name: "discard",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  categories: ["@fast", "@transaction"],
  docs: TRANSACTION_DOCS.discard,
  run(_args, { session, server }) {
    if (session.transaction === undefined) {
      return error("ERR DISCARD without MULTI");
    }
    endTransaction(session, server);
    return OK;
  },
};

// #endregion discard

// #region watch
/** WATCH key [key ...]: the next EXEC fails if one of these keys changes first. */
export const watch: CommandSpec = {
  name: "watch",
  arity: -2,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  keys: { first: 1, last: -1, step: 1 },
  categories: ["@fast", "@transaction"],
  docs: TRANSACTION_DOCS.watch,
  run(args, { session, server }) {
    // Too late to watch: the keys would have to be watched from before
    // the commands already queued read them.
    if (session.transaction !== undefined) {
      return error("ERR WATCH inside MULTI is not allowed");
    }
    for (const arg of args.slice(1)) {
      server.watchedKeys.watch(session.watcher, session.db, byteString(arg));
    }
    return OK;
  },
};

/** UNWATCH: forgets every watched key (and that one of them changed). */
export const unwatchCommand: CommandSpec = {
  name: "unwatch",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  categories: ["@fast", "@transaction"],
  docs: TRANSACTION_DOCS.unwatch,
  run(_args, { session, server }) {
    unwatchAll(session, server);
    return OK;
  },
};

// #endregion watch

export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [
  multi,
  exec,
  discard,
  watch,
  unwatchCommand,
];
