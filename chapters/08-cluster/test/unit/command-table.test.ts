/**
 * Unit tests for command-table.ts: checks that would need a huge argument
 * over TCP, made by calling the table directly.
 */
import { Watcher } from "../../src/transactions/watched-keys.ts";
import { describe, expect, it } from "vitest";
import { CommandTable } from "../../src/dispatch/command-table.ts";
import type { CommandContext } from "../../src/dispatch/command-spec.ts";
import { MAX_STRING_BYTES } from "../../src/keyspace/keyspace.ts";
import { DEFAULT_CONFIG } from "../../src/config/directives.ts";
import { createServerState } from "../../src/server.ts";
import { systemClock } from "../../src/expiry/clock.ts";
import { CONNECTION_COMMANDS } from "../../src/commands/connection-commands.ts";
import { KEY_COMMANDS } from "../../src/commands/key-commands.ts";
import { INTROSPECTION_COMMANDS } from "../../src/commands/introspection-commands.ts";
import { DATABASE_COMMANDS } from "../../src/commands/database-commands.ts";
import { INFO_COMMANDS } from "../../src/commands/info-command.ts";
import { CONFIG_COMMANDS } from "../../src/commands/config-command.ts";
import { SERVER_COMMANDS } from "../../src/commands/server-commands.ts";
import { STRING_COMMANDS } from "../../src/commands/string-commands.ts";
import { STRING_RANGE_COMMANDS } from "../../src/commands/string-range-commands.ts";
import { COUNTER_COMMANDS } from "../../src/commands/counter-commands.ts";

const COMMANDS = new CommandTable([
  ...CONNECTION_COMMANDS,
  ...INTROSPECTION_COMMANDS,
  ...DATABASE_COMMANDS,
  ...INFO_COMMANDS,
  ...CONFIG_COMMANDS,
  ...SERVER_COMMANDS,
  ...STRING_COMMANDS,
  ...STRING_RANGE_COMMANDS,
  ...COUNTER_COMMANDS,
  ...KEY_COMMANDS,
]);

function context(): CommandContext {
  const server = createServerState(DEFAULT_CONFIG, systemClock, () => ({
    port: 0,
    connectedClients: 1,
    totalConnectionsReceived: 1,
    rejectedConnections: 0,
    recentMaxOutputBufferBytes: 0,
  }));
  const session = {
    id: 1,
    name: Buffer.alloc(0),
    libraryName: "",
    libraryVersion: "",
    db: server.keyspace.database(0),
    authenticated: true,
    protocol: 2 as const,
    closeAfterReply: false,
    mayBlock: true,
    transaction: undefined,
    watcher: new Watcher(),
    asking: false,
    readOnly: false,
  };
  return { session, commands: COMMANDS, server, loggedAs: undefined };
}

describe("an argument longer than V8's longest string", () => {
  // Legal in Redis (up to 512 MB), but 24 bytes too long to become a
  // JavaScript string (see MAX_STRING_BYTES in keyspace.ts). Commands without
  // keys convert arguments too: a KEYS pattern once threw here, and the
  // client was disconnected instead of answered.
  const huge = Buffer.allocUnsafe(MAX_STRING_BYTES + 1); // never filled: not read

  it.each([
    [["SET", "k", huge]],
    [["KEYS", huge]],
    [["SCAN", huge]],
    [["SCAN", "0", "MATCH", huge]],
    [["SCAN", "0", "TYPE", huge]],
    [["INFO", huge]],
    [["CONFIG", "GET", huge]],
    [["CONFIG", "SET", "requirepass", huge]],
  ])("%# is refused with Redis's too-big error", (args) => {
    const reply = COMMANDS.execute(
      args.map((arg) => (typeof arg === "string" ? Buffer.from(arg) : arg)),
      context(),
    );
    expect(reply).toEqual({
      type: "error",
      text: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
    });
  });
});
