/**
 * One connection from this node to another node's client port, in one
 * protocol, shared by everything this node sends there (peer-pool.ts keeps
 * one per node and protocol). It is pipelined: requests are written as
 * they come, each joins a first-in, first-out line, and since a Redis
 * server answers in order, each reply read (reply-reader.ts) belongs to
 * the request at the head of the line.
 *
 * Sharing one connection between clients has a price: anything that
 * holds it up holds up everyone. So the line is bounded (requests and
 * bytes), the head has a deadline after which the whole line fails and the
 * connection is dropped (a new one is made on the next request), and any
 * failure (refused, lost, malformed) fails every request still waiting,
 * at once: none of them can get its reply any more.
 *
 * The errors are for the client that sent the command, as they are. Their
 * code is Redis's TRYAGAIN, "this could not be served now, try again":
 * what Redis answers when a multi-key command meets a slot in the middle
 * of a move. The text says when the command may nevertheless have run on
 * the owner (it was sent, and no reply came back).
 */
import { createConnection, type Socket } from "node:net";
import {
  PeerError,
  ReplyProtocolError,
  ReplyReader,
  type PeerReply,
} from "./reply-reader.ts";

export interface PeerAddress {
  readonly ip: string;
  readonly port: number;
}

/** What a connection needs to know from the server's settings, read when it is used. */
export interface PeerSettings {
  /** This node's `requirepass`: the nodes of one cluster share it. Empty for none. */
  readonly requirepass: string;
  /** `cluster-proxy-timeout`: milliseconds the head request may wait for its reply. */
  readonly clusterProxyTimeout: number;
}

// #region bounds
/**
 * How much may wait on one connection. Every client waits for its own
 * forwarded command before it sends the next (forwarding.ts), so the line
 * is about one request per client; the bytes bound stops a few clients
 * that send huge values from piling them up in our memory, in Node's
 * socket buffer, while the owner is slow to read.
 */
export const MAX_WAITING_REQUESTS = 10_000;
export const MAX_WAITING_BYTES = 512 * 1024 * 1024;
// #endregion bounds

/** The name the owner's CLIENT LIST shows for these connections. */
export const PROXY_CONNECTION_NAME = "cluster-proxy";

interface Waiting {
  readonly resolve: (reply: PeerReply) => void;
  readonly reject: (error: Error) => void;
  readonly bytes: number;
  readonly deadline: number;
}

// #region peer-connection
export class PeerConnection {
  readonly #address: string;
  readonly #settings: PeerSettings;
  readonly #socket: Socket;
  readonly #reader = new ReplyReader();
  readonly #line: Waiting[] = [];
  #waitingBytes = 0;
  #connected = false;
  #closed = false;
  /** Fires when the head of the line has waited too long. */
  #deadlineTimer: NodeJS.Timeout | undefined;
  #timerDue = 0;
  readonly #onClosed: () => void;

  constructor(
    peer: PeerAddress,
    protocol: 2 | 3,
    settings: PeerSettings,
    onClosed: () => void,
  ) {
    this.#address = `${peer.ip}:${peer.port}`;
    this.#settings = settings;
    this.#onClosed = onClosed;
    this.#socket = createConnection({ host: peer.ip, port: peer.port });
    this.#socket.setNoDelay(true);
    this.#socket.on("connect", () => (this.#connected = true));
    this.#socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on("error", (cause: NodeJS.ErrnoException) =>
      this.fail(
        this.#connected
          ? this.#lost(cause.code ?? cause.message)
          : `TRYAGAIN Proxy cannot connect to the slot's owner ${this.#address} (${cause.code ?? cause.message})`,
      ),
    );
    this.#socket.on("close", () => this.fail(this.#lost("closed")));
    this.#logIn(protocol);
  }

  // #region log-in
  /**
   * The connection's first request, written before any other: the
   * protocol, the password if there is one, and a name, in one HELLO.
   * Requests written behind it wait for it like any other, and if it
   * fails, they fail with its error.
   */
  #logIn(protocol: 2 | 3): void {
    const hello = ["HELLO", String(protocol)];
    const password = this.#settings.requirepass;
    if (password !== "") hello.push("AUTH", "default", password);
    hello.push("SETNAME", PROXY_CONNECTION_NAME);
    // Not a promise: the check must run as the reply is read, before the
    // replies behind it are handed out (a promise's callback runs later).
    const command = encodeCommand(hello.map((word) => Buffer.from(word)));
    this.#enqueue(command, Date.now() + this.#settings.clusterProxyTimeout, {
      resolve: ({ value }) => {
        if (value instanceof PeerError) {
          this.fail(
            `TRYAGAIN Proxy cannot log in to the slot's owner ${this.#address}: ${value.message}`,
          );
        }
      },
      reject: () => {}, // failed with the connection: the requests behind are told
    });
  }
  // #endregion log-in

  /** False once the connection has failed or been closed: the pool makes a new one. */
  get usable(): boolean {
    return !this.#closed;
  }

  // #region send
  /**
   * Writes commands at once, one after the other, and resolves with their
   * replies, in order. Either all are accepted or none: a MULTI accepted
   * without its EXEC would leave the shared connection inside a
   * transaction, queueing everybody else's commands.
   */
  sendTogether(commands: readonly (readonly Buffer[])[]): Promise<PeerReply>[] {
    // Measured before anything is copied: the bound is on our memory.
    const bytes = commands.reduce((sum, args) => sum + encodedLength(args), 0);
    let refusal: string | undefined;
    if (this.#closed) {
      refusal = this.#lost("closed");
    } else if (
      this.#line.length + commands.length > MAX_WAITING_REQUESTS ||
      this.#waitingBytes + bytes > MAX_WAITING_BYTES
    ) {
      refusal = `TRYAGAIN Proxy has too many requests waiting for the slot's owner ${this.#address}`;
    }
    if (refusal !== undefined) {
      const error = new Error(refusal);
      return commands.map(() => Promise.reject(error));
    }
    const deadline = Date.now() + this.#settings.clusterProxyTimeout;
    const replies = commands.map(
      (args) =>
        new Promise<PeerReply>((resolve, reject) =>
          this.#enqueue(encodeCommand(args), deadline, { resolve, reject }),
        ),
    );
    this.#watchDeadline(deadline);
    return replies;
  }

  /** Writes one command, and puts its waiter at the end of the line. */
  #enqueue(
    command: Buffer,
    deadline: number,
    waiter: Pick<Waiting, "resolve" | "reject">,
  ): void {
    this.#line.push({ ...waiter, bytes: command.length, deadline });
    this.#waitingBytes += command.length;
    this.#socket.write(command);
  }

  send(args: readonly Buffer[]): Promise<PeerReply> {
    return this.sendTogether([args])[0]!;
  }
  // #endregion send

  // #region receive
  #receive(chunk: Buffer): void {
    this.#reader.feed(chunk);
    try {
      for (;;) {
        const reply = this.#reader.next();
        if (reply === undefined) break;
        const head = this.#line.shift();
        if (head === undefined) {
          throw new ReplyProtocolError("a reply nobody asked for");
        }
        this.#waitingBytes -= head.bytes;
        head.resolve(reply);
        if (this.#closed) return; // the log-in failed: the rest failed with it
      }
    } catch (thrown) {
      if (!(thrown instanceof ReplyProtocolError)) throw thrown;
      this.fail(
        `TRYAGAIN Proxy read a malformed reply from the slot's owner ${this.#address} (${thrown.message}): the command may or may not have run`,
      );
    }
  }
  // #endregion receive

  // #region deadline
  /**
   * Makes sure the timer fires by `deadline`, a new request's. Deadlines
   * grow along the line, unless CONFIG SET lowers cluster-proxy-timeout:
   * then a new request is due before the timer, which is set again.
   */
  #watchDeadline(deadline: number): void {
    if (this.#closed) return;
    if (this.#deadlineTimer !== undefined) {
      if (this.#timerDue <= deadline) return;
      clearTimeout(this.#deadlineTimer);
    }
    this.#timerDue = deadline;
    this.#deadlineTimer = setTimeout(
      () => this.#deadlineCame(),
      Math.max(0, deadline - Date.now()),
    );
    // A deadline alone must not keep the process alive (tests, shutdown).
    this.#deadlineTimer.unref();
  }

  /** A request waited too long: the whole line fails. Or none did yet. */
  #deadlineCame(): void {
    this.#deadlineTimer = undefined;
    const now = Date.now();
    if (this.#line.some((waiting) => waiting.deadline <= now)) {
      this.fail(
        `TRYAGAIN Proxy got no reply from the slot's owner ${this.#address} within ${this.#settings.clusterProxyTimeout} ms: the command may or may not have run`,
      );
    } else if (this.#line.length > 0) {
      const next = this.#line.reduce(
        (a, w) => Math.min(a, w.deadline),
        Infinity,
      );
      this.#watchDeadline(next);
    }
  }
  // #endregion deadline

  // #region fail
  /**
   * Ends the connection: every waiting request is rejected with `message`,
   * the socket is destroyed, and the pool forgets this connection.
   */
  fail(message: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
    this.#socket.destroy();
    const error = new Error(message);
    for (const waiting of this.#line.splice(0)) waiting.reject(error);
    this.#waitingBytes = 0;
    this.#onClosed();
  }
  // #endregion fail

  #lost(why: string): string {
    return `TRYAGAIN Proxy lost its connection to the slot's owner ${this.#address} (${why}): the command may or may not have run`;
  }
}
// #endregion peer-connection

/** A command as a client sends it: an array of bulk strings, in one Buffer. */
function encodeCommand(args: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    parts.push(Buffer.from(`$${arg.length}\r\n`), arg, CRLF);
  }
  return Buffer.concat(parts);
}
const CRLF = Buffer.from("\r\n");

/** The size of `encodeCommand(args)`, without making it. */
function encodedLength(args: readonly Buffer[]): number {
  let length = `*${args.length}\r\n`.length;
  for (const arg of args)
    length += `$${arg.length}\r\n`.length + arg.length + 2;
  return length;
}
