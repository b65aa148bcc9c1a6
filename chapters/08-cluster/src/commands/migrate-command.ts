/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 *         [AUTH password] [AUTH2 username password] [KEYS key ...]
 *
 * Moves keys to another server: each is serialized as DUMP does
 * (rdb/dump-payload.ts) and sent as `RESTORE key ttl payload`, the
 * cluster's `RESTORE-ASKING` in cluster mode, so that a target importing
 * the slot accepts it; a key the target took is deleted here, unless COPY,
 * and the AOF logs that as a DEL. Resharding moves a slot's keys with it.
 *
 * Redis sends and waits with the whole server stopped. Ours waits for the
 * target without stopping anyone: the command answers a ForwardRequest,
 * and the client loop holds this client's next commands until it is done,
 * as it does for a blocked client. Two consequences, both handled here:
 *
 * - other clients run meanwhile. In a cluster, a command on a key on its
 *   way answers TRYAGAIN until the target has it (routing.ts), as one on
 *   a key half moved does; a cluster client tries again a moment later,
 *   and finds the key on one node only. Without a slot being migrated
 *   (or without cluster mode) nothing stops a change, and a key changed
 *   on its way is not deleted when the target takes it: this node keeps
 *   the newer value, and a warning says so;
 * - inside MULTI ... EXEC nothing can wait, so MIGRATE answers an error
 *   there (Redis runs it).
 *
 * The exchange with the target is cluster/migrate-exchange.ts, over
 * connections cluster/migrate-connections.ts keeps.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import type { ForwardRequest } from "../cluster/proxy/forwarding.ts";
import type { Database } from "../keyspace/database.ts";
import type { ServerState } from "../dispatch/server-state.ts";
import {
  cStringOf,
  int64Argument,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { error, simple, type Reply } from "../protocol/reply.ts";
import { encodeCommand } from "../persistence/aof-format.ts";
import { createDumpPayload } from "../rdb/dump-payload.ts";
import { Watcher } from "../transactions/watched-keys.ts";
import {
  sendRestores,
  type MigrateTarget,
} from "../cluster/migrate-exchange.ts";
import { MIGRATE_DOCS } from "./docs/migrate-docs.ts";

const KEYS_NOT_EMPTY = error(
  "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string",
);
const NOT_IN_EXEC = error(
  "ERR MIGRATE cannot wait for its target inside MULTI/EXEC on this server",
);
/** Redis's answer when no key named is here: not an error, keys expire. */
const NOKEY = simple("NOKEY");

// #region migrate-arguments
/** What the arguments ask for: where to (migrate-exchange.ts), and what. */
interface MigrateRequest extends MigrateTarget {
  copy: boolean;
  replace: boolean;
  keys: Buffer[];
}

/** Reads the arguments in Redis's order (migrateCommand): the options, then the numbers. */
function parseMigrate(args: Buffer[]): MigrateRequest | Reply {
  let copy = false;
  let replace = false;
  let auth: Buffer[] | undefined;
  let keys = [args[3]!];
  for (let i = 6; i < args.length; i++) {
    const more = args.length - 1 - i;
    const word = cStringOf(args[i]!).toString("latin1").toLowerCase();
    if (word === "copy") copy = true;
    else if (word === "replace") replace = true;
    else if (word === "auth") {
      if (more < 1) return SYNTAX_ERROR;
      auth = [args[++i]!];
    } else if (word === "auth2") {
      if (more < 2) return SYNTAX_ERROR;
      auth = [args[++i]!, args[++i]!];
    } else if (word === "keys") {
      if (args[3]!.length !== 0) return KEYS_NOT_EMPTY;
      keys = args.slice(i + 1);
      break;
    } else return SYNTAX_ERROR;
  }
  const timeout = int64Argument(args[5]!);
  if (timeout === undefined) return NOT_AN_INTEGER;
  const db = int64Argument(args[4]!);
  if (db === undefined) return NOT_AN_INTEGER;
  return {
    host: args[1]!.toString("latin1"),
    portText: args[2]!.toString("latin1"),
    db,
    timeoutMs: timeout <= 0n ? 1000 : Number(timeout),
    copy,
    replace,
    auth,
    keys,
  };
}

/** The key positions, for routing and COMMAND GETKEYS (migrateGetKeys). */
function migrateKeys(args: readonly Buffer[]): number[] {
  for (let i = 6; i < args.length; i++) {
    const word = cStringOf(args[i]!).toString("latin1").toLowerCase();
    if (word === "keys") {
      if (args[3]!.length > 0) return [];
      return args.slice(i + 1).map((_, j) => i + 1 + j);
    }
    if (word === "auth") i += 1;
    if (word === "auth2") i += 2;
  }
  return [3];
}

// #endregion migrate-arguments

// #region migrate-command
export const migrate: CommandSpec = {
  name: "migrate",
  arity: -6,
  flags: ["write", "movablekeys"],
  keys: { first: 3, last: 3, step: 1 },
  movableKeys: migrateKeys,
  categories: ["@keyspace", "@write", "@slow", "@dangerous"],
  tips: ["nondeterministic_output"],
  docs: MIGRATE_DOCS.migrate,
  run(args, context) {
    const request = parseMigrate(args);
    if ("type" in request) return request;
    const { session, server } = context;
    const db = session.db;
    // Only the keys here move; none at all is no error (they may have expired).
    const keys = request.keys
      .map((key) => key.toString("latin1"))
      .filter((key) => db.read(key) !== undefined);
    if (keys.length === 0) return NOKEY;
    if (!session.mayBlock) return NOT_IN_EXEC;
    const restores = restoreCommands(server, db, keys, request);
    return {
      type: "forward",
      start(done) {
        migrateKeysOut(context, request, restores).then(done, (thrown) =>
          done(error(`ERR ${String(thrown)}`)),
        );
      },
    } satisfies ForwardRequest;
  },
};
// #endregion migrate-command

// #region restore-commands
/** One key on its way: the RESTORE that carries it, and who watches it meanwhile. */
interface Restore {
  key: string;
  command: Buffer;
  watcher: Watcher;
}

/**
 * The RESTORE (or RESTORE-ASKING) of each key, with the time it has left
 * (0: none); a key whose time ran out since the lookup stays behind. Each
 * key is watched from now on, as WATCH would: a change before the target
 * answers keeps it from being deleted.
 */
function restoreCommands(
  server: ServerState,
  db: Database,
  keys: string[],
  { replace }: MigrateRequest,
): Restore[] {
  const name = server.cluster === undefined ? "RESTORE" : "RESTORE-ASKING";
  const now = BigInt(server.keyspace.time);
  const restores: Restore[] = [];
  for (const key of keys) {
    const value = db.glance(key);
    if (value === undefined) continue;
    let ttl = 0n;
    const deadline = db.deadline(key);
    if (deadline !== undefined) {
      ttl = BigInt(deadline) - now;
      if (ttl < 0n) continue;
      if (ttl < 1n) ttl = 1n;
    }
    const words: (string | Buffer)[] = [name, key, String(ttl)];
    words.push(createDumpPayload(value));
    if (replace) words.push("REPLACE");
    const watcher = new Watcher();
    server.watchedKeys.watch(watcher, db, key);
    restores.push({ key, command: encodeCommand(words), watcher });
  }
  return restores;
}
// #endregion restore-commands

// #region migrate-keys-out
/**
 * Sends the keys (cluster/migrate-exchange.ts), then deletes those the
 * target took, unless COPY. Meanwhile, in a cluster, the keys are "in
 * flight": routing answers TRYAGAIN for them.
 */
async function migrateKeysOut(
  context: CommandContext,
  request: MigrateRequest,
  restores: Restore[],
): Promise<Reply> {
  const { server } = context;
  const inFlight = server.cluster?.keysInFlight;
  for (const { key } of restores) inFlight?.add(key);
  try {
    const { acknowledged, reply } = await sendRestores(
      server,
      request,
      restores.map(({ command }) => command),
    );
    if (!request.copy) {
      deleteMovedKeys(
        context,
        acknowledged.map((index) => restores[index]!),
      );
    }
    return reply;
  } finally {
    for (const { key, watcher } of restores) {
      server.watchedKeys.unwatchAll(watcher);
      inFlight?.delete(key);
    }
  }
}
// #endregion migrate-keys-out

// #region delete-moved-keys
/**
 * The keys the target took are deleted here, and the AOF (and, later,
 * the replicas) see a DEL of them: MIGRATE itself could not be replayed.
 * A key changed while it travelled stays: its new value was never sent.
 */
function deleteMovedKeys(context: CommandContext, moved: Restore[]): void {
  const { session, server } = context;
  const deleted: string[] = [];
  for (const { key, watcher } of moved) {
    if (watcher.touched) {
      console.warn(
        `MIGRATE: key '${key}' changed while it was sent; kept here, the target has its older value.`,
      );
      continue;
    }
    if (session.db.delete(key)) deleted.push(key);
  }
  if (deleted.length === 0) return;
  server.aof.record(session.db.index, ["DEL", ...deleted]);
}
// #endregion delete-moved-keys

export const MIGRATE_COMMANDS: readonly CommandSpec[] = [migrate];
