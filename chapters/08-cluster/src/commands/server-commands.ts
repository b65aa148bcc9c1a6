/**
 * The server commands that have no file of their own: TIME, the server's
 * clock, and BGREWRITEAOF, which compacts the append-only file. (COMMAND,
 * INFO, CONFIG and the whole-database commands do have one.)
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, bulk, error, simple } from "../protocol/reply.ts";
import { SERVER_DOCS } from "./docs/server-docs.ts";

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
export function wallClockMicros(): number {
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
  docs: SERVER_DOCS.time,
  run() {
    const micros = wallClockMicros();
    return array([
      bulk(String(Math.floor(micros / 1e6))),
      bulk(String(micros % 1e6)),
    ]);
  },
};

// #region bgrewriteaof
/**
 * BGREWRITEAOF: write a compact AOF in the background (aof-rewrite.ts).
 * Works with appendonly off too, as in Redis: the file is written, and
 * used once appendonly is turned on.
 */
export const bgrewriteaof: CommandSpec = {
  name: "bgrewriteaof",
  arity: 1,
  flags: ["admin", "noscript", "no_async_loading"],
  categories: ["@admin", "@slow", "@dangerous"],
  docs: SERVER_DOCS.bgrewriteaof,
  run(_args, { server }) {
    switch (server.aof.startRewrite()) {
      case "running":
        return error(
          "ERR Background append only file rewriting already in progress",
        );
      case "failed":
        return error(
          "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
        );
      case "started":
        return simple("Background append only file rewriting started");
    }
  },
};
// #endregion bgrewriteaof

export const SERVER_COMMANDS: readonly CommandSpec[] = [time, bgrewriteaof];
