/**
 * The handler that makes the TCP server of chapter 01 a Redis server: bytes
 * in, parsed into commands, run, replies out. It takes the place of the echo
 * handler and plugs into the same `Handler` interface.
 */
import type { Client, Handler, HandlerFactory } from "../network/connection.ts";
import type { CommandContext } from "./command-spec.ts";
import type { BlockRequest } from "../blocking/block-request.ts";
import type { ConnectedClient } from "./connected-clients.ts";
import type { ServerState } from "./server-state.ts";
import { newSession } from "./session.ts";
import { authRequired, type CommandTable } from "./command-table.ts";
import { ProtocolError, RespParser } from "../protocol/resp-parser.ts";
import { error, ReplyWriter, type Reply } from "../protocol/reply.ts";
import { OutputLimit } from "./output-limit.ts";
import { commandEnded } from "../cluster/routing.ts";
import type { ForwardRequest } from "../cluster/proxy/forwarding.ts";

/**
 * Replies accumulate up to about this size before they are sent: small
 * enough that a client that falls behind is noticed after a few replies, big
 * enough that a pipeline of small replies still leaves in one write.
 */
const BATCH_BYTES = 64 * 1024;

/**
 * How much one client may do before the others get their turn: a client
 * that pipelines thousands of commands and reads as fast as we answer
 * would otherwise keep the event loop to itself (Redis runs all of a
 * client's commands at once, and its other clients wait). After this many
 * commands or reply bytes, the rest waits for the next turn of the loop.
 */
const TURN_COMMANDS = 1_000;
const TURN_BYTES = 256 * 1024;

// #region handler
export function createRespHandler(
  commands: CommandTable,
  server: ServerState,
): HandlerFactory {
  return (client: Client): Handler => {
    const parser = new RespParser();
    const replies = new ReplyWriter();
    const session = newSession(
      client.id,
      server.keyspace.database(0),
      // Redis's rule: a client that connects while no password is set is
      // authenticated for good.
      server.config.requirepass === "",
    );
    const context: CommandContext = {
      session,
      commands,
      server,
      loggedAs: undefined,
      lastCommand: undefined,
    };
    /** True while the client waits in a blocking command: its next commands wait too. */
    let blocked = false;
    /** True while a command of the client's is at another node (cluster-proxy): the same. */
    let forwarded = false;
    const connected: ConnectedClient = {
      connection: client,
      session,
      get lastCommand() {
        return context.lastCommand?.name ?? "NULL";
      },
      get queryBufferBytes() {
        return parser.pendingBytes;
      },
      get blocked() {
        return blocked;
      },
    };
    server.clients.set(client.id, connected);

    /** Bytes of replies that wait for the AOF write of their commands' changes. */
    let heldBytes = 0;
    /** Set when commands were held back because too many replies wait for the AOF. */
    let waitingForAof = false;

    const outputLimit = new OutputLimit();
    /** A check of the output limits, due while the client is over the soft one. */
    let limitCheck: NodeJS.Timeout | undefined;

    // #region send
    /** Sends replies, then holds the client to its output limits. */
    function send(bytes: Buffer): void {
      client.send(bytes);
      enforceOutputLimit();
    }

    function enforceOutputLimit(): void {
      const broken = outputLimit.check(
        client.pendingOutputBytes,
        Date.now(),
        server.config.clientOutputBufferLimit.normal,
      );
      if (broken !== undefined) {
        // Redis's log line, and its way: the client goes at once, and
        // what it was owed with it.
        console.warn(
          `Client id=${client.id} scheduled to be closed ASAP for overcoming of output buffer limits.`,
        );
        client.destroy();
        gone = true;
        // Out of any wait now: a key must not be popped for a client that
        // will never read the reply.
        server.blockedClients.forget(client.id);
      } else if (outputLimit.overSoftLimit) {
        // A client behind on its replies gets no new ones (runPending), so
        // no send would look again: a timer does, until it catches up.
        limitCheck ??= setTimeout(() => {
          limitCheck = undefined;
          enforceOutputLimit();
        }, 1000);
      }
    }
    // #endregion send

    /** Set when the connection is gone: its commands still waiting never run. */
    let gone = false;
    /** The next turn of a client that used up its turn (see TURN_COMMANDS). */
    let nextTurn: NodeJS.Immediate | undefined;

    // #region run-pending
    /**
     * Runs the whole commands waiting in the parser, in order, until there
     * are none or the client falls behind on its replies. A client that
     * pipelines a thousand GETs of a big value and reads nothing would
     * otherwise make us build every reply in memory at once: pausing the
     * socket (connection.ts) stops new bytes, but the commands already
     * received must wait too. `drained()` picks up where this stopped.
     * Replies held for the AOF count as well: they are in our memory too.
     */
    function runPending(): void {
      if (gone) return;
      let commandsThisTurn = 0;
      let bytesThisTurn = 0;
      try {
        while (
          !session.closeAfterReply &&
          !blocked &&
          !forwarded &&
          !client.congested
        ) {
          if (
            commandsThisTurn >= TURN_COMMANDS ||
            bytesThisTurn >= TURN_BYTES
          ) {
            // The others' turn; ours comes back right after theirs.
            nextTurn ??= setImmediate(() => {
              nextTurn = undefined;
              runPending();
            });
            break;
          }
          if (heldBytes >= BATCH_BYTES) {
            waitingForAof = true;
            break;
          }
          // A client that must AUTH first is held to tighter limits.
          parser.unauthenticated = authRequired(context);
          const next = parser.next();
          if (next.kind !== "command") break;
          const reply = commands.execute(next.args, context);
          commandsThisTurn += 1;
          // Cluster mode: ASKING lets one command through (cluster/routing.ts).
          if (session.asking) commandEnded(session, context.lastCommand);
          // #region serve-after-command
          if (reply.type === "block") {
            block(reply);
          } else if (reply.type === "forward") {
            forward(reply);
          } else {
            // In the protocol in force *after* the command: HELLO 3's own
            // answer is already RESP3, as in Redis.
            const sizeBefore = replies.size;
            replies.write(reply, session.protocol);
            bytesThisTurn += replies.size - sizeBefore;
          }
          // The command may have given data to keys that clients wait on:
          // they are served now, before this client's next command can
          // take the data (Redis does it at the same point).
          server.blockedClients.serveReadyKeys();
          // #endregion serve-after-command
          // A big batch goes out now, so that `congested` tells the truth
          // about this client before the next command runs.
          if (replies.size >= BATCH_BYTES) sendWhenWritten();
        }
      } catch (thrown) {
        if (!(thrown instanceof ProtocolError)) throw thrown;
        // After malformed input we cannot tell where the next command
        // starts, so, like Redis, we answer with the error and hang up.
        // Replies to the commands before it are still sent, first.
        replies.write(error(`ERR ${thrown.message}`), session.protocol);
        session.closeAfterReply = true;
      }
      sendWhenWritten();
    }
    // #endregion run-pending

    // #region block
    /**
     * The command must wait for data: the client joins the queues of its
     * keys, and its later commands wait in the parser until `resume`.
     */
    function block(request: BlockRequest): void {
      blocked = true;
      client.waiting = true;
      server.blockedClients.block({
        clientId: client.id,
        db: session.db,
        request,
        resume,
      });
    }

    /** The wait is over (served, timed out, unblocked): answer, and go on. */
    function resume(reply: Reply): void {
      blocked = false;
      client.waiting = false;
      if (gone) return;
      replies.write(reply, session.protocol);
      sendWhenWritten();
      // After the command that served us has finished, not inside it.
      queueMicrotask(runPending);
    }
    // #endregion block

    // #region forward
    /**
     * Cluster proxy (`cluster-proxy yes`, not Redis): the command went to
     * its slot's owner. As with a blocked client, the client's next
     * commands, pipelined ones too, wait in the parser until the owner's
     * reply is back, so replies leave in the order the commands came.
     */
    function forward(request: ForwardRequest): void {
      forwarded = true;
      request.start((answer) => {
        forwarded = false;
        // A client that left while it waited: the reply has nowhere to go.
        if (gone) return;
        if (Buffer.isBuffer(answer)) replies.writeEncoded(answer);
        else replies.write(answer, session.protocol);
        sendWhenWritten();
        runPending();
      });
    }
    // #endregion forward

    // #region replies-wait
    /**
     * The replies written so far leave in one write (one system call, and
     * usually one TCP packet) instead of one write per command, once what
     * their commands changed is in the AOF (see aof.ts).
     */
    function sendWhenWritten(): void {
      if (replies.empty) return;
      const answer = replies.take();
      const closeAfterReply = session.closeAfterReply;
      heldBytes += answer.length;
      server.aof.whenWritten(() => {
        heldBytes -= answer.length;
        send(answer);
        if (closeAfterReply) {
          client.close();
        } else if (waitingForAof) {
          // The commands held back can go on, after this delivery round.
          waitingForAof = false;
          queueMicrotask(runPending);
        }
      });
    }
    // #endregion replies-wait

    // #region handler-methods
    return {
      receive(data) {
        // After QUIT or a protocol error, until the connection closes.
        if (session.closeAfterReply) return;
        parser.feed(data);
        runPending();
        if (
          !session.closeAfterReply &&
          parser.pendingBytes > server.config.clientQueryBufferLimit
        ) {
          // A client piling up an endless command. Like Redis, we log it and
          // hang up without a reply, before it can exhaust our memory (a
          // million tiny arguments cost far more here than on the wire).
          console.warn(
            `Closing client ${client.id} that reached max query buffer length (${parser.pendingBytes} bytes)`,
          );
          client.close();
        }
      },
      drained() {
        enforceOutputLimit();
        runPending();
      },
      closed() {
        gone = true;
        if (nextTurn !== undefined) clearImmediate(nextTurn);
        if (limitCheck !== undefined) clearTimeout(limitCheck);
        server.blockedClients.forget(client.id);
        server.clients.delete(client.id);
        // Its watches would otherwise outlive it in the table of watched keys.
        server.watchedKeys.unwatchAll(session.watcher);
      },
    };
    // #endregion handler-methods
  };
}
// #endregion handler
