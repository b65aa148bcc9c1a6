/**
 * CLIENT LIST's line for one client, from a client made up in the test:
 * the figures that need a socket in a particular state (output waiting,
 * input half received, a QUIT pending) or a clock at a particular moment,
 * which the black-box suite cannot arrange on demand.
 */
import { describe, expect, it } from "vitest";
import { clientFields, clientLine } from "../../src/commands/client-fields.ts";
import type { ConnectedClient } from "../../src/dispatch/connected-clients.ts";
import type { Client } from "../../src/network/connection.ts";
import { newSession } from "../../src/dispatch/session.ts";
import { Keyspace } from "../../src/keyspace/keyspace.ts";
import { ManualClock } from "../manual-clock.ts";

/** 2026-01-01 00:00:10.900, in ms. */
const NOW = Date.UTC(2026, 0, 1, 0, 0, 10, 900);

interface Made {
  client: ConnectedClient;
  /** What the made-up socket reports; change it to change the line. */
  socket: { pendingOutputBytes: number };
  state: { blocked: boolean; queryBufferBytes: number };
}

/** A client connected at 00:00:07.950, last active at 00:00:09.999. */
function makeClient(): Made {
  const keyspace = new Keyspace(16, new ManualClock());
  const socket = { pendingOutputBytes: 0 };
  const state = { blocked: false, queryBufferBytes: 0 };
  const connection: Client = {
    id: 42,
    send: () => {},
    close: () => {},
    destroy: () => {},
    congested: false,
    get pendingOutputBytes() {
      return socket.pendingOutputBytes;
    },
    address: "127.0.0.1:50000",
    localAddress: "127.0.0.1:6379",
    createdAt: Date.UTC(2026, 0, 1, 0, 0, 7, 950),
    idleSeconds: (now) =>
      Math.floor(now / 1000) -
      Math.floor(Date.UTC(2026, 0, 1, 0, 0, 9, 999) / 1000),
    waiting: false,
  };
  const client: ConnectedClient = {
    connection,
    session: newSession(42, keyspace.database(0), true),
    lastCommand: "get",
    get queryBufferBytes() {
      return state.queryBufferBytes;
    },
    get blocked() {
      return state.blocked;
    },
  };
  return { client, socket, state };
}

function fieldsOf(
  client: ConnectedClient,
  running?: { name: string; args: Buffer[] },
): Map<string, string | number> {
  return new Map(clientFields(client, NOW, running));
}

describe("a client's CLIENT LIST line", () => {
  it("an idle client: Redis 7.0.15's fields, in its order, and their values", () => {
    const { client } = makeClient();
    client.session.name = Buffer.from("worker");
    client.session.db = new Keyspace(16, new ManualClock()).database(7);
    expect(clientLine(client, NOW)).toBe(
      "id=42 addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=-1 name=worker " +
        "age=3 idle=1 flags=N db=7 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 " +
        "qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 " +
        "tot-mem=0 events=r cmd=get user=default redir=-1 resp=2",
    );
  });

  it("age counts whole-second clocks, as Redis does: 7.950 to 10.900 is 3", () => {
    const { client } = makeClient();
    expect(fieldsOf(client).get("age")).toBe(3);
  });

  it("the caller is described in the middle of its command: cmd and argv-mem", () => {
    const { client } = makeClient();
    const args = ["CLIENT", "LIST", "ID", "42"].map((a) => Buffer.from(a));
    const fields = fieldsOf(client, { name: "client|list", args });
    expect(fields.get("cmd")).toBe("client|list");
    expect(fields.get("argv-mem")).toBe(14);
    expect(fields.get("tot-mem")).toBe(14);
  });

  it("output waiting for the socket: omem, events rw, and tot-mem", () => {
    const { client, socket, state } = makeClient();
    socket.pendingOutputBytes = 5000;
    state.queryBufferBytes = 120;
    const fields = fieldsOf(client);
    expect(fields.get("omem")).toBe(5000);
    expect(fields.get("qbuf")).toBe(120);
    expect(fields.get("events")).toBe("rw");
    expect(fields.get("tot-mem")).toBe(5120);
  });

  it("flags: b while blocked, c while closing, bc for both, in Redis's order", () => {
    const { client, state } = makeClient();
    state.blocked = true;
    expect(fieldsOf(client).get("flags")).toBe("b");
    client.session.closeAfterReply = true;
    expect(fieldsOf(client).get("flags")).toBe("bc");
    state.blocked = false;
    expect(fieldsOf(client).get("flags")).toBe("c");
  });

  it("resp follows the protocol the client speaks", () => {
    const { client } = makeClient();
    client.session.protocol = 3;
    expect(fieldsOf(client).get("resp")).toBe(3);
  });
});
