/**
 * Replies: what a command answers, as plain values, and the one encoder that
 * turns them into RESP bytes, in the protocol the connection chose.
 *
 * Commands never write to the socket or format protocol text. They return a
 * `Reply`, and errors for the client are replies too (`-ERR ...`), never
 * exceptions. That keeps every command a small function from arguments to a
 * value, easy to test, and leaves the bytes on the wire to one place.
 *
 * A reply says what it *is*, not how it is written: a map of fields, a set,
 * a double, "no value". RESP3 has a type for each; RESP2, older, has only
 * five, so the encoder writes the RESP3-only types as their RESP2 stand-ins,
 * exactly as Redis does:
 *
 * | Reply      | RESP3                   | RESP2                     |
 * | ---------- | ----------------------- | ------------------------- |
 * | simple     | `+OK`                   | the same                  |
 * | error      | `-ERR unknown command`  | the same                  |
 * | integer    | `:42`                   | the same                  |
 * | bulk       | `$5 hello`              | the same                  |
 * | array      | `*2 :1 :2`              | the same                  |
 * | null       | `_`                     | `$-1` (a missing string)  |
 * | nullArray  | `_`                     | `*-1` (a missing array)   |
 * | boolean    | `#t`, `#f`              | `:1`, `:0`                |
 * | double     | `,1.5`                  | `$3 1.5` (bulk string)    |
 * | bigNumber  | `(12345678901234567890` | a bulk string             |
 * | verbatim   | `=9 txt:hello`          | `$5 hello` (bulk string)  |
 * | map        | `%1 $1 k $1 v`          | `*2 $1 k $1 v` (flat)     |
 * | set        | `~2 :1 :2`              | `*2 :1 :2`                |
 * | push       | `>2 ...`                | `*2 ...`                  |
 *
 * (Each line ends in `\r\n`; spaces stand for them here.) RESP3 also has
 * attributes (`|`), side data attached to a reply. Redis sends them only for
 * the DEBUG PROTOCOL command, some clients (ioredis among them) cannot read
 * them, and nothing here needs them: they are never sent.
 *
 * Every string here is a byte string: one character per byte (latin1).
 * That is how the keyspace stores keys and values (see keyspace.ts), and error
 * texts quote the client's own arguments, so their bytes go back exactly as
 * they were sent, whatever they are.
 */
import { formatDouble } from "./double-text.ts";

/** The protocol a connection speaks: 2 until the client says `HELLO 3`. */
export type Protocol = 2 | 3;

// #region reply-type
export type Reply =
  | { readonly type: "simple"; readonly text: string }
  | { readonly type: "error"; readonly text: string }
  | { readonly type: "integer"; readonly value: number | bigint }
  /** A byte string (one character per byte) or a Buffer, sent as they are. */
  | { readonly type: "bulk"; readonly value: Buffer | string }
  | { readonly type: "array"; readonly items: readonly Reply[] }
  /**
   * No value. RESP2 had no null, only "missing" forms of its bulk string and
   * array, and a client may tell them apart: which one a command sends
   * belongs to its contract, so there are two.
   */
  | { readonly type: "null"; readonly resp2: "$-1" | "*-1" }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "double"; readonly value: number }
  | { readonly type: "bigNumber"; readonly value: bigint }
  /** Text meant for people, such as INFO's; `format` is `txt` or `mkd`. */
  | {
      readonly type: "verbatim";
      readonly format: "txt" | "mkd";
      readonly text: string;
    }
  /** Pairs of key and value, in the order they are sent. */
  | { readonly type: "map"; readonly entries: readonly MapEntry[] }
  /** A collection without order or repeats (SMEMBERS, COMMAND's flags). */
  | { readonly type: "set"; readonly items: readonly Reply[] }
  /** Out-of-band data the client did not ask for (pub/sub messages, later). */
  | { readonly type: "push"; readonly items: readonly Reply[] }
  /**
   * A reply written in `protocol`, whatever the connection speaks when it
   * goes out: EXEC's replies are each written as their command ran, and
   * a HELLO among them changes the protocol half-way, as in Redis.
   */
  | {
      readonly type: "inProtocol";
      readonly protocol: Protocol;
      readonly reply: Reply;
    };

export type MapEntry = readonly [key: Reply, value: Reply];

export const simple = (text: string): Reply => ({ type: "simple", text });
/** `text` starts with the error code, as Redis's do: `ERR ...`, `WRONGTYPE ...`. */
export const error = (text: string): Reply => ({ type: "error", text });
export const integer = (value: number | bigint): Reply => ({
  type: "integer",
  value,
});
export const bulk = (value: Buffer | string): Reply => ({
  type: "bulk",
  value,
});
export const array = (items: readonly Reply[]): Reply => ({
  type: "array",
  items,
});
export const boolean = (value: boolean): Reply => ({ type: "boolean", value });
export const double = (value: number): Reply => ({ type: "double", value });
export const bigNumber = (value: bigint): Reply => ({
  type: "bigNumber",
  value,
});
export const verbatim = (
  text: string,
  format: "txt" | "mkd" = "txt",
): Reply => ({
  type: "verbatim",
  format,
  text,
});
export const map = (entries: readonly MapEntry[]): Reply => ({
  type: "map",
  entries,
});
export const set = (items: readonly Reply[]): Reply => ({ type: "set", items });
export const push = (items: readonly Reply[]): Reply => ({
  type: "push",
  items,
});
export const inProtocol = (protocol: Protocol, reply: Reply): Reply => ({
  type: "inProtocol",
  protocol,
  reply,
});
export const OK: Reply = simple("OK");
/** A missing string: GET of a key that does not exist. */
export const NULL: Reply = { type: "null", resp2: "$-1" };
/** A missing array, for commands whose RESP2 answer is an array or `*-1`. */
export const NULL_ARRAY: Reply = { type: "null", resp2: "*-1" };
// #endregion reply-type

/** Bulk strings up to this size are copied into the reply text. */
const INLINE_STRING_LIMIT = 16 * 1024;

// #region encoder
/**
 * Collects the encoded replies to one batch of commands, so that they leave
 * in a single socket write (see client-loop.ts). Protocol text accumulates in a
 * string and only becomes bytes when a Buffer has to be appended, or at the
 * end: a pipeline of a thousand PINGs costs one conversion, not a thousand.
 */
export class ReplyWriter {
  #parts: Buffer[] = [];
  #partsBytes = 0;
  #text = "";

  /** True when nothing has been written since the last `take()`. */
  get empty(): boolean {
    return this.#text.length === 0 && this.#parts.length === 0;
  }

  /** Bytes written since the last `take()` (the text counts one byte per character). */
  get size(): number {
    return this.#text.length + this.#partsBytes;
  }

  /** Appends `reply` in the wire form of `protocol` (see the table above). */
  write(reply: Reply, protocol: Protocol): void {
    const resp3 = protocol === 3;
    switch (reply.type) {
      case "simple":
        this.#text += `+${oneLine(reply.text)}\r\n`;
        break;
      case "error":
        this.#text += `-${oneLine(trimLineBreaks(reply.text))}\r\n`;
        break;
      case "integer":
        this.#text += `:${reply.value}\r\n`;
        break;
      case "bulk":
        this.#bulk(reply.value);
        break;
      case "array":
        this.#aggregate("*", reply.items, protocol);
        break;
      case "null":
        this.#text += resp3 ? "_\r\n" : `${reply.resp2}\r\n`;
        break;
      case "boolean":
        if (resp3) this.#text += reply.value ? "#t\r\n" : "#f\r\n";
        else this.#text += reply.value ? ":1\r\n" : ":0\r\n";
        break;
      case "double":
        if (resp3) this.#text += `,${formatDouble(reply.value)}\r\n`;
        else this.#bulk(formatDouble(reply.value));
        break;
      case "bigNumber":
        if (resp3) this.#text += `(${reply.value}\r\n`;
        else this.#bulk(String(reply.value));
        break;
      case "verbatim":
        // The three-letter format and a colon come first, and count in the
        // length: a client can show Markdown as Markdown, and text as it is.
        if (resp3) this.#bulk(`${reply.format}:${reply.text}`, "=");
        else this.#bulk(reply.text);
        break;
      case "map":
        // RESP2 has no map: the pairs go flat, key, value, key, value.
        this.#text += resp3
          ? `%${reply.entries.length}\r\n`
          : `*${reply.entries.length * 2}\r\n`;
        for (const [key, value] of reply.entries) {
          this.write(key, protocol);
          this.write(value, protocol);
        }
        break;
      case "set":
        this.#aggregate(resp3 ? "~" : "*", reply.items, protocol);
        break;
      case "push":
        this.#aggregate(resp3 ? ">" : "*", reply.items, protocol);
        break;
      case "inProtocol":
        this.write(reply.reply, reply.protocol);
        break;
    }
  }

  /**
   * Appends a reply that is already bytes in the connection's protocol:
   * one another node sent, relayed as it came (cluster-proxy, not Redis).
   */
  writeEncoded(bytes: Buffer): void {
    this.#bytes(bytes);
  }

  /** Everything written so far, as one Buffer; the writer starts empty again. */
  take(): Buffer {
    this.#flushText();
    const all =
      this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
    this.#parts = [];
    this.#partsBytes = 0;
    return all;
  }

  /** A length-prefixed string: `$` (bulk), or `=` (verbatim, RESP3). */
  #bulk(value: Buffer | string, prefix: "$" | "=" = "$"): void {
    this.#text += `${prefix}${value.length}\r\n`;
    if (typeof value !== "string") {
      this.#bytes(value);
    } else if (value.length <= INLINE_STRING_LIMIT) {
      this.#text += value;
    } else {
      // Small values join the text; a big one becomes its own Buffer, so
      // the text never nears V8's maximum string length (2^29 - 24).
      this.#bytes(Buffer.from(value, "latin1"));
    }
    this.#text += "\r\n";
  }

  /** A count, then each item: arrays, and RESP3's sets and pushes. */
  #aggregate(
    prefix: "*" | "~" | ">",
    items: readonly Reply[],
    protocol: Protocol,
  ): void {
    this.#text += `${prefix}${items.length}\r\n`;
    for (const item of items) this.write(item, protocol);
  }

  #bytes(bytes: Buffer): void {
    this.#flushText();
    this.#parts.push(bytes);
    this.#partsBytes += bytes.length;
  }

  #flushText(): void {
    if (this.#text.length === 0) return;
    const bytes = Buffer.from(this.#text, "latin1");
    this.#parts.push(bytes);
    this.#partsBytes += bytes.length;
    this.#text = "";
  }
}

/**
 * A simple string or error ends at the first \r\n, so one that contained a
 * line break would corrupt the stream. Redis replaces them with spaces
 * (they appear when an error quotes a client's argument), and so do we.
 */
function oneLine(text: string): string {
  // Checked first: almost every reply has no line break to replace.
  return LINE_BREAK.test(text) ? text.replace(LINE_BREAKS, " ") : text;
}
const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]/g;

/**
 * Before that, Redis trims line breaks off both ends of an error's text:
 * `EXPIRE k 10 "foo\n"` answers "Unsupported option foo", with no
 * trailing space.
 */
function trimLineBreaks(text: string): string {
  return LINE_BREAK.test(text)
    ? text.replace(LINE_BREAKS_AT_THE_ENDS, "")
    : text;
}
const LINE_BREAKS_AT_THE_ENDS = /^[\r\n]+|[\r\n]+$/g;
// #endregion encoder
