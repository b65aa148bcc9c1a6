/**
 * One fuzzer connection to one server: write commands, read back exactly
 * as many replies, as the server's own bytes.
 *
 * A read never hangs the run: it ends with what arrived when the server
 * closes the connection or stays silent too long, and says which.
 */
import { connect, type Socket } from "node:net";
import { encodeCommand, parseReply, replyEnd, type RespReply } from "./resp.ts";

/** How a read of N replies ended. */
export interface ReadResult {
  readonly replies: RespReply[];
  /**
   * Set when fewer replies than asked for arrived: "connection closed",
   * "no reply in time", or why the bytes could not be read.
   */
  readonly failure?: string;
}

const READ_TIMEOUT_MS = 10_000;

export class Peer {
  readonly #socket: Socket;
  #pending: Buffer = Buffer.alloc(0);
  #replies: RespReply[] = [];
  #closed = false;
  #formatError: string | undefined;
  #wake: () => void = () => {};

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.#pending =
        this.#pending.length === 0
          ? chunk
          : Buffer.concat([this.#pending, chunk]);
      this.#parse();
      this.#wake();
    });
    const onEnd = (): void => {
      this.#closed = true;
      this.#wake();
    };
    socket.on("end", onEnd);
    socket.on("close", onEnd);
    socket.on("error", onEnd);
  }

  static connect(port: number, host = "127.0.0.1"): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new Peer(socket));
      });
    });
  }

  /** True once the server has closed the connection (or it broke). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Replies received and not read yet: whether a client that may be waiting has answered. */
  get buffered(): number {
    return this.#replies.length;
  }

  write(bytes: Buffer): void {
    if (!this.#closed) this.#socket.write(bytes);
  }

  /** Resolves with the next `count` replies, or with fewer and the reason. */
  read(count: number, timeoutMs = READ_TIMEOUT_MS): Promise<ReadResult> {
    return new Promise((resolve) => {
      const finish = (failure?: string): void => {
        clearTimeout(timer);
        this.#wake = () => {};
        const replies = this.#replies.splice(0, count);
        resolve(failure === undefined ? { replies } : { replies, failure });
      };
      const check = (): void => {
        if (this.#replies.length >= count) finish();
        else if (this.#formatError !== undefined) finish(this.#formatError);
        else if (this.#closed) finish("connection closed");
      };
      const timer = setTimeout(() => finish("no reply in time"), timeoutMs);
      this.#wake = check;
      check();
    });
  }

  /** Closes the connection and forgets anything unread. */
  close(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #parse(): void {
    let offset = 0;
    try {
      for (;;) {
        const end = replyEnd(this.#pending, offset);
        if (end === undefined) break;
        // Parsed from a copy, so a reply does not pin the chunk it came in.
        const bytes = Buffer.from(this.#pending.subarray(offset, end));
        this.#replies.push(parseReply(bytes)!.reply);
        offset = end;
      }
    } catch (error) {
      this.#formatError = `unreadable reply: ${(error as Error).message}`;
    }
    this.#pending = this.#pending.subarray(offset);
  }
}

/**
 * Sends the same commands to both servers and reads every reply, or throws
 * if either falls short: for the fuzzer's own commands (checkpoints,
 * resets), which must not fail.
 */
export async function askBoth(
  ours: Peer,
  redis: Peer,
  commands: readonly Buffer[][],
): Promise<[RespReply[], RespReply[]]> {
  const bytes = Buffer.concat(commands.map(encodeCommand));
  ours.write(bytes);
  redis.write(bytes);
  const [a, b] = await Promise.all([
    ours.read(commands.length),
    redis.read(commands.length),
  ]);
  for (const [who, result] of [
    ["ours", a],
    ["redis", b],
  ] as const) {
    if (result.failure !== undefined) {
      throw new Error(`${who}: ${result.failure} (control commands)`);
    }
  }
  return [a.replies, b.replies];
}
