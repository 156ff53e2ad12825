// The "Notifications" section of the profile page: the opt-out and when
// digests come (frequency, local hour, time zone). The server checks every
// value (an unknown zone is 400); the lists here only make them easy to pick.
import { useState } from "preact/hooks";
import { t } from "../i18n";
import { api } from "../lib/api";
import type { Me, NotifySchedule } from "../lib/types";

const FREQUENCIES = ["", "immediate", "hourly", "daily", "weekly"] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function browserTimeZone(): string {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch { return ""; }
}

// The zones the browser knows, plus those that must be offered whatever it
// knows (the user's own, the browser's, UTC, which Chromium's list lacks).
export function timeZoneOptions(...extra: string[]): string[] {
  let zones: string[] = [];
  try { zones = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone"); } catch { zones = []; }
  return [...new Set([...zones, "UTC", ...extra.filter(Boolean)])].sort();
}

type Form = NotifySchedule & { notifications_disabled: boolean };

export function NotificationSettings({ me, onSaved, onError }: {
  me: Me; onSaved: (text: string) => void | Promise<void>; onError: (e: unknown) => void;
}) {
  const n = t.notifySchedule;
  const browser = browserTimeZone();
  // No zone of one's own yet: preselect the browser's (most likely right).
  const [form, setForm] = useState<Form>({
    notifications_disabled: me.notifications_disabled,
    notify_frequency: me.notify_frequency ?? "",
    notify_hour: me.notify_hour ?? null,
    time_zone: me.time_zone || browser,
  });
  const zones = timeZoneOptions(me.time_zone, browser);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const submit = async (e: Event) => {
    e.preventDefault();
    onError(null);
    try {
      await api("PATCH", "/api/v1/profile", form);
      await onSaved(n.saved);
    } catch (err) { onError(err); }
  };
  return (
    <form class="card" aria-label={n.title} onSubmit={submit}>
      <h2>{n.title}</h2>
      <label class="check"><input type="checkbox" name="notifications_disabled" checked={form.notifications_disabled}
             onChange={(e) => set({ notifications_disabled: (e.target as HTMLInputElement).checked })} />{n.off}</label>
      <label>{n.frequency}
        <select name="notify_frequency" value={form.notify_frequency} disabled={form.notifications_disabled}
                onChange={(e) => set({ notify_frequency: (e.target as HTMLSelectElement).value as Form["notify_frequency"] })}>
          {FREQUENCIES.map((f) => <option key={f} value={f}>{n.frequencies[f]}</option>)}
        </select>
      </label>
      <label>{n.hour}
        <select name="notify_hour" value={form.notify_hour === null ? "" : String(form.notify_hour)}
                disabled={form.notifications_disabled || form.notify_frequency === "immediate" || form.notify_frequency === "hourly"}
                onChange={(e) => { const v = (e.target as HTMLSelectElement).value; set({ notify_hour: v === "" ? null : Number(v) }); }}>
          <option value="">{n.hourDefault}</option>
          {HOURS.map((h) => <option key={h} value={String(h)}>{`${String(h).padStart(2, "0")}:00`}</option>)}
        </select>
      </label>
      <label>{n.timeZone}
        <select name="time_zone" value={form.time_zone} disabled={form.notifications_disabled}
                onChange={(e) => set({ time_zone: (e.target as HTMLSelectElement).value })}>
          <option value="">{n.zoneDefault}</option>
          {zones.map((z) => <option key={z} value={z}>{z}</option>)}
        </select>
      </label>
      {!me.time_zone && form.time_zone !== "" && <p class="hint">{n.zoneUnsaved}</p>}
      <button type="submit">{t.save}</button>
    </form>
  );
}
