/**
 * Protected mode: Redis's safety net for a server that anyone on the
 * network can reach and that asks for no password.
 *
 * Servers like that (bound to every interface, Redis's default before 3.2,
 * with no `requirepass` and a port open to the internet) were found by
 * scanners and attacked in large numbers. Since 3.2, Redis in protected
 * mode answers a client from
 * another machine with a long error that says what to do, and closes the
 * connection, until a password is set or protected mode is turned off.
 * Clients on this machine's loopback are always served, so an administrator
 * can still connect and fix it.
 */
import type { ServerConfig } from "../config/directives.ts";

/**
 * What protected mode answers before it closes the connection: Redis
 * 7.0.15's text, byte for byte (a RESP error, so a client library shows it).
 */
export const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected " +
  "mode is enabled and no password is set for the default user. In " +
  "this mode connections are only accepted from the loopback " +
  "interface. If you want to connect from external computers to " +
  "Redis you may adopt one of the following solutions: 1) Just " +
  "disable protected mode sending the command 'CONFIG SET " +
  "protected-mode no' from the loopback interface by connecting to " +
  "Redis from the same host the server is running, however MAKE " +
  "SURE Redis is not publicly accessible from internet if you do " +
  "so. Use CONFIG REWRITE to make this change permanent. 2) " +
  "Alternatively you can just disable the protected mode by editing " +
  "the Redis configuration file, and setting the protected mode " +
  "option to 'no', and then restarting the server. 3) If you " +
  "started the server manually just for testing, restart it with " +
  "the '--protected-mode no' option. 4) Setup a an authentication " +
  "password for the default user. NOTE: You only need to do one of " +
  "the above things in order for the server to start accepting " +
  "connections from the outside." +
  "\r\n";

// #region protected-mode
/**
 * Whether protected mode turns away a client that comes from
 * `remoteAddress`: it is on, no password is set, and the client is not on
 * the loopback. Nothing else counts: not `bind` (in Redis 7.0, a server
 * bound on purpose to a public address still refuses strangers), not the
 * address the client came in on. Read at each connection, so CONFIG SET of
 * `protected-mode` or `requirepass` applies to the next client.
 */
export function protectedModeRefuses(
  config: Pick<ServerConfig, "protectedMode" | "requirepass">,
  remoteAddress: string | undefined,
): boolean {
  return (
    config.protectedMode &&
    config.requirepass === "" &&
    !isLoopback(remoteAddress)
  );
}

/**
 * Redis's test for a local client: its address is exactly 127.0.0.1 or
 * ::1. The rest of 127.0.0.0/8 is not, and neither is an address we do not
 * know (a socket already gone).
 */
export function isLoopback(address: string | undefined): boolean {
  // Node bound to "::" also takes IPv4 clients, as ::ffff:a.b.c.d. Redis's
  // IPv6 sockets take IPv6 only, so it meets those clients on its IPv4
  // socket, as a.b.c.d: compare what Redis would see.
  const seen = address?.startsWith("::ffff:") ? address.slice(7) : address;
  return seen === "127.0.0.1" || seen === "::1";
}
// #endregion protected-mode
