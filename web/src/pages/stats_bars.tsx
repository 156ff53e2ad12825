// The statistics' bar visuals drawn with CSS, no canvas: the share of each
// action (in the list rows' colours) and a top report's rows, each with a
// bar as long as its count, volume or kept mails (what the report is
// ordered by) against the first row's.
import { t } from "../i18n";
import { actionClass, actionLabel, formatSize } from "../lib/format";
import type { Report, Stats } from "../lib/types";

type Row = Report["rows"][number];

// What a top report's bars measure: what it is ordered by.
export function measure(mode: string): (r: Row) => number {
  if (mode === "volume") return (r) => r.size;
  if (mode === "stored") return (r) => r.stored;
  return (r) => r.total;
}

export function ActionBars({ actions }: { actions: Stats["actions"] }) {
  return (
    <ul class="bars">
      {actions.map((a) => (
        <li key={a.action}><span>{actionLabel(a.action)}</span>
          <span class="bar-track" aria-hidden="true">
            <span class={`bar-fill ${actionClass(a.action)}`} style={{ width: `${a.percent}%` }} />
          </span>
          <span>{a.count} ({a.percent}%)</span></li>
      ))}
    </ul>
  );
}

export function TopTable({ report }: { report: Report }) {
  const of = measure(report.mode);
  const max = Math.max(1, ...report.rows.map(of));
  const actions = report.field === "action";
  return (
    <div class="table-wrap"><table class="top">
      <thead><tr><th scope="col">{t.stats.value}</th><th scope="col" class="num">{t.stats.count}</th>
        <th scope="col" class="num">{t.stats.stored}</th><th scope="col" class="num">{t.stats.volume}</th></tr></thead>
      <tbody>
        {report.rows.map((r) => (
          <tr key={r.value}>
            <td class="bar-cell">
              <span class={`bar-fill ${actions ? actionClass(r.value) : "bar-accent"}`} aria-hidden="true"
                    style={{ width: `${(100 * of(r)) / max}%` }} />
              <span class="bar-text">{actions ? actionLabel(r.value) : r.value || t.none}</span>
            </td>
            <td class="num">{r.total}</td><td class="num">{r.stored}</td><td class="num">{formatSize(r.size)}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}
