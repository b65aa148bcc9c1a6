/**
 * OBJECT: what Redis shows of how it keeps a value. ENCODING names the
 * representation (a string may be `int`, `embstr` or `raw`; every list of
 * Redis 7.0 is a `quicklist`), REFCOUNT how many references the value
 * has, IDLETIME how long since the key was last used, FREQ how often it
 * is used (only under an LFU eviction policy).
 *
 * Our values are JavaScript strings and objects, not Redis's `robj`, so
 * the answers are Redis's rules applied to our values and to what the
 * keyspace keeps beside each (keyspace/object-header.ts). None of these
 * lookups counts as a use of the key.
 */
import type { CommandDocs, CommandSpec } from "../dispatch/command-spec.ts";
import type { RedisValue } from "../keyspace/keyspace.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  simple,
  type Reply,
} from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../dispatch/command-table.ts";
import type { Database } from "../keyspace/database.ts";
import { sharedInteger, StringOrigin } from "../keyspace/object-header.ts";
import { parseInt64 } from "../numbers/integers.ts";
import { OBJECT_DOCS } from "./docs/object-docs.ts";

// #region string-encoding
/**
 * How Redis keeps a byte string, which depends on its bytes and on how it
 * was made (`tryObjectEncoding` for a stored one). (A MutableString, a
 * long string edited in place, answers `raw` itself.)
 *
 * - `int`: the text of a 64-bit integer, in at most 20 bytes and in
 *   canonical form (no `+`, no leading zero, no `-0`), is kept as the
 *   number itself, in the pointer's place: no allocation at all;
 * - `embstr`: up to 44 bytes, the bytes share one allocation with the
 *   object header (44 is what fills a 64-byte allocator bin);
 * - `raw`: longer, or edited in place, a separate allocation.
 */
export function stringEncoding(
  value: string,
  origin: StringOrigin,
): "int" | "embstr" | "raw" {
  if (origin === StringOrigin.edited) return "raw";
  if (origin === StringOrigin.copiedInteger) return "int";
  if (origin === StringOrigin.stored && isIntegerText(value)) return "int";
  return value.length <= EMBSTR_LIMIT ? "embstr" : "raw";
}

/** The longest string Redis embeds in its object header (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_LIMIT = 44;

function isIntegerText(value: string): boolean {
  return value.length <= 20 && parseInt64(value) !== undefined;
}

/**
 * What OBJECT ENCODING answers: a byte string's, from its origin; any
 * other value's (a MutableString's `raw`, a list's `quicklist`, ...), from
 * its class.
 */
export function encodingOf(value: RedisValue, origin: StringOrigin): string {
  return typeof value === "string"
    ? stringEncoding(value, origin)
    : value.encoding;
}

/**
 * How COPY's duplicate of a string was made: Redis copies the encoding
 * (raw stays raw), but an integer copy is an integer of its own, never
 * the shared one.
 */
export function copiedOrigin(
  value: RedisValue,
  origin: StringOrigin,
): StringOrigin {
  return encodingOf(value, origin) === "int"
    ? StringOrigin.copiedInteger
    : origin;
}
// #endregion string-encoding

// #region refcount
/**
 * A shared integer (0 to 9999, see object-header.ts) is one object made
 * at start-up and never freed, and says so with the largest refcount
 * there is. Any other value belongs to its key alone: 1.
 */
export function refcountOf(value: RedisValue, origin: StringOrigin): number {
  return sharedInteger(value, origin) >= 0 ? SHARED_REFCOUNT : 1;
}

/** The refcount of a shared object (OBJ_SHARED_REFCOUNT, INT_MAX). */
const SHARED_REFCOUNT = 2 ** 31 - 1;
// #endregion refcount

const OBJECT_CATEGORIES = ["@keyspace", "@read", "@slow"] as const;
const KEY_IS_SECOND = { first: 2, last: 2, step: 1 } as const;

/**
 * A subcommand that looks at one key: nil for a missing key, else what
 * `answer` says of its value. The lookup is a read (counted in INFO's
 * keyspace hits and misses), as in Redis.
 */
function objectSubcommand(
  name: string,
  docs: CommandDocs,
  answer: (value: RedisValue, db: Database, key: string) => Reply,
): CommandSpec {
  return {
    name: `object|${name}`,
    arity: 3,
    flags: ["readonly"],
    keys: KEY_IS_SECOND,
    categories: OBJECT_CATEGORIES,
    tips: ["nondeterministic_output"],
    docs,
    run(args, { session }) {
      const key = byteString(args[2]!);
      const value = session.db.readWithoutTouch(key);
      return value === undefined ? NULL : answer(value, session.db, key);
    },
  };
}

const encoding = objectSubcommand(
  "encoding",
  OBJECT_DOCS["object|encoding"],
  (value, db, key) => bulk(encodingOf(value, db.origin(key))),
);

const refcount = objectSubcommand(
  "refcount",
  OBJECT_DOCS["object|refcount"],
  (value, db, key) => integer(refcountOf(value, db.origin(key))),
);

// #region idletime
/**
 * OBJECT IDLETIME key: seconds since the key was last used, to the second
 * as Redis counts (its clock of access times ticks once a second). The
 * clock is the value's: a shared integer's is the same for every key that
 * holds it (object-header.ts).
 */
const idletime = objectSubcommand(
  "idletime",
  OBJECT_DOCS["object|idletime"],
  (_value, db, key) => integer(db.idleSeconds(key)),
);
// #endregion idletime

/**
 * OBJECT FREQ key: how often the key is used, a logarithmic counter that
 * Redis keeps only under an LFU `maxmemory-policy`. We have no eviction
 * policy at all, so this is Redis's error for any other policy, always.
 * (A key that does not exist is nil first, as in Redis.)
 */
const freq = objectSubcommand("freq", OBJECT_DOCS["object|freq"], () =>
  error(
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  ),
);

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

const help: CommandSpec = {
  name: "object|help",
  arity: 2,
  flags: ["loading", "stale"],
  categories: ["@keyspace", "@slow"],
  docs: OBJECT_DOCS["object|help"],
  run: () => array(OBJECT_HELP.map(simple)),
};

/** OBJECT, the container. Alone, or with an unknown subcommand, the table answers. */
export const object: CommandSpec = {
  name: "object",
  arity: -2,
  flags: [],
  categories: ["@slow"],
  docs: OBJECT_DOCS.object,
  subcommands: [encoding, freq, idletime, refcount, help],
  run: () => wrongNumberOfArguments("object"),
};

export const OBJECT_COMMANDS: readonly CommandSpec[] = [object];
