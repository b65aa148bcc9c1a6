/**
 * List commands (chapter 06): LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP and RPOP
 * with a count, LLEN, LRANGE, LINDEX, LSET, LREM, LTRIM, LINSERT, LPOS
 * with RANK, COUNT and MAXLEN, LMOVE, RPOPLPUSH, LMPOP; the key commands
 * that arrive with types (OBJECT and its subcommands, TOUCH, MOVE); and
 * TYPE, EXISTS, DEL, RENAME and COPY aimed at the keys lists live on.
 *
 * Lists live on few keys: `listKey()` draws most often from three keys no
 * string command touches, so that lists grow long enough for ranges,
 * negative indexes and the chunks of a quicklist to matter, and otherwise
 * from the shared pool, where SET and INCR meet them (WRONGTYPE in both
 * directions, and Redis's order of checks: an argument error before the
 * type check where Redis parses first). Elements come from a small pool,
 * so LREM, LPOS and LINSERT find what they look for as often as not.
 */
import type { FuzzRandom } from "../random.ts";
import type { CommandGenerator, FuzzCommand } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, database, integerText, key, value } from "./values.ts";

/** Keys only list commands use (and the blocking ones, see blocking.ts). */
const LIST_KEYS: readonly Buffer[] = ["list", "queue", "l\0"].map((text) =>
  Buffer.from(text, "latin1"),
);

/** A key for a list command: mostly one of the list keys, else one of the shared pool. */
export function listKey(random: FuzzRandom): Buffer {
  return random.chance(0.6)
    ? random.keyName(random.pick(LIST_KEYS))
    : key(random);
}

/**
 * List elements: a few short words (so searches hit), integers of every
 * size (a packed list may store them as numbers), the empty string, and
 * now and then any value, some of them kilobytes long.
 */
const ELEMENT_POOL: readonly string[] = [
  "a",
  "b",
  "c",
  "x",
  "1",
  "2",
  "-1",
  "",
  "\0",
  "a b",
  "12345678901234567890",
  "9223372036854775807",
  "-9223372036854775808",
  "007",
  "-0",
  "1.5",
];

export function element(random: FuzzRandom): Buffer {
  return random.chance(0.8) ? word(random.pick(ELEMENT_POOL)) : value(random);
}

/** Between `min` and `max` elements; now and then a long run of them. */
export function elements(
  random: FuzzRandom,
  min: number,
  max: number,
): Buffer[] {
  const count = random.chance(0.03)
    ? random.between(20, 300)
    : random.between(min, max);
  return Array.from({ length: count }, () => element(random));
}

/**
 * An index or a range end: small ones of both signs (lists here hold a few
 * to a few hundred elements), and every edge of a C long, out-of-range
 * text and non-numbers from the integer pool.
 */
export function index(random: FuzzRandom): string {
  const roll = random.below(10);
  if (roll < 6) return String(random.between(-8, 8));
  if (roll < 8) return String(random.between(-400, 400));
  return integerText(random);
}

/** A count for LPOP/RPOP and LMPOP: mostly small, sometimes zero, negative or absurd. */
function count(random: FuzzRandom): string {
  return random.chance(0.7)
    ? String(random.between(0, 5))
    : random.pick([
        "-1",
        "-9223372036854775808",
        "9223372036854775807",
        "9223372036854775808",
        "2147483648",
        "1.0",
        "abc",
        "",
        " 1",
      ]);
}

/** LEFT or RIGHT in any case, now and then a word that is neither. */
export function side(random: FuzzRandom): Buffer {
  return word(
    random.chance(0.95)
      ? random.anyCase(random.pick(["left", "right"]))
      : random.pick(["up", "", "lef", "left\0", "BEFORE"]),
  );
}

/** A push: the key, one or more elements (none now and then, an arity error). */
function push(name: string): CommandGenerator["generate"] {
  return (random) => ({
    args: [
      word(name),
      listKey(random),
      ...(random.chance(0.02) ? [] : elements(random, 1, 4)),
    ],
  });
}

/** LPOP/RPOP key [count]. */
function pop(name: string): CommandGenerator["generate"] {
  return (random) => {
    const args = [word(name), listKey(random)];
    if (random.chance(0.4)) args.push(word(count(random)));
    return { args };
  };
}

/**
 * LPOS key element [RANK r] [COUNT n] [MAXLEN m]: options in any order,
 * sometimes repeated, unknown or missing their number; ranks of 0 and of
 * LONG_MIN, negative counts and lengths.
 */
function lpos(random: FuzzRandom): FuzzCommand {
  const args = [word("LPOS"), listKey(random), element(random)];
  const options = random.weighted([
    [0, 3],
    [1, 4],
    [2, 3],
    [3, 1],
  ]);
  for (let i = 0; i < options; i++) {
    const roll = random.below(20);
    if (roll < 6) {
      args.push(
        word(random.anyCase("rank")),
        word(
          random.chance(0.8)
            ? String(random.between(-3, 3))
            : random.pick([
                "-9223372036854775808",
                "9223372036854775807",
                "-9223372036854775807",
                "9223372036854775808",
                "abc",
              ]),
        ),
      );
    } else if (roll < 12) {
      args.push(word(random.anyCase("count")), word(count(random)));
    } else if (roll < 18) {
      args.push(
        word(random.anyCase("maxlen")),
        word(random.chance(0.8) ? String(random.between(0, 6)) : index(random)),
      );
    } else if (roll < 19) {
      args.push(word(random.anyCase(random.pick(["rank", "count", "maxlen"]))));
    } else args.push(anyWord(random));
  }
  return { args };
}

/** LINSERT key BEFORE|AFTER pivot element: the pivot is often there, sometimes not. */
function linsert(random: FuzzRandom): FuzzCommand {
  const where = random.chance(0.95)
    ? random.anyCase(random.pick(["before", "after"]))
    : random.pick(["middle", "", "left", "before\0"]);
  return {
    args: [
      word("LINSERT"),
      listKey(random),
      word(where),
      element(random),
      element(random),
    ],
  };
}

/**
 * LMPOP numkeys key... LEFT|RIGHT [COUNT n]: numkeys right, short, long,
 * zero, negative or not a number, and COUNT zero, repeated or incomplete.
 */
function lmpop(random: FuzzRandom): FuzzCommand {
  const keys = Array.from({ length: random.between(1, 3) }, () =>
    listKey(random),
  );
  const numkeys = random.chance(0.8)
    ? String(keys.length)
    : random.pick([
        String(keys.length + 1),
        String(keys.length - 1),
        "-1",
        "2147483648",
        "9223372036854775808",
        "abc",
        "",
      ]);
  const args = [word("LMPOP"), word(numkeys), ...keys, side(random)];
  const extra = random.weighted([
    [0, 5],
    [1, 4],
    [2, 1],
  ]);
  for (let i = 0; i < extra; i++) {
    const roll = random.below(10);
    if (roll < 8) args.push(word(random.anyCase("count")), word(count(random)));
    else if (roll < 9) args.push(word(random.anyCase("count")));
    else args.push(anyWord(random));
  }
  return { args };
}

/** OBJECT and its subcommands on list keys and others; the errors of a missing key or a bad subcommand. */
function object(random: FuzzRandom): FuzzCommand {
  const sub = random.weighted([
    ["encoding", 10],
    ["refcount", 3],
    ["idletime", 2],
    ["freq", 2],
    ["help", 1],
    [random.pick(["nosuch", "", "encodings"]), 1],
  ]);
  const args = [word("OBJECT"), word(random.anyCase(sub))];
  if (sub === "help") {
    if (random.chance(0.2)) args.push(anyWord(random));
  } else if (random.chance(0.97)) args.push(listKey(random));
  if (random.chance(0.03)) args.push(anyWord(random));
  return { args };
}

/** What a chapter has if it has lists. */
const WITH_LISTS = ["lpush"];

/** TYPE, EXISTS, DEL, RENAME and COPY on the list keys, in chapters that have lists. */
const ON_LIST_KEYS: readonly CommandGenerator[] = [
  {
    command: "type",
    requires: WITH_LISTS,
    weight: 4,
    generate: (random) => ({ args: [word("TYPE"), listKey(random)] }),
  },
  {
    command: "exists",
    requires: WITH_LISTS,
    weight: 3,
    generate: (random) => ({
      args: [word("EXISTS"), listKey(random), listKey(random)],
    }),
  },
  {
    command: "del",
    requires: WITH_LISTS,
    weight: 3,
    generate: (random) => ({ args: [word("DEL"), listKey(random)] }),
  },
  {
    command: "rename",
    requires: WITH_LISTS,
    weight: 2,
    generate: (random) => ({
      args: [word("RENAME"), listKey(random), listKey(random)],
    }),
  },
  {
    command: "copy",
    requires: WITH_LISTS,
    weight: 2,
    generate: (random) => {
      const args = [word("COPY"), listKey(random), listKey(random)];
      if (random.chance(0.5)) args.push(word(random.anyCase("replace")));
      return { args };
    },
  },
];

export const LIST_GENERATORS: readonly CommandGenerator[] = [
  { command: "lpush", weight: 20, generate: push("LPUSH") },
  { command: "rpush", weight: 20, generate: push("RPUSH") },
  { command: "lpushx", weight: 5, generate: push("LPUSHX") },
  { command: "rpushx", weight: 5, generate: push("RPUSHX") },
  { command: "lpop", weight: 10, generate: pop("LPOP") },
  { command: "rpop", weight: 10, generate: pop("RPOP") },
  {
    command: "llen",
    weight: 8,
    generate: (random) => ({ args: [word("LLEN"), listKey(random)] }),
  },
  {
    command: "lrange",
    weight: 15,
    generate: (random) => ({
      args: [
        word("LRANGE"),
        listKey(random),
        word(index(random)),
        word(index(random)),
      ],
    }),
  },
  {
    command: "lindex",
    weight: 10,
    generate: (random) => ({
      args: [word("LINDEX"), listKey(random), word(index(random))],
    }),
  },
  {
    command: "lset",
    weight: 8,
    generate: (random) => ({
      args: [
        word("LSET"),
        listKey(random),
        word(index(random)),
        element(random),
      ],
    }),
  },
  {
    command: "lrem",
    weight: 8,
    generate: (random) => ({
      args: [
        word("LREM"),
        listKey(random),
        word(
          random.chance(0.8) ? String(random.between(-3, 3)) : index(random),
        ),
        element(random),
      ],
    }),
  },
  {
    command: "ltrim",
    weight: 6,
    generate: (random) => ({
      args: [
        word("LTRIM"),
        listKey(random),
        word(index(random)),
        word(index(random)),
      ],
    }),
  },
  { command: "linsert", weight: 8, generate: linsert },
  { command: "lpos", weight: 10, generate: lpos },
  {
    command: "lmove",
    weight: 8,
    generate: (random) => {
      const source = listKey(random);
      // A rotation (the same key twice) one time in four.
      const destination = random.chance(0.25) ? source : listKey(random);
      return {
        args: [word("LMOVE"), source, destination, side(random), side(random)],
      };
    },
  },
  {
    command: "rpoplpush",
    weight: 4,
    generate: (random) => {
      const source = listKey(random);
      const destination = random.chance(0.25) ? source : listKey(random);
      return { args: [word("RPOPLPUSH"), source, destination] };
    },
  },
  { command: "lmpop", weight: 6, generate: lmpop },

  // Key commands on the list keys: the shared pool's generators (keys.ts)
  // never reach them.
  ...ON_LIST_KEYS,
  { command: "object", weight: 8, generate: object },
  {
    command: "touch",
    weight: 2,
    generate: (random) => ({
      args: [
        word("TOUCH"),
        ...Array.from({ length: random.between(1, 3) }, () => listKey(random)),
      ],
    }),
  },
  {
    command: "move",
    weight: 2,
    generate: (random, { capabilities }) => ({
      args: [
        word("MOVE"),
        listKey(random),
        word(database(random, capabilities.databases)),
      ],
    }),
  },
];
