/**
 * DUMP payloads read far enough to compare what they hold (normalise.ts's
 * "dump-contents" rule), written here apart from any chapter's code, so
 * that the fuzzer checks a chapter's payloads with a reader of its own.
 *
 * Two correct servers may DUMP the same value in different bytes: a set or
 * hash in a hash table comes out in the table's order, which Redis seeds
 * at random, and a list may be split into nodes differently (the
 * deliberate differences in chapter 08's quicklist.ts). So payloads that
 * differ are compared by contents: the same RDB type, the same elements,
 * in the same order where the type has one, sorted where it has none.
 *
 * Only what Redis 7.0 writes is read: strings (integer and LZF encodings
 * too), quicklists of listpacks, sets, intsets, hashes and sorted sets,
 * plain or as listpacks. Anything else answers undefined: not comparable.
 */

/** A payload's RDB type byte and its elements (a string: one element). */
export interface DumpContents {
  readonly type: number;
  readonly elements: readonly string[];
}

/** Types whose elements have no order: compared sorted (sets, and hashes by pair). */
const UNORDERED: Record<number, number> = { 2: 1, 4: 2, 11: 1 };

/** The contents of `payload`, or undefined if it is not a DUMP payload this reader knows. */
export function dumpContents(payload: Buffer): DumpContents | undefined {
  try {
    const reader = new Reader(payload.subarray(0, payload.length - 10));
    const type = reader.byte();
    const elements = readElements(reader, type);
    const group = UNORDERED[type];
    return {
      type,
      elements: group === undefined ? elements : sorted(elements, group),
    };
  } catch {
    return undefined;
  }
}

/** `elements` in groups of `size`, the groups sorted, then flat again. */
function sorted(elements: string[], size: number): string[] {
  const groups: string[][] = [];
  for (let i = 0; i < elements.length; i += size) {
    groups.push(elements.slice(i, i + size));
  }
  groups.sort((a, b) => (a.join("\0") < b.join("\0") ? -1 : 1));
  return groups.flat();
}

function readElements(reader: Reader, type: number): string[] {
  switch (type) {
    case 0: // string
      return [reader.string()];
    case 2: // set
      return reader.repeat(reader.length(), () => [reader.string()]);
    case 4: // hash
      return reader.repeat(reader.length(), () => [
        reader.string(),
        reader.string(),
      ]);
    case 5: // sorted set, binary scores, highest first
      return reader
        .repeat(reader.length(), () => [
          reader.string(),
          String(reader.double()),
        ])
        .reverse();
    case 11: // intset
      return intsetMembers(reader.bytes());
    case 16: // hash listpack
    case 17: // sorted set listpack: member, score...
      return listpackEntries(reader.bytes()).map((entry, i) =>
        type === 17 && i % 2 === 1
          ? String(
              Number(
                entry === "inf"
                  ? Infinity
                  : entry === "-inf"
                    ? -Infinity
                    : entry,
              ),
            )
          : entry,
      );
    case 18: // quicklist: nodes, each a container then a listpack (or one element)
      return reader.repeat(reader.length(), () =>
        reader.length() === 1
          ? [reader.string()]
          : listpackEntries(reader.bytes()),
      );
  }
  throw new Error(`type ${type}`);
}

/** A cursor over the payload's bytes; every read past the end throws. */
class Reader {
  #at = 0;
  constructor(readonly buffer: Buffer) {}

  take(count: number): Buffer {
    if (count < 0 || this.#at + count > this.buffer.length)
      throw new Error("short");
    this.#at += count;
    return this.buffer.subarray(this.#at - count, this.#at);
  }

  byte(): number {
    return this.take(1)[0]!;
  }

  /** A length, or for the special string encodings (top bits 11) -1 - encoding. */
  #lengthOrSpecial(): number {
    const first = this.byte();
    if (first >> 6 === 0) return first & 0x3f;
    if (first >> 6 === 1) return ((first & 0x3f) << 8) | this.byte();
    if (first === 0x80) return this.take(4).readUInt32BE();
    if (first === 0x81) return Number(this.take(8).readBigUInt64BE());
    if (first >> 6 === 3) return -1 - (first & 0x3f);
    throw new Error("length");
  }

  length(): number {
    const length = this.#lengthOrSpecial();
    if (length < 0) throw new Error("special");
    return length;
  }

  /** A string's bytes: plain, an integer, or LZF. */
  bytes(): Buffer {
    const length = this.#lengthOrSpecial();
    if (length >= 0) return this.take(length);
    const encoding = -1 - length;
    if (encoding === 0) return Buffer.from(String(this.take(1).readInt8()));
    if (encoding === 1) return Buffer.from(String(this.take(2).readInt16LE()));
    if (encoding === 2) return Buffer.from(String(this.take(4).readInt32LE()));
    if (encoding === 3) {
      const compressed = this.length();
      const original = this.length();
      return lzfExpand(this.take(compressed), original);
    }
    throw new Error("encoding");
  }

  string(): string {
    return this.bytes().toString("latin1");
  }

  double(): number {
    return this.take(8).readDoubleLE();
  }

  /** `count` times `read`, the results flat; `count` bounded by the bytes left. */
  repeat(count: number, read: () => string[]): string[] {
    if (count > this.buffer.length) throw new Error("count");
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(...read());
    return out;
  }
}

/** LZF expanded to `length` bytes (literal runs and back references). */
function lzfExpand(input: Buffer, length: number): Buffer {
  if (length > input.length * 100) throw new Error("lzf length");
  const out = Buffer.alloc(length);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const control = input[ip++]!;
    if (control < 32) {
      input.copy(out, op, ip, ip + control + 1);
      ip += control + 1;
      op += control + 1;
      continue;
    }
    let run = control >> 5;
    if (run === 7) run += input[ip++]!;
    const from = op - ((control & 0x1f) << 8) - input[ip++]! - 1;
    if (from < 0) throw new Error("lzf reference");
    for (let i = 0; i < run + 2; i++) out[op++] = out[from + i]!;
  }
  if (op !== length) throw new Error("lzf size");
  return out;
}

/** A listpack's entries as text (integers in decimal). */
function listpackEntries(lp: Buffer): string[] {
  const entries: string[] = [];
  let at = 6;
  while (lp[at] !== 0xff) {
    const first = lp[at]!;
    let size: number;
    if (first < 0x80) {
      entries.push(String(first));
      size = 1;
    } else if (first < 0xc0) {
      const length = first & 0x3f;
      entries.push(lp.toString("latin1", at + 1, at + 1 + length));
      size = 1 + length;
    } else if (first < 0xe0) {
      const bits = ((first & 0x1f) << 8) | lp[at + 1]!;
      entries.push(String(bits >= 4096 ? bits - 8192 : bits));
      size = 2;
    } else if (first < 0xf0) {
      const length = ((first & 0x0f) << 8) | lp[at + 1]!;
      entries.push(lp.toString("latin1", at + 2, at + 2 + length));
      size = 2 + length;
    } else if (first === 0xf0) {
      const length = lp.readUInt32LE(at + 1);
      entries.push(lp.toString("latin1", at + 5, at + 5 + length));
      size = 5 + length;
    } else {
      const width = { 0xf1: 2, 0xf2: 3, 0xf3: 4, 0xf4: 8 }[first];
      if (width === undefined) throw new Error("listpack entry");
      entries.push(
        String(
          width === 8 ? lp.readBigInt64LE(at + 1) : lp.readIntLE(at + 1, width),
        ),
      );
      size = 1 + width;
    }
    at +=
      size +
      (size < 128
        ? 1
        : size < 16383
          ? 2
          : size < 2097151
            ? 3
            : size < 268435455
              ? 4
              : 5);
    if (at >= lp.length) throw new Error("listpack end");
  }
  return entries;
}

/** An intset's members, ascending, in decimal. */
function intsetMembers(blob: Buffer): string[] {
  const width = blob.readUInt32LE(0);
  const count = blob.readUInt32LE(4);
  if (8 + width * count !== blob.length) throw new Error("intset size");
  return Array.from({ length: count }, (_, i) =>
    String(
      width === 8
        ? blob.readBigInt64LE(8 + i * 8)
        : blob.readIntLE(8 + i * width, width),
    ),
  );
}
