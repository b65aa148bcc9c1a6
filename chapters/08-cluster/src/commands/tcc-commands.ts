/**
 * TCC: the commands nodes send one another for a cross-node write (our
 * own, not Redis; cluster/tcc/tcc-participant.ts explains the design).
 * Clients have no use for them, but nothing stops one: they are ordinary
 * commands on the client port, which is how the coordinator reaches each
 * node (through its peer pool), itself included.
 *
 *   TCC PREPARE <txid> <primary> <lock-ms> <write...>   lock, check, answer
 *   TCC CONFIRM <txid>     apply the prepared write, unlock
 *   TCC CANCEL <txid>      unlock, apply nothing
 *   TCC STATUS <txid>      prepared | confirmed | cancelled | unknown
 *   TCC APPLIED <txid> <write...>  what CONFIRM writes to the AOF
 *   TCC DEBUG CRASH-AT <point>|OFF, TCC DEBUG LOCK-MS <ms>  tests only
 *
 * They have no key positions: routing leaves them alone, and PREPARE
 * checks itself that this node serves the keys. Nor the write flag: each
 * writes its own AOF record, since PREPARE and CANCEL change no key and
 * would not be logged otherwise, and CONFIRM must be logged as one record
 * (APPLIED), not as the MSET it runs: replay then either applies the
 * write and ends the transaction, or, cut before it, leaves it prepared.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import { byteString, intArgument } from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { error, OK, simple, type Reply } from "../protocol/reply.ts";
import { keyHashSlot } from "../cluster/hash-slot.ts";
import type { Cluster } from "../cluster/cluster.ts";
import type { TccParticipant } from "../cluster/tcc/tcc-participant.ts";
import {
  parseWrite,
  prepareAnswer,
  type PreparedWrite,
} from "../cluster/tcc/tcc-writes.ts";
import {
  CRASH_POINTS,
  crashIfAt,
  crashOnceWritten,
  testHooks,
  testHooksEnabled,
  type CrashPoint,
} from "../cluster/tcc/tcc-test-hooks.ts";
import { TCC_DOCS } from "./docs/tcc-docs.ts";

const DISABLED = error("ERR This instance has cluster support disabled");
const CATEGORIES = ["@slow", "@dangerous"] as const;

/** A TCC subcommand: runs only in cluster mode, on the node's participant. */
function tccSubcommand(
  name: string,
  arity: number,
  run: (
    args: Buffer[],
    participant: TccParticipant,
    cluster: Cluster,
    context: CommandContext,
  ) => Reply,
): CommandSpec {
  return {
    name: `tcc|${name}`,
    arity,
    flags: ["admin", "noscript"],
    categories: CATEGORIES,
    docs: TCC_DOCS[name]!,
    run(args, context) {
      const { cluster } = context.server;
      if (cluster === undefined) return DISABLED;
      return run(args, cluster.participant, cluster, context);
    },
  };
}

// #region tcc-prepare
const prepare = tccSubcommand(
  "prepare",
  -6,
  (args, participant, cluster, context) => {
    const txid = byteString(args[2]!);
    const primary = byteString(args[3]!);
    const lockMs = intArgument(args[4]!);
    if (typeof lockMs !== "number") return lockMs;
    if (lockMs <= 0) return error("ERR lock-ms must be positive");
    // Kept until CONFIRM: copied, since the arguments are views of the
    // client's input, and would pin all of it.
    const copy = args.map((arg) => Buffer.from(arg));
    const write = parseWrite(copy.slice(5));
    if (!isWrite(write)) return write;
    const { server } = context;
    // Replaying the AOF comes before the cluster's own file is read: who
    // serves which slot is not known yet, and was checked the first time.
    if (!server.keyspace.loading) {
      const { owners, myself } = cluster.state;
      for (const key of write.keys) {
        const slot = keyHashSlot(Buffer.from(key, "latin1"));
        if (owners[slot] !== myself) {
          return error(`TRYAGAIN Slot ${slot} is not served by this node`);
        }
      }
    }
    // The precondition first: a write that cannot be prepared takes no lock.
    const answer = prepareAnswer(write, context.session.db);
    if (answer.type === "error") return answer;
    const refused = participant.prepare(txid, primary, lockMs, write, copy);
    if (refused !== undefined) return refused;
    server.aof.record(0, args);
    crashOnceWritten("prepare-logged", server.aof);
    return answer;
  },
);
// #endregion tcc-prepare

function isWrite(parsed: PreparedWrite | Reply): parsed is PreparedWrite {
  return "keys" in parsed;
}

// #region tcc-confirm
/**
 * Applies `write` as the ordinary command it stands for, without logging
 * that command: the caller logs the whole as one APPLIED record.
 */
function apply(write: PreparedWrite, context: CommandContext): void {
  const words = [...write.confirmWith];
  const spec = context.commands.find(words)!;
  context.server.keyspace.newInstant();
  spec.run(words, context);
}

const confirm = tccSubcommand("confirm", 3, (args, participant, _, context) => {
  crashIfAt("confirm-received");
  const txid = byteString(args[2]!);
  const write = participant.openWrite(txid);
  if (write === undefined && participant.outcome(txid) === undefined) {
    // Never prepared here, or forgotten by a restart before it was
    // logged: there is no write to apply.
    return error(`ERR TCC transaction ${txid} is unknown`);
  }
  const refused = participant.end(txid, "confirmed");
  if (refused !== undefined) return refused;
  // Undefined: confirmed before (a retry), nothing more to do.
  if (write !== undefined) {
    apply(write, context);
    context.server.aof.record(0, [
      "TCC",
      "APPLIED",
      txid,
      ...write.confirmWith,
    ]);
    crashOnceWritten("confirm-logged", context.server.aof);
  }
  return OK;
});

/** Replay of a CONFIRM: the write, and the end of its transaction if open. */
const applied = tccSubcommand(
  "applied",
  -5,
  (args, participant, _, context) => {
    const txid = byteString(args[2]!);
    const write = parseWrite(args.slice(3));
    if (!isWrite(write)) return write;
    // Cancelled already (a damaged file): not applied.
    const refused = participant.end(txid, "confirmed");
    if (refused !== undefined) return refused;
    apply(write, context);
    context.server.aof.record(0, args);
    return OK;
  },
);
// #endregion tcc-confirm

// #region tcc-cancel
const cancel = tccSubcommand("cancel", 3, (args, participant, _, context) => {
  crashIfAt("cancel-received");
  const txid = byteString(args[2]!);
  const refused = participant.end(txid, "cancelled");
  if (refused !== undefined) return refused;
  context.server.aof.record(0, args);
  return OK;
});
// #endregion tcc-cancel

const status = tccSubcommand("status", 3, (args, participant) =>
  simple(participant.status(byteString(args[2]!))),
);

// #region tcc-debug
const debug = tccSubcommand("debug", 4, (args) => {
  if (!testHooksEnabled()) {
    return error("ERR TCC DEBUG needs TCC_TEST_HOOKS=yes in the environment");
  }
  const what = byteString(args[2]!).toLowerCase();
  const value = byteString(args[3]!).toLowerCase();
  if (what === "crash-at") {
    if (value === "off") testHooks.crashAt = undefined;
    else if (CRASH_POINTS.includes(value as CrashPoint)) {
      testHooks.crashAt = value as CrashPoint;
    } else return error(`ERR no crash point '${value}'`);
    return OK;
  }
  if (what === "lock-ms") {
    const ms = intArgument(args[3]!);
    if (typeof ms !== "number") return ms;
    testHooks.lockMs = ms > 0 ? ms : undefined;
    return OK;
  }
  return error("ERR TCC DEBUG takes CRASH-AT or LOCK-MS");
});
// #endregion tcc-debug

const SUBCOMMANDS = [prepare, confirm, cancel, status, applied, debug];

/** The container: `TCC` alone is an arity error, as for CLUSTER. */
export const TCC_COMMANDS: CommandSpec[] = [
  {
    name: "tcc",
    arity: -2,
    flags: [],
    categories: ["@slow"],
    docs: TCC_DOCS.tcc!,
    subcommands: SUBCOMMANDS,
    // The table finds a subcommand, or answers for an unknown one.
    run: () => wrongNumberOfArguments("tcc"),
  },
];
