/**
 * Cluster routing: is a command this node's to serve? Redis's
 * getNodeByQuery and clusterRedirectClient (cluster.c). The dispatcher
 * (dispatch/command-table.ts) asks before it runs or queues a command
 * with keys: every key is hashed to its slot (hash-slot.ts), they must
 * all share one, that slot must have an owner, the cluster must be up,
 * and the owner must be this node. Otherwise the client gets an error
 * that says why, or where to go: `MOVED <slot> <ip>:<port>`, after which
 * a cluster client sends the command there and remembers the slot's new
 * owner. Redis's nodes never forward a command themselves; ours do with
 * `cluster-proxy yes`, a setting of this chapter (proxy/forwarding.ts).
 *
 * While a slot moves between two nodes (CLUSTER SETSLOT MIGRATING on the
 * source, IMPORTING on the target), its keys are on either side, and the
 * answer depends on which keys this node has: the source serves the keys
 * it still has and sends the others on with `ASK`; the target serves only
 * clients that were sent (ASKING); a command whose keys are split between
 * the two gets `TRYAGAIN`.
 *
 * Also here: ASKING's one-shot permission, and READONLY (cluster-
 * connection-commands.ts sets both on the session).
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import { hasKeys, keyIndexes } from "../dispatch/command-spec.ts";
import type { Session } from "../dispatch/session.ts";
import { error, type Reply } from "../protocol/reply.ts";
import {
  CLUSTER_DOWN,
  CLUSTER_DOWN_READS_ONLY,
  CROSSSLOT,
  SLOT_NOT_SERVED,
} from "./redirect-errors.ts";
import type { Cluster } from "./cluster.ts";
import type { ClusterNode } from "./cluster-node.ts";
import { NodeFlag } from "./cluster-node.ts";
import { keyHashSlot } from "./hash-slot.ts";
import { byteString } from "../dispatch/arguments.ts";
import type { BlockedClients } from "../blocking/blocked-clients.ts";
import { proxied, type ForwardRequest } from "./proxy/forwarding.ts";
import { acrossSlots } from "./tcc/across-slots.ts";
import { lockedKeyRefusal } from "./tcc/tcc-participant.ts";

// #region redirect-errors
/**
 * Where the slot went: the owner's address as CLUSTER NODES shows it.
 * (Redis can name hostnames instead, `cluster-preferred-endpoint-type`,
 * a setting this chapter does not have.)
 */
function moved(slot: number, owner: ClusterNode): Reply {
  return error(`MOVED ${slot} ${owner.ip}:${owner.port}`);
}

/** Ask that node, this once (the slot is moving there): the client sends ASKING first. */
function ask(slot: number, target: ClusterNode): Reply {
  return error(`ASK ${slot} ${target.ip}:${target.port}`);
}

const TRYAGAIN = error(
  "TRYAGAIN Multiple keys request during rehashing of slot",
);
// #endregion redirect-errors

// #region redirection
/**
 * Why this node will not serve the command, as the error to answer, or
 * undefined if it will. Checked in Redis's order, and only for commands
 * with keys: PING or INFO work on any node, whatever the cluster's state.
 *
 * EXEC is the exception: it has no keys of its own, but is routed on the
 * commands it queued, as if they were one command. Each was routed as it
 * was queued; a slot may have changed hands since.
 */
export function redirection(
  cluster: Cluster,
  spec: CommandSpec,
  args: Buffer[],
  context: CommandContext,
): Reply | ForwardRequest | undefined {
  const { session, server } = context;
  let commands: readonly { spec: CommandSpec; args: Buffer[] }[];
  if (spec.name === "exec") {
    // EXEC without MULTI answers its own error.
    if (session.transaction === undefined) return undefined;
    commands = session.transaction.queued;
  } else {
    if (!hasKeys(spec)) return undefined;
    commands = [{ spec, args }];
  }

  const { state } = cluster;
  let slot = -1;
  let owner: ClusterNode | undefined;
  let firstKey: Buffer | undefined;
  /** Two different keys (the same key twice is one). */
  let multipleKeys = false;
  let moving: "migrating" | "importing" | undefined;
  const keysHere = { missing: 0, present: 0, inFlight: false };
  for (const command of commands) {
    for (const i of keyIndexes(command.spec, command.args) ?? []) {
      const key = command.args[i]!;
      const keySlot = keyHashSlot(key);
      if (firstKey === undefined) {
        // The first key decides the slot, and the node to ask. A slot
        // without an owner means the cluster is down, even if its state
        // has not been updated yet.
        firstKey = key;
        slot = keySlot;
        owner = state.owners[slot];
        if (owner === undefined) return SLOT_NOT_SERVED;
        moving = movement(cluster, slot, owner);
      } else if (!key.equals(firstKey)) {
        if (keySlot !== slot) {
          // `cluster-proxy yes` (not Redis): keys in several slots may
          // still be served, here or across nodes (tcc/across-slots.ts).
          if (server.config.clusterProxy) {
            return acrossSlots(cluster, spec, args, context);
          }
          return CROSSSLOT;
        }
        multipleKeys = true;
      }
      // A slot on the move: which keys are still (or already) here
      // decides below whether this node can serve the command.
      if (moving !== undefined) {
        const name = byteString(key);
        const db = server.keyspace.database(0);
        if (db.glance(name) === undefined) keysHere.missing += 1;
        else keysHere.present += 1;
        if (cluster.keysInFlight.has(name)) keysHere.inFlight = true;
      }
    }
  }
  // No key at all (`EXEC` of keyless commands, `LMPOP 0 ...`): served here.
  if (owner === undefined) return undefined;

  if (state.state !== "ok") {
    if (!server.config.clusterAllowReadsWhenDown) return CLUSTER_DOWN;
    // Redis looks at the flags of the command itself: EXEC has no write flag.
    if (spec.flags.includes("write")) return CLUSTER_DOWN_READS_ONLY;
  }

  // #region moving-slot
  // A key a MIGRATE is sending is on both nodes until the target answers:
  // neither may change it meanwhile (see migrate-command.ts).
  if (moving === "migrating" && keysHere.inFlight) return TRYAGAIN;
  // MIGRATE moves the keys this node has, whichever way the slot moves.
  if (moving !== undefined && spec.name === "migrate") return undefined;
  if (moving === "migrating" && keysHere.missing > 0) {
    // Some keys have left for the target already: the command must run
    // where all of them are. None here: the target has them, or will
    // (a key created now is created there, so nothing is written twice).
    // Some here, some not: nowhere yet; the client tries again.
    if (keysHere.present > 0) return TRYAGAIN;
    const target = state.migratingTo[slot]!;
    // `cluster-proxy yes` (ours, not Redis): this node asks the target itself.
    if (server.config.clusterProxy) {
      const redirect = ask(slot, target);
      return proxied(cluster, target, spec, args, context, redirect, true);
    }
    return ask(slot, target);
  }
  if (
    moving === "importing" &&
    (session.asking || spec.flags.includes("asking"))
  ) {
    // Sent here by an ASK (or by MIGRATE's RESTORE-ASKING): served, unless
    // it needs several keys of which some have not arrived yet.
    if (multipleKeys && keysHere.missing > 0) return TRYAGAIN;
    return undefined;
  }
  // Otherwise a slot being imported is still its owner's: MOVED, below.
  // #endregion moving-slot

  if (servesReadOnly(cluster, owner, spec, session)) return undefined;
  if (owner === state.myself) {
    // Keys a cross-node write has locked (proxy mode): try again soon.
    return lockedKeyRefusal(cluster.participant, spec, args, session);
  }
  // `cluster-proxy yes` (ours, not Redis): this node asks the owner itself.
  if (server.config.clusterProxy) {
    return proxied(cluster, owner, spec, args, context, moved(slot, owner));
  }
  return moved(slot, owner);
}
// #endregion redirection

/**
 * Whether the slot is on the move as far as this node is concerned:
 * "migrating" if this node owns it and is moving it out (CLUSTER SETSLOT
 * MIGRATING), "importing" if it is moving it in (SETSLOT IMPORTING).
 */
function movement(
  cluster: Cluster,
  slot: number,
  owner: ClusterNode,
): "migrating" | "importing" | undefined {
  const { state } = cluster;
  if (owner === state.myself && state.migratingTo[slot] !== undefined) {
    return "migrating";
  }
  return state.importingFrom[slot] !== undefined ? "importing" : undefined;
}

// #region blocked-clients
/**
 * Clients blocked on keys (BLPOP and kin) whose wait can no longer end
 * here: the cluster went down, or the slot of their keys is now another
 * node's and not on its way in. They are answered what a new command
 * would be, CLUSTERDOWN or MOVED, rather than left to wait for a push
 * that will never come here (clusterRedirectBlockedClientIfNeeded).
 * Run after every change of slots or state (cluster.ts).
 */
export function redirectBlockedClients(
  cluster: Cluster,
  blockedClients: BlockedClients,
): void {
  const { state } = cluster;
  for (const { clientId, request } of blockedClients.waiters()) {
    if (state.state === "fail") {
      blockedClients.unblock(clientId, CLUSTER_DOWN);
      continue;
    }
    // Every key of a blocking command is in one slot: the first tells.
    const key = request.keys[0];
    if (key === undefined) continue;
    const slot = keyHashSlot(Buffer.from(key, "latin1"));
    const owner = state.owners[slot];
    if (owner === state.myself || state.importingFrom[slot] !== undefined) {
      continue;
    }
    blockedClients.unblock(
      clientId,
      owner === undefined ? SLOT_NOT_SERVED : moved(slot, owner),
    );
  }
}
// #endregion blocked-clients

// #region readonly
/**
 * READONLY lets a replica answer reads of its master's slots, for a
 * client that would rather read slightly old data than load the master.
 * A write, or a transaction with one, still goes to the master. (This
 * chapter's nodes are all masters: the rule waits for replication.)
 */
function servesReadOnly(
  cluster: Cluster,
  owner: ClusterNode,
  spec: CommandSpec,
  session: Session,
): boolean {
  if (!session.readOnly) return false;
  const { myself } = cluster.state;
  if (!myself.has(NodeFlag.REPLICA) || myself.replicaOf !== owner.name) {
    return false;
  }
  const writes =
    spec.flags.includes("write") ||
    (spec.name === "exec" &&
      (session.transaction?.queued.some(({ spec }) =>
        spec.flags.includes("write"),
      ) ??
        false));
  return !writes;
}
// #endregion readonly

// #region asking
/**
 * The end of a command: ASKING's permission is spent, unless the command
 * was ASKING itself, or a transaction is open (the permission then lasts
 * until EXEC, so that `ASKING MULTI ... EXEC` works). Redis clears it in
 * resetClient, after every command, refused ones too.
 */
export function commandEnded(
  session: Session,
  spec: CommandSpec | undefined,
): void {
  if (session.transaction === undefined && spec?.name !== "asking") {
    session.asking = false;
  }
}
// #endregion asking
