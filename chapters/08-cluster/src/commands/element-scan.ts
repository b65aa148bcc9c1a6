/**
 * The scans over one value's elements, SSCAN and HSCAN (and ZSCAN, in
 * the chapter's last part): `key cursor [MATCH pattern] [COUNT count]`,
 * read in Redis's order, and the walk that gathers about COUNT elements
 * from a hash table. Redis runs them all through one function,
 * `scanGenericCommand`, and so do we (`scanValue`): their errors are the
 * same word for word, and only the value's own step differs.
 */
import { array, bulk, error, type Reply } from "../protocol/reply.ts";
import {
  byteString,
  cStringOf,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { parseInteger } from "../protocol/resp-parser.ts";
import { globMatch } from "../keyspace/glob.ts";
import { parseCursor } from "./key-commands.ts";
import { isWrongType, type WrongType } from "./typed-lookup.ts";

/** A finished scan of nothing: what a missing key answers. */
export const EMPTY_SCAN = array([bulk("0"), array([])]);

/**
 * The cursor, read first: `SSCAN anykey abc` is an invalid cursor
 * whatever the key holds. Redis reads it as a C string (see key-commands.ts).
 */
export function cursorArgument(arg: Buffer): number | Reply {
  return parseCursor(byteString(cStringOf(arg))) ?? error("ERR invalid cursor");
}

// #region scan-options
/** MATCH and COUNT, once read. */
export interface ScanOptions {
  /** Undefined when every element matches (no MATCH, or MATCH `*`). */
  readonly pattern: string | undefined;
  /** About how many elements one call looks at: 10 unless COUNT says. */
  readonly count: number;
}

/**
 * The options from `args[from]` on, read after the key was found: a
 * missing key answers an empty scan, and a key of another type
 * WRONGTYPE, before a bad option is noticed. Each option takes a value;
 * SCAN's TYPE is not one of them here.
 */
export function scanOptions(args: Buffer[], from: number): ScanOptions | Reply {
  let pattern: string | undefined;
  let count = 10;
  for (let i = from; i < args.length; i += 2) {
    const value = args[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (isKeyword(args[i]!, "count")) {
      const parsed = parseInteger(value);
      if (parsed === undefined) return NOT_AN_INTEGER;
      if (parsed < 1) return SYNTAX_ERROR;
      count = parsed;
    } else if (isKeyword(args[i]!, "match")) {
      const text = byteString(value);
      // As in KEYS and SCAN, a lone * means "no filter".
      pattern = text === "*" ? undefined : text;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { pattern, count };
}
// #endregion scan-options

// #region scan-walk
/**
 * Steps through a value from `cursor` until about `wanted` elements are
 * gathered (`step` visits one bucket, and answers the next cursor, 0 at
 * the end) and answers the cursor to come back with. Empty buckets cost
 * a step too, at most ten per element wanted, as in Redis, so a sparse
 * table cannot make one call walk it all.
 */
export function walk(
  cursor: number,
  wanted: number,
  gathered: () => number,
  step: (cursor: number) => number,
): number {
  let budget = wanted * 10;
  do {
    cursor = step(cursor);
  } while (cursor !== 0 && budget-- > 0 && gathered() < wanted);
  return cursor;
}
// #endregion scan-walk

// #region scan-value
/**
 * One call of `XSCAN key cursor [MATCH pattern] [COUNT count]` over the
 * value `find` looks up. `step` visits one bucket of it from `cursor`,
 * pushing what it finds onto `found`, and answers the next cursor (a
 * compact value pushes everything and answers 0). An element is
 * `perElement` words: a member, or a field and its value. COUNT counts
 * words, as in Redis, so an HSCAN call gathers about COUNT / 2 pairs; and
 * MATCH looks at an element's first word only.
 */
export function scanValue<T>(
  args: Buffer[],
  find: (key: string) => T | undefined | WrongType,
  step: (value: T, cursor: number, found: string[]) => number,
  perElement: 1 | 2,
): Reply {
  // Redis's order: the cursor, then the key, then the options.
  const start = cursorArgument(args[2]!);
  if (typeof start !== "number") return start;
  const value = find(byteString(args[1]!));
  if (isWrongType(value)) return value;
  if (value === undefined) return EMPTY_SCAN;
  const options = scanOptions(args, 3);
  if (!("count" in options)) return options;

  const found: string[] = [];
  const next = walk(
    start,
    options.count,
    () => found.length,
    (cursor) => step(value, cursor, found),
  );
  const { pattern } = options;
  const items: Reply[] = [];
  for (let i = 0; i < found.length; i += perElement) {
    if (pattern !== undefined && !globMatch(pattern, found[i]!)) continue;
    for (let word = i; word < i + perElement; word++) {
      items.push(bulk(found[word]!));
    }
  }
  return array([bulk(String(next)), array(items)]);
}
// #endregion scan-value
