/**
 * Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with their NX, XX,
 * GT and LT conditions, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
 *
 * Deadlines come from values.ts (past, a few milliseconds, or days away;
 * see `Deadline` there for why nothing in between). TTL and EXPIRETIME,
 * which round milliseconds to seconds, carry PTTL and PEXPIRETIME as
 * companions: the servers read their clocks a few milliseconds apart, and
 * near a half second that is one second of difference, which the
 * companion's milliseconds explain (normalise.ts).
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { lapsing, word } from "./index.ts";
import {
  anyWord,
  key,
  milliseconds,
  seconds,
  unixMilliseconds,
  unixSeconds,
  type Deadline,
} from "./values.ts";

/** `name key deadline [NX|XX|GT|LT ...]`, conditions sometimes combined or unknown. */
function expire(
  name: string,
  deadline: (random: FuzzRandom) => Deadline,
): (random: FuzzRandom) => FuzzCommand {
  return (random) => {
    const target = key(random);
    const when = deadline(random);
    const args = [word(name), target, word(when.text)];
    const conditions = random.weighted([
      [0, 6],
      [1, 4],
      [2, 1],
    ]);
    for (let i = 0; i < conditions; i++) {
      args.push(
        random.chance(0.9)
          ? word(random.anyCase(random.pick(["nx", "xx", "gt", "lt"])))
          : anyWord(random),
      );
    }
    const command = lapsing(args, target, when.lapse);
    // GT and LT compare the new deadline with the old one to the
    // millisecond, which each server reads from its own clock: PTTL
    // after it lets normalise.ts tell a clock tick from a wrong answer.
    const compares = args
      .slice(3)
      .some((arg) =>
        ["gt", "lt"].includes(arg.toString("latin1").toLowerCase()),
      );
    return compares
      ? { ...command, companion: [word("PTTL"), target] }
      : command;
  };
}

/** A reading of a key's deadline, with its finer-grained twin as companion if it rounds. */
function reading(
  name: string,
  companion?: string,
): CommandGenerator["generate"] {
  return (random) => {
    const target = key(random);
    const args = [word(name), target];
    return companion === undefined
      ? { args }
      : { args, companion: [word(companion), target] };
  };
}

export const EXPIRY_GENERATORS: readonly CommandGenerator[] = [
  { command: "expire", weight: 8, generate: expire("EXPIRE", seconds) },
  {
    command: "pexpire",
    weight: 8,
    generate: expire("PEXPIRE", milliseconds),
  },
  {
    command: "expireat",
    weight: 5,
    generate: expire("EXPIREAT", unixSeconds),
  },
  {
    command: "pexpireat",
    weight: 5,
    generate: expire("PEXPIREAT", unixMilliseconds),
  },
  { command: "ttl", weight: 8, generate: reading("TTL", "PTTL") },
  { command: "pttl", weight: 5, generate: reading("PTTL") },
  {
    command: "expiretime",
    weight: 4,
    generate: reading("EXPIRETIME", "PEXPIRETIME"),
  },
  { command: "pexpiretime", weight: 4, generate: reading("PEXPIRETIME") },
  { command: "persist", weight: 5, generate: reading("PERSIST") },
];
