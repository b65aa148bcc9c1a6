/**
 * Cluster nodes as processes, and forming them into a cluster: what the
 * chapter 08 suites (shared/cluster-harness.ts) and `npm run cluster`
 * (shared/scripts/cluster.ts) both need. Nothing here imports vitest, so a
 * plain script can use it.
 *
 * A node is our chapter's server (`src/main.ts --cluster-enabled yes`) or a
 * real `redis-server` started with the very same arguments. It gets a port
 * P whose bus port P + 10000 is free too (Redis's rule, which redis-cli
 * --cluster relies on), and a folder of its own for nodes.conf.
 */
import {
  spawn,
  type ChildProcess,
  type SpawnOptions as NodeSpawnOptions,
} from "node:child_process";
import { appendFileSync } from "node:fs";
import { createServer } from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { mainProgram } from "./main-program.ts";

/** Which server a node runs: ours, or Debian's redis-server. */
export type NodeKind = "ours" | "redis";

const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";
const STARTUP_TIMEOUT_MS = 20_000;

/** How a node process is started, beyond its kind, port, folder and arguments. */
export interface SpawnOptions {
  /** The chapter's `src/main.ts`, for a node of ours. */
  mainPath: string;
  /** Also append what the process prints to this file. */
  logPath?: string;
  /**
   * A process group of its own, so that Ctrl-C in a terminal reaches only
   * the parent, which then stops the node once (a second signal would make
   * the node skip its graceful shutdown).
   */
  detached?: boolean;
}

/**
 * Our node: `node --import tsx main.ts ARGS`, or the same modules bundled
 * into one file, which starts in a quarter of the time (tests start
 * dozens of nodes; shared/main-program.ts says why it is the same program).
 */
function spawnOurs(
  mainPath: string,
  argv: readonly string[],
  options: NodeSpawnOptions,
): ChildProcess {
  const [program, ...programArgs] = mainProgram(mainPath);
  return spawn(program!, [...programArgs, ...argv], options);
}

// #region cluster-node-process
export class NodeProcess {
  readonly kind: NodeKind;
  readonly port: number;
  readonly dir: string;
  readonly #args: string[];
  readonly #spawn: SpawnOptions;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #output = "";
  readonly #clients: Redis[] = [];
  #admin: Redis | undefined;

  constructor(
    kind: NodeKind,
    port: number,
    dir: string,
    args: string[],
    spawnOptions: SpawnOptions,
  ) {
    this.kind = kind;
    this.port = port;
    this.dir = dir;
    this.#args = args;
    this.#spawn = spawnOptions;
  }

  get busPort(): number {
    return this.port + 10_000;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
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
    const { mainPath, logPath, detached = false } = this.#spawn;
    const options = {
      stdio: ["ignore", "pipe", "pipe"] as ("ignore" | "pipe")[],
      detached,
    };
    const child =
      this.kind === "redis"
        ? spawn(REDIS_SERVER, argv, options)
        : spawnOurs(mainPath, argv, options);
    this.#child = child;
    const startedAt = this.#output.length;
    const collect = (text: string): void => {
      this.#output += text;
      if (logPath !== undefined) appendFileSync(logPath, text);
    };
    child.stdout!.setEncoding("utf8").on("data", collect);
    child.stderr!.setEncoding("utf8").on("data", collect);
    this.#exited = new Promise((resolve) =>
      child.once("close", () => resolve()),
    );
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const ready =
      this.kind === "redis" ? /Ready to accept connections/ : /Listening on /;
    // Only this start's output counts: a restart's output follows the
    // previous run's, ready line included.
    while (!ready.test(this.#output.slice(startedAt))) {
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

  /** Sends SIGKILL now, without waiting: for a parent that is exiting. */
  killNow(): void {
    if (this.running) this.#child!.kill("SIGKILL");
  }

  /** One client kept for the harness's own questions (forming the cluster, polling it). */
  async admin(): Promise<Redis> {
    this.#admin ??= await this.connect();
    return this.#admin;
  }

  /**
   * A plain ioredis client (no cluster redirects followed), closed with
   * the node. RESP2, no ready check: it sees the node's own answers.
   */
  async connect(options: RedisOptions = {}): Promise<Redis> {
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
 * test files running at once rarely try the same one; a caller retries
 * with another if one is taken meanwhile.
 */
export async function freePortPair(): Promise<number> {
  for (;;) {
    // Below 22000, so that the bus port stays below 32768, where the
    // kernel's ephemeral ports start: an outgoing connection's local port
    // could otherwise take a bus port between our probe and the listen.
    const port = 10_000 + Math.floor(Math.random() * 12_000);
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

/** Whether nothing listens on 127.0.0.1:port now (we could). */
export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
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
  // redis-cli's own split (clusterManagerCommandCreate): 16384 / n slots
  // each, rounded as it rounds, so 3 nodes get 0-5460, 5461-10922 and
  // 10923-16383.
  const perNode = 16384 / nodes.length;
  let first = 0;
  for (const [index, node] of nodes.entries()) {
    const client = await node.admin();
    const last =
      index === nodes.length - 1
        ? 16383
        : Math.max(first, Math.round(index * perNode + perNode - 1));
    await client.call("CLUSTER", "ADDSLOTSRANGE", first, last);
    first = last + 1;
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
