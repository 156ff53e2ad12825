// Aliases (administrators): search, add to a user, edit in place, delete.
// The owners' names come from the users list (the alias API gives ids).
import { useEffect, useState } from "preact/hooks";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { formatTime } from "../lib/format";
import type { Alias, Page, User } from "../lib/types";

export function AliasesPage() {
  const [aliases, setAliases] = useState<Alias[] | null>(null);
  const [users, setUsers] = useState<Map<number, User>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [contains, setContains] = useState("");
  const [userId, setUserId] = useState("");
  const [alias, setAlias] = useState("");
  const [editing, setEditing] = useState<{ id: number; value: string } | null>(null);
  const m = t.manage;

  const load = () => api<Page<Alias>>("GET", `/api/v1/aliases${query([["contains", contains.trim()], ["limit", 200]])}`)
    .then((p) => { setAliases(p.items); setError(null); }, setError);
  useEffect(() => {
    load();
    api<Page<User>>("GET", `/api/v1/users${query([["limit", 1000]])}`)
      .then((p) => setUsers(new Map(p.items.map((u) => [u.id, u]))), setError);
  }, []);
  // Run a change; say what happened, or why not in the server's words.
  const run = async (f: () => Promise<string>) => {
    try { setNotice(await f()); setError(null); load(); } catch (err) { setNotice(""); setError(err); }
  };
  const add = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const a = await api<Alias>("POST", `/api/v1/users/${Number(userId)}/aliases`, { alias: alias.trim() });
      setAlias("");
      return m.aliasAdded(a.alias);
    });
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    run(async () => {
      const a = await api<Alias>("PATCH", `/api/v1/aliases/${editing.id}`, { alias: editing.value.trim() });
      setEditing(null);
      return m.aliasSaved(a.alias);
    });
  };
  const remove = (a: Alias) => {
    if (!confirm(m.confirmAliasDelete(a.alias))) return;
    run(async () => { await api("DELETE", `/api/v1/aliases/${a.id}`); return m.aliasDeleted(a.alias); });
  };
  const owner = (id: number) => users.get(id);
  const sorted = [...users.values()].sort((a, b) => a.username.localeCompare(b.username));
  return (
    <>
      <h1>{t.aliases.title}</h1>
      <Notice text={notice} />
      <ErrorBox error={error} />
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); load(); }}>
        <label>{m.aliasSearch}<input type="search" value={contains} maxLength={256}
                                     onInput={(e) => setContains(e.currentTarget.value)} /></label>
        <button type="submit" class="secondary">{t.users.search}</button>
      </form>
      {aliases === null ? (error ? null : <Loading />) : aliases.length === 0 ? <Empty>{t.aliases.empty}</Empty> : (
        <form onSubmit={save}><div class="table-wrap"><table class="aliases">
          <thead><tr><th scope="col">{t.aliases.alias}</th><th scope="col">{m.aliasOwner}</th>
            <th scope="col" class="hide-sm">{t.users.email}</th><th scope="col" class="hide-sm">{m.created}</th>
            <th scope="col" class="hide-sm">{m.modified}</th><th scope="col"><span class="sr-only">{m.edit}</span></th></tr></thead>
          <tbody>
            {aliases.map((a) => (
              <tr key={a.id}>
                <td class="addr">{editing?.id === a.id
                  ? <input class="inline-edit" type="email" required aria-label={m.aliasEdit(a.alias)} value={editing.value}
                           onInput={(e) => setEditing({ id: a.id, value: e.currentTarget.value })} />
                  : a.alias}</td>
                <td>{owner(a.user_id) ? <a href={`/users?id=${a.user_id}`}>{owner(a.user_id)!.username}</a> : a.user_id}</td>
                <td class="addr hide-sm">{owner(a.user_id)?.email ?? ""}</td>
                <td class="hide-sm nowrap">{formatTime(a.created_at)}</td>
                <td class="hide-sm nowrap">{formatTime(a.updated_at)}</td>
                {/* Keyed apart: Preact re-renders in a microtask, before the
                    click's default action, so a reused Edit button turned
                    Save would submit the form it has just opened. */}
                <td class="actions">{editing?.id === a.id ? (
                  <><button key="save" type="submit">{t.save}</button>
                    <button key="cancel" type="button" class="ghost" onClick={() => setEditing(null)}>{t.cancel}</button></>
                ) : (
                  <><button key="edit" type="button" class="secondary" aria-label={m.aliasEdit(a.alias)}
                            onClick={() => setEditing({ id: a.id, value: a.alias })}>{m.edit}</button>
                    <button key="delete" type="button" class="ghost danger" onClick={() => remove(a)}>{t.delete}</button></>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table></div></form>
      )}
      <form class="card" onSubmit={add}>
        <h2>{t.add}</h2>
        <label>{m.aliasOwner}
          <select required value={userId} onChange={(e) => setUserId(e.currentTarget.value)}>
            <option value="">{m.chooseUser}</option>
            {sorted.map((u) => <option key={u.id} value={u.id}>{u.username} ({u.email})</option>)}
          </select></label>
        <label>{t.aliases.alias}<input required type="email" value={alias} onInput={(e) => setAlias(e.currentTarget.value)} /></label>
        <button type="submit">{t.add}</button>
      </form>
    </>
  );
}
