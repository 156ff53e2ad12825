// Allow/block maps: the list (/map-lists) and one map's entries
// (/map-lists?name=…&add=…). /maps/… itself is where Rspamd reads the files.
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api, errorText, query } from "../lib/api";
import { formatTime } from "../lib/format";
import { mapPageUrl } from "../lib/release";
import { navigate } from "../lib/router";
import type { MapAddResult, MapEntry, MapInfo } from "../lib/types";
import { DeleteAllEntries, EntryEditRow } from "./map_entry_tools";

const FIELDS = ["email", "ip", "domain", "asn", "url", "text", "regexp", "glob", "key_score"];
const PAGE = 100;

export function MapsPage(p: PageProps) {
  const name = p.params.get("name");
  return name ? <MapEntriesPage {...p} name={name} /> : <MapListPage {...p} />;
}

function MapListPage({ me }: PageProps) {
  const [maps, setMaps] = useState<MapInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const load = () => api<{ items: MapInfo[] }>("GET", "/api/v1/maps").then((r) => { setMaps(r.items); setError(null); }, setError);
  useEffect(() => { load(); }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    try {
      const m = await api<MapInfo>("POST", "/api/v1/maps", { name: v("name"), field: v("field"), description: v("description") });
      setNotice(t.maps.created(m.name));
      f.reset();
      load();
    } catch (err) {
      setNotice(errorText(err));
    }
  };
  const m = t.maps;
  return (
    <>
      <h1>{m.title}</h1>
      <Notice text={notice} />
      <ErrorBox error={error} onRetry={load} />
      {maps === null ? (error ? null : <Loading />) : maps.length === 0 ? <Empty>{m.empty}</Empty> : (
        <div class="table-wrap"><table class="maps">
          <thead><tr><th scope="col">{m.name}</th><th scope="col">{m.scope}</th><th scope="col">{m.field}</th>
            {me.is_admin && <th scope="col" class="num">{m.entries}</th>}<th scope="col">{m.file}</th></tr></thead>
          <tbody>{maps.map((x) => (
            <tr key={x.name} class={`map-${x.kind}`}>
              <td><a href={mapPageUrl(x.name)}>{x.name}</a><div class="muted">{x.description}</div></td>
              <td>{m.scopes[x.scope] ?? x.scope}, {m.kinds[x.kind] ?? x.kind}</td><td>{x.field}</td>
              {me.is_admin && <td class="num">{x.entries ?? ""}</td>}
              <td><code>{x.url}</code></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      {me.is_admin && (
        <form class="card" onSubmit={create} aria-labelledby="s-create">
          <h2 id="s-create">{m.create}</h2>
          <div class="row">
            <label>{m.createName}<input name="name" required maxLength={64} pattern="[a-z0-9][a-z0-9._\-]{0,63}" /></label>
            <label>{m.field}<select name="field">{FIELDS.map((f) => <option key={f} value={f}>{f}</option>)}</select></label>
            <label>{m.description}<input name="description" maxLength={255} /></label>
            <button type="submit">{t.add}</button>
          </div>
        </form>
      )}
    </>
  );
}

function MapEntriesPage({ me, params, name }: PageProps & { name: string }) {
  const [map, setMap] = useState<MapInfo | null>(null);
  const [entries, setEntries] = useState<MapEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [q, setQ] = useState("");
  const [lines, setLines] = useState(params.get("add") ?? "");
  const [comment, setComment] = useState("");
  const [expires, setExpires] = useState("");
  const [lineErrors, setLineErrors] = useState<MapAddResult["errors"]>([]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const base = `/api/v1/maps/${encodeURIComponent(name)}`;

  const load = async (search = q) => {
    try {
      const r = await api<{ items: MapEntry[]; next_after: number | null }>("GET", `${base}/entries${query([["q", search], ["limit", PAGE]])}`);
      setEntries(r.items);
      setNext(r.next_after);
      setSelected(new Set());
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    api<MapInfo>("GET", base).then(setMap, setError);
    load("");
  }, [name]);
  const more = async () => {
    try {
      const r = await api<{ items: MapEntry[]; next_after: number | null }>("GET", `${base}/entries${query([["q", q], ["limit", PAGE], ["after", next]])}`);
      setEntries([...(entries ?? []), ...r.items]);
      setNext(r.next_after);
    } catch (e) {
      setError(e);
    }
  };
  // After an add from the box only the refused lines stay in it; an import's
  // line numbers are the file's, and leave the box alone.
  const showAdd = (r: MapAddResult, fromBox: boolean) => {
    setLineErrors(r.errors);
    setNotice(t.maps.added(r.added));
    if (fromBox && r.errors.length === 0) setLines("");
    else if (fromBox) setLines(lines.split("\n").filter((_, i) => r.errors.some((x) => x.line === i + 1)).join("\n"));
    load();
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { lines };
    if (comment) body.comment = comment;
    if (expires) body.expires_at = new Date(expires).getTime();
    try {
      showAdd(await api<MapAddResult>("POST", `${base}/entries`, body), true);
    } catch (err) {
      setLineErrors([]);
      setNotice(errorText(err));
    }
  };
  const importFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      showAdd(await api<MapAddResult>("POST", `${base}/import`, await file.text(), { text: true }), false);
    } catch (err) {
      setNotice(errorText(err));
    }
    input.value = "";
  };
  const patch = async (en: MapEntry, change: Partial<MapEntry>) => {
    try {
      const r = await api<MapEntry>("PATCH", `${base}/entries/${en.id}`, change);
      setEntries((entries ?? []).map((x) => (x.id === en.id ? r : x)));
    } catch (err) {
      setNotice(errorText(err));
    }
  };
  const remove = async (ids: number[], what: string) => {
    if (!ids.length || !confirm(what)) return;
    try {
      const r = await api<{ deleted: number }>("POST", `${base}/entries/delete`, { ids });
      setNotice(t.maps.deletedEntries(r.deleted));
      load();
    } catch (err) {
      setNotice(errorText(err));
    }
  };
  const deleteMap = async () => {
    if (!confirm(t.maps.confirmDeleteMap(name))) return;
    try {
      await api("DELETE", base);
      navigate("/map-lists");
    } catch (err) {
      setNotice(errorText(err));
    }
  };
  const renameMap = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const to = String(f.get("name") ?? "").trim();
    const description = String(f.get("description") ?? "");
    try {
      const r = await api<MapInfo>("PATCH", base, { name: to, description });
      if (r.name !== name) navigate(mapPageUrl(r.name));
      else { setMap(r); setNotice(t.maps.renamed); }
    } catch (err) {
      setNotice(errorText(err));
    }
  };
  const toggle = (id: number) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id); else s.add(id);
    setSelected(s);
  };
  const m = t.maps;
  if (error && !map) return <><h1>{name}</h1><p><a href="/map-lists">{m.back}</a></p><ErrorBox error={error} /></>;
  if (!map) return <Loading />;
  return (
    <>
      <p><a href="/map-lists">{m.back}</a></p>
      <h1>{map.name}</h1>
      <p class="muted">{map.description} · {m.scopes[map.scope] ?? map.scope} · {map.field} · <code>{map.url}</code></p>
      <Notice text={notice} />
      <ErrorBox error={error} onRetry={() => load()} />
      <form class="card" onSubmit={add} aria-labelledby="s-add">
        <h2 id="s-add">{m.add}</h2>
        <label>{m.lines(map.recipient)}
          <textarea name="lines" rows={4} value={lines} aria-invalid={lineErrors.length > 0 ? "true" : undefined}
                    onInput={(e) => setLines(e.currentTarget.value)} /></label>
        {lineErrors.length > 0 && (
          <ul class="field-error line-errors" role="alert">
            {lineErrors.map((x) => <li key={x.line}>{m.lineError(x.line, x.message)}</li>)}
          </ul>
        )}
        <div class="row">
          <label>{m.comment}<input value={comment} maxLength={255} onInput={(e) => setComment(e.currentTarget.value)} /></label>
          <label>{m.expires}<input type="datetime-local" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} /></label>
          <button type="submit" disabled={!lines.trim()}>{t.add}</button>
        </div>
        <div class="row">
          <label>{m.import}<input type="file" accept="text/plain,.txt" onChange={importFile} /></label>
          <a class="button secondary" href={`${base}/export`} download={`${map.name}.txt`}>{m.export}</a>
          {me.is_admin && !map.builtin && <button type="button" class="danger" onClick={deleteMap}>{m.deleteMap}</button>}
        </div>
      </form>
      {me.is_admin && !map.builtin && (
        <details class="card">
          <summary>{m.renameTitle}</summary>
          <form onSubmit={renameMap}>
            <p class="muted">{m.renameHint}</p>
            <div class="row">
              <label>{m.name}<input name="name" required maxLength={64} pattern="[a-z0-9][a-z0-9._\-]*" defaultValue={map.name} /></label>
              <label>{m.description}<input name="description" maxLength={255} defaultValue={map.description} /></label>
              <button type="submit">{t.save}</button>
            </div>
          </form>
        </details>
      )}
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); load(); }}>
        <label>{m.search}<input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} /></label>
        <button type="submit" class="secondary">{m.search}</button>
      </form>
      <div class="row toolbar">
        <span aria-live="polite">{t.list.selected(selected.size)}</span>
        <button type="button" class="danger" disabled={!selected.size}
                onClick={() => remove([...selected], m.confirmDeleteEntries(selected.size))}>{m.deleteSelected}</button>
        {me.is_admin && <DeleteAllEntries base={base} name={map.name} onDone={(text) => { setNotice(text); load(); }} />}
      </div>
      {entries === null ? <Loading /> : entries.length === 0 ? <Empty>{m.noEntries}</Empty> : (
        <div class="table-wrap"><table class="entries">
          <thead><tr>
            <th scope="col"><input type="checkbox" aria-label={t.list.selectAll}
              checked={entries.length > 0 && entries.every((x) => selected.has(x.id))}
              onChange={() => setSelected(entries.every((x) => selected.has(x.id)) ? new Set() : new Set(entries.map((x) => x.id)))} /></th>
            <th scope="col">{m.value}</th>{map.recipient && <th scope="col">{m.recipient}</th>}
            <th scope="col">{m.enabled}</th><th scope="col">{m.comment}</th><th scope="col">{m.expires}</th>
            <th scope="col">{m.by}</th><th scope="col"><span class="sr-only">{t.delete}</span></th>
          </tr></thead>
          <tbody>{entries.map((en) => editing === en.id ? (
            <EntryEditRow key={en.id} base={base} map={map} entry={en} columns={map.recipient ? 8 : 7}
                          onCancel={() => setEditing(null)}
                          onSaved={(r) => { setEntries(entries.map((x) => (x.id === r.id ? r : x))); setEditing(null); setNotice(t.manage.entrySaved); }} />
          ) : (
            <tr key={en.id} class={en.enabled ? "" : "muted"}>
              <td><input type="checkbox" aria-label={m.selectEntry(en.line)} checked={selected.has(en.id)} onChange={() => toggle(en.id)} /></td>
              <td class="addr">{en.value}</td>{map.recipient && <td class="addr">{en.recipient ?? ""}</td>}
              <td><input type="checkbox" aria-label={m.enable(en.line)} checked={en.enabled}
                         onChange={() => patch(en, { enabled: !en.enabled })} /></td>
              <td>{en.comment}</td>
              <td class="nowrap">{en.expires_at ? formatTime(en.expires_at) : m.never}</td>
              <td>{en.created_by ?? ""}</td>
              <td class="actions">
                <button type="button" class="ghost" aria-label={t.manage.entryEdit(en.line)} onClick={() => setEditing(en.id)}>{t.manage.edit}</button>
                <button type="button" class="ghost danger" onClick={() => remove([en.id], m.confirmDeleteEntry(en.line))}>{t.delete}</button></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      {next !== null && entries && entries.length > 0 && <button type="button" class="secondary" onClick={more}>{m.more}</button>}
    </>
  );
}
