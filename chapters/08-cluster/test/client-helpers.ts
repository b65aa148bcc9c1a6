/**
 * Helpers for the ioredis suites of this chapter: unique key names, so
 * tests never share data, the text of an error reply, and what the expiry
 * suites need to wait on a real server: its clock, a field of INFO, and a
 * poll with a generous limit; a config changed for one test and put back,
 * and a SCAN walked to its end.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { ServerUnderTest } from "../../../shared/harness.ts";
import { errorText } from "../../../shared/replies.ts";

// #region error-texts
/** Redis 7.0.15's error texts that many suites of this chapter expect. */
export const WRONGTYPE =
  "WRONGTYPE Operation against a key holding the wrong kind of value";
export const NOT_AN_INTEGER = "ERR value is not an integer or out of range";
export const SYNTAX_ERROR = "ERR syntax error";
export const MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
// #endregion error-texts

/** Key names no other test uses: `key("a")` is "<random prefix>:a". */
export function keysForThisTest(): (name: string) => string {
  const prefix = randomBytes(8).toString("hex");
  return (name) => `${prefix}:${name}`;
}

/**
 * The full text of the error a command was answered with ("ERR ..."), to
 * compare with Redis's exactly (without the command that the harness's
 * clients add to their errors); fails if the command succeeded.
 */
export async function errorOf(reply: Promise<unknown>): Promise<string> {
  try {
    await reply;
  } catch (error) {
    return errorText(error);
  }
  throw new Error("expected an error reply, but the command succeeded");
}

/**
 * A client, key names of its own, and a list at `key("list")`: a key of
 * the wrong kind for the WRONGTYPE checks of a suite about another type.
 */
export async function clientWithList(server: ServerUnderTest) {
  const redis = await server.client();
  const key = keysForThisTest();
  await redis.rpush(key("list"), "a");
  return { redis, key, list: key("list") };
}

/** The server's wall clock (TIME), in milliseconds since 1970. */
export async function serverTimeMs(redis: Redis): Promise<number> {
  const [seconds, microseconds] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(microseconds) / 1000);
}

/** One `name:value` field of an INFO section, as text (undefined if absent). */
export async function infoField(
  redis: Redis,
  section: string,
  name: string,
): Promise<string | undefined> {
  const info = await redis.info(section);
  const line = info.split("\r\n").find((l) => l.startsWith(`${name}:`));
  return line?.slice(name.length + 1);
}

/** One field of INFO, as a number: `infoNumber(redis, "stats", "expired_keys")`. */
export async function infoNumber(
  redis: Redis,
  section: string,
  name: string,
): Promise<number> {
  const value = await infoField(redis, section, name);
  if (value === undefined) throw new Error(`INFO ${section} has no ${name}`);
  return Number(value);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` every `everyMs` until it answers `wanted`; fails after
 * `limitMs`. For keys that must go: a generous limit makes a slow machine
 * wait longer, never fail. Returns how long it took, in milliseconds.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  wanted: T,
  what: string,
  { limitMs = 10_000, everyMs = 20 } = {},
): Promise<number> {
  const started = performance.now();
  let last = await probe();
  while (last !== wanted) {
    if (performance.now() - started > limitMs)
      throw new Error(
        `${what}: still ${String(last)} after ${limitMs} ms, wanted ${String(wanted)}`,
      );
    await sleep(everyMs);
    last = await probe();
  }
  return performance.now() - started;
}

/**
 * Runs `body` with the config `settings` (`{ "zset-max-listpack-entries":
 * "0" }`) on the server under test, and puts them back afterwards,
 * whatever happens: the other tests share the server.
 */
export async function withConfig(
  redis: Redis,
  settings: Readonly<Record<string, string>>,
  body: () => Promise<void>,
): Promise<void> {
  const before: [string, string][] = [];
  for (const name of Object.keys(settings)) {
    const [, value] = (await redis.config("GET", name)) as [string, string];
    before.push([name, value]);
  }
  try {
    for (const [name, value] of Object.entries(settings)) {
      await redis.config("SET", name, value);
    }
    await body();
  } finally {
    for (const [name, value] of before) await redis.config("SET", name, value);
  }
}

/**
 * A SCAN-style command (`SSCAN`, `HSCAN`, `ZSCAN`) walked from cursor 0
 * back to 0: every item of every batch, in the order they came (a hash's
 * or a sorted set's field or member followed by its value or score), and
 * how many calls it took. Fails after 10,000 calls: a cursor that never
 * comes back to 0 is a bug, not a long wait.
 */
export async function scanToEnd(
  redis: Redis,
  command: "SSCAN" | "HSCAN" | "ZSCAN",
  key: string,
  ...options: string[]
): Promise<{ items: string[]; calls: number }> {
  const items: string[] = [];
  let cursor = "0";
  let calls = 0;
  do {
    const [next, batch] = (await redis.call(
      command,
      key,
      cursor,
      ...options,
    )) as [string, string[]];
    items.push(...batch);
    cursor = next;
    calls += 1;
    if (calls === 10_000) throw new Error(`${command} ${key} never ended`);
  } while (cursor !== "0");
  return { items, calls };
}

/** OBJECT ENCODING of `key`: "listpack", "skiplist", "intset"... */
export async function encodingOf(redis: Redis, key: string): Promise<unknown> {
  return redis.object("ENCODING", key);
}
