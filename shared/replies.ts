/**
 * Error replies that say which command they answer.
 *
 * ioredis rejects a command the server refused with a `ReplyError` that
 * holds the server's text alone (`ERR syntax error`) and a stack that ends
 * in ioredis's decoder. When a learner's server does not know an option
 * yet, a hundred tests fail with that one line, and vitest folds them into
 * a single report that points at no test at all.
 *
 * `namingCommands(client)` is the same client, except that a command the
 * server answers with an error rejects with a `CommandError`: its message
 * says what was sent and what came back, `SET 5f3a:k v EX 1000 → ERR syntax
 * error`, and its stack starts at the line of the test that sent it. Every
 * assertion on the client reads as before: `rejects.toThrow("ERR ...")`
 * still finds the server's text in the message, and `errorOf` (the chapters'
 * client-helpers.ts) returns `reply`, the server's text exactly.
 */

/** What a command the server refused looked like, and what it answered. */
export class CommandError extends Error {
  override readonly name = "CommandError";

  constructor(
    /** The command as sent: its name (upper case) and its arguments. */
    readonly sent: readonly string[],
    /** The server's error reply, exactly (`ERR syntax error`). */
    readonly reply: string,
  ) {
    super(`${describeCommand(sent)} → ${reply}`);
  }
}

/** The server's error text: `reply` of a CommandError, the message of any other error. */
export function errorText(error: unknown): string {
  if (error instanceof CommandError) return error.reply;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The same ioredis client (or anything with promise-returning methods),
 * whose error replies are `CommandError`s naming the command, with the
 * caller's stack. Other failures (a closed connection, a timeout) pass
 * through untouched.
 */
export function namingCommands<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function" || typeof property !== "string") {
        return value;
      }
      return function sendNaming(...args: unknown[]): unknown {
        // Taken now, while the test's own frame is on the stack: by the
        // time the reply arrives, only ioredis's decoder is.
        const callSite: { stack?: string } = {};
        Error.captureStackTrace(callSite, sendNaming);
        const result: unknown = Reflect.apply(value, target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (!isReplyError(error)) throw error;
          const named = new CommandError(
            sentCommand(error, property, args),
            error.message,
          );
          named.stack = `${named.name}: ${named.message}${stackFrames(callSite.stack)}`;
          throw named;
        });
      };
    },
  });
}

/** An error reply from the server, as ioredis reports it (with the command, when it knows it). */
interface ReplyErrorLike extends Error {
  command?: { name?: unknown; args?: unknown };
}

function isReplyError(error: unknown): error is ReplyErrorLike {
  return error instanceof Error && error.name === "ReplyError";
}

/**
 * The command as ioredis sent it (`command` on its ReplyError, with
 * arguments flattened as they went on the wire), or else as the test
 * called it: `set("k", "v")` is SET k v, `call("SET", "k")` too.
 */
function sentCommand(
  error: ReplyErrorLike,
  method: string,
  args: readonly unknown[],
): string[] {
  const { name, args: sentArgs } = error.command ?? {};
  if (typeof name === "string" && Array.isArray(sentArgs)) {
    return [name.toUpperCase(), ...sentArgs.map(argumentText)];
  }
  const words =
    method === "call" || method === "callBuffer"
      ? args
      : [method.replace(/Buffer$/, ""), ...args];
  const [first = "", ...rest] = words.map(argumentText);
  return [first.toUpperCase(), ...rest];
}

function argumentText(arg: unknown): string {
  return Buffer.isBuffer(arg) ? arg.toString("latin1") : String(arg);
}

/** The longest argument shown in full; longer ones are cut, with their length. */
const SHOWN_ARGUMENT_LENGTH = 40;
/** The most arguments shown; the count of the others follows. */
const SHOWN_ARGUMENTS = 12;

/**
 * `SET k "two words" ""`: words as they are where they read unambiguously,
 * JSON-quoted where they hold spaces, quotes or control bytes, or are empty.
 */
export function describeCommand(words: readonly string[]): string {
  const shown = words.slice(0, SHOWN_ARGUMENTS + 1).map((word) => {
    const head = word.slice(0, SHOWN_ARGUMENT_LENGTH);
    const quoted =
      /^[\x21-\x7e]+$/.test(head) && !head.includes('"')
        ? head
        : JSON.stringify(head);
    // A string argument counts characters, a Buffer's (read as latin1) bytes.
    return word.length > SHOWN_ARGUMENT_LENGTH
      ? `${quoted}…(${word.length} characters)`
      : quoted;
  });
  const hidden = words.length - shown.length;
  return hidden > 0
    ? `${shown.join(" ")} …(${hidden} more arguments)`
    : shown.join(" ");
}

/** The frames of a captured stack, without its first line (the message). */
function stackFrames(stack: string | undefined): string {
  if (stack === undefined) return "";
  const firstFrame = stack.indexOf("\n");
  return firstFrame < 0 ? "" : stack.slice(firstFrame);
}
