/**
 * Redis's words for each refusal of a command this node will not serve
 * (clusterRedirectClient in cluster.c), shared by routing.ts and, in
 * proxy mode, tcc/across-slots.ts. MOVED and ASK carry an address, so
 * routing.ts builds them per command.
 */
import { error } from "../protocol/reply.ts";

// #region refusals
export const CROSSSLOT = error(
  "CROSSSLOT Keys in request don't hash to the same slot",
);
export const SLOT_NOT_SERVED = error("CLUSTERDOWN Hash slot not served");
export const CLUSTER_DOWN = error("CLUSTERDOWN The cluster is down");
export const CLUSTER_DOWN_READS_ONLY = error(
  "CLUSTERDOWN The cluster is down and only accepts read commands",
);
// #endregion refusals
