/**
 * Article step "clients": the clients worth looking at, now that some of
 * them wait. CLIENT LIST and CLIENT INFO with Redis 7.0.15's fields, CLIENT
 * KILL in both its forms, CLIENT UNBLOCK, and INFO's blocked_clients.
 *
 * The tests look only at the clients they open themselves (CLIENT LIST ID,
 * KILL ... ID): the server may have others (a real Redis one under
 * REDIS_URL). A client that blocks is known to wait once CLIENT LIST shows
 * it with flag `b`, polled: never a fixed sleep.
 */
import { describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import {
  errorOf,
  infoNumber,
  keysForThisTest,
  pollUntil,
} from "./client-helpers.ts";
import { encodeCommand } from "./resp-helpers.ts";

const server = useServer();

/** Redis 7.0.15's fields of a CLIENT LIST line, in its order. */
const FIELDS = [
  "id",
  "addr",
  "laddr",
  "fd",
  "name",
  "age",
  "idle",
  "flags",
  "db",
  "sub",
  "psub",
  "ssub",
  "multi",
  "qbuf",
  "qbuf-free",
  "argv-mem",
  "multi-mem",
  "rbs",
  "rbp",
  "obl",
  "oll",
  "omem",
  "tot-mem",
  "events",
  "cmd",
  "user",
  "redir",
  "resp",
];

// #region helpers
/** One CLIENT LIST line's `field=value` pairs, in order. */
function parseLine(line: string): [string, string][] {
  return line.split(" ").map((pair): [string, string] => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/** CLIENT LIST's (or INFO's) text, a map of fields per line; every line ends with \n. */
function parseList(text: string): Map<string, string>[] {
  expect(text === "" || text.endsWith("\n")).toBe(true);
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => new Map(parseLine(line)));
}

/** The lines of CLIENT LIST ID `ids`, parsed. */
async function listOf(
  redis: Redis,
  ...ids: number[]
): Promise<Map<string, string>[]> {
  const text = (await redis.call("CLIENT", "LIST", "ID", ...ids)) as string;
  return parseList(text);
}

/** One client's line, or undefined if it is not connected. */
async function lineOf(
  redis: Redis,
  id: number,
): Promise<Map<string, string> | undefined> {
  return (await listOf(redis, id))[0];
}

/** A fresh client and its id. */
async function connect(): Promise<{ redis: Redis; id: number }> {
  const redis = await server.client();
  return { redis, id: (await redis.client("ID")) as number };
}

/** `ip:port` of the client's end of its socket, as the server sees it. */
function addressOf(redis: Redis): string {
  return `${redis.stream.localAddress}:${redis.stream.localPort}`;
}

/** `ip:port` of the server's end. */
function localAddressOf(redis: Redis): string {
  return `${redis.stream.remoteAddress}:${redis.stream.remotePort}`;
}

/** Resolves once CLIENT LIST shows client `id` blocked (flag `b`). */
async function untilBlocked(observer: Redis, id: number): Promise<void> {
  await pollUntil(
    async () => (await lineOf(observer, id))?.get("flags"),
    "b",
    `client ${id} blocked`,
  );
}

/** Resolves once client `id` has left CLIENT LIST. */
async function untilGone(observer: Redis, id: number): Promise<void> {
  await pollUntil(
    async () => (await lineOf(observer, id)) === undefined,
    true,
    `client ${id} gone`,
  );
}

/** A whole-second figure that a test taking a few seconds can see. */
function expectSmallSeconds(value: string | undefined): void {
  expect(value).toMatch(/^\d+$/);
  expect(Number(value)).toBeLessThan(10);
}
// #endregion helpers

describe("CLIENT LIST and CLIENT INFO", () => {
  it("a line per client, with Redis 7.0.15's fields in its order", async () => {
    const me = await connect();
    const text = (await me.redis.client("LIST")) as string;
    const lines = text.split("\n").filter((line) => line !== "");
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(parseLine(line).map(([field]) => field)).toEqual(FIELDS);
    }
    expect(parseList(text).map((fields) => fields.get("id"))).toContain(
      String(me.id),
    );
  });

  it("the caller's own line: its id, its addresses, its command, its protocol", async () => {
    const { redis, id } = await connect();
    await redis.client("SETNAME", "watcher");
    await redis.select(5);
    const [line] = parseList((await redis.client("INFO")) as string);
    expect(line!.get("id")).toBe(String(id));
    expect(line!.get("addr")).toBe(addressOf(redis));
    expect(line!.get("laddr")).toBe(localAddressOf(redis));
    expect(line!.get("name")).toBe("watcher");
    expect(line!.get("db")).toBe("5");
    expect(line!.get("flags")).toBe("N");
    expect(line!.get("cmd")).toBe("client|info");
    expect(line!.get("resp")).toBe(String(inject("protocol")));
    expectSmallSeconds(line!.get("age"));
    expectSmallSeconds(line!.get("idle"));
    for (const [field, value] of [
      ["sub", "0"],
      ["psub", "0"],
      ["ssub", "0"],
      ["multi", "-1"],
      ["user", "default"],
      ["redir", "-1"],
    ]) {
      expect(line!.get(field!), field).toBe(value);
    }
    // CLIENT LIST describes its caller the same way, in the middle of
    // its own command.
    const [listed] = await listOf(redis, id);
    expect(listed!.get("cmd")).toBe("client|list");
    expect(listed!.get("name")).toBe("watcher");
  });

  it("another client: its last command, its database, nothing pending", async () => {
    const me = await connect();
    const other = await connect();
    await other.redis.select(3);
    await other.redis.ping();
    const line = await lineOf(me.redis, other.id);
    expect(line!.get("addr")).toBe(addressOf(other.redis));
    expect(line!.get("laddr")).toBe(localAddressOf(other.redis));
    expect(line!.get("name")).toBe("");
    expect(line!.get("db")).toBe("3");
    expect(line!.get("cmd")).toBe("ping");
    expect(line!.get("flags")).toBe("N");
    expect(line!.get("qbuf")).toBe("0");
    expect(line!.get("omem")).toBe("0");
    expect(line!.get("argv-mem")).toBe("0");

    // An unknown command leaves `NULL`; one refused for its arity names it.
    await errorOf(other.redis.call("NOSUCHCOMMAND"));
    expect((await lineOf(me.redis, other.id))!.get("cmd")).toBe("NULL");
    await errorOf(other.redis.call("GET"));
    expect((await lineOf(me.redis, other.id))!.get("cmd")).toBe("get");
    // A container alone is the container; an unknown subcommand is unknown.
    await errorOf(other.redis.call("CONFIG"));
    expect((await lineOf(me.redis, other.id))!.get("cmd")).toBe("config");
    await errorOf(other.redis.call("CONFIG", "NOSUCH"));
    expect((await lineOf(me.redis, other.id))!.get("cmd")).toBe("NULL");
  });

  it("a client appears when it connects and is gone once it has quit", async () => {
    const me = await connect();
    const other = await connect();
    expect((await listOf(me.redis, other.id)).length).toBe(1);
    expect(
      parseList((await me.redis.client("LIST")) as string).map((line) =>
        line.get("id"),
      ),
    ).toContain(String(other.id));
    await other.redis.quit();
    await untilGone(me.redis, other.id);
    expect(
      parseList((await me.redis.client("LIST")) as string).map((line) =>
        line.get("id"),
      ),
    ).not.toContain(String(other.id));
  });

  it("ID lists the clients named, in that order, repeats included, unknown ones left out", async () => {
    const me = await connect();
    const other = await connect();
    const ids = (await listOf(me.redis, other.id, 0, me.id, other.id, -1)).map(
      (line) => line.get("id"),
    );
    expect(ids).toEqual([other.id, me.id, other.id].map(String));
    expect(await listOf(me.redis, 0)).toEqual([]);
  });

  it("TYPE normal takes every client of ours; the other types none of them", async () => {
    const { redis, id } = await connect();
    const idsOfType = async (type: string) =>
      parseList(
        (await redis.call("CLIENT", "LIST", "TYPE", type)) as string,
      ).map((line) => line.get("id"));
    expect(await idsOfType("normal")).toContain(String(id));
    expect(await idsOfType("NORMAL")).toContain(String(id));
    for (const type of ["master", "replica", "slave", "pubsub"]) {
      expect(await idsOfType(type), type).not.toContain(String(id));
    }
  });

  it("refuses what it cannot read, with Redis's words", async () => {
    const { redis } = await connect();
    const errorFor = (...args: string[]) =>
      errorOf(redis.call("CLIENT", "LIST", ...args));
    expect(await errorFor("TYPE", "robot")).toBe(
      "ERR Unknown client type 'robot'",
    );
    expect(await errorFor("TYPE")).toBe("ERR syntax error");
    expect(await errorFor("TYPE", "normal", "ID", "1")).toBe(
      "ERR syntax error",
    );
    expect(await errorFor("ID")).toBe("ERR syntax error");
    expect(await errorFor("everyone")).toBe("ERR syntax error");
    expect(await errorFor("ID", "1", "x")).toBe("ERR Invalid client ID");
    expect(await errorFor("ID", "99999999999999999999")).toBe(
      "ERR Invalid client ID",
    );
    expect(await errorOf(redis.call("CLIENT", "INFO", "x"))).toBe(
      "ERR wrong number of arguments for 'client|info' command",
    );
  });

  it("is a bulk string in RESP2 and a verbatim string (txt) in RESP3", async () => {
    const raw = await server.raw();
    await raw.send(encodeCommand("CLIENT", "INFO"));
    const resp2 = await raw.read(1);
    expect(resp2.toString()).toBe("$");
    const header = await readLine(raw);
    const body = await raw.read(Number(header) + 2);
    expect(body.toString("latin1")).toMatch(/^id=\d+ .* resp=2\n\r\n$/);

    await raw.send(encodeCommand("HELLO", "3"));
    await readHello(raw);
    await raw.send(encodeCommand("CLIENT", "LIST", "ID", "0"));
    // An empty list: the text is empty, the format is still said.
    expect((await raw.read(10)).toString()).toBe("=4\r\ntxt:\r\n");
    await raw.send(encodeCommand("CLIENT", "INFO"));
    expect((await raw.read(1)).toString()).toBe("=");
    const length = Number(await readLine(raw));
    const verbatim = (await raw.read(length + 2)).toString("latin1");
    expect(verbatim).toMatch(/^txt:id=\d+ .* resp=3\n\r\n$/);
  });
});

/** Reads up to \r\n and returns what came before. */
async function readLine(
  raw: Awaited<ReturnType<typeof server.raw>>,
): Promise<string> {
  let line = "";
  while (!line.endsWith("\r\n")) line += (await raw.read(1)).toString();
  return line.slice(0, -2);
}

/** Reads HELLO 3's map of 7 entries, whatever its values. */
async function readHello(
  raw: Awaited<ReturnType<typeof server.raw>>,
): Promise<void> {
  expect(await readLine(raw)).toBe("%7");
  // Keys and values are bulk strings, integers or the empty array.
  for (let i = 0; i < 14; i++) {
    const line = await readLine(raw);
    if (line.startsWith("$")) await raw.read(Number(line.slice(1)) + 2);
  }
}

describe("CLIENT KILL", () => {
  it("ip:port, the old form: +OK and the client is gone, or ERR No such client", async () => {
    const me = await connect();
    const other = await connect();
    expect(await me.redis.client("KILL", addressOf(other.redis))).toBe("OK");
    // Gone at once, as in Redis: the next command does not list it.
    expect(await listOf(me.redis, other.id)).toEqual([]);
    await expect(other.redis.ping()).rejects.toThrow();
    expect(await errorOf(me.redis.client("KILL", addressOf(other.redis)))).toBe(
      "ERR No such client",
    );
    expect(await errorOf(me.redis.client("KILL", "10.1.2.3:4"))).toBe(
      "ERR No such client",
    );
  });

  it("the old form may kill the caller: the +OK arrives, then the connection closes", async () => {
    const raw = await server.raw();
    await raw.send(encodeCommand("CLIENT", "INFO"));
    await raw.read(1);
    const info = (await raw.read(Number(await readLine(raw)) + 2)).toString();
    const addr = parseList(info.slice(0, -2))[0]!.get("addr")!;
    // The PING after it is never run.
    await raw.send(
      Buffer.concat([
        encodeCommand("CLIENT", "KILL", addr),
        encodeCommand("PING"),
      ]),
    );
    expect((await raw.readUntilClosed()).toString()).toBe("+OK\r\n");
  });

  it("the new form: filters that must all match, and the number killed", async () => {
    const me = await connect();
    const victim = () => connect();
    const kill = (...args: (string | number)[]) =>
      me.redis.call("CLIENT", "KILL", ...args);

    const a = await victim();
    expect(await kill("ID", a.id + 1000000)).toBe(0);
    expect(await kill("ID", a.id, "TYPE", "pubsub")).toBe(0);
    expect(await kill("ID", a.id, "ADDR", "10.1.2.3:4")).toBe(0);
    expect(await kill("ID", a.id, "LADDR", "10.1.2.3:4")).toBe(0);
    expect(await lineOf(me.redis, a.id)).toBeDefined();
    expect(
      await kill(
        "ID",
        a.id,
        "TYPE",
        "normal",
        "ADDR",
        addressOf(a.redis),
        "LADDR",
        localAddressOf(a.redis),
        "USER",
        "default",
      ),
    ).toBe(1);
    expect(await lineOf(me.redis, a.id)).toBeUndefined();

    const b = await victim();
    expect(await kill("addr", addressOf(b.redis))).toBe(1);
    expect(await lineOf(me.redis, b.id)).toBeUndefined();
    await expect(b.redis.ping()).rejects.toThrow();
  });

  it("the caller is spared unless SKIPME no; then it gets its answer and is closed", async () => {
    const me = await connect();
    expect(await me.redis.call("CLIENT", "KILL", "ID", me.id)).toBe(0);
    expect(
      await me.redis.call("CLIENT", "KILL", "ADDR", addressOf(me.redis)),
    ).toBe(0);
    expect(
      await me.redis.call("CLIENT", "KILL", "ID", me.id, "SKIPME", "yes"),
    ).toBe(0);

    const raw = await server.raw();
    await raw.send(encodeCommand("CLIENT", "ID"));
    const id = (await readLine(raw)).slice(1);
    await raw.send(
      Buffer.concat([
        encodeCommand("CLIENT", "KILL", "ID", id, "SKIPME", "no"),
        encodeCommand("PING"),
      ]),
    );
    expect((await raw.readUntilClosed()).toString()).toBe(":1\r\n");
  });

  it("a filter it cannot read is the answer, and nobody is killed", async () => {
    const me = await connect();
    const other = await connect();
    const errorFor = (...args: (string | number)[]) =>
      errorOf(me.redis.call("CLIENT", "KILL", ...args));
    expect(await errorFor("ID", other.id, "TYPE", "robot")).toBe(
      "ERR Unknown client type 'robot'",
    );
    for (const id of ["0", "-3", "x", "99999999999999999999"]) {
      expect(await errorFor("ID", id), id).toBe(
        "ERR client-id should be greater than 0",
      );
    }
    expect(await errorFor("ID", other.id, "USER", "nobody")).toBe(
      "ERR No such user 'nobody'",
    );
    expect(await errorFor("ID", other.id, "SKIPME", "maybe")).toBe(
      "ERR syntax error",
    );
    expect(await errorFor("ID", other.id, "TYPE")).toBe("ERR syntax error");
    expect(await errorFor("ID", other.id, "COLOR", "red")).toBe(
      "ERR syntax error",
    );
    // Redis 7.0 has no MAXAGE (7.4 added it).
    expect(await errorFor("ID", other.id, "MAXAGE", "10")).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(me.redis.call("CLIENT", "KILL"))).toBe(
      "ERR wrong number of arguments for 'client|kill' command",
    );
    expect(await other.redis.ping()).toBe("PONG");
  });

  it("a blocked client killed leaves its wait: blocked_clients drops, and a push after it stays in the list", async () => {
    const me = await connect();
    const waiter = await connect();
    const key = keysForThisTest();
    const before = await infoNumber(me.redis, "clients", "blocked_clients");
    const popped = waiter.redis.blpop(key("queue"), 0).catch(() => "closed");
    await untilBlocked(me.redis, waiter.id);
    expect(await infoNumber(me.redis, "clients", "blocked_clients")).toBe(
      before + 1,
    );
    const [line] = await listOf(me.redis, waiter.id);
    expect(line!.get("cmd")).toBe("blpop");

    expect(await me.redis.call("CLIENT", "KILL", "ID", waiter.id)).toBe(1);
    expect(await infoNumber(me.redis, "clients", "blocked_clients")).toBe(
      before,
    );
    expect(await me.redis.rpush(key("queue"), "kept")).toBe(1);
    expect(await me.redis.lrange(key("queue"), 0, -1)).toEqual(["kept"]);
    expect(await popped).toBe("closed");
  });
});

describe("CLIENT UNBLOCK", () => {
  it("TIMEOUT (the default): the waiter gets its command's timeout reply, and carries on", async () => {
    const me = await connect();
    const waiter = await connect();
    const key = keysForThisTest();
    for (const reason of [[], ["TIMEOUT"], ["timeout"]]) {
      const popped = waiter.redis.blpop(key("queue"), 0);
      await untilBlocked(me.redis, waiter.id);
      expect(
        await me.redis.call("CLIENT", "UNBLOCK", waiter.id, ...reason),
      ).toBe(1);
      expect(await popped).toBeNull();
      expect(await waiter.redis.ping()).toBe("PONG");
    }
    // Nobody waits any more.
    expect(await me.redis.call("CLIENT", "UNBLOCK", waiter.id)).toBe(0);
  });

  it("ERROR: the waiter gets -UNBLOCKED, and carries on", async () => {
    const me = await connect();
    const waiter = await connect();
    const key = keysForThisTest();
    const popped = errorOf(waiter.redis.blpop(key("queue"), 0));
    await untilBlocked(me.redis, waiter.id);
    expect(await me.redis.call("CLIENT", "UNBLOCK", waiter.id, "error")).toBe(
      1,
    );
    expect(await popped).toBe("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    expect((await lineOf(me.redis, waiter.id))!.get("flags")).toBe("N");
    expect(await waiter.redis.ping()).toBe("PONG");
    expect(await me.redis.llen(key("queue"))).toBe(0);
  });

  it("0 for a client that does not wait, or does not exist", async () => {
    const me = await connect();
    const other = await connect();
    expect(await me.redis.call("CLIENT", "UNBLOCK", other.id)).toBe(0);
    expect(await me.redis.call("CLIENT", "UNBLOCK", me.id)).toBe(0);
    expect(await me.redis.call("CLIENT", "UNBLOCK", 0)).toBe(0);
    expect(await me.redis.call("CLIENT", "UNBLOCK", -1, "ERROR")).toBe(0);
  });

  it("refuses what it cannot read, the reason before the id", async () => {
    const { redis } = await connect();
    const errorFor = (...args: string[]) =>
      errorOf(redis.call("CLIENT", "UNBLOCK", ...args));
    expect(await errorFor("x")).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await errorFor("99999999999999999999")).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await errorFor("1", "LATER")).toBe(
      "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
    );
    expect(await errorFor("x", "LATER")).toBe(
      "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
    );
    expect(await errorFor("1", "TIMEOUT", "now")).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.",
    );
    expect(await errorFor()).toBe(
      "ERR wrong number of arguments for 'client|unblock' command",
    );
  });
});

describe("INFO clients", () => {
  it("blocked_clients counts the waiters, clients_in_timeout_table those with a timeout", async () => {
    const me = await connect();
    const forever = await connect();
    const patient = await connect();
    const key = keysForThisTest();
    const blocked = () => infoNumber(me.redis, "clients", "blocked_clients");
    const timed = () =>
      infoNumber(me.redis, "clients", "clients_in_timeout_table");
    const [blockedBefore, timedBefore] = [await blocked(), await timed()];

    const first = forever.redis.blpop(key("a"), 0);
    await untilBlocked(me.redis, forever.id);
    const second = patient.redis.blpop(key("b"), 100);
    await untilBlocked(me.redis, patient.id);
    expect(await blocked()).toBe(blockedBefore + 2);
    expect(await timed()).toBe(timedBefore + 1);

    await me.redis.rpush(key("b"), "x");
    expect(await second).toEqual([key("b"), "x"]);
    expect(await blocked()).toBe(blockedBefore + 1);
    expect(await timed()).toBe(timedBefore);
    await me.redis.rpush(key("a"), "y");
    expect(await first).toEqual([key("a"), "y"]);
    expect(await blocked()).toBe(blockedBefore);
  });

  it("the section's fields come in Redis's order", async () => {
    const { redis } = await connect();
    const names = (await redis.info("clients"))
      .split("\r\n")
      .filter((line) => line.includes(":"))
      .map((line) => line.slice(0, line.indexOf(":")));
    // Redis 7.0.15's order; a server may leave some out.
    const order = [
      "connected_clients",
      "cluster_connections",
      "maxclients",
      "client_recent_max_input_buffer",
      "client_recent_max_output_buffer",
      "blocked_clients",
      "tracking_clients",
      "clients_in_timeout_table",
    ];
    expect(names).toEqual(order.filter((name) => names.includes(name)));
    for (const name of [
      "connected_clients",
      "blocked_clients",
      "tracking_clients",
      "clients_in_timeout_table",
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe(
  "CLIENT HELP, COMMAND INFO and COMMAND DOCS",
  { tags: ["fidelity"] },
  () => {
    it("CLIENT HELP describes LIST, INFO, KILL and UNBLOCK in Redis's words", async () => {
      const { redis } = await connect();
      const lines = (await redis.client("HELP")) as string[];
      const from = (first: string, count: number) => {
        const at = lines.indexOf(first);
        expect(at, first).toBeGreaterThan(0);
        return lines.slice(at, at + count);
      };
      expect(from("INFO", 2)).toEqual([
        "INFO",
        "    Return information about the current client connection.",
      ]);
      expect(from("KILL <ip:port>", 16)).toEqual([
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
      ]);
      expect(from("UNBLOCK <clientid> [TIMEOUT|ERROR]", 2)).toEqual([
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
      ]);
    });

    const ADMIN = ["admin", "noscript", "loading", "stale"];
    const ADMIN_CATEGORIES = ["@admin", "@slow", "@dangerous", "@connection"];
    it.each([
      ["client|list", -2, ADMIN, ADMIN_CATEGORIES, ["nondeterministic_output"]],
      [
        "client|info",
        2,
        ["noscript", "loading", "stale"],
        ["@slow", "@connection"],
        ["nondeterministic_output"],
      ],
      ["client|kill", -3, ADMIN, ADMIN_CATEGORIES, []],
      ["client|unblock", -3, ADMIN, ADMIN_CATEGORIES, []],
    ])("COMMAND INFO %s", async (name, arity, flags, categories, tips) => {
      const { redis } = await connect();
      const [info] = (await redis.call("COMMAND", "INFO", name)) as unknown[][];
      expect(info).toEqual([
        name,
        arity,
        flags,
        0,
        0,
        0,
        categories,
        tips,
        [],
        [],
      ]);
    });

    const TYPE_TOKENS = ["normal", "master", "replica", "pubsub"].map(
      (name) => [
        "name",
        name,
        "type",
        "pure-token",
        "token",
        name.toUpperCase(),
      ],
    );

    it.each([
      [
        "client|list",
        [
          "summary",
          "Get the list of client connections",
          "since",
          "2.4.0",
          "group",
          "connection",
          "complexity",
          "O(N) where N is the number of client connections",
          "history",
          [
            ["2.8.12", "Added unique client `id` field."],
            ["5.0.0", "Added optional `TYPE` filter."],
            ["6.0.0", "Added `user` field."],
            [
              "6.2.0",
              "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.",
            ],
            ["7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."],
            ["7.0.3", "Added `ssub` field."],
          ],
          "arguments",
          [
            [
              "name",
              "normal_master_replica_pubsub",
              "type",
              "oneof",
              "token",
              "TYPE",
              "since",
              "5.0.0",
              "flags",
              ["optional"],
              "arguments",
              TYPE_TOKENS,
            ],
            [
              "name",
              "id",
              "type",
              "block",
              "token",
              "ID",
              "since",
              "6.2.0",
              "flags",
              ["optional"],
              "arguments",
              [["name", "client-id", "type", "integer", "flags", ["multiple"]]],
            ],
          ],
        ],
      ],
      [
        "client|info",
        [
          "summary",
          "Returns information about the current client connection.",
          "since",
          "6.2.0",
          "group",
          "connection",
          "complexity",
          "O(1)",
        ],
      ],
      [
        "client|unblock",
        [
          "summary",
          "Unblock a client blocked in a blocking command from a different connection",
          "since",
          "5.0.0",
          "group",
          "connection",
          "complexity",
          "O(log N) where N is the number of client connections",
          "arguments",
          [
            ["name", "client-id", "type", "integer"],
            [
              "name",
              "timeout_error",
              "type",
              "oneof",
              "flags",
              ["optional"],
              "arguments",
              [
                ["name", "timeout", "type", "pure-token", "token", "TIMEOUT"],
                ["name", "error", "type", "pure-token", "token", "ERROR"],
              ],
            ],
          ],
        ],
      ],
      [
        "client|kill",
        [
          "summary",
          "Kill the connection of a client",
          "since",
          "2.4.0",
          "group",
          "connection",
          "complexity",
          "O(N) where N is the number of client connections",
          "history",
          [
            ["2.8.12", "Added new filter format."],
            ["2.8.12", "`ID` option."],
            ["3.2.0", "Added `master` type in for `TYPE` option."],
            [
              "5.0.0",
              "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.",
            ],
            ["6.2.0", "`LADDR` option."],
          ],
          "arguments",
          [
            [
              "name",
              "filter",
              "type",
              "oneof",
              "arguments",
              [
                [
                  "name",
                  "ip:port",
                  "type",
                  "string",
                  "deprecated_since",
                  "2.8.12",
                ],
                [
                  "name",
                  "new-format",
                  "type",
                  "oneof",
                  "flags",
                  ["multiple"],
                  "arguments",
                  [
                    [
                      "name",
                      "client-id",
                      "type",
                      "integer",
                      "token",
                      "ID",
                      "since",
                      "2.8.12",
                      "flags",
                      ["optional"],
                    ],
                    [
                      "name",
                      "normal_master_slave_pubsub",
                      "type",
                      "oneof",
                      "token",
                      "TYPE",
                      "since",
                      "2.8.12",
                      "flags",
                      ["optional"],
                      "arguments",
                      [
                        [
                          "name",
                          "normal",
                          "type",
                          "pure-token",
                          "token",
                          "NORMAL",
                        ],
                        [
                          "name",
                          "master",
                          "type",
                          "pure-token",
                          "token",
                          "MASTER",
                          "since",
                          "3.2.0",
                        ],
                        [
                          "name",
                          "slave",
                          "type",
                          "pure-token",
                          "token",
                          "SLAVE",
                        ],
                        [
                          "name",
                          "replica",
                          "type",
                          "pure-token",
                          "token",
                          "REPLICA",
                          "since",
                          "5.0.0",
                        ],
                        [
                          "name",
                          "pubsub",
                          "type",
                          "pure-token",
                          "token",
                          "PUBSUB",
                        ],
                      ],
                    ],
                    [
                      "name",
                      "username",
                      "type",
                      "string",
                      "token",
                      "USER",
                      "flags",
                      ["optional"],
                    ],
                    [
                      "name",
                      "ip:port",
                      "type",
                      "string",
                      "token",
                      "ADDR",
                      "flags",
                      ["optional"],
                    ],
                    [
                      "name",
                      "ip:port",
                      "type",
                      "string",
                      "token",
                      "LADDR",
                      "since",
                      "6.2.0",
                      "flags",
                      ["optional"],
                    ],
                    [
                      "name",
                      "yes/no",
                      "type",
                      "string",
                      "token",
                      "SKIPME",
                      "flags",
                      ["optional"],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ])("COMMAND DOCS %s", async (name, expected) => {
      const { redis } = await connect();
      const [, docs] = (await redis.call("COMMAND", "DOCS", name)) as [
        string,
        unknown,
      ];
      expect(docs).toEqual(expected);
    });
  },
);
