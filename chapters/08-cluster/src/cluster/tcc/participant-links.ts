/**
 * What a node's participant in cross-node writes (tcc-participant.ts)
 * needs from the rest of the server, wired once at start-up (server.ts):
 * the node's own name, a way to run its own TCC commands as if a client
 * had sent them (so that a resolution after a lock expired is applied
 * and logged like any CONFIRM or CANCEL), and a way to ask a
 * transaction's primary how it ended, over the peer pool.
 */
import type { CommandTable } from "../../dispatch/command-table.ts";
import type { CommandContext } from "../../dispatch/command-spec.ts";
import type { ServerState } from "../../dispatch/server-state.ts";
import { newSession } from "../../dispatch/session.ts";
import type { Cluster } from "../cluster.ts";
import type { TccStatus } from "./tcc-participant.ts";

const STATUSES: readonly string[] = [
  "prepared",
  "confirmed",
  "cancelled",
  "unknown",
];

// #region connect-participant
export function connectParticipant(
  cluster: Cluster,
  commands: CommandTable,
  server: ServerState,
): void {
  // A session of the node's own, in database 0, as the AOF replay has.
  const context: CommandContext = {
    session: newSession(0, server.keyspace.database(0), true),
    commands,
    server,
    loggedAs: undefined,
  };
  // A rewritten AOF starts from the keys: the open PREPAREs follow them.
  server.aof.onRewriteStart(() => {
    for (const words of cluster.participant.openPrepares()) {
      server.aof.record(0, words);
    }
  });
  cluster.participant.connect({
    myName: () => cluster.state.myself.name,
    runOwnCommand(words) {
      const args = words.map((word) => Buffer.from(word));
      commands.run(commands.find(args)!, args, context);
    },
    async askPrimary(primary, txid) {
      const node = cluster.node(primary);
      if (node === undefined) throw new Error(`unknown node ${primary}`);
      const { value } = await cluster.peers.send(node, 2, [
        Buffer.from("TCC"),
        Buffer.from("STATUS"),
        Buffer.from(txid),
      ]);
      if (typeof value !== "string" || !STATUSES.includes(value)) {
        throw new Error(`TCC STATUS answered ${String(value)}`);
      }
      return value as TccStatus;
    },
  });
}
// #endregion connect-participant
