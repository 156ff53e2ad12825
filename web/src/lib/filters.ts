// The filter builder's model: every field and operator GET /api/v1/mails
// accepts (openapi.yaml), checks before sending, and saved filters.
import { t } from "../i18n";

export type Kind = "text" | "number" | "flag" | "date" | "symbol";
export const TEXT_OPS = ["eq", "ne", "contains", "not_contains", "regexp", "not_regexp",
  "gt", "ge", "lt", "le"] as const;
export const NUMBER_OPS = ["eq", "ne", "gt", "ge", "lt", "le"] as const;
export const FLAG_OPS = ["eq", "ne"] as const;
export const SYMBOL_OPS = ["eq", "ne", "contains", "not_contains", "regexp", "not_regexp"] as const;

export const FIELDS: { name: string; kind: Kind }[] = [
  { name: "date", kind: "date" },
  { name: "subject", kind: "text" },
  { name: "action", kind: "text" },
  { name: "score", kind: "number" },
  { name: "stored", kind: "flag" },
  { name: "ip", kind: "text" },
  { name: "mail_from", kind: "text" },
  { name: "rcpt_to", kind: "text" },
  { name: "mime_from", kind: "text" },
  { name: "mime_to", kind: "text" },
  { name: "has_virus", kind: "flag" },
  { name: "size", kind: "number" },
  { name: "headers", kind: "text" },
  { name: "symbols", kind: "text" },
  { name: "released", kind: "flag" },
  { name: "notified", kind: "flag" },
  { name: "notification_pending", kind: "flag" },
  { name: "server", kind: "text" },
  { name: "country", kind: "text" },
  { name: "symbol", kind: "symbol" },
  // "symbol.NAME": the score of one symbol; the builder asks for NAME.
  { name: "symbol.", kind: "number" },
];

export interface Filter { field: string; symbol?: string; op: string; value: string }

export function kindOf(field: string): Kind {
  return FIELDS.find((f) => f.name === field)?.kind ?? "text";
}

export function opsFor(field: string): readonly string[] {
  switch (kindOf(field)) {
    case "text": return TEXT_OPS;
    case "number": return NUMBER_OPS;
    case "date": return NUMBER_OPS;
    case "flag": return FLAG_OPS;
    case "symbol": return SYMBOL_OPS;
  }
}

const utf8 = new TextEncoder();

// null when the filter is fine, else what to tell the person.
export function checkFilter(f: Filter): string | null {
  const v = f.value.trim();
  if (f.field === "symbol." && !/^[A-Za-z0-9_.-]{1,128}$/.test(f.symbol ?? "")) return t.filter.badSymbol;
  if (!opsFor(f.field).includes(f.op)) return t.filter.invalid;
  if (v === "") return t.filter.needValue;
  if (utf8.encode(f.value).length > 256) return t.filter.tooLong;
  switch (kindOf(f.field)) {
    case "number":
      return /^-?\d+(\.\d+)?$/.test(v) && (f.field !== "size" || /^\d+$/.test(v)) ? null : t.filter.needNumber;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? null : t.filter.needDate;
    case "flag":
      return /^(0|1|true|false)$/.test(v) ? null : t.filter.needFlag;
    default:
      return null;
  }
}

export function filterParam(f: Filter): string {
  const field = f.field === "symbol." ? `symbol.${f.symbol ?? ""}` : f.field;
  const kind = kindOf(f.field);
  return `${field}:${f.op}:${kind === "text" || kind === "symbol" ? f.value : f.value.trim()}`;
}

// Back from "field:op:value" (split at the first two colons, as the server does).
export function parseFilterParam(s: string): Filter | null {
  const a = s.indexOf(":");
  const b = a < 0 ? -1 : s.indexOf(":", a + 1);
  if (a < 0 || b < 0) return null;
  const field = s.slice(0, a);
  const op = s.slice(a + 1, b);
  const value = s.slice(b + 1);
  if (field.startsWith("symbol.")) return { field: "symbol.", symbol: field.slice(7), op, value };
  if (!FIELDS.some((f) => f.name === field)) return null;
  return { field, op, value };
}

// Saved filters: a name -> filter list map in localStorage (this browser only).
const KEY = "rqwatch.savedFilters";

export function loadSaved(storage: Storage = localStorage): Record<string, Filter[]> {
  try {
    const v = JSON.parse(storage.getItem(KEY) ?? "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

export function saveFilters(name: string, filters: Filter[], storage: Storage = localStorage) {
  const all = loadSaved(storage);
  all[name] = filters;
  storage.setItem(KEY, JSON.stringify(all));
}

export function deleteSaved(name: string, storage: Storage = localStorage) {
  const all = loadSaved(storage);
  delete all[name];
  storage.setItem(KEY, JSON.stringify(all));
}
