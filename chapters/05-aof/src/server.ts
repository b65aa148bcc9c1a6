/**
 * Chapter 05: durability with an append-only file.
 *
 * Chapter 04's server, with a memory that outlives the process: with
 * `appendonly yes`, every command that changes data is appended to a file
 * in RESP before its reply goes out (aof.ts), and start-up replays the
 * file (aof-loader.ts). BGREWRITEAOF compacts the file while clients keep
 * writing, without the fork Redis uses (aof-rewrite.ts).
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
 * - `aof.ts`           the append-only file: logging, fsync policies, swapping in a rewrite
 * - `aof-format.ts`    a command as the AOF stores it: RESP
 * - `aof-reader.ts`    reading the file back, with offsets, strictly
 * - `aof-loader.ts`    replay at start-up; a cut tail, a damaged middle
 * - `aof-rewrite.ts`   BGREWRITEAOF without fork: a snapshot by copy-on-write of keys
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
import { AppendOnlyFile } from "./persistence/aof.ts";
import {
  loadAppendOnlyFile,
  type LoadResult,
} from "./persistence/aof-loader.ts";
import { resolve } from "node:path";

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

/** The running server, and what it replayed from the AOF before listening. */
export interface AofServer extends RunningServer {
  /** Undefined when `appendonly` is off. main.ts logs it. */
  readonly loaded: LoadResult | undefined;
}

/** What `startServer` takes besides settings. */
export interface ServerOptions {
  /** Where time comes from: the system's clocks unless a test brings its own. */
  clock?: Clock;
}

// #region start-server
/**
 * Starts this chapter's server: replays the AOF if `appendonly` is on,
 * then the TCP loop with the RESP handler plugged in, and the active
 * expiry cycle. Tests call it with `{ port: 0 }` (and perhaps a clock of
 * their own, or a `dir`); `main.ts` calls it with the parsed config.
 * Rejects if the AOF cannot be loaded (AofLoadError) or the address
 * cannot be bound (port in use, bad address).
 */
export async function startServer(
  overrides: Partial<ServerConfig> & ServerOptions = {},
): Promise<AofServer> {
  const { clock = systemClock, ...settings } = overrides;
  const config = { ...DEFAULT_CONFIG, ...settings };
  config.dir = resolve(config.dir);
  // The TCP layer's figures exist once it listens, below; no command can
  // run before that.
  let listening: RunningServer | undefined;
  const state = createServerState(config, clock, () => ({
    port: listening!.port,
    ...listening!.stats(),
  }));
  // Loaded before listening, so no client sees a half-loaded keyspace.
  // (Redis listens at once and answers -LOADING meanwhile.)
  let loaded: LoadResult | undefined;
  if (config.appendonly) {
    loaded = loadAppendOnlyFile(state.aof.path, COMMANDS, state);
    state.aof.open(loaded.bytes);
  }
  try {
    listening = await serve(config, createRespHandler(COMMANDS, state));
  } catch (error) {
    state.aof.close();
    throw error;
  }
  const stopActiveExpiry = scheduleActiveExpiry(
    state.activeExpiry,
    () => config.hz,
  );
  const { close } = listening;
  return {
    ...listening,
    loaded,
    async close() {
      stopActiveExpiry();
      // The replies waiting for this turn's write go out first: once a
      // connection starts closing, nothing more is sent on it.
      state.aof.flush();
      await close();
      // What the clients wrote is all in the file now; sync and close it.
      state.aof.close();
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
  const aof = new AppendOnlyFile(keyspace, config, clock);
  keyspace.listener = aof;
  return {
    keyspace,
    activeExpiry: new ActiveExpiry(keyspace, clock),
    aof,
    config,
    stats: { commandsProcessed: 0 },
    startedAt: Date.now(),
    tcp,
  };
}
// #endregion server-state
