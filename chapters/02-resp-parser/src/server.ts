/**
 * Chapter 02: the server speaks RESP.
 *
 * Chapter 01's TCP server, with its echo handler swapped for a Redis
 * protocol handler: a streaming parser turns bytes into commands, a command
 * table runs them, and an encoder turns their replies back into bytes. Any
 * Redis client can now connect, ping, and ask what the server can do.
 */
// #region layout
/*
 * Where everything is, in src/:
 *
 * main.ts                      command line → config → start; banner, signals
 * server.ts                    this file: startServer, COMMANDS
 * config/                      settings, read as redis-server reads them
 *   config-file.ts             reads arguments and config files; never changes
 *   directives.ts              ServerConfig, defaults, directive table; grows
 *   config-values.ts           one value: addresses, integers, sizes, yes/no
 *   output-buffer-limits.ts    client-output-buffer-limit, read and shown
 * network/                     TCP, knowing nothing of Redis
 *   tcp-server.ts              listening socket, the connections, shutdown
 *   file-limit.ts              how many clients the file limit leaves room for
 *   connection.ts              one socket: back-pressure, errors, polite close
 * protocol/                    RESP: bytes in, replies out
 *   input-buffer.ts            bytes not parsed yet, without quadratic copies
 *   resp-parser.ts             RESP requests, incrementally, Redis's limits
 *   inline.ts                  commands typed as a line of text, as in telnet
 *   reply.ts                   reply values and their one encoder
 *   double-text.ts             doubles as Redis 7.0 writes them (%.17g)
 * dispatch/                    from a parsed command to its reply
 *   client-loop.ts             the per-client loop: bytes → commands → replies
 *   output-limit.ts            client-output-buffer-limit, enforced
 *   command-table.ts           the dispatcher: lookup and arity checks
 *   command-spec.ts            a command: arity, flags, docs, run()
 *   session.ts                 one connection's state: id, name, closing
 *   arguments.ts               reading a client's arguments
 * commands/                    the commands, one file per family
 *   connection-commands.ts     PING, ECHO, QUIT, HELLO
 *   introspection-commands.ts  COMMAND and its subcommands (COUNT, DOCS, ...)
 *   docs/                      COMMAND DOCS data, one file per command file
 */
// #endregion layout

import { DEFAULT_CONFIG, type ServerConfig } from "./config/directives.ts";
import {
  serve,
  type Refusals,
  type RunningServer,
} from "./network/tcp-server.ts";
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
 * What a client beyond `maxclients` is told before the server hangs up:
 * Redis's words, which a client library reads as an error reply.
 */
const TOO_MANY_CLIENTS = "-ERR max number of clients reached\r\n";

/**
 * Starts this chapter's server: the TCP loop with the RESP handler plugged in.
 * Tests call it with `{ port: 0 }`; `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  const refusals: Refusals = { tooManyClients: TOO_MANY_CLIENTS };
  return serve(config, createRespHandler(COMMANDS, config), refusals);
}
