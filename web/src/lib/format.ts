// Display helpers: times in the browser's zone, sizes, action colours.
import { t } from "../i18n";

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  second: "2-digit",
});

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  return dateTime.format(new Date(ms));
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// MailWatch-style row classes: one per Rspamd action, virus first.
export const ACTION_CLASSES: [string, string][] = [
  ["virus", "row-virus"],
  ["reject", "row-reject"],
  ["discard", "row-discard"],
  ["soft reject", "row-softreject"],
  ["rewrite subject", "row-spam"],
  ["add header", "row-spam"],
  ["greylist", "row-greylist"],
  ["no action", "row-clean"],
];

export function actionClass(action: string): string {
  return ACTION_CLASSES.find(([a]) => a === action)?.[1] ?? "row-other";
}

export function rowClass(m: { action: string; has_virus: boolean }): string {
  return m.has_virus ? "row-virus" : actionClass(m.action);
}

// The custom property holding an action's colour in the current theme
// (styles.css names them after the row classes), for what CSS cannot paint:
// the canvas of a chart.
export function actionColourVar(action: string): string {
  return `--${actionClass(action)}`;
}

// Actions in the legend's order (ACTION_CLASSES), unknown ones after it by name.
export function orderActions(actions: Iterable<string>): string[] {
  const rank = (a: string) => {
    const i = ACTION_CLASSES.findIndex(([x]) => x === a);
    return i < 0 ? ACTION_CLASSES.length : i;
  };
  return [...new Set(actions)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

// A UTC day (YYYY-MM-DD, as the server groups mail) as a short date: "Dec 4".
const shortDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

export function formatDay(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? day : shortDay.format(ms);
}

export function actionLabel(action: string): string {
  return t.actions[action] ?? action;
}

// Symbols: strongest first, by absolute score; a class by sign and weight.
export function sortSymbols<T extends { score: number; name: string }>(symbols: T[]): T[] {
  return [...symbols].sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || a.name.localeCompare(b.name));
}

export function scoreClass(score: number): string {
  if (score >= 5) return "score-high";
  if (score > 0) return "score-pos";
  if (score < 0) return "score-neg";
  return "score-zero";
}

// YYYY-MM-DD of today in UTC (the API's days are UTC).
export function utcDay(d = new Date()): string {
  return d.toISOString().slice(0, 10);
}

// An uptime in words: "3 d 4 h", "5 h 2 min", "42 s".
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min`;
  return `${s} s`;
}
