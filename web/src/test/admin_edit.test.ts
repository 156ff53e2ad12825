import { describe, expect, it } from "vitest";
import { entryChanges, entryForm, toLocalInput } from "../lib/map_entry_edit";
import type { MapEntry, User } from "../lib/types";
import { parseDomains, userChanges, userForm } from "../lib/user_edit";

const local: User = {
  id: 7, username: "alice", email: "alice@example.org", first_name: "Alice", last_name: "", is_admin: false,
  admin_domains: ["example.org"], provider: "local", totp_enabled: true, notifications_disabled: false,
  created_at: 1, last_login: null,
};

describe("user editor", () => {
  it("sends only the fields that changed, trimmed", () => {
    expect(userChanges(local, userForm(local))).toEqual({});
    const f = { ...userForm(local), email: " new@example.org ", last_name: "Smith", password: "s3cret-pass" };
    expect(userChanges(local, f)).toEqual({ email: "new@example.org", last_name: "Smith", password: "s3cret-pass" });
    expect(userChanges(local, { ...userForm(local), is_admin: true, notifications_disabled: true }))
      .toEqual({ is_admin: true, notifications_disabled: true });
  });
  it("compares admin domains as a list, and can empty it", () => {
    expect(userChanges(local, { ...userForm(local), admin_domains: " Example.ORG ," })).toEqual({});
    expect(userChanges(local, { ...userForm(local), admin_domains: "" })).toEqual({ admin_domains: [] });
    expect(parseDomains("a.org, b.org c.org,,")).toEqual(["a.org", "b.org", "c.org"]);
  });
  it("never sends a directory user's directory fields, only its own settings", () => {
    const ldap = { ...local, provider: "ldap" };
    const f = { ...userForm(ldap), username: "mallory", email: "x@y.z", first_name: "M", is_admin: true,
      password: "new-password", notifications_disabled: true, admin_domains: "corp.example" };
    expect(userChanges(ldap, f)).toEqual({ notifications_disabled: true, admin_domains: ["corp.example"] });
  });
});

const entry: MapEntry = {
  id: 3, line: "192.0.2.1", value: "192.0.2.1", recipient: null, enabled: true, comment: "old",
  expires_at: null, personal: false, created_by: "admin", created_at: 1, updated_at: 1,
};

describe("map entry editor", () => {
  it("patches only what changed; a cleared expiry is null", () => {
    expect(entryChanges(entry, entryForm(entry))).toEqual({});
    expect(entryChanges(entry, { ...entryForm(entry), line: " 192.0.2.9 ", comment: "" }))
      .toEqual({ line: "192.0.2.9", comment: "" });
    const at = new Date(2030, 0, 2, 3, 4).getTime();
    expect(entryChanges(entry, { ...entryForm(entry), expires: "2030-01-02T03:04" })).toEqual({ expires_at: at });
    const expiring = { ...entry, expires_at: at + 59_000 };  // seconds the input cannot show
    expect(entryChanges(expiring, entryForm(expiring))).toEqual({});
    expect(entryChanges(expiring, { ...entryForm(expiring), expires: "" })).toEqual({ expires_at: null });
  });
  it("shows an expiry in the browser's zone as datetime-local wants it", () => {
    expect(toLocalInput(new Date(2031, 11, 9, 7, 5, 30).getTime())).toBe("2031-12-09T07:05");
    expect(toLocalInput(null)).toBe("");
  });
});
