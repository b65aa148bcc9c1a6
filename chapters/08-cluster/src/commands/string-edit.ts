/**
 * How SETBIT, SETRANGE and BITFIELD change a string: in place, as Redis
 * changes its raw sds, once the string is long enough for that to pay
 * (types/mutable-string.ts). APPEND has its own rule, in
 * string-range-commands.ts; BITOP makes its result whole, in
 * bit-commands.ts, and stores it by the rule below.
 */
import type { Database } from "../keyspace/database.ts";
import { StringOrigin } from "../keyspace/object-header.ts";
import { MutableString, type StringValue } from "../types/mutable-string.ts";

// #region edit-in-place
/**
 * A string this long or longer is kept as a MutableString once edited;
 * a shorter one goes back to being a byte string.
 *
 * Measured (Node 20): copying a string of up to 256 bytes into a Buffer,
 * changing a byte and copying it back costs about 0.2 µs, a fraction of
 * a command's 1 to 2 µs, and no more at 16 bytes than at 256: the two
 * allocations are the cost, not the bytes. Past that the copies grow
 * with the length (0.6 µs at 1 KB, 5 µs at 4 KB, milliseconds at 1 MB).
 * Memory points the same way: a MutableString costs about 230 bytes
 * besides its bytes, where a byte string costs 16, which nearly doubles
 * a value of 256 bytes, and more than doubles a shorter one.
 */
export const EDIT_IN_PLACE_FROM = 256;

/**
 * The value to store for bytes made whole or edited: themselves when
 * long enough to be edited in place, else a byte string.
 */
export function storedForm(bytes: MutableString): StringValue {
  return bytes.length < EDIT_IN_PLACE_FROM ? bytes.toString() : bytes;
}

/**
 * Applies `edit` to the string at `key`, `found` by the caller's lookup
 * (undefined for a missing key: the edit starts from ""), keeping its
 * time to live. Redis makes the string raw on the way, so a byte string
 * stored back is marked `edited` (OBJECT ENCODING `raw`).
 *
 * A MutableString is changed where it lies, so the change is announced
 * first (`willModify`), while the old bytes are still there for an AOF
 * rewrite in progress to copy. A byte string is copied into a new
 * MutableString, edited, and stored, which announces the change itself.
 *
 * `uncounted` is for the writes Redis does without counting a change
 * (see `setKeepingTtlUncounted`): the AOF logs nothing and WATCH sees
 * nothing, but an AOF rewrite in progress still hears of it. Storing the
 * same MutableString again is how that announcement is made without a
 * count.
 */
export function editString(
  db: Database,
  key: string,
  found: StringValue | undefined,
  count: "counted" | "uncounted",
  edit: (bytes: MutableString) => void,
): void {
  if (found instanceof MutableString) {
    if (count === "counted") db.willModify(key);
    else db.setKeepingTtlUncounted(key, found, StringOrigin.edited);
    edit(found);
    return;
  }
  const bytes = MutableString.of(found ?? "");
  edit(bytes);
  const value = storedForm(bytes);
  if (count === "counted") db.setKeepingTtl(key, value, StringOrigin.edited);
  else db.setKeepingTtlUncounted(key, value, StringOrigin.edited);
}
// #endregion edit-in-place
