/**
 * Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, CLIENT.
 *
 * HELLO asks for protocol 2 or 3 as often: it switches the connection on
 * both servers, and the commands after it are answered in that protocol
 * until the next HELLO or the next connection (the runner follows the
 * switch, see protocol.ts).
 */
import type { CommandGenerator } from "./index.ts";
import { word } from "./index.ts";
import { anyWord, clientName, database, password, value } from "./values.ts";

export const CONNECTION_GENERATORS: readonly CommandGenerator[] = [
  {
    command: "ping",
    weight: 10,
    generate: (random) => ({
      args: random.chance(0.5) ? [word("PING")] : [word("PING"), value(random)],
    }),
  },
  {
    command: "echo",
    weight: 5,
    generate: (random) => ({ args: [word("ECHO"), value(random)] }),
  },
  {
    command: "quit",
    weight: 1,
    generate: () => ({ args: [word("QUIT")] }),
  },
  {
    command: "hello",
    weight: 5,
    generate(random) {
      const args = [word("HELLO")];
      if (random.chance(0.2)) return { args };
      args.push(
        word(
          random.weighted([
            ["2", 3],
            ["3", 3],
            [random.pick(["0", "1", "4", "-1", "02", "2.0", "abc", ""]), 2],
            [random.pick(["9223372036854775808", "-2147483649"]), 1],
          ]),
        ),
      );
      const options = random.between(0, 2);
      for (let i = 0; i < options; i++) {
        const roll = random.below(10);
        if (roll < 4) {
          args.push(
            word(random.anyCase("auth")),
            word(random.pick(["default", "nobody", ""])),
            password(random),
          );
        } else if (roll < 8) {
          args.push(word(random.anyCase("setname")), clientName(random));
        } else {
          args.push(anyWord(random));
        }
      }
      return { args };
    },
  },
  {
    command: "auth",
    weight: 5,
    generate(random) {
      return random.chance(0.6)
        ? { args: [word("AUTH"), password(random)] }
        : {
            args: [
              word("AUTH"),
              word(random.pick(["default", "DEFAULT", "nobody", ""])),
              password(random),
            ],
          };
    },
  },
  {
    command: "select",
    weight: 20,
    generate: (random, { capabilities }) => ({
      args: [word("SELECT"), word(database(random, capabilities.databases))],
    }),
  },
  {
    command: "client",
    weight: 8,
    generate(random, { has }) {
      const subcommands = ["id", "getname", "setname", "setinfo", "help"]
        .filter((sub) => has(`client|${sub}`))
        .map((sub) => [sub, 2] as const);
      const sub = random.weighted([...subcommands, ["no-such-sub", 1]]);
      const args = [word("CLIENT"), word(random.anyCase(sub))];
      if (sub === "setname") args.push(clientName(random));
      if (sub === "setinfo") {
        args.push(
          word(random.anyCase(random.pick(["lib-name", "lib-ver", "lib-x"]))),
          clientName(random),
        );
      }
      return { args };
    },
  },
];
