/**
 * How many clients the process's file limit leaves room for.
 *
 * Every client is a socket, and every socket a file descriptor; the
 * operating system caps how many one process may hold open (`ulimit -n`).
 * At the cap, accepting a client fails, and so does opening anything else:
 * a log, a data file. Better to know the figure at start-up and turn the
 * extra clients away with a message (see tcp-server.ts) than to run out.
 * Redis does the same sums, and says the same things when it must lower
 * `maxclients`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Descriptors kept back for everything that is not a client: the listening
 * socket, standard output, files, Node's own. Redis keeps 32
 * (CONFIG_MIN_RESERVED_FDS), and so do we.
 */
export const RESERVED_FILE_DESCRIPTORS = 32;

/** Not even one client fits: the server must not start. */
export class FileLimitError extends Error {
  override readonly name = "FileLimitError";
}

/** `maxclients` as the file limit allows it, and what to log if it was lowered. */
export interface FittedClients {
  maxclients: number;
  /** Redis's three warning lines when it lowered `maxclients`; none when it fits. */
  warnings: string[];
}

// #region fit
/**
 * Lowers `maxclients` to what `fileLimit` leaves room for after the
 * reserve, with the lines Redis logs when it does. Unlimited or unknown
 * (undefined) lowers nothing.
 * @throws FileLimitError, with Redis's message, if not one client fits.
 */
export function fitMaxclients(
  maxclients: number,
  fileLimit: number | undefined,
): FittedClients {
  const needed = filesNeeded(maxclients);
  if (fileLimit === undefined || fileLimit >= needed) {
    return { maxclients, warnings: [] };
  }
  if (fileLimit <= RESERVED_FILE_DESCRIPTORS) {
    throw new FileLimitError(
      `Your current 'ulimit -n' of ${fileLimit} is not enough for the server to start. Please increase your open file limit to at least ${needed}. Exiting.`,
    );
  }
  const fitted = fileLimit - RESERVED_FILE_DESCRIPTORS;
  return {
    maxclients: fitted,
    warnings: [
      `You requested maxclients of ${maxclients} requiring at least ${needed} max file descriptors.`,
      // Redis tries to raise its limit at this point, and the kernel refuses
      // anything past the hard limit with EPERM. Node has already raised
      // its soft limit to the hard one (below), so this is where we are too.
      `Server can't set maximum open files to ${needed} because of OS error: Operation not permitted.`,
      `Current maximum open files is ${fileLimit}. maxclients has been reduced to ${fitted} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
    ],
  };
}

/**
 * `maxclients` plus the reserve, added as Redis adds them: in 32-bit
 * unsigned arithmetic. At the very top of the range (4294967264 and up)
 * the sum wraps around to a few, which any limit allows, so Redis accepts
 * `maxclients 4294967295` anywhere.
 */
function filesNeeded(maxclients: number): number {
  return (maxclients + RESERVED_FILE_DESCRIPTORS) % 2 ** 32;
}
// #endregion fit

let limitRead = false;
let limit: number | undefined;

/**
 * The most files this process may hold open (the soft RLIMIT_NOFILE), or
 * undefined if that is unlimited or cannot be read.
 *
 * Redis asks getrlimit() and, when the limit is too low for `maxclients`,
 * raises it with setrlimit() as far as the hard limit lets it. Node has
 * neither call, but it raises its soft limit to the hard one by itself as
 * it starts, so reading the limit gives the same ceiling. Linux shows it in
 * /proc/self/limits; elsewhere a shell started from here inherits it and
 * `ulimit -n` says it. Read once: nothing changes it afterwards.
 */
export function openFilesLimit(): number | undefined {
  if (!limitRead) {
    limit = readOpenFilesLimit();
    limitRead = true;
  }
  return limit;
}

function readOpenFilesLimit(): number | undefined {
  try {
    // "Max open files            20000                20000                files"
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((text) => text.startsWith("Max open files"));
    if (line !== undefined) return wholeNumber(line.split(/\s+/)[3]);
  } catch {
    // Not Linux: ask a shell.
  }
  try {
    const text = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" });
    return wholeNumber(text.trim());
  } catch {
    return undefined;
  }
}

/** "1024" is 1024; "unlimited" (or anything else) is undefined. */
function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
