/**
 * Helpers for the cross-node write suites (cross-node-writes.test.ts,
 * tcc-crash.test.ts): which node serves each slot, and key names that a
 * chosen node serves, asked of the nodes themselves (CLUSTER SLOTS,
 * CLUSTER KEYSLOT), as a client would.
 */
import type { NodeProcess } from "../../../shared/cluster-harness.ts";

/** The index (in `nodes`) of the node that serves each slot. */
export async function slotOwners(
  nodes: readonly NodeProcess[],
): Promise<number[]> {
  const admin = await nodes[0]!.admin();
  const ranges = (await admin.call("CLUSTER", "SLOTS")) as [
    number,
    number,
    [string, number, ...unknown[]],
  ][];
  const owners = new Array<number>(16384).fill(-1);
  for (const [start, end, [, port]] of ranges) {
    owners.fill(
      nodes.findIndex((node) => node.port === port),
      start,
      end + 1,
    );
  }
  return owners;
}

/**
 * `keyOn(node, name)`: `name`, or `name` with a number after it, whose
 * slot `node` serves.
 */
export function keyNamer(
  nodes: readonly NodeProcess[],
  owners: readonly number[],
): (node: number, name: string) => Promise<string> {
  return async (node, name) => {
    const admin = await nodes[0]!.admin();
    for (let n = 0; ; n++) {
      const key = n === 0 ? name : `${name}-${n}`;
      const slot = Number(await admin.call("CLUSTER", "KEYSLOT", key));
      if (owners[slot] === node) return key;
    }
  };
}
