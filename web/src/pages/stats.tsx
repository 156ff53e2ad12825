// Counts by action, mail per day (uPlot) and top reports (administrators).
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { actionLabel, formatSize } from "../lib/format";
import type { Report, Stats } from "../lib/types";
import { DayChart } from "./chart";
import { RspamdPanel } from "./rspamd_stats";

const REPORT_FIELDS = ["mail_from", "mail_from_domain", "rcpt_to", "rcpt_to_domain", "ip", "country",
  "symbol", "action", "mime_from", "mime_to", "server", "has_virus"];

export function StatsPage({ me }: PageProps) {
  const [stats, setStats] = useState<Stats | null>(null);
  const [perDay, setPerDay] = useState<Report | null>(null);
  const [field, setField] = useState("mail_from_domain");
  const [mode, setMode] = useState("count");
  const [top, setTop] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Stats>("GET", "/api/v1/stats").then(setStats, setError);
    if (me.is_admin) api<Report>("GET", "/api/v1/reports/date?mode=day&limit=31").then(setPerDay, setError);
  }, []);
  useEffect(() => {
    if (me.is_admin) api<Report>("GET", `/api/v1/reports/${field}${query([["mode", mode], ["limit", 20]])}`).then(setTop, setError);
  }, [field, mode]);

  const days = perDay ? [...perDay.rows].reverse() : [];
  return (
    <>
      <h1>{t.stats.title}</h1>
      <ErrorBox error={error} />
      {!stats ? (error ? null : <Loading />) : (
        <section class="card">
          <dl class="summary">
            <div><dt>{t.stats.total}</dt><dd>{stats.total}</dd></div>
            <div><dt>{t.stats.stored}</dt><dd>{stats.stored.count} ({stats.stored.percent}%)</dd></div>
            <div><dt>{t.stats.virus}</dt><dd>{stats.virus.count} ({stats.virus.percent}%)</dd></div>
          </dl>
          <h2>{t.stats.byAction}</h2>
          {stats.actions.length === 0 ? <Empty>{t.stats.empty}</Empty> : (
            <ul class="bars">
              {stats.actions.map((a) => (
                <li key={a.action}><span>{actionLabel(a.action)}</span>
                  <meter min={0} max={100} value={a.percent} /> <span>{a.count} ({a.percent}%)</span></li>
              ))}
            </ul>
          )}
        </section>
      )}
      {me.is_admin && (
        <section class="card">
          <h2>{t.stats.perDay}</h2>
          {days.length === 0 ? <Empty>{t.stats.empty}</Empty> : (
            <DayChart title={t.stats.perDay} days={days.map((r) => r.value)}
                      series={[{ label: t.stats.count, values: days.map((r) => r.total), stroke: "#3b82f6" },
                               { label: t.stats.stored, values: days.map((r) => r.stored), stroke: "#ef4444" }]} />
          )}
        </section>
      )}
      {me.is_admin && <RspamdPanel />}
      {me.is_admin && (
        <section class="card">
          <h2>{t.stats.top}</h2>
          <div class="row">
            <label>{t.stats.field}
              <select value={field} onChange={(e) => setField((e.target as HTMLSelectElement).value)}>
                {REPORT_FIELDS.map((f) => <option value={f}>{f}</option>)}
              </select>
            </label>
            <label>{t.stats.mode}
              <select value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
                {Object.entries(t.stats.modes).map(([k, v]) => <option value={k}>{v}</option>)}
              </select>
            </label>
          </div>
          {!top ? <Loading /> : top.rows.length === 0 ? <Empty>{t.stats.empty}</Empty> : (
            <div class="table-wrap"><table>
              <thead><tr><th scope="col">{t.stats.value}</th><th scope="col" class="num">{t.stats.count}</th>
                <th scope="col" class="num">{t.stats.stored}</th><th scope="col" class="num">{t.stats.volume}</th></tr></thead>
              <tbody>
                {top.rows.map((r) => (
                  <tr key={r.value}><td>{r.value}</td><td class="num">{r.total}</td><td class="num">{r.stored}</td>
                    <td class="num">{formatSize(r.size)}</td></tr>
                ))}
              </tbody>
            </table></div>
          )}
        </section>
      )}
    </>
  );
}
