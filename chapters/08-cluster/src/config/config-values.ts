/**
 * The readers of single setting values, the same in every chapter: an
 * address, a whole number, a memory size, yes/no, each read as Redis reads
 * it, and ConfigError, which they throw. They live apart from
 * config-file.ts so that the imports run one way: config-file.ts reads the
 * directive table in directives.ts, and the table reads its values here.
 */

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
 * as Redis's `memtoull` reads it, into an unsigned 64-bit integer: no
 * digits at all (`""`, `mb`) reads as 0; the unit is compared as a C
 * string, so a NUL byte ends it; and the arithmetic is C's, so too many
 * digits stick at 2^64 - 1 and the unit then wraps around (`17179869185gb`
 * is 1 GB). Undefined for what is no size at all (`1.5mb`, `-1`, `1tb`).
 */
export function readMemorySize(text: string): bigint | undefined {
  const match = /^(\d*)([a-z]*)(?:\0[^]*)?$/i.exec(text);
  const unit = match?.[2]?.toLowerCase() ?? "";
  // memtoull copies the digits into a 128-byte buffer, or gives up.
  if (
    match === null ||
    !Object.hasOwn(MEMORY_UNITS, unit) ||
    match[1]!.length >= 128
  ) {
    return undefined;
  }
  const digits = BigInt(match[1] || "0");
  const saturated = digits < 2n ** 64n ? digits : 2n ** 64n - 1n;
  return BigInt.asUintN(64, saturated * BigInt(MEMORY_UNITS[unit]!));
}

/**
 * A size setting, read by readMemorySize into a signed 64-bit integer, as
 * Redis keeps most of them: 2^64 - 1 is -1 there, which the minimum then
 * refuses. A number when it fits in one exactly.
 */
export function parseMemory(
  text: string,
  name: string,
  min: number,
): number | bigint {
  const size = readMemorySize(text);
  const message = `Invalid ${name} '${text}': expected a size of at least ${min} bytes, such as 1mb or 1gb`;
  if (size === undefined) {
    throw new ConfigError(message, "argument must be a memory value");
  }
  const value = BigInt.asIntN(64, size);
  if (value < BigInt(min)) {
    throw new ConfigError(
      message,
      `argument must be between ${min} and 9223372036854775807 inclusive`,
    );
  }
  return exactNumber(value);
}

/** A number when the integer fits in one exactly, the bigint otherwise. */
export function exactNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) &&
    value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
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
