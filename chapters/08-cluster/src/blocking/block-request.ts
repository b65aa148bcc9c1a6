/**
 * What a blocking command answers when it must wait: not a reply yet, but
 * a request to be woken. Commands build one; the client loop hands it to
 * the blocked clients (blocked-clients.ts).
 */
import type { Reply } from "../protocol/reply.ts";
import type { TypeName } from "../keyspace/keyspace.ts";

// #region block-request
/**
 * What a blocking command leaves behind when it must wait: the keys, until
 * when, and how to finish once a key has data. The client loop hands it to
 * the blocked clients (blocked-clients.ts) and runs none of the
 * client's later commands until the wait ends.
 */
export interface BlockRequest {
  readonly type: "block";
  /** The keys to wait on, in the database the client has selected. */
  readonly keys: readonly string[];
  /**
   * The kind of value the client waits for: "list" for BLPOP and its kin,
   * "zset" for BZPOPMIN and its kin. A key that receives another kind is
   * served to the others in its queue; this client is passed over, and
   * keeps its place.
   */
  readonly waitsFor: TypeName;
  /** Wall-clock milliseconds when the wait ends, or `FOREVER` (timeout.ts). */
  readonly deadline: number;
  /** The reply when time is up (or CLIENT UNBLOCK ... TIMEOUT). */
  readonly timeoutReply: Reply;
  /**
   * Runs the command's work on `key`, which has just received data: the
   * reply if it could (or an error such as a BLMOVE's WRONGTYPE
   * destination, which ends the wait too), undefined if the key has
   * nothing for it (empty, gone, another type): the client waits on.
   */
  serve(key: string): Reply | undefined;
}
// #endregion block-request
