/**
 * The CLIENT subcommands that look at other clients: LIST and INFO
 * describe them, KILL hangs up on them, UNBLOCK ends a wait. They arrive
 * with the first clients worth looking at: ones that wait in BLPOP.
 * (CLIENT ID, GETNAME, SETNAME and HELP, which concern only the caller,
 * stay in connection-commands.ts, whose CLIENT container lists these.)
 *
 * Flags, categories and error texts are Redis 7.0.15's.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import type { ConnectedClient } from "../dispatch/connected-clients.ts";
import type { ServerState } from "../dispatch/server-state.ts";
import { error, integer, OK, verbatim, type Reply } from "../protocol/reply.ts";
import { parseInteger } from "../protocol/resp-parser.ts";
import {
  cStringOf,
  isKeyword,
  NOT_AN_INTEGER,
  quoteArgument,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { clientLine, type RunningCommand } from "./client-fields.ts";
import { CLIENT_DOCS } from "./docs/client-docs.ts";

/** What LIST, KILL and UNBLOCK are to Redis: administration. */
const ADMIN_FLAGS = ["admin", "noscript", "loading", "stale"] as const;
const ADMIN_CATEGORIES = ["@admin", "@slow", "@dangerous", "@connection"];

// #region client-types
/** Redis's kinds of client; CLIENT LIST and KILL filter on them. */
type ClientType = "normal" | "master" | "replica" | "pubsub";
const CLIENT_TYPES: readonly ClientType[] = [
  "normal",
  "master",
  "replica",
  "pubsub",
];

/**
 * A client type as Redis reads its name: any letter case, as a C string,
 * with `slave` the old name of `replica`. Undefined if unknown.
 */
function clientTypeNamed(arg: Buffer): ClientType | undefined {
  const name = cStringText(arg).toLowerCase();
  if (name === "slave") return "replica";
  return CLIENT_TYPES.find((type) => type === name);
}

/** Every client of ours is normal: no replication, no pub/sub yet. */
function typeOf(_client: ConnectedClient): ClientType {
  return "normal";
}

function unknownClientType(arg: Buffer): Reply {
  return error(`ERR Unknown client type '${cStringText(arg)}'`);
}
// #endregion client-types

// #region client-list
/**
 * CLIENT LIST [TYPE type | ID id [id ...]]: a line per client, in the
 * order they connected, or in the order the ids were given (an unknown id
 * is left out, a repeated one repeated). Text for people, so a verbatim
 * string in RESP3.
 */
const clientList: CommandSpec = {
  name: "client|list",
  arity: -2,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  tips: ["nondeterministic_output"],
  docs: CLIENT_DOCS["client|list"],
  run(args, context) {
    const { clients } = context.server;
    let chosen: ConnectedClient[];
    if (args.length === 4 && isKeyword(args[2]!, "type")) {
      const type = clientTypeNamed(args[3]!);
      if (type === undefined) return unknownClientType(args[3]!);
      chosen = [...clients.values()].filter((c) => typeOf(c) === type);
    } else if (args.length > 3 && isKeyword(args[2]!, "id")) {
      chosen = [];
      for (const arg of args.slice(3)) {
        const id = parseInteger(arg);
        if (id === undefined) return error("ERR Invalid client ID");
        const client = clients.get(id);
        if (client !== undefined) chosen.push(client);
      }
    } else if (args.length === 2) {
      chosen = [...clients.values()];
    } else {
      return SYNTAX_ERROR;
    }
    const running = { name: runningName(context), args };
    return verbatim(
      chosen.map((client) => describe(client, context, running)).join(""),
    );
  },
};
// #endregion client-list

/** CLIENT INFO: the caller's own line. */
const clientInfo: CommandSpec = {
  name: "client|info",
  arity: 2,
  flags: ["noscript", "loading", "stale"],
  categories: ["@slow", "@connection"],
  tips: ["nondeterministic_output"],
  docs: CLIENT_DOCS["client|info"],
  run(args, context) {
    const me = context.server.clients.get(context.session.id);
    // Only a connected client runs commands that reach here.
    if (me === undefined) return verbatim("");
    return verbatim(
      describe(me, context, { name: runningName(context), args }),
    );
  },
};

/**
 * One client's line and its newline. The caller is described in the
 * middle of the command it runs, as Redis describes it.
 */
function describe(
  client: ConnectedClient,
  { session }: CommandContext,
  running: RunningCommand,
): string {
  const own = client.session === session ? running : undefined;
  return `${clientLine(client, Date.now(), own)}\n`;
}

/**
 * The `cmd` Redis shows for the caller: the command it sent, which is
 * CLIENT LIST or CLIENT INFO itself, or EXEC when they run inside a
 * transaction.
 */
function runningName({ lastCommand }: CommandContext): string {
  return lastCommand?.name ?? "NULL";
}

// #region client-kill
/** What CLIENT KILL's filters ask for: a client must match them all. */
interface KillFilter {
  id?: number;
  clientType?: ClientType;
  addr?: string;
  laddr?: string;
  /** The caller is spared, unless `SKIPME no` (or the old form) says otherwise. */
  skipMe: boolean;
}

/**
 * CLIENT KILL ip:port, the old form: `+OK` if a client is connected from
 * there (the caller included), `ERR No such client` if none.
 * CLIENT KILL filter value [filter value ...], the new form: every client
 * that matches all the filters, but the caller unless `SKIPME no`;
 * answers how many. Another client is cut off at once; the caller, if it
 * is one of them, hangs up once its answer is sent.
 */
const clientKill: CommandSpec = {
  name: "client|kill",
  arity: -3,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLIENT_DOCS["client|kill"],
  run(args, { session, server }) {
    const oldForm = args.length === 3;
    const parsed = oldForm
      ? { filter: { addr: cStringText(args[2]!), skipMe: false } }
      : readKillFilter(args);
    if ("error" in parsed) return parsed.error;

    let killed = 0;
    let killMe = false;
    for (const client of [...server.clients.values()]) {
      if (!matches(client, parsed.filter)) continue;
      if (client.session === session) {
        if (parsed.filter.skipMe) continue;
        killMe = true;
      } else {
        hangUp(client, server);
      }
      killed += 1;
    }
    // The caller is marked only now, as in Redis: its answer goes out
    // first, then the connection closes.
    if (killMe) session.closeAfterReply = true;
    if (!oldForm) return integer(killed);
    return killed === 0 ? error("ERR No such client") : OK;
  },
};

const DEFAULT_USER = Buffer.from("default");

/**
 * The new form's filters, read left to right as Redis reads them: the
 * first one it cannot take is the answer, and nothing is killed.
 */
function readKillFilter(
  args: readonly Buffer[],
): { filter: KillFilter } | { error: Reply } {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i]!;
    const value = args[i + 1];
    if (value === undefined) return { error: SYNTAX_ERROR };
    if (isKeyword(option, "id")) {
      const id = parseInteger(value);
      if (id === undefined || id < 1) {
        return { error: error("ERR client-id should be greater than 0") };
      }
      filter.id = id;
    } else if (isKeyword(option, "type")) {
      filter.clientType = clientTypeNamed(value);
      if (filter.clientType === undefined) {
        return { error: unknownClientType(value) };
      }
    } else if (isKeyword(option, "addr")) {
      filter.addr = cStringText(value);
    } else if (isKeyword(option, "laddr")) {
      filter.laddr = cStringText(value);
    } else if (isKeyword(option, "user")) {
      // The one user there is, whom every client is logged in as: the
      // filter refuses any other name, and spares nobody.
      if (!value.equals(DEFAULT_USER)) {
        return { error: error(`ERR No such user '${cStringText(value)}'`) };
      }
    } else if (isKeyword(option, "skipme") && isKeyword(value, "yes")) {
      filter.skipMe = true;
    } else if (isKeyword(option, "skipme") && isKeyword(value, "no")) {
      filter.skipMe = false;
    } else {
      return { error: SYNTAX_ERROR };
    }
  }
  return { filter };
}

function matches(client: ConnectedClient, filter: KillFilter): boolean {
  const { connection } = client;
  return (
    (filter.addr === undefined || connection.address === filter.addr) &&
    (filter.laddr === undefined || connection.localAddress === filter.laddr) &&
    (filter.clientType === undefined || typeOf(client) === filter.clientType) &&
    (filter.id === undefined || connection.id === filter.id)
  );
}

// #region hang-up
/**
 * Cuts another client off at once, as Redis's freeClient does. Its wait
 * and its place in the list go now, not when its socket has closed: a
 * command later in this turn must neither list it nor serve it (an RPUSH
 * would hand a value to a client that is gone). The client loop's own
 * clean-up, when the socket closes, finds nothing left to do.
 */
function hangUp(client: ConnectedClient, server: ServerState): void {
  server.blockedClients.forget(client.connection.id);
  server.clients.delete(client.connection.id);
  client.connection.destroy();
}
// #endregion hang-up
// #endregion client-kill

// #region client-unblock
/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends the wait of a client blocked in
 * BLPOP and its kin, as if its time were up (the command's timeout reply,
 * by default) or with an error; 1 if it was waiting, 0 if not. The reason
 * is checked before the id, as in Redis.
 */
const clientUnblock: CommandSpec = {
  name: "client|unblock",
  arity: -3,
  flags: ADMIN_FLAGS,
  categories: ADMIN_CATEGORIES,
  docs: CLIENT_DOCS["client|unblock"],
  run(args, { server }) {
    // The arity lets more words through; Redis's own check answers them.
    if (args.length > 4) {
      return error(
        `ERR unknown subcommand or wrong number of arguments for '${quoteArgument(args[1]!)}'. Try CLIENT HELP.`,
      );
    }
    let reply: Reply | undefined; // the timeout's
    if (args.length === 4) {
      if (isKeyword(args[3]!, "error")) reply = UNBLOCKED;
      else if (!isKeyword(args[3]!, "timeout")) {
        return error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      }
    }
    const id = parseInteger(args[2]!);
    if (id === undefined) return NOT_AN_INTEGER;
    return integer(server.blockedClients.unblock(id, reply) ? 1 : 0);
  },
};

/** What the waiting client is told by CLIENT UNBLOCK id ERROR. */
const UNBLOCKED = error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
// #endregion client-unblock

/** An argument as the C string Redis reads, one character per byte. */
function cStringText(arg: Buffer): string {
  return cStringOf(arg).toString("latin1");
}

/** The subcommands of CLIENT defined here, for its container. */
export const CLIENT_SUBCOMMANDS: readonly CommandSpec[] = [
  clientList,
  clientInfo,
  clientKill,
  clientUnblock,
];
