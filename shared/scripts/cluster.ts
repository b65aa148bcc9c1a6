/**
 * `npm run cluster [-- --nodes 3 --port 7000 --fresh --proxy]`: a cluster of our
 * own nodes to play with, as Redis's utils/create-cluster script gives one.
 *
 * It starts N nodes of the latest chapter with cluster mode (or
 * `--chapter NN`) on ports P..P+N-1, buses P+10000.., each in its folder
 * `.cluster/<port>/` (nodes.conf, node.log), and forms them into a cluster
 * the way `redis-cli --cluster create` does. Run it again and the nodes
 * restart from their nodes.conf and rejoin as they were; `--fresh` wipes
 * their folders first. Ctrl-C (or SIGTERM) stops every node: none outlives
 * the script. `--proxy` turns on our own `cluster-proxy yes` (chapter 08,
 * part 2: any node answers for every key), which Redis does not have.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  formCluster,
  isFree,
  NodeProcess,
  waitForAgreement,
} from "../cluster-forming.ts";
import { listChapters, resolveChapter, whyNoChapter } from "../chapters.ts";

const USAGE =
  "usage: npm run cluster [-- [--nodes N] [--port P] [--fresh] [--proxy] [--chapter NN] [--folder PATH]]";

/**
 * Redis's default node timeout is 15 s. 5 s shows a failure soon enough
 * to watch (kill a node: PFAIL after 5 s, FAIL a moment later) while a
 * pause of a second or two (a busy laptop, a debugger stepping through one
 * node) does not mark anyone failing.
 */
const NODE_TIMEOUT_MS = 5000;
/** How long a node gets to stop cleanly after SIGTERM before SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;
const AGREEMENT_TIMEOUT_MS = 60_000;

/** A path as the user would type it: from the current folder if it is under it. */
function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === "" ? "." : fromHere.startsWith("..") ? path : fromHere;
}
/** `7000-7002`, or `7000` alone. */
const range = (first: number, last: number): string =>
  first === last ? String(first) : `${first}-${last}`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

// `npm run cluster --port 7000`, without the `--`, makes npm keep `--port`
// for itself. Say so rather than start on the default port.
const takenByNpm = [
  "port",
  "nodes",
  "fresh",
  "proxy",
  "chapter",
  "folder",
].find((name) => process.env[`npm_config_${name}`] !== undefined);
if (takenByNpm !== undefined) {
  fail(
    `npm kept --${takenByNpm} for itself. Put -- before the options: npm run cluster -- --${takenByNpm} ...`,
  );
}

let options;
try {
  options = parseArgs({
    options: {
      nodes: { type: "string", default: "3" },
      port: { type: "string", default: "7000" },
      fresh: { type: "boolean", default: false },
      proxy: { type: "boolean", default: false },
      chapter: { type: "string" },
      folder: { type: "string", default: ".cluster" },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const count = Number(options.nodes);
const firstPort = Number(options.port);
if (!Number.isInteger(count) || count < 1 || count > 100)
  fail(`--nodes must be a number from 1 to 100, not '${options.nodes}'.`);
if (
  !Number.isInteger(firstPort) ||
  firstPort < 1 ||
  firstPort + count - 1 + 10_000 > 65535
)
  fail(
    `--port must leave room for ${count} ports and their buses (port + 10000) below 65536, not '${options.port}'.`,
  );

// #region which-chapter
/**
 * The chapter whose `src/main.ts` the nodes run: `--chapter` names one
 * (`08`, `08-cluster`, or a folder such as a learner's copy), else the
 * latest chapter with a `src/cluster/` folder.
 */
function chapterDir(name: string | undefined): string {
  const chapters = listChapters();
  if (name === undefined) {
    const latest = chapters
      .filter((c) => existsSync(join(c.dir, "src", "cluster")))
      .at(-1);
    if (latest === undefined) fail("No chapter has cluster mode yet.");
    return latest.dir;
  }
  const chapter = resolveChapter(name, chapters);
  const dir =
    chapter?.dir ??
    (existsSync(join(resolve(name), "src", "main.ts"))
      ? resolve(name)
      : fail(whyNoChapter(name)));
  if (!existsSync(join(dir, "src", "cluster")))
    fail(`${shown(dir)} has no cluster mode (no src/cluster/ folder).`);
  return dir;
}
// #endregion which-chapter

const dir = chapterDir(options.chapter);
const mainPath = join(dir, "src", "main.ts");
const folder = resolve(options.folder);
const ports = Array.from({ length: count }, (_, i) => firstPort + i);
const lastPort = firstPort + count - 1;

// Every port and bus port must be free before anything starts: a node
// that finds its port taken would only say so after the others started.
for (const port of ports) {
  if (!(await isFree(port)))
    fail(
      `Port ${port} is busy: something else listens on 127.0.0.1:${port}. Stop it, or choose other ports with --port.`,
    );
  if (!(await isFree(port + 10_000)))
    fail(
      `Port ${port + 10_000} (the cluster bus of port ${port}) is busy: something else listens on it. Stop it, or choose other ports with --port.`,
    );
}

// #region restart-or-form
/**
 * Whether the nodes restart from the nodes.conf files of a previous run
 * (all N folders have one, each knowing N nodes) or form a new cluster
 * (none has one). Anything in between is a question only the user can
 * answer.
 */
function previousRun(): boolean {
  const known = ports.map((port) => {
    const path = join(folder, String(port), "nodes.conf");
    if (!existsSync(path)) return undefined;
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("vars ")).length;
  });
  if (known.every((n) => n === undefined)) return false;
  const missing = ports.filter((_, i) => known[i] === undefined);
  if (missing.length > 0)
    fail(
      `${shown(folder)} holds nodes.conf from a previous run for some of these ports, not for ${missing.join(", ")}. Run with --fresh to start over, or with the --nodes and --port of that run.`,
    );
  const other = known.find((n) => n !== count);
  if (other !== undefined)
    fail(
      `${shown(folder)} holds a previous run's cluster of ${other} nodes, but --nodes is ${count}. Run with --nodes ${other}, or with --fresh to start over.`,
    );
  return true;
}
// #endregion restart-or-form

if (options.fresh) {
  for (const port of ports)
    rmSync(join(folder, String(port)), { recursive: true, force: true });
}
const restarting = previousRun();

const nodes = ports.map((port) => {
  const nodeDir = join(folder, String(port));
  mkdirSync(nodeDir, { recursive: true });
  return new NodeProcess(
    "ours",
    port,
    nodeDir,
    [
      "--cluster-node-timeout",
      String(NODE_TIMEOUT_MS),
      ...(options.proxy ? ["--cluster-proxy", "yes"] : []),
    ],
    { mainPath, logPath: join(nodeDir, "node.log"), detached: true },
  );
});

/** Tells once about a node that exited on its own, with the end of its log. */
const reported = new Set<NodeProcess>();
const watch = setInterval(() => {
  for (const node of nodes) {
    if (node.running || reported.has(node) || node.pid === undefined) continue;
    reported.add(node);
    const tail = node.output.trimEnd().split("\n").slice(-5).join("\n  ");
    console.error(
      `Node ${node.port} exited on its own. Its last words:\n  ${tail}`,
    );
  }
}, 1000);

// #region stop-nodes
let stopping = false;

/** SIGTERM to every node (a clean stop), SIGKILL to any still there after STOP_TIMEOUT_MS. */
async function stopAll(signal: string): Promise<void> {
  if (stopping) {
    // A second Ctrl-C: do not wait for anyone.
    for (const node of nodes) node.killNow();
    process.exit(1);
  }
  stopping = true;
  clearInterval(watch);
  console.log(`\n${signal}: stopping ${count} node(s)...`);
  await Promise.all(
    nodes.map(async (node) => {
      const timer = setTimeout(() => node.killNow(), STOP_TIMEOUT_MS);
      await node.stop("SIGTERM");
      clearTimeout(timer);
    }),
  );
  console.log("All nodes stopped.");
  process.exit(0);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => void stopAll(signal));
// Whatever ends this process (an exception, process.exit), the nodes go
// with it: they run in process groups of their own, so nothing else would
// stop them.
process.on("exit", () => {
  for (const node of nodes) node.killNow();
});
// #endregion stop-nodes

console.log(
  `${restarting ? "Restarting" : "Starting"} ${count} node(s) of chapter ${shown(dir)} on port(s) ${range(firstPort, lastPort)} (bus ${range(firstPort + 10_000, lastPort + 10_000)}), in ${shown(folder)}/<port>/...`,
);
try {
  await Promise.all(nodes.map((node) => node.start()));
  if (restarting) {
    console.log("Waiting for them to find each other again...");
    await waitForAgreement(nodes, AGREEMENT_TIMEOUT_MS);
  } else {
    console.log(
      `Forming the cluster: ${count} equal slot ranges, config epochs ${range(1, count)}, every node meets 127.0.0.1:${firstPort}...`,
    );
    await formCluster(nodes, AGREEMENT_TIMEOUT_MS);
  }
} catch (error) {
  console.error(`The cluster did not come up: ${(error as Error).message}`);
  for (const node of nodes) await node.stop();
  process.exit(1);
}

// #region node-table
const lines = String(await (await nodes[0]!.admin()).call("CLUSTER", "NODES"))
  .trim()
  .split("\n");
console.log(
  `\nCluster ready: ${count} node(s) agree on the slots, cluster_state:ok.\n`,
);
console.log(
  "  port   pid      node id                                   slots",
);
for (const node of nodes) {
  const words =
    lines
      .map((line) => line.split(" "))
      .find((w) => w[1]?.startsWith(`127.0.0.1:${node.port}@`)) ?? [];
  console.log(
    `  ${String(node.port).padEnd(6)} ${String(node.pid).padEnd(8)} ${(words[0] ?? "?").padEnd(41)} ${words.slice(8).join(" ")}`,
  );
}
console.log(`
Connect: redis-cli ${options.proxy ? "" : "-c "}-p ${firstPort}${options.proxy ? "   (proxy mode: any node answers for every key)" : ""}
Check:   redis-cli --cluster check 127.0.0.1:${firstPort}
Logs:    ${shown(folder)}/<port>/node.log
Keys live in memory only. Ctrl-C stops every node; run this again to restart
them from their nodes.conf, as they were, or add --fresh to start over.`);
// #endregion node-table
