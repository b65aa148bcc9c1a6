/**
 * The site's theme: VitePress's default, plus one stylesheet and the
 * components that pages use by name (`<BenchChart />` in
 * site/reference/benchmarks.md).
 */
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import BenchChart from "./BenchChart.vue";
import BenchTable from "./BenchTable.vue";
import "./custom.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("BenchChart", BenchChart);
    app.component("BenchTable", BenchTable);
  },
} satisfies Theme;
