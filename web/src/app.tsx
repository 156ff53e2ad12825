// The shell: who is logged in, the navigation, the page of the URL.
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n";
import { api, setCsrf, setUnauthorizedHandler } from "./lib/api";
import type { Me } from "./lib/types";
import { navigate, onLinkClick, useLocation } from "./lib/router";
import { currentTheme, nextTheme } from "./lib/theme";
import { navFor } from "./nav";
import { LoginPage } from "./pages/login";
import { MailListPage } from "./pages/mails";
import { MailPage } from "./pages/mail";
import { QuarantinePage } from "./pages/quarantine";
import { StatsPage } from "./pages/stats";
import { UsersPage } from "./pages/users";
import { AliasesPage } from "./pages/aliases";
import { AuditPage } from "./pages/audit";
import { ProfilePage } from "./pages/profile";
import { MapsPage } from "./pages/maps";
import { ReleaseRequestsPage } from "./pages/release_requests";
import { usePendingRequests } from "./lib/pending_requests";
import { Loading } from "./components";
import { ActingAsBanner } from "./acting_as";

export interface PageProps { me: Me; params: URLSearchParams; setMe: (m: Me) => void }

// Page name (the URL's single path segment) -> component. Other features
// plug their pages in here and in NAV (nav.ts).
export const PAGES: Record<string, { component: FunctionComponent<PageProps>; admin?: boolean }> = {
  mails: { component: (p) => <MailListPage {...p} mode="all" /> },
  today: { component: (p) => <MailListPage {...p} mode="today" /> },
  day: { component: (p) => <MailListPage {...p} mode="day" /> },
  mail: { component: MailPage },
  quarantine: { component: QuarantinePage, admin: true },
  stats: { component: StatsPage },
  users: { component: UsersPage, admin: true },
  aliases: { component: AliasesPage, admin: true },
  audit: { component: AuditPage, admin: true },
  // Not "maps": /maps/<name>.txt is where Rspamd reads the map files.
  "map-lists": { component: MapsPage },
  profile: { component: ProfilePage },
  "release-requests": { component: ReleaseRequestsPage },
};

export function App() {
  const [me, setMeState] = useState<Me | null | undefined>(undefined);
  const [theme, setTheme] = useState(currentTheme());
  const { page, params } = useLocation();
  const pending = usePendingRequests(me?.is_admin === true, page);

  const setMe = (m: Me | null) => {
    if (m) setCsrf(m.csrf_token);
    setMeState(m);
  };
  useEffect(() => {
    setUnauthorizedHandler(() => setMeState(null));
    api<Me>("GET", "/api/v1/session", undefined, { quiet401: true }).then(setMe, () => setMe(null));
    document.addEventListener("click", onLinkClick);
    return () => document.removeEventListener("click", onLinkClick);
  }, []);

  if (me === undefined) return <Loading />;
  if (me === null) {
    return <LoginPage onLogin={(m) => { setMe(m); if (page === "" || page === "login") navigate("/today", true); }} />;
  }
  const name = page === "" || page === "login" ? "today" : page;
  const entry = PAGES[name];
  const Page = entry && (!entry.admin || me.is_admin) ? entry.component : null;

  const logout = async () => {
    try { await api("DELETE", "/api/v1/session"); } catch { /* gone anyway */ }
    setMe(null);
    navigate("/", true);
  };
  return (
    <>
      <a class="skip" href="#main">{t.skipToContent}</a>
      <header class="top">
        <a class="brand" href="/today">{t.appName}</a>
        <nav aria-label="main">
          <ul>
            {navFor(me.is_admin).map((n) => (
              <li key={n.path}>
                <a href={n.path} aria-current={`/${name}` === n.path ? "page" : undefined}>{n.label}
                  {n.path === "/release-requests" && pending > 0 && (
                    <span class="badge" aria-label={t.releaseRequests.badge(pending)}>{pending}</span>)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="user">{me.username}{me.impersonated_by ? ` (${me.impersonated_by})` : ""}</span>
          <button type="button" class="ghost" title={t.theme.toggle} aria-label={t.theme.toggle}
                  onClick={() => setTheme(nextTheme())}>
            {theme === "dark" ? t.theme.dark : theme === "light" ? t.theme.light : t.theme.system}
          </button>
          <button type="button" class="ghost" onClick={logout}>{t.logout}</button>
        </div>
      </header>
      <ActingAsBanner me={me} setMe={setMe} />
      <main id="main" tabIndex={-1}>
        {Page ? <Page key={name} me={me} params={params} setMe={setMe} /> : <p class="empty">{t.notFoundPage}</p>}
      </main>
    </>
  );
}
