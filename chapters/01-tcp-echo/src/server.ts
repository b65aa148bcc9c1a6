/**
 * Chapter 01: a TCP echo server.
 *
 * This chapter builds the part of Redis that has nothing to do with Redis
 * yet: accepting many clients, reading and writing without letting a slow
 * client eat our memory, surviving clients that vanish, and shutting down
 * without cutting anyone off mid-reply. Every later chapter keeps this file
 * and plugs a smarter handler into it.
 *
 * Layout:
 * - `main.ts`       command line → config → start, banner, signals
 * - `config.ts`     `redis-server`-style arguments and config file
 * - `server.ts`     (this file) the listening socket and the set of connections
 * - `connection.ts` one client: back-pressure, errors, polite close
 * - `echo.ts`       the protocol of this chapter: send every byte back
 */
import { DEFAULT_CONFIG, type ServerConfig } from "./config/directives.ts";
import { serve, type RunningServer } from "./network/tcp-server.ts";
import { createEchoHandler } from "./protocol/echo-handler.ts";

/**
 * Starts this chapter's server: the TCP loop with the echo handler plugged in.
 * Tests call it with `{ port: 0 }`; `main.ts` calls it with the parsed config.
 * Rejects if the address cannot be bound (port in use, bad address).
 */
export function startServer(
  overrides: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  return serve({ ...DEFAULT_CONFIG, ...overrides }, createEchoHandler);
}
