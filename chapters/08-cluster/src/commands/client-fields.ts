/**
 * One client as CLIENT LIST and CLIENT INFO describe it: a line of
 * `field=value` pairs with Redis 7.0.15's fields, in Redis's order, so that
 * the tools and scripts that read Redis's line read ours.
 *
 * Most fields we know exactly. A few describe Redis's own memory layout
 * (its query buffer's spare room, its fixed reply buffer, its list of
 * reply blocks), which we do not have: for those we report what is true of
 * ours, and say so field by field below.
 */
import type { ConnectedClient } from "../dispatch/connected-clients.ts";
import type { Transaction } from "../transactions/transaction.ts";

/**
 * The command a client is running now. CLIENT LIST and CLIENT INFO
 * describe their own caller in the middle of its command, as Redis does:
 * its `cmd` is `client|list`, and its `argv-mem` counts that command's
 * arguments.
 */
export interface RunningCommand {
  /** As COMMAND INFO names it: `client|list`. */
  readonly name: string;
  readonly args: readonly Buffer[];
}

// #region client-fields
/**
 * The fields of one client's line, in Redis 7.0.15's order. `now` is
 * `Date.now()`; `running` is given for the client that asks.
 */
export function clientFields(
  client: ConnectedClient,
  now: number,
  running?: RunningCommand,
): [field: string, value: string | number][] {
  const { connection, session } = client;
  const queryBufferBytes = client.queryBufferBytes;
  // Redis keeps the arguments of the command a client runs, or waits in,
  // and frees them after. We count those of the caller's command; a
  // blocked client's are not kept where we could count them, so its 0
  // is lower than Redis's figure.
  const argvBytes =
    running === undefined ? 0 : running.args.reduce((n, a) => n + a.length, 0);
  const outputBytes = connection.pendingOutputBytes;
  const { transaction } = session;
  const multiBytes = transaction === undefined ? 0 : multiMemory(transaction);
  return [
    ["id", connection.id],
    ["addr", connection.address],
    ["laddr", connection.localAddress],
    // The socket's file descriptor is not ours to see: Node keeps it
    // private. -1 is what Redis shows for a client without one.
    ["fd", -1],
    ["name", session.name.toString("latin1")],
    // Whole seconds, counted as Redis counts them: the difference of two
    // whole-second clocks.
    ["age", Math.floor(now / 1000) - Math.floor(connection.createdAt / 1000)],
    ["idle", connection.idleSeconds(now)],
    ["flags", flagsOf(client)],
    ["db", session.db.index],
    // No pub/sub yet: exact.
    ["sub", 0],
    ["psub", 0],
    ["ssub", 0],
    // Commands queued since MULTI; -1 outside a transaction.
    ["multi", transaction === undefined ? -1 : transaction.queued.length],
    // Input received and not yet run: 0 for a client with nothing
    // pending, as in Redis. Otherwise the figures part: ours is what the
    // parser holds (the bytes, plus a cost per argument read so far),
    // Redis's is its raw buffer, which also holds the command running.
    ["qbuf", queryBufferBytes],
    // The spare room of Redis's query buffer: ours has none set aside.
    ["qbuf-free", 0],
    ["argv-mem", argvBytes],
    ["multi-mem", multiBytes],
    // Redis's fixed reply buffer, its size and recent peak, and what
    // waits in it: every reply of ours waits in one place, counted by
    // omem, so these are 0.
    ["rbs", 0],
    ["rbp", 0],
    ["obl", 0],
    ["oll", 0],
    // Replies in our memory that the client has not taken yet.
    ["omem", outputBytes],
    // What we can count of the client's memory: its pending input, its
    // running command's arguments, its queued transaction, its pending
    // output. Redis adds the fixed cost of its client structure and
    // buffers (about 20 KB), and of its queue's and its watches' entries.
    ["tot-mem", queryBufferBytes + argvBytes + multiBytes + outputBytes],
    // `r`: we read from it; `w`: we wait for its socket to take replies.
    ["events", outputBytes > 0 ? "rw" : "r"],
    ["cmd", running?.name ?? client.lastCommand],
    // One user, Redis's built-in one; no tracking, so no redirection.
    ["user", "default"],
    ["redir", -1],
    ["resp", session.protocol],
  ];
}
// #endregion client-fields

/** A client's line as CLIENT LIST shows it (without the newline). */
export function clientLine(
  client: ConnectedClient,
  now: number,
  running?: RunningCommand,
): string {
  return clientFields(client, now, running)
    .map(([field, value]) => `${field}=${value}`)
    .join(" ");
}

// #region multi-mem
/**
 * CLIENT LIST's `multi-mem`, as Redis 7.0 computes it (`argv_len_sums`,
 * added to by `queueMultiCommand`): for each queued command, the bytes of
 * its arguments plus a pointer (8 bytes) per argument. Not what the queue
 * costs us, but the figure is defined by the words queued, so it can be
 * Redis's exactly. A walk of the queue: CLIENT LIST is for people, and
 * the transaction code need not keep a sum for it.
 */
const POINTER_BYTES = 8;

function multiMemory(transaction: Transaction): number {
  let bytes = 0;
  for (const { args } of transaction.queued) {
    for (const arg of args) bytes += arg.length + POINTER_BYTES;
  }
  return bytes;
}
// #endregion multi-mem

/**
 * Redis's flag letters, in its order, for the states we have: `x` in a
 * transaction (MULTI), `b` blocked in a command, `d` a watched key has
 * changed (EXEC will fail; shown before MULTI too), `c` closing once its
 * replies are sent (after QUIT or CLIENT KILL of itself), `r` READONLY
 * (cluster mode); `N` for none.
 */
function flagsOf(client: ConnectedClient): string {
  const { session } = client;
  const flags =
    (session.transaction !== undefined ? "x" : "") +
    (client.blocked ? "b" : "") +
    (session.watcher.touched ? "d" : "") +
    (session.closeAfterReply ? "c" : "") +
    (session.readOnly ? "r" : "");
  return flags === "" ? "N" : flags;
}
