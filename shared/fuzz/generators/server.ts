/**
 * Server commands: COMMAND and its subcommands, DBSIZE, FLUSHDB, FLUSHALL,
 * SWAPDB, INFO, CONFIG GET/SET/HELP, TIME, BGREWRITEAOF.
 *
 * CONFIG SET only touches the parameters listed in CONFIG_VALUES, with
 * values that cannot hurt the machine or the run: never `port` or `bind`
 * (Redis would really move), never a `save` schedule (Redis would start
 * writing snapshots). A chapter that adds a parameter adds its values
 * here; a parameter missing from the table is only read, never set.
 */
import type { FuzzRandom } from "../random.ts";
import type {
  CommandGenerator,
  FuzzCommand,
  GeneratorContext,
} from "./index.ts";
import { word } from "./index.ts";
import { anyWord, database, key, password, value } from "./values.ts";

/** list-max-listpack-size: mostly a few entries per node, sometimes bytes (-1 to -5), out of range or no number. */
function listpackSize(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.6)
      ? String(random.between(1, 5))
      : random.pick(["-2", "-1", "-5", "-6", "0", "128", "2147483648", "abc"]),
  );
}

/** hash-max-listpack-entries: a few fields mostly, the default, out of range or no integer. */
function hashListpackEntries(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.6)
      ? String(random.between(0, 8))
      : random.pick(["512", "128", "-1", "1k", "abc", "9223372036854775808"]),
  );
}

/** hash-max-listpack-value: a few bytes mostly, the default, a size with a unit, or no size. */
function hashListpackValue(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.6)
      ? String(random.between(0, 10))
      : random.pick(["64", "1kb", "", "-1", "abc", "9223372036854775808"]),
  );
}

/** zset-max-listpack-entries: a few members mostly, the default, out of range or no integer. */
function zsetListpackEntries(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.6)
      ? String(random.between(0, 8))
      : random.pick(["128", "-1", "1k", "abc", "9223372036854775808"]),
  );
}

/** zset-max-listpack-value: a few bytes mostly, the default, a size with a unit, or no size. */
function zsetListpackValue(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.6)
      ? String(random.between(0, 10))
      : random.pick(["64", "1kb", "", "-1", "abc", "9223372036854775808"]),
  );
}

/** Values CONFIG SET may give each parameter, valid and not. */
export const CONFIG_VALUES: Readonly<
  Record<string, (random: FuzzRandom, context: GeneratorContext) => Buffer>
> = {
  hz: (random) =>
    word(random.pick(["1", "10", "50", "500", "0", "-1", "1000", "abc", ""])),
  // Mostly back to none: a connection opened after QUIT must AUTH while a
  // password is set, and long stretches of NOAUTH replies test nothing else.
  requirepass: (random) => (random.chance(0.6) ? word("") : password(random)),
  // `yes` starts an append-only file, which only chapters with an AOF have
  // (before chapter 05 it is refused on purpose).
  appendonly: (random, { has }) =>
    word(
      random.pick(
        has("bgrewriteaof")
          ? ["yes", "no", "YES", "No", "maybe", ""]
          : ["no", "NO", "maybe", ""],
      ),
    ),
  appendfsync: (random) =>
    word(random.pick(["everysec", "no", "always", "EVERYSEC", "sometimes"])),
  "aof-load-truncated": (random) =>
    word(random.pick(["yes", "no", "1", "true"])),
  "auto-aof-rewrite-percentage": (random) =>
    word(random.pick(["0", "100", "50", "-1", "abc", "2147483648"])),
  "auto-aof-rewrite-min-size": (random) =>
    word(random.pick(["64mb", "1gb", "0", "1k", "abc", "-1", "10GB"])),
  "shutdown-timeout": (random) =>
    word(random.pick(["10", "0", "1", "-1", "abc"])),
  "client-query-buffer-limit": (random) =>
    word(random.pick(["1gb", "1mb", "2mb", "512kb", "0", "abc", "1073741824"])),
  save: (random) => word(random.pick(["", "\0"])),
  databases: (random) => word(random.pick(["16", "32"])),
  appendfilename: () => word("other.aof"),
  // Small nodes (a positive size is a count of entries) put chunk
  // boundaries inside the short lists the fuzzer makes.
  "list-max-listpack-size": listpackSize,
  "list-max-ziplist-size": listpackSize,
  "list-compress-depth": (random) =>
    word(random.pick(["0", "1", "2", "-1", "65535", "65536", "abc", ""])),
  // Small limits make hashes convert to hash tables at a few fields; the
  // defaults bring them back for the hashes written after.
  "hash-max-listpack-entries": hashListpackEntries,
  "hash-max-ziplist-entries": hashListpackEntries,
  "hash-max-listpack-value": hashListpackValue,
  "hash-max-ziplist-value": hashListpackValue,
  // Small limits make sets of integers convert to hash tables at a few
  // members; the default brings intsets back for the sets written after.
  "set-max-intset-entries": (random) =>
    word(
      random.chance(0.6)
        ? String(random.between(0, 8))
        : random.pick(["512", "-1", "1k", "abc", "9223372036854775807"]),
    ),
  // Small limits make sorted sets convert to skiplists at a few members or
  // bytes; the defaults bring listpacks back for the sets written after.
  "zset-max-listpack-entries": zsetListpackEntries,
  "zset-max-ziplist-entries": zsetListpackEntries,
  "zset-max-listpack-value": zsetListpackValue,
  "zset-max-ziplist-value": zsetListpackValue,
  // Protected in Redis 7 (enable-protected-configs is off), and so in ours:
  // both refuse, which is what is tested.
  dir: (random) => word(random.pick([".", "/nonexistent"])),
};

/** CONFIG GET: exact names in any case, patterns, several at once. */
function configGet(
  random: FuzzRandom,
  { capabilities }: GeneratorContext,
): Buffer[] {
  const args = [word("CONFIG"), word(random.anyCase("get"))];
  const count = random.weighted([
    [1, 8],
    [2, 2],
    [3, 1],
  ]);
  for (let i = 0; i < count; i++) {
    const roll = random.below(10);
    if (roll < 6 && capabilities.configParameters.length > 0) {
      args.push(
        word(random.anyCase(random.pick(capabilities.configParameters))),
      );
    } else if (roll < 9) {
      args.push(
        word(
          random.pick([
            "*",
            "a*",
            "*aof*",
            "h?",
            "[hp]*",
            "no-such-parameter",
            "",
            "APPEND*",
            "*-*",
            "save\0junk",
          ]),
        ),
      );
    } else args.push(anyWord(random));
  }
  return args;
}

/** CONFIG SET: one parameter or several, known or not, sometimes one twice. */
function configSet(random: FuzzRandom, context: GeneratorContext): Buffer[] {
  const settable = context.capabilities.configParameters.filter(
    (name) => name in CONFIG_VALUES,
  );
  const args = [word("CONFIG"), word(random.anyCase("set"))];
  const count = random.weighted([
    [1, 8],
    [2, 2],
  ]);
  for (let i = 0; i < count; i++) {
    if (settable.length === 0 || random.chance(0.1)) {
      args.push(
        // A NUL in a name: not `hz\0junk`, which Redis sets as hz once in
        // about 250 runs (its hash seed decides; see normalise.ts, config-get).
        word(
          random.pick([
            "no-such-parameter",
            "maxmemory-x",
            "",
            "no-such\0junk",
          ]),
        ),
        value(random),
      );
    } else {
      const name = random.pick(settable);
      args.push(
        word(random.anyCase(name)),
        CONFIG_VALUES[name]!(random, context),
      );
    }
  }
  if (random.chance(0.03)) args.pop();
  return args;
}

function config(random: FuzzRandom, context: GeneratorContext): FuzzCommand {
  const { has } = context;
  const roll = random.below(20);
  if (roll < 12 && has("config|get"))
    return { args: configGet(random, context) };
  if (roll < 18 && has("config|set"))
    return { args: configSet(random, context) };
  if (roll < 19 && has("config|help")) {
    return { args: [word("CONFIG"), word(random.anyCase("help"))] };
  }
  return { args: [word("CONFIG"), word(random.pick(["nosuch", "GETX", ""]))] };
}

/** A command name for COMMAND INFO, DOCS and GETKEYS: the chapter's own, or none. */
function commandName(
  random: FuzzRandom,
  { capabilities }: GeneratorContext,
): Buffer {
  if (random.chance(0.85)) {
    return word(random.anyCase(random.pick([...capabilities.commands])));
  }
  return word(random.pick(["nosuchcommand", "", "config|nosuch", "get|x"]));
}

function command(random: FuzzRandom, context: GeneratorContext): FuzzCommand {
  const { has } = context;
  // The listings of every command (bare COMMAND, COUNT, INFO or DOCS
  // without names) are rare: Redis's run to hundreds of kilobytes, and all
  // they can show is that the chapter has fewer commands.
  const choices: (readonly [string, number])[] = [
    ["info", 100],
    ["docs", 100],
    ["getkeys", 100],
    ["help", 10],
    ["count", 2],
    ["bare", 1],
    ["unknown", 10],
  ];
  const sub = random.weighted(
    choices.filter(
      ([name]) =>
        name === "bare" || name === "unknown" || has(`command|${name}`),
    ),
  );
  if (sub === "bare") return { args: [word("COMMAND")] };
  if (sub === "unknown") {
    return { args: [word("COMMAND"), word(random.pick(["lisst", "nosuch"]))] };
  }
  const args = [word("COMMAND"), word(random.anyCase(sub))];
  if (sub === "info" || sub === "docs") {
    const count = random.weighted([
      [0, 1],
      [1, 150],
      [2, 50],
    ]);
    for (let i = 0; i < count; i++) args.push(commandName(random, context));
  } else if (sub === "getkeys") {
    args.push(commandName(random, context));
    const extra = random.between(0, 4);
    for (let i = 0; i < extra; i++) args.push(key(random));
  }
  return { args };
}

export const SERVER_GENERATORS: readonly CommandGenerator[] = [
  { command: "command", weight: 4, generate: command },
  {
    command: "dbsize",
    weight: 3,
    generate: () => ({ args: [word("DBSIZE")] }),
  },
  {
    command: "flushdb",
    weight: 1,
    generate: (random) => ({
      args: random.chance(0.5)
        ? [word("FLUSHDB")]
        : [
            word("FLUSHDB"),
            word(random.anyCase(random.pick(["async", "sync", "now"]))),
          ],
    }),
  },
  {
    command: "flushall",
    weight: 1,
    generate: (random) => ({
      args: random.chance(0.5)
        ? [word("FLUSHALL")]
        : [
            word("FLUSHALL"),
            word(random.anyCase(random.pick(["async", "sync", "now"]))),
          ],
    }),
  },
  {
    command: "swapdb",
    weight: 3,
    generate: (random, { capabilities }) => ({
      args: [
        word("SWAPDB"),
        word(database(random, capabilities.databases)),
        word(database(random, capabilities.databases)),
      ],
    }),
  },
  {
    command: "info",
    weight: 2,
    generate(random) {
      const args = [word("INFO")];
      const count = random.between(0, 2);
      for (let i = 0; i < count; i++) {
        args.push(
          word(
            random.anyCase(
              random.pick([
                "keyspace",
                "server",
                "persistence",
                "clients",
                "stats",
                "memory",
                "default",
                "all",
                "everything",
                "nosuchsection",
              ]),
            ),
          ),
        );
      }
      return { args };
    },
  },
  { command: "config", weight: 6, generate: config },
  { command: "time", weight: 1, generate: () => ({ args: [word("TIME")] }) },
  {
    command: "bgrewriteaof",
    weight: 1,
    generate: () => ({ args: [word("BGREWRITEAOF")] }),
  },
];
