// Aliases (administrators): list, add to a user, delete.
import { useEffect, useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { formatTime } from "../lib/format";
import type { Alias, Page } from "../lib/types";

export function AliasesPage() {
  const [aliases, setAliases] = useState<Alias[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [userId, setUserId] = useState("");
  const [alias, setAlias] = useState("");
  const load = () => api<Page<Alias>>("GET", `/api/v1/aliases${query([["limit", 200]])}`)
    .then((p) => { setAliases(p.items); setError(null); }, setError);
  useEffect(() => { load(); }, []);
  const add = async (e: Event) => {
    e.preventDefault();
    try { await api("POST", `/api/v1/users/${Number(userId)}/aliases`, { alias: alias.trim() }); setAlias(""); load(); }
    catch (err) { setError(err); }
  };
  const remove = async (a: Alias) => {
    try { await api("DELETE", `/api/v1/aliases/${a.id}`); load(); } catch (err) { setError(err); }
  };
  return (
    <>
      <h1>{t.aliases.title}</h1>
      <ErrorBox error={error} />
      {aliases === null ? <Loading /> : aliases.length === 0 ? <Empty>{t.aliases.empty}</Empty> : (
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">{t.aliases.alias}</th><th scope="col">{t.aliases.user}</th><th scope="col" class="hide-sm"></th><th scope="col"></th></tr></thead>
          <tbody>
            {aliases.map((a) => (
              <tr key={a.id}><td>{a.alias}</td><td>{a.user_id}</td><td class="hide-sm">{formatTime(a.created_at)}</td>
                <td><button type="button" class="ghost danger" onClick={() => remove(a)}>{t.delete}</button></td></tr>
            ))}
          </tbody>
        </table></div>
      )}
      <form class="card" onSubmit={add}>
        <label>{t.aliases.addFor}<input required inputMode="numeric" pattern="[0-9]+" value={userId} onInput={(e) => setUserId((e.target as HTMLInputElement).value)} /></label>
        <label>{t.aliases.alias}<input required type="email" value={alias} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">{t.add}</button>
      </form>
    </>
  );
}
