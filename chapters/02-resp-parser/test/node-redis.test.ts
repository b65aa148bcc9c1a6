/**
 * Article step "node-redis": the chapter's commands through node-redis 6,
 * the official Node client (npm's `redis`), as an application uses them.
 *
 * node-redis 6 speaks RESP3 only. Every connection opens with `HELLO 3`,
 * pipelined with two `CLIENT SETINFO` and a `CLIENT MAINT_NOTIFICATIONS`,
 * whose errors it ignores (this chapter has no CLIENT command, and Redis
 * 7.0 refuses those subcommands too). So the server must accept `HELLO 3`
 * and answer in RESP3: maps, and the type a reply has in Redis (simple or
 * bulk string), which a client can ask to see with a type mapping.
 * (shared/harness.ts's `nodeRedis()` says how a refused handshake fails.)
 *
 * Every expected value here is what redis-server 7.0.15 answers.
 */
import { describe, expect, it } from "vitest";
import { RESP_TYPES, SimpleError } from "redis";
import { useServer } from "../../../shared/harness.ts";

const server = useServer();

/** Replies of this RESP type come back as Buffers: how a test sees a reply's type, and its bytes. */
function asBuffers(type: number) {
  return { [type]: Buffer };
}

/** The error a promise was rejected with (fails if it was fulfilled). */
async function rejectionOf(reply: Promise<unknown>): Promise<Error> {
  try {
    await reply;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error reply, but the command succeeded");
}

describe("connecting", () => {
  it("node-redis completes its handshake and is ready", async () => {
    const redis = await server.nodeRedis();
    expect(redis.isOpen).toBe(true);
    expect(redis.isReady).toBe(true);
    expect(await redis.ping()).toBe("PONG");
  });

  it("HELLO 3 answers with a map of the server's facts, in Redis's order", async () => {
    const redis = await server.nodeRedis();
    // A Map only if the reply was a RESP3 map: an array of pairs stays an array.
    const facts = await redis.sendCommand(["HELLO", "3"], {
      typeMapping: { [RESP_TYPES.MAP]: Map },
    });
    expect(facts).toBeInstanceOf(Map);
    const map = facts as unknown as Map<string, unknown>;
    expect([...map.keys()]).toEqual([
      "server",
      "version",
      "proto",
      "id",
      "mode",
      "role",
      "modules",
    ]);
    expect(map.get("server")).toBe("redis");
    expect(map.get("version")).toMatch(/^\d+\.\d+\.\d+$/);
    expect(map.get("proto")).toBe(3);
    expect(map.get("id")).toEqual(expect.any(Number));
    expect(map.get("mode")).toBe("standalone");
    expect(map.get("role")).toBe("master");
    expect(map.get("modules")).toEqual([]);
  });

  it("HELLO without a version says the connection speaks 3, and each client has its own id", async () => {
    const first = await (await server.nodeRedis()).hello();
    const second = await (await server.nodeRedis()).hello();
    expect(first.proto).toBe(3);
    expect(second.proto).toBe(3);
    expect(first.id).not.toBe(second.id);
  });
});

describe("PING and ECHO", () => {
  it("PING answers PONG as a simple string, and its argument as a bulk string", async () => {
    const redis = await server.nodeRedis();
    expect(await redis.ping()).toBe("PONG");
    expect(await redis.ping("hello")).toBe("hello");
    const simple = redis.withTypeMapping(asBuffers(RESP_TYPES.SIMPLE_STRING));
    expect(await simple.ping()).toEqual(Buffer.from("PONG"));
    const bulk = redis.withTypeMapping(asBuffers(RESP_TYPES.BLOB_STRING));
    expect(await bulk.ping("hello")).toEqual(Buffer.from("hello"));
  });

  it("ECHO returns every byte value unchanged, as a bulk string", async () => {
    const redis = await server.nodeRedis();
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const bulk = redis.withTypeMapping(asBuffers(RESP_TYPES.BLOB_STRING));
    expect(await bulk.echo(everyByte)).toEqual(everyByte);
    expect(await bulk.echo(Buffer.from("\r\n$3\r\n*1\r\n"))).toEqual(
      Buffer.from("\r\n$3\r\n*1\r\n"),
    );
    expect(await redis.echo("")).toBe("");
    expect(await redis.echo("héllo ✓")).toBe("héllo ✓");
  });

  it("sendCommand sends any command as it is, in any letter case", async () => {
    const redis = await server.nodeRedis();
    expect(await redis.sendCommand(["pInG"])).toBe("PONG");
    expect(await redis.sendCommand(["ECHO", "a b"])).toBe("a b");
    const bytes = await redis.sendCommand(["echo", Buffer.from([0, 255])], {
      typeMapping: asBuffers(RESP_TYPES.BLOB_STRING),
    });
    expect(bytes).toEqual(Buffer.from([0, 255]));
  });
});

describe("errors", () => {
  it("an unknown command is a simple error with Redis's text, and the connection stays", async () => {
    const redis = await server.nodeRedis();
    const error = await rejectionOf(redis.sendCommand(["NOSUCH", "a", "b"]));
    expect(error).toBeInstanceOf(SimpleError);
    expect(error.message).toBe(
      "ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' ",
    );
    expect(await redis.ping()).toBe("PONG");
  });

  it("a wrong number of arguments gets Redis's arity error", async () => {
    const redis = await server.nodeRedis();
    const error = await rejectionOf(redis.sendCommand(["ECHO"]));
    expect(error).toBeInstanceOf(SimpleError);
    expect(error.message).toBe(
      "ERR wrong number of arguments for 'echo' command",
    );
    expect(await redis.echo("still here")).toBe("still here");
  });
});

describe("pipelining", () => {
  // node-redis writes every command issued in the same tick in one batch,
  // without waiting for replies: the server must answer them in order.
  it("1,000 commands sent at once are answered in order", async () => {
    const redis = await server.nodeRedis();
    const words = Array.from({ length: 1_000 }, (_, i) => `word-${i}`);
    const replies = await Promise.all(words.map((word) => redis.echo(word)));
    expect(replies).toEqual(words);
  });

  it("an error in a pipeline fails its own command only", async () => {
    const redis = await server.nodeRedis();
    const results = await Promise.allSettled([
      redis.ping(),
      redis.echo("before"),
      redis.sendCommand(["NOSUCH"]),
      redis.echo("after"),
      redis.ping("last"),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(
      results.map((r) => (r.status === "fulfilled" ? r.value : "")),
    ).toEqual(["PONG", "before", "", "after", "last"]);
    const failed = results[2] as PromiseRejectedResult;
    expect((failed.reason as Error).message).toBe(
      "ERR unknown command 'NOSUCH', with args beginning with: ",
    );
  });

  it("large bulk strings, pipelined, come back whole however TCP cuts them", async () => {
    const redis = await server.nodeRedis();
    const bulk = redis.withTypeMapping(asBuffers(RESP_TYPES.BLOB_STRING));
    const values = [0x61, 0x00, 0x0d].map((byte, i) =>
      Buffer.alloc(300_000 + i, byte),
    );
    const replies = await Promise.all(values.map((value) => bulk.echo(value)));
    replies.forEach((reply, i) => expect(reply.equals(values[i]!)).toBe(true));
  });
});

describe("closing", () => {
  it("close() waits for the replies still owed, then closes", async () => {
    const redis = await server.nodeRedis();
    const pending = [redis.echo("one"), redis.echo("two")];
    await redis.close();
    expect(await Promise.all(pending)).toEqual(["one", "two"]);
    expect(redis.isOpen).toBe(false);
  });

  it("QUIT answers OK, and the client is closed", async () => {
    const redis = await server.nodeRedis();
    expect(await redis.quit()).toBe("OK");
    expect(redis.isOpen).toBe(false);
    await expect(redis.ping()).rejects.toThrow("The client is closed");
  });
});
