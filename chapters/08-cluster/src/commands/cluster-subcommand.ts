/**
 * What every CLUSTER subcommand shares: the check that cluster mode is on,
 * Redis's flags and categories for the two kinds of subcommand (those
 * that change the cluster's configuration, and those that only read it),
 * and the errors several of them give. The subcommands themselves are in
 * cluster-slot-commands.ts, cluster-node-commands.ts and
 * cluster-view-commands.ts; cluster-commands.ts puts them together.
 */
import type {
  CommandContext,
  CommandDocs,
  CommandFlag,
  CommandSpec,
} from "../dispatch/command-spec.ts";
import { error, type Reply } from "../protocol/reply.ts";
import { cStringOf, quoteArgument } from "../dispatch/arguments.ts";
import type { Cluster } from "../cluster/cluster.ts";

const DISABLED = error("ERR This instance has cluster support disabled");

/** What changes the cluster's configuration is administration, to Redis. */
export const ADMIN_FLAGS = ["admin", "stale", "no_async_loading"] as const;
export const ADMIN_CATEGORIES = ["@admin", "@slow", "@dangerous"] as const;
/** What only reads it. */
export const READ_FLAGS = ["stale"] as const;
export const READ_CATEGORIES = ["@slow"] as const;

// #region cluster-subcommand
/** A subcommand's description, without the check every one of them shares. */
export interface SubcommandSpec {
  name: string;
  arity: number;
  flags: readonly CommandFlag[];
  categories: readonly string[];
  tips?: readonly string[];
  docs: CommandDocs;
  run(args: Buffer[], cluster: Cluster, context: CommandContext): Reply;
}

/**
 * A CLUSTER subcommand that runs only in cluster mode: Redis checks that
 * first in clusterCommand, after the dispatcher checked the name and the
 * arity, so `CLUSTER ADDSLOTS` alone is still an arity error.
 */
export function subcommand(spec: SubcommandSpec): CommandSpec {
  return {
    ...spec,
    name: `cluster|${spec.name}`,
    run(args, context) {
      const { cluster } = context.server;
      if (cluster === undefined) return DISABLED;
      const reply = spec.run(args, cluster, context);
      // What the subcommand changed is on disk before the client hears
      // OK, as in Redis, whose beforeSleep saves nodes.conf before it
      // writes the replies: a crash right after the OK cannot lose it.
      cluster.beforeSleep();
      return reply;
    },
  };
}
// #endregion cluster-subcommand

/**
 * Redis's answer to a subcommand whose arity the table accepted but whose
 * own count of arguments is wrong (MEET with six words).
 */
export function subcommandSyntaxError(args: readonly Buffer[]): Reply {
  return error(
    `ERR unknown subcommand or wrong number of arguments for '${quoteArgument(args[1]!)}'. Try ${cStringOf(args[0]!).toString("latin1").toUpperCase()} HELP.`,
  );
}

/** An argument as Redis prints it with `%s`: up to its first NUL byte. */
export function asText(arg: Buffer): string {
  return cStringOf(arg).toString("latin1");
}

/** Redis's answer for a node name it does not know. */
export function unknownNode(arg: Buffer): Reply {
  return error(`ERR Unknown node ${asText(arg)}`);
}
