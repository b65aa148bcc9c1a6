/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"): `npm run exercise 04` reports on
 * them in this order, and `npm run exercise 04 -- <name>` runs one. Each is
 * a black-box test file of this folder without `.test.ts`; a repository
 * check keeps the two lists equal (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "expire-commands",
    about:
      "steps 1 and 3: EXPIRE and TTL families, NX/XX/GT/LT, PERSIST, 64-bit times",
  },
  {
    name: "set-options",
    about:
      "step 3: SET EX/PX/EXAT/PXAT/KEEPTTL, SETEX, PSETEX, GETEX, other writes",
  },
  {
    name: "lazy-expiry",
    about: "step 2: an expired key is missing for reads, listings and writes",
  },
  {
    name: "active-expiry",
    about: "step 4: keys nobody reads go on their own; a flood of 100,000",
  },
  {
    name: "clock",
    about: "step 5: the same rules on a ManualClock, to the millisecond",
  },
  {
    name: "expiry-edge-cases",
    about:
      "step 6: INFO keyspace, SWAPDB, binary keys, CONFIG hz, seconds vs ms",
  },
  {
    name: "node-redis",
    about:
      "node-redis 6: SET's expiration option, EXPIRE, TTL, PERSIST, GETEX, expired keys",
  },
];
