/**
 * INFO: the server's state as text, for people and monitoring tools. Each
 * chapter adds the fields of what it built, so this file grows while the
 * other server commands stay as they are.
 */
import { arch, machine, release, type } from "node:os";
import type { CommandContext, CommandSpec } from "../dispatch/command-spec.ts";
import type { ServerState } from "../dispatch/server-state.ts";
import { verbatim } from "../protocol/reply.ts";
import { cStringOf, nameOf } from "../dispatch/arguments.ts";
import { REDIS_VERSION } from "./connection-commands.ts";
import { wallClockMicros } from "./server-commands.ts";
import { INFO_DOCS } from "./docs/info-docs.ts";

// #region info
/**
 * INFO [section ...]: the server's state as text, one `field:value` per
 * line, grouped in `# Section`s. Monitoring tools and client libraries
 * parse it (ioredis reads it on connecting), so the field names are
 * Redis's own; we report only the fields we can fill honestly.
 */
export const infoCommand: CommandSpec = {
  name: "info",
  arity: -1,
  flags: ["loading", "stale"],
  categories: ["@slow", "@dangerous"],
  tips: [
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
  ],
  docs: INFO_DOCS.info,
  run(args, context) {
    // Section names are C strings to Redis (`keyspace\0junk` is keyspace),
    // and a name too long to be one (undefined) matches no section.
    const wanted = new Set(args.slice(1).map((arg) => nameOf(cStringOf(arg))));
    const everything =
      wanted.size === 0 ||
      wanted.has("default") ||
      wanted.has("all") ||
      wanted.has("everything");
    const sections = INFO_SECTIONS.filter(
      ([name]) => everything || wanted.has(name.toLowerCase()),
    ).map(
      ([name, fields]) =>
        `# ${name}\r\n` +
        Object.entries(fields(context))
          .map(([field, value]) => `${field}:${value}\r\n`)
          .join(""),
    );
    // Text for people to read: RESP3 says so with its verbatim type.
    return verbatim(sections.join("\r\n"));
  },
};

type InfoFields = Record<string, string | number>;

/** The sections we report, in Redis's order, each a function of the server's state. */
const INFO_SECTIONS: readonly (readonly [
  string,
  (context: CommandContext) => InfoFields,
])[] = [
  ["Server", serverInfo],
  ["Clients", clientsInfo],
  ["Memory", memoryInfo],
  ["Persistence", persistenceInfo],
  ["Stats", statsInfo],
  ["Cluster", clusterInfo],
  ["Keyspace", keyspaceInfo],
];

/** A random 40-hex-digit id for this run of the server, as Redis makes one. */
const RUN_ID = Array.from({ length: 40 }, () =>
  Math.floor(Math.random() * 16).toString(16),
).join("");

function serverInfo({ server }: CommandContext): InfoFields {
  const now = Date.now();
  const uptime = Math.floor((now - server.startedAt) / 1000);
  return {
    redis_version: REDIS_VERSION,
    redis_mode: server.cluster === undefined ? "standalone" : "cluster",
    os: `${type()} ${release()} ${machine()}`,
    arch_bits: arch().endsWith("64") ? 64 : 32,
    process_id: process.pid,
    run_id: RUN_ID,
    tcp_port: server.tcp().port,
    server_time_usec: wallClockMicros(),
    uptime_in_seconds: uptime,
    uptime_in_days: Math.floor(uptime / 86400),
    // How often the active expiry cycle runs. Redis can raise hz by itself
    // when it has many clients (dynamic-hz); ours is always the setting.
    hz: server.config.hz,
    configured_hz: server.config.hz,
  };
}

// #region info-clients
/**
 * The clients: how many, the most output one left waiting lately, and
 * how many wait in a blocking command (with a timeout, for
 * clients_in_timeout_table). The cluster bus's connections are counted
 * as Redis counts them, below; no client-side caching: its count is 0.
 * (Redis also reports the largest recent query buffer, which we do not
 * track.)
 */
function clientsInfo({ server }: CommandContext): InfoFields {
  return {
    connected_clients: server.tcp().connectedClients,
    cluster_connections: clusterConnections(server),
    maxclients: server.config.maxclients,
    client_recent_max_output_buffer: server.tcp().recentMaxOutputBufferBytes,
    blocked_clients: server.blockedClients.count,
    tracking_clients: 0,
    clients_in_timeout_table: server.blockedClients.countWithTimeout,
  };
}
// #endregion info-clients

/**
 * Redis counts what its allocator handed out; the nearest figure we have
 * is what the JavaScript heap holds plus memory outside it (Buffers).
 * Together with the process's resident size, it is what the article uses
 * to measure bytes per key.
 */
function memoryInfo(): InfoFields {
  const { heapUsed, external, rss } = process.memoryUsage();
  return {
    used_memory: heapUsed + external,
    used_memory_human: humanBytes(heapUsed + external),
    used_memory_rss: rss,
    used_memory_rss_human: humanBytes(rss),
  };
}

/** Redis's human-readable sizes: 1.50M, 812.33K. */
function humanBytes(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

// #region info-persistence
/**
 * The AOF's state, with Redis's field names. (Redis also reports its RDB
 * snapshots and fork figures here; we take neither.) `loading` is always
 * 0: we load before we listen.
 */
function persistenceInfo({ server }: CommandContext): InfoFields {
  const { aof } = server;
  const fields: InfoFields = {
    loading: 0,
    aof_enabled: aof.enabled ? 1 : 0,
    aof_rewrite_in_progress: aof.rewriting ? 1 : 0,
    aof_rewrite_scheduled: 0,
    aof_last_rewrite_time_sec: aof.stats.lastRewriteSeconds,
    aof_current_rewrite_time_sec: aof.currentRewriteSeconds,
    aof_last_bgrewrite_status: aof.stats.lastRewriteStatus,
    aof_rewrites: aof.stats.rewrites,
    aof_last_write_status: aof.stats.lastWriteStatus,
  };
  if (aof.enabled) {
    fields.aof_current_size = aof.stats.currentSize;
    fields.aof_base_size = aof.stats.baseSize;
    fields.aof_buffer_length = aof.bufferLength;
  }
  return fields;
}
// #endregion info-persistence

function statsInfo({ server }: CommandContext): InfoFields {
  return {
    total_connections_received: server.tcp().totalConnectionsReceived,
    total_commands_processed: server.stats.commandsProcessed,
    // Clients turned away: beyond maxclients, or by protected mode.
    rejected_connections: server.tcp().rejectedConnections,
    // Keys deleted because their time was up, lazily or by the cycle, and
    // how the cycle is doing (see active-expiry.ts).
    expired_keys: server.keyspace.stats.expiredKeys,
    expired_stale_perc: server.activeExpiry.stats.stalePercent.toFixed(2),
    expired_time_cap_reached_count: server.activeExpiry.stats.timeCapReached,
    expire_cycle_cpu_milliseconds: Math.floor(
      server.activeExpiry.stats.cycleMilliseconds,
    ),
    keyspace_hits: server.keyspace.stats.hits,
    keyspace_misses: server.keyspace.stats.misses,
  };
}

// #region info-cluster
/** Whether this server is a cluster node; CLUSTER INFO tells the rest. */
function clusterInfo({ server }: CommandContext): InfoFields {
  return { cluster_enabled: server.cluster === undefined ? 0 : 1 };
}

/**
 * The bus's connections, as Redis counts them: two per other node known
 * (one each way), whether they are up or not.
 */
function clusterConnections(server: ServerState): number {
  return server.cluster === undefined
    ? 0
    : (server.cluster.state.nodes.size - 1) * 2;
}
// #endregion info-cluster

/**
 * One line per database that has keys: how many (expired ones not yet
 * deleted included, as DBSIZE counts them), how many have a time to live,
 * and the active cycle's estimate of their average time left, in ms.
 */
function keyspaceInfo({ server }: CommandContext): InfoFields {
  const fields: InfoFields = {};
  for (const db of server.keyspace.nonEmpty()) {
    fields[`db${db.index}`] =
      `keys=${db.size},expires=${db.volatileCount},avg_ttl=${db.averageTtl}`;
  }
  return fields;
}
// #endregion info

export const INFO_COMMANDS: readonly CommandSpec[] = [infoCommand];
