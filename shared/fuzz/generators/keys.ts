/**
 * Generic key commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RENAME,
 * RENAMENX, RANDOMKEY, COPY.
 *
 * KEYS and RANDOMKEY answer in an order (or with a choice) that depends on
 * each server's hash table, and SCAN's cursors are positions in it: the
 * comparer sorts KEYS, and the runner walks a SCAN that starts at cursor 0
 * to its end on each server and compares the keys found (normalise.ts).
 */
import type { CommandGenerator } from "./index.ts";
import { word } from "./index.ts";
import {
  anyWord,
  database,
  integerText,
  key,
  keys,
  pattern,
} from "./values.ts";

export const KEY_GENERATORS: readonly CommandGenerator[] = [
  {
    command: "del",
    weight: 10,
    generate: (random) => ({ args: [word("DEL"), ...keys(random, 1, 3)] }),
  },
  {
    command: "unlink",
    weight: 4,
    generate: (random) => ({ args: [word("UNLINK"), ...keys(random, 1, 3)] }),
  },
  {
    command: "exists",
    weight: 8,
    generate: (random) => ({ args: [word("EXISTS"), ...keys(random, 1, 4)] }),
  },
  {
    command: "type",
    weight: 5,
    generate: (random) => ({ args: [word("TYPE"), key(random)] }),
  },
  {
    command: "keys",
    weight: 5,
    generate: (random) => ({ args: [word("KEYS"), pattern(random)] }),
  },
  {
    command: "scan",
    weight: 5,
    generate(random) {
      const cursor = random.weighted([
        ["0", 8],
        [
          random.pick([
            "1",
            "17",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "abc",
            "",
            " 0",
            "0x0",
          ]),
          2,
        ],
      ]);
      const args = [word("SCAN"), word(cursor)];
      const options = random.weighted([
        [0, 3],
        [1, 4],
        [2, 2],
        [3, 1],
      ]);
      for (let i = 0; i < options; i++) {
        const roll = random.below(10);
        if (roll < 4) args.push(word(random.anyCase("match")), pattern(random));
        else if (roll < 7) {
          args.push(
            word(random.anyCase("count")),
            word(
              random.chance(0.6)
                ? String(random.between(1, 20))
                : integerText(random),
            ),
          );
        } else if (roll < 9) {
          args.push(
            word(random.anyCase("type")),
            word(
              random.anyCase(
                random.pick(["string", "list", "hash", "none", "nosuchtype"]),
              ),
            ),
          );
        } else args.push(anyWord(random));
      }
      return { args };
    },
  },
  {
    command: "rename",
    weight: 5,
    generate: (random) => ({
      args: [word("RENAME"), key(random), key(random)],
    }),
  },
  {
    command: "renamenx",
    weight: 3,
    generate: (random) => ({
      args: [word("RENAMENX"), key(random), key(random)],
    }),
  },
  {
    command: "randomkey",
    weight: 2,
    generate: () => ({ args: [word("RANDOMKEY")] }),
  },
  {
    command: "copy",
    weight: 5,
    generate(random, { capabilities }) {
      const args = [word("COPY"), key(random), key(random)];
      const options = random.between(0, 2);
      for (let i = 0; i < options; i++) {
        const roll = random.below(5);
        if (roll < 2) {
          args.push(
            word(random.anyCase("db")),
            word(database(random, capabilities.databases)),
          );
        } else if (roll < 4) args.push(word(random.anyCase("replace")));
        else args.push(anyWord(random));
      }
      return { args };
    },
  },
];
