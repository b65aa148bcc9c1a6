/**
 * The connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT and
 * CLIENT. None of them touch data; they let a client check that the server
 * is alive, agree on the protocol, prove who it is, pick a database and
 * name itself. (RESET, which undoes all of that, is reset-command.ts.)
 *
 * Flags and categories are Redis 7's own, so that COMMAND INFO answers as
 * real Redis does.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { CommandDocs, CommandSpec } from "../dispatch/command-spec.ts";
import type { ServerState } from "../dispatch/server-state.ts";
import {
  array,
  bulk,
  error,
  integer,
  map,
  NULL,
  OK,
  simple,
  type Protocol,
  type Reply,
} from "../protocol/reply.ts";
import { parseInteger } from "../protocol/resp-parser.ts";
import {
  intArgument,
  isKeyword,
  quoteArgument,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { CONNECTION_DOCS } from "./docs/connection-docs.ts";
import { CLIENT_SUBCOMMANDS } from "./client-commands.ts";

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
  run(args, context) {
    const { session, server } = context;
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
        if (!passwordMatches(server, args[i + 1]!, args[i + 2]!)) {
          return WRONGPASS;
        }
        session.authenticated = true;
        i += 2;
      } else if (isKeyword(option, "setname") && remaining >= 1) {
        const name = args[i + 1]!;
        if (!isValidClientName(name)) return INVALID_CLIENT_NAME;
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
    // Only then the check that the client is authenticated. (So Redis 7.0
    // takes the name of a client it then refuses; we do the same.) Redis
    // asks the connection's own flag, not whether a password is set now:
    // a client that connected while one was set is refused here even
    // after it is removed, though its other commands run.
    if (!context.session.authenticated) {
      return error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
      );
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
      [
        bulk("mode"),
        bulk(context.server.cluster === undefined ? "standalone" : "cluster"),
      ],
      [bulk("role"), bulk("master")],
      [bulk("modules"), array([])],
    ]);
  },
  // #endregion hello-run
};

// #region auth
/**
 * AUTH [username] password
 *
 * With `requirepass` set, a new connection may run nothing but AUTH, HELLO
 * and QUIT (the commands flagged `no_auth`) until it gives the password.
 * Redis 6 added users (ACLs); we have its one built-in user, "default",
 * whose password is `requirepass`. A wrong password leaves the connection
 * as it was: an authenticated client stays authenticated.
 */
export const auth: CommandSpec = {
  name: "auth",
  arity: -2,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  categories: ["@fast", "@connection"],
  docs: CONNECTION_DOCS.auth,
  run(args, { session, server }) {
    if (args.length > 3) return SYNTAX_ERROR;
    if (args.length === 2 && server.config.requirepass === "") {
      return error(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
      );
    }
    const username = args.length === 3 ? args[1]! : DEFAULT_USER;
    if (!passwordMatches(server, username, args.at(-1)!)) return WRONGPASS;
    session.authenticated = true;
    return OK;
  },
};

const DEFAULT_USER = Buffer.from("default");
const WRONGPASS = error(
  "WRONGPASS invalid username-password pair or user is disabled.",
);

/**
 * Whether `username` and `password` let a client in. The only user is
 * "default" (user names are case-sensitive); with no `requirepass` it takes
 * any password, as in a fresh redis-server.
 *
 * The password is compared through SHA-256 digests of equal length with a
 * constant-time comparison, as Redis does: comparing the bytes directly
 * stops at the first difference, and how long that takes would tell an
 * attacker, byte by byte, how much of a guess is right.
 */
function passwordMatches(
  server: ServerState,
  username: Buffer,
  password: Buffer,
): boolean {
  if (!username.equals(DEFAULT_USER)) return false;
  const required = server.config.requirepass;
  if (required === "") return true;
  return timingSafeEqual(
    sha256(password),
    sha256(Buffer.from(required, "latin1")),
  );
}

function sha256(bytes: Buffer): Buffer {
  return createHash("sha256").update(bytes).digest();
}
// #endregion auth

// #region select
/** SELECT index: this connection's commands now work on database `index`. */
export const select: CommandSpec = {
  name: "select",
  arity: 2,
  flags: ["loading", "stale", "fast"],
  categories: ["@fast", "@connection"],
  docs: CONNECTION_DOCS.select,
  run(args, { session, server }) {
    const index = intArgument(args[1]!);
    if (typeof index !== "number") return index;
    // A cluster node has database 0 only: hash slots partition that one.
    if (server.cluster !== undefined && index !== 0) {
      return error("ERR SELECT is not allowed in cluster mode");
    }
    if (index < 0 || index >= server.keyspace.count) {
      return error("ERR DB index is out of range");
    }
    session.db = server.keyspace.database(index);
    return OK;
  },
};
// #endregion select

const INVALID_CLIENT_NAME = error(
  "ERR Client names cannot contain spaces, newlines or special characters.",
);

/** Redis allows names of visible ASCII characters only (`!` to `~`), so CLIENT LIST stays parsable. */
function isValidClientName(name: Buffer): boolean {
  return name.every((byte) => byte >= 0x21 && byte <= 0x7e);
}

// #region client
const CLIENT_FLAGS = ["noscript", "loading", "stale"] as const;
const CLIENT_CATEGORIES = ["@slow", "@connection"];

function clientSubcommand(
  name: string,
  arity: number,
  docs: CommandDocs,
  run: CommandSpec["run"],
): CommandSpec {
  return {
    name: `client|${name}`,
    arity,
    flags: CLIENT_FLAGS,
    categories: CLIENT_CATEGORIES,
    docs,
    run,
  };
}

const clientId = clientSubcommand(
  "id",
  2,
  CONNECTION_DOCS["client|id"],
  (_args, { session }) => integer(session.id),
);

const clientGetname = clientSubcommand(
  "getname",
  2,
  CONNECTION_DOCS["client|getname"],
  (_args, { session }) =>
    session.name.length === 0 ? NULL : bulk(session.name),
);

const clientSetname = clientSubcommand(
  "setname",
  3,
  CONNECTION_DOCS["client|setname"],
  (args, { session }) => {
    const name = args[2]!;
    if (!isValidClientName(name)) return INVALID_CLIENT_NAME;
    session.name = Buffer.from(name); // a copy, as in HELLO
    return OK;
  },
);

/**
 * CLIENT SETINFO LIB-NAME|LIB-VER value: the client library says what it
 * is, so that an operator can see it (Redis shows it in CLIENT LIST).
 * Redis 7.2 added it and ioredis sends it on connecting; Redis 7.0, whose
 * version we report, answers with an unknown-subcommand error instead, which
 * ioredis ignores. Accepting it is a deliberate difference.
 */
const clientSetinfo = clientSubcommand(
  "setinfo",
  4,
  CONNECTION_DOCS["client|setinfo"],
  (args, { session }) => {
    const attribute = args[2]!;
    const value = args[3]!;
    const field = isKeyword(attribute, "lib-name")
      ? "libraryName"
      : isKeyword(attribute, "lib-ver")
        ? "libraryVersion"
        : undefined;
    if (field === undefined) {
      return error(`ERR Unrecognized option '${quoteArgument(attribute)}'`);
    }
    if (!isValidClientName(value)) {
      return error(
        `ERR ${quoteArgument(attribute)} cannot contain spaces, newlines or special characters.`,
      );
    }
    session[field] = value.toString("latin1");
    return OK;
  },
);

/** Redis 7.0.15's CLIENT HELP, word for word, for the subcommands we have. */
const CLIENT_HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "SETINFO <option> <value>",
  "    Set client meta attr. Options are:",
  "    * LIB-NAME: the client lib name.",
  "    * LIB-VER: the client lib version.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "HELP",
  "    Prints this help.",
];

const clientHelp: CommandSpec = {
  ...clientSubcommand("help", 2, CONNECTION_DOCS["client|help"], () =>
    array(CLIENT_HELP.map(simple)),
  ),
  flags: ["loading", "stale"],
};

/**
 * CLIENT, the container: Redis's subcommands but CACHING, GETREDIR,
 * NO-EVICT, PAUSE, UNPAUSE, REPLY, TRACKING and TRACKINGINFO. Those that
 * look at other clients are in client-commands.ts.
 */
export const client: CommandSpec = {
  name: "client",
  arity: -2,
  flags: [],
  categories: ["@slow"],
  docs: CONNECTION_DOCS.client,
  subcommands: [
    clientId,
    clientGetname,
    clientSetname,
    clientSetinfo,
    ...CLIENT_SUBCOMMANDS,
    clientHelp,
  ],
  // Only reached without a subcommand, which the arity forbids.
  run: (): Reply => wrongNumberOfArguments("client"),
};
// #endregion client

export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  ping,
  echo,
  quit,
  hello,
  auth,
  select,
  client,
];
