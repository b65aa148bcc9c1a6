/**
 * The fuzzer's view of RESP: commands out as bytes, replies in as bytes.
 *
 * Replies are compared as the bytes each server sent, so the reader below
 * mostly finds where one reply ends; it keeps the exact slice of the input
 * that made it (`raw`) next to the parsed tree, which the normalisations in
 * normalise.ts read. A client library would turn `$-1`, `*-1` and `_` into
 * the same null, or `+OK` and `$2\r\nOK` into the same string: exactly the
 * differences a fidelity fuzzer is here to see.
 *
 * Both protocols are read. RESP2: `+ - : $ *`. RESP3 adds null `_`,
 * boolean `#t`/`#f`, double `,`, big number `(`, blob error `!`, verbatim
 * string `=` (`=8\r\ntxt:text\r\n`, a format then a colon), map `%`, set
 * `~` and push `>`, and the attribute `|`, which is not a reply but a map
 * in front of one. Only the framing is checked: a well-framed reply with a
 * wrong value inside (`#x`) is a difference, shown as bytes, not a format
 * error. RESP3's streamed forms (`$?`, `*?`, `;`, `.`) are refused as
 * unreadable: Redis never sends them.
 */

/** The protocol a connection speaks: 2 until a HELLO 3 switches it. */
export type Protocol = 2 | 3;

/** One parsed reply and the bytes it came from. */
export interface RespReply {
  /** The type byte as a character: `+ - : $ *`, or a RESP3 one (`_ # , ( ! = % ~ >`). */
  readonly type: string;
  /** The exact bytes of the reply, nested ones and an attribute in front included. */
  readonly raw: Buffer;
  /**
   * The line after the type byte (simple, error, integer and RESP3
   * scalars, `_` aside, which has none), a bulk's or blob error's
   * payload, or a verbatim string's text (after `txt:`).
   */
  readonly data?: Buffer;
  /** A verbatim string's format: `txt` or `mkd`. */
  readonly format?: string;
  /** Elements of an aggregate; for a map, keys and values alternate. */
  readonly items?: readonly RespReply[];
  /** The attribute (`|`) sent in front of this reply, keys and values alternating. */
  readonly attributes?: readonly RespReply[];
}

/** Thrown when bytes cannot be a RESP reply: the server sent garbage. */
export class RespFormatError extends Error {
  override readonly name = "RespFormatError";
}

/** Encodes a command as a RESP array of bulk strings, as clients send it. */
export function encodeCommand(args: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    parts.push(Buffer.from(`$${arg.length}\r\n`), arg, CRLF);
  }
  return Buffer.concat(parts);
}

/** Bytes an inline command can carry as they are: no quoting, no splitting surprises. */
const INLINE_SAFE = /^[A-Za-z0-9:_.@#%^&+=,/-]+$/;

/**
 * The same command as an inline line (`SET a 1\r\n`), or undefined if one
 * of its words would need quoting (spaces, quotes, control bytes, an empty
 * word): those are the inline parser's own subject, tested elsewhere.
 */
export function encodeInline(args: readonly Buffer[]): Buffer | undefined {
  const words = args.map((arg) => arg.toString("latin1"));
  if (!words.every((word) => INLINE_SAFE.test(word))) return undefined;
  return Buffer.from(`${words.join(" ")}\r\n`, "latin1");
}

const CRLF = Buffer.from("\r\n");
/** Scalars: the type byte and one line. */
const LINES = new Set(["+", "-", ":", "_", ",", "#", "("]);
/** A length line, then that many bytes and CRLF (a negative length: a RESP2 null). */
const BLOBS = new Set(["$", "!", "="]);
/** A count line, then that many replies (twice as many for a map). */
const AGGREGATES = new Set(["*", "~", "%", ">"]);
/** An attribute: a map, then the reply it is about. */
const ATTRIBUTE = "|";

/** How many replies follow an aggregate's or attribute's count line: a map's are pairs. */
function childCount(type: string, count: number): number {
  if (count <= 0) return 0;
  return type === "%" || type === ATTRIBUTE ? 2 * count : count;
}

/**
 * Reads one reply starting at `offset`. Returns undefined when the bytes
 * end before the reply does (wait for more), or the reply and where the
 * next one starts. Throws RespFormatError on bytes no server should send.
 */
export function parseReply(
  buffer: Buffer,
  offset = 0,
): { reply: RespReply; end: number } | undefined {
  if (offset >= buffer.length) return undefined;
  const type = String.fromCharCode(buffer[offset]!);
  const lineEnd = buffer.indexOf(CRLF, offset + 1);
  if (lineEnd === -1) return undefined;
  const line = buffer.subarray(offset + 1, lineEnd);
  const afterLine = lineEnd + 2;

  if (type === "_") {
    return {
      reply: { type, raw: buffer.subarray(offset, afterLine) },
      end: afterLine,
    };
  }
  if (LINES.has(type)) {
    return {
      reply: { type, raw: buffer.subarray(offset, afterLine), data: line },
      end: afterLine,
    };
  }
  const length = lengthOf(line, type);
  if (BLOBS.has(type)) {
    if (length < 0) {
      return {
        reply: { type, raw: buffer.subarray(offset, afterLine) },
        end: afterLine,
      };
    }
    const end = afterLine + length + 2;
    if (buffer.length < end) return undefined;
    if (buffer[end - 2] !== 13 || buffer[end - 1] !== 10) {
      throw new RespFormatError(`bulk of ${length} bytes not ended by CRLF`);
    }
    const raw = buffer.subarray(offset, end);
    const payload = buffer.subarray(afterLine, end - 2);
    if (type === "=") return { reply: verbatim(raw, payload), end };
    return { reply: { type, raw, data: payload }, end };
  }
  if (AGGREGATES.has(type) || type === ATTRIBUTE) {
    const items: RespReply[] = [];
    let next = afterLine;
    for (let i = 0; i < childCount(type, length); i++) {
      const parsed = parseReply(buffer, next);
      if (parsed === undefined) return undefined;
      items.push(parsed.reply);
      next = parsed.end;
    }
    if (type === ATTRIBUTE) {
      // The attribute belongs to the reply after it: one reply, both sets of bytes.
      const parsed = parseReply(buffer, next);
      if (parsed === undefined) return undefined;
      return {
        reply: {
          ...parsed.reply,
          raw: buffer.subarray(offset, parsed.end),
          attributes: items,
        },
        end: parsed.end,
      };
    }
    return {
      reply: {
        type,
        raw: buffer.subarray(offset, next),
        ...(length >= 0 ? { items } : {}),
      },
      end: next,
    };
  }
  throw new RespFormatError(
    `unknown reply type byte 0x${buffer[offset]!.toString(16)}`,
  );
}

/** A verbatim string: `txt:` (or `mkd:`) then the text. */
function verbatim(raw: Buffer, payload: Buffer): RespReply {
  if (payload.length < 4 || payload[3] !== 0x3a) {
    throw new RespFormatError(
      `verbatim string without a format: ${escapeBytes(payload, 20)}`,
    );
  }
  return {
    type: "=",
    raw,
    format: payload.subarray(0, 3).toString("latin1"),
    data: payload.subarray(4),
  };
}

/**
 * Where the reply starting at `offset` ends, or undefined if the bytes end
 * first: a scan that builds nothing, so that a reply of hundreds of
 * kilobytes, arriving in many chunks, is parsed into a tree once, not once
 * per chunk.
 */
export function replyEnd(buffer: Buffer, offset = 0): number | undefined {
  let pending = 1;
  let at = offset;
  while (pending > 0) {
    if (at >= buffer.length) return undefined;
    const type = String.fromCharCode(buffer[at]!);
    const lineEnd = buffer.indexOf(CRLF, at + 1);
    if (lineEnd === -1) return undefined;
    const line = buffer.subarray(at + 1, lineEnd);
    pending -= 1;
    at = lineEnd + 2;
    if (LINES.has(type)) continue;
    const length = lengthOf(line, type);
    if (BLOBS.has(type)) {
      if (length >= 0) at += length + 2;
    } else if (AGGREGATES.has(type)) {
      pending += childCount(type, length);
    } else if (type === ATTRIBUTE) {
      // Its pairs, and then the reply it is attached to.
      pending += childCount(type, length) + 1;
    } else {
      throw new RespFormatError(
        `unknown reply type byte 0x${type.charCodeAt(0).toString(16)}`,
      );
    }
  }
  return at <= buffer.length ? at : undefined;
}

function lengthOf(line: Buffer, type: string): number {
  const text = line.toString("latin1");
  if (text === "?") {
    throw new RespFormatError(
      `streamed ${type}? reply: Redis never sends one, so it is not read`,
    );
  }
  if (!/^-?\d+$/.test(text)) {
    throw new RespFormatError(
      `bad length ${JSON.stringify(text)} after ${type}`,
    );
  }
  return Number(text);
}

/** Parses bytes that hold exactly one reply (tests and normalisations build replies this way). */
export function replyOf(bytes: Buffer | string): RespReply {
  const buffer =
    typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
  const parsed = parseReply(buffer);
  if (parsed === undefined || parsed.end !== buffer.length) {
    throw new RespFormatError(`not exactly one reply: ${escapeBytes(buffer)}`);
  }
  return parsed.reply;
}

/**
 * The text of a one-line reply (simple string, error, integer, double,
 * boolean, big number), a bulk's or blob error's payload, or a verbatim
 * string's text, as latin1; undefined for nulls and aggregates.
 */
export function textOf(reply: RespReply): string | undefined {
  return reply.data?.toString("latin1");
}

/** True for `-ERR ...` and every other error reply, RESP3's blob errors (`!`) included. */
export function isError(reply: RespReply): boolean {
  return reply.type === "-" || reply.type === "!";
}

/** True for a null: RESP2's `$-1` and `*-1`, RESP3's `_`. */
export function isNull(reply: RespReply): boolean {
  if (reply.type === "_") return true;
  const nullable = reply.type === "$" || reply.type === "*";
  return nullable && reply.data === undefined && reply.items === undefined;
}

/**
 * Bytes as a one-line, readable, unambiguous text: printable ASCII as is,
 * `\r \n \t \0 \\ \"` escaped, anything else as `\xHH`. Used for commands
 * and replies in the report, so a difference can be read and retyped.
 */
export function escapeBytes(bytes: Buffer, limit = 400): string {
  let text = "";
  for (const byte of bytes.subarray(0, limit)) {
    if (byte === 0x5c) text += "\\\\";
    else if (byte === 0x22) text += '\\"';
    else if (byte === 0x0d) text += "\\r";
    else if (byte === 0x0a) text += "\\n";
    else if (byte === 0x09) text += "\\t";
    else if (byte === 0x00) text += "\\0";
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > limit ? `${text}... (${bytes.length} bytes)` : text;
}

/** A command as one would type it into redis-cli: each word quoted and escaped. */
export function escapeCommand(args: readonly Buffer[]): string {
  return args.map((arg) => `"${escapeBytes(arg, 200)}"`).join(" ");
}

/**
 * An aggregate reply of type `type` (`*`, `~` or `%`) made of `items`,
 * with its bytes: for rewritten replies. A map's items are its keys and
 * values, alternating, and its count is the number of pairs.
 */
export function aggregateOf(
  type: string,
  items: readonly RespReply[],
): RespReply {
  const count = type === "%" ? items.length / 2 : items.length;
  return {
    type,
    raw: Buffer.concat([
      Buffer.from(`${type}${count}\r\n`),
      ...items.map((item) => item.raw),
    ]),
    items,
  };
}

/** An array reply made of `items`, with its bytes. */
export function arrayOf(items: readonly RespReply[]): RespReply {
  return aggregateOf("*", items);
}

/** The same aggregate (array, set or map) with other items: an edit that keeps the reply's type. */
export function withItems(
  reply: RespReply,
  items: readonly RespReply[],
): RespReply {
  return aggregateOf(reply.type, items);
}

/** RESP2's null bulk string, `$-1`. */
export const NULL_BULK: RespReply = replyOf("$-1\r\n");
/** RESP3's null, `_`. */
export const NULL: RespReply = replyOf("_\r\n");

/** The null a server sends where a single value is missing: `$-1` in RESP2, `_` in RESP3. */
export function nullReply(protocol: Protocol): RespReply {
  return protocol === 3 ? NULL : NULL_BULK;
}
