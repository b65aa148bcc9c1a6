/**
 * The data loader behind site/reference/commands.md: at build time (and in
 * `npm run docs`, again whenever a chapter's source changes) it imports each
 * chapter's `src/server.ts` and turns the `COMMANDS` tables into the
 * page's sections. See command-reference.ts.
 */
import { tsImport } from "tsx/esm/api";
import { defineLoader } from "vitepress";
import {
  articleWritten,
  commandReference,
  loadChapterTables,
  type ChapterSection,
} from "./command-reference.ts";

/** What `import { data } from "commands.data.ts"` gives the page. */
export type Data = ChapterSection[];

declare const data: Data;
export { data };

export default defineLoader({
  // Paths are relative to this file. A chapter's commands live in many
  // files, all imported from its server.ts.
  watch: ["../../chapters/*/src/**/*.ts"],
  async load(): Promise<Data> {
    // VitePress bundles this file but not the chapters it imports at run
    // time; tsx loads their TypeScript.
    const tables = await loadChapterTables((url) =>
      tsImport(url, import.meta.url),
    );
    return commandReference(tables, articleWritten);
  },
});
