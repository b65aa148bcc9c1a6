/**
 * The whole-database commands: DBSIZE, FLUSHDB, FLUSHALL and SWAPDB. They
 * act on a database as a whole, not on keys (Redis's documentation files
 * them with the server commands).
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { error, integer, OK, type Reply } from "../protocol/reply.ts";
import { intArgument, isKeyword, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { DATABASE_DOCS } from "./docs/database-docs.ts";

// #region databases
export const dbsize: CommandSpec = {
  name: "dbsize",
  arity: 1,
  flags: ["readonly", "fast"],
  categories: ["@keyspace", "@read", "@fast"],
  tips: ["request_policy:all_shards", "response_policy:agg_sum"],
  docs: DATABASE_DOCS.dbsize,
  run: (_args, { session }) => integer(session.db.size),
};

/**
 * FLUSHDB and FLUSHALL take ASYNC or SYNC: in Redis, whether memory is
 * freed by a background thread. Our garbage collector frees it in the
 * background either way, so both options do the same here.
 */
function flushMode(args: Buffer[]): Reply | undefined {
  if (args.length > 2) return SYNTAX_ERROR;
  const mode = args[1];
  if (
    mode !== undefined &&
    !isKeyword(mode, "async") &&
    !isKeyword(mode, "sync")
  ) {
    return SYNTAX_ERROR;
  }
  return undefined;
}

export const flushdb: CommandSpec = {
  name: "flushdb",
  arity: -1,
  flags: ["write"],
  categories: ["@keyspace", "@write", "@slow", "@dangerous"],
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  docs: DATABASE_DOCS.flushdb,
  run(args, { session }) {
    const invalid = flushMode(args);
    if (invalid !== undefined) return invalid;
    session.db.clear();
    return OK;
  },
};

export const flushall: CommandSpec = {
  ...flushdb,
  name: "flushall",
  docs: DATABASE_DOCS.flushall,
  run(args, { server }) {
    const invalid = flushMode(args);
    if (invalid !== undefined) return invalid;
    server.keyspace.clear();
    return OK;
  },
};

/** SWAPDB index1 index2: the two databases trade contents, for every connection at once. */
export const swapdb: CommandSpec = {
  name: "swapdb",
  arity: 3,
  flags: ["write", "fast"],
  categories: ["@keyspace", "@write", "@fast", "@dangerous"],
  docs: DATABASE_DOCS.swapdb,
  run(args, { server }) {
    // Cluster mode has database 0 only: SWAPDB is refused first of all.
    if (server.cluster !== undefined) {
      return error("ERR SWAPDB is not allowed in cluster mode");
    }
    // SWAPDB words its own errors for an index that is not a C int.
    const first = intArgument(args[1]!);
    if (typeof first !== "number") return error("ERR invalid first DB index");
    const second = intArgument(args[2]!);
    if (typeof second !== "number") {
      return error("ERR invalid second DB index");
    }
    const { keyspace } = server;
    const inRange = (i: number): boolean => i >= 0 && i < keyspace.count;
    if (!inRange(first) || !inRange(second)) {
      return error("ERR DB index is out of range");
    }
    keyspace.database(first).swapContents(keyspace.database(second));
    return OK;
  },
};

// #endregion databases

export const DATABASE_COMMANDS: readonly CommandSpec[] = [
  dbsize,
  flushdb,
  flushall,
  swapdb,
];
