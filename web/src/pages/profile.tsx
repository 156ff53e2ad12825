// One's own account: names, notifications, password, TOTP, API tokens.
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Empty, ErrorBox, Notice } from "../components";
import { t } from "../i18n";
import { api, setCsrf } from "../lib/api";
import { formatTime } from "../lib/format";
import type { ApiToken, Me } from "../lib/types";
import { NotificationSettings } from "./profile_notifications";

const value = (e: Event) => (e.target as HTMLInputElement).value;

export function ProfilePage({ me, setMe }: PageProps) {
  const p = t.profile;
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [names, setNames] = useState({ first_name: me.first_name, last_name: me.last_name });
  const [pw, setPw] = useState({ current_password: "", new_password: "" });
  const [totpSecret, setTotpSecret] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState("");
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [tokenName, setTokenName] = useState("");
  const [tokenDays, setTokenDays] = useState("");
  const [newSecret, setNewSecret] = useState("");

  const loadTokens = () => api<{ items: ApiToken[] }>("GET", "/api/v1/profile/tokens").then((r) => setTokens(r.items), setError);
  const refreshMe = () => api<Me>("GET", "/api/v1/session").then(setMe, setError);
  useEffect(() => { loadTokens(); }, []);
  const run = (f: () => Promise<unknown>, done: string) => async (e: Event) => {
    e.preventDefault();
    setError(null);
    try { await f(); setNotice(done); } catch (err) { setError(err); setNotice(""); }
  };
  return (
    <>
      <h1>{p.title}</h1>
      <Notice text={notice} />
      <ErrorBox error={error} />
      <form class="card" onSubmit={run(async () => { await api("PATCH", "/api/v1/profile", names); await refreshMe(); }, p.saved)}>
        <h2>{p.account}</h2>
        <p>{me.username} · {me.provider}</p>
        <p>{p.addresses}: {me.addresses.join(", ")}</p>
        <label>{p.firstName}<input maxLength={128} value={names.first_name} onInput={(e) => setNames({ ...names, first_name: value(e) })} /></label>
        <label>{p.lastName}<input maxLength={128} value={names.last_name} onInput={(e) => setNames({ ...names, last_name: value(e) })} /></label>
        <button type="submit">{t.save}</button>
      </form>
      <NotificationSettings me={me} onError={setError}
                            onSaved={async (text) => { await refreshMe(); setNotice(text); }} />
      {me.provider === "local" && (
        <form class="card" onSubmit={run(async () => {
          const r = await api<{ csrf_token: string }>("POST", "/api/v1/profile/password", pw);
          setCsrf(r.csrf_token);
          setPw({ current_password: "", new_password: "" });
        }, p.passwordChanged)}>
          <h2>{p.password}</h2>
          <label>{p.currentPassword}<input type="password" required autocomplete="current-password" value={pw.current_password} onInput={(e) => setPw({ ...pw, current_password: value(e) })} /></label>
          <label>{p.newPassword}<input type="password" required minLength={8} maxLength={1024} autocomplete="new-password" value={pw.new_password} onInput={(e) => setPw({ ...pw, new_password: value(e) })} /></label>
          <button type="submit">{t.save}</button>
        </form>
      )}
      <section class="card">
        <h2>{p.totp}</h2>
        <p>{me.totp_enabled ? p.totpOn : p.totpOff}</p>
        {!me.totp_enabled && !totpSecret && (
          <button type="button" onClick={() => api<{ secret: string; uri: string }>("POST", "/api/v1/profile/totp").then(setTotpSecret, setError)}>{p.totpStart}</button>
        )}
        {totpSecret && (
          <form onSubmit={run(async () => { await api("POST", "/api/v1/profile/totp/confirm", { code: code.trim() }); setTotpSecret(null); setCode(""); await refreshMe(); }, p.totpOn)}>
            <p>{p.totpScan}</p>
            <code class="secret">{totpSecret.secret}</code>
            <label>{t.login.totp}<input inputMode="numeric" required maxLength={16} value={code} onInput={(e) => setCode(value(e))} /></label>
            <button type="submit">{p.totpConfirm}</button>
          </form>
        )}
        {me.totp_enabled && (
          <form onSubmit={run(async () => { await api("DELETE", "/api/v1/profile/totp", { code: code.trim() }); setCode(""); await refreshMe(); }, p.totpOff)}>
            <label>{t.login.totp}<input inputMode="numeric" required maxLength={16} value={code} onInput={(e) => setCode(value(e))} /></label>
            <button type="submit" class="danger">{p.totpDisable}</button>
          </form>
        )}
      </section>
      <section class="card">
        <h2>{p.tokens}</h2>
        {newSecret && <p class="notice" role="status">{p.tokenSecret} <code class="secret">{newSecret}</code></p>}
        {tokens === null ? null : tokens.length === 0 ? <Empty>{p.tokenNone}</Empty> : (
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">{p.tokenName}</th><th scope="col">Prefix</th><th scope="col">{p.lastUsed}</th><th scope="col">{p.expires}</th><th scope="col"></th></tr></thead>
            <tbody>
              {tokens.map((tk) => (
                <tr key={tk.id}><td>{tk.name}</td><td><code>{tk.prefix}</code></td><td>{formatTime(tk.last_used_at)}</td>
                  <td>{tk.expires_at ? formatTime(tk.expires_at) : p.never}</td>
                  <td><button type="button" class="ghost danger" onClick={() => api("DELETE", `/api/v1/profile/tokens/${tk.id}`).then(loadTokens, setError)}>{p.tokenRevoke}</button></td></tr>
              ))}
            </tbody>
          </table></div>
        )}
        <form onSubmit={run(async () => {
          const body: Record<string, unknown> = { name: tokenName.trim() };
          if (tokenDays.trim()) body.expires_in_days = Number(tokenDays);
          const r = await api<ApiToken>("POST", "/api/v1/profile/tokens", body);
          setNewSecret(r.token ?? "");
          setTokenName(""); setTokenDays("");
          await loadTokens();
        }, "")}>
          <label>{p.tokenName}<input required maxLength={100} value={tokenName} onInput={(e) => setTokenName(value(e))} /></label>
          <label>{p.tokenDays}<input inputMode="numeric" pattern="[0-9]*" value={tokenDays} onInput={(e) => setTokenDays(value(e))} /></label>
          <button type="submit">{p.tokenCreate}</button>
        </form>
      </section>
    </>
  );
}
