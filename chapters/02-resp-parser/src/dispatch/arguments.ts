/**
 * Reading a client's arguments. They are raw bytes of any length, up to
 * 512 MB, so nothing here turns a whole argument into a string just to look
 * at a few bytes of it: a 512 MB argument does not even fit in one
 * JavaScript string.
 */

/** Longer than any command or option name, so anything longer is not one. */
const MAX_NAME_BYTES = 64;

/**
 * A command, subcommand or option name in lower case, for lookups, or
 * undefined if it is too long to be a name at all.
 */
export function nameOf(arg: Buffer): string | undefined {
  if (arg.length > MAX_NAME_BYTES) return undefined;
  return arg.toString("latin1").toLowerCase();
}

/**
 * True if `arg` is `keyword` (given in lower case), in any letter case:
 * `NX`, `nx`, `Nx`. Redis compares keywords as C strings, which end at a
 * NUL byte, so `NX\0whatever` is NX too.
 */
export function isKeyword(arg: Buffer, keyword: string): boolean {
  const endsThere = arg.length === keyword.length || arg[keyword.length] === 0;
  return endsThere && nameOf(arg.subarray(0, keyword.length)) === keyword;
}

/**
 * A client's argument as Redis quotes it in an error message: cut at the
 * first NUL byte, where a C string ends, and at `maxBytes`. One character
 * per byte (latin1), so the reply carries the client's bytes unchanged.
 */
export function quoteArgument(arg: Buffer, maxBytes = 128): string {
  const head = arg.subarray(0, maxBytes);
  const nul = head.indexOf(0);
  return (nul === -1 ? head : head.subarray(0, nul)).toString("latin1");
}
