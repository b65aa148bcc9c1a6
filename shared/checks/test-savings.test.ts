/**
 * The three ways the test run saves time, held to what makes each honest:
 * a unit test left out runs the same bytes as one that runs; the exercise
 * check keeps every suite that can tell a copy from its chapter; a bundled
 * `main.ts` is the chapter's program, named after its chapter.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { listChapters, REPO_ROOT, type Chapter } from "../chapters.ts";
import { closureFingerprint } from "../import-closure.ts";
import { mainProgram } from "../main-program.ts";
import { unitTestsToRun } from "../projects.ts";
import { suitesThatSeeTheCopy } from "../suites-that-see-the-copy.ts";

const scratch = mkdtempSync(join(tmpdir(), "rfs-savings-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A chapter folder with these files (relative path → content). */
function fakeChapter(id: string, files: Record<string, string>): Chapter {
  const dir = join(scratch, id);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { id, number: Number(id.slice(0, 2)), dir };
}

describe("a unit test runs once when an earlier chapter runs the same bytes", () => {
  const test = `import { double } from "../../src/double.ts";\nimport { it } from "vitest";\nit("doubles", () => double(2));\n`;
  const source = "export const double = (n: number) => n * 2;\n";

  it("leaves out the later copy, and only when the module it tests is the same too", () => {
    const same = [
      fakeChapter("01-a", {
        "test/unit/double.test.ts": test,
        "src/double.ts": source,
      }),
      fakeChapter("02-b", {
        "test/unit/double.test.ts": test,
        "src/double.ts": source,
      }),
      fakeChapter("03-c", {
        "test/unit/double.test.ts": test,
        "src/double.ts": `${source}// one more line\n`,
      }),
    ];
    const toRun = unitTestsToRun(same);
    expect(toRun.get("01-a")).toHaveLength(1);
    expect(toRun.get("02-b")).toEqual([]);
    expect(toRun.get("03-c")).toHaveLength(1);
  });

  it("keeps every test that reads its project's values or its own location", () => {
    const reads = fakeChapter("04-d", {
      "test/unit/where.test.ts": `import { inject } from "vitest";\ninject("serverDir");\n`,
    });
    expect(
      closureFingerprint(join(reads.dir, "test/unit/where.test.ts"), reads.dir),
    ).toBeUndefined();
  });

  it("in the repository, every test left out has its twin in an earlier chapter", () => {
    const chapters = listChapters();
    const toRun = unitTestsToRun(chapters);
    const ranBefore = new Set<string>();
    let leftOut = 0;
    for (const chapter of chapters) {
      const running = new Set(toRun.get(chapter.id));
      const unitDir = join(chapter.dir, "test", "unit");
      const files = existsSync(unitDir)
        ? readdirSync(unitDir).filter((name) => name.endsWith(".test.ts"))
        : [];
      const fingerprints: string[] = [];
      for (const name of files) {
        const file = join(unitDir, name);
        const fingerprint = closureFingerprint(file, chapter.dir);
        if (running.has(relative(REPO_ROOT, file).split("\\").join("/"))) {
          if (fingerprint !== undefined) fingerprints.push(fingerprint);
        } else {
          leftOut += 1;
          expect(ranBefore, file).toContain(fingerprint);
        }
      }
      for (const fingerprint of fingerprints) ranBefore.add(fingerprint);
    }
    expect(leftOut).toBeGreaterThan(0);
  });
});

describe("the exercise check keeps the suites that can tell a copy from its chapter", () => {
  it("runs the suites that start main.ts or ask the chapter's number, not the others", () => {
    const suites = suitesThatSeeTheCopy([
      "chapters/02-resp-parser/test/",
      "chapters/03-memory-db/test/",
    ]);
    expect(suites).toContain(
      "chapters/02-resp-parser/test/command-line.test.ts",
    );
    expect(suites).toContain(
      "chapters/03-memory-db/test/server-commands.test.ts",
    );
    expect(suites).not.toContain("chapters/03-memory-db/test/strings.test.ts");
  });
});

describe("a bundled main.ts", () => {
  it("prints the banner of its own chapter and serves", async () => {
    const chapter = listChapters().find((c) => c.id === "02-resp-parser")!;
    const [program, ...args] = mainProgram(join(chapter.dir, "src", "main.ts"));
    expect(args.at(-1)).toMatch(/02-resp-parser[\\/]src[\\/]main\.mjs$/);
    const child = spawn(program!, [...args, "--port", "0"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (text) => (stdout += text));
    const deadline = Date.now() + 20_000;
    while (!/Listening on/.test(stdout) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const exited = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain("chapter 02-resp-parser");
  });
});
