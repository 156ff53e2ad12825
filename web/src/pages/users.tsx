// Accounts (administrators): search, add; /users?id=N opens one account's
// editor (user_editor.tsx) above the list, so the browser's Back closes it.
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { formatTime } from "../lib/format";
import { navigate } from "../lib/router";
import type { Page, User } from "../lib/types";
import { parseDomains } from "../lib/user_edit";
import { UserEditor } from "./user_editor";

export function UsersPage({ me, params, setMe }: PageProps) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [contains, setContains] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [form, setForm] = useState({ username: "", email: "", password: "", is_admin: false, admin_domains: "" });
  const editing = Number(params.get("id")) || 0;
  const m = t.manage;

  const load = () => api<Page<User>>("GET", `/api/v1/users${query([["contains", contains.trim()], ["limit", 200]])}`)
    .then((p) => { setUsers(p.items); setError(null); }, setError);
  useEffect(() => { load(); }, []);

  const add = async (e: Event) => {
    e.preventDefault();
    try {
      await api("POST", "/api/v1/users", { username: form.username.trim(), email: form.email.trim(),
        password: form.password, is_admin: form.is_admin, admin_domains: parseDomains(form.admin_domains) });
      setForm({ username: "", email: "", password: "", is_admin: false, admin_domains: "" });
      setNotice(t.users.created);
      load();
    } catch (err) { setError(err); }
  };
  const set = (k: string) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setForm({ ...form, [k]: el.type === "checkbox" ? el.checked : el.value });
  };
  const changed = (text: string) => { setNotice(text); load(); };
  const names = (u: User) => [u.first_name, u.last_name].filter(Boolean).join(" ");
  return (
    <>
      <h1>{t.users.title}</h1>
      <Notice text={notice} />
      <ErrorBox error={error} onRetry={load} />
      {editing > 0 && (
        <UserEditor key={editing} id={editing} me={me} setMe={setMe} onChanged={changed}
                    onClose={() => navigate("/users")} />
      )}
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); load(); }}>
        <label>{t.users.search}<input type="search" value={contains} maxLength={256}
                                      onInput={(e) => setContains((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="secondary">{t.users.search}</button>
      </form>
      {users === null ? (error ? null : <Loading />) : users.length === 0 ? <Empty>{t.users.empty}</Empty> : (
        <div class="table-wrap"><table class="users">
          <thead><tr><th scope="col">{t.users.username}</th><th scope="col" class="hide-sm">{m.names}</th>
            <th scope="col">{t.users.email}</th><th scope="col">{t.users.admin}</th>
            <th scope="col" class="hide-sm">{t.users.provider}</th><th scope="col" class="hide-sm">{m.notifications}</th>
            <th scope="col" class="hide-sm">{t.profile.lastUsed}</th><th scope="col"><span class="sr-only">{m.edit}</span></th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} aria-current={u.id === editing ? "true" : undefined}>
                <td>{u.username}</td><td class="hide-sm">{names(u)}</td><td class="addr">{u.email}</td>
                <td>{u.is_admin ? t.yes : u.admin_domains.join(", ")}</td>
                <td class="hide-sm">{u.provider}{u.totp_enabled ? " + TOTP" : ""}</td>
                <td class="hide-sm">{u.notifications_disabled ? m.off : m.on}</td>
                <td class="hide-sm">{u.last_login ? formatTime(u.last_login) : m.never}</td>
                <td><a class="button secondary" href={`/users?id=${u.id}`} aria-label={m.editUser(u.username)}>{m.edit}</a></td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      <form class="card" onSubmit={add}>
        <h2>{t.add}</h2>
        <label>{t.users.username}<input required maxLength={128} value={form.username} onInput={set("username")} /></label>
        <label>{t.users.email}<input required type="email" value={form.email} onInput={set("email")} /></label>
        <label>{t.users.password}<input required type="password" minLength={8} maxLength={1024} autocomplete="new-password" value={form.password} onInput={set("password")} /></label>
        <label>{t.users.adminDomains}<input value={form.admin_domains} onInput={set("admin_domains")} /></label>
        <label class="check"><input type="checkbox" checked={form.is_admin} onChange={set("is_admin")} />{t.users.admin}</label>
        <button type="submit">{t.add}</button>
      </form>
    </>
  );
}
