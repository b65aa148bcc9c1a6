/**
 * What a command is: its name, its arity, its flags and its documentation as
 * data, and a function from arguments to a reply.
 *
 * Keeping the description as data, next to the code, pays off more with
 * every chapter: the table answers arity errors and `COMMAND` (which is how
 * `redis-cli` learns its hints) in this chapter, and the flags and key
 * positions decide what the AOF logs, what MULTI may queue and where the
 * cluster routes a command in later ones.
 */
import type { Reply } from "../protocol/reply.ts";
import type { BlockRequest } from "../blocking/block-request.ts";
import type { ForwardRequest } from "../cluster/proxy/forwarding.ts";
import type { CommandTable } from "./command-table.ts";
import type { Session } from "./session.ts";
import type { ServerState } from "./server-state.ts";

/** What a command may use besides its arguments. */
export interface CommandContext {
  readonly session: Session;
  readonly commands: CommandTable;
  readonly server: ServerState;
  /**
   * How the AOF records the command running now, if it changes something
   * and its own words would not replay the same: see `logAs`. Cleared by
   * the dispatcher before each command.
   */
  loggedAs: string[] | undefined;
  /**
   * The command the client ran last, as the table found it (Redis's
   * `lastcmd`): set before its arity is checked, so a refused command
   * counts, and cleared by a name the table does not know. CLIENT LIST's
   * `cmd` shows its name, made only when asked for: naming it on every
   * command would cost a second lookup per command.
   */
  lastCommand?: CommandSpec | undefined;
}

// #region log-as
/**
 * Tells the AOF to record the running command as `words` (byte strings)
 * rather than as the client sent it. A command that computed something
 * from the clock must log the result, not the recipe: `EXPIRE k 10`
 * replayed tomorrow would give the key ten more seconds, so it is logged
 * as `PEXPIREAT k <the deadline>`. Redis rewrites these the same way.
 */
export function logAs(context: CommandContext, ...words: string[]): void {
  context.loggedAs = words;
}
// #endregion log-as

// #region command-spec
export interface CommandSpec {
  /** Lower case, as COMMAND reports it; a subcommand is "container|sub". */
  readonly name: string;
  /**
   * Redis's arity rule, counting the command name itself: `2` means exactly
   * two words (`ECHO message`), `-1` means at least one (`PING [message]`).
   */
  readonly arity: number;
  /** Redis's command flags, as COMMAND INFO lists them. */
  readonly flags: readonly CommandFlag[];
  /**
   * Where the keys are among the arguments, as COMMAND INFO reports them:
   * `{ first: 1, last: 1, step: 1 }` for `GET key`; `last: -1` means "up to
   * the last argument" (`DEL key [key ...]`), `step: 2` skips the values of
   * `MSET key value [key value ...]`. Absent for commands without keys.
   * The AOF, transactions and cluster routing of later chapters read these.
   */
  readonly keys?: KeyPositions;
  /**
   * For a command whose keys move with its arguments (`LMPOP numkeys key
   * [key ...] LEFT`, flagged `movablekeys`): the indexes of its keys in
   * `args`, or undefined if the arguments do not say where they are.
   * COMMAND GETKEYS asks this instead of `keys`.
   */
  readonly movableKeys?: (args: readonly Buffer[]) => number[] | undefined;
  /** ACL categories (`@fast`, `@connection`, ...), as COMMAND INFO lists them. */
  readonly categories: readonly string[];
  /** Hints for clients and proxies, as COMMAND INFO lists them. */
  readonly tips?: readonly string[];
  readonly docs: CommandDocs;
  /** Commands with subcommands (`COMMAND COUNT`) list them here. */
  readonly subcommands?: readonly CommandSpec[];
  /**
   * Runs the command. `args[0]` is the name as the client typed it. A
   * blocking command with nothing to serve yet (BLPOP on empty keys)
   * answers a `BlockRequest` instead of a reply; a command that waits
   * for another server (MIGRATE) answers a `ForwardRequest`.
   */
  run(
    args: Buffer[],
    context: CommandContext,
  ): Reply | BlockRequest | ForwardRequest;
}

// #region command-flags
/**
 * The flags Redis gives its commands, with what they mean to a server.
 * The ones this chapter acts on: `write` (changes data: the AOF logs
 * these, when they did change something), `no_auth` (allowed before AUTH), `denyoom` (may grow
 * memory). The others are reported by COMMAND INFO, as Redis reports them.
 */
export type CommandFlag =
  | "write" // changes the keyspace
  | "readonly" // reads the keyspace, never changes it
  | "denyoom" // may use more memory: refused when memory is full
  | "admin" // administration (CONFIG, ...)
  | "fast" // O(1) or O(log n): never blocks the server for long
  | "noscript" // not allowed in Lua scripts
  | "loading" // allowed while the server loads its data at start-up
  | "stale" // allowed on a replica with stale data
  | "no_auth" // allowed before the client authenticates
  | "allow_busy" // allowed while a script runs too long
  | "no_multi" // not allowed inside MULTI
  | "may_replicate" // may change data in some cases
  | "no_async_loading" // not allowed while the data set is being replaced
  | "movablekeys" // the keys' positions depend on the arguments (LMPOP)
  | "blocking" // may block the client (BLPOP)
  | "skip_slowlog" // not logged by SLOWLOG (EXEC: its commands are)
  | "asking"; // served for a slot being imported, as after ASKING (RESTORE-ASKING)
// #endregion command-flags

export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

// #region key-indexes
/** Whether a command names keys at all: fixed positions, or positions its arguments give. */
export function hasKeys(spec: CommandSpec): boolean {
  return spec.keys !== undefined || spec.movableKeys !== undefined;
}

/**
 * The indexes of the keys in `args`, a command that passed the arity
 * check: read off `keys`, or asked of `movableKeys`. Undefined if the
 * arguments do not say where the keys are (`LMPOP 0 ...`): the command
 * will refuse them itself. COMMAND GETKEYS answers this, and cluster
 * routing hashes these keys, so the two cannot disagree.
 */
export function keyIndexes(
  spec: CommandSpec,
  args: readonly Buffer[],
): number[] | undefined {
  if (spec.movableKeys !== undefined) return spec.movableKeys(args);
  if (spec.keys === undefined) return [];
  const { first, last, step } = spec.keys;
  const end = last < 0 ? args.length + last : Math.min(last, args.length - 1);
  const positions = [];
  for (let i = first; i <= end; i += step) positions.push(i);
  return positions;
}
// #endregion key-indexes

/** What COMMAND DOCS tells a client about a command: redis-cli shows it as hints and in HELP. */
export interface CommandDocs {
  readonly summary: string;
  /** The Redis version that introduced it. */
  readonly since: string;
  /** The family it belongs to in Redis's documentation: `connection`, `server`, `string`, ... */
  readonly group: string;
  readonly complexity: string;
  /** For a command meant for Redis itself, not for users (RESTORE-ASKING): doc flag `syscmd`. */
  readonly syscmd?: boolean;
  /** For a command Redis keeps only for old clients: since when, and what to use instead. */
  readonly deprecated?: { readonly since: string; readonly replacedBy: string };
  readonly history?: readonly (readonly [version: string, change: string])[];
  readonly arguments?: readonly ArgumentDoc[];
}

export interface ArgumentDoc {
  readonly name: string;
  readonly type:
    | "string"
    | "integer"
    | "double"
    | "key"
    | "pattern"
    | "unix-time"
    | "pure-token"
    | "block"
    | "oneof";
  /** A keyword the argument starts with, like `AUTH` in `HELLO 3 AUTH user pass`. */
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  /**
   * For a repeated argument that starts with a token: the token comes
   * again with each repeat (`BITFIELD_RO key GET i8 0 GET u4 8`).
   */
  readonly multipleToken?: boolean;
  /** The Redis version that added this argument, if later than the command. */
  readonly since?: string;
  /** For an argument kept only for old clients: since when (CLIENT KILL ip:port). */
  readonly deprecatedSince?: string;
  /** The parts of a `block` or the choices of a `oneof`. */
  readonly arguments?: readonly ArgumentDoc[];
}
// #endregion command-spec
