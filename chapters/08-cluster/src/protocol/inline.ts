/**
 * Inline commands: a request typed as one line of text, `SET greeting "hi
 * there"`, so that `nc` and `telnet` can talk to the server. Redis splits the
 * line with its `sdssplitargs()`, and so must we, quirks included, so a line
 * means the same thing to both servers:
 *
 * - arguments are separated by whitespace;
 * - "double quotes" allow escapes: `\n \r \t \b \a`, `\xHH` for any byte,
 *   and a backslash before anything else stands for that character;
 * - 'single quotes' allow only `\'`;
 * - a closing quote must be followed by whitespace or the end of the line,
 *   and a quote left open is an error ("unbalanced quotes");
 * - a quote can start in the middle of a word: `a"b c"` is one argument, `ab c`.
 *
 * Redis runs this on a C string, so a NUL byte ends the arguments, and we
 * copy that. (Redis's search for the end of the line stops at a NUL too, so
 * for Redis such a line never ends; that we do not copy. The parser's unit
 * tests name the difference.)
 */

// #region split-inline
/** The bytes that separate arguments, as C's `isspace()` sees them. */
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]); // ' ' \t \n \v \f \r
/**
 * The bytes that end an unquoted argument. Redis checks a shorter list here
 * than above, so a \v or \f inside a word belongs to the word.
 */
const ENDS_WORD = new Set([0x20, 0x0a, 0x0d, 0x09]); // ' ' \n \r \t

const NUL = 0x00;
const DOUBLE_QUOTE = 0x22; // "
const SINGLE_QUOTE = 0x27; // '
const BACKSLASH = 0x5c; // \
const LOWER_X = 0x78; // x

/** What a backslash followed by this letter stands for inside double quotes. */
const ESCAPES = new Map([
  [0x6e, 0x0a], // \n: newline
  [0x72, 0x0d], // \r: carriage return
  [0x74, 0x09], // \t: tab
  [0x62, 0x08], // \b: backspace
  [0x61, 0x07], // \a: bell
]);

/**
 * Splits one inline request into its arguments, or returns `undefined` when
 * a quote is left open (the caller turns that into a protocol error).
 */
export function splitInlineArgs(line: Buffer): Buffer[] | undefined {
  const firstNul = line.indexOf(NUL);
  const text = firstNul === -1 ? line : line.subarray(0, firstNul);
  // Past its end, `text[i]` is undefined: that plays the part of the NUL
  // that ends a C string.
  const args: Buffer[] = [];
  let i = 0;
  for (;;) {
    while (text[i] !== undefined && WHITESPACE.has(text[i]!)) i++;
    if (text[i] === undefined) return args;

    const word: number[] = [];
    let quote: "none" | "double" | "single" = "none";
    for (let done = false; !done; i++) {
      const byte = text[i];
      if (quote === "double") {
        if (byte === undefined) return undefined;
        if (byte === BACKSLASH && text[i + 1] === LOWER_X) {
          const high = hexValue(text[i + 2]);
          const low = hexValue(text[i + 3]);
          if (high !== undefined && low !== undefined) {
            word.push(high * 16 + low);
            i += 3;
            continue;
          }
        }
        if (byte === BACKSLASH && text[i + 1] !== undefined) {
          const escaped = text[i + 1]!;
          word.push(ESCAPES.get(escaped) ?? escaped);
          i += 1;
        } else if (byte === DOUBLE_QUOTE) {
          if (!endsArgument(text[i + 1])) return undefined;
          done = true;
        } else {
          word.push(byte);
        }
      } else if (quote === "single") {
        if (byte === undefined) return undefined;
        if (byte === BACKSLASH && text[i + 1] === SINGLE_QUOTE) {
          word.push(SINGLE_QUOTE);
          i += 1;
        } else if (byte === SINGLE_QUOTE) {
          if (!endsArgument(text[i + 1])) return undefined;
          done = true;
        } else {
          word.push(byte);
        }
      } else if (byte === undefined || ENDS_WORD.has(byte)) {
        done = true;
      } else if (byte === DOUBLE_QUOTE) {
        quote = "double";
      } else if (byte === SINGLE_QUOTE) {
        quote = "single";
      } else {
        word.push(byte);
      }
    }
    args.push(Buffer.from(word));
  }
}

/** A closing quote must be followed by whitespace or by the end of the line. */
function endsArgument(next: number | undefined): boolean {
  return next === undefined || WHITESPACE.has(next);
}

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  const digit = parseInt(String.fromCharCode(byte), 16);
  return Number.isNaN(digit) ? undefined : digit;
}
// #endregion split-inline
