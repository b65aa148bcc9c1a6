/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest
 * common subsequence of two strings (not necessarily contiguous: "mytext"
 * for "ohmytext" and "mynewtext"), its length, or where its pieces lie in
 * each string.
 *
 * The classic dynamic programme, as Redis runs it: a table of
 * (len1 + 1) × (len2 + 1) lengths, then one walk back from its far corner
 * that spells the answer from its end and notes each run of matching
 * bytes. The table is 4 bytes a cell, and Redis refuses one bigger than
 * proto-max-bulk-len (512 MB) before allocating it: two strings of about
 * 11,585 bytes each at most.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";
import { LIMITS } from "../protocol/resp-parser.ts";
import {
  array,
  bulk,
  error,
  integer,
  map,
  type Reply,
} from "../protocol/reply.ts";
import {
  byteString,
  int64Argument,
  isKeyword,
  NOT_AN_INTEGER,
  SYNTAX_ERROR,
} from "../dispatch/arguments.ts";
import { LCS_DOCS } from "./docs/lcs-docs.ts";
import { isWrongType, readString } from "./typed-lookup.ts";

/** What the client asked for, after the two keys. */
interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  /** Runs shorter than this are left out of IDX's list (0: none). */
  minMatchLen: bigint;
}

/** The options, or the error for the first one Redis would refuse. */
function readOptions(args: Buffer[]): LcsOptions | Reply {
  const options = {
    len: false,
    idx: false,
    withMatchLen: false,
    minMatchLen: 0n,
  };
  for (let i = 3; i < args.length; i++) {
    const word = args[i]!;
    if (isKeyword(word, "idx")) options.idx = true;
    else if (isKeyword(word, "len")) options.len = true;
    else if (isKeyword(word, "withmatchlen")) options.withMatchLen = true;
    else if (isKeyword(word, "minmatchlen") && i + 1 < args.length) {
      const length = int64Argument(args[++i]!);
      if (length === undefined) return NOT_AN_INTEGER;
      options.minMatchLen = length < 0n ? 0n : length;
    } else {
      return SYNTAX_ERROR;
    }
  }
  if (options.len && options.idx) {
    return error(
      "ERR If you want both the length and indexes, please just use IDX.",
    );
  }
  return options;
}

// #region lcs-table
/**
 * The table: cell (i, j) holds the length of the LCS of the first i bytes
 * of `a` and the first j bytes of `b`, row by row.
 */
function lcsTable(a: string, b: string): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const at = i * width + j;
      table[at] =
        a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
          ? table[at - width - 1]! + 1
          : Math.max(table[at - width]!, table[at - 1]!);
    }
  }
  return table;
}
// #endregion lcs-table

// #region lcs-walk
/**
 * The walk back from the table's far corner, as Redis takes it: on equal
 * bytes, both strings step back and the byte joins the answer; otherwise
 * the string whose step keeps the longer LCS steps back (`b` on a tie).
 * A run of matches in a row is one range, reported as it ends (at a
 * mismatch, or at the start of either string), so the list runs from
 * the strings' ends to their starts. Each range is Redis's
 * [[start1, end1], [start2, end2]], and its length with WITHMATCHLEN.
 */
function walkBack(
  a: string,
  b: string,
  table: Uint32Array,
  options: LcsOptions,
): { text: string; matches: Reply[] } {
  const width = b.length + 1;
  const text = Buffer.alloc(table[table.length - 1]!);
  let left = text.length;
  const matches: Reply[] = [];
  /** The run being walked: where it starts and ends in `a` and in `b`. */
  type Run = { a: [number, number]; b: [number, number] };
  let run: Run | undefined;
  const report = ({ a: inA, b: inB }: Run) => {
    const length = inA[1] - inA[0] + 1;
    if (options.minMatchLen > BigInt(length)) return;
    matches.push(
      array([
        array([integer(inA[0]), integer(inA[1])]),
        array([integer(inB[0]), integer(inB[1])]),
        ...(options.withMatchLen ? [integer(length)] : []),
      ]),
    );
  };
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let ends = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      text[--left] = a.charCodeAt(i - 1);
      if (run === undefined) {
        run = { a: [i - 1, i - 1], b: [j - 1, j - 1] };
      } else {
        // A match right after a match is the byte before it in both
        // strings: the run grows backwards.
        run.a[0] -= 1;
        run.b[0] -= 1;
      }
      // A run that reached the start of either string is over.
      if (run.a[0] === 0 || run.b[0] === 0) ends = true;
      i -= 1;
      j -= 1;
    } else {
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i -= 1;
      else j -= 1;
      if (run !== undefined) ends = true;
    }
    if (ends) {
      report(run!);
      run = undefined;
    }
  }
  return { text: text.toString("latin1"), matches };
}
// #endregion lcs-walk

export const lcs: CommandSpec = {
  name: "lcs",
  arity: -3,
  flags: ["readonly"],
  keys: { first: 1, last: 2, step: 1 },
  categories: ["@read", "@string", "@slow"],
  docs: LCS_DOCS.lcs,
  run(args, { session }) {
    // Both keys are looked up, then both types checked, with LCS's own
    // words (not WRONGTYPE); only then the options.
    const first = readString(session.db, byteString(args[1]!));
    const second = readString(session.db, byteString(args[2]!));
    if (isWrongType(first) || isWrongType(second)) {
      return error("ERR The specified keys must contain string values");
    }
    const options = readOptions(args);
    if ("type" in options) return options;
    const a = first ?? "";
    const b = second ?? "";
    // #region lcs-memory
    if ((a.length + 1) * (b.length + 1) * 4 > LIMITS.maxBulkBytes) {
      return error(
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
      );
    }
    let table: Uint32Array;
    try {
      table = lcsTable(a, b);
    } catch (failure) {
      // Within the limit, but more than this process can have now.
      if (!(failure instanceof RangeError)) throw failure;
      return error(
        "ERR Insufficient memory, failed allocating transient memory for LCS",
      );
    }
    // #endregion lcs-memory
    const length = table[table.length - 1]!;
    if (options.len) return integer(length);
    const { text, matches } = walkBack(a, b, table, options);
    if (!options.idx) return bulk(text);
    return map([
      [bulk("matches"), array(matches)],
      [bulk("len"), integer(length)],
    ]);
  },
};

export const LCS_COMMANDS: readonly CommandSpec[] = [lcs];
