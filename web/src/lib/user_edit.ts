// The user editor's form and the PATCH it sends: only the fields that
// changed (the server audits which fields changed, and refuses any directory
// field of an LDAP or OIDC user even when its value is the same).
import type { User } from "./types";

export interface UserForm {
  username: string; email: string; first_name: string; last_name: string;
  is_admin: boolean; admin_domains: string; notifications_disabled: boolean; password: string;
}

// What the directory sets at every login (app/user_admin.cpp): locked in the
// editor for directory users.
export const DIRECTORY_FIELDS = ["username", "email", "first_name", "last_name", "is_admin", "password"] as const;

export function isDirectoryUser(u: Pick<User, "provider">): boolean {
  return u.provider !== "local";
}

export function userForm(u: User): UserForm {
  return {
    username: u.username, email: u.email, first_name: u.first_name, last_name: u.last_name,
    is_admin: u.is_admin, admin_domains: u.admin_domains.join(", "),
    notifications_disabled: u.notifications_disabled, password: "",
  };
}

export function parseDomains(text: string): string[] {
  return text.split(/[\s,]+/).map((d) => d.trim().toLowerCase()).filter(Boolean);
}

export function userChanges(u: User, f: UserForm): Record<string, unknown> {
  const before = userForm(u);
  const out: Record<string, unknown> = {};
  for (const k of ["username", "email", "first_name", "last_name"] as const) {
    if (f[k].trim() !== before[k]) out[k] = f[k].trim();
  }
  if (f.is_admin !== before.is_admin) out.is_admin = f.is_admin;
  if (f.notifications_disabled !== before.notifications_disabled) out.notifications_disabled = f.notifications_disabled;
  const domains = parseDomains(f.admin_domains);
  if (domains.join(",") !== u.admin_domains.join(",")) out.admin_domains = domains;
  if (f.password !== "") out.password = f.password;
  if (isDirectoryUser(u)) for (const k of DIRECTORY_FIELDS) delete out[k];
  return out;
}
