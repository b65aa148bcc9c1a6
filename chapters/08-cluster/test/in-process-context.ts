/**
 * A server state without a network, and a command context in its database
 * 0: for unit tests that run one command's `run` directly, where the
 * answer depends on no client and no socket.
 */
import { DEFAULT_CONFIG } from "../src/config/directives.ts";
import { COMMANDS, createServerState } from "../src/server.ts";
import { systemClock } from "../src/expiry/clock.ts";
import { newSession } from "../src/dispatch/session.ts";
import type { CommandContext } from "../src/dispatch/command-spec.ts";
import type { Database } from "../src/keyspace/database.ts";

export function inProcessContext(): { db: Database; context: CommandContext } {
  const server = createServerState(DEFAULT_CONFIG, systemClock, () => ({
    port: 0,
    connectedClients: 0,
    totalConnectionsReceived: 0,
    rejectedConnections: 0,
    recentMaxOutputBufferBytes: 0,
  }));
  const db = server.keyspace.database(0);
  const context: CommandContext = {
    session: newSession(1, db, true),
    commands: COMMANDS,
    server,
    loggedAs: undefined,
  };
  return { db, context };
}
