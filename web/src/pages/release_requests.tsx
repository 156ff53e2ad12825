// Release requests: administrators see them all (pending first by default)
// and approve or refuse with a reason; users see their own and cancel.
import { useEffect, useState } from "preact/hooks";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api, query, reasonText } from "../lib/api";
import { formatTime } from "../lib/format";
import { canCancel, canDecide, cleanRequestText, MAX_REQUEST_TEXT, requestTextTooLong } from "../lib/release_requests";
import type { Me, ReleaseRequest, ReleaseRequestPage } from "../lib/types";
import type { PageProps } from "../app";

const STATES = ["pending", "approved", "refused", "cancelled", ""] as const;

function Decide({ r, onDone }: { r: ReleaseRequest; onDone: (msg: string) => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const s = t.releaseRequests;
  const act = async (verb: "approve" | "refuse") => {
    setBusy(true);
    try {
      await api("POST", `/api/v1/release-requests/${r.id}/${verb}`, verb === "refuse" && reason ? { reason } : {});
      onDone(verb === "approve" ? s.approved : s.refusedDone);
    } catch (e) {
      onDone(s.actionFailed(reasonText(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="decide">
      <button type="button" disabled={busy} onClick={() => act("approve")}>{s.approve}</button>
      <label>{s.reason}
        <textarea rows={2} maxLength={MAX_REQUEST_TEXT} value={reason}
                  onInput={(e) => setReason(cleanRequestText(e.currentTarget.value))} /></label>
      <button type="button" class="secondary" disabled={busy || requestTextTooLong(reason)}
              onClick={() => act("refuse")}>{s.refuse}</button>
    </div>
  );
}

export function RequestRow({ r, me, onDone }: { r: ReleaseRequest; me: Me; onDone: (msg: string) => void }) {
  const s = t.releaseRequests;
  const cancel = async () => {
    try {
      await api("POST", `/api/v1/release-requests/${r.id}/cancel`, {});
      onDone(s.cancelled);
    } catch (e) {
      onDone(s.actionFailed(reasonText(e)));
    }
  };
  return (
    <tr class={`request state-${r.state}`}>
      <td class="nowrap">{formatTime(r.created_at)}</td>
      {me.is_admin && <td>{r.requester}</td>}
      <td><a href={`/mail?id=${r.mail_id}`}>{r.subject || `#${r.mail_id}`}</a><br /><span class="muted">{r.mail_from}</span></td>
      <td>{r.recipients.join(", ")}</td>
      <td class="pre">{r.comment}</td>
      <td>{s.states[r.state] ?? r.state}
        {r.decided_at !== null && <><br /><span class="muted">{r.decided_by}, {formatTime(r.decided_at)}</span></>}
        {r.reason && <><br /><span class="pre">{r.reason}</span></>}</td>
      <td>
        {canDecide(r, me) && <Decide r={r} onDone={onDone} />}
        {canCancel(r, me) && <button type="button" class="secondary" onClick={cancel}>{s.cancel}</button>}
      </td>
    </tr>
  );
}

export function ReleaseRequestsPage({ me }: PageProps) {
  const [state, setState] = useState<string>(me.is_admin ? "pending" : "");
  const [page, setPage] = useState<ReleaseRequestPage | null>(null);
  const [items, setItems] = useState<ReleaseRequest[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const s = t.releaseRequests;
  const load = (before?: number | null) =>
    api<ReleaseRequestPage>("GET", `/api/v1/release-requests${query([["state", state || undefined], ["limit", 100], ["before", before ?? undefined]])}`)
      .then((p) => { setItems(before ? [...items, ...p.items] : p.items); setPage(p); setError(null); }, setError);
  useEffect(() => { load(); }, [state]);
  const done = (msg: string) => { setNotice(msg); load(); };
  return (
    <>
      <h1>{me.is_admin ? s.titleAdmin : s.titleUser}
        {me.is_admin && page?.pending_count ? <span class="badge">{s.badge(page.pending_count)}</span> : null}</h1>
      <ErrorBox error={error} onRetry={() => load()} />
      {notice && <Notice text={notice} />}
      <label>{s.filter}
        <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
          {STATES.map((x) => <option key={x} value={x}>{x ? s.states[x] : s.all}</option>)}
        </select></label>
      {page === null ? <Loading /> : items.length === 0 ? <Empty>{s.empty}</Empty> : (
        <div class="table-wrap"><table class="release-requests">
          <thead><tr><th scope="col">{s.at}</th>{me.is_admin && <th scope="col">{s.requester}</th>}
            <th scope="col">{s.mail}</th><th scope="col">{s.to}</th><th scope="col">{s.commentCol}</th>
            <th scope="col">{s.state}</th><th scope="col"><span class="sr-only">{s.decided}</span></th></tr></thead>
          <tbody>{items.map((r) => <RequestRow key={r.id} r={r} me={me} onDone={done} />)}</tbody>
        </table></div>
      )}
      {page?.next_before != null && <button type="button" class="secondary" onClick={() => load(page.next_before)}>{t.list.more}</button>}
    </>
  );
}
