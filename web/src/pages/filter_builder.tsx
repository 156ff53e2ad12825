// Edits a list of filters (a draft: the list shown is only replaced on
// "Search"), saved filter sets, and the queue-ID jump.
import { useState } from "preact/hooks";
import { t } from "../i18n";
import { checkFilter, deleteSaved, FIELDS, type Filter, loadSaved, opsFor, saveFilters } from "../lib/filters";

interface Props {
  draft: Filter[];
  setDraft: (f: Filter[]) => void;
  onApply: (f: Filter[]) => void;
  onQid: (qid: string) => void;
}

export function FilterBuilder({ draft, setDraft, onApply, onQid }: Props) {
  const [saved, setSaved] = useState(() => loadSaved());
  const [saveName, setSaveName] = useState("");
  const [qid, setQid] = useState("");
  const [message, setMessage] = useState("");
  const problems = draft.map(checkFilter);

  const update = (i: number, patch: Partial<Filter>) => {
    const next = draft.map((f, j) => (j === i ? { ...f, ...patch } : f));
    if (patch.field !== undefined && !opsFor(patch.field).includes(next[i].op)) next[i].op = opsFor(patch.field)[0];
    setDraft(next);
  };
  const apply = (e: Event) => {
    e.preventDefault();
    if (draft.length > 20) return setMessage(t.filter.tooMany);
    if (problems.some((p) => p)) return setMessage(t.filter.invalid);
    setMessage("");
    onApply(draft);
  };
  return (
    <section class="filters card" aria-labelledby="filters-title">
      <h2 id="filters-title">{t.filter.title}</h2>
      <form onSubmit={apply}>
        {draft.map((f, i) => (
          <fieldset class="filter-row" key={i}>
            <legend class="sr-only">{`${t.filter.title} ${i + 1}`}</legend>
            <label>{t.filter.field}
              <select value={f.field} onChange={(e) => update(i, { field: (e.target as HTMLSelectElement).value })}>
                {FIELDS.map((d) => <option value={d.name}>{d.name === "symbol." ? "symbol.NAME" : d.name}</option>)}
              </select>
            </label>
            {f.field === "symbol." && (
              <label>{t.filter.symbolName}
                <input value={f.symbol ?? ""} maxLength={128}
                       onInput={(e) => update(i, { symbol: (e.target as HTMLInputElement).value })} />
              </label>
            )}
            <label>{t.filter.op}
              <select value={f.op} onChange={(e) => update(i, { op: (e.target as HTMLSelectElement).value })}>
                {opsFor(f.field).map((o) => <option value={o}>{o}</option>)}
              </select>
            </label>
            <label>{t.filter.value}
              <input value={f.value} aria-invalid={problems[i] ? "true" : undefined}
                     onInput={(e) => update(i, { value: (e.target as HTMLInputElement).value })} />
            </label>
            {problems[i] && <span class="field-error">{problems[i]}</span>}
            <button type="button" class="ghost" aria-label={t.filter.remove}
                    onClick={() => setDraft(draft.filter((_, j) => j !== i))}>×</button>
          </fieldset>
        ))}
        <div class="row">
          <button type="button" class="secondary"
                  onClick={() => setDraft([...draft, { field: "subject", op: "contains", value: "" }])}>
            {t.filter.add}
          </button>
          <button type="submit">{t.filter.apply}</button>
          <button type="button" class="ghost" onClick={() => { setDraft([]); onApply([]); }}>{t.filter.clear}</button>
        </div>
        {message && <p class="error" role="alert">{message}</p>}
      </form>
      <div class="row">
        <form class="inline" onSubmit={(e) => {
          e.preventDefault();
          if (!saveName.trim() || problems.some((p) => p)) return;
          saveFilters(saveName.trim(), draft);
          setSaved(loadSaved());
          setSaveName("");
        }}>
          <label>{t.filter.saveAs}
            <input value={saveName} maxLength={64} onInput={(e) => setSaveName((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="secondary">{t.save}</button>
        </form>
        <form class="inline" onSubmit={(e) => { e.preventDefault(); if (qid.trim()) onQid(qid.trim()); }}>
          <label>{t.filter.qid}
            <input name="qid" value={qid} maxLength={64} onInput={(e) => setQid((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="secondary">{t.filter.qidGo}</button>
        </form>
      </div>
      {Object.keys(saved).length > 0 && (
        <div class="saved">
          <h3>{t.filter.saved}</h3>
          <ul>
            {Object.entries(saved).map(([name, fs]) => (
              <li key={name}>
                <button type="button" class="link" onClick={() => { setDraft(fs); onApply(fs); }}>
                  {t.filter.load}: {name}
                </button>
                <button type="button" class="ghost" aria-label={`${t.delete} ${name}`}
                        onClick={() => { deleteSaved(name); setSaved(loadSaved()); }}>×</button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
