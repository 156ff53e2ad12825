// Counts by action, traffic per day by action (uPlot; everyone, over the
// mail they may see) and top reports (administrators).
import { useEffect, useMemo, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { lastDays, trafficSeries } from "../lib/traffic";
import type { Report, Stats } from "../lib/types";
import { TrafficChart } from "./chart";
import { ActionBars, TopTable } from "./stats_bars";
import { RspamdPanel } from "./rspamd_stats";

const REPORT_FIELDS = ["mail_from", "mail_from_domain", "rcpt_to", "rcpt_to_domain", "ip", "country",
  "symbol", "action", "mime_from", "mime_to", "server", "has_virus"];
// The traffic chart's days: a fixed window, so that quiet days show as zero.
const TRAFFIC_DAYS = 31;

export function StatsPage({ me }: PageProps) {
  const [stats, setStats] = useState<Stats | null>(null);
  const [perDay, setPerDay] = useState<Report | null>(null);
  const range = useMemo(() => lastDays(TRAFFIC_DAYS, Date.now()), []);
  const [field, setField] = useState("mail_from_domain");
  const [mode, setMode] = useState("count");
  const [top, setTop] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Stats>("GET", "/api/v1/stats").then(setStats, setError);
    api<Report>("GET", `/api/v1/reports/date${query([["mode", "day"], ["split", "action"], ["limit", TRAFFIC_DAYS],
      ["filter", `date:ge:${range.first}`]])}`).then(setPerDay, setError);
  }, []);
  useEffect(() => {
    if (me.is_admin) api<Report>("GET", `/api/v1/reports/${field}${query([["mode", mode], ["limit", 20]])}`).then(setTop, setError);
  }, [field, mode]);

  const traffic = useMemo(() => perDay && trafficSeries(perDay.rows, range.first, range.last), [perDay]);
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
            <ActionBars actions={stats.actions} />
          )}
        </section>
      )}
      <section class="card">
        <h2>{t.stats.perDay(TRAFFIC_DAYS)}</h2>
        {!traffic ? (error ? null : <Loading />) : traffic.actions.length === 0 ? <Empty>{t.stats.noTraffic(TRAFFIC_DAYS)}</Empty> : (
          <TrafficChart title={t.stats.perDay(TRAFFIC_DAYS)} traffic={traffic} />
        )}
      </section>
      {me.is_admin && <RspamdPanel />}
      {me.is_admin && (
        <section class="card">
          <h2>{t.stats.top}</h2>
          <div class="row">
            <label>{t.stats.field}
              <select value={field} onChange={(e) => setField((e.target as HTMLSelectElement).value)}>
                {REPORT_FIELDS.map((f) => <option value={f}>{t.stats.fields[f] ?? f}</option>)}
              </select>
            </label>
            <label>{t.stats.mode}
              <select value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
                {Object.entries(t.stats.modes).map(([k, v]) => <option value={k}>{v}</option>)}
              </select>
            </label>
          </div>
          {!top ? <Loading /> : top.rows.length === 0 ? <Empty>{t.stats.empty}</Empty> : <TopTable report={top} />}
        </section>
      )}
    </>
  );
}
