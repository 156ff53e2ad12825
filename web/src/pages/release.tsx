// Release (detail page and bulk), its history, and learning (administrators).
import { useState } from "preact/hooks";
import { Empty } from "../components";
import { t } from "../i18n";
import { api, reasonText } from "../lib/api";
import { formatTime } from "../lib/format";
import { ownRecipients, parseAddresses, releaseBody } from "../lib/release";
import { cleanRequestText, MAX_REQUEST_TEXT, releaseOffer, requestTextTooLong } from "../lib/release_requests";
import type { BulkResult, LearnFuzzy, Me, ReleaseRequest } from "../lib/types";
import type { DetailActionProps } from "./mail";

// The form: original recipients as checkboxes (when known: one mail) and
// a box of other addresses. onSubmit answers one line of words per result.
// `asking`: request mode, with a comment box and the request's words.
function ReleaseForm({ offered, bulk, asking, onSubmit, onClose }: {
  offered: string[] | null; bulk?: number; asking?: boolean;
  onSubmit: (body: { to_original: boolean; alternates: string[]; comment?: string }) => Promise<string[]>;
  onClose: () => void;
}) {
  const [comment, setComment] = useState("");
  const [ticked, setTicked] = useState<string[]>(offered ?? []);
  const [toOriginal, setToOriginal] = useState(true);
  const [others, setOthers] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<string[]>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const alt = parseAddresses(others);
    const body = offered ? releaseBody(offered, ticked, alt) : { to_original: toOriginal, alternates: alt };
    if (!body.to_original && body.alternates.length === 0) return setProblem(t.release.nothing);
    if (body.alternates.length > 20) return setProblem(t.release.tooMany);
    setProblem("");
    setBusy(true);
    try {
      setResults(await onSubmit(asking && comment ? { ...body, comment } : body));
    } finally {
      setBusy(false);
    }
  };
  const title = asking ? t.releaseRequests.dialogTitle : bulk ? t.release.titleBulk(bulk) : t.release.title;
  return (
    <form class="card dialog" role="dialog" aria-label={title} onSubmit={submit}>
      <h2>{title}</h2>
      {offered ? (
        <fieldset>
          <legend>{t.release.original}</legend>
          {offered.length === 0 ? <p class="muted">{t.release.noOriginal}</p> : offered.map((r) => (
            <label class="check" key={r}>
              <input type="checkbox" checked={ticked.includes(r)}
                     onChange={() => setTicked(ticked.includes(r) ? ticked.filter((x) => x !== r) : [...ticked, r])} />
              {r}
            </label>
          ))}
        </fieldset>
      ) : (
        <label class="check"><input type="checkbox" checked={toOriginal} onChange={() => setToOriginal(!toOriginal)} />
          {t.release.originalBulk}</label>
      )}
      <label>{t.release.alternates}
        <textarea rows={2} value={others} onInput={(e) => setOthers(e.currentTarget.value)} /></label>
      {asking && (
        <label>{t.releaseRequests.comment}
          <textarea rows={3} maxLength={MAX_REQUEST_TEXT} value={comment}
                    onInput={(e) => setComment(cleanRequestText(e.currentTarget.value))} /></label>
      )}
      {problem && <p class="field-error" role="alert">{problem}</p>}
      <div class="row">
        <button type="submit" disabled={busy || requestTextTooLong(comment)}>
          {busy ? t.release.sending : asking ? t.releaseRequests.submit : t.release.submit}</button>
        <button type="button" class="secondary" onClick={onClose}>{t.cancel}</button>
      </div>
      {results.length > 0 && (
        <ul class="results" aria-live="polite">{results.map((r, i) => <li key={i}>{r}</li>)}</ul>
      )}
    </form>
  );
}

// The detail page's action: a button that opens the form; in request mode
// it asks, and a pending request shows instead (with a cancel button).
export function ReleaseAction({ mail, me, reload, notify }: DetailActionProps) {
  const [open, setOpen] = useState(false);
  const offer = releaseOffer(mail);
  if (offer === "none") return null;
  if (offer === "pending") {
    const r = mail.release_request!;
    const cancel = async () => {
      try {
        await api("POST", `/api/v1/release-requests/${r.id}/cancel`, {});
        notify(t.releaseRequests.cancelled);
      } catch (e) {
        notify(t.releaseRequests.failed(reasonText(e)));
      }
      reload();
    };
    return (
      <span class="release-pending">
        <span role="status">{t.releaseRequests.pending(formatTime(r.created_at))}</span>{" "}
        <button type="button" class="secondary" onClick={cancel}>{t.releaseRequests.cancel}</button>
      </span>
    );
  }
  const asking = offer === "request";
  if (!open) {
    return <button type="button" onClick={() => setOpen(true)}>{asking ? t.releaseRequests.open : t.release.open}</button>;
  }
  const release = async (body: { to_original: boolean; alternates: string[] }) => {
    const wanted = body.to_original ? [...ownRecipients(mail, me), ...body.alternates] : body.alternates;
    try {
      const r = await api<{ delivered_to: string[] }>("POST", `/api/v1/mails/${mail.id}/release`, body);
      const got = new Set(r.delivered_to.map((a) => a.toLowerCase()));
      const lines = r.delivered_to.map(t.release.delivered);
      for (const w of wanted) if (!got.has(w.toLowerCase())) lines.push(t.release.notDelivered(w));
      return lines;
    } catch (e) {
      return [t.release.failed(reasonText(e))];
    } finally {
      reload();
    }
  };
  const ask = async (body: { to_original: boolean; alternates: string[]; comment?: string }) => {
    try {
      await api<ReleaseRequest>("POST", `/api/v1/mails/${mail.id}/release-requests`, body);
      notify(t.releaseRequests.sent);
      setOpen(false);
      return [t.releaseRequests.sent];
    } catch (e) {
      return [t.releaseRequests.failed(reasonText(e))];
    } finally {
      reload();
    }
  };
  return (
    <div class="dialog-wrap">
      <ReleaseForm offered={ownRecipients(mail, me)} asking={asking} onSubmit={asking ? ask : release}
                   onClose={() => setOpen(false)} />
    </div>
  );
}

// Bulk release of a list selection.
export function BulkRelease({ ids, onDone, onClose }: { ids: number[]; onDone: () => void; onClose: () => void }) {
  const submit = async (body: { to_original: boolean; alternates: string[] }) => {
    try {
      const r = await api<{ results: BulkResult[] }>("POST", "/api/v1/mails/bulk", { action: "release", ids, ...body });
      return r.results.map((x) => t.release.bulkResult(x.id,
        x.ok ? (x.requested ? t.releaseRequests.bulkRequested : t.release.bulkDelivered(x.delivered_to ?? []))
          : x.message || x.error || t.release.notOk));
    } catch (e) {
      return [t.release.failed(reasonText(e))];
    } finally {
      onDone();
    }
  };
  return <ReleaseForm offered={null} bulk={ids.length} onSubmit={submit} onClose={onClose} />;
}

// Learning: the state, and a button per class (the other class relearns).
export function LearnAction({ mail, me, reload, notify }: DetailActionProps) {
  if (!me.is_admin || !mail.content_available) return null;
  const learn = async (as: "spam" | "ham") => {
    try {
      const r = await api<{ learned_as: string; node: string; already_learned: boolean; fuzzy?: LearnFuzzy }>(
        "POST", `/api/v1/mails/${mail.id}/learn`, { as });
      const said = r.already_learned ? t.learn.already(r.learned_as) : t.learn.done(r.learned_as, r.node);
      notify(r.fuzzy?.status === "failed" ? `${said} ${t.learn.fuzzyFailed(r.fuzzy.message)}` : said);
    } catch (e) {
      notify(t.learn.failed(reasonText(e)));
    }
    reload();
  };
  const was = mail.learned_as;
  return (
    <>
      <button type="button" class="secondary" onClick={() => learn("spam")}>{was === "ham" ? t.learn.relearnSpam : t.learn.spam}</button>
      <button type="button" class="secondary" onClick={() => learn("ham")}>{was === "spam" ? t.learn.relearnHam : t.learn.ham}</button>
    </>
  );
}

export function ReleaseHistory({ mail, me }: { mail: DetailActionProps["mail"]; me: Me }) {
  const rel = mail.releases ?? [];
  const learns = mail.learns ?? [];
  const lastOk = [...learns].reverse().find((l) => l.ok && l.as === mail.learned_as);
  return (
    <>
      <section class="card" aria-labelledby="s-releases">
        <h2 id="s-releases">{t.release.history}</h2>
        {rel.length === 0 ? <Empty>{t.release.none}</Empty> : (
          <div class="table-wrap"><table class="releases">
            <thead><tr><th scope="col">{t.release.at}</th><th scope="col">{t.release.by}</th><th scope="col">{t.release.to}</th>
              <th scope="col">{t.release.mode}</th><th scope="col">{t.release.result}</th></tr></thead>
            <tbody>{rel.map((r, i) => (
              <tr key={i}><td class="nowrap">{formatTime(r.at)}</td><td>{r.by}</td><td>{r.to}</td>
                <td>{t.release.modes[r.mode] ?? r.mode}</td>
                <td>{r.ok ? t.release.ok : t.release.notOk}{r.result ? ` (${r.result})` : ""}</td></tr>
            ))}</tbody>
          </table></div>
        )}
      </section>
      {me.is_admin && (
        <section class="card" aria-labelledby="s-learn">
          <h2 id="s-learn">{t.learn.title}</h2>
          <p class="learned-state">{mail.learned_as && lastOk
            ? t.learn.state(mail.learned_as, lastOk.by, formatTime(lastOk.at)) : t.learn.notLearned}</p>
          {learns.length > 0 && (
            <div class="table-wrap"><table class="learns">
              <thead><tr><th scope="col">{t.release.at}</th><th scope="col">{t.release.by}</th><th scope="col">{t.learn.as}</th>
                <th scope="col">{t.learn.node}</th><th scope="col">{t.release.result}</th><th scope="col">{t.learn.fuzzy}</th></tr></thead>
              <tbody>{learns.map((l, i) => (
                <tr key={i}><td class="nowrap">{formatTime(l.at)}</td><td>{l.by}</td><td>{l.as}</td><td>{l.node}</td>
                  <td>{l.result}</td>
                  <td>{l.fuzzy ? `${t.learn.fuzzyStatus[l.fuzzy.status] ?? l.fuzzy.status}${l.fuzzy.message ? ` (${l.fuzzy.message})` : ""}` : ""}</td></tr>
              ))}</tbody>
            </table></div>
          )}
        </section>
      )}
    </>
  );
}
