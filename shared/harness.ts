/**
 * The test harness every chapter suite uses.
 *
 * A suite never starts a server itself. It calls `useServer()`, and the
 * harness decides what "the server" is:
 *
 * - normally, the server of the chapter under test, started in-process on
 *   port 0 through that chapter's `startServer()`. Which chapter that is comes
 *   from the vitest project (`provide.serverDir` in vitest.config.ts), so
 *   chapter 02's suite can run against chapter 04's server unchanged;
 * - with `REDIS_URL` set, that external server: real Redis, or a learner's own
 *   implementation in any language. Tests that look inside our process
 *   (`server.local`) are skipped then, with `itInProcess`.
 *
 * It also cleans up: raw sockets opened through it are destroyed and the
 * server is closed. (shared/leak-check.ts then fails a test file that leaves
 * a socket, listener or timer behind.)
 */
import { afterAll, beforeAll, inject, it, onTestFinished } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Redis, type RedisOptions } from "ioredis";
import { RawSocket } from "./raw-socket.ts";
import { namingCommands } from "./replies.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder of the chapter whose server the suites run against. */
    serverDir: string;
    /**
     * That chapter's number; for a learner's copy of chapter NN-1 in
     * `exercises/NN-name/`, NN, the chapter being built.
     */
    chapterNumber: number;
    /** False for chapter 01, the echo server: REDIS_URL never applies to it. */
    speaksRedis: boolean;
  }
  /**
   * The one tag (defined in vitest.config.ts): `{ tags: ["fidelity"] }` on
   * a test or a describe block that pins transcribed Redis data (COMMAND
   * DOCS trees, ACL categories, INFO field formats, 7.0's quirks) rather
   * than behaviour a learner builds. `npm run exercise NN -- --core` skips
   * them; every other run includes them. Typed here, so a misspelt tag
   * fails the type check.
   */
  export interface TestTags {
    tags: "fidelity";
  }
}

/** The contract every chapter's `src/server.ts` fulfils (and a learner's exercise copy must). */
export interface ChapterServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
  /** Figures every chapter's TCP layer keeps (chapter 01 introduces them). */
  stats(): {
    connectedClients: number;
    totalConnectionsReceived: number;
    peakOutputBufferBytes: number;
  };
}
type StartServer = (config?: Record<string, unknown>) => Promise<ChapterServer>;

/**
 * The server under test is not ours to start: `REDIS_URL` points at it.
 * Ignored for the echo chapter, so a REDIS_URL left in a shell never sends
 * echo tests to somebody's Redis.
 */
export const external =
  process.env.REDIS_URL !== undefined && inject("speaksRedis");

/**
 * A test that needs our own server: in-process (its stats, its config,
 * closing it) or run as a program (signals, the command line). Skipped
 * under REDIS_URL.
 */
export const itInProcess = it.skipIf(external);

/**
 * The number of the chapter whose server is under test. An earlier
 * chapter's test of something a later chapter changes on purpose runs only
 * up to that chapter: `it.skipIf(serverChapter() >= 5)`. For a learner's
 * copy it is the chapter being built (5 for `npm run exercise 05`, on a
 * copy of chapter 04): the copy is on its way to changing that rule, so the
 * old rule's test is not held against it.
 */
export function serverChapter(): number {
  return inject("chapterNumber");
}

/** Folder of the chapter under test (or of the learner's exercise copy). */
export function serverDir(): string {
  return inject("serverDir");
}

/** The chapter's `src/main.ts`, for tests that run the server as a separate process. */
export function chapterMainPath(): string {
  return join(serverDir(), "src", "main.ts");
}

/** Imports the chapter's `src/server.ts` and starts it (port 0 by default). */
async function importAndStart(
  config: Record<string, unknown>,
): Promise<ChapterServer> {
  const modulePath = join(serverDir(), "src", "server.ts");
  const module: { startServer?: StartServer } = await import(
    pathToFileURL(modulePath).href
  );
  if (typeof module.startServer !== "function") {
    throw new Error(
      `${modulePath} must export startServer(config) resolving to { host, port, stats(), close() }`,
    );
  }
  return module.startServer({ port: 0, ...config });
}

/**
 * Starts a fresh in-process server of the chapter under test with the given
 * config, for one test. It is closed when the test ends, if the test did not
 * close it itself.
 */
export async function startChapterServer(
  config: Record<string, unknown> = {},
): Promise<ChapterServer> {
  const server = await importAndStart(config);
  onTestFinished(() => server.close());
  return server;
}

export interface ServerUnderTest {
  readonly host: string;
  readonly port: number;
  /** Our in-process server. Only in `itInProcess` tests: it does not exist under REDIS_URL. */
  readonly local: ChapterServer;
  /** A raw TCP connection to the server, destroyed after the suite if the test did not close it. */
  raw(): Promise<RawSocket>;
  /**
   * An ioredis client connected to the server, disconnected after the suite.
   * It never reconnects or retries, so a server that hangs up shows up as a
   * failed command instead of a silent retry. An error reply fails with the
   * command that got it and the test line that sent it
   * (`SET k v EX 10 → ERR syntax error`: see replies.ts). `options` adds to that, e.g.
   * the RESP2-only settings chapter 02 needs.
   */
  client(options?: RedisOptions): Promise<Redis>;
}

/**
 * Registers beforeAll/afterAll hooks that provide one server for the whole
 * test file, and returns a handle whose fields are valid inside tests.
 */
export function useServer(
  config: Record<string, unknown> = {},
): ServerUnderTest {
  let address: { host: string; port: number } | undefined;
  let local: ChapterServer | undefined;
  const sockets: RawSocket[] = [];
  const clients: Redis[] = [];

  beforeAll(async () => {
    if (external) {
      const url = new URL(process.env.REDIS_URL!);
      address = { host: url.hostname, port: Number(url.port || 6379) };
    } else {
      local = await importAndStart(config);
      address = { host: local.host, port: local.port };
    }
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(clients.map(disconnect));
    await local?.close();
  });

  const where = (): { host: string; port: number } => {
    if (address === undefined)
      throw new Error(
        "the server is started in beforeAll: use it inside tests",
      );
    return address;
  };
  return {
    get host() {
      return where().host;
    },
    get port() {
      return where().port;
    },
    get local() {
      if (local === undefined)
        throw new Error(
          "server.local needs an in-process server: use itInProcess",
        );
      return local;
    },
    async raw() {
      const socket = await RawSocket.connect(where().port, where().host);
      sockets.push(socket);
      return socket;
    },
    async client(options = {}) {
      const client = new Redis({
        ...where(),
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        ...options,
        lazyConnect: true,
      });
      clients.push(client);
      await client.connect();
      return namingCommands(client);
    },
  };
}

/** Closes an ioredis client and waits until its socket is gone. */
async function disconnect(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise((resolve) => client.once("end", resolve));
  client.disconnect();
  await ended;
}

/** Polls until `condition()` holds, for state that settles asynchronously (a socket closing). */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
