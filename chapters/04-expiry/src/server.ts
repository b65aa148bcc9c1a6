/**
 * Chapter 04: keys that expire.
 *
 * Chapter 03's server, with time: a key can be given a deadline (EXPIRE,
 * SET ... EX, GETEX, ...), after which no command sees it. Two mechanisms
 * delete expired keys, as in Redis: lazily, when a command looks one up
 * (db.ts), and actively, by a cycle that samples the keys with a deadline
 * a few times a second (active-expiry.ts). The clock is injected, so tests
 * can move time instead of waiting for it.
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
 * - `db.ts`            the databases, how keys, values and deadlines are stored; lazy expiry
 * - `clock.ts`         wall clock, monotonic clock and timers, replaceable by tests
 * - `active-expiry.ts` the cycle that samples volatile keys and deletes expired ones
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
import { EXPIRY_COMMANDS } from "./commands/expiry-commands.ts";
import { systemClock, type Clock } from "./expiry/clock.ts";
import { ActiveExpiry, scheduleActiveExpiry } from "./expiry/active-expiry.ts";

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
  ...EXPIRY_COMMANDS,
]);
// #endregion command-table

/** What `startServer` takes besides settings. */
export interface ServerOptions {
  /** Where time comes from: the system's clocks unless a test brings its own. */
  clock?: Clock;
}

// #region start-server
/**
 * Starts this chapter's server: the TCP loop with the RESP handler plugged
 * in, and the active expiry cycle. Tests call it with `{ port: 0 }` (and
 * perhaps a clock of their own); `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export async function startServer(
  overrides: Partial<ServerConfig> & ServerOptions = {},
): Promise<RunningServer> {
  const { clock = systemClock, ...settings } = overrides;
  const config = { ...DEFAULT_CONFIG, ...settings };
  // The TCP layer's figures exist once it listens, below; no command can
  // run before that.
  let listening: RunningServer | undefined;
  const state = createServerState(config, clock, () => ({
    port: listening!.port,
    ...listening!.stats(),
  }));
  listening = await serve(config, createRespHandler(COMMANDS, state));
  const stopActiveExpiry = scheduleActiveExpiry(
    state.activeExpiry,
    () => config.hz,
  );
  const { close } = listening;
  return {
    ...listening,
    close() {
      stopActiveExpiry();
      return close();
    },
  };
}
// #endregion start-server

// #region server-state
/** The state all connections share: empty databases, the settings, zeroed counters. */
export function createServerState(
  config: ServerConfig,
  clock: Clock,
  tcp: () => TcpFigures,
): ServerState {
  const keyspace = new Keyspace(config.databases, clock);
  return {
    keyspace,
    activeExpiry: new ActiveExpiry(keyspace, clock),
    config,
    stats: { commandsProcessed: 0 },
    startedAt: Date.now(),
    tcp,
  };
}
// #endregion server-state
