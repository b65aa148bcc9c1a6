/**
 * Article step "the truncated tail and the corrupt middle": what the
 * server does with an AOF that is not whole.
 *
 * - A tail cut in the middle of a command is what a crash leaves (the
 *   command was never acknowledged): with `aof-load-truncated yes`, the
 *   default, the server drops it, says so with the offset, and cuts the
 *   file there, so the next append lands after a whole command; with `no`
 *   it refuses to start, naming the offset and redis-check-aof.
 * - An unfinished MULTI block at the end is the same case one level up: the
 *   transaction goes as a whole, from its MULTI.
 * - Damage in the middle (a bad byte, a wrong length, a line of text, an
 *   unknown command) is not a crash: the server refuses to start whatever
 *   `aof-load-truncated` says, names the offset, and leaves the file alone
 *   for a human (and `redis-check-aof --fix`). So is a command that fails
 *   on replay, where Redis 7.0.15 logs it and loads the rest: a deliberate
 *   difference, named in its test.
 * - No file, or an empty one, is an empty keyspace.
 * - redis-check-aof, Redis's own checker, accepts the files our server
 *   writes, and agrees with it on where a torn file stops being valid; and
 *   redis-server itself loads them.
 *
 * The files are written byte by byte, so every offset is known. Ours only
 * (`itInProcess`, skipped under REDIS_URL): Redis 7 keeps its AOF as a
 * directory of files with a manifest, so this surgery on a single file
 * only makes sense for ours. The redis-check-aof tests are skipped when it
 * is not installed (Debian's redis-tools has it), and the redis-server one
 * when neither REDIS_SERVER_BIN nor `redis-server` names a binary.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { onTestFinished } from "vitest";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import {
  chapterMainPath,
  external,
  itInProcess,
  startChapterServer,
  type ChapterServer,
} from "../../../shared/harness.ts";
import { runMain } from "../../../shared/child-server.ts";
import { startRedis } from "./persistence-helpers.ts";

/** Whether Redis's checker is installed (apt-get install redis-tools). */
const hasRedisCheckAof =
  spawnSync("redis-check-aof", [], { stdio: "ignore" }).error === undefined;
const itWithRedisCheckAof = it.skipIf(external || !hasRedisCheckAof);

/** The redis-server to load our files with: `npm run test:redis`'s, or the one installed. */
const redisServerBinary = process.env.REDIS_SERVER_BIN ?? "redis-server";
const hasRedisServer =
  spawnSync(redisServerBinary, ["--version"], { stdio: "ignore" }).error ===
  undefined;
const itWithRedisServer = it.skipIf(external || !hasRedisServer);

const AOF_NAME = "appendonly.aof";

// #region files
/** A command as the AOF stores it: a RESP array of bulk strings. */
function resp(...words: string[]): Buffer {
  const parts = [`*${words.length}\r\n`];
  for (const word of words) {
    parts.push(`$${Buffer.byteLength(word, "latin1")}\r\n${word}\r\n`);
  }
  return Buffer.from(parts.join(""), "latin1");
}

/** A fresh folder holding `appendonly.aof` with these bytes (none: no file). */
function folderWith(bytes?: Buffer): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "aof-damaged-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, AOF_NAME);
  if (bytes !== undefined) writeFileSync(path, bytes);
  return { dir, path };
}

/** Three whole commands, then the first `cut` bytes of a fourth. */
const WHOLE = Buffer.concat([
  resp("SELECT", "0"),
  resp("SET", "a", "1"),
  resp("SET", "b", "hello"),
]);
const TORN = resp("SET", "c", "world");

/** Where the torn command could be cut: each is a different parser state. */
const CUTS: readonly (readonly [string, number])[] = [
  ["after its '*'", 1],
  ["inside its first length line", 3],
  ["after a '$' length line", "*3\r\n$3\r\n".length],
  ["inside its last value", TORN.length - 5],
  ["between the '\\r' and the '\\n' of its end", TORN.length - 1],
];
// #endregion files

// #region servers
function startOn(
  dir: string,
  settings: Record<string, unknown> = {},
): Promise<ChapterServer> {
  return startChapterServer({ appendonly: true, dir, ...settings });
}

/** The error the in-process server refuses to start with. */
async function refusal(
  dir: string,
  settings: Record<string, unknown> = {},
): Promise<Error> {
  try {
    await startOn(dir, settings);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("AofLoadError");
    return error as Error;
  }
  throw new Error("expected the server to refuse to start, but it started");
}

/** The program's arguments, for the tests that run main.ts. */
function programArgs(dir: string, ...more: string[]): string[] {
  return ["--port", "0", "--appendonly", "yes", "--dir", dir, ...more];
}

async function connect(server: ChapterServer): Promise<Redis> {
  const client = new Redis({
    host: server.host,
    port: server.port,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  onTestFinished(async () => {
    if (client.status === "end") return;
    const ended = new Promise((resolve) => client.once("end", resolve));
    client.disconnect();
    await ended;
  });
  await client.connect();
  return client;
}

/** Every key of database 0 with its value, for comparing whole keyspaces. */
async function contents(
  server: ChapterServer,
): Promise<Record<string, string>> {
  const client = await connect(server);
  const keys = (await client.keys("*")).sort();
  const values = keys.length > 0 ? await client.mget(keys) : [];
  return Object.fromEntries(keys.map((key, i) => [key, values[i]!]));
}

/** "offset 48", as a whole word: not "offset 480". */
const offset = (n: number): RegExp => new RegExp(`\\boffset ${n}\\b`);
// #endregion servers

/** Writes of every kind the AOF logs, in several databases. */
async function writeSomeOfEverything(server: ChapterServer): Promise<void> {
  const client = await connect(server);
  await client.set("plain", "value");
  await client.set("binary", Buffer.from([0, 13, 10, 255, 36, 42]));
  await client.set("empty", "");
  await client.set("volatile", "v", "EX", 1000);
  await client.incr("counter");
  await client.incrbyfloat("float", "1.5");
  await client.expire("plain", 5000);
  await client.persist("plain");
  await client.append("plain", "+more");
  await client.select(3);
  await client.mset("x", "1", "y", "2");
  await client.rename("x", "x2");
  await client.copy("y", "y-copy", "DB", 0);
  await client.del("y");
  await client.swapdb(3, 4);
  await client.select(5);
  await client.set("gone", "soon");
  await client.flushdb();
}

/** What redis-check-aof says of a file, and its exit code. */
function redisCheckAof(path: string): {
  status: number | null;
  output: string;
} {
  const result = spawnSync("redis-check-aof", [path], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

function expectValidToRedis(path: string): void {
  const { status, output } = redisCheckAof(path);
  expect(output).toContain("is valid");
  expect(status, output).toBe(0);
}

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    warnings.push(args.join(" "));
  });
  // "Background AOF rewrite finished successfully", and the like.
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("a tail cut in the middle of a command", () => {
  itInProcess.each(CUTS)(
    "aof-load-truncated yes (the default): starts with every whole command, warns with the offset, and cuts the file there (cut %s)",
    async (_where, cut) => {
      const { dir, path } = folderWith(
        Buffer.concat([WHOLE, TORN.subarray(0, cut)]),
      );
      const server = await startOn(dir);
      expect(await contents(server)).toEqual({ a: "1", b: "hello" });
      expect(warnings.join("\n")).toMatch(offset(WHOLE.length));
      expect(readFileSync(path)).toEqual(WHOLE);

      // The next write goes after a whole command: the file replays.
      const client = await connect(server);
      await client.set("c", "again");
      await server.close();
      warnings = [];
      const restarted = await startOn(dir);
      expect(await contents(restarted)).toEqual({
        a: "1",
        b: "hello",
        c: "again",
      });
      expect(warnings, "nothing to cut the second time").toEqual([]);
    },
  );

  itInProcess.each(CUTS)(
    "aof-load-truncated no: refuses, naming the offset and redis-check-aof, and leaves the file alone (cut %s)",
    async (_where, cut) => {
      const bytes = Buffer.concat([WHOLE, TORN.subarray(0, cut)]);
      const { dir, path } = folderWith(bytes);
      const error = await refusal(dir, { aofLoadTruncated: false });
      expect(error.message).toMatch(offset(WHOLE.length));
      expect(error.message).toContain("redis-check-aof");
      expect(readFileSync(path)).toEqual(bytes);
    },
  );

  itInProcess(
    "the program exits with code 1 and says why, with --aof-load-truncated no",
    async () => {
      const bytes = Buffer.concat([WHOLE, TORN.subarray(0, 10)]);
      const { dir, path } = folderWith(bytes);
      const exit = await runMain(
        chapterMainPath(),
        programArgs(dir, "--aof-load-truncated", "no"),
      );
      expect(exit.code).toBe(1);
      const said = exit.stdout + exit.stderr;
      expect(said).not.toContain("Listening on");
      expect(said).toMatch(offset(WHOLE.length));
      expect(said).toContain("redis-check-aof");
      expect(readFileSync(path)).toEqual(bytes);
    },
  );
});

describe("damage in the middle: refused whatever aof-load-truncated says, the file left alone", () => {
  /** SELECT 0, SET a 1, then `damaged` (a whole command, once repaired), then SET z 26. */
  function fileAround(damaged: Buffer): { bytes: Buffer; at: number } {
    const before = Buffer.concat([resp("SELECT", "0"), resp("SET", "a", "1")]);
    return {
      bytes: Buffer.concat([before, damaged, resp("SET", "z", "26")]),
      at: before.length,
    };
  }

  const setHello = resp("SET", "key", "hello");
  /** Where in `setHello` each part starts. */
  const dollarOfKey = "*3\r\n$3\r\nSET\r\n".length;
  const endOfHello = setHello.length - 2;

  const DAMAGE: readonly (readonly [string, Buffer, number])[] = [
    [
      "a '$' turned into 'X'",
      Buffer.concat([
        setHello.subarray(0, dollarOfKey),
        Buffer.from("X"),
        setHello.subarray(dollarOfKey + 1),
      ]),
      dollarOfKey,
    ],
    [
      "a length one short ($4 for hello: no \\r\\n where it should be)",
      Buffer.from(setHello.toString("latin1").replace("$5", "$4"), "latin1"),
      endOfHello - 1,
    ],
    [
      "a line of text where a command should start",
      Buffer.from("hello\r\n"),
      0,
    ],
    ["a '*' count that is not a number", Buffer.from("*x\r\n"), 0],
  ];

  for (const loadTruncated of [true, false]) {
    itInProcess.each(DAMAGE)(
      `%s: refused, naming the offset of the bad byte (aof-load-truncated ${loadTruncated ? "yes" : "no"})`,
      async (_what, damaged, where) => {
        const { bytes, at } = fileAround(damaged);
        const { dir, path } = folderWith(bytes);
        const error = await refusal(dir, { aofLoadTruncated: loadTruncated });
        expect(error.message).toMatch(offset(at + where));
        expect(readFileSync(path)).toEqual(bytes);
      },
    );

    itInProcess(
      `an unknown command, or one with the wrong number of arguments: refused, naming its offset (aof-load-truncated ${loadTruncated ? "yes" : "no"})`,
      async () => {
        for (const command of [resp("FOOBAR", "x"), resp("GET")]) {
          const { bytes, at } = fileAround(command);
          const { dir, path } = folderWith(bytes);
          const error = await refusal(dir, {
            aofLoadTruncated: loadTruncated,
          });
          expect(error.message).toMatch(offset(at));
          expect(error.message).toContain(
            command.toString("latin1").split("\r\n")[2],
          );
          expect(readFileSync(path)).toEqual(bytes);
        }
      },
    );
  }

  itInProcess(
    "the program exits with code 1, naming the offset and redis-check-aof",
    async () => {
      const { bytes, at } = fileAround(Buffer.from("hello\r\n"));
      const { dir } = folderWith(bytes);
      const exit = await runMain(chapterMainPath(), programArgs(dir));
      expect(exit.code).toBe(1);
      const said = exit.stdout + exit.stderr;
      expect(said).not.toContain("Listening on");
      expect(said).toMatch(offset(at));
      expect(said).toContain("redis-check-aof");
    },
  );
});

describe("a command that fails on replay: refused, where Redis 7.0.15 loads the rest (a deliberate difference)", () => {
  // Redis 7.0.15, started on this very file (as an old-style
  // appendonly.aof, which it migrates), logs "== CRITICAL == This server is
  // sending an error to its AOF-loading-client: 'value is not an integer or
  // out of range' after processing the command 'incr'" and starts with k
  // = abc and j = 1. Ours never writes a command that fails, so such a file
  // was damaged after, and replaying past the damage would build a
  // keyspace that never existed: the article's "Replaying" section.
  itInProcess(
    "INCR on a word is refused, naming the command, its offset and the error, and the file is left alone (Redis logs it and goes on)",
    async () => {
      const before = Buffer.concat([
        resp("SELECT", "0"),
        resp("SET", "k", "abc"),
      ]);
      const bytes = Buffer.concat([
        before,
        resp("INCR", "k"),
        resp("SET", "j", "1"),
      ]);
      const { dir, path } = folderWith(bytes);
      const error = await refusal(dir);
      expect(error.message).toMatch(offset(before.length));
      expect(error.message).toContain("'INCR'");
      expect(error.message).toContain(
        "value is not an integer or out of range",
      );
      expect(readFileSync(path)).toEqual(bytes);
    },
  );
});

describe("MULTI ... EXEC blocks", () => {
  const unfinished = Buffer.concat([
    resp("MULTI"),
    resp("SET", "x", "1"),
    resp("SET", "y", "2"),
  ]);

  itInProcess(
    "a block that never got its EXEC is dropped whole with aof-load-truncated yes: the file is cut at its MULTI",
    async () => {
      for (const tail of [unfinished, unfinished.subarray(0, -4)]) {
        const { dir, path } = folderWith(Buffer.concat([WHOLE, tail]));
        const server = await startOn(dir);
        expect(await contents(server)).toEqual({ a: "1", b: "hello" });
        expect(warnings.join("\n")).toMatch(offset(WHOLE.length));
        expect(readFileSync(path)).toEqual(WHOLE);
        await server.close();
        warnings = [];
      }
    },
  );

  itInProcess(
    "a block that never got its EXEC is refused with aof-load-truncated no, naming the MULTI's offset",
    async () => {
      const bytes = Buffer.concat([WHOLE, unfinished]);
      const { dir, path } = folderWith(bytes);
      const error = await refusal(dir, { aofLoadTruncated: false });
      expect(error.message).toMatch(offset(WHOLE.length));
      expect(readFileSync(path)).toEqual(bytes);
    },
  );

  itInProcess(
    "a whole block in the middle is applied, in order, with what follows it",
    async () => {
      const { dir } = folderWith(
        Buffer.concat([
          WHOLE,
          resp("MULTI"),
          resp("SET", "x", "1"),
          resp("INCR", "x"),
          resp("DEL", "a"),
          resp("EXEC"),
          resp("SET", "z", "26"),
        ]),
      );
      const server = await startOn(dir);
      expect(await contents(server)).toEqual({ b: "hello", x: "2", z: "26" });
      expect(warnings).toEqual([]);
    },
  );
});

describe("nothing to load", () => {
  itInProcess(
    "an empty file: an empty server, and the file is used",
    async () => {
      const { dir, path } = folderWith(Buffer.alloc(0));
      const server = await startOn(dir);
      expect(await contents(server)).toEqual({});
      const client = await connect(server);
      await client.set("k", "v");
      await server.close();
      expect(readFileSync(path).length).toBeGreaterThan(0);
      expect(await contents(await startOn(dir))).toEqual({ k: "v" });
    },
  );

  itInProcess("no file: an empty server, and the file is created", async () => {
    const { dir, path } = folderWith();
    const server = await startOn(dir);
    expect(await contents(server)).toEqual({});
    expect(existsSync(path)).toBe(true);
    const client = await connect(server);
    await client.set("k", "v");
    await server.close();
    expect(await contents(await startOn(dir))).toEqual({ k: "v" });
  });
});

describe("redis-check-aof, Redis's own checker, on our files", () => {
  itWithRedisCheckAof("accepts a file our server wrote", async () => {
    const { dir, path } = folderWith();
    const server = await startOn(dir, { appendfsync: "always" });
    await writeSomeOfEverything(server);
    await server.close();
    expectValidToRedis(path);
  });

  itWithRedisCheckAof(
    "accepts a file after BGREWRITEAOF, and appends to it",
    async () => {
      const { dir, path } = folderWith();
      const server = await startOn(dir);
      await writeSomeOfEverything(server);
      const client = await connect(server);
      await client.bgrewriteaof();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const info = await client.info("persistence");
        if (
          /aof_rewrites:1\b/.test(info) &&
          /aof_rewrite_in_progress:0\b/.test(info)
        )
          break;
        if (Date.now() > deadline)
          throw new Error(`the rewrite did not finish:\n${info}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expectValidToRedis(path);
      await client.set("after", "the rewrite");
      await server.close();
      expectValidToRedis(path);
    },
  );

  itWithRedisCheckAof(
    "accepts a file after our server cut a torn tail and appended to it",
    async () => {
      const { dir, path } = folderWith(
        Buffer.concat([WHOLE, TORN.subarray(0, 10)]),
      );
      expect(redisCheckAof(path).status).not.toBe(0);
      const server = await startOn(dir);
      const client = await connect(server);
      await client.set("after", "the cut");
      await server.close();
      expectValidToRedis(path);
    },
  );

  itWithRedisCheckAof.each(CUTS)(
    "agrees with our server on where a torn file stops being valid (cut %s)",
    async (_where, cut) => {
      const { path } = folderWith(
        Buffer.concat([WHOLE, TORN.subarray(0, cut)]),
      );
      const { status, output } = redisCheckAof(path);
      expect(status).toBe(1);
      expect(output).toContain(`ok_up_to=${WHOLE.length},`);
    },
  );
});

describe("redis-server 7.0.15 itself loads our file", () => {
  /** Every key of the 16 databases with its value and PEXPIRETIME, byte for byte. */
  async function everyKey(client: Redis): Promise<Record<string, string>> {
    const found: Record<string, string> = {};
    for (let db = 0; db < 16; db++) {
      await client.select(db);
      for (const key of await client.keysBuffer("*")) {
        const value = await client.getBuffer(key);
        const deadline = await client.pexpiretime(key);
        found[`db${db} ${JSON.stringify(key.toString("latin1"))}`] =
          `${JSON.stringify(value?.toString("latin1"))} pexpiretime ${deadline}`;
      }
    }
    await client.select(0);
    return found;
  }

  // Redis 7 keeps its AOF as a folder with a manifest; finding a single
  // appendonly.aof where its folder should be, it moves the file in as its
  // base and loads it.
  itWithRedisServer(
    "with appendonly yes, it migrates our appendonly.aof into its folder and has every key, deadlines included",
    async () => {
      const ours = folderWith();
      const server = await startOn(ours.dir, { appendfsync: "always" });
      await writeSomeOfEverything(server);
      const client = await connect(server);
      await client.set("deadline", "v", "PXAT", 4_102_444_800_123);
      const expected = await everyKey(client);
      await server.close();
      expect(Object.keys(expected).length).toBeGreaterThan(5);

      const theirs = folderWith();
      copyFileSync(ours.path, theirs.path);
      const redis = await startRedis(
        theirs.dir,
        { appendonly: "yes" },
        redisServerBinary,
      );
      const redisClient = new Redis({
        ...redis.address,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        lazyConnect: true,
      });
      onTestFinished(async () => {
        if (redisClient.status === "end") return;
        const ended = new Promise((resolve) =>
          redisClient.once("end", resolve),
        );
        redisClient.disconnect();
        await ended;
      });
      await redisClient.connect();

      expect(await everyKey(redisClient)).toEqual(expected);
      expect(existsSync(join(theirs.dir, "appendonlydir", AOF_NAME))).toBe(
        true,
      );
      expect(existsSync(theirs.path)).toBe(false);
      redisClient.disconnect();
      await redis.stop();
    },
  );
});
