/**
 * Cluster mode, put together: the node's view of the cluster
 * (cluster-state.ts), kept on disk in nodes.conf (nodes-file.ts) and kept
 * in step with the other nodes by the bus (cluster-bus.ts). server.ts
 * makes one when `cluster-enabled yes`; commands reach it through
 * `ServerState.cluster`.
 */
import { resolve } from "node:path";
import type { ServerConfig } from "../config/directives.ts";
import type { EndOfTurn } from "../dispatch/end-of-turn.ts";
import type { Database } from "../keyspace/database.ts";
import { ClusterBus, type LinkDescription } from "./cluster-bus.ts";
import { ClusterNode, NodeFlag, randomNodeName } from "./cluster-node.ts";
import { ClusterState, type ClusterChange } from "./cluster-state.ts";
import { describeNode, loadNodesFile, saveNodesFile } from "./nodes-file.ts";
import { SlotIndex } from "./slot-index.ts";
import { PeerPool } from "./proxy/peer-pool.ts";
import { TccParticipant } from "./tcc/tcc-participant.ts";

/** Redis's rule for the bus port: the client port + 10000. */
export const BUS_PORT_OFFSET = 10_000;

/** Cluster mode cannot start: main.ts prints the message, as Redis does, and exits. */
export class ClusterStartError extends Error {
  override readonly name = "ClusterStartError";
}

// #region cluster
export class Cluster {
  readonly state: ClusterState;
  readonly bus: ClusterBus;
  /**
   * Database 0's keys by slot, for COUNTKEYSINSLOT and GETKEYSINSLOT:
   * server.ts hands it to the database, which keeps it up to date.
   */
  readonly slotIndex = new SlotIndex();
  /**
   * Connections to the other nodes' client ports, for the commands this
   * node sends them itself: the proxy's (`cluster-proxy yes`, not Redis)
   * and cross-node writes'. See proxy/peer-pool.ts.
   */
  readonly peers: PeerPool;
  /**
   * This node's side of cross-node writes (not Redis): the keys they have
   * locked, their state, their outcomes. See tcc/tcc-participant.ts.
   */
  readonly participant = new TccParticipant();
  readonly #config: ServerConfig;
  readonly #endOfTurn: EndOfTurn;
  /**
   * Database 0's keys a MIGRATE is sending right now: until the target
   * has answered, commands on them answer TRYAGAIN (routing.ts), since
   * Redis's MIGRATE stops the server for that long and ours does not.
   */
  readonly keysInFlight = new Set<string>();
  /**
   * Run at the end of a turn in which the slots or the state may have
   * changed: server.ts redirects the blocked clients there (routing.ts).
   */
  readonly afterUpdate: (() => void)[] = [];
  /** What the end of the turn must do, gathered since the last one. */
  #pending: ClusterChange = {};

  constructor(
    config: ServerConfig,
    endOfTurn: EndOfTurn,
    now: () => number = Date.now,
  ) {
    this.#config = config;
    this.#endOfTurn = endOfTurn;
    this.state = new ClusterState(now, (change) => this.#ask(change));
    this.bus = new ClusterBus(this.state, config);
    this.peers = new PeerPool(config);
    endOfTurn.add(() => this.beforeSleep());
  }

  /**
   * From now on `db` keeps `slotIndex` up to date, as it adds and deletes
   * keys, and the cluster's state may count and delete a slot's keys.
   */
  indexKeys(db: Database): void {
    db.indexBySlot(this.slotIndex);
    const index = this.slotIndex;
    this.state.slotKeys = {
      count: (slot) => index.count(slot),
      deleteAll(slot) {
        const keys = index.keys(slot, Infinity);
        for (const key of keys) db.delete(key.toString("latin1"));
        return keys.length;
      },
    };
  }

  /**
   * nodes.conf's path: `cluster-config-file`, relative to `dir` unless it
   * is absolute (Redis chdirs into `dir`, so an absolute path wins there).
   */
  get nodesFilePath(): string {
    return resolve(this.#config.dir, this.#config.clusterConfigFile);
  }

  /**
   * Loads nodes.conf (or starts a new node and writes one), then opens the
   * bus on `clientPort + 10000`, or `cluster-port`. A client port of 0
   * (the OS chose it: the tests) puts the bus on a port the OS chooses
   * too, since +10000 may not exist.
   */
  async start(
    host: string,
    clientPort: number,
    portWasChosen: boolean,
  ): Promise<void> {
    const loaded = loadNodesFile(this.nodesFilePath, this.state);
    const { myself } = this.state;
    myself.port = this.#config.clusterAnnouncePort || clientPort;
    if (
      this.#config.clusterPort === 0 &&
      clientPort + BUS_PORT_OFFSET > 65535
    ) {
      throw new ClusterStartError(
        `Redis port number too high. Cluster communication port is ${BUS_PORT_OFFSET} port numbers higher than your Redis port. Your Redis port number must be ${65535 - BUS_PORT_OFFSET} or less.`,
      );
    }
    const busPort =
      this.#config.clusterPort ||
      (portWasChosen ? 0 : clientPort + BUS_PORT_OFFSET);
    const listening = await this.bus.listen(host, busPort);
    myself.busPort = this.#config.clusterAnnounceBusPort || listening;
    myself.ip = this.#config.clusterAnnounceIp || myself.ip;
    myself.hostname = this.#config.clusterAnnounceHostname;
    if (!loaded) this.save();
    this.state.updateState(
      this.#config.clusterRequireFullCoverage,
      this.#config.clusterNodeTimeout,
    );
    this.bus.startCron();
  }

  async close(): Promise<void> {
    this.peers.close();
    await this.bus.close();
    this.beforeSleep();
  }

  #ask(change: ClusterChange): void {
    this.#pending = {
      save: (this.#pending.save ?? false) || (change.save ?? false),
      fsync: (this.#pending.fsync ?? false) || (change.fsync ?? false),
      updateState:
        (this.#pending.updateState ?? false) || (change.updateState ?? false),
    };
    this.#endOfTurn.schedule();
  }

  /** The end-of-turn step: what the turn's changes asked for (clusterBeforeSleep). */
  beforeSleep(): void {
    const { save, fsync, updateState } = this.#pending;
    this.#pending = {};
    if (updateState === true) {
      this.state.updateState(
        this.#config.clusterRequireFullCoverage,
        this.#config.clusterNodeTimeout,
      );
      for (const step of this.afterUpdate) step();
    }
    if (save === true) this.save(fsync === true);
  }

  /** Writes nodes.conf now; fsynced unless `durable` is false. */
  save(durable = true): void {
    saveNodesFile(
      this.nodesFilePath,
      this.state,
      (node) => this.bus.isConnected(node),
      durable,
    );
  }

  /** CLUSTER NODES: one line per node (this one's flagged `myself`). */
  describeNodes(): string {
    return [...this.state.nodes.values()]
      .map(
        (node) =>
          describeNode(this.state, node, this.bus.isConnected(node)) + "\n",
      )
      .join("");
  }

  /** CLUSTER LINKS. */
  links(): LinkDescription[] {
    return this.bus.describeLinks();
  }

  // #region reset
  /**
   * CLUSTER RESET: forget every other node and every slot; HARD also takes
   * a new name and sets the epochs back to 0 (clusterReset). The caller
   * has checked that the node holds no keys.
   */
  reset(hard: boolean): void {
    const { state } = this;
    for (let slot = 0; slot < state.owners.length; slot++) {
      state.unassignSlot(slot);
    }
    state.closeAllSlots();
    for (const node of [...state.nodes.values()]) {
      if (node === state.myself) continue;
      this.bus.dropNode(node);
      state.deleteNode(node);
    }
    state.myself.flags &= ~NodeFlag.REPLICA;
    state.myself.flags |= NodeFlag.MASTER;
    state.myself.replicaOf = undefined;
    if (hard) {
      state.currentEpoch = 0;
      state.lastVoteEpoch = 0;
      state.myself.configEpoch = 0;
      state.renameNode(state.myself, randomNodeName());
    }
    state.changed({ save: true, fsync: true, updateState: true });
  }
  // #endregion reset

  /** A known node by name, or undefined. */
  node(name: string): ClusterNode | undefined {
    return this.state.nodes.get(name);
  }
}
// #endregion cluster
