// Mail lists: all, today, one day. Filters live in the URL; the list
// refreshes itself every 30 s without touching the filter form or the
// selection; bulk delete of the selection.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { type Filter, filterParam, parseFilterParam } from "../lib/filters";
import { utcDay } from "../lib/format";
import { navigate } from "../lib/router";
import type { Mail, Page } from "../lib/types";
import { FilterBuilder } from "./filter_builder";
import { Legend, MailTable } from "./mail_table";
import { BulkRelease } from "./release";

const PAGE_SIZE = 50;
const REFRESH_MS = 30_000;

declare global {
  interface Window { __rqwListRenderMs?: number[] }
}

export function MailListPage({ params, mode, me }: PageProps & { mode: "all" | "today" | "day" }) {
  const filterKey = params.getAll("filter").join("\n");
  const applied: Filter[] = params.getAll("filter").map(parseFilterParam).filter((f): f is Filter => !!f);
  const day = mode === "today" ? "today" : mode === "day" ? params.get("d") ?? utcDay() : "";
  const [draft, setDraft] = useState<Filter[]>(applied);
  const [mails, setMails] = useState<Mail[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState("");
  const [releasing, setReleasing] = useState(false);
  const pages = useRef(1);
  const arrived = useRef(0);

  const listPath = (before?: number | null) => `/api/v1/mails${query([
    ...applied.map((f): [string, string] => ["filter", filterParam(f)]),
    ["day", day], ["limit", PAGE_SIZE], ["before", before ?? undefined],
  ])}`;

  const load = useCallback(async () => {
    try {
      const page = await api<Page<Mail>>("GET", listPath());
      arrived.current = performance.now();
      pages.current = 1;
      setMails(page.items);
      setNext(page.next_before);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [filterKey, day]);

  useEffect(() => { setMails(null); setDraft(applied); load(); }, [load]);
  useEffect(() => {
    // Only a first page is refreshed: replacing it never touches the form or the selection.
    const timer = setInterval(() => { if (pages.current === 1 && !document.hidden) load(); }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  // Render time of a list after its data arrived (docs/benchmarks.md).
  useLayoutEffect(() => {
    if (mails && arrived.current) {
      (window.__rqwListRenderMs ??= []).push(performance.now() - arrived.current);
      arrived.current = 0;
    }
  }, [mails]);

  const more = async () => {
    try {
      const page = await api<Page<Mail>>("GET", listPath(next));
      pages.current += 1;
      setMails([...(mails ?? []), ...page.items]);
      setNext(page.next_before);
    } catch (e) {
      setError(e);
    }
  };
  const apply = (fs: Filter[]) => {
    const base = mode === "all" ? "/mails" : mode === "today" ? "/today" : "/day";
    navigate(`${base}${query([["d", mode === "day" ? day : undefined], ...fs.map((f): [string, string] => ["filter", filterParam(f)])])}`);
  };
  const jumpQid = async (qid: string) => {
    try {
      const page = await api<Page<Mail>>("GET", `/api/v1/mails${query([["filter", `headers:contains:${qid}`], ["limit", 2]])}`);
      const hit = page.items.find((m) => m.qid === qid) ?? (page.items.length === 1 ? page.items[0] : undefined);
      if (hit) navigate(`/mail?id=${hit.id}`);
      else setNotice(t.filter.qidNone(qid));
    } catch (e) {
      setError(e);
    }
  };
  const toggle = (id: number) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id); else s.add(id);
    setSelected(s);
  };
  const toggleAll = () => {
    const shown = mails ?? [];
    setSelected(shown.every((m) => selected.has(m.id)) ? new Set() : new Set(shown.map((m) => m.id)));
  };
  const bulkDelete = async () => {
    if (!selected.size || !confirm(t.list.confirmDelete(selected.size))) return;
    try {
      const r = await api<{ results: { ok: boolean }[] }>("POST", "/api/v1/mails/bulk",
                                                          { action: "delete", ids: [...selected] });
      const ok = r.results.filter((x) => x.ok).length;
      setNotice(t.list.deleted(ok, r.results.length - ok));
      setSelected(new Set());
      load();
    } catch (e) {
      setError(e);
    }
  };
  const bulkLearn = async (as: "spam" | "ham") => {
    if (!selected.size) return;
    try {
      const r = await api<{ results: { ok: boolean }[] }>("POST", "/api/v1/mails/bulk",
                                                          { action: "learn", as, ids: [...selected] });
      const ok = r.results.filter((x) => x.ok).length;
      setNotice(t.list.learned(ok, r.results.length - ok));
    } catch (e) {
      setError(e);
    }
  };
  const title = mode === "all" ? t.list.titleAll : mode === "today" ? t.list.titleToday : t.list.titleDay(day);
  return (
    <>
      <h1>{title}</h1>
      {mode === "day" && (
        <form class="inline" onSubmit={(e) => {
          e.preventDefault();
          const d = (e.currentTarget.elements.namedItem("d") as HTMLInputElement).value;
          if (d) navigate(`/day${query([["d", d], ...applied.map((f): [string, string] => ["filter", filterParam(f)])])}`);
        }}>
          <label>{t.list.day}<input type="date" name="d" value={day} /></label>
          <button type="submit" class="secondary">{t.list.show}</button>
        </form>
      )}
      <FilterBuilder draft={draft} setDraft={setDraft} onApply={apply} onQid={jumpQid} />
      <Notice text={notice} />
      <ErrorBox error={error} onRetry={load} />
      <div class="row toolbar">
        <span aria-live="polite">{t.list.selected(selected.size)}</span>
        <button type="button" class="danger" disabled={!selected.size} onClick={bulkDelete}>{t.list.deleteSelected}</button>
        <button type="button" class="secondary" disabled={!selected.size} onClick={() => setReleasing(true)}>{t.list.releaseSelected}</button>
        {me.is_admin && <>
          <button type="button" class="secondary" disabled={!selected.size} onClick={() => bulkLearn("spam")}>{t.list.learnSpamSelected}</button>
          <button type="button" class="secondary" disabled={!selected.size} onClick={() => bulkLearn("ham")}>{t.list.learnHamSelected}</button>
        </>}
        <span class="muted">{t.list.refreshing}: 30 s</span>
      </div>
      {releasing && selected.size > 0 && (
        <BulkRelease ids={[...selected]} onDone={load} onClose={() => setReleasing(false)} />
      )}
      <Legend />
      {mails === null ? (error ? null : <Loading />) : mails.length === 0 ? <Empty>{t.list.empty}</Empty> : (
        <MailTable mails={mails} selected={selected} onToggle={toggle} onToggleAll={toggleAll} />
      )}
      {next !== null && mails && mails.length > 0 && (
        <button type="button" class="secondary" onClick={more}>{t.list.more}</button>
      )}
    </>
  );
}
