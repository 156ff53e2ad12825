// The navigation: one entry per page. Other features add theirs here (and
// their page to PAGES in app.tsx): e.g. { path: "/maps-ui", label: ..., admin: true }.
import { t } from "./i18n";

export interface NavItem { path: string; label: string; admin?: boolean }

export const NAV: NavItem[] = [
  { path: "/mails", label: t.nav.mails },
  { path: "/today", label: t.nav.today },
  { path: "/quarantine", label: t.nav.quarantine, admin: true },
  { path: "/stats", label: t.nav.stats },
  { path: "/users", label: t.nav.users, admin: true },
  { path: "/aliases", label: t.nav.aliases, admin: true },
  { path: "/audit", label: t.nav.audit, admin: true },
  { path: "/release-requests", label: t.releaseRequests.nav },
  { path: "/map-lists", label: t.nav.maps },
  { path: "/profile", label: t.nav.profile },
];

export function navFor(isAdmin: boolean): NavItem[] {
  return NAV.filter((n) => !n.admin || isAdmin);
}
