// One account, for administrators: edit its fields, its second factor and
// API tokens, delete it, or "log in as" it. A directory user's directory
// fields are shown locked: the server refuses them (409) anyway.
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { ErrorBox, Loading } from "../components";
import { t } from "../i18n";
import { api } from "../lib/api";
import { formatTime } from "../lib/format";
import { navigate } from "../lib/router";
import type { ApiToken, Me, UserDetail } from "../lib/types";
import { isDirectoryUser, userChanges, userForm, type UserForm } from "../lib/user_edit";

interface Props extends Pick<PageProps, "me" | "setMe"> {
  id: number;
  onChanged: (notice: string) => void;
  onClose: () => void;
}

export function UserEditor({ id, me, setMe, onChanged, onClose }: Props) {
  const [user, setUser] = useState<UserDetail | null>(null);
  const [form, setForm] = useState<UserForm | null>(null);
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [error, setError] = useState<unknown>(null);
  const m = t.manage;

  const loadTokens = () => api<{ items: ApiToken[] }>("GET", `/api/v1/users/${id}/tokens`)
    .then((r) => setTokens(r.items), setError);
  useEffect(() => {
    api<UserDetail>("GET", `/api/v1/users/${id}`).then((u) => { setUser(u); setForm(userForm(u)); }, setError);
    loadTokens();
  }, [id]);

  if (!user || !form) return error ? <ErrorBox error={error} /> : <Loading />;
  const locked = isDirectoryUser(user);
  const self = user.id === me.id;
  // Run an action; its failure is shown in the editor, in the server's words.
  const run = (f: () => Promise<void>) => f().then(() => setError(null), setError);
  const set = (k: keyof UserForm) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setForm({ ...form, [k]: el.type === "checkbox" ? el.checked : el.value });
  };

  const save = (e: Event) => {
    e.preventDefault();
    const changes = userChanges(user, form);
    if (Object.keys(changes).length === 0) { onChanged(m.noChange); return; }
    run(async () => {
      const u = await api<UserDetail>("PATCH", `/api/v1/users/${id}`, changes);
      setUser(u);
      setForm(userForm(u));
      onChanged(m.saved(u.username));
    });
  };
  const remove = () => {
    if (!confirm(t.users.confirmDelete(user.username))) return;
    run(async () => {
      await api("DELETE", `/api/v1/users/${id}`);
      onChanged(m.deleted(user.username));
      onClose();
    });
  };
  const resetTotp = () => {
    if (!confirm(m.confirmTotpReset(user.username))) return;
    run(async () => {
      await api("DELETE", `/api/v1/users/${id}/totp`);
      setUser({ ...user, totp_enabled: false });
      onChanged(m.totpWasReset(user.username));
    });
  };
  const revoke = (tok: ApiToken) => {
    if (!confirm(m.confirmTokenRevoke(tok.name))) return;
    run(async () => { await api("DELETE", `/api/v1/users/${id}/tokens/${tok.id}`); await loadTokens(); });
  };
  const loginAs = () => {
    if (!confirm(m.confirmLoginAs(user.username))) return;
    run(async () => {
      setMe(await api<Me>("POST", `/api/v1/users/${id}/login-as`));
      navigate("/today");
    });
  };
  const field = (k: "username" | "email" | "first_name" | "last_name", label: string, type = "text") => (
    <label>{label}<input type={type} value={form[k]} disabled={locked} maxLength={k === "email" ? 320 : 128}
                         required={k === "username" || k === "email"} onInput={set(k)} /></label>
  );

  return (
    <section class="card editor" aria-labelledby="s-edit-user">
      <div class="row spread">
        <h2 id="s-edit-user">{m.editUser(user.username)}</h2>
        <button type="button" class="ghost" onClick={onClose}>{m.close}</button>
      </div>
      <ErrorBox error={error} />
      {locked && <p class="muted">{m.directoryLocked(user.provider)}</p>}
      <form onSubmit={save}>
        <div class="row">
          {field("username", t.users.username)}
          {field("email", t.users.email, "email")}
          {field("first_name", m.firstName)}
          {field("last_name", m.lastName)}
        </div>
        <div class="row">
          <label>{t.users.adminDomains}<input value={form.admin_domains} onInput={set("admin_domains")} /></label>
          {!locked && <label>{m.newPassword}<input type="password" minLength={8} maxLength={1024}
                              autocomplete="new-password" value={form.password} onInput={set("password")} /></label>}
        </div>
        <div class="row">
          <label class="check"><input type="checkbox" checked={form.is_admin} disabled={locked || self}
                                      onChange={set("is_admin")} />{t.users.admin}</label>
          <label class="check"><input type="checkbox" checked={form.notifications_disabled}
                                      onChange={set("notifications_disabled")} />{m.notificationsOff}</label>
        </div>
        <div class="row">
          <button type="submit">{t.save}</button>
          {!self && !user.is_admin && <button type="button" class="secondary" onClick={loginAs}>{m.loginAs}</button>}
          {!self && <button type="button" class="danger" onClick={remove}>{t.delete}</button>}
        </div>
      </form>
      <h3>{m.totp}</h3>
      <p>
        <span>{user.totp_enabled ? m.totpOn : m.totpOff}</span>{" "}
        {user.totp_enabled && <button type="button" class="secondary" onClick={resetTotp}>{m.totpReset}</button>}
      </p>
      <h3>{m.aliases}</h3>
      {user.aliases.length === 0 ? <p class="muted">{m.noAliases}</p> : (
        <ul class="plain">{user.aliases.map((a) => <li key={a.id}>{a.alias}</li>)}</ul>
      )}
      <h3>{m.tokens}</h3>
      {tokens.length === 0 ? <p class="muted">{t.profile.tokenNone}</p> : (
        <div class="table-wrap"><table class="tokens">
          <thead><tr><th scope="col">{t.profile.tokenName}</th><th scope="col">{t.profile.lastUsed}</th>
            <th scope="col">{t.profile.expires}</th><th scope="col"><span class="sr-only">{m.tokenRevoke}</span></th></tr></thead>
          <tbody>{tokens.map((tok) => (
            <tr key={tok.id}><td>{tok.name} <code>{tok.prefix}…</code></td>
              <td>{tok.last_used_at ? formatTime(tok.last_used_at) : m.never}</td>
              <td>{tok.expires_at ? formatTime(tok.expires_at) : m.never}</td>
              <td><button type="button" class="ghost danger" onClick={() => revoke(tok)}>{m.tokenRevoke}</button></td></tr>
          ))}</tbody>
        </table></div>
      )}
    </section>
  );
}
