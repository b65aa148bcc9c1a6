/**
 * A stand-in for redis-benchmark where one request is several commands:
 * a transaction, `MULTI`, `SET`, `GET`, `EXEC`, sent in one write as a
 * client library sends it. redis-benchmark 7.0 cannot send that: a
 * custom command line (`redis-benchmark ... SET k v`) is one command,
 * `-P` repeats that same command, it has no MULTI option (its `-t` tests
 * are single commands too), and it stops at the first error reply, so
 * no trick with MULTI as a command of its own gets far (`ERR MULTI calls
 * can not be nested` on the second request).
 *
 * So this does what redis-benchmark does, with a request of several
 * commands: `clients` connections, each sends `pipeline` requests in one
 * write, waits for every reply, and sends the next ones, until `requests`
 * requests have been answered; the figure is requests per second over the
 * whole run (redis-benchmark's `rps`). Every reply is checked against the
 * expected bytes, as redis-benchmark stops at an error: a server that
 * answers anything else fails the run.
 *
 * It runs inside `npm run bench`'s own Node process, as redis-benchmark
 * runs in a process of its own. Both servers are measured with the same
 * driver, so the ratio is fair; and it is no slower a client than
 * redis-benchmark, so the figures sit beside the others on the chart:
 * single SETs against Redis 7.0.15 on the 2-core machine of the committed
 * figures, 53k requests per second against redis-benchmark's 47k at -P 1,
 * 717k against 700k at -P 16.
 */
import { connect, type Socket } from "node:net";

export interface DriverOptions {
  readonly port: number;
  /** Connections, as redis-benchmark's `-c`. */
  readonly clients: number;
  /** Requests in all, as `-n`. */
  readonly requests: number;
  /** Requests each client sends before reading their replies, as `-P`. */
  readonly pipeline: number;
  /** One request: its commands, word by word. */
  readonly request: readonly (readonly string[])[];
  /** What the server answers to one request, byte for byte. */
  readonly reply: string;
  /** A run that has not ended by then has failed. */
  readonly timeoutMs: number;
}

/** A command as RESP's array of bulk strings. */
function encodeCommand(words: readonly string[]): string {
  return (
    `*${words.length}\r\n` +
    words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join("")
  );
}

/** Requests per second answered by the server at `options.port`; rejects on a wrong reply. */
export async function driveRequests(options: DriverOptions): Promise<number> {
  const request = Buffer.from(options.request.map(encodeCommand).join(""));
  const reply = Buffer.from(options.reply, "latin1");
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < options.clients; i++) {
      sockets.push(await open(options.port));
    }
    let issued = 0;
    let answered = 0;
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${answered} of ${options.requests} requests answered in ${options.timeoutMs / 1000} s`,
            ),
          ),
        options.timeoutMs,
      );
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      for (const socket of sockets) {
        let expected = 0; // replies this client still waits for
        let offset = 0; // bytes of the current reply already checked
        const send = (): void => {
          const count = Math.min(options.pipeline, options.requests - issued);
          if (count <= 0) return;
          issued += count;
          expected = count;
          socket.write(
            count === 1 ? request : Buffer.concat(Array(count).fill(request)),
          );
        };
        socket.on("data", (chunk: Buffer) => {
          for (let i = 0; i < chunk.length; i++) {
            if (chunk[i] !== reply[offset]) {
              finish(
                new Error(
                  `unexpected reply: ${JSON.stringify(chunk.toString("latin1", i, i + 200))} where ${JSON.stringify(reply.toString("latin1", offset))} was due`,
                ),
              );
              socket.destroy();
              return;
            }
            offset += 1;
            if (offset < reply.length) continue;
            offset = 0;
            answered += 1;
            expected -= 1;
            if (answered === options.requests) finish();
          }
          if (expected === 0) send();
        });
        socket.on("error", (error) => finish(error));
        send();
      }
    });
    return options.requests / ((performance.now() - started) / 1000);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.setNoDelay(true);
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
  });
}
