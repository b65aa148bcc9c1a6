/**
 * Server settings, read the way `redis-server` reads them:
 *
 *     redis-server [/path/to/redis.conf] [--directive value ...]
 *
 * A config file holds one directive per line (`port 7000`), `#` starts a
 * comment line, and `--port 7000` on the command line is the same directive
 * written inline. Command-line directives are applied after the file, so they
 * win. Each chapter knows only the directives its server really uses; an
 * unknown one is an error rather than a silent no-op, because a typo such as
 * `bnid 0.0.0.0` should not leave the server listening somewhere unexpected.
 */
import { readFileSync } from "node:fs";

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
  /**
   * Most bytes one client may have sent towards commands not yet run (with
   * the bookkeeping of their arguments) before it is disconnected. Redis's
   * directive of the same name, with its default of 1 GB. Redis allows up
   * to 2^63 - 1, more than a number holds exactly, so a limit beyond 2^53
   * is kept as a bigint: CONFIG GET must answer it to the byte.
   */
  clientQueryBufferLimit: number | bigint;
  /** How many databases SELECT can choose from: 0 to `databases - 1`. */
  databases: number;
  /**
   * The password clients must give with AUTH before any other command, as
   * a byte string; empty means none is needed.
   */
  requirepass: string;
}

export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  port: 6379,
  bind: "127.0.0.1",
  shutdownTimeout: 10,
  clientQueryBufferLimit: 1024 ** 3,
  databases: 16,
  requirepass: "",
};

/** A setting we cannot use. The message is one line, meant for a human. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /**
   * @param reason Redis's own short wording of the problem, which CONFIG SET
   * puts in its error reply: "argument couldn't be parsed into an integer".
   */
  constructor(
    message: string,
    readonly reason = message,
  ) {
    super(message);
  }
}

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
   * Redis lets CONFIG SET change `port` and `bind` too, and re-binds; we do
   * not (a deliberate difference), so those are read at start-up only.
   */
  mutable: boolean;
}

/** Every directive this chapter knows (one value each), in CONFIG GET's order. */
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

/**
 * Turns command-line arguments into a config: an optional config-file path
 * first, then `--directive value` pairs.
 * @throws ConfigError with a one-line explanation.
 */
export function loadConfig(args: readonly string[]): ServerConfig {
  const config: ServerConfig = { ...DEFAULT_CONFIG };
  let rest = args;
  const first = args[0];
  if (first !== undefined && !first.startsWith("--")) {
    applyConfigFile(config, first);
    rest = args.slice(1);
  }
  for (const { name, values, where } of splitCommandLine(rest)) {
    applyDirective(config, name, values, where);
  }
  return config;
}

interface DirectiveLine {
  name: string;
  values: string[];
  /** Where it was written, for error messages. */
  where: string;
}

/** `--port 7000 --bind ::1` → [{port, [7000]}, {bind, [::1]}]. */
function splitCommandLine(args: readonly string[]): DirectiveLine[] {
  const directives: DirectiveLine[] = [];
  for (const arg of args) {
    if (arg.startsWith("--")) {
      directives.push({
        name: arg.slice(2),
        values: [],
        where: `command-line option '${arg}'`,
      });
    } else if (directives.length === 0) {
      throw new ConfigError(
        `Unexpected argument '${arg}': a config file must come first, and options look like --port 7000`,
      );
    } else {
      directives.at(-1)!.values.push(arg);
    }
  }
  return directives;
}

function applyConfigFile(config: ServerConfig, path: string): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      error instanceof Error && "code" in error
        ? String(error.code)
        : String(error);
    throw new ConfigError(`Cannot read config file '${path}': ${reason}`);
  }
  text.split(/\r?\n/).forEach((line, index) => {
    const words = line.trim().split(/\s+/);
    const [name, ...values] = words;
    if (name === undefined || name === "" || name.startsWith("#")) return;
    applyDirective(config, name, values, `line ${index + 1} of ${path}`);
  });
}

function applyDirective(
  config: ServerConfig,
  name: string,
  values: string[],
  where: string,
): void {
  const key = name.toLowerCase();
  // Own properties only: the name comes from the user, and every object also
  // "has" `constructor`, `toString` and `__proto__`.
  const directive = Object.hasOwn(DIRECTIVES, key)
    ? DIRECTIVES[key]
    : undefined;
  if (directive === undefined || values.length !== 1) {
    const known = Object.keys(DIRECTIVES).join(", ");
    throw new ConfigError(
      `Bad directive or wrong number of arguments at ${where} (this chapter knows: ${known}, one value each)`,
    );
  }
  // Text from a file or the command line is UTF-8; the server's strings
  // are byte strings (one character per byte), as if sent by a client.
  directive.apply(config, Buffer.from(values[0]!).toString("latin1"));
}

/**
 * Node reads an empty address as "every interface": exactly the accident the
 * loopback default is there to prevent (think `--bind "$UNSET_VARIABLE"`).
 */
function parseAddress(text: string): string {
  if (text.trim() === "") {
    throw new ConfigError(
      "Invalid bind '': expected an address such as 127.0.0.1",
    );
  }
  return text;
}

function parseInteger(
  text: string,
  name: string,
  min: number,
  max: number,
): number {
  const message = `Invalid ${name} '${text}': expected a whole number from ${min} to ${max}`;
  // Redis's string2ll: what does not fit in 64 bits is no integer at all,
  // rather than one out of range.
  if (
    !/^(0|-?[1-9]\d{0,18})$/.test(text) ||
    BigInt.asIntN(64, BigInt(text)) !== BigInt(text)
  ) {
    throw new ConfigError(
      message,
      "argument couldn't be parsed into an integer",
    );
  }
  const value = Number(text);
  if (!(value >= min && value <= max)) {
    throw new ConfigError(
      message,
      `argument must be between ${min} and ${max} inclusive`,
    );
  }
  return value;
}

/** Redis's memory units: `k` is 1000 bytes, `kb` is 1024, and so on up to `gb`. */
const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/**
 * A size as Redis writes it in redis.conf: `1gb`, `512mb`, `100000`, read
 * as Redis's `memtoull` reads it, into a signed 64-bit integer: no digits
 * at all (`""`, `mb`) reads as 0, which the minimum then refuses; the unit
 * is compared as a C string, so a NUL byte ends it; and the arithmetic is
 * C's, so too many digits stick at 2^64 - 1 and the unit then wraps around
 * (`17179869185gb` is 1 GB). A number when it fits in one exactly.
 */
function parseMemory(text: string, name: string, min: number): number | bigint {
  const match = /^(\d*)([a-z]*)(?:\0[^]*)?$/i.exec(text);
  const unit = match?.[2]?.toLowerCase() ?? "";
  const message = `Invalid ${name} '${text}': expected a size of at least ${min} bytes, such as 1mb or 1gb`;
  // memtoull copies the digits into a 128-byte buffer, or gives up.
  if (
    match === null ||
    !Object.hasOwn(MEMORY_UNITS, unit) ||
    match[1]!.length >= 128
  ) {
    throw new ConfigError(message, "argument must be a memory value");
  }
  const digits = BigInt(match[1] || "0");
  const saturated = digits < 2n ** 64n ? digits : 2n ** 64n - 1n;
  const value = BigInt.asIntN(64, saturated * BigInt(MEMORY_UNITS[unit]!));
  if (value < BigInt(min)) {
    throw new ConfigError(
      message,
      `argument must be between ${min} and 9223372036854775807 inclusive`,
    );
  }
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
