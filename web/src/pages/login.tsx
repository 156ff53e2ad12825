// Password login (local or LDAP), the TOTP step, and SSO when configured.
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { api, ApiError, errorText } from "../lib/api";
import type { Me } from "../lib/types";

export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const [oidc, setOidc] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(() => {
    const code = new URLSearchParams(location.search).get("login_error");
    return code ? t.login.oidcError(code.replace(/[^a-z_]/g, "").slice(0, 32)) : "";
  });
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api<{ oidc: boolean }>("GET", "/api/v1/auth/methods", undefined, { quiet401: true })
      .then((m) => setOidc(!!m.oidc), () => setOidc(false));
  }, []);
  useEffect(() => { if (needTotp) totpRef.current?.focus(); }, [needTotp]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage("");
    try {
      const body: Record<string, string> = { username: username.trim(), password };
      if (needTotp) body.totp = totp.trim();
      const me = await api<Me>("POST", "/api/v1/session", body, { quiet401: true });
      onLogin(me);
    } catch (err) {
      if (err instanceof ApiError && err.code === "totp_required") {
        setNeedTotp(true);
        setMessage(t.login.totpHint);
      } else if (err instanceof ApiError && err.code === "totp_invalid") {
        setTotp("");
        setMessage(t.login.totpInvalid);
      } else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        setMessage(t.login.failed);
      } else {
        setMessage(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };
  const returnTo = location.pathname.length > 1 && location.pathname !== "/login" ? location.pathname : "/today";
  return (
    <main id="main" class="login">
      <h1>{t.appName}</h1>
      <form onSubmit={submit} class="card" aria-labelledby="login-title">
        <h2 id="login-title">{t.login.title}</h2>
        {message && <p class="error" role="alert">{message}</p>}
        <label>{t.login.username}
          <input name="username" autocomplete="username" required maxLength={128} value={username}
                 onInput={(e) => setUsername((e.target as HTMLInputElement).value)} disabled={needTotp} />
        </label>
        <label>{t.login.password}
          <input name="password" type="password" autocomplete="current-password" required maxLength={1024}
                 value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
                 disabled={needTotp} />
        </label>
        {needTotp && (
          <label>{t.login.totp}
            <input ref={totpRef} name="totp" inputMode="numeric" autocomplete="one-time-code" required
                   maxLength={16} value={totp} onInput={(e) => setTotp((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <button type="submit" disabled={busy}>{t.login.submit}</button>
        {oidc && (
          <a class="button secondary" href={`/api/v1/session/oidc/start?return_to=${encodeURIComponent(returnTo)}`}>
            {t.login.sso}
          </a>
        )}
      </form>
    </main>
  );
}
