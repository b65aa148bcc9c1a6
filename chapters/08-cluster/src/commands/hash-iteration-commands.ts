/**
 * The hash commands that read a whole hash: HKEYS, HVALS and HGETALL at
 * once, HSCAN a few fields at a time. They answer in the hash's order (see
 * RedisHash.entries): the order the fields came in while the hash is
 * compact, the hash table's own once it is not.
 *
 * HSCAN's compact hash answers whole in one call, with cursor 0, whatever
 * the cursor and COUNT say (Redis does the same: a listpack is small, and
 * a position in it would not survive the next write); a hash table is
 * walked bucket by bucket with the keyspace's own cursor
 * (keyspace/dict.ts), so a walk from 0 back to 0 returns every field that
 * was there all along at least once. Its arguments are read as SSCAN's
 * are (element-scan.ts).
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { array, bulk, map, type Reply } from "../protocol/reply.ts";
import { byteString } from "../dispatch/arguments.ts";
import type { RedisHash } from "../types/hash.ts";
import { scanValue } from "./element-scan.ts";
import { isWrongType, readHash } from "./typed-lookup.ts";
import { HASH_DOCS } from "./docs/hash-docs.ts";

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

const EMPTY_ARRAY = array([]);

// #region hgetall
/**
 * HKEYS, HVALS and HGETALL key: the fields, the values, or both, in the
 * hash's order (see RedisHash.entries). HGETALL answers a map: in RESP2,
 * a flat array of field, value, field, value...; in RESP3, `%`. A
 * missing key is an empty array (an empty map for HGETALL).
 */
function wholeHashCommand(
  name: "hkeys" | "hvals" | "hgetall",
  answer: (hash: RedisHash) => Reply,
  empty: Reply,
): CommandSpec {
  return {
    name,
    arity: 2,
    flags: ["readonly"],
    keys: ONE_KEY,
    categories: ["@read", "@hash", "@slow"],
    tips: ["nondeterministic_output_order"],
    docs: HASH_DOCS[name],
    run(args, { session }) {
      const hash = readHash(session.db, byteString(args[1]!));
      if (isWrongType(hash)) return hash;
      return hash === undefined ? empty : answer(hash);
    },
  };
}

export const hkeys = wholeHashCommand(
  "hkeys",
  (hash) => array(Array.from(hash.entries(), ([field]) => bulk(field))),
  EMPTY_ARRAY,
);

export const hvals = wholeHashCommand(
  "hvals",
  (hash) => array(Array.from(hash.entries(), ([, value]) => bulk(value))),
  EMPTY_ARRAY,
);

export const hgetall = wholeHashCommand(
  "hgetall",
  (hash) =>
    map(
      Array.from(hash.entries(), ([field, value]) => [
        bulk(field),
        bulk(value),
      ]),
    ),
  map([]),
);
// #endregion hgetall

// #region hscan
/** HSCAN key cursor [MATCH pattern] [COUNT count]: SCAN over one hash. */
export const hscan: CommandSpec = {
  name: "hscan",
  arity: -3,
  flags: ["readonly"],
  keys: ONE_KEY,
  categories: ["@read", "@hash", "@slow"],
  tips: ["nondeterministic_output"],
  docs: HASH_DOCS.hscan,
  run: (args, { session }) =>
    scanValue(
      args,
      (key) => readHash(session.db, key),
      (hash, cursor, found) =>
        hash.scan(cursor, (field, value) => found.push(field, value)),
      2,
    ),
};
// #endregion hscan

export const HASH_ITERATION_COMMANDS: readonly CommandSpec[] = [
  hkeys,
  hvals,
  hgetall,
  hscan,
];
