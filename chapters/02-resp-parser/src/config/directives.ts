/**
 * The settings this chapter's server knows: what ServerConfig holds, its
 * defaults, and the table of directives that reads them from the command
 * line and a config file. Each chapter knows only the directives its server
 * really uses, so this file grows with the server; config-file.ts, which
 * reads the command line and the files, stays the same.
 */
import { parseAddress, parseInteger, parseMemory } from "./config-values.ts";
import {
  DEFAULT_OUTPUT_BUFFER_LIMITS,
  parseOutputBufferLimits,
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
   * is kept as a bigint.
   */
  clientQueryBufferLimit: number | bigint;
  /**
   * How many bytes of replies may wait for one client before it is
   * disconnected: see output-buffer-limits.ts. Only the normal class
   * applies to our clients.
   */
  clientOutputBufferLimit: OutputBufferLimits;
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
};

// #region directives
/** One setting, and how to read it. */
export interface Directive {
  /** Checks a value and stores it in the config; throws ConfigError if it is bad. */
  apply(config: ServerConfig, value: string): void;
  /**
   * True for a directive written as several words; it gets them as one
   * value, parted by spaces (client-output-buffer-limit).
   */
  severalWords?: true;
}

/** Every directive this chapter knows. */
export const DIRECTIVES: Readonly<Record<string, Directive>> = {
  port: {
    apply(config, value) {
      config.port = parseInteger(value, "port", 0, 65535);
    },
  },
  bind: {
    apply(config, value) {
      config.bind = parseAddress(value);
    },
  },
  "shutdown-timeout": {
    apply(config, value) {
      config.shutdownTimeout = parseInteger(value, "shutdown-timeout", 0, 3600);
    },
  },
  maxclients: {
    apply(config, value) {
      config.maxclients = parseInteger(value, "maxclients", 1, 2 ** 32 - 1);
    },
  },
  timeout: {
    apply(config, value) {
      config.timeout = parseInteger(value, "timeout", 0, 2 ** 31 - 1);
    },
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
  },
  "client-output-buffer-limit": {
    apply(config, value) {
      // A new object, never a change to the old one: the defaults are
      // shared by every server in the process.
      config.clientOutputBufferLimit = parseOutputBufferLimits(
        value,
        config.clientOutputBufferLimit,
      );
    },
    severalWords: true,
  },
};
// #endregion directives
