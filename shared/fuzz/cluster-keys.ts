/**
 * Key names in a cluster run (`npm run fuzz -- 08 --cluster`), and the
 * hash slot of a key, as Redis computes it.
 *
 * In cluster mode a command whose keys hash to different slots is refused
 * (CROSSSLOT) before it runs. The generators' pools (values.ts, lists.ts,
 * ...) are names like `a`, `b`, `list`, `zdest`, each in a slot of its
 * own: nearly every MSET, RENAME, LMOVE or ZUNIONSTORE would be refused,
 * and the commands themselves would go untested. So a cluster run gives
 * most of them one hash tag, `{t}`, and they share its slot; a few get
 * another tag, or the tag after the name, or none, so that CROSSSLOT comes
 * often enough too, and the server must find the tag wherever it is.
 *
 * A name always becomes the same key (`a` is `{t}a` for the whole run):
 * a WATCH and the SET that follows it still meet, and a lex command's
 * prelude still finds its key.
 */

// #region key-slot
/**
 * CRC16 as Redis Cluster uses it (XMODEM: polynomial 0x1021, start 0, no
 * reflection), bit by bit: the fuzzer hashes a few keys, not millions.
 */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/**
 * The key's hash slot (Redis's keyHashSlot): only the part between the
 * first `{` and the first `}` after it is hashed, if that part is not
 * empty; otherwise the whole key.
 */
export function keySlot(key: Buffer): number {
  const open = key.indexOf(0x7b); // {
  if (open !== -1) {
    const close = key.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return crc16(key.subarray(open + 1, close)) & 0x3fff;
  }
  return crc16(key) & 0x3fff;
}
// #endregion key-slot

// #region cluster-key-names
/** The tag most names get: their keys share its slot. */
export const MAIN_TAG = "{t}";
/** The tag of a few names: another slot, so a command that mixes them is refused. */
export const OTHER_TAG = "{u}";

// Names as latin1 text: one character per byte.
/** Names under the other tag: one of the pool's and one of the sorted sets'. */
const UNDER_OTHER_TAG = new Set(["key:2", "board"]);
/** Names left as they are: each hashes whole, to a slot of its own. */
const UNTAGGED = new Set(["with space", "-1"]);
/** Names that take the main tag after them (`b{t}`): the same slot as `{t}a`. */
const TAG_AFTER = new Set(["b", "l\0", "nums", "zdest", "h\0", "sort:dest"]);

/** What a pool's key name becomes in a cluster run (see the header). */
export function clusterKeyName(name: Buffer): Buffer {
  const text = name.toString("latin1");
  if (UNTAGGED.has(text)) return name;
  const before = UNDER_OTHER_TAG.has(text) ? OTHER_TAG : MAIN_TAG;
  return TAG_AFTER.has(text)
    ? Buffer.concat([name, Buffer.from(MAIN_TAG, "latin1")])
    : Buffer.concat([Buffer.from(before, "latin1"), name]);
}
// #endregion cluster-key-names
