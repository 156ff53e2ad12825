// One mail: summary, symbols, headers, relays, the message (text, or HTML
// in a sandboxed frame with remote content blocked until asked for),
// attachments, and actions.
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api } from "../lib/api";
import { actionLabel, formatSize, formatTime, rowClass, scoreClass, sortSymbols } from "../lib/format";
import { mapPageUrl, quickMapLinks } from "../lib/release";
import type { MailBody, MailDetail, Me } from "../lib/types";
import { LearnAction, ReleaseAction, ReleaseHistory } from "./release";

export interface DetailActionProps { mail: MailDetail; me: Me; reload: () => void; notify: (s: string) => void }

// Buttons under a mail. Other features (release, learn) add theirs here.
export const DETAIL_ACTIONS: { key: string; component: FunctionComponent<DetailActionProps> }[] = [
  { key: "delete", component: DeleteAction },
  { key: "learn", component: LearnAction },
  { key: "release", component: ReleaseAction },
];

function DeleteAction({ mail, reload, notify }: DetailActionProps) {
  if (!mail.stored || mail.purged) return null;
  const del = async () => {
    if (!confirm(t.detail.confirmDelete)) return;
    try {
      await api("DELETE", `/api/v1/mails/${mail.id}`);
      notify(t.detail.deleted);
      reload();
    } catch (e) {
      notify(String((e as Error).message || t.errors.forbidden));
    }
  };
  return <button type="button" class="danger" onClick={del}>{t.detail.delete}</button>;
}

export function MailPage({ params, me }: PageProps) {
  const id = Number(params.get("id"));
  const valid = Number.isInteger(id) && id > 0;
  const [mail, setMail] = useState<MailDetail | null>(null);
  const [body, setBody] = useState<MailBody | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [remote, setRemote] = useState(false);

  const load = async () => {
    if (!valid) return;
    try {
      const m = await api<MailDetail>("GET", `/api/v1/mails/${id}`);
      setMail(m);
      setError(null);
      if (m.content_available) {
        api<MailBody>("GET", `/api/v1/mails/${id}/body`).then(setBody, () => setBody(null));
      } else {
        setBody(null);
      }
      // Host names are looked up in the background: ask once more shortly.
      if ([m.sender, ...m.relays].some((h) => h && h.rdns === null)) {
        setTimeout(() => api<MailDetail>("GET", `/api/v1/mails/${id}`).then(setMail, () => {}), 800);
      }
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => { load(); }, [id]);

  if (!valid) return <Empty>{t.errors.notFound}</Empty>;
  if (error) return <><h1>{t.detail.title(id)}</h1><ErrorBox error={error} onRetry={load} /></>;
  if (!mail) return <Loading />;
  const f = t.detail.fields;
  const summary: [string, string][] = [
    [f.received, formatTime(mail.received_at)],
    [f.qid, mail.qid],
    [f.server, mail.server],
    [f.from, mail.mail_from],
    [f.to, mail.rcpt_to.join(", ")],
    [f.mimeFrom, mail.mime_from],
    [f.subject, mail.subject],
    [f.score, mail.score.toFixed(2)],
    [f.action, actionLabel(mail.action)],
    [f.ip, `${mail.ip}${mail.country ? ` (${mail.country})` : ""}`],
    [f.size, formatSize(mail.size)],
    [f.virus, mail.has_virus ? mail.virus || t.yes : t.no],
    [f.stored, mail.stored ? t.yes : t.no],
    [f.purged, mail.purged ? t.yes : t.no],
    [f.messageId, mail.message_id],
    [f.scanTime, mail.scan_time_ms >= 0 ? `${mail.scan_time_ms} ms` : ""],
  ];
  const relays = [...(mail.sender ? [mail.sender] : []), ...mail.relays];
  return (
    <article class="detail">
      <p><a href="/mails" onClick={(e) => { if (history.length > 1) { e.preventDefault(); history.back(); } }}>{t.detail.back}</a></p>
      <h1 class={rowClass(mail)}>{mail.subject || t.list.noSubject}</h1>
      <Notice text={notice} />
      <div class="row actions">
        {DETAIL_ACTIONS.map(({ key, component: A }) => <A key={key} mail={mail} me={me} reload={load} notify={setNotice} />)}
        {mail.content_available && <a class="button secondary" href={`/api/v1/mails/${id}/raw`} download>{t.detail.raw}</a>}
      </div>
      <section class="card" aria-labelledby="s-summary">
        <h2 id="s-summary">{t.detail.summary}</h2>
        <dl class="summary">
          {summary.filter(([, v]) => v !== "").map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
        </dl>
      </section>
      <ReleaseHistory mail={mail} me={me} />
      <QuickMaps mail={mail} me={me} />
      <section class="card" aria-labelledby="s-viewer">
        <h2 id="s-viewer">{t.detail.viewer}</h2>
        {!mail.content_available ? <Empty>{t.detail.notKept}</Empty> : !body ? <Loading /> : (
          <Viewer id={id} body={body} remote={remote} setRemote={setRemote} />
        )}
      </section>
      <section class="card" aria-labelledby="s-symbols">
        <h2 id="s-symbols">{t.detail.symbols}</h2>
        {mail.symbols.length === 0 ? <Empty>{t.none}</Empty> : (
          <div class="table-wrap"><table class="symbols">
            <thead><tr><th scope="col">{t.detail.symbolName}</th><th scope="col" class="num">{t.detail.symbolScore}</th>
              <th scope="col">{t.detail.symbolGroup}</th><th scope="col">{t.detail.symbolOptions}</th></tr></thead>
            <tbody>
              {sortSymbols(mail.symbols).map((s) => (
                <tr key={s.name} class={scoreClass(s.score)}>
                  <td>{s.name}</td><td class="num">{s.score.toFixed(2)}</td><td>{s.group ?? ""}</td>
                  <td class="options">{(s.options ?? []).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </section>
      <section class="card" aria-labelledby="s-relays">
        <h2 id="s-relays">{t.detail.relays}</h2>
        {relays.length === 0 ? <Empty>{t.none}</Empty> : (
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">{t.detail.relayIp}</th><th scope="col">{t.detail.relayHost}</th><th scope="col">{t.detail.relayCountry}</th></tr></thead>
            <tbody>
              {relays.map((h, i) => (
                <tr key={i}><td>{h.ip}</td>
                  <td>{h.rdns === null ? t.detail.resolving : h.rdns || t.detail.noHost}</td><td>{h.country}</td></tr>
              ))}
            </tbody>
          </table></div>
        )}
      </section>
      <section class="card" aria-labelledby="s-headers">
        <h2 id="s-headers">{t.detail.headers}</h2>
        {mail.headers.length === 0 ? <Empty>{t.none}</Empty> : (
          <dl class="headers">
            {mail.headers.map((h, i) => <div key={i}><dt>{h.name}</dt><dd>{h.value}</dd></div>)}
          </dl>
        )}
      </section>
    </article>
  );
}

function Viewer({ id, body, remote, setRemote }: { id: number; body: MailBody; remote: boolean; setRemote: (b: boolean) => void }) {
  const [tab, setTab] = useState<"html" | "text">(body.html ? "html" : "text");
  return (
    <>
      {body.html && body.text !== null && (
        <div class="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === "html"} onClick={() => setTab("html")}>{t.detail.html}</button>
          <button type="button" role="tab" aria-selected={tab === "text"} onClick={() => setTab("text")}>{t.detail.text}</button>
        </div>
      )}
      {tab === "html" && body.html ? (
        <>
          {body.remote_content && !remote && (
            <p class="notice">{t.detail.remoteBlocked}{" "}
              <button type="button" class="secondary" onClick={() => setRemote(true)}>{t.detail.loadRemote}</button>
            </p>
          )}
          {/* sandbox="": no scripts, no forms, an opaque origin; the server adds its own CSP. */}
          <iframe class="mail-html" title={t.detail.html} sandbox=""
                  referrerpolicy="no-referrer" src={`/api/v1/mails/${id}/html${remote ? "?remote=1" : ""}`} />
        </>
      ) : body.text !== null ? (
        <pre class="mail-text">{body.text}</pre>
      ) : <Empty>{t.detail.noBody}</Empty>}
      {(body.text_truncated || body.html_truncated) && <p class="muted">{t.detail.truncated}</p>}
      {body.attachments.length > 0 && (
        <>
          <h3>{t.detail.attachments}</h3>
          <ul class="attachments">
            {body.attachments.map((a) => (
              <li key={a.index}>
                <a href={`/api/v1/mails/${id}/attachments/${a.index}`} download>{a.filename || `#${a.index}`}</a>
                <span class="muted"> {a.content_type}, {formatSize(a.size)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

// Shortcuts to the map pages with the add box filled in.
function QuickMaps({ mail, me }: { mail: MailDetail; me: Me }) {
  const links = quickMapLinks(mail, me);
  if (links.length === 0) return null;
  const q = t.quickMap;
  const label = (what: string, rcpt?: string) =>
    what === "senderRcpt" ? q.senderRcpt(rcpt ?? "") : (q as unknown as Record<string, string>)[what];
  return (
    <section class="card" aria-labelledby="s-quickmap">
      <h2 id="s-quickmap">{q.title}</h2>
      <ul class="quick-maps">
        {links.map((l) => (
          <li key={`${l.what}${l.rcpt ?? ""}`}>
            <span>{label(l.what, l.rcpt)}: <code>{l.line}</code></span>{" "}
            <a href={mapPageUrl(l.allow, l.line)} aria-label={`${q.allow}: ${label(l.what, l.rcpt)}`}>{q.allow}</a>{" · "}
            <a href={mapPageUrl(l.block, l.line)} aria-label={`${q.block}: ${label(l.what, l.rcpt)}`}>{q.block}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
