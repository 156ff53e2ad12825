// The audit log (administrators), newest first, with a text search.
import { useEffect, useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { formatTime } from "../lib/format";
import type { AuditEntry, Page } from "../lib/types";

export function AuditPage() {
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [contains, setContains] = useState("");
  const [error, setError] = useState<unknown>(null);
  const load = (before?: number | null) =>
    api<Page<AuditEntry>>("GET", `/api/v1/audit${query([["contains", contains], ["limit", 100], ["before", before ?? undefined]])}`)
      .then((p) => { setItems(before ? [...(items ?? []), ...p.items] : p.items); setNext(p.next_before); setError(null); }, setError);
  useEffect(() => { load(); }, []);
  const a = t.audit;
  return (
    <>
      <h1>{a.title}</h1>
      <ErrorBox error={error} />
      <form class="inline" onSubmit={(e) => { e.preventDefault(); load(); }}>
        <label>{a.contains}<input value={contains} maxLength={256} onInput={(e) => setContains((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="secondary">{t.users.search}</button>
      </form>
      {items === null ? <Loading /> : items.length === 0 ? <Empty>{a.empty}</Empty> : (
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">{a.at}</th><th scope="col">{a.actor}</th><th scope="col">{a.action}</th>
            <th scope="col">{a.target}</th><th scope="col" class="hide-sm">{a.detail}</th><th scope="col" class="hide-sm">{a.ip}</th></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}><td class="nowrap">{formatTime(e.at)}</td>
                <td>{e.actor}{e.on_behalf_of ? ` (${e.on_behalf_of})` : ""}</td><td>{e.action}</td><td>{e.target}</td>
                <td class="hide-sm">{e.detail}</td><td class="hide-sm">{e.ip}</td></tr>
            ))}
          </tbody>
        </table></div>
      )}
      {next !== null && <button type="button" class="secondary" onClick={() => load(next)}>{t.list.more}</button>}
    </>
  );
}
