/**
 * Cluster nodes for the chapter 08 suites, each a process of its own: our
 * chapter's server (`src/main.ts --cluster-enabled yes`) or, for the
 * fidelity runs and the mixed clusters, a real `redis-server` started with
 * the very same arguments. `CLUSTER_NODES=redis` makes every node a real
 * one, so a suite written against our nodes checks itself against Redis.
 *
 * The processes and the forming of a cluster are in shared/cluster-forming.ts
 * (`npm run cluster` uses them too); this file adds what a test file needs:
 * nodes in temporary folders, removed when the test or the file ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis, type Cluster, type ClusterOptions } from "ioredis";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import {
  formCluster,
  freePortPair,
  NodeProcess,
  type NodeKind,
} from "./cluster-forming.ts";
import { chapterMainPath } from "./harness.ts";

export {
  configSignature,
  formCluster,
  NodeProcess,
  waitForAgreement,
  waitUntil,
  type NodeKind,
} from "./cluster-forming.ts";

/**
 * The kind of every node unless a test asks for a mix: Redis's under
 * `CLUSTER_NODES=redis`, and in the fidelity run (`npm run test:redis`
 * sets REDIS_URL), where every suite checks itself against Redis.
 */
export const DEFAULT_KIND: NodeKind =
  process.env.CLUSTER_NODES === "redis" || process.env.REDIS_URL !== undefined
    ? "redis"
    : "ours";

/** True when the suite runs against real Redis nodes only: for tests of a deliberate difference. */
export const againstRedis = DEFAULT_KIND === "redis";

export interface NodeOptions {
  kind?: NodeKind;
  /** `cluster-node-timeout` in ms; 15000 is Redis's default, too slow for a test of failures. */
  nodeTimeout?: number;
  /** More `--name value` arguments for both kinds. */
  args?: readonly string[];
}

/** Starts one node in a fresh folder; stopped and removed with `cleanUp`. */
export async function startNode(
  options: NodeOptions = {},
): Promise<NodeProcess> {
  const kind = options.kind ?? DEFAULT_KIND;
  const args = [
    "--cluster-node-timeout",
    String(options.nodeTimeout ?? 15_000),
    ...(options.args ?? []),
  ];
  for (let attempt = 0; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "cluster-node-"));
    const node = new NodeProcess(kind, await freePortPair(), dir, args, {
      mainPath: chapterMainPath(),
    });
    try {
      await node.start();
      return node;
    } catch (error) {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
      if (attempt === 2 || !/in use/i.test(String(error))) throw error;
    }
  }
}

/**
 * Starts several nodes at once, one per element of `options`; if one
 * cannot start, stops and removes the others before failing.
 */
export async function startNodes(
  options: readonly NodeOptions[],
): Promise<NodeProcess[]> {
  const results = await Promise.allSettled(options.map((o) => startNode(o)));
  const started = results.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  const failure = results.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await cleanUp(started);
    throw failure.reason;
  }
  return started;
}

/** Stops nodes and removes their folders. */
export async function cleanUp(nodes: readonly NodeProcess[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.stop()));
  for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
}

/** Starts a node for one test: stopped and removed when the test ends. */
export async function nodeForThisTest(
  options: NodeOptions = {},
): Promise<NodeProcess> {
  const node = await startNode(options);
  onTestFinished(() => cleanUp([node]));
  return node;
}

/** A cluster of `count` nodes for a whole test file, formed before its tests and stopped after. */
export function useCluster(
  count: number,
  options: NodeOptions & { kinds?: readonly NodeKind[] } = {},
): { nodes: NodeProcess[] } {
  const handle = { nodes: [] as NodeProcess[] };
  beforeAll(async () => {
    handle.nodes.push(
      ...(await startNodes(
        Array.from({ length: count }, (_, i) => ({
          ...options,
          kind: options.kinds?.[i] ?? options.kind,
        })),
      )),
    );
    await formCluster(handle.nodes);
  }, 90_000);
  afterAll(() => cleanUp(handle.nodes));
  return handle;
}

/**
 * ioredis's cluster client, `new Redis.Cluster(...)` with its defaults,
 * started from the first node, in the protocol the suite asks for. The
 * chapter 08 suites run once (shared/protocol-independent-suites.ts) and
 * try both protocols themselves. Closed when the test ends.
 */
export function clusterClientForThisTest(
  nodes: readonly NodeProcess[],
  protocol: 2 | 3,
  options: ClusterOptions = {},
): Cluster {
  const client = new Redis.Cluster(
    [{ host: "127.0.0.1", port: nodes[0]!.port }],
    { ...options, redisOptions: { ...options.redisOptions, protocol } },
  );
  onTestFinished(async () => {
    await client.quit().catch(() => client.disconnect());
  });
  return client;
}
