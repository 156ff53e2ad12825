import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotificationSettings, browserTimeZone, timeZoneOptions } from "../pages/profile_notifications";
import type { Me } from "../lib/types";

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
}
const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

const base = {
  id: 3, username: "dana", addresses: ["dana@example.org"], notifications_disabled: false,
  notify_frequency: "", notify_hour: null, time_zone: "",
} as unknown as Me;

function mount(me: Me, onError = vi.fn(), onSaved = vi.fn()) {
  const el = document.createElement("div");
  document.body.appendChild(el);
  act(() => render(<NotificationSettings me={me} onError={onError} onSaved={onSaved} />, el));
  const select = (name: string) => el.querySelector(`select[name=${name}]`) as HTMLSelectElement;
  const choose = (name: string, v: string) => act(() => {
    select(name).value = v;
    select(name).dispatchEvent(new Event("change", { bubbles: true }));
  });
  const submit = async () => {
    act(() => { el.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true })); });
    await flush();
  };
  return { el, select, choose, submit, onError, onSaved };
}

describe("profile notification settings", () => {
  afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = ""; });

  it("offers the browser's zones, always with UTC and the user's own", () => {
    const zones = timeZoneOptions("Mars/Olympus_Mons");
    expect(zones).toContain("UTC");
    expect(zones).toContain("Europe/Berlin");
    expect(zones).toContain("Mars/Olympus_Mons");
    expect(new Set(zones).size).toBe(zones.length);
  });

  it("shows the stored schedule and preselects the browser's zone when none is stored", () => {
    const { el, select } = mount(base);
    expect(select("notify_frequency").value).toBe("");
    expect(select("notify_hour").value).toBe("");
    expect(select("time_zone").value).toBe(browserTimeZone());
    expect(el.querySelector("p.hint")).not.toBeNull();
    const own = mount({ ...base, notify_frequency: "daily", notify_hour: 7, time_zone: "Pacific/Tongatapu" } as Me);
    expect(own.select("notify_frequency").value).toBe("daily");
    expect(own.select("notify_hour").value).toBe("7");
    expect(own.select("time_zone").value).toBe("Pacific/Tongatapu");
    expect(own.el.querySelector("p.hint")).toBeNull();
    expect([...own.select("notify_hour").options].map((o) => o.value)).toHaveLength(25);
  });

  it("sends what was chosen to PATCH /api/v1/profile and says it was saved", async () => {
    const calls: { url: string; method?: string; body: any }[] = [];
    vi.stubGlobal("fetch", vi.fn((url: string, init?: RequestInit) => {
      calls.push({ url, method: init?.method, body: JSON.parse(String(init?.body)) });
      return reply(200, {});
    }));
    const f = mount(base);
    f.choose("notify_frequency", "daily");
    f.choose("notify_hour", "9");
    f.choose("time_zone", "America/New_York");
    await f.submit();
    expect(calls).toEqual([{ url: "/api/v1/profile", method: "PATCH", body: {
      notifications_disabled: false, notify_frequency: "daily", notify_hour: 9, time_zone: "America/New_York" } }]);
    expect(f.onSaved).toHaveBeenCalledWith("Notification settings saved.");
    // Back to the server defaults: "" and null, not "0" or "Server default".
    f.choose("notify_frequency", "");
    f.choose("notify_hour", "");
    f.choose("time_zone", "");
    await f.submit();
    expect(calls[1].body).toEqual({ notifications_disabled: false, notify_frequency: "", notify_hour: null, time_zone: "" });
  });

  it("greys out the hour for immediate and hourly, and everything when notifications are off", () => {
    const f = mount(base);
    f.choose("notify_frequency", "hourly");
    expect(f.select("notify_hour").disabled).toBe(true);
    f.choose("notify_frequency", "weekly");
    expect(f.select("notify_hour").disabled).toBe(false);
    act(() => {
      const box = f.el.querySelector("input[name=notifications_disabled]") as HTMLInputElement;
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(f.select("notify_frequency").disabled).toBe(true);
    expect(f.select("time_zone").disabled).toBe(true);
  });

  it("hands the server's refusal to the page and does not claim success", async () => {
    vi.stubGlobal("fetch", vi.fn(() => reply(400, { error: "invalid_argument", message: "time_zone must be an IANA time zone name" })));
    const f = mount({ ...base, time_zone: "Europe/Berlin" } as Me);
    await f.submit();
    expect(f.onSaved).not.toHaveBeenCalled();
    const last = f.onError.mock.calls.at(-1)![0];
    expect(String(last.message)).toContain("time_zone");
  });
});
