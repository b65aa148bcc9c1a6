/**
 * Article step 5: the command line. The server starts the way redis-server
 * does, says where it listens, and fails fast with one clear line.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chapterMainPath } from "../../../shared/harness.ts";
import { runMain, startServerProcess } from "../../../shared/child-server.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import { runProgram } from "../../../shared/run-program.ts";

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A port that is taken: something else listens on it for the rest of the test. */
async function occupiedPort(): Promise<number> {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => blocker.close(() => resolve())),
  );
  return (blocker.address() as { port: number }).port;
}

describe("start-up", () => {
  it("prints a banner with the chapter, the address and what it does", async () => {
    const server = await startServerProcess(chapterMainPath(), [
      "--port",
      "0",
      "--bind",
      "127.0.0.1",
    ]);
    const { stdout } = server.output();

    expect(stdout).toContain("chapter 01-tcp-echo");
    expect(stdout).toContain(`Listening on 127.0.0.1:${server.port}`);
    expect(stdout).toMatch(/echoes every byte/);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });

  it("reads a redis.conf-style file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rfs-config-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, "redis.conf");
    // Port 0 can only come from the file: without it, the server would try
    // the default, 6379.
    writeFileSync(configPath, "# a comment line\n\nport 0\nbind 127.0.0.1\n");

    const server = await startServerProcess(chapterMainPath(), [configPath]);
    const client = await RawSocket.connect(server.port, server.host);
    await client.send("hi");

    expect((await client.read(2)).toString()).toBe("hi");
    expect(server.port).not.toBe(6379);
    client.close();
  });

  it("lets command-line options override the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rfs-config-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, "redis.conf");
    writeFileSync(configPath, "port 1\n"); // a port we could not bind

    const server = await startServerProcess(chapterMainPath(), [
      configPath,
      "--port",
      "0",
    ]);

    expect(server.port).not.toBe(1);
    expect(server.port).not.toBe(6379);
  });
});

describe("start-up failures: one line on stderr, exit code 1", () => {
  it("port already in use", async () => {
    const port = await occupiedPort();

    const exit = await runMain(chapterMainPath(), ["--port", String(port)]);

    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe("");
    expect(exit.stderr).toBe(
      `Could not create server TCP listening socket 127.0.0.1:${port}: listen: Address already in use\n`,
    );
  });

  it.each([
    [
      ["--prot", "7000"],
      /Bad directive or wrong number of arguments at command-line option '--prot'/,
    ],
    [
      ["--port"],
      /Bad directive or wrong number of arguments at command-line option '--port'/,
    ],
    [
      ["--port", "99999"],
      /Invalid port '99999': expected a whole number from 0 to 65535/,
    ],
    [["--port", "-1"], /Invalid port '-1'/],
    [
      ["no-such-file.conf"],
      /Cannot read config file 'no-such-file.conf': ENOENT/,
    ],
  ])("bad arguments %j", async (args, message) => {
    const exit = await runMain(chapterMainPath(), args);

    expect(exit.code).toBe(1);
    expect(exit.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(exit.stderr).toMatch(message);
  });
});

describe("the open-files limit", () => {
  // The refusal to start when not one client fits (a limit of 32 or less)
  // is tested in unit/file-limit.test.ts: with so few descriptors, Node
  // and tsx do not reliably get as far as our code.
  /** Our server as a program, with `ulimit -n` lowered to `fileLimit` first. */
  function runUnderFileLimit(
    fileLimit: number,
    args: string[],
    whileRunning?: (port: number) => Promise<void>,
  ) {
    return runProgram({
      command: [
        process.execPath,
        "--import",
        "tsx",
        chapterMainPath(),
        ...args,
      ],
      fileLimit,
      ready: /Listening on \S+:(\d+)/,
      whileRunning: (ready) =>
        whileRunning?.(Number(ready[1])) ?? Promise.resolve(),
    });
  }

  it("lowers maxclients to the limit less 32, with Redis's three warnings, and turns the next client away", async () => {
    let refused = "";
    const run = await runUnderFileLimit(
      100,
      ["--port", "0", "--maxclients", "1000"],
      async (port) => {
        const clients: RawSocket[] = [];
        cleanups.push(() => clients.forEach((client) => client.close()));
        for (let i = 0; i < 68; i++) {
          clients.push(await RawSocket.connect(port));
        }
        // Each of the 68 is served...
        await Promise.all(clients.map((client) => client.send("hi")));
        for (const client of clients) {
          expect((await client.read(2)).toString()).toBe("hi");
        }
        // ...and the 69th is told there is no room.
        const extra = await RawSocket.connect(port);
        cleanups.push(() => extra.close());
        refused = (await extra.readUntilClosed()).toString();
      },
    );

    // The lines redis-server 7.0.15 logs under `ulimit -n 100` with
    // `--maxclients 1000` (each after its log prefix).
    expect(run.stdout).toContain(
      [
        "You requested maxclients of 1000 requiring at least 1032 max file descriptors.",
        "Server can't set maximum open files to 1032 because of OS error: Operation not permitted.",
        "Current maximum open files is 100. maxclients has been reduced to 68 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
      ].join("\n"),
    );
    expect(refused).toBe("-ERR max number of clients reached\r\n");
    expect(run.code).toBe(0);
  });

  it("says nothing when maxclients fits", async () => {
    const run = await runUnderFileLimit(100, [
      "--port",
      "0",
      "--maxclients",
      "68",
    ]);
    expect(run.stdout).not.toContain("maxclients");
    expect(run.code).toBe(0);
  });
});
