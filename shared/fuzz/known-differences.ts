/**
 * The differences between the chapters and Redis 7.0.15 that are known and
 * meant, each with its reason and a matcher as narrow as the difference.
 *
 * An entry here is a promise that the difference is deliberate (the
 * chapter's tests and article say so too), not a place to hide a bug. A
 * wrong reply found by the fuzzer is fixed in the chapter, not listed here.
 *
 * An entry explains an exchange in one of two ways: `matches` says the
 * whole exchange is this difference; `rewrite` takes its own part out of
 * the replies (the key specifications in a COMMAND INFO reply, say) and
 * leaves the rest to be compared, so that one reply can carry two known
 * differences and still have everything else checked byte for byte.
 */
import {
  commandName,
  elementsOf,
  integerOf,
  itemsOf,
  subcommandName,
  type CompareContext,
  type Exchange,
} from "./exchange.ts";
import {
  editIntrospection,
  introspectionKind,
  withoutArgument,
} from "./introspection.ts";
import { isError, replyOf, textOf, withItems, type RespReply } from "./resp.ts";

/** Commands a chapter has that Redis does not (introspection answers differ). */
const OWN_COMMANDS = new Set(["tcc"]);

export interface KnownDifference {
  readonly id: string;
  /** Why the chapter answers differently, on purpose. */
  readonly reason: string;
  /** True if this exchange is this difference and nothing else. */
  matches?(exchange: Exchange, context: CompareContext): boolean;
  /** The exchange with this difference taken out of the replies (unchanged if it is not there). */
  rewrite?(exchange: Exchange, context: CompareContext): Exchange;
}

/** The lines of a HELP reply. */
function helpLines(reply: RespReply): string[] | undefined {
  return itemsOf(reply)?.map((line) => textOf(line) ?? "");
}

/** CLIENT HELP without its SETINFO entry (its line and the indented lines under it). */
function withoutSetinfo(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inSetinfo = false;
  for (const line of lines) {
    if (!line.startsWith(" ")) inSetinfo = line.startsWith("SETINFO");
    if (!inSetinfo) kept.push(line);
  }
  return kept;
}

const REWRITE_REPLIES = new Set([
  "+Background append only file rewriting started\r\n",
  "+Background append only file rewriting scheduled\r\n",
  "-ERR Background append only file rewriting already in progress\r\n",
]);

const SETINFO = "client|setinfo";

/**
 * The normal class's part of CONFIG GET client-output-buffer-limit as the
 * chapters show it by default (64mb 16mb 20, see their
 * config/output-buffer-limits.ts), and as Redis does (no limit).
 */
const OUR_NORMAL_LIMIT = "normal 67108864 16777216 20 ";
const REDIS_NORMAL_LIMIT = "normal 0 0 0 ";
/** A bulk string that starts with our default normal limit, with its length line. */
const OUR_LIMIT_BULK = new RegExp(`\\$(\\d+)\\r\\n${OUR_NORMAL_LIMIT}`, "g");

/** Chapter 07's own directive (its rollback opt-in), which Redis does not have. */
const MULTI_ROLLBACK = "multi-rollback";
/** Chapter 08's own directives (its proxy mode), which Redis does not have. */
const CLUSTER_PROXY_DIRECTIVES = ["cluster-proxy", "cluster-proxy-timeout"];

/** SORT's answer when a weight is not a number. */
const CANNOT_CONVERT = "ERR One or more scores can't be converted into double";

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: "refcount-inside-exec",
    reason:
      "Redis stores a string value as the very object of the command's argument, and inside EXEC the transaction's queue still holds that argument until EXEC ends: MULTI, SET k hello, OBJECT REFCOUNT k, EXEC answers 2 there (1 after EXEC). The chapters count no references: OBJECT REFCOUNT is 1, or INT_MAX for a shared integer (chapter 06's OBJECT tests)",
    matches({ args, ours, redis, insideExec }) {
      return (
        insideExec === true &&
        commandName(args) === "object" &&
        subcommandName(args) === "refcount" &&
        textOf(ours) === "1" &&
        textOf(redis) === "2"
      );
    },
  },
  {
    id: "sort-stale-range-error",
    reason:
      "Redis 7.0's SORT converts a small sorted set to a skiplist first, reading its listpack's scores back with strtod, and never clears errno before reading weights: a subnormal score there leaves ERANGE behind, and the SORT then refuses every weight it reads as text with \"One or more scores can't be converted into double\". The chapters do not copy C's stale errno (page 3's differences; sort.test.ts pins ours)",
    matches({ args, ours, redis, companion }) {
      const name = commandName(args);
      if (name !== "sort" && name !== "sort_ro") return false;
      if (textOf(redis) !== CANNOT_CONVERT || isError(ours)) return false;
      // The source was a sorted set on both servers: SORT leaves it a skiplist.
      return (
        companion !== undefined &&
        textOf(companion.ours) === "skiplist" &&
        textOf(companion.redis) === "skiplist"
      );
    },
  },
  {
    id: "key-specifications",
    reason:
      "the chapters leave out Redis 7's key specifications: COMMAND INFO's ninth field is empty and COMMAND DOCS has no key_spec_index, since for every command of these chapters first/last/step already say where the keys are (chapter 03's command-table tests)",
    rewrite(exchange) {
      const kind = introspectionKind(exchange.args);
      if (kind === undefined) return exchange;
      return {
        ...exchange,
        redis: editIntrospection(exchange.redis, kind, exchange.protocol, {
          dropKeySpecs: true,
        }),
      };
    },
  },
  {
    id: "own-commands",
    reason:
      "chapter 08 has a command of its own, TCC, which nodes in proxy mode send each other for writes across nodes (not Redis, which answers CROSSSLOT): COMMAND INFO and DOCS describe it where Redis finds nothing (chapter 08's cross-node-writes tests and article). Only its entry is set aside; the rest of the reply is compared",
    rewrite(exchange) {
      const kind = introspectionKind(exchange.args);
      if (kind === undefined) return exchange;
      const keep = (name: string): boolean =>
        !OWN_COMMANDS.has(name.toLowerCase().split("|")[0]!);
      return {
        ...exchange,
        ours: editIntrospection(exchange.ours, kind, exchange.protocol, {
          keep,
        }),
      };
    },
  },
  {
    id: "command-subset",
    reason:
      "each chapter has a subset of Redis's 240 commands and of their subcommands, so COMMAND and COMMAND COUNT, COMMAND INFO or DOCS without names, and a container's list of subcommands are shorter, and COMMAND INFO or DOCS of a command the chapter does not have yet finds nothing",
    rewrite(exchange, { commands }) {
      const kind = introspectionKind(exchange.args);
      if (kind === undefined) return exchange;
      const keep = (name: string): boolean => commands.has(name.toLowerCase());
      return {
        ...exchange,
        redis: editIntrospection(exchange.redis, kind, exchange.protocol, {
          keep,
        }),
      };
    },
    matches({ args, ours, redis }) {
      if (commandName(args) !== "command") return false;
      const sub = subcommandName(args);
      const listsAll =
        args.length === 1 ||
        (args.length === 2 &&
          (sub === "count" || sub === "info" || sub === "docs"));
      if (!listsAll) return false;
      // COMMAND and COMMAND INFO are arrays; COMMAND DOCS is a map in RESP3.
      if (sub !== "count" && ours.type !== redis.type) return false;
      const counts =
        sub === "count"
          ? [integerOf(ours), integerOf(redis)]
          : [elementsOf(ours)?.length, elementsOf(redis)?.length];
      return (
        counts[0] !== undefined &&
        counts[1] !== undefined &&
        counts[0] < counts[1]
      );
    },
  },
  {
    id: "help-lists-own-subcommands",
    reason:
      "CLIENT, CONFIG and COMMAND HELP list the subcommands the chapter has, in Redis's words: a subset of Redis's list (plus CLIENT SETINFO, see client-setinfo)",
    matches({ args, ours, redis }) {
      if (
        !["client", "config", "command"].includes(commandName(args)) ||
        subcommandName(args) !== "help" ||
        args.length !== 2
      )
        return false;
      const a = helpLines(ours);
      const b = helpLines(redis);
      if (a === undefined || b === undefined || a[0] !== b[0]) return false;
      const redisLines = new Set(b);
      return withoutSetinfo(a).every((line) => redisLines.has(line));
    },
  },
  {
    id: "client-setinfo",
    reason:
      "CLIENT SETINFO came with Redis 7.2; 7.0.15 does not know it. ioredis sends it on connecting and ignores the error, so the chapters accept it as 7.2 does (chapter 03's CLIENT tests)",
    rewrite(exchange) {
      const kind = introspectionKind(exchange.args);
      if (kind === undefined) return exchange;
      const keep = (name: string): boolean => name.toLowerCase() !== SETINFO;
      return {
        ...exchange,
        ours: editIntrospection(exchange.ours, kind, exchange.protocol, {
          keep,
        }),
      };
    },
    matches({ args, redis }) {
      const name = commandName(args);
      const sub = subcommandName(args);
      const text = textOf(redis) ?? "";
      // CLIENT SETINFO itself, and COMMAND GETKEYS of it.
      if (name === "client" && sub === "setinfo") {
        return isError(redis) && text.startsWith("ERR unknown subcommand ");
      }
      return (
        name === "command" &&
        sub === "getkeys" &&
        args[2]?.toString("latin1").toLowerCase() === "client" &&
        args[3]?.toString("latin1").toLowerCase() === "setinfo" &&
        text === "ERR Invalid command specified"
      );
    },
  },
  {
    id: "normal-output-limit",
    reason:
      "normal clients get an output limit by default (64mb 16mb 20) where Redis 7.0 has none (0 0 0), so that a client that never reads cannot cost unbounded memory: a deliberate difference (chapter 02's article, chapter 03's CONFIG tests). Only the normal class's words are set aside; the rest of the value is compared",
    rewrite(exchange) {
      if (
        commandName(exchange.args) !== "config" ||
        subcommandName(exchange.args) !== "get"
      )
        return exchange;
      const text = exchange.ours.raw.toString("latin1");
      const shrink = OUR_NORMAL_LIMIT.length - REDIS_NORMAL_LIMIT.length;
      const rewritten = text.replace(
        OUR_LIMIT_BULK,
        (_, length: string) =>
          `$${Number(length) - shrink}\r\n${REDIS_NORMAL_LIMIT}`,
      );
      if (rewritten === text) return exchange;
      return { ...exchange, ours: replyOf(Buffer.from(rewritten, "latin1")) };
    },
  },
  {
    id: "multi-rollback",
    reason:
      "chapter 07 has a directive of its own, multi-rollback (off by default, never set by the fuzzer: with it, a run-time error inside EXEC undoes the transaction), which Redis does not have: CONFIG GET lists it where Redis lists nothing (chapter 07's rollback tests and article). Only its pair is set aside; the rest of the reply is compared",
    rewrite: (exchange) => withoutOwnDirectives(exchange, [MULTI_ROLLBACK]),
  },
  {
    id: "cluster-proxy",
    reason:
      "chapter 08 has directives of its own, cluster-proxy and cluster-proxy-timeout (its proxy mode, off by default, never set by the fuzzer: with it, a node forwards a command for another node's slot instead of answering MOVED), which Redis does not have: CONFIG GET lists them where Redis lists nothing (chapter 08's cluster-proxy tests and article). Only their pairs are set aside; the rest of the reply is compared",
    rewrite: (exchange) =>
      withoutOwnDirectives(exchange, CLUSTER_PROXY_DIRECTIVES),
  },
  {
    id: "set-before-expiry",
    reason:
      "chapter 03 has no expiry: its SET takes NX, XX and GET only (EX and the rest are a syntax error, on purpose), and its COMMAND DOCS for SET leaves out the `expiration` block, which comes with chapter 04",
    rewrite(exchange, { commands }) {
      if (introspectionKind(exchange.args) !== "docs" || commands.has("expire"))
        return exchange;
      return {
        ...exchange,
        redis: withoutArgument(exchange.redis, "set", "expiration"),
      };
    },
  },
  {
    id: "appendonly-before-aof",
    reason:
      "chapters 03 and 04 keep nothing on disk: CONFIG SET appendonly takes only no, and any other value gets an error that says so (chapter 03's CONFIG tests); chapter 05 answers as Redis does",
    matches({ args, ours, redis }) {
      return (
        commandName(args) === "config" &&
        subcommandName(args) === "set" &&
        isError(ours) &&
        isError(redis) &&
        (textOf(ours) ?? "").endsWith(
          "argument must be 'no': this chapter keeps no data on disk",
        ) &&
        (textOf(redis) ?? "").includes(
          "(possibly related to argument 'appendonly')",
        )
      );
    },
  },
  {
    id: "rewrite-in-progress",
    reason:
      "whether a rewrite is still running when BGREWRITEAOF comes (started, scheduled, or already in progress) depends on how long each server's previous one took",
    matches({ args, ours, redis }) {
      return (
        commandName(args) === "bgrewriteaof" &&
        REWRITE_REPLIES.has(ours.raw.toString("latin1")) &&
        REWRITE_REPLIES.has(redis.raw.toString("latin1"))
      );
    },
  },
];

/**
 * CONFIG GET's reply without the pairs of directives only we have, so
 * that the rest is compared with Redis's.
 */
function withoutOwnDirectives(
  exchange: Exchange,
  names: readonly string[],
): Exchange {
  if (
    commandName(exchange.args) !== "config" ||
    subcommandName(exchange.args) !== "get"
  )
    return exchange;
  const items = elementsOf(exchange.ours);
  if (items === undefined) return exchange;
  const kept = items.filter(
    (_, i) => !names.includes(textOf(items[i - (i % 2)]!)?.toLowerCase() ?? ""),
  );
  if (kept.length === items.length) return exchange;
  return { ...exchange, ours: withItems(exchange.ours, kept) };
}
