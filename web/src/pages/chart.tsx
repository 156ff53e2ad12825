// Traffic per day as uPlot stacked bars, one series per action in the list
// rows' colours, with the quarantined mail as a line over them. uPlot draws
// on a canvas and styles through the CSSOM only, which the page's CSP allows.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { t } from "../i18n";
import { actionColourVar, actionLabel, formatDay } from "../lib/format";
import { dayTicks, stackFromTop, type Traffic } from "../lib/traffic";

const HEIGHT = 260;
// Whole mails only on the y axis, never "0.5".
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7];

function options(traffic: Traffic, box: HTMLElement): uPlot.Options {
  // The theme's colours now (the chart is rebuilt when the theme changes).
  const css = getComputedStyle(box);
  const colour = (name: string) => css.getPropertyValue(name).trim() || "#888";
  const n = traffic.days.length;
  // The legend shows each day's own counts, not the stacked sums drawn.
  const shown = (row: number[]) => (_u: uPlot, _v: number | null, _s: number, i: number | null) =>
    i === null || i === undefined ? "–" : String(row[i]);
  const bars = uPlot.paths.bars!({ size: [0.8, 48], gap: 1 });
  return {
    width: box.clientWidth || 320,
    height: HEIGHT,
    cursor: { points: { show: false } },
    // Days are categories: one slot each, labelled with dates, never hours.
    scales: { x: { time: false, range: () => [-0.5, n - 0.5] }, y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, Math.max(1, max), 0.1, true)[1]] } },
    series: [
      { label: t.stats.day, value: (_u, v) => (v === null || v === undefined ? "–" : formatDay(traffic.days[v] ?? "")) },
      ...traffic.actions.map((a, i) => ({
        label: actionLabel(a), fill: colour(actionColourVar(a)), stroke: colour("--muted"), width: 1,
        paths: bars, points: { show: false }, value: shown(traffic.counts[i]),
      })),
      { label: t.stats.stored, stroke: colour("--accent"), width: 2, value: shown(traffic.stored),
        // Dots on the days with kept mail only: 31 dots along zero are noise.
        points: { show: true, size: 6, filter: () => traffic.stored.flatMap((v, i) => (v > 0 ? [i] : [])) } },
    ],
    axes: [
      { stroke: colour("--fg"), grid: { show: false }, ticks: { show: false },
        splits: (u) => dayTicks(n, u.bbox.width / uPlot.pxRatio),
        values: (_u, splits) => splits.map((i) => formatDay(traffic.days[i] ?? "")) },
      { stroke: colour("--fg"), grid: { stroke: colour("--border"), width: 1 }, ticks: { show: false }, incrs: COUNT_STEPS,
        values: (_u, splits) => splits.map((v) => String(v)) },
    ],
    legend: { live: true },
  };
}

export function TrafficChart({ traffic, title }: { traffic: Traffic; title: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = el.current;
    if (!box || traffic.days.length === 0) return;
    const data = (): uPlot.AlignedData =>
      [traffic.days.map((_, i) => i), ...stackFromTop(traffic.counts), traffic.stored];
    let plot = new uPlot(options(traffic, box), data(), box);
    const rebuild = () => {
      plot.destroy();
      plot = new uPlot(options(traffic, box), data(), box);
    };
    // uPlot needs a width in pixels: follow the box (phone, rotation, sidebar).
    const resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => {
      if (box.clientWidth > 0 && box.clientWidth !== plot.width) plot.setSize({ width: box.clientWidth, height: HEIGHT });
    });
    resize?.observe(box);
    // The colours come from the theme: redraw when it changes.
    const themed = new MutationObserver(rebuild);
    themed.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const scheme = window.matchMedia?.("(prefers-color-scheme: dark)");
    scheme?.addEventListener("change", rebuild);
    return () => {
      resize?.disconnect();
      themed.disconnect();
      scheme?.removeEventListener("change", rebuild);
      plot.destroy();
    };
  }, [traffic, title]);
  return <div ref={el} class="chart traffic" role="figure" aria-label={title} />;
}
