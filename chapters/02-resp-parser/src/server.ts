/**
 * Chapter 02: the server speaks RESP.
 *
 * Chapter 01's TCP server, with its echo handler swapped for a Redis
 * protocol handler: a streaming parser turns bytes into commands, a command
 * table runs them, and an encoder turns their replies back into bytes. Any
 * Redis client can now connect, ping, and ask what the server can do.
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
 * - `command-table.ts` lookup, arity checks, Redis's error texts
 * - `commands/`        the commands themselves, grouped as Redis's docs group them
 */
import { DEFAULT_CONFIG, type ServerConfig } from "./config/directives.ts";
import { serve, type RunningServer } from "./network/tcp-server.ts";
import { createRespHandler } from "./dispatch/client-loop.ts";
import { CommandTable } from "./dispatch/command-table.ts";
import { CONNECTION_COMMANDS } from "./commands/connection-commands.ts";
import { INTROSPECTION_COMMANDS } from "./commands/introspection-commands.ts";

// #region command-table
/** Every command this chapter knows. */
export const COMMANDS = new CommandTable([
  ...CONNECTION_COMMANDS,
  ...INTROSPECTION_COMMANDS,
]);
// #endregion command-table

/**
 * Starts this chapter's server: the TCP loop with the RESP handler plugged in.
 * Tests call it with `{ port: 0 }`; `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  return serve(
    config,
    createRespHandler(COMMANDS, config.clientQueryBufferLimit),
  );
}
