/**
 * Unit tests for aof-rewrite.ts, article step "BGREWRITEAOF without fork":
 * a model-based test of the copy-on-write snapshot.
 *
 * The rewrite makes one promise: the file it writes, replayed, rebuilds
 * exactly the keyspace the live server has, however clients changed it
 * while the walk went on between its slices. That is two claims at once
 * (the snapshot describes one instant; the rewrite buffer holds every
 * write since), and the ways to break them are many and subtle: a key
 * written twice, or written from its new value and then changed again by
 * the buffer; a key renamed away before the walk reached it; a database
 * flushed or swapped half-way through its walk; a key that expires, lazily
 * or by the active cycle, in between. Rather than guess which cases to
 * write by hand, this test lets a seeded random client do everything at
 * once and compares the result with the live keyspace, key by key.
 *
 * For each seed:
 *
 * 1. a server state (createServerState, as startServer builds it, without
 *    the network) on a ManualClock, its AOF in a temporary folder;
 * 2. several databases filled, up to 2,200 keys each (the walk writes
 *    ITEMS_PER_SLICE strings or list elements per slice, so a big database
 *    takes several slices), strings, lists, hashes and sets (a few long
 *    enough to be written over several slices), some keys with deadlines, some of those
 *    already past when the rewrite starts; the lists' nodes as small as
 *    one element or as large as Redis's default, by seed;
 * 3. the rewrite starts (BGREWRITEAOF, or CONFIG SET appendonly yes), and
 *    between its slices (it yields with setImmediate; so does this test)
 *    random commands run through the command table: SET with its options,
 *    DEL, EXPIRE and friends, RENAME, COPY and MOVE to other databases,
 *    INCR, APPEND, every list command that writes (pushes, pops, LSET,
 *    LINSERT, LREM, LTRIM, LMOVE, LMPOP: lists changed in place), hash and
 *    set writes (HSET, HDEL, HINCRBY*, SADD, SREM, SPOP, SMOVE, the set
 *    algebra that stores: changed in place too, or replaced), FLUSHDB,
 *    FLUSHALL, SWAPDB, SELECT, reads that expire keys lazily; the clock
 *    moves and the active expiry cycle runs;
 * 4. once INFO would say the rewrite is over (`aof.rewriting` false), a
 *    few more writes (they go to the new file), then the file is replayed
 *    into a fresh server state, and every database compared with the live
 *    one: the same keys alive, each with the same value and deadline.
 *
 * Keys are compared at the clock's current time: a key whose deadline has
 * passed may still sit in the live table (nothing looked at it), and
 * legitimately be absent from the rewritten file.
 *
 * A failure names its seed: `it.each` runs each seed as its own test, so
 * one can be run alone with `-t "seed 17"`. The case-by-case tests first
 * pin, one at a time, the rules that the random runs found easiest to
 * break when the code was deliberately broken.
 */
import { Watcher } from "../../src/transactions/watched-keys.ts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS, createServerState } from "../../src/server.ts";
import {
  DEFAULT_CONFIG,
  type ServerConfig,
} from "../../src/config/directives.ts";
import type { CommandContext } from "../../src/dispatch/command-spec.ts";
import type { ServerState } from "../../src/dispatch/server-state.ts";
import type { Session } from "../../src/dispatch/session.ts";
import type { Reply } from "../../src/protocol/reply.ts";
import type { BlockRequest } from "../../src/blocking/block-request.ts";
import { deadlineOf, type Deadline } from "../../src/keyspace/keyspace.ts";
import type { Database } from "../../src/keyspace/database.ts";
import { loadAppendOnlyFile } from "../../src/persistence/aof-loader.ts";
import { AofReader } from "../../src/persistence/aof-reader.ts";
import {
  ITEMS_PER_COMMAND,
  ITEMS_PER_SLICE,
} from "../../src/persistence/aof-rewrite.ts";
import { Quicklist } from "../../src/types/quicklist.ts";
import { RedisSortedSet } from "../../src/types/sorted-set.ts";
import { RedisHash } from "../../src/types/hash.ts";
import { MutableString, textOf } from "../../src/types/mutable-string.ts";
import { ManualClock } from "../manual-clock.ts";
import {
  seededRandom,
  type SeededRandom,
} from "../../../../shared/seeded-random.ts";

/** Key names are `k0` ... `k2199`: the random commands hit filled keys often. */
const KEY_POOL = 2200;
/** The databases the test uses (the server has 16). */
const DATABASES = 7;
/**
 * Seeds per way of starting a rewrite: 8 keeps the file within a few
 * seconds; `AOF_REWRITE_SEEDS=500` hunts longer.
 */
const SEEDS = Array.from(
  { length: Number(process.env.AOF_REWRITE_SEEDS ?? 8) },
  (_, i) => i + 1,
);

const noTcp = () => ({
  port: 0,
  connectedClients: 0,
  totalConnectionsReceived: 0,
  rejectedConnections: 0,
  recentMaxOutputBufferBytes: 0,
});
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const folders: string[] = [];
const openServers: ServerState[] = [];
beforeEach(() => {
  // "Background AOF rewrite finished successfully", once per rewrite.
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const server of openServers.splice(0)) server.aof.close();
  for (const folder of folders.splice(0))
    rmSync(folder, { recursive: true, force: true });
});

/** One client of a server without a network: commands go straight to the table. */
class Client {
  readonly context: CommandContext;

  /**
   * Client 1 is the test's: its blocking commands answer at once, as in a
   * transaction. A waiter (`mayBlock`) may block, and is served by the
   * blocked clients, as the client loop would have it (see `wait`).
   */
  constructor(
    server: ServerState,
    id = 1,
    db = server.keyspace.database(0),
    mayBlock = false,
  ) {
    const session: Session = {
      id,
      name: Buffer.alloc(0),
      libraryName: "",
      libraryVersion: "",
      db,
      authenticated: true,
      protocol: 2,
      closeAfterReply: false,
      mayBlock,
      transaction: undefined,
      watcher: new Watcher(),
      asking: false,
      readOnly: false,
    };
    this.context = { session, commands: COMMANDS, server, loggedAs: undefined };
  }

  /** Runs a command given as byte strings, as the dispatcher would. */
  run(...words: string[]): Reply {
    const reply = this.#execute(words);
    if (reply.type === "block") throw new Error(`${words[0]} blocked`);
    return reply;
  }

  /**
   * Runs a blocking command: if it must wait, the client joins the
   * blocked clients, to be served when a key it waits on gets data.
   */
  wait(...words: string[]): void {
    const reply = this.#execute(words);
    if (reply.type !== "block") return;
    const { server, session } = this.context;
    server.blockedClients.block({
      clientId: session.id,
      db: session.db,
      request: reply,
      resume: () => {
        if (server.aof.rewriting)
          duringRewrite.set("served", (duringRewrite.get("served") ?? 0) + 1);
      },
    });
  }

  #execute(words: string[]): Reply | BlockRequest {
    const reply = COMMANDS.execute(
      words.map((word) => Buffer.from(word, "latin1")),
      this.context,
    );
    // Only a cluster node forwards (cluster-proxy): this server is none.
    if (reply.type === "forward") throw new Error(`${words[0]} forwarded`);
    return reply;
  }

  /** Runs a command that must not fail. */
  ok(...words: string[]): Reply {
    const reply = this.run(...words);
    if (reply.type === "error")
      throw new Error(`${words.join(" ")} failed: ${reply.text}`);
    return reply;
  }
}

/** Everything one seed's run works with. */
interface World {
  readonly random: SeededRandom;
  readonly clock: ManualClock;
  readonly server: ServerState;
  readonly client: Client;
  readonly dir: string;
}

function createWorld(seed: number, appendonly: boolean): World {
  const dir = mkdtempSync(join(tmpdir(), "aof-rewrite-model-"));
  folders.push(dir);
  const random = seededRandom(seed);
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    dir,
    appendonly,
    // Nodes of one element (a list is then all nodes, each shared with a
    // copy until it changes), a few, or Redis's default 8 KB.
    listMaxListpackSize: pick(random, [1, 4, -2]),
    // Hashes and sets leave their compact encodings at a few items, or at
    // Redis's defaults: both kinds get rewritten.
    hashMaxListpackEntries: pick(random, [4, 512]),
    setMaxIntsetEntries: pick(random, [4, 512]),
    // No fsync (no timers, no waiting on the disk) and no automatic
    // rewrite: the test decides when a rewrite starts.
    appendfsync: "no",
    autoAofRewritePercentage: 0,
  };
  const clock = new ManualClock();
  const server = createServerState(config, clock, noTcp);
  openServers.push(server);
  if (appendonly) server.aof.open(0);
  return {
    random,
    clock,
    server,
    client: new Client(server),
    dir,
  };
}

// #region random data
function pick<T>(random: SeededRandom, choices: readonly T[]): T {
  return choices[random.below(choices.length)]!;
}

/**
 * A key of the pool; one time in four one of the first 20, so that the
 * same key often changes several times during one rewrite.
 */
function randomKey(random: SeededRandom): string {
  return `k${random.below(random.below(4) === 0 ? 20 : KEY_POOL)}`;
}

/**
 * A value: often a number (so INCR and friends succeed), otherwise any
 * bytes, \r\n and NUL included, as one-byte-per-character text.
 */
function randomValue(random: SeededRandom): string {
  switch (random.below(4)) {
    case 0:
    case 1:
      return String(random.below(2000) - 1000);
    case 2:
      return `${random.below(100)}.5`;
    default:
      return random.bytes(random.below(12)).toString("latin1");
  }
}

/** A deadline from now: mostly soon (it may pass during the rewrite), some far. */
function randomDeadline(random: SeededRandom, now: number): string {
  switch (random.below(10)) {
    case 0:
      return String(now + 10_000_000_000);
    case 1:
      return String(2n ** 62n); // beyond 2^53: kept as a bigint
    default:
      return String(now + 1 + random.below(3000));
  }
}
// #endregion random data

/**
 * A list for `fill`: mostly short, some longer than one RPUSH, and one
 * in 300 long enough to be written over several slices.
 */
function randomList(random: SeededRandom, fill: number): Quicklist {
  const list = new Quicklist(fill);
  const length =
    random.below(300) === 0
      ? ITEMS_PER_SLICE + random.below(ITEMS_PER_SLICE)
      : random.below(10) === 0
        ? ITEMS_PER_COMMAND + random.below(200)
        : 1 + random.below(8);
  for (let i = 0; i < length; i++) list.pushTail(randomValue(random));
  return list;
}

/**
 * Fills databases 0 to 5 (6 stays empty, a target for COPY and SWAPDB):
 * each gets a random share of the key pool, a quarter of them lists, a
 * third of its keys a deadline. Then the clock moves a second, so some of those deadlines
 * are past but the keys still in the table when the rewrite starts.
 *
 * Filled through the databases rather than commands, ten times faster: what the
 * AOF held before the rewrite does not matter, the rewrite replaces it.
 */
function fill(world: World): void {
  const { random, server, clock } = world;
  for (let index = 0; index < DATABASES - 1; index++) {
    const db = server.keyspace.database(index);
    const share = pick(random, [0, 0.01, 0.1, 0.5, 1]);
    for (let n = 0; n < KEY_POOL; n++) {
      if (random.below(1000) >= share * 1000) continue;
      const key = `k${n}`;
      switch (random.below(8)) {
        case 0:
        case 1:
          db.set(key, randomList(random, server.config.listMaxListpackSize));
          break;
        case 2:
          new Client(server, 1, db).ok(...hsetWords(random, key));
          break;
        case 3:
          new Client(server, 1, db).ok(...saddWords(random, key));
          break;
        default:
          db.set(key, randomValue(random));
      }
      if (random.below(3) === 0) {
        db.setDeadline(
          key,
          deadlineOf(BigInt(randomDeadline(random, clock.now()))),
        );
      }
    }
  }
  clock.advance(1000);
}

/**
 * How many items a new hash or set gets: mostly a few, some more than one
 * command of the rewrite holds, and one in 300 more than the rewrite
 * writes from the live value (it copies those, and writes the copy over
 * several slices).
 */
function randomSize(random: SeededRandom): number {
  if (random.below(300) === 0) return 1100 + random.below(ITEMS_PER_SLICE);
  if (random.below(10) === 0) return ITEMS_PER_COMMAND + random.below(600);
  return 1 + random.below(8);
}

/** HSET of a new hash at `key`: field names few enough to collide. */
function hsetWords(random: SeededRandom, key: string): string[] {
  const words = ["HSET", key];
  const size = randomSize(random);
  for (let i = 0; i < size; i++) {
    words.push(`f${random.below(size * 2)}`, randomValue(random));
  }
  return words;
}

/** SADD of a new set at `key`: integers only (an intset) or mixed. */
function saddWords(random: SeededRandom, key: string): string[] {
  const words = ["SADD", key];
  const size = randomSize(random);
  const integers = random.below(2) === 0;
  for (let i = 0; i < size; i++) words.push(randomMember(random, integers));
  return words;
}

/** A set member: an integer (an intset keeps it as one) or, sometimes, a word. */
function randomMember(random: SeededRandom, integersOnly = false): string {
  if (integersOnly || random.below(3) > 0) {
    return String(random.below(3000) - 1000);
  }
  return `m${random.below(50)}`;
}

// #region random commands
type Operation = (world: World) => void;

/** Client ids for the waiters of the "blocking pop" operation. */
let nextWaiterId = 1000;

/**
 * An element of the list at `key` (LINDEX at a random index near an end),
 * so that LINSERT and LREM find what they look for; a random value if
 * there is none.
 */
function elementOf(random: SeededRandom, client: Client, key: string): string {
  const reply = client.run("LINDEX", key, String(random.below(6) - 3));
  if (reply.type !== "bulk") return randomValue(random);
  return typeof reply.value === "string"
    ? reply.value
    : reply.value.toString("latin1");
}

/** What the random client does, and how often (weights out of their sum). */
const OPERATIONS: readonly (readonly [number, string, Operation])[] = [
  [
    12,
    "set",
    ({ random, client, clock }) => {
      const words = ["SET", randomKey(random), randomValue(random)];
      switch (random.below(9)) {
        case 0:
          words.push("EX", String(1 + random.below(3)));
          break;
        case 1:
          words.push("PX", String(1 + random.below(2000)));
          break;
        case 2:
          words.push("PXAT", randomDeadline(random, clock.now()));
          break;
        case 3:
          words.push("KEEPTTL");
          break;
        case 4:
          words.push("NX");
          break;
        case 5:
          words.push("XX", "GET");
          break;
      }
      client.run(...words);
    },
  ],
  [6, "get", ({ random, client }) => void client.run("GET", randomKey(random))],
  [
    6,
    "del",
    ({ random, client }) =>
      void client.run("DEL", randomKey(random), randomKey(random)),
  ],
  [
    1,
    "unlink",
    ({ random, client }) => void client.run("UNLINK", randomKey(random)),
  ],
  [
    3,
    "pexpire",
    ({ random, client }) =>
      // Sometimes in the past: the key is deleted, and DEL logged.
      void client.run(
        "PEXPIRE",
        randomKey(random),
        String(random.below(3000) - 200),
      ),
  ],
  [
    2,
    "expire",
    ({ random, client }) => {
      const words = ["EXPIRE", randomKey(random), String(1 + random.below(3))];
      if (random.below(2) === 0)
        words.push(pick(random, ["NX", "XX", "GT", "LT"]));
      client.run(...words);
    },
  ],
  [
    2,
    "pexpireat",
    ({ random, client, clock }) =>
      void client.run(
        "PEXPIREAT",
        randomKey(random),
        randomDeadline(random, clock.now()),
      ),
  ],
  [
    2,
    "persist",
    ({ random, client }) => void client.run("PERSIST", randomKey(random)),
  ],
  [
    4,
    "rename",
    ({ random, client }) =>
      void client.run("RENAME", randomKey(random), randomKey(random)),
  ],
  [
    2,
    "renamenx",
    ({ random, client }) =>
      void client.run("RENAMENX", randomKey(random), randomKey(random)),
  ],
  [
    4,
    "copy",
    ({ random, client }) => {
      const words = ["COPY", randomKey(random), randomKey(random)];
      if (random.below(2) === 0)
        words.push("DB", String(random.below(DATABASES)));
      if (random.below(2) === 0) words.push("REPLACE");
      client.run(...words);
    },
  ],
  [
    5,
    "incr",
    ({ random, client }) => {
      const key = randomKey(random);
      switch (random.below(4)) {
        case 0:
          client.run("INCR", key);
          break;
        case 1:
          client.run("INCRBY", key, String(random.below(100) - 50));
          break;
        case 2:
          client.run("DECR", key);
          break;
        default:
          client.run("INCRBYFLOAT", key, "0.25");
      }
    },
  ],
  [
    3,
    "append",
    ({ random, client }) =>
      void client.run("APPEND", randomKey(random), randomValue(random)),
  ],
  [
    2,
    "setrange",
    ({ random, client }) =>
      void client.run(
        "SETRANGE",
        randomKey(random),
        String(random.below(16)),
        "xy",
      ),
  ],
  [
    2,
    "getdel",
    ({ random, client }) => void client.run("GETDEL", randomKey(random)),
  ],
  [
    2,
    "getex",
    ({ random, client, clock }) => {
      const key = randomKey(random);
      switch (random.below(3)) {
        case 0:
          client.run("GETEX", key, "PX", String(1 + random.below(2000)));
          break;
        case 1:
          client.run("GETEX", key, "PERSIST");
          break;
        default:
          client.run(
            "GETEX",
            key,
            "PXAT",
            String(clock.now() - random.below(50)),
          );
      }
    },
  ],
  [
    2,
    "getset",
    ({ random, client }) =>
      void client.run("GETSET", randomKey(random), randomValue(random)),
  ],
  [
    2,
    "mset",
    ({ random, client }) =>
      void client.run(
        pick(random, ["MSET", "MSETNX"]),
        randomKey(random),
        randomValue(random),
        randomKey(random),
        randomValue(random),
      ),
  ],
  [
    2,
    "setnx",
    ({ random, client }) =>
      void client.run("SETNX", randomKey(random), randomValue(random)),
  ],
  [
    2,
    "setex",
    ({ random, client }) =>
      void (random.below(2) === 0
        ? client.run("SETEX", randomKey(random), "2", randomValue(random))
        : client.run(
            "PSETEX",
            randomKey(random),
            String(1 + random.below(2000)),
            randomValue(random),
          )),
  ],
  [
    5,
    "select",
    ({ random, client }) =>
      void client.run("SELECT", String(random.below(DATABASES))),
  ],
  [1, "randomkey", ({ client }) => void client.run("RANDOMKEY")],
  [
    1,
    "scan",
    ({ random, client }) =>
      void client.run("SCAN", String(random.below(4096)), "COUNT", "50"),
  ],
  [
    3,
    "move",
    ({ random, client }) =>
      void client.run(
        "MOVE",
        randomKey(random),
        String(random.below(DATABASES)),
      ),
  ],
  [
    8,
    "push",
    ({ random, client }) => {
      const words = [
        pick(random, ["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]),
        randomKey(random),
      ];
      const count = random.below(20) === 0 ? 100 : 1 + random.below(4);
      for (let i = 0; i < count; i++) words.push(randomValue(random));
      client.run(...words);
    },
  ],
  [
    6,
    "pop",
    ({ random, client }) => {
      const words = [pick(random, ["LPOP", "RPOP"]), randomKey(random)];
      // Sometimes more than the list holds: the last pop deletes the key.
      if (random.below(2) === 0) words.push(pick(random, ["1", "3", "500"]));
      client.run(...words);
    },
  ],
  [
    2,
    "lset",
    ({ random, client }) =>
      void client.run(
        "LSET",
        randomKey(random),
        String(random.below(10) - 5),
        randomValue(random),
      ),
  ],
  [
    2,
    "linsert",
    ({ random, client }) => {
      const key = randomKey(random);
      const pivot = elementOf(random, client, key);
      client.run(
        "LINSERT",
        key,
        pick(random, ["BEFORE", "AFTER"]),
        pivot,
        randomValue(random),
      );
    },
  ],
  [
    2,
    "lrem",
    ({ random, client }) => {
      const key = randomKey(random);
      const value = elementOf(random, client, key);
      client.run("LREM", key, String(random.below(5) - 2), value);
    },
  ],
  [
    2,
    "ltrim",
    ({ random, client }) =>
      void client.run(
        "LTRIM",
        randomKey(random),
        String(random.below(4)),
        String(-1 - random.below(4)),
      ),
  ],
  [
    4,
    "lmove",
    ({ random, client }) => {
      if (random.below(4) === 0) {
        client.run("RPOPLPUSH", randomKey(random), randomKey(random));
        return;
      }
      client.run(
        "LMOVE",
        randomKey(random),
        randomKey(random),
        pick(random, ["LEFT", "RIGHT"]),
        pick(random, ["LEFT", "RIGHT"]),
      );
    },
  ],
  [
    2,
    "lmpop",
    ({ random, client }) =>
      void client.run(
        "LMPOP",
        "2",
        randomKey(random),
        randomKey(random),
        pick(random, ["LEFT", "RIGHT"]),
        "COUNT",
        String(1 + random.below(4)),
      ),
  ],
  [
    3,
    "blocking pop",
    ({ random, client, server }) => {
      // A new client waits (forever: no timers) in the database the test's
      // client has selected; at most 20 at a time.
      if (server.blockedClients.count >= 20) return;
      const waiter = new Client(
        server,
        nextWaiterId++,
        client.context.session.db,
        true,
      );
      const [key, other] = [randomKey(random), randomKey(random)];
      const end = () => pick(random, ["LEFT", "RIGHT"]);
      switch (random.below(5)) {
        case 0:
          waiter.wait("BLPOP", key, other, "0");
          break;
        case 1:
          waiter.wait("BRPOP", key, "0");
          break;
        case 2:
          waiter.wait("BLMOVE", key, other, end(), end(), "0");
          break;
        case 3:
          waiter.wait("BRPOPLPUSH", key, other, "0");
          break;
        default:
          waiter.wait("BLMPOP", "0", "2", key, other, end(), "COUNT", "2");
      }
    },
  ],
  [
    6,
    "hash write",
    ({ random, client }) => {
      const key = randomKey(random);
      const field = `f${random.below(12)}`;
      switch (random.below(6)) {
        case 0:
          client.run(...hsetWords(random, key));
          break;
        case 1:
          client.run("HSET", key, field, randomValue(random));
          break;
        case 2:
          client.run("HDEL", key, field, `f${random.below(12)}`);
          break;
        case 3:
          client.run("HINCRBY", key, field, String(random.below(10) - 5));
          break;
        case 4:
          client.run("HINCRBYFLOAT", key, field, "0.1");
          break;
        default:
          client.run("HSETNX", key, field, randomValue(random));
      }
    },
  ],
  [
    6,
    "set write",
    ({ random, client }) => {
      const key = randomKey(random);
      switch (random.below(7)) {
        case 0:
          client.run(...saddWords(random, key));
          break;
        case 1:
          client.run("SADD", key, randomMember(random), randomMember(random));
          break;
        case 2:
          client.run("SREM", key, randomMember(random), randomMember(random));
          break;
        case 3:
          // Sometimes more than the set holds: the key goes.
          client.run("SPOP", key, pick(random, ["1", "3", "500"]));
          break;
        case 4:
          client.run("SMOVE", key, randomKey(random), randomMember(random));
          break;
        default:
          client.run(
            pick(random, ["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
            key,
            randomKey(random),
            randomKey(random),
          );
      }
    },
  ],
  [0.4, "flushdb", ({ client }) => void client.run("FLUSHDB")],
  [0.02, "flushall", ({ client }) => void client.run("FLUSHALL")],
  [
    0.8,
    "swapdb",
    ({ random, client }) =>
      void client.run(
        "SWAPDB",
        String(random.below(DATABASES)),
        String(random.below(DATABASES)),
      ),
  ],
  [
    0.5,
    "bgrewriteaof",
    ({ client, server }) => {
      // One rewrite at a time; this test never starts a second one.
      if (server.aof.rewriting)
        expect(client.run("BGREWRITEAOF")).toEqual({
          type: "error",
          text: "ERR Background append only file rewriting already in progress",
        });
    },
  ],
  [3, "time passes", ({ random, clock }) => clock.advance(random.below(40))],
  [1, "active expiry", ({ server }) => server.activeExpiry.runCycle(25)],
];

const TOTAL_WEIGHT = OPERATIONS.reduce((sum, [weight]) => sum + weight, 0);

/** How many times each operation ran while a rewrite was in progress, over every seed. */
const duringRewrite = new Map<string, number>();

function randomOperation(world: World): void {
  let at = (world.random.below(1_000_000) / 1_000_000) * TOTAL_WEIGHT;
  for (const [weight, name, operation] of OPERATIONS) {
    at -= weight;
    if (at < 0) {
      if (world.server.aof.rewriting)
        duringRewrite.set(name, (duringRewrite.get(name) ?? 0) + 1);
      operation(world);
      // As the client loop does after every command: a key that got data
      // serves the clients waiting on it (they pop or move, in place).
      world.server.blockedClients.serveReadyKeys();
      return;
    }
  }
}

/**
 * A few random commands: `heavy` while the walk is likely still going (it
 * takes a turn per ITEMS_PER_SLICE strings or list elements), so that
 * many keys change before the walk reaches them; lighter later, while the
 * snapshot is synced.
 */
function someOperations(world: World, heavy = false): void {
  const { random } = world;
  const count = heavy
    ? random.below(10) === 0
      ? 400
      : random.below(80)
    : random.below(12);
  for (let i = 0; i < count; i++) randomOperation(world);
}
// #endregion random commands

/**
 * Lets the rewrite run to its end, a slice at a time, with random
 * commands between its slices (and while its fsync runs on the thread
 * pool, and between the fsync and the swap).
 */
async function rewriteWithTraffic(world: World): Promise<void> {
  let turns = 0;
  while (world.server.aof.rewriting) {
    if (++turns > 200_000) throw new Error("the rewrite never finished");
    someOperations(world, turns <= 20);
    await nextTurn();
  }
}

// #region comparison
/**
 * A key's value and deadline, as `peek` gives them; a list as its
 * elements, so that lists of two servers compare by content.
 */
interface Stored {
  value: string | readonly string[];
  deadline: Deadline | undefined;
}

/**
 * A key as comparable content: a string itself, a list's elements in
 * order, a hash's fields and values and a set's members, sorted (their
 * order is a hash table's, which need not survive a replay), a sorted
 * set's members and scores in its order. Not the
 * encoding: a hash made a hashtable by a long value that is gone since
 * comes back from the file as a listpack, in Redis too.
 */
function storedOf(db: Database, key: string): Stored {
  const { value, deadline } = db.peek(key)!;
  if (typeof value === "string" || value instanceof MutableString) {
    return { value: textOf(value), deadline };
  }
  if (value instanceof Quicklist) {
    const elements = [...value.entries()].map(([, element]) => element);
    return { value: elements, deadline };
  }
  if (value instanceof RedisHash) {
    const pairs = [...value.entries()].map(([field, v]) => `${field}=${v}`);
    return { value: pairs.sort(), deadline };
  }
  if (value instanceof RedisSortedSet) {
    const scored = [...value.entries()].map(([m, score]) => `${m}=${score}`);
    return { value: scored, deadline };
  }
  return { value: [...value.members()].sort(), deadline };
}

/** Every key alive at the clock's time, in every database: "3 k12" → its value and deadline. */
function aliveKeys(server: ServerState): Map<string, Stored> {
  const { keyspace } = server;
  keyspace.newInstant();
  const alive = new Map<string, Stored>();
  for (let index = 0; index < keyspace.count; index++) {
    const db = keyspace.existingDatabase(index);
    if (db === undefined) continue;
    for (const key of db.keys())
      alive.set(`${index} ${key}`, storedOf(db, key));
  }
  return alive;
}

function describeStored(stored: Stored | undefined): string {
  if (stored === undefined) return "absent";
  const { value, deadline } = stored;
  const text = JSON.stringify(value);
  const shown =
    text.length > 300
      ? `${text.slice(0, 300)}... (${value.length} elements)`
      : text;
  return `${shown} until ${deadline ?? "for ever"}`;
}

/** The first differences between two keyspaces, one line each. */
function differences(
  live: Map<string, Stored>,
  replayed: Map<string, Stored>,
): string[] {
  const found: string[] = [];
  for (const name of new Set([...live.keys(), ...replayed.keys()])) {
    const a = live.get(name);
    const b = replayed.get(name);
    const sameValue = JSON.stringify(a?.value) === JSON.stringify(b?.value);
    if (sameValue && a?.deadline === b?.deadline) continue;
    const [db, ...key] = name.split(" ");
    found.push(
      `db ${db} key ${JSON.stringify(key.join(" "))}: live ${describeStored(a)}, replayed ${describeStored(b)}`,
    );
  }
  return found;
}

/** Replays the AOF into a fresh server state and compares it with the live one. */
function expectFileMatchesLiveKeyspace(world: World, when: string): void {
  world.server.aof.flush(); // writes what this turn logged
  const fresh = createServerState(
    { ...world.server.config },
    world.clock,
    noTcp,
  );
  loadAppendOnlyFile(world.server.aof.path, COMMANDS, fresh);
  const live = aliveKeys(world.server);
  const replayed = aliveKeys(fresh);
  const diff = differences(live, replayed);
  expect(
    diff.slice(0, 10),
    `${when}: ${diff.length} of ${live.size} keys differ`,
  ).toEqual([]);
}

function expectOnlyTheAofLeft(world: World): void {
  const files = readdirSync(world.dir);
  expect(files, "the temporary file is renamed or deleted").toEqual(
    existsSync(world.server.aof.path) ? ["appendonly.aof"] : [],
  );
}
// #endregion comparison

/** Waits for the rewrite to end, with no traffic. */
async function quietRewrite(world: World): Promise<void> {
  for (let turns = 0; world.server.aof.rewriting; turns++) {
    if (turns > 100_000) throw new Error("the rewrite never finished");
    await nextTurn();
  }
}

/** The commands of the AOF, each as its words joined by spaces. */
function commandsInFile(path: string): string[] {
  const reader = new AofReader(path);
  const commands: string[] = [];
  try {
    for (;;) {
      const entry = reader.next();
      if (entry.kind !== "command") {
        expect(entry.kind).toBe("end");
        return commands;
      }
      commands.push(entry.args.map((arg) => arg.toString("latin1")).join(" "));
    }
  } finally {
    reader.close();
  }
}

describe("what the rewrite writes, case by case", () => {
  it("one SET per live key and a PEXPIREAT per deadline, database by database; keys expired at the start are left out", async () => {
    const world = createWorld(1, true);
    const { client, clock } = world;
    const soon = clock.now() + 10;
    const later = clock.now() + 5000;
    client.ok("SET", "a", "1");
    client.ok("SET", "b", "2");
    client.ok("PEXPIREAT", "b", String(later));
    client.ok("SET", "gone", "x");
    client.ok("PEXPIREAT", "gone", String(soon));
    client.ok("SELECT", "3");
    client.ok("SET", "c", "\r\n\0\xff");
    client.ok("SET", "d", "4");
    client.ok("DEL", "d");
    for (let i = 0; i < 3; i++) client.ok("INCR", "n");
    // `gone` has expired, and nothing has looked at it: it is still in
    // the table, but not in the keyspace the file must describe.
    clock.advance(100);
    client.ok("BGREWRITEAOF");
    await quietRewrite(world);

    const commands = commandsInFile(world.server.aof.path);
    // Within a database, keys come in the hash table's order, which is
    // random: compare each database's commands as a set, a key's
    // PEXPIREAT glued to its SET.
    const db0 = commands.slice(1, 4);
    const db3 = commands.slice(5);
    expect(commands[0]).toBe("SELECT 0");
    expect(commands[4]).toBe("SELECT 3");
    expect(commands[commands.indexOf("SET b 2") + 1]).toBe(
      `PEXPIREAT b ${later}`,
    );
    expect(db0.sort()).toEqual(["PEXPIREAT b " + later, "SET a 1", "SET b 2"]);
    expect(db3.sort()).toEqual(["SET c \r\n\0\xff", "SET n 3"]);
  });

  it.each(["a lookup", "the active expiry cycle"])(
    "a key that expires during the rewrite (by %s) is in the snapshot as it was, for the writes that used it before",
    async (how) => {
      // `k` is alive when the rewrite starts; COPY reads it without
      // changing it, then it expires before the walk reaches it. The
      // rewrite buffer holds COPY, PERSIST and DEL: replaying the COPY
      // needs `k` in the snapshot, so its expiry must keep its pre-image
      // like any other change.
      const world = createWorld(2, true);
      const { client, clock, server } = world;
      client.ok("SET", "k", "v");
      client.ok("PEXPIREAT", "k", String(clock.now() + 100));
      client.ok("BGREWRITEAOF");
      // All before the walk's first slice, in this same turn.
      client.ok("COPY", "k", "k2");
      client.ok("PERSIST", "k2");
      clock.advance(200);
      if (how === "a lookup") client.ok("GET", "k");
      else server.activeExpiry.runCycle(25);
      expect(server.keyspace.database(0).peek("k")).toBeUndefined();
      await quietRewrite(world);
      expectFileMatchesLiveKeyspace(world, "after the rewrite");
      expect(aliveKeys(server)).toEqual(
        new Map([["0 k2", { value: "v", deadline: undefined }]]),
      );
    },
  );

  it("a key changed twice before the walk reaches it is written as it was at the start, once", async () => {
    // Its pre-image is taken at the first change, and never replaced: the
    // snapshot has 10, and the buffer both INCRs.
    const world = createWorld(4, true);
    const { client } = world;
    client.ok("SET", "n", "10");
    client.ok("BGREWRITEAOF");
    client.ok("INCR", "n");
    client.ok("INCR", "n");
    await quietRewrite(world);
    expect(commandsInFile(world.server.aof.path)).toEqual([
      "SELECT 0",
      "SET n 10",
      "SELECT 0",
      "INCR n",
      "INCR n",
    ]);
    expectFileMatchesLiveKeyspace(world, "after the rewrite");
  });

  it("a database flushed half-way through its walk is written out whole first, as it was at the start", async () => {
    const world = createWorld(3, true);
    const { client } = world;
    const keys = Math.floor(2.5 * ITEMS_PER_SLICE); // three slices
    for (let i = 0; i < keys; i++) client.ok("SET", `k${i}`, String(i));
    client.ok("BGREWRITEAOF");
    await nextTurn(); // the first slice
    client.ok("FLUSHDB");
    client.ok("SET", "after", "1");
    await quietRewrite(world);

    const commands = commandsInFile(world.server.aof.path);
    const sets = commands.filter((command) => command.startsWith("SET k"));
    expect(new Set(sets).size).toBe(keys);
    expect(commands.slice(-3)).toEqual(["SELECT 0", "FLUSHDB", "SET after 1"]);
    expectFileMatchesLiveKeyspace(world, "after the rewrite");
  });
});

// #region list cases
/** The snapshot part of a rewritten file: up to the SELECT that starts the rewrite buffer. */
function snapshotPart(commands: readonly string[]): string[] {
  const buffer = commands.indexOf("SELECT 0", 1);
  return buffer < 0 ? [...commands] : commands.slice(0, buffer);
}

/**
 * The elements the RPUSH commands of `commands` give `key`, in order,
 * checking that none carries more than ITEMS_PER_COMMAND of them.
 */
function pushedTo(commands: readonly string[], key: string): string[] {
  const elements: string[] = [];
  for (const command of commands) {
    const [name, target, ...words] = command.split(" ");
    if (name !== "RPUSH" || target !== key) continue;
    expect(words.length).toBeLessThanOrEqual(ITEMS_PER_COMMAND);
    elements.push(...words);
  }
  return elements;
}

/** `count` elements `e0`, `e1`, ...: pushed with one RPUSH each `ITEMS_PER_COMMAND`. */
function pushElements(client: Client, key: string, count: number): string[] {
  const elements = Array.from({ length: count }, (_, i) => `e${i}`);
  for (let i = 0; i < count; i += ITEMS_PER_COMMAND) {
    client.ok("RPUSH", key, ...elements.slice(i, i + ITEMS_PER_COMMAND));
  }
  return elements;
}

/** The rewrite's temporary file, read as it is so far (whole commands: a slice writes those). */
function temporaryFileCommands(world: World): string[] {
  const path = join(world.dir, `temp-rewriteaof-${process.pid}.aof`);
  return existsSync(path) ? commandsInFile(path) : [];
}

describe("lists, changed in place during the rewrite", () => {
  // l is [a b c] and m is [y z] when the rewrite starts; the changes run
  // in the same turn, before the walk's first slice. Nodes of one element
  // each, so that every node of a copy is shared with the live list until
  // the change.
  const changes: [string, string[][]][] = [
    ["LPUSH onto it", [["LPUSH", "l", "x", "w"]]],
    ["RPUSH onto it", [["RPUSH", "l", "x"]]],
    ["LPOP", [["LPOP", "l"]]],
    ["RPOP of every element, which deletes it", [["RPOP", "l", "10"]]],
    ["LSET", [["LSET", "l", "1", "x"]]],
    ["LINSERT", [["LINSERT", "l", "BEFORE", "b", "x"]]],
    ["LREM", [["LREM", "l", "0", "b"]]],
    ["LTRIM", [["LTRIM", "l", "1", "1"]]],
    ["LMOVE from it to the other list", [["LMOVE", "l", "m", "LEFT", "RIGHT"]]],
    [
      "LMOVE from the other list onto it",
      [["LMOVE", "m", "l", "LEFT", "LEFT"]],
    ],
    ["RPOPLPUSH onto itself", [["RPOPLPUSH", "l", "l"]]],
    ["LMPOP", [["LMPOP", "2", "l", "m", "RIGHT", "COUNT", "2"]]],
    [
      "RENAME onto the other list",
      [
        ["RENAME", "l", "m"],
        ["LPUSH", "m", "x"],
      ],
    ],
    [
      "COPY over the other list",
      [
        ["COPY", "l", "m", "REPLACE"],
        ["LPOP", "m"],
      ],
    ],
    [
      "MOVE to another database",
      [
        ["MOVE", "l", "1"],
        ["RPUSH", "l", "x"],
      ],
    ],
    ["DEL", [["DEL", "l"]]],
    ["SET over it", [["SET", "l", "x"]]],
    ["PEXPIRE", [["PEXPIRE", "l", "100000"]]],
    [
      "two changes",
      [
        ["LPOP", "l"],
        ["RPUSH", "l", "x", "y"],
      ],
    ],
  ];
  it.each(changes)(
    "%s before the walk reaches the list: the snapshot has it as it was at the start",
    async (_, commands) => {
      const world = createWorld(5, true);
      const { client } = world;
      client.ok("CONFIG", "SET", "list-max-listpack-size", "1");
      client.ok("RPUSH", "l", "a", "b", "c");
      client.ok("RPUSH", "m", "y", "z");
      client.ok("BGREWRITEAOF");
      for (const command of commands) client.ok(...command);
      await quietRewrite(world);

      const snapshot = snapshotPart(commandsInFile(world.server.aof.path));
      expect(snapshot.sort()).toEqual([
        "RPUSH l a b c",
        "RPUSH m y z",
        "SELECT 0",
      ]);
      expectFileMatchesLiveKeyspace(world, "after the rewrite");
    },
  );

  it("clients served during the rewrite change lists in place like any command: a BLMOVE into a list the walk has not reached", async () => {
    const world = createWorld(10, true);
    const { client, server } = world;
    client.ok("RPUSH", "l", "a", "b", "c");
    const db = server.keyspace.database(0);
    const mover = new Client(server, 2, db, true);
    const popper = new Client(server, 3, db, true);
    mover.wait("BLMOVE", "q", "l", "RIGHT", "LEFT", "0");
    popper.wait("BLPOP", "l", "q", "0"); // l has data: served at once
    client.ok("BGREWRITEAOF");
    client.ok("RPUSH", "q", "x", "y");
    server.blockedClients.serveReadyKeys(); // the mover: LMOVE q l
    expect(server.blockedClients.count).toBe(0);
    await quietRewrite(world);

    const file = commandsInFile(world.server.aof.path);
    expect(snapshotPart(file)).toEqual(["SELECT 0", "RPUSH l b c"]);
    expect(file.slice(2)).toEqual([
      "SELECT 0",
      "RPUSH q x y",
      "LMOVE q l right left",
    ]);
    expectFileMatchesLiveKeyspace(world, "after the rewrite");
  });

  it("a list the walk has written is neither copied nor written again when it changes", async () => {
    // Enough lists for three slices; after the first one, every list
    // changes: those written already must not be written twice (RPUSH is
    // not idempotent), those not yet reached must be written as they were.
    const world = createWorld(6, true);
    const { client } = world;
    const lists = Math.floor((2.5 * ITEMS_PER_SLICE) / 4);
    for (let i = 0; i < lists; i++)
      client.ok("RPUSH", `l${i}`, "a", "b", "c", "d");
    client.ok("BGREWRITEAOF");
    await nextTurn(); // the first slice
    const writtenEarly = new Set(
      temporaryFileCommands(world)
        .filter((command) => command.startsWith("RPUSH "))
        .map((command) => command.split(" ")[1]!),
    );
    expect(writtenEarly.size).toBeGreaterThan(0);
    expect(writtenEarly.size).toBeLessThan(lists);
    for (let i = 0; i < lists; i++) {
      client.ok("LPUSH", `l${i}`, "x");
      client.ok("RPOP", `l${i}`);
    }
    await quietRewrite(world);

    const snapshot = snapshotPart(commandsInFile(world.server.aof.path));
    const rpush = snapshot.filter((command) => command.startsWith("RPUSH "));
    expect(rpush.length).toBe(lists);
    expect(new Set(rpush)).toEqual(
      new Set(Array.from({ length: lists }, (_, i) => `RPUSH l${i} a b c d`)),
    );
    expectFileMatchesLiveKeyspace(world, "after the rewrite");
  });

  it("a list that SCAN visits twice (the table shrank under the walk) is written once", async () => {
    // SCAN returns a key twice when the table halves under it: the buckets
    // of a group already walked are walked again, merged with the rest.
    // A SET written twice is harmless; an RPUSH written twice doubles the
    // list. 16 slices of one-element lists; after the first slice, every
    // list not written yet is deleted, and the table shrinks 16-fold.
    const world = createWorld(9, true);
    const { client, server } = world;
    const db = server.keyspace.database(0);
    const lists = 16 * ITEMS_PER_SLICE;
    for (let i = 0; i < lists; i++) {
      const list = new Quicklist();
      list.pushTail("a");
      db.set(`l${i}`, list);
    }
    client.ok("BGREWRITEAOF");
    await nextTurn(); // the first slice
    const writtenEarly = new Set(
      temporaryFileCommands(world).map((command) => command.split(" ")[1]),
    );
    const doomed: string[] = [];
    for (let i = 0; i < lists; i++) {
      if (!writtenEarly.has(`l${i}`)) doomed.push(`l${i}`);
    }
    for (let i = 0; i < doomed.length; i += 1000) {
      client.ok("DEL", ...doomed.slice(i, i + 1000));
    }
    expect(db.size).toBeLessThan(lists / 10); // so the table shrank
    await quietRewrite(world);

    const snapshot = snapshotPart(commandsInFile(world.server.aof.path));
    const rpush = snapshot.filter((command) => command.startsWith("RPUSH "));
    expect(rpush.length).toBe(lists);
    expect(new Set(rpush).size).toBe(lists);
    expectFileMatchesLiveKeyspace(world, "after the rewrite");
  });

  it(`a long list is written from a copy over several slices, at most ${ITEMS_PER_SLICE} elements each, while it changes`, async () => {
    const world = createWorld(7, true);
    const { client } = world;
    const elements = pushElements(client, "l", 3 * ITEMS_PER_SLICE + 10);
    client.ok("PEXPIREAT", "l", String(world.clock.now() + 1_000_000));
    client.ok("BGREWRITEAOF");
    // Between the slices, changes of every kind: each must leave the
    // elements still to be written as they were.
    const changes = [
      ["LPOP", "l"],
      ["RPUSH", "l", "new"],
      ["LSET", "l", "-1", "changed"],
      ["LTRIM", "l", "100", "-100"],
      ["RENAME", "l", "l2"],
    ];
    const writtenPerTurn: number[] = [];
    let before = 0;
    while (world.server.aof.rewriting) {
      await nextTurn();
      const written = pushedTo(temporaryFileCommands(world), "l").length;
      writtenPerTurn.push(written - before);
      before = written;
      const change = changes.shift();
      if (change !== undefined) client.ok(...change);
    }

    const file = commandsInFile(world.server.aof.path);
    const snapshot = snapshotPart(file);
    expect(pushedTo(snapshot, "l")).toEqual(elements);
    // Its deadline follows its last element.
    const lastPush = snapshot
      .map((command) => command.startsWith("RPUSH l "))
      .lastIndexOf(true);
    expect(snapshot[lastPush + 1]).toMatch(/^PEXPIREAT l \d+$/);
    expect(Math.max(...writtenPerTurn)).toBeLessThanOrEqual(ITEMS_PER_SLICE);
    expect(writtenPerTurn.filter((n) => n > 0).length).toBeGreaterThanOrEqual(
      4,
    );
    expectFileMatchesLiveKeyspace(world, "after the rewrite");
  });

  it.each(["FLUSHDB", "FLUSHALL", "SWAPDB 0 1"])(
    "%s while a long list is being written: the rest of it is still written, from its copy",
    async (command) => {
      const world = createWorld(8, true);
      const { client } = world;
      const elements = pushElements(client, "l", 2 * ITEMS_PER_SLICE + 10);
      client.ok("RPUSH", "short", "a", "b");
      client.ok("SELECT", "1");
      pushElements(client, "other", 2 * ITEMS_PER_SLICE);
      client.ok("SELECT", "0");
      client.ok("BGREWRITEAOF");
      await nextTurn(); // the first slice: part of one long list
      client.ok(...command.split(" "));
      client.ok("RPUSH", "l", "after");
      await quietRewrite(world);

      const file = commandsInFile(world.server.aof.path);
      expect(pushedTo(snapshotPart(file), "l")).toEqual(elements);
      expect(file.slice(-3)).toEqual(["SELECT 0", command, "RPUSH l after"]);
      expectFileMatchesLiveKeyspace(world, "after the rewrite");
    },
  );
});
// #endregion list cases

describe("the rewritten file replays to the live keyspace, whatever clients did during the rewrite", () => {
  it.each(SEEDS)(
    "BGREWRITEAOF with the AOF on, twice (seed %i)",
    async (seed) => {
      const world = createWorld(seed, true);
      const { client, server } = world;
      fill(world);
      for (let round = 1; round <= 2; round++) {
        // Writes in the same turn as BGREWRITEAOF, before and after it: the
        // ones before are in the snapshot, the ones after in the buffer.
        someOperations(world);
        expect(client.ok("BGREWRITEAOF")).toEqual({
          type: "simple",
          text: "Background append only file rewriting started",
        });
        someOperations(world);
        await rewriteWithTraffic(world);
        expect(server.aof.stats).toMatchObject({
          rewrites: round,
          lastRewriteStatus: "ok",
        });
        expectFileMatchesLiveKeyspace(world, `right after rewrite ${round}`);
        // New writes land after the rewritten file's last command, in the
        // right database.
        someOperations(world);
        await nextTurn();
        someOperations(world);
        expectFileMatchesLiveKeyspace(world, `writes after rewrite ${round}`);
        expectOnlyTheAofLeft(world);
      }
    },
  );

  it.each(SEEDS)(
    "CONFIG SET appendonly yes: the file is created by a rewrite (seed %i)",
    async (seed) => {
      const world = createWorld(seed + 100, false);
      const { client, server } = world;
      fill(world);
      expect(existsSync(server.aof.path)).toBe(false);
      client.ok("CONFIG", "SET", "appendonly", "yes");
      expect(server.aof.rewriting).toBe(true);
      // Until the rewrite is done, writes wait in the rewrite buffer only.
      await rewriteWithTraffic(world);
      expect(server.aof.enabled).toBe(true);
      expectFileMatchesLiveKeyspace(world, "right after the rewrite");
      someOperations(world);
      await nextTurn();
      someOperations(world);
      expectFileMatchesLiveKeyspace(world, "writes after the rewrite");
      expectOnlyTheAofLeft(world);
    },
  );

  it.each(SEEDS)(
    "BGREWRITEAOF with the AOF off writes a file of the live keyspace (seed %i)",
    async (seed) => {
      const world = createWorld(seed + 200, false);
      const { client, server } = world;
      fill(world);
      client.ok("BGREWRITEAOF");
      await rewriteWithTraffic(world);
      expect(server.aof.enabled).toBe(false);
      expect(server.aof.stats.rewrites).toBe(1);
      // Nothing was written after the swap: the file is the snapshot plus
      // the writes made during the rewrite, no more.
      expectFileMatchesLiveKeyspace(world, "right after the rewrite");
      expectOnlyTheAofLeft(world);
    },
  );

  // Runs last (tests of a file run in order), and only with the seeds.
  it("the seeds did, during rewrites, what this file says they do", () => {
    for (const name of [
      "flushdb",
      "swapdb",
      "rename",
      "copy",
      "move",
      "incr",
      "push",
      "pop",
      "lset",
      "linsert",
      "lrem",
      "ltrim",
      "lmove",
      "lmpop",
      "blocking pop",
      "served",
      "active expiry",
      "time passes",
    ]) {
      expect(duringRewrite.get(name) ?? 0, name).toBeGreaterThan(5);
    }
  });
});
