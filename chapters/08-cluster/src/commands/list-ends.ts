/**
 * The two ends of a list, and the one place elements leave them: a pop
 * (`popFrom`) or a move to another list (`moveBetween`). The list
 * commands use them, and so do the blocking pops when they serve a client
 * that waited: whoever pops, the key is announced before it changes and
 * deleted once it is empty.
 */
import type { Database } from "../keyspace/database.ts";
import { isKeyword } from "../dispatch/arguments.ts";
import { Quicklist } from "../types/quicklist.ts";
import { getList, isWrongType, type WrongType } from "./typed-lookup.ts";

// #region ends
/** An end of a list: Redis's LEFT (the head) or RIGHT (the tail). */
export type End = "head" | "tail";

/**
 * LEFT or RIGHT, in any letter case, as LMOVE, LMPOP and their blocking
 * forms take them; undefined for anything else (a syntax error).
 */
export function endOf(arg: Buffer): End | undefined {
  if (isKeyword(arg, "left")) return "head";
  if (isKeyword(arg, "right")) return "tail";
  return undefined;
}

/** Adds `value` at one end of `list`: LPUSH at the head, RPUSH at the tail. */
export function pushAt(list: Quicklist, where: End, value: string): void {
  if (where === "head") list.pushHead(value);
  else list.pushTail(value);
}

function popAt(list: Quicklist, where: End): string | undefined {
  return where === "head" ? list.popHead() : list.popTail();
}
// #endregion ends

// #region pop-from
/**
 * Pops up to `count` elements from one end of `list`, the list stored at
 * `key`, and returns them in the order they came off. The key is deleted
 * if that empties the list. The list must hold at least one element, as
 * every stored list does.
 *
 * The one place a pop happens: LPOP, RPOP, LMPOP and, when a client that
 * waited is served, BLPOP, BRPOP and BLMPOP.
 */
export function popFrom(
  db: Database,
  key: string,
  list: Quicklist,
  where: End,
  count = 1,
): string[] {
  db.willModify(key);
  const values: string[] = [];
  while (values.length < count) {
    const value = popAt(list, where);
    if (value === undefined) break;
    values.push(value);
  }
  if (list.length === 0) db.delete(key);
  return values;
}
// #endregion pop-from

// #region move-between
/**
 * Moves one element from an end of `list`, the list stored at `source`,
 * to an end of the list at `destination` (created if missing), and
 * returns it. If `destination` holds another kind of value, nothing moves
 * and the answer is WRONGTYPE. `source` is deleted if that emptied it.
 * The source list must hold at least one element, as every stored list
 * does. With `source` and `destination` the same key, the list rotates.
 *
 * The one place a move happens: LMOVE, RPOPLPUSH and, when a client that
 * waited is served, BLMOVE and BRPOPLPUSH. `fill` is the
 * `list-max-listpack-size` a new destination list gets.
 */
export function moveBetween(
  db: Database,
  source: string,
  list: Quicklist,
  destination: string,
  from: End,
  to: End,
  fill: number,
): string | WrongType {
  const target = getList(db, destination);
  if (isWrongType(target)) return target;
  db.willModify(source);
  const value = popAt(list, from)!;
  if (target === undefined) {
    const created = new Quicklist(fill);
    pushAt(created, to, value);
    db.set(destination, created);
  } else {
    db.willModify(destination);
    pushAt(target, to, value);
  }
  // Only now: a list rotated onto itself was empty for a moment, and kept.
  if (list.length === 0) db.delete(source);
  return value;
}
// #endregion move-between
