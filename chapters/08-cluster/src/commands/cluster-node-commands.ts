/**
 * The CLUSTER subcommands that change who this node is and whom it
 * knows: its config epoch (SET-CONFIG-EPOCH, BUMPEPOCH), the other nodes
 * (MEET, FORGET, COUNT-FAILURE-REPORTS), a fresh start (RESET) and
 * nodes.conf (SAVECONFIG). Redis 7.0.15's checks and errors.
 */
import { SocketAddress } from "node:net";
import { error, integer, OK, simple } from "../protocol/reply.ts";
import {
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { BUS_PORT_OFFSET } from "../cluster/cluster.ts";
import { NodeFlag } from "../cluster/cluster-node.ts";
import { countFailureReports } from "../cluster/failure-detection.ts";
import { CLUSTER_DOCS } from "./docs/cluster-docs.ts";
import {
  ADMIN_CATEGORIES,
  ADMIN_FLAGS,
  asText,
  subcommand,
  subcommandSyntaxError,
  unknownNode,
} from "./cluster-subcommand.ts";

// #region epochs
/**
 * SET-CONFIG-EPOCH epoch: gives a brand-new node its config epoch, so
 * that the nodes of a new cluster start with distinct ones (redis-cli
 * --cluster create gives 1, 2, 3, ...) instead of waiting for the bus to
 * resolve their collisions one bump at a time. Only a node that knows
 * no other node, and has no epoch yet, takes one.
 */
export const setConfigEpoch = subcommand({
  name: "set-config-epoch",
  arity: 3,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|set-config-epoch"],
  run(args, cluster) {
    const epoch = int64Argument(args[2]!);
    if (epoch === undefined) return NOT_AN_INTEGER;
    const { state } = cluster;
    if (epoch < 0n) {
      return error(`ERR Invalid config epoch specified: ${epoch}`);
    }
    if (state.nodes.size > 1) {
      return error(
        "ERR The user can assign a config epoch only when the node does not know any other node.",
      );
    }
    if (state.myself.configEpoch !== 0) {
      return error("ERR Node config epoch is already non-zero");
    }
    // Epochs are 64-bit on the bus; ours are numbers, exact up to 2^53.
    state.myself.configEpoch = Number(epoch);
    console.log(
      `configEpoch set to ${state.myself.configEpoch} via CLUSTER SET-CONFIG-EPOCH`,
    );
    state.currentEpoch = Math.max(state.currentEpoch, state.myself.configEpoch);
    state.changed({ save: true, updateState: true });
    return OK;
  },
});

/**
 * BUMPEPOCH: takes a new config epoch without asking the others
 * (clusterBumpConfigEpochWithoutConsensus), unless this node's is
 * already the highest there is and not 0. Redis uses it after a manual
 * slot move; by hand, it settles an epoch collision at once.
 */
export const bumpepoch = subcommand({
  name: "bumpepoch",
  arity: 2,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|bumpepoch"],
  run(_args, cluster) {
    const { state } = cluster;
    const bumped = state.bumpConfigEpochWithoutConsensus();
    return simple(`${bumped ? "BUMPED" : "STILL"} ${state.myself.configEpoch}`);
  },
});
// #endregion epochs

// #region meet
/**
 * An IP address as Redis takes it from MEET (inet_pton), in the form it
 * keeps it (inet_ntop): `0:0::1` is `::1`. Undefined for anything else,
 * host names included: a node is met by address.
 */
export function normalizeIp(text: string): string | undefined {
  // inet_pton knows no IPv6 zone (`fe80::1%eth0`); Node's parser does.
  if (text.includes("%")) return undefined;
  for (const family of ["ipv4", "ipv6"] as const) {
    try {
      return new SocketAddress({ address: text, family }).address;
    } catch {
      // Not an address of this family: try the next.
    }
  }
  return undefined;
}

/** A port as clusterStartHandshake accepts one. */
function isPort(port: bigint): boolean {
  return port > 0n && port <= 65535n;
}

/**
 * MEET ip port [bus-port]: starts a handshake with a node, so that it
 * joins this node's cluster (and this node its). The node is added at
 * once under a random name, flagged `handshake`; its first PONG tells its
 * real name. The bus port defaults to port + 10000. A handshake already
 * under way with that address is not an error: the answer is OK, as in
 * Redis.
 */
export const meet = subcommand({
  name: "meet",
  arity: -4,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|meet"],
  run(args, cluster) {
    if (args.length > 5) return subcommandSyntaxError(args);
    const port = int64Argument(args[3]!);
    if (port === undefined) {
      return error(`ERR Invalid TCP base port specified: ${asText(args[3]!)}`);
    }
    let busPort = port + BigInt(BUS_PORT_OFFSET);
    if (args.length === 5) {
      const given = int64Argument(args[4]!);
      if (given === undefined) {
        return error(`ERR Invalid TCP bus port specified: ${asText(args[4]!)}`);
      }
      busPort = given;
    }
    const ip = normalizeIp(asText(args[2]!));
    if (ip === undefined || !isPort(port) || !isPort(busPort)) {
      return error(
        `ERR Invalid node address specified: ${asText(args[2]!)}:${asText(args[3]!)}`,
      );
    }
    cluster.bus.meet(ip, Number(port), Number(busPort));
    return OK;
  },
});
// #endregion meet

// #region forget
/** FORGET node-id: drops a node, and ignores what the others say of it for 60 s. */
export const forget = subcommand({
  name: "forget",
  arity: 3,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|forget"],
  run(args, cluster) {
    const node = cluster.node(asText(args[2]!));
    const { myself } = cluster.state;
    if (node === undefined) return unknownNode(args[2]!);
    if (node === myself) {
      return error("ERR I tried hard but I can't forget myself...");
    }
    if (myself.has(NodeFlag.REPLICA) && myself.replicaOf === node.name) {
      return error("ERR Can't forget my master!");
    }
    cluster.bus.forget(node);
    return OK;
  },
});

/** COUNT-FAILURE-REPORTS node-id: how many masters currently report the node as failing. */
export const countFailureReportsCommand = subcommand({
  name: "count-failure-reports",
  arity: 3,
  flags: ["admin", "stale"],
  categories: ADMIN_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLUSTER_DOCS["cluster|count-failure-reports"],
  run(args, cluster) {
    const node = cluster.node(asText(args[2]!));
    if (node === undefined) return unknownNode(args[2]!);
    return integer(
      countFailureReports(node, cluster.state.now(), cluster.bus.nodeTimeout),
    );
  },
});
// #endregion forget

// #region reset
/**
 * RESET [HARD|SOFT]: forgets every other node and every slot; HARD also
 * takes a new name and zeroes the epochs. A master that holds keys
 * refuses: its keys would belong to no slot.
 */
export const reset = subcommand({
  name: "reset",
  arity: -2,
  flags: ["admin", "noscript", "stale"],
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|reset"],
  run(args, cluster, { session }) {
    if (args.length > 3) return subcommandSyntaxError(args);
    let hard = false;
    if (args.length === 3) {
      if (isKeyword(args[2]!, "hard")) hard = true;
      else if (!isKeyword(args[2]!, "soft")) return SYNTAX_ERROR;
    }
    if (cluster.state.myself.isMaster && session.db.size !== 0) {
      return error(
        "ERR CLUSTER RESET can't be called with master nodes containing keys",
      );
    }
    cluster.reset(hard);
    return OK;
  },
});

/** SAVECONFIG: writes nodes.conf now, synced. */
export const saveconfig = subcommand({
  name: "saveconfig",
  arity: 2,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLUSTER_DOCS["cluster|saveconfig"],
  run(_args, cluster) {
    try {
      cluster.save();
      return OK;
    } catch (failure) {
      return error(
        `ERR error saving the cluster node config: ${strerror(failure)}`,
      );
    }
  },
});

/**
 * The C library's words for a failed system call, from Node's error:
 * `ENOENT: no such file or directory, open '...'` gives
 * `No such file or directory`.
 */
function strerror(failure: unknown): string {
  const message = failure instanceof Error ? failure.message : String(failure);
  const match = /^E[A-Z0-9]+: ([^,]+)/.exec(message);
  if (match === null) return message;
  return match[1]!.charAt(0).toUpperCase() + match[1]!.slice(1);
}
// #endregion reset
