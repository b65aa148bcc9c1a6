/**
 * Proxy mode (`cluster-proxy yes`, this chapter's own setting, NOT Redis's):
 * where Redis answers `MOVED <slot> <ip>:<port>` and leaves it to the
 * client to go there, the node goes there itself. It sends the command
 * to the slot's owner over a pooled connection (peer-pool.ts) and relays
 * the owner's reply, byte for byte, so that `redis-cli` without `-c`, or
 * a client library that knows nothing of clusters, can use any node.
 * godis and other "seed" projects route this way; the price is a second
 * network hop for every key another node owns.
 *
 * routing.ts decides that a command is another node's; this file decides
 * what the proxy does with it. Most commands are forwarded. Not forwarded,
 * and answered MOVED as without the proxy:
 *
 * - blocking commands (BLPOP and kin). The pooled connection is shared
 *   and pipelined: a BLPOP waiting on it would hold up every client
 *   behind it. A connection of its own per waiting client would work, at
 *   the cost of one socket on the owner per blocked client; MOVED says
 *   the truth, where to go, and a cluster client follows it.
 * - WATCH. Its effect lives on the connection it was sent on, and the
 *   pooled one is everybody's: the next client's EXEC would fail for it.
 *
 * Inside MULTI, commands for another node's slot are queued, not sent;
 * at EXEC, a transaction whose commands all go to one other node (routing
 * has checked they share one slot) is sent there as one unit, MULTI, the
 * queue, EXEC, with nothing of anyone else's between them, and the
 * client gets the owner's answer to EXEC.
 *
 * While a slot moves, a key that has left for the importing node (where
 * Redis answers ASK) is asked for there, behind an ASKING.
 *
 * Keyless commands never come here: every node serves them itself.
 */
import type {
  CommandContext,
  CommandSpec,
} from "../../dispatch/command-spec.ts";
import { error, type Reply } from "../../protocol/reply.ts";
import type { Cluster } from "../cluster.ts";
import type { ClusterNode } from "../cluster-node.ts";
import { PROXY_CONNECTION_NAME } from "./peer-connection.ts";
import type { PeerReply } from "./peer-pool.ts";

// #region forward-request
/**
 * What the dispatcher answers for a forwarded command: not a reply yet,
 * but a round trip to start. Like a BlockRequest, it holds the client
 * (client-loop.ts): its next commands wait until `done` has been called,
 * so its replies keep their order.
 */
export interface ForwardRequest {
  readonly type: "forward";
  /**
   * Sends the command; calls `done` exactly once, with the owner's reply
   * as raw bytes in the client's protocol, or with an error reply if
   * there was none (timeout, owner gone: peer-connection.ts).
   */
  start(done: (answer: Buffer | Reply) => void): void;
}
// #endregion forward-request

// #region proxied
/**
 * What to do with a command routing found to be `owner`'s: a
 * ForwardRequest, `redirect` (the MOVED or ASK it would answer: the
 * command is not forwarded, see above), or undefined to go on here (queue
 * it inside MULTI; let EXEC answer a transaction that cannot run).
 *
 * `asking`: the slot is moving to `owner`, which has the keys already
 * (routing's ASK): the command goes there behind an ASKING, which makes
 * the importing node serve it.
 */
export function proxied(
  cluster: Cluster,
  owner: ClusterNode,
  spec: CommandSpec,
  args: Buffer[],
  { session }: CommandContext,
  redirect: Reply,
  asking = false,
): ForwardRequest | Reply | undefined {
  const { transaction } = session;
  if (spec.name !== "exec") {
    if (transaction !== undefined) return undefined; // queued, sent at EXEC
  } else if (transaction!.failed || session.watcher.touched) {
    // Answered here (EXECABORT, or a null), as without the proxy.
    return undefined;
  }
  // A command another node's proxy forwarded here, though this node does
  // not own the slot either: two nodes disagree on the owner for a moment
  // (a slot changing hands). Forwarding it back could bounce it between
  // them until they agree; MOVED ends it after one hop. (An ASK's second
  // hop cannot bounce: with ASKING, the importing node serves it.)
  if (session.name.equals(PROXY_CLIENT_NAME) && !asking) return redirect;
  if (spec.flags.includes("blocking") || spec.name === "watch") return redirect;

  const commands: Buffer[][] = asking ? [[ASKING]] : [];
  if (spec.name === "exec") {
    // ASKING before MULTI lasts until EXEC (routing.ts's commandEnded).
    commands.push([MULTI], ...transaction!.queued.map((q) => q.args), [EXEC]);
  } else {
    commands.push(args);
  }
  const peer = { ip: owner.ip, port: owner.port };
  const { protocol } = session;
  return forwardRequest(() => {
    const replies = cluster.peers.sendTogether(peer, protocol, commands);
    // Only the last reply (the command's, or EXEC's) is the client's; the
    // others fail with it if the connection does.
    for (const reply of replies.slice(0, -1)) reply.catch(() => {});
    return replies.at(-1)!;
  });
}
// #endregion proxied

/** The request that starts `send`, and hands `done` its outcome. */
function forwardRequest(send: () => Promise<PeerReply>): ForwardRequest {
  return {
    type: "forward",
    start(done) {
      send().then(
        (reply) => done(reply.raw),
        (failure: Error) => done(error(failure.message)),
      );
    },
  };
}

/** How a connection from another node's proxy names itself (peer-connection.ts). */
const PROXY_CLIENT_NAME = Buffer.from(PROXY_CONNECTION_NAME);
const ASKING = Buffer.from("ASKING");
const MULTI = Buffer.from("MULTI");
const EXEC = Buffer.from("EXEC");
