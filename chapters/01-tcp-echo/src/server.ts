/**
 * Chapter 01: a TCP echo server.
 *
 * This chapter builds the part of Redis that has nothing to do with Redis
 * yet: accepting many clients, reading and writing without letting a slow
 * client eat our memory, surviving clients that vanish, and shutting down
 * without cutting anyone off mid-reply. Every later chapter keeps network/
 * as it is and plugs a smarter handler into it.
 */
// #region layout
/*
 * Where everything is, in src/:
 *
 * main.ts                      command line → config → start; banner, signals
 * server.ts                    this file: startServer
 * config/                      settings, read as redis-server reads them
 *   config-file.ts             reads arguments and config files; never changes
 *   directives.ts              ServerConfig, defaults, directive table; grows
 *   config-values.ts           one value: addresses, integers, sizes, yes/no
 * network/                     TCP, knowing nothing of Redis
 *   tcp-server.ts              listening socket, the connections, shutdown
 *   file-limit.ts              how many clients the file limit leaves room for
 *   connection.ts              one socket: back-pressure, errors, polite close
 * protocol/                    what the bytes mean: in this chapter, nothing
 *   echo-handler.ts            the handler: send every byte back
 */
// #endregion layout

import { DEFAULT_CONFIG, type ServerConfig } from "./config/directives.ts";
import {
  serve,
  type Refusals,
  type RunningServer,
} from "./network/tcp-server.ts";
import { createEchoHandler } from "./protocol/echo-handler.ts";

/**
 * What a client beyond `maxclients` is told before the server hangs up:
 * Redis's words, a RESP error line. An echo client just sees the text; the
 * Redis chapters keep the line, and their clients read it as an error.
 */
const TOO_MANY_CLIENTS = "-ERR max number of clients reached\r\n";

/**
 * Starts this chapter's server: the TCP loop with the echo handler plugged in.
 * Tests call it with `{ port: 0 }`; `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const refusals: Refusals = { tooManyClients: TOO_MANY_CLIENTS };
  return serve(
    { ...DEFAULT_CONFIG, ...overrides },
    createEchoHandler,
    refusals,
  );
}
