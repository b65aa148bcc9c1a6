/**
 * What every chapter folder must provide for the tooling to work with it:
 * the start function the harness calls, the entry point `npm run chapter`
 * calls, black-box tests, and an article on the site.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listChapters, REPO_ROOT } from "../chapters.ts";

describe.each(listChapters().map((c) => [c.id, c] as const))(
  "chapter %s",
  (id, chapter) => {
    it("src/server.ts exports startServer(config)", async () => {
      const server: Record<string, unknown> = await import(
        pathToFileURL(join(chapter.dir, "src", "server.ts")).href
      );
      expect(typeof server.startServer).toBe("function");
    });

    it("src/main.ts exports main(args) and starts nothing when imported", async () => {
      const listeners = (): number =>
        process
          .getActiveResourcesInfo()
          .filter((kind) => kind === "TCPServerWrap").length;
      const before = listeners();
      const main: Record<string, unknown> = await import(
        pathToFileURL(join(chapter.dir, "src", "main.ts")).href
      );
      expect(typeof main.main).toBe("function");
      expect(listeners()).toBe(before);
    });

    it("has black-box tests in test/", () => {
      const suites = readdirSync(join(chapter.dir, "test")).filter((name) =>
        name.endsWith(".test.ts"),
      );
      expect(suites.length).toBeGreaterThan(0);
    });

    it("has an article on the site", () => {
      expect(existsSync(join(REPO_ROOT, "site", "chapters", `${id}.md`))).toBe(
        true,
      );
    });
  },
);
