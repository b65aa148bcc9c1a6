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
import type { CommandTable } from "./command-table.ts";
import type { Session } from "./session.ts";

/** What a command may use besides its arguments. Later chapters add the keyspace. */
export interface CommandContext {
  readonly session: Session;
  readonly commands: CommandTable;
}

// #region command-spec
export interface CommandSpec {
  /** Lower case, as COMMAND reports it; a subcommand is "container|sub". */
  readonly name: string;
  /**
   * Redis's arity rule, counting the command name itself: `2` means exactly
   * two words (`ECHO message`), `-1` means at least one (`PING [message]`).
   */
  readonly arity: number;
  /** Redis's command flags (`fast`, `loading`, `stale`, `write`, ...), as COMMAND INFO lists them. */
  readonly flags: readonly string[];
  /** ACL categories (`@fast`, `@connection`, ...), as COMMAND INFO lists them. */
  readonly categories: readonly string[];
  /** Hints for clients and proxies, as COMMAND INFO lists them. */
  readonly tips?: readonly string[];
  readonly docs: CommandDocs;
  /** Commands with subcommands (`COMMAND COUNT`) list them here. */
  readonly subcommands?: readonly CommandSpec[];
  /** Runs the command. `args[0]` is the name as the client typed it. */
  run(args: Buffer[], context: CommandContext): Reply;
}

/** What COMMAND DOCS tells a client about a command: redis-cli shows it as hints and in HELP. */
export interface CommandDocs {
  readonly summary: string;
  /** The Redis version that introduced it. */
  readonly since: string;
  /** The family it belongs to in Redis's documentation: `connection`, `server`, `string`, ... */
  readonly group: string;
  readonly complexity: string;
  /** For a command Redis keeps only for old clients: since when, and what to use instead. */
  readonly deprecated?: { readonly since: string; readonly replacedBy: string };
  readonly history?: readonly (readonly [version: string, change: string])[];
  readonly arguments?: readonly ArgumentDoc[];
}

export interface ArgumentDoc {
  readonly name: string;
  readonly type: "string" | "integer" | "key" | "pattern" | "block" | "oneof";
  /** A keyword the argument starts with, like `AUTH` in `HELLO 3 AUTH user pass`. */
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  /** The parts of a `block` or the choices of a `oneof`. */
  readonly arguments?: readonly ArgumentDoc[];
}
// #endregion command-spec
