/**
 * What the server remembers about one connection between its commands,
 * which they read and change through their context. One per connection.
 */
import type { Protocol } from "../protocol/reply.ts";

// #region session
/** Per-connection state that commands read and change. */
export interface Session {
  /** The connection's id (HELLO and, later, CLIENT ID report it). */
  readonly id: number;
  /** Set by HELLO SETNAME, kept as the client's bytes; empty means no name. */
  name: Buffer;
  /** The protocol replies are written in: 2 until HELLO asks for 3. */
  protocol: Protocol;
  /**
   * Send the replies owed so far, then close the connection: set by QUIT,
   * and by the handler after a protocol error.
   */
  closeAfterReply: boolean;
}
// #endregion session
