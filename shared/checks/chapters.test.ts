/**
 * The tooling's own rules: chapter names, which suites each project runs,
 * and the exercise copy that must never overwrite a learner's work.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  listChapters,
  previousChapter,
  resolveChapter,
  type Chapter,
} from "../chapters.ts";
import { prepareExercise } from "../exercise.ts";
import { chapterProjects, resp2Projects, suitesExcept } from "../projects.ts";
import { PROTOCOL_INDEPENDENT_SUITES } from "../protocol-independent-suites.ts";

const scratch = mkdtempSync(join(tmpdir(), "rfs-tooling-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A chapters/ folder with the given chapter folders, each holding one source file. */
function fakeChapters(ids: string[]): { dir: string; chapters: Chapter[] } {
  const dir = mkdtempSync(join(scratch, "chapters-"));
  for (const id of ids) {
    mkdirSync(join(dir, id, "src"), { recursive: true });
    writeFileSync(join(dir, id, "src", "server.ts"), `// chapter ${id}\n`);
  }
  mkdirSync(join(dir, "not-a-chapter"));
  return { dir, chapters: listChapters(dir) };
}

describe("chapter names", () => {
  const { chapters } = fakeChapters([
    "02-resp-parser",
    "01-tcp-echo",
    "04-expiry",
  ]);

  it("lists chapter folders in order and ignores other folders", () => {
    expect(chapters.map((c) => c.id)).toEqual([
      "01-tcp-echo",
      "02-resp-parser",
      "04-expiry",
    ]);
  });

  it.each(["4", "04", "04-expiry", "expiry", " 04 ", "04-EXPIRY"])(
    "resolves %j to 04-expiry",
    (name) => {
      expect(resolveChapter(name, chapters)?.id).toBe("04-expiry");
    },
  );

  it.each(["3", "5", "", "exp", "004", "04-expiry-x"])(
    "does not resolve %j",
    (name) => {
      expect(resolveChapter(name, chapters)).toBeUndefined();
    },
  );

  it("knows the chapter before each one, even across a gap", () => {
    expect(previousChapter(chapters[2]!, chapters)?.id).toBe("02-resp-parser");
    expect(previousChapter(chapters[0]!, chapters)).toBeUndefined();
  });

  it("finds this repository's chapters", () => {
    expect(listChapters().map((c) => c.id)).toContain("01-tcp-echo");
  });
});

describe("vitest projects", () => {
  const { chapters } = fakeChapters([
    "01-tcp-echo",
    "02-resp-parser",
    "03-memory-db",
  ]);

  it("runs every black-box suite from 02 up to the chapter against its server, plus its own unit tests", () => {
    const [one, two, three] = chapterProjects(chapters);
    expect(one).toEqual({
      name: "01-tcp-echo",
      include: [
        "chapters/01-tcp-echo/test/*.test.ts",
        "chapters/01-tcp-echo/test/unit/**/*.test.ts",
      ],
      serverDir: chapters[0]!.dir,
      chapterNumber: 1,
      speaksRedis: false,
      protocol: 3,
    });
    expect(two!.include).toEqual([
      "chapters/02-resp-parser/test/*.test.ts",
      "chapters/02-resp-parser/test/unit/**/*.test.ts",
    ]);
    expect(three).toEqual({
      name: "03-memory-db",
      include: [
        "chapters/02-resp-parser/test/*.test.ts",
        "chapters/03-memory-db/test/*.test.ts",
        "chapters/03-memory-db/test/unit/**/*.test.ts",
      ],
      serverDir: chapters[2]!.dir,
      chapterNumber: 3,
      speaksRedis: true,
      protocol: 3,
    });
  });

  it("runs each chapter's own suites again in RESP2, or every suite up to it against an external server, but the protocol-independent ones", () => {
    // Which files the glob takes: shared/checks/resp2-projects.test.ts.
    const suites = suitesExcept(PROTOCOL_INDEPENDENT_SUITES);
    expect(suitesExcept(["framing.test.ts", "node-redis.test.ts"])).toBe(
      "!(framing.test|node-redis.test)*.test.ts",
    );
    const own = resp2Projects(chapters, { cumulative: false });
    expect(own.map((p) => [p.name, p.include, p.protocol])).toEqual([
      ["02-resp-parser-resp2", [`chapters/02-resp-parser/test/${suites}`], 2],
      ["03-memory-db-resp2", [`chapters/03-memory-db/test/${suites}`], 2],
    ]);
    const all = resp2Projects(chapters, { cumulative: true });
    expect(all[1]!.include).toEqual([
      `chapters/02-resp-parser/test/${suites}`,
      `chapters/03-memory-db/test/${suites}`,
    ]);
    expect(all[1]!.serverDir).toBe(chapters[2]!.dir);
  });

  it("in exercise mode, starts the learner's copy and leaves out unit tests", () => {
    const three = chapterProjects(chapters, {
      exerciseDir: "/work/exercises/03-memory-db",
    })[2]!;
    expect(three.serverDir).toBe("/work/exercises/03-memory-db");
    expect(three.include).toEqual([
      "chapters/02-resp-parser/test/*.test.ts",
      "chapters/03-memory-db/test/*.test.ts",
    ]);
  });
});

describe("exercise workspace", () => {
  it("copies the previous chapter once and never overwrites the learner's work", () => {
    const { chapters } = fakeChapters(["01-tcp-echo", "02-resp-parser"]);
    const exercises = join(scratch, "exercises");
    const learnerFile = join(exercises, "02-resp-parser", "src", "server.ts");

    const first = prepareExercise(chapters[1]!, chapters, exercises);
    expect(first).toMatchObject({
      created: true,
      startingPoint: { id: "01-tcp-echo" },
    });
    expect(readFileSync(learnerFile, "utf8")).toBe("// chapter 01-tcp-echo\n");

    writeFileSync(learnerFile, "// the learner's own work\n");
    const second = prepareExercise(chapters[1]!, chapters, exercises);
    expect(second).toMatchObject({
      created: false,
      dir: join(exercises, "02-resp-parser"),
    });
    expect(readFileSync(learnerFile, "utf8")).toBe(
      "// the learner's own work\n",
    );
  });

  it("has nothing to offer for the first chapter", () => {
    const { chapters } = fakeChapters(["01-tcp-echo"]);
    const exercises = join(scratch, "exercises-first");
    expect(prepareExercise(chapters[0]!, chapters, exercises)).toBeUndefined();
    expect(existsSync(exercises)).toBe(false);
  });
});
