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
import { dumpContents } from "./dump-payloads.ts";

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

// #region cluster-helpers
/**
 * A CLUSTER NODES, SLOTS or SHARDS reply with the node's own port and bus
 * port written `(port)`: the one thing two single-node clusters under the
 * same node id (cluster-mode.ts) cannot share. As text: NODES' type and
 * lines (its length depends on how many digits the ports have), SLOTS'
 * and SHARDS' bytes (a port is an integer there, with no length before it).
 */
function withoutOwnPort(reply: RespReply, sub: string): string | undefined {
  if (isError(reply)) return undefined;
  if (sub === "nodes") {
    const text = textOf(reply);
    if (text === undefined) return undefined;
    // `<id> <ip>:<port>@<bus>[,<hostname>] ...`, one line per node.
    const masked = text.replace(/^(\S+ [^ :]*:)\d+@\d+/gm, "$1(port)@(port)");
    return `${reply.type}${reply.format ?? ""}:${masked}`;
  }
  const raw = reply.raw.toString("latin1");
  return sub === "slots"
    ? // A node is [ip, port, id, ...]: the integer before a 40-byte id.
      raw.replace(/:\d+\r\n(?=\$40\r\n)/g, ":(port)\r\n")
    : // A node is a map whose `port` holds its port.
      raw.replace(/(\$4\r\nport\r\n):\d+\r\n/g, "$1:(port)\r\n");
}

/** CLUSTER INFO's fields counting bus messages: each process's own traffic. */
const MESSAGE_STATS = /^cluster_stats_messages_[a-z_]+:\d+$/;

/** CLUSTER INFO as its lines, the message counts left out. */
function clusterInfoLines(reply: RespReply): string | undefined {
  if (isError(reply)) return undefined;
  const text = textOf(reply);
  if (text === undefined) return undefined;
  const lines = text.split("\r\n").filter((line) => !MESSAGE_STATS.test(line));
  return `${reply.type}${reply.format ?? ""}:${lines.join("\n")}`;
}
// #endregion cluster-helpers

// #region hash-helpers
/** Whether the OBJECT ENCODING sent behind a hash command says hashtable on both servers. */
function bothHashTables(companion: Exchange["companion"]): boolean {
  return (
    companion !== undefined &&
    textOf(companion.ours) === "hashtable" &&
    textOf(companion.redis) === "hashtable"
  );
}

/**
 * Elements in groups of `size` (a field and its value: 2), each group as
 * its bytes, sorted: the same groups in any order compare equal.
 */
function sortedGroups(items: readonly RespReply[], size: number): string[] {
  const groups: string[] = [];
  for (let i = 0; i < items.length; i += size) {
    groups.push(
      items
        .slice(i, i + size)
        .map((item) => item.raw.toString("hex"))
        .join(":"),
    );
  }
  return groups.sort();
}

/** A hash as HGETALL answered it (a flat array or a map): field bytes → value bytes. */
function hashContents(reply: RespReply): Map<string, string> | undefined {
  const items = elementsOf(reply);
  if (items === undefined) return undefined;
  const contents = new Map<string, string>();
  for (let i = 0; i + 1 < items.length; i += 2) {
    contents.set(
      items[i]!.raw.toString("hex"),
      items[i + 1]!.raw.toString("hex"),
    );
  }
  return contents;
}

/**
 * HRANDFIELD's picks as [field, value] (value undefined without
 * WITHVALUES), read from its reply's shape: one bulk string without a
 * count; with one, an array of fields, of pairs (RESP3) or of fields and
 * values in turn (RESP2). Undefined for any other shape.
 */
function picksOf(
  reply: RespReply,
  args: readonly Buffer[],
  protocol: 2 | 3,
): [string, string | undefined][] | undefined {
  const hex = (item: RespReply): string => item.raw.toString("hex");
  if (args.length === 2)
    return reply.type === "$" ? [[hex(reply), undefined]] : undefined;
  const items = itemsOf(reply);
  if (items === undefined) return undefined;
  if (args.length === 3) return items.map((item) => [hex(item), undefined]);
  if (protocol === 3) {
    const pairs = items.map((item) => itemsOf(item));
    if (pairs.some((pair) => pair?.length !== 2)) return undefined;
    return pairs.map((pair) => [hex(pair![0]!), hex(pair![1]!)]);
  }
  if (items.length % 2 !== 0) return undefined;
  return Array.from({ length: items.length / 2 }, (_, i) => [
    hex(items[2 * i]!),
    hex(items[2 * i + 1]!),
  ]);
}

/**
 * The judgement HSCAN and ZSCAN share: when `bothTables` says both
 * servers walk a hash table (OBJECT ENCODING, sent right behind), each
 * must answer [cursor, pairs] with no item twice, and a walk from 0 that
 * both finish in one call must find the same pairs. A compact encoding
 * answers whole and in order, so it is left to the byte comparison.
 */
function pairScanAgree(
  bothTables: (companion: Exchange["companion"]) => boolean,
): Normalisation["agree"] {
  return ({ args, ours, redis, companion }) => {
    if (!bothTables(companion)) return false;
    const a = hscanBatch(ours);
    const b = hscanBatch(redis);
    if (a === undefined || b === undefined) return false;
    if (
      args[2]?.toString("latin1") === "0" &&
      a.cursor === "0" &&
      b.cursor === "0"
    ) {
      return (
        JSON.stringify(sortedGroups(a.items, 2)) ===
        JSON.stringify(sortedGroups(b.items, 2))
      );
    }
    return true;
  };
}
/**
 * The judgement HRANDFIELD and ZRANDMEMBER share (one algorithm in Redis
 * too): every pick an item of that server's own collection (read from
 * the companion by `contentsOf`) with its value or score, if the reply
 * has them; different items for a positive count, the same number of
 * picks on both sides, and for a count that takes everything, the same
 * items.
 */
function randomPicksAgree(
  contentsOf: (reply: RespReply) => Map<string, string> | undefined,
): Normalisation["agree"] {
  return ({ args, ours, redis, protocol, companion }) => {
    if (companion === undefined || ours.type !== redis.type) return false;
    // One pick without a count; a count is valid if the reply is not an error.
    const count = args.length > 2 ? Number(args[2]!.toString("latin1")) : 1;
    const check = (reply: RespReply, collection: RespReply) => {
      const picks = picksOf(reply, args, protocol);
      const contents = contentsOf(collection);
      if (picks === undefined || contents === undefined) return undefined;
      const fine = picks.every(
        ([item, value]) =>
          contents.has(item) &&
          (value === undefined || contents.get(item) === value),
      );
      const items = new Set(picks.map(([item]) => item));
      if (!fine || (count > 0 && items.size !== picks.length)) return undefined;
      return { items: [...items].sort(), size: contents.size };
    };
    const a = check(ours, companion.ours);
    const b = check(redis, companion.redis);
    if (a === undefined || b === undefined) return false;
    if (a.items.length !== b.items.length && count > 0) return false;
    if (count > 0 && count >= a.size)
      return JSON.stringify(a.items) === JSON.stringify(b.items);
    return (itemsOf(ours)?.length ?? 1) === (itemsOf(redis)?.length ?? 1);
  };
}
/** An HSCAN reply's cursor and its fields and values, or undefined for another shape. */
function hscanBatch(
  reply: RespReply,
): { cursor: string; items: readonly RespReply[] } | undefined {
  const parts = itemsOf(reply);
  const items = parts?.[1] === undefined ? undefined : itemsOf(parts[1]);
  if (parts?.length !== 2 || parts[0]!.type !== "$" || items === undefined)
    return undefined;
  if (items.length % 2 !== 0) return undefined;
  // Within one call, a field comes once.
  const fields = items.filter((_, i) => i % 2 === 0).map((item) => item.raw);
  if (new Set(fields.map((raw) => raw.toString("hex"))).size !== fields.length)
    return undefined;
  return { cursor: textOf(parts[0]!) ?? "", items };
}
// #endregion hash-helpers

// #region set-helpers
/** Each element's bytes, as hex: what the set rules compare. */
function hexes(items: readonly RespReply[]): string[] {
  return items.map((item) => item.raw.toString("hex"));
}

/** Whether no element comes twice. */
function distinct(items: readonly RespReply[]): boolean {
  return new Set(hexes(items)).size === items.length;
}

/** Two lists of elements with the same bytes, in any order. */
function sameMembers(
  a: readonly RespReply[],
  b: readonly RespReply[],
): boolean {
  return JSON.stringify(hexes(a).sort()) === JSON.stringify(hexes(b).sort());
}

/** An SSCAN reply's cursor and its members (none twice), or undefined for another shape. */
function sscanBatch(
  reply: RespReply,
): { cursor: string; members: readonly RespReply[] } | undefined {
  const parts = itemsOf(reply);
  const members = parts?.[1] === undefined ? undefined : itemsOf(parts[1]);
  if (parts?.length !== 2 || parts[0]!.type !== "$" || members === undefined)
    return undefined;
  if (!distinct(members)) return undefined;
  return { cursor: textOf(parts[0]!) ?? "", members };
}
// #endregion set-helpers

// #region zset-helpers
/** Whether the OBJECT ENCODING sent behind a sorted-set command says skiplist on both servers. */
function bothSkiplists(companion: Exchange["companion"]): boolean {
  return (
    companion !== undefined &&
    textOf(companion.ours) === "skiplist" &&
    textOf(companion.redis) === "skiplist"
  );
}

/**
 * A sorted set as `ZRANGE key 0 -1 WITHSCORES` answered it: member bytes
 * → the score's whole reply (a bulk string in RESP2, a double in RESP3),
 * as hex. RESP2 alternates members and scores; RESP3 sends pairs.
 */
function scoredContents(reply: RespReply): Map<string, string> | undefined {
  const items = itemsOf(reply);
  if (items === undefined) return undefined;
  const pairs = items.every((item) => itemsOf(item)?.length === 2)
    ? items.map((item) => itemsOf(item)!)
    : Array.from({ length: Math.floor(items.length / 2) }, (_, i) => [
        items[2 * i]!,
        items[2 * i + 1]!,
      ]);
  return new Map(
    pairs.map(([member, score]) => [
      member!.raw.toString("hex"),
      score!.raw.toString("hex"),
    ]),
  );
}
// #endregion zset-helpers

// #region sort-helpers
/** What a SORT or SORT_RO command asks for, read from its words as Redis reads them. */
interface SortOptions {
  readonly alpha: boolean;
  /** The last BY pattern, if any. */
  readonly by?: Buffer;
  /**
   * Whether anything is sorted: not once a BY names a constant (no `*`),
   * whatever BY comes after it.
   */
  readonly sorts: boolean;
  /** The last LIMIT, if any. */
  readonly limit?: { readonly offset: number; readonly count: number };
  /** The GET patterns, in order. */
  readonly gets: readonly Buffer[];
  readonly store: boolean;
}

/**
 * SORT's options, or undefined where Redis answers a syntax error (an
 * unknown word, an option without its argument, STORE on SORT_RO).
 */
function sortOptions(args: readonly Buffer[]): SortOptions | undefined {
  const readonly = commandName(args) === "sort_ro";
  let alpha = false;
  let by: Buffer | undefined;
  let sorts = true;
  let limit: SortOptions["limit"];
  const gets: Buffer[] = [];
  let store = false;
  for (let j = 2; j < args.length; j++) {
    const option = args[j]!.toString("latin1").toLowerCase();
    const left = args.length - j - 1;
    if (option === "asc" || option === "desc") continue;
    if (option === "alpha") {
      alpha = true;
    } else if (option === "limit" && left >= 2) {
      limit = {
        offset: Number(args[j + 1]!.toString("latin1")),
        count: Number(args[j + 2]!.toString("latin1")),
      };
      j += 2;
    } else if (option === "store" && !readonly && left >= 1) {
      store = true;
      j += 1;
    } else if (option === "by" && left >= 1) {
      by = args[++j]!;
      if (!by.includes(0x2a)) sorts = false; // 0x2a: `*`
    } else if (option === "get" && left >= 1) {
      gets.push(args[++j]!);
    } else return undefined;
  }
  return { alpha, by, sorts, limit, gets, store };
}

/**
 * What ALPHA compares an item by, as text: its bytes up to the first NUL
 * (Redis compares C strings with strcoll), or a missing value (nil),
 * which sorts before every other.
 */
function collationKey(item: RespReply): string {
  if (isNull(item)) return "(nil)";
  const data = item.data ?? Buffer.alloc(0);
  const nul = data.indexOf(0);
  return (nul === -1 ? data : data.subarray(0, nul)).toString("hex");
}
// #endregion sort-helpers

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
    name: "same-millisecond-deadlines",
    why: "EXPIRE and PEXPIRE with GT or LT compare the new deadline with the old one to the millisecond, and each server reads its clock afresh: a deadline set a moment before can come out equal on one server and later on the other, so 0 and 1 agree when the two deadlines are then within the clock lag (the PTTL companion)",
    applies: (args) =>
      ["expire", "pexpire"].includes(commandName(args)) &&
      args
        .slice(3)
        .some((arg) =>
          ["gt", "lt"].includes(arg.toString("latin1").toLowerCase()),
        ),
    agree({ ours, redis, companion }) {
      const answers = [integerOf(ours), integerOf(redis)].sort();
      if (answers[0] !== 0 || answers[1] !== 1) return false;
      return (
        companion !== undefined &&
        integerOf(companion.ours)! >= 0 &&
        closeMilliseconds(companion.ours, companion.redis)
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
    why: "Redis has about 190 parameters the chapters do not: CONFIG GET is compared on the chapter's parameters only, as sorted pairs (a flat array in RESP2, a map in RESP3, the same in both servers), with each server's own port and folder left out. And Redis looks a name up by hashing all its bytes but compares names as C strings: `save\\0junk` finds `save` when the two hash to one bucket of its table, about once in 250 names, as its random hash seed decides; a pair named by what comes before a NUL in an argument, that ours did not list, is set aside",
    applies: (args) =>
      commandName(args) === "config" && subcommandName(args) === "get",
    agree({ args, ours, redis }, { configParameters }) {
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
      const listed = new Set(oursPairs.map(([name]) => name.toLowerCase()));
      const beforeNul = new Set(
        args
          .slice(2)
          .filter((arg) => arg.includes(0))
          .map((arg) =>
            arg.subarray(0, arg.indexOf(0)).toString("latin1").toLowerCase(),
          ),
      );
      const redisPairs = mask(
        pairsOf(b, (name) => {
          const lower = name.toLowerCase();
          if (beforeNul.has(lower) && !listed.has(lower)) return false;
          return configParameters.has(lower);
        }),
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
  // #region cluster-rules
  {
    name: "own-port",
    why: "two single-node clusters under one node id (cluster-mode.ts) still listen on ports of their own: CLUSTER NODES, SLOTS and SHARDS are compared with each node's port and bus port set aside, in the same reply type",
    applies: (args) =>
      commandName(args) === "cluster" &&
      ["nodes", "slots", "shards"].includes(subcommandName(args) ?? ""),
    agree({ args, ours, redis }) {
      const sub = subcommandName(args)!;
      const a = withoutOwnPort(ours, sub);
      return a !== undefined && a === withoutOwnPort(redis, sub);
    },
  },
  {
    name: "cluster-messages",
    why: "CLUSTER INFO counts the bus messages each node sent and received, its own traffic: compared without those counts, every other field (state, slots, nodes, size, epochs) to the byte",
    applies: (args) =>
      commandName(args) === "cluster" && subcommandName(args) === "info",
    agree({ ours, redis }) {
      const a = clusterInfoLines(ours);
      return a !== undefined && a === clusterInfoLines(redis);
    },
  },
  // #endregion cluster-rules
  // #region hash-rules
  {
    name: "hash-order",
    why: "a hash table lists its fields in its own order, and Redis seeds its hash function at random: HKEYS, HVALS and HGETALL are compared sorted (HGETALL by field and value together) when both servers' OBJECT ENCODING, sent right behind, says hashtable; a listpack's order must be Redis's to the byte",
    applies: (args) =>
      ["hkeys", "hvals", "hgetall"].includes(commandName(args)),
    agree({ args, ours, redis, companion }) {
      if (companion !== undefined && !bothHashTables(companion)) return false;
      const a = elementsOf(ours);
      const b = elementsOf(redis);
      if (a === undefined || b === undefined || ours.type !== redis.type)
        return false;
      const size = commandName(args) === "hgetall" ? 2 : 1;
      return (
        JSON.stringify(sortedGroups(a, size)) ===
        JSON.stringify(sortedGroups(b, size))
      );
    },
  },
  {
    name: "random-fields",
    why: "HRANDFIELD picks at random: both must answer the same shape and number of picks, each a field of that server's own hash (its HGETALL, sent right behind) with its value; different fields for a positive count, and for one that takes the whole hash, the same fields",
    applies: (args) => commandName(args) === "hrandfield",
    agree: randomPicksAgree(hashContents),
  },
  {
    name: "hash-scan",
    why: "an HSCAN cursor is a position in the server's own hash table: when OBJECT ENCODING, sent right behind, says hashtable on both, each must answer [cursor, fields and values], no field twice; a walk from 0 that both finish in one call must find the same pairs; a listpack answers whole, so it must be the same to the byte",
    applies: (args) => commandName(args) === "hscan",
    agree: pairScanAgree(bothHashTables),
  },
  // #endregion hash-rules
  // #region set-rules
  {
    name: "set-order",
    why: "a hash table lists its members in its own order, and Redis seeds its hash function at random: SMEMBERS is compared sorted when both servers' OBJECT ENCODING, sent right behind, says hashtable (an intset's ascending order must be Redis's to the byte), or when it is itself SRANDMEMBER's companion; SINTER, SUNION and SDIFF, whose result set nobody can ask for its encoding, are compared sorted, in the same reply type",
    applies: (args) =>
      ["smembers", "sinter", "sunion", "sdiff"].includes(commandName(args)),
    agree({ args, ours, redis, companion }) {
      // SMEMBERS sent as SRANDMEMBER's companion has none of its own.
      if (
        commandName(args) === "smembers" &&
        companion !== undefined &&
        !bothHashTables(companion)
      )
        return false;
      const a = elementsOf(ours);
      const b = elementsOf(redis);
      return (
        a !== undefined &&
        b !== undefined &&
        ours.type === redis.type &&
        sameMembers(a, b)
      );
    },
  },
  {
    name: "random-members",
    why: "SRANDMEMBER picks at random: both must answer the same shape and number of picks, each a member of that server's own set (its SMEMBERS, sent right behind); different members for a positive count, and for one that takes the whole set, the same members",
    applies: (args) => commandName(args) === "srandmember",
    agree({ args, ours, redis, companion }) {
      if (companion === undefined || ours.type !== redis.type) return false;
      const check = (reply: RespReply, set: RespReply) => {
        const members = elementsOf(set);
        const picks = args.length === 2 ? [reply] : itemsOf(reply);
        if (members === undefined || picks === undefined) return undefined;
        const known = new Set(hexes(members));
        if (!hexes(picks).every((pick) => known.has(pick))) return undefined;
        return { picks, size: members.length };
      };
      const a = check(ours, companion.ours);
      const b = check(redis, companion.redis);
      if (a === undefined || b === undefined) return false;
      if (a.picks.length !== b.picks.length) return false;
      if (args.length === 2) return true;
      const count = Number(args[2]!.toString("latin1"));
      if (count < 0) return true;
      if (!distinct(a.picks) || !distinct(b.picks)) return false;
      return count < a.size || sameMembers(a.picks, b.picks);
    },
  },
  {
    name: "popped-members",
    why: "SPOP takes members at random, and its companion, a DEL of the key, makes the two servers' sets the same again: both must answer the same shape and number of members, none twice; when DEL found nothing left (SPOP took the whole set), the same members",
    applies: (args) => commandName(args) === "spop",
    agree({ args, ours, redis, companion }) {
      if (companion === undefined || ours.type !== redis.type) return false;
      if (!companion.ours.raw.equals(companion.redis.raw)) return false;
      if (args.length === 2) return ours.type === "$";
      const a = elementsOf(ours);
      const b = elementsOf(redis);
      if (a === undefined || b === undefined || a.length !== b.length)
        return false;
      if (!distinct(a) || !distinct(b)) return false;
      return integerOf(companion.ours) !== 0 || sameMembers(a, b);
    },
  },
  {
    name: "set-scan",
    why: "an SSCAN cursor is a position in the server's own hash table: when OBJECT ENCODING, sent right behind, says hashtable on both, each must answer [cursor, members], no member twice; a walk from 0 that both finish in one call must find the same members; an intset answers whole, so it must be the same to the byte",
    applies: (args) => commandName(args) === "sscan",
    agree({ args, ours, redis, companion }) {
      if (!bothHashTables(companion)) return false;
      const a = sscanBatch(ours);
      const b = sscanBatch(redis);
      if (a === undefined || b === undefined) return false;
      if (
        args[2]?.toString("latin1") === "0" &&
        a.cursor === "0" &&
        b.cursor === "0"
      ) {
        return sameMembers(a.members, b.members);
      }
      return true;
    },
  },
  // #endregion set-rules
  // #region zset-rules
  {
    name: "zset-scan",
    why: "a skiplist-encoded sorted set keeps a hash table beside its skiplist, and ZSCAN's cursor is a position in it: when OBJECT ENCODING, sent right behind, says skiplist on both, each must answer [cursor, members and scores], no member twice; a walk from 0 that both finish in one call must find the same pairs; a listpack answers whole and in order, so it must be the same to the byte",
    applies: (args) => commandName(args) === "zscan",
    agree: pairScanAgree(bothSkiplists),
  },
  {
    name: "random-scored-members",
    why: "ZRANDMEMBER picks at random: both must answer the same shape and number of picks, each a member of that server's own sorted set (its ZRANGE 0 -1 WITHSCORES, sent right behind), with its score written as there; different members for a positive count, and for one that takes the whole set, the same members",
    applies: (args) => commandName(args) === "zrandmember",
    agree: randomPicksAgree(scoredContents),
  },
  // #endregion zset-rules
  // #region sort-rules
  {
    name: "sort-ties",
    why: "SORT leaves some orders to chance: a set in a hash table comes out in the table's order when BY names a constant (nosort); ALPHA leaves items that compare equal (the same BY value, none at all, or the same text up to a NUL, where strcoll stops) in the order they came in, a hash table's for a set or a sorted set; and with BY and LIMIT Redis's partial quicksort orders ties its own way. Then (OBJECT ENCODING, sent right behind, tells the source's) both must answer as many items; where the replies show what ALPHA compared (GET # without BY, or a GET of the BY pattern), in the same order of those values; and unless LIMIT cut the result, the same items (in groups of one per GET)",
    applies: (args) => ["sort", "sort_ro"].includes(commandName(args)),
    agree({ args, ours, redis, companion }) {
      const options = sortOptions(args);
      if (options === undefined || options.store || companion === undefined)
        return false;
      if (!companion.ours.raw.equals(companion.redis.raw)) return false;
      const encoding = textOf(companion.redis);
      const { sorts } = options;
      const hashOrder = encoding === "hashtable" || encoding === "skiplist";
      const orderIsChance = sorts
        ? options.alpha &&
          (hashOrder ||
            (options.by !== undefined && options.limit !== undefined))
        : encoding === "hashtable";
      if (!orderIsChance) return false;
      const a = itemsOf(ours);
      const b = itemsOf(redis);
      if (a === undefined || b === undefined || a.length !== b.length)
        return false;
      const size = Math.max(1, options.gets.length);
      // The column that shows what ALPHA compared, if one does.
      const shown = !sorts
        ? -1
        : options.by === undefined
          ? options.gets.length === 0
            ? 0
            : options.gets.findIndex((get) => get.toString("latin1") === "#")
          : options.gets.findIndex((get) => get.equals(options.by!));
      if (shown !== -1) {
        const keys = (items: readonly RespReply[]): string[] =>
          items.filter((_, i) => i % size === shown).map(collationKey);
        if (JSON.stringify(keys(a)) !== JSON.stringify(keys(b))) return false;
      }
      // Whether LIMIT left something out: it did unless it started at 0
      // and asked for all, or for more than came.
      const { limit } = options;
      const cut =
        limit !== undefined &&
        (limit.offset > 0 ||
          (limit.count >= 0 && limit.count <= a.length / size));
      return (
        cut ||
        JSON.stringify(sortedGroups(a, size)) ===
          JSON.stringify(sortedGroups(b, size))
      );
    },
  },
  // #endregion sort-rules
  // #region dump-rules
  {
    name: "dump-contents",
    why: "a DUMP payload of a set or hash in a hash table lists its members in the table's order, which Redis seeds at random, and a list's payload shows how it is split into nodes, where chapter 08's quicklist differs from Redis's on purpose in a few cases (quicklist.ts): payloads that differ must still hold the same contents in the same RDB type and version, read by the fuzzer's own reader (dump-payloads.ts), sorted where the type has no order",
    applies: (args) => commandName(args) === "dump",
    agree({ ours, redis }) {
      if (ours.type !== redis.type || !ours.data || !redis.data) return false;
      if (!ours.data.subarray(-10, -8).equals(redis.data.subarray(-10, -8)))
        return false;
      const a = dumpContents(ours.data);
      const b = dumpContents(redis.data);
      return (
        a !== undefined &&
        b !== undefined &&
        a.type === b.type &&
        JSON.stringify(a.elements) === JSON.stringify(b.elements)
      );
    },
  },
  // #endregion dump-rules
];
