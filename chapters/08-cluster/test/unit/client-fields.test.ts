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
import { Transaction } from "../../src/transactions/transaction.ts";
import { set } from "../../src/commands/string-commands.ts";

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

  it("flags: x in a transaction, d once a watched key changed, in Redis's order x b d c", () => {
    const { client, state } = makeClient();
    client.session.transaction = new Transaction();
    expect(fieldsOf(client).get("flags")).toBe("x");
    client.session.watcher.touched = true;
    expect(fieldsOf(client).get("flags")).toBe("xd");
    client.session.closeAfterReply = true;
    expect(fieldsOf(client).get("flags")).toBe("xdc");
    // Not a state a client reaches (a blocking command is queued inside
    // MULTI), but the order is Redis's all the same.
    state.blocked = true;
    expect(fieldsOf(client).get("flags")).toBe("xbdc");
    client.session.transaction = undefined;
    expect(fieldsOf(client).get("flags")).toBe("bdc");
  });

  it("multi and multi-mem: the commands queued, and Redis 7.0's figure for them, which tot-mem counts", () => {
    const { client } = makeClient();
    expect(fieldsOf(client).get("multi")).toBe(-1);
    const transaction = new Transaction();
    client.session.transaction = transaction;
    expect(fieldsOf(client).get("multi")).toBe(0);
    expect(fieldsOf(client).get("multi-mem")).toBe(0);
    const words = (...w: string[]) => w.map((word) => Buffer.from(word));
    transaction.queue(set, words("SET", "k", "v"));
    transaction.queue(set, words("SET", "k2", "0123456789"));
    // Measured on redis-server 7.0.15: 29 after the first, 68 after both
    // (each argument's bytes, plus 8 per argument).
    const fields = fieldsOf(client);
    expect(fields.get("multi")).toBe(2);
    expect(fields.get("multi-mem")).toBe(68);
    expect(fields.get("tot-mem")).toBe(68);
  });

  it("resp follows the protocol the client speaks", () => {
    const { client } = makeClient();
    client.session.protocol = 3;
    expect(fieldsOf(client).get("resp")).toBe(3);
  });
});
