/**
 * How a command is written to the append-only file: exactly as a client
 * sends it, a RESP array of bulk strings.
 *
 *     SET k hello  →  *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n
 *
 * Using the wire format as the log format is Redis's choice, and a good
 * one: the file needs no parser of its own design, is binary-safe (every
 * argument carries its length), can be read with `cat -A`, and replaying
 * it is running commands, which the server already knows how to do.
 */

// #region encode-command
/**
 * A command's words, each a Buffer or a byte string (one character per
 * byte, as the keyspace keeps keys and values), encoded in one allocation.
 */
export function encodeCommand(words: readonly (Buffer | string)[]): Buffer {
  let size = `*${words.length}\r\n`.length;
  for (const word of words) {
    size += `$${word.length}\r\n`.length + word.length + 2;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(`*${words.length}\r\n`, 0, "latin1");
  for (const word of words) {
    at += out.write(`$${word.length}\r\n`, at, "latin1");
    at +=
      typeof word === "string"
        ? out.write(word, at, "latin1")
        : word.copy(out, at);
    at += out.write("\r\n", at, "latin1");
  }
  return out;
}
// #endregion encode-command
