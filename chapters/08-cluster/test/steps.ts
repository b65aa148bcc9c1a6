/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"): `npm run exercise 08` reports on
 * them in this order, and `npm run exercise 08 -- <name>` runs one. Each
 * is a black-box test file of this folder without `.test.ts`; a
 * repository check keeps the two lists equal
 * (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "cluster-commands",
    about:
      "cluster mode on one node: CLUSTER INFO, MYID, NODES, SLOTS, KEYSLOT, ADDSLOTS and the rest",
  },
  {
    name: "routing",
    about:
      "hash slots and tags; MOVED, CROSSSLOT, CLUSTERDOWN; MULTI across nodes; SELECT refused",
  },
  {
    name: "cluster-bus",
    about:
      "the bus: MEET and handshakes, gossip, epochs, PFAIL then FAIL, nodes.conf after a restart",
  },
  {
    name: "cluster-clients",
    about:
      "ioredis's Redis.Cluster and redis-cli -c: 10,000 keys over three nodes, pipelines, hash tags",
  },
  {
    name: "cluster-tools",
    about: "redis-cli --cluster create and check against three of our nodes",
  },
  {
    name: "cluster-script",
    about:
      "npm run cluster: a local cluster, formed, reachable, stopped by Ctrl-C",
  },
  {
    name: "mixed-cluster",
    about:
      "our nodes and a real redis-server in one cluster: agreement, traffic, failures both ways",
  },
  {
    name: "dump-restore",
    about:
      "DUMP and RESTORE in Redis's RDB format, to and from a real redis-server",
    page: 2,
  },
  {
    name: "resharding",
    about:
      "moving a slot by hand: SETSLOT, MIGRATE, ASK and TRYAGAIN, the markers in CLUSTER NODES",
    page: 2,
  },
  {
    name: "cluster-reshard",
    about:
      "redis-cli --cluster reshard, rebalance and fix move slots with their keys while clients keep writing",
    page: 2,
  },
  {
    name: "cluster-proxy",
    about:
      "our own cluster-proxy mode: any node answers for every slot, for clients that are not cluster-aware",
    page: 2,
  },
  {
    name: "cross-node-writes",
    about:
      "our own atomic MSET, MSETNX, DEL and RENAME across nodes with try-confirm-cancel, in proxy mode",
    page: 2,
  },
  {
    name: "tcc-crash",
    about:
      "coordinator or participant killed at each step of try-confirm-cancel: all or nothing after restarts",
    page: 2,
  },
];
