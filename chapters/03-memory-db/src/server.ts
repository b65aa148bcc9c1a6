/**
 * Chapter 03: the server keeps data.
 *
 * Chapter 02's RESP server, with a keyspace behind its command table:
 * numbered databases of binary-safe keys and string values, the string and
 * key commands that read and change them, and the server commands around
 * them (AUTH, CONFIG, INFO, CLIENT). Every command runs whole before the
 * next one starts, on Node's one thread: that is what makes INCR atomic
 * without a lock.
 *
 * Layout:
 * - `main.ts`          command line → config → start, banner, signals
 * - `config.ts`        `redis-server`-style arguments and config file
 * - `server.ts`        (this file) the listening socket and the set of connections
 * - `connection.ts`    one client: back-pressure, errors, polite close
 * - `protocol.ts`      the handler: bytes → commands → replies → one write
 * - `input-buffer.ts`  bytes received but not parsed yet, without quadratic copying
 * - `resp-parser.ts`   RESP requests, incrementally, with Redis's limits
 * - `inline.ts`        commands typed as a line of text, split as Redis does
 * - `reply.ts`         reply values and their encoder
 * - `command.ts`       what a command is: arity, flags, docs, and a function
 * - `command-table.ts` lookup, arity and authentication checks, Redis's error texts
 * - `dict.ts`          a hash table with Redis's resumable SCAN and random keys
 * - `db.ts`            the databases, and how keys and values are stored
 * - `glob.ts`          Redis's glob patterns, for KEYS, SCAN and CONFIG GET
 * - `integers.ts`      64-bit integers for INCR and friends, exactly
 * - `long-double.ts`   INCRBYFLOAT's 80-bit arithmetic, exactly
 * - `commands/`        the commands themselves, grouped as Redis's docs group them
 */
import { DEFAULT_CONFIG, type ServerConfig } from "./config/directives.ts";
import { serve, type RunningServer } from "./network/tcp-server.ts";
import { createRespHandler } from "./dispatch/client-loop.ts";
import { CommandTable } from "./dispatch/command-table.ts";
import type { ServerState, TcpFigures } from "./dispatch/server-state.ts";
import { Keyspace } from "./keyspace/keyspace.ts";
import { CONNECTION_COMMANDS } from "./commands/connection-commands.ts";
import { INTROSPECTION_COMMANDS } from "./commands/introspection-commands.ts";
import { DATABASE_COMMANDS } from "./commands/database-commands.ts";
import { INFO_COMMANDS } from "./commands/info-command.ts";
import { CONFIG_COMMANDS } from "./commands/config-command.ts";
import { SERVER_COMMANDS } from "./commands/server-commands.ts";
import { STRING_COMMANDS } from "./commands/string-commands.ts";
import { STRING_RANGE_COMMANDS } from "./commands/string-range-commands.ts";
import { COUNTER_COMMANDS } from "./commands/counter-commands.ts";
import { KEY_COMMANDS } from "./commands/key-commands.ts";

// #region command-table
/** Every command this chapter knows. */
export const COMMANDS = new CommandTable([
  ...CONNECTION_COMMANDS,
  ...INTROSPECTION_COMMANDS,
  ...DATABASE_COMMANDS,
  ...INFO_COMMANDS,
  ...CONFIG_COMMANDS,
  ...SERVER_COMMANDS,
  ...STRING_COMMANDS,
  ...STRING_RANGE_COMMANDS,
  ...COUNTER_COMMANDS,
  ...KEY_COMMANDS,
]);
// #endregion command-table

/**
 * Starts this chapter's server: the TCP loop with the RESP handler plugged in.
 * Tests call it with `{ port: 0 }`; `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export async function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  // The TCP layer's figures exist once it listens, below; no command can
  // run before that.
  let listening: RunningServer | undefined;
  const state = createServerState(config, () => ({
    port: listening!.port,
    ...listening!.stats(),
  }));
  listening = await serve(config, createRespHandler(COMMANDS, state));
  return listening;
}

// #region server-state
/** The state all connections share: empty databases, the settings, zeroed counters. */
export function createServerState(
  config: ServerConfig,
  tcp: () => TcpFigures,
): ServerState {
  return {
    keyspace: new Keyspace(config.databases),
    config,
    stats: { commandsProcessed: 0 },
    startedAt: Date.now(),
    tcp,
  };
}
// #endregion server-state
