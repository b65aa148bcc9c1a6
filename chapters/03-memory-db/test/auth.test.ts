/**
 * Article step 7: a password (requirepass and AUTH).
 *
 * With `requirepass` set, a new connection may only authenticate (AUTH,
 * HELLO ... AUTH) or leave (QUIT) until it gives the password; and until
 * then the parser allows it far less: at most 10 arguments and 16 KiB per
 * argument, so a stranger cannot make the server buffer megabytes.
 *
 * The password is set with CONFIG SET, so these tests run against real
 * Redis too, and always removed again when the test ends, through a client
 * that connected before it was set: such a client stays authenticated.
 *
 * Without a password, protected mode (on by default) serves clients on the
 * loopback only: one from another address is told why in one long error
 * line, and closed. Those tests start a server of their own bound to this
 * machine's non-loopback address, and connect to it from there.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { useServer } from "../../../shared/harness.ts";
import { errorOf } from "./client-helpers.ts";
import { encodeCommand, expectBytes } from "./resp-helpers.ts";
import { RawSocket } from "../../../shared/raw-socket.ts";
import {
  itStartsServers,
  nonLoopbackAddress,
  runServerProgram,
} from "./server-programs.ts";

const server = useServer();

/**
 * A client that sends nothing on connecting (no HELLO, no CLIENT SETINFO,
 * no INFO), so that it connects even when it may not run those yet.
 */
const SILENT: RedisOptions = {
  protocol: 2,
  disableClientInfo: true,
  enableReadyCheck: false,
};

const NOAUTH = "NOAUTH Authentication required.";
const WRONGPASS =
  "WRONGPASS invalid username-password pair or user is disabled.";
const HELLO_NOAUTH =
  "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";

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

describe("before AUTH: NOAUTH", () => {
  it("every command but AUTH, HELLO and QUIT is refused", async () => {
    await requirePassword();
    const stranger = await server.client(SILENT);
    for (const command of [
      ["GET", "k"],
      ["SET", "k", "v"],
      ["PING"],
      ["SELECT", "1"],
      ["DBSIZE"],
      ["CLIENT", "ID"],
      ["CONFIG", "GET", "requirepass"],
      ["COMMAND", "COUNT"],
    ]) {
      expect(
        await errorOf(stranger.call(command[0]!, ...command.slice(1))),
      ).toBe(NOAUTH);
    }
    expect(await stranger.quit()).toBe("OK");
  });

  it("an unknown command or a wrong arity is still reported as such", async () => {
    await requirePassword();
    const stranger = await server.client(SILENT);
    expect(await errorOf(stranger.call("NOSUCH", "x"))).toBe(
      "ERR unknown command 'NOSUCH', with args beginning with: 'x' ",
    );
    expect(await errorOf(stranger.call("GET"))).toBe(
      "ERR wrong number of arguments for 'get' command",
    );
    expect(await errorOf(stranger.call("CLIENT", "NOSUCH"))).toBe(
      "ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.",
    );
  });

  it("a client that connected before the password was set stays authenticated", async () => {
    const before = await server.client();
    const { admin } = await requirePassword();
    expect(await before.ping()).toBe("PONG");
    expect(await admin.ping()).toBe("PONG");
  });

  it("removing the password lets every client in", async () => {
    const { admin } = await requirePassword();
    const stranger = await server.client(SILENT);
    expect(await errorOf(stranger.ping())).toBe(NOAUTH);
    await admin.config("SET", "requirepass", "");
    expect(await stranger.ping()).toBe("PONG");
  });

  it("after the password is removed, HELLO still refuses a client that never authenticated; HELLO AUTH lets it in", async () => {
    const { admin } = await requirePassword();
    const stranger = await server.client(SILENT);
    await admin.config("SET", "requirepass", "");
    expect(await stranger.ping()).toBe("PONG");
    // Redis asks the connection's own flag, which only AUTH sets.
    expect(await errorOf(stranger.call("HELLO", "2"))).toBe(HELLO_NOAUTH);
    // The default user has no password now: any password is accepted.
    const reply = (await stranger.call(
      "HELLO",
      "2",
      "AUTH",
      "default",
      "anything",
    )) as unknown[];
    expect(reply.slice(0, 2)).toEqual(["server", "redis"]);
    expect(await stranger.call("HELLO", "2")).toBeInstanceOf(Array);
  });
});

describe("AUTH", () => {
  it("the right password: OK, and commands run", async () => {
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    expect(await client.auth(password)).toBe("OK");
    expect(await client.ping()).toBe("PONG");
  });

  it("a wrong password: WRONGPASS, and the client still may not run commands", async () => {
    await requirePassword();
    const client = await server.client(SILENT);
    expect(await errorOf(client.auth("wrong"))).toBe(WRONGPASS);
    expect(await errorOf(client.ping())).toBe(NOAUTH);
  });

  it("a wrong password later does not undo the right one", async () => {
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    await client.auth(password);
    expect(await errorOf(client.auth("wrong"))).toBe(WRONGPASS);
    expect(await client.ping()).toBe("PONG");
  });

  it("AUTH default <password>: the ACL form, with the one built-in user", async () => {
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    expect(await client.auth("default", password)).toBe("OK");
    expect(await client.ping()).toBe("PONG");
  });

  it.each(["alice", "Default", "DEFAULT"])(
    "any other user name, %s, is refused (user names are case-sensitive)",
    async (user) => {
      const { password } = await requirePassword();
      const client = await server.client(SILENT);
      expect(await errorOf(client.auth(user, password))).toBe(WRONGPASS);
      expect(await errorOf(client.ping())).toBe(NOAUTH);
    },
  );

  it("more than a user and a password is a syntax error", async () => {
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    expect(
      await errorOf(client.call("AUTH", "default", password, "extra")),
    ).toBe("ERR syntax error");
    expect(await errorOf(client.ping())).toBe(NOAUTH);
  });

  it("AUTH <password> with no password configured is an error that says so", async () => {
    const client = await server.client(SILENT);
    expect(await errorOf(client.auth("anything"))).toBe(
      "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
    );
  });

  it("AUTH default <password> with no password configured is accepted", async () => {
    const client = await server.client(SILENT);
    expect(await client.auth("default", "anything")).toBe("OK");
  });

  it("QUIT is allowed before AUTH", async () => {
    await requirePassword();
    const client = await server.raw();
    await client.send("QUIT\r\n");
    expect((await client.readUntilClosed()).toString()).toBe("+OK\r\n");
  });
});

describe("HELLO with AUTH", () => {
  it("HELLO without AUTH is refused, with a hint to use HELLO AUTH", async () => {
    await requirePassword();
    const client = await server.client(SILENT);
    expect(await errorOf(client.call("HELLO"))).toBe(HELLO_NOAUTH);
    expect(await errorOf(client.call("HELLO", "2"))).toBe(HELLO_NOAUTH);
  });

  it("HELLO 2 AUTH default <password> authenticates and answers", async () => {
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    const reply = (await client.call(
      "HELLO",
      "2",
      "AUTH",
      "default",
      password,
    )) as unknown[];
    expect(reply.slice(0, 2)).toEqual(["server", "redis"]);
    expect(reply[reply.indexOf("proto") + 1]).toBe(2);
    expect(await client.ping()).toBe("PONG");
  });

  it("HELLO SETNAME without AUTH is refused, yet the name is taken, as in Redis 7.0", async () => {
    // Redis takes HELLO's options where they stand, and checks that the
    // client is authenticated only after them all.
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    expect(await errorOf(client.call("HELLO", "2", "SETNAME", "early"))).toBe(
      HELLO_NOAUTH,
    );
    expect(await client.call("AUTH", password)).toBe("OK");
    expect(await client.client("GETNAME")).toBe("early");
  });

  it("HELLO 2 AUTH with a wrong password is WRONGPASS", async () => {
    await requirePassword();
    const client = await server.client(SILENT);
    expect(
      await errorOf(client.call("HELLO", "2", "AUTH", "default", "wrong")),
    ).toBe(WRONGPASS);
    expect(await errorOf(client.ping())).toBe(NOAUTH);
  });

  it("HELLO AUTH then a bad SETNAME: the error, but the AUTH before it stands", async () => {
    // Redis 7.0 takes HELLO's options left to right and authenticates as
    // soon as it reads AUTH; the bad name fails after that.
    const { password } = await requirePassword();
    const client = await server.client(SILENT);
    expect(
      await errorOf(
        client.call(
          "HELLO",
          "2",
          "AUTH",
          "default",
          password,
          "SETNAME",
          "bad name",
        ),
      ),
    ).toBe(
      "ERR Client names cannot contain spaces, newlines or special characters.",
    );
    expect(await client.ping()).toBe("PONG");
    expect(await client.client("GETNAME")).toBeNull();
  });
});

describe("limits before AUTH", () => {
  it("more than 10 arguments is a protocol error, and the connection closes", async () => {
    await requirePassword();
    const client = await server.raw();
    await client.send("*11\r\n");
    expect((await client.readUntilClosed()).toString()).toBe(
      "-ERR Protocol error: unauthenticated multibulk length\r\n",
    );
  });

  it("10 arguments are fine", async () => {
    await requirePassword();
    const client = await server.raw();
    await client.send(encodeCommand("AUTH", ..."abcdefghi"));
    await expectBytes(client, "-ERR syntax error\r\n");
  });

  it("an argument over 16384 bytes is a protocol error, and the connection closes", async () => {
    await requirePassword();
    const client = await server.raw();
    await client.send("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
    expect((await client.readUntilClosed()).toString()).toBe(
      "-ERR Protocol error: unauthenticated bulk length\r\n",
    );
  });

  it("an argument of 16384 bytes is fine", async () => {
    await requirePassword();
    const client = await server.raw();
    await client.send(encodeCommand("AUTH", "x".repeat(16384)));
    await expectBytes(client, `-${WRONGPASS}\r\n`);
    await client.send("PING\r\n");
    await expectBytes(client, `-${NOAUTH}\r\n`);
  });

  it("once authenticated, the limits are lifted", async () => {
    const { password } = await requirePassword();
    const client = await server.raw();
    const keys = Array.from({ length: 20 }, () => `absent:${randomUUID()}`);
    await client.send(
      Buffer.concat([
        encodeCommand("AUTH", password),
        encodeCommand("EXISTS", ...keys),
        encodeCommand("ECHO", "y".repeat(20000)),
      ]),
    );
    await expectBytes(
      client,
      `+OK\r\n:0\r\n$20000\r\n${"y".repeat(20000)}\r\n`,
    );
  });
});

describe("client libraries", () => {
  it("a default ioredis client with a password connects", async () => {
    const { password } = await requirePassword();
    const redis = await server.client({ password });
    expect(await redis.ping()).toBe("PONG");
  });

  it("so does one with a user name and a password", async () => {
    const { password } = await requirePassword();
    const redis = await server.client({ username: "default", password });
    expect(await redis.ping()).toBe("PONG");
  });

  it("with a wrong password, connecting fails, and the client reports WRONGPASS", async () => {
    await requirePassword();
    const redis = new Redis({
      host: server.host,
      port: server.port,
      password: "wrong",
      lazyConnect: true,
      retryStrategy: () => null,
    });
    onTestFinished(() => disconnect(redis));
    const reported = new Promise<Error>((resolve) =>
      redis.once("error", resolve),
    );
    await expect(redis.connect()).rejects.toThrow();
    expect((await reported).message).toBe(WRONGPASS);
  });
});

// #region protected mode
describe("protected mode", () => {
  /** What redis-server 7.0.15 sends such a client, captured byte for byte. */
  const DENIED =
    "-DENIED Redis is running in protected mode because protected " +
    "mode is enabled and no password is set for the default user. In " +
    "this mode connections are only accepted from the loopback " +
    "interface. If you want to connect from external computers to " +
    "Redis you may adopt one of the following solutions: 1) Just " +
    "disable protected mode sending the command 'CONFIG SET " +
    "protected-mode no' from the loopback interface by connecting to " +
    "Redis from the same host the server is running, however MAKE " +
    "SURE Redis is not publicly accessible from internet if you do " +
    "so. Use CONFIG REWRITE to make this change permanent. 2) " +
    "Alternatively you can just disable the protected mode by editing " +
    "the Redis configuration file, and setting the protected mode " +
    "option to 'no', and then restarting the server. 3) If you " +
    "started the server manually just for testing, restart it with " +
    "the '--protected-mode no' option. 4) Setup a an authentication " +
    "password for the default user. NOTE: You only need to do one of " +
    "the above things in order for the server to start accepting " +
    "connections from the outside." +
    "\r\n";

  /** This machine's non-loopback IPv4 address: tests connect from it. */
  const outside = nonLoopbackAddress();
  const NO_OUTSIDE =
    "this machine has no non-loopback IPv4 address to connect from";

  /** A raw connection from `outside` to the server on `port`, closed when the test ends. */
  async function connectFromOutside(port: number): Promise<RawSocket> {
    const client = await RawSocket.connect(port, outside);
    onTestFinished(() => client.close());
    return client;
  }

  it("is on by default, and a loopback client is served with no password set", async () => {
    const redis = await server.client(SILENT);
    expect(await redis.config("GET", "protected-mode")).toEqual([
      "protected-mode",
      "yes",
    ]);
    expect(await redis.ping()).toBe("PONG");
  });

  itStartsServers(
    "a client from another address, with no password set, gets Redis's DENIED line and is closed, though bind names that address",
    async ({ skip }) => {
      if (outside === undefined) return skip(NO_OUTSIDE);
      let answer = "";
      let state = "";
      await runServerProgram(["--bind", outside], {
        whileRunning: async (port) => {
          const stranger = await connectFromOutside(port);
          answer = (await stranger.readUntilClosed()).toString("latin1");
          state = stranger.state;
        },
      });
      expect(answer).toBe(DENIED);
      expect(state).toBe("closed by server");
    },
  );

  itStartsServers(
    "with a password set, the same client is served, once it gives the password",
    async ({ skip }) => {
      if (outside === undefined) return skip(NO_OUTSIDE);
      await runServerProgram(["--bind", outside, "--requirepass", "secret"], {
        whileRunning: async (port) => {
          const stranger = await connectFromOutside(port);
          await stranger.send("PING\r\nAUTH secret\r\nPING\r\n");
          await expectBytes(stranger, `-${NOAUTH}\r\n+OK\r\n+PONG\r\n`);
        },
      });
    },
  );

  itStartsServers(
    "with protected-mode no, the same client is served",
    async ({ skip }) => {
      if (outside === undefined) return skip(NO_OUTSIDE);
      await runServerProgram(["--bind", outside, "--protected-mode", "no"], {
        whileRunning: async (port) => {
          const stranger = await connectFromOutside(port);
          await stranger.send("PING\r\n");
          await expectBytes(stranger, "+PONG\r\n");
        },
      });
    },
  );

  itStartsServers(
    "CONFIG SET from the loopback applies to the next client, and INFO counts the refusals",
    async ({ skip }) => {
      if (outside === undefined) return skip(NO_OUTSIDE);
      await runServerProgram(["--bind", "0.0.0.0"], {
        whileRunning: async (port) => {
          const admin = new Redis({
            port,
            lazyConnect: true,
            retryStrategy: () => null,
            ...SILENT,
          });
          onTestFinished(() => disconnect(admin));
          await admin.connect();

          /** A new client from outside is refused with DENIED. */
          const strangerIsDenied = async (): Promise<void> => {
            const stranger = await connectFromOutside(port);
            expect((await stranger.readUntilClosed()).toString()).toBe(DENIED);
          };
          /** A new client from outside is served: PING gets `reply`. */
          const strangerIsServed = async (reply: string): Promise<void> => {
            const stranger = await connectFromOutside(port);
            await stranger.send("PING\r\n");
            await expectBytes(stranger, reply);
            stranger.close();
          };
          await strangerIsDenied();
          await admin.config("SET", "requirepass", "secret");
          await strangerIsServed(`-${NOAUTH}\r\n`);
          await admin.config("SET", "requirepass", "");
          await strangerIsDenied();
          await admin.config("SET", "protected-mode", "no");
          await strangerIsServed("+PONG\r\n");

          const info =
            (await admin.info("stats")) + (await admin.info("clients"));
          // Two strangers turned away, not received; the admin and two served.
          expect(info).toContain("rejected_connections:2\r\n");
          expect(info).toContain("total_connections_received:3\r\n");
        },
      });
    },
  );
});
// #endregion protected mode

/** Closes a client this file made itself, and waits until its socket is gone. */
async function disconnect(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  const ended = new Promise((resolve) => redis.once("end", resolve));
  redis.disconnect();
  await ended;
}
