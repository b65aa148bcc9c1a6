/**
 * The settings of cluster mode, under redis-server's names and with its
 * defaults: whether the server is a cluster node at all, where it keeps
 * its view of the cluster (nodes.conf), how long a silent node may stay
 * silent, and what address it tells the other nodes. Kept apart from
 * directives.ts, which merges them into its table.
 */
import { parseInteger, parseYesNo } from "./config-values.ts";

// #region cluster-settings
export interface ClusterSettings {
  /**
   * Whether this server is a cluster node: keys live in hash slots, a
   * command for another node's slot is redirected, and the cluster bus
   * listens on `clusterPort`. Off, the server is chapter 07's. Start-up only.
   */
  clusterEnabled: boolean;
  /**
   * The node's own record of the cluster (its id, the nodes it knows, who
   * owns which slot, the epochs), in `dir`: cluster/nodes-file.ts. Redis's
   * `cluster-config-file`; a file per node, never shared.
   */
  clusterConfigFile: string;
  /**
   * Milliseconds without an answer to a PING before a node is suspected
   * to be down (PFAIL); a majority of suspicions makes it FAIL. Redis's
   * default, 15 s. Also the pace of the bus: a node is pinged at least
   * every half of it.
   */
  clusterNodeTimeout: number;
  /** The bus's port; 0 means the client port + 10000, Redis's rule. */
  clusterPort: number;
  /**
   * What this node tells the others about itself, when its own view
   * (the address a peer reached it at, the ports it listens on) is wrong
   * for them: behind NAT, in a container. Empty or 0 means "as seen".
   */
  clusterAnnounceIp: string;
  clusterAnnouncePort: number;
  clusterAnnounceBusPort: number;
  /** A name other nodes show beside this node's address; empty for none. */
  clusterAnnounceHostname: string;
  /**
   * Whether the whole cluster stops answering (CLUSTERDOWN) when a slot
   * has no owner, or its owner has failed. Redis's default, yes: better no
   * answer than an answer from part of the data.
   */
  clusterRequireFullCoverage: boolean;
  /** Whether a node keeps serving reads while the cluster is down. Redis's default, no. */
  clusterAllowReadsWhenDown: boolean;
  /**
   * NOT a Redis setting: this chapter's own proxy mode. On, a node that
   * would answer `MOVED` forwards the command to the slot's owner and
   * relays its reply (cluster/proxy/forwarding.ts), so that a client that
   * knows nothing of clusters can use any node. Redis leaves routing to
   * the client. Default no: the node behaves as Redis's does.
   */
  clusterProxy: boolean;
  /**
   * NOT a Redis setting either: milliseconds a forwarded command may wait
   * for the owner's reply before the client gets a TRYAGAIN error and the
   * connection to the owner is dropped (cluster/proxy/peer-connection.ts).
   * Default 5 s: far above any command's time on a healthy node, and far
   * below cluster-node-timeout's 15 s, so that a client hears of a stuck
   * owner before the cluster has decided it failed.
   */
  clusterProxyTimeout: number;
}
// #endregion cluster-settings

export const DEFAULT_CLUSTER_SETTINGS: Readonly<ClusterSettings> = {
  clusterEnabled: false,
  clusterConfigFile: "nodes.conf",
  clusterNodeTimeout: 15_000,
  clusterPort: 0,
  clusterAnnounceIp: "",
  clusterAnnouncePort: 0,
  clusterAnnounceBusPort: 0,
  clusterAnnounceHostname: "",
  clusterRequireFullCoverage: true,
  clusterAllowReadsWhenDown: false,
  clusterProxy: false,
  clusterProxyTimeout: 5_000,
};

/** A directive of this family, as directives.ts's `Directive` sees it. */
interface ClusterDirective {
  apply(config: ClusterSettings, value: string): void;
  show(config: ClusterSettings): string;
  mutable: boolean;
}

/** The largest port a bus can have: Redis refuses a client port above 65535 - 10000 without `cluster-port`. */
const MAX_PORT = 65535;

// #region cluster-directives
/**
 * Which settings CONFIG SET may change is Redis's choice too: the mode,
 * the file and the bus port are fixed once the node runs.
 */
export const CLUSTER_DIRECTIVES: Readonly<Record<string, ClusterDirective>> = {
  "cluster-enabled": {
    apply(config, value) {
      config.clusterEnabled = parseYesNo(value);
    },
    show: (config) => (config.clusterEnabled ? "yes" : "no"),
    mutable: false,
  },
  "cluster-config-file": {
    apply(config, value) {
      config.clusterConfigFile = value;
    },
    show: (config) => config.clusterConfigFile,
    mutable: false,
  },
  "cluster-node-timeout": {
    apply(config, value) {
      config.clusterNodeTimeout = parseInteger(
        value,
        "cluster-node-timeout",
        0,
        Number.MAX_SAFE_INTEGER,
      );
    },
    show: (config) => String(config.clusterNodeTimeout),
    mutable: true,
  },
  "cluster-port": {
    apply(config, value) {
      config.clusterPort = parseInteger(value, "cluster-port", 0, MAX_PORT);
    },
    show: (config) => String(config.clusterPort),
    mutable: false,
  },
  "cluster-announce-ip": {
    apply(config, value) {
      config.clusterAnnounceIp = value;
    },
    show: (config) => config.clusterAnnounceIp,
    mutable: true,
  },
  "cluster-announce-port": {
    apply(config, value) {
      config.clusterAnnouncePort = parseInteger(
        value,
        "cluster-announce-port",
        0,
        MAX_PORT,
      );
    },
    show: (config) => String(config.clusterAnnouncePort),
    mutable: true,
  },
  "cluster-announce-bus-port": {
    apply(config, value) {
      config.clusterAnnounceBusPort = parseInteger(
        value,
        "cluster-announce-bus-port",
        0,
        MAX_PORT,
      );
    },
    show: (config) => String(config.clusterAnnounceBusPort),
    mutable: true,
  },
  "cluster-announce-hostname": {
    apply(config, value) {
      config.clusterAnnounceHostname = value;
    },
    show: (config) => config.clusterAnnounceHostname,
    mutable: true,
  },
  "cluster-require-full-coverage": {
    apply(config, value) {
      config.clusterRequireFullCoverage = parseYesNo(value);
    },
    show: (config) => (config.clusterRequireFullCoverage ? "yes" : "no"),
    mutable: true,
  },
  "cluster-allow-reads-when-down": {
    apply(config, value) {
      config.clusterAllowReadsWhenDown = parseYesNo(value);
    },
    show: (config) => (config.clusterAllowReadsWhenDown ? "yes" : "no"),
    mutable: true,
  },
  // Ours, not Redis's (see ClusterSettings): real redis-server refuses them.
  "cluster-proxy": {
    apply(config, value) {
      config.clusterProxy = parseYesNo(value);
    },
    show: (config) => (config.clusterProxy ? "yes" : "no"),
    mutable: true,
  },
  "cluster-proxy-timeout": {
    apply(config, value) {
      config.clusterProxyTimeout = parseInteger(
        value,
        "cluster-proxy-timeout",
        1,
        Number.MAX_SAFE_INTEGER,
      );
    },
    show: (config) => String(config.clusterProxyTimeout),
    mutable: true,
  },
};
// #endregion cluster-directives
