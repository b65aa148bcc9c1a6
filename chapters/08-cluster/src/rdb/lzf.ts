/**
 * LZF, the small, fast compression Redis applies to strings longer than 20
 * bytes in DUMP payloads and RDB files (`rdbcompression yes`, the default).
 *
 * The compressed stream is a run of instructions, each starting with a
 * control byte:
 * - `000LLLLL`: copy the next L + 1 bytes as they are (a "literal run",
 *   1 to 32 bytes);
 * - `LLLOOOOO OOOOOOOO`: copy L + 2 bytes from earlier output, O + 1 bytes
 *   back (a "back reference"); when L is 7, one more byte adds to it, so
 *   a reference copies 3 to 264 bytes from up to 8 KB back.
 *
 * `lzfDecompress` reads any such stream, and refuses one that points
 * outside its input or output. `lzfCompress` is liblzf 3.6's compressor,
 * configured as Redis configures it (a 64K-entry hash table, "very fast"
 * mode): the same input gives the very same bytes as Redis, which lets DUMP
 * answer exactly what Redis answers.
 */

// #region decompress
/**
 * The `expectedLength` bytes that `compressed` expands to, or undefined if
 * the stream is corrupt: an instruction that reads past the input, writes
 * past `expectedLength`, or points before the start, or a stream that ends
 * short. `expectedLength` is allocated up front, so the caller must have
 * bounded it.
 */
export function lzfDecompress(
  compressed: Uint8Array,
  expectedLength: number,
): Buffer | undefined {
  const out = Buffer.allocUnsafe(expectedLength);
  let ip = 0;
  let op = 0;
  while (ip < compressed.length) {
    const control = compressed[ip++]!;
    if (control < 32) {
      const length = control + 1;
      if (ip + length > compressed.length || op + length > out.length) {
        return undefined;
      }
      out.set(compressed.subarray(ip, ip + length), op);
      ip += length;
      op += length;
      continue;
    }
    let length = control >> 5;
    if (length === 7) {
      if (ip >= compressed.length) return undefined;
      length += compressed[ip++]!;
    }
    length += 2;
    if (ip >= compressed.length) return undefined;
    const from = op - ((control & 0x1f) << 8) - compressed[ip++]! - 1;
    if (from < 0 || op + length > out.length) return undefined;
    // Byte by byte: a reference may overlap what it writes (a repeat).
    for (let i = 0; i < length; i++) out[op++] = out[from + i]!;
  }
  return op === expectedLength ? out : undefined;
}
// #endregion decompress

// #region compress
/** liblzf's limits: 32 literal bytes per run, references 8 KB back, 264 long. */
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REFERENCE = (1 << 8) + (1 << 3);
const HASH_SIZE = 1 << 16;

/**
 * The hash table of recent positions, one per 3-byte hash, shared by every
 * call. A slot holds `base + position`; a value below the current call's
 * `base` is from an earlier call, so it counts as empty. liblzf leaves its
 * table uninitialised; an empty one gives the output Redis gives.
 */
const table = new Int32Array(HASH_SIZE);
let base = 1;

/** liblzf's hash of the three bytes ending at `hash`'s lowest byte. */
function slotOf(hash: number): number {
  return ((hash >>> 8) - Math.imul(hash, 5)) & (HASH_SIZE - 1);
}

/**
 * `input` compressed into at most `maxLength` bytes, or undefined if it
 * does not fit (Redis then stores the string as it is).
 */
export function lzfCompress(
  input: Uint8Array,
  maxLength: number,
): Buffer | undefined {
  const inLength = input.length;
  if (inLength === 0 || maxLength <= 0) return undefined;
  if (base + inLength + 1 >= 0x7fffffff) {
    table.fill(0);
    base = 1;
  }
  const callBase = base;
  base += inLength + 1;
  const out = Buffer.allocUnsafe(maxLength + 3);
  let ip = 0;
  let op = 1; // room for the first run's control byte
  let literal = 0;
  let hash = (input[0]! << 8) | input[1]!;
  while (ip < inLength - 2) {
    hash = ((hash << 8) | input[ip + 2]!) >>> 0;
    const slot = slotOf(hash);
    const stored = table[slot]!;
    table[slot] = callBase + ip;
    const ref = stored >= callBase ? stored - callBase : -1;
    const offset = ip - ref - 1;
    if (
      ref > 0 &&
      offset < MAX_OFFSET &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let length = matchLength(input, ref, ip);
      out[op - literal - 1] = literal - 1; // close the literal run
      if (literal === 0) op--; // ...or take back its unused control byte
      if (op + 3 + 1 >= maxLength) return undefined;
      length -= 2;
      ip++;
      if (length < 7) {
        out[op++] = (offset >> 8) + (length << 5);
      } else {
        out[op++] = (offset >> 8) + (7 << 5);
        out[op++] = length - 7;
      }
      out[op++] = offset & 0xff;
      literal = 0;
      op++; // a new run's control byte
      ip += length + 1;
      if (ip >= inLength - 2) break;
      // "Very fast" mode: hash only the last two positions of the match.
      ip -= 2;
      hash = (input[ip]! << 8) | input[ip + 1]!;
      for (let i = 0; i < 2; i++) {
        hash = ((hash << 8) | input[ip + 2]!) >>> 0;
        table[slotOf(hash)] = callBase + ip;
        ip++;
      }
    } else {
      if (op >= maxLength) return undefined;
      literal++;
      out[op++] = input[ip++]!;
      if (literal === MAX_LITERAL) {
        out[op - literal - 1] = literal - 1;
        literal = 0;
        op++;
      }
    }
  }
  if (op + 3 > maxLength) return undefined;
  while (ip < inLength) {
    literal++;
    out[op++] = input[ip++]!;
    if (literal === MAX_LITERAL) {
      out[op - literal - 1] = literal - 1;
      literal = 0;
      op++;
    }
  }
  out[op - literal - 1] = literal - 1;
  if (literal === 0) op--;
  return out.subarray(0, op);
}

/**
 * How many bytes from `ip` repeat those from `ref` (at least 3, checked
 * already), as liblzf counts them: capped at 264 and at the input's end,
 * with liblzf's quirk of checking 16 bytes at once, unbounded, when more
 * than 16 remain.
 */
function matchLength(input: Uint8Array, ref: number, ip: number): number {
  const remaining = input.length - ip - 2;
  const max = remaining > MAX_REFERENCE ? MAX_REFERENCE : remaining;
  let length = 2;
  if (max > 16) {
    for (let i = 0; i < 16; i++) {
      length++;
      if (input[ref + length] !== input[ip + length]) return length;
    }
  }
  do length++;
  while (length < max && input[ref + length] === input[ip + length]);
  return length;
}
// #endregion compress
