/**
 * Which protocol the fuzzer's connections speak, and when.
 *
 * `--protocol 2` or `--protocol 3` sends every command in that protocol;
 * `both`, the default, alternates blocks: commands 1 to 2,000 go out in
 * RESP2, 2,001 to 4,000 in RESP3, and so on. A command's block depends on
 * its number only, not on the length of the run, so that `--commands N`
 * replays the first N commands of a longer run exactly, each in the same
 * protocol. Both protocols see the same data: a block starts where the
 * one before left the servers.
 *
 * Every connection of a RESP3 block opens with HELLO 3, on both servers,
 * and its reply is compared like any other. A HELLO among the fuzzed
 * commands switches the connection on both servers alike; the runner
 * follows it (protocolAfterHello), so that each command is counted in the
 * protocol it was answered in, and after one batch switches back to the
 * block's protocol with a HELLO of its own.
 */
import type { Protocol, RespReply } from "./resp.ts";

/** What `--protocol` takes. */
export type ProtocolChoice = "2" | "3" | "both";
export const PROTOCOL_CHOICES: readonly ProtocolChoice[] = ["2", "3", "both"];

/** Commands per block when both protocols are fuzzed: a checkpoint's worth (see CHECKPOINT_EVERY). */
export const PROTOCOL_BLOCK = 2_000;

/** The protocol the block after `done` commands is sent in. */
export function protocolOfBlock(
  choice: ProtocolChoice,
  done: number,
): Protocol {
  if (choice === "2") return 2;
  if (choice === "3") return 3;
  return Math.floor(done / PROTOCOL_BLOCK) % 2 === 0 ? 2 : 3;
}

/** The HELLO that switches a connection to `protocol`. */
export function helloArgs(protocol: Protocol): Buffer[] {
  return [Buffer.from("HELLO"), Buffer.from(String(protocol))];
}

/**
 * The protocol a connection speaks after Redis answered a HELLO with
 * `reply`: HELLO answers in the protocol it leaves the connection in, a
 * map in RESP3 and an array in RESP2; an error (NOPROTO, NOAUTH, a bad
 * option) switches nothing.
 */
export function protocolAfterHello(
  reply: RespReply,
  before: Protocol,
): Protocol {
  if (reply.type === "%") return 3;
  if (reply.type === "*") return 2;
  return before;
}

/**
 * The protocol each element of an EXEC's reply was written in, and the
 * one the connection speaks after it: Redis writes each element as its
 * command runs, so a queued HELLO that switches the protocol switches
 * the elements after it (`$-1` before HELLO 3, `_` after), and the
 * connection stays switched. `queued` are the transaction's commands, one
 * element each, in order; `elements` redis-server's reply.
 */
export function protocolsOfElements(
  queued: readonly (readonly Buffer[])[],
  elements: readonly RespReply[],
  before: Protocol,
): { each: Protocol[]; after: Protocol } {
  let protocol = before;
  const each = queued.map((args, i) => {
    const written = protocol;
    const element = elements[i];
    if (
      element !== undefined &&
      args[0]?.toString("latin1").toLowerCase() === "hello"
    )
      protocol = protocolAfterHello(element, protocol);
    return written;
  });
  return { each, after: protocol };
}

/** The label a report uses for a protocol. */
export function protocolName(protocol: Protocol): string {
  return `RESP${protocol}`;
}
