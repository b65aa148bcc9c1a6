/**
 * The settings this chapter's server knows: what ServerConfig holds, its
 * defaults, and the table of directives that reads them from the command
 * line, a config file and CONFIG SET, and shows them to CONFIG GET. Each
 * chapter knows only the directives its server really uses, so this file
 * grows with the server; config-file.ts, which reads the command line and
 * the files, stays the same.
 */
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

/** Everything the server can be told at start-up. */
export interface ServerConfig {
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
}

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
   */
  mutable: boolean;
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
  // #region only-value
  // Nothing is kept on disk in this chapter: no snapshots (`save ""`), no
  // append-only file (chapter 05 adds it). Tools such as redis-benchmark
  // ask for both, and `redis-server --save ''` and `CONFIG SET save ""`
  // are common habits, so both are known, with the one value that is true
  // here.
  save: onlyValue("save", ""),
  appendonly: onlyValue("appendonly", "no"),
};

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
          `Invalid ${name} '${given}': this chapter keeps no data on disk, so only '${value}' is possible`,
          `argument must be '${value}': this chapter keeps no data on disk`,
        );
      }
    },
    show: () => value,
    mutable: true,
  };
}
// #endregion only-value
// #endregion directives
