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
}

export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  port: 6379,
  bind: "127.0.0.1",
  shutdownTimeout: 10,
};

/** A setting we cannot use. The message is one line, meant for a human. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

// #region directives
/** Checks one directive's value and stores it in the config. */
type ApplyDirective = (config: ServerConfig, value: string) => void;

/** Every directive this chapter knows (one value each). */
const DIRECTIVES: Record<string, ApplyDirective> = {
  port(config, value) {
    config.port = parseInteger(value, "port", 0, 65535);
  },
  bind(config, value) {
    config.bind = parseAddress(value);
  },
  "shutdown-timeout"(config, value) {
    config.shutdownTimeout = parseInteger(value, "shutdown-timeout", 0, 3600);
  },
};
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

interface Directive {
  name: string;
  values: string[];
  /** Where it was written, for error messages. */
  where: string;
}

/** `--port 7000 --bind ::1` → [{port, [7000]}, {bind, [::1]}]. */
function splitCommandLine(args: readonly string[]): Directive[] {
  const directives: Directive[] = [];
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
  const apply = Object.hasOwn(DIRECTIVES, key) ? DIRECTIVES[key] : undefined;
  if (apply === undefined || values.length !== 1) {
    const known = Object.keys(DIRECTIVES).join(", ");
    throw new ConfigError(
      `Bad directive or wrong number of arguments at ${where} (this chapter knows: ${known}, one value each)`,
    );
  }
  apply(config, values[0]!);
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
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(
      `Invalid ${name} '${text}': expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}
