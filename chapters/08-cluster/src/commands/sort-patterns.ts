/**
 * SORT's patterns: the keys SORT reads for each element it sorts. In
 * `BY weight_*` and `GET object_*`, the first `*` stands for the element,
 * so the element `7` is weighed by the string at `weight_7`; in
 * `GET user_*->name` the part after `->` is a field, of the hash at
 * `user_7`. `GET #` is the element itself. A lookup that finds nothing
 * (no key, a key of another kind, no such field) finds nil.
 *
 * Redis reads a pattern as a C string, which ends at its first NUL byte:
 * it looks for `#`, `*` and `->` only before one. A pattern is read once,
 * by `readPattern`, then looked up for each element with `lookUp`.
 */
import type { Database } from "../keyspace/database.ts";
import { RedisHash } from "../types/hash.ts";
import { MutableString } from "../types/mutable-string.ts";

/**
 * `text` as C reads it: up to its first NUL byte. Redis reads SORT's
 * patterns, its weights and its ALPHA comparisons (without STORE) so.
 */
export function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul === -1 ? text : text.slice(0, nul);
}

/**
 * True if `pattern` has a `*`, so it names a key per element. A BY
 * pattern without one (`BY nosort`, the usual spelling) weighs every
 * element the same: SORT does not sort at all.
 */
export function hasWildcard(pattern: string): boolean {
  return cString(pattern).includes("*");
}

// #region sort-pattern
/** A pattern, read: what a lookup for one element does. */
export type SortPattern =
  /** `#`: the element itself. */
  | { readonly kind: "element" }
  /** No `*`: one fixed key for every element, which Redis never reads. */
  | { readonly kind: "nothing" }
  /**
   * The key `before` + element + `after`: its string, or with a `field`,
   * that field of its hash.
   */
  | {
      readonly kind: "key";
      readonly before: string;
      readonly after: string;
      readonly field: string | undefined;
    };

/** Reads `pattern` (a byte string), as Redis's `lookupKeyByPattern` does. */
export function readPattern(pattern: string): SortPattern {
  const text = cString(pattern);
  if (text === "#") return { kind: "element" };
  const star = text.indexOf("*");
  if (star === -1) return { kind: "nothing" };
  // The first `->` after the `*` starts the field, if something follows
  // it: `h_*->` reads the string at `h_<element>->`. The field runs to
  // the end of the pattern, past a NUL byte if there is one.
  const arrow = text.indexOf("->", star + 1);
  const hasField = arrow !== -1 && arrow + 2 < text.length;
  return {
    kind: "key",
    before: pattern.slice(0, star),
    after: pattern.slice(star + 1, hasField ? arrow : pattern.length),
    field: hasField ? pattern.slice(arrow + 2) : undefined,
  };
}
// #endregion sort-pattern

// #region look-up
/**
 * What `pattern` finds for `element`, or undefined for nil. A key read
 * is a lookup like GET's: it counts as a keyspace hit or miss, and
 * deletes the key if its time is up.
 */
export function lookUp(
  db: Database,
  pattern: SortPattern,
  element: string,
): string | undefined {
  if (pattern.kind === "element") return element;
  if (pattern.kind === "nothing") return undefined;
  const value = db.read(pattern.before + element + pattern.after);
  if (pattern.field !== undefined) {
    return value instanceof RedisHash ? value.get(pattern.field) : undefined;
  }
  if (typeof value === "string") return value;
  return value instanceof MutableString ? value.toString() : undefined;
}
// #endregion look-up
