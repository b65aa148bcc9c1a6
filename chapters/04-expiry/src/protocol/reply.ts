/**
 * Replies: what a command answers, as plain values, and the one encoder that
 * turns them into RESP bytes.
 *
 * Commands never write to the socket or format protocol text. They return a
 * `Reply`, and errors for the client are replies too (`-ERR ...`), never
 * exceptions. That keeps every command a small function from arguments to a
 * value, easy to test, and leaves the bytes on the wire to one place.
 *
 * | Reply   | First byte | Example on the wire        |
 * | ------- | ---------- | -------------------------- |
 * | simple  | `+`        | `+OK\r\n`                  |
 * | error   | `-`        | `-ERR unknown command\r\n` |
 * | integer | `:`        | `:42\r\n`                  |
 * | bulk    | `$`        | `$5\r\nhello\r\n`          |
 * | null    | `$`        | `$-1\r\n`                  |
 * | array   | `*`        | `*2\r\n:1\r\n:2\r\n`       |
 *
 * Every string here is a byte string: one character per byte (latin1).
 * That is how the keyspace stores keys and values (see keyspace.ts), and error
 * texts quote the client's own arguments, so their bytes go back exactly as
 * they were sent, whatever they are.
 */

// #region reply-type
export type Reply =
  | { readonly type: "simple"; readonly text: string }
  | { readonly type: "error"; readonly text: string }
  | { readonly type: "integer"; readonly value: number | bigint }
  /** A byte string (one character per byte) or a Buffer, sent as they are. */
  | { readonly type: "bulk"; readonly value: Buffer | string }
  | { readonly type: "null" }
  | { readonly type: "array"; readonly items: readonly Reply[] };

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
export const OK: Reply = simple("OK");
export const NULL: Reply = { type: "null" };
// #endregion reply-type

// #region encoder
/** Bulk strings up to this size are copied into the reply text. */
const INLINE_STRING_LIMIT = 16 * 1024;

/**
 * Collects the encoded replies to one batch of commands, so that they leave
 * in a single socket write (see client-loop.ts). Protocol text accumulates in a
 * string and only becomes bytes when a Buffer has to be appended, or at the
 * end: a pipeline of a thousand PINGs costs one conversion, not a thousand.
 */
export class ReplyWriter {
  #parts: Buffer[] = [];
  #text = "";

  /** True when nothing has been written since the last `take()`. */
  get empty(): boolean {
    return this.#text.length === 0 && this.#parts.length === 0;
  }

  write(reply: Reply): void {
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
        if (typeof reply.value === "string") {
          this.#text += `$${reply.value.length}\r\n`;
          // Small values join the text; a big one becomes its own Buffer, so
          // the text never nears V8's maximum string length (2^29 - 24).
          if (reply.value.length <= INLINE_STRING_LIMIT) {
            this.#text += reply.value;
          } else {
            this.#bytes(Buffer.from(reply.value, "latin1"));
          }
        } else {
          this.#text += `$${reply.value.length}\r\n`;
          this.#bytes(reply.value);
        }
        this.#text += "\r\n";
        break;
      case "null":
        this.#text += "$-1\r\n";
        break;
      case "array":
        this.#text += `*${reply.items.length}\r\n`;
        for (const item of reply.items) this.write(item);
        break;
    }
  }

  /** Everything written so far, as one Buffer; the writer starts empty again. */
  take(): Buffer {
    this.#flushText();
    const all =
      this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
    this.#parts = [];
    return all;
  }

  #bytes(bytes: Buffer): void {
    this.#flushText();
    this.#parts.push(bytes);
  }

  #flushText(): void {
    if (this.#text.length === 0) return;
    this.#parts.push(Buffer.from(this.#text, "latin1"));
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
