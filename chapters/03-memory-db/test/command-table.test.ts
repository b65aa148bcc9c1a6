/**
 * Article step 1: the command table learns where the keys are.
 *
 * Every command of this chapter is described as data (arity, flags, key
 * positions, ACL categories) and the server answers questions about them:
 * the errors for unknown commands and wrong arities, COMMAND INFO, COMMAND
 * GETKEYS and COMMAND COUNT. Each expected value here is what Redis 7.0.15
 * answers, so a client that learns the commands from real Redis learns the
 * same from ours.
 */
import { describe, expect, it } from "vitest";
import { itInProcess, useServer } from "../../../shared/harness.ts";
import { errorOf } from "./client-helpers.ts";
import { expectBytes } from "./resp-helpers.ts";

const server = useServer();

/** COMMAND INFO of one command: [name, arity, flags, first, last, step, categories, tips, key specs, subcommands]. */
async function commandInfo(name: string): Promise<unknown[]> {
  const redis = await server.client();
  const [info] = (await redis.call("COMMAND", "INFO", name)) as unknown[][];
  return info!;
}

describe("errors from the command table", () => {
  it.each([
    ["GET\r\n", "-ERR wrong number of arguments for 'get' command\r\n"],
    ["SET k\r\n", "-ERR wrong number of arguments for 'set' command\r\n"],
    ["MGET\r\n", "-ERR wrong number of arguments for 'mget' command\r\n"],
    ["DBSIZE x\r\n", "-ERR wrong number of arguments for 'dbsize' command\r\n"],
    ["SELECT\r\n", "-ERR wrong number of arguments for 'select' command\r\n"],
    ["CONFIG\r\n", "-ERR wrong number of arguments for 'config' command\r\n"],
    [
      "CONFIG GET\r\n",
      "-ERR wrong number of arguments for 'config|get' command\r\n",
    ],
    [
      "client id extra\r\n",
      "-ERR wrong number of arguments for 'client|id' command\r\n",
    ],
    [
      "CLIENT NOSUCH\r\n",
      "-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n",
    ],
    [
      "config nosuch x\r\n",
      "-ERR unknown subcommand 'nosuch'. Try CONFIG HELP.\r\n",
    ],
    [
      "GETT k\r\n",
      "-ERR unknown command 'GETT', with args beginning with: 'k' \r\n",
    ],
  ])("%j is answered %j", async (request, reply) => {
    const client = await server.raw();
    await client.send(request);
    await expectBytes(client, reply);
  });

  it("names are case-insensitive, and the error quotes the name as written", async () => {
    const redis = await server.client();
    expect(await redis.call("dBsIzE")).toEqual(expect.any(Number));
    expect(await errorOf(redis.call("gEt"))).toBe(
      "ERR wrong number of arguments for 'get' command",
    );
  });
});

/** The first eight fields of COMMAND INFO; tips are often left out, for none. */
type InfoRow = [
  name: string,
  arity: number,
  flags: string[],
  first: number,
  last: number,
  step: number,
  categories: string[],
  tips?: string[],
];

describe("COMMAND INFO: arity, flags, key positions, categories", () => {
  // Copied from Redis 7.0.15's answers: the first eight fields (name,
  // arity, flags, first key, last key, key step, ACL categories, tips).
  const rows: InfoRow[] = [
    ["get", 2, ["readonly", "fast"], 1, 1, 1, ["@read", "@string", "@fast"]],
    ["set", -3, ["write", "denyoom"], 1, 1, 1, ["@write", "@string", "@slow"]],
    // MSET key value [key value ...]: every second argument is a key.
    [
      "mset",
      -3,
      ["write", "denyoom"],
      1,
      -1,
      2,
      ["@write", "@string", "@slow"],
      ["request_policy:multi_shard", "response_policy:all_succeeded"],
    ],
    // -1: up to the last argument.
    [
      "mget",
      -2,
      ["readonly", "fast"],
      1,
      -1,
      1,
      ["@read", "@string", "@fast"],
      ["request_policy:multi_shard"],
    ],
    [
      "del",
      -2,
      ["write"],
      1,
      -1,
      1,
      ["@keyspace", "@write", "@slow"],
      ["request_policy:multi_shard", "response_policy:agg_sum"],
    ],
    [
      "exists",
      -2,
      ["readonly", "fast"],
      1,
      -1,
      1,
      ["@keyspace", "@read", "@fast"],
      ["request_policy:multi_shard", "response_policy:agg_sum"],
    ],
    // Two keys, side by side.
    ["rename", 3, ["write"], 1, 2, 1, ["@keyspace", "@write", "@slow"]],
    [
      "copy",
      -3,
      ["write", "denyoom"],
      1,
      2,
      1,
      ["@keyspace", "@write", "@slow"],
    ],
    [
      "incrbyfloat",
      3,
      ["write", "denyoom", "fast"],
      1,
      1,
      1,
      ["@write", "@string", "@fast"],
    ],
    // Commands on the whole keyspace have no key arguments: 0, 0, 0.
    [
      "keys",
      2,
      ["readonly"],
      0,
      0,
      0,
      ["@keyspace", "@read", "@slow", "@dangerous"],
      ["request_policy:all_shards", "nondeterministic_output_order"],
    ],
    [
      "scan",
      -2,
      ["readonly"],
      0,
      0,
      0,
      ["@keyspace", "@read", "@slow"],
      ["nondeterministic_output", "request_policy:special"],
    ],
    [
      "dbsize",
      1,
      ["readonly", "fast"],
      0,
      0,
      0,
      ["@keyspace", "@read", "@fast"],
      ["request_policy:all_shards", "response_policy:agg_sum"],
    ],
    [
      "flushdb",
      -1,
      ["write"],
      0,
      0,
      0,
      ["@keyspace", "@write", "@slow", "@dangerous"],
      ["request_policy:all_shards", "response_policy:all_succeeded"],
    ],
    [
      "swapdb",
      3,
      ["write", "fast"],
      0,
      0,
      0,
      ["@keyspace", "@write", "@fast", "@dangerous"],
    ],
    [
      "select",
      2,
      ["loading", "stale", "fast"],
      0,
      0,
      0,
      ["@fast", "@connection"],
    ],
    // no_auth: what a client may run before it authenticates.
    [
      "auth",
      -2,
      ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
      0,
      0,
      0,
      ["@fast", "@connection"],
    ],
    [
      "hello",
      -1,
      ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
      0,
      0,
      0,
      ["@fast", "@connection"],
    ],
    [
      "info",
      -1,
      ["loading", "stale"],
      0,
      0,
      0,
      ["@slow", "@dangerous"],
      [
        "nondeterministic_output",
        "request_policy:all_shards",
        "response_policy:special",
      ],
    ],
    [
      "time",
      1,
      ["loading", "stale", "fast"],
      0,
      0,
      0,
      ["@fast"],
      ["nondeterministic_output"],
    ],
    // Subcommands are described on their own, named "container|sub".
    [
      "config|get",
      -3,
      ["admin", "noscript", "loading", "stale"],
      0,
      0,
      0,
      ["@admin", "@slow", "@dangerous"],
    ],
    [
      "config|set",
      -4,
      ["admin", "noscript", "loading", "stale"],
      0,
      0,
      0,
      ["@admin", "@slow", "@dangerous"],
      ["request_policy:all_nodes", "response_policy:all_succeeded"],
    ],
    [
      "client|setname",
      3,
      ["noscript", "loading", "stale"],
      0,
      0,
      0,
      ["@slow", "@connection"],
    ],
    // Redis 7.0's arity for it: at least one argument after the command.
    [
      "command|getkeys",
      -4,
      ["loading", "stale"],
      0,
      0,
      0,
      ["@slow", "@connection"],
    ],
  ];

  it.each(rows)(
    "%s: arity %i, flags %j, keys %i..%i step %i",
    async (name, arity, flags, first, last, step) => {
      const info = await commandInfo(name);
      expect(info.slice(0, 6)).toEqual([name, arity, flags, first, last, step]);
    },
  );

  // ACL categories and tips are Redis's own data, which the table carries
  // and nothing in this chapter acts on.
  it.each(rows)(
    "%s: ACL categories and tips, as Redis 7.0.15 lists them",
    { tags: ["fidelity"] },
    async (
      name,
      _arity,
      _flags,
      _first,
      _last,
      _step,
      categories,
      tips = [],
    ) => {
      const info = await commandInfo(name);
      expect(info.slice(6, 8)).toEqual([categories, tips]);
    },
  );

  it("takes names in any letter case, and answers null for an unknown one", async () => {
    const redis = await server.client();
    const [get, configGet, unknown, unknownSub] = (await redis.call(
      "COMMAND",
      "INFO",
      "GeT",
      "CONFIG|GET",
      "no-such-command",
      "config|no-such-sub",
    )) as unknown[][];
    expect(get![0]).toBe("get");
    expect(configGet![0]).toBe("config|get");
    expect(unknown).toBeNull();
    expect(unknownSub).toBeNull();
  });

  it("a container lists its subcommands in the last field", async () => {
    const [name, arity, , , , , , , , subcommands] =
      await commandInfo("config");
    expect([name, arity]).toEqual(["config", -2]);
    const names = (subcommands as unknown[][]).map((sub) => sub[0]);
    expect(names).toEqual(
      expect.arrayContaining(["config|get", "config|set", "config|help"]),
    );
  });

  // Deliberate difference: Redis 7 also describes the keys in a ninth
  // field, "key specifications" (flags such as RW and access, and how to
  // find the keys, for commands whose keys first/last/step cannot
  // describe). We leave it empty: for every command of this chapter the
  // three numbers say where the keys are.
  itInProcess(
    "key specifications, the ninth field, are left empty",
    async () => {
      for (const name of ["get", "mset", "rename", "dbsize"]) {
        expect((await commandInfo(name))[8]).toEqual([]);
      }
    },
  );
});

describe(
  "COMMAND DOCS: the argument hints redis-cli shows",
  { tags: ["fidelity"] },
  () => {
    /** The `arguments` field of a command's docs, or undefined if it has none. */
    async function argumentDocs(name: string): Promise<unknown> {
      const redis = await server.client();
      const [, docs] = (await redis.call("COMMAND", "DOCS", name)) as [
        string,
        unknown[],
      ];
      const at = docs.indexOf("arguments");
      return at === -1 ? undefined : docs[at + 1];
    }

    // Redis 7.0.15's own descriptions, names and all.
    it.each([
      [
        "flushdb",
        [
          [
            "name",
            "async",
            "type",
            "oneof",
            "flags",
            ["optional"],
            "arguments",
            [
              [
                "name",
                "async",
                "type",
                "pure-token",
                "token",
                "ASYNC",
                "since",
                "4.0.0",
              ],
              [
                "name",
                "sync",
                "type",
                "pure-token",
                "token",
                "SYNC",
                "since",
                "6.2.0",
              ],
            ],
          ],
        ],
      ],
      [
        "config|get",
        [
          [
            "name",
            "parameter",
            "type",
            "block",
            "flags",
            ["multiple"],
            "arguments",
            [["name", "parameter", "type", "string"]],
          ],
        ],
      ],
      [
        "config|set",
        [
          [
            "name",
            "parameter_value",
            "type",
            "block",
            "flags",
            ["multiple"],
            "arguments",
            [
              ["name", "parameter", "type", "string"],
              ["name", "value", "type", "string"],
            ],
          ],
        ],
      ],
      ["command|getkeys", undefined],
    ])("%s", async (name, expected) => {
      expect(await argumentDocs(name)).toEqual(expected);
    });

    // Found by the differential fuzzer: GETSET is this chapter's one
    // deprecated command, and Redis says so between complexity and arguments.
    it("a deprecated command says since when, and what replaces it", async () => {
      const redis = await server.client();
      const [, docs] = (await redis.call("COMMAND", "DOCS", "getset")) as [
        string,
        unknown[],
      ];
      const at = docs.indexOf("complexity");
      expect(docs.slice(at + 2, at + 9)).toEqual([
        "doc_flags",
        ["deprecated"],
        "deprecated_since",
        "6.2.0",
        "replaced_by",
        "`SET` with the `!GET` argument",
        "arguments",
      ]);
    });
  },
);

describe("COMMAND GETKEYS", () => {
  it.each([
    [["GET", "user:1"], ["user:1"]],
    // step 2: the values in between are skipped.
    [
      ["MSET", "a", "1", "b", "2", "c", "3"],
      ["a", "b", "c"],
    ],
    // last -1: every argument to the end.
    [
      ["DEL", "a", "b", "c"],
      ["a", "b", "c"],
    ],
    [
      ["EXISTS", "a", "a"],
      ["a", "a"],
    ],
    // Two keys, then options that are not keys.
    [
      ["RENAME", "old", "new"],
      ["old", "new"],
    ],
    [
      ["COPY", "from", "to", "DB", "1", "REPLACE"],
      ["from", "to"],
    ],
  ])("COMMAND GETKEYS %j gives %j", async (command, keys) => {
    const redis = await server.client();
    expect(await redis.call("COMMAND", "GETKEYS", ...command)).toEqual(keys);
  });

  it.each([
    [["NOSUCH", "a"], "ERR Invalid command specified"],
    [["", "a"], "ERR Invalid command specified"],
    // Found as a request would be: CLIENT ID, not client|id.
    [["CLIENT", "NOSUCH"], "ERR Invalid command specified"],
    [["client|id", "x"], "ERR Invalid command specified"],
    [
      ["GET", "a", "b"],
      "ERR Invalid number of arguments specified for command",
    ],
    [["MSET", "a"], "ERR Invalid number of arguments specified for command"],
    [["PING", "x"], "ERR The command has no key arguments"],
    [["CLIENT", "ID"], "ERR The command has no key arguments"],
    // A command without keys says so before its arity is checked.
    [["TIME", "x"], "ERR The command has no key arguments"],
    // Redis 7.0's arity for GETKEYS is -4: the command needs an argument.
    [["GET"], "ERR wrong number of arguments for 'command|getkeys' command"],
  ])("COMMAND GETKEYS %j is refused with %j", async (command, message) => {
    const redis = await server.client();
    expect(await errorOf(redis.call("COMMAND", "GETKEYS", ...command))).toBe(
      message,
    );
  });
});

describe("COMMAND COUNT and the list of commands", () => {
  it("COMMAND COUNT equals the number of commands COMMAND lists", async () => {
    const redis = await server.client();
    const all = (await redis.call("COMMAND")) as unknown[][];
    expect(await redis.call("COMMAND", "COUNT")).toBe(all.length);
  });

  it("the list holds this chapter's commands, once each", async () => {
    const redis = await server.client();
    const names = ((await redis.call("COMMAND")) as unknown[][]).map(
      (info) => info[0] as string,
    );
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "get",
        "set",
        "mset",
        "del",
        "keys",
        "scan",
        "select",
        "dbsize",
        "flushdb",
        "flushall",
        "swapdb",
        "auth",
        "config",
        "client",
        "info",
        "time",
      ]),
    );
    // Subcommands are not commands of their own in this list.
    expect(names).not.toContain("config|get");
  });
});
