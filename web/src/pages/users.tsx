// Accounts (administrators): search, add, delete, reset TOTP.
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Loading, Notice } from "../components";
import { t } from "../i18n";
import { api, query } from "../lib/api";
import { formatTime } from "../lib/format";
import type { Page, User } from "../lib/types";

export function UsersPage({ me }: PageProps) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [contains, setContains] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [form, setForm] = useState({ username: "", email: "", password: "", is_admin: false, admin_domains: "" });

  const load = () => api<Page<User>>("GET", `/api/v1/users${query([["contains", contains], ["limit", 200]])}`)
    .then((p) => { setUsers(p.items); setError(null); }, setError);
  useEffect(() => { load(); }, []);

  const add = async (e: Event) => {
    e.preventDefault();
    try {
      const domains = form.admin_domains.split(",").map((d) => d.trim()).filter(Boolean);
      await api("POST", "/api/v1/users", { username: form.username.trim(), email: form.email.trim(),
        password: form.password, is_admin: form.is_admin, admin_domains: domains });
      setForm({ username: "", email: "", password: "", is_admin: false, admin_domains: "" });
      setNotice(t.users.created);
      load();
    } catch (err) { setError(err); }
  };
  const remove = async (u: User) => {
    if (!confirm(t.users.confirmDelete(u.username))) return;
    try { await api("DELETE", `/api/v1/users/${u.id}`); load(); } catch (err) { setError(err); }
  };
  const set = (k: string) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setForm({ ...form, [k]: el.type === "checkbox" ? el.checked : el.value });
  };
  return (
    <>
      <h1>{t.users.title}</h1>
      <Notice text={notice} />
      <ErrorBox error={error} />
      <form class="inline" onSubmit={(e) => { e.preventDefault(); load(); }}>
        <label>{t.users.search}<input value={contains} maxLength={256} onInput={(e) => setContains((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="secondary">{t.users.search}</button>
      </form>
      {users === null ? <Loading /> : users.length === 0 ? <Empty>{t.users.empty}</Empty> : (
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">{t.users.username}</th><th scope="col">{t.users.email}</th>
            <th scope="col">{t.users.admin}</th><th scope="col">{t.users.provider}</th>
            <th scope="col" class="hide-sm">{t.profile.lastUsed}</th><th scope="col"></th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}><td>{u.username}</td><td>{u.email}</td>
                <td>{u.is_admin ? t.yes : u.admin_domains.join(", ")}</td><td>{u.provider}{u.totp_enabled ? " + TOTP" : ""}</td>
                <td class="hide-sm">{formatTime(u.last_login)}</td>
                <td>{u.id !== me.id && <button type="button" class="ghost danger" onClick={() => remove(u)}>{t.delete}</button>}</td></tr>
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
