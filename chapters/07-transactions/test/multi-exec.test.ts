/**
 * Article step "multi-exec": MULTI, EXEC and DISCARD, with Redis 7.0.15's
 * replies byte for byte. MULTI answers +OK and every command after it
 * +QUEUED, until EXEC runs them all and answers their replies as one
 * array (RESP3's maps, doubles and sets inside it). EXEC, DISCARD, MULTI,
 * WATCH and QUIT run at once instead. A command refused when it is sent
 * (unknown, wrong arity, NOAUTH) dooms the transaction: EXEC answers
 * EXECABORT. A command that fails while EXEC runs does not: the others
 * still run, nothing is rolled back. A blocking command inside MULTI
 * answers at once, as if it timed out. INFO counts each queued command
 * once, when EXEC runs it. And ioredis's three ways to send a
 * transaction.
 *
 * One deliberate difference, labelled and skipped against real Redis: our
 * queue is bounded by client-query-buffer-limit.
 *
 * The exact bytes come through raw sockets that speak the project's
 * protocol (RESP3, or RESP2 in the `-resp2` project). Each test makes its
 * own keys under a random prefix: the tests share a server (a real Redis
 * one under REDIS_URL).
 */
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { external, useServer } from "../../../shared/harness.ts";
import type { RawSocket } from "../../../shared/raw-socket.ts";
import {
  errorOf,
  infoNumber,
  keysForThisTest,
  NOT_AN_INTEGER,
  withConfig,
  WRONGTYPE,
} from "./client-helpers.ts";
import { docsWithoutKeySpecs } from "./command-docs-helpers.ts";
import { encodeCommand, expectBytes, speakProtocol } from "./resp-helpers.ts";

const server = useServer();
const protocol = inject("protocol");

const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

// #region helpers
/** A raw connection speaking the project's protocol, its HELLO answered and read. */
async function rawClient(): Promise<RawSocket> {
  return speakProtocol(await server.raw(), protocol);
}

/**
 * Sends commands (each an array of words) in one write, and expects
 * exactly `replies` back: the replies of all of them, in order.
 */
async function exchange(
  raw: RawSocket,
  commands: readonly (readonly string[])[],
  replies: string,
): Promise<void> {
  await raw.send(
    Buffer.concat(commands.map((words) => encodeCommand(...words))),
  );
  await expectBytes(raw, replies);
}

/** A bulk string reply, as RESP writes it. */
function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** The null reply of the project's protocol: `_` in RESP3, `resp2` (`*-1` or `$-1`) in RESP2. */
function nullReply(resp2: "*-1" | "$-1"): string {
  return protocol === 3 ? "_\r\n" : `${resp2}\r\n`;
}
/** `text` as a regular expression that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
// #endregion helpers

describe("MULTI queues, EXEC runs", () => {
  it("MULTI answers +OK, each command +QUEUED, and EXEC an array of their replies", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["MULTI"],
        ["SET", key("k"), "v"],
        ["INCR", key("n")],
        ["GET", key("k")],
        ["EXEC"],
      ],
      "+OK\r\n" + "+QUEUED\r\n".repeat(3) + `*3\r\n+OK\r\n:1\r\n${bulk("v")}`,
    );
  });

  it("nothing runs before EXEC: another client does not see a queued SET", async () => {
    const raw = await rawClient();
    const other = await server.client();
    const key = keysForThisTest();
    await exchange(
      raw,
      [["MULTI"], ["SET", key("k"), "v"]],
      "+OK\r\n+QUEUED\r\n",
    );
    expect(await other.get(key("k"))).toBeNull();
    await exchange(raw, [["EXEC"]], "*1\r\n+OK\r\n");
    expect(await other.get(key("k"))).toBe("v");
  });

  it("the replies inside EXEC keep their types: RESP3's map, double and set, RESP2's flat array and bulk strings", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["HSET", key("h"), "a", "1"],
        ["ZADD", key("z"), "1.5", "m"],
        ["SADD", key("s"), "x"],
      ],
      ":1\r\n:1\r\n:1\r\n",
    );
    await exchange(
      raw,
      [
        ["MULTI"],
        ["HGETALL", key("h")],
        ["ZSCORE", key("z"), "m"],
        ["SMEMBERS", key("s")],
        ["EXEC"],
      ],
      "+OK\r\n" +
        "+QUEUED\r\n".repeat(3) +
        "*3\r\n" +
        (protocol === 3
          ? `%1\r\n${bulk("a")}${bulk("1")},1.5\r\n~1\r\n${bulk("x")}`
          : `*2\r\n${bulk("a")}${bulk("1")}${bulk("1.5")}*1\r\n${bulk("x")}`),
    );
  });

  it("a queued HELLO changes the protocol for the replies after its own, inside EXEC", async () => {
    const raw = await rawClient();
    const other = protocol === 3 ? 2 : 3;
    await raw.send(
      Buffer.concat([
        encodeCommand("MULTI"),
        encodeCommand("GET", `nokey:${randomUUID()}`),
        encodeCommand("HELLO", String(other)),
        encodeCommand("HGETALL", `nokey:${randomUUID()}`),
        encodeCommand("EXEC"),
        encodeCommand("QUIT"),
      ]),
    );
    // HELLO's map holds the connection's id: only its first line is fixed.
    const text = (await raw.readUntilClosed()).toString("latin1");
    expect(text).toMatch(
      new RegExp(
        "^\\+OK\r\n(\\+QUEUED\r\n){3}\\*3\r\n" +
          escape(nullReply("$-1")) +
          escape(other === 3 ? "%7\r\n" : "*14\r\n"),
      ),
    );
    expect(text.endsWith(`${other === 3 ? "%0" : "*0"}\r\n+OK\r\n`)).toBe(true);
  });

  it("EXEC of an empty transaction answers an empty array", async () => {
    const raw = await rawClient();
    await exchange(raw, [["MULTI"], ["EXEC"]], "+OK\r\n*0\r\n");
  });

  it("EXEC ends the transaction: the next command runs at once", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [["MULTI"], ["SET", key("k"), "1"], ["EXEC"], ["GET", key("k")]],
      `+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n${bulk("1")}`,
    );
  });
});

describe("commands that run at once inside MULTI", () => {
  it("MULTI inside MULTI is an error that does not doom the transaction: EXEC still runs it", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [["MULTI"], ["SET", key("k"), "1"], ["MULTI"], ["EXEC"]],
      "+OK\r\n+QUEUED\r\n" +
        "-ERR MULTI calls can not be nested\r\n" +
        "*1\r\n+OK\r\n",
    );
  });

  it("WATCH inside MULTI is an error that does not doom the transaction either", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["MULTI"],
        ["SET", key("k"), "1"],
        ["WATCH", key("k")],
        ["GET", key("k")],
        ["EXEC"],
      ],
      "+OK\r\n+QUEUED\r\n" +
        "-ERR WATCH inside MULTI is not allowed\r\n" +
        "+QUEUED\r\n" +
        `*2\r\n+OK\r\n${bulk("1")}`,
    );
  });

  it("DISCARD drops the queue, runs none of it, and ends the transaction", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["MULTI"],
        ["SET", key("k"), "1"],
        ["DISCARD"],
        ["GET", key("k")],
        ["EXEC"],
      ],
      "+OK\r\n+QUEUED\r\n+OK\r\n" +
        nullReply("$-1") +
        "-ERR EXEC without MULTI\r\n",
    );
  });

  it("EXEC and DISCARD without MULTI are errors", async () => {
    const raw = await rawClient();
    await exchange(
      raw,
      [["EXEC"], ["DISCARD"]],
      "-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n",
    );
  });

  it("QUIT inside MULTI answers +OK and closes the connection; the queued commands never run", async () => {
    const raw = await rawClient();
    const other = await server.client();
    const key = keysForThisTest();
    await raw.send(
      Buffer.concat([
        encodeCommand("MULTI"),
        encodeCommand("SET", key("k"), "1"),
        encodeCommand("QUIT"),
      ]),
    );
    expect((await raw.readUntilClosed()).toString()).toBe(
      "+OK\r\n+QUEUED\r\n+OK\r\n",
    );
    expect(await other.get(key("k"))).toBeNull();
  });
});

describe("a command refused when queued dooms the transaction", () => {
  it.each([
    [
      "an unknown command",
      ["NOSUCH", "x", "y"],
      "-ERR unknown command 'NOSUCH', with args beginning with: 'x' 'y' \r\n",
    ],
    [
      "an unknown subcommand",
      ["CONFIG", "FOO"],
      "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n",
    ],
    [
      "a wrong number of arguments",
      ["GET"],
      "-ERR wrong number of arguments for 'get' command\r\n",
    ],
  ])(
    "%s: its error at once, +QUEUED for the commands after it, EXECABORT at EXEC, and none of them runs",
    async (_what, refused, refusal) => {
      const raw = await rawClient();
      const key = keysForThisTest();
      await exchange(
        raw,
        [
          ["MULTI"],
          ["SET", key("a"), "1"],
          refused,
          ["SET", key("b"), "2"],
          ["EXEC"],
          ["EXISTS", key("a"), key("b")],
        ],
        "+OK\r\n+QUEUED\r\n" +
          refusal +
          "+QUEUED\r\n" +
          `-${EXECABORT}\r\n` +
          ":0\r\n",
      );
    },
  );

  it("after EXECABORT the client is out of MULTI: its next command runs, and EXEC has nothing to run", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [["MULTI"], ["NOSUCH"], ["EXEC"], ["SET", key("k"), "1"], ["EXEC"]],
      "+OK\r\n" +
        "-ERR unknown command 'NOSUCH', with args beginning with: \r\n" +
        `-${EXECABORT}\r\n` +
        "+OK\r\n" +
        "-ERR EXEC without MULTI\r\n",
    );
  });

  it("a command that would run at once is refused for its arity all the same, and dooms the transaction: MULTI x, WATCH", async () => {
    const raw = await rawClient();
    await exchange(
      raw,
      [["MULTI"], ["MULTI", "x"], ["EXEC"], ["MULTI"], ["WATCH"], ["EXEC"]],
      "+OK\r\n" +
        "-ERR wrong number of arguments for 'multi' command\r\n" +
        `-${EXECABORT}\r\n` +
        "+OK\r\n" +
        "-ERR wrong number of arguments for 'watch' command\r\n" +
        `-${EXECABORT}\r\n`,
    );
  });

  it("DISCARD x is refused, dooms the transaction, and leaves it open: DISCARD then ends it", async () => {
    const raw = await rawClient();
    await exchange(
      raw,
      [["MULTI"], ["DISCARD", "x"], ["DISCARD"], ["DISCARD"]],
      "+OK\r\n" +
        "-ERR wrong number of arguments for 'discard' command\r\n" +
        "+OK\r\n" +
        "-ERR DISCARD without MULTI\r\n",
    );
  });

  it("EXEC x ends the transaction at once with an EXECABORT that says why; nothing queued runs", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["MULTI"],
        ["SET", key("k"), "1"],
        ["EXEC", "x"],
        ["EXISTS", key("k")],
        ["EXEC"],
      ],
      "+OK\r\n+QUEUED\r\n" +
        "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n" +
        ":0\r\n" +
        "-ERR EXEC without MULTI\r\n",
    );
  });

  it("EXEC x outside MULTI answers the same EXECABORT, and unwatches every key", async () => {
    const raw = await rawClient();
    const other = await server.client();
    const key = keysForThisTest();
    await exchange(raw, [["WATCH", key("w")]], "+OK\r\n");
    await exchange(
      raw,
      [["EXEC", "x"]],
      "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
    );
    // Watched still, this change would make the EXEC below answer null.
    await other.set(key("w"), "changed");
    await exchange(
      raw,
      [["MULTI"], ["GET", key("w")], ["EXEC"]],
      `+OK\r\n+QUEUED\r\n*1\r\n${bulk("changed")}`,
    );
  });

  describe("with a password set", () => {
    /**
     * Sets a random password until the test ends. `admin` connected
     * before, so it stays authenticated and can remove it again.
     */
    async function requirePassword(): Promise<string> {
      const admin = await server.client();
      const password = `pw-${randomUUID()}`;
      onTestFinished(async () => {
        await admin.config("SET", "requirepass", "");
      });
      await admin.config("SET", "requirepass", password);
      return password;
    }

    it("a client that has not authenticated gets NOAUTH for MULTI and what follows, and EXEC answers an EXECABORT that quotes it", async () => {
      const password = await requirePassword();
      // A fresh connection, in RESP2: HELLO would need the password.
      const raw = await server.raw();
      const key = keysForThisTest();
      await exchange(
        raw,
        [["MULTI"], ["SET", key("k"), "1"], ["EXEC"]],
        "-NOAUTH Authentication required.\r\n".repeat(2) +
          "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n",
      );
      await exchange(
        raw,
        [["AUTH", password], ["MULTI"], ["SET", key("k"), "1"], ["EXEC"]],
        "+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n",
      );
    });
  });
});

describe("a command that fails while EXEC runs does not undo the others", () => {
  it("SET a x; MULTI; INCR a; SET y 1; EXEC answers INCR's error in its place, and SET still runs", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["SET", key("a"), "x"],
        ["MULTI"],
        ["INCR", key("a")],
        ["SET", key("y"), "1"],
        ["EXEC"],
        ["GET", key("y")],
      ],
      "+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n" +
        `*2\r\n-${NOT_AN_INTEGER}\r\n+OK\r\n` +
        bulk("1"),
    );
  });

  it("MULTI; SET a x; INCR a; LPUSH a y; GET a; EXEC: [OK, ERR, WRONGTYPE, x], and a keeps what SET gave it", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    await exchange(
      raw,
      [
        ["MULTI"],
        ["SET", key("a"), "x"],
        ["INCR", key("a")],
        ["LPUSH", key("a"), "y"],
        ["GET", key("a")],
        ["EXEC"],
      ],
      "+OK\r\n" +
        "+QUEUED\r\n".repeat(4) +
        `*4\r\n+OK\r\n-${NOT_AN_INTEGER}\r\n-${WRONGTYPE}\r\n${bulk("x")}`,
    );
  });
});

describe("DISCARD", () => {
  it("unwatches every key: a change after it does not fail the next transaction", async () => {
    const raw = await rawClient();
    const other = await server.client();
    const key = keysForThisTest();
    await exchange(
      raw,
      [["WATCH", key("w")], ["MULTI"], ["SET", key("k"), "1"], ["DISCARD"]],
      "+OK\r\n+OK\r\n+QUEUED\r\n+OK\r\n",
    );
    await other.set(key("w"), "changed");
    await exchange(
      raw,
      [["MULTI"], ["GET", key("w")], ["EXEC"], ["EXISTS", key("k")]],
      `+OK\r\n+QUEUED\r\n*1\r\n${bulk("changed")}:0\r\n`,
    );
  });
});

describe("blocking commands inside MULTI do not wait", () => {
  it("on empty keys each answers at once as if it had timed out: a null array, or BLMOVE's and BRPOPLPUSH's null string, in RESP2; _ in RESP3", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    const list = key("list");
    const zset = key("zset");
    await exchange(
      raw,
      [
        ["MULTI"],
        ["BLPOP", list, "0"],
        ["BRPOP", list, "0"],
        ["BRPOPLPUSH", list, key("to"), "0"],
        ["BLMOVE", list, key("to"), "LEFT", "RIGHT", "0"],
        ["BZPOPMIN", zset, "0"],
        ["BZPOPMAX", zset, "0"],
        ["BLMPOP", "0", "1", list, "LEFT"],
        ["BZMPOP", "0", "1", zset, "MIN"],
        ["EXEC"],
      ],
      "+OK\r\n" +
        "+QUEUED\r\n".repeat(8) +
        "*8\r\n" +
        nullReply("*-1").repeat(2) +
        nullReply("$-1").repeat(2) +
        nullReply("*-1").repeat(4),
    );
  });

  it("with data they answer as outside MULTI", async () => {
    const raw = await rawClient();
    const key = keysForThisTest();
    const list = key("list");
    const zset = key("zset");
    await exchange(
      raw,
      [
        ["RPUSH", list, "a"],
        ["ZADD", zset, "1", "m"],
        ["MULTI"],
        ["BLPOP", list, "0"],
        ["BZPOPMIN", zset, "0"],
        ["EXEC"],
      ],
      ":1\r\n:1\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n" +
        `*2\r\n*2\r\n${bulk(list)}${bulk("a")}` +
        `*3\r\n${bulk(zset)}${bulk("m")}` +
        (protocol === 3 ? ",1\r\n" : bulk("1")),
    );
  });
});

describe("INFO's total_commands_processed", () => {
  /**
   * How much total_commands_processed grew while `body` ran, without
   * the observer's own INFO that read it first.
   */
  async function counted(
    observer: Redis,
    body: () => Promise<void>,
  ): Promise<number> {
    const before = await infoNumber(
      observer,
      "stats",
      "total_commands_processed",
    );
    await body();
    const after = await infoNumber(
      observer,
      "stats",
      "total_commands_processed",
    );
    return after - before - 1;
  }

  it("counts MULTI when it runs, each queued command only when EXEC runs it, and EXEC", async () => {
    const observer = await server.client();
    const raw = await rawClient();
    const key = keysForThisTest();
    const queuing = counted(observer, () =>
      exchange(
        raw,
        [["MULTI"], ["SET", key("k"), "1"], ["GET", key("k")]],
        "+OK\r\n+QUEUED\r\n+QUEUED\r\n",
      ),
    );
    expect(await queuing).toBe(1);
    const executing = counted(observer, () =>
      exchange(raw, [["EXEC"]], `*2\r\n+OK\r\n${bulk("1")}`),
    );
    expect(await executing).toBe(3);
  });

  it("counts a doomed transaction's MULTI and EXEC only, and MULTI and DISCARD", async () => {
    const observer = await server.client();
    const raw = await rawClient();
    const key = keysForThisTest();
    const doomed = counted(observer, () =>
      exchange(
        raw,
        [["MULTI"], ["SET", key("k"), "1"], ["NOSUCH"], ["EXEC"]],
        "+OK\r\n+QUEUED\r\n" +
          "-ERR unknown command 'NOSUCH', with args beginning with: \r\n" +
          `-${EXECABORT}\r\n`,
      ),
    );
    expect(await doomed).toBe(2);
    const discarded = counted(observer, () =>
      exchange(
        raw,
        [["MULTI"], ["SET", key("k"), "1"], ["DISCARD"]],
        "+OK\r\n+QUEUED\r\n+OK\r\n",
      ),
    );
    expect(await discarded).toBe(2);
  });

  it("counts a nested MULTI, a WATCH inside MULTI and a lone EXEC, which run and fail; not EXEC x, which is refused", async () => {
    const observer = await server.client();
    const raw = await rawClient();
    const key = keysForThisTest();
    const failing = counted(observer, () =>
      exchange(
        raw,
        [["MULTI"], ["MULTI"], ["WATCH", key("k")], ["EXEC"], ["EXEC"]],
        "+OK\r\n" +
          "-ERR MULTI calls can not be nested\r\n" +
          "-ERR WATCH inside MULTI is not allowed\r\n" +
          "*0\r\n" +
          "-ERR EXEC without MULTI\r\n",
      ),
    );
    expect(await failing).toBe(5);
    const refused = counted(observer, () =>
      exchange(
        raw,
        [["EXEC", "x"]],
        "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
      ),
    );
    expect(await refused).toBe(0);
  });
});

describe("the queue is bounded by client-query-buffer-limit", () => {
  /** 300 KB: three fit under client-query-buffer-limit's minimum, 1 MB; four do not. */
  const VALUE = "x".repeat(300 * 1024);

  // Redis queues without a bound of its own: only maxmemory-clients (off
  // by default) would close the client. We refuse the command that
  // crosses client-query-buffer-limit instead, and doom the transaction.
  it.skipIf(external)(
    "the command that would cross it is refused, the transaction is doomed, and the connection carries on: a deliberate difference, Redis queues on",
    async () => {
      const redis = await server.client();
      const key = keysForThisTest();
      await withConfig(
        redis,
        { "client-query-buffer-limit": "1mb" },
        async () => {
          expect(await redis.multi({ pipeline: false })).toBe("OK");
          for (const name of ["a", "b", "c"]) {
            expect(await redis.set(key(name), VALUE)).toBe("QUEUED");
          }
          expect(await errorOf(redis.set(key("d"), VALUE))).toBe(
            "ERR MULTI queue is over client-query-buffer-limit (1048576 bytes): transaction discarded at EXEC",
          );
          expect(await redis.set(key("e"), "small")).toBe("QUEUED");
          expect(await errorOf(redis.exec())).toBe(EXECABORT);
          // Out of MULTI, and the server still answers.
          expect(await redis.ping()).toBe("PONG");
          expect(
            await redis.exists(
              key("a"),
              key("b"),
              key("c"),
              key("d"),
              key("e"),
            ),
          ).toBe(0);
          // A transaction under the bound runs.
          expect(
            await redis.multi().set(key("a"), VALUE).strlen(key("a")).exec(),
          ).toEqual([
            [null, "OK"],
            [null, VALUE.length],
          ]);
        },
      );
    },
  );
});

describe("ioredis", () => {
  it("multi()...exec() sends MULTI, the commands and EXEC in one pipeline, and resolves [error, result] pairs", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(
      await redis
        .multi()
        .set(key("k"), "v")
        .get(key("k"))
        .hset(key("h"), "a", "1")
        .hgetall(key("h"))
        .zadd(key("z"), "1.5", "m")
        .zscore(key("z"), "m")
        .exec(),
    ).toEqual([
      [null, "OK"],
      [null, "v"],
      [null, 1],
      [null, { a: "1" }],
      [null, 1],
      [null, "1.5"],
    ]);
  });

  it("a command that fails while EXEC runs is an error in its own pair; the others succeed", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const results = await redis
      .multi()
      .set(key("k"), "x")
      .incr(key("k"))
      .get(key("k"))
      .exec();
    expect(results![0]).toEqual([null, "OK"]);
    expect((results![1]![0] as Error).message).toBe(NOT_AN_INTEGER);
    expect(results![2]).toEqual([null, "x"]);
  });

  it("a command refused when queued makes exec() reject with EXECABORT, the refusals in previousErrors", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const failure = await redis
      .multi()
      .set(key("k"), "v")
      .call("NOSUCH")
      .exec()
      .then(
        () => undefined,
        (error: unknown) => error as Error & { previousErrors: Error[] },
      );
    expect(failure?.message).toBe(EXECABORT);
    expect(failure?.previousErrors.map((error) => error.message)).toEqual([
      "ERR unknown command 'NOSUCH', with args beginning with: ",
    ]);
    expect(await redis.exists(key("k"))).toBe(0);
  });

  it("multi({ pipeline: false }) sends MULTI alone: each command resolves QUEUED, exec() the pairs", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.multi({ pipeline: false })).toBe("OK");
    expect(await redis.set(key("k"), "w")).toBe("QUEUED");
    expect(await redis.get(key("k"))).toBe("QUEUED");
    expect(await redis.exec()).toEqual([
      [null, "OK"],
      [null, "w"],
    ]);
  });

  it("multi({ pipeline: false }) with a refused command: exec() rejects with EXECABORT", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    expect(await redis.multi({ pipeline: false })).toBe("OK");
    expect(await errorOf(redis.call("NOSUCH"))).toBe(
      "ERR unknown command 'NOSUCH', with args beginning with: ",
    );
    expect(await redis.set(key("k"), "w")).toBe("QUEUED");
    expect(await errorOf(redis.exec())).toBe(EXECABORT);
    expect(await redis.exists(key("k"))).toBe(0);
  });

  it("a pipeline holding MULTI ... EXEC: QUEUED for the commands, EXEC's raw array, the commands around it as usual", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    // The batch form: ioredis's typings give a pipeline no multi(). Inside
    // one, its exec sends EXEC rather than the pipeline.
    expect(
      await redis
        .pipeline([
          ["set", key("k"), "p"],
          ["multi"],
          ["incr", key("n")],
          ["get", key("k")],
          ["exec"],
          ["get", key("k")],
        ])
        .exec(),
    ).toEqual([
      [null, "OK"],
      [null, "OK"],
      [null, "QUEUED"],
      [null, "QUEUED"],
      [null, [1, "p"]],
      [null, "p"],
    ]);
  });

  it("a pipeline holding a doomed MULTI ... EXEC: the refusal and EXECABORT are errors in their pairs", async () => {
    const redis = await server.client();
    const key = keysForThisTest();
    const results = await redis
      .pipeline([
        ["multi"],
        ["incr", key("n")],
        ["call", "NOSUCH"],
        ["exec"],
        ["exists", key("n")],
      ])
      .exec();
    expect(
      results!.map(([error, result]) => [error?.message ?? null, result]),
    ).toEqual([
      [null, "OK"],
      [null, "QUEUED"],
      ["ERR unknown command 'NOSUCH', with args beginning with: ", undefined],
      [EXECABORT, undefined],
      [null, 0],
    ]);
  });
});

describe("COMMAND INFO and COMMAND DOCS", { tags: ["fidelity"] }, () => {
  const FLAGS = ["noscript", "loading", "stale", "fast", "allow_busy"];
  const CATEGORIES = ["@fast", "@transaction"];
  // Redis 7.0.15's first eight fields: name, arity, flags, first key,
  // last key, key step, ACL categories, tips.
  it.each([
    ["multi", 1, FLAGS, 0, 0, 0, CATEGORIES, []],
    [
      "exec",
      1,
      ["noscript", "loading", "stale", "skip_slowlog"],
      0,
      0,
      0,
      ["@slow", "@transaction"],
      [],
    ],
    ["discard", 1, FLAGS, 0, 0, 0, CATEGORIES, []],
    ["watch", -2, FLAGS, 1, -1, 1, CATEGORIES, []],
    ["unwatch", 1, FLAGS, 0, 0, 0, CATEGORIES, []],
  ])("COMMAND INFO %s", async (...row) => {
    const redis = await server.client();
    const [info] = (await redis.call("COMMAND", "INFO", row[0])) as unknown[][];
    expect(info!.slice(0, 8)).toEqual(row);
  });

  it("COMMAND GETKEYS finds WATCH's keys", async () => {
    const redis = await server.client();
    expect(await redis.call("COMMAND", "GETKEYS", "WATCH", "a", "b")).toEqual([
      "a",
      "b",
    ]);
  });

  const GROUP = ["group", "transactions"];
  it.each<[string, unknown]>([
    [
      "multi",
      [
        ...["summary", "Mark the start of a transaction block"],
        ...["since", "1.2.0", ...GROUP, "complexity", "O(1)"],
      ],
    ],
    [
      "exec",
      [
        ...["summary", "Execute all commands issued after MULTI"],
        ...["since", "1.2.0", ...GROUP],
        ...["complexity", "Depends on commands in the transaction"],
      ],
    ],
    [
      "discard",
      [
        ...["summary", "Discard all commands issued after MULTI"],
        ...["since", "2.0.0", ...GROUP],
        ...["complexity", "O(N), when N is the number of queued commands"],
      ],
    ],
    [
      "watch",
      [
        "summary",
        "Watch the given keys to determine execution of the MULTI/EXEC block",
        ...["since", "2.2.0", ...GROUP, "complexity", "O(1) for every key."],
        "arguments",
        [["name", "key", "type", "key", "flags", ["multiple"]]],
      ],
    ],
    [
      "unwatch",
      [
        ...["summary", "Forget about all watched keys"],
        ...["since", "2.2.0", ...GROUP, "complexity", "O(1)"],
      ],
    ],
  ])("COMMAND DOCS %s", async (name, expected) => {
    expect(await docsWithoutKeySpecs(await server.client(), name)).toEqual(
      expected,
    );
  });
});
