/**
 * `npm run article-words`: the prose budget of every article page, in words.
 *
 * A learner has to be able to finish a page, so its main text stays near
 * 5,000 words (the repository check fails above 6,000). Only the main flow
 * counts: code fences, `<<<` imports, `::: details` blocks (lab notes,
 * proofs, long transcripts) and HTML comments are left out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../chapters.ts";
import { proseWords } from "../site/prose-words.ts";

const dir = join(REPO_ROOT, "site", "chapters");
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith(".md"))
  .sort()) {
  const path = join(dir, name);
  const words = proseWords(readFileSync(path, "utf8"));
  console.log(`${String(words).padStart(6)}  ${relative(REPO_ROOT, path)}`);
}
