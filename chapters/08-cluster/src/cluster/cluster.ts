/**
 * Cluster mode, put together: the node's view of the cluster
 * (cluster-state.ts), kept on disk in nodes.conf (nodes-file.ts) and kept
 * in step with the other nodes by the bus (cluster-bus.ts). server.ts
 * makes one when `cluster-enabled yes`; commands reach it through
 * `ServerState.cluster`.
 */
import { join } from "node:path";
import type { ServerConfig } from "../config/directives.ts";
import type { EndOfTurn } from "../dispatch/end-of-turn.ts";
import type { Database } from "../keyspace/database.ts";
import { ClusterBus, type LinkDescription } from "./cluster-bus.ts";
import { ClusterNode, NodeFlag, randomNodeName } from "./cluster-node.ts";
import { ClusterState, type ClusterChange } from "./cluster-state.ts";
import { describeNode, loadNodesFile, saveNodesFile } from "./nodes-file.ts";
import { SlotIndex } from "./slot-index.ts";

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
  readonly #config: ServerConfig;
  readonly #endOfTurn: EndOfTurn;
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
    endOfTurn.add(() => this.beforeSleep());
  }

  /** From now on `db` keeps `slotIndex` up to date, as it adds and deletes keys. */
  indexKeys(db: Database): void {
    db.indexBySlot(this.slotIndex);
  }

  /** nodes.conf's path: `cluster-config-file`, in `dir`. */
  get nodesFilePath(): string {
    return join(this.#config.dir, this.#config.clusterConfigFile);
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
    await this.bus.close();
    this.beforeSleep();
  }

  #ask(change: ClusterChange): void {
    this.#pending = {
      save: (this.#pending.save ?? false) || (change.save ?? false),
      updateState:
        (this.#pending.updateState ?? false) || (change.updateState ?? false),
    };
    this.#endOfTurn.schedule();
  }

  /** The end-of-turn step: what the turn's changes asked for (clusterBeforeSleep). */
  beforeSleep(): void {
    const { save, updateState } = this.#pending;
    this.#pending = {};
    if (updateState === true) {
      this.state.updateState(
        this.#config.clusterRequireFullCoverage,
        this.#config.clusterNodeTimeout,
      );
    }
    if (save === true) this.save();
  }

  /** Writes nodes.conf now. */
  save(): void {
    saveNodesFile(this.nodesFilePath, this.state, (node) =>
      this.bus.isConnected(node),
    );
  }

  /** CLUSTER NODES: one line per node (this one's flagged `myself`). */
  describeNodes(): string {
    return [...this.state.nodes.values()]
      .map((node) => describeNode(node, this.bus.isConnected(node)) + "\n")
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
    state.changed({ save: true, updateState: true });
  }
  // #endregion reset

  /** A known node by name, or undefined. */
  node(name: string): ClusterNode | undefined {
    return this.state.nodes.get(name);
  }
}
// #endregion cluster
