/**
 * The command table: every command the server knows, found by name, and the
 * checks Redis makes before it runs one: does the command exist, does the
 * subcommand exist, is the number of arguments right. Each failure has its
 * own error text, copied from Redis word for word, because clients and
 * people search for those texts.
 */
import type { CommandContext, CommandSpec } from "./command-spec.ts";
import { nameOf, quoteArgument } from "./arguments.ts";
import { error, type Reply } from "../protocol/reply.ts";

export class CommandTable {
  readonly #byName = new Map<string, CommandSpec>();
  readonly #subcommands = new Map<CommandSpec, Map<string, CommandSpec>>();

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) {
      this.#byName.set(spec.name, spec);
      if (spec.subcommands !== undefined) {
        const byName = new Map<string, CommandSpec>();
        for (const sub of spec.subcommands) {
          byName.set(sub.name.slice(spec.name.length + 1), sub);
        }
        this.#subcommands.set(spec, byName);
      }
    }
  }

  /** Every top-level command, in the order they were registered. */
  all(): CommandSpec[] {
    return [...this.#byName.values()];
  }

  /** Finds a command by name, in any letter case, or a subcommand by "container|sub". */
  lookup(arg: Buffer): CommandSpec | undefined {
    const [container, sub, ...more] = nameOf(arg)?.split("|") ?? [];
    if (container === undefined || more.length > 0) return undefined;
    const spec = this.#byName.get(container);
    if (sub === undefined || spec === undefined) return spec;
    return this.#subcommands.get(spec)?.get(sub);
  }

  // #region dispatch
  /** Checks a command against the table and runs it; every failure is a reply. */
  execute(args: Buffer[], context: CommandContext): Reply {
    // (A name too long to be one becomes "", which finds nothing.)
    let spec = this.#byName.get(nameOf(args[0]!) ?? "");
    if (spec === undefined) return unknownCommand(args);

    const subcommands = this.#subcommands.get(spec);
    if (subcommands !== undefined && args.length >= 2) {
      const sub = subcommands.get(nameOf(args[1]!) ?? "");
      if (sub === undefined) {
        return error(
          `ERR unknown subcommand '${quoteArgument(args[1]!)}'. Try ${spec.name.toUpperCase()} HELP.`,
        );
      }
      spec = sub;
    }

    const arityHolds =
      spec.arity >= 0 ? args.length === spec.arity : args.length >= -spec.arity;
    if (!arityHolds) return wrongNumberOfArguments(spec.name);
    return spec.run(args, context);
  }
  // #endregion dispatch
}

/** Redis's arity error, for the table and for commands that check a maximum themselves. */
export function wrongNumberOfArguments(name: string): Reply {
  return error(`ERR wrong number of arguments for '${name}' command`);
}

// #region unknown-command
/**
 * Redis's reply to a command it does not know quotes the name and the first
 * arguments, about 128 bytes in all:
 * `ERR unknown command 'FOO', with args beginning with: 'a' 'b' `
 * (yes, with that trailing space).
 */
function unknownCommand(args: Buffer[]): Reply {
  let quoted = "";
  for (const arg of args.slice(1)) {
    if (quoted.length >= 128) break;
    quoted += `'${quoteArgument(arg, 128 - quoted.length)}' `;
  }
  return error(
    `ERR unknown command '${quoteArgument(args[0]!)}', with args beginning with: ${quoted}`,
  );
}
// #endregion unknown-command
