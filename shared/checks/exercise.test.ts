/**
 * Exercise mode's own rules: every chapter lists its article steps once
 * each (`test/steps.ts`, one entry per black-box test file), the words
 * after `npm run exercise NN --` are read as documented, the summary follows
 * the article's order, and error replies name the command that got them.
 */
import { describe, expect, it } from "vitest";
import { listChapters, type Chapter } from "../chapters.ts";
import {
  blackBoxTestNames,
  earlierSuites,
  loadSteps,
  parseExerciseArgs,
  stepSummary,
  vitestCommand,
  type ArticleStep,
  type FileResult,
} from "../exercise.ts";
import { CommandError, describeCommand, namingCommands } from "../replies.ts";

const chapters = listChapters();
/** Every chapter a learner can be exercised on: all but the first. */
const exercised = chapters.slice(1);

describe.each(exercised.map((c) => [c.id, c] as const))(
  "chapter %s's article steps",
  (_, chapter) => {
    it("list every black-box test file exactly once, each with a one-line description", async () => {
      const steps = await loadSteps(chapter);
      const names = steps.map((step) => step.name);
      expect(names.length, "steps listed twice").toBe(new Set(names).size);
      expect([...names].sort()).toEqual(blackBoxTestNames(chapter));
      for (const step of steps) {
        expect(step.about, step.name).toMatch(/^\S[^\n]{0,100}$/);
      }
    });
  },
);

const fake: Chapter = { id: "04-expiry", number: 4, dir: "/nowhere" };
const steps: ArticleStep[] = [
  { name: "expire-commands", about: "first" },
  { name: "set-options", about: "second" },
  { name: "clock", about: "third" },
];

describe("npm run exercise NN -- ...", () => {
  it("reads steps, --core, and options for vitest", () => {
    expect(
      parseExerciseArgs(
        [
          "set-options",
          "--core",
          "--testNamePattern=GETEX",
          "test/clock.test.ts",
          "set-options",
        ],
        steps,
      ),
    ).toEqual({
      steps: ["set-options", "clock"],
      core: true,
      vitestArgs: ["--testNamePattern=GETEX"],
      unknown: [],
    });
  });

  it("reports words that name no step", () => {
    expect(parseExerciseArgs(["expire", "clock"], steps).unknown).toEqual([
      "expire",
    ]);
  });

  it("skips the second `--` npm passes on (`npm run exercise 04 -- clock -- --core`)", () => {
    expect(parseExerciseArgs(["clock", "--", "--core"], steps)).toEqual({
      steps: ["clock"],
      core: true,
      vitestArgs: [],
      unknown: [],
    });
  });

  it("runs the chapter's project on the copy, without fidelity tests under --core", () => {
    const { args, env } = vitestCommand({
      chapter: fake,
      exerciseDir: "/work/exercises/04-expiry",
      files: ["chapters/04-expiry/test/clock.test.ts"],
      core: true,
      vitestArgs: ["--bail=1"],
      reportPath: "/tmp/results.json",
    });
    expect(args).toEqual([
      "--project",
      "04-expiry",
      "--tags-filter=!fidelity",
      "--bail=1",
      "chapters/04-expiry/test/clock.test.ts",
    ]);
    expect(env).toEqual({
      EXERCISE_DIR: "/work/exercises/04-expiry",
      EXERCISE_REPORT: "/tmp/results.json",
    });
  });

  it("names the suites an untouched copy already passes: 02 up to the chapter before", () => {
    const five = chapters.find((c) => c.number === 5);
    if (five === undefined) return;
    expect(earlierSuites(five, chapters)).toEqual(
      chapters
        .filter((c) => c.number >= 2 && c.number < 5)
        .map((c) => `chapters/${c.id}/test/`),
    );
  });
});

describe("the summary after a run", () => {
  const result = (
    file: string,
    passed: number,
    failed: number,
    firstFailure?: FileResult["firstFailure"],
  ): FileResult => ({ file, passed, failed, skipped: 0, firstFailure });

  it("follows the article's order, not the order files finished in, and says what to do next", () => {
    const lines = stepSummary(fake, steps, [
      result("chapters/04-expiry/test/clock.test.ts", 1, 2, {
        test: "a > b",
        error: "boom",
      }),
      result("chapters/04-expiry/test/set-options.test.ts", 0, 3, {
        test: "SET > EX",
        error: "SET k v EX 10 → ERR syntax error",
      }),
      result("chapters/04-expiry/test/expire-commands.test.ts", 4, 0),
      result("chapters/02-resp-parser/test/framing.test.ts", 7, 0),
      result("chapters/03-memory-db/test/keys.test.ts", 5, 0),
    ]);
    expect(lines).toEqual([
      "Chapter 04-expiry, step by step, in the article's order:",
      "  ✓  1. expire-commands  4 passed, 0 failed",
      "  ✗  2. set-options      0 passed, 3 failed",
      "         first failure: SET > EX",
      "           SET k v EX 10 → ERR syntax error",
      "  ✗  3. clock            1 passed, 2 failed",
      "         first failure: a > b",
      "           boom",
      "Earlier chapters' suites (2 files): 12 passed, 0 failed",
      "Next: npm run exercise 04 -- set-options",
    ]);
  });

  it("lists each failing earlier suite, since an untouched copy passes them all", () => {
    const lines = stepSummary(fake, steps, [
      result("chapters/02-resp-parser/test/command-line.test.ts", 8, 1, {
        test: "start-up > banner",
        error: "expected … to contain 'chapter 04-expiry'",
      }),
    ]);
    expect(lines).toContain(
      "  ✗ chapters/02-resp-parser/test/command-line.test.ts  8 passed, 1 failed",
    );
    expect(lines.filter((line) => line.includes("not run"))).toHaveLength(3);
  });
});

describe("error replies that name their command", () => {
  /** A stand-in for an ioredis client: one command that the server refuses. */
  const refusing = {
    set(...args: unknown[]): Promise<string> {
      const error = new Error("ERR syntax error") as Error & {
        command?: { name: string; args: unknown[] };
      };
      error.name = "ReplyError";
      error.command = { name: "set", args };
      return Promise.reject(error);
    },
    call(..._args: unknown[]): Promise<string> {
      return Promise.reject(new Error("Connection is closed."));
    },
  };

  it("say what was sent and what came back, from the test's own line", async () => {
    const client = namingCommands(refusing);
    const error: unknown = await client
      .set("k", "v", "EX", 1000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const named = error as CommandError;
    expect(named.message).toBe("SET k v EX 1000 → ERR syntax error");
    expect(named.reply).toBe("ERR syntax error");
    expect(named.sent).toEqual(["SET", "k", "v", "EX", "1000"]);
    expect(named.stack?.split("\n")[1]).toContain("exercise.test.ts");
  });

  it("leave other failures alone", async () => {
    const error: unknown = await namingCommands(refusing)
      .call("PING")
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(CommandError);
    expect((error as Error).message).toBe("Connection is closed.");
  });

  it("quote what would read ambiguously, and cut what is long", () => {
    expect(describeCommand(["SET", "a b", "", 'q"'])).toBe(
      'SET "a b" "" "q\\""',
    );
    expect(describeCommand(["SET", "k", "x".repeat(50)])).toBe(
      `SET k ${"x".repeat(40)}…(50 characters)`,
    );
    expect(
      describeCommand([
        "DEL",
        ...Array.from({ length: 20 }, (_, i) => `k${i}`),
      ]),
    ).toMatch(/ k11 …\(8 more arguments\)$/);
  });
});
