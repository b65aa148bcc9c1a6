/**
 * The AOF's failure paths, in-process: a disk that refuses a write half-way,
 * a temporary file that cannot be created, and a close that must not start
 * anything new; and replay's rule that nothing expires while loading. Found by the differential fuzz (a full tmpfs); `writeSync`
 * is replaced here so the test needs no full disk.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS, createServerState } from "../../src/server.ts";
import {
  DEFAULT_CONFIG,
  type ServerConfig,
} from "../../src/config/directives.ts";
import { systemClock } from "../../src/expiry/clock.ts";
import { newSession } from "../../src/dispatch/session.ts";
import type { ServerState } from "../../src/dispatch/server-state.ts";
import { loadAppendOnlyFile } from "../../src/persistence/aof-loader.ts";
import { encodeCommand } from "../../src/persistence/aof-format.ts";
import type { Reply } from "../../src/protocol/reply.ts";
import type { RedisValue } from "../../src/keyspace/keyspace.ts";

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  return { ...real, writeSync: vi.fn(real.writeSync) };
});

const realWriteSync =
  await vi.importActual<typeof import("node:fs")>("node:fs");

const noTcp = () => ({
  port: 0,
  connectedClients: 0,
  totalConnectionsReceived: 0,
  rejectedConnections: 0,
  recentMaxOutputBufferBytes: 0,
});

const folders: string[] = [];
const servers: ServerState[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.aof.close();
  for (const folder of folders.splice(0))
    fs.rmSync(folder, { recursive: true, force: true });
  vi.mocked(fs.writeSync).mockImplementation(realWriteSync.writeSync);
  vi.restoreAllMocks();
});

/** A server state with the AOF on, in a folder of its own, and a way to run commands. */
function serverWithAof(settings: Partial<ServerConfig> = {}) {
  const dir = fs.mkdtempSync(join(tmpdir(), "aof-unit-"));
  folders.push(dir);
  const config = { ...DEFAULT_CONFIG, dir, appendonly: true, ...settings };
  const server = createServerState(config, systemClock, noTcp);
  servers.push(server);
  server.aof.open(0);
  const context = {
    session: newSession(1, server.keyspace.database(0), true),
    commands: COMMANDS,
    server,
    loggedAs: undefined,
  };
  const run = (...words: string[]): Reply => {
    const reply = COMMANDS.execute(
      words.map((word) => Buffer.from(word, "latin1")),
      context,
    );
    if (reply.type === "block" || reply.type === "forward") {
      throw new Error(`${words[0]} blocked`);
    }
    return reply;
  };
  return { server, run };
}

/** The keys and values a fresh server has after replaying `server`'s file. */
function replayed(server: ServerState): Map<string, RedisValue | undefined> {
  const fresh = createServerState({ ...server.config }, systemClock, noTcp);
  loadAppendOnlyFile(server.aof.path, COMMANDS, fresh);
  const db = fresh.keyspace.database(0);
  return new Map([...db.keys()].sort().map((key) => [key, db.get(key)]));
}

describe("a write the disk refuses half-way (everysec)", () => {
  it("keeps what reached the file, appends the rest after it, and holds the replies until then", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { server, run } = serverWithAof();
    run("SET", "before", "1");
    server.aof.flush();

    // The next write takes 10 bytes, then the disk is full.
    let calls = 0;
    vi.mocked(fs.writeSync).mockImplementation(((
      fd: number,
      data: Buffer,
      offset: number,
    ) => {
      calls += 1;
      if (calls === 1) return realWriteSync.writeSync(fd, data, offset, 10);
      throw Object.assign(new Error("ENOSPC: no space left on device"), {
        code: "ENOSPC",
      });
    }) as typeof fs.writeSync);
    run("SET", "big", "x".repeat(100));
    let delivered = false;
    server.aof.whenWritten(() => (delivered = true));
    server.aof.flush();
    expect(delivered).toBe(false);
    expect(server.aof.stats.lastWriteStatus).toBe("err");

    // Space again: the next flush appends the rest, and the reply goes.
    vi.mocked(fs.writeSync).mockImplementation(realWriteSync.writeSync);
    run("SET", "after", "2");
    server.aof.flush();
    expect(delivered).toBe(true);
    expect(server.aof.stats.lastWriteStatus).toBe("ok");
    expect(server.aof.stats.currentSize).toBe(
      fs.statSync(server.aof.path).size,
    );
    expect(replayed(server)).toEqual(
      new Map([
        ["after", "2"],
        ["before", "1"],
        ["big", "x".repeat(100)],
      ]),
    );
  });
});

describe("a rewrite whose temporary file cannot be created", () => {
  /** A folder where the temporary file should go makes `open` fail. */
  function blockTemporaryFile(server: ServerState): void {
    fs.mkdirSync(join(server.config.dir, `temp-rewriteaof-${process.pid}.aof`));
  }

  it("BGREWRITEAOF answers Redis's error, and the AOF goes on", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { server, run } = serverWithAof();
    blockTemporaryFile(server);
    expect(run("BGREWRITEAOF")).toEqual({
      type: "error",
      text: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
    });
    expect(server.aof.rewriting).toBe(false);
    expect(server.aof.stats.lastRewriteStatus).toBe("err");
    run("SET", "k", "v");
    server.aof.flush();
    expect(replayed(server).get("k")).toBe("v");
  });

  it("CONFIG SET appendonly yes answers Redis's error and leaves the AOF off", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { server, run } = serverWithAof();
    run("CONFIG", "SET", "appendonly", "no");
    blockTemporaryFile(server);
    expect(run("CONFIG", "SET", "appendonly", "yes")).toEqual({
      type: "error",
      text: "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
    });
    expect(server.config.appendonly).toBe(false);
    expect(server.aof.enabled).toBe(false);
  });
});

describe("close()", () => {
  it("does not start an automatic rewrite on its way out", () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { server, run } = serverWithAof({
      autoAofRewriteMinSize: 1,
      autoAofRewritePercentage: 1,
    });
    run("SET", "k", "v");
    server.aof.close();
    expect(server.aof.rewriting).toBe(false);
    expect(server.aof.stats.rewrites).toBe(0);
  });
});

describe("replay", () => {
  it("expires nothing while loading: a file written before a deadline replays as it happened", () => {
    const { server } = serverWithAof();
    server.aof.close();
    // Written while k was alive; loaded after its deadline.
    const deadline = Date.now() - 60_000;
    fs.writeFileSync(
      server.aof.path,
      Buffer.concat([
        encodeCommand(["SET", "k", "1", "PXAT", String(deadline)]),
        encodeCommand(["INCR", "k"]),
      ]),
    );
    const fresh = createServerState({ ...server.config }, systemClock, noTcp);
    loadAppendOnlyFile(server.aof.path, COMMANDS, fresh);
    const db = fresh.keyspace.database(0);
    // INCR ran on the key SET made, deadline and all: not on a new,
    // immortal key, as it would if lazy expiry had deleted k first.
    expect(db.peek("k")).toEqual({ value: "2", deadline });
    // Once loaded, the past deadline counts: the first lookup deletes it.
    expect(db.get("k")).toBeUndefined();
  });

  it("refuses a MULTI inside a MULTI block: only a damaged file has one", () => {
    const { server } = serverWithAof();
    server.aof.close();
    const multi = encodeCommand(["MULTI"]);
    fs.writeFileSync(
      server.aof.path,
      Buffer.concat([
        multi,
        encodeCommand(["SET", "a", "1"]),
        multi,
        encodeCommand(["SET", "b", "2"]),
        encodeCommand(["EXEC"]),
      ]),
    );
    const fresh = createServerState({ ...server.config }, systemClock, noTcp);
    expect(() => loadAppendOnlyFile(server.aof.path, COMMANDS, fresh)).toThrow(
      `MULTI inside a MULTI block`,
    );
    expect(() => loadAppendOnlyFile(server.aof.path, COMMANDS, fresh)).toThrow(
      `at offset ${multi.length + 27}`,
    );
  });
});
