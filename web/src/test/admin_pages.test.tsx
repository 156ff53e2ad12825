import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ActingAsBanner } from "../acting_as";
import { setCsrf } from "../lib/api";
import type { Me } from "../lib/types";
import { DeleteAllEntries } from "../pages/map_entry_tools";

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
}
const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));
const input = (el: HTMLInputElement, value: string) => act(() => {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
});
const me = (over: Partial<Me>): Me => ({
  id: 9, username: "alice", email: "a@example.org", first_name: "", last_name: "", is_admin: false, admin_domains: [],
  provider: "local", notifications_disabled: false, totp_enabled: false, addresses: [], csrf_token: "t1",
  impersonated_by: null, notify_frequency: "", notify_hour: null, time_zone: "", ...over,
});

describe("acting-as banner", () => {
  afterEach(() => { vi.unstubAllGlobals(); history.replaceState(null, "", "/"); });

  it("shows nothing in one's own session", () => {
    const el = document.createElement("div");
    act(() => render(<ActingAsBanner me={me({})} setMe={() => {}} />, el));
    expect(el.innerHTML).toBe("");
  });
  it("names both accounts and returns to the admin's, back on the user's editor", async () => {
    const calls: [string, RequestInit | undefined][] = [];
    vi.stubGlobal("fetch", vi.fn((url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return reply(200, me({ id: 1, username: "root", is_admin: true, csrf_token: "t2" }));
    }));
    setCsrf("t1");
    const setMe = vi.fn();
    const el = document.createElement("div");
    act(() => render(<ActingAsBanner me={me({ impersonated_by: "root" })} setMe={setMe} />, el));
    expect(el.textContent).toContain("Acting as alice (you are root).");
    act(() => (el.querySelector("button") as HTMLButtonElement).click());
    await flush();
    expect(calls[0][0]).toBe("/api/v1/session/return");
    expect(calls[0][1]?.method).toBe("POST");
    expect((calls[0][1]?.headers as Record<string, string>)["X-CSRF-Token"]).toBe("t1");
    expect(setMe).toHaveBeenCalledWith(expect.objectContaining({ username: "root" }));
    expect(location.pathname + location.search).toBe("/users?id=9");
  });
  it("says why the way back failed", async () => {
    vi.stubGlobal("fetch", vi.fn(() => reply(409, { error: "conflict", message: "this is not a \"login as\" session" })));
    const setMe = vi.fn();
    const el = document.createElement("div");
    act(() => render(<ActingAsBanner me={me({ impersonated_by: "root" })} setMe={setMe} />, el));
    act(() => (el.querySelector("button") as HTMLButtonElement).click());
    await flush();
    expect(setMe).not.toHaveBeenCalled();
    expect(el.querySelector("[role=alert]")!.textContent).toContain("not a \"login as\" session");
  });
});

describe("delete all entries", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends nothing until the map's exact name is typed, then empties it", async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal("fetch", vi.fn((_url: string, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      return reply(200, { deleted: 4 });
    }));
    const onDone = vi.fn();
    const el = document.body.appendChild(document.createElement("div"));  // a detached form submits nothing
    act(() => render(<DeleteAllEntries base="/api/v1/maps/ip_block" name="ip_block" onDone={onDone} />, el));
    act(() => (el.querySelector("button") as HTMLButtonElement).click());
    const box = el.querySelector("input") as HTMLInputElement;
    const submit = () => el.querySelector("button[type=submit]") as HTMLButtonElement;
    for (const wrong of ["", "IP_BLOCK", "ip_block ", "ip_bloc"]) {
      await input(box, wrong);
      expect(submit().disabled).toBe(true);
      act(() => { el.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true })); });
      await flush();
    }
    expect(bodies).toEqual([]);
    await input(box, "ip_block");
    expect(submit().disabled).toBe(false);
    act(() => submit().click());
    await flush();
    expect(bodies).toEqual([{ all: true, confirm: "ip_block" }]);
    expect(onDone).toHaveBeenCalledWith("4 deleted.");
    expect(el.querySelector("form")).toBeNull();
    el.remove();
  });
});
