/**
 * `client-output-buffer-limit`: how many bytes of replies may wait for one
 * client before the server gives up on it, read and shown as Redis reads
 * and shows it:
 *
 *     client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [<class> ...]
 *
 * A client is disconnected at once when its waiting replies reach the hard
 * limit, or when they stay above the soft limit for the soft seconds; 0
 * turns a limit off. Redis keeps limits for three classes of clients:
 * normal ones, replicas (also spelt `slave`) and pub/sub subscribers. Ours
 * are all normal; the other two are kept so that CONFIG GET answers what
 * Redis answers.
 */
import { ConfigError, exactNumber, readMemorySize } from "./config-values.ts";

/** One class's limits. Sizes beyond 2^53 are kept exactly, as bigints. */
export interface OutputBufferLimit {
  readonly hardBytes: number | bigint;
  readonly softBytes: number | bigint;
  readonly softSeconds: number;
}

export interface OutputBufferLimits {
  readonly normal: OutputBufferLimit;
  readonly replica: OutputBufferLimit;
  readonly pubsub: OutputBufferLimit;
}

const MB = 1024 ** 2;

// #region normal-limit
/**
 * Our default for normal clients, a deliberate difference: Redis's is
 * `normal 0 0 0`, no limit at all, so a client that sends commands and
 * never reads the replies makes Redis keep them all, without bound. A
 * client that never reads must not cost unbounded memory, so ours is
 * dropped at 64 MB of waiting replies, or after 20 seconds above 16 MB.
 */
export const OUR_NORMAL_OUTPUT_LIMIT: OutputBufferLimit = {
  hardBytes: 64 * MB,
  softBytes: 16 * MB,
  softSeconds: 20,
};
// #endregion normal-limit

/** Redis's defaults for the other two classes. */
export const DEFAULT_OUTPUT_BUFFER_LIMITS: OutputBufferLimits = {
  normal: OUR_NORMAL_OUTPUT_LIMIT,
  replica: { hardBytes: 256 * MB, softBytes: 64 * MB, softSeconds: 60 },
  pubsub: { hardBytes: 32 * MB, softBytes: 8 * MB, softSeconds: 60 },
};

/** The class names Redis reads (in any letter case), and the class each means. */
const CLASSES: Readonly<Record<string, keyof OutputBufferLimits>> = {
  normal: "normal",
  replica: "replica",
  slave: "replica",
  pubsub: "pubsub",
};

const WRONG_COUNT = "Wrong number of arguments in buffer limit configuration.";
const BAD_CLASS =
  "Invalid client class specified in buffer limit configuration.";
const BAD_NUMBER =
  "Error in hard, soft or soft_seconds setting in buffer limit configuration.";

/**
 * Reads a value such as `normal 64mb 16mb 20 pubsub 32mb 8mb 60` and
 * returns `limits` with the classes it names replaced, the way Redis's
 * CONFIG SET reads it: the value is split at single spaces (so two spaces
 * in a row make an empty word, which is 0 as a size), every group of four
 * is checked before any is taken, and a class named twice takes its last
 * group. An empty value changes nothing.
 * @throws ConfigError with Redis's own wording.
 */
export function parseOutputBufferLimits(
  text: string,
  limits: OutputBufferLimits,
): OutputBufferLimits {
  if (text === "") return limits;
  const words = text.split(" ");
  if (words.length % 4 !== 0) throw limitError(text, WRONG_COUNT);
  const updated = { ...limits };
  for (let i = 0; i < words.length; i += 4) {
    const name = cString(words[i]!).toLowerCase();
    const limitClass = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
    if (limitClass === undefined) throw limitError(text, BAD_CLASS);
    const hard = readMemorySize(words[i + 1]!);
    const soft = readMemorySize(words[i + 2]!);
    const seconds = readSeconds(words[i + 3]!);
    if (hard === undefined || soft === undefined || seconds === undefined) {
      throw limitError(text, BAD_NUMBER);
    }
    updated[limitClass] = {
      hardBytes: exactNumber(hard),
      softBytes: exactNumber(soft),
      softSeconds: seconds,
    };
  }
  return updated;
}

/** The value as CONFIG GET shows it: all three classes, sizes in bytes. */
export function showOutputBufferLimits(limits: OutputBufferLimits): string {
  // Redis names the replica class by its old name here.
  const shown: [string, OutputBufferLimit][] = [
    ["normal", limits.normal],
    ["slave", limits.replica],
    ["pubsub", limits.pubsub],
  ];
  return shown
    .map(
      ([name, limit]) =>
        `${name} ${limit.hardBytes} ${limit.softBytes} ${limit.softSeconds}`,
    )
    .join(" ");
}

function limitError(text: string, reason: string): ConfigError {
  return new ConfigError(
    `Invalid client-output-buffer-limit '${text}': ${reason}`,
    reason,
  );
}

/** The word as C reads it: up to its first NUL byte. */
function cString(word: string): string {
  return word.split("\0")[0]!;
}

/**
 * The soft seconds, read as Redis reads them: C's strtoll (white space
 * first, a sign, decimal digits; no digits at all is 0, and too many stick
 * at the 64-bit limits) stored in a 32-bit int, which keeps the low 32
 * bits: 4294967297 is 1, and 2147483648 is negative. Undefined for what
 * is no number, or negative.
 */
function readSeconds(word: string): number | undefined {
  const text = cString(word);
  if (text === "") return 0;
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(text)) return undefined;
  const parsed = BigInt(text.trim());
  const saturated =
    parsed > 2n ** 63n - 1n
      ? 2n ** 63n - 1n
      : parsed < -(2n ** 63n)
        ? -(2n ** 63n)
        : parsed;
  const seconds = Number(BigInt.asIntN(32, saturated));
  return seconds < 0 ? undefined : seconds;
}
