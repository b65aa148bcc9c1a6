/**
 * Article step "kill -9": with `appendfsync always`, a reply is a promise
 * that the write is on disk. The test holds the server to it the hard
 * way: clients stream writes, the server process is killed with SIGKILL
 * (no shutdown handler runs, nothing is flushed on the way out) while
 * writes are in flight, and the restarted server must have every write
 * that was acknowledged.
 *
 * It checks more than "nothing acknowledged is lost". The AOF is a log:
 * commands are appended in the order they ran, and a crash can only cut
 * off its end. So what survives of each client's stream is a *prefix* of
 * it: all of its commands up to some point, none after, whether their
 * replies arrived or not. Each client sends, in turn, `SET c:k<i> <i>`
 * (a key per command), `INCR counter` (shared by all clients) and
 * `SET c:last <i>`; after the restart the test finds, for each client, the
 * prefixes that agree with what its keys hold (there must be one, at
 * least as long as what was acknowledged), and the shared counter must
 * count exactly the INCRs of those prefixes.
 *
 * The kill may cut a command in half; the restart then drops that
 * incomplete tail (`aof-load-truncated yes`, the default) and must still
 * start.
 *
 * Ours only (`itInProcess`, skipped under REDIS_URL): it runs our
 * `main.ts` as a process of its own, to kill it.
 */
import { describe, expect, onTestFinished } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomInt } from "node:crypto";
import { Redis } from "ioredis";
import { chapterMainPath, itInProcess } from "../../../shared/harness.ts";
import {
  startServerProcess,
  type ServerProcess,
} from "../../../shared/child-server.ts";

/** Clients writing at once, and commands each keeps in flight (pipelined). */
const CLIENTS = 4;
const IN_FLIGHT_PER_CLIENT = 8;

/** The three commands each client sends in turn: command `i` is the `i % 3`th. */
const UNIQUE = 0; // SET c:k<i> <i>
const INCR = 1; // INCR counter
const LAST = 2; // SET c:last <i>

/** An ioredis client that never retries: a dead server fails its commands at once. */
async function connect(server: ServerProcess): Promise<Redis> {
  const client = new Redis({
    host: server.host,
    port: server.port,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  // Once the server is killed, the socket's end is reported as an error
  // too; the failed commands already tell the test all it needs.
  client.on("error", () => {});
  onTestFinished(() => disconnect(client));
  await client.connect();
  return client;
}

async function disconnect(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise((resolve) => client.once("end", resolve));
  client.disconnect();
  await ended;
}

/** What one client sent, and which replies came back. */
interface Stream {
  readonly name: string;
  /** Commands handed to the client (numbered from 0). */
  sent: number;
  /** The highest command number whose reply came back; -1 if none. */
  highestAcknowledged: number;
  /** The highest INCR reply this client got: the counter had at least that. */
  highestCounterSeen: number;
}

/**
 * Sends `stream`'s commands on `client`, several in flight at once, until
 * the connection dies: the writes go on while the kill is on its way.
 * `acknowledged` is called after each reply.
 */
async function write(
  client: Redis,
  stream: Stream,
  acknowledged: () => void,
): Promise<void> {
  const lane = async (): Promise<void> => {
    for (;;) {
      const i = stream.sent++;
      let reply: unknown;
      try {
        reply =
          i % 3 === UNIQUE
            ? await client.set(`${stream.name}:k${i}`, String(i))
            : i % 3 === INCR
              ? await client.incr("counter")
              : await client.set(`${stream.name}:last`, String(i));
      } catch {
        return; // the server is gone
      }
      // Replies come in order on one connection: all before i came too.
      stream.highestAcknowledged = Math.max(stream.highestAcknowledged, i);
      if (i % 3 === INCR) {
        stream.highestCounterSeen = Math.max(
          stream.highestCounterSeen,
          reply as number,
        );
      } else {
        expect(reply).toBe("OK");
      }
      acknowledged();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT_PER_CLIENT }, lane));
}

/** How many of the first `p` commands of a stream are INCRs. */
const incrsIn = (p: number): number => Math.floor((p + 1) / 3);

/**
 * The prefix lengths `p` of `stream` that agree with what the restarted
 * server holds: its keys k0, k3, ... below p, no others, and `last` the
 * last LAST command below p (absent if none).
 */
function prefixesMatching(
  stream: Stream,
  uniquePresent: readonly boolean[],
  last: number | undefined,
): number[] {
  const matching: number[] = [];
  for (let p = 0; p <= stream.sent; p++) {
    const uniqueOk = uniquePresent.every((present, n) => present === 3 * n < p);
    const lastIndex = p >= 3 ? Math.floor((p - 3) / 3) * 3 + LAST : undefined;
    if (uniqueOk && last === lastIndex) matching.push(p);
  }
  return matching;
}

describe("kill -9 with appendfsync always", () => {
  itInProcess(
    "every acknowledged write survives, and what survives of each client is a prefix of what it sent",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "aof-crash-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const args = [
        "--port",
        "0",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--dir",
        dir,
      ];
      // When to kill: after somewhere between 300 and 1,500 replies, a
      // different moment each run. Printed in every failure message.
      const killAfter = 300 + randomInt(1200);
      const context = `killed after ${killAfter} replies`;

      const server = await startServerProcess(chapterMainPath(), args);
      const clients = await Promise.all(
        Array.from({ length: CLIENTS }, () => connect(server)),
      );
      const streams: Stream[] = clients.map((_, c) => ({
        name: `c${c}`,
        sent: 0,
        highestAcknowledged: -1,
        highestCounterSeen: 0,
      }));

      // The clients write until the server is gone; the kill goes out from
      // the reply handler, so the writes sent on every connection after it
      // are in flight when the process dies.
      let replies = 0;
      const writing = clients.map((client, c) =>
        write(client, streams[c]!, () => {
          replies += 1;
          if (replies === killAfter) server.child.kill("SIGKILL");
        }),
      );
      await Promise.all(writing);
      const exit = await server.exited;
      expect(exit.signal, context).toBe("SIGKILL");
      const inFlight = streams.reduce(
        (sum, s) => sum + s.sent - 1 - s.highestAcknowledged,
        0,
      );
      expect(inFlight, `${context}: writes were in flight`).toBeGreaterThan(0);
      for (const client of clients) await disconnect(client);

      // The same folder, the default aof-load-truncated yes: it must start.
      const restarted = await startServerProcess(chapterMainPath(), args);
      const reader = await connect(restarted);

      let incrsLow = 0;
      let incrsHigh = 0;
      let keysExpected = 0;
      for (const stream of streams) {
        const uniqueKeys: string[] = [];
        for (let i = 0; i < stream.sent; i += 3)
          uniqueKeys.push(`${stream.name}:k${i}`);
        const [values, last] = await Promise.all([
          uniqueKeys.length > 0 ? reader.mget(uniqueKeys) : [],
          reader.get(`${stream.name}:last`),
        ]);
        // Every key that is there holds what was written to it.
        values.forEach((value, n) => {
          if (value !== null)
            expect(value, `${context}: ${uniqueKeys[n]}`).toBe(String(3 * n));
        });
        const present = values.map((value) => value !== null);
        const lastIndex = last === null ? undefined : Number(last);
        // Nothing acknowledged is lost: the surviving prefix covers it.
        const prefixes = prefixesMatching(stream, present, lastIndex).filter(
          (p) => p > stream.highestAcknowledged,
        );
        const where = `${context}: ${stream.name} sent ${stream.sent}, acknowledged up to ${stream.highestAcknowledged}, has ${present.filter(Boolean).length} keys and last=${last}`;
        expect(
          prefixes.length,
          `${where}: not a prefix of what was sent, or shorter than what was acknowledged`,
        ).toBeGreaterThan(0);
        incrsLow += incrsIn(Math.min(...prefixes));
        incrsHigh += incrsIn(Math.max(...prefixes));
        keysExpected +=
          present.filter(Boolean).length + (last === null ? 0 : 1);
      }

      // The counter counts the surviving INCRs, and at least what any
      // client was told it had reached.
      const counter = Number((await reader.get("counter")) ?? 0);
      const seen = Math.max(...streams.map((s) => s.highestCounterSeen));
      expect(counter, context).toBeGreaterThanOrEqual(seen);
      expect(counter, context).toBeGreaterThanOrEqual(incrsLow);
      expect(counter, context).toBeLessThanOrEqual(incrsHigh);
      // And nothing else is there.
      if (counter > 0) keysExpected += 1;
      expect(await reader.dbsize(), context).toBe(keysExpected);

      await disconnect(reader);
      restarted.child.kill("SIGTERM");
      expect((await restarted.exited).code, context).toBe(0);
    },
  );
});
