/**
 * ASKING, READONLY and READWRITE: what a cluster client tells the node it
 * is connected to about itself. Each sets a flag on the session, which
 * routing (cluster/routing.ts) reads: ASKING for the next command only,
 * READONLY until READWRITE (or RESET). Without cluster mode each answers
 * that cluster support is disabled, as Redis does.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import type { Session } from "../dispatch/session.ts";
import { error, OK, type Reply } from "../protocol/reply.ts";
import { CLUSTER_CONNECTION_DOCS } from "./docs/cluster-connection-docs.ts";

const DISABLED = error("ERR This instance has cluster support disabled");

/** Runs `change` on the session in cluster mode, and answers OK. */
function inClusterMode(
  { session, server }: CommandContext,
  change: (session: Session) => void,
): Reply {
  if (server.cluster === undefined) return DISABLED;
  change(session);
  return OK;
}

// #region asking
/**
 * ASKING: the next command may use a slot this node is importing. A
 * client sends it after `-ASK <slot> <ip>:<port>`, just before it sends
 * the command again to that node: the slot is moving there, the key may
 * already have moved, and the client must not remember that node as the
 * slot's owner yet (which MOVED would mean). The permission is spent by
 * the next command (`commandEnded` in routing.ts).
 */
export const asking: CommandSpec = {
  name: "asking",
  arity: 1,
  flags: ["fast"],
  categories: ["@fast", "@connection"],
  docs: CLUSTER_CONNECTION_DOCS.asking,
  run: (_args, context) =>
    inClusterMode(context, (session) => (session.asking = true)),
};
// #endregion asking

// #region readonly
/**
 * READONLY: this client accepts reads from a replica, possibly a little
 * behind its master. Allowed on any node: on a master it changes nothing,
 * since a master serves its own slots anyway.
 */
export const readonly: CommandSpec = {
  name: "readonly",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  categories: ["@fast", "@connection"],
  docs: CLUSTER_CONNECTION_DOCS.readonly,
  run: (_args, context) =>
    inClusterMode(context, (session) => (session.readOnly = true)),
};

/** READWRITE: back to being redirected to the master for everything. */
export const readwrite: CommandSpec = {
  name: "readwrite",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  categories: ["@fast", "@connection"],
  docs: CLUSTER_CONNECTION_DOCS.readwrite,
  run: (_args, context) =>
    inClusterMode(context, (session) => (session.readOnly = false)),
};
// #endregion readonly

export const CLUSTER_CONNECTION_COMMANDS: readonly CommandSpec[] = [
  asking,
  readonly,
  readwrite,
];
