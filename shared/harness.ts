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
 * It also cleans up: raw sockets and clients opened through it are closed,
 * and so is the server. (shared/leak-check.ts then fails a test file that
 * leaves a socket, listener or timer behind.)
 */
import { afterAll, beforeAll, inject, it, onTestFinished } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Redis, type RedisOptions } from "ioredis";
import {
  createClient,
  ErrorReply,
  type RedisClientOptions,
  type RedisClientType,
} from "redis";
import { spawn } from "node:child_process";
import { RawSocket } from "./raw-socket.ts";
import { namingCommands } from "./replies.ts";
import {
  freePort,
  redisServerArgs,
  waitForPong,
} from "./scripts/local-redis.ts";

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
    /**
     * The protocol `client()` speaks unless a test says otherwise: 3 (what
     * ioredis asks for by default) in project `NN-name`, 2 in `NN-name-resp2`.
     */
    protocol: 2 | 3;
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
 * Set by `npm run test:redis`: each test file gets a throwaway
 * redis-server of its own (REDIS_SERVER_BIN) instead of sharing the one in
 * REDIS_URL, so that files can run side by side, as they do against ours.
 */
const serverPerFile = external && process.env.REDIS_SERVER_PER_FILE === "1";

/** Starts a throwaway redis-server on a free port; resolves with its address and a way to stop it. */
async function startRedisForFile(): Promise<{
  address: { host: string; port: number };
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const child = spawn(
    process.env.REDIS_SERVER_BIN ?? "redis-server",
    redisServerArgs(port),
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) =>
    child.once("close", () => resolve()),
  );
  await waitForPong(port, Date.now() + 10_000, () => child.exitCode !== null);
  return {
    address: { host: "127.0.0.1", port },
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

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
   * (`SET k v EX 10 → ERR syntax error`: see replies.ts). It speaks the
   * project's protocol (RESP3, or RESP2 in the `-resp2` projects). `options`
   * adds to that, e.g. no ready check for chapter 02, which has no INFO.
   */
  client(options?: RedisOptions): Promise<Redis>;
  /**
   * A node-redis 6 client connected to the server (RESP3 only: see
   * `connectNodeRedis`), destroyed after the suite. `options` adds to
   * createClient's, e.g. `{ database: 3 }`.
   */
  nodeRedis(options?: NodeRedisOptions): Promise<NodeRedisClient>;
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
  const nodeRedisClients: NodeRedisClient[] = [];

  let stopRedis: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (serverPerFile) {
      const redis = await startRedisForFile();
      address = redis.address;
      stopRedis = redis.stop;
    } else if (external) {
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
    // destroy() is safe on a client the test already closed (or QUIT).
    for (const client of nodeRedisClients) client.destroy();
    await local?.close();
    await stopRedis?.();
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
        protocol: inject("protocol"),
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        ...options,
        lazyConnect: true,
      });
      clients.push(client);
      await client.connect();
      return namingCommands(client);
    },
    async nodeRedis(options = {}) {
      const client = await connectNodeRedis(where(), options);
      nodeRedisClients.push(client);
      return client;
    },
  };
}

/** A node-redis 6 client, with the commands `createClient()` gives it. */
export type NodeRedisClient = RedisClientType;

/** What a test may add to createClient's options: anything but where to connect. */
export type NodeRedisOptions = Omit<RedisClientOptions, "socket" | "url">;

/** How long node-redis gets to connect and finish its handshake. */
const NODE_REDIS_CONNECT_LIMIT_MS = 5_000;

/**
 * Connects a node-redis 6 client (npm's `redis`, the official client) to
 * `address`; the caller destroys it. (Most tests want `server.nodeRedis()`,
 * which does that after the suite.)
 *
 * node-redis 6 speaks RESP3 only. It opens each connection with `HELLO 3`,
 * pipelined with `SELECT` if `database` is set, two `CLIENT SETINFO` and a
 * `CLIENT MAINT_NOTIFICATIONS` (it ignores the errors of those three, so a
 * server without CLIENT still serves it). A server that answers `HELLO 3`
 * with NOPROTO makes its default client reconnect forever, and a test would
 * hang until vitest's timeout says nothing useful. So here:
 *
 * - no reconnecting: a failed handshake rejects `connect()` at once, and a
 *   server that hangs up mid-test fails the commands that were waiting;
 * - a deadline for the whole handshake, which node-redis's `connectTimeout`
 *   does not cover (it stops at the TCP connection);
 * - an error that names the address and the reply that stopped it.
 */
export async function connectNodeRedis(
  address: { host: string; port: number },
  options: NodeRedisOptions = {},
): Promise<NodeRedisClient> {
  const client: NodeRedisClient = createClient({
    ...options,
    socket: {
      ...address,
      reconnectStrategy: false,
      connectTimeout: NODE_REDIS_CONNECT_LIMIT_MS,
    },
  });
  // node-redis also emits every connection error as an 'error' event, and an
  // event nobody listens to is thrown as an uncaught exception, failing
  // whichever test runs then. The command or connect() that failed rejects
  // with the same error: that is where the test sees it.
  client.on("error", () => {});
  try {
    await withDeadline(
      client.connect(),
      NODE_REDIS_CONNECT_LIMIT_MS,
      "no answer to its handshake (HELLO 3 ...)",
    );
  } catch (error) {
    client.destroy();
    throw new Error(
      `node-redis could not connect to ${address.host}:${address.port}: ` +
        handshakeFailure(error),
      { cause: error },
    );
  }
  return client;
}

/** Why connect() failed, with a hint when the server refused RESP3. */
function handshakeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // node-redis ignores the errors of its CLIENT commands: an error reply
  // here answered HELLO 3 (or SELECT, with the `database` option).
  if (!(error instanceof ErrorReply)) return error.message;
  const hint = error.message.startsWith("NOPROTO")
    ? ": the server does not speak RESP3, and node-redis 6 speaks nothing else"
    : "";
  return `its handshake was answered "${error.message}"${hint}`;
}

/** `promise`, or a rejection with `what` if it has not settled after `ms`. */
async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
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
