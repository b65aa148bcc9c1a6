/**
 * How a cluster decides that a node is down, Redis's way, in two steps:
 *
 * 1. PFAIL ("possibly failing"), a private opinion: a node that has not
 *    answered our PING for `cluster-node-timeout` ms is PFAIL to us.
 * 2. FAIL, a cluster-wide fact: each node gossips the flags it sees, so
 *    the masters learn who suspects whom. When a majority of the masters
 *    that serve slots (us included) report a node as PFAIL or FAIL within
 *    twice the timeout, the node that counts the majority marks it FAIL and
 *    tells every node with a FAIL message, which they accept as is.
 *
 * A FAIL node is forgiven when it answers again: at once if it serves no
 * slots, else once it has been FAIL for twice the timeout (time enough
 * for a replica to take its place, were there one).
 */
import { NodeFlag, type ClusterNode } from "./cluster-node.ts";
import type { ClusterState } from "./cluster-state.ts";

/** How long a failure report stays valid, in node timeouts (CLUSTER_FAIL_REPORT_VALIDITY_MULT). */
const REPORT_VALIDITY = 2;
/** How long a master with slots stays FAIL at least, in node timeouts (CLUSTER_FAIL_UNDO_TIME_MULT). */
const FAIL_UNDO_TIME = 2;

// #region failure-reports
/** Records that `reporter` sees `node` as PFAIL or FAIL; true if it is a new report. */
export function addFailureReport(
  node: ClusterNode,
  reporter: ClusterNode,
  now: number,
): boolean {
  const isNew = !node.failureReports.has(reporter.name);
  node.failureReports.set(reporter.name, now);
  return isNew;
}

/** `reporter` sees `node` up again; true if it had reported it. */
export function removeFailureReport(
  node: ClusterNode,
  reporter: ClusterNode,
): boolean {
  return node.failureReports.delete(reporter.name);
}

/** The reports still valid, after dropping the stale ones. */
export function countFailureReports(
  node: ClusterNode,
  now: number,
  nodeTimeout: number,
): number {
  for (const [reporter, at] of node.failureReports) {
    if (now - at > nodeTimeout * REPORT_VALIDITY) {
      node.failureReports.delete(reporter);
    }
  }
  return node.failureReports.size;
}
// #endregion failure-reports

// #region mark-failing
/**
 * Marks `node` FAIL if we suspect it ourselves and, counting us if we are
 * a master, a majority of the masters with slots report it. True if it
 * was marked: the bus then broadcasts FAIL.
 */
export function markFailingIfNeeded(
  state: ClusterState,
  node: ClusterNode,
  nodeTimeout: number,
): boolean {
  if (!node.has(NodeFlag.PFAIL) || node.has(NodeFlag.FAIL)) return false;
  const now = state.now();
  const quorum = Math.floor(state.mastersWithSlots().length / 2) + 1;
  let failures = countFailureReports(node, now, nodeTimeout);
  if (state.myself.isMaster) failures += 1;
  if (failures < quorum) return false;
  console.log(`Marking node ${node.name} as failing (quorum reached).`);
  markFailed(state, node);
  return true;
}

/** Sets FAIL (from a quorum, or from another node's FAIL message). */
export function markFailed(state: ClusterState, node: ClusterNode): void {
  node.flags = (node.flags | NodeFlag.FAIL) & ~NodeFlag.PFAIL;
  node.failTime = state.now();
  state.changed({ save: true, updateState: true });
}
// #endregion mark-failing

// #region clear-failure
/**
 * Called when a FAIL node answers: forgives it at once if it serves no
 * slots, else once it has been FAIL for twice the node timeout.
 */
export function clearFailureIfNeeded(
  state: ClusterState,
  node: ClusterNode,
  nodeTimeout: number,
): void {
  const now = state.now();
  const forgiven =
    !node.isMaster ||
    node.slotCount === 0 ||
    now - node.failTime > nodeTimeout * FAIL_UNDO_TIME;
  if (!forgiven) return;
  console.log(`Clear FAIL state for node ${node.name}: it is reachable again.`);
  node.flags &= ~NodeFlag.FAIL;
  state.changed({ save: true, updateState: true });
}
// #endregion clear-failure
