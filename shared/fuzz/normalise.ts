/**
 * Replies that differ by nature, and how they are compared instead of
 * byte for byte. Each rule is narrow: it applies to named commands only,
 * and still compares everything that does not differ by nature.
 *
 * These are not differences between the servers; differences are in
 * known-differences.ts. These are answers that two correct Redis servers
 * would give differently too: an order that follows a hash table seeded at
 * random, a key picked at random, a clock read a few milliseconds apart, a
 * connection number, a port.
 *
 * Every rule holds in both protocols: where RESP3 answers with another
 * type (a map for RESP2's flat array, `_` for `$-1`, verbatim text for a
 * bulk string), the rule reads either, and still requires the two servers
 * to have used the same one.
 */
import {
  commandName,
  elementsOf,
  integerOf,
  itemsOf,
  sameItems,
  subcommandName,
  type CompareContext,
  type Exchange,
} from "./exchange.ts";
import { isError, isNull, textOf, type RespReply } from "./resp.ts";
import { editIntrospection, introspectionKind } from "./introspection.ts";

export interface Normalisation {
  readonly name: string;
  /** Why the replies may differ without either server being wrong. */
  readonly why: string;
  /** Whether this rule is the one for this command. */
  applies(args: readonly Buffer[]): boolean;
  /** True if the replies agree on everything but what differs by nature. */
  agree(exchange: Exchange, context: CompareContext): boolean;
}

/**
 * How far apart the two servers' clocks may be read for one command, in
 * milliseconds. Both get each command within a millisecond or two of the
 * other; the rest is room for a garbage-collection pause in ours, or a
 * busy CI machine that leaves one process waiting for a core.
 */
export const CLOCK_LAG_MS = 500;

/**
 * How long before its milliseconds companion a seconds reading (TTL before
 * PTTL) may have been taken on the same server: they are adjacent commands.
 */
const COMPANION_DRIFT_MS = 100;

/** Two deadline readings in milliseconds (PTTL, PEXPIRETIME): equal, or both positive and close. */
export function closeMilliseconds(ours: RespReply, redis: RespReply): boolean {
  const a = integerOf(ours);
  const b = integerOf(redis);
  if (a === undefined || b === undefined) return false;
  if (a < 0 || b < 0) return a === b;
  return Math.abs(a - b) <= CLOCK_LAG_MS;
}

/**
 * Whether `seconds` is what Redis's rounding, (ms + 500) / 1000, gives for
 * some time between `ms` and `ms + drift`: the seconds reading was taken
 * just before its milliseconds companion, `drift` at most earlier.
 */
function roundsFrom(seconds: number, ms: number, drift: number): boolean {
  return seconds * 1000 - 500 <= ms + drift && ms < seconds * 1000 + 500;
}

/**
 * How far apart two OBJECT IDLETIME readings of one key may be, in
 * seconds: Redis counts idle time in ticks of its LRU clock, a second
 * long and refreshed only at `hz` (once a second at hz 1), so a key used
 * a moment ago may read 1 there and 0 in a server that measures to the
 * millisecond, or one tick behind.
 */
const IDLE_TICKS = 2;

/** Sorts replies by their bytes. */
function sortedByBytes(items: readonly RespReply[]): RespReply[] {
  return [...items].sort((a, b) => Buffer.compare(a.raw, b.raw));
}

/**
 * `name value name value ...` as pairs, sorted by name, keeping only names
 * `keep` accepts. (Names come back in the case they were asked in.)
 */
function pairsOf(
  items: readonly RespReply[],
  keep: (name: string) => boolean,
): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const name = textOf(items[i]!) ?? "";
    if (keep(name)) pairs.push([name, items[i + 1]!.raw.toString("latin1")]);
  }
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** CONFIG parameters whose values are the run's own: each server has its port and folder. */
const PER_SERVER_PARAMETERS = new Set(["port", "dir"]);

/** INFO fields whose values must agree; the others are figures of each process (pid, memory, uptime, counters). */
const STABLE_INFO_FIELDS = new Set([
  "redis_version",
  "redis_mode",
  "arch_bits",
  "hz",
  "configured_hz",
  "loading",
  "aof_enabled",
]);

/** An INFO text as sections of `field: value`, in order. */
function infoSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split("\r\n")) {
    if (line.startsWith("# ")) {
      current = new Map();
      sections.set(line.slice(2), current);
    } else if (line !== "" && current !== undefined) {
      const colon = line.indexOf(":");
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return sections;
}

/** A keyspace line's `keys` and `expires` (avg_ttl is a clock reading). */
function keyspaceCounts(line: string): string {
  return line
    .split(",")
    .filter((part) => part.startsWith("keys=") || part.startsWith("expires="))
    .join(",");
}

function infoAgrees(ours: string, redis: string): boolean {
  const oursSections = infoSections(ours);
  const redisSections = infoSections(redis);
  // Ours prints fewer sections; those it prints come in Redis's order.
  const redisOrder = [...redisSections.keys()];
  let position = -1;
  for (const name of oursSections.keys()) {
    const at = redisOrder.indexOf(name, position + 1);
    if (at === -1) return false;
    position = at;
  }
  for (const [name, fields] of oursSections) {
    const redisFields = redisSections.get(name)!;
    if (name === "Keyspace") {
      // The same databases, with the same numbers of keys and deadlines.
      if (fields.size !== redisFields.size) return false;
      for (const [db, line] of fields) {
        const other = redisFields.get(db);
        if (
          other === undefined ||
          keyspaceCounts(line) !== keyspaceCounts(other)
        )
          return false;
      }
      continue;
    }
    // Every field ours prints is one Redis prints in that section.
    for (const [field, value] of fields) {
      const other = redisFields.get(field);
      if (other === undefined) return false;
      if (STABLE_INFO_FIELDS.has(field) && other !== value) return false;
    }
  }
  return true;
}

export const NORMALISATIONS: readonly Normalisation[] = [
  {
    name: "subcommand-order",
    why: "Redis keeps a container's subcommands in a hash table seeded at random, so COMMAND INFO and DOCS list them in a different order from one redis-server to the next: compared sorted by name",
    applies: (args) => introspectionKind(args) !== undefined,
    agree({ args, ours, redis, protocol }) {
      const kind = introspectionKind(args)!;
      const sorted = (reply: RespReply): Buffer =>
        editIntrospection(reply, kind, protocol, { sortSubcommands: true }).raw;
      return sorted(ours).equals(sorted(redis));
    },
  },
  {
    name: "unordered-keys",
    why: "KEYS lists keys in hash-table order, and Redis seeds its hash function at random: compared sorted",
    applies: (args) => commandName(args) === "keys",
    agree({ ours, redis }) {
      const a = itemsOf(ours);
      const b = itemsOf(redis);
      return (
        a !== undefined &&
        b !== undefined &&
        sameItems(sortedByBytes(a), sortedByBytes(b))
      );
    },
  },
  {
    name: "random-key",
    why: "RANDOMKEY picks at random: both must answer a key, or both the same nil ($-1 in RESP2, _ in RESP3)",
    applies: (args) => commandName(args) === "randomkey",
    agree({ ours, redis }) {
      if (isNull(ours) || isNull(redis)) return ours.raw.equals(redis.raw);
      return ours.type === "$" && redis.type === "$";
    },
  },
  {
    name: "scan-cursor",
    why: "a SCAN cursor other than 0 is a position in the server's own hash table: both must accept it and answer [cursor, keys]",
    applies: (args) =>
      commandName(args) === "scan" && args[1]?.toString("latin1") !== "0",
    agree({ ours, redis }) {
      const shape = (reply: RespReply): boolean => {
        const items = itemsOf(reply);
        return (
          items?.length === 2 &&
          items[0]!.type === "$" &&
          itemsOf(items[1]!) !== undefined
        );
      };
      return shape(ours) && shape(redis);
    },
  },
  {
    name: "clock",
    why: "TIME reads each server's clock: both must answer [seconds, microseconds], within two seconds",
    applies: (args) => commandName(args) === "time",
    agree({ ours, redis }) {
      const seconds = (reply: RespReply): number | undefined => {
        const items = itemsOf(reply);
        if (items?.length !== 2) return undefined;
        const [s, us] = items.map((item) => textOf(item) ?? "");
        return /^\d+$/.test(s!) && /^\d+$/.test(us!) ? Number(s) : undefined;
      };
      const a = seconds(ours);
      const b = seconds(redis);
      return a !== undefined && b !== undefined && Math.abs(a - b) <= 2;
    },
  },
  {
    name: "connection-id",
    why: "connection ids count every connection a server has had, and the two have not had the same ones (readiness probes): compared as integers, or HELLO's reply (an array in RESP2, a map in RESP3, the same in both servers) with its id left out",
    applies: (args) =>
      (commandName(args) === "client" && subcommandName(args) === "id") ||
      commandName(args) === "hello",
    agree({ args, ours, redis }) {
      if (commandName(args) === "client") {
        return integerOf(ours) !== undefined && integerOf(redis) !== undefined;
      }
      const a = elementsOf(ours);
      const b = elementsOf(redis);
      if (a === undefined || b === undefined) return false;
      if (ours.type !== redis.type || a.length !== b.length) return false;
      return a.every(
        (item, i) =>
          item.raw.equals(b[i]!.raw) ||
          (i > 0 &&
            textOf(a[i - 1]!) === "id" &&
            item.type === ":" &&
            b[i]!.type === ":"),
      );
    },
  },
  {
    name: "deadline-readings",
    why: "the servers read their clocks a few milliseconds apart: milliseconds must be close, and seconds, which round at the half second, may differ by one when each server's own milliseconds (the PTTL companion) show it was at a half second",
    applies: (args) =>
      ["ttl", "pttl", "expiretime", "pexpiretime"].includes(commandName(args)),
    agree({ args, ours, redis, companion }) {
      const name = commandName(args);
      if (name === "pttl" || name === "pexpiretime") {
        return closeMilliseconds(ours, redis);
      }
      const a = integerOf(ours);
      const b = integerOf(redis);
      if (a === undefined || b === undefined || a < 0 || b < 0) return false;
      if (Math.abs(a - b) > 1 || companion === undefined) return false;
      const ms = [integerOf(companion.ours), integerOf(companion.redis)];
      if (ms.some((value) => value === undefined || value < 0)) return false;
      // A TTL is counted down between the two readings; an EXPIRETIME is not.
      const drift = name === "ttl" ? COMPANION_DRIFT_MS : 0;
      return (
        closeMilliseconds(companion.ours, companion.redis) &&
        roundsFrom(a, ms[0]!, drift) &&
        roundsFrom(b, ms[1]!, drift)
      );
    },
  },
  {
    name: "idle-time",
    why: "OBJECT IDLETIME is a clock reading: Redis's clock for it ticks once a second and is refreshed at hz, so both must answer an integer, within two seconds of each other",
    applies: (args) =>
      commandName(args) === "object" && subcommandName(args) === "idletime",
    agree({ ours, redis }) {
      const a = integerOf(ours);
      const b = integerOf(redis);
      return (
        a !== undefined &&
        b !== undefined &&
        a >= 0 &&
        b >= 0 &&
        Math.abs(a - b) <= IDLE_TICKS
      );
    },
  },
  {
    name: "config-get",
    why: "Redis has about 190 parameters the chapters do not: CONFIG GET is compared on the chapter's parameters only, as sorted pairs (a flat array in RESP2, a map in RESP3, the same in both servers), with each server's own port and folder left out",
    applies: (args) =>
      commandName(args) === "config" && subcommandName(args) === "get",
    agree({ ours, redis }, { configParameters }) {
      const a = elementsOf(ours);
      const b = elementsOf(redis);
      if (a === undefined || b === undefined || ours.type !== redis.type)
        return false;
      const mask = (pairs: [string, string][]): [string, string][] =>
        pairs.map(([name, value]) => [
          name,
          PER_SERVER_PARAMETERS.has(name.toLowerCase())
            ? "(per server)"
            : value,
        ]);
      const oursPairs = mask(pairsOf(a, () => true));
      const redisPairs = mask(
        pairsOf(b, (name) => configParameters.has(name.toLowerCase())),
      );
      return JSON.stringify(oursPairs) === JSON.stringify(redisPairs);
    },
  },
  {
    name: "info-fields",
    why: "INFO is mostly figures of each process (pid, memory, uptime, counters) and Redis prints many more fields: ours must send the same type (a bulk string in RESP2, verbatim txt in RESP3) and print only fields Redis has, in Redis's sections, and agree on the version, the mode, hz, the AOF state and the keys per database",
    applies: (args) => commandName(args) === "info",
    agree({ ours, redis }) {
      if (isError(ours) || isError(redis)) return false;
      if (ours.type !== redis.type || ours.format !== redis.format)
        return false;
      const a = textOf(ours);
      const b = textOf(redis);
      return a !== undefined && b !== undefined && infoAgrees(a, b);
    },
  },
];
