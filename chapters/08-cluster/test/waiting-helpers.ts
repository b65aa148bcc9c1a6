/**
 * Helpers for the suites of clients that wait (blocking, zset-pops, sort):
 * a client with its id, whether CLIENT LIST shows it blocked, a blocking
 * command sent from a fresh client and resolved once it waits, and how
 * long a reply took.
 *
 * No test sleeps for a fixed time: a test knows a client is blocked when
 * CLIENT LIST shows it with the flag `b`, polled until it does.
 */
import type { Redis } from "ioredis";
import type { ServerUnderTest } from "../../../shared/harness.ts";
import { errorOf, pollUntil } from "./client-helpers.ts";

/** A client, and its id as CLIENT LIST shows it. */
export interface Client {
  readonly redis: Redis;
  readonly id: number;
}

/** A fresh client from `connectTo`, with its id. */
export async function connect(
  connectTo: () => Promise<Redis>,
): Promise<Client> {
  const redis = await connectTo();
  return { redis, id: (await redis.client("ID")) as number };
}

/**
 * Whether CLIENT LIST shows client `id` waiting (the flag `b`, beside
 * others such as Redis's `U` for a Unix socket client); undefined once
 * the client is gone.
 */
export async function isBlocked(
  observer: Redis,
  id: number,
): Promise<boolean | undefined> {
  const text = (await observer.call("CLIENT", "LIST", "ID", id)) as string;
  const line = text.split("\n").find((l) => l !== "");
  if (line === undefined) return undefined;
  const flags = line.split(" ").find((field) => field.startsWith("flags="));
  return flags!.slice("flags=".length).includes("b");
}

/** Resolves once CLIENT LIST shows client `id` blocked. */
export async function untilBlocked(observer: Redis, id: number): Promise<void> {
  await pollUntil(() => isBlocked(observer, id), true, `client ${id} blocked`);
}

/** Resolves once client `id` has left CLIENT LIST. */
export async function untilGone(observer: Redis, id: number): Promise<void> {
  await pollUntil(
    async () => (await isBlocked(observer, id)) === undefined,
    true,
    `client ${id} gone`,
  );
}

/** A client whose blocking command is still waiting: its reply, to await later. */
export interface Waiting<T> extends Client {
  readonly reply: Promise<T>;
}

/**
 * The `waitingIn` of a suite whose clients come from `server`: `const
 * waitingIn = waitingInFor(server)`.
 */
export function waitingInFor(server: ServerUnderTest) {
  /**
   * Sends `command` from a fresh client (of `server`, or from `connectTo`,
   * such as a restarted server's) and resolves once the server shows
   * that client blocked, so that the order in which a test calls this is
   * the order of the clients in the key's queue. A reply that is an
   * error is the error's text; a closed connection is "closed".
   */
  return async function waitingIn<T>(
    observer: Redis,
    command: (redis: Redis) => Promise<T>,
    connectTo: () => Promise<Redis> = () => server.client(),
  ): Promise<Waiting<T | string>> {
    const client = await connect(connectTo);
    const reply = command(client.redis).catch((error: unknown) =>
      error instanceof Error && error.message.includes("Connection is closed")
        ? "closed"
        : errorOf(Promise.reject(error)),
    );
    await untilBlocked(observer, client.id);
    return { ...client, reply };
  };
}

/** How long `reply` took to come, in milliseconds, and what it was. */
export async function timed<T>(reply: Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await reply;
  return [value, performance.now() - started];
}
