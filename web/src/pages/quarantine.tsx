// Days with quarantined mail, newest first; each opens that day's list.
import { useEffect, useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api } from "../lib/api";

export function QuarantinePage() {
  const [days, setDays] = useState<{ day: string; count: number }[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => api<{ items: { day: string; count: number }[] }>("GET", "/api/v1/quarantine/days?limit=100")
    .then((r) => { setDays(r.items); setError(null); }, setError);
  useEffect(() => { load(); }, []);
  return (
    <>
      <h1>{t.quarantine.title}</h1>
      <ErrorBox error={error} onRetry={load} />
      {days === null ? (error ? null : <Loading />) : days.length === 0 ? <Empty>{t.quarantine.empty}</Empty> : (
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">{t.quarantine.day}</th><th scope="col" class="num">{t.quarantine.count}</th></tr></thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td><a href={`/day?d=${d.day}&filter=stored:eq:1`}>{d.day}</a></td>
                <td class="num">{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </>
  );
}
