/**
 * This chapter's article steps, in the order its walkthrough makes them
 * green ("The steps, and the commands"): `npm run exercise 02` reports on
 * them in this order, and `npm run exercise 02 -- <name>` runs one. Each is
 * a black-box test file of this folder without `.test.ts`; a repository
 * check keeps the two lists equal (shared/checks/exercise.test.ts).
 */
import type { ArticleStep } from "../../../shared/exercise.ts";

export const STEPS: readonly ArticleStep[] = [
  {
    name: "framing",
    about:
      "a streaming parser: PING and ECHO over RESP and inline, however TCP cuts the bytes",
  },
  {
    name: "commands",
    about: "replies, the command table, PING, ECHO, QUIT, HELLO and COMMAND",
  },
  {
    name: "resp3",
    about:
      "HELLO 3 and the RESP3 types, each reply in the connection's protocol",
  },
  {
    name: "protocol-errors",
    about: "every limit and error text, checked before allocating",
  },
  {
    name: "redis-cli",
    about: "redis-cli, one-shot and interactive",
  },
  {
    name: "backpressure",
    about: "chapter 01's back-pressure, now with pipelined commands",
  },
  {
    name: "disconnects",
    about: "chapter 01's bad disconnects, now with commands",
  },
  {
    name: "shutdown",
    about: "chapter 01's graceful shutdown, now with commands",
  },
  {
    name: "command-line",
    about: "chapter 01's command line and banner",
  },
  {
    name: "node-redis",
    about:
      "node-redis 6, which speaks RESP3 only: its handshake, typed replies, pipelining, QUIT",
  },
];
