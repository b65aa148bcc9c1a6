/**
 * String commands: SET and its options, the GET family, multi-key MSET and
 * MGET, ranges, counters. Expiry options (SET EX, GETEX, SETEX) appear only
 * in chapters that have EXPIRE: before that, `SET k v EX 10` is a syntax
 * error on purpose.
 */
import type { FuzzRandom } from "../random.ts";
import type {
  CommandGenerator,
  FuzzCommand,
  GeneratorContext,
} from "./index.ts";
import { lapsing, word } from "./index.ts";
import {
  laterLapse,
  type Lapse,
  anyWord,
  expiryOption,
  floatText,
  integerText,
  key,
  keys,
  milliseconds,
  seconds,
  value,
} from "./values.ts";

/**
 * SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT n|KEEPTTL], options in any
 * order, sometimes repeated or in conflict (`NX XX`, `EX 1 PX 1`,
 * `EX 1 KEEPTTL`), sometimes with the number missing.
 */
function set(random: FuzzRandom, { has }: GeneratorContext): FuzzCommand {
  const target = key(random);
  const args = [word("SET"), target, value(random)];
  const withExpiry = has("expire");
  let lapse: Lapse | undefined;
  const count = random.weighted([
    [0, 4],
    [1, 4],
    [2, 2],
    [3, 1],
  ]);
  for (let i = 0; i < count; i++) {
    const roll = random.below(withExpiry ? 10 : 4);
    if (roll === 0) args.push(word(random.anyCase("nx")));
    else if (roll === 1) args.push(word(random.anyCase("xx")));
    else if (roll === 2) args.push(word(random.anyCase("get")));
    else if (roll === 3) args.push(anyWord(random));
    else if (roll === 4) args.push(word(random.anyCase("keepttl")));
    else {
      const option = expiryOption(random);
      lapse = laterLapse(lapse, option.lapse);
      args.push(...option.words.map(word));
    }
  }
  // Now and then an expiry keyword with its number missing.
  if (withExpiry && random.chance(0.02)) {
    args.push(word(random.anyCase(random.pick(["ex", "px", "exat", "pxat"]))));
  }
  return lapsing(args, target, lapse);
}

/** GETEX key [EX|PX|EXAT|PXAT n|PERSIST], with the same kind of mistakes as SET. */
function getex(random: FuzzRandom): FuzzCommand {
  const target = key(random);
  const args = [word("GETEX"), target];
  let lapse: Lapse | undefined;
  const count = random.weighted([
    [0, 3],
    [1, 6],
    [2, 1],
  ]);
  for (let i = 0; i < count; i++) {
    const roll = random.below(6);
    if (roll === 0) args.push(word(random.anyCase("persist")));
    else if (roll === 1) args.push(anyWord(random));
    else {
      const option = expiryOption(random);
      lapse = laterLapse(lapse, option.lapse);
      args.push(...option.words.map(word));
    }
  }
  return lapsing(args, target, lapse);
}

/** `command key value value ...`: a key and values in pairs, sometimes one short. */
function pairs(name: string, random: FuzzRandom): FuzzCommand {
  const args = [word(name)];
  const count = random.between(1, 4);
  for (let i = 0; i < count; i++) args.push(key(random), value(random));
  if (random.chance(0.05)) args.pop();
  return { args };
}

export const STRING_GENERATORS: readonly CommandGenerator[] = [
  { command: "set", weight: 40, generate: set },
  {
    command: "get",
    weight: 30,
    generate: (random) => ({ args: [word("GET"), key(random)] }),
  },
  { command: "getex", weight: 10, generate: getex },
  {
    command: "getset",
    weight: 5,
    generate: (random) => ({
      args: [word("GETSET"), key(random), value(random)],
    }),
  },
  {
    command: "getdel",
    weight: 5,
    generate: (random) => ({ args: [word("GETDEL"), key(random)] }),
  },
  {
    command: "setnx",
    weight: 5,
    generate: (random) => ({
      args: [word("SETNX"), key(random), value(random)],
    }),
  },
  {
    command: "setex",
    weight: 5,
    generate: (random) => ({
      args: [
        word("SETEX"),
        key(random),
        word(seconds(random).text),
        value(random),
      ],
    }),
  },
  {
    command: "psetex",
    weight: 5,
    generate(random) {
      const target = key(random);
      const deadline = milliseconds(random);
      const args = [word("PSETEX"), target, word(deadline.text), value(random)];
      return lapsing(args, target, deadline.lapse);
    },
  },
  { command: "mset", weight: 8, generate: (random) => pairs("MSET", random) },
  {
    command: "msetnx",
    weight: 4,
    generate: (random) => pairs("MSETNX", random),
  },
  {
    command: "mget",
    weight: 8,
    generate: (random) => ({ args: [word("MGET"), ...keys(random, 1, 5)] }),
  },
  {
    command: "append",
    weight: 10,
    generate: (random) => ({
      args: [word("APPEND"), key(random), value(random)],
    }),
  },
  {
    command: "strlen",
    weight: 5,
    generate: (random) => ({ args: [word("STRLEN"), key(random)] }),
  },
  {
    command: "getrange",
    weight: 8,
    generate: (random) => ({
      args: [
        word("GETRANGE"),
        key(random),
        word(integerText(random)),
        word(integerText(random)),
      ],
    }),
  },
  {
    command: "setrange",
    weight: 8,
    generate(random) {
      const piece = value(random);
      // Offsets stay small, or far enough out that the result would pass
      // 512 MB and both servers refuse it. In between, Redis would really
      // allocate half a gigabyte (and ours stops 24 bytes short of it, a
      // deliberate difference; see MAX_STRING_BYTES in the chapters).
      const offset =
        random.chance(0.9) || piece.length < 2
          ? integerText(random)
          : String(536_870_912 - piece.length + random.between(1, 1000));
      const safe =
        piece.length === 0 ||
        !/^\d+$/.test(offset) ||
        Number(offset) <= 100_000 ||
        Number(offset) + piece.length > 536_870_912;
      return {
        args: [
          word("SETRANGE"),
          key(random),
          word(safe ? offset : String(random.between(0, 100))),
          piece,
        ],
      };
    },
  },
  {
    command: "incr",
    weight: 8,
    generate: (random) => ({ args: [word("INCR"), key(random)] }),
  },
  {
    command: "decr",
    weight: 5,
    generate: (random) => ({ args: [word("DECR"), key(random)] }),
  },
  {
    command: "incrby",
    weight: 8,
    generate: (random) => ({
      args: [word("INCRBY"), key(random), word(integerText(random))],
    }),
  },
  {
    command: "decrby",
    weight: 5,
    generate: (random) => ({
      args: [word("DECRBY"), key(random), word(integerText(random))],
    }),
  },
  {
    command: "incrbyfloat",
    weight: 10,
    generate: (random) => ({
      args: [word("INCRBYFLOAT"), key(random), word(floatText(random))],
    }),
  },
];
