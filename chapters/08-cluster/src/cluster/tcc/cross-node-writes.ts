/**
 * The coordinator of a cross-node write (our own, not Redis): with
 * `cluster-proxy yes`, the node a client sent MSET, MSETNX, DEL, UNLINK
 * or RENAME to, when the keys live on several nodes (across-slots.ts).
 * It runs try-confirm-cancel over the peer pool, with every node that
 * holds some of the keys, itself included (tcc-participant.ts has the
 * design), and answers exactly what the single-node command would.
 *
 *   1. PREPARE every node's part (tcc-writes.ts). The first key's node is
 *      the primary. Any refusal: CANCEL all; a lock conflict is retried.
 *   2. CONFIRM the primary. Its OK is the decision: the write happens.
 *      An error (its lock expired and it cancelled): CANCEL all. No
 *      answer at all: nobody knows, so nothing is cancelled; the others
 *      will ask the primary when their locks expire.
 *   3. CONFIRM the others. One that misses it asks the primary later.
 *
 * A RENAME prepares the source first (GETDEL, which answers the value),
 * then the destination (SET, with the source's deadline).
 */
import { error, integer, OK, type Reply } from "../../protocol/reply.ts";
import type { Cluster } from "../cluster.ts";
import type { ClusterNode } from "../cluster-node.ts";
import type { ForwardRequest } from "../proxy/forwarding.ts";
import { PeerError, type PeerValue } from "../proxy/peer-pool.ts";
import { crashIfAt, testHooks } from "./tcc-test-hooks.ts";
import { LOCK_CONFLICT } from "./tcc-participant.ts";

/** The commands this file can run across nodes. */
export const CROSS_NODE_WRITES = new Set([
  "mset",
  "msetnx",
  "del",
  "unlink",
  "rename",
]);

/**
 * How long PREPARE locks the keys: far longer than the round trips to
 * the primary's CONFIRM on a healthy cluster, short enough that keys a
 * dead coordinator locked are free again within seconds.
 */
const LOCK_MS = 5_000;
/** How long to keep retrying a write whose keys another one holds. */
const RETRY_FOR_MS = 3_000;

const NO_SUCH_KEY = error("ERR no such key");

/** One node's part of the write. */
interface Part {
  readonly node: ClusterNode;
  /** The write it prepares, as TCC PREPARE takes it (tcc-writes.ts). */
  words: Buffer[];
}

let transactions = 0;

// #region cross-node-write
/**
 * The request for the client loop: it waits for `done` as for a
 * forwarded command. `owners` is each key's node, in key order.
 */
export function crossNodeWrite(
  cluster: Cluster,
  name: string,
  args: Buffer[],
  owners: readonly ClusterNode[],
): ForwardRequest {
  return {
    type: "forward",
    start(done) {
      withRetries(() => attempt(cluster, name, args, owners)).then(
        done,
        (failure: Error) => done(error(failure.message)),
      );
    },
  };
}
// #endregion cross-node-write

/**
 * Tries again, after a random pause, while the answer is a lock conflict:
 * two writes that want the same keys at once both back off, and the
 * random pauses let one of them through. Only then: after a lost
 * connection, say, a node may be down, and the client had better know.
 */
async function withRetries(once: () => Promise<Reply>): Promise<Reply> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const reply = await once();
    const conflict =
      reply.type === "error" && reply.text.startsWith(LOCK_CONFLICT);
    if (!conflict || Date.now() > deadline) return reply;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
  }
}

// #region attempt
async function attempt(
  cluster: Cluster,
  name: string,
  args: Buffer[],
  owners: readonly ClusterNode[],
): Promise<Reply> {
  const txid = `${cluster.state.myself.name}-${Date.now().toString(36)}-${++transactions}`;
  const lockMs = testHooks.lockMs ?? LOCK_MS;
  const parts = split(name, args, owners);
  const primary = parts[0]!.node.name;
  const prepare = (part: Part): Promise<PeerValue> =>
    send(cluster, part.node, [
      "TCC",
      "PREPARE",
      txid,
      primary,
      String(lockMs),
      ...part.words,
    ]);

  // 1. Try.
  let answers: PeerValue[];
  try {
    if (name === "rename") {
      const source = await prepare(parts[0]!);
      if (source === null) {
        await cancelAll(cluster, parts, txid);
        return NO_SUCH_KEY;
      }
      // The destination gets the value, and the deadline if there is one.
      const [value, deadline] = source as [Buffer, number | bigint];
      parts[1]!.words.push(value);
      if (deadline >= 0) {
        parts[1]!.words.push(word("PXAT"), word(String(deadline)));
      }
      answers = [source, await prepare(parts[1]!)];
    } else {
      answers = await Promise.all(parts.map(prepare));
    }
  } catch (failure) {
    await cancelAll(cluster, parts, txid);
    return error((failure as Error).message);
  }
  const existing = answers.reduce<number>(
    (sum, answer) => sum + (typeof answer === "number" ? answer : 0),
    0,
  );
  if (name === "msetnx" && existing > 0) {
    await cancelAll(cluster, parts, txid);
    return integer(0);
  }
  crashIfAt("coordinator-prepared");

  // 2. Confirm the primary: the decision.
  try {
    await send(cluster, parts[0]!.node, ["TCC", "CONFIRM", txid]);
  } catch (failure) {
    if (!(failure instanceof PeerFailure)) {
      // Not TRYAGAIN: trying again could apply it twice.
      return error(
        `ERR Cross-node write ${txid}: no answer from its primary node, which decides it; it will be applied on every node or on none`,
      );
    }
    await cancelAll(cluster, parts, txid);
    return error(`TRYAGAIN Cross-node write cancelled: ${failure.message}`);
  }
  crashIfAt("coordinator-primary-confirmed");

  // 3. Confirm the others; one that misses it asks the primary later.
  await Promise.allSettled(
    parts
      .slice(1)
      .map((part) => send(cluster, part.node, ["TCC", "CONFIRM", txid])),
  );
  crashIfAt("coordinator-confirmed");
  if (name === "del" || name === "unlink") return integer(existing);
  return name === "msetnx" ? integer(1) : OK;
}
// #endregion attempt

// #region split
/** The write cut into one part per node, the first key's node first. */
function split(
  name: string,
  args: Buffer[],
  owners: readonly ClusterNode[],
): Part[] {
  if (name === "rename") {
    return [
      { node: owners[0]!, words: [word("GETDEL"), args[1]!] },
      { node: owners[1]!, words: [word("SET"), args[2]!] },
    ];
  }
  const byNode = new Map<ClusterNode, Part>();
  const step = name === "mset" || name === "msetnx" ? 2 : 1;
  owners.forEach((node, k) => {
    let part = byNode.get(node);
    if (part === undefined) {
      part = { node, words: [word(name)] };
      byNode.set(node, part);
    }
    const at = 1 + k * step;
    part.words.push(...args.slice(at, at + step));
  });
  return [...byNode.values()];
}
// #endregion split

// #region cancel-all
/**
 * CANCEL on every node, whatever it answered to PREPARE: one whose
 * PREPARE is still on its way will then refuse it. Failures are left to
 * the locks' expiry.
 */
async function cancelAll(
  cluster: Cluster,
  parts: readonly Part[],
  txid: string,
): Promise<void> {
  const cancel = (part: Part): Promise<unknown> =>
    send(cluster, part.node, ["TCC", "CANCEL", txid]).catch(() => {});
  await cancel(parts[0]!);
  crashIfAt("coordinator-cancelling");
  await Promise.all(parts.slice(1).map(cancel));
}
// #endregion cancel-all

/** An error reply from a node: it answered, and said no. */
class PeerFailure extends Error {}

/**
 * Sends one command to `node`, in RESP2, and resolves with its reply's
 * value; rejects with a PeerFailure for an error reply, with an Error
 * when no reply came (timeout, connection lost).
 */
async function send(
  cluster: Cluster,
  node: ClusterNode,
  words: readonly (string | Buffer)[],
): Promise<PeerValue> {
  const { value } = await cluster.peers.send(
    { ip: node.ip, port: node.port },
    2,
    words.map((w) => (typeof w === "string" ? word(w) : w)),
  );
  if (value instanceof PeerError) throw new PeerFailure(value.message);
  return value;
}

function word(text: string): Buffer {
  return Buffer.from(text);
}
