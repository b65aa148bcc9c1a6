/**
 * Which of the 16384 hash slots a key belongs to: CRC16 of the key, or of
 * its `{hash tag}`, modulo 16384. Every node and every cluster client
 * computes the same number from the same bytes, so a client can send a
 * command straight to the node that owns its key, without asking anyone.
 */

/** How many slots a cluster has: Redis's CLUSTER_SLOTS. */
export const SLOT_COUNT = 16384;

// #region crc16
/**
 * CRC16 as Redis uses it (the XMODEM variant): polynomial 0x1021, starting
 * from 0, bits not reflected, nothing XORed at the end. `123456789` gives
 * 0x31C3. The table holds the CRC of every byte value, so each byte of a
 * key costs one lookup instead of eight shifts.
 */
const CRC16_TABLE = buildCrc16Table(0x1021);

function buildCrc16Table(polynomial: number): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ polynomial : crc << 1;
    }
    table[byte] = crc & 0xffff;
  }
  return table;
}

/** The CRC16 of `bytes[start..end)`. */
export function crc16(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  }
  return crc;
}
// #endregion crc16

// #region key-hash-slot
/**
 * The slot of a key, by Redis's rule for hash tags: if the key has a `{`,
 * and a `}` somewhere after it, with at least one byte between the two,
 * only those bytes are hashed. So `{user1000}.following` and
 * `{user1000}.followers` share a slot, and a command may use both. Only
 * the first `{` counts: `foo{}{bar}` hashes whole (its first tag is
 * empty), `foo{{bar}}zap` hashes `{bar`.
 */
export function keyHashSlot(key: Uint8Array): number {
  const open = key.indexOf(0x7b); // {
  if (open !== -1) {
    const close = key.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key) & (SLOT_COUNT - 1);
}
// #endregion key-hash-slot
