/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"): `npm run exercise 07` reports on
 * them in this order, and `npm run exercise 07 -- <name>` runs one. Each
 * is a black-box test file of this folder without `.test.ts`; a
 * repository check keeps the two lists equal
 * (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "multi-exec",
    about:
      "MULTI, EXEC, DISCARD: QUEUED; EXECABORT after a queue-time error; no rollback; a bounded queue",
  },
  {
    name: "watch",
    about:
      "WATCH, UNWATCH: only real changes fail EXEC; expiry, FLUSHDB, SWAPDB; optimistic locking with retries",
  },
  {
    name: "transaction-effects",
    about:
      "no waiting inside EXEC, waiters served after it; the AOF's MULTI ... EXEC block, a crash inside one",
  },
  {
    name: "reset",
    about:
      "RESET, and CLIENT LIST's flags=x and multi=N while a transaction is open",
  },
  {
    name: "rollback",
    about:
      "multi-rollback yes (not Redis): an error in EXEC undoes the transaction; the AOF writes none of it",
  },
];
