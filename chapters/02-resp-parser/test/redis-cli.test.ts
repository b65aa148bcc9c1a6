/**
 * The done-when of this chapter: `redis-cli`, Redis's own client, works
 * against our server, in one-shot mode and in an interactive session. (It
 * asks for `COMMAND DOCS` as it starts, to learn the hints it shows while
 * you type, and quietly falls back to a built-in copy if the answer is
 * wrong; commands.test.ts pins that answer.)
 *
 * Needs `redis-cli` (Debian's redis-tools) and, for the interactive session,
 * `script` from util-linux to give it a terminal. Skipped, and saying so,
 * where they are missing.
 */
import { describe, expect, it } from "vitest";
import { execFile, spawnSync } from "node:child_process";
import { useServer } from "../../../shared/harness.ts";

const server = useServer();

const installed = (program: string): boolean =>
  spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;
const hasRedisCli = installed("redis-cli");
const hasScript = installed("script");

/** Runs a program with `input` on its stdin and resolves with its output. */
function run(
  program: string,
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      { env, timeout: 10_000 },
      (error, stdout, stderr) =>
        error ? reject(error) : resolve({ stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

describe.skipIf(!hasRedisCli)("redis-cli", () => {
  it("redis-cli ping prints PONG", async () => {
    const { stdout, stderr } = await run(
      "redis-cli",
      ["-h", server.host, "-p", String(server.port), "ping"],
      "",
    );
    expect(stdout).toBe("PONG\n");
    expect(stderr).toBe("");
  });

  it("runs commands read from stdin, and shows help for them", async () => {
    const { stdout, stderr } = await run(
      "redis-cli",
      ["-h", server.host, "-p", String(server.port)],
      'ping\necho "hi there"\nhelp echo\n',
    );
    expect(stdout).toContain("PONG\nhi there\n");
    expect(stdout).toContain("Echo the given string");
    expect(stderr).toBe("");
  });

  it("redis-cli -3 speaks RESP3 and shows HELLO's reply as a map", async () => {
    // --no-raw: the formatting a terminal gets, although stdout is a pipe.
    const { stdout, stderr } = await run(
      "redis-cli",
      ["-3", "--no-raw", "-h", server.host, "-p", String(server.port)],
      "hello 3\n",
    );
    expect(stdout).toMatch(
      /^1# "server" => "redis"\n2# "version" => "7\.0\.15"\n3# "proto" => \(integer\) 3\n4# "id" => \(integer\) \d+\n/,
    );
    expect(stdout).toContain('7# "modules" => (empty array)\n');
    expect(stderr).toBe("");
  });

  it.skipIf(!hasScript)(
    "works as an interactive session, with no error lines",
    async () => {
      // `script` gives redis-cli a terminal, so it runs interactively;
      // TERM=dumb makes it read plain lines instead of driving the cursor.
      const command = `redis-cli -h ${server.host} -p ${server.port}`;
      const { stdout } = await run(
        "script",
        ["-qec", command, "/dev/null"],
        'ping\necho "hi there"\nhello 2\nquit\n',
        { ...process.env, TERM: "dumb" },
      );
      // The replies, line by line, without the prompts. Where a line
      // falls is up to the terminal: lines typed before redis-cli has
      // taken the terminal over are echoed at once, all together, ahead of
      // the first reply (a CI run under load saw `> ping`, the other
      // lines, then `PONG`), so only the replies themselves are checked.
      const prompt = `${server.host}:${server.port}> `;
      const lines = stdout
        .split(/\r*\n/)
        .map((line) => line.replaceAll(prompt, "").trim());
      expect(stdout).toContain(prompt);
      expect(lines).toContain("PONG");
      expect(lines).toContain('"hi there"');
      expect(lines).toContain('5) "proto"');
      expect(stdout).not.toMatch(/\(error\)|ERR/);
    },
  );
});
