/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"): `npm run exercise 03` reports on
 * them in this order, and `npm run exercise 03 -- <name>` runs one. Each is
 * a black-box test file of this folder without `.test.ts`; a repository
 * check keeps the two lists equal (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "command-table",
    about:
      "step 1: unknown-command and arity errors, COMMAND INFO, GETKEYS and COUNT",
  },
  {
    name: "keyspace",
    about: "step 2: SELECT, DBSIZE, FLUSHDB, SWAPDB, FLUSHALL",
  },
  {
    name: "keys",
    about: "step 3: DEL, EXISTS, TYPE, RENAME, COPY and RANDOMKEY",
  },
  {
    name: "strings",
    about:
      "step 4: SET and its options, MSET and friends, APPEND, GETRANGE, SETRANGE",
  },
  {
    name: "counters",
    about: "step 4: INCR in 64 bits, then INCRBYFLOAT",
  },
  {
    name: "scan",
    about: "step 6: KEYS and SCAN, with the table resizing under a walk",
  },
  {
    name: "auth",
    about:
      "step 7: NOAUTH, AUTH, HELLO AUTH, the limits before AUTH, protected mode",
  },
  {
    name: "server-commands",
    about:
      "step 8: INFO, CONFIG and the client limits, CLIENT, TIME, a default ioredis client",
  },
  {
    name: "node-redis",
    about:
      "node-redis 6: strings, counters, keys, scanIterator, databases, INFO, CONFIG, a password",
  },
];
