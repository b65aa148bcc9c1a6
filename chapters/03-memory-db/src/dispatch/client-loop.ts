/**
 * The handler that makes the TCP server of chapter 01 a Redis server: bytes
 * in, parsed into commands, run, replies out. It takes the place of the echo
 * handler and plugs into the same `Handler` interface.
 */
import type { Client, Handler, HandlerFactory } from "../network/connection.ts";
import type { CommandContext } from "./command-spec.ts";
import type { ServerState } from "./server-state.ts";
import type { Session } from "./session.ts";
import { authRequired, type CommandTable } from "./command-table.ts";
import { ProtocolError, RespParser } from "../protocol/resp-parser.ts";
import { error, ReplyWriter } from "../protocol/reply.ts";

// #region handler
export function createRespHandler(
  commands: CommandTable,
  server: ServerState,
): HandlerFactory {
  return (client: Client): Handler => {
    const parser = new RespParser();
    const replies = new ReplyWriter();
    const session: Session = {
      id: client.id,
      name: Buffer.alloc(0),
      protocol: 2,
      libraryName: "",
      libraryVersion: "",
      db: server.keyspace.database(0),
      // Redis's rule: a client that connects while no password is set is
      // authenticated for good.
      authenticated: server.config.requirepass === "",
      closeAfterReply: false,
    };
    const context: CommandContext = { session, commands, server };

    return {
      receive(data) {
        parser.feed(data);
        try {
          // Run every whole command this chunk completed, in order.
          parser.unauthenticated = authRequired(context);
          let next = parser.next();
          while (next.kind === "command") {
            const reply = commands.execute(next.args, context);
            // In the protocol in force *after* the command: HELLO 3's own
            // answer is already RESP3, as in Redis.
            replies.write(reply, session.protocol);
            if (session.closeAfterReply) break; // QUIT: ignore what follows
            parser.unauthenticated = authRequired(context);
            next = parser.next();
          }
        } catch (thrown) {
          if (!(thrown instanceof ProtocolError)) throw thrown;
          // After malformed input we cannot tell where the next command
          // starts, so, like Redis, we answer with the error and hang up.
          // Replies to the commands before it are still sent, first.
          replies.write(error(`ERR ${thrown.message}`), session.protocol);
          session.closeAfterReply = true;
        }
        // All the replies to this chunk leave in one write (one system call,
        // and usually one TCP packet) instead of one write per command.
        if (!replies.empty) client.send(replies.take());
        if (session.closeAfterReply) {
          client.close();
        } else if (parser.pendingBytes > server.config.clientQueryBufferLimit) {
          // A client piling up an endless command. Like Redis, we log it and
          // hang up without a reply, before it can exhaust our memory (a
          // million tiny arguments cost far more here than on the wire).
          console.warn(
            `Closing client ${client.id} that reached max query buffer length (${parser.pendingBytes} bytes)`,
          );
          client.close();
        }
      },
      closed() {
        // Nothing outlives the connection yet. (Later chapters release
        // blocked commands and WATCHed keys here.)
      },
    };
  };
}
// #endregion handler
