/**
 * Reading the settings the way `redis-server` reads them:
 *
 *     redis-server [/path/to/redis.conf] [--directive value ...]
 *
 * A config file holds one directive per line (`port 7000`), `#` starts a
 * comment line, and `--port 7000` on the command line is the same directive
 * written inline. Command-line directives are applied after the file, so they
 * win. Which directives exist is directives.ts's business: this file, and
 * its readers of integers, sizes and yes/no, are the same in every chapter.
 */
import { readFileSync } from "node:fs";
import { DEFAULT_CONFIG, DIRECTIVES, type ServerConfig } from "./directives.ts";

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

/**
 * Finds a directive in the table and lets it check and store its value.
 * An unknown one is an error rather than a silent no-op, because a typo
 * such as `bnid 0.0.0.0` should not leave the server listening somewhere
 * unexpected.
 */
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
 * An address to listen on. Node reads an empty one as "every interface":
 * exactly the accident the loopback default is there to prevent (think
 * `--bind "$UNSET_VARIABLE"`).
 */
export function parseAddress(text: string): string {
  if (text.trim() === "") {
    throw new ConfigError(
      "Invalid bind '': expected an address such as 127.0.0.1",
    );
  }
  return text;
}

/** A whole number from `min` to `max`, read as Redis reads integer settings. */
export function parseInteger(
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
export function parseMemory(
  text: string,
  name: string,
  min: number,
): number | bigint {
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

/**
 * Redis's yes/no, in any letter case, read as a C string (so `no\0junk`
 * is no).
 */
export function parseYesNo(value: string): boolean {
  const word = value.split("\0")[0]!.toLowerCase();
  if (word !== "yes" && word !== "no") {
    throw new ConfigError(
      `Invalid value '${value}': expected yes or no`,
      "argument must be 'yes' or 'no'",
    );
  }
  return word === "yes";
}
