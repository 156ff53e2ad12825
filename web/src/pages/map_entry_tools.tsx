// Tools of a map's entry table: an entry edited in place (value, comment,
// expiry), and emptying the whole map behind a typed confirmation.
import { useState } from "preact/hooks";
import { t } from "../i18n";
import { api, errorText } from "../lib/api";
import { entryChanges, entryForm } from "../lib/map_entry_edit";
import type { MapEntry, MapInfo } from "../lib/types";

interface EditProps {
  base: string; map: MapInfo; entry: MapEntry; columns: number;
  onSaved: (e: MapEntry) => void; onCancel: () => void;
}

export function EntryEditRow({ base, map, entry, columns, onSaved, onCancel }: EditProps) {
  const [form, setForm] = useState(entryForm(entry));
  const [error, setError] = useState("");
  const m = t.manage;
  const save = async (e: Event) => {
    e.preventDefault();
    const changes = entryChanges(entry, form);
    if (Object.keys(changes).length === 0) { onCancel(); return; }
    try {
      onSaved(await api<MapEntry>("PATCH", `${base}/entries/${entry.id}`, changes));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <tr class="editing">
      <td colSpan={columns}>
        <form class="row" onSubmit={save} aria-label={m.entryEdit(entry.line)}>
          <label>{m.entryValue(map.recipient)}<input required value={form.line} onInput={set("line")} /></label>
          <label>{t.maps.comment}<input value={form.comment} maxLength={255} onInput={set("comment")} /></label>
          <label>{t.maps.expires}<input type="datetime-local" value={form.expires} onInput={set("expires")} /></label>
          <button type="submit">{t.save}</button>
          <button type="button" class="ghost" onClick={onCancel}>{t.cancel}</button>
          {error && <p class="field-error" role="alert">{error}</p>}
        </form>
      </td>
    </tr>
  );
}

// Administrators only (the server refuses the others): the map's name typed
// out is the confirmation, as for deleting a repository.
export function DeleteAllEntries({ base, name, onDone }: { base: string; name: string; onDone: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState("");
  const m = t.manage;
  if (!open) return <button type="button" class="secondary danger-text" onClick={() => setOpen(true)}>{m.deleteAll}</button>;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (typed !== name) { setError(m.deleteAllMismatch); return; }
    try {
      const r = await api<{ deleted: number }>("POST", `${base}/entries/delete`, { all: true, confirm: typed });
      setOpen(false);
      setTyped("");
      onDone(t.maps.deletedEntries(r.deleted));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="card dialog" onSubmit={submit} aria-labelledby="s-delete-all">
      <h2 id="s-delete-all">{m.deleteAllTitle(name)}</h2>
      <p>{m.deleteAllHint(name)}</p>
      <label>{m.deleteAllConfirm}<input value={typed} autocomplete="off" spellcheck={false}
             aria-invalid={error ? "true" : undefined} onInput={(e) => { setTyped(e.currentTarget.value); setError(""); }} /></label>
      {error && <p class="field-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="danger" disabled={typed !== name}>{m.deleteAllSubmit}</button>
        <button type="button" class="ghost" onClick={() => { setOpen(false); setTyped(""); setError(""); }}>{t.cancel}</button>
      </div>
    </form>
  );
}
