// The list of mails: one MailWatch-coloured row per mail, with a checkbox.
import { Fragment } from "preact";
import { t } from "../i18n";
import { actionLabel, ACTION_CLASSES, formatSize, formatTime, rowClass } from "../lib/format";
import type { Mail } from "../lib/types";

interface Props {
  mails: Mail[];
  selected: Set<number>;
  onToggle: (id: number) => void;
  onToggleAll: () => void;
}

export function MailTable({ mails, selected, onToggle, onToggleAll }: Props) {
  const all = mails.length > 0 && mails.every((m) => selected.has(m.id));
  const c = t.list.columns;
  return (
    <div class="table-wrap">
      <table class="mails">
        <thead>
          <tr>
            <th scope="col"><input type="checkbox" aria-label={t.list.selectAll} checked={all} onChange={onToggleAll} /></th>
            <th scope="col">{c.time}</th>
            <th scope="col">{c.from}</th>
            <th scope="col">{c.to}</th>
            <th scope="col">{c.subject}</th>
            <th scope="col" class="num">{c.score}</th>
            <th scope="col">{c.action}</th>
            <th scope="col" class="num hide-sm">{c.size}</th>
            <th scope="col" class="hide-sm">{c.country}</th>
          </tr>
        </thead>
        <tbody>
          {mails.map((m) => (
            <tr key={m.id} class={rowClass(m)} data-id={m.id}>
              <td><input type="checkbox" aria-label={t.list.selectRow(m.id)} checked={selected.has(m.id)}
                         onChange={() => onToggle(m.id)} /></td>
              <td class="nowrap">{formatTime(m.received_at)}</td>
              <td class="addr"><Address text={m.mail_from} /></td>
              <td class="addr"><Address text={m.rcpt_to.join(", ")} /></td>
              <td class="subject"><a href={`/mail?id=${m.id}`}>{m.subject || t.list.noSubject}</a></td>
              <td class="num">{m.score.toFixed(2)}</td>
              <td>{m.has_virus ? actionLabel("virus") : actionLabel(m.action)}</td>
              <td class="num hide-sm">{formatSize(m.size)}</td>
              <td class="hide-sm">{m.country}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// An address list that wraps after "@" and ", " rather than inside a word
// ("sender@example.or|g"): a line breaks at these first; `overflow-wrap:
// anywhere` (styles.css) only cuts a part longer than the column, and lets
// the column shrink on a phone.
function Address({ text }: { text: string }) {
  return <>{text.split(/(?<=[@ ])/).map((part, i) => <Fragment key={i}>{i > 0 && <wbr />}{part}</Fragment>)}</>;
}

export function Legend() {
  // One entry per colour, naming every action that has it.
  const byClass = new Map<string, string[]>();
  for (const [a, cls] of ACTION_CLASSES) byClass.set(cls, [...(byClass.get(cls) ?? []), actionLabel(a)]);
  return (
    <section class="legend" aria-label={t.list.legend}>
      <h2 class="sr-only">{t.list.legend}</h2>
      <ul>
        {[...byClass].map(([cls, labels]) => <li key={cls} class={cls}>{labels.join(" · ")}</li>)}
      </ul>
    </section>
  );
}
