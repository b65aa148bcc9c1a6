/**
 * The reply side of RESP, read the way a client reads it: the bytes another
 * node sends back, cut into whole replies. The proxy (forwarding.ts) needs
 * to know where one reply ends, so that it can relay exactly those bytes to
 * the client that asked; code that sends its own commands to other nodes
 * (cross-node writes) also wants the reply as a value. `next()` gives both.
 *
 * Like the request parser (protocol/resp-parser.ts), the reader is
 * resumable: a reply may arrive in pieces, and a big array of small items
 * must not be parsed again from its start each time a piece arrives. It
 * keeps a stack of the aggregates it is inside and the raw pieces read so
 * far. And like the request parser, it trusts nothing: every length is
 * checked before anything is set aside for it. A peer is another node of
 * our cluster, but a confused or hostile one must not be able to make us
 * allocate gigabytes. Malformed input throws ReplyProtocolError; the
 * connection it came from can no longer be trusted.
 */
import { InputBuffer } from "../../protocol/input-buffer.ts";

// #region peer-value
/** An error reply (`-ERR ...`), as a value: distinct from a simple string. */
export class PeerError {
  constructor(readonly message: string) {}
}

/** A RESP3 map (`%`): pairs in the order they came. */
export class PeerMap {
  constructor(readonly entries: readonly (readonly [PeerValue, PeerValue])[]) {}
}

/**
 * A reply as a value. Simple strings are strings; bulk and verbatim
 * strings are Buffers (their bytes, whatever they are); integers are
 * numbers, or bigints past 2^53; RESP3's null, booleans and doubles are
 * null, booleans and numbers; arrays, sets and pushes are arrays.
 */
export type PeerValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Buffer
  | PeerError
  | PeerMap
  | PeerValue[];

/** One whole reply: its bytes exactly as they came, and what they mean. */
export interface PeerReply {
  readonly raw: Buffer;
  readonly value: PeerValue;
}
// #endregion peer-value

// #region reply-limits
/**
 * Bounds on what a peer may announce, checked as soon as the line that
 * announces it is read. Lines and strings: the request parser's (Redis's
 * own limits). Aggregates: Redis stores counts in a C `int`; the depth
 * bound is ours: Redis's replies nest two or three levels (COMMAND INFO),
 * and a deeper stack is a broken or hostile peer.
 */
export const REPLY_LIMITS = {
  maxLineBytes: 64 * 1024,
  maxBulkBytes: 512 * 1024 * 1024,
  maxAggregateItems: 2 ** 31 - 1,
  maxDepth: 64,
} as const;
// #endregion reply-limits

/** A peer sent bytes that are not a RESP reply. */
export class ReplyProtocolError extends Error {
  constructor(message: string) {
    super(`Protocol error in reply: ${message}`);
  }
}

/** An aggregate being read: its items so far, and how many are still to come. */
interface Frame {
  readonly kind: "array" | "map";
  readonly items: PeerValue[];
  remaining: number;
}

const CR = 0x0d;
const LF = 0x0a;

// #region reply-reader
export class ReplyReader {
  readonly #input = new InputBuffer();
  /** The aggregates the reply being read is inside, outermost first. */
  #stack: Frame[] = [];
  /** The bytes of the reply being read, taken so far (views, not copies). */
  #raw: Buffer[] = [];
  #rawBytes = 0;
  /** The length and type byte of a string whose bytes we wait for, once its header is read. */
  #string: { length: number; type: number } | undefined;
  /** How far the current line has been searched for its end already. */
  #searched = 0;

  feed(chunk: Buffer): void {
    this.#input.append(chunk);
  }

  /** Bytes received and not yet handed out as a whole reply. */
  get pendingBytes(): number {
    return this.#input.length + this.#rawBytes;
  }

  /** The next whole reply, or undefined until more bytes arrive. */
  next(): PeerReply | undefined {
    for (;;) {
      const value = this.#readValue();
      if (value === INCOMPLETE) return undefined;
      if (value === OPENED) continue;
      const whole = this.#complete(value);
      if (whole !== undefined) return whole;
    }
  }

  /**
   * One value, or OPENED when the line opened an aggregate whose items
   * follow, or INCOMPLETE.
   */
  #readValue(): PeerValue | typeof OPENED | typeof INCOMPLETE {
    if (this.#string !== undefined) return this.#readStringBody();
    const line = this.#readLine();
    if (line === undefined) return INCOMPLETE;
    const type = line[0];
    const text = line.toString("latin1", 1, line.length - 2);
    switch (type) {
      case 0x2b: // + simple string
        return text;
      case 0x2d: // - error
        return new PeerError(text);
      case 0x3a: // : integer
        return integerValue(text);
      case 0x24: // $ bulk string
      case 0x3d: // = verbatim string
      case 0x21: // ! bulk error
        return this.#openString(type, text);
      case 0x2a: // * array
      case 0x7e: // ~ set
      case 0x3e: // > push
        return this.#openAggregate("array", text, 1);
      case 0x25: // % map: two values per entry
        return this.#openAggregate("map", text, 2);
      case 0x5f: // _ null
        return null;
      case 0x23: // # boolean
        if (text !== "t" && text !== "f") throw bad(`boolean '${text}'`);
        return text === "t";
      case 0x2c: // , double
        return doubleValue(text);
      case 0x28: // ( big number
        if (!/^-?\d+$/.test(text)) throw bad(`big number '${text}'`);
        return BigInt(text);
      default:
        // Attributes (`|`) and streamed strings (`$?`) included: Redis
        // sends neither to a client that did not ask (DEBUG PROTOCOL).
        throw bad(`unexpected type byte ${type}`);
    }
  }

  /** The next line with its \r\n, taken, or undefined if its end has not arrived. */
  #readLine(): Buffer | undefined {
    const input = this.#input;
    const end = input.indexOf(LF, this.#searched);
    if (end === -1) {
      this.#searched = input.length;
      if (input.length > REPLY_LIMITS.maxLineBytes) throw bad("line too long");
      return undefined;
    }
    this.#searched = 0;
    if (end < 2 || input.byteAt(end - 1) !== CR)
      throw bad("line not ended by CRLF");
    const line = input.take(end + 1);
    this.#keep(line);
    return line;
  }

  /** Part of the reply being read: relayed with the rest once it is whole. */
  #keep(bytes: Buffer): void {
    this.#raw.push(bytes);
    this.#rawBytes += bytes.length;
  }

  #openString(type: number, text: string): PeerValue | typeof INCOMPLETE {
    const length = lengthValue(text, REPLY_LIMITS.maxBulkBytes);
    if (length === -1 && type === 0x24) return null; // RESP2's missing string
    if (length < 0) throw bad(`string length ${text}`);
    this.#string = { length, type };
    // Room for the whole string at once, not by doubling (input-buffer.ts).
    this.#input.expect(length + 2);
    return this.#readStringBody();
  }

  #readStringBody(): PeerValue | typeof INCOMPLETE {
    const { length, type } = this.#string!;
    if (this.#input.length < length + 2) return INCOMPLETE;
    const body = this.#input.take(length + 2);
    this.#keep(body);
    this.#string = undefined;
    if (body[length] !== CR || body[length + 1] !== LF) {
      throw bad("string not ended by CRLF");
    }
    const bytes = body.subarray(0, length);
    if (type === 0x21) return new PeerError(bytes.toString("latin1"));
    // A verbatim string starts with its format: `txt:`.
    if (type === 0x3d) return bytes.subarray(Math.min(4, length));
    return bytes;
  }

  #openAggregate(
    kind: Frame["kind"],
    text: string,
    valuesPerItem: number,
  ): PeerValue | typeof OPENED {
    const count = lengthValue(text, REPLY_LIMITS.maxAggregateItems);
    if (count === -1 && kind === "array") return null; // RESP2's missing array
    if (count < 0) throw bad(`aggregate length ${text}`);
    if (count === 0) return kind === "map" ? new PeerMap([]) : [];
    if (this.#stack.length >= REPLY_LIMITS.maxDepth)
      throw bad("nested too deep");
    // Items are pushed as they come: nothing is allocated for `count`.
    this.#stack.push({ kind, items: [], remaining: count * valuesPerItem });
    return OPENED;
  }

  /**
   * A value is read: it is an item of the innermost open aggregate, which
   * may be complete with it, and so on outwards. With no aggregate left
   * open, the reply is whole.
   */
  #complete(value: PeerValue): PeerReply | undefined {
    for (;;) {
      const frame = this.#stack.at(-1);
      if (frame === undefined) {
        const raw =
          this.#raw.length === 1 ? this.#raw[0]! : Buffer.concat(this.#raw);
        this.#raw = [];
        this.#rawBytes = 0;
        return { raw, value };
      }
      frame.items.push(value);
      frame.remaining -= 1;
      if (frame.remaining > 0) return undefined;
      this.#stack.pop();
      value = frame.kind === "map" ? pairs(frame.items) : frame.items;
    }
  }
}
// #endregion reply-reader

const INCOMPLETE = Symbol("incomplete");
const OPENED = Symbol("opened");

function bad(what: string): ReplyProtocolError {
  return new ReplyProtocolError(what);
}

/** A length line's number: -1, or 0 up to `max`. */
function lengthValue(text: string, max: number): number {
  if (!/^(-1|\d{1,10})$/.test(text)) throw bad(`length '${text}'`);
  const length = Number(text);
  if (length > max) throw bad(`length ${length} over the limit ${max}`);
  return length;
}

function integerValue(text: string): number | bigint {
  if (!/^-?\d{1,19}$/.test(text)) throw bad(`integer '${text}'`);
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

function doubleValue(text: string): number {
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  const value = Number(text);
  if (text === "" || (Number.isNaN(value) && text !== "nan")) {
    throw bad(`double '${text}'`);
  }
  return value;
}

function pairs(items: PeerValue[]): PeerMap {
  const entries: [PeerValue, PeerValue][] = [];
  for (let i = 0; i < items.length; i += 2)
    entries.push([items[i]!, items[i + 1]!]);
  return new PeerMap(entries);
}
