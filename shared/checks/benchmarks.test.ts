/**
 * The benchmark data and what reads it, never the speed itself: nothing here
 * runs a server or depends on timing. `npm run bench` writes
 * site/data/benchmarks.json; the site draws it. These checks keep the
 * committed file readable, and the steps between redis-benchmark's output
 * and the chart honest.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import {
  BENCH_DATA_FILE,
  isSetupStep,
  mergeRuns,
  withoutClusterPreamble,
  median,
  parseBenchFile,
  parseBenchmarkCsv,
  ratioToRedis,
  withoutSetupSteps,
  type BenchFile,
  type ChapterBench,
  benchLabel,
} from "../benchmarks.ts";
import { CHAPTER_PLAN, REPO_ROOT } from "../chapters.ts";
import { driveRequests } from "../scripts/request-driver.ts";
import {
  chartPanels,
  legendEntries,
} from "../../site/.vitepress/theme/bench-chart.ts";

/** A chapter entry with the given figures; everything else fixed. */
function entry(
  chapter: string,
  results: ChapterBench["results"],
  redisServer: string | null = "7.0.15",
): ChapterBench {
  return {
    chapter,
    date: "2026-01-01",
    machine: { cpu: "Test CPU", cores: 2, platform: "linux x64" },
    node: "v20.0.0",
    redisServer,
    redisBenchmark: "7.0.15",
    rounds: 3,
    commands: ["redis-benchmark -c 50 -n 30000 -P 1 -t ping --csv"],
    results,
  };
}

describe("the committed data file", () => {
  const file = parseBenchFile(
    JSON.parse(readFileSync(join(REPO_ROOT, BENCH_DATA_FILE), "utf8")),
  );

  it("names only chapters of the book, in order", () => {
    const planned: string[] = CHAPTER_PLAN.map(({ id }) => id);
    const ids = file.chapters.map((c) => c.chapter);
    for (const id of ids) expect(planned).toContain(id);
    expect(ids).toEqual([...ids].sort());
  });

  it("draws every test in a colour and fill of its own", () => {
    const styles = legendEntries(file).map((e) => `${e.color} ${e.fill}`);
    expect(new Set(styles).size).toBe(styles.length);
  });

  it("has ratios that match its figures", () => {
    for (const { results } of file.chapters)
      for (const r of results)
        expect(r.ratio).toBe(ratioToRedis(r.ours, r.redis));
  });

  it("is exactly what the script would write back", () => {
    expect(mergeRuns(file, [])).toEqual(file);
  });
});

describe("reading redis-benchmark --csv", () => {
  it("keeps every test's requests per second, in order", () => {
    const output = [
      `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"`,
      `"PING_INLINE","72992.70","0.495","0.088","0.279","1.359","4.391","12.263"`,
      `"MSET (10 keys)","91575.09","0.287","0.088","0.287","0.359","0.415","1.511"`,
      "",
    ].join("\n");
    expect([...parseBenchmarkCsv(output)]).toEqual([
      ["PING_INLINE", 72992.7],
      ["MSET (10 keys)", 91575.09],
    ]);
  });

  it("leaves out the list that lrange_100 fills first, and nothing else", () => {
    // redis-benchmark 7.0.15 -t lpush,rpush,lpop,rpop,lrange_100 --csv (latencies cut).
    const output = [
      `"test","rps","avg_latency_ms"`,
      `"LPUSH","33333.34","0.919"`,
      `"RPUSH","35714.29","0.881"`,
      `"LPOP","30303.03","1.091"`,
      `"RPOP","37037.04","0.792"`,
      `"LPUSH (needed to benchmark LRANGE)","35714.29","0.876"`,
      `"LRANGE_100 (first 100 elements)","25641.03","1.237"`,
    ].join("\n");
    expect([...withoutSetupSteps(parseBenchmarkCsv(output)).keys()]).toEqual([
      "LPUSH",
      "RPUSH",
      "LPOP",
      "RPOP",
      "LRANGE_100 (first 100 elements)",
    ]);
    expect(isSetupStep("LPUSH (needed to benchmark LRANGE)")).toBe(true);
    expect(isSetupStep("MSET (10 keys)")).toBe(false);
  });

  it("reads --cluster's figures after the masters it lists", () => {
    // redis-benchmark 7.0.15 --cluster -t get,set --csv (latencies cut).
    const output = [
      "Cluster has 3 master nodes:",
      "",
      "Master 0: f3a33957d40c0a662c13076cd5f03e9c34d3dda6 127.0.0.1:25142",
      "Master 1: f1cf484ee88df9807d79fbb970af0b8a25a44ac0 127.0.0.1:25141",
      "",
      `"test","rps","avg_latency_ms"`,
      `"SET","5813.95","3.277"`,
      `"GET","5597.01","3.634"`,
    ].join("\n");
    expect([...parseBenchmarkCsv(withoutClusterPreamble(output))]).toEqual([
      ["SET", 5813.95],
      ["GET", 5597.01],
    ]);
    expect(() =>
      parseBenchmarkCsv(withoutClusterPreamble("Cluster has 3 master nodes:")),
    ).toThrow(/header/);
  });

  it("refuses output it does not recognise", () => {
    expect(() =>
      parseBenchmarkCsv("PING_INLINE: 72992.70 requests per second"),
    ).toThrow(/header/);
    expect(() => parseBenchmarkCsv(`"test","rps"\n"SET","n/a"`)).toThrow(
      /unexpected/,
    );
  });
});

describe("figures", () => {
  it("keeps the median of the rounds", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("has no ratio without Redis", () => {
    expect(ratioToRedis(50, 100)).toBe(0.5);
    expect(ratioToRedis(50, null)).toBeNull();
  });
});

describe("merging a run into the file", () => {
  const ping = (ours: number): ChapterBench["results"] => [
    { test: "PING_INLINE", pipeline: 1, ours, redis: 100, ratio: ours / 100 },
  ];
  const before: BenchFile = {
    about: "old",
    chapters: [entry("02-resp-parser", ping(50)), entry("04-expiry", ping(40))],
  };

  it("replaces the chapters that ran, keeps the others, and sorts", () => {
    const after = mergeRuns(before, [
      entry("03-memory-db", ping(60)),
      entry("02-resp-parser", ping(70)),
    ]);
    expect(after.chapters.map((c) => [c.chapter, c.results[0]!.ours])).toEqual([
      ["02-resp-parser", 70],
      ["03-memory-db", 60],
      ["04-expiry", 40],
    ]);
  });

  it("keeps a variant's entry apart from the chapter's defaults", () => {
    const everysec = {
      ...entry("05-aof", ping(30)),
      variant: "appendonly everysec",
    };
    const after = mergeRuns(before, [entry("05-aof", ping(45)), everysec]);
    expect(
      after.chapters.map((c) => [benchLabel(c), c.results[0]!.ours]),
    ).toEqual([
      ["02-resp-parser", 50],
      ["04-expiry", 40],
      ["05-aof", 45],
      ["05-aof (appendonly everysec)", 30],
    ]);
    // A second run of the variant replaces only the variant.
    const again = mergeRuns(after, [{ ...everysec, results: ping(35) }]);
    expect(again.chapters.map((c) => c.results[0]!.ours)).toEqual([
      50, 40, 45, 35,
    ]);
    expect(parseBenchFile(JSON.parse(JSON.stringify(again)))).toEqual(again);
  });

  it("writes keys in one order, however they were read", () => {
    const shuffled = JSON.parse(
      JSON.stringify(entry("02-resp-parser", ping(50)), [
        "results",
        "rounds",
        "chapter",
        "date",
        "machine",
        "cpu",
        "platform",
        "cores",
        "node",
        "redisServer",
        "redisBenchmark",
        "commands",
        "ratio",
        "ours",
        "redis",
        "test",
        "pipeline",
      ]),
    ) as ChapterBench;
    expect(JSON.stringify(mergeRuns(undefined, [shuffled]))).toBe(
      JSON.stringify(mergeRuns(undefined, [entry("02-resp-parser", ping(50))])),
    );
  });
});

describe("the chart", () => {
  const file = mergeRuns(undefined, [
    entry("02-resp-parser", [
      { test: "PING_INLINE", pipeline: 1, ours: 50, redis: 100, ratio: 0.5 },
      { test: "PING_INLINE", pipeline: 16, ours: 100, redis: 100, ratio: 1 },
    ]),
    entry(
      "03-memory-db",
      [{ test: "SET", pipeline: 1, ours: 80, redis: null, ratio: null }],
      null,
    ),
  ]);
  const panels = chartPanels(file);

  it("draws one panel per pipeline depth, one group per chapter", () => {
    expect(panels.map((p) => p.pipeline)).toEqual([1, 16]);
    expect(panels[0]!.groups.map((g) => g.chapter)).toEqual([
      "02-resp-parser",
      "03-memory-db",
    ]);
  });

  it("draws a bar half as tall as the Redis line for half Redis's speed", () => {
    const panel = panels[0]!;
    const [bar] = panel.groups[0]!.bars;
    const redisHeight = panel.plot.bottom - panel.redisY;
    expect(bar!.height).toBeCloseTo(redisHeight / 2);
    expect(bar!.y + bar!.height).toBeCloseTo(panel.plot.bottom);
  });

  it("says so where a chapter has no ratio to draw", () => {
    expect(panels[0]!.groups[1]).toMatchObject({
      bars: [],
      note: "no Redis to compare",
    });
    expect(panels[1]!.groups[1]).toMatchObject({
      bars: [],
      note: "not run at -P 16",
    });
  });

  /** One chapter that ran `n` tests, named T0, T1...: as many bars. */
  const manyTests = (n: number): BenchFile =>
    mergeRuns(undefined, [
      entry(
        "06-data-types",
        Array.from({ length: n }, (_, i) => ({
          test: `T${i}`,
          pipeline: 1,
          ours: 50,
          redis: 100,
          ratio: 0.5,
        })),
      ),
    ]);

  it("draws eight colours plain, then the same hatched, then dotted", () => {
    const file = manyTests(17);
    const legend = legendEntries(file);
    expect(legend.map((e) => e.fill)).toEqual([
      ...Array<string>(8).fill("solid"),
      ...Array<string>(8).fill("hatched"),
      "dotted",
    ]);
    expect(legend[8]!.color).toBe(legend[0]!.color);
    expect(legend[16]!.color).toBe(legend[0]!.color);
    const styles = legend.map((e) => `${e.color} ${e.fill}`);
    expect(new Set(styles).size).toBe(17);

    // A plain bar is painted with its colour; a hatched or dotted one with
    // a pattern, of its colour and fill, that the panel defines.
    const [panel] = chartPanels(file);
    const bars = panel!.groups[0]!.bars;
    expect(bars.map((b) => b.fill)).toEqual(legend.map((e) => e.fill));
    expect(bars[0]!.paint).toBe(legend[0]!.color);
    const patterns = new Map(panel!.patterns.map((p) => [p.id, p]));
    expect(patterns.size).toBe(9);
    for (const [i, bar] of bars.entries()) {
      const id = /^url\(#(.+)\)$/.exec(bar.paint)?.[1];
      if (i < 8) expect(id).toBeUndefined();
      else
        expect(patterns.get(id!)).toMatchObject({
          color: legend[i]!.color,
          fill: legend[i]!.fill,
        });
    }
    // The same colour hatched and dotted: two patterns, not one.
    expect(bars[16]!.paint).not.toBe(bars[8]!.paint);
  });

  it("gives each panel its own pattern ids, as ids are the page's", () => {
    const file = manyTests(9);
    file.chapters[0]!.results.push({
      test: "T8",
      pipeline: 16,
      ours: 50,
      redis: 100,
      ratio: 0.5,
    });
    const ids = chartPanels(file).flatMap((p) => p.patterns.map((x) => x.id));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it("refuses to draw more tests than it can tell apart", () => {
    expect(() => legendEntries(manyTests(24))).not.toThrow();
    expect(() => legendEntries(manyTests(25))).toThrow(/tells 24 apart/);
  });
});

describe("the request driver (requests of several commands)", () => {
  const request = [["MULTI"], ["SET", "k", "xxx"], ["GET", "k"], ["EXEC"]];
  const reply = "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$3\r\nxxx\r\n";
  const oneRequest = request
    .map(
      (words) =>
        `*${words.length}\r\n${words.map((w) => `$${w.length}\r\n${w}\r\n`).join("")}`,
    )
    .join("");

  /**
   * A stand-in server that answers each whole request it reads with
   * `answer`, cut into pieces of `piece` bytes (a reply may come in any
   * number of reads); it counts the requests.
   */
  async function fakeServer(answer: string, piece: number) {
    let requests = 0;
    const server = createServer((socket) => {
      let pending = "";
      socket.setEncoding("latin1");
      // The driver closes its connections at once when it is done.
      socket.on("error", () => {});
      socket.on("data", (text: string) => {
        pending += text;
        while (pending.startsWith(oneRequest)) {
          pending = pending.slice(oneRequest.length);
          requests += 1;
          for (let i = 0; i < answer.length; i += piece)
            socket.write(answer.slice(i, i + piece), "latin1");
        }
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    return {
      port: (server.address() as AddressInfo).port,
      requests: () => requests,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  it("sends every request, whole, and counts one once its whole reply has come", async () => {
    const server = await fakeServer(reply, 3);
    try {
      const perSecond = await driveRequests({
        port: server.port,
        clients: 3,
        requests: 40,
        pipeline: 4,
        request,
        reply,
        timeoutMs: 10_000,
      });
      expect(perSecond).toBeGreaterThan(0);
      expect(server.requests()).toBe(40);
    } finally {
      await server.close();
    }
  });

  it("fails on any other reply, as redis-benchmark stops at an error", async () => {
    const server = await fakeServer(
      "+OK\r\n+QUEUED\r\n+QUEUED\r\n-EXECABORT Transaction discarded\r\n",
      1000,
    );
    try {
      await expect(
        driveRequests({
          port: server.port,
          clients: 2,
          requests: 10,
          pipeline: 1,
          request,
          reply,
          timeoutMs: 10_000,
        }),
      ).rejects.toThrow(/unexpected reply: "-EXECABORT/);
    } finally {
      await server.close();
    }
  });
});
