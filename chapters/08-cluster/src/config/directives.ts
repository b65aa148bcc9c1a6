/**
 * The settings this chapter's server knows: what ServerConfig holds, its
 * defaults, and the table of directives that reads them from the command
 * line, a config file and CONFIG SET, and shows them to CONFIG GET. Each
 * chapter knows only the directives its server really uses, so this file
 * grows with the server; config-file.ts, which reads the command line and
 * the files, stays the same.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import {
  ConfigError,
  parseAddress,
  parseInteger,
  parseMemory,
  parseYesNo,
} from "./config-values.ts";
import {
  DEFAULT_OUTPUT_BUFFER_LIMITS,
  parseOutputBufferLimits,
  showOutputBufferLimits,
  type OutputBufferLimits,
} from "./output-buffer-limits.ts";
import {
  DEFAULT_ENCODING_SETTINGS,
  ENCODING_DIRECTIVES,
  type EncodingSettings,
} from "./encoding-directives.ts";
import {
  CLUSTER_DIRECTIVES,
  DEFAULT_CLUSTER_SETTINGS,
  type ClusterSettings,
} from "./cluster-directives.ts";

/** Everything the server can be told at start-up. */
export interface ServerConfig extends EncodingSettings, ClusterSettings {
  /** TCP port to listen on; 0 asks the OS for a free one (the tests do). */
  port: number;
  /**
   * Address to listen on. Loopback by default, as in the redis.conf Redis
   * ships: a server with no password must not be reachable from the network
   * by accident.
   */
  bind: string;
  /**
   * Seconds a graceful shutdown waits for slow clients to take their pending
   * replies before their connections are closed anyway. Redis has a directive
   * of the same name (there it bounds the wait for replicas).
   */
  shutdownTimeout: number;
  // #region client-limits
  /**
   * Most clients connected at once; one more is told so and closed. Redis's
   * directive and default. main.ts lowers it at start-up if the process
   * may not open that many files (network/file-limit.ts).
   */
  maxclients: number;
  /** Seconds a client may stay idle before it is closed; 0 is never. */
  timeout: number;
  /**
   * Seconds of silence on a connection before TCP checks that the other
   * end is still there (SO_KEEPALIVE); 0 is never. Redis's default is 300:
   * a client whose machine vanished does not hold its connection for ever.
   */
  tcpKeepalive: number;
  // #endregion client-limits
  /**
   * Most bytes one client may have sent towards commands not yet run (with
   * the bookkeeping of their arguments) before it is disconnected. Redis's
   * directive of the same name, with its default of 1 GB. Redis allows up
   * to 2^63 - 1, more than a number holds exactly, so a limit beyond 2^53
   * is kept as a bigint: CONFIG GET must answer it to the byte.
   */
  clientQueryBufferLimit: number | bigint;
  /**
   * How many bytes of replies may wait for one client before it is
   * disconnected: see output-buffer-limits.ts. Only the normal class
   * applies to our clients.
   */
  clientOutputBufferLimit: OutputBufferLimits;
  /** How many databases SELECT can choose from: 0 to `databases - 1`. */
  databases: number;
  /**
   * The password clients must give with AUTH before any other command, as
   * a byte string; empty means none is needed.
   */
  requirepass: string;
  /**
   * Protected mode (dispatch/protected-mode.ts): while no password is set,
   * a client from another machine is told why it is refused, and closed.
   * Redis's directive and default (yes).
   */
  protectedMode: boolean;
  /**
   * How many times a second the server runs its background work: here, the
   * active expiry cycle. Redis's directive and default (10); more means
   * expired keys go sooner, for a little more CPU when idle.
   */
  hz: number;
  // #region aof-settings
  /** Whether writes are logged to the append-only file, and replayed from it at start-up. */
  appendonly: boolean;
  /** The AOF's file name, inside `dir`. */
  appendfilename: string;
  /** The folder the AOF lives in, as an absolute path. */
  dir: string;
  /** When the AOF is forced to disk: see aof.ts for what each policy promises. */
  appendfsync: FsyncPolicy;
  /** At start-up, load an AOF whose last command was cut short (yes), or refuse (no). */
  aofLoadTruncated: boolean;
  /**
   * Rewrite the AOF by itself once it has grown by this many percent since
   * the last rewrite (0: never)...
   */
  autoAofRewritePercentage: number;
  /** ...and is at least this many bytes. */
  autoAofRewriteMinSize: number | bigint;
  // #endregion aof-settings
  /** NOT Redis, off by default: an error in EXEC undoes it all (transactions/undo-log.ts). */
  multiRollback: boolean;
}

/** `appendfsync`'s three choices. */
export type FsyncPolicy = "always" | "everysec" | "no";

export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  port: 6379,
  bind: "127.0.0.1",
  shutdownTimeout: 10,
  maxclients: 10000,
  timeout: 0,
  tcpKeepalive: 300,
  clientQueryBufferLimit: 1024 ** 3,
  clientOutputBufferLimit: DEFAULT_OUTPUT_BUFFER_LIMITS,
  databases: 16,
  requirepass: "",
  protectedMode: true,
  hz: 10,
  appendonly: false,
  appendfilename: "appendonly.aof",
  // Redis's default: the folder it was started in. (startServer resolves
  // it to an absolute path.)
  dir: ".",
  appendfsync: "everysec",
  aofLoadTruncated: true,
  autoAofRewritePercentage: 100,
  autoAofRewriteMinSize: 64 * 1024 ** 2,
  multiRollback: false,
  ...DEFAULT_ENCODING_SETTINGS,
  ...DEFAULT_CLUSTER_SETTINGS,
};

// #region directives
/**
 * One setting: how to read it, how CONFIG GET shows it, and whether CONFIG
 * SET may change it while the server runs.
 */
export interface Directive {
  /** Checks a value and stores it in the config; throws ConfigError if it is bad. */
  apply(config: ServerConfig, value: string): void;
  /** The value as CONFIG GET answers it. */
  show(config: ServerConfig): string;
  /**
   * True for a directive written as several words; it gets them as one
   * value, parted by spaces, as CONFIG SET does (client-output-buffer-limit).
   */
  severalWords?: true;
  /**
   * Redis lets CONFIG SET change `port` and `bind` too, and re-binds; we do
   * not (a deliberate difference), so those are read at start-up only.
   * "protected": Redis 7 refuses it by default (`dir`, since a client that
   * could move the data folder could write files anywhere).
   */
  mutable: boolean | "protected";
}

/** Every directive this chapter knows, in CONFIG GET's order. */
export const DIRECTIVES: Readonly<Record<string, Directive>> = {
  port: {
    apply(config, value) {
      config.port = parseInteger(value, "port", 0, 65535);
    },
    show: (config) => String(config.port),
    mutable: false,
  },
  bind: {
    apply(config, value) {
      config.bind = parseAddress(value);
    },
    show: (config) => config.bind,
    mutable: false,
  },
  "shutdown-timeout": {
    apply(config, value) {
      config.shutdownTimeout = parseInteger(
        value,
        "shutdown-timeout",
        0,
        2 ** 31 - 1,
      );
    },
    show: (config) => String(config.shutdownTimeout),
    mutable: true,
  },
  maxclients: {
    apply(config, value) {
      config.maxclients = parseInteger(value, "maxclients", 1, 2 ** 32 - 1);
    },
    show: (config) => String(config.maxclients),
    // CONFIG SET also checks it against the file limit (config-command.ts).
    mutable: true,
  },
  timeout: {
    apply(config, value) {
      config.timeout = parseInteger(value, "timeout", 0, 2 ** 31 - 1);
    },
    show: (config) => String(config.timeout),
    mutable: true,
  },
  "tcp-keepalive": {
    apply(config, value) {
      config.tcpKeepalive = parseInteger(
        value,
        "tcp-keepalive",
        0,
        2 ** 31 - 1,
      );
    },
    show: (config) => String(config.tcpKeepalive),
    mutable: true,
  },
  "client-query-buffer-limit": {
    apply(config, value) {
      // Redis's own bounds: at least 1 MB, so that every legal command fits.
      config.clientQueryBufferLimit = parseMemory(
        value,
        "client-query-buffer-limit",
        1024 ** 2,
      );
    },
    show: (config) => String(config.clientQueryBufferLimit),
    mutable: true,
  },
  "client-output-buffer-limit": {
    apply(config, value) {
      // A new object, never a change to the old one: the defaults are
      // shared by every server in the process, and CONFIG SET works on a
      // copy of the settings.
      config.clientOutputBufferLimit = parseOutputBufferLimits(
        value,
        config.clientOutputBufferLimit,
      );
    },
    show: (config) => showOutputBufferLimits(config.clientOutputBufferLimit),
    mutable: true,
    severalWords: true,
  },
  databases: {
    apply(config, value) {
      config.databases = parseInteger(value, "databases", 1, 2 ** 31 - 1);
    },
    show: (config) => String(config.databases),
    // Connections hold on to the database they selected: no resizing.
    mutable: false,
  },
  requirepass: {
    apply(config, value) {
      config.requirepass = value;
    },
    show: (config) => config.requirepass,
    mutable: true,
  },
  "protected-mode": {
    apply(config, value) {
      config.protectedMode = parseYesNo(value);
    },
    show: (config) => (config.protectedMode ? "yes" : "no"),
    mutable: true,
  },
  hz: {
    apply(config, value) {
      // Redis accepts any int, then keeps it between 1 and 500: CONFIG SET
      // hz 0 answers OK, and CONFIG GET hz then says 1.
      const hz = parseInteger(value, "hz", 0, 2 ** 31 - 1);
      config.hz = Math.min(Math.max(hz, MIN_HZ), MAX_HZ);
    },
    show: (config) => String(config.hz),
    mutable: true,
  },
  // #region aof-directives
  appendonly: {
    apply(config, value) {
      config.appendonly = parseYesNo(value);
    },
    show: (config) => (config.appendonly ? "yes" : "no"),
    // Turning it on or off while running starts or stops the AOF: CONFIG
    // SET asks aof.ts to follow the new value.
    mutable: true,
  },
  appendfilename: {
    apply(config, value) {
      // Redis's rule: a name, not a path, so the file stays inside `dir`.
      if (value === "" || value.includes("/") || value.includes("\\")) {
        throw new ConfigError(
          `Invalid appendfilename '${value}': expected a file name without a folder`,
          "appendfilename can't be a path, just a filename",
        );
      }
      config.appendfilename = value;
    },
    show: (config) => config.appendfilename,
    mutable: false,
  },
  dir: {
    apply(config, value) {
      config.dir = parseDirectory(value);
    },
    show: (config) => config.dir,
    mutable: "protected",
  },
  appendfsync: {
    apply(config, value) {
      const policy = value.split("\0")[0]!.toLowerCase();
      if (policy !== "always" && policy !== "everysec" && policy !== "no") {
        throw new ConfigError(
          `Invalid appendfsync '${value}': expected always, everysec or no`,
          "argument(s) must be one of the following: everysec, always, no",
        );
      }
      config.appendfsync = policy;
    },
    show: (config) => config.appendfsync,
    mutable: true,
  },
  "aof-load-truncated": {
    apply(config, value) {
      config.aofLoadTruncated = parseYesNo(value);
    },
    show: (config) => (config.aofLoadTruncated ? "yes" : "no"),
    mutable: true,
  },
  "auto-aof-rewrite-percentage": {
    apply(config, value) {
      config.autoAofRewritePercentage = parseInteger(
        value,
        "auto-aof-rewrite-percentage",
        0,
        2 ** 31 - 1,
      );
    },
    show: (config) => String(config.autoAofRewritePercentage),
    mutable: true,
  },
  "auto-aof-rewrite-min-size": {
    apply(config, value) {
      config.autoAofRewriteMinSize = parseMemory(
        value,
        "auto-aof-rewrite-min-size",
        0,
      );
    },
    show: (config) => String(config.autoAofRewriteMinSize),
    mutable: true,
  },
  // #endregion aof-directives
  // Ours, not Redis's, whose CONFIG SET refuses it: see `multiRollback`.
  "multi-rollback": {
    apply(config, value) {
      config.multiRollback = parseYesNo(value);
    },
    show: (config) => (config.multiRollback ? "yes" : "no"),
    mutable: true,
  },
  // The encodings of lists (and, in the next parts, of the other types).
  ...ENCODING_DIRECTIVES,
  // Cluster mode: off unless `cluster-enabled yes`.
  ...CLUSTER_DIRECTIVES,
  // #region only-value
  // No snapshots in this chapter (`save ""`); the AOF above is how data
  // survives. Tools such as redis-benchmark ask for `save`, and
  // `redis-server --save ''` and `CONFIG SET save ""` are common habits,
  // so it is known, with the one value that is true here.
  save: onlyValue("save", ""),
};

/** Redis's bounds for `hz` (CONFIG_MIN_HZ and CONFIG_MAX_HZ). */
const MIN_HZ = 1;
const MAX_HZ = 500;

/**
 * A directive with one possible value in this chapter. Setting it to that
 * value (in any letter case, as Redis reads `yes`/`no`) is accepted and
 * changes nothing; any other value is refused. Redis compares these as C
 * strings, which end at a NUL byte, so `no\0junk` is `no` and `\0` is "".
 * (It splits `save` at spaces first, so `\0 x` is two words, not "".)
 */
function onlyValue(name: string, value: string): Directive {
  return {
    apply(_config, given) {
      const words = name === "save" ? given.split(" ") : [given];
      if (words.length !== 1 || given.split("\0")[0]!.toLowerCase() !== value) {
        throw new ConfigError(
          `Invalid ${name} '${given}': this chapter takes no snapshots, so only '${value}' is possible`,
          `argument must be '${value}': this chapter takes no snapshots`,
        );
      }
    },
    show: () => value,
    mutable: true,
  };
}
// #endregion only-value
// #endregion directives

/**
 * A folder that exists, kept as an absolute path: Redis changes into its
 * `dir`, so relative paths mean "from where it was started"; we resolve
 * once, since several servers may run in one process (the tests do).
 */
function parseDirectory(value: string): string {
  const path = resolve(value);
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // Missing or unreadable: the same answer below.
  }
  if (!isDirectory) {
    throw new ConfigError(
      `Can't chdir to '${value}': No such directory`,
      "No such file or directory",
    );
  }
  return path;
}
