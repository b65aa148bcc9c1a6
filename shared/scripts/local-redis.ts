/**
 * What the scripts that start servers of their own share (test:redis,
 * bench, memory): a free loopback port, the arguments for a throwaway
 * redis-server, and waiting until a server answers PING.
 */
import { connect, createServer } from "node:net";

/** Asks the OS for a port nobody uses right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** redis-server on loopback `port`, writing nothing to disk. */
export function redisServerArgs(port: number): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ];
}

/** One inline PING: true if the server on `port` answers +PONG within a second. */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" }, () =>
      socket.write("PING\r\n"),
    );
    socket.setEncoding("utf8");
    socket.setTimeout(1000, () => socket.destroy());
    socket.once("data", (text: string) => {
      socket.destroy();
      resolve(text.startsWith("+PONG"));
    });
    socket.once("close", () => resolve(false)); // no-op if already resolved
    socket.once("error", () => resolve(false));
  });
}

/**
 * Resolves once the server on `port` answers PING. Rejects at `deadline`
 * (a Date.now() value), or as soon as `exited()` says the process is gone:
 * no point waiting for a server that died on start-up.
 */
export async function waitForPong(
  port: number,
  deadline: number,
  exited: () => boolean = () => false,
): Promise<void> {
  for (;;) {
    if (await answersPing(port)) return;
    if (exited()) {
      throw new Error(
        `the server on port ${port} exited before answering PING`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`the server on port ${port} did not answer PING`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
