// The in-place editor of a map entry: its form (the line as typed in the add
// box, the comment, the expiry as a datetime-local value in the browser's
// zone) and the PATCH of only what changed.
import type { MapEntry } from "./types";

export interface EntryForm { line: string; comment: string; expires: string }

// "YYYY-MM-DDTHH:MM" in the browser's zone, as <input type=datetime-local> holds it.
export function toLocalInput(ms: number | null): string {
  if (ms === null) return "";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function entryForm(en: MapEntry): EntryForm {
  return { line: en.line, comment: en.comment, expires: toLocalInput(en.expires_at) };
}

export function entryChanges(en: MapEntry, f: EntryForm): Record<string, unknown> {
  const before = entryForm(en);
  const out: Record<string, unknown> = {};
  if (f.line.trim() !== before.line) out.line = f.line.trim();
  if (f.comment !== before.comment) out.comment = f.comment;
  // An untouched expiry keeps its seconds; a cleared one means never.
  if (f.expires !== before.expires) out.expires_at = f.expires ? new Date(f.expires).getTime() : null;
  return out;
}
