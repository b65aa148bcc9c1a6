/**
 * Chapter 08: cluster.
 *
 * Chapter 07's server, which can be a node of a Redis Cluster: with
 * `cluster-enabled yes` its keys live in 16384 hash slots, a command for
 * a slot another node serves is answered with where to go (MOVED), and
 * the nodes keep one another up to date over a second port, the cluster
 * bus, in Redis 7.0's own binary format, so that a real redis-server can
 * be one of them (cluster/). With cluster mode off it is chapter 07's.
 */
// #region layout
/*
 * Where everything is, in src/:
 *
 * main.ts                      command line → config → start; banner, signals
 * server.ts                    this file: startServer, COMMANDS, shared state
 * config/                      settings, read as redis-server reads them
 *   config-file.ts             reads arguments and config files; never changes
 *   directives.ts              ServerConfig, defaults, directive table; grows
 *   config-values.ts           one value: addresses, integers, sizes, yes/no
 *   output-buffer-limits.ts    client-output-buffer-limit, read and shown
 *   encoding-directives.ts     how values are stored: list-max-listpack-size,
 *                              hash-max-listpack-entries, ...
 *   cluster-directives.ts      cluster-enabled, cluster-node-timeout, ...
 * network/                     TCP, knowing nothing of Redis
 *   tcp-server.ts              listening socket, the connections, shutdown
 *   file-limit.ts              how many clients the file limit leaves room for
 *   connection.ts              one socket: back-pressure, errors, polite close
 * protocol/                    RESP: bytes in, replies out
 *   input-buffer.ts            bytes not parsed yet, without quadratic copies
 *   resp-parser.ts             RESP requests, incrementally, Redis's limits
 *   inline.ts                  commands typed as a line of text, as in telnet
 *   reply.ts                   reply values and their one encoder
 *   double-text.ts             doubles as Redis 7.0 writes them (%.17g)
 * dispatch/                    from a parsed command to its reply
 *   client-loop.ts             the per-client loop: bytes → commands → replies
 *   end-of-turn.ts             Redis's beforeSleep: ready keys, then the AOF
 *   connected-clients.ts       every client, by id, for CLIENT LIST and KILL
 *   output-limit.ts            client-output-buffer-limit, enforced
 *   command-table.ts           the dispatcher: lookup, arity, AUTH; AOF logging
 *   command-spec.ts            a command: arity, flags, keys, docs, run()
 *   session.ts                 one connection's state: database, name, AUTH
 *   server-state.ts            what all connections share: data, settings
 *   protected-mode.ts          who protected mode turns away, and its words
 *   arguments.ts               reading a client's arguments
 * blocking/                    clients that wait for data (BLPOP and kin)
 *   block-request.ts           what a command that must wait answers
 *   blocked-clients.ts         the waiting clients, ready keys, serving them
 *   timeout.ts                 a blocking command's timeout, read as Redis does
 * cluster/                     cluster mode: slots, routing, the bus
 *   hash-slot.ts               CRC16 and hash tags: the slot of a key
 *   slot-index.ts              database 0's keys by slot, for GETKEYSINSLOT
 *   routing.ts                 serve here, or MOVED / CROSSSLOT / CLUSTERDOWN
 *   redirect-errors.ts         Redis's words for CROSSSLOT and CLUSTERDOWN
 *   cluster.ts                 cluster mode put together: state, file, bus
 *   cluster-state.ts           the nodes, who owns each slot, epochs, ok/fail
 *   cluster-node.ts            one node: name, address, flags, slots
 *   nodes-file.ts              nodes.conf, Redis's format, written atomically
 *   cluster-bus.ts             the bus's links and its cron: PINGs, PFAIL
 *   bus-receive.ts             what a bus message means: handshake, gossip
 *   bus-send.ts                what this node sends: headers, gossip, FAIL
 *   slot-claims.ts             who serves a slot: the higher config epoch
 *   bus-message.ts             the messages, byte for byte as Redis 7.0's
 *   bus-link.ts                one bus connection, cut into messages
 *   failure-detection.ts       failure reports, FAIL by majority, forgiving
 *   migrate-connections.ts     MIGRATE's cached connections, 64 at most, 10 s
 *   migrate-exchange.ts        MIGRATE's AUTH, SELECT, RESTOREs and their answers
 *   proxy/                     cluster-proxy yes (ours, not Redis): forwarding
 *     forwarding.ts            which commands go to the slot's owner, and how
 *     peer-pool.ts             pooled connections to the other nodes
 *     peer-connection.ts       one pipelined connection: FIFO, bounds, deadline
 *     reply-reader.ts          the reply side of RESP: whole replies, values
 *   tcc/                       proxy mode's keys across nodes (not Redis)
 *     across-slots.ts          keys in several slots: here, forwarded, or TCC
 *     cross-node-writes.ts     the coordinator: try, confirm, cancel
 *     scatter-gather.ts        MGET across nodes
 *     tcc-participant.ts       a node's side: locks, outcomes, expired locks
 *     tcc-writes.ts            what each node's part locks, checks, applies
 *     participant-links.ts     the participant wired to the node and its peers
 *     tcc-test-hooks.ts        tests only: crash at a named point, short locks
 * transactions/                MULTI ... EXEC and WATCH
 *   transaction.ts             one client's queue of commands, bounded
 *   watched-keys.ts            who watches which key; a change marks them
 *   undo-log.ts                multi-rollback yes (not Redis): undoing EXEC
 * keyspace/                    where the data lives
 *   keyspace.ts                keys, values, deadlines; the numbered databases
 *   database.ts                one database: values, deadlines, lazy expiry
 *   dict.ts                    hash table with Redis's resumable SCAN
 *   object-header.ts           per key: last use (LRU clock), how it was made
 *   glob.ts                    Redis's glob patterns: KEYS, SCAN, CONFIG GET
 * types/                       the values that are more than a string
 *   quicklist.ts               a list: a chain of packed nodes
 *   packed-node.ts             one node: elements packed into a byte string
 *   node-fill.ts               how full a node may get, by Redis's rules
 *   listpack-size.ts           what an element costs in Redis's listpack
 *   hash.ts                    a hash: packed pairs, then a hash table
 *   packed-pairs.ts            a small hash's pairs in one string (listpack)
 *   set.ts                     a set: an intset, then a hash table
 *   intset.ts                  a small set of integers, sorted, 2 to 8 bytes each
 *   set-algebra.ts             intersection, union, difference, Redis's way
 *   sorted-set.ts              a sorted set: packed scores, then a skiplist
 *   packed-scores.ts           a small sorted set in one string (listpack)
 *   skiplist.ts                members in order; ranks by spans, O(log n)
 *   score-range.ts             score and member ranges, and who is in them
 *   zset-algebra.ts            the same for sorted sets: weights, AGGREGATE
 *   random-picks.ts            random picks, with or without repeats
 *   bits.ts                    a string as a bitmap: bits, ranges, BITPOS
 *   bit-fields.ts              BITFIELD's integers, and their overflow
 * rdb/                         values in Redis's RDB format, for DUMP and RESTORE
 *   dump-payload.ts            a value, the RDB version, a CRC64 (crc64.ts)
 *   value-writer.ts, value-reader.ts  one value, in Redis 7.0's encodings
 *   rdb-writer.ts, rdb-reader.ts      lengths, strings, doubles (rdb-format.ts)
 *   listpack.ts, intset-blob.ts, lzf.ts  Redis's own bytes, built and checked
 *   ziplist.ts                 the older ziplist encodings, read only
 * numbers/                     exact arithmetic for the counters
 *   integers.ts                64-bit integers for INCR and friends
 *   long-double.ts             INCRBYFLOAT's 80-bit long double, exactly
 * expiry/                      time, and keys that run out of it
 *   clock.ts                   the clocks and timers, replaceable by tests
 *   active-expiry.ts           the cycle that samples and deletes expired keys
 * persistence/                 the append-only file (AOF)
 *   aof.ts                     logging: record(), the end-of-turn flush, fsync
 *   aof-format.ts              a command as the AOF stores it: RESP
 *   aof-reader.ts              reading the file back, strictly, with offsets
 *   aof-loader.ts              replay at start-up; a cut tail, a damaged middle
 *   aof-rewrite.ts             BGREWRITEAOF without fork: copy-on-write keys
 * commands/                    the commands, one file per family
 *   connection-commands.ts     PING, ECHO, QUIT, HELLO, AUTH, SELECT, CLIENT
 *   client-commands.ts         CLIENT LIST, INFO, KILL, UNBLOCK: other clients
 *   client-fields.ts           CLIENT LIST's line for one client
 *   introspection-commands.ts  COMMAND and its subcommands (COUNT, DOCS, ...)
 *   database-commands.ts       DBSIZE, FLUSHDB, FLUSHALL, SWAPDB
 *   info-command.ts            INFO, whose sections grow every chapter
 *   config-command.ts          CONFIG GET, CONFIG SET (over directives.ts)
 *   server-commands.ts         TIME, BGREWRITEAOF
 *   string-commands.ts         SET, GET and their variants; MSET, MGET
 *   string-range-commands.ts   APPEND, STRLEN, GETRANGE (and SUBSTR), SETRANGE
 *   bit-commands.ts            SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP: bitmaps
 *   bitfield-command.ts        BITFIELD, BITFIELD_RO: integers at bit offsets
 *   lcs-command.ts             LCS: two strings' longest common subsequence
 *   counter-commands.ts        INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT
 *   key-commands.ts            DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, COPY, ...
 *   object-command.ts          OBJECT: a value's encoding, refcount, idle time
 *   dump-commands.ts           DUMP, RESTORE, RESTORE-ASKING: values as RDB bytes
 *   typed-lookup.ts            a key of the kind a command needs, or WRONGTYPE
 *   expiry-commands.ts         EXPIRE, TTL, PERSIST and kin; EX/PX parsing
 *   list-commands.ts           LPUSH, LPOP, LRANGE, LSET...: lists by position
 *   list-search-commands.ts    LREM, LINSERT, LPOS: lists by value
 *   list-move-commands.ts      LMOVE, RPOPLPUSH, LMPOP
 *   list-ends.ts               LEFT and RIGHT; the one pop, the one move
 *   list-arguments.ts          list indexes and counts, read as Redis does
 *   blocking-list-commands.ts  BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: waits
 *   mpop-arguments.ts          numkeys key... end [COUNT n]: LMPOP's and ZMPOP's words
 *   random-with-count.ts       HRANDFIELD's and ZRANDMEMBER's one algorithm
 *   hash-commands.ts           HSET, HGET, HDEL, HINCRBY...: one field at a time
 *   hash-random-command.ts     HRANDFIELD: fields at random, with repeats or not
 *   hash-iteration-commands.ts HKEYS, HVALS, HGETALL; HSCAN, a few at a time
 *   set-commands.ts            SADD, SREM, SISMEMBER, SMEMBERS, SMOVE, SSCAN...
 *   set-algebra-commands.ts    SINTER, SUNION, SDIFF, their STOREs, SINTERCARD
 *   zset-algebra-commands.ts   ZUNION, ZINTER, ZDIFF, their STOREs, ZINTERCARD
 *   set-random-commands.ts     SPOP, SRANDMEMBER: members at random
 *   set-replies.ts             members as a set reply (~ in RESP3)
 *   zset-commands.ts           ZADD, ZINCRBY, ZREM
 *   zset-read-commands.ts      ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZSCAN
 *   zset-scores.ts             a score as ZADD reads it: C's strtod, strictly
 *   zset-replies.ts            scores as doubles; members with their scores
 *   element-scan.ts            SSCAN's and HSCAN's cursor, MATCH, COUNT, walk
 *   zset-range-commands.ts     ZRANGE and its old forms, ZRANGESTORE, ZCOUNT...
 *   zset-remove-range-commands.ts ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ...BYLEX
 *   zset-ranges.ts             ranks, score ranges (C's strtod), member ranges
 *   zset-pop-commands.ts       ZPOPMIN, ZPOPMAX, ZMPOP: members off either end
 *   blocking-zset-commands.ts  BZPOPMIN, BZPOPMAX, BZMPOP: waits for members
 *   zset-random-command.ts     ZRANDMEMBER: members at random, repeats or not
 *   sort-command.ts            SORT, SORT_RO: lists, sets, sorted sets, sorted
 *   sort-order.ts              SORT's LIMIT window, BY nosort, the comparisons
 *   sort-patterns.ts           SORT's BY and GET patterns: `*`, `->field`, `#`
 *   sort-weights.ts            SORT's numbers, read as C's strtod() reads them
 *   transaction-commands.ts    MULTI, EXEC, DISCARD, WATCH, UNWATCH
 *   reset-command.ts           RESET: a connection as good as new
 *   cluster-commands.ts        CLUSTER: the container and its subcommands
 *   cluster-subcommand.ts      what every CLUSTER subcommand shares
 *   cluster-slot-commands.ts   ADDSLOTS, DELSLOTS, KEYSLOT, GETKEYSINSLOT...
 *   cluster-node-commands.ts   MEET, FORGET, SET-CONFIG-EPOCH, RESET...
 *   cluster-view-commands.ts   NODES, INFO, SLOTS, SHARDS, LINKS, MYID
 *   cluster-connection-commands.ts ASKING, READONLY, READWRITE
 *   cluster-setslot-command.ts SETSLOT: moving a slot by hand, IMPORTING...
 *   migrate-command.ts         MIGRATE: keys sent to another server, deleted here
 *   tcc-commands.ts            TCC PREPARE, CONFIRM, CANCEL...: nodes to nodes
 *   docs/                      COMMAND DOCS data, one file per command file
 */
// #endregion layout

import { DEFAULT_CONFIG, type ServerConfig } from "./config/directives.ts";
import {
  serve,
  type Refusals,
  type RunningServer,
} from "./network/tcp-server.ts";
import { createRespHandler } from "./dispatch/client-loop.ts";
import { CommandTable } from "./dispatch/command-table.ts";
import type { ServerState, TcpFigures } from "./dispatch/server-state.ts";
import {
  PROTECTED_MODE_DENIED,
  protectedModeRefuses,
} from "./dispatch/protected-mode.ts";
import { Keyspace } from "./keyspace/keyspace.ts";
import { CONNECTION_COMMANDS } from "./commands/connection-commands.ts";
import { INTROSPECTION_COMMANDS } from "./commands/introspection-commands.ts";
import { DATABASE_COMMANDS } from "./commands/database-commands.ts";
import { INFO_COMMANDS } from "./commands/info-command.ts";
import { CONFIG_COMMANDS } from "./commands/config-command.ts";
import { SERVER_COMMANDS } from "./commands/server-commands.ts";
import { STRING_COMMANDS } from "./commands/string-commands.ts";
import { STRING_RANGE_COMMANDS } from "./commands/string-range-commands.ts";
import { COUNTER_COMMANDS } from "./commands/counter-commands.ts";
import { BIT_COMMANDS } from "./commands/bit-commands.ts";
import { BITFIELD_COMMANDS } from "./commands/bitfield-command.ts";
import { LCS_COMMANDS } from "./commands/lcs-command.ts";
import { KEY_COMMANDS } from "./commands/key-commands.ts";
import { OBJECT_COMMANDS } from "./commands/object-command.ts";
import { DUMP_COMMANDS } from "./commands/dump-commands.ts";
import { EXPIRY_COMMANDS } from "./commands/expiry-commands.ts";
import { LIST_COMMANDS } from "./commands/list-commands.ts";
import { BLOCKING_LIST_COMMANDS } from "./commands/blocking-list-commands.ts";
import { HASH_COMMANDS } from "./commands/hash-commands.ts";
import { SET_COMMANDS } from "./commands/set-commands.ts";
import { SORT_COMMANDS } from "./commands/sort-command.ts";
import { ZSET_RANGE_COMMANDS } from "./commands/zset-range-commands.ts";
import { ZSET_COMMANDS } from "./commands/zset-commands.ts";
import { ZSET_READ_COMMANDS } from "./commands/zset-read-commands.ts";
import { ZSET_ALGEBRA_COMMANDS } from "./commands/zset-algebra-commands.ts";
import { ZSET_POP_COMMANDS } from "./commands/zset-pop-commands.ts";
import { BLOCKING_ZSET_COMMANDS } from "./commands/blocking-zset-commands.ts";
import { ZSET_RANDOM_COMMANDS } from "./commands/zset-random-command.ts";
import { systemClock, type Clock } from "./expiry/clock.ts";
import { ActiveExpiry, scheduleActiveExpiry } from "./expiry/active-expiry.ts";
import { AppendOnlyFile } from "./persistence/aof.ts";
import { EndOfTurn } from "./dispatch/end-of-turn.ts";
import { BlockedClients } from "./blocking/blocked-clients.ts";
import { WatchedKeys } from "./transactions/watched-keys.ts";
import { UndoLog } from "./transactions/undo-log.ts";
import { TRANSACTION_COMMANDS } from "./commands/transaction-commands.ts";
import { RESET_COMMANDS } from "./commands/reset-command.ts";
import { CLUSTER_COMMANDS } from "./commands/cluster-commands.ts";
import { CLUSTER_CONNECTION_COMMANDS } from "./commands/cluster-connection-commands.ts";
import { TCC_COMMANDS } from "./commands/tcc-commands.ts";
import { MIGRATE_COMMANDS } from "./commands/migrate-command.ts";
import { connectParticipant } from "./cluster/tcc/participant-links.ts";
import {
  loadAppendOnlyFile,
  type LoadResult,
} from "./persistence/aof-loader.ts";
import { resolve } from "node:path";
import { Cluster } from "./cluster/cluster.ts";
import { redirectBlockedClients } from "./cluster/routing.ts";

// #region command-table
/** Every command this chapter knows. */
export const COMMANDS = new CommandTable([
  ...CONNECTION_COMMANDS,
  ...INTROSPECTION_COMMANDS,
  ...DATABASE_COMMANDS,
  ...INFO_COMMANDS,
  ...CONFIG_COMMANDS,
  ...SERVER_COMMANDS,
  ...STRING_COMMANDS,
  ...STRING_RANGE_COMMANDS,
  ...COUNTER_COMMANDS,
  ...BIT_COMMANDS,
  ...BITFIELD_COMMANDS,
  ...LCS_COMMANDS,
  ...KEY_COMMANDS,
  ...OBJECT_COMMANDS,
  ...DUMP_COMMANDS,
  ...EXPIRY_COMMANDS,
  ...LIST_COMMANDS,
  ...BLOCKING_LIST_COMMANDS,
  ...HASH_COMMANDS,
  ...SET_COMMANDS,
  ...SORT_COMMANDS,
  ...ZSET_RANGE_COMMANDS,
  ...ZSET_COMMANDS,
  ...ZSET_READ_COMMANDS,
  ...ZSET_ALGEBRA_COMMANDS,
  ...ZSET_POP_COMMANDS,
  ...BLOCKING_ZSET_COMMANDS,
  ...ZSET_RANDOM_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...RESET_COMMANDS,
  ...CLUSTER_COMMANDS,
  ...CLUSTER_CONNECTION_COMMANDS,
  ...TCC_COMMANDS,
  ...MIGRATE_COMMANDS,
]);
// #endregion command-table

/**
 * What a client beyond `maxclients` is told before the server hangs up:
 * Redis's words, which a client library reads as an error reply.
 */
const TOO_MANY_CLIENTS = "-ERR max number of clients reached\r\n";

// #region refusals
/**
 * Who the TCP layer turns away, and with what words: a client beyond
 * `maxclients`, and one that protected mode refuses. `config` is the live
 * one, changed in place by CONFIG SET, so a new setting applies to the
 * next client.
 */
function refusals(config: ServerConfig): Refusals {
  return {
    tooManyClients: TOO_MANY_CLIENTS,
    screen: (remoteAddress) =>
      protectedModeRefuses(config, remoteAddress)
        ? PROTECTED_MODE_DENIED
        : undefined,
  };
}
// #endregion refusals

/** The running server, and what it replayed from the AOF before listening. */
export interface AofServer extends RunningServer {
  /** Undefined when `appendonly` is off. main.ts logs it. */
  readonly loaded: LoadResult | undefined;
  /** The node's cluster, when `cluster-enabled yes`: main.ts names the node and its bus. */
  readonly cluster: Cluster | undefined;
}

/** What `startServer` takes besides settings. */
export interface ServerOptions {
  /** Where time comes from: the system's clocks unless a test brings its own. */
  clock?: Clock;
}

// #region start-server
/**
 * Starts this chapter's server: replays the AOF if `appendonly` is on,
 * then the TCP loop with the RESP handler plugged in, and the active
 * expiry cycle. Tests call it with `{ port: 0 }` (and perhaps a clock of
 * their own, or a `dir`); `main.ts` calls it with the parsed config.
 * Rejects if the AOF cannot be loaded (AofLoadError) or the address
 * cannot be bound (port in use, bad address).
 */
export async function startServer(
  overrides: Partial<ServerConfig> & ServerOptions = {},
): Promise<AofServer> {
  const { clock = systemClock, ...settings } = overrides;
  const config = { ...DEFAULT_CONFIG, ...settings };
  config.dir = resolve(config.dir);
  // The TCP layer's figures exist once it listens, below; no command can
  // run before that.
  let listening: RunningServer | undefined;
  const state = createServerState(config, clock, () => ({
    port: listening!.port,
    ...listening!.stats(),
  }));
  // Loaded before listening, so no client sees a half-loaded keyspace.
  // (Redis listens at once and answers -LOADING meanwhile.)
  let loaded: LoadResult | undefined;
  if (config.appendonly) {
    loaded = loadAppendOnlyFile(state.aof.path, COMMANDS, state);
    state.aof.open(loaded.bytes);
  }
  try {
    listening = await serve(
      config,
      createRespHandler(COMMANDS, state),
      refusals(config),
    );
    // The bus port follows from the client port, known only now.
    await state.cluster?.start(
      listening.host,
      listening.port,
      config.port === 0,
    );
  } catch (error) {
    await listening?.close();
    state.aof.close();
    throw error;
  }
  const stopActiveExpiry = scheduleActiveExpiry(
    state.activeExpiry,
    () => config.hz,
  );
  const { close } = listening;
  return {
    ...listening,
    loaded,
    cluster: state.cluster,
    async close() {
      stopActiveExpiry();
      await state.cluster?.close();
      // The replies waiting for this turn's write go out first: once a
      // connection starts closing, nothing more is sent on it.
      state.aof.flush();
      await close();
      // What the clients wrote is all in the file now; sync and close it.
      state.aof.close();
    },
  };
}
// #endregion start-server

// #region server-state
/** The state all connections share: empty databases, the settings, zeroed counters. */
export function createServerState(
  config: ServerConfig,
  clock: Clock,
  tcp: () => TcpFigures,
): ServerState {
  const keyspace = new Keyspace(config.databases, clock);
  // The steps of the end of a turn run in the order they are added:
  // blocked clients are served first, then the AOF writes (and the
  // replies of the turn, theirs included, go out).
  const endOfTurn = new EndOfTurn();
  const blockedClients = new BlockedClients(clock, () => endOfTurn.schedule());
  endOfTurn.add(() => blockedClients.serveReadyKeys());
  const aof = new AppendOnlyFile(keyspace, config, clock, endOfTurn);
  keyspace.listeners.add(aof);
  keyspace.listeners.add(blockedClients);
  const watchedKeys = new WatchedKeys();
  keyspace.listeners.add(watchedKeys);
  const undoLog = new UndoLog();
  keyspace.listeners.add(undoLog);
  const cluster = config.clusterEnabled
    ? new Cluster(config, endOfTurn, () => clock.now())
    : undefined;
  // Cluster mode indexes database 0's keys by slot, before the AOF loads any.
  cluster?.indexKeys(keyspace.database(0));
  // A client blocked on a slot that moved away, or in a cluster gone
  // down, is answered at once (cluster/routing.ts).
  cluster?.afterUpdate.push(() =>
    redirectBlockedClients(cluster, blockedClients),
  );
  const state: ServerState = {
    keyspace,
    activeExpiry: new ActiveExpiry(keyspace, clock),
    aof,
    blockedClients,
    watchedKeys,
    undoLog,
    clients: new Map(),
    cluster,
    endOfTurn,
    config,
    stats: { commandsProcessed: 0 },
    startedAt: Date.now(),
    tcp,
  };
  // Cross-node writes resolve their expired locks by running commands.
  if (cluster !== undefined) connectParticipant(cluster, COMMANDS, state);
  return state;
}
// #endregion server-state
