/**
 * SORT and SORT_RO: the elements of a list, a set or a sorted set,
 * sorted as numbers (the default) or as bytes (ALPHA), by themselves or
 * by what a BY pattern finds for each; a LIMIT window of them; and for
 * each, the element or what GET patterns find (sort-patterns.ts). With
 * STORE, SORT puts the answer in a list instead of sending it. SORT_RO
 * is SORT without STORE: a command that only reads, which a read-only
 * replica accepts. Here are the options and what is done with the
 * answer; sort-order.ts chooses the elements and sorts them.
 *
 * A BY pattern without `*` (`BY nosort`) weighs every element the same,
 * so nothing is sorted: a list comes in its own order, a sorted set in
 * score order, and DESC and LIMIT walk that order. A set's own order is
 * its table's, different from one server to the next: with STORE, Redis
 * sorts it by bytes anyway, so the stored list is the same on a replica
 * (and so it does inside a Lua script, which this chapter does not have).
 *
 * Cluster mode (chapter 08): Redis 7.0 refuses, in its turn among the
 * options, a BY pattern with a `*` ("ERR BY option of SORT denied in
 * Cluster mode.") and any GET, `GET #` included ("ERR GET option of
 * SORT denied in Cluster mode."): the keys they name may be on other
 * nodes. `BY nosort` is fine there.
 */
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  type Reply,
} from "../protocol/reply.ts";
import { Quicklist } from "../types/quicklist.ts";
import { RedisSet } from "../types/set.ts";
import { RedisSortedSet } from "../types/sorted-set.ts";
import { isWrongType, WRONG_TYPE, type WrongType } from "./typed-lookup.ts";
import {
  hasWildcard,
  lookUp,
  readPattern,
  type SortPattern,
} from "./sort-patterns.ts";
import {
  limitWindow,
  sortedWindow,
  unsortedWindow,
  type Order,
  type Sortable,
} from "./sort-order.ts";
import { SORT_DOCS } from "./docs/sort-docs.ts";

// #region sort-options
/** What SORT's options ask for. Each may come more than once: the last one counts. */
interface SortOptions {
  descending: boolean;
  /** ALPHA: compare bytes, not numbers. Once given, it stays. */
  alpha: boolean;
  /** LIMIT's offset (a negative one is 0) and count (a negative one: to the end). */
  offset: bigint;
  count: bigint;
  /** The last BY pattern; undefined: each element is its own weight. */
  by: SortPattern | undefined;
  /**
   * True once a BY pattern without `*` was given, whatever BY follows:
   * Redis sets its flag and never clears it.
   */
  unsorted: boolean;
  /** The GET patterns, in order; none: the answer is the elements. */
  gets: SortPattern[];
  /** STORE's destination key, SORT's only. */
  store: string | undefined;
}

/**
 * SORT's options, read from the third word on as Redis reads them: one
 * at a time, each keyword in any case, stopping at the first that is
 * wrong. A keyword short of its values (`LIMIT 1` at the end) is a
 * syntax error, and so is STORE for SORT_RO (`canStore` false). In
 * cluster mode, a BY pattern with `*` and any GET are refused in their
 * turn (see the top of this file).
 */
function readOptions(
  args: Buffer[],
  canStore: boolean,
  inCluster: boolean,
): SortOptions | Reply {
  const options: SortOptions = {
    descending: false,
    alpha: false,
    offset: 0n,
    count: -1n,
    by: undefined,
    unsorted: false,
    gets: [],
    store: undefined,
  };
  for (let i = 2; i < args.length; i++) {
    const word = args[i]!;
    const left = args.length - 1 - i;
    if (isKeyword(word, "asc")) options.descending = false;
    else if (isKeyword(word, "desc")) options.descending = true;
    else if (isKeyword(word, "alpha")) options.alpha = true;
    else if (isKeyword(word, "limit") && left >= 2) {
      const offset = int64Argument(args[i + 1]!);
      if (offset === undefined) return NOT_AN_INTEGER;
      const count = int64Argument(args[i + 2]!);
      if (count === undefined) return NOT_AN_INTEGER;
      options.offset = offset;
      options.count = count;
      i += 2;
    } else if (canStore && isKeyword(word, "store") && left >= 1) {
      i += 1;
      options.store = byteString(args[i]!);
    } else if (isKeyword(word, "by") && left >= 1) {
      i += 1;
      const pattern = byteString(args[i]!);
      if (!hasWildcard(pattern)) options.unsorted = true;
      else if (inCluster) return BY_DENIED;
      options.by = readPattern(pattern);
    } else if (isKeyword(word, "get") && left >= 1) {
      if (inCluster) return GET_DENIED;
      i += 1;
      options.gets.push(readPattern(byteString(args[i]!)));
    } else {
      return SYNTAX_ERROR;
    }
  }
  return options;
}

/** The keys BY and GET patterns name may live on other nodes. */
const BY_DENIED = error("ERR BY option of SORT denied in Cluster mode.");
const GET_DENIED = error("ERR GET option of SORT denied in Cluster mode.");
// #endregion sort-options

// #region sortable
/** The list, set or sorted set at `key`, undefined if missing, or WRONGTYPE. */
function readSortable(
  db: Database,
  key: string,
): Sortable | undefined | WrongType {
  const value = db.read(key);
  if (
    value === undefined ||
    value instanceof Quicklist ||
    value instanceof RedisSet ||
    value instanceof RedisSortedSet
  ) {
    return value;
  }
  return WRONG_TYPE;
}

/** How many elements there are to sort: none for a missing key. */
function sizeOf(value: Sortable | undefined): number {
  if (value === undefined) return 0;
  return value instanceof Quicklist ? value.length : value.size;
}

// #endregion sortable

// #region answer
/**
 * What SORT answers for `elements`: the elements themselves, or for
 * each, what each GET pattern finds (undefined: nil), in order.
 */
function answers(
  db: Database,
  elements: readonly string[],
  gets: readonly SortPattern[],
): (string | undefined)[] {
  if (gets.length === 0) return [...elements];
  return elements.flatMap((element) =>
    gets.map((pattern) => lookUp(db, pattern, element)),
  );
}

/**
 * STORE: the answer replaces the destination as a new list, whatever
 * the key held, time to live included (a nil becomes an empty string);
 * an empty answer deletes the destination instead. A new list wakes a
 * client that BLPOP waits on the key. Answers the list's length.
 */
function store(
  context: CommandContext,
  destination: string,
  items: readonly (string | undefined)[],
): Reply {
  const { db } = context.session;
  const list = new Quicklist(context.server.config.listMaxListpackSize);
  for (const item of items) list.pushTail(item ?? "");
  if (list.length === 0) db.delete(destination);
  else db.set(destination, list);
  return integer(list.length);
}
// #endregion answer

// #region sort
/**
 * SORT (with STORE) or SORT_RO (without): the options are read first,
 * then the key, then the elements are chosen, and what each answers is
 * looked up last, for the window only.
 */
function sortCommand(name: "sort" | "sort_ro"): CommandSpec {
  const canStore = name === "sort";
  return {
    name,
    arity: -2,
    flags: canStore
      ? ["write", "denyoom", "movablekeys"]
      : ["readonly", "movablekeys"],
    keys: { first: 1, last: 1, step: 1 },
    // SORT_RO's one key is the first word: `keys` says so.
    movableKeys: canStore ? sortKeys : undefined,
    categories: [
      canStore ? "@write" : "@read",
      "@set",
      "@sortedset",
      "@list",
      "@slow",
      "@dangerous",
    ],
    docs: SORT_DOCS[name],
    run(args, context) {
      const inCluster = context.server.cluster !== undefined;
      const options = readOptions(args, canStore, inCluster);
      if ("type" in options) return options; // an error reply
      const { db } = context.session;
      const key = byteString(args[1]!);
      const value = readSortable(db, key);
      if (isWrongType(value)) return value;
      // Redis's SORT turns a small sorted set (a listpack) into a
      // skiplist where it lies, before reading it, SORT_RO too: OBJECT
      // ENCODING tells afterwards. The members and the time to live stay
      // as they were, so nothing is counted or logged for it.
      if (value instanceof RedisSortedSet) value.convertToSkiplist();
      const storing = options.store !== undefined;
      const window = limitWindow(sizeOf(value), options.offset, options.count);
      // A set's own order is its table's: a stored answer is sorted by
      // bytes instead, so it is the same on a replica (see the header).
      const bytewise = options.unsorted && value instanceof RedisSet && storing;
      const order: Order = {
        alpha: options.alpha || bytewise,
        by: bytewise ? undefined : options.by,
        descending: options.descending,
        storing,
      };
      const chosen =
        options.unsorted && !bytewise
          ? unsortedWindow(value, window, options.descending)
          : sortedWindow(db, value, order, window);
      if (!Array.isArray(chosen)) return chosen;
      const items = answers(db, chosen, options.gets);
      if (options.store !== undefined) {
        return store(context, options.store, items);
      }
      return array(
        items.map((item) => (item === undefined ? NULL : bulk(item))),
      );
    },
  };
}
// #endregion sort

// #region sort-keys
/**
 * SORT's keys, for COMMAND GETKEYS (Redis's `sortGetKeys`): the key to
 * sort, and STORE's destination if there is one (the last STORE's).
 * Redis 7.0 steps over LIMIT's two words and BY's and GET's one, but
 * not over STORE's: the destination is read again as an option, so in
 * `STORE get STORE d` the `get` swallows the second STORE, and the
 * destination is `get`. (Later versions step over it; SORT itself has
 * always read it right.)
 */
function sortKeys(args: readonly Buffer[]): number[] {
  let destination: number | undefined;
  for (let i = 2; i < args.length; i++) {
    const word = args[i]!;
    if (isKeyword(word, "limit")) i += 2;
    else if (isKeyword(word, "get") || isKeyword(word, "by")) i += 1;
    else if (isKeyword(word, "store") && i + 1 < args.length) {
      destination = i + 1;
    }
  }
  return destination === undefined ? [1] : [1, destination];
}
// #endregion sort-keys

export const SORT_COMMANDS: readonly CommandSpec[] = [
  sortCommand("sort"),
  sortCommand("sort_ro"),
];
