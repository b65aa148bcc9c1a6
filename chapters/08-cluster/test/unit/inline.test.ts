/**
 * Unit tests for inline.ts: how one typed line is split into arguments.
 *
 * Redis splits inline commands with `sdssplitargs()`, and a line must mean
 * the same to our server as to Redis, so every expectation below was first
 * sent to a real Redis 7.0.15 as `ECHO <arg>` (one argument back, byte for
 * byte) or as an unknown command (whose error quotes every argument). The
 * tests need no server: they pin what Redis answered.
 *
 * Lines are written as strings, one character per byte, and the escapes in
 * them are TypeScript's: "\\n" is a backslash and an n (which Redis turns
 * into a newline inside double quotes), "\n" is a newline byte.
 */
import { describe, expect, it } from "vitest";
import { splitInlineArgs } from "../../src/protocol/inline.ts";

/** The arguments of `line` as strings, one character per byte, or undefined. */
function split(line: string): string[] | undefined {
  return splitInlineArgs(Buffer.from(line, "latin1"))?.map((arg) =>
    arg.toString("latin1"),
  );
}

describe("words and whitespace", () => {
  it.each([
    ["SET key value", ["SET", "key", "value"]],
    ["  SET   key \t\t value  ", ["SET", "key", "value"]],
    ["X\tab", ["X", "ab"]],
    ["X a\rb", ["X", "a", "b"]], // a lone \r inside the line separates too
    ["", []],
    ["   \t  ", []],
    ["\\x41", ["\\x41"]], // a backslash means nothing outside quotes
    // Bytes above 0x7f are not whitespace, not even \x85 or \xa0.
    ["caf\xe9 \x85 \xa0 \xff", ["caf\xe9", "\x85", "\xa0", "\xff"]],
  ])("splits %j into %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });
});

describe("double quotes", () => {
  it.each([
    ['ECHO "a b"', ["ECHO", "a b"]],
    ['ECHO ""', ["ECHO", ""]],
    ['X "" b', ["X", "", "b"]],
    ['ECHO "it\'s"', ["ECHO", "it's"]],
  ])("splits %j into %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });

  it.each([
    ['"\\n"', "\n"],
    ['"\\r"', "\r"],
    ['"\\t"', "\t"],
    ['"\\b"', "\b"],
    ['"\\a"', "\x07"],
    ['"\\x41"', "A"],
    ['"\\xff"', "\xff"],
    ['"\\xaF"', "\xaf"], // hex digits in either case
    ['"\\x00"', "\0"],
    ['"\\""', '"'],
    ['"\\\\"', "\\"],
    ['"\\z"', "z"], // an unknown escape stands for the character itself
    ['"\\X41"', "X41"], // only a lowercase x starts a hex escape
  ])("reads the escape %s as %j", (quoted, arg) => {
    expect(split(`ECHO ${quoted}`)).toEqual(["ECHO", arg]);
  });

  it.each([
    ['"\\xZZ"', "xZZ"],
    ['"\\x4"', "x4"],
    ['"\\x4G"', "x4G"],
  ])(
    "reads the broken hex escape %s as %j: the backslash goes, the rest stays",
    (quoted, arg) => {
      expect(split(`ECHO ${quoted}`)).toEqual(["ECHO", arg]);
    },
  );
});

describe("single quotes", () => {
  it.each([
    ["SET k 'it\\'s'", ["SET", "k", "it's"]],
    ["ECHO 'a b'", ["ECHO", "a b"]],
    ["X ''", ["X", ""]],
    ["ECHO 'a\"b'", ["ECHO", 'a"b']],
    // \' is the only escape: every other backslash is kept as it is.
    ["ECHO 'it\\'s \\n'", ["ECHO", "it's \\n"]],
    ["X 'a\\x' b", ["X", "a\\x", "b"]],
    ["ECHO 'a\\\"b'", ["ECHO", 'a\\"b']],
  ])("splits %j into %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });
});

describe("quotes that start inside a word", () => {
  it.each([
    ['ECHO a"b c"', ["ECHO", "ab c"]],
    ["ECHO a'b c'", ["ECHO", "ab c"]],
  ])("join the word before them: %j is %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });
});

describe("what ends a quoted argument", () => {
  it.each([
    ['ECHO "a" ', ["ECHO", "a"]],
    ['X "a"\tb', ["X", "a", "b"]],
    ['X "a"\rb', ["X", "a", "b"]],
    ['X "a"\vb', ["X", "a", "b"]],
    ['X "a"\fb', ["X", "a", "b"]],
  ])("a closing quote may be followed by any whitespace: %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });

  it.each([
    'ECHO "a"b',
    "ECHO 'a'b",
    'ECHO a"b"c',
    'X """"',
    "X 'a'\\tb", // a backslash is not whitespace
  ])("a closing quote followed by anything else is an error: %j", (line) => {
    expect(split(line)).toBeUndefined();
  });

  it.each([
    'ECHO "a',
    "ECHO 'a",
    'X "a\\"', // the last quote is escaped, so none closes
    'ECHO "a\\', // a backslash at the very end escapes nothing
    "ECHO 'a\\'",
  ])("a quote left open is an error: %j", (line) => {
    expect(split(line)).toBeUndefined();
  });
});

describe("C-string quirks that Redis has and we copy", () => {
  // Redis runs sdssplitargs() on a C string, so a NUL byte ends the line.
  // (Over the wire Redis never gets that far with a NUL in an inline line:
  // see resp-parser.test.ts. This pins the splitting on its own.)
  it.each([
    ["PING\0x y", ["PING"]],
    ["ECHO a\0b", ["ECHO", "a"]],
    ['ECHO "a\0b"', undefined], // the quote is cut off before it closes
  ])("a NUL byte ends the line: %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });

  // isspace() counts \v and \f as whitespace, so they are skipped between
  // arguments, but the switch that ends an unquoted word lists only
  // ' ', \n, \r and \t: inside a word they are ordinary bytes.
  it.each([
    ["\v\fECHO a", ["ECHO", "a"]],
    ["X a \v", ["X", "a"]],
    ["ECHO a\vb", ["ECHO", "a\vb"]],
    ["ECHO a\fb", ["ECHO", "a\fb"]],
    ["ECHO a\v", ["ECHO", "a\v"]],
    ["X a\v b", ["X", "a\v", "b"]],
  ])("\\v and \\f separate words only between them: %j", (line, args) => {
    expect(split(line)).toEqual(args);
  });
});
