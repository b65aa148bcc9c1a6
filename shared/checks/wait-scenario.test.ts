/**
 * The fuzzer's wait scenarios (shared/fuzz/wait-scenario.ts) run on two
 * real redis-servers: the same server twice must agree on every step, or
 * the scenario machinery itself would report differences that are
 * nobody's bug. And the answers are Redis's: FIFO per key, a waiter left
 * waiting reported as such, `blocked_clients` back to 0 once the
 * scenario's clients are gone.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareExchange } from "../fuzz/compare.ts";
import type { WaitScenario } from "../fuzz/generators/blocking.ts";
import { Peer } from "../fuzz/peer.ts";
import { startRedis, type RunningServer } from "../fuzz/servers.ts";
import {
  runWaitScenario,
  type ScenarioServer,
  type ScenarioStep,
} from "../fuzz/wait-scenario.ts";
import type { Protocol } from "../fuzz/resp.ts";

const installed =
  spawnSync(process.env.REDIS_SERVER ?? "redis-server", ["--version"])
    .status === 0;

const words = (...texts: string[]): Buffer[] =>
  texts.map((text) => Buffer.from(text, "latin1"));

describe.skipIf(!installed)("wait scenarios on two redis-servers", () => {
  const started: RunningServer[] = [];
  const controls: Peer[] = [];
  let sides: { ours: ScenarioServer; redis: ScenarioServer };

  beforeAll(async () => {
    started.push(await startRedis(), await startRedis());
    for (const server of started)
      controls.push(await Peer.connect(server.port));
    sides = {
      ours: { port: started[0]!.port, control: controls[0]! },
      redis: { port: started[1]!.port, control: controls[1]! },
    };
  });

  afterAll(async () => {
    for (const peer of controls) peer.close();
    await Promise.all(started.map((server) => server.stop()));
  });

  const run = async (
    scenario: WaitScenario,
    protocol: Protocol = 2,
  ): Promise<ScenarioStep[]> => {
    const steps = await runWaitScenario(
      scenario,
      sides,
      protocol === 3 ? words("HELLO", "3") : undefined,
      protocol,
    );
    const context = {
      commands: new Set<string>(),
      configParameters: new Set<string>(),
    };
    for (const { exchange, what } of steps) {
      expect(compareExchange(exchange, context).kind, what).not.toBe(
        "different",
      );
    }
    return steps;
  };
  const answers = (steps: ScenarioStep[]): string[] =>
    steps
      .filter(({ what }) => what.includes("(waiter "))
      .map(({ exchange }) => exchange.redis.raw.toString("latin1"));
  const last = (steps: ScenarioStep[]): string =>
    steps.at(-1)!.exchange.redis.raw.toString("latin1");

  it("serves waiters in the order they came, and reports the one left waiting", async () => {
    const steps = await run({
      db: "0",
      setup: [words("DEL", "q")],
      waiters: [
        words("BLPOP", "q", "0"),
        words("BRPOP", "q", "0"),
        words("BLPOP", "q", "0"),
      ],
      wakers: [words("RPUSH", "q", "a", "b")],
    });
    expect(answers(steps)).toEqual([
      "*2\r\n$1\r\nq\r\n$1\r\na\r\n",
      "*2\r\n$1\r\nq\r\n$1\r\nb\r\n",
      "-(still waiting)\r\n",
    ]);
    expect(last(steps)).toBe(":0\r\n");
  });

  it("follows a BLMOVE chain and answers in RESP3", async () => {
    const steps = await run(
      {
        db: "1",
        setup: [words("DEL", "src", "dst")],
        waiters: [
          words("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"),
          words("BLMPOP", "0", "1", "dst", "LEFT", "COUNT", "2"),
        ],
        wakers: [words("LPUSH", "src", "x")],
      },
      3,
    );
    expect(answers(steps)).toEqual([
      "$1\r\nx\r\n",
      "*2\r\n$3\r\ndst\r\n*1\r\n$1\r\nx\r\n",
    ]);
  });

  it("takes a waiter's immediate answer as an answer, not as waiting", async () => {
    const steps = await run({
      db: "0",
      setup: [words("SET", "s", "v")],
      waiters: [words("BLPOP", "s", "0"), words("BLPOP", "s", "abc")],
      wakers: [words("DEL", "s")],
    });
    expect(answers(steps)).toEqual([
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
      "-ERR timeout is not a float or out of range\r\n",
    ]);
  });
});
