/**
 * MIGRATE's conversation with its target (migrate-command.ts has the
 * command): AUTH if asked, SELECT unless the connection is in that
 * database already, then one RESTORE per key, all in one write; then one
 * answer line each, every read with MIGRATE's timeout. Redis's rules for
 * what an error means: the target's first error is relayed as
 * `ERR Target instance replied with error: ...`; a connection that fails
 * or times out is closed, and answers `IOERR error or timeout writing
 * (or reading) to target instance`.
 */
import type { ServerState } from "../dispatch/server-state.ts";
import { encodeCommand } from "../persistence/aof-format.ts";
import { error, OK, type Reply } from "../protocol/reply.ts";
import {
  MigrateConnections,
  MigrateIoError,
  type MigrateConnection,
} from "./migrate-connections.ts";

/** Where MIGRATE sends the keys, as its arguments say. */
export interface MigrateTarget {
  host: string;
  /** The port as the client wrote it: it names the cached connection. */
  portText: string;
  db: bigint;
  timeoutMs: number;
  /** AUTH's or AUTH2's words, or undefined. */
  auth: Buffer[] | undefined;
}

/** An address no connection can even be tried to (a name that does not resolve). */
const CANNOT_CONNECT = error("IOERR error or timeout connecting to the client");

/** C's atoi: leading blanks, a sign, digits; anything else ends it (or makes 0). */
function atoi(text: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number(match[1]);
}

/** Every server's cached connections (one per server: tests run several in a process). */
const connectionsOf = new WeakMap<ServerState, MigrateConnections>();

function connections(server: ServerState): MigrateConnections {
  let cache = connectionsOf.get(server);
  if (cache === undefined) {
    cache = new MigrateConnections();
    connectionsOf.set(server, cache);
  }
  return cache;
}

// #region send-restores
/**
 * Sends the RESTOREs and reads the target's answers: which of them it
 * took (their indexes), and MIGRATE's reply. After an error that is not
 * a timeout, before the target answered any RESTORE, it tries once more
 * on a new connection: the cached one may have been closed by the target
 * since its last use, which is no failure of the target's.
 */
export async function sendRestores(
  server: ServerState,
  target: MigrateTarget,
  restores: Buffer[],
): Promise<{ acknowledged: number[]; reply: Reply }> {
  const cache = connections(server);
  const name = `${target.host}:${target.portText}`;
  for (let attempt = 1; ; attempt++) {
    let connection: MigrateConnection;
    try {
      connection = cache.get(name, target.host, atoi(target.portText));
    } catch {
      return { acknowledged: [], reply: CANNOT_CONNECT };
    }
    const outcome = await connection.exclusive(() =>
      exchange(connection, target, restores),
    );
    if (outcome.socketError !== undefined) cache.drop(name);
    const { acknowledged, targetError, socketError } = outcome;
    if (targetError !== undefined) {
      const reply = error(
        `ERR Target instance replied with error: ${targetError}`,
      );
      return { acknowledged, reply };
    }
    if (socketError === undefined) return { acknowledged, reply: OK };
    if (socketError.stage === "connecting") {
      return { acknowledged, reply: CANNOT_CONNECT };
    }
    if (outcome.retriable && !socketError.timedOut && attempt === 1) continue;
    const reply = error(
      `IOERR error or timeout ${socketError.stage} to target instance`,
    );
    return { acknowledged, reply };
  }
}
// #endregion send-restores

// #region exchange
/** What one attempt came to. */
interface Outcome {
  /** The RESTOREs the target took (answered +OK), by index. */
  acknowledged: number[];
  /** The first error the target answered, without its `-`. */
  targetError?: string;
  socketError?: MigrateIoError;
  /** The error came before the target answered any RESTORE: try again. */
  retriable: boolean;
}

/**
 * One attempt: AUTH if asked, SELECT if the connection's database is not
 * the one wanted, then every RESTORE, all in one write; then their
 * answers, one line each.
 */
async function exchange(
  connection: MigrateConnection,
  request: MigrateTarget,
  restores: Buffer[],
): Promise<Outcome> {
  const select = connection.lastDb !== request.db;
  const commands: Buffer[] = [];
  if (request.auth !== undefined) {
    commands.push(encodeCommand(["AUTH", ...request.auth]));
  }
  if (select) commands.push(encodeCommand(["SELECT", String(request.db)]));
  commands.push(...restores);
  const acknowledged: number[] = [];
  const timeout = request.timeoutMs;
  let authLine = "";
  let selectLine = "";
  try {
    await connection.write(Buffer.concat(commands), timeout);
    if (request.auth !== undefined)
      authLine = await connection.readLine(timeout);
    if (select) selectLine = await connection.readLine(timeout);
  } catch (failure) {
    return { acknowledged, socketError: ioError(failure), retriable: true };
  }
  let targetError: string | undefined;
  for (let j = 0; j < restores.length; j++) {
    let line: string;
    try {
      line = await connection.readLine(timeout);
    } catch (failure) {
      const socketError = ioError(failure);
      return { acknowledged, targetError, socketError, retriable: j === 0 };
    }
    const failed = [authLine, selectLine, line].find((l) => l.startsWith("-"));
    if (failed !== undefined) {
      // Which database the target is in is now anybody's guess.
      connection.lastDb = -1n;
      targetError ??= failed.slice(1);
    } else {
      acknowledged.push(j);
    }
  }
  if (targetError === undefined) connection.lastDb = request.db;
  return { acknowledged, targetError, retriable: false };
}

function ioError(failure: unknown): MigrateIoError {
  if (failure instanceof MigrateIoError) return failure;
  throw failure;
}
// #endregion exchange
