/**
 * The differential fuzzer (npm run fuzz) checked without any server: a
 * seed must name one exact command stream, or a difference cannot be
 * reproduced; generators must stay within the chapter's commands; and the
 * comparer must tell normal variation and known differences from a wrong
 * reply, in both directions.
 */
import { createServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { listChapters } from "../chapters.ts";
import type { ChapterServer } from "../harness.ts";
import { compareState } from "../fuzz/checkpoint.ts";
import { CommandSource, type Capabilities } from "../fuzz/generators/index.ts";
import type { TransactionScenario } from "../fuzz/generators/transactions.ts";
import { compareExchange } from "../fuzz/compare.ts";
import { clusterKeyName, keySlot } from "../fuzz/cluster-keys.ts";
import { FUZZ_NODE_ID } from "../fuzz/cluster-mode.ts";
import type { CompareContext, Exchange } from "../fuzz/exchange.ts";
import { Peer } from "../fuzz/peer.ts";
import {
  protocolAfterHello,
  protocolOfBlock,
  protocolsOfElements,
  PROTOCOL_BLOCK,
} from "../fuzz/protocol.ts";
import {
  encodeCommand,
  encodeInline,
  escapeBytes,
  isError,
  isNull,
  parseReply,
  replyEnd,
  replyOf,
  RespFormatError,
  textOf,
  type Protocol,
} from "../fuzz/resp.ts";

const CHAPTER_02_COMMANDS = [
  "ping",
  "echo",
  "quit",
  "hello",
  "command",
  "command|count",
  "command|docs",
  "command|info",
  "command|help",
];
const CHAPTER_03_COMMANDS = [
  ...CHAPTER_02_COMMANDS,
  ..."auth select client client|id client|getname client|setname client|setinfo client|help command|getkeys dbsize flushdb flushall swapdb info config config|get config|set config|help time set get getset getdel setnx mset msetnx mget append strlen getrange setrange incr decr incrby decrby incrbyfloat del unlink exists type keys scan rename renamenx randomkey copy".split(
    " ",
  ),
];
const CHAPTER_04_COMMANDS = [
  ...CHAPTER_03_COMMANDS,
  ..."setex psetex getex expire pexpire expireat pexpireat ttl pttl expiretime pexpiretime persist".split(
    " ",
  ),
];

const LIST_COMMANDS =
  "lpush rpush lpushx rpushx lpop rpop llen lrange lindex lset lrem ltrim linsert lpos lmove rpoplpush lmpop".split(
    " ",
  );
const CHAPTER_06_COMMANDS = [
  ...CHAPTER_04_COMMANDS,
  "bgrewriteaof",
  "object",
  "object|encoding",
  "object|refcount",
  "object|idletime",
  "object|freq",
  "object|help",
  "touch",
  "move",
  ...LIST_COMMANDS,
];

const BLOCKING_COMMANDS = ["blpop", "brpop", "blmove", "brpoplpush", "blmpop"];
const CHAPTER_06_BLOCKING_COMMANDS = [
  ...CHAPTER_06_COMMANDS,
  ...BLOCKING_COMMANDS,
];

const ZSET_COMMANDS =
  "zadd zincrby zrem zscore zmscore zcard zcount zlexcount zrank zrevrank zrange zrangestore zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex zrevrange zpopmin zpopmax zmpop zrandmember zremrangebyrank zremrangebyscore zremrangebylex zunion zunionstore zinter zinterstore zintercard zdiff zdiffstore zscan".split(
    " ",
  );
const ZSET_BLOCKING_COMMANDS = ["bzpopmin", "bzpopmax", "bzmpop"];
/** Chapter 06 with sorted sets and SORT, the blocking commands, sets and hashes (SORT's data). */
const CHAPTER_06_ZSET_COMMANDS = [
  ...CHAPTER_06_BLOCKING_COMMANDS,
  "sadd",
  "hset",
  "info",
  ...ZSET_COMMANDS,
  ...ZSET_BLOCKING_COMMANDS,
  "sort",
  "sort_ro",
];

const TRANSACTION_COMMANDS = ["multi", "exec", "discard", "watch", "unwatch"];
/** Chapter 07: chapter 06's commands, and transactions. */
const CHAPTER_07_COMMANDS = [
  ...CHAPTER_06_ZSET_COMMANDS,
  ...TRANSACTION_COMMANDS,
];

/** A blocking command's timeout: BLMPOP's comes first, the others' last. */
function timeoutOf(args: readonly Buffer[]): string {
  const name = args[0]!.toString("latin1").toLowerCase();
  return (
    name === "blmpop" || name === "bzmpop" ? args[1]! : args.at(-1)!
  ).toString("latin1");
}

function capabilities(commands: readonly string[]): Capabilities {
  return {
    commands: new Set(commands),
    configParameters: commands.includes("config|get")
      ? ["port", "bind", "databases", "requirepass", "hz", "save", "appendonly"]
      : [],
    databases: 16,
  };
}

/** The first `count` commands of a seed, as the bytes that go on the wire. */
function stream(seed: number, commands: readonly string[], count = 3000) {
  const source = new CommandSource(seed, capabilities(commands));
  return Array.from({ length: count }, () => {
    const command = source.next();
    return Buffer.concat([
      encodeCommand(command.args),
      command.companion === undefined
        ? Buffer.alloc(0)
        : encodeCommand(command.companion),
      Buffer.from(`${command.inline === true}|${command.expires?.lapse}`),
    ]).toString("hex");
  });
}

/** The transaction scenarios among the first `count` commands of a seed. */
function transactionScenarios(
  seed: number,
  commands: readonly string[],
  count = 20_000,
): TransactionScenario[] {
  const source = new CommandSource(seed, capabilities(commands));
  return Array.from({ length: count }, () => source.next().transaction).filter(
    (scenario) => scenario !== undefined,
  );
}

/** A scenario command's words, as text; its name in lower case. */
const wordsOf = (args: readonly Buffer[]): string[] =>
  args.map((arg, i) => {
    const text = arg.toString("latin1");
    return i === 0 ? text.toLowerCase() : text;
  });

const names = (seed: number, commands: readonly string[]): Set<string> => {
  const source = new CommandSource(seed, capabilities(commands));
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    seen.add(source.next().args[0]!.toString("latin1").toLowerCase());
  }
  return seen;
};

describe("generators", () => {
  it("give the same commands, byte for byte, for the same seed", () => {
    expect(stream(42, CHAPTER_04_COMMANDS)).toEqual(
      stream(42, CHAPTER_04_COMMANDS),
    );
  });

  it("give other commands for another seed", () => {
    const a = stream(42, CHAPTER_04_COMMANDS, 200);
    const b = stream(43, CHAPTER_04_COMMANDS, 200);
    expect(a.filter((command, i) => command === b[i]).length).toBeLessThan(50);
  });

  it("send only the chapter's commands, and unknown ones", () => {
    const seen = names(7, CHAPTER_02_COMMANDS);
    for (const name of ["ping", "echo", "hello", "command", "quit"]) {
      expect(seen).toContain(name);
    }
    for (const name of ["set", "get", "select", "config", "expire"]) {
      expect(seen).not.toContain(name);
    }
  });

  it("send list commands to the chapter that has them, and to no other", () => {
    const seen = names(3, CHAPTER_06_COMMANDS);
    for (const name of [...LIST_COMMANDS, "object", "touch", "move"]) {
      expect(seen).toContain(name);
    }
    const before = names(3, CHAPTER_04_COMMANDS);
    for (const name of [...LIST_COMMANDS, "object", "touch", "move"]) {
      expect(before).not.toContain(name);
    }
    // Nor TYPE or DEL aimed at the list keys: an earlier chapter's stream
    // of commands stays as it was, so its old seeds replay.
    const source = new CommandSource(3, capabilities(CHAPTER_04_COMMANDS));
    for (let i = 0; i < 5000; i++) {
      const { args } = source.next();
      expect(args.map((arg) => arg.toString("latin1"))).not.toContain("queue");
    }
  });

  it("keep lists on few keys, so that list commands meet each other's lists", () => {
    const source = new CommandSource(4, capabilities(CHAPTER_06_COMMANDS));
    const keys = new Map<string, number>();
    let listCommands = 0;
    for (let i = 0; i < 20_000; i++) {
      const { args } = source.next();
      const name = args[0]!.toString("latin1").toLowerCase();
      if (!LIST_COMMANDS.includes(name) || name === "lmpop") continue;
      listCommands += 1;
      const key = args[1]?.toString("latin1") ?? "";
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
    const top = [...keys.values()].sort((a, b) => b - a).slice(0, 6);
    expect(top.reduce((sum, n) => sum + n, 0) / listCommands).toBeGreaterThan(
      0.75,
    );
  });

  it("never leave a blocking command on the fuzzed connection to wait more than 10 ms", () => {
    const source = new CommandSource(
      6,
      capabilities(CHAPTER_06_BLOCKING_COMMANDS),
    );
    const kinds = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const { args, blocking, prelude, scenario } = source.next();
      const name = args[0]!.toString("latin1").toLowerCase();
      if (scenario !== undefined) continue;
      if (!BLOCKING_COMMANDS.includes(name)) {
        expect(blocking).toBeUndefined();
        continue;
      }
      kinds.set(blocking!, (kinds.get(blocking!) ?? 0) + 1);
      if (blocking === "times-out") {
        expect(prelude).toBeUndefined();
        expect(["0.001", "0.005", "0.01"]).toContain(timeoutOf(args));
        continue;
      }
      // Served: a push to one of its keys goes first (the keys sit between
      // the name and the timeout, or after BLMPOP's numkeys), unless the
      // command is cut short, an arity error.
      expect(blocking).toBe("served");
      const [push, key] = prelude!;
      expect(["LPUSH", "RPUSH"]).toContain(push!.toString());
      const keys = name === "blmpop" ? args.slice(3, -1) : args.slice(1, -1);
      const minimum = { blmove: 6, brpoplpush: 4, blmpop: 5 }[name] ?? 3;
      if (args.length >= minimum) {
        expect(keys.some((k) => k.equals(key!))).toBe(true);
      }
    }
    expect(kinds.get("served")).toBeGreaterThan(500);
    expect(kinds.get("times-out")).toBeGreaterThan(50);
  });

  it("give waiters in wait scenarios no timeout that could pass during a run", () => {
    const source = new CommandSource(
      8,
      capabilities(CHAPTER_06_BLOCKING_COMMANDS),
    );
    let scenarios = 0;
    const waiters = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const { scenario } = source.next();
      if (scenario === undefined) continue;
      scenarios += 1;
      const count = scenario.waiters.length;
      waiters.set(count, (waiters.get(count) ?? 0) + 1);
      expect(scenario.wakers.length).toBeGreaterThan(0);
      for (const waiter of scenario.waiters) {
        const seconds = Number(timeoutOf(waiter));
        // For ever (0, or less than a millisecond below it), at least an
        // hour, or not a number at all.
        expect(Number.isNaN(seconds) || seconds <= 0 || seconds >= 3600).toBe(
          true,
        );
      }
    }
    expect(scenarios).toBeGreaterThan(100);
    expect([...waiters.keys()].sort()).toEqual([1, 2, 3]);
  });

  it("send every sorted-set command and SORT to the chapter that has them", () => {
    const seen = names(12, CHAPTER_06_ZSET_COMMANDS);
    for (const name of [...ZSET_COMMANDS, "sort", "sort_ro"]) {
      expect(seen).toContain(name);
    }
    const before = names(12, CHAPTER_06_BLOCKING_COMMANDS);
    for (const name of [...ZSET_COMMANDS, "sort", "sort_ro"]) {
      expect(before).not.toContain(name);
    }
  });

  it("aim lex ranges at the lex key, each right after a ZINTERSTORE that sets its scores back to 0", () => {
    const source = new CommandSource(
      13,
      capabilities(CHAPTER_06_ZSET_COMMANDS),
    );
    const lexRanges = [
      "zrangebylex",
      "zrevrangebylex",
      "zlexcount",
      "zremrangebylex",
    ];
    let ranges = 0;
    let onLexKey = 0;
    const writers = new Set<string>();
    for (let i = 0; i < 30_000; i++) {
      const { args, prelude } = source.next();
      const words = args.map((arg) => arg.toString("latin1"));
      const name = words[0]!.toLowerCase();
      const lexAt = words.indexOf("lex");
      if (lexRanges.includes(name)) {
        ranges += 1;
        if (lexAt === 1) onLexKey += 1;
      }
      if (lexAt === -1) continue;
      if (name === "zadd" || name === "object") {
        writers.add(name);
        continue;
      }
      // Every other command on the lex key is a lex range, after the
      // ZINTERSTORE (ZRANGESTORE reads it, after its destination).
      expect([...lexRanges, "zrange", "zrangestore"]).toContain(name);
      expect(lexAt).toBe(name === "zrangestore" ? 2 : 1);
      expect(prelude?.map((word) => word.toString())).toEqual(
        "ZINTERSTORE lex 1 lex WEIGHTS 0".split(" "),
      );
    }
    expect(writers).toContain("zadd");
    expect(onLexKey / ranges).toBeGreaterThan(0.75);
  });

  it("feed a served BZPOPMIN, BZPOPMAX or BZMPOP with a ZADD of scores Redis takes, on one of its keys", () => {
    const source = new CommandSource(
      14,
      capabilities(CHAPTER_06_ZSET_COMMANDS),
    );
    let served = 0;
    let scenarios = 0;
    const waiterNames = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const { args, blocking, prelude, scenario } = source.next();
      if (scenario !== undefined) {
        scenarios += 1;
        for (const waiter of scenario.waiters)
          waiterNames.add(waiter[0]!.toString("latin1").toLowerCase());
        continue;
      }
      const name = args[0]!.toString("latin1").toLowerCase();
      if (!ZSET_BLOCKING_COMMANDS.includes(name)) continue;
      if (blocking === "times-out") {
        expect(["0.001", "0.005", "0.01"]).toContain(timeoutOf(args));
        continue;
      }
      served += 1;
      const [zadd, key, ...added] = prelude!;
      expect(zadd!.toString()).toBe("ZADD");
      added.forEach((word, j) => {
        if (j % 2 === 0) expect(word.toString()).toMatch(/^-?\d+$/);
      });
      const keys = name === "bzmpop" ? args.slice(3, -1) : args.slice(1, -1);
      if (args.length >= (name === "bzmpop" ? 5 : 3)) {
        expect(keys.some((k) => k.equals(key!))).toBe(true);
      }
    }
    expect(served).toBeGreaterThan(300);
    expect(scenarios).toBeGreaterThan(100);
    for (const name of [...BLOCKING_COMMANDS, ...ZSET_BLOCKING_COMMANDS])
      expect(waiterNames).toContain(name);
  });

  it("never STORE a SORT that has both ALPHA and a BY pattern", () => {
    const source = new CommandSource(
      15,
      capabilities(CHAPTER_06_ZSET_COMMANDS),
    );
    let stored = 0;
    for (let i = 0; i < 50_000; i++) {
      const { args } = source.next();
      const words = args.map((arg) => arg.toString("latin1"));
      if (words[0]!.toLowerCase() !== "sort") continue;
      const lower = words.map((w) => w.toLowerCase());
      const store = lower.indexOf("store");
      if (store === -1 || store === lower.length - 1) continue;
      stored += 1;
      const by = lower.indexOf("by");
      const pattern = by === -1 ? undefined : words[by + 1];
      if (pattern?.includes("*") === true) expect(lower).not.toContain("alpha");
    }
    expect(stored).toBeGreaterThan(150);
  });

  it("leave expiry options out before the chapter that has EXPIRE", () => {
    const source = new CommandSource(9, capabilities(CHAPTER_03_COMMANDS));
    for (let i = 0; i < 20_000; i++) {
      const { args, expires } = source.next();
      const name = args[0]!.toString("latin1").toLowerCase();
      expect(name).not.toMatch(/expire|ttl|^getex$|^p?setex$|^persist$/);
      expect(expires).toBeUndefined();
      if (name === "set") {
        const words = args
          .slice(3)
          .map((a) => a.toString("latin1").toLowerCase());
        expect(
          words.filter((w) => /^(ex|px|exat|pxat|keepttl)$/.test(w)),
        ).toEqual([]);
      }
    }
  });

  it("ask HELLO for protocol 2 and for 3, and for versions that do not exist", () => {
    const source = new CommandSource(5, capabilities(CHAPTER_02_COMMANDS));
    const versions = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const { args } = source.next();
      if (args[0]!.toString("latin1").toLowerCase() !== "hello") continue;
      const version = args[1]?.toString("latin1") ?? "(none)";
      versions.set(version, (versions.get(version) ?? 0) + 1);
    }
    expect(versions.get("2")).toBeGreaterThan(50);
    expect(versions.get("3")).toBeGreaterThan(50);
    expect(versions.get("4")).toBeGreaterThan(0);
    expect(versions.get("(none)")).toBeGreaterThan(0);
  });

  it("run transactions only in the chapter that has MULTI, in scenarios of two to eight clients", () => {
    for (const commands of [CHAPTER_04_COMMANDS, CHAPTER_06_ZSET_COMMANDS]) {
      expect(transactionScenarios(16, commands, 5000)).toEqual([]);
      for (const name of TRANSACTION_COMMANDS)
        expect(names(16, commands)).not.toContain(name);
    }
    const source = new CommandSource(16, capabilities(CHAPTER_07_COMMANDS));
    const alone = new Set<string>();
    const clients = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const { args, transaction } = source.next();
      if (transaction === undefined) {
        alone.add(wordsOf(args)[0]!);
        continue;
      }
      const count = transaction.databases.length;
      clients.set(count, (clients.get(count) ?? 0) + 1);
      for (const step of transaction.steps) {
        expect(step.client).toBeLessThan(count);
      }
    }
    // On the fuzzed connection, nothing that opens a transaction.
    for (const name of ["exec", "discard", "watch", "unwatch"])
      expect(alone).toContain(name);
    expect(alone).not.toContain("multi");
    expect([...clients.keys()].sort()).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const most = [...clients].sort((a, b) => b[1] - a[1])[0]![0];
    expect(most).toBe(8);
  });

  it("queue every kind of command in MULTI, refused ones and blocking ones too, and watch what others write", () => {
    const scenarios = transactionScenarios(17, CHAPTER_07_COMMANDS);
    expect(scenarios.length).toBeGreaterThan(100);
    // Followed as Redis would: MULTI opens a transaction, EXEC ends it
    // (even refused), DISCARD ends it when it has no word too many.
    const queued = new Map<string, number>();
    const outside = new Map<string, number>();
    const bump = (map: Map<string, number>, name: string) =>
      map.set(name, (map.get(name) ?? 0) + 1);
    for (const { databases, steps } of scenarios) {
      const inMulti = databases.map(() => false);
      for (const { client, commands } of steps) {
        for (const { args } of commands) {
          const [name, ...rest] = wordsOf(args);
          bump(inMulti[client] ? queued : outside, name!);
          if (name === "multi" && rest.length === 0) inMulti[client] = true;
          if (name === "exec") inMulti[client] = false;
          if (name === "discard" && rest.length === 0) inMulti[client] = false;
        }
      }
    }
    for (const name of [
      ...TRANSACTION_COMMANDS,
      "flushdb",
      "swapdb",
      "select",
      "set",
      "lpush",
    ])
      expect(outside.get(name), name).toBeGreaterThan(10);
    // Inside: nested MULTI, WATCH (refused), blocking commands (which must
    // not wait inside EXEC), unknown commands, and the stream's commands.
    for (const name of [
      "multi",
      "watch",
      "unwatch",
      "blpop",
      "bzpopmin",
      "nosuchcommand",
      "set",
      "zadd",
      "sort",
      "flushdb",
      "select",
    ])
      expect(queued.get(name), name).toBeGreaterThan(5);
    // Same seed, same scenarios.
    const again = transactionScenarios(17, CHAPTER_07_COMMANDS);
    expect(JSON.stringify(again)).toBe(JSON.stringify(scenarios));
  });

  it("wait out every deadline a scenario sets, then look the key up on the same client before another client can see it", () => {
    let paused = 0;
    for (const { steps } of transactionScenarios(18, CHAPTER_07_COMMANDS)) {
      steps.forEach(({ client, pause }, i) => {
        if (pause === undefined) return;
        paused += 1;
        expect(pause).toBeGreaterThanOrEqual(15);
        // At most one other client's step comes first, a read of the key;
        // the sweep (EXISTS) comes in this client's next step or the one after.
        const later = steps.slice(i + 1);
        const own = later.flatMap((step, j) =>
          step.client === client ? [j] : [],
        );
        expect(own[0] ?? 0).toBeLessThanOrEqual(1);
        if (own[0] === 1) {
          const reader = later[0]!.commands.map(({ args }) => wordsOf(args)[0]);
          expect(reader.length).toBe(1);
          expect(["get", "exists", "type"]).toContain(reader[0]);
        }
        const sweeps = own
          .slice(0, 2)
          .flatMap((j) => later[j]!.commands)
          .filter(({ args }) => wordsOf(args)[0] === "exists");
        expect(sweeps.length).toBeGreaterThan(0);
      });
    }
    expect(paused).toBeGreaterThan(50);
  });

  it("mark the keys whose deadline lapses during the run", () => {
    const source = new CommandSource(11, capabilities(CHAPTER_04_COMMANDS));
    const lapses = new Set<string>();
    let marked = 0;
    let keyAmongWords = 0;
    for (let i = 0; i < 20_000; i++) {
      const { args, expires } = source.next();
      if (expires === undefined) continue;
      lapses.add(expires.lapse);
      marked += 1;
      // The key is one of the command's words (unless a wrong-arity
      // mutation cut it off).
      if (args.some((arg) => arg.equals(expires.key))) keyAmongWords += 1;
    }
    expect([...lapses].sort()).toEqual(["past", "soon"]);
    expect(keyAmongWords / marked).toBeGreaterThan(0.97);
  });
});

describe("RESP framing", () => {
  it("finds where a reply ends, and waits for the rest of a cut one", () => {
    const bytes = Buffer.from("*3\r\n$3\r\nabc\r\n:-7\r\n*-1\r\n+OK\r\n");
    expect(replyEnd(bytes)).toBe(bytes.length - 5);
    for (let cut = 0; cut < bytes.length - 5; cut++) {
      expect(replyEnd(bytes.subarray(0, cut))).toBeUndefined();
      expect(parseReply(bytes.subarray(0, cut))).toBeUndefined();
    }
    const parsed = parseReply(bytes)!;
    expect(parsed.end).toBe(bytes.length - 5);
    expect(parsed.reply.items!.map((item) => item.raw.toString())).toEqual([
      "$3\r\nabc\r\n",
      ":-7\r\n",
      "*-1\r\n",
    ]);
  });

  it("keeps binary bulk strings whole, CR LF inside included", () => {
    const reply = replyOf(Buffer.from("$4\r\n\r\n\0\xff\r\n", "latin1"));
    expect(reply.data).toEqual(Buffer.from("\r\n\0\xff", "latin1"));
  });

  it("sends a command inline only when its words need no quoting", () => {
    const words = (...texts: string[]) => texts.map((t) => Buffer.from(t));
    expect(encodeInline(words("GET", "a:1"))?.toString()).toBe("GET a:1\r\n");
    expect(encodeInline(words("SET", "a b", "1"))).toBeUndefined();
    expect(encodeInline(words("SET", "", "1"))).toBeUndefined();
  });

  it("escapes bytes so a report can be read and retyped", () => {
    expect(escapeBytes(Buffer.from('a\r\n\0"\\\xff', "latin1"))).toBe(
      'a\\r\\n\\0\\"\\\\\\xff',
    );
  });
});

describe("RESP3 replies", () => {
  it("reads each scalar type, keeping its bytes", () => {
    const cases: [string, string, string | undefined][] = [
      ["_\r\n", "_", undefined],
      ["#t\r\n", "#", "t"],
      ["#f\r\n", "#", "f"],
      [",3.14\r\n", ",", "3.14"],
      [",-inf\r\n", ",", "-inf"],
      [
        "(3492890328409238509324850943850943825024385\r\n",
        "(",
        "3492890328409238509324850943850943825024385",
      ],
      ["!21\r\nSYNTAX invalid syntax\r\n", "!", "SYNTAX invalid syntax"],
      ["=15\r\ntxt:Some string\r\n", "=", "Some string"],
    ];
    for (const [bytes, type, text] of cases) {
      const reply = replyOf(bytes);
      expect(reply.type).toBe(type);
      expect(reply.raw.toString("latin1")).toBe(bytes);
      expect(textOf(reply)).toBe(text);
    }
    expect(isNull(replyOf("_\r\n"))).toBe(true);
    expect(isNull(replyOf("$-1\r\n"))).toBe(true);
    expect(isNull(replyOf("$0\r\n\r\n"))).toBe(false);
    expect(isError(replyOf("!3\r\nERR\r\n"))).toBe(true);
    expect(replyOf("=7\r\nmkd:# a\r\n").format).toBe("mkd");
  });

  it("reads a verbatim string whose text holds CR LF", () => {
    const reply = replyOf("=10\r\ntxt:a\r\nb:c\r\n");
    expect(reply.format).toBe("txt");
    expect(textOf(reply)).toBe("a\r\nb:c");
  });

  it("reads maps as keys and values alternating, sets and pushes as lists", () => {
    const map = replyOf("%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n_\r\n");
    expect(map.type).toBe("%");
    expect(map.items!.map((item) => item.raw.toString())).toEqual([
      "+first\r\n",
      ":1\r\n",
      "$6\r\nsecond\r\n",
      "_\r\n",
    ]);
    const set = replyOf("~2\r\n+a\r\n#t\r\n");
    expect(set.items!.map((item) => item.type)).toEqual(["+", "#"]);
    const push = replyOf(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    expect(push.type).toBe(">");
    expect(push.items).toHaveLength(3);
  });

  it("reads nested aggregates, empty ones included", () => {
    const bytes =
      "*4\r\n%1\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n%0\r\n~0\r\n*2\r\n_\r\n=5\r\ntxt:x\r\n";
    const reply = replyOf(bytes);
    expect(reply.raw.toString()).toBe(bytes);
    const [map, emptyMap, emptySet, array] = reply.items!;
    expect(map!.items![1]!.items!.map((flag) => textOf(flag))).toEqual([
      "RO",
      "access",
    ]);
    expect(emptyMap!.items).toEqual([]);
    expect(emptySet!.items).toEqual([]);
    expect(array!.items!.map((item) => item.type)).toEqual(["_", "="]);
  });

  it("reads an attribute as part of the reply after it", () => {
    const attributed =
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.19\r\n$1\r\nb\r\n,0.01\r\n*2\r\n:2039123\r\n:9543892\r\n";
    const bytes = Buffer.from(attributed + "+OK\r\n");
    const first = parseReply(bytes)!;
    expect(first.end).toBe(attributed.length);
    expect(replyEnd(bytes)).toBe(attributed.length);
    expect(first.reply.type).toBe("*");
    expect(first.reply.raw.toString()).toBe(attributed);
    expect(first.reply.items!.map((item) => textOf(item))).toEqual([
      "2039123",
      "9543892",
    ]);
    expect(textOf(first.reply.attributes![0]!)).toBe("key-popularity");
    expect(parseReply(bytes, first.end)!.reply.raw.toString()).toBe("+OK\r\n");
  });

  it("waits for the rest of a reply cut anywhere, as the framer does", () => {
    const replies = [
      "%2\r\n$2\r\nid\r\n:7\r\n$5\r\nflags\r\n~1\r\n+RO\r\n",
      "_\r\n",
      "=8\r\ntxt:a\r\nb\r\n",
      "|1\r\n+k\r\n#f\r\n(12\r\n",
      ">2\r\n+a\r\n,1.5\r\n",
    ];
    const bytes = Buffer.from(replies.join(""));
    let start = 0;
    for (const reply of replies) {
      const end = start + reply.length;
      for (let cut = start; cut < end; cut++) {
        expect(replyEnd(bytes.subarray(0, cut), start)).toBeUndefined();
        expect(parseReply(bytes.subarray(0, cut), start)).toBeUndefined();
      }
      expect(replyEnd(bytes, start)).toBe(end);
      const parsed = parseReply(bytes, start)!;
      expect(parsed.end).toBe(end);
      expect(parsed.reply.raw.toString()).toBe(reply);
      start = end;
    }
  });

  it("refuses what no server sends: streamed replies, a verbatim string without format", () => {
    const unreadable = [
      "$?\r\n;4\r\nabcd\r\n;0\r\n",
      "*?\r\n:1\r\n.\r\n",
      "=3\r\ntxt\r\n",
      ";4\r\n",
    ];
    for (const bytes of unreadable) {
      expect(() => replyOf(bytes)).toThrow(RespFormatError);
    }
  });

  it("gives a peer every reply, however the bytes are cut on the wire", async () => {
    const replies = [
      "%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$2\r\nid\r\n:3\r\n",
      "=14\r\ntxt:# Server\r\n\r\n",
      "*3\r\n_\r\n#t\r\n,0.5\r\n",
    ];
    const bytes = Buffer.from(replies.join(""));
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.setNoDelay(true);
      // Five bytes at a time, each write a tick apart.
      void (async () => {
        for (let at = 0; at < bytes.length; at += 5) {
          socket.write(bytes.subarray(at, at + 5));
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    const peer = await Peer.connect((server.address() as AddressInfo).port);
    try {
      const result = await peer.read(3, 5_000);
      expect(result.failure).toBeUndefined();
      expect(result.replies.map((reply) => reply.raw.toString())).toEqual(
        replies,
      );
    } finally {
      peer.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("protocols", () => {
  it("alternate in blocks that depend on a command's number only", () => {
    expect(protocolOfBlock("both", 0)).toBe(2);
    expect(protocolOfBlock("both", PROTOCOL_BLOCK - 1)).toBe(2);
    expect(protocolOfBlock("both", PROTOCOL_BLOCK)).toBe(3);
    expect(protocolOfBlock("both", 2 * PROTOCOL_BLOCK)).toBe(2);
    expect(protocolOfBlock("3", 0)).toBe(3);
    expect(protocolOfBlock("2", PROTOCOL_BLOCK)).toBe(2);
  });

  it("follow what HELLO's reply says: a map is RESP3, an array RESP2, an error no change", () => {
    const map = replyOf("%1\r\n$5\r\nproto\r\n:3\r\n");
    const array = replyOf("*2\r\n$5\r\nproto\r\n:2\r\n");
    const error = replyOf("-NOPROTO unsupported protocol version\r\n");
    expect(protocolAfterHello(map, 2)).toBe(3);
    expect(protocolAfterHello(array, 3)).toBe(2);
    expect(protocolAfterHello(error, 3)).toBe(3);
  });

  it("switch the elements of EXEC's reply after a queued HELLO, as Redis writes each one as its command runs", () => {
    const words = (text: string) =>
      text.split(" ").map((word) => Buffer.from(word));
    const queued = ["GET a", "HELLO 3", "GET a", "HELLO 9", "GET a"].map(words);
    const elements = [
      "$-1\r\n",
      "%1\r\n$5\r\nproto\r\n:3\r\n",
      "_\r\n",
      "-NOPROTO unsupported protocol version\r\n",
      "_\r\n",
    ].map((bytes) => replyOf(bytes));
    expect(protocolsOfElements(queued, elements, 2)).toEqual({
      each: [2, 2, 3, 3, 3],
      after: 3,
    });
  });
});

describe("the reply comparer", () => {
  const context: CompareContext = {
    commands: new Set(CHAPTER_04_COMMANDS),
    configParameters: new Set(["port", "dir", "hz", "save", "appendonly"]),
  };
  const exchange = (
    command: string,
    ours: string,
    redis: string,
    companion?: [string, string],
    protocol: Protocol = 2,
  ): Exchange => ({
    args: command.split(" ").map((word) => Buffer.from(word)),
    protocol,
    ours: replyOf(ours),
    redis: replyOf(redis),
    ...(companion === undefined
      ? {}
      : {
          companion: {
            ours: replyOf(companion[0]),
            redis: replyOf(companion[1]),
          },
        }),
  });
  const verdict = (e: Exchange) => compareExchange(e, context);

  it("passes equal bytes and fails different ones", () => {
    expect(verdict(exchange("GET a", "$1\r\n1\r\n", "$1\r\n1\r\n")).kind).toBe(
      "same",
    );
    // A null bulk is not an empty one, nor a null array.
    expect(verdict(exchange("GET a", "$-1\r\n", "$0\r\n\r\n")).kind).toBe(
      "different",
    );
    expect(verdict(exchange("GET a", "*-1\r\n", "$-1\r\n")).kind).toBe(
      "different",
    );
    expect(
      verdict(
        exchange(
          "SET a 1 EX 0",
          "-ERR syntax error\r\n",
          "-ERR invalid expire time in 'set' command\r\n",
        ),
      ).kind,
    ).toBe("different");
  });

  it("compares KEYS as a set, but not a missing key", () => {
    const ab = "*2\r\n$1\r\na\r\n$1\r\nb\r\n";
    const ba = "*2\r\n$1\r\nb\r\n$1\r\na\r\n";
    expect(verdict(exchange("KEYS *", ab, ba))).toEqual({
      kind: "normalised",
      rule: "unordered-keys",
    });
    expect(verdict(exchange("KEYS *", ab, "*1\r\n$1\r\na\r\n")).kind).toBe(
      "different",
    );
    // Order matters everywhere else.
    expect(verdict(exchange("MGET a b", ab, ba)).kind).toBe("different");
  });

  it("lets EXPIRE GT or LT answer 0 on one server and 1 on the other only when both deadlines are then a clock tick apart", () => {
    // Set a millisecond later on one server: equal there, later here.
    expect(
      verdict(
        exchange("EXPIRE k 100 GT", ":0\r\n", ":1\r\n", [
          ":99998\r\n",
          ":99999\r\n",
        ]),
      ),
    ).toEqual({ kind: "normalised", rule: "same-millisecond-deadlines" });
    // One server had no deadline at all: a real difference.
    expect(
      verdict(
        exchange("EXPIRE k 100 GT", ":0\r\n", ":1\r\n", [
          ":-1\r\n",
          ":99999\r\n",
        ]),
      ).kind,
    ).toBe("different");
    // Without GT or LT there is nothing to race.
    expect(
      verdict(
        exchange("EXPIRE k 100 NX", ":0\r\n", ":1\r\n", [
          ":99998\r\n",
          ":99999\r\n",
        ]),
      ).kind,
    ).toBe("different");
  });

  it("lets a TTL differ by one second only at a half-second boundary", () => {
    // Both servers were at about 99.5 s: rounding went each way.
    expect(
      verdict(
        exchange("TTL k", ":100\r\n", ":99\r\n", [":99501\r\n", ":99498\r\n"]),
      ),
    ).toEqual({ kind: "normalised", rule: "deadline-readings" });
    // At 99.9 s, 99 is a rounding bug (floor instead of round).
    expect(
      verdict(
        exchange("TTL k", ":99\r\n", ":100\r\n", [":99900\r\n", ":99899\r\n"]),
      ).kind,
    ).toBe("different");
    // Milliseconds close, within the clocks' lag; not a second apart.
    expect(verdict(exchange("PTTL k", ":99900\r\n", ":99890\r\n")).kind).toBe(
      "normalised",
    );
    expect(verdict(exchange("PTTL k", ":98900\r\n", ":99900\r\n")).kind).toBe(
      "different",
    );
    // -1 and -2 are exact.
    expect(verdict(exchange("PTTL k", ":-1\r\n", ":-2\r\n")).kind).toBe(
      "different",
    );
  });

  it("lets OBJECT IDLETIME differ by two seconds, no more", () => {
    expect(verdict(exchange("OBJECT IDLETIME k", ":0\r\n", ":1\r\n"))).toEqual({
      kind: "normalised",
      rule: "idle-time",
    });
    expect(
      verdict(exchange("OBJECT IDLETIME k", ":0\r\n", ":5\r\n")).kind,
    ).toBe("different");
    // A missing key is nil on both sides, exactly.
    expect(
      verdict(exchange("OBJECT IDLETIME k", ":0\r\n", "$-1\r\n")).kind,
    ).toBe("different");
  });

  it("compares CONFIG GET on the chapter's parameters, each server's port aside", () => {
    const ours = "*4\r\n$4\r\nPORT\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n";
    const redis =
      "*6\r\n$2\r\nhz\r\n$2\r\n10\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$4\r\nPORT\r\n$4\r\n6379\r\n";
    expect(verdict(exchange("CONFIG GET PORT h*", ours, redis)).kind).toBe(
      "normalised",
    );
    const wrongHz = ours.replace("$2\r\n10", "$2\r\n11");
    expect(verdict(exchange("CONFIG GET PORT h*", wrongHz, redis)).kind).toBe(
      "different",
    );
  });

  it("sets aside the parameter Redis finds by a name's bytes before a NUL, its hash seed willing", () => {
    const save = "*2\r\n$4\r\nsave\r\n$0\r\n\r\n";
    expect(
      verdict(exchange("CONFIG GET save\0junk", "*0\r\n", save)).kind,
    ).toBe("normalised");
    // Without a NUL in the name, a missing parameter is a difference.
    expect(verdict(exchange("CONFIG GET sav*", "*0\r\n", save)).kind).toBe(
      "different",
    );
  });

  it("explains COMMAND INFO's empty key specifications, and nothing else in it", () => {
    const entry = (keySpecs: string, arity = ":2") =>
      `*1\r\n*10\r\n$3\r\nget\r\n${arity}\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*1\r\n+@read\r\n*0\r\n${keySpecs}*0\r\n`;
    const specs = "*1\r\n*2\r\n$5\r\nflags\r\n*1\r\n+RO\r\n";
    expect(
      verdict(exchange("COMMAND INFO get", entry("*0\r\n"), entry(specs))),
    ).toEqual({
      kind: "explained",
      ids: ["key-specifications"],
    });
    expect(
      verdict(exchange("COMMAND INFO get", entry("*0\r\n", ":3"), entry(specs)))
        .kind,
    ).toBe("different");
  });

  it("explains CLIENT SETINFO, which Redis 7.0 does not have", () => {
    expect(
      verdict(
        exchange(
          "CLIENT SETINFO lib-name x",
          "+OK\r\n",
          "-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n",
        ),
      ),
    ).toEqual({ kind: "explained", ids: ["client-setinfo"] });
    // Not another subcommand's error.
    expect(
      verdict(
        exchange(
          "CLIENT GETNAME",
          "+OK\r\n",
          "-ERR unknown subcommand 'GETNAME'. Try CLIENT HELP.\r\n",
        ),
      ).kind,
    ).toBe("different");
  });

  it("explains chapter 07's multi-rollback in CONFIG GET, and nothing else in it", () => {
    const pair = (name: string, value: string) =>
      `$${name.length}\r\n${name}\r\n$${value.length}\r\n${value}\r\n`;
    const hz = pair("hz", "10");
    const rollback = pair("multi-rollback", "no");
    expect(
      verdict(
        exchange("CONFIG GET multi-rollback", `*2\r\n${rollback}`, "*0\r\n"),
      ),
    ).toEqual({ kind: "explained", ids: ["multi-rollback"] });
    expect(
      verdict(exchange("CONFIG GET *", `*4\r\n${hz}${rollback}`, `*2\r\n${hz}`))
        .kind,
    ).toBe("explained");
    expect(
      verdict(
        exchange(
          "CONFIG GET *",
          `*4\r\n${pair("hz", "11")}${rollback}`,
          `*2\r\n${hz}`,
        ),
      ).kind,
    ).toBe("different");
  });

  it("explains chapter 08's cluster-proxy directives in CONFIG GET", () => {
    const pair = (name: string, value: string) =>
      `$${name.length}\r\n${name}\r\n$${value.length}\r\n${value}\r\n`;
    const hz = pair("hz", "10");
    const proxy =
      pair("cluster-proxy", "no") + pair("cluster-proxy-timeout", "5000");
    expect(
      verdict(exchange("CONFIG GET *", `*6\r\n${hz}${proxy}`, `*2\r\n${hz}`)),
    ).toEqual({ kind: "explained", ids: ["cluster-proxy"] });
  });

  it("judges each element of EXEC's reply as the reply to its own command", () => {
    const ab = "*2\r\n$1\r\na\r\n$1\r\nb\r\n";
    const ba = "*2\r\n$1\r\nb\r\n$1\r\na\r\n";
    const exec = (
      queued: string[],
      ours: string,
      redis: string,
      companions: Record<number, string> = {},
    ): Exchange => ({
      ...exchange("EXEC", ours, redis),
      queued: queued.map((command, i) => ({
        args: command.split(" ").map((word) => Buffer.from(word)),
        ...(companions[i] === undefined
          ? {}
          : {
              companion: companions[i]
                .split(" ")
                .map((word) => Buffer.from(word)),
            }),
      })),
    });
    // KEYS inside EXEC is compared sorted, as outside.
    expect(
      verdict(
        exec(
          ["KEYS *", "GET a"],
          `*2\r\n${ab}$1\r\n1\r\n`,
          `*2\r\n${ba}$1\r\n1\r\n`,
        ),
      ),
    ).toEqual({ kind: "normalised", rule: "exec-elements" });
    // Without the queued commands, an array is an array.
    expect(
      verdict(
        exchange("EXEC", `*2\r\n${ab}$1\r\n1\r\n`, `*2\r\n${ba}$1\r\n1\r\n`),
      ).kind,
    ).toBe("different");
    // A wrong element is named.
    const wrong = verdict(
      exec(
        ["KEYS *", "GET a"],
        `*2\r\n${ab}$1\r\n2\r\n`,
        `*2\r\n${ba}$1\r\n1\r\n`,
      ),
    );
    expect(wrong).toMatchObject({
      kind: "different",
      part: 'element 2 of 2 of EXEC\'s reply, the reply to "GET" "a"',
    });
    // A TTL and its PTTL companion, one second apart at a half second.
    expect(
      verdict(
        exec(["TTL k"], "*2\r\n:10\r\n:9600\r\n", "*2\r\n:9\r\n:9499\r\n", {
          0: "PTTL k",
        }),
      ).kind,
    ).toBe("normalised");
    // Known differences inside EXEC are explained, and counted as such.
    expect(
      verdict(
        exec(
          ["CONFIG GET multi-rollback", "PING"],
          "*2\r\n*2\r\n$14\r\nmulti-rollback\r\n$2\r\nno\r\n+PONG\r\n",
          "*2\r\n*0\r\n+PONG\r\n",
        ),
      ),
    ).toEqual({ kind: "explained", ids: ["multi-rollback"] });
    // Redis's value is the queued argument's object until EXEC ends: a
    // refcount of 2 is explained inside EXEC, and only there.
    expect(
      verdict(
        exec(
          ["SET k hello", "OBJECT REFCOUNT k"],
          "*2\r\n+OK\r\n:1\r\n",
          "*2\r\n+OK\r\n:2\r\n",
        ),
      ),
    ).toEqual({ kind: "explained", ids: ["refcount-inside-exec"] });
    expect(
      verdict(exchange("OBJECT REFCOUNT k", ":1\r\n", ":2\r\n")).kind,
    ).toBe("different");
    // Another number of elements, a null, an EXECABORT: compared as they are.
    expect(
      verdict(exec(["KEYS *"], `*1\r\n${ab}`, `*2\r\n${ba}+OK\r\n`)).kind,
    ).toBe("different");
    expect(verdict(exec(["KEYS *"], `*1\r\n${ab}`, "*-1\r\n")).kind).toBe(
      "different",
    );
  });

  it("explains Redis's SORT refusing a sorted set after its own stale ERANGE, and only for a sorted set", () => {
    const refused =
      "-ERR One or more scores can't be converted into double\r\n";
    const sorted = "*2\r\n$1\r\n1\r\n$1\r\n2\r\n";
    const encoding = (name: string): [string, string] => [
      `$${name.length}\r\n${name}\r\n`,
      `$${name.length}\r\n${name}\r\n`,
    ];
    expect(
      verdict(exchange("SORT z", sorted, refused, encoding("skiplist"))),
    ).toEqual({ kind: "explained", ids: ["sort-stale-range-error"] });
    // A list or a set has no listpack of scores to read back.
    expect(
      verdict(exchange("SORT l", sorted, refused, encoding("quicklist"))).kind,
    ).toBe("different");
    // Nor is our refusal where Redis sorts explained.
    expect(
      verdict(exchange("SORT z", refused, sorted, encoding("skiplist"))).kind,
    ).toBe("different");
  });

  // Redis 7.0.15's HELLO 3 reply, with connection id `id`.
  const hello3 = (id: number, proto = ":3") =>
    `%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n${proto}\r\n$2\r\nid\r\n:${id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n`;

  it("compares HELLO's map with its id aside, and not a map with an array", () => {
    expect(verdict(exchange("HELLO 3", hello3(5), hello3(9)))).toEqual({
      kind: "normalised",
      rule: "connection-id",
    });
    expect(verdict(exchange("HELLO 3", hello3(5, ":2"), hello3(9))).kind).toBe(
      "different",
    );
    const asArray = hello3(5).replace("%7", "*14");
    expect(verdict(exchange("HELLO 3", asArray, hello3(9))).kind).toBe(
      "different",
    );
  });

  it("compares INFO as verbatim text in RESP3, and only with verbatim text", () => {
    const text = (version: string, pid: string) =>
      `# Server\r\nredis_version:${version}\r\nprocess_id:${pid}\r\n`;
    const verbatim = (body: string) => `=${body.length + 4}\r\ntxt:${body}\r\n`;
    const bulk = (body: string) => `$${body.length}\r\n${body}\r\n`;
    const redis = verbatim(text("7.0.15", "42"));
    expect(
      verdict(
        exchange("INFO", verbatim(text("7.0.15", "7")), redis, undefined, 3),
      ),
    ).toEqual({ kind: "normalised", rule: "info-fields" });
    expect(
      verdict(exchange("INFO", bulk(text("7.0.15", "7")), redis, undefined, 3))
        .kind,
    ).toBe("different");
    expect(
      verdict(
        exchange("INFO", verbatim(text("7.0.14", "7")), redis, undefined, 3),
      ).kind,
    ).toBe("different");
  });

  it("compares CONFIG GET's map in RESP3, and not a map with an array", () => {
    const ours = "%2\r\n$4\r\nPORT\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n";
    const redis =
      "%3\r\n$2\r\nhz\r\n$2\r\n10\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$4\r\nPORT\r\n$4\r\n6379\r\n";
    expect(
      verdict(exchange("CONFIG GET PORT h*", ours, redis, undefined, 3)).kind,
    ).toBe("normalised");
    expect(
      verdict(
        exchange(
          "CONFIG GET PORT h*",
          ours.replace("%2", "*4"),
          redis,
          undefined,
          3,
        ),
      ).kind,
    ).toBe("different");
  });

  it("holds RANDOMKEY to the protocol's own nil", () => {
    expect(
      verdict(
        exchange("RANDOMKEY", "$1\r\na\r\n", "$1\r\nb\r\n", undefined, 3),
      ),
    ).toEqual({ kind: "normalised", rule: "random-key" });
    expect(
      verdict(exchange("RANDOMKEY", "$-1\r\n", "_\r\n", undefined, 3)).kind,
    ).toBe("different");
    expect(
      verdict(exchange("RANDOMKEY", "_\r\n", "$1\r\nb\r\n", undefined, 3)).kind,
    ).toBe("different");
  });

  it("explains RESP3 COMMAND INFO's key specifications and missing commands, in RESP3's types", () => {
    const get = (keySpecs: string) =>
      `*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~1\r\n+@read\r\n~0\r\n${keySpecs}~0\r\n`;
    const lpush =
      "*10\r\n$5\r\nlpush\r\n:-3\r\n~1\r\n+write\r\n:1\r\n:1\r\n:1\r\n~1\r\n+@list\r\n~0\r\n~0\r\n~0\r\n";
    const specs = "~1\r\n%1\r\n$5\r\nflags\r\n~1\r\n+RO\r\n";
    const redis = `*2\r\n${get(specs)}${lpush}`;
    expect(
      verdict(
        exchange(
          "COMMAND INFO get lpush",
          `*2\r\n${get("~0\r\n")}_\r\n`,
          redis,
          undefined,
          3,
        ),
      ),
    ).toEqual({
      kind: "explained",
      ids: ["key-specifications", "command-subset"],
    });
    // RESP2's null, or an empty array for the key specifications, is not RESP3's.
    for (const ours of [
      `*2\r\n${get("~0\r\n")}$-1\r\n`,
      `*2\r\n${get("*0\r\n")}_\r\n`,
    ]) {
      expect(
        verdict(exchange("COMMAND INFO get lpush", ours, redis, undefined, 3))
          .kind,
      ).toBe("different");
    }
  });

  it("sorts RESP3 COMMAND DOCS' map of subcommands, and keeps it a map", () => {
    const docs = (first: string, second: string, type = "%2") =>
      `%1\r\n$6\r\nconfig\r\n%1\r\n$11\r\nsubcommands\r\n${type}\r\n$${first.length}\r\n${first}\r\n%0\r\n$${second.length}\r\n${second}\r\n%0\r\n`;
    const redis = docs("config|set", "config|get");
    expect(
      verdict(
        exchange(
          "COMMAND DOCS config",
          docs("config|get", "config|set"),
          redis,
          undefined,
          3,
        ),
      ),
    ).toEqual({ kind: "normalised", rule: "subcommand-order" });
    expect(
      verdict(
        exchange(
          "COMMAND DOCS config",
          docs("config|get", "config|set", "*4"),
          redis,
          undefined,
          3,
        ),
      ).kind,
    ).toBe("different");
  });

  // #region hash-rules
  /** Bulk strings, as one reply's elements: `bulks("a", "1")`. */
  const bulks = (...words: string[]): string =>
    words.map((w) => `$${w.length}\r\n${w}\r\n`).join("");
  const LISTPACK = "$8\r\nlistpack\r\n";
  const HASHTABLE = "$9\r\nhashtable\r\n";

  it("sorts HGETALL, HKEYS and HVALS of a hash table, never of a listpack, and keeps fields with their values", () => {
    const ab = `*4\r\n${bulks("a", "1", "b", "2")}`;
    const ba = `*4\r\n${bulks("b", "2", "a", "1")}`;
    expect(
      verdict(exchange("HGETALL h", ab, ba, [HASHTABLE, HASHTABLE])),
    ).toEqual({ kind: "normalised", rule: "hash-order" });
    expect(
      verdict(exchange("HGETALL h", ab, ba, [LISTPACK, LISTPACK])).kind,
    ).toBe("different");
    // The same fields and values, paired otherwise.
    const swapped = `*4\r\n${bulks("b", "1", "a", "2")}`;
    expect(
      verdict(exchange("HGETALL h", ab, swapped, [HASHTABLE, HASHTABLE])).kind,
    ).toBe("different");
    expect(
      verdict(
        exchange(
          "HKEYS h",
          `*2\r\n${bulks("a", "b")}`,
          `*2\r\n${bulks("b", "a")}`,
          [HASHTABLE, HASHTABLE],
        ),
      ).kind,
    ).toBe("normalised");
    // A map in RESP3 is compared with a map only.
    expect(
      verdict(
        exchange("HGETALL h", `%2\r\n${bulks("a", "1", "b", "2")}`, ba, [
          HASHTABLE,
          HASHTABLE,
        ]),
      ).kind,
    ).toBe("different");
  });

  it("holds HRANDFIELD's picks to the hash sent behind it: its fields and values, distinct for a positive count", () => {
    const hash = `*6\r\n${bulks("a", "1", "b", "2", "c", "3")}`;
    const behind: [string, string] = [hash, hash];
    const picks = (...words: string[]) =>
      `*${words.length}\r\n${bulks(...words)}`;
    expect(
      verdict(
        exchange("HRANDFIELD h 2", picks("a", "b"), picks("c", "a"), behind),
      ),
    ).toEqual({ kind: "normalised", rule: "random-fields" });
    expect(
      verdict(
        exchange("HRANDFIELD h -2", picks("a", "a"), picks("c", "b"), behind),
      ).kind,
    ).toBe("normalised");
    expect(
      verdict(
        exchange("HRANDFIELD h 2", picks("a", "a"), picks("c", "a"), behind),
      ).kind,
    ).toBe("different");
    expect(
      verdict(
        exchange("HRANDFIELD h 2", picks("a", "z"), picks("c", "a"), behind),
      ).kind,
    ).toBe("different");
    expect(
      verdict(
        exchange(
          "HRANDFIELD h -3",
          picks("a", "a"),
          picks("c", "b", "a"),
          behind,
        ),
      ).kind,
    ).toBe("different");
    // WITHVALUES: each value must be its field's; RESP3 sends pairs.
    expect(
      verdict(
        exchange(
          "HRANDFIELD h -1 WITHVALUES",
          picks("a", "1"),
          picks("b", "2"),
          behind,
        ),
      ).kind,
    ).toBe("normalised");
    expect(
      verdict(
        exchange(
          "HRANDFIELD h -1 WITHVALUES",
          picks("a", "2"),
          picks("b", "2"),
          behind,
        ),
      ).kind,
    ).toBe("different");
    const pair = (field: string, value: string) =>
      `*2\r\n${bulks(field, value)}`;
    expect(
      verdict(
        exchange(
          "HRANDFIELD h 2 WITHVALUES",
          `*2\r\n${pair("a", "1")}${pair("c", "3")}`,
          `*2\r\n${pair("b", "2")}${pair("a", "1")}`,
          behind,
          3,
        ),
      ).kind,
    ).toBe("normalised");
    // A count that takes the whole hash must take the same fields.
    expect(
      verdict(
        exchange("HRANDFIELD h 5", picks("a", "b"), picks("c", "a"), behind),
      ).kind,
    ).toBe("different");
  });

  it("lets HSCAN of a hash table differ by cursor and batch; a walk both finish at once must find the same pairs", () => {
    const batch = (cursor: string, ...words: string[]) =>
      `*2\r\n${bulks(cursor)}*${words.length}\r\n${bulks(...words)}`;
    const both = (encoding: string): [string, string] => [encoding, encoding];
    const cases: [string, string, [string, string], string][] = [
      [
        batch("4", "a", "1"),
        batch("2", "b", "2"),
        both(HASHTABLE),
        "normalised",
      ],
      // Both done at once: the same pairs, in any order.
      [
        batch("0", "a", "1", "b", "2"),
        batch("0", "b", "2", "a", "1"),
        both(HASHTABLE),
        "normalised",
      ],
      [
        batch("0", "a", "1"),
        batch("0", "b", "2"),
        both(HASHTABLE),
        "different",
      ],
      // A field twice in one batch, or a listpack's batch out of order.
      [
        batch("4", "a", "1", "a", "1"),
        batch("2", "b", "2"),
        both(HASHTABLE),
        "different",
      ],
      [
        batch("0", "a", "1", "b", "2"),
        batch("0", "b", "2", "a", "1"),
        both(LISTPACK),
        "different",
      ],
    ];
    for (const [ours, redis, behind, kind] of cases) {
      expect(verdict(exchange("HSCAN h 0", ours, redis, behind)).kind).toBe(
        kind,
      );
    }
    const [ours, redis, behind] = cases[0]!;
    expect(verdict(exchange("HSCAN h 0", ours, redis, behind))).toEqual({
      kind: "normalised",
      rule: "hash-scan",
    });
  });
  // #endregion hash-rules

  // #region zset-rules
  const SKIPLIST = "$8\r\nskiplist\r\n";

  it("lets ZSCAN of a skiplist differ by cursor and batch; a walk both finish at once must find the same members and scores", () => {
    const batch = (cursor: string, ...words: string[]) =>
      `*2\r\n${bulks(cursor)}*${words.length}\r\n${bulks(...words)}`;
    const both = (encoding: string): [string, string] => [encoding, encoding];
    const cases: [string, string, [string, string], string][] = [
      [
        batch("4", "a", "1"),
        batch("2", "b", "2"),
        both(SKIPLIST),
        "normalised",
      ],
      [
        batch("0", "a", "1", "b", "2"),
        batch("0", "b", "2", "a", "1"),
        both(SKIPLIST),
        "normalised",
      ],
      // The same members with another score, or a member twice.
      [
        batch("0", "a", "1", "b", "2"),
        batch("0", "b", "2", "a", "1.5"),
        both(SKIPLIST),
        "different",
      ],
      [
        batch("4", "a", "1", "a", "1"),
        batch("2", "b", "2"),
        both(SKIPLIST),
        "different",
      ],
      // A listpack answers whole and in order.
      [
        batch("0", "a", "1", "b", "2"),
        batch("0", "b", "2", "a", "1"),
        both(LISTPACK),
        "different",
      ],
      [
        batch("0", "a", "1", "b", "2"),
        batch("0", "b", "2", "a", "1"),
        [LISTPACK, SKIPLIST],
        "different",
      ],
    ];
    for (const [ours, redis, behind, kind] of cases) {
      expect(verdict(exchange("ZSCAN z 0", ours, redis, behind)).kind).toBe(
        kind,
      );
    }
    const [ours, redis, behind] = cases[0]!;
    expect(verdict(exchange("ZSCAN z 0", ours, redis, behind))).toEqual({
      kind: "normalised",
      rule: "zset-scan",
    });
  });

  it("holds ZRANDMEMBER's picks to the sorted set sent behind it: its members with their scores, distinct for a positive count", () => {
    // ZRANGE z 0 -1 WITHSCORES: flat in RESP2, pairs of member and double in RESP3.
    const zset2 = `*6\r\n${bulks("a", "1", "b", "1.5", "c", "inf")}`;
    const behind2: [string, string] = [zset2, zset2];
    const pair3 = (member: string, score: string) =>
      `*2\r\n${bulks(member)},${score}\r\n`;
    const zset3 = `*3\r\n${pair3("a", "1")}${pair3("b", "1.5")}${pair3("c", "inf")}`;
    const behind3: [string, string] = [zset3, zset3];
    const picks = (...words: string[]) =>
      `*${words.length}\r\n${bulks(...words)}`;
    expect(
      verdict(
        exchange("ZRANDMEMBER z 2", picks("a", "b"), picks("c", "a"), behind2),
      ),
    ).toEqual({ kind: "normalised", rule: "random-scored-members" });
    expect(
      verdict(exchange("ZRANDMEMBER z", bulks("a"), bulks("c"), behind2)).kind,
    ).toBe("normalised");
    expect(
      verdict(
        exchange("ZRANDMEMBER z -2", picks("a", "a"), picks("c", "b"), behind2),
      ).kind,
    ).toBe("normalised");
    // Twice for a positive count; not a member; the whole set not taken whole.
    for (const [command, ours] of [
      ["ZRANDMEMBER z 2", picks("a", "a")],
      ["ZRANDMEMBER z 2", picks("a", "z")],
      ["ZRANDMEMBER z 5", picks("a", "b")],
    ] as const) {
      expect(
        verdict(exchange(command, ours, picks("c", "a"), behind2)).kind,
      ).toBe("different");
    }
    // WITHSCORES: each member's own score, written as ZRANGE writes it.
    expect(
      verdict(
        exchange(
          "ZRANDMEMBER z -2 WITHSCORES",
          picks("a", "1", "c", "inf"),
          picks("b", "1.5", "b", "1.5"),
          behind2,
        ),
      ).kind,
    ).toBe("normalised");
    expect(
      verdict(
        exchange(
          "ZRANDMEMBER z -1 WITHSCORES",
          picks("a", "1.0"),
          picks("b", "1.5"),
          behind2,
        ),
      ).kind,
    ).toBe("different");
    // RESP3: pairs with doubles, against the RESP3 ZRANGE.
    expect(
      verdict(
        exchange(
          "ZRANDMEMBER z 2 WITHSCORES",
          `*2\r\n${pair3("a", "1")}${pair3("c", "inf")}`,
          `*2\r\n${pair3("b", "1.5")}${pair3("a", "1")}`,
          behind3,
          3,
        ),
      ).kind,
    ).toBe("normalised");
    expect(
      verdict(
        exchange(
          "ZRANDMEMBER z 2 WITHSCORES",
          `*2\r\n${pair3("a", "1.5")}${pair3("c", "inf")}`,
          `*2\r\n${pair3("b", "1.5")}${pair3("a", "1")}`,
          behind3,
          3,
        ),
      ).kind,
    ).toBe("different");
  });
  // #endregion zset-rules

  // #region sort-rules
  it("lets SORT's order differ only where Redis leaves it to chance, and keeps what ALPHA compared in order", () => {
    const list = (...words: string[]) =>
      `*${words.length}\r\n${bulks(...words)}`;
    const encoding = (name: string): [string, string] => [
      `$${name.length}\r\n${name}\r\n`,
      `$${name.length}\r\n${name}\r\n`,
    ];
    const judge = (
      command: string,
      ours: string,
      redis: string,
      source: string,
    ) => verdict(exchange(command, ours, redis, encoding(source))).kind;
    // BY a constant: a hash table's order, the same members.
    expect(
      verdict(
        exchange(
          "SORT s BY nosort",
          list("a", "b", "c"),
          list("c", "a", "b"),
          encoding("hashtable"),
        ),
      ),
    ).toEqual({ kind: "normalised", rule: "sort-ties" });
    expect(
      judge("SORT s BY nosort", list("a", "b"), list("c", "a"), "hashtable"),
    ).toBe("different");
    // ...a list's or an intset's own order, exactly.
    for (const source of ["listpack", "quicklist", "intset", "skiplist"]) {
      expect(
        judge("SORT s BY nosort", list("a", "b"), list("b", "a"), source),
      ).toBe("different");
    }
    // LIMIT cut it: as many, any of them.
    expect(
      judge(
        "SORT s BY nosort LIMIT 1 2",
        list("a", "b"),
        list("c", "d"),
        "hashtable",
      ),
    ).toBe("normalised");
    expect(
      judge(
        "SORT s BY nosort LIMIT 1 2",
        list("a", "b"),
        list("c"),
        "hashtable",
      ),
    ).toBe("different");
    // A numeric sort breaks ties by the element's bytes: one order.
    expect(judge("SORT s", list("1", "2"), list("2", "1"), "hashtable")).toBe(
      "different",
    );
    // ALPHA on a set: elements equal up to a NUL may come either way...
    expect(
      judge(
        "SORT s ALPHA",
        list("", "\0", "a"),
        list("\0", "", "a"),
        "hashtable",
      ),
    ).toBe("normalised");
    // ...but never out of order.
    expect(
      judge("SORT s ALPHA", list("a", "b"), list("b", "a"), "hashtable"),
    ).toBe("different");
    // ALPHA BY a pattern: the GET of that pattern shows the weights, in order.
    expect(
      judge(
        "SORT s BY w_* ALPHA GET # GET w_*",
        `*4\r\n${bulks("x", "1")}${bulks("y", "1")}`,
        `*4\r\n${bulks("y", "1")}${bulks("x", "1")}`,
        "hashtable",
      ),
    ).toBe("normalised");
    expect(
      judge(
        "SORT s BY w_* ALPHA GET # GET w_*",
        `*4\r\n${bulks("x", "1")}${bulks("y", "2")}`,
        `*4\r\n${bulks("y", "2")}${bulks("x", "1")}`,
        "hashtable",
      ),
    ).toBe("different");
    // Missing weights (nil) tie, ahead of the others.
    expect(
      judge(
        "SORT s BY w_* ALPHA GET # GET w_*",
        `*6\r\n${bulks("x")}$-1\r\n${bulks("y")}$-1\r\n${bulks("z", "1")}`,
        `*6\r\n${bulks("y")}$-1\r\n${bulks("x")}$-1\r\n${bulks("z", "1")}`,
        "skiplist",
      ),
    ).toBe("normalised");
    // A list sorts ties stably; with BY and LIMIT, Redis's partial sort does not.
    expect(
      judge("SORT l BY w_* ALPHA", list("x", "y"), list("y", "x"), "quicklist"),
    ).toBe("different");
    expect(
      judge(
        "SORT l BY w_* ALPHA LIMIT 0 5",
        list("x", "y"),
        list("y", "x"),
        "quicklist",
      ),
    ).toBe("normalised");
    // The source's encoding must agree; a syntax error is compared exactly.
    expect(
      verdict(
        exchange("SORT s BY nosort", list("a", "b"), list("b", "a"), [
          "$9\r\nhashtable\r\n",
          "$6\r\nintset\r\n",
        ]),
      ).kind,
    ).toBe("different");
    expect(
      judge(
        "SORT s BY nosort LIMIT",
        "-ERR syntax error\r\n",
        "-ERR value is not an integer or out of range\r\n",
        "hashtable",
      ),
    ).toBe("different");
  });
  // #endregion sort-rules
});

describe("checkpoints", () => {
  it("compare hashes and sets by content in any order, sorted sets in order, and every key's encoding", async () => {
    // Two servers of the latest chapter, which has every type so far.
    const latest = listChapters().at(-1)!;
    const { startServer } = (await import(
      pathToFileURL(join(latest.dir, "src", "server.ts")).href
    )) as {
      startServer: (config: Record<string, unknown>) => Promise<ChapterServer>;
    };
    const servers = await Promise.all([
      startServer({ port: 0 }),
      startServer({ port: 0 }),
    ]);
    const [a, b] = (await Promise.all(
      servers.map((server) => Peer.connect(server.port)),
    )) as [Peer, Peer];
    /**
     * Sends each command to `peer`, in database 0 (a checkpoint leaves
     * the connection in the last one), and waits for the replies.
     */
    const send = async (peer: Peer, ...words: string[]) => {
      const commands = ["SELECT 0", ...words];
      for (const command of commands) {
        peer.write(
          encodeCommand(command.split(" ").map((w) => Buffer.from(w))),
        );
      }
      expect((await peer.read(commands.length)).failure).toBeUndefined();
    };
    const differences = async () =>
      (await compareState(a, b, 16, () => true)).map(({ what }) => what);
    try {
      // The same fields and members, added in other orders: no difference.
      await send(a, "HSET h f1 v1 f2 v2", "SADD s x y z");
      await send(b, "HSET h f2 v2 f1 v1", "SADD s z y x");
      expect(await differences()).toEqual([]);

      await send(b, "SADD s w", "HSET h f2 changed");
      expect(await differences()).toEqual([
        'db 0 key "h": HGETALL',
        'db 0 key "s": SMEMBERS',
      ]);
      await send(b, "SREM s w", "HSET h f2 v2");

      // A sorted set is compared in order, scores to the byte.
      await send(a, "ZADD z 1 x 2 y");
      await send(b, "ZADD z 2 y 1 x");
      expect(await differences()).toEqual([]);
      await send(b, "ZADD z 1.5 x");
      expect(await differences()).toEqual(['db 0 key "z": ZRANGE']);
      await send(b, "ZADD z 1 x");

      // The same content in another encoding: a difference of its own.
      await send(b, "CONFIG SET set-max-intset-entries 2");
      await send(a, "SADD n 1 2 3");
      await send(b, "SADD n 1 2 3");
      expect(await differences()).toEqual(['db 0 key "n": OBJECT ENCODING']);
    } finally {
      a.close();
      b.close();
      await Promise.all(servers.map((server) => server.close()));
    }
  });
});

const CLUSTER_SUBCOMMANDS =
  "keyslot countkeysinslot getkeysinslot info myid nodes slots shards links help saveconfig bumpepoch set-config-epoch count-failure-reports forget addslots addslotsrange delslots delslotsrange meet reset flushslots"
    .split(" ")
    .map((sub) => `cluster|${sub}`);
/** Chapter 08: chapter 07's commands, and the cluster's. */
const CHAPTER_08_COMMANDS = [
  ...CHAPTER_07_COMMANDS,
  "cluster",
  ...CLUSTER_SUBCOMMANDS,
  "asking",
  "readonly",
  "readwrite",
];

describe("cluster runs", () => {
  const clusterCapabilities = (): Capabilities => ({
    ...capabilities(CHAPTER_08_COMMANDS),
    cluster: true,
  });
  const words = (args: readonly Buffer[]): string[] =>
    args.map((arg) => arg.toString("latin1"));

  it("hash keys to Redis's slots, the tag alone when it has one", () => {
    // Slots redis-server 7.0.15 gave for these keys (CLUSTER KEYSLOT).
    const slots: Record<string, number> = {
      foo: 12182,
      "{user1000}.following": 3443,
      "foo{}{bar}": 8363,
      "foo{{bar}}zap": 4015,
      "123456789": 12739,
      "{t}a": 15891,
      "b{t}": 15891,
    };
    for (const [key, slot] of Object.entries(slots)) {
      expect(keySlot(Buffer.from(key, "latin1"))).toBe(slot);
    }
  });

  it("give the pool's keys a tag, the same for a name all run long, most of them one tag", () => {
    const a = Buffer.from("a");
    expect(clusterKeyName(a).toString()).toBe("{t}a");
    expect(clusterKeyName(a)).toEqual(clusterKeyName(a));
    const tagged = ["a", "b", "counter", "list", "hash", "set", "zset", "lex"]
      .map((name) => keySlot(clusterKeyName(Buffer.from(name))))
      .filter((slot) => slot === keySlot(Buffer.from("{t}")));
    expect(tagged.length).toBe(8);
  });

  it("leave a standalone run's commands as they were: no tags, no CLUSTER", () => {
    const source = new CommandSource(5, capabilities(CHAPTER_08_COMMANDS));
    for (let i = 0; i < 5000; i++) {
      const { args } = source.next();
      expect(words(args).some((word) => word.includes("{t}"))).toBe(false);
      const name = args[0]!.toString("latin1").toLowerCase();
      // Outside cluster mode, CLUSTER asks only what answers "cluster
      // support disabled" (no address, no slot range, no epoch).
      if (name === "cluster") {
        expect(["info", "keyslot", "myid", "help", "nodes"]).toContain(
          args[1]!.toString("latin1").toLowerCase(),
        );
      }
    }
  });

  it("put most multi-key commands in one slot, and some across two", () => {
    const source = new CommandSource(6, clusterCapabilities());
    let together = 0;
    let apart = 0;
    for (let i = 0; i < 20_000; i++) {
      const { args } = source.next();
      const name = args[0]!.toString("latin1").toLowerCase();
      if (!["mset", "mget", "del", "exists", "sinter", "sunion"].includes(name))
        continue;
      const keys = args
        .slice(1)
        .filter((_, j) => name !== "mset" || j % 2 === 0);
      if (keys.length < 2) continue;
      const slots = new Set(keys.map(keySlot));
      if (slots.size === 1) together += 1;
      else apart += 1;
    }
    expect(together / (together + apart)).toBeGreaterThan(0.75);
    expect(apart).toBeGreaterThan(20);
  });

  it("keep the lex key's prelude on the lex key, tag and all", () => {
    const source = new CommandSource(13, clusterCapabilities());
    let preludes = 0;
    for (let i = 0; i < 20_000; i++) {
      const { prelude } = source.next();
      if (prelude?.[0]?.toString() !== "ZINTERSTORE") continue;
      preludes += 1;
      expect(words(prelude)).toEqual(
        "ZINTERSTORE {t}lex 1 {t}lex WEIGHTS 0".split(" "),
      );
    }
    expect(preludes).toBeGreaterThan(20);
  });

  it("never take a slot from the node, nor meet another", () => {
    const source = new CommandSource(8, clusterCapabilities());
    const seen = new Set<string>();
    for (let i = 0; i < 60_000; i++) {
      const { args } = source.next();
      if (args[0]!.toString("latin1").toLowerCase() !== "cluster") continue;
      // (Cut short to CLUSTER alone: the table refuses it.)
      if (args.length < 2) continue;
      const sub = args[1]!.toString("latin1").toLowerCase();
      const rest = words(args.slice(2));
      seen.add(sub);
      const slot = (word: string) =>
        /^\d+$/.test(word) && Number(word) <= 16383;
      if (sub === "delslots" && rest.every(slot)) {
        // Only with a slot named twice, which Redis refuses first.
        expect(new Set(rest).size).toBeLessThan(rest.length);
      }
      if (sub === "delslotsrange" && rest.length === 2 && rest.every(slot)) {
        expect(Number(rest[0])).toBeGreaterThan(Number(rest[1]));
      }
      if (sub === "meet" && rest.length >= 2) {
        const [ip, port, bus] = rest;
        const valid = (p: string | undefined) =>
          p !== undefined && /^\d+$/.test(p) && +p > 0 && +p < 65536;
        expect(
          /^\d+\.\d+\.\d+\.\d+$/.test(ip!) &&
            valid(port) &&
            (bus === undefined || valid(bus)) &&
            rest.length <= 3,
        ).toBe(false);
      }
      if (sub === "reset") {
        expect(rest).not.toEqual([]);
        expect(["hard", "soft"]).not.toContain(rest.join(" ").toLowerCase());
      }
      expect(sub).not.toBe("flushslots");
    }
    for (const sub of ["keyslot", "getkeysinslot", "delslots", "meet", "info"])
      expect(seen).toContain(sub);
  });

  it("name this node by the id both servers share", () => {
    const source = new CommandSource(9, clusterCapabilities());
    let named = 0;
    for (let i = 0; i < 60_000; i++) {
      const { args } = source.next();
      if (words(args).includes(FUZZ_NODE_ID)) named += 1;
    }
    expect(named).toBeGreaterThan(5);
  });

  describe("the comparer", () => {
    const context: CompareContext = {
      commands: new Set(CHAPTER_08_COMMANDS),
      configParameters: new Set(),
    };
    const judge = (command: string, ours: string, redis: string) =>
      compareExchange(
        {
          args: command.split(" ").map((word) => Buffer.from(word)),
          protocol: 2,
          ours: replyOf(ours),
          redis: replyOf(redis),
        },
        context,
      );
    const bulk = (text: string) => `$${text.length}\r\n${text}\r\n`;
    const node = (port: number, pong = 0) =>
      `${FUZZ_NODE_ID} 127.0.0.1:${port}@${port + 10000} myself,master - 0 ${pong} 1 connected 0-16383\n`;

    it("sets each node's own port aside in CLUSTER NODES, SLOTS and SHARDS, and nothing else", () => {
      expect(
        judge("CLUSTER NODES", bulk(node(7000)), bulk(node(41234))),
      ).toEqual({ kind: "normalised", rule: "own-port" });
      expect(
        judge(
          "CLUSTER NODES",
          bulk(node(7000, 1796573276000)),
          bulk(node(41234)),
        ).kind,
      ).toBe("different");
      const slots = (port: number, end = 16383) =>
        `*1\r\n*3\r\n:0\r\n:${end}\r\n*4\r\n$9\r\n127.0.0.1\r\n:${port}\r\n${bulk(FUZZ_NODE_ID)}*0\r\n`;
      expect(judge("CLUSTER SLOTS", slots(7000), slots(41234)).kind).toBe(
        "normalised",
      );
      expect(
        judge("CLUSTER SLOTS", slots(7000, 16382), slots(41234)).kind,
      ).toBe("different");
      const shard = (port: number, role = "master") =>
        `*1\r\n*2\r\n$5\r\nnodes\r\n*1\r\n*4\r\n$4\r\nport\r\n:${port}\r\n$4\r\nrole\r\n${bulk(role)}`;
      expect(judge("CLUSTER SHARDS", shard(7000), shard(41234)).kind).toBe(
        "normalised",
      );
      expect(
        judge("CLUSTER SHARDS", shard(7000, "replica"), shard(41234)).kind,
      ).toBe("different");
    });

    it("compares CLUSTER INFO without the message counts, every other field to the byte", () => {
      const info = (sent: number, epoch = 0) =>
        bulk(
          `cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_current_epoch:${epoch}\r\ncluster_stats_messages_sent:${sent}\r\n`,
        );
      expect(judge("CLUSTER INFO", info(0), info(12))).toEqual({
        kind: "normalised",
        rule: "cluster-messages",
      });
      expect(judge("CLUSTER INFO", info(0, 1), info(12)).kind).toBe(
        "different",
      );
    });
  });
});
