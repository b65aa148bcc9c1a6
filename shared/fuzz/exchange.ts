/**
 * One command and what each server answered: the unit every comparison in
 * the fuzzer works on (normalise.ts, known-differences.ts, compare.ts).
 */
import { textOf, type Protocol, type RespReply } from "./resp.ts";

export interface Exchange {
  /**
   * The protocol the connection spoke when the command went out (a HELLO
   * that switches it gets its own reply in the new one).
   */
  readonly protocol: Protocol;
  /** The command as sent, name in whatever case the generator chose. */
  readonly args: readonly Buffer[];
  readonly ours: RespReply;
  readonly redis: RespReply;
  /** The replies to the command's companion (PTTL behind TTL), if it had one. */
  readonly companion?: { readonly ours: RespReply; readonly redis: RespReply };
  /**
   * For an EXEC: the commands its transaction queued, in order. Its reply
   * has one element per command and per companion (right after its
   * command), each judged as that command's reply would be (compare.ts).
   */
  readonly queued?: readonly QueuedCommand[];
  /** True for an element of an EXEC's reply, judged as its own command (compare.ts). */
  readonly insideExec?: boolean;
}

/** A command queued in MULTI, with the companion queued right behind it, if any. */
export interface QueuedCommand {
  readonly args: readonly Buffer[];
  readonly companion?: readonly Buffer[];
}

/** What the comparisons need to know about the chapter. */
export interface CompareContext {
  /** The chapter's commands, and `container|sub` for each subcommand. */
  readonly commands: ReadonlySet<string>;
  /** The CONFIG parameters the chapter knows. */
  readonly configParameters: ReadonlySet<string>;
}

/** What each element of an EXEC's reply answers: each queued command, then its companion. */
export function queuedElements(
  queued: readonly QueuedCommand[],
): (readonly Buffer[])[] {
  return queued.flatMap((command) =>
    command.companion === undefined
      ? [command.args]
      : [command.args, command.companion],
  );
}

/** The command's name in lower case, as Redis looks it up. */
export function commandName(args: readonly Buffer[]): string {
  return (args[0] ?? Buffer.alloc(0)).toString("latin1").toLowerCase();
}

/** The lower-case word after the name (a container's subcommand), or undefined. */
export function subcommandName(args: readonly Buffer[]): string | undefined {
  return args[1]?.toString("latin1").toLowerCase();
}

/** An integer reply's value, or undefined for any other reply. */
export function integerOf(reply: RespReply): number | undefined {
  return reply.type === ":" ? Number(textOf(reply)) : undefined;
}

/** The elements of an array reply; undefined for anything else, a null array, a set or a map included. */
export function itemsOf(reply: RespReply): readonly RespReply[] | undefined {
  return reply.type === "*" ? reply.items : undefined;
}

/**
 * The elements of an array, a set or a map (keys and values alternating),
 * for replies that are one of these depending on the protocol: RESP2 sends
 * a map as a flat array and a set as an array, RESP3 as `%` and `~`. A
 * rule that reads them still compares the two replies' types.
 */
export function elementsOf(reply: RespReply): readonly RespReply[] | undefined {
  return reply.type === "*" || reply.type === "~" || reply.type === "%"
    ? reply.items
    : undefined;
}

/** Two lists of replies with the same bytes, element by element. */
export function sameItems(
  a: readonly RespReply[],
  b: readonly RespReply[],
): boolean {
  return (
    a.length === b.length && a.every((item, i) => item.raw.equals(b[i]!.raw))
  );
}
