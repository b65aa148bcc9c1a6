/**
 * The command line, carried over from chapter 01. The server starts the way
 * redis-server does, says where it listens, and fails fast with one clear
 * line. These tests run our own server as a program, so they are skipped
 * when REDIS_URL points elsewhere.
 */
import { afterEach, describe, expect } from "vitest";
import { createServer, type Server } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  chapterMainPath,
  itInProcess,
  serverDir,
} from "../../../shared/harness.ts";
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
  itInProcess(
    "prints a banner with the chapter, the address and what it does",
    async () => {
      const server = await startServerProcess(chapterMainPath(), [
        "--port",
        "0",
        "--bind",
        "127.0.0.1",
      ]);
      const { stdout } = server.output();

      expect(stdout).toContain(`chapter ${basename(serverDir())}`);
      expect(stdout).toContain(`Listening on 127.0.0.1:${server.port}`);
      expect(stdout).toMatch(/this stage \S.*\./);
      server.child.kill("SIGTERM");
      expect((await server.exited).code).toBe(0);
    },
  );

  itInProcess("reads a redis.conf-style file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rfs-config-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, "redis.conf");
    // Port 0 can only come from the file: without it, the server would try
    // the default, 6379.
    writeFileSync(configPath, "# a comment line\n\nport 0\nbind 127.0.0.1\n");

    const server = await startServerProcess(chapterMainPath(), [configPath]);
    const client = await RawSocket.connect(server.port, server.host);
    await client.send("PING\r\n");

    expect((await client.read(7)).toString()).toBe("+PONG\r\n");
    expect(server.port).not.toBe(6379);
    client.close();
  });

  itInProcess("lets command-line options override the file", async () => {
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
  itInProcess("port already in use", async () => {
    const port = await occupiedPort();

    const exit = await runMain(chapterMainPath(), ["--port", String(port)]);

    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe("");
    expect(exit.stderr).toBe(
      `Could not create server TCP listening socket 127.0.0.1:${port}: listen: Address already in use\n`,
    );
  });

  itInProcess.each([
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
    [
      ["--maxclients", "0"],
      /Invalid maxclients '0': expected a whole number from 1 to 4294967295/,
    ],
    // Redis's reasons, after our one-line prefix.
    [
      ["--client-output-buffer-limit", "normal", "1mb"],
      /Wrong number of arguments in buffer limit configuration\.$/m,
    ],
    [
      ["--client-output-buffer-limit", "master 1mb 1mb 0"],
      /Invalid client class specified in buffer limit configuration\.$/m,
    ],
  ])("bad arguments %j", async (args, message) => {
    const exit = await runMain(chapterMainPath(), args);

    expect(exit.code).toBe(1);
    expect(exit.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(exit.stderr).toMatch(message);
  });
});

describe("the open-files limit, carried over from chapter 01", () => {
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

  itInProcess(
    "lowers maxclients to the limit less 32, with Redis's warning, and the next client is told so",
    async () => {
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
          await Promise.all(clients.map((client) => client.send("PING\r\n")));
          for (const client of clients) {
            expect((await client.read(7)).toString()).toBe("+PONG\r\n");
          }
          const extra = await RawSocket.connect(port);
          cleanups.push(() => extra.close());
          refused = (await extra.readUntilClosed()).toString();
        },
      );

      expect(run.stdout).toContain(
        "Current maximum open files is 100. maxclients has been reduced to 68 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.\n",
      );
      expect(refused).toBe("-ERR max number of clients reached\r\n");
      expect(run.code).toBe(0);
    },
  );
});
