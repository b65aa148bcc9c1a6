/**
 * The site's generated and hand-kept parts agree with the repository: the
 * commands reference lists every command of every chapter once, from the
 * chapter that introduces it; the landing page links the written chapters
 * and marks the planned ones; the benchmark chart never shrinks its text
 * below what the browser test accepts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHAPTER_PLAN, REPO_ROOT } from "../chapters.ts";
import {
  articleWritten,
  commandReference,
  displayName,
  loadChapterTables,
  syntaxOf,
  type ChapterTable,
  type SpecLike,
} from "../../site/.vitepress/command-reference.ts";
import {
  chartPanels,
  TEXT_SIZE,
} from "../../site/.vitepress/theme/bench-chart.ts";
import { parseBenchFile } from "../benchmarks.ts";

/** A spec with only what the reference reads. */
function spec(
  name: string,
  more: Partial<Omit<SpecLike, "name">> = {},
): SpecLike {
  return {
    name,
    arity: 1,
    flags: [],
    docs: { summary: `${name} it`, group: "server" },
    ...more,
  };
}

/** Every name a chapter's table knows, subcommands included. */
function namesOf(table: ChapterTable): string[] {
  return table.commands.flatMap((command) => [
    command.name,
    ...(command.subcommands ?? []).map((sub) => sub.name),
  ]);
}

describe("the commands reference", () => {
  it("writes arguments in Redis's notation", () => {
    const set = spec("set", {
      docs: {
        summary: "",
        group: "string",
        arguments: [
          { name: "key", type: "key" },
          { name: "value", type: "string" },
          {
            name: "condition",
            type: "oneof",
            optional: true,
            arguments: [
              { name: "nx", type: "pure-token", token: "NX" },
              { name: "xx", type: "pure-token", token: "XX" },
            ],
          },
        ],
      },
    });
    expect(syntaxOf(set)).toBe("SET key value [NX | XX]");
    const setinfo = spec("client|setinfo", {
      docs: {
        summary: "",
        group: "connection",
        arguments: [
          {
            name: "attr",
            type: "oneof",
            arguments: [
              { name: "libname", type: "string", token: "LIB-NAME" },
              { name: "libver", type: "string", token: "LIB-VER" },
            ],
          },
        ],
      },
    });
    expect(syntaxOf(setinfo)).toBe(
      "CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>",
    );
    const mset = spec("mset", {
      docs: {
        summary: "",
        group: "string",
        arguments: [
          {
            name: "data",
            type: "block",
            multiple: true,
            arguments: [
              { name: "key", type: "key" },
              { name: "value", type: "string" },
            ],
          },
        ],
      },
    });
    expect(syntaxOf(mset)).toBe("MSET key value [key value ...]");
  });

  it("lists a command in the chapter that adds it, a new subcommand under its older container, and a change", () => {
    const sections = commandReference(
      [
        {
          id: "02-resp-parser",
          commands: [
            spec("ping"),
            spec("command", { subcommands: [spec("command|count")] }),
          ],
        },
        {
          id: "03-memory-db",
          commands: [
            spec("ping", { flags: ["fast"] }),
            spec("command", {
              subcommands: [spec("command|count"), spec("command|getkeys")],
            }),
            spec("get"),
          ],
        },
      ],
      (id) => id === "02-resp-parser",
    );
    const [first, second, third] = sections;
    expect(first).toMatchObject({ hasTable: false, link: null, rows: [] });
    expect(second).toMatchObject({
      link: "/chapters/02-resp-parser",
      total: 3,
      added: 3,
    });
    expect(second!.rows.map((row) => [row.name, row.depth, row.note])).toEqual([
      ["PING", 0, ""],
      ["COMMAND", 0, ""],
      ["COMMAND COUNT", 1, ""],
    ]);
    expect(third).toMatchObject({ link: null, total: 5, added: 2 });
    expect(third!.rows.map((row) => [row.name, row.depth, row.note])).toEqual([
      ["PING", 0, "flags changed in this chapter"],
      ["COMMAND", 0, "from chapter 02, for its new subcommands"],
      ["COMMAND GETKEYS", 1, ""],
      ["GET", 0, ""],
    ]);
    expect(sections.map((section) => section.id)).toEqual(
      CHAPTER_PLAN.map(({ id }) => id),
    );
  });

  it("covers every command of every chapter, each first listed where it appears", async () => {
    const tables = await loadChapterTables((url) => import(url));
    expect(tables.length).toBeGreaterThan(0);
    const sections = commandReference(tables, articleWritten);
    const introduced: string[] = [];
    for (const table of tables) {
      const section = sections.find(({ id }) => id === table.id)!;
      introduced.push(
        ...section.rows.filter((row) => row.note === "").map((row) => row.name),
      );
      // Nothing lost, nothing listed twice as new.
      expect([...introduced].sort()).toEqual(
        namesOf(table).map(displayName).sort(),
      );
      expect(section.total).toBe(namesOf(table).length);
    }
  });
});

describe("the landing page", () => {
  const page = readFileSync(join(REPO_ROOT, "site", "index.md"), "utf8");
  const written = CHAPTER_PLAN.filter(({ id }) => articleWritten(id));

  it.each(CHAPTER_PLAN.map(({ id, title }, index) => [id, title, index + 1]))(
    "links %s if it is written, marks it planned if not",
    (id, title, number) => {
      const node = `c${number}`;
      const listItem = page
        .split(/\n(?=\d\. )/)
        .find((item) => item.startsWith(`${number}. `));
      expect(listItem, `list item ${number}`).toBeDefined();
      expect(listItem).toContain(`**${title}**`);
      if (articleWritten(id)) {
        expect(listItem).toContain(`](/chapters/${id})`);
        expect(page).toContain(`click ${node} "/chapters/${id}"`);
      } else {
        expect(listItem).toContain("_(planned)_");
        expect(page).toMatch(new RegExp(`${node}\\["[^"]*\\(planned\\)`));
        expect(page).toMatch(
          new RegExp(`^ *class [c0-9,]*\\b${node}\\b[c0-9,]* planned$`, "m"),
        );
      }
    },
  );

  it("says how many chapters are written", () => {
    const last = written.at(-1)!.id.slice(0, 2);
    expect(page).toContain(`Chapters 01 to ${last} are written`);
  });
});

describe("the benchmark chart", () => {
  it("is never drawn so narrow that its text falls below 10 px", () => {
    const file = parseBenchFile(
      JSON.parse(
        readFileSync(
          join(REPO_ROOT, "site", "data", "benchmarks.json"),
          "utf8",
        ),
      ),
    );
    for (const panel of chartPanels(file)) {
      expect((TEXT_SIZE * panel.minWidth) / panel.width).toBeGreaterThanOrEqual(
        10,
      );
    }
  });
});
