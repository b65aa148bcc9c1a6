/**
 * COMMAND: the server describing its own commands, straight from the
 * command table.
 *
 * Clients depend on it more than one would guess: `redis-cli` sends
 * `COMMAND DOCS` as it starts, to learn the argument hints it shows while
 * you type, and cluster clients read key positions from `COMMAND INFO`.
 */
import type {
  ArgumentDoc,
  CommandContext,
  CommandFlag,
  CommandSpec,
} from "../dispatch/command-spec.ts";
import { hasKeys, keyIndexes } from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  error,
  integer,
  map,
  NULL,
  set,
  simple,
  type MapEntry,
  type Reply,
} from "../protocol/reply.ts";
import { INTROSPECTION_DOCS } from "./docs/introspection-docs.ts";

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
    set(spec.flags.map(simple)),
    integer(first),
    integer(last),
    integer(step),
    set(spec.categories.map(simple)),
    set((spec.tips ?? []).map(bulk)),
    set([]),
    // Redis 7.0 sends its subcommands as an array, but "none" as an empty
    // *set*: invisible in RESP2, where both are `*`, and kept for RESP3.
    spec.subcommands === undefined
      ? set([])
      : array(spec.subcommands.map(commandInfo)),
  ]);
}
// #endregion command-info

// #region command-docs
/**
 * One command as COMMAND DOCS describes it: a map of the fields it has (a
 * flat array in RESP2). Redis's choice of types is kept to the letter: the
 * history is a *set* of [version, change] pairs, although its order matters.
 */
function commandDocs(spec: CommandSpec): Reply {
  const { docs } = spec;
  const fields: MapEntry[] = [
    [bulk("summary"), bulk(docs.summary)],
    [bulk("since"), bulk(docs.since)],
    [bulk("group"), bulk(docs.group)],
    [bulk("complexity"), bulk(docs.complexity)],
  ];
  const docFlags = [
    ...(docs.deprecated !== undefined ? ["deprecated"] : []),
    ...(docs.syscmd === true ? ["syscmd"] : []),
  ];
  if (docFlags.length > 0) {
    fields.push([bulk("doc_flags"), set(docFlags.map(simple))]);
  }
  if (docs.deprecated !== undefined) {
    fields.push(
      [bulk("deprecated_since"), bulk(docs.deprecated.since)],
      [bulk("replaced_by"), bulk(docs.deprecated.replacedBy)],
    );
  }
  if (docs.history !== undefined) {
    const changes = docs.history.map(([version, change]) =>
      array([bulk(version), bulk(change)]),
    );
    fields.push([bulk("history"), set(changes)]);
  }
  if (docs.arguments !== undefined) {
    fields.push([bulk("arguments"), array(docs.arguments.map(argumentDocs))]);
  }
  if (spec.subcommands !== undefined) {
    const subcommands = spec.subcommands.map((sub): MapEntry => [
      bulk(sub.name),
      commandDocs(sub),
    ]);
    fields.push([bulk("subcommands"), map(subcommands)]);
  }
  return map(fields);
}

function argumentDocs(argument: ArgumentDoc): Reply {
  const fields: MapEntry[] = [
    [bulk("name"), bulk(argument.name)],
    [bulk("type"), bulk(argument.type)],
  ];
  if (argument.token !== undefined) {
    fields.push([bulk("token"), bulk(argument.token)]);
  }
  if (argument.since !== undefined) {
    fields.push([bulk("since"), bulk(argument.since)]);
  }
  if (argument.deprecatedSince !== undefined) {
    fields.push([bulk("deprecated_since"), bulk(argument.deprecatedSince)]);
  }
  const flags = [
    ...(argument.optional === true ? ["optional"] : []),
    ...(argument.multiple === true ? ["multiple"] : []),
    ...(argument.multipleToken === true ? ["multiple_token"] : []),
  ];
  if (flags.length > 0) fields.push([bulk("flags"), set(flags.map(simple))]);
  if (argument.arguments !== undefined) {
    fields.push([
      bulk("arguments"),
      array(argument.arguments.map(argumentDocs)),
    ]);
  }
  return map(fields);
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

const count: CommandSpec = {
  name: "command|count",
  arity: 2,
  flags: FLAGS,
  categories: CATEGORIES,
  docs: INTROSPECTION_DOCS["command|count"],
  run: (_args, { commands }) => integer(commands.all().length),
};

const info: CommandSpec = {
  name: "command|info",
  arity: -2,
  flags: FLAGS,
  categories: CATEGORIES,
  tips: ["nondeterministic_output_order"],
  docs: INTROSPECTION_DOCS["command|info"],
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
  docs: INTROSPECTION_DOCS["command|docs"],
  // A map from name to docs; unknown names are left out.
  run: (args, context) =>
    map(
      named(args, 2, context).flatMap((spec): MapEntry[] =>
        spec === undefined ? [] : [[bulk(spec.name), commandDocs(spec)]],
      ),
    ),
};

// #region command-getkeys
/**
 * COMMAND GETKEYS command arg [arg ...]: which of the arguments are keys,
 * read off the command table's key positions (`keyIndexes`, which cluster
 * routing reads too). A cluster proxy asks this to route a command it
 * does not know.
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
  docs: INTROSPECTION_DOCS["command|getkeys"],
  run(args, { commands }) {
    const command = args.slice(2);
    const spec = commands.find(command);
    if (spec === undefined) return error("ERR Invalid command specified");
    if (!hasKeys(spec)) return error("ERR The command has no key arguments");
    if (!commands.arityHolds(spec, command)) {
      return error("ERR Invalid number of arguments specified for command");
    }
    const positions = keyIndexes(spec, command);
    if (positions === undefined) {
      return error("ERR Invalid arguments specified for command");
    }
    return array(positions.map((i) => bulk(command[i]!)));
  },
};
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
  docs: INTROSPECTION_DOCS["command|help"],
  run: () => array(HELP_LINES.map(simple)),
};

// #region command
export const command: CommandSpec = {
  name: "command",
  arity: -1,
  flags: FLAGS,
  categories: CATEGORIES,
  tips: ["nondeterministic_output_order"],
  docs: INTROSPECTION_DOCS.command,
  subcommands: [count, docs, info, getkeys, help],
  // Plain COMMAND, with no subcommand: every command's info.
  run: (_args, { commands }) => array(commands.all().map(commandInfo)),
};
// #endregion command

export const INTROSPECTION_COMMANDS: readonly CommandSpec[] = [command];
