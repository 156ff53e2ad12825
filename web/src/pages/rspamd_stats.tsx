// What each Rspamd controller says about itself (administrators): the
// server asks them in the background; a node that did not answer keeps its
// last numbers and is shown as not answering.
import { useEffect, useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api } from "../lib/api";
import { actionLabel, formatDuration, formatTime } from "../lib/format";
import type { RspamdNode } from "../lib/types";

export function RspamdNodes({ nodes }: { nodes: RspamdNode[] }) {
  const r = t.rspamd;
  if (nodes.length === 0) return <Empty>{r.none}</Empty>;
  return (
    <div class="table-wrap"><table class="rspamd-nodes">
      <thead><tr><th scope="col">{r.node}</th><th scope="col">{r.version}</th><th scope="col">{r.uptime}</th>
        <th scope="col" class="num">{r.scanned}</th><th scope="col" class="num">{r.learned}</th>
        <th scope="col">{r.actions}</th><th scope="col">{r.fetched}</th></tr></thead>
      <tbody>{nodes.map((n) => (
        <tr key={n.node} class={n.ok ? "" : "node-down"}>
          <th scope="row">{n.node}{!n.ok && (!n.error && !n.fetched_at
            ? <div class="muted">{r.pending}</div> : <div class="field-error">{r.down(n.error || t.errors.network)}</div>)}</th>
          <td>{n.version ?? ""}</td>
          <td>{n.uptime !== undefined && n.fetched_at ? formatDuration(n.uptime) : ""}</td>
          <td class="num">{n.fetched_at ? n.scanned ?? "" : ""}</td>
          <td class="num">{n.fetched_at ? n.learned ?? "" : ""}</td>
          <td>{Object.entries(n.actions ?? {}).filter(([, c]) => c > 0)
            .map(([a, c]) => `${actionLabel(a)}: ${c}`).join(", ")}</td>
          <td class="nowrap">{n.fetched_at ? formatTime(n.fetched_at) : t.maps.never}</td>
        </tr>
      ))}</tbody>
    </table></div>
  );
}

export function RspamdPanel() {
  const [nodes, setNodes] = useState<RspamdNode[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ nodes: RspamdNode[] }>("GET", "/api/v1/rspamd/stats").then((r) => setNodes(r.nodes), setError);
  }, []);
  return (
    <section class="card" aria-labelledby="s-rspamd">
      <h2 id="s-rspamd">{t.rspamd.title}</h2>
      <ErrorBox error={error} />
      {nodes ? <RspamdNodes nodes={nodes} /> : error ? null : <Loading />}
    </section>
  );
}
