/**
 * The geometry of the benchmark chart, worked out from the data file, so that
 * BenchChart.vue is only a template over ready-made numbers (and this part is
 * type-checked: `tsc` does not read `.vue` files).
 *
 * One panel per pipeline depth. In each, chapters along the x axis, one bar
 * per redis-benchmark test, its height our requests per second divided by
 * Redis's: 1.0, a dashed line, is "as fast as Redis". A chapter measured
 * without Redis has no ratio to draw; its place says so instead.
 *
 * Everything is in the SVG's own units (the viewBox); the SVG scales to the
 * column's width, but never below `minWidth`, where its text would become
 * too small to read: a narrower column (a phone's) scrolls the chart
 * sideways instead. Numbers are formatted by hand, not with the locale, so
 * the server-rendered page and the browser agree character for character (a
 * mismatch is a hydration error in the console).
 */
import {
  benchLabel,
  type BenchFile,
  type ChapterBench,
} from "../../../shared/benchmarks.ts";

/**
 * Chart area, in viewBox units. 680 wide fits VitePress's text column on a
 * desktop (about 620 px next to the sidebar and outline) without shrinking
 * the text below `MIN_TEXT_PX`.
 */
const WIDTH = 680;
const HEIGHT = 280;
const MARGIN = { left: 44, right: 56, top: 24, bottom: 36 } as const;
/** No bar wider than this, however few there are. */
const MAX_BAR = 44;
/** Every label's font size, in viewBox units: one size, so one floor below. */
export const TEXT_SIZE = 12;
/** Below this width a bar has no room for its value ("0.46") above it. */
const MIN_LABELLED_BAR = 26;
/**
 * The smallest on-screen size, in CSS pixels, the chart lets its text
 * shrink to; a little above the 10 px the browser test insists on.
 */
const MIN_TEXT_PX = 10.5;

/**
 * One colour per test, the same in every panel. Okabe and Ito's palette,
 * which colour-blind readers can tell apart, ordered so that the first
 * colours keep 3:1 contrast on both the light and the dark background.
 * There are more tests than eight: the ninth to the sixteenth take the
 * same colours hatched, the seventeenth on the same colours dotted (FILLS),
 * rather than further colours too close to these to tell apart.
 */
const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#999999",
  "#F0E442",
] as const;

/**
 * How a test's colour is laid on: plain, then hatched with stripes of the
 * page's background, then dotted with dots of it. A texture is told apart
 * even where two colours are not (in grey print, or by a colour-blind
 * reader), and the background's colour keeps it right in both themes. Each
 * palette colour once per fill, so `PALETTE.length * FILLS.length` tests
 * can be told apart; a file with more fails legendEntries() rather than
 * draw two tests alike.
 */
const FILLS = ["solid", "hatched", "dotted"] as const;
export type Fill = (typeof FILLS)[number];
/** The fills drawn with a `<pattern>` over the colour: all but "solid". */
export type PatternFill = Exclude<Fill, "solid">;

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  /** How the test's colour is laid on, as in the legend. */
  fill: Fill;
  /**
   * What SVG's `fill` attribute gets: the test's colour, or `url(#…)`, the
   * panel's pattern of that colour and fill.
   */
  paint: string;
  /** The ratio printed above the bar, or "" when the bar is too thin for it. */
  label: string;
  /** The tooltip: test, both figures and the ratio. */
  title: string;
}

export interface Group {
  chapter: string;
  /** Centre of the group, for its label under the axis. */
  center: number;
  bars: Bar[];
  /** Said in place of bars when there are none to draw. */
  note: string;
}

export interface Panel {
  pipeline: number;
  /** What the depth means, after `-P N: `. */
  caption: string;
  width: number;
  height: number;
  /** The narrowest the SVG may be drawn, in CSS pixels, for its text to stay legible. */
  minWidth: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** The patterns the panel's bars use, by id: one `<pattern>` each. */
  patterns: { id: string; color: string; fill: PatternFill }[];
  ticks: { y: number; label: string }[];
  /** Where 1.0, Redis's speed, lies. */
  redisY: number;
  groups: Group[];
}

export interface LegendEntry {
  test: string;
  color: string;
  fill: Fill;
}

/** 72993.7 → "72,994", the same in every locale. */
export function thousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+$)/g, ",");
}

/**
 * The colour and fill of every test, in the order tests first appear in
 * the file: the palette plain, then the palette hatched, then dotted.
 */
export function legendEntries(file: BenchFile): LegendEntry[] {
  const tests: string[] = [];
  for (const entry of file.chapters)
    for (const { test } of entry.results)
      if (!tests.includes(test)) tests.push(test);
  const styles = PALETTE.length * FILLS.length;
  if (tests.length > styles)
    throw new Error(
      `${tests.length} tests, but the chart tells ${styles} apart: add a fill to FILLS in bench-chart.ts`,
    );
  return tests.map((test, i) => ({
    test,
    color: PALETTE[i % PALETTE.length]!,
    fill: FILLS[Math.floor(i / PALETTE.length)]!,
  }));
}

/** The id of the pattern of `color` and `fill` in the panel of depth `pipeline`. */
function patternId(pipeline: number, fill: PatternFill, color: string): string {
  // Ids are shared by the whole page, and each panel is an SVG of its own.
  return `bench-${fill}-${pipeline}-${color.slice(1)}`;
}

/** The value of SVG's `fill` attribute for a test of `color` and `fill`. */
function paintOf(pipeline: number, fill: Fill, color: string): string {
  return fill === "solid" ? color : `url(#${patternId(pipeline, fill, color)})`;
}

/** The pipeline depths in the file, shallowest first. */
function pipelinesOf(file: BenchFile): number[] {
  const depths = new Set(
    file.chapters.flatMap((entry) => entry.results.map((r) => r.pipeline)),
  );
  return [...depths].sort((a, b) => a - b);
}

/** A y axis up to at least 1.2, so the Redis line never sits on the top edge. */
function yScale(file: BenchFile): { max: number; step: number } {
  const ratios = file.chapters.flatMap((entry) =>
    entry.results.map((r) => r.ratio ?? 0),
  );
  const highest = Math.max(1.2, ...ratios);
  const step = highest <= 2 ? 0.2 : highest <= 5 ? 0.5 : 1;
  return { max: Math.ceil(highest / step) * step, step };
}

export function chartPanels(file: BenchFile): Panel[] {
  const legend = legendEntries(file);
  const styles = new Map(legend.map((entry) => [entry.test, entry]));
  const { max, step } = yScale(file);
  const plot = {
    left: MARGIN.left,
    right: WIDTH - MARGIN.right,
    top: MARGIN.top,
    bottom: HEIGHT - MARGIN.bottom,
  };
  const yOf = (ratio: number): number =>
    plot.bottom - (ratio / max) * (plot.bottom - plot.top);
  const ticks: Panel["ticks"] = [];
  for (let i = 0; i * step <= max + 1e-9; i++) {
    const value = i * step;
    ticks.push({ y: yOf(value), label: value.toFixed(1) });
  }
  const slot = (plot.right - plot.left) / Math.max(1, file.chapters.length);

  return pipelinesOf(file).map((pipeline) => ({
    pipeline,
    caption:
      pipeline === 1
        ? "each client waits for every reply before sending the next request"
        : `each client sends ${pipeline} requests, then reads ${pipeline} replies`,
    width: WIDTH,
    height: HEIGHT,
    minWidth: Math.ceil((WIDTH * MIN_TEXT_PX) / TEXT_SIZE),
    plot,
    patterns: legend.flatMap(({ color, fill }) =>
      fill === "solid"
        ? []
        : [{ id: patternId(pipeline, fill, color), color, fill }],
    ),
    ticks,
    redisY: yOf(1),
    groups: file.chapters.map((entry, index) =>
      group(entry, pipeline, plot.left + slot * index, slot, yOf, styles),
    ),
  }));
}

function group(
  entry: ChapterBench,
  pipeline: number,
  left: number,
  slot: number,
  yOf: (ratio: number) => number,
  styles: ReadonlyMap<string, LegendEntry>,
): Group {
  const center = left + slot / 2;
  const results = entry.results.filter((r) => r.pipeline === pipeline);
  const drawable = results.filter((r) => r.ratio !== null);
  let note = "";
  if (results.length === 0) note = `not run at -P ${pipeline}`;
  else if (drawable.length === 0) note = "no Redis to compare";

  // Bars side by side, centred in the slot, a fifth of the slot kept free.
  const width = Math.min(MAX_BAR, (slot * 0.8) / Math.max(1, drawable.length));
  const start = center - (width * drawable.length) / 2;
  const bars = drawable.map((r, i): Bar => {
    const ratio = r.ratio!;
    const y = yOf(ratio);
    const { color, fill } = styles.get(r.test)!;
    return {
      x: start + i * width + 1,
      y,
      width: width - 2,
      height: yOf(0) - y,
      fill,
      paint: paintOf(pipeline, fill, color),
      label: width >= MIN_LABELLED_BAR ? ratio.toFixed(2) : "",
      title: `${benchLabel(entry)}, ${r.test}, -P ${r.pipeline}: ${thousands(r.ours)} requests/s, Redis ${thousands(r.redis!)} (×${ratio.toFixed(2)})`,
    };
  });
  return { chapter: benchLabel(entry), center, bars, note };
}
