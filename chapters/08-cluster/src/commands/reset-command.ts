/**
 * RESET: a connection back to how it was when it connected, in one
 * command, for connection pools that hand a connection from one user to
 * the next. It undoes what the connection commands (connection-commands.ts)
 * and MULTI and WATCH (transaction-commands.ts) set up.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { simple } from "../protocol/reply.ts";
import { endTransaction } from "../transactions/transaction-end.ts";
import { RESET_DOCS } from "./docs/reset-docs.ts";

// #region reset
/**
 * RESET (Redis 6.2): the connection as it was when it connected, without
 * closing it, so that a connection pool can hand it to its next user with
 * nothing of the last one's left: the transaction dropped (run at once
 * inside MULTI, see command-table.ts) and every key unwatched, database 0,
 * RESP2, no name, and, when a password is set, no longer authenticated;
 * in cluster mode, READONLY and ASKING off. What CLIENT SETINFO said
 * stays: it describes the library, which is still the same (Redis 7.2,
 * which has SETINFO, keeps it too).
 *
 * Redis's own list has more (pub/sub subscriptions, CLIENT TRACKING,
 * CLIENT REPLY, CLIENT NO-EVICT, MONITOR), states we do not have yet.
 */
export const reset: CommandSpec = {
  name: "reset",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  categories: ["@fast", "@connection"],
  docs: RESET_DOCS.reset,
  run(_args, { session, server }) {
    endTransaction(session, server);
    session.db = server.keyspace.database(0);
    session.protocol = 2;
    session.name = Buffer.alloc(0);
    session.readOnly = false;
    session.asking = false;
    // Redis's rule, as for a new connection: with no password the client
    // is authenticated for good, even if one is set later.
    session.authenticated = server.config.requirepass === "";
    // The same bytes in RESP2 and RESP3: the protocol changed already.
    return RESET;
  },
};

const RESET = simple("RESET");
// #endregion reset

export const RESET_COMMANDS: readonly CommandSpec[] = [reset];
