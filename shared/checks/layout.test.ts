/**
 * The shape of every chapter's `src/`: a newcomer guesses where a thing
 * lives from a file's name, so no two files of one chapter share a name,
 * and a learner reads each file top to bottom, so files stay short. A
 * longer file is allowed only where its article says why.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { listChapters, REPO_ROOT } from "../chapters.ts";

/** About 400 lines (5% of slack): a file a learner can hold in their head. */
const MAX_LINES = 420;

/** Longer files, each with the article that explains why it is one file. */
const EXPLAINED_LONG_FILES: Record<string, string> = {
  "persistence/aof.ts": "site/chapters/05-aof.md",
  "persistence/aof-rewrite.ts": "site/chapters/06-data-types.md",
  "types/quicklist.ts": "site/chapters/06-data-types.md",
  "types/packed-node.ts": "site/chapters/06-data-types.md",
  "types/skiplist.ts": "site/chapters/06-data-types-3.md",
  "types/sorted-set.ts": "site/chapters/06-data-types-3.md",
  "keyspace/database.ts": "site/chapters/07-transactions.md",
  "config/directives.ts": "site/chapters/07-transactions.md",
  "commands/key-commands.ts": "site/chapters/08-cluster.md",
  "commands/connection-commands.ts": "site/chapters/08-cluster.md",
  "server.ts": "site/chapters/08-cluster-2.md",
};

describe.each(listChapters().map((c) => [c.id, c] as const))(
  "chapter %s's src/",
  (_, chapter) => {
    const src = join(chapter.dir, "src");
    const files = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((path) => path.endsWith(".ts"))
      .map((path) => path.split("\\").join("/"));

    it("has no two files with the same name", () => {
      const names = files.map((path) => basename(path));
      const repeated = names.filter((name, i) => names.indexOf(name) !== i);
      expect(repeated).toEqual([]);
    });

    it.each(files)(
      `%s is at most about 400 lines, or its article says why`,
      (path) => {
        const lines =
          readFileSync(join(src, path), "utf8").split("\n").length - 1;
        if (lines <= MAX_LINES) return;
        const article = EXPLAINED_LONG_FILES[path];
        expect(
          article,
          `${relative(REPO_ROOT, join(src, path))} has ${lines} lines`,
        ).toBeDefined();
        expect(readFileSync(join(REPO_ROOT, article!), "utf8")).toContain(path);
      },
    );
  },
);
