/**
 * A TCP client for byte-level tests: send exact bytes, wait for an exact
 * number of bytes back, see how the server closed the connection.
 *
 * Client libraries hide exactly what protocol tests need to see (framing,
 * partial replies, who closed the socket and how), so the protocol suites
 * talk through this instead. Every wait has a timeout that fails with what
 * was received so far, rather than hanging until the test runner gives up.
 */
import { connect, type Socket } from "node:net";

const DEFAULT_TIMEOUT_MS = 5_000;

/** How the connection ended, as seen from the client. */
export type CloseKind = "open" | "closed by server" | "reset" | "closed by us";

export class RawSocket {
  readonly socket: Socket;
  #chunks: Buffer[] = [];
  #bufferedBytes = 0;
  #state: CloseKind = "open";
  /** Called whenever data arrives or the state changes, to re-check what a reader waits for. */
  #wake: () => void = () => {};

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#bufferedBytes += chunk.length;
      this.#wake();
    });
    socket.on("end", () => this.#setState("closed by server"));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.#setState(
        error.code === "ECONNRESET" ? "reset" : "closed by server",
      );
    });
    socket.on("close", () => this.#setState("closed by server"));
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new RawSocket(socket));
      });
    });
  }

  /** How the connection stands now. */
  get state(): CloseKind {
    return this.#state;
  }

  /** Writes bytes and resolves once Node has handed them to the kernel. */
  send(data: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Resolves with exactly `byteCount` bytes, waiting for them if needed. */
  read(byteCount: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
    return this.#waitFor(
      () => this.#bufferedBytes >= byteCount,
      () => this.#take(byteCount),
      `${byteCount} bytes`,
      timeoutMs,
    );
  }

  /** Resolves with every byte up to the server closing the connection (or resetting it). */
  readUntilClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
    return this.#waitFor(
      () => this.#state !== "open",
      () => this.#take(this.#bufferedBytes),
      "the connection to close",
      timeoutMs,
    );
  }

  /** Half-closes: we send FIN and send no more, but can still read. */
  end(): void {
    this.socket.end();
  }

  /** Aborts the connection with a TCP reset, as a crashed or killed client would. */
  reset(): void {
    this.#setState("closed by us");
    this.socket.resetAndDestroy();
  }

  /** Closes our side for good; safe to call more than once. */
  close(): void {
    if (this.#state === "open") this.#setState("closed by us");
    this.socket.destroy();
  }

  #setState(state: CloseKind): void {
    if (this.#state === "open") this.#state = state;
    this.#wake();
  }

  #take(byteCount: number): Buffer {
    const all = Buffer.concat(this.#chunks, this.#bufferedBytes);
    const rest = all.subarray(byteCount);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#bufferedBytes = rest.length;
    return all.subarray(0, byteCount);
  }

  #waitFor<T>(
    ready: () => boolean,
    take: () => T,
    what: string,
    timeoutMs: number,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (ready()) {
          finish();
          resolve(take());
        } else if (this.#state !== "open") {
          finish();
          reject(
            this.#failure(
              `connection ${this.#state} while waiting for ${what}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          this.#failure(`timed out after ${timeoutMs} ms waiting for ${what}`),
        );
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#wake = () => {};
      };
      this.#wake = check;
      check();
    });
  }

  #failure(message: string): Error {
    const sample = Buffer.concat(this.#chunks).subarray(0, 200);
    return new Error(
      `${message}; received ${this.#bufferedBytes} bytes so far: ${JSON.stringify(sample.toString("latin1"))}`,
    );
  }
}
