/**
 * How a transaction ends, whatever ends it: EXEC, DISCARD, RESET, or an
 * EXEC the command table refuses. Each leaves the client outside MULTI
 * with no key watched. Kept here, beside the transaction, so that the
 * dispatcher and the commands that end one share it.
 */
import type { Session } from "../dispatch/session.ts";
import type { ServerState } from "../dispatch/server-state.ts";
import { error, type Reply } from "../protocol/reply.ts";

// #region end-transaction
/** What EXEC, DISCARD and RESET leave behind: no transaction, no watches. */
export function endTransaction(session: Session, server: ServerState): void {
  session.transaction = undefined;
  unwatchAll(session, server);
}

/** UNWATCH: no key watched, and no memory of a watched key that changed. */
export function unwatchAll(session: Session, server: ServerState): void {
  server.watchedKeys.unwatchAll(session.watcher);
  session.watcher.touched = false;
}
// #endregion end-transaction

// #region exec-refused
/**
 * What EXEC answers when the table refuses it (`EXEC x`, or NOAUTH): not
 * the bare refusal but an EXECABORT that quotes it, and the transaction
 * is over, watches and all, even if none was open. Redis's
 * execCommandAbort (multi.c), whose reason has no `ERR ` code: Redis
 * writes its arity message without one and lets the reply add it. (A
 * client that stayed in MULTI after EXEC would queue everything it sends
 * next, waiting for an EXEC it believes it has sent.)
 */
export function execRefused(
  refusal: Reply,
  session: Session,
  server: ServerState,
): Reply {
  endTransaction(session, server);
  const reason = refusal.type === "error" ? refusal.text : "";
  return error(
    `EXECABORT Transaction discarded because of: ${reason.replace(/^ERR /, "")}`,
  );
}
// #endregion exec-refused
