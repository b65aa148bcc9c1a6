/**
 * Unit tests for the blocked clients (blocking/blocked-clients.ts) and the
 * blocking list commands that feed them, in-process, on a clock that
 * moves only when told (test/manual-clock.ts): deadlines are checked to
 * the millisecond, and a wait of years takes no time.
 *
 * Two levels. `BlockedClients` alone, with requests made by hand: what a
 * ready key is, when it is served, and timers. Then the real commands,
 * run by a stand-in for the client loop (`clientOf`): a command that
 * answers a BlockRequest blocks, and ready keys are served after every
 * command, as client-loop.ts does; `runWithoutServing` leaves them for
 * later, as the commands inside a transaction (chapter 07) will.
 */
import { describe, expect, it, vi } from "vitest";
import { COMMANDS, createServerState } from "../../src/server.ts";
import { DEFAULT_CONFIG } from "../../src/config/directives.ts";
import { newSession } from "../../src/dispatch/session.ts";
import type { CommandContext } from "../../src/dispatch/command-spec.ts";
import type { BlockRequest } from "../../src/blocking/block-request.ts";
import { BlockedClients } from "../../src/blocking/blocked-clients.ts";
import { FOREVER } from "../../src/blocking/timeout.ts";
import { Keyspace, type TypeName } from "../../src/keyspace/keyspace.ts";
import { Quicklist } from "../../src/types/quicklist.ts";
import {
  array,
  bulk,
  error,
  NULL,
  NULL_ARRAY,
  type Reply,
} from "../../src/protocol/reply.ts";
import { ManualClock } from "../manual-clock.ts";

const WRONGTYPE = error(
  "WRONGTYPE Operation against a key holding the wrong kind of value",
);

/** The longest delay a Node timer takes, in milliseconds. */
const MAX_TIMER_MS = 2 ** 31 - 1;

// #region by-hand
/** BlockedClients on a manual clock and a keyspace of its own, with requests made by hand. */
function blockedClientsAlone() {
  const clock = new ManualClock();
  const keyspace = new Keyspace(16, clock);
  const endTurn = vi.fn();
  const blocked = new BlockedClients(clock, endTurn);
  keyspace.listeners.add(blocked);
  const db = keyspace.database(0);
  let nextId = 1;

  /**
   * Blocks a client on `keys` with a request whose `serve` answers what
   * `serve` says (a spy, to count its calls), and records what the client
   * is finally answered. It waits for a string, unless told otherwise:
   * the tests store strings, the simplest values, and BlockedClients
   * serves whatever kind a request names.
   */
  function block(
    keys: string[],
    {
      deadline = FOREVER,
      serve = vi.fn((key: string): Reply | undefined => bulk(key)),
      waitsFor = "string",
    }: {
      deadline?: number;
      serve?: (key: string) => Reply | undefined;
      waitsFor?: TypeName;
    } = {},
  ) {
    const clientId = nextId++;
    const answers: Reply[] = [];
    const request: BlockRequest = {
      type: "block",
      keys,
      waitsFor,
      deadline,
      timeoutReply: NULL_ARRAY,
      serve,
    };
    blocked.block({
      clientId,
      db,
      request,
      resume: (reply) => answers.push(reply),
    });
    return { clientId, answers, serve };
  }

  return { clock, keyspace, db, blocked, endTurn, block };
}

describe("BlockedClients: ready keys", () => {
  it("a key is ready when it is created and someone waits on it, and the end of the turn is asked for", () => {
    const { db, blocked, endTurn, block } = blockedClientsAlone();
    db.set("nobody", "x");
    expect(endTurn).not.toHaveBeenCalled();
    const waiter = block(["k"]);
    db.set("k", "x");
    expect(endTurn).toHaveBeenCalledTimes(1);
    // Nothing is served before serveReadyKeys: after the command.
    expect(waiter.answers).toEqual([]);
    blocked.serveReadyKeys();
    expect(waiter.answers).toEqual([bulk("k")]);
    expect(blocked.count).toBe(0);
  });

  it("a key changed in place is not made ready again: only a new key is", () => {
    const { db, blocked, block } = blockedClientsAlone();
    db.set("k", "x");
    const waiter = block(["k"]);
    db.set("k", "y"); // replaced, not created
    db.willModify("k");
    blocked.serveReadyKeys();
    expect(waiter.serve).not.toHaveBeenCalled();
    expect(blocked.isBlocked(waiter.clientId)).toBe(true);
  });

  it("a key signalled twice before it is served is served once", () => {
    const { db, blocked, block } = blockedClientsAlone();
    // A waiter that finds nothing each time, so the walk would go on.
    const waiter = block(["k"], { serve: vi.fn(() => undefined) });
    db.set("k", "x");
    db.delete("k");
    db.set("k", "y");
    blocked.keyAdded(db, "k");
    blocked.serveReadyKeys();
    expect(waiter.serve).toHaveBeenCalledTimes(1);
    expect(blocked.isBlocked(waiter.clientId)).toBe(true);
  });

  it("a key whose waiter finds nothing stops there: the waiters behind it are not asked", () => {
    const { db, blocked, block } = blockedClientsAlone();
    const first = block(["k"], { serve: vi.fn(() => undefined) });
    const second = block(["k"]);
    db.set("k", "x");
    blocked.serveReadyKeys();
    expect(first.serve).toHaveBeenCalledTimes(1);
    expect(second.serve).not.toHaveBeenCalled();
    expect(blocked.count).toBe(2);
  });

  it("a waiter for another kind of value is passed over, not asked, and keeps its place", () => {
    const { db, blocked, block } = blockedClientsAlone();
    const served: string[] = [];
    const serveAs = (name: string) =>
      vi.fn((key: string) => {
        served.push(name);
        return bulk(key);
      });
    const first = block(["k"], { waitsFor: "list", serve: serveAs("first") });
    block(["k"], { serve: serveAs("second") });
    block(["k"], { waitsFor: "list", serve: serveAs("third") });
    db.set("k", "x");
    blocked.serveReadyKeys();
    expect(served).toEqual(["second"]);
    expect(blocked.count).toBe(2);
    // A list there later serves the two that wait for one, in the order they came.
    db.delete("k");
    const list = new Quicklist();
    list.pushTail("a");
    db.set("k", list);
    blocked.serveReadyKeys();
    expect(served).toEqual(["second", "first", "third"]);
    expect(first.answers).toEqual([bulk("k")]);
  });

  it("waiters are served in the order they came, and one served on k2 leaves k1's queue", () => {
    const { db, blocked, block } = blockedClientsAlone();
    const both = block(["k1", "k2"]);
    const onK1 = block(["k1"]);
    db.set("k2", "x");
    blocked.serveReadyKeys();
    expect(both.answers).toEqual([bulk("k2")]);
    db.set("k1", "x");
    blocked.serveReadyKeys();
    expect(onK1.answers).toEqual([bulk("k1")]);
    expect(both.answers).toHaveLength(1);
  });

  it("keys are served in the order they became ready", () => {
    const { db, blocked, block } = blockedClientsAlone();
    const order: string[] = [];
    const serve = (key: string) => {
      order.push(key);
      return bulk(key);
    };
    block(["b"], { serve });
    block(["a"], { serve });
    db.set("a", "x");
    db.set("b", "x");
    blocked.serveReadyKeys();
    expect(order).toEqual(["a", "b"]);
  });

  it("SWAPDB makes ready the keys waited on that the database now holds", () => {
    const { keyspace, db, blocked, block } = blockedClientsAlone();
    const waiter = block(["k"]);
    const absent = block(["other"]);
    keyspace.database(1).set("k", "x");
    blocked.serveReadyKeys();
    expect(waiter.answers).toEqual([]);
    db.swapContents(keyspace.database(1));
    blocked.serveReadyKeys();
    expect(waiter.answers).toEqual([bulk("k")]);
    expect(absent.serve).not.toHaveBeenCalled();
  });
});

describe("BlockedClients: leaving the wait", () => {
  it("unblock answers the request's timeout reply, or the reply given; false for a client not waiting", () => {
    const { clock, blocked, block } = blockedClientsAlone();
    const timedOut = block(["k"], { deadline: clock.now() + 1000 });
    const failed = block(["k"]);
    expect(blocked.unblock(timedOut.clientId)).toBe(true);
    expect(blocked.unblock(failed.clientId, error("UNBLOCKED ..."))).toBe(true);
    expect(timedOut.answers).toEqual([NULL_ARRAY]);
    expect(failed.answers).toEqual([error("UNBLOCKED ...")]);
    expect(blocked.unblock(timedOut.clientId)).toBe(false);
    expect(blocked.count).toBe(0);
    // The timer went with it.
    expect(clock.pendingTasks).toBe(0);
  });

  it("forget drops a client that is gone: no answer, no timer, and its key's next waiter is first", () => {
    const { clock, db, blocked, block } = blockedClientsAlone();
    const gone = block(["k"], { deadline: clock.now() + 1000 });
    const next = block(["k"]);
    blocked.forget(gone.clientId);
    blocked.forget(gone.clientId); // twice is harmless
    expect(clock.pendingTasks).toBe(0);
    db.set("k", "x");
    blocked.serveReadyKeys();
    expect(gone.answers).toEqual([]);
    expect(gone.serve).not.toHaveBeenCalled();
    expect(next.answers).toEqual([bulk("k")]);
  });

  it("a timeout answers at its deadline to the millisecond, and the client leaves every queue", () => {
    const { clock, db, blocked, block } = blockedClientsAlone();
    const waiter = block(["a", "b"], { deadline: clock.now() + 500 });
    clock.advance(499);
    expect(waiter.answers).toEqual([]);
    clock.advance(1);
    expect(waiter.answers).toEqual([NULL_ARRAY]);
    db.set("a", "x");
    db.set("b", "x");
    blocked.serveReadyKeys();
    expect(waiter.serve).not.toHaveBeenCalled();
  });

  it("a deadline beyond what a timer takes (24.8 days) re-arms, and still answers on time", () => {
    const { clock, blocked, block } = blockedClientsAlone();
    const wait = 3 * MAX_TIMER_MS + 12_345;
    const waiter = block(["k"], { deadline: clock.now() + wait });
    clock.advance(MAX_TIMER_MS);
    clock.advance(MAX_TIMER_MS);
    expect(waiter.answers).toEqual([]);
    expect(blocked.isBlocked(waiter.clientId)).toBe(true);
    expect(clock.pendingTasks).toBe(1);
    clock.advance(wait - 2 * MAX_TIMER_MS - 1);
    expect(waiter.answers).toEqual([]);
    clock.advance(1);
    expect(waiter.answers).toEqual([NULL_ARRAY]);
    expect(clock.pendingTasks).toBe(0);
  });

  it("a timer that fires before the deadline by the wall clock waits for the rest: no answer comes early", () => {
    const { clock, block } = blockedClientsAlone();
    const waiter = block(["k"], { deadline: clock.now() + 100 });
    // As a Node timer counted from the start of the loop's turn, or a
    // wall clock set back: the timer's 100 ms end 5 ms before the deadline.
    clock.setWallClock(clock.now() - 5);
    clock.advance(100);
    expect(waiter.answers).toEqual([]);
    clock.advance(4);
    expect(waiter.answers).toEqual([]);
    clock.advance(1);
    expect(waiter.answers).toEqual([NULL_ARRAY]);
  });

  it("a re-armed timer is cancelled by unblock and forget too", () => {
    const { clock, blocked, block } = blockedClientsAlone();
    const unblocked = block(["k"], {
      deadline: clock.now() + 2 * MAX_TIMER_MS,
    });
    const forgotten = block(["k"], {
      deadline: clock.now() + 2 * MAX_TIMER_MS,
    });
    clock.advance(MAX_TIMER_MS); // both re-armed
    expect(clock.pendingTasks).toBe(2);
    blocked.unblock(unblocked.clientId);
    blocked.forget(forgotten.clientId);
    expect(clock.pendingTasks).toBe(0);
    clock.advance(2 * MAX_TIMER_MS);
    expect(unblocked.answers).toEqual([NULL_ARRAY]);
    expect(forgotten.answers).toEqual([]);
  });
});
// #endregion by-hand

// #region commands
/** A server state (AOF off) on a manual clock, and clients that run commands through the real table. */
function serverOnManualClock() {
  const clock = new ManualClock();
  const server = createServerState({ ...DEFAULT_CONFIG }, clock, () => ({
    port: 0,
    connectedClients: 0,
    totalConnectionsReceived: 0,
    rejectedConnections: 0,
    recentMaxOutputBufferBytes: 0,
  }));
  let nextId = 1;

  /**
   * A client: `run` is the client loop's step (a BlockRequest blocks the
   * client, then the ready keys are served); `answers` are the replies it
   * got, in order, those that came after a wait included.
   */
  function clientOf() {
    const id = nextId++;
    const context: CommandContext = {
      session: newSession(id, server.keyspace.database(0), true),
      commands: COMMANDS,
      server,
      loggedAs: undefined,
    };
    const answers: Reply[] = [];
    const runWithoutServing = (...words: string[]): void => {
      const reply = COMMANDS.execute(
        words.map((word) => Buffer.from(word, "latin1")),
        context,
      );
      if (reply.type === "forward") {
        throw new Error("forwarded without a cluster");
      } else if (reply.type === "block") {
        server.blockedClients.block({
          clientId: id,
          db: context.session.db,
          request: reply,
          resume: (answer) => answers.push(answer),
        });
      } else {
        answers.push(reply);
      }
    };
    return {
      id,
      context,
      answers,
      runWithoutServing,
      run(...words: string[]): void {
        runWithoutServing(...words);
        server.blockedClients.serveReadyKeys();
      },
      /** The last answer, which must be the only new one since the last look. */
      get last(): Reply | undefined {
        return answers.at(-1);
      },
    };
  }
  return { clock, server, clientOf };
}

const popped = (key: string, value: string) => array([bulk(key), bulk(value)]);

describe("the blocking commands, served by the blocked clients", () => {
  it("a key created and emptied before the ready keys are served wakes nobody", () => {
    const { server, clientOf } = serverOnManualClock();
    const waiter = clientOf();
    const writer = clientOf();
    waiter.run("BLPOP", "q", "0");
    // As in a transaction: both commands run before anyone is served.
    writer.runWithoutServing("RPUSH", "q", "a");
    writer.runWithoutServing("LPOP", "q");
    server.blockedClients.serveReadyKeys();
    expect(waiter.answers).toEqual([]);
    expect(server.blockedClients.isBlocked(waiter.id)).toBe(true);
    writer.run("RPUSH", "q", "b");
    expect(waiter.answers).toEqual([popped("q", "b")]);
  });

  it("RPUSH q a b with three waiters serves two, in order; the third waits on", () => {
    const { server, clientOf } = serverOnManualClock();
    const [first, second, third, writer] = [
      clientOf(),
      clientOf(),
      clientOf(),
      clientOf(),
    ];
    for (const waiter of [first, second, third]) waiter.run("BLPOP", "q", "0");
    writer.run("RPUSH", "q", "a", "b");
    expect(first.answers).toEqual([popped("q", "a")]);
    expect(second.answers).toEqual([popped("q", "b")]);
    expect(third.answers).toEqual([]);
    expect(server.keyspace.database(0).has("q")).toBe(false);
    expect(server.blockedClients.count).toBe(1);
  });

  it("a BLMOVE chain is served in one round: each destination it creates is served next", () => {
    const { clientOf } = serverOnManualClock();
    const [a, b, c, writer] = [clientOf(), clientOf(), clientOf(), clientOf()];
    a.run("BLMOVE", "s1", "s2", "LEFT", "LEFT", "0");
    b.run("BRPOPLPUSH", "s2", "s3", "0");
    c.run("BLMPOP", "0", "1", "s3", "RIGHT", "COUNT", "9");
    writer.run("RPUSH", "s1", "x");
    expect(a.answers).toEqual([bulk("x")]);
    expect(b.answers).toEqual([bulk("x")]);
    expect(c.answers).toEqual([array([bulk("s3"), array([bulk("x")])])]);
  });

  it("a BLMOVE whose destination is a string answers WRONGTYPE when served, moves nothing, and the next waiter is served", () => {
    const { server, clientOf } = serverOnManualClock();
    const [mover, popper, writer] = [clientOf(), clientOf(), clientOf()];
    writer.run("SET", "dst", "text");
    mover.run("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
    popper.run("BRPOP", "src", "0");
    writer.run("RPUSH", "src", "a", "b");
    expect(mover.answers).toEqual([WRONGTYPE]);
    expect(popper.answers).toEqual([popped("src", "b")]);
    expect(server.keyspace.database(0).get("dst")).toBe("text");
  });

  it("a key turned into a string while clients wait serves nobody", () => {
    const { server, clientOf } = serverOnManualClock();
    const [waiter, writer] = [clientOf(), clientOf()];
    waiter.run("BLPOP", "w", "0");
    writer.run("SET", "w", "text");
    expect(waiter.answers).toEqual([]);
    expect(server.blockedClients.isBlocked(waiter.id)).toBe(true);
  });

  it("timeouts: BLPOP k 10 answers at 10,000 ms; 0.0001 waits one millisecond, not for ever", () => {
    const { clock, clientOf } = serverOnManualClock();
    const [tens, tiny] = [clientOf(), clientOf()];
    tens.run("BLPOP", "k", "10");
    tiny.run("BLMPOP", "0.0001", "1", "k", "LEFT");
    clock.advance(1);
    expect(tiny.answers).toEqual([NULL_ARRAY]);
    clock.advance(9998);
    expect(tens.answers).toEqual([]);
    clock.advance(1);
    expect(tens.answers).toEqual([NULL_ARRAY]);
  });

  it("a timeout of ten years is kept, past the longest timer", () => {
    const { clock, clientOf } = serverOnManualClock();
    const waiter = clientOf();
    const tenYears = 10 * 365 * 24 * 3600;
    waiter.run("BRPOPLPUSH", "k", "d", String(tenYears));
    const timers = Math.floor((tenYears * 1000) / MAX_TIMER_MS);
    for (let i = 0; i < timers; i++) clock.advance(MAX_TIMER_MS);
    clock.advance(tenYears * 1000 - timers * MAX_TIMER_MS - 1);
    expect(waiter.answers).toEqual([]);
    clock.advance(1);
    // BLMOVE and BRPOPLPUSH time out with a null array too, as in Redis 7.0.15.
    expect(waiter.answers).toEqual([NULL_ARRAY]);
  });

  it.each([
    [["BLPOP", "k", "0"], NULL_ARRAY],
    [["BRPOP", "k", "0"], NULL_ARRAY],
    [["BLMPOP", "0", "1", "k", "LEFT"], NULL_ARRAY],
    // Redis 7.0.15 in MULTI: `$-1` for these two, not the timeout's `*-1`.
    [["BLMOVE", "k", "d", "LEFT", "LEFT", "0"], NULL],
    [["BRPOPLPUSH", "k", "d", "0"], NULL],
  ])(
    "where a client may not wait (AOF replay, MULTI), %j answers %j at once",
    (words, expected) => {
      const { server, clientOf } = serverOnManualClock();
      const client = clientOf();
      client.context.session.mayBlock = false;
      client.run(...words);
      expect(client.answers).toEqual([expected]);
      expect(server.blockedClients.count).toBe(0);
    },
  );

  it("where a client may not wait, data is still taken at once, and a wrong type still answers WRONGTYPE", () => {
    const { clientOf } = serverOnManualClock();
    const client = clientOf();
    client.context.session.mayBlock = false;
    client.run("RPUSH", "l", "a");
    client.run("SET", "s", "x");
    client.run("BLPOP", "l", "0");
    client.run("BLPOP", "s", "0");
    expect(client.answers.slice(2)).toEqual([popped("l", "a"), WRONGTYPE]);
  });
});
// #endregion commands
