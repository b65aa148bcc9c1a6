/**
 * DUMP and RESTORE: a key's value as Redis's serialized bytes, and a key
 * made from such bytes, on this server or on a real Redis (the payload
 * format is in ../rdb/). RESTORE-ASKING is RESTORE for MIGRATE: the same
 * command, flagged `asking`, so that the node importing a slot serves it
 * before the slot is its own (see cluster/routing.ts).
 */
import {
  logAs,
  type CommandContext,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { deadlineOf } from "../keyspace/keyspace.ts";
import { bulk, error, NULL, OK, type Reply } from "../protocol/reply.ts";
import { createDumpPayload, readDumpPayload } from "../rdb/dump-payload.ts";
import { DUMP_DOCS } from "./docs/dump-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

// #region dump
/** DUMP key: the value's payload, or nil if there is no such key. */
export const dump: CommandSpec = {
  name: "dump",
  arity: 2,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@keyspace", "@read", "@slow"],
  tips: ["nondeterministic_output"],
  docs: DUMP_DOCS.dump,
  run(args, { session }) {
    const value = session.db.read(byteString(args[1]!));
    return value === undefined ? NULL : bulk(createDumpPayload(value));
  },
};
// #endregion dump

// #region restore-options
/** RESTORE's options, once read. -1 means "not given", as in Redis. */
interface RestoreOptions {
  replace: boolean;
  absoluteTtl: boolean;
  idleSeconds: bigint;
  frequency: bigint;
}

/**
 * Reads `[REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]`, in any
 * order, or answers the error. IDLETIME and FREQ exclude each other (one
 * is for LRU eviction, the other for LFU), which Redis reports as a
 * syntax error.
 */
function readOptions(args: Buffer[]): RestoreOptions | Reply {
  const options: RestoreOptions = {
    replace: false,
    absoluteTtl: false,
    idleSeconds: -1n,
    frequency: -1n,
  };
  for (let i = 4; i < args.length; i++) {
    const option = args[i]!;
    const hasValue = i + 1 < args.length;
    if (isKeyword(option, "replace")) {
      options.replace = true;
    } else if (isKeyword(option, "absttl")) {
      options.absoluteTtl = true;
    } else if (
      isKeyword(option, "idletime") &&
      hasValue &&
      options.frequency === -1n
    ) {
      const seconds = int64Argument(args[++i]!);
      if (seconds === undefined) return NOT_AN_INTEGER;
      if (seconds < 0n) {
        return error("ERR Invalid IDLETIME value, must be >= 0");
      }
      options.idleSeconds = seconds;
    } else if (
      isKeyword(option, "freq") &&
      hasValue &&
      options.idleSeconds === -1n
    ) {
      const frequency = int64Argument(args[++i]!);
      if (frequency === undefined) return NOT_AN_INTEGER;
      if (frequency < 0n || frequency > 255n) {
        return error("ERR Invalid FREQ value, must be >= 0 and <= 255");
      }
      options.frequency = frequency;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return options;
}
// #endregion restore-options

// #region restore
/**
 * RESTORE key ttl payload [options]: checked in Redis's order (options,
 * then an existing key, then the TTL, then the payload's CRC, then its
 * contents), so each mistake gets the error Redis gives it.
 */
function restore(args: Buffer[], context: CommandContext): Reply {
  const { session, server } = context;
  const options = readOptions(args);
  if (!("replace" in options)) return options; // an error reply

  const key = byteString(args[1]!);
  const db = session.db;
  if (!options.replace && db.has(key)) {
    return error("BUSYKEY Target key name already exists.");
  }
  const ttl = int64Argument(args[2]!);
  if (ttl === undefined) return NOT_AN_INTEGER;
  if (ttl < 0n) return error("ERR Invalid TTL value, must be >= 0");
  const contents = readDumpPayload(args[3]!, server.config);
  if ("error" in contents) return error(contents.error);

  const deleted = options.replace && db.delete(key);
  // A TTL of 0 means none; any other becomes a deadline in ms.
  const { keyspace } = server;
  const deadline =
    ttl === 0n
      ? undefined
      : options.absoluteTtl
        ? ttl
        : ttl + BigInt(keyspace.time);
  if (
    deadline !== undefined &&
    deadline <= BigInt(keyspace.time) &&
    !keyspace.loading
  ) {
    // Dead on arrival: not stored. If REPLACE deleted a key, the AOF
    // records that deletion; otherwise nothing changed.
    if (deleted) logAs(context, "DEL", key);
    return OK;
  }
  db.set(key, contents.value);
  if (deadline !== undefined) {
    db.setDeadline(key, deadlineOf(deadline));
    if (!options.absoluteTtl) {
      // Replayed later, a relative TTL would start again: the AOF gets
      // the deadline itself, and ABSTTL to say so (as Redis propagates it).
      const words = args.map(byteString);
      words[2] = String(deadline);
      logAs(context, ...words, "ABSTTL");
    }
  }
  // FREQ is for an LFU eviction policy, which we do not have: accepted
  // and ignored, as Redis ignores it under an LRU policy.
  if (options.idleSeconds >= 0n) db.setIdleSeconds(key, options.idleSeconds);
  return OK;
}
// #endregion restore

export const restoreCommand: CommandSpec = {
  name: "restore",
  arity: -4,
  flags: ["write", "denyoom"],
  keys: ONE_KEY,
  categories: ["@keyspace", "@write", "@slow", "@dangerous"],
  docs: DUMP_DOCS.restore,
  run: restore,
};

export const restoreAsking: CommandSpec = {
  name: "restore-asking",
  arity: -4,
  flags: ["write", "denyoom", "asking"],
  keys: ONE_KEY,
  categories: ["@keyspace", "@write", "@slow", "@dangerous"],
  docs: DUMP_DOCS["restore-asking"],
  run: restore,
};

export const DUMP_COMMANDS: readonly CommandSpec[] = [
  dump,
  restoreCommand,
  restoreAsking,
];
