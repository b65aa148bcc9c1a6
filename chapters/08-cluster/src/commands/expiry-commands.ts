/**
 * The commands that give keys a time to live, read it and take it away:
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT; TTL, PTTL, EXPIRETIME, PEXPIRETIME;
 * PERSIST. (Redis's documentation files them under "generic", with the
 * other key commands; they have a file of their own here because they are
 * this chapter's lesson.) SET's expiry options, SETEX, PSETEX and GETEX
 * are string commands, in string-commands.ts; how they read their options
 * and turn them into deadlines is here, next to EXPIRE's own rules.
 *
 * Every deadline is computed in 64-bit integer arithmetic (bigints), with
 * Redis's overflow checks, and stored as wall-clock milliseconds: see
 * `Deadline` in keyspace.ts.
 */
import {
  logAs,
  type CommandContext,
  type CommandDocs,
  type CommandSpec,
} from "../dispatch/command-spec.ts";
import {
  deadlineOf,
  millisecondsLeft,
  type Deadline,
} from "../keyspace/keyspace.ts";
import { error, integer, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  cStringOf,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
} from "../dispatch/arguments.ts";
import { INT64_MAX, INT64_MIN } from "../numbers/integers.ts";
import { EXPIRY_DOCS } from "./docs/expiry-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

/** Redis's reply to a deadline that is not positive or does not fit in 64 bits. */
export function invalidExpireTime(command: string): Reply {
  return error(`ERR invalid expire time in '${command}' command`);
}

/** A time unit, as the number of milliseconds in it. */
export type Unit = 1000n | 1n;
export const SECONDS: Unit = 1000n;
export const MILLISECONDS: Unit = 1n;

// #region option-deadline
/**
 * The deadline an expiry option of SET or GETEX names (EX, PX, EXAT, PXAT),
 * or SETEX's and PSETEX's time, or the error Redis answers instead. Unlike
 * EXPIRE's, these times must be positive (`SET k v EX 0` is an error), and
 * the deadline must fit in 64 bits. `relative` is true for EX and PX, which
 * count from now; EXAT and PXAT name a moment on the wall clock.
 */
export function optionDeadline(
  arg: Buffer,
  unit: Unit,
  relative: boolean,
  now: number,
  command: string,
): Deadline | Reply {
  const value = int64Argument(arg);
  if (value === undefined) return NOT_AN_INTEGER;
  if (value <= 0n || (unit === SECONDS && value > INT64_MAX / 1000n)) {
    return invalidExpireTime(command);
  }
  const deadline = value * unit + (relative ? BigInt(now) : 0n);
  if (deadline > INT64_MAX) return invalidExpireTime(command);
  return deadlineOf(deadline);
}
// #endregion option-deadline

// #region expiry-options
/** The expiry options SET and GETEX take, with the unit and base of each. */
export const EXPIRY_OPTIONS = {
  ex: { unit: SECONDS, relative: true },
  px: { unit: MILLISECONDS, relative: true },
  exat: { unit: SECONDS, relative: false },
  pxat: { unit: MILLISECONDS, relative: false },
} as const;
export type ExpiryOption = keyof typeof EXPIRY_OPTIONS;

/** Which of EX, PX, EXAT, PXAT `arg` is, if any. */
export function expiryOptionOf(arg: Buffer): ExpiryOption | undefined {
  for (const option of ["ex", "px", "exat", "pxat"] as const) {
    if (isKeyword(arg, option)) return option;
  }
  return undefined;
}

/**
 * One expiry option per command, though the same one may come twice (the
 * last time wins): `SET k v EX 10 EX 20` is fine, `EX 10 PX 20` is not.
 */
export function compatible(
  earlier: { option: ExpiryOption } | undefined,
  option: ExpiryOption,
): boolean {
  return earlier === undefined || earlier.option === option;
}
// #endregion expiry-options

// #region expire
/** The NX, XX, GT and LT options of EXPIRE and its siblings. */
interface Conditions {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

/** Reads the options after the time, with Redis's checks and error texts. */
function parseConditions(args: Buffer[]): Conditions | Reply {
  const conditions = { nx: false, xx: false, gt: false, lt: false };
  for (const option of args.slice(3)) {
    if (isKeyword(option, "nx")) conditions.nx = true;
    else if (isKeyword(option, "xx")) conditions.xx = true;
    else if (isKeyword(option, "gt")) conditions.gt = true;
    else if (isKeyword(option, "lt")) conditions.lt = true;
    else {
      return error(`ERR Unsupported option ${byteString(cStringOf(option))}`);
    }
  }
  const { nx, xx, gt, lt } = conditions;
  if (nx && (xx || gt || lt)) {
    return error(
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    );
  }
  if (gt && lt) {
    return error("ERR GT and LT options at the same time are not compatible");
  }
  return conditions;
}

/**
 * What EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT share. Answers 1 if the
 * deadline was set (or the key deleted, the deadline being past), 0 if the
 * key does not exist or a condition said no.
 *
 * Unlike SET's options, the time may be zero or negative: the key is then
 * deleted at once. That is how a client deletes a key "when its time is
 * up", even if it computed the time a little late.
 */
function expireCommand(
  args: Buffer[],
  context: CommandContext,
  unit: Unit,
  relative: boolean,
): Reply {
  const { session, server } = context;
  const command = byteString(args[0]!).toLowerCase();
  const conditions = parseConditions(args);
  if ("type" in conditions) return conditions;
  const when = int64Argument(args[2]!);
  if (when === undefined) return NOT_AN_INTEGER;

  // 64-bit arithmetic, with the overflow checks Redis makes: in seconds,
  // the time must survive the multiplication by 1000; then adding now.
  if (
    unit === SECONDS &&
    (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n)
  ) {
    return invalidExpireTime(command);
  }
  const base = relative ? BigInt(server.keyspace.time) : 0n;
  if (when * unit > INT64_MAX - base) return invalidExpireTime(command);
  const deadline = when * unit + base;

  const key = byteString(args[1]!);
  if (!session.db.has(key)) return integer(0);

  // A key without a deadline lives for ever: GT never beats that, and LT
  // always does.
  const current = session.db.deadline(key);
  const { nx, xx, gt, lt } = conditions;
  if (nx && current !== undefined) return integer(0);
  if (xx && current === undefined) return integer(0);
  if (gt && (current === undefined || deadline <= current)) return integer(0);
  if (lt && current !== undefined && deadline >= current) return integer(0);

  // #region expire-logged
  // Already past: delete now rather than store a deadline nobody will ever
  // see before it is due. (Not counted as expired: it was deleted.) Not
  // while the AOF is replayed: see `Keyspace.loading`. Either way, the AOF
  // records the outcome, a deletion or an absolute deadline, never the
  // relative time, which would start again at replay.
  if (deadline <= BigInt(server.keyspace.time) && !server.keyspace.loading) {
    session.db.delete(key);
    logAs(context, "DEL", key);
  } else {
    session.db.setDeadline(key, deadlineOf(deadline));
    logAs(context, "PEXPIREAT", key, String(deadline));
  }
  // #endregion expire-logged
  return integer(1);
}
// #endregion expire

function expireSpec(name: string, docs: CommandDocs): Omit<CommandSpec, "run"> {
  return {
    name,
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    categories: ["@keyspace", "@write", "@fast"],
    docs,
  };
}

export const expire: CommandSpec = {
  ...expireSpec("expire", EXPIRY_DOCS.expire),
  run: (args, context) => expireCommand(args, context, SECONDS, true),
};

export const pexpire: CommandSpec = {
  ...expireSpec("pexpire", EXPIRY_DOCS.pexpire),
  run: (args, context) => expireCommand(args, context, MILLISECONDS, true),
};

export const expireat: CommandSpec = {
  ...expireSpec("expireat", EXPIRY_DOCS.expireat),
  run: (args, context) => expireCommand(args, context, SECONDS, false),
};

export const pexpireat: CommandSpec = {
  ...expireSpec("pexpireat", EXPIRY_DOCS.pexpireat),
  run: (args, context) => expireCommand(args, context, MILLISECONDS, false),
};

// #region ttl
/**
 * What TTL, PTTL, EXPIRETIME and PEXPIRETIME share: -2 if the key does not
 * exist, -1 if it has no deadline, else the time left (TTL, PTTL) or the
 * deadline itself (EXPIRETIME, PEXPIRETIME). In seconds, Redis rounds to
 * the nearest second: a key with 1.6 s left has a TTL of 2.
 */
function ttlCommand(
  args: Buffer[],
  { session, server }: CommandContext,
  unit: Unit,
  absolute: boolean,
): Reply {
  const key = byteString(args[1]!);
  // Not a use of the key: OBJECT IDLETIME goes on counting.
  if (session.db.readWithoutTouch(key) === undefined) return integer(-2);
  const deadline = session.db.deadline(key);
  if (deadline === undefined) return integer(-1);
  const ms = absolute
    ? deadline
    : millisecondsLeft(deadline, server.keyspace.time);
  if (unit === MILLISECONDS) return integer(ms);
  return integer(deadlineOf((BigInt(ms) + 500n) / 1000n));
}
// #endregion ttl

function ttlSpec(
  name: string,
  docs: CommandDocs,
  tips?: CommandSpec["tips"],
): Omit<CommandSpec, "run"> {
  return {
    name,
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    categories: ["@keyspace", "@read", "@fast"],
    tips,
    docs,
  };
}

/**
 * TTL's and PTTL's tip: the answer changes as time passes (a client or
 * proxy must not cache it); the deadline that EXPIRETIME answers does not.
 */
const TTL_TIPS = ["nondeterministic_output"] as const;

export const ttl: CommandSpec = {
  ...ttlSpec("ttl", EXPIRY_DOCS.ttl, TTL_TIPS),
  run: (args, context) => ttlCommand(args, context, SECONDS, false),
};

export const pttl: CommandSpec = {
  ...ttlSpec("pttl", EXPIRY_DOCS.pttl, TTL_TIPS),
  run: (args, context) => ttlCommand(args, context, MILLISECONDS, false),
};

export const expiretime: CommandSpec = {
  ...ttlSpec("expiretime", EXPIRY_DOCS.expiretime),
  run: (args, context) => ttlCommand(args, context, SECONDS, true),
};

export const pexpiretime: CommandSpec = {
  ...ttlSpec("pexpiretime", EXPIRY_DOCS.pexpiretime),
  run: (args, context) => ttlCommand(args, context, MILLISECONDS, true),
};

/** PERSIST key: 1 if the key had a deadline and now has none, else 0. */
export const persist: CommandSpec = {
  name: "persist",
  arity: 2,
  flags: ["write", "fast"],
  keys: ONE_KEY,
  categories: ["@keyspace", "@write", "@fast"],
  docs: EXPIRY_DOCS.persist,
  run(args, { session }) {
    const key = byteString(args[1]!);
    if (!session.db.has(key)) return integer(0);
    return integer(session.db.persist(key) ? 1 : 0);
  },
};

export const EXPIRY_COMMANDS: readonly CommandSpec[] = [
  expire,
  pexpire,
  expireat,
  pexpireat,
  ttl,
  pttl,
  expiretime,
  pexpiretime,
  persist,
];
