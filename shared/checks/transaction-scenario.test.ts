/**
 * The fuzzer's transaction scenarios (shared/fuzz/transaction-scenario.ts)
 * run on two real redis-servers: the same server twice must agree on
 * every step, generated scenarios included, or the scenario machinery
 * itself would report differences that are nobody's bug (a deadline
 * that passes at a moment of each server's own, a key one server's
 * active expiry deleted and the other's did not). And the answers are
 * Redis's: a watched key written by another client fails EXEC, the same
 * key in another database does not, a deadline that passes between WATCH
 * and EXEC fails it, a queued HELLO switches the elements after it.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareExchange } from "../fuzz/compare.ts";
import type { CompareContext } from "../fuzz/exchange.ts";
import { commandName, itemsOf } from "../fuzz/exchange.ts";
import { CommandSource } from "../fuzz/generators/index.ts";
import type {
  TransactionScenario,
  TransactionStep,
} from "../fuzz/generators/transactions.ts";
import { askBoth, Peer } from "../fuzz/peer.ts";
import { startRedis, type RunningServer } from "../fuzz/servers.ts";
import { runTransactionScenario } from "../fuzz/transaction-scenario.ts";
import type { ScenarioStep } from "../fuzz/wait-scenario.ts";
import { textOf, type Protocol, type RespReply } from "../fuzz/resp.ts";

const installed =
  spawnSync(process.env.REDIS_SERVER ?? "redis-server", ["--version"])
    .status === 0;

const words = (text: string): Buffer[] =>
  text.split(" ").map((word) => Buffer.from(word, "latin1"));

/** A step of `client`: its commands, written as one would type them. */
const step = (
  client: number,
  commands: string[],
  pause?: number,
): TransactionStep => ({
  client,
  commands: commands.map((command) => ({ args: words(command) })),
  ...(pause === undefined ? {} : { pause }),
});

describe.skipIf(!installed)(
  "transaction scenarios on two redis-servers",
  () => {
    const started: RunningServer[] = [];
    const controls: Peer[] = [];
    /** Redis's own commands and parameters, read from both servers alike. */
    let context: CompareContext;

    beforeAll(async () => {
      started.push(await startRedis(), await startRedis());
      for (const server of started)
        controls.push(await Peer.connect(server.port));
      const [[listing, parameters]] = await askBoth(
        controls[0]!,
        controls[1]!,
        [words("COMMAND"), words("CONFIG GET *")],
      );
      // Each entry's first field is its name, its tenth its subcommands'.
      const commands = new Set<string>();
      const nameOf = (entry: RespReply): string =>
        textOf(itemsOf(entry)![0]!)!.toLowerCase();
      for (const entry of itemsOf(listing!)!) {
        commands.add(nameOf(entry));
        for (const sub of itemsOf(itemsOf(entry)![9]!)!)
          commands.add(nameOf(sub));
      }
      context = {
        commands,
        configParameters: new Set(
          (itemsOf(parameters!) ?? [])
            .filter((_, i) => i % 2 === 0)
            .map((item) => textOf(item)!),
        ),
      };
    });

    afterAll(async () => {
      for (const peer of controls) peer.close();
      await Promise.all(started.map((server) => server.stop()));
    });

    /**
     * Runs `scenario` on both servers, emptied and without a password (a
     * generated scenario may set one); every step must agree.
     */
    const run = async (
      scenario: TransactionScenario,
      protocol: Protocol = 2,
    ): Promise<ScenarioStep[]> => {
      await askBoth(controls[0]!, controls[1]!, [
        words("FLUSHALL"),
        [...words("CONFIG SET requirepass"), Buffer.alloc(0)],
      ]);
      const steps = await runTransactionScenario(
        scenario,
        { ours: started[0]!.port, redis: started[1]!.port },
        protocol === 3 ? words("HELLO 3") : undefined,
        protocol,
      );
      for (const { exchange, what } of steps) {
        expect(compareExchange(exchange, context).kind, what).not.toBe(
          "different",
        );
      }
      return steps;
    };
    /** What redis-server answered to each EXEC, in order. */
    const execs = (steps: ScenarioStep[]): string[] =>
      steps
        .filter(({ exchange }) => commandName(exchange.args) === "exec")
        .map(({ exchange }) => exchange.redis.raw.toString("latin1"));

    it("fails EXEC when another client wrote a watched key, not when it wrote the same key in another database", async () => {
      const steps = await run({
        databases: ["0", "0", "1"],
        steps: [
          step(0, ["WATCH k"]),
          step(2, ["SET k other-db"]),
          step(0, ["MULTI", "SET k mine", "GET k", "EXEC"]),
          step(0, ["WATCH k"]),
          step(1, ["SET k theirs"]),
          step(0, ["MULTI", "GET k", "EXEC"]),
        ],
      });
      expect(execs(steps)).toEqual(["*2\r\n+OK\r\n$4\r\nmine\r\n", "*-1\r\n"]);
    });

    it("fails EXEC when a watched key's deadline passed after WATCH, and sweeps the key", async () => {
      const steps = await run({
        databases: ["0"],
        steps: [
          step(0, ["SET k v PX 50", "WATCH k", "PTTL k"], 70),
          step(0, ["MULTI", "SET other 1", "EXEC"]),
          step(0, ["EXISTS k", "EXISTS other"]),
        ],
      });
      expect(execs(steps)).toEqual(["*-1\r\n"]);
      expect(
        steps.slice(-2).map(({ exchange }) => exchange.redis.raw.toString()),
      ).toEqual([":0\r\n", ":0\r\n"]);
    });

    it("answers EXECABORT for a command refused at queue time, and ends the transaction at an EXEC with a word too many", async () => {
      const steps = await run({
        databases: ["0"],
        steps: [
          step(0, ["MULTI", "SET a 1", "NOSUCHCOMMAND", "EXEC"]),
          step(0, ["MULTI", "SET a 1", "EXEC x", "EXEC"]),
        ],
      });
      expect(execs(steps)).toEqual([
        "-EXECABORT Transaction discarded because of previous errors.\r\n",
        "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
        "-ERR EXEC without MULTI\r\n",
      ]);
    });

    it("follows a queued HELLO: the elements after it, and the client's next replies, in the new protocol", async () => {
      const steps = await run({
        databases: ["0"],
        steps: [step(0, ["MULTI", "GET none", "HELLO 3", "GET none", "EXEC"])],
      });
      const [reply] = steps
        .filter(({ exchange }) => exchange.queued !== undefined)
        .map(({ exchange }) => exchange.redis);
      expect(reply!.items!.map(({ raw }) => raw.toString()[0])).toEqual([
        "$",
        "%",
        "_",
      ]);
      const after = await run({
        databases: ["0"],
        steps: [step(0, ["MULTI", "HELLO 3", "EXEC", "GET none"])],
      });
      expect(after.at(-1)!.exchange).toMatchObject({ protocol: 3 });
      expect(after.at(-1)!.exchange.redis.raw.toString()).toBe("_\r\n");
    });

    it.each([2, 3] as const)(
      "agrees with itself on every step of generated scenarios (RESP%i)",
      async (protocol) => {
        const source = new CommandSource(protocol, {
          commands: context.commands,
          configParameters: [...context.configParameters],
          databases: 16,
        });
        let scenarios = 0;
        while (scenarios < 40) {
          const { transaction } = source.next();
          if (transaction === undefined) continue;
          scenarios += 1;
          await run(transaction, protocol);
        }
      },
      60_000,
    );
  },
);
