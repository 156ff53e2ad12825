// fetch() wrapper for the JSON API: same-origin cookie, the CSRF token on
// state changes, X-Requested-With so a 401 never pops a Basic dialog.
import { t } from "../i18n";

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

let csrfToken = "";
export function setCsrf(token: string) {
  csrfToken = token;
}

// What a person reads for a failed request.
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t.errors.network;
    if (e.status === 401) return t.errors.unauthorized;
    if (e.status === 403) return e.message || t.errors.forbidden;
    if (e.status === 404) return t.errors.notFound;
    if (e.status === 429) return t.errors.tooMany;
    if (e.status >= 500) return t.errors.server;
    return e.message || t.errors.generic(e.status);
  }
  return t.errors.network;
}

// Why an action failed, in the server's words when it gave them (a 503 of
// release or learn says which relay or controller, and why).
export function reasonText(e: unknown): string {
  if (e instanceof ApiError && e.message && e.status !== 0 && e.status !== 401) return e.message;
  return errorText(e);
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(f: () => void) {
  onUnauthorized = f;
}

export async function api<T>(method: string, path: string, body?: unknown,
                             opts: { quiet401?: boolean; text?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { "X-Requested-With": "rqwatch" };
  if (body !== undefined) headers["Content-Type"] = opts.text ? "text/plain; charset=utf-8" : "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : opts.text ? String(body) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", t.errors.network);
  }
  const text = await res.text();
  let doc: any = null;
  try {
    doc = text ? JSON.parse(text) : null;
  } catch {
    doc = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) onUnauthorized();
    throw new ApiError(res.status, doc?.error ?? "error", doc?.message ?? "");
  }
  return doc as T;
}

// Query string with repeated keys (filter=…&filter=…).
export function query(params: [string, string | number | undefined | null][]): string {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v !== undefined && v !== null && v !== "") q.append(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
