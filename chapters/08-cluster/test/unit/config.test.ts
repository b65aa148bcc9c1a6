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
      clientQueryBufferLimit: 1024 ** 3,
      clientOutputBufferLimit: {
        normal: {
          hardBytes: 64 * 1024 ** 2,
          softBytes: 16 * 1024 ** 2,
          softSeconds: 20,
        },
        replica: {
          hardBytes: 256 * 1024 ** 2,
          softBytes: 64 * 1024 ** 2,
          softSeconds: 60,
        },
        pubsub: {
          hardBytes: 32 * 1024 ** 2,
          softBytes: 8 * 1024 ** 2,
          softSeconds: 60,
        },
      },
      databases: 16,
      requirepass: "",
      protectedMode: true,
      hz: 10,
      appendonly: false,
      appendfilename: "appendonly.aof",
      dir: ".",
      appendfsync: "everysec",
      aofLoadTruncated: true,
      autoAofRewritePercentage: 100,
      autoAofRewriteMinSize: 64 * 1024 ** 2,
      multiRollback: false,
      listMaxListpackSize: -2,
      listCompressDepth: 0,
      hashMaxListpackEntries: 512,
      hashMaxListpackValue: 64,
      setMaxIntsetEntries: 512,
      zsetMaxListpackEntries: 128,
      zsetMaxListpackValue: 64,
      clusterEnabled: false,
      clusterConfigFile: "nodes.conf",
      clusterNodeTimeout: 15_000,
      clusterPort: 0,
      clusterAnnounceIp: "",
      clusterAnnouncePort: 0,
      clusterAnnounceBusPort: 0,
      clusterAnnounceHostname: "",
      clusterRequireFullCoverage: true,
      clusterAllowReadsWhenDown: false,
      clusterProxy: false,
      clusterProxyTimeout: 5_000,
    });
    expect(loadConfig([])).toEqual(DEFAULT_CONFIG);
  });

  it("reads the AOF settings, and refuses what Redis refuses", () => {
    const config = loadConfig([
      "--appendonly",
      "YES",
      "--appendfsync",
      "always",
      "--aof-load-truncated",
      "no",
      "--dir",
      "/tmp",
      "--auto-aof-rewrite-min-size",
      "1mb",
    ]);
    expect(config).toMatchObject({
      appendonly: true,
      appendfsync: "always",
      aofLoadTruncated: false,
      dir: "/tmp",
      autoAofRewriteMinSize: 1024 ** 2,
    });
    expect(() => loadConfig(["--appendfsync", "sometimes"])).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(["--appendfilename", "../x.aof"])).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(["--dir", "/no/such/folder"])).toThrow(
      "Can't chdir to '/no/such/folder'",
    );
  });

  it("reads the list settings under both names, within a C int as Redis does", () => {
    expect(
      loadConfig([
        "--list-max-listpack-size",
        "-6",
        "--list-compress-depth",
        "3",
      ]),
    ).toMatchObject({ listMaxListpackSize: -6, listCompressDepth: 3 });
    // The old name is an alias: the last one given wins.
    expect(
      loadConfig([
        "--list-max-listpack-size",
        "5",
        "--list-max-ziplist-size",
        "0",
      ]).listMaxListpackSize,
    ).toBe(0);
    expect(
      loadConfig(["--list-max-ziplist-size", "-2147483648"])
        .listMaxListpackSize,
    ).toBe(-(2 ** 31));
    expect(() => loadConfig(["--list-max-ziplist-size", "2147483648"])).toThrow(
      expect.objectContaining({
        reason: "argument must be between -2147483648 and 2147483647 inclusive",
      }),
    );
    expect(() => loadConfig(["--list-max-listpack-size", "1.5"])).toThrow(
      expect.objectContaining({
        reason: "argument couldn't be parsed into an integer",
      }),
    );
    expect(() => loadConfig(["--list-compress-depth", "-1"])).toThrow(
      expect.objectContaining({
        reason: "argument must be between 0 and 2147483647 inclusive",
      }),
    );
  });

  it("keeps hz between 1 and 500, as Redis clamps it", () => {
    expect(loadConfig(["--hz", "0"]).hz).toBe(1);
    expect(loadConfig(["--hz", "100"]).hz).toBe(100);
    expect(loadConfig(["--hz", "100000"]).hz).toBe(500);
    expect(() => loadConfig(["--hz", "-1"])).toThrow(/hz/);
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
        "--client-query-buffer-limit",
        "2mb",
      ]),
    ).toEqual({
      ...DEFAULT_CONFIG,
      port: 7000,
      bind: "::1",
      shutdownTimeout: 0,
      clientQueryBufferLimit: 2 * 1024 ** 2,
    });
  });

  it.each([
    ["1048576", 1024 ** 2],
    ["1mb", 1024 ** 2],
    ["1MB", 1024 ** 2],
    ["2000k", 2_000_000],
    ["2000kb", 2_048_000],
    ["3m", 3_000_000],
    ["1g", 1_000_000_000],
    ["1gb", 1024 ** 3],
  ])("reads client-query-buffer-limit %j in Redis's units", (text, bytes) => {
    expect(
      loadConfig(["--client-query-buffer-limit", text]).clientQueryBufferLimit,
    ).toBe(bytes);
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

  it("reads protected-mode as yes or no", () => {
    expect(loadConfig(["--protected-mode", "NO"]).protectedMode).toBe(false);
    expect(loadConfig(["--protected-mode", "yes"]).protectedMode).toBe(true);
    expect(() => loadConfig(["--protected-mode", "1"])).toThrow(
      "Invalid value '1': expected yes or no",
    );
  });

  it("reads client-output-buffer-limit's several words, on the command line as in a file", () => {
    const limits = {
      normal: { hardBytes: 1024 ** 2, softBytes: 2000, softSeconds: 3 },
      replica: DEFAULT_CONFIG.clientOutputBufferLimit.replica,
      pubsub: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
    };
    expect(
      loadConfig([
        "--client-output-buffer-limit",
        "normal",
        "1mb",
        "2k",
        "3",
        "--client-output-buffer-limit",
        "pubsub 0 0 0",
      ]).clientOutputBufferLimit,
    ).toEqual(limits);
    const path = configFile(
      "client-output-buffer-limit normal 1mb 2k 3\nclient-output-buffer-limit   pubsub 0 0 0\n",
    );
    expect(loadConfig([path]).clientOutputBufferLimit).toEqual(limits);
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
    [["--timeout", "-1"], "Invalid timeout '-1'"],
    [["--tcp-keepalive", "2147483648"], "Invalid tcp-keepalive '2147483648'"],
    [
      ["--client-output-buffer-limit", "normal", "1mb"],
      "Wrong number of arguments in buffer limit configuration.",
    ],
    [["--bind", "a", "--", "b"], "Bad directive"],
    [["--bind", ""], "Invalid bind ''"],
    [["--client-query-buffer-limit", "1kb"], "at least 1048576 bytes"],
    [
      ["--client-query-buffer-limit", "1tb"],
      "Invalid client-query-buffer-limit",
    ],
    [
      ["--client-query-buffer-limit", "-1mb"],
      "Invalid client-query-buffer-limit",
    ],
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
