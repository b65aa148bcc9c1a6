/**
 * Unit tests for config-file.ts, config-values.ts and directives.ts: argument
 * and config-file parsing, without starting anything.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/config-file.ts";
import { ConfigError } from "../../src/config/config-values.ts";
import { DEFAULT_CONFIG } from "../../src/config/directives.ts";

const dir = mkdtempSync(join(tmpdir(), "rfs-config-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(text: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(path, text);
  return path;
}

describe("loadConfig", () => {
  it("defaults to Redis's port on loopback", () => {
    expect(loadConfig([])).toEqual({
      port: 6379,
      bind: "127.0.0.1",
      shutdownTimeout: 10,
      maxclients: 10000,
      timeout: 0,
      tcpKeepalive: 300,
    });
    expect(loadConfig([])).toEqual(DEFAULT_CONFIG);
  });

  it("takes --directive value pairs, case-insensitively like Redis", () => {
    expect(
      loadConfig([
        "--port",
        "7000",
        "--BIND",
        "::1",
        "--shutdown-timeout",
        "0",
      ]),
    ).toEqual({
      ...DEFAULT_CONFIG,
      port: 7000,
      bind: "::1",
      shutdownTimeout: 0,
    });
  });

  it("reads the client limits within Redis's bounds", () => {
    expect(
      loadConfig([
        "--maxclients",
        "4294967295",
        "--timeout",
        "2147483647",
        "--tcp-keepalive",
        "0",
      ]),
    ).toMatchObject({
      maxclients: 4294967295,
      timeout: 2147483647,
      tcpKeepalive: 0,
    });
  });

  it("reads a file first, then lets the command line win", () => {
    const path = configFile("# comment\n  port 7001  \r\nbind 0.0.0.0\n\n");
    expect(loadConfig([path])).toMatchObject({ port: 7001, bind: "0.0.0.0" });
    expect(loadConfig([path, "--port", "7002"])).toMatchObject({
      port: 7002,
      bind: "0.0.0.0",
    });
  });

  it.each([
    [["--port", "7000", "8000"], "wrong number of arguments"],
    [["--port", "1e3"], "Invalid port '1e3'"],
    [["--port", ""], "Invalid port ''"],
    [["--port", "65536"], "Invalid port '65536'"],
    [["--shutdown-timeout", "1.5"], "Invalid shutdown-timeout '1.5'"],
    [["--maxclients", "0"], "Invalid maxclients '0'"],
    [["--maxclients", "4294967296"], "Invalid maxclients '4294967296'"],
    [["--timeout", "-1"], "Invalid timeout '-1'"],
    [["--tcp-keepalive", "2147483648"], "Invalid tcp-keepalive '2147483648'"],
    [["--bind", "a", "--", "b"], "Bad directive"],
    [["--bind", ""], "Invalid bind ''"],
    [["--constructor", "1"], "Bad directive"],
    [["--__proto__", "1"], "Bad directive"],
    [["--toString", "1"], "Bad directive"],
  ])("rejects %j", (args, message) => {
    expect(() => loadConfig(args)).toThrow(ConfigError);
    expect(() => loadConfig(args)).toThrow(message);
  });

  it("names the line of a bad directive in a file", () => {
    const path = configFile("port 7000\nmaxmemory 1gb\n");
    expect(() => loadConfig([path])).toThrow(`at line 2 of ${path}`);
  });

  it("rejects a second positional argument", () => {
    const path = configFile("port 7000\n");
    expect(() => loadConfig([path, "other.conf"])).toThrow(
      "Unexpected argument 'other.conf'",
    );
  });
});
