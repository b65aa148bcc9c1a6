/**
 * The protocol of chapter 01: whatever arrives goes straight back.
 *
 * It is the smallest handler that still exercises every path of the TCP
 * layer: a client that sends a lot and reads slowly fills our output
 * buffer exactly as a client pipelining thousands of Redis commands will.
 */
import type { Client, Handler } from "../network/connection.ts";

// #region echo
export function createEchoHandler(client: Client): Handler {
  return {
    receive(data) {
      client.send(data);
    },
    closed() {
      // Nothing is held per client, so there is nothing to release.
    },
  };
}
// #endregion echo
