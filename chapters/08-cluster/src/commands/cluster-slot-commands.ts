/**
 * The CLUSTER subcommands about slots: which ones this node serves
 * (ADDSLOTS, DELSLOTS and their RANGE forms, FLUSHSLOTS), and which slot
 * a key is in and what keys a slot holds (KEYSLOT, COUNTKEYSINSLOT,
 * GETKEYSINSLOT). Each change is all or nothing, checked first, with
 * Redis 7.0.15's errors.
 */
import {
  array,
  bulk,
  error,
  integer,
  OK,
  type Reply,
} from "../protocol/reply.ts";
import { int64Argument, NOT_AN_INTEGER } from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import type { ClusterState } from "../cluster/cluster-state.ts";
import { keyHashSlot, SLOT_COUNT } from "../cluster/hash-slot.ts";
import { CLUSTER_DOCS } from "./docs/cluster-docs.ts";
import {
  ADMIN_CATEGORIES,
  ADMIN_FLAGS,
  READ_CATEGORIES,
  READ_FLAGS,
  subcommand,
  type SubcommandSpec,
} from "./cluster-subcommand.ts";

// #region slot-arguments
const INVALID_SLOT = error("ERR Invalid or out of range slot");

/** A slot number argument (getSlotOrReply), or undefined. */
function slotArgument(arg: Buffer): number | undefined {
  const slot = int64Argument(arg);
  if (slot === undefined || slot < 0n || slot >= BigInt(SLOT_COUNT)) {
    return undefined;
  }
  return Number(slot);
}

/**
 * Marks `start..end` in `picked`, checking each slot as Redis does
 * (checkSlotAssignmentsOrReply): to add, it must be free; to delete, it
 * must have an owner; and no slot may be named twice. The error, or
 * undefined.
 */
function pickSlots(
  state: ClusterState,
  picked: Uint8Array,
  deleting: boolean,
  start: number,
  end: number,
): Reply | undefined {
  for (let slot = start; slot <= end; slot++) {
    const owner = state.owners[slot];
    if (deleting && owner === undefined) {
      return error(`ERR Slot ${slot} is already unassigned`);
    }
    if (!deleting && owner !== undefined) {
      return error(`ERR Slot ${slot} is already busy`);
    }
    if (picked[slot] === 1) {
      return error(`ERR Slot ${slot} specified multiple times`);
    }
    picked[slot] = 1;
  }
  return undefined;
}

/**
 * Gives every picked slot to this node, or takes it from its owner
 * (clusterUpdateSlots). Only once every slot passed its check: the
 * command is all or nothing. The new slots reach the other nodes with
 * the next PING, whose header carries this node's slots.
 */
function applySlots(
  state: ClusterState,
  picked: Uint8Array,
  deleting: boolean,
): Reply {
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    if (picked[slot] !== 1) continue;
    // Whatever the slot was being imported from, this settles it.
    state.importingFrom[slot] = undefined;
    if (deleting) state.unassignSlot(slot);
    else state.assignSlot(slot, state.myself);
  }
  state.changed({ save: true, updateState: true });
  return OK;
}
// #endregion slot-arguments

// #region addslots
/**
 * ADDSLOTS slot [slot ...] and DELSLOTS: every argument must be a slot
 * before any is checked against the table, as in Redis.
 */
function slotsCommand(deleting: boolean): SubcommandSpec["run"] {
  return (args, cluster) => {
    const slots: number[] = [];
    for (const arg of args.slice(2)) {
      const slot = slotArgument(arg);
      if (slot === undefined) return INVALID_SLOT;
      slots.push(slot);
    }
    const picked = new Uint8Array(SLOT_COUNT);
    for (const slot of slots) {
      const refused = pickSlots(cluster.state, picked, deleting, slot, slot);
      if (refused !== undefined) return refused;
    }
    return applySlots(cluster.state, picked, deleting);
  };
}

/**
 * ADDSLOTSRANGE start end [start end ...] and DELSLOTSRANGE: Redis reads
 * and checks the ranges one at a time, so the first bad range decides
 * the error.
 */
function slotRangesCommand(deleting: boolean): SubcommandSpec["run"] {
  return (args, cluster) => {
    if (args.length % 2 === 1) {
      return wrongNumberOfArguments(
        deleting ? "cluster|delslotsrange" : "cluster|addslotsrange",
      );
    }
    const picked = new Uint8Array(SLOT_COUNT);
    for (let i = 2; i < args.length; i += 2) {
      const start = slotArgument(args[i]!);
      if (start === undefined) return INVALID_SLOT;
      const end = slotArgument(args[i + 1]!);
      if (end === undefined) return INVALID_SLOT;
      if (start > end) {
        return error(
          `ERR start slot number ${start} is greater than end slot number ${end}`,
        );
      }
      const refused = pickSlots(cluster.state, picked, deleting, start, end);
      if (refused !== undefined) return refused;
    }
    return applySlots(cluster.state, picked, deleting);
  };
}

export const addslots = subcommand({
  name: "addslots",
  arity: -3,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|addslots"],
  run: slotsCommand(false),
});

export const addslotsrange = subcommand({
  name: "addslotsrange",
  arity: -4,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|addslotsrange"],
  run: slotRangesCommand(false),
});

export const delslots = subcommand({
  name: "delslots",
  arity: -3,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|delslots"],
  run: slotsCommand(true),
});

export const delslotsrange = subcommand({
  name: "delslotsrange",
  arity: -4,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|delslotsrange"],
  run: slotRangesCommand(true),
});

/** FLUSHSLOTS: gives up every slot of this node; only with no keys in database 0. */
export const flushslots = subcommand({
  name: "flushslots",
  arity: 2,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|flushslots"],
  run(_args, cluster, { server }) {
    if (server.keyspace.database(0).size !== 0) {
      return error("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
    }
    const { state } = cluster;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (state.owners[slot] === state.myself) state.unassignSlot(slot);
    }
    state.changed({ save: true, updateState: true });
    return OK;
  },
});
// #endregion addslots

// #region keyslot
/** KEYSLOT key: the slot a key hashes to (hash-slot.ts). */
export const keyslot = subcommand({
  name: "keyslot",
  arity: 3,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|keyslot"],
  run: (args) => integer(keyHashSlot(args[2]!)),
});

/** COUNTKEYSINSLOT slot: how many keys of database 0 this node has in a slot. */
export const countkeysinslot = subcommand({
  name: "countkeysinslot",
  arity: 3,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|countkeysinslot"],
  run(args, cluster) {
    const slot = int64Argument(args[2]!);
    if (slot === undefined) return NOT_AN_INTEGER;
    if (slot < 0n || slot >= BigInt(SLOT_COUNT)) {
      return error("ERR Invalid slot");
    }
    return integer(cluster.slotIndex.count(Number(slot)));
  },
});

/**
 * GETKEYSINSLOT slot count: up to `count` of those keys. Resharding uses
 * it to move a slot's keys a few at a time.
 */
export const getkeysinslot = subcommand({
  name: "getkeysinslot",
  arity: 4,
  flags: READ_FLAGS,
  categories: READ_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|getkeysinslot"],
  run(args, cluster) {
    const slot = int64Argument(args[2]!);
    if (slot === undefined) return NOT_AN_INTEGER;
    const count = int64Argument(args[3]!);
    if (count === undefined) return NOT_AN_INTEGER;
    if (slot < 0n || slot >= BigInt(SLOT_COUNT) || count < 0n) {
      return error("ERR Invalid slot or number of keys");
    }
    // No slot holds more keys than a number can count.
    const max =
      count > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(count);
    return array(
      cluster.slotIndex.keys(Number(slot), max).map((key) => bulk(key)),
    );
  },
});
// #endregion keyslot
