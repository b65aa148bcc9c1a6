/**
 * Article step 2: the first commands. PING, ECHO, QUIT, HELLO and COMMAND,
 * through ioredis as an application would use them, and over a raw socket
 * where the exact bytes matter (error texts, closing).
 *
 * ioredis 6 opens with `HELLO 3` and `CLIENT SETINFO`, then checks `INFO`.
 * This chapter has HELLO but no CLIENT or INFO: ioredis ignores the errors
 * to CLIENT SETINFO, but a failed ready check would end the connection, so
 * these clients skip it. (From chapter 03 on, a default client works.) The
 * harness runs this file twice, with RESP3 clients and with RESP2 ones.
 */
import { describe, expect, it } from "vitest";
import type { RedisOptions } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { encodeCommand, expectBytes } from "./resp-helpers.ts";

const server = useServer();

const NO_READY_CHECK: RedisOptions = { enableReadyCheck: false };

/** Sends one raw request and expects exactly `reply` back. */
async function expectReply(request: string | Buffer, reply: string) {
  const client = await server.raw();
  await client.send(request);
  await expectBytes(client, reply);
}

describe("PING and ECHO", () => {
  it("PING answers PONG, or its argument", async () => {
    const redis = await server.client(NO_READY_CHECK);
    expect(await redis.ping()).toBe("PONG");
    expect(await redis.ping("hello")).toBe("hello");
  });

  it("ECHO returns its argument byte for byte", async () => {
    const redis = await server.client(NO_READY_CHECK);
    const bytes = Buffer.from([0, 13, 10, 0xff, 0xe9, 32]);
    expect(await redis.echoBuffer(bytes)).toEqual(bytes);
    expect(await redis.echo("")).toBe("");
  });

  it("PING with an argument is a bulk string, without one a simple string", async () => {
    await expectReply("PING\r\n", "+PONG\r\n");
    await expectReply("PING hi\r\n", "$2\r\nhi\r\n");
  });

  it("command names are case-insensitive", async () => {
    await expectReply("pInG\r\n", "+PONG\r\n");
  });
});

describe("errors from the command table", () => {
  it("a wrong number of arguments gets Redis's arity error, and the connection stays", async () => {
    const redis = await server.client(NO_READY_CHECK);
    await expect(redis.call("ECHO")).rejects.toThrow(
      "ERR wrong number of arguments for 'echo' command",
    );
    await expect(redis.call("PING", "a", "b")).rejects.toThrow(
      "ERR wrong number of arguments for 'ping' command",
    );
    expect(await redis.ping()).toBe("PONG");
  });

  it("an unknown command quotes its name and first arguments, with Redis's trailing space", async () => {
    await expectReply(
      "FOO a b\r\n",
      "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n",
    );
    await expectReply(
      "FOO\r\n",
      "-ERR unknown command 'FOO', with args beginning with: \r\n",
    );
  });

  it("an unknown command's arguments are quoted up to about 128 bytes", async () => {
    const name = "x".repeat(200);
    await expectReply(
      encodeCommand(name, "y".repeat(100), "z".repeat(50), "w"),
      `-ERR unknown command '${"x".repeat(128)}', with args beginning with: '${"y".repeat(100)}' '${"z".repeat(25)}' \r\n`,
    );
  });

  it("line breaks in a quoted argument become spaces, and a NUL byte ends it", async () => {
    await expectReply(
      encodeCommand("F\rO", "a\nb", "c\0d"),
      "-ERR unknown command 'F O', with args beginning with: 'a b' 'c' \r\n",
    );
  });

  it("a huge argument is quoted by its first bytes only", async () => {
    await expectReply(
      encodeCommand("FOO", "a".repeat(1024 * 1024)),
      `-ERR unknown command 'FOO', with args beginning with: '${"a".repeat(128)}' \r\n`,
    );
  });

  it(
    "a HELLO keyword is compared as a C string: a NUL byte ends it",
    { tags: ["fidelity"] },
    async () => {
      const client = await server.raw();
      await client.send(encodeCommand("HELLO", "2", "SETNAME\0junk", "my-app"));
      await expectBytes(client, "*14\r\n$6\r\nserver\r\n");
    },
  );

  it(
    "a HELLO option is quoted up to a NUL byte, like any C string",
    { tags: ["fidelity"] },
    async () => {
      await expectReply(
        encodeCommand("HELLO", "2", "x\0y"),
        "-ERR Syntax error in HELLO option 'x'\r\n",
      );
    },
  );

  it("an empty command name is unknown too", async () => {
    await expectReply(
      encodeCommand(""),
      "-ERR unknown command '', with args beginning with: \r\n",
    );
  });
});

describe("QUIT", () => {
  it("answers OK, then closes, ignoring whatever came after it", async () => {
    const client = await server.raw();
    await client.send("QUIT\r\nPING\r\n");
    const received = await client.readUntilClosed();
    expect(received.toString()).toBe("+OK\r\n");
    expect(client.state).toBe("closed by server");
  });

  it("through ioredis, quit() resolves OK", async () => {
    const redis = await server.client(NO_READY_CHECK);
    expect(await redis.quit()).toBe("OK");
  });
});

describe("HELLO", () => {
  it("HELLO 2 answers with the server's facts, as a flat list of pairs", async () => {
    const redis = await server.client(NO_READY_CHECK);
    const reply = (await redis.call("HELLO", "2")) as unknown[];
    const facts = new Map<unknown, unknown>();
    for (let i = 0; i < reply.length; i += 2) facts.set(reply[i], reply[i + 1]);

    expect(facts.get("server")).toBe("redis");
    expect(facts.get("version")).toMatch(/^\d+\.\d+\.\d+$/);
    expect(facts.get("proto")).toBe(2);
    expect(facts.get("id")).toEqual(expect.any(Number));
    expect(facts.get("mode")).toBe("standalone");
    expect(facts.get("role")).toBe("master");
    expect(facts.get("modules")).toEqual([]);
  });

  it("each connection has its own id, and HELLO without a version reports it", async () => {
    const first = (await (
      await server.client(NO_READY_CHECK)
    ).call("HELLO")) as unknown[];
    const second = (await (
      await server.client(NO_READY_CHECK)
    ).call("HELLO")) as unknown[];
    expect(first[7]).not.toBe(second[7]);
  });

  it.each([
    [["abc"], "ERR Protocol version is not an integer or out of range"],
    [["02"], "ERR Protocol version is not an integer or out of range"],
    [["4"], "NOPROTO unsupported protocol version"],
    [["1"], "NOPROTO unsupported protocol version"],
    [["2", "FOO"], "ERR Syntax error in HELLO option 'FOO'"],
    [["2", "AUTH", "default"], "ERR Syntax error in HELLO option 'AUTH'"],
    [
      ["2", "SETNAME", "has space"],
      "ERR Client names cannot contain spaces, newlines or special characters.",
    ],
    [
      ["2", "AUTH", "nobody", "secret"],
      "WRONGPASS invalid username-password pair or user is disabled.",
    ],
    [
      ["2", "AUTH", "DEFAULT", "secret"],
      "WRONGPASS invalid username-password pair or user is disabled.",
    ],
    // Options are taken left to right, and the first failure answers.
    [
      ["2", "SETNAME", "a b", "AUTH", "nobody", "secret"],
      "ERR Client names cannot contain spaces, newlines or special characters.",
    ],
    [
      ["2", "AUTH", "nobody", "secret", "SETNAME", "a b"],
      "WRONGPASS invalid username-password pair or user is disabled.",
    ],
    [
      ["2", "AUTH", "nobody", "secret", "junk"],
      "WRONGPASS invalid username-password pair or user is disabled.",
    ],
    [
      ["2", "AUTH", "nobody", "secret", "AUTH", "default", "secret"],
      "WRONGPASS invalid username-password pair or user is disabled.",
    ],
    [
      ["2", "y".repeat(200)],
      `ERR Syntax error in HELLO option '${"y".repeat(200)}'`,
    ],
  ])("HELLO %j is refused with %j", async (args, message) => {
    const redis = await server.client(NO_READY_CHECK);
    await expect(redis.call("HELLO", ...args)).rejects.toThrow(message);
  });

  it("AUTH as the default user needs no password yet, and SETNAME takes a valid name", async () => {
    const redis = await server.client(NO_READY_CHECK);
    const reply = (await redis.call(
      "HELLO",
      "2",
      "AUTH",
      "default",
      "any-password",
      "SETNAME",
      "my-app",
    )) as unknown[];
    expect(reply[0]).toBe("server");
  });
});

describe("COMMAND", () => {
  it("COMMAND COUNT matches the number of commands COMMAND lists", async () => {
    const redis = await server.client(NO_READY_CHECK);
    const all = (await redis.call("COMMAND")) as unknown[][];
    expect(await redis.call("COMMAND", "COUNT")).toBe(all.length);
    const names = all.map((info) => info[0]);
    for (const name of ["ping", "echo", "quit", "hello", "command"]) {
      expect(names).toContain(name);
    }
  });

  it(
    "COMMAND INFO describes a command as Redis does, and answers null for unknown names",
    { tags: ["fidelity"] },
    async () => {
      const redis = await server.client(NO_READY_CHECK);
      const [ping, echo, unknown] = (await redis.call(
        "COMMAND",
        "INFO",
        "ping",
        "ECHO",
        "no-such-command",
      )) as unknown[][];
      expect(ping!.slice(0, 7)).toEqual([
        "ping",
        -1,
        ["fast"],
        0,
        0,
        0,
        ["@fast", "@connection"],
      ]);
      expect(echo!.slice(0, 3)).toEqual([
        "echo",
        2,
        ["loading", "stale", "fast"],
      ]);
      expect(unknown).toBeNull();
    },
  );

  it(
    "COMMAND DOCS gives redis-cli its hints: summary, group and arguments",
    { tags: ["fidelity"] },
    async () => {
      const redis = await server.client(NO_READY_CHECK);
      const [name, docs] = (await redis.call("COMMAND", "DOCS", "echo")) as [
        string,
        unknown[],
      ];
      expect(name).toBe("echo");
      expect(docs).toEqual([
        "summary",
        "Echo the given string",
        "since",
        "1.0.0",
        "group",
        "connection",
        "complexity",
        "O(1)",
        "arguments",
        [["name", "message", "type", "string"]],
      ]);
    },
  );

  it("a subcommand has its own arity, and an unknown one points to HELP", async () => {
    await expectReply(
      "COMMAND COUNT extra\r\n",
      "-ERR wrong number of arguments for 'command|count' command\r\n",
    );
    await expectReply(
      "command nosuch\r\n",
      "-ERR unknown subcommand 'nosuch'. Try COMMAND HELP.\r\n",
    );
  });

  it("COMMAND HELP lists the subcommands", async () => {
    const redis = await server.client(NO_READY_CHECK);
    const lines = (await redis.call("COMMAND", "HELP")) as string[];
    expect(lines[0]).toMatch(/^COMMAND <subcommand>/);
    expect(lines).toContain("COUNT");
  });
});
