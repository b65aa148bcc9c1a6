/**
 * The connection commands: PING, ECHO, QUIT and HELLO. None of them touch
 * data; they let a client check that the server is alive, that bytes come
 * back unchanged, and agree on the protocol.
 *
 * Flags and categories are Redis 7's own, so that COMMAND INFO answers as
 * real Redis does.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  error,
  integer,
  map,
  OK,
  simple,
  type Protocol,
} from "../protocol/reply.ts";
import { parseInteger } from "../protocol/resp-parser.ts";
import { isKeyword, quoteArgument } from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { CONNECTION_DOCS } from "./docs/connection-docs.ts";

/**
 * The version we tell clients we are (HELLO, and INFO later). Clients use
 * it to decide which commands they may send, so it names the Redis whose
 * behaviour we reproduce: Debian's redis-server, our reference in tests.
 */
export const REDIS_VERSION = "7.0.15";

// #region ping
export const ping: CommandSpec = {
  name: "ping",
  arity: -1,
  flags: ["fast"],
  categories: ["@fast", "@connection"],
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  docs: CONNECTION_DOCS.ping,
  run(args) {
    // Arity -1 only says "at least one word": like Redis, PING checks its
    // own maximum.
    if (args.length > 2) return wrongNumberOfArguments("ping");
    return args.length === 2 ? bulk(args[1]!) : simple("PONG");
  },
};
// #endregion ping

export const echo: CommandSpec = {
  name: "echo",
  arity: 2,
  flags: ["loading", "stale", "fast"],
  categories: ["@fast", "@connection"],
  docs: CONNECTION_DOCS.echo,
  run: (args) => bulk(args[1]!),
};

// #region quit
export const quit: CommandSpec = {
  name: "quit",
  arity: -1,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  categories: ["@fast", "@connection"],
  docs: CONNECTION_DOCS.quit,
  run(_args, { session }) {
    // The OK must reach the client before we hang up, so we only mark the
    // session; the protocol handler closes once the replies are written.
    session.closeAfterReply = true;
    return OK;
  },
};
// #endregion quit

/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]
 *
 * The handshake of modern clients: it picks the protocol the connection
 * speaks from now on, 2 or 3, and answers with facts about the server, as a
 * map (so a RESP2 client sees a flat array of 14). Any other version gets
 * NOPROTO, before any option is read; clients such as ioredis then carry on
 * in RESP2, while node-redis 6, which speaks only RESP3, gives up.
 */
export const hello: CommandSpec = {
  name: "hello",
  arity: -1,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  categories: ["@fast", "@connection"],
  docs: CONNECTION_DOCS.hello,
  // #region hello-run
  run(args, { session }) {
    let protocol: Protocol | undefined;
    if (args.length >= 2) {
      const version = parseInteger(args[1]!);
      if (version === undefined) {
        return error("ERR Protocol version is not an integer or out of range");
      }
      if (version !== 2 && version !== 3) {
        return error("NOPROTO unsupported protocol version");
      }
      protocol = version === 3 ? 3 : 2;
    }

    // The options, one at a time from left to right, as Redis takes them:
    // each AUTH is checked and each name set where it stands, and the first
    // failure is the answer.
    for (let i = 2; i < args.length; i++) {
      const option = args[i]!;
      const remaining = args.length - 1 - i;
      if (isKeyword(option, "auth") && remaining >= 2) {
        // Until a chapter adds `requirepass`, the only user is "default"
        // (user names are case-sensitive), and any password is right for
        // it, exactly as in a fresh redis-server.
        if (!args[i + 1]!.equals(DEFAULT_USER)) {
          return error(
            "WRONGPASS invalid username-password pair or user is disabled.",
          );
        }
        i += 2;
      } else if (isKeyword(option, "setname") && remaining >= 1) {
        const name = args[i + 1]!;
        if (!isValidClientName(name)) {
          return error(
            "ERR Client names cannot contain spaces, newlines or special characters.",
          );
        }
        // A copy: the argument is a view into the input buffer, and the
        // session would keep that whole buffer alive for as long as it lasts.
        session.name = Buffer.from(name);
        i += 1;
      } else {
        // Redis quotes the whole option. So do we, up to 1 MiB, so that an
        // absurd option cannot become an equally absurd error line.
        return error(
          `ERR Syntax error in HELLO option '${quoteArgument(option, 1024 * 1024)}'`,
        );
      }
    }

    // Only a successful HELLO switches, and before it answers: the reply
    // to `HELLO 3` is already RESP3. HELLO without a version keeps the
    // protocol and just reports.
    if (protocol !== undefined) session.protocol = protocol;
    return map([
      [bulk("server"), bulk("redis")],
      [bulk("version"), bulk(REDIS_VERSION)],
      [bulk("proto"), integer(session.protocol)],
      [bulk("id"), integer(session.id)],
      [bulk("mode"), bulk("standalone")],
      [bulk("role"), bulk("master")],
      [bulk("modules"), array([])],
    ]);
  },
  // #endregion hello-run
};

const DEFAULT_USER = Buffer.from("default");

/** Redis allows names of visible ASCII characters only (`!` to `~`), so CLIENT LIST stays parsable. */
function isValidClientName(name: Buffer): boolean {
  return name.every((byte) => byte >= 0x21 && byte <= 0x7e);
}

export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  ping,
  echo,
  quit,
  hello,
];
