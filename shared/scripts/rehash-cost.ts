/**
 * `npm run rehash-cost [-- --keys N --seed S --trials T]`: how many keys
 * move when a fourth node joins a cluster of three, and how evenly the
 * keys are spread, under three ways of placing keys on nodes. A
 * measurement for chapter 08's article, not a test.
 *
 * - `hash mod N`: node = hash(key) mod N, the obvious way, as a baseline.
 * - A consistent-hash ring (Karger et al., 1997), as the seeds (godis
 *   before its raft cluster) place keys: each node puts V points on a
 *   circle of 2^32 positions, at CRC32(`<i><node address>`) for i < V,
 *   and a key belongs to the first point at or after CRC32(key). Shown
 *   with V = 1, 16 and 160 (160 is what libketama, memcached's client
 *   library, puts per server).
 * - Redis's hash slots: slot = CRC16(key) mod 16384 (hash-slot.ts of
 *   chapter 08, the real thing), three nodes with a third of the slots
 *   each as `redis-cli --cluster create` splits them, then a fourth node
 *   that each old node gives its surplus to, its lowest slots first, as
 *   `redis-cli --cluster rebalance --cluster-use-empty-masters` does.
 *
 * The keys are random (seeded: shared/seeded-random.ts), so every run
 * prints the same figures. A ring's quality depends on where its nodes'
 * points happen to fall, so besides the cluster of the first table
 * (127.0.0.1:7000 to :7003) the script measures TRIALS other clusters
 * (other ports) and prints the average and the worst.
 */
import { parseArgs } from "node:util";
import {
  keyHashSlot,
  SLOT_COUNT,
} from "../../chapters/08-cluster/src/cluster/hash-slot.ts";
import { seededRandom } from "../seeded-random.ts";

const USAGE =
  "usage: npm run rehash-cost [-- [--keys N] [--seed S] [--trials T]]";

// #region crc32
/** CRC32 (IEEE), the hash godis's ring uses (Go's crc32.ChecksumIEEE). */
const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    table[byte] = crc >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = (crc >>> 8) ^ CRC32_TABLE[(crc ^ byte) & 0xff]!;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
// #endregion crc32

/** Where each key lives: a node index per key. */
type Placement = Uint8Array;

// #region ring
/**
 * A consistent-hash ring: every node's points, sorted, and which node
 * each point belongs to. A key goes to the first point at or after its
 * own hash, wrapping around past the last.
 */
class HashRing {
  readonly #points: Uint32Array;
  readonly #owners: Uint8Array;

  constructor(nodes: readonly string[], virtualNodes: number) {
    const points: [number, number][] = [];
    nodes.forEach((node, index) => {
      for (let i = 0; i < virtualNodes; i++) {
        points.push([crc32(Buffer.from(`${i}${node}`)), index]);
      }
    });
    points.sort((a, b) => a[0] - b[0]);
    this.#points = Uint32Array.from(points, ([point]) => point);
    this.#owners = Uint8Array.from(points, ([, owner]) => owner);
  }

  nodeOf(hash: number): number {
    let low = 0;
    let high = this.#points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#points[middle]! < hash) low = middle + 1;
      else high = middle;
    }
    return this.#owners[low === this.#points.length ? 0 : low]!;
  }
}
// #endregion ring

// #region slots
/**
 * The owner of each slot: `count` nodes with consecutive ranges, as
 * `redis-cli --cluster create` hands them out, rounding each range's end
 * to the nearest slot (0-5460, 5461-10922, 10923-16383 for three).
 */
function createSlots(count: number): Uint8Array {
  const owners = new Uint8Array(SLOT_COUNT);
  const perNode = SLOT_COUNT / count;
  let first = 0;
  for (let node = 0; node < count; node++) {
    const last =
      node === count - 1
        ? SLOT_COUNT - 1
        : Math.round(node * perNode + perNode - 1);
    owners.fill(node, first, last + 1);
    first = last + 1;
  }
  return owners;
}

/**
 * A new node joins, empty, and every old node gives it what it holds
 * above an even share, its lowest slots first: the plan of `redis-cli
 * --cluster rebalance --cluster-use-empty-masters`. Nothing moves
 * between old nodes.
 */
function rebalanceTo(owners: Uint8Array, newNode: number): Uint8Array {
  const after = Uint8Array.from(owners);
  const share = Math.floor(SLOT_COUNT / (newNode + 1));
  const held = new Array<number>(newNode).fill(0);
  for (const owner of owners) held[owner]! += 1;
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const owner = owners[slot]!;
    if (held[owner]! > share) {
      after[slot] = newNode;
      held[owner]! -= 1;
    }
  }
  return after;
}
// #endregion slots

interface Outcome {
  /** Keys whose node changed, and of those, the ones that moved between old nodes. */
  moved: number;
  betweenOld: number;
  /** Keys per node, before (N nodes) and after (N + 1). */
  before: number[];
  after: number[];
}

function compare(before: Placement, after: Placement, nodes: number): Outcome {
  const outcome: Outcome = {
    moved: 0,
    betweenOld: 0,
    before: new Array<number>(nodes).fill(0),
    after: new Array<number>(nodes + 1).fill(0),
  };
  for (let i = 0; i < before.length; i++) {
    const from = before[i]!;
    const to = after[i]!;
    outcome.before[from]! += 1;
    outcome.after[to]! += 1;
    if (from !== to) {
      outcome.moved += 1;
      if (to !== nodes) outcome.betweenOld += 1;
    }
  }
  return outcome;
}

/** The schemes, each as a function from the keys' hashes to placements. */
interface Scheme {
  name: string;
  place(nodes: readonly string[]): Placement;
}

function main(): void {
  let options;
  try {
    options = parseArgs({
      options: {
        keys: { type: "string", default: "100000" },
        seed: { type: "string", default: "20261208" },
        trials: { type: "string", default: "100" },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(1);
  }
  const keyCount = Number(options.keys);
  const seed = Number(options.seed);
  const trials = Number(options.trials);
  if (![keyCount, seed, trials].every((n) => Number.isInteger(n) && n > 0)) {
    console.error(USAGE);
    process.exit(1);
  }

  // Random keys of 16 hexadecimal digits, like session ids.
  const random = seededRandom(seed);
  const keys = Array.from({ length: keyCount }, () =>
    random.bytes(8).toString("hex"),
  );
  const keyBytes = keys.map((key) => Buffer.from(key));
  const ringHashes = Uint32Array.from(keyBytes, crc32);
  const slots = Uint16Array.from(keyBytes, keyHashSlot);

  const byRing =
    (virtualNodes: number) =>
    (nodes: readonly string[]): Placement => {
      const ring = new HashRing(nodes, virtualNodes);
      const placement = new Uint8Array(ringHashes.length);
      for (let i = 0; i < ringHashes.length; i++) {
        placement[i] = ring.nodeOf(ringHashes[i]!);
      }
      return placement;
    };
  const schemes: Scheme[] = [
    {
      name: "hash mod N",
      place: (nodes) =>
        Uint8Array.from(ringHashes, (hash) => hash % nodes.length),
    },
    { name: "ring, V = 1", place: byRing(1) },
    { name: "ring, V = 16", place: byRing(16) },
    { name: "ring, V = 160", place: byRing(160) },
  ];

  /** One cluster growing from three nodes to four: every scheme's outcome. */
  const grow = (nodes: readonly string[]): Outcome[] => {
    const outcomes = schemes.map((scheme) =>
      compare(scheme.place(nodes.slice(0, 3)), scheme.place(nodes), 3),
    );
    const three = createSlots(3);
    const four = rebalanceTo(three, 3);
    outcomes.push(
      compare(
        Uint8Array.from(slots, (slot) => three[slot]!),
        Uint8Array.from(slots, (slot) => four[slot]!),
        3,
      ),
    );
    return outcomes;
  };
  const names = [...schemes.map((s) => s.name), "hash slots, rebalanced"];
  const addresses = (firstPort: number): string[] =>
    [0, 1, 2, 3].map((i) => `127.0.0.1:${firstPort + i}`);

  const percent = (n: number, of = keyCount): string =>
    `${((100 * n) / of).toFixed(1)}%`;
  const spread = (counts: number[]): string => {
    const fair = keyCount / counts.length;
    return `${(Math.min(...counts) / fair).toFixed(2)}-${(Math.max(...counts) / fair).toFixed(2)}`;
  };

  console.log(
    `${keyCount.toLocaleString("en")} random keys (seed ${seed}); nodes 127.0.0.1:7000-7002, then 7003 joins.`,
  );
  console.log(
    "Moved: keys whose node changed (ideal: the new node's fair share, 25%). Load: the least and the most loaded node, as a multiple of a fair share.\n",
  );
  const rows = [
    ["scheme", "moved", "between old", "load, 3 nodes", "load, 4 nodes"],
    ...grow(addresses(7000)).map((o, i) => [
      names[i]!,
      percent(o.moved),
      percent(o.betweenOld),
      spread(o.before),
      spread(o.after),
    ]),
  ];
  printTable(rows);

  // The same for other clusters: a ring's points, and so its figures,
  // change with the nodes' names.
  const totals = names.map(() => ({ moved: 0, worstMoved: 0, worstLoad: 0 }));
  for (let t = 0; t < trials; t++) {
    grow(addresses(10_000 + 4 * t)).forEach((o, i) => {
      const total = totals[i]!;
      const fair = keyCount / 4;
      total.moved += o.moved / keyCount;
      total.worstMoved = Math.max(total.worstMoved, o.moved / keyCount);
      total.worstLoad = Math.max(total.worstLoad, Math.max(...o.after) / fair);
    });
  }
  console.log(
    `\nOver ${trials} other clusters (ports 10000-10003, 10004-10007, ...):\n`,
  );
  printTable([
    ["scheme", "moved, mean", "moved, worst", "busiest node, worst"],
    ...totals.map((total, i) => [
      names[i]!,
      `${(100 * (total.moved / trials)).toFixed(1)}%`,
      `${(100 * total.worstMoved).toFixed(1)}%`,
      `${total.worstLoad.toFixed(2)}`,
    ]),
  ]);
}

/** Columns padded to their widest cell: the first to the left, the rest to the right. */
function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => row[column]!.length)),
  );
  for (const row of rows) {
    console.log(
      row
        .map((cell, column) =>
          column === 0
            ? cell.padEnd(widths[column]!)
            : cell.padStart(widths[column]!),
        )
        .join("  "),
    );
  }
}

main();
