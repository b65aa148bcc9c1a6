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
];
