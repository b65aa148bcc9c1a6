/**
 * The server commands: COMMAND, the server describing its own commands
 * straight from the command table; the whole-database commands (DBSIZE,
 * FLUSHDB, FLUSHALL, SWAPDB); and INFO, CONFIG and TIME.
 *
 * Clients depend on COMMAND more than one would guess: `redis-cli` sends
 * `COMMAND DOCS` as it starts, to learn the argument hints it shows while
 * you type, and cluster clients read key positions from `COMMAND INFO`.
 */
import { arch, machine, release, type } from "node:os";
import type {
  ArgumentDoc,
  CommandContext,
  CommandFlag,
  CommandSpec,
} from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  OK,
  simple,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  cStringOf,
  intArgument,
  isKeyword,
  nameOf,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { ConfigError } from "../config/config-file.ts";
import { DIRECTIVES, type ServerConfig } from "../config/directives.ts";
import { globMatch } from "../keyspace/glob.ts";
import { REDIS_VERSION } from "./connection-commands.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";

const SERVER_GROUP = "server";
const FLAGS: readonly CommandFlag[] = ["loading", "stale"];
const CATEGORIES = ["@slow", "@connection"];

// #region command-info
/**
 * One command as COMMAND INFO describes it: name, arity, flags, the
 * positions of its first key, last key and key step (0, 0, 0 for a command
 * without keys), ACL categories, tips, key specifications (Redis 7's
 * detailed form of the key positions, which we leave empty: a deliberate
 * difference) and subcommands.
 */
function commandInfo(spec: CommandSpec): Reply {
  const { first, last, step } = spec.keys ?? { first: 0, last: 0, step: 0 };
  return array([
    bulk(spec.name),
    integer(spec.arity),
    array(spec.flags.map(simple)),
    integer(first),
    integer(last),
    integer(step),
    array(spec.categories.map(simple)),
    array((spec.tips ?? []).map(bulk)),
    array([]),
    array((spec.subcommands ?? []).map(commandInfo)),
  ]);
}
// #endregion command-info

// #region command-docs
/** One command as COMMAND DOCS describes it: a map (a flat array in RESP2) of the fields it has. */
function commandDocs(spec: CommandSpec): Reply {
  const { docs } = spec;
  const fields: Reply[] = [
    bulk("summary"),
    bulk(docs.summary),
    bulk("since"),
    bulk(docs.since),
    bulk("group"),
    bulk(docs.group),
    bulk("complexity"),
    bulk(docs.complexity),
  ];
  if (docs.history !== undefined) {
    fields.push(
      bulk("history"),
      array(
        docs.history.map(([version, change]) =>
          array([bulk(version), bulk(change)]),
        ),
      ),
    );
  }
  if (docs.arguments !== undefined) {
    fields.push(bulk("arguments"), array(docs.arguments.map(argumentDocs)));
  }
  if (spec.subcommands !== undefined) {
    fields.push(
      bulk("subcommands"),
      array(
        spec.subcommands.flatMap((sub) => [bulk(sub.name), commandDocs(sub)]),
      ),
    );
  }
  return array(fields);
}

function argumentDocs(argument: ArgumentDoc): Reply {
  const fields: Reply[] = [
    bulk("name"),
    bulk(argument.name),
    bulk("type"),
    bulk(argument.type),
  ];
  if (argument.token !== undefined) {
    fields.push(bulk("token"), bulk(argument.token));
  }
  if (argument.since !== undefined) {
    fields.push(bulk("since"), bulk(argument.since));
  }
  const flags = [
    ...(argument.optional === true ? ["optional"] : []),
    ...(argument.multiple === true ? ["multiple"] : []),
  ];
  if (flags.length > 0) fields.push(bulk("flags"), array(flags.map(simple)));
  if (argument.arguments !== undefined) {
    fields.push(bulk("arguments"), array(argument.arguments.map(argumentDocs)));
  }
  return array(fields);
}
// #endregion command-docs

/** The commands named in `args` from `from` on, or all of them when none is named. */
function named(
  args: Buffer[],
  from: number,
  { commands }: CommandContext,
): (CommandSpec | undefined)[] {
  if (args.length <= from) return commands.all();
  return args.slice(from).map((name) => commands.lookup(name));
}

const commandNames: ArgumentDoc = {
  name: "command-name",
  type: "string",
  optional: true,
  multiple: true,
};

const count: CommandSpec = {
  name: "command|count",
  arity: 2,
  flags: FLAGS,
  categories: CATEGORIES,
  docs: {
    summary: "Get total number of Redis commands",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  run: (_args, { commands }) => integer(commands.all().length),
};

const info: CommandSpec = {
  name: "command|info",
  arity: -2,
  flags: FLAGS,
  categories: CATEGORIES,
  tips: ["nondeterministic_output_order"],
  docs: {
    summary:
      "Get array of specific Redis command details, or all when no argument is given.",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of commands to look up",
    history: [
      [
        "7.0.0",
        "Allowed to be called with no argument to get info on all commands.",
      ],
    ],
    arguments: [commandNames],
  },
  // An unknown name gets a null in its place, so replies line up with the question.
  run: (args, context) =>
    array(
      named(args, 2, context).map((spec) =>
        spec === undefined ? NULL : commandInfo(spec),
      ),
    ),
};

const docs: CommandSpec = {
  name: "command|docs",
  arity: -2,
  flags: FLAGS,
  categories: CATEGORIES,
  tips: ["nondeterministic_output_order"],
  docs: {
    summary: "Get array of specific Redis command documentation",
    since: "7.0.0",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of commands to look up",
    arguments: [commandNames],
  },
  // A map from name to docs; unknown names are left out.
  run: (args, context) =>
    array(
      named(args, 2, context).flatMap((spec) =>
        spec === undefined ? [] : [bulk(spec.name), commandDocs(spec)],
      ),
    ),
};

// #region command-getkeys
/**
 * COMMAND GETKEYS command arg [arg ...]: which of the arguments are keys,
 * read off the command table's key positions. A cluster proxy asks this to
 * route a command it does not know.
 *
 * The command is found as the dispatcher finds it (`CLIENT ID`, not
 * `client|id`), and the checks come in Redis's order: a command without
 * keys says so before its arity is looked at. Redis 7.0's arity is -4:
 * the command to look at must come with at least one argument.
 */
const getkeys: CommandSpec = {
  name: "command|getkeys",
  arity: -4,
  flags: FLAGS,
  categories: CATEGORIES,
  docs: {
    summary: "Extract keys given a full Redis command",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of arguments to the command",
  },
  run(args, { commands }) {
    const command = args.slice(2);
    const spec = commands.find(command);
    if (spec === undefined) return error("ERR Invalid command specified");
    if (spec.keys === undefined) {
      return error("ERR The command has no key arguments");
    }
    if (!commands.arityHolds(spec, command)) {
      return error("ERR Invalid number of arguments specified for command");
    }
    return array(
      keyPositions(spec.keys, command.length).map((i) => bulk(command[i]!)),
    );
  },
};

/** The indexes of the keys in a command of `length` words. */
function keyPositions(
  { first, last, step }: NonNullable<CommandSpec["keys"]>,
  length: number,
): number[] {
  const end = last < 0 ? length + last : Math.min(last, length - 1);
  const positions = [];
  for (let i = first; i <= end; i += step) positions.push(i);
  return positions;
}
// #endregion command-getkeys

const HELP_LINES = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "HELP",
  "    Prints this help.",
];

const help: CommandSpec = {
  name: "command|help",
  arity: 2,
  flags: FLAGS,
  categories: CATEGORIES,
  docs: {
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  run: () => array(HELP_LINES.map(simple)),
};

// #region command
export const command: CommandSpec = {
  name: "command",
  arity: -1,
  flags: FLAGS,
  categories: CATEGORIES,
  tips: ["nondeterministic_output_order"],
  docs: {
    summary: "Get array of Redis command details",
    since: "2.8.13",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the total number of Redis commands",
  },
  subcommands: [count, docs, info, getkeys, help],
  // Plain COMMAND, with no subcommand: every command's info.
  run: (_args, { commands }) => array(commands.all().map(commandInfo)),
};
// #endregion command

// #region databases
export const dbsize: CommandSpec = {
  name: "dbsize",
  arity: 1,
  flags: ["readonly", "fast"],
  categories: ["@keyspace", "@read", "@fast"],
  tips: ["request_policy:all_shards", "response_policy:agg_sum"],
  docs: {
    summary: "Return the number of keys in the selected database",
    since: "1.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  run: (_args, { session }) => integer(session.db.size),
};

/**
 * FLUSHDB and FLUSHALL take ASYNC or SYNC: in Redis, whether memory is
 * freed by a background thread. Our garbage collector frees it in the
 * background either way, so both options do the same here.
 */
function flushMode(args: Buffer[]): Reply | undefined {
  if (args.length > 2) return SYNTAX_ERROR;
  const mode = args[1];
  if (
    mode !== undefined &&
    !isKeyword(mode, "async") &&
    !isKeyword(mode, "sync")
  ) {
    return SYNTAX_ERROR;
  }
  return undefined;
}

const FLUSH_ARGUMENTS: readonly ArgumentDoc[] = [
  {
    name: "async", // (sic: Redis 7.0 names the choice after its first option)
    type: "oneof",
    optional: true,
    arguments: [
      { name: "async", type: "pure-token", token: "ASYNC", since: "4.0.0" },
      { name: "sync", type: "pure-token", token: "SYNC", since: "6.2.0" },
    ],
  },
];

export const flushdb: CommandSpec = {
  name: "flushdb",
  arity: -1,
  flags: ["write"],
  categories: ["@keyspace", "@write", "@slow", "@dangerous"],
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  docs: {
    summary: "Remove all keys from the current database",
    since: "1.0.0",
    group: SERVER_GROUP,
    complexity: "O(N) where N is the number of keys in the selected database",
    history: [
      ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
      ["6.2.0", "Added the `SYNC` flushing mode modifier."],
    ],
    arguments: FLUSH_ARGUMENTS,
  },
  run(args, { session }) {
    const invalid = flushMode(args);
    if (invalid !== undefined) return invalid;
    session.db.clear();
    return OK;
  },
};

export const flushall: CommandSpec = {
  ...flushdb,
  name: "flushall",
  docs: {
    ...flushdb.docs,
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
  },
  run(args, { server }) {
    const invalid = flushMode(args);
    if (invalid !== undefined) return invalid;
    server.keyspace.clear();
    return OK;
  },
};

/** SWAPDB index1 index2: the two databases trade contents, for every connection at once. */
export const swapdb: CommandSpec = {
  name: "swapdb",
  arity: 3,
  flags: ["write", "fast"],
  categories: ["@keyspace", "@write", "@fast", "@dangerous"],
  docs: {
    summary: "Swaps two Redis databases",
    since: "4.0.0",
    group: SERVER_GROUP,
    complexity:
      "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    arguments: [
      { name: "index1", type: "integer" },
      { name: "index2", type: "integer" },
    ],
  },
  run(args, { server }) {
    // SWAPDB words its own errors for an index that is not a C int.
    const first = intArgument(args[1]!);
    if (typeof first !== "number") return error("ERR invalid first DB index");
    const second = intArgument(args[2]!);
    if (typeof second !== "number") {
      return error("ERR invalid second DB index");
    }
    const { keyspace } = server;
    const inRange = (i: number): boolean => i >= 0 && i < keyspace.count;
    if (!inRange(first) || !inRange(second)) {
      return error("ERR DB index is out of range");
    }
    keyspace.database(first).swapContents(keyspace.database(second));
    return OK;
  },
};

// #endregion databases

// #region info
/**
 * INFO [section ...]: the server's state as text, one `field:value` per
 * line, grouped in `# Section`s. Monitoring tools and client libraries
 * parse it (ioredis reads it on connecting), so the field names are
 * Redis's own; we report only the fields we can fill honestly.
 */
export const infoCommand: CommandSpec = {
  name: "info",
  arity: -1,
  flags: ["loading", "stale"],
  categories: ["@slow", "@dangerous"],
  tips: [
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
  ],
  docs: {
    summary: "Get information and statistics about the server",
    since: "1.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
    history: [
      ["7.0.0", "Added support for taking multiple section arguments."],
    ],
    arguments: [
      { name: "section", type: "string", optional: true, multiple: true },
    ],
  },
  run(args, context) {
    // Section names are C strings to Redis (`keyspace\0junk` is keyspace),
    // and a name too long to be one (undefined) matches no section.
    const wanted = new Set(args.slice(1).map((arg) => nameOf(cStringOf(arg))));
    const everything =
      wanted.size === 0 ||
      wanted.has("default") ||
      wanted.has("all") ||
      wanted.has("everything");
    const sections = INFO_SECTIONS.filter(
      ([name]) => everything || wanted.has(name.toLowerCase()),
    ).map(
      ([name, fields]) =>
        `# ${name}\r\n` +
        Object.entries(fields(context))
          .map(([field, value]) => `${field}:${value}\r\n`)
          .join(""),
    );
    return bulk(sections.join("\r\n"));
  },
};

type InfoFields = Record<string, string | number>;

/** The sections we report, in Redis's order, each a function of the server's state. */
const INFO_SECTIONS: readonly (readonly [
  string,
  (context: CommandContext) => InfoFields,
])[] = [
  ["Server", serverInfo],
  [
    "Clients",
    ({ server }) => ({ connected_clients: server.tcp().connectedClients }),
  ],
  ["Memory", memoryInfo],
  ["Stats", statsInfo],
  ["Keyspace", keyspaceInfo],
];

/** A random 40-hex-digit id for this run of the server, as Redis makes one. */
const RUN_ID = Array.from({ length: 40 }, () =>
  Math.floor(Math.random() * 16).toString(16),
).join("");

function serverInfo({ server }: CommandContext): InfoFields {
  const now = Date.now();
  const uptime = Math.floor((now - server.startedAt) / 1000);
  return {
    redis_version: REDIS_VERSION,
    redis_mode: "standalone",
    os: `${type()} ${release()} ${machine()}`,
    arch_bits: arch().endsWith("64") ? 64 : 32,
    process_id: process.pid,
    run_id: RUN_ID,
    tcp_port: server.tcp().port,
    server_time_usec: wallClockMicros(),
    uptime_in_seconds: uptime,
    uptime_in_days: Math.floor(uptime / 86400),
  };
}

/**
 * Redis counts what its allocator handed out; the nearest figure we have
 * is what the JavaScript heap holds plus memory outside it (Buffers).
 * Together with the process's resident size, it is what the article uses
 * to measure bytes per key.
 */
function memoryInfo(): InfoFields {
  const { heapUsed, external, rss } = process.memoryUsage();
  return {
    used_memory: heapUsed + external,
    used_memory_human: humanBytes(heapUsed + external),
    used_memory_rss: rss,
    used_memory_rss_human: humanBytes(rss),
  };
}

/** Redis's human-readable sizes: 1.50M, 812.33K. */
function humanBytes(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

function statsInfo({ server }: CommandContext): InfoFields {
  return {
    total_connections_received: server.tcp().totalConnectionsReceived,
    total_commands_processed: server.stats.commandsProcessed,
    keyspace_hits: server.keyspace.stats.hits,
    keyspace_misses: server.keyspace.stats.misses,
  };
}

/** One line per database that has keys. No key ever expires until chapter 04. */
function keyspaceInfo({ server }: CommandContext): InfoFields {
  const fields: InfoFields = {};
  for (const db of server.keyspace.nonEmpty()) {
    fields[`db${db.index}`] = `keys=${db.size},expires=0,avg_ttl=0`;
  }
  return fields;
}
// #endregion info

// #region config
const CONFIG_FLAGS = ["admin", "noscript", "loading", "stale"] as const;
const CONFIG_CATEGORIES = ["@admin", "@slow", "@dangerous"];

/**
 * CONFIG GET parameter [parameter ...]: name and value of every setting
 * that matches one of the glob patterns, ignoring letter case. A name
 * given without wildcards comes back spelled as it was asked.
 */
const configGet: CommandSpec = {
  name: "config|get",
  arity: -3,
  flags: CONFIG_FLAGS,
  categories: CONFIG_CATEGORIES,
  docs: {
    summary: "Get the values of configuration parameters",
    since: "2.0.0",
    group: SERVER_GROUP,
    complexity:
      "O(N) when N is the number of configuration parameters provided",
    history: [
      [
        "7.0.0",
        "Added the ability to pass multiple pattern parameters in one call",
      ],
    ],
    arguments: [
      {
        name: "parameter",
        type: "block",
        multiple: true,
        arguments: [{ name: "parameter", type: "string" }],
      },
    ],
  },
  run(args, { server }) {
    const found = new Map<string, string>();
    for (const arg of args.slice(2)) {
      const asked = byteString(arg);
      // Redis looks for wildcards, and matches a pattern, as in a C string,
      // which ends at a NUL byte. A name without wildcards, though, is looked
      // up whole, NUL and all, so `databases\0` is no setting at all.
      const pattern = asked.split("\0")[0]!;
      if (!/[*?[]/.test(pattern)) {
        const name = asked.toLowerCase();
        if (Object.hasOwn(DIRECTIVES, name) && !found.has(name)) {
          found.set(name, asked);
        }
        continue;
      }
      for (const name of Object.keys(DIRECTIVES)) {
        if (!found.has(name) && globMatch(pattern, name, true)) {
          found.set(name, name);
        }
      }
    }
    return array(
      [...found].flatMap(([name, asked]) => [
        bulk(asked),
        bulk(DIRECTIVES[name]!.show(server.config)),
      ]),
    );
  },
};

/**
 * CONFIG SET parameter value [parameter value ...]: all of them or none.
 * Every name is checked first, then every value is applied to a copy of
 * the settings, and only if all are valid does the copy replace them.
 */
const configSet: CommandSpec = {
  name: "config|set",
  arity: -4,
  flags: CONFIG_FLAGS,
  categories: CONFIG_CATEGORIES,
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  docs: {
    summary: "Set configuration parameters to the given values",
    since: "2.0.0",
    group: SERVER_GROUP,
    complexity:
      "O(N) when N is the number of configuration parameters provided",
    history: [
      ["7.0.0", "Added the ability to set multiple parameters in one call."],
    ],
    arguments: [
      {
        name: "parameter_value",
        type: "block",
        multiple: true,
        arguments: [
          { name: "parameter", type: "string" },
          { name: "value", type: "string" },
        ],
      },
    ],
  },
  run(args, { server }) {
    // A parameter without its value. (Fewer than one pair is an arity
    // error, from the table.)
    if (args.length % 2 !== 0) return SYNTAX_ERROR;
    const failed = (name: string, reason: string): Reply =>
      error(
        `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
      );

    const changes: [string, string][] = [];
    const seen = new Set<string>();
    for (let i = 2; i < args.length; i += 2) {
      const asked = byteString(args[i]!);
      const name = asked.toLowerCase();
      const directive = Object.hasOwn(DIRECTIVES, name)
        ? DIRECTIVES[name]
        : undefined;
      if (directive === undefined) {
        return error(
          `ERR Unknown option or number of arguments for CONFIG SET - '${asked}'`,
        );
      }
      if (!directive.mutable)
        return failed(asked, "can't set immutable config");
      if (seen.has(name)) return failed(asked, "duplicate parameter");
      seen.add(name);
      changes.push([name, byteString(args[i + 1]!)]);
    }

    // #region config-set-apply
    const updated: ServerConfig = { ...server.config };
    for (const [name, value] of changes) {
      try {
        DIRECTIVES[name]!.apply(updated, value);
      } catch (thrown) {
        if (!(thrown instanceof ConfigError)) throw thrown;
        return failed(name, thrown.reason);
      }
    }
    Object.assign(server.config, updated);
    return OK;
    // #endregion config-set-apply
  },
};

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "HELP",
  "    Prints this help.",
];

const configHelp: CommandSpec = {
  name: "config|help",
  arity: 2,
  flags: FLAGS,
  categories: ["@slow"],
  docs: {
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  run: () => array(CONFIG_HELP.map(simple)),
};

/** CONFIG, the container: GET and SET (Redis also has RESETSTAT and REWRITE). */
export const config: CommandSpec = {
  name: "config",
  arity: -2,
  flags: [],
  categories: ["@slow"],
  docs: {
    summary: "A container for server configuration commands",
    since: "2.0.0",
    group: SERVER_GROUP,
    complexity: "Depends on subcommand.",
  },
  subcommands: [configGet, configSet, configHelp],
  run: () => wrongNumberOfArguments("config"),
};
// #endregion config

/**
 * Where the precise clock's zero is on the wall clock. It starts as Node's
 * `performance.timeOrigin`, and `wallClockMicros` moves it when the two
 * clocks part ways.
 */
let preciseClockOrigin = performance.timeOrigin;

/**
 * The wall clock in microseconds, which Redis reads with gettimeofday().
 * Date.now() follows the system clock, but in whole milliseconds.
 * performance.now() has the fraction, but it runs on a clock of its own,
 * from a start fixed when the process began: after an NTP correction, or
 * a laptop waking from sleep, it is off by as much as the clock moved. So
 * we use it while it agrees with Date.now() to the millisecond, and set it
 * again from Date.now() when it does not.
 */
function wallClockMicros(): number {
  const wall = Date.now();
  let precise = preciseClockOrigin + performance.now();
  if (Math.abs(precise - wall) > 1) {
    preciseClockOrigin = wall - performance.now();
    precise = wall;
  }
  return Math.floor(precise * 1000);
}

/** TIME: the server's clock, as seconds and microseconds, both as strings. */
export const time: CommandSpec = {
  name: "time",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  categories: ["@fast"],
  tips: ["nondeterministic_output"],
  docs: {
    summary: "Return the current server time",
    since: "2.6.0",
    group: SERVER_GROUP,
    complexity: "O(1)",
  },
  run() {
    const micros = wallClockMicros();
    return array([
      bulk(String(Math.floor(micros / 1e6))),
      bulk(String(micros % 1e6)),
    ]);
  },
};

export const SERVER_COMMANDS: readonly CommandSpec[] = [
  command,
  dbsize,
  flushdb,
  flushall,
  swapdb,
  infoCommand,
  config,
  time,
];
