/**
 * CONFIG GET and CONFIG SET: the directive table of directives.ts, read
 * and changed while the server runs.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import {
  array,
  bulk,
  error,
  map,
  OK,
  type Reply,
  simple,
} from "../protocol/reply.ts";
import { byteString, cStringOf, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { ConfigError } from "../config/config-values.ts";
import { DIRECTIVES, type ServerConfig } from "../config/directives.ts";
import { globMatch } from "../keyspace/glob.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import { CONFIG_DOCS } from "./docs/config-docs.ts";
import { fitMaxclients, openFilesLimit } from "../network/file-limit.ts";

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
  docs: CONFIG_DOCS["config|get"],
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
    // A map of name to value: in RESP2, the flat list name, value, name...
    return map(
      [...found].map(([name, asked]) => [
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
  docs: CONFIG_DOCS["config|set"],
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
        // Redis prints the name with %s: it ends at the first NUL byte.
        const quoted = cStringOf(args[i]!).toString("latin1");
        return error(
          `ERR Unknown option or number of arguments for CONFIG SET - '${quoted}'`,
        );
      }
      if (!directive.mutable)
        return failed(asked, "can't set immutable config");
      if (directive.mutable === "protected")
        return failed(asked, "can't set protected config");
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
    const fitting = clientsThatFit(
      updated.maxclients,
      server.config.maxclients,
    );
    if (fitting !== updated.maxclients) {
      return failed(
        "maxclients",
        `The operating system is not able to handle the specified number of clients, try with ${fitting}`,
      );
    }
    Object.assign(server.config, updated);
    // `appendonly` turns the AOF on or off now, not at the next start.
    if (!server.aof.followConfig()) {
      return failed("appendonly", "Unable to turn on AOF. Check server logs.");
    }
    return OK;
    // #endregion config-set-apply
  },
};

/**
 * How many of `wanted` clients the process's file limit leaves room for,
 * as Redis checks a new `maxclients` (an unchanged one is not checked).
 */
function clientsThatFit(wanted: number, current: number): number {
  if (wanted === current) return wanted;
  return fitMaxclients(wanted, openFilesLimit()).maxclients;
}

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
  flags: ["loading", "stale"],
  categories: ["@slow"],
  docs: CONFIG_DOCS["config|help"],
  run: () => array(CONFIG_HELP.map(simple)),
};

/** CONFIG, the container: GET and SET (Redis also has RESETSTAT and REWRITE). */
export const config: CommandSpec = {
  name: "config",
  arity: -2,
  flags: [],
  categories: ["@slow"],
  docs: CONFIG_DOCS.config,
  subcommands: [configGet, configSet, configHelp],
  run: () => wrongNumberOfArguments("config"),
};
// #endregion config

export const CONFIG_COMMANDS: readonly CommandSpec[] = [config];
