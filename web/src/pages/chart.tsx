// A uPlot bar-ish line chart of values per day (uPlot draws on a canvas,
// styles through the CSSOM only, which the page's CSP allows).
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export function DayChart({ days, series, title }: { days: string[]; series: { label: string; values: number[]; stroke: string }[]; title: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || days.length === 0) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const width = Math.max(280, Math.min(900, el.current.clientWidth || 600));
    const plot = new uPlot({
      title, width, height: 240,
      // One day alone would be a zero-width range: show a day either side.
      scales: { x: xs.length === 1 ? { time: true, auto: false, range: [xs[0] - 86400, xs[0] + 86400] } : { time: true } },
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: true } }))],
      axes: [{ stroke: "currentColor" }, { stroke: "currentColor" }],
    }, [xs, ...series.map((s) => s.values)], el.current);
    return () => plot.destroy();
  }, [days.join(","), series.map((s) => s.values.join(",")).join("|")]);
  return <div ref={el} class="chart" role="img" aria-label={title} />;
}
