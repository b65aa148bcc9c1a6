/**
 * This node's view of the cluster (Redis's clusterState): the nodes it
 * knows, who owns each of the 16384 slots, the epochs, and whether the
 * cluster as a whole is ok. The bus (cluster-bus.ts) and the CLUSTER
 * commands change it; routing (routing.ts) reads it for every command.
 *
 * Changes that must reach the disk, or the cluster's state, are not acted
 * on at once: `changed()` asks for them at the end of the turn (Redis's
 * clusterDoBeforeSleep), so ten slots added by one command are one write
 * of nodes.conf, not ten.
 */
import { ClusterNode, NodeFlag, randomNodeName } from "./cluster-node.ts";
import { SLOT_COUNT } from "./hash-slot.ts";

/** What must happen at the end of the turn. */
export interface ClusterChange {
  /** Rewrite nodes.conf. */
  save?: boolean;
  /**
   * And fsync it: only for epochs, and slots won by a higher epoch, which
   * must survive a crash (Redis's CLUSTER_TODO_FSYNC_CONFIG). Redis does
   * not fsync for a SETSLOT or an ADDSLOTS: a reshard sends thousands, at
   * milliseconds per fsync.
   */
  fsync?: boolean;
  /** Recompute `ok`/`fail`. */
  updateState?: boolean;
}

/** What the cluster may do to the keys of a slot (cluster.ts provides it). */
export interface SlotKeys {
  count(slot: number): number;
  /** Deletes every key of the slot; how many there were. */
  deleteAll(slot: number): number;
}

/** Redis's delays around the cluster's state (CLUSTER_*_DELAY), in ms. */
const WRITABLE_DELAY = 2000;
const MIN_REJOIN_DELAY = 500;
const MAX_REJOIN_DELAY = 5000;

/** How long a forgotten node stays forgotten: CLUSTER FORGET's 60 s. */
export const FORGET_TTL_MS = 60_000;

// #region cluster-state
export class ClusterState {
  myself: ClusterNode;
  /** Every node known, this one included, by name. */
  readonly nodes = new Map<string, ClusterNode>();
  /** The highest epoch this node has seen anywhere. */
  currentEpoch = 0;
  /** The last epoch this node voted in a failover (none here: kept for nodes.conf). */
  lastVoteEpoch = 0;
  /** The owner of each slot, or undefined. */
  readonly owners: (ClusterNode | undefined)[] = new Array(SLOT_COUNT);
  /**
   * Resharding (CLUSTER SETSLOT): the node each slot of ours is being
   * moved to, and the node each slot is being moved from, or undefined.
   * Routing reads them (ASK, TRYAGAIN, ASKING); only this node's own
   * view, never gossiped: nodes.conf keeps them as `[slot->-id]` and
   * `[slot-<-id]`.
   */
  readonly migratingTo: (ClusterNode | undefined)[] = new Array(SLOT_COUNT);
  readonly importingFrom: (ClusterNode | undefined)[] = new Array(SLOT_COUNT);
  /**
   * Database 0's keys by slot, as far as the cluster needs them: how many
   * a slot has, and deleting them all. Cluster.indexKeys plugs the real
   * ones in; until then there are none.
   */
  slotKeys: SlotKeys = { count: () => 0, deleteAll: () => 0 };
  /** `ok` once every slot is served by a reachable node and a majority of masters is reachable. */
  state: "ok" | "fail" = "fail";
  /** Nodes CLUSTER FORGET removed, by name, with when they may be learned again (ms). */
  readonly forgotten = new Map<string, number>();
  /** Bus messages sent and received, by type name: CLUSTER INFO's figures. */
  readonly sent = new Map<string, number>();
  readonly received = new Map<string, number>();

  readonly #now: () => number;
  readonly #onChange: (change: ClusterChange) => void;
  /** When the state was first computed, and when this node was last in a minority. */
  #firstUpdate = 0;
  #inMinorityAt = 0;

  /**
   * @param onChange asked to save or update at the end of the turn; the
   * cluster (cluster.ts) does it.
   */
  constructor(
    now: () => number,
    onChange: (change: ClusterChange) => void,
    myself?: ClusterNode,
  ) {
    this.#now = now;
    this.#onChange = onChange;
    this.myself =
      myself ??
      new ClusterNode(
        randomNodeName(),
        NodeFlag.MYSELF | NodeFlag.MASTER,
        now(),
      );
    this.nodes.set(this.myself.name, this.myself);
  }

  now(): number {
    return this.#now();
  }

  changed(change: ClusterChange): void {
    this.#onChange(change);
  }

  // #region nodes
  addNode(node: ClusterNode): void {
    this.nodes.set(node.name, node);
  }

  /**
   * Removes a node: its slots become unassigned, no slot migrates to it
   * or from it any more, and its reports about other nodes are dropped
   * (clusterDelNode). Its links are the bus's to close.
   */
  deleteNode(node: ClusterNode): void {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (this.importingFrom[slot] === node)
        this.importingFrom[slot] = undefined;
      if (this.migratingTo[slot] === node) this.migratingTo[slot] = undefined;
      if (this.owners[slot] === node) this.unassignSlot(slot);
    }
    for (const other of this.nodes.values()) {
      other.failureReports.delete(node.name);
    }
    this.nodes.delete(node.name);
  }

  /** Gives a node met under a random name its real one, learned from its first PONG. */
  renameNode(node: ClusterNode, name: string): void {
    this.nodes.delete(node.name);
    node.name = name;
    this.nodes.set(name, node);
  }

  /** The masters that serve at least one slot: the cluster's size, and its voters. */
  mastersWithSlots(): ClusterNode[] {
    return [...this.nodes.values()].filter(
      (node) => node.isMaster && node.slotCount > 0,
    );
  }

  /** The highest config epoch of any node, or the current epoch if higher (clusterGetMaxEpoch). */
  maxEpoch(): number {
    let max = this.currentEpoch;
    for (const node of this.nodes.values()) {
      if (node.configEpoch > max) max = node.configEpoch;
    }
    return max;
  }

  /**
   * Takes a new config epoch without the others' agreement, unless this
   * node's is already the highest and not 0: true if it did
   * (clusterBumpConfigEpochWithoutConsensus). A slot moved by hand must
   * come with a higher epoch, or the old owner's claim would win it back.
   */
  bumpConfigEpochWithoutConsensus(): boolean {
    const { myself } = this;
    if (myself.configEpoch !== 0 && myself.configEpoch === this.maxEpoch()) {
      return false;
    }
    this.currentEpoch += 1;
    myself.configEpoch = this.currentEpoch;
    this.changed({ save: true, fsync: true });
    console.log(`New configEpoch set to ${myself.configEpoch}`);
    return true;
  }
  // #endregion nodes

  // #region slots
  /** Gives a slot to a node; false if another node has it (CLUSTER ADDSLOTS checks first). */
  assignSlot(slot: number, node: ClusterNode): boolean {
    if (this.owners[slot] !== undefined) return false;
    node.setSlotBit(slot);
    this.owners[slot] = node;
    return true;
  }

  /** Takes a slot from its owner; false if it had none. */
  unassignSlot(slot: number): boolean {
    const owner = this.owners[slot];
    if (owner === undefined) return false;
    owner.clearSlotBit(slot);
    this.owners[slot] = undefined;
    return true;
  }

  /** Ends every migration and import, as CLUSTER RESET does (clusterCloseAllSlots). */
  closeAllSlots(): void {
    this.migratingTo.fill(undefined);
    this.importingFrom.fill(undefined);
  }

  assignedSlotCount(): number {
    let count = 0;
    for (const owner of this.owners) if (owner !== undefined) count += 1;
    return count;
  }
  // #endregion slots

  // #region update-state
  /**
   * Recomputes whether the cluster is ok, by Redis's rules
   * (clusterUpdateState): every slot has an owner that is not FAIL
   * (unless `cluster-require-full-coverage no`), and a majority of the
   * masters with slots is reachable. A master that comes back from a
   * minority waits a little before it serves writes again, so that the
   * majority's view (perhaps a failover) reaches it first; a master that
   * just started waits 2 s for the same reason.
   */
  updateState(requireFullCoverage: boolean, nodeTimeout: number): void {
    const now = this.#now();
    if (this.#firstUpdate === 0) this.#firstUpdate = now;
    if (
      this.myself.isMaster &&
      this.state === "fail" &&
      now - this.#firstUpdate < WRITABLE_DELAY
    ) {
      return;
    }
    let next: "ok" | "fail" = "ok";
    if (requireFullCoverage) {
      for (const owner of this.owners) {
        if (owner === undefined || owner.has(NodeFlag.FAIL)) {
          next = "fail";
          break;
        }
      }
    }
    const masters = this.mastersWithSlots();
    const reachable = masters.filter((node) => !node.looksDown).length;
    if (reachable < Math.floor(masters.length / 2) + 1) {
      next = "fail";
      this.#inMinorityAt = now;
    }
    if (next === this.state) return;
    const rejoinDelay = Math.min(
      Math.max(nodeTimeout, MIN_REJOIN_DELAY),
      MAX_REJOIN_DELAY,
    );
    if (
      next === "ok" &&
      this.myself.isMaster &&
      now - this.#inMinorityAt < rejoinDelay
    ) {
      return;
    }
    this.state = next;
  }
  // #endregion update-state

  /** Counts one bus message, for CLUSTER INFO. */
  count(direction: "sent" | "received", type: string): void {
    const figures = direction === "sent" ? this.sent : this.received;
    figures.set(type, (figures.get(type) ?? 0) + 1);
  }
}
// #endregion cluster-state
