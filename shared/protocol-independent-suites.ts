/**
 * The suites that run once, in project `NN-name`, and not again in
 * `NN-name-resp2`: their RESP2 run would send and check the same bytes as
 * their RESP3 run, and only cost time.
 *
 * The `-resp2` projects change one thing: the protocol of the harness's
 * ioredis clients (`server.client()`, see shared/harness.ts). A suite that
 * never creates an ioredis client does not see that change:
 *
 * - a raw-socket suite writes its commands as bytes and reads the bytes that
 *   come back, in whichever protocol its own `HELLO` chose;
 * - a node-redis suite speaks RESP3 whatever the project (node-redis 6 knows
 *   no other protocol);
 * - a suite that drives `redis-cli` or the server's command line chooses the
 *   protocol with their arguments.
 *
 * A name applies to the suite of that name in every chapter, the ones to
 * come included: a new chapter's `node-redis.test.ts` runs once without
 * anyone editing this list. shared/checks/resp2-projects.test.ts holds the
 * list to that: every suite of a listed name, in every chapter, must create
 * no ioredis client, and the `-resp2` projects must run every other suite.
 */
export const PROTOCOL_INDEPENDENT_SUITES: readonly string[] = [
  // Raw sockets: the exact bytes of framing, errors, disconnects and
  // a client that stops reading.
  "backpressure.test.ts",
  "disconnects.test.ts",
  "framing.test.ts",
  "protocol-errors.test.ts",
  // The server run as a program: its arguments, its signals.
  "command-line.test.ts",
  "shutdown.test.ts",
  // Other clients, each with its own protocol.
  "node-redis.test.ts",
  "redis-cli.test.ts",
  // Cluster nodes run as processes of their own (shared/cluster-harness.ts),
  // reached by clients that choose their protocol themselves.
  "cluster-bus.test.ts",
  "cluster-clients.test.ts",
  "cluster-proxy.test.ts",
  "cluster-tools.test.ts",
  "cluster-reshard.test.ts",
  "cluster-script.test.ts",
  "mixed-cluster.test.ts",
];
