/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"): `npm run exercise 05` reports on
 * them in this order, and `npm run exercise 05 -- <name>` runs one. Each is
 * a black-box test file of this folder without `.test.ts`; a repository
 * check keeps the two lists equal (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "replay",
    about:
      "steps 1 to 3: every write comes back after a restart; the file, row by row",
  },
  {
    name: "damaged-file",
    about:
      "step 3: a cut tail, an unfinished MULTI, damage refused with its offset",
  },
  {
    name: "crash",
    about:
      "step 4: kill -9 under appendfsync always loses no acknowledged write",
  },
  {
    name: "rewrite",
    about: "step 5: BGREWRITEAOF under concurrent writes loses nothing",
  },
  {
    name: "aof-config",
    about:
      "step 6: CONFIG GET/SET, INFO persistence, turning the AOF on and off",
  },
  {
    name: "node-redis",
    about:
      "node-redis 6: an application's session, then its data after a rewrite and a restart",
  },
];
