/**
 * Cluster nodes for the chapter 08 suites, each a process of its own: our
 * chapter's server (`src/main.ts --cluster-enabled yes`) or, for the
 * fidelity runs and the mixed clusters, a real `redis-server` started with
 * the very same arguments. `CLUSTER_NODES=redis` makes every node a real
 * one, so a suite written against our nodes checks itself against Redis.
 *
 * A node gets a port P whose bus port P + 10000 is free too (Redis's rule,
 * which redis-cli --cluster relies on), and a folder of its own for
 * nodes.conf, removed when the suite ends.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import { chapterMainPath } from "./harness.ts";

/** Which server a node runs: ours, or Debian's redis-server. */
export type NodeKind = "ours" | "redis";

/** The kind of every node unless a test asks for a mix: `CLUSTER_NODES=redis` for Redis's. */
export const DEFAULT_KIND: NodeKind =
  process.env.CLUSTER_NODES === "redis" ? "redis" : "ours";

/** True when the suite runs against real Redis nodes only: for tests of a deliberate difference. */
export const againstRedis = DEFAULT_KIND === "redis";

const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";
const STARTUP_TIMEOUT_MS = 20_000;

export interface NodeOptions {
  kind?: NodeKind;
  /** `cluster-node-timeout` in ms; 15000 is Redis's default, too slow for a test of failures. */
  nodeTimeout?: number;
  /** More `--name value` arguments for both kinds. */
  args?: readonly string[];
}

// #region cluster-node-process
export class NodeProcess {
  readonly kind: NodeKind;
  readonly port: number;
  readonly dir: string;
  readonly #args: string[];
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #output = "";
  readonly #clients: Redis[] = [];
  #admin: Redis | undefined;

  constructor(kind: NodeKind, port: number, dir: string, args: string[]) {
    this.kind = kind;
    this.port = port;
    this.dir = dir;
    this.#args = args;
  }

  get busPort(): number {
    return this.port + 10_000;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** What the process printed so far (both streams). */
  get output(): string {
    return this.#output;
  }

  get running(): boolean {
    return (
      this.#child !== undefined &&
      this.#child.exitCode === null &&
      this.#child.signalCode === null
    );
  }

  /** Starts the process (again, after stop: same port, same folder, same nodes.conf). */
  async start(): Promise<void> {
    const argv = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      this.dir,
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      "nodes.conf",
      "--save",
      "",
      "--appendonly",
      "no",
      ...this.#args,
    ];
    const child =
      this.kind === "redis"
        ? spawn(REDIS_SERVER, argv, { stdio: ["ignore", "pipe", "pipe"] })
        : spawn(
            process.execPath,
            ["--import", "tsx", chapterMainPath(), ...argv],
            {
              stdio: ["ignore", "pipe", "pipe"],
            },
          );
    this.#child = child;
    child
      .stdout!.setEncoding("utf8")
      .on("data", (text: string) => (this.#output += text));
    child
      .stderr!.setEncoding("utf8")
      .on("data", (text: string) => (this.#output += text));
    this.#exited = new Promise((resolve) =>
      child.once("close", () => resolve()),
    );
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const ready =
      this.kind === "redis" ? /Ready to accept connections/ : /Listening on /;
    while (!ready.test(this.#output)) {
      if (!this.running || Date.now() > deadline) {
        throw new Error(
          `${this.kind} node on port ${this.port} did not start:\n${this.#output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Stops the process: SIGKILL (a crash) by default, SIGTERM for a clean stop. */
  async stop(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    for (const client of this.#clients.splice(0)) client.disconnect();
    this.#admin = undefined;
    if (this.running) this.#child!.kill(signal);
    await this.#exited;
  }

  /** One client kept for the harness's own questions (forming the cluster, polling it). */
  async admin(): Promise<Redis> {
    this.#admin ??= await this.client();
    return this.#admin;
  }

  /**
   * A plain ioredis client (no cluster redirects followed), closed with
   * the node. RESP2, no ready check: it sees the node's own answers.
   */
  async client(options: RedisOptions = {}): Promise<Redis> {
    const client = new Redis({
      port: this.port,
      host: "127.0.0.1",
      protocol: 2,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      ...options,
    });
    await client.connect();
    this.#clients.push(client);
    return client;
  }
}
// #endregion cluster-node-process

/**
 * A port P such that P and P + 10000 are both free now. Random, so that
 * test files running at once rarely try the same one; `start` retries
 * with another if one is taken meanwhile.
 */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 25_000);
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
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
    const node = new NodeProcess(kind, await freePortPair(), dir, args);
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

// #region form-cluster
/**
 * Forms a cluster of masters the way `redis-cli --cluster create` does:
 * the slots split evenly in order (ADDSLOTSRANGE), config epochs 1, 2, 3,
 * then every node MEETs the first; resolves once every node sees every
 * other with the same slots and reports cluster_state:ok.
 */
export async function formCluster(
  nodes: readonly NodeProcess[],
  timeoutMs = 30_000,
): Promise<void> {
  const per = Math.floor(16384 / nodes.length);
  for (const [index, node] of nodes.entries()) {
    const client = await node.admin();
    const first = index * per;
    const last = index === nodes.length - 1 ? 16383 : first + per - 1;
    await client.call("CLUSTER", "ADDSLOTSRANGE", first, last);
    await client.call("CLUSTER", "SET-CONFIG-EPOCH", index + 1);
  }
  for (const node of nodes.slice(1)) {
    const client = await node.admin();
    await client.call("CLUSTER", "MEET", "127.0.0.1", nodes[0]!.port);
  }
  await waitForAgreement(nodes, timeoutMs);
}

/** Polls until every node knows all the others, they agree on the slots, and the state is ok. */
export async function waitForAgreement(
  nodes: readonly NodeProcess[],
  timeoutMs = 30_000,
): Promise<void> {
  await waitUntil(
    async () => {
      const signatures = new Set<string>();
      for (const node of nodes) {
        const client = await node.admin();
        const info = String(await client.call("CLUSTER", "INFO"));
        if (!info.includes("cluster_state:ok")) return false;
        const lines = String(await client.call("CLUSTER", "NODES"))
          .trim()
          .split("\n");
        if (
          lines.length !== nodes.length ||
          lines.some((line) => / (handshake|fail\??|noaddr)[ ,]/.test(line))
        ) {
          return false;
        }
        signatures.add(configSignature(lines));
      }
      return signatures.size === 1;
    },
    timeoutMs,
    "the nodes to agree on the cluster",
  );
}
// #endregion form-cluster

/** redis-cli's "config signature": each node with slots, with its slots, sorted. */
export function configSignature(lines: readonly string[]): string {
  return lines
    .map((line) => line.split(" "))
    .filter((words) => words.length > 8)
    .map(
      (words) =>
        `${words[0]}:${words
          .slice(8)
          .filter((w) => !w.startsWith("["))
          .join(",")}`,
    )
    .sort()
    .join("|");
}

/** Polls `condition` every 50 ms until it holds; fails after `timeoutMs` saying what it waited for. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A cluster of `count` nodes for a whole test file, formed before its tests and stopped after. */
export function useCluster(
  count: number,
  options: NodeOptions & { kinds?: readonly NodeKind[] } = {},
): { nodes: NodeProcess[] } {
  const handle = { nodes: [] as NodeProcess[] };
  beforeAll(async () => {
    for (let i = 0; i < count; i++) {
      handle.nodes.push(
        await startNode({
          ...options,
          kind: options.kinds?.[i] ?? options.kind,
        }),
      );
    }
    await formCluster(handle.nodes);
  }, 90_000);
  afterAll(() => cleanUp(handle.nodes));
  return handle;
}
