/**
 * The arguments of the commands that pop from the first of several keys:
 * `numkeys key [key ...] <end> [COUNT count]`, for LMPOP and ZMPOP, and
 * for BLMPOP and BZMPOP after their timeout. Redis 7.0 reads the list
 * and the sorted-set forms in the same steps, with the same error texts
 * (t_list.c's `lmpopGenericCommand`, t_zset.c's `zmpopGenericCommand`):
 * only the words for the two ends differ, LEFT and RIGHT for a list, MIN
 * and MAX for a sorted set. So one reader serves all four, and each
 * command hands it the reader of its own end words.
 */
import type { Reply } from "../protocol/reply.ts";
import { byteString, isKeyword, SYNTAX_ERROR } from "../dispatch/arguments.ts";
import { atLeast, toNumber } from "./list-arguments.ts";

// #region multi-pop-arguments
/**
 * What a multi-pop asks for. `End` is the command's own name for an end:
 * a list's "head" or "tail", a sorted set's "min" or "max".
 */
export interface MultiPop<End> {
  /** The keys, tried in order: the first that holds a value is popped. */
  readonly keys: readonly string[];
  readonly end: End;
  /** At most this many elements (1 without COUNT). */
  readonly count: number;
}

/**
 * Reads `numkeys key [key ...] <end> [COUNT count]` from `args[numkeysAt]`
 * on (1 for LMPOP and ZMPOP, 2 for the blocking forms, after the
 * timeout), with Redis's errors in Redis's order: numkeys (at least 1),
 * room for the end after that many keys, the end itself (`endOf` reads
 * it, undefined for a word that is no end), then COUNT (at least 1,
 * given once).
 */
export function parseMultiPop<End>(
  args: Buffer[],
  numkeysAt: number,
  endOf: (arg: Buffer) => End | undefined,
): MultiPop<End> | Reply {
  const numkeys = atLeast(
    args[numkeysAt]!,
    1n,
    "numkeys should be greater than 0",
  );
  if (typeof numkeys !== "bigint") return numkeys;
  // More keys than arguments leave no room for the end.
  if (numkeys >= BigInt(args.length - numkeysAt - 1)) return SYNTAX_ERROR;
  const endAt = numkeysAt + Number(numkeys) + 1;
  const end = endOf(args[endAt]!);
  if (end === undefined) return SYNTAX_ERROR;
  let count: number | undefined;
  for (let i = endAt + 1; i < args.length; i++) {
    if (count !== undefined || !isKeyword(args[i]!, "count")) {
      return SYNTAX_ERROR;
    }
    const value = args[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    const parsed = atLeast(value, 1n, "count should be greater than 0");
    if (typeof parsed !== "bigint") return parsed;
    count = toNumber(parsed);
    i += 1;
  }
  const keys = args.slice(numkeysAt + 1, endAt).map(byteString);
  return { keys, end, count: count ?? 1 };
}
// #endregion multi-pop-arguments
