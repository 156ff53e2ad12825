// Traffic per day by action: the API's day rows (newest first, days without
// mail left out) as aligned chart series, one slot per day, zero where a day
// had no mail, and the x-axis ticks that fit.
import { orderActions } from "./format";

const DAY_MS = 86_400_000;

export interface TrafficRow {
  value: string; // YYYY-MM-DD (UTC)
  stored: number;
  actions?: Record<string, number>;
}

export interface Traffic {
  days: string[];     // oldest first, every day of the range
  actions: string[];  // the legend's order (top of the stack first)
  counts: number[][]; // [action][day]
  stored: number[];   // [day]: quarantined
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// The `count` days up to and including the one of `nowMs` (UTC, as the server).
export function lastDays(count: number, nowMs: number): { first: string; last: string } {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { first: dayOf(today - (count - 1) * DAY_MS), last: dayOf(today) };
}

// Every day from `first` to `last`, both included; [] when last < first.
export function dayRange(first: string, last: string): string[] {
  const from = Date.parse(`${first}T00:00:00Z`);
  const to = Date.parse(`${last}T00:00:00Z`);
  const out: string[] = [];
  if (Number.isNaN(from) || Number.isNaN(to)) return out;
  for (let ms = from; ms <= to; ms += DAY_MS) out.push(dayOf(ms));
  return out;
}

// The range runs to the newest row if that is past `last` (a server clock
// ahead of the browser's), so no row is dropped.
export function trafficSeries(rows: TrafficRow[], first: string, last: string): Traffic {
  const byDay = new Map(rows.map((r) => [r.value, r]));
  const newest = rows.reduce((m, r) => (r.value > m ? r.value : m), last);
  const days = dayRange(first, newest);
  const actions = orderActions(rows.flatMap((r) => Object.keys(r.actions ?? {})));
  return {
    days,
    actions,
    counts: actions.map((a) => days.map((d) => byDay.get(d)?.actions?.[a] ?? 0)),
    stored: days.map((d) => byDay.get(d)?.stored ?? 0),
  };
}

// Each series summed with those below it (the later ones): drawn first to
// last as opaque bars from zero, each covers the next one's, leaving a stack
// with the first action on top.
export function stackFromTop(counts: number[][]): number[][] {
  const out = counts.map((c) => [...c]);
  for (let i = out.length - 2; i >= 0; i--) out[i] = out[i].map((v, d) => v + out[i + 1][d]);
  return out;
}

// Indices of the days to label on an axis `widthPx` wide with labels
// `gapPx` apart at least: the newest day always, then every step-th back.
export function dayTicks(count: number, widthPx: number, gapPx = 56): number[] {
  if (count <= 0) return [];
  const fit = Math.max(1, Math.floor(widthPx / gapPx));
  const step = Math.max(1, Math.ceil(count / fit));
  const ticks: number[] = [];
  for (let i = count - 1; i >= 0; i -= step) ticks.unshift(i);
  return ticks;
}
