/**
 * Article step "reset": RESET, and what CLIENT LIST shows of a client in
 * a transaction.
 *
 * - RESET (Redis 6.2) answers `+RESET` and leaves the connection as it was
 *   when it connected: database 0, no name, RESP2 (its own answer is the
 *   same bytes in both), no transaction (it runs at once inside MULTI, and
 *   the queue is dropped), no watched key, and, with `requirepass` set,
 *   signed out: the next command gets NOAUTH. It needs no AUTH itself. A
 *   client that waits in BLPOP runs it once it is served, as any command
 *   sent behind a blocking one.
 * - CLIENT LIST and CLIENT INFO: `flags=x` from MULTI to EXEC, `multi=N`
 *   the commands queued (-1 outside a transaction), `multi-mem` Redis
 *   7.0's figure (each queued command's argument bytes, plus 8 per
 *   argument), and `d` once a watched key has changed, before MULTI too,
 *   in Redis's order of letters (`xd`, `bd`).
 * - After a refused command, what was queued before it is still counted;
 *   a client's own CLIENT INFO inside EXEC shows it still in the
 *   transaction, running EXEC.
 *
 * Every figure here was checked against redis-server 7.0.15, and the
 * suite runs against it with `npm run test:redis`. The password tests set
 * `requirepass` with CONFIG SET and always remove it when the test ends,
 * through a client that connected before it was set.
 */
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { randomUUID } from "node:crypto";
import type { Redis, RedisOptions } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import { errorOf, keysForThisTest } from "./client-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";
import { connect, untilBlocked } from "./waiting-helpers.ts";

const server = useServer();

const NOAUTH = "NOAUTH Authentication required.";
const EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";

// #region helpers
/** A raw connection in the project's protocol (RESP3: HELLO 3 sent and read). */
async function rawClient(): Promise<RawSocket> {
  return speakProtocol(await server.raw(), inject("protocol"));
}

/** Reads one line of a raw connection, up to and with its CRLF. */
async function readLine(raw: RawSocket): Promise<string> {
  let line = "";
  while (!line.endsWith("\r\n")) line += (await raw.read(1)).toString("latin1");
  return line;
}

/** A raw client's id, from CLIENT ID. */
async function rawClientId(raw: RawSocket): Promise<number> {
  await raw.send(encodeCommand("CLIENT", "ID"));
  return Number((await readLine(raw)).slice(1, -2));
}

/** A client's CLIENT LIST fields (undefined if it is not connected). */
async function fieldsOf(
  observer: Redis,
  id: number,
): Promise<Map<string, string> | undefined> {
  const text = (await observer.call("CLIENT", "LIST", "ID", id)) as string;
  const line = text.split("\n").find((l) => l !== "");
  if (line === undefined) return undefined;
  return new Map(
    line.split(" ").map((pair): [string, string] => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** What CLIENT LIST says of a client's transaction: `flags`, `multi`, `multi-mem`. */
async function transactionFields(
  observer: Redis,
  id: number,
): Promise<[flags: string, multi: number, multiMem: number]> {
  const fields = (await fieldsOf(observer, id))!;
  return [
    fields.get("flags")!,
    Number(fields.get("multi")),
    Number(fields.get("multi-mem")),
  ];
}

/**
 * Redis 7.0's `multi-mem` for queued commands (`argv_len_sums` in
 * multi.c): the bytes of each argument, plus the 8 of a pointer to it.
 */
function multiMem(...commands: string[][]): number {
  return commands
    .flat()
    .reduce((sum, word) => sum + Buffer.byteLength(word) + 8, 0);
}

/**
 * A client that sends nothing on connecting (no HELLO, no CLIENT SETINFO,
 * no INFO), so that it connects even when it may not run those yet.
 */
const SILENT: RedisOptions = {
  protocol: 2,
  disableClientInfo: true,
  enableReadyCheck: false,
};

/**
 * Sets a random password for the rest of the test and removes it when the
 * test ends, pass or fail. `admin` connected before the password was set,
 * so it stays authenticated.
 */
async function requirePassword(): Promise<{ password: string; admin: Redis }> {
  const admin = await server.client();
  const password = `pw-${randomUUID()}`;
  onTestFinished(async () => {
    await admin.config("SET", "requirepass", "");
  });
  expect(await admin.config("SET", "requirepass", password)).toBe("OK");
  return { password, admin };
}
// #endregion helpers

describe("RESET", () => {
  it("answers +RESET, and the connection is as new: database 0, no name, RESP2", async () => {
    const raw = await rawClient();
    const key = keysForThisTest()("k");
    await raw.send(
      Buffer.concat([
        encodeCommand("CLIENT", "SETNAME", "before-reset"),
        encodeCommand("SELECT", "5"),
        encodeCommand("SET", key, "in db 5"),
        encodeCommand("RESET"),
        // A null in RESP2 ($-1) even after HELLO 3: the name is gone, and
        // so is RESP3.
        encodeCommand("CLIENT", "GETNAME"),
        encodeCommand("GET", key),
        encodeCommand("SELECT", "5"),
        encodeCommand("GET", key),
        encodeCommand("DEL", key),
      ]),
    );
    await expectBytes(
      raw,
      "+OK\r\n+OK\r\n+OK\r\n+RESET\r\n$-1\r\n$-1\r\n+OK\r\n$7\r\nin db 5\r\n:1\r\n",
    );
  });

  it("CLIENT INFO after RESET: db=0, name= and resp=2, whatever they were", async () => {
    const redis = await server.client();
    await redis.call("CLIENT", "SETNAME", "someone");
    await redis.select(7);
    expect(await redis.call("RESET")).toBe("RESET");
    const info = (await redis.call("CLIENT", "INFO")) as string;
    expect(info).toContain(" name= ");
    expect(info).toContain(" db=0 ");
    expect(info).toMatch(/ resp=2\n$/);
  });

  it("inside MULTI it runs at once and drops the transaction: nothing queued runs, and EXEC has no MULTI", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.call("MULTI")).toBe("OK");
    expect(await redis.set(key("a"), "1")).toBe("QUEUED");
    expect(await redis.call("RESET")).toBe("RESET");
    expect(await errorOf(redis.call("EXEC"))).toBe(EXEC_WITHOUT_MULTI);
    expect(await redis.exists(key("a"))).toBe(0);

    // A transaction already doomed (EXECABORT) goes the same way.
    expect(await redis.call("MULTI")).toBe("OK");
    await errorOf(redis.call("NOSUCH"));
    expect(await redis.call("RESET")).toBe("RESET");
    expect(await errorOf(redis.call("EXEC"))).toBe(EXEC_WITHOUT_MULTI);
    expect(await errorOf(redis.call("DISCARD"))).toBe(
      "ERR DISCARD without MULTI",
    );
    // And the client can start another at once.
    expect(await redis.multi().set(key("b"), "2").exec()).toEqual([
      [null, "OK"],
    ]);
  });

  it("unwatches every key: a change after RESET, or one before it, no longer fails EXEC", async () => {
    const redis = await server.client();
    const other = await server.client();
    const key = keysForThisTest();

    await redis.watch(key("w"));
    expect(await redis.call("RESET")).toBe("RESET");
    await other.set(key("w"), "changed after RESET");
    expect(await redis.multi().set(key("w"), "mine").exec()).toEqual([
      [null, "OK"],
    ]);

    await redis.watch(key("w"));
    await other.set(key("w"), "changed before RESET");
    expect(await redis.call("RESET")).toBe("RESET");
    expect(await redis.multi().set(key("w"), "mine again").exec()).toEqual([
      [null, "OK"],
    ]);
    expect(await redis.get(key("w"))).toBe("mine again");
  });

  it("a client waiting in BLPOP runs the RESET sent behind it once it is served", async () => {
    const observer = await server.client();
    const raw = await rawClient();
    const id = await rawClientId(raw);
    const key = keysForThisTest()("q");
    await raw.send(
      Buffer.concat([encodeCommand("BLPOP", key, "0"), encodeCommand("RESET")]),
    );
    await untilBlocked(observer, id);
    await observer.rpush(key, "x");
    await expectBytes(
      raw,
      `*2\r\n$${key.length}\r\n${key}\r\n$1\r\nx\r\n+RESET\r\n`,
    );
  });
});

describe("RESET and requirepass", () => {
  it("signs the client out: its next command gets NOAUTH, and AUTH signs it back in", async () => {
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    expect(await client.auth(password)).toBe("OK");
    expect(await client.ping()).toBe("PONG");
    expect(await client.call("RESET")).toBe("RESET");
    expect(await errorOf(client.ping())).toBe(NOAUTH);
    expect(await errorOf(client.call("CLIENT", "INFO"))).toBe(NOAUTH);
    expect(await client.auth(password)).toBe("OK");
    expect(await client.ping()).toBe("PONG");
  });

  it("needs no AUTH itself, and leaves a stranger a stranger", async () => {
    await requirePassword();
    const stranger = await server.client(SILENT);
    expect(await stranger.call("RESET")).toBe("RESET");
    expect(await errorOf(stranger.ping())).toBe(NOAUTH);
  });

  it("with no password set, leaves the client signed in for good: a password set later does not lock it out", async () => {
    const client = await server.client();
    expect(await client.call("RESET")).toBe("RESET");
    await requirePassword();
    expect(await client.ping()).toBe("PONG");
  });
});

describe(
  "RESET in COMMAND INFO and COMMAND DOCS",
  { tags: ["fidelity"] },
  () => {
    it("COMMAND INFO reset: arity 1, no auth needed, @fast @connection", async () => {
      const redis = await server.client();
      expect(await redis.call("COMMAND", "INFO", "reset")).toEqual([
        [
          "reset",
          1,
          ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
          0,
          0,
          0,
          ["@fast", "@connection"],
          [],
          [],
          [],
        ],
      ]);
      expect(await errorOf(redis.call("RESET", "now"))).toBe(
        "ERR wrong number of arguments for 'reset' command",
      );
    });

    it("COMMAND DOCS reset", async () => {
      const redis = await server.client();
      expect(await redis.call("COMMAND", "DOCS", "reset")).toEqual([
        "reset",
        [
          ...["summary", "Reset the connection", "since", "6.2.0"],
          ...["group", "connection", "complexity", "O(1)"],
        ],
      ]);
    });
  },
);

describe("CLIENT LIST and CLIENT INFO during a transaction", () => {
  it("flags=x from MULTI to EXEC, multi counts the commands queued, multi-mem is Redis 7.0's figure", async () => {
    const observer = await server.client();
    const { redis, id } = await connect(() => server.client());
    const key = keysForThisTest();
    expect(await transactionFields(observer, id)).toEqual(["N", -1, 0]);

    expect(await redis.call("MULTI")).toBe("OK");
    expect(await transactionFields(observer, id)).toEqual(["x", 0, 0]);
    const set = ["SET", key("k"), "v"];
    const push = ["RPUSH", key("l"), "a", "b", "c", "d"];
    expect(await redis.call(set[0]!, ...set.slice(1))).toBe("QUEUED");
    expect(await transactionFields(observer, id)).toEqual([
      "x",
      1,
      multiMem(set),
    ]);
    expect(await redis.call(push[0]!, ...push.slice(1))).toBe("QUEUED");
    expect(await transactionFields(observer, id)).toEqual([
      "x",
      2,
      multiMem(set, push),
    ]);
    // The client's line names the command it sent last, queued or not.
    expect((await fieldsOf(observer, id))!.get("cmd")).toBe("rpush");

    expect(await redis.call("EXEC")).toEqual(["OK", 4]);
    expect(await transactionFields(observer, id)).toEqual(["N", -1, 0]);

    await redis.call("MULTI");
    await redis.call(set[0]!, ...set.slice(1));
    expect(await redis.call("DISCARD")).toBe("OK");
    expect(await transactionFields(observer, id)).toEqual(["N", -1, 0]);

    await redis.call("MULTI");
    await redis.call(set[0]!, ...set.slice(1));
    expect(await redis.call("RESET")).toBe("RESET");
    expect(await transactionFields(observer, id)).toEqual(["N", -1, 0]);
  });

  it("a watched key that changed: flag d, before MULTI too, after x; nothing more is queued; EXEC clears it", async () => {
    const observer = await server.client();
    const { redis, id } = await connect(() => server.client());
    const key = keysForThisTest();
    await redis.watch(key("w"));
    expect(await transactionFields(observer, id)).toEqual(["N", -1, 0]);
    await observer.set(key("w"), "changed");
    expect(await transactionFields(observer, id)).toEqual(["d", -1, 0]);

    expect(await redis.call("MULTI")).toBe("OK");
    expect(await redis.set(key("k"), "v")).toBe("QUEUED");
    // EXEC will fail: Redis keeps nothing more of the transaction.
    expect(await transactionFields(observer, id)).toEqual(["xd", 0, 0]);
    expect(await redis.call("EXEC")).toBeNull();
    expect(await transactionFields(observer, id)).toEqual(["N", -1, 0]);
  });

  it("a client waiting with a changed watched key: flags bd, in Redis's order", async () => {
    const observer = await server.client();
    const { redis, id } = await connect(() => server.client());
    const key = keysForThisTest();
    await redis.watch(key("w"));
    await observer.set(key("w"), "changed");
    const reply = redis.blpop(key("q"), 0);
    await untilBlocked(observer, id);
    expect((await fieldsOf(observer, id))!.get("flags")).toBe("bd");
    await observer.rpush(key("q"), "x");
    expect(await reply).toEqual([key("q"), "x"]);
    expect((await fieldsOf(observer, id))!.get("flags")).toBe("d");
    await redis.unwatch();
    expect((await fieldsOf(observer, id))!.get("flags")).toBe("N");
  });

  // A refused transaction keeps its queue until EXEC or DISCARD, though
  // EXEC will run none of it; what comes after is not queued.
  it("after a refused command, multi and multi-mem still count what was queued before it", async () => {
    const observer = await server.client();
    const { redis, id } = await connect(() => server.client());
    const key = keysForThisTest();
    await redis.call("MULTI");
    await redis.set(key("k"), "v");
    await redis.rpush(key("l"), "a");
    const queued = [
      "x",
      2,
      multiMem(["SET", key("k"), "v"], ["RPUSH", key("l"), "a"]),
    ];
    expect(await transactionFields(observer, id)).toEqual(queued);
    await errorOf(redis.call("NOSUCH"));
    expect(await transactionFields(observer, id)).toEqual(queued);
    expect(await redis.set(key("k"), "v")).toBe("QUEUED");
    expect(await transactionFields(observer, id)).toEqual(queued);
    await errorOf(redis.call("EXEC"));
  });

  // The transaction ends once its commands have run, so a CLIENT INFO
  // among them describes a client still in it, running EXEC.
  it("CLIENT INFO inside EXEC: flags=x, multi=2, cmd=exec", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const replies = await redis
      .multi()
      .set(key("k"), "v")
      .call("CLIENT", "INFO")
      .exec();
    const [set, info] = replies!.map(([, reply]) => reply);
    expect(set).toBe("OK");
    expect(info).toContain(" flags=x ");
    expect(info).toContain(" multi=2 ");
    expect(info).toContain(" cmd=exec ");
  });
});
