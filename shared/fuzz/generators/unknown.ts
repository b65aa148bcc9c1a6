/**
 * Commands that do not exist, in every chapter: Redis's error quotes the
 * name and the first arguments, up to about 128 bytes, with its own
 * escaping, and a server that quotes them differently is found here.
 */
import type { CommandGenerator } from "./index.ts";
import { word } from "./index.ts";
import { anyWord } from "./values.ts";

export const UNKNOWN_COMMAND_GENERATORS: readonly CommandGenerator[] = [
  {
    command: undefined,
    weight: 3,
    generate(random) {
      const name = random.chance(0.7)
        ? word(
            random.pick([
              "foo",
              "GETT",
              "hset2",
              "",
              "c\0onfig",
              "x".repeat(200),
            ]),
          )
        : random.bytes(random.between(1, 8));
      const args = [name];
      const count = random.between(0, 4);
      for (let i = 0; i < count; i++) args.push(anyWord(random));
      if (random.chance(0.1)) args.push(random.bytes(random.between(100, 300)));
      return { args };
    },
  },
];
