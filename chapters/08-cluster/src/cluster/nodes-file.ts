/**
 * nodes.conf: the node's own record of the cluster, in Redis's format, so
 * that a node that restarts comes back with its name, its slots and its
 * epochs, and rejoins the others. One line per node, the same line
 * CLUSTER NODES answers, then the epochs:
 *
 *     <id> <ip>:<port>@<bus port>[,<hostname>] <flags> <master id or -> \
 *       <ping sent> <pong received> <config epoch> <link> <slots...>
 *     vars currentEpoch 3 lastVoteEpoch 0
 *
 * The file is rewritten whole on every change of slots or epochs, into a
 * temporary file that is synced and then renamed over the old one: a crash
 * leaves either the old file or the new, never half of one.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import {
  ClusterNode,
  isNodeName,
  NodeFlag,
  parseFlagNames,
} from "./cluster-node.ts";
import type { ClusterState } from "./cluster-state.ts";
import { SLOT_COUNT } from "./hash-slot.ts";

// #region describe-node
/**
 * A node's line, as CLUSTER NODES and nodes.conf write it
 * (clusterGenNodeDescription). The link is "connected" when the bus has a
 * link to it, which `connected` says. This node's own line ends with the
 * slots it is moving (see `slotMarkers`).
 */
export function describeNode(
  state: ClusterState,
  node: ClusterNode,
  connected: boolean,
): string {
  const address = `${node.ip}:${node.port}@${node.busPort}${node.hostname === "" ? "" : `,${node.hostname}`}`;
  const master = node.replicaOf ?? "-";
  const myself = node.has(NodeFlag.MYSELF);
  // A node's own pong time is the one others gossip about it: 0 on a node
  // alone, a whole second once it has peers (as Redis 7.0 shows it).
  const pong = node.pongReceived;
  const link = connected || myself ? "connected" : "disconnected";
  const slots = node
    .slotRanges()
    .map(([start, end]) => (start === end ? `${start}` : `${start}-${end}`));
  return [
    node.name,
    address,
    node.flagNames(),
    master,
    node.pingSent,
    pong,
    node.configEpoch,
    link,
    ...slots,
    ...(myself ? slotMarkers(state) : []),
  ].join(" ");
}

/**
 * The slots this node is moving, in slot order: `[slot->-id]` for one
 * migrating to node `id`, `[slot-<-id]` for one importing from it. A slot
 * both migrating and importing shows only the first, as in Redis.
 * redis-cli --cluster reads them to find "open slots".
 */
function slotMarkers(state: ClusterState): string[] {
  const markers: string[] = [];
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const to = state.migratingTo[slot];
    const from = state.importingFrom[slot];
    if (to !== undefined) markers.push(`[${slot}->-${to.name}]`);
    else if (from !== undefined) markers.push(`[${slot}-<-${from.name}]`);
  }
  return markers;
}
// #endregion describe-node

/** The whole file's text: every node, then the epochs. */
function fileText(
  state: ClusterState,
  isConnected: (node: ClusterNode) => boolean,
): string {
  const lines = [...state.nodes.values()].map((node) =>
    describeNode(state, node, isConnected(node)),
  );
  lines.push(
    `vars currentEpoch ${state.currentEpoch} lastVoteEpoch ${state.lastVoteEpoch}`,
  );
  return lines.join("\n") + "\n";
}

// #region save
/**
 * Writes the file atomically (temporary file, rename) and, if `durable`,
 * durably: fsync of the file, then of the folder. An fsync costs
 * milliseconds, so only changes of epoch ask for one, as in Redis.
 */
export function saveNodesFile(
  path: string,
  state: ClusterState,
  isConnected: (node: ClusterNode) => boolean,
  durable = true,
): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, "w");
  try {
    writeSync(fd, fileText(state, isConnected));
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  if (!durable) return;
  // The rename itself lives in the folder: sync it too, or a crash could
  // bring the old name back.
  const folder = openSync(dirname(path), "r");
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}
// #endregion save

/** A nodes.conf that cannot be read: the node refuses to start, as Redis does. */
export class NodesFileError extends Error {
  override readonly name = "NodesFileError";
}

// #region load
/**
 * Reads nodes.conf into `state`, or returns false if there is no file (or
 * an empty one: a new node). Each known node comes back without a link
 * and, if it had been heard from, as heard from now: the bus checks it
 * again from there. Throws NodesFileError for a file it cannot read.
 */
export function loadNodesFile(path: string, state: ClusterState): boolean {
  if (!existsSync(path)) return false;
  const text = readFileSync(path, "latin1");
  if (text.trim() === "") return false;
  const now = state.now();
  let myself: ClusterNode | undefined;
  const nodes: ClusterNode[] = [];
  const slotsOf = new Map<ClusterNode, [number, number][]>();
  const markers: SlotMarker[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    const words = line.trim().split(/ +/);
    if (words[0] === "") continue;
    const where = `${path}, line ${index + 1}`;
    if (words[0] === "vars") {
      for (let i = 1; i + 1 < words.length; i += 2) {
        const value = Number(words[i + 1]);
        if (words[i] === "currentEpoch") state.currentEpoch = value;
        if (words[i] === "lastVoteEpoch") state.lastVoteEpoch = value;
      }
      continue;
    }
    if (words.length < 8 || !isNodeName(words[0]!)) {
      throw new NodesFileError(
        `Unrecoverable error: corrupted cluster config file "${line}" (${where})`,
      );
    }
    const [name, address, flagText, master, pingSent, pong, epoch] = words;
    const node = new ClusterNode(name!, parseFlagNames(flagText!), now);
    readAddress(node, address!, where);
    if (master !== "-") node.replicaOf = master;
    if (Number(pingSent) !== 0) node.pingSent = now;
    if (Number(pong) !== 0) node.pongReceived = now;
    node.configEpoch = Number(epoch);
    slotsOf.set(node, readSlots(words.slice(8), markers, where));
    if (node.has(NodeFlag.MYSELF)) {
      if (myself !== undefined) {
        throw new NodesFileError(
          `Unrecoverable error: two nodes flagged myself (${where})`,
        );
      }
      myself = node;
    }
    nodes.push(node);
  }
  if (myself === undefined) {
    throw new NodesFileError(
      `Unrecoverable error: no node flagged myself in ${path}`,
    );
  }
  for (const node of [...state.nodes.values()]) state.nodes.delete(node.name);
  state.myself = myself;
  for (const node of nodes) {
    state.addNode(node);
    for (const [start, end] of slotsOf.get(node)!) {
      for (let slot = start; slot <= end; slot++) state.assignSlot(slot, node);
    }
  }
  restoreMarkers(state, markers);
  // A current epoch lower than a node's config epoch cannot be right.
  state.currentEpoch = Math.max(state.currentEpoch, state.maxEpoch());
  return true;
}

/** `ip:port@busport[,hostname]`, into the node. */
function readAddress(node: ClusterNode, text: string, where: string): void {
  const match = /^(.*):(\d+)@(\d+)(?:,(.*))?$/.exec(text);
  if (match === null) {
    throw new NodesFileError(
      `Unrecoverable error: bad address '${text}' (${where})`,
    );
  }
  node.ip = match[1]!;
  node.port = Number(match[2]);
  node.busPort = Number(match[3]);
  node.hostname = match[4] ?? "";
}

/** A slot being moved, as a nodes.conf line's `[slot->-id]` or `[slot-<-id]` says. */
interface SlotMarker {
  slot: number;
  direction: "migrating" | "importing";
  name: string;
}

const MARKER = /^\[(\d+)-([<>])-([^\]]{40})\]$/;

/**
 * `0-5460 5461 [...]`: the slot ranges, returned, and the migration
 * markers, added to `markers`.
 */
function readSlots(
  words: string[],
  markers: SlotMarker[],
  where: string,
): [number, number][] {
  const ranges: [number, number][] = [];
  for (const word of words) {
    if (word.startsWith("[")) {
      const match = MARKER.exec(word);
      if (match === null || Number(match[1]) >= SLOT_COUNT) {
        throw new NodesFileError(
          `Unrecoverable error: bad slot marker '${word}' (${where})`,
        );
      }
      markers.push({
        slot: Number(match[1]),
        direction: match[2] === ">" ? "migrating" : "importing",
        name: match[3]!,
      });
      continue;
    }
    const [start, end = start] = word.split("-").map(Number);
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start! < 0 ||
      end! >= SLOT_COUNT ||
      start! > end!
    ) {
      throw new NodesFileError(
        `Unrecoverable error: bad slot range '${word}' (${where})`,
      );
    }
    ranges.push([start!, end!]);
  }
  return ranges;
}
/**
 * The slots this node was moving when it stopped: it goes on moving them.
 * A marker may name a node the file has no line for; Redis then adds one,
 * without flags or address, and so do we.
 */
function restoreMarkers(state: ClusterState, markers: SlotMarker[]): void {
  for (const { slot, direction, name } of markers) {
    let node = state.nodes.get(name);
    if (node === undefined) {
      node = new ClusterNode(name, 0, state.now());
      state.addNode(node);
    }
    if (direction === "migrating") state.migratingTo[slot] = node;
    else state.importingFrom[slot] = node;
  }
}
// #endregion load
