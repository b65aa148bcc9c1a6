/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"; page 1's, then page 2's):
 * `npm run exercise 06` reports on them in this order, and
 * `npm run exercise 06 -- <name>` runs one. Each is a black-box test file
 * of this folder without `.test.ts`; a repository check keeps the two
 * lists equal (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "types",
    about:
      "WRONGTYPE in Redis's order of checks; TYPE, COPY, RENAME, MOVE, TOUCH, SCAN TYPE, OBJECT",
  },
  {
    name: "lists",
    about:
      "the list commands that do not wait: push, pop, range, index, insert, remove, trim, LPOS, LMOVE, LMPOP",
  },
  {
    name: "blocking",
    about:
      "BLPOP and kin: waiters served in order after the command that readied a key; timeouts; AOF records",
  },
  {
    name: "clients",
    about:
      "CLIENT LIST and INFO with Redis's fields; CLIENT KILL, both forms; CLIENT UNBLOCK; blocked_clients",
  },
  {
    name: "list-persistence",
    about:
      "lists in the AOF: pops logged as what they did, RPUSH batches of 64, a rewrite while lists change",
  },
  {
    name: "hashes",
    about:
      "HSET, HGET, HDEL, HINCRBYFLOAT, HRANDFIELD, HSCAN...: hashes, listpack then hashtable; the AOF",
    page: 2,
  },
  {
    name: "sets",
    about:
      "SADD, SREM, SINTER, SUNION, SDIFF, SPOP, SRANDMEMBER, SSCAN...: intset then hashtable; the AOF",
    page: 2,
  },
  {
    name: "bits",
    about:
      "strings as bits: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and its overflows; LCS, SUBSTR",
    // Part 2 of the chapter: taught on the article's second page.
    page: 2,
  },
  {
    name: "sorted-sets",
    about:
      "ZADD and its options, ZINCRBY, ZREM, ZSCORE, ZRANK, ZSCAN: scores read as string2d, shown as %.17g",
    page: 3,
  },
  {
    name: "zset-ranges",
    about:
      "ZRANGE by rank, score or member; REV, LIMIT, WITHSCORES; ZRANGESTORE, ZCOUNT, ZREMRANGEBY*",
    page: 3,
  },
  {
    name: "zset-algebra",
    about:
      "ZUNION, ZINTER, ZDIFF, their STOREs, ZINTERCARD: WEIGHTS, AGGREGATE, sets scored 1, Redis's NaN rules",
    page: 3,
  },
  {
    name: "zset-pops",
    about:
      "ZPOPMIN, ZPOPMAX, ZMPOP; BZPOPMIN and kin served in order, a list waiter passed over; ZRANDMEMBER",
    page: 3,
  },
  {
    name: "sort",
    about:
      "SORT, SORT_RO on lists, sets, sorted sets: BY and GET patterns, LIMIT, ALPHA, STORE; strtod weights",
    page: 3,
  },
];
