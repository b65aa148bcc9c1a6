/**
 * `npm run chapter 08 -- [redis.conf] [--port 6379] [--cluster-enabled yes]`
 *
 * The thin entry point: read the config, start the server, print a banner,
 * and turn SIGINT (Ctrl-C) and SIGTERM into a graceful shutdown. Everything
 * that can be tested in-process lives in `server.ts`.
 */
import { realpathSync } from "node:fs";
import { basename, dirname } from "node:path";
import { loadConfig } from "./config/config-file.ts";
import { ConfigError } from "./config/config-values.ts";
import type { ServerConfig } from "./config/directives.ts";
import { startServer, type AofServer } from "./server.ts";
import type { RunningServer } from "./network/tcp-server.ts";
import {
  FileLimitError,
  fitMaxclients,
  openFilesLimit,
} from "./network/file-limit.ts";
import { AofLoadError, describeLoad } from "./persistence/aof-loader.ts";
import { NodesFileError } from "./cluster/nodes-file.ts";
import { ClusterStartError } from "./cluster/cluster.ts";

// The folder's name: a learner's copy in exercises/08-cluster/ says "chapter 08-cluster".
const CHAPTER = basename(dirname(import.meta.dirname));
const WHAT_IT_DOES =
  "holds strings, bitmaps (SETBIT, BITCOUNT, BITFIELD), lists (LPUSH, LRANGE, LMOVE, ...), hashes (HSET, HGETALL, ...), sets (SADD, SINTER, ...) and sorted sets (ZADD, ZRANGE, ZUNION, ...), SORT, with clients that wait for data (BLPOP, BZPOPMIN) and CLIENT LIST to see them; transactions (MULTI, EXEC, WATCH); keys that expire, an append-only file, AUTH, CONFIG and INFO; and, with --cluster-enabled yes, is a Redis Cluster node (hash slots, MOVED, the cluster bus)";

export async function main(args: readonly string[]): Promise<void> {
  let config: ServerConfig;
  let server: AofServer;
  try {
    config = loadConfig(args);
    fitToFileLimit(config);
    server = await startServer(config);
  } catch (error) {
    // One line a human can act on, and a non-zero exit so scripts notice.
    console.error(startupErrorMessage(error, args));
    process.exitCode = 1;
    return;
  }
  // Signals first: the banner tells scripts and tests we are ready, and from
  // then on a SIGTERM must find our handler, not Node's default (exit now).
  handleSignals(server, config.shutdownTimeout);

  if (server.loaded !== undefined) console.log(describeLoad(server.loaded));
  if (server.cluster !== undefined) {
    const { myself } = server.cluster.state;
    console.log(
      `Cluster mode: node ${myself.name}, cluster bus on port ${myself.busPort}, configuration in ${server.cluster.nodesFilePath}.`,
    );
    if (config.clusterProxy) {
      console.log(
        "Cluster proxy mode (cluster-proxy yes, not a Redis setting): commands for other nodes' slots are forwarded to them, not answered MOVED.",
      );
    }
  }

  console.log(
    `redis-from-scratch, chapter ${CHAPTER}: this stage ${WHAT_IT_DOES}.`,
  );
  console.log(
    `Listening on ${server.host}:${server.port} (pid ${process.pid}). Try: redis-cli -h ${server.host} -p ${server.port} ping`,
  );
  console.log("Ctrl-C stops it.");
}

// #region file-limit
/**
 * Lowers `maxclients` if this process may not open enough files for that
 * many clients, saying so as Redis does. The limit belongs to the process,
 * not to one server (the tests run many in one process), so it is checked
 * here, once, before the server starts.
 */
function fitToFileLimit(config: ServerConfig): void {
  const fitted = fitMaxclients(config.maxclients, openFilesLimit());
  for (const warning of fitted.warnings) console.log(warning);
  config.maxclients = fitted.maxclients;
}
// #endregion file-limit

// #region signals
/** SIGINT (Ctrl-C) and SIGTERM (kill, systemd, Docker) start a graceful shutdown. */
function handleSignals(server: RunningServer, shutdownTimeout: number): void {
  let stopping = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // As in Redis: a second signal means "now", whatever is still pending.
      console.log(`Received ${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    const { connectedClients } = server.stats();
    console.log(
      `Received ${signal}: no new clients; closing ${connectedClients} connection(s), waiting at most ${shutdownTimeout} s for them.`,
    );
    void server.close().then(() => {
      const { totalConnectionsReceived } = server.stats();
      console.log(
        `Closed after serving ${totalConnectionsReceived} connection(s). Bye.`,
      );
      // No process.exit(): with the listener and every socket closed, Node has
      // nothing left to wait for and exits 0 by itself. If it ever hangs here,
      // something leaked, and we want to see that.
    });
  };
  process.on("SIGINT", shutDown);
  process.on("SIGTERM", shutDown);
}
// #endregion signals

function startupErrorMessage(error: unknown, args: readonly string[]): string {
  if (error instanceof ConfigError)
    return `*** FATAL CONFIG ERROR: ${error.message}`;
  if (error instanceof FileLimitError) return error.message;
  if (error instanceof AofLoadError) return error.message;
  if (error instanceof NodesFileError || error instanceof ClusterStartError)
    return error.message;
  const code =
    error instanceof Error && "code" in error ? error.code : undefined;
  if (code === "EADDRINUSE" || code === "EADDRNOTAVAIL" || code === "EACCES") {
    // Redis's own wording for the same failure.
    const { syscall, address, port } = error as NodeJS.ErrnoException & {
      address?: string;
      port?: number;
    };
    return `Could not create server TCP listening socket ${address}:${port}: ${syscall ?? "listen"}: ${describeErrno(String(code))}`;
  }
  return `Could not start the server with arguments [${args.join(" ")}]: ${String(error)}`;
}

function describeErrno(code: string): string {
  switch (code) {
    case "EADDRINUSE":
      return "Address already in use";
    case "EADDRNOTAVAIL":
      return "Cannot assign requested address";
    default:
      return "Permission denied";
  }
}

// Run when started as a program (`node --import tsx main.ts`), not when
// imported by a test or script. Node resolves symbolic links in a module's own
// path, so resolve them in the path we were started with too.
const startedAs = process.argv[1];
if (
  startedAs !== undefined &&
  realpathSync(startedAs) === import.meta.filename
) {
  await main(process.argv.slice(2));
}
