/**
 * Cluster routing: is a command this node's to serve? Redis's
 * getNodeByQuery and clusterRedirectClient (cluster.c). The dispatcher
 * (dispatch/command-table.ts) asks before it runs or queues a command
 * with keys: every key is hashed to its slot (hash-slot.ts), they must
 * all share one, that slot must have an owner, the cluster must be up,
 * and the owner must be this node. Otherwise the client gets an error
 * that says why, or where to go: `MOVED <slot> <ip>:<port>`, after which
 * a cluster client sends the command there and remembers the slot's new
 * owner. Nodes never forward a command themselves.
 *
 * Also here: ASKING's one-shot permission, and READONLY (cluster-
 * connection-commands.ts sets both on the session).
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import { hasKeys, keyIndexes } from "../dispatch/command-spec.ts";
import type { Session } from "../dispatch/session.ts";
import { error, type Reply } from "../protocol/reply.ts";
import type { Cluster } from "./cluster.ts";
import type { ClusterNode } from "./cluster-node.ts";
import { NodeFlag } from "./cluster-node.ts";
import { keyHashSlot } from "./hash-slot.ts";

// #region redirect-errors
/** Redis's words for each refusal (clusterRedirectClient). */
const CROSSSLOT = error(
  "CROSSSLOT Keys in request don't hash to the same slot",
);
const SLOT_NOT_SERVED = error("CLUSTERDOWN Hash slot not served");
const CLUSTER_DOWN = error("CLUSTERDOWN The cluster is down");
const CLUSTER_DOWN_READS_ONLY = error(
  "CLUSTERDOWN The cluster is down and only accepts read commands",
);

/**
 * Where the slot went: the owner's address as CLUSTER NODES shows it.
 * (Redis can name hostnames instead, `cluster-preferred-endpoint-type`,
 * a setting this chapter does not have.)
 */
function moved(slot: number, owner: ClusterNode): Reply {
  return error(`MOVED ${slot} ${owner.ip}:${owner.port}`);
}
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
  { session, server }: CommandContext,
): Reply | undefined {
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
  for (const command of commands) {
    for (const i of keyIndexes(command.spec, command.args) ?? []) {
      const keySlot = keyHashSlot(command.args[i]!);
      if (owner === undefined) {
        // The first key decides the slot, and the node to ask. A slot
        // without an owner means the cluster is down, even if its state
        // has not been updated yet.
        slot = keySlot;
        owner = state.owners[slot];
        if (owner === undefined) return SLOT_NOT_SERVED;
      } else if (keySlot !== slot) {
        return CROSSSLOT;
      }
      // Part 2: a slot being migrated or imported counts here which keys
      // this node still has (Redis's migrating_slot, importing_slot,
      // missing_keys).
    }
  }
  // No key at all (`EXEC` of keyless commands, `LMPOP 0 ...`): served here.
  if (owner === undefined) return undefined;

  if (state.state !== "ok") {
    if (!server.config.clusterAllowReadsWhenDown) return CLUSTER_DOWN;
    // Redis looks at the flags of the command itself: EXEC has no write flag.
    if (spec.flags.includes("write")) return CLUSTER_DOWN_READS_ONLY;
  }

  // Part 2: a slot being migrated answers ASK (the keys left) or TRYAGAIN
  // (some left, some not); a slot being imported serves a client that
  // sent ASKING (`session.asking`).

  if (servesReadOnly(cluster, owner, spec, session)) return undefined;
  return owner === state.myself ? undefined : moved(slot, owner);
}
// #endregion redirection

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
