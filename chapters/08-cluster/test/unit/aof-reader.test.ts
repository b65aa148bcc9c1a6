/**
 * Unit tests for aof-reader.ts, article step "reading the file back":
 * commands one at a time, each with the offset of its first byte; a clean
 * end told apart from a file that stops inside a command; damage reported
 * with the offset of the bad byte.
 *
 * The reader reads the file a megabyte at a time, so the tests put
 * commands, length lines and values across those read boundaries, and a
 * value larger than one read.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AofFormatError,
  AofReader,
  type AofEntry,
} from "../../src/persistence/aof-reader.ts";
import { encodeCommand } from "../../src/persistence/aof-format.ts";

/** The reader's read size (READ_BYTES in aof-reader.ts). */
const MEGABYTE = 1024 * 1024;

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes `bytes` to a file of its own and returns the path. */
function fileOf(bytes: Buffer): string {
  dir ??= mkdtempSync(join(tmpdir(), "aof-reader-"));
  const path = join(dir, `${Math.random().toString(36).slice(2)}.aof`);
  writeFileSync(path, bytes);
  return path;
}

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

/** A command's entry as the tests compare it: words as byte strings. */
type Read =
  | { kind: "command"; words: string[]; offset: number }
  | { kind: "end" | "truncated"; offset: number };

function simplify(entry: AofEntry): Read {
  if (entry.kind !== "command") return entry;
  return {
    kind: "command",
    words: entry.args.map((arg) => arg.toString("latin1")),
    offset: entry.offset,
  };
}

/** Every entry up to and including the end or truncation. */
function readAll(path: string): Read[] {
  const reader = new AofReader(path);
  const entries: Read[] = [];
  try {
    for (;;) {
      const entry = simplify(reader.next());
      entries.push(entry);
      if (entry.kind !== "command") return entries;
    }
  } finally {
    reader.close();
  }
}

/** The commands read before the damage, and the error it raised. */
function readUntilError(path: string): {
  before: Read[];
  error: AofFormatError;
} {
  const reader = new AofReader(path);
  const before: Read[] = [];
  try {
    for (;;) {
      let entry: AofEntry;
      try {
        entry = reader.next();
      } catch (error) {
        expect(error).toBeInstanceOf(AofFormatError);
        return { before, error: error as AofFormatError };
      }
      before.push(simplify(entry));
      if (entry.kind !== "command")
        throw new Error(
          `expected damage, read ${entry.kind} at ${entry.offset}`,
        );
    }
  } finally {
    reader.close();
  }
}

/** Commands laid end to end, and where each starts. */
function layOut(commands: readonly (readonly string[])[]): {
  file: Buffer;
  expected: Read[];
} {
  const parts = commands.map((words) => encodeCommand(words));
  const expected: Read[] = [];
  let offset = 0;
  commands.forEach((words, i) => {
    expected.push({ kind: "command", words: [...words], offset });
    offset += parts[i]!.length;
  });
  return { file: Buffer.concat(parts), expected };
}

/** Whether two entries are the same, words and all. */
function sameEntry(a: Read, b: Read | undefined): boolean {
  if (b === undefined || a.kind !== b.kind || a.offset !== b.offset)
    return false;
  if (a.kind !== "command" || b.kind !== "command") return true;
  return (
    a.words.length === b.words.length &&
    a.words.every((word, i) => word === b.words[i])
  );
}

/** `SET pad <x...>`, exactly `size` bytes long, to move the next command to a chosen offset. */
function padding(size: number): string[] {
  let valueLength = size;
  for (;;) {
    const length = encodeCommand([
      "SET",
      "pad",
      "x".repeat(valueLength),
    ]).length;
    if (length === size) return ["SET", "pad", "x".repeat(valueLength)];
    valueLength -= length - size;
  }
}

describe("commands, and where each starts", () => {
  it("reads each command with the offset of its first byte, then the end", () => {
    const { file, expected } = layOut([
      ["SELECT", "0"],
      ["SET", "k", "hello"],
      ["SET", "", ""],
      ["SET", "bin", "\0\r\n\xff$*"],
      ["DEL", "a", "b", "c"],
    ]);
    expect(readAll(fileOf(file))).toEqual([
      ...expected,
      { kind: "end", offset: file.length },
    ]);
  });

  it("an empty file is the end at offset 0, and the end stays the end", () => {
    const reader = new AofReader(fileOf(Buffer.alloc(0)));
    try {
      expect(reader.next()).toEqual({ kind: "end", offset: 0 });
      expect(reader.next()).toEqual({ kind: "end", offset: 0 });
    } finally {
      reader.close();
    }
  });

  it("arguments are the file's bytes, exactly", () => {
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const file = encodeCommand(["SET", "all-bytes", value]);
    const reader = new AofReader(fileOf(file));
    try {
      const entry = reader.next();
      expect(entry.kind).toBe("command");
      if (entry.kind === "command") expect(entry.args[2]).toEqual(value);
    } finally {
      reader.close();
    }
  });
});

describe("annotations: lines starting with '#', as Redis 7 writes them", () => {
  it("are skipped between commands, with offsets counted past them", () => {
    const set = encodeCommand(["SET", "k", "v"]);
    const del = encodeCommand(["DEL", "k"]);
    const stamp = bytes("#TS:1700000000\r\n");
    const file = Buffer.concat([stamp, set, stamp, del]);
    expect(readAll(fileOf(file))).toEqual([
      { kind: "command", words: ["SET", "k", "v"], offset: stamp.length },
      {
        kind: "command",
        words: ["DEL", "k"],
        offset: 2 * stamp.length + set.length,
      },
      { kind: "end", offset: file.length },
    ]);
  });

  it("one cut before its line end is a truncated tail", () => {
    const set = encodeCommand(["SET", "k", "v"]);
    const file = Buffer.concat([set, bytes("#TS:17000")]);
    expect(readAll(fileOf(file)).at(-1)).toEqual({
      kind: "truncated",
      offset: set.length,
    });
  });
});

describe("across the reader's 1 MB reads", () => {
  // Every position of a command's first line around the boundary: the
  // boundary falls before it, inside its `*3\r\n`, inside `$3\r\n`, ...
  for (let start = MEGABYTE - 30; start <= MEGABYTE + 2; start++) {
    it(`a command starting at ${start - MEGABYTE} from the 1 MB boundary`, () => {
      const { file, expected } = layOut([
        padding(start),
        ["SET", "key", "v".repeat(10)],
        ["SET", "after", "x"],
      ]);
      expect(expected[1]!.offset).toBe(start);
      expect(readAll(fileOf(file))).toEqual([
        ...expected,
        { kind: "end", offset: file.length },
      ]);
    });
  }

  it("a value that spans the boundary, and one larger than a read, in a file of several MB", () => {
    const spanning = "s".repeat(300_000); // starts 100 kB before 1 MB
    const huge = Buffer.alloc(2_500_000);
    for (let i = 0; i < huge.length; i++) huge[i] = i % 256; // every byte value
    const small = Array.from({ length: 1000 }, (_, i) => [
      "SET",
      `k${i}`,
      String(i),
    ]);
    const { file, expected } = layOut([
      padding(MEGABYTE - 100_000),
      ["SET", "spanning", spanning],
      ...small,
      ["SET", "huge", huge.toString("latin1")],
      ...small,
      ["SET", "last", "one"],
    ]);
    expect(file.length).toBeGreaterThan(3 * MEGABYTE);
    const read = readAll(fileOf(file));
    // Compared entry by entry, so that a failure does not print megabytes.
    const wrong = read
      .map((entry, i) => ({ entry, wanted: expected[i], i }))
      .filter(({ entry, wanted }) => !sameEntry(entry, wanted))
      .map(({ entry, i }) => `entry ${i}: ${entry.kind} at ${entry.offset}`);
    expect(wrong.slice(0, 5)).toEqual([
      `entry ${expected.length}: end at ${file.length}`,
    ]);
    expect(read.length).toBe(expected.length + 1);
  });

  it("a file cut inside a value larger than a read is truncated, from that command's start", () => {
    const { file, expected } = layOut([
      ["SET", "a", "1"],
      ["SET", "big", "b".repeat(3 * MEGABYTE)],
    ]);
    const cut = file.subarray(0, file.length - 1000);
    expect(readAll(fileOf(cut))).toEqual([
      expected[0],
      { kind: "truncated", offset: expected[1]!.offset },
    ]);
  });
});

describe("a clean end or a truncated command, at every cut of a small file", () => {
  const { file, expected } = layOut([
    ["SELECT", "0"],
    ["SET", "k", "hello"],
    ["SET", "", ""],
    ["SET", "bin", "\0\r\n"],
    ["INCR", "counter"],
  ]);
  const starts = expected.map((entry) => entry.offset);

  it(`every cut from 0 to ${file.length} bytes`, () => {
    for (let cut = 0; cut <= file.length; cut++) {
      const whole = expected.filter(
        (_, i) => (starts[i + 1] ?? file.length) <= cut,
      );
      const last =
        whole.length === starts.length || starts[whole.length] === cut
          ? { kind: "end", offset: cut }
          : { kind: "truncated", offset: starts[whole.length] };
      expect(readAll(fileOf(file.subarray(0, cut))), `cut at ${cut}`).toEqual([
        ...whole,
        last,
      ]);
    }
  });
});

describe("damage: an AofFormatError with the offset of the bad byte", () => {
  const first = encodeCommand(["SET", "a", "1"]);
  const at = first.length;

  const CASES: readonly (readonly [string, string, number, string])[] = [
    ["a reply where a command should be", "+OK\r\n", 0, "expected '*'"],
    ["an inline command", "SET k v\r\n", 0, "expected '*'"],
    ["no arguments", "*0\r\n", 0, "bad number of arguments"],
    ["a negative count", "*-1\r\n", 0, "bad number of arguments"],
    ["too many arguments", "*2147483648\r\n", 0, "bad number of arguments"],
    [
      "a count that is not a number",
      "*1x\r\n$4\r\nPING\r\n",
      0,
      "bad length line",
    ],
    ["a count of 20 digits", `*${"9".repeat(20)}\r\n`, 0, "bad length line"],
    [
      "a count line ending in \\n alone",
      "*1\n$4\r\nPING\r\n",
      0,
      "bad length line",
    ],
    [
      "something else where a '$' should be",
      "*2\r\n$3\r\nGET\r\n:1\r\n",
      13,
      "expected '$'",
    ],
    ["a negative length", "*1\r\n$-1\r\n", 4, "bad argument length"],
    ["a length past 512 MB", "*1\r\n$536870913\r\n", 4, "bad argument length"],
    [
      "a value longer than its length",
      "*1\r\n$4\r\nPINGxx\r\n",
      12,
      "expected '\\r\\n'",
    ],
    [
      "a value shorter than its length",
      "*2\r\n$4\r\nPIN\r\n$1\r\nx\r\n",
      12,
      "expected '\\r\\n'",
    ],
    ["damage in the file's last bytes", "*1\r\nX", 4, "expected '$'"],
  ];

  it.each(CASES)("%s", (_what, damage, where, reason) => {
    const file = Buffer.concat([first, bytes(damage), first]);
    const { before, error } = readUntilError(fileOf(file));
    // What came before the damage is read first, as it is.
    expect(before).toEqual([
      { kind: "command", words: ["SET", "a", "1"], offset: 0 },
    ]);
    expect(error.offset).toBe(at + where);
    expect(error.reason).toContain(reason);
    expect(error.message).toContain(`at offset ${at + where}`);
  });
});

describe("a length line without its line break", () => {
  it("at the end of the file, short enough to be cut off: truncated", () => {
    const first = encodeCommand(["SET", "a", "1"]);
    for (const tail of [
      "*",
      "*3",
      "*3\r",
      "*3\r\n$",
      "*3\r\n$3\r\nSET\r\n$12",
    ]) {
      expect(
        readAll(fileOf(Buffer.concat([first, bytes(tail)]))),
        tail,
      ).toEqual([
        { kind: "command", words: ["SET", "a", "1"], offset: 0 },
        { kind: "truncated", offset: first.length },
      ]);
    }
  });

  it("longer than any length line can be: damage, not a wait for more", () => {
    const first = encodeCommand(["SET", "a", "1"]);
    const at = first.length;
    const CASES: readonly (readonly [string, number])[] = [
      // No line break at all: the reader must not read the whole file
      // looking for one.
      [`*${"1".repeat(40)}`, 0],
      [`*1\r\n$${"1".repeat(40)}`, 4],
      // A line break, but far too late.
      [`*1\r\n$${"a".repeat(30)}\r\nPING\r\n`, 4],
    ];
    for (const [damage, where] of CASES) {
      const { error } = readUntilError(
        fileOf(Buffer.concat([first, bytes(damage)])),
      );
      expect(error.offset, damage).toBe(at + where);
      expect(error.reason, damage).toBe("line too long");
    }
  });

  it("a length line with no line break in a file of megabytes of junk stops at once", () => {
    const junk = Buffer.concat([
      bytes("*1\r\n$"),
      Buffer.alloc(5 * MEGABYTE, 0x31),
    ]);
    const { error } = readUntilError(fileOf(junk));
    expect(error.offset).toBe(4);
    expect(error.reason).toBe("line too long");
  });
});
