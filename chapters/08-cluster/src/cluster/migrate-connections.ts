/**
 * MIGRATE's connections to other servers, kept open for the next MIGRATE
 * to the same address (Redis's migrate_cached_sockets). Resharding moves
 * a slot's keys a few at a time, hundreds of MIGRATEs to one node: one
 * connection for all of them saves a TCP handshake each, and the target
 * remembers the database SELECTed last (`lastDb`).
 *
 * Redis's rules: one connection per "host:port" as the client typed them,
 * at most 64 (a 65th address closes one at random), closed after 10 s
 * unused, and closed at the first error or timeout, since what the target
 * will send next is then unknown.
 *
 * The connection speaks just enough RESP for MIGRATE: it writes commands
 * and reads one-line replies (`+OK`, `-ERR ...`), each with a deadline.
 */
import { connect, type Socket } from "node:net";

/** Redis's MIGRATE_SOCKET_CACHE_ITEMS and MIGRATE_SOCKET_CACHE_TTL. */
const MAX_CONNECTIONS = 64;
const IDLE_MS = 10_000;
/** The longest delay a timer takes; MIGRATE's timeout may be longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

// #region migrate-io-error
/**
 * A connection that failed, and where: MIGRATE's IOERR names the stage.
 * `timedOut` matters too: Redis retries once after an error, on a new
 * connection (the cached one may just have been closed by the target),
 * but not after a timeout.
 */
export class MigrateIoError extends Error {
  constructor(
    readonly stage: "connecting" | "writing" | "reading",
    readonly timedOut: boolean,
  ) {
    super(`error or timeout ${stage}`);
  }
}
// #endregion migrate-io-error

// #region migrate-connection
export class MigrateConnection {
  /** The database the target has selected on this connection; -1: unknown. */
  lastDb = -1n;
  lastUse = Date.now();
  readonly #socket: Socket;
  /** Bytes received and not yet read as lines. */
  #input = Buffer.alloc(0);
  /** Set once the connection failed or closed: every wait fails from then on. */
  #failure: MigrateIoError | undefined;
  /** Called when something arrives or the connection fails. */
  #wake: (() => void) | undefined;
  /** The exchange in progress, which the next one waits for. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(host: string, port: number, onClose: () => void) {
    this.#socket = connect({ host, port });
    this.#socket.setNoDelay(true);
    // A cached connection must not keep the process alive on its own.
    this.#socket.unref();
    this.#socket.on("data", (chunk: Buffer) => {
      this.#input = Buffer.concat([this.#input, chunk]);
      this.#wake?.();
    });
    this.#socket.on("error", (failure: NodeJS.ErrnoException) => {
      // A name that does not resolve fails before any connection: Redis
      // says "connecting" for that; a refused connection shows as a
      // failed write, there as here.
      const stage =
        failure.syscall === "getaddrinfo" ? "connecting" : "writing";
      this.#fail(new MigrateIoError(stage, false));
    });
    this.#socket.on("close", () => {
      this.#fail(new MigrateIoError("reading", false));
      onClose();
    });
  }

  /**
   * Runs `exchange` once the exchanges before it on this connection are
   * over. Redis's MIGRATE holds the whole server while it waits; ours
   * holds only its client, so two clients may MIGRATE to one address at
   * once, and their commands and replies must not interleave.
   */
  exclusive<T>(exchange: () => Promise<T>): Promise<T> {
    const result = this.#turn.then(exchange);
    this.#turn = result.catch(() => {});
    return result;
  }

  #fail(failure: MigrateIoError): void {
    this.#failure ??= failure;
    this.#wake?.();
  }

  /** Sends `bytes`; rejects with a MigrateIoError unless they are all sent within `timeoutMs`. */
  write(bytes: Buffer, timeoutMs: number): Promise<void> {
    return this.#within(timeoutMs, "writing", (settle) => {
      this.#socket.write(bytes, (failure) => {
        settle(failure === undefined || failure === null);
      });
    });
  }

  /** The next reply line, without its CRLF; rejects unless one comes within `timeoutMs`. */
  readLine(timeoutMs: number): Promise<string> {
    let line = "";
    return this.#within(timeoutMs, "reading", (settle) => {
      const end = this.#input.indexOf("\r\n");
      if (end === -1) return;
      line = this.#input.subarray(0, end).toString("latin1");
      this.#input = this.#input.subarray(end + 2);
      settle(true);
    }).then(() => line);
  }

  /**
   * Runs `step` now and at every event, until it settles; fails with the
   * connection's failure, or with a timeout of `stage`.
   */
  #within(
    timeoutMs: number,
    stage: "writing" | "reading",
    step: (settle: (ok: boolean) => void) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (failure?: MigrateIoError): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#wake = undefined;
        if (failure === undefined) resolve();
        else reject(failure);
      };
      const timer = setTimeout(
        () => finish(new MigrateIoError(stage, true)),
        Math.min(timeoutMs, MAX_TIMER_MS),
      );
      const settle = (ok: boolean): void =>
        finish(
          ok ? undefined : (this.#failure ?? new MigrateIoError(stage, false)),
        );
      this.#wake = () => {
        if (this.#failure !== undefined) finish(this.#failure);
        else step(settle);
      };
      this.#wake();
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}
// #endregion migrate-connection

// #region migrate-connections
/** One server's cached connections, by "host:port". */
export class MigrateConnections {
  readonly #byAddress = new Map<string, MigrateConnection>();
  #idleCheck: NodeJS.Timeout | undefined;

  /**
   * The connection to `host:port` (`name` is how the client wrote them),
   * cached or new. Throws a MigrateIoError("connecting") for an address
   * no connection can be made to.
   */
  get(name: string, host: string, port: number): MigrateConnection {
    const cached = this.#byAddress.get(name);
    if (cached !== undefined) {
      cached.lastUse = Date.now();
      return cached;
    }
    if (host === "" || port < 0) throw new MigrateIoError("connecting", false);
    if (this.#byAddress.size >= MAX_CONNECTIONS) {
      const names = [...this.#byAddress.keys()];
      this.drop(names[Math.floor(Math.random() * names.length)]!);
    }
    const connection = new MigrateConnection(host, port, () => {
      // Closed by the target, or by us: not to be handed out again.
      if (this.#byAddress.get(name) === connection) this.drop(name);
    });
    this.#byAddress.set(name, connection);
    this.#idleCheck ??= setInterval(() => this.#closeIdle(), 1000).unref();
    return connection;
  }

  /** Closes and forgets the connection to `name`, after an error. */
  drop(name: string): void {
    const connection = this.#byAddress.get(name);
    if (connection === undefined) return;
    this.#byAddress.delete(name);
    connection.close();
    if (this.#byAddress.size === 0) {
      clearInterval(this.#idleCheck);
      this.#idleCheck = undefined;
    }
  }

  /** Once a second, as Redis's cron: connections unused for 10 s are closed. */
  #closeIdle(): void {
    const now = Date.now();
    for (const [name, connection] of this.#byAddress) {
      if (now - connection.lastUse > IDLE_MS) this.drop(name);
    }
  }
}
// #endregion migrate-connections
