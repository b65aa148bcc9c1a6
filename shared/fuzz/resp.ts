/**
 * The fuzzer's view of RESP: commands out as bytes, replies in as bytes.
 *
 * Replies are compared as the bytes each server sent, so the framer below
 * only finds where one reply ends; it keeps the exact slice of the input
 * that made it (`raw`) next to the parsed tree, which the normalisations in
 * normalise.ts read. A client library would turn `$-1` and `*-1` into the
 * same null, or `+OK` and `$2\r\nOK` into the same string: exactly the
 * differences a fidelity fuzzer is here to see. RESP3 types are framed too,
 * so that a reply in the wrong protocol shows up as a difference, not as a
 * framing failure.
 */

/** One parsed reply and the bytes it came from. */
export interface RespReply {
  /** The type byte as a character: `+ - : $ *`, or a RESP3 one (`% ~ _ , # ( = | >`). */
  readonly type: string;
  /** The exact bytes of the reply, nested ones included. */
  readonly raw: Buffer;
  /** The line after the type byte (simple, error, integer, RESP3 scalars), or a bulk's payload. */
  readonly data?: Buffer;
  /** Elements of an aggregate; for a map, keys and values alternate. */
  readonly items?: readonly RespReply[];
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
const AGGREGATES = new Set(["*", "~", ">", "%", "|"]);
const LINES = new Set(["+", "-", ":", "_", ",", "#", "("]);
const BLOBS = new Set(["$", "!", "="]);

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
    return {
      reply: {
        type,
        raw: buffer.subarray(offset, end),
        data: buffer.subarray(afterLine, end - 2),
      },
      end,
    };
  }
  if (AGGREGATES.has(type)) {
    const count = type === "%" || type === "|" ? length * 2 : length;
    const items: RespReply[] = [];
    let next = afterLine;
    for (let i = 0; i < count; i++) {
      const parsed = parseReply(buffer, next);
      if (parsed === undefined) return undefined;
      items.push(parsed.reply);
      next = parsed.end;
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
      if (length > 0)
        pending += type === "%" || type === "|" ? 2 * length : length;
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

/** The text of a simple string, error or integer, or a bulk's payload, as latin1; undefined otherwise. */
export function textOf(reply: RespReply): string | undefined {
  return reply.data?.toString("latin1");
}

/** True for `-ERR ...` and every other error reply. */
export function isError(reply: RespReply): boolean {
  return reply.type === "-";
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

/** An array reply made of `items`, with its bytes: for rewritten replies. */
export function arrayOf(items: readonly RespReply[]): RespReply {
  return {
    type: "*",
    raw: Buffer.concat([
      Buffer.from(`*${items.length}\r\n`),
      ...items.map((item) => item.raw),
    ]),
    items,
  };
}

/** RESP2's null bulk string, `$-1`. */
export const NULL_BULK: RespReply = replyOf("$-1\r\n");
