/**
 * MGET across nodes, in proxy mode (our own, not Redis): each node that
 * holds some of the keys is sent an MGET of its keys, at once, over the
 * peer pool, and the values are put back in the order of the keys.
 *
 * What it guarantees: each value is one the key really had, committed,
 * at some moment while the MGET ran; a key that a cross-node write has
 * locked is not read (its node answers TRYAGAIN, and the read is tried
 * again), so one MGET never sees half of one cross-node MSET on the keys
 * it reads. What it does not: one moment for all the keys. The nodes
 * answer at slightly different times, so an MGET may see a key before a
 * write that another key already shows, as two separate GETs could. No
 * lock is taken: a read that waited for every node's lock would need
 * the same machinery as a write, for every read.
 */
import { bulk, error, NULL, array, type Reply } from "../../protocol/reply.ts";
import type { Cluster } from "../cluster.ts";
import type { ClusterNode } from "../cluster-node.ts";
import type { ForwardRequest } from "../proxy/forwarding.ts";
import { PeerError } from "../proxy/peer-pool.ts";

const RETRY_FOR_MS = 3_000;

// #region scatter-gather
export function scatterGather(
  cluster: Cluster,
  args: Buffer[],
  owners: readonly ClusterNode[],
): ForwardRequest {
  return {
    type: "forward",
    start(done) {
      gather(cluster, args, owners).then(done, (failure: Error) =>
        done(error(failure.message)),
      );
    },
  };
}

async function gather(
  cluster: Cluster,
  args: Buffer[],
  owners: readonly ClusterNode[],
): Promise<Reply> {
  // Which positions each node answers for.
  const positions = new Map<ClusterNode, number[]>();
  owners.forEach((node, k) => {
    const mine = positions.get(node) ?? [];
    mine.push(k);
    positions.set(node, mine);
  });
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const values: Reply[] = new Array<Reply>(owners.length);
    let refusal: PeerError | undefined;
    await Promise.all(
      [...positions].map(async ([node, at]) => {
        const { value } = await cluster.peers.send(
          { ip: node.ip, port: node.port },
          2,
          [Buffer.from("MGET"), ...at.map((k) => args[k + 1]!)],
        );
        if (value instanceof PeerError) refusal = value;
        else if (Array.isArray(value)) {
          at.forEach((k, i) => {
            const item = value[i];
            values[k] = Buffer.isBuffer(item) ? bulk(item) : NULL;
          });
        }
      }),
    );
    if (refusal === undefined) return array(values);
    if (!refusal.message.startsWith("TRYAGAIN") || Date.now() > deadline) {
      return error(refusal.message);
    }
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
}
// #endregion scatter-gather
