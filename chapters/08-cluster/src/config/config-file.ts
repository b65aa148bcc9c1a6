/**
 * Reading the settings the way `redis-server` reads them:
 *
 *     redis-server [/path/to/redis.conf] [--directive value ...]
 *
 * A config file holds one directive per line (`port 7000`), `#` starts a
 * comment line, and `--port 7000` on the command line is the same directive
 * written inline. Command-line directives are applied after the file, so they
 * win. Which directives exist is directives.ts's business, and how one value
 * is read is config-values.ts's: this file, like that one, is the same in
 * every chapter.
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "./config-values.ts";
import { DEFAULT_CONFIG, DIRECTIVES, type ServerConfig } from "./directives.ts";

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
  if (
    directive === undefined ||
    (directive.severalWords !== true && values.length !== 1)
  ) {
    const known = Object.keys(DIRECTIVES).join(", ");
    throw new ConfigError(
      `Bad directive or wrong number of arguments at ${where} (this chapter knows: ${known})`,
    );
  }
  // A directive of several words gets them as CONFIG SET would: one
  // value, the words parted by single spaces.
  const value = values.join(" ");
  // Text from a file or the command line is UTF-8; the server's strings
  // are byte strings (one character per byte), as if sent by a client.
  directive.apply(config, Buffer.from(value).toString("latin1"));
}
